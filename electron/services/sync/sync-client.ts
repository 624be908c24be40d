/**
 * The desk's sync client: drains the outbox to the hub, pulls back what happened to this desk's
 * tickets, and takes new reference-data versions — in the background, with backoff while the hub
 * cannot be reached. Plain Node; the desk (desk.ts) owns one and reports its state in `app.health`.
 *
 * Guarantees and rules (the conflict rules of hub-contract.ts, tested in test/hub/desk-sync.test.ts):
 * - Nothing lost: a ticket leaves the outbox only in the transaction that records the hub's answer
 *   for it (official number, deadlines). A cut connection, a killed hub or a killed desk leaves the
 *   row to be sent again.
 * - Nothing doubled: every push carries the ticket's client UUID; the hub stores each id once and
 *   answers the same official number for it every time, so sending again is always safe.
 * - In order: rows go oldest first (outbox seq), in batches of MAX_PUSH_BATCH.
 * - A row the hub refuses for its content (bad_request / rejected) is isolated — its batch is resent
 *   one by one — and set aside with the reason (`refused:` in last_error), so one bad ticket never
 *   blocks the queue; it stays in the outbox and is counted in the status bar.
 * - So is a row that fails on any other error that repeats while the hub itself answers: a batch the
 *   hub answers with an error (500) is split in halves at once, a batch whose connection drops is
 *   split when the same batch drops again; a row that still fails alone MAX_ROW_FAILURES times is set
 *   aside with the reason, and the rest keep draining. When the hub does not answer at all (a probe
 *   with `auth.me` fails) nothing is set aside: the desk is offline and backs off.
 * - The desk owns a ticket's content until it is pushed; after that the hub owns status, unit and
 *   deadlines, and the desk applies `tickets.pull` events as reported, in seq order, from a cursor
 *   it saves in the same transaction. A returned ticket (退单) shows 已退单 with no unit: it is back
 *   in the center's queue.
 * - Per-operator sessions (server/desk-access.ts): a call-taker or lead who signs in at the desk with
 *   their own hub account gets a session of their own (signInOperator, adoptOperatorSession); the
 *   tickets they took are pushed with it, so the hub records them from the session (verified). Rows
 *   of an operator without one — signed in offline, without a password, or whose session expired —
 *   go with the desk account and the hub records them unverified. A password given offline is kept
 *   in memory only until the hub is reached once (then it is a session, or forgotten).
 */
import { MAX_PUSH_BATCH, REF_KINDS, type HubCalls, type PushedTicket } from '../../../shared/api/hub-contract';
import type { CallInput, CallName, CallOutput } from '../../../shared/api/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { ReferenceData } from '../reference/reference-data';
import type { LearnedModelFile } from '../reference/learned-model-file';
import type { Db } from '../store/database';
import type { SettingsRepo } from '../store/settings-repo';
import { readCallbackPayload, readTicketCreatePayload, readUrgePayload, type TicketCreatePayload } from '../tickets/outbox-payload';
import type { OutboxRepo, OutboxRow } from '../tickets/outbox-repo';
import type { TicketsRepo } from '../tickets/tickets-repo';
import { nextPullDelay, PULL_EVERY_MS, type HubClient } from '../../../shared/api/hub-client';
import { DESK_ROLES } from '../../../shared/roles';

export interface SyncProgress {
  sent: number;
  total: number;
}

export interface SyncState {
  state: 'idle' | 'syncing' | 'offline' | 'unauthorized';
  online: boolean;
  /** The current drain, while one runs. */
  progress: SyncProgress | null;
  lastSyncAt: string | null;
  lastError: string | null;
  nextRetryAt: string | null;
}

export interface SyncClientOptions {
  db: Db;
  hub: HubClient;
  tickets: TicketsRepo;
  outbox: OutboxRepo;
  reference: ReferenceData;
  /** Where the learned suggester's model is kept (reference/learned-model-file.ts); none: not pulled. */
  learnedModel?: LearnedModelFile;
  settings: SettingsRepo;
  credentials: { username: string; password: string };
  deskId: string;
  now?: () => Date;
  batchSize?: number;
  /** How often to pull status changes when all is sent (each wait 10 % shorter or longer at random: nextPullDelay). */
  pullEveryMs?: number;
  /** How often to ask for new reference data. */
  referenceEveryMs?: number;
  /** Backoff while the hub is unreachable: from `minMs`, doubling, up to `maxMs`. */
  backoff?: { minMs: number; maxMs: number };
  onTickets?: (ids: string[]) => void;
  onState?: (state: SyncState) => void;
  onReference?: () => void;
  /** A new client to the same hub, for an operator's own session; without it every row goes with the desk account. */
  operatorClient?: () => HubClient;
}

/** An operator's own hub session, or (signed in offline) the password to open one when the hub answers. */
interface OperatorSession {
  client: HubClient;
  password: string | null;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  referenceUpdates: number;
}

const CURSOR_KEY = 'sync.cursor';
/** Failed pushes of one row alone, while the hub answers, before the row is set aside. */
export const MAX_ROW_FAILURES = 3;
const REFUSING = new Set(['bad_request', 'rejected', 'too_large', 'forbidden']);

export function toPushedTicket(payload: TicketCreatePayload, deskId: string): PushedTicket {
  const t = payload.ticket;
  return {
    id: t.id,
    provisionalNumber: t.provisionalNumber,
    deskId,
    operatorId: t.operatorId,
    operatorName: t.operatorName,
    shiftCode: t.shiftCode,
    shiftDate: t.shiftDate,
    callStartedAt: t.callStartedAt,
    submittedAt: t.submittedAt,
    channel: t.channel,
    callerName: t.callerName,
    callerPhone: t.callerPhone,
    callbackPhone: t.callbackPhone,
    requestType: t.requestType,
    address: { districtCode: t.districtCode, streetCode: t.streetCode, villageCode: t.villageCode, text: t.addressText },
    content: t.content,
    leafCode: t.leafCode,
    urgency: t.urgency,
    disposition: t.disposition,
    unitCode: t.unitCode,
    kbArticleId: t.kbArticleId,
    linkedTicketId: t.linkedTicketId,
    unreasonableReason: t.unreasonableReason,
    names: payload.names,
    events: payload.events,
    ...(payload.open311RequestId ? { open311RequestId: payload.open311RequestId } : {}),
  };
}

export class SyncClient {
  private state: SyncState = { state: 'idle', online: false, progress: null, lastSyncAt: null, lastError: null, nextRetryAt: null };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<Result<SyncReport>> | null = null;
  private failures = 0;
  private stopped = true;
  private lastReferenceAt = 0;
  /** Failed pushes per batch (`<first seq>/<rows>`), while the hub answered; cleared when the batch goes through. */
  private readonly strikes = new Map<string, number>();
  /** Rows set aside for repeated failures since a push last went through. */
  private setAsideInARow = 0;
  private readonly now: () => Date;
  /** Operators' own sessions by 工号 (= their hub username), for the rest of this run. */
  private readonly operators = new Map<string, OperatorSession>();

  constructor(private readonly options: SyncClientOptions) {
    this.now = options.now ?? (() => new Date());
  }

  status(): SyncState {
    return this.state;
  }

  /** Starts the background loop: sync now, then again as the schedule says. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One hub call with this desk's session (logging in first if needed), for reads like the center's figures. */
  async callHub<N extends CallName<HubCalls>>(name: N, input: CallInput<HubCalls, N>): Promise<Result<CallOutput<HubCalls, N>>> {
    const login = await this.login();
    if (!login.ok) return login;
    return this.call(() => this.options.hub.call(name, input));
  }

  /**
   * An operator signing in with their hub account (username = 工号): `verified` when the hub took the
   * password (their tickets go with their own session from now on); not verified when the hub did
   * not answer (tried again at the next round); forbidden when the hub refused the password or the
   * account is not a desk person's.
   */
  async signInOperator(operatorId: string, password: string): Promise<Result<{ verified: boolean }>> {
    if (!this.options.operatorClient) return ok({ verified: false });
    const client = this.options.operatorClient();
    const login = await client.login(operatorId, password);
    if (!login.ok) {
      if (login.error.kind !== 'unavailable') return fail('forbidden', `工号 ${operatorId} 的中心账号或密码不正确，未签到（不填密码可签到，工单记为未核验）`);
      this.operators.set(operatorId, { client, password });
      return ok({ verified: false });
    }
    if (!(DESK_ROLES as readonly string[]).includes(login.value.user.role)) {
      await client.call('auth.logout', {});
      return fail('forbidden', `中心账号 ${operatorId} 不是坐席人员的账号，不能在坐席签到`);
    }
    this.operators.set(operatorId, { client, password: null });
    return ok({ verified: true });
  }

  /** A session opened elsewhere for this operator (the 班长 check at the hub, lead-credentials.ts). */
  adoptOperatorSession(operatorId: string, token: string): boolean {
    if (!this.options.operatorClient) return false;
    const client = this.options.operatorClient();
    client.token = token;
    this.operators.set(operatorId, { client, password: null });
    return true;
  }

  /** Whether this operator's tickets go with their own hub session now (or will, once the hub answers). */
  operatorSession(operatorId: string): 'verified' | 'pending' | null {
    const session = this.operators.get(operatorId);
    return !session ? null : session.password === null ? 'verified' : 'pending';
  }

  /** Opens the sessions of operators who signed in while the hub did not answer. */
  private async openPendingSessions(): Promise<void> {
    for (const [operatorId, session] of this.operators) {
      if (session.password === null) continue;
      const login = await session.client.login(operatorId, session.password);
      if (login.ok && (DESK_ROLES as readonly string[]).includes(login.value.user.role)) session.password = null;
      else if (!login.ok && login.error.kind === 'unavailable') continue;
      else this.operators.delete(operatorId); // refused: their tickets go with the desk account, unverified
    }
  }

  /** The operator whose own session pushes this row, or null for the desk account. */
  private pusherOf(payload: TicketCreatePayload): string | null {
    const session = this.operators.get(payload.ticket.operatorId);
    return session && session.password === null && session.client.token ? payload.ticket.operatorId : null;
  }

  /** A ticket was just written: send it soon rather than at the next scheduled round. */
  nudge(): void {
    if (!this.stopped && !this.running) this.schedule(50);
  }

  /** One round: log in if needed, drain the outbox, pull changes and reference data. */
  syncOnce(): Promise<Result<SyncReport>> {
    if (!this.running) {
      this.running = this.round().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), delayMs);
    this.timer.unref?.();
  }

  private async loop(): Promise<void> {
    this.timer = null;
    const result = await this.syncOnce();
    if (this.stopped) return;
    if (result.ok) {
      this.failures = 0;
      this.schedule(nextPullDelay(this.options.pullEveryMs ?? PULL_EVERY_MS));
      return;
    }
    // Unreachable or refused login: back off, doubling, with a little jitter so desks do not knock together.
    this.failures++;
    const { minMs, maxMs } = this.options.backoff ?? { minMs: 1_000, maxMs: 30_000 };
    const delay = Math.min(maxMs, minMs * 2 ** (this.failures - 1)) * (0.85 + Math.random() * 0.3);
    this.setState({ nextRetryAt: new Date(this.now().getTime() + delay).toISOString() });
    this.schedule(delay);
  }

  private setState(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    this.options.onState?.(this.state);
  }

  private offline(message: string, kind: 'offline' | 'unauthorized' = 'offline'): Result<never> {
    this.setState({ state: kind, online: kind === 'unauthorized', progress: null, lastError: message });
    return fail(kind === 'offline' ? 'unavailable' : 'unauthorized', message);
  }

  private async login(): Promise<Result<void>> {
    if (this.options.hub.token) return ok(undefined);
    const result = await this.options.hub.call('auth.login', this.options.credentials);
    if (!result.ok) {
      if (result.error.kind === 'unavailable') return this.offline(result.error.message);
      return this.offline(`中心拒绝了本坐席的登录：${result.error.message}`, 'unauthorized');
    }
    this.options.hub.token = result.value.token;
    return ok(undefined);
  }

  /** Runs a hub call, logging in again once if the session expired. */
  private async call<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
    let result = await run();
    if (!result.ok && result.error.kind === 'unauthorized') {
      this.options.hub.token = null;
      const again = await this.login();
      if (!again.ok) return again;
      result = await run();
    }
    return result;
  }

  private async round(): Promise<Result<SyncReport>> {
    const login = await this.login();
    if (!login.ok) return login;
    await this.openPendingSessions();
    const pushed = await this.drain();
    if (!pushed.ok) return pushed;
    const pulled = await this.pull();
    if (!pulled.ok) return pulled;
    let referenceUpdates = 0;
    const due = this.now().getTime() - this.lastReferenceAt >= (this.options.referenceEveryMs ?? 60_000);
    if (due) {
      const updated = await this.pullReference();
      if (!updated.ok) return updated;
      const model = await this.pullModel();
      if (!model.ok) return model;
      referenceUpdates = updated.value + model.value;
      this.lastReferenceAt = this.now().getTime();
    }
    this.setState({ state: 'idle', online: true, progress: null, lastSyncAt: this.now().toISOString(), lastError: null, nextRetryAt: null });
    return ok({ pushed: pushed.value, pulled: pulled.value, referenceUpdates });
  }

  /** Sends the outbox oldest first until it is empty, or the hub stops answering. */
  private async drain(): Promise<Result<number>> {
    const { outbox } = this.options;
    const total = outbox.pendingCount() - outbox.refusedCount();
    if (total === 0) return ok(0);
    let sent = 0;
    this.setState({ state: 'syncing', online: true, progress: { sent, total } });
    for (;;) {
      const rows = outbox.nextBatch(this.options.batchSize ?? MAX_PUSH_BATCH);
      if (rows.length === 0) break;
      const result = await this.pushRows(rows);
      if (!result.ok) return result;
      sent += result.value;
      this.setState({ progress: { sent, total: Math.max(total, sent) } });
    }
    return ok(sent);
  }

  /** Pushes rows as one batch; a batch refused for its content is resent row by row to find the culprit. */
  private async pushRows(batch: OutboxRow[]): Promise<Result<number>> {
    // 催办 and 回访 rows (ticket.urge, ticket.callback) go one by one after the tickets of the batch (a ticket is created before it is urged).
    if (batch.some((r) => r.kind !== 'ticket.create')) {
      let sent = 0;
      const creates = batch.filter((r) => r.kind === 'ticket.create');
      if (creates.length > 0) {
        const pushed = await this.pushRows(creates);
        if (!pushed.ok) return pushed;
        sent += pushed.value;
      }
      for (const row of batch.filter((r) => r.kind !== 'ticket.create')) {
        const one = row.kind === 'ticket.callback' ? await this.sendCallback(row) : await this.sendUrge(row);
        if (!one.ok) return one;
        sent += one.value;
      }
      return ok(sent);
    }
    // A row that no longer reads as a payload is set aside with the reason, never cast and sent.
    const rows: OutboxRow[] = [];
    const tickets: PushedTicket[] = [];
    const pushers: Array<string | null> = [];
    for (const row of batch) {
      const payload = readTicketCreatePayload(row.payload);
      if (!payload.ok) {
        this.options.outbox.markFailed(row.seq, payload.error.message, true);
        continue;
      }
      rows.push(row);
      tickets.push(toPushedTicket(payload.value, this.options.deskId));
      pushers.push(this.pusherOf(payload.value));
    }
    if (rows.length === 0) return ok(0);
    // Each operator's rows with their own session, the rest with the desk's: in runs, oldest first
    // (a 重复诉求 follows its original, server/desk-access.ts).
    const run = pushers.findIndex((p) => p !== pushers[0]);
    if (run > 0) {
      const first = await this.pushRows(rows.slice(0, run));
      if (!first.ok) return first;
      const rest = await this.pushRows(rows.slice(run));
      return rest.ok ? ok(first.value + rest.value) : rest;
    }
    const pusher = pushers[0] ?? null;
    const operatorClient = pusher === null ? null : this.operators.get(pusher)!.client;
    const result = operatorClient
      ? await operatorClient.call('tickets.push', { tickets })
      : await this.call(() => this.options.hub.call('tickets.push', { tickets }));
    if (!result.ok && operatorClient && (result.error.kind === 'unauthorized' || result.error.kind === 'forbidden')) {
      // The operator's session ended (expired, revoked) or may not push these rows (a desk account bound
      // to another desk): their rows go with the desk account from now on.
      this.operators.delete(pusher!);
      return this.pushRows(rows);
    }
    if (!result.ok) {
      if (REFUSING.has(result.error.kind)) {
        if (rows.length === 1) {
          this.options.outbox.markFailed(rows[0]!.seq, result.error.message, true);
          return ok(0);
        }
        let sent = 0;
        for (const row of rows) {
          const one = await this.pushRows([row]);
          if (!one.ok) return one;
          sent += one.value;
        }
        return ok(sent);
      }
      return this.pushFailed(rows, result.error.kind, result.error.message);
    }
    this.strikes.delete(`${rows[0]!.seq}/${rows.length}`);
    this.setAsideInARow = 0;
    const at = this.now().toISOString();
    const bySeq = new Map(rows.map((r) => [r.ticketId, r.seq]));
    this.options.db.transaction(() => {
      for (const answer of result.value.results) {
        const seq = bySeq.get(answer.id);
        if (seq === undefined) continue;
        this.options.tickets.setOfficial(answer.id, answer.number, answer.deadlines, at);
        this.options.outbox.markSent(seq, at);
      }
    })();
    this.options.onTickets?.(result.value.results.map((r) => r.id));
    return ok(result.value.results.length);
  }

  /** One 催办 recorded offline: sent with its own id (stored once at the hub however often it is resent). */
  private async sendUrge(row: OutboxRow): Promise<Result<number>> {
    const payload = readUrgePayload(row.payload);
    if (!payload.ok) {
      this.options.outbox.markFailed(row.seq, payload.error.message, true);
      return ok(0);
    }
    const urge = payload.value.urge;
    const result = await this.call(() => this.options.hub.call('ticket.urge', { ...urge, deskId: this.options.deskId }));
    if (!result.ok) {
      // A ticket closed (or unknown) at the hub meanwhile: the 催办 waits for a person, with the hub's reason.
      if (REFUSING.has(result.error.kind) || result.error.kind === 'conflict' || result.error.kind === 'not_found') {
        this.options.outbox.markFailed(row.seq, result.error.message, true);
        return ok(0);
      }
      return this.pushFailed([row], result.error.kind, result.error.message);
    }
    this.options.outbox.markSent(row.seq, this.now().toISOString());
    this.options.onTickets?.([urge.ticketId]);
    return ok(1);
  }

  /** One 回访 recorded offline: sent with its callbackId (recorded once at the hub however often it is resent, server/callbacks.ts). */
  private async sendCallback(row: OutboxRow): Promise<Result<number>> {
    const payload = readCallbackPayload(row.payload);
    if (!payload.ok) {
      this.options.outbox.markFailed(row.seq, payload.error.message, true);
      return ok(0);
    }
    const { at: _at, actor: _actor, ...callback } = payload.value.callback;
    const result = await this.call(() => this.options.hub.call('ticket.callback', callback));
    if (!result.ok) {
      // Someone else ended the callback meanwhile, or the ticket is not one to call back: it waits for a person, with the hub's reason.
      if (REFUSING.has(result.error.kind) || result.error.kind === 'conflict' || result.error.kind === 'not_found' || result.error.kind === 'forbidden') {
        this.options.outbox.markFailed(row.seq, result.error.message, true);
        return ok(0);
      }
      return this.pushFailed([row], result.error.kind, result.error.message);
    }
    this.options.outbox.markSent(row.seq, this.now().toISOString());
    this.options.onTickets?.([callback.ticketId]);
    return ok(1);
  }

  /**
   * A push that failed on something other than the rows' content. Offline when the hub does not
   * answer; else the batch is split (at once for an error the hub answered, on the second drop of the
   * same batch for a lost connection) until the failing row is alone, and a row failing alone
   * MAX_ROW_FAILURES times is set aside so the rows after it still get their official numbers.
   */
  private async pushFailed(rows: OutboxRow[], kind: string, message: string): Promise<Result<number>> {
    const retryLater = <T>(result: Result<T>): Result<T> => {
      for (const row of rows) this.options.outbox.markFailed(row.seq, message, false);
      return result;
    };
    if (kind === 'unauthorized') return retryLater(fail('unauthorized', message));
    const answered = kind !== 'unavailable' || (await this.options.hub.call('auth.me', {})).ok;
    if (!answered) return retryLater(this.offline(message));
    const key = `${rows[0]!.seq}/${rows.length}`;
    const strikes = (this.strikes.get(key) ?? 0) + 1;
    this.strikes.set(key, strikes);
    if (kind === 'unavailable' && strikes < 2) return retryLater(this.offline(message));
    if (rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      let sent = 0;
      for (const part of [rows.slice(0, half), rows.slice(half)]) {
        const pushed = await this.pushRows(part);
        if (!pushed.ok) return pushed;
        sent += pushed.value;
      }
      return ok(sent);
    }
    // Rows failing one after another with no push going through is the hub failing, not a row: wait.
    if (strikes >= MAX_ROW_FAILURES && this.setAsideInARow >= MAX_ROW_FAILURES) return retryLater(this.offline(message));
    if (strikes >= MAX_ROW_FAILURES) {
      this.strikes.delete(key);
      this.setAsideInARow++;
      this.options.outbox.markFailed(rows[0]!.seq, `中心 ${strikes} 次都未能接收此工单，已留存待处理（${message}）`, true);
      return ok(0);
    }
    // Tried again at once after an error the hub answered; after a lost connection, in the next round.
    return retryLater(kind === 'unavailable' ? this.offline(message) : ok(0));
  }

  /** Applies what the hub reports about this desk's tickets, in order, from the saved cursor. */
  private async pull(): Promise<Result<number>> {
    const { settings, tickets, db } = this.options;
    let applied = 0;
    for (;;) {
      const since = settings.get<number>(CURSOR_KEY, 0);
      const result = await this.call(() => this.options.hub.call('tickets.pull', { since, deskId: this.options.deskId, limit: 500 }));
      if (!result.ok) return result.error.kind === 'unavailable' ? this.offline(result.error.message) : result;
      const { events, cursor, more } = result.value;
      const at = this.now().toISOString();
      const changed = new Set<string>();
      db.transaction(() => {
        for (const event of events) {
          const local = tickets.get(event.ticketId);
          if (!local) continue; // pushed from this desk's id but not in this database (restored elsewhere)
          tickets.setHubState(event.ticketId, { status: event.status, unitCode: event.unitCode, deadlines: event.deadlines }, at);
          const known = tickets.events(event.ticketId).some((e) => e.kind === event.kind && e.at === event.at && e.note === event.note);
          if (!known) tickets.addEvent(event.ticketId, { kind: event.kind, at: event.at, actor: event.actor, note: event.note });
          changed.add(event.ticketId);
        }
        settings.set(CURSOR_KEY, Math.max(since, cursor));
      })();
      applied += events.length;
      if (changed.size > 0) this.options.onTickets?.([...changed]);
      if (!more || events.length === 0) break;
    }
    return ok(applied);
  }

  /** Takes the learned suggester's model when the hub's differs from the one kept (server/learned.ts). */
  private async pullModel(): Promise<Result<number>> {
    const file = this.options.learnedModel;
    if (!file) return ok(0);
    const result = await this.call(() => this.options.hub.call('model.pull', { have: file.version() }));
    // A hub too old to know the call: the desk keeps its model (or suggests from keywords) and syncs on.
    if (!result.ok) return result.error.kind === 'unavailable' ? this.offline(result.error.message) : ok(0);
    const model = result.value.model;
    if (!model) return ok(0);
    const saved = file.save(model.version, model.content);
    if (!saved.ok) {
      this.setState({ lastError: saved.error.message });
      return ok(0);
    }
    this.options.onReference?.();
    return ok(1);
  }

  /** Takes every reference kind whose hub version differs from this desk's, in dependency order. */
  private async pullReference(): Promise<Result<number>> {
    const { reference } = this.options;
    const version = (kind: (typeof REF_KINDS)[number]) => reference.versions.get(kind)?.version ?? null;
    const have = { places: version('places'), units: version('units'), catalogue: version('catalogue'), kb: version('kb') };
    const result = await this.call(() => this.options.hub.call('reference.pull', { have }));
    if (!result.ok) return result.error.kind === 'unavailable' ? this.offline(result.error.message) : result;
    const updates = [...result.value.updates].sort((a, b) => REF_KINDS.indexOf(a.kind) - REF_KINDS.indexOf(b.kind));
    let applied = 0;
    for (const update of updates) {
      // The hub checked the size before publishing (an admin forced a shrink on purpose); an empty
      // file is still refused. A version the desk's rules refuse stays out; the current one is kept whole.
      const imported = await reference.importFile(update.kind, new TextEncoder().encode(update.content), 'csv', `hub:${update.fileName}`, {
        version: update.version,
        force: true,
      });
      if (imported.ok) applied++;
      else this.setState({ lastError: imported.error.message });
    }
    if (applied > 0) this.options.onReference?.();
    return ok(applied);
  }
}
