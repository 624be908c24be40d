/**
 * 回访 on the desk (shared/api/callback-contract.ts): the queue of tickets waiting for a callback,
 * recording a callback call, and the outgoing-call hook.
 *
 * - callbacks.queue asks the hub (`callback.queue`, center-wide, through the sync client's hub
 *   session); while the hub cannot be reached it lists this desk's own tickets waiting for one
 *   (scope 'local'), which the renderer says.
 * - callbacks.record sends `ticket.callback` with a new callbackId. When the hub cannot be reached it
 *   waits in the outbox (a `ticket.callback` row, electron/services/tickets/outbox-payload.ts) — only
 *   for this desk's own tickets, the ones it holds — and the sync client sends it once the hub
 *   answers; the hub records a callbackId once (server/callbacks.ts), so a resend never doubles it.
 * - calls.outgoing is where a telephony adapter would dial the citizen. None is connected: it records
 *   the time the call-taker started the callback (the attempt's time on this desk) and answers
 *   dialed: false with the reason, and the call-taker dials by hand.
 */
import { randomUUID } from 'node:crypto';
import type { CallbackQueueItem } from '../../../shared/api/callback-contract';
import { DEFAULT_CALLBACK_POLICY } from '../../../shared/lifecycle/callback';
import { fail, ok, type Result } from '../../../shared/result';
import type { SyncClient } from '../sync/sync-client';
import type { TicketService } from '../tickets/ticket-service';
import type { DeskContext, DeskHandlers } from './context';

/** How long the queue waits for the hub before it answers from this desk's own tickets. */
export const CALLBACK_HUB_WAIT_MS = 3000;
export const NO_TELEPHONY = '未接入电话系统，请手动拨打';

export interface CallbackDeps {
  sync: () => SyncClient | null;
  tickets: TicketService;
  operatorName: () => string;
  now: () => Date;
  /** After a callback waits in the outbox: the 待同步 count refreshes. */
  ticketsChanged: (ids: string[]) => void;
  /** A name for a unit code (the desk's reference data). */
  unitName: (code: string | null) => string | null;
}

async function withTimeout<T>(run: () => Promise<Result<T>>, waitMs: number): Promise<Result<T> | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
  try {
    return await Promise.race([run(), late]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

const offline = (kind: string) => kind === 'unavailable' || kind === 'unauthorized';

export function callbackHandlers(_context: DeskContext, deps: CallbackDeps, waitMs = CALLBACK_HUB_WAIT_MS): DeskHandlers<'callbacks.queue' | 'callbacks.record' | 'calls.outgoing'> {
  const dialed = new Map<string, string>();

  /** This desk's own tickets waiting for a callback, as the queue shows them. */
  const localQueue = (): CallbackQueueItem[] =>
    deps.tickets.awaitingCallback(100).map((t) => {
      const events = deps.tickets.tickets.events(t.id);
      const result = [...events].reverse().find((e) => e.kind === '办结' || e.kind === '回复') ?? null;
      const attempts = events.filter((e) => e.kind === '回访' && e.note.startsWith('回访未联系上'));
      const reopenCount = events.filter((e) => e.kind === '重办').length;
      const since = [...events].reverse().find((e) => e.kind === '重办')?.at ?? '';
      const round = attempts.filter((e) => e.at >= since);
      const last = round.at(-1)?.at ?? null;
      return {
        id: t.id,
        number: t.officialNumber ?? t.provisionalNumber,
        status: t.status,
        version: 0,
        urgency: t.urgency,
        submittedAt: t.submittedAt,
        content: t.content,
        callerName: t.callerName,
        callerPhone: t.callerPhone,
        callbackPhone: t.callbackPhone,
        unitCode: t.unitCode,
        unitName: deps.unitName(t.unitCode),
        result: result?.note ?? '',
        resultAt: result?.at ?? null,
        reviewDueAt: t.deadlines.filter((d) => d.ruleId.startsWith('review_') && !d.doneAt).map((d) => d.dueAt).sort()[0] ?? null,
        attempts: round.length,
        lastAttemptAt: last,
        retryAfter: last ? new Date(Date.parse(last) + DEFAULT_CALLBACK_POLICY.retryAfterMinutes * 60_000).toISOString() : null,
        reopenCount,
        earlier: deps.tickets.tickets
          .history(t.callerPhone, 6)
          .filter((h) => h.id !== t.id)
          .slice(0, 5)
          .map((h) => ({ number: h.officialNumber ?? h.provisionalNumber, submittedAt: h.submittedAt, status: h.status, content: h.content.slice(0, 80) })),
      };
    });

  return {
    'callbacks.queue': async () => {
      const client = deps.sync();
      if (client) {
        const answer = await withTimeout(() => client.callHub('callback.queue', {}), waitMs);
        if (answer?.ok) return ok({ scope: 'center' as const, items: answer.value });
        if (answer && !answer.ok && !offline(answer.error.kind)) return fail(answer.error.kind, answer.error.message);
      }
      return ok({ scope: 'local' as const, items: localQueue() });
    },
    'callbacks.record': async (input) => {
      const { version, ...record } = input;
      const callback = { ...record, ticketId: input.ticketId.toLowerCase(), callbackId: randomUUID() };
      const client = deps.sync();
      if (client) {
        const sent = await withTimeout(() => client.callHub('ticket.callback', { ...callback, ...(version !== undefined && version > 0 ? { version } : {}) }), waitMs * 2);
        if (sent?.ok) {
          client.nudge(); // the 回访 / 重办 events come back through the next pull
          return ok({ number: sent.value.number, queued: false, decision: sent.value.decision, status: sent.value.reopened?.status ?? sent.value.status, reopenCount: sent.value.reopenCount });
        }
        if (sent && !sent.ok && !offline(sent.error.kind)) return fail(sent.error.kind, sent.error.message);
      }
      const at = dialed.get(callback.ticketId) ?? deps.now().toISOString();
      const queued = deps.tickets.queueCallback(callback.ticketId, { ...callback, at, actor: deps.operatorName() });
      if (!queued.ok) return fail(queued.error.kind, queued.error.message);
      dialed.delete(callback.ticketId);
      deps.ticketsChanged([callback.ticketId]);
      return ok({ number: queued.value.number, queued: true, decision: null, status: null, reopenCount: null });
    },
    'calls.outgoing': async ({ ticketId }) => {
      const at = deps.now().toISOString();
      dialed.set(ticketId.toLowerCase(), at);
      return ok({ dialed: false, at, reason: NO_TELEPHONY });
    },
  };
}
