/**
 * What the workspace does besides the lifecycle's moves (loop.ts), each checked on the hub — role,
 * ownership, status, the version the person saw — with a named error and nothing written on refusal:
 * - 申请延期: the unit holding an accepted ticket asks for a later 办结 date with its reason; one
 *   request waits at a time, in the center's 待审 queue;
 * - 申请认定不合理诉求: the unit holding a ticket (已派单, 已接单 or 已回复) asks the center to find the
 *   claim unreasonable, with its reason and evidence; again one request of any kind waits at a time;
 * - a request never outlives its unit's hold on the ticket: a 退单, 办结, 转派 or 重新派单 away from
 *   that unit withdraws it (status 'withdrawn', migration 7), with a trail event saying so;
 * - 审核: the city center approves (an extension: the open 办结 checkpoint moves to the end of the new
 *   date, shared/lifecycle/deadlines.ts; an unreasonable claim: the ticket ends 已办结 with
 *   tickets.unreasonable_at set — no callback, out of the unit's rates in stats.ts — and its open
 *   checkpoints are dropped, not marked met: no move met them, and a met one would count as on time;
 *   those already met stay) or refuses with its reason (the unit keeps working the ticket);
 * - every request and decision is a ticket_events row (延期申请, 延期审核, 不合理申请, 不合理审核)
 *   carrying the status, unit and deadlines after it, so the trail and the desks' pull have it;
 * - 督办: the city center raises a level of resources/policy/supervision.json with a note — a trail
 *   event (the desk pulls it) and a banner on the ticket until its unit acts (loop.ts clears it);
 * - autoRemind: the hub's timer (and tests) remind each overdue checkpoint once, at the policy's level.
 */
import type { TicketDeadline } from '../shared/api/contract';
import type { HubEvent, HubUser, RequestKind } from '../shared/api/hub-contract';
import { extendDeadlines, extensionProblem } from '../shared/lifecycle/deadlines';
import { autoRemindDue, type SupervisionBanner, type SupervisionPolicy } from '../shared/lifecycle/supervision';
import { UNIT_OPEN_STATUSES, type TicketEventKind, type TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import { workRoleOf } from '../shared/workspace/roles';
import type { Database, Sql } from './db';
import { currentUnitName, staleVersion } from './loop';
import { lockEvents } from './migrations';
import { EVENT_COLUMNS, toHubEvent } from './tickets';
import type { UnitDirectory } from './units';

export const REQUEST_LABEL: Record<RequestKind, string> = { extension: '延期', unreasonable: '认定不合理诉求' };
/** The statuses in which a unit has accepted a ticket and is working it. */
const WORKING: readonly TicketStatus[] = ['已接单', '已回复'];
/** The statuses in which the unit holding a ticket may apply to have it found an unreasonable claim. */
const UNREASONABLE_FROM: readonly TicketStatus[] = ['已派单', '已接单', '已回复'];

interface Locked {
  id: string;
  number: string;
  desk_id: string;
  status: TicketStatus;
  unit_code: string | null;
  dispatched_unit_code: string | null;
  deadlines: TicketDeadline[];
  names: { unit: string | null; handlingUnit?: string | null };
  version: number;
  supervision: SupervisionBanner | null;
  reminded_rules: string[];
}

async function lockTicket(tx: Sql, ticketId: string): Promise<Locked | null> {
  await lockEvents(tx);
  const [row] = await tx.query<Locked>(
    `SELECT id::text AS id, number, desk_id, status, unit_code, dispatched_unit_code, deadlines, names, version, supervision, reminded_rules
       FROM tickets WHERE id = $1::uuid FOR UPDATE`,
    [ticketId.toLowerCase()],
  );
  return row ?? null;
}

/** Whether this person works for the city center (or is an admin): the one who decides and supervises. */
function isCenter(user: HubUser, directory: UnitDirectory): boolean {
  const kind = user.unitCode ? (directory.units.get(user.unitCode)?.kind ?? null) : null;
  const role = workRoleOf(user.role, kind);
  return role === 'center' || role === 'admin';
}

/** The named conflict when a request of any kind already waits for the center on this ticket, else null. */
async function pendingRequest(tx: Sql, t: Locked): Promise<Result<never> | null> {
  const [pending] = await tx.query<{ kind: RequestKind }>(`SELECT kind FROM ticket_requests WHERE ticket_id = $1::uuid AND status = 'pending' LIMIT 1`, [t.id]);
  return pending ? fail('conflict', `工单 ${t.number} 已有待市中心审核的${REQUEST_LABEL[pending.kind]}申请，请等待审核结果`) : null;
}

interface EventFacts {
  kind: TicketEventKind;
  at: string;
  actor: string;
  note: string;
  /** The unit that made the move (ticket_events.from_unit_code), as loop.ts records it. */
  fromUnit: string | null;
  /** The ticket after the event, where it differs from the locked row. */
  status?: TicketStatus;
  deadlines?: TicketDeadline[];
}

/** One hub event on the ticket, with its status, unit and deadlines after (the desks pull it). The caller holds EVENTS_LOCK. */
async function writeEvent(tx: Sql, t: Locked, e: EventFacts): Promise<HubEvent> {
  const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(
    `WITH e AS (
       INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
       VALUES ($1::uuid, $2, 'hub', $3, $4, $5, $6, $7, $8, $9::jsonb, NULL, $10)
       RETURNING *
     )
     SELECT ${EVENT_COLUMNS} FROM e JOIN tickets t ON t.id = e.ticket_id`,
    [t.id, t.desk_id, e.kind, e.at, e.actor, e.note, e.status ?? t.status, t.unit_code, JSON.stringify(e.deadlines ?? t.deadlines), e.fromUnit],
  );
  return toHubEvent(row!);
}

/**
 * A waiting request does not outlive its unit's hold on the ticket: when that unit returns (退单) or
 * closes (办结) it, or it is forwarded or re-dispatched away from that unit, loop.ts calls this in the
 * move's transaction (it holds EVENTS_LOCK and the ticket row). Each such request becomes
 * 'withdrawn' and the trail says so — a 延期审核/不合理审核 event (source hub, the desks pull it)
 * carrying the ticket's state after the move. Answers how many it withdrew.
 */
export async function withdrawPending(
  tx: Sql,
  ticket: { id: string; desk_id: string; unit_code: string | null },
  after: { status: TicketStatus; unitCode: string | null; deadlines: TicketDeadline[] },
  why: string,
  actor: string,
  at: string,
): Promise<number> {
  if (after.unitCode === ticket.unit_code && UNIT_OPEN_STATUSES.includes(after.status)) return 0;
  const withdrawn = await tx.query<{ kind: RequestKind; unit_code: string }>(
    `UPDATE ticket_requests SET status = 'withdrawn', decided_at = $2, decided_by = $3,
            decision_note = $4 || CASE kind WHEN 'extension' THEN '延期' ELSE '认定不合理诉求' END || '申请自动撤销'
      WHERE ticket_id = $1::uuid AND status = 'pending'
      RETURNING kind, unit_code`,
    [ticket.id, at, actor, `${why}，`],
  );
  for (const request of withdrawn) {
    await tx.query(
      `INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
       VALUES ($1::uuid, $2, 'hub', $3, $4, $5, $6, $7, $8, $9::jsonb, NULL, $10)`,
      [
        ticket.id,
        ticket.desk_id,
        request.kind === 'extension' ? '延期审核' : '不合理审核',
        at,
        actor,
        `${why}，${REQUEST_LABEL[request.kind]}申请自动撤销`,
        after.status,
        after.unitCode,
        JSON.stringify(after.deadlines),
        request.unit_code,
      ],
    );
  }
  return withdrawn.length;
}

/** Who may take these actions on this ticket now (the workspace shows just these). */
export function actionsFor(
  user: HubUser,
  directory: UnitDirectory,
  ticket: { status: TicketStatus; unitCode: string | null; pending: { kind: RequestKind } | null },
): Array<'extend' | 'decide' | 'supervise' | 'unreasonable'> {
  const out: Array<'extend' | 'decide' | 'supervise' | 'unreasonable'> = [];
  const holder = user.role === 'unit_operator' && user.unitCode !== null && user.unitCode === ticket.unitCode;
  if (holder && WORKING.includes(ticket.status) && !ticket.pending) out.push('extend');
  if (holder && UNREASONABLE_FROM.includes(ticket.status) && !ticket.pending) out.push('unreasonable');
  if (isCenter(user, directory)) {
    if (ticket.pending) out.push('decide');
    if (ticket.unitCode && UNIT_OPEN_STATUSES.includes(ticket.status)) out.push('supervise');
  }
  return out;
}

export interface ExtendInput {
  reason: string;
  newDate: string;
  version?: number | undefined;
}

/** 申请延期 by the unit holding the ticket. */
export async function applyExtension(db: Database, user: HubUser, ticketId: string, input: ExtendInput, now: Date): Promise<Result<{ number: string; version: number }>> {
  return db.transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId);
    if (!t) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (input.version !== undefined && input.version !== t.version) return staleVersion(t, '申请延期');
    if (user.role !== 'unit_operator' || user.unitCode !== t.unit_code) {
      return fail('forbidden', `工单 ${t.number} 不由本单位（${user.unitCode ?? user.username}）办理，不能申请延期`);
    }
    if (!WORKING.includes(t.status)) return fail('conflict', `工单 ${t.number} 当前为“${t.status}”，接单后才能申请延期`);
    const waiting = await pendingRequest(tx, t);
    if (waiting) return waiting;
    const problem = extensionProblem(t.deadlines, input.newDate, now);
    if (problem) return fail('rejected', `工单 ${t.number} 不能申请延期：${problem}`);
    const at = now.toISOString();
    const reason = input.reason.trim();
    await tx.query(
      `INSERT INTO ticket_requests (ticket_id, kind, unit_code, at, actor, user_id, reason, new_date) VALUES ($1::uuid, 'extension', $2, $3, $4, $5::uuid, $6, $7)`,
      [t.id, t.unit_code, at, user.name, user.id, reason, input.newDate],
    );
    // The unit acted: its 督办 banner goes (the trail keeps it).
    await tx.query(`UPDATE tickets SET version = version + 1, supervision = NULL, updated_at = $2 WHERE id = $1::uuid`, [t.id, at]);
    await writeEvent(tx, t, { kind: '延期申请', at, actor: user.name, note: `申请延期至 ${input.newDate}：${reason}`, fromUnit: t.unit_code });
    return ok({ number: t.number, version: t.version + 1 });
  });
}

export interface UnreasonableInput {
  reason: string;
  evidence: string;
  version?: number | undefined;
}

/** 申请认定不合理诉求 by the unit holding the ticket, with its reason and evidence. */
export async function requestUnreasonable(
  db: Database,
  user: HubUser,
  ticketId: string,
  input: UnreasonableInput,
  now: Date,
): Promise<Result<{ number: string; version: number }>> {
  const label = '申请认定不合理诉求';
  return db.transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId);
    if (!t) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (input.version !== undefined && input.version !== t.version) return staleVersion(t, label);
    if (user.role !== 'unit_operator' || !user.unitCode || user.unitCode !== t.unit_code) {
      return fail('forbidden', `工单 ${t.number} 不由本单位（${user.unitCode ?? user.username}）办理，不能${label}`);
    }
    if (!UNREASONABLE_FROM.includes(t.status)) {
      return fail('conflict', `工单 ${t.number} 当前为“${t.status}”，不能${label}（只有${UNREASONABLE_FROM.map((s) => `“${s}”`).join('、')}的工单可以）`);
    }
    const waiting = await pendingRequest(tx, t);
    if (waiting) return waiting;
    const at = now.toISOString();
    const [reason, evidence] = [input.reason.trim(), input.evidence.trim()];
    await tx.query(
      `INSERT INTO ticket_requests (ticket_id, kind, unit_code, at, actor, user_id, reason, evidence) VALUES ($1::uuid, 'unreasonable', $2, $3, $4, $5::uuid, $6, $7)`,
      [t.id, t.unit_code, at, user.name, user.id, reason, evidence],
    );
    // The unit acted: its 督办 banner goes (the trail keeps it).
    await tx.query(`UPDATE tickets SET version = version + 1, supervision = NULL, updated_at = $2 WHERE id = $1::uuid`, [t.id, at]);
    await writeEvent(tx, t, { kind: '不合理申请', at, actor: user.name, note: `申请认定不合理诉求：${reason}；证据：${evidence}`, fromUnit: t.unit_code });
    return ok({ number: t.number, version: t.version + 1 });
  });
}

export interface DecideInput {
  kind: RequestKind;
  approve: boolean;
  reason: string;
  version?: number | undefined;
}

/** 审核 by the city center of the ticket's pending request of this kind. */
export async function decideRequest(
  db: Database,
  user: HubUser,
  directory: UnitDirectory,
  ticketId: string,
  input: DecideInput,
  now: Date,
): Promise<Result<{ number: string; version: number }>> {
  const label = `审核${REQUEST_LABEL[input.kind]}申请`;
  if (!isCenter(user, directory)) return fail('forbidden', `只有市中心可以${label}`);
  return db.transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId);
    if (!t) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (input.version !== undefined && input.version !== t.version) return staleVersion(t, label);
    const [request] = await tx.query<{ id: string; new_date: string | null; unit_code: string }>(
      `SELECT id::text AS id, new_date, unit_code FROM ticket_requests WHERE ticket_id = $1::uuid AND kind = $2 AND status = 'pending'`,
      [t.id, input.kind],
    );
    if (!request) return fail('conflict', `工单 ${t.number} 没有待审核的${REQUEST_LABEL[input.kind]}申请`);
    let deadlines = t.deadlines;
    let status = t.status;
    if (input.kind === 'extension' && input.approve) {
      if (!WORKING.includes(t.status)) return fail('conflict', `工单 ${t.number} 当前为“${t.status}”，不能再延期；请不予批准`);
      const problem = extensionProblem(t.deadlines, request.new_date!, now);
      if (problem) return fail('rejected', `工单 ${t.number} 不能按申请延期：${problem}；请不予批准`);
      deadlines = extendDeadlines(t.deadlines, request.new_date!);
    }
    if (input.kind === 'unreasonable' && input.approve) {
      // Only while the unit that asked still holds it open (it may have returned or closed it since).
      if (!UNREASONABLE_FROM.includes(t.status) || t.unit_code !== request.unit_code) {
        return fail('conflict', `工单 ${t.number} 当前为“${t.status}”${currentUnitName(t) ? `（${currentUnitName(t)}）` : ''}，已不由申请单位办理；请不予批准`);
      }
      // The ticket ends here: the checkpoints still open are dropped (no move met them), the met ones stay.
      deadlines = t.deadlines.filter((d) => d.doneAt !== null);
      status = '已办结';
    }
    const at = now.toISOString();
    const note = input.reason.trim();
    await tx.query(`UPDATE ticket_requests SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5 WHERE id = $1`, [
      request.id,
      input.approve ? 'approved' : 'refused',
      at,
      user.name,
      note,
    ]);
    const ended = status !== t.status;
    await tx.query(
      `UPDATE tickets SET version = version + 1, deadlines = $2::jsonb, updated_at = $3, status = $4,
              unreasonable_at = CASE WHEN $5::boolean THEN $3::timestamptz ELSE unreasonable_at END,
              supervision = CASE WHEN $5::boolean THEN NULL ELSE supervision END
        WHERE id = $1::uuid`,
      [t.id, JSON.stringify(deadlines), at, status, ended],
    );
    const verdict = input.approve ? '批准' : '不予批准';
    const what = input.kind === 'extension' ? `延期至 ${request.new_date}` : ended ? '认定不合理诉求，工单办结' : '认定不合理诉求，请承办单位继续办理';
    await writeEvent(tx, t, {
      kind: input.kind === 'extension' ? '延期审核' : '不合理审核',
      at,
      actor: user.name,
      note: `${verdict}${what}${note ? `：${note}` : ''}`,
      fromUnit: t.unit_code,
      status,
      deadlines,
    });
    return ok({ number: t.number, version: t.version + 1 });
  });
}

export interface SuperviseInput {
  level: string;
  note: string;
  version?: number | undefined;
}

async function writeSupervision(tx: Sql, t: Locked, banner: SupervisionBanner, remindedRule: string | null): Promise<HubEvent> {
  await tx.query(
    `UPDATE tickets SET supervision = $2::jsonb, version = version + 1, updated_at = $3,
            reminded_rules = CASE WHEN $4::text IS NULL THEN reminded_rules ELSE array_append(reminded_rules, $4::text) END
      WHERE id = $1::uuid`,
    [t.id, JSON.stringify(banner), banner.at, remindedRule],
  );
  return writeEvent(tx, t, { kind: '督办', at: banner.at, actor: banner.actor, note: `【${banner.label}】${currentUnitName(t) ?? ''}：${banner.note}`, fromUnit: null });
}

/** 督办 by the city center on an open ticket held by a unit. */
export async function supervise(
  db: Database,
  user: HubUser,
  directory: UnitDirectory,
  policy: SupervisionPolicy,
  ticketId: string,
  input: SuperviseInput,
  now: Date,
): Promise<Result<HubEvent>> {
  if (!isCenter(user, directory)) return fail('forbidden', '只有市中心可以督办');
  const level = policy.levels.find((l) => l.id === input.level);
  if (!level) return fail('rejected', `督办等级“${input.level}”不在督办策略中（${policy.levels.map((l) => l.label).join('、')}）`);
  return db.transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId);
    if (!t) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (input.version !== undefined && input.version !== t.version) return staleVersion(t, '督办');
    if (!t.unit_code || !UNIT_OPEN_STATUSES.includes(t.status)) return fail('conflict', `工单 ${t.number} 当前为“${t.status}”，没有在办的承办单位，不能督办`);
    const banner: SupervisionBanner = { level: level.id, label: level.label, note: input.note.trim(), at: now.toISOString(), actor: user.name, auto: false };
    return ok(await writeSupervision(tx, t, banner, null));
  });
}

export const AUTO_REMIND_ACTOR = '市中心（超期自动提醒）';
const AUTO_REMIND_BATCH = 500;

/**
 * Reminds every open ticket with an overdue checkpoint by the policy (autoRemindDue): one 督办 event
 * at the policy's level per overdue checkpoint, never while a banner is up. The hub runs it on a
 * timer (policy.autoRemind.everyMinutes); answers how many tickets it reminded.
 */
export async function autoRemind(db: Database, policy: SupervisionPolicy, now: Date): Promise<number> {
  if (!policy.autoRemind.enabled) return 0;
  const level = policy.levels.find((l) => l.id === policy.autoRemind.level)!;
  const limit = new Date(now.getTime() - policy.autoRemind.afterOverdueMinutes * 60_000).toISOString();
  const candidates = await db.query<{ id: string }>(
    `SELECT t.id::text AS id FROM tickets t
      WHERE t.status = ANY($1::text[]) AND t.unit_code IS NOT NULL AND t.supervision IS NULL
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(t.deadlines) d
                     WHERE d->>'doneAt' IS NULL AND (d->>'dueAt')::timestamptz <= $2::timestamptz
                       AND d->>'ruleId' NOT LIKE 'review\_%' AND NOT (d->>'ruleId' = ANY(t.reminded_rules)))
      ORDER BY t.submitted_at LIMIT ${AUTO_REMIND_BATCH}`,
    [UNIT_OPEN_STATUSES, limit],
  );
  let reminded = 0;
  for (const { id } of candidates) {
    const done = await db.transaction(async (tx) => {
      const t = await lockTicket(tx, id);
      if (!t || !t.unit_code || !UNIT_OPEN_STATUSES.includes(t.status)) return false;
      const due = autoRemindDue(t.deadlines, t.supervision, t.reminded_rules, policy, now);
      if (!due) return false;
      const dueText = new Date(due.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
      const banner: SupervisionBanner = {
        level: level.id,
        label: level.label,
        note: `${due.label}已于 ${dueText} 到期，请尽快办理`,
        at: now.toISOString(),
        actor: AUTO_REMIND_ACTOR,
        auto: true,
        ruleId: due.ruleId,
      };
      await writeSupervision(tx, t, banner, due.ruleId);
      return true;
    });
    if (done) reminded++;
  }
  return reminded;
}
