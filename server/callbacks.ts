/**
 * 回访 at the hub: one callback call recorded once (by its callbackId, in ticket_callbacks), and
 * what it does to the ticket by shared/lifecycle/callback.ts — in one transaction under EVENTS_LOCK
 * (tickets.ts explains why every ticket_events writer takes it), with the ticket row locked and its
 * version checked as every move of loop.ts is:
 *
 * - 未联系上: a 回访 event noting the attempt; status, unit and deadlines unchanged (the ticket stays
 *   in the 回访 queue, to be tried again after the policy's retryAfterMinutes). The policy's
 *   maxAttempts-th failed attempt ends the callback as 无法联系.
 * - 无法联系 (or the last failed attempt): 已回访, the review checkpoint met, no satisfaction
 *   (tickets.callback_at stays null: no callback result for the rates of server/stats.ts).
 * - 联系上, 已解决 and 满意/基本满意: 已回访, as before.
 * - 联系上, 未解决 or 不满意: the 回访 event (the ticket's state before reopening, review met, the
 *   result), then a 重办 event: 已派单 to the same 主办 unit with a new ladder from now
 *   (reopenDeadlines) after the checkpoints the rounds before met (what they left open is dropped),
 *   tickets.reopen_count + 1. Past the policy's maxReopens the 重办 sends it to
 *   the center instead: 已退单, no unit, in the center's 待派 queue for review, 督办 or 重新派单
 *   (its ladder starts again with 派单 open, which the 重新派单 meets).
 * tickets.callback_resolved/satisfaction/at keep the latest contacted callback; ticket_callbacks
 * keeps every one (round = the reopen count when it was made).
 *
 * The 回访 queue (callbackQueue) is center-wide: tickets 已回复/已办结 with an open review_
 * checkpoint and no approved 不合理诉求, earliest review due first.
 */
import { randomUUID } from 'node:crypto';
import type { CallbackInput, CallbackQueueItem, CallbackResult, HubEvent, HubUser } from '../shared/api/hub-contract';
import type { TicketDeadline } from '../shared/api/contract';
import type { Urgency } from '../shared/domain/catalogue';
import type { Disposition } from '../shared/domain/ticket';
import { callbackNote, decideCallback, reopenNote, type CallbackPolicy, type CallbackRecord } from '../shared/lifecycle/callback';
import { deadlinesAfterMove, deadlinesOnSubmit, reopenDeadlines } from '../shared/lifecycle/deadlines';
import { MOVE_RULES, moveRefusal, type TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import type { SlaPolicy } from '../shared/sla/policy';
import type { Database, Sql } from './db';
import { currentUnitName, staleVersion } from './loop';
import { lockEvents } from './migrations';
import { EVENT_COLUMNS, toHubEvent } from './tickets';

interface LockedTicket {
  id: string;
  number: string;
  desk_id: string;
  status: TicketStatus;
  disposition: Disposition;
  urgency: Urgency;
  unit_code: string | null;
  dispatched_unit_code: string | null;
  deadlines: TicketDeadline[];
  names: { unit: string | null; handlingUnit?: string | null };
  version: number;
  reopen_count: number;
  unreasonable_at: string | null;
}

interface EventWrite {
  kind: HubEvent['kind'];
  note: string;
  status: TicketStatus;
  unitCode: string | null;
  deadlines: TicketDeadline[];
  callback: HubEvent['callback'];
}

async function writeEvent(tx: Sql, ticket: LockedTicket, at: string, actor: string, e: EventWrite): Promise<HubEvent> {
  const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(
    `WITH e AS (
       INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
       VALUES ($1::uuid, $2, 'hub', $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11)
       RETURNING *
     )
     SELECT ${EVENT_COLUMNS} FROM e JOIN tickets t ON t.id = e.ticket_id`,
    [ticket.id, ticket.desk_id, e.kind, at, actor, e.note, e.status, e.unitCode, JSON.stringify(e.deadlines), e.callback ? JSON.stringify(e.callback) : null, ticket.unit_code],
  );
  return toHubEvent(row!);
}

async function eventAt(tx: Sql, seq: number): Promise<HubEvent | null> {
  const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(`SELECT ${EVENT_COLUMNS} FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.seq = $1`, [seq]);
  return row ? toHubEvent(row) : null;
}

export interface CallbackDeps {
  policy: SlaPolicy;
  callbackPolicy: CallbackPolicy;
}

export async function recordCallback(db: Database, user: HubUser, input: CallbackInput, now: Date, deps: CallbackDeps): Promise<Result<CallbackResult>> {
  const at = now.toISOString();
  const callbackId = (input.callbackId ?? randomUUID()).toLowerCase();
  const record: CallbackRecord = {
    callbackId,
    outcome: input.outcome ?? '联系上',
    resolved: input.resolved,
    satisfaction: input.satisfaction,
    words: input.words ?? input.note,
    reason: input.reason,
  };
  return db.transaction(async (tx): Promise<Result<CallbackResult>> => {
    await lockEvents(tx);
    const [seen] = await tx.query<{ ticket_id: string; decision: CallbackResult['decision']; event_seq: number }>(
      'SELECT ticket_id::text AS ticket_id, decision, event_seq FROM ticket_callbacks WHERE id = $1::uuid',
      [callbackId],
    );
    if (seen) {
      if (seen.ticket_id !== input.ticketId.toLowerCase()) return fail('conflict', `回访编号 ${callbackId} 已用于另一张工单`);
      const first = await eventAt(tx, Number(seen.event_seq));
      const [next] = await tx.query<{ seq: number }>(
        `SELECT seq FROM ticket_events WHERE ticket_id = $1::uuid AND seq > $2 AND kind = '重办' ORDER BY seq LIMIT 1`,
        [seen.ticket_id, seen.event_seq],
      );
      const reopened = seen.decision === 'reopen' || seen.decision === 'to_center' ? next && (await eventAt(tx, Number(next.seq))) : null;
      const [current] = await tx.query<{ version: number; reopen_count: number }>('SELECT version, reopen_count FROM tickets WHERE id = $1::uuid', [seen.ticket_id]);
      return ok({ ...first!, callbackId, decision: seen.decision, reopened: reopened ?? null, duplicate: true, version: current!.version, reopenCount: current!.reopen_count });
    }

    const [ticket] = await tx.query<LockedTicket>(
      `SELECT id::text AS id, number, desk_id, status, disposition, urgency, unit_code, dispatched_unit_code, deadlines, names, version,
              reopen_count, unreasonable_at
         FROM tickets WHERE id = $1::uuid FOR UPDATE`,
      [input.ticketId.toLowerCase()],
    );
    if (!ticket) return fail('not_found', `中心没有这张工单（${input.ticketId}）`);
    if (input.version !== undefined && input.version !== ticket.version) return staleVersion(ticket, MOVE_RULES.callback.label);
    const refusal = moveRefusal('callback', { ...ticket, unitCode: ticket.unit_code }, { role: user.role, unitCode: user.unitCode });
    if (refusal) return fail(refusal.kind, refusal.message);
    if (ticket.unreasonable_at) return fail('conflict', `工单 ${ticket.number} 经市中心认定为不合理诉求后办结，不需回访`);

    const [{ attempts } = { attempts: 0 }] = await tx.query<{ attempts: number }>(
      `SELECT count(*)::int AS attempts FROM ticket_callbacks WHERE ticket_id = $1::uuid AND round = $2 AND outcome = '未联系上'`,
      [ticket.id, ticket.reopen_count],
    );
    const decision = decideCallback(record, { attempts, reopenCount: ticket.reopen_count }, deps.callbackPolicy);
    const contacted = record.outcome === '联系上' ? { resolved: record.resolved!, satisfaction: record.satisfaction! } : null;
    const reviewed = deadlinesAfterMove(ticket.deadlines, 'callback', ticket, at);

    let status: TicketStatus = ticket.status;
    let unitCode = ticket.unit_code;
    let deadlines = ticket.deadlines;
    let reopenCount = ticket.reopen_count;
    if (decision.kind === 'unreachable' || decision.kind === 'ended') {
      status = '已回访';
      deadlines = reviewed;
    }
    const callbackEvent = await writeEvent(tx, ticket, at, user.name, {
      kind: MOVE_RULES.callback.event,
      note: callbackNote(record, decision),
      status: decision.kind === 'attempt' ? ticket.status : decision.kind === 'reopen' || decision.kind === 'to_center' ? ticket.status : status,
      unitCode: ticket.unit_code,
      deadlines: decision.kind === 'attempt' ? ticket.deadlines : reviewed,
      callback: contacted,
    });
    let reopened: HubEvent | null = null;
    if (decision.kind === 'reopen' || decision.kind === 'to_center') {
      reopenCount = decision.reopenCount;
      const facts = { disposition: ticket.disposition, urgency: ticket.urgency };
      // The rounds before keep what they met (the rates of server/stats.ts read the first round's
      // 首次联系); what they left open is superseded by the new ladder.
      const kept = reviewed.filter((d) => d.doneAt !== null);
      if (decision.kind === 'reopen') {
        status = MOVE_RULES.reopen.to as TicketStatus;
        unitCode = ticket.unit_code ?? ticket.dispatched_unit_code;
        deadlines = [...kept, ...reopenDeadlines(deps.policy, facts, at)];
      } else {
        status = '已退单';
        unitCode = null;
        deadlines = [...kept, ...deadlinesOnSubmit(deps.policy, { ...facts, submittedAt: at })];
      }
      reopened = await writeEvent(tx, ticket, at, user.name, {
        kind: MOVE_RULES.reopen.event,
        note: reopenNote(record, decision, currentUnitName(ticket), deps.callbackPolicy),
        status,
        unitCode,
        deadlines,
        callback: null,
      });
    }
    const [updated] = await tx.query<{ version: number }>(
      `UPDATE tickets SET status = $2, unit_code = $3, deadlines = $4::jsonb, updated_at = $5, version = version + 1, reopen_count = $6,
              callback_resolved = CASE WHEN $7::boolean IS NULL THEN callback_resolved ELSE $7::boolean END,
              callback_satisfaction = COALESCE($8::text, callback_satisfaction),
              callback_at = CASE WHEN $7::boolean IS NULL THEN callback_at ELSE $5::timestamptz END
        WHERE id = $1::uuid RETURNING version`,
      [ticket.id, status, unitCode, JSON.stringify(deadlines), at, reopenCount, contacted?.resolved ?? null, contacted?.satisfaction ?? null],
    );
    await tx.query(
      `INSERT INTO ticket_callbacks (id, ticket_id, round, at, actor, outcome, resolved, satisfaction, words, reason, decision, event_seq)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        callbackId,
        ticket.id,
        ticket.reopen_count,
        at,
        user.name,
        record.outcome,
        contacted?.resolved ?? null,
        contacted?.satisfaction ?? null,
        record.words?.trim() ?? '',
        record.reason?.trim() ?? '',
        decision.kind,
        callbackEvent.seq,
      ],
    );
    return ok({ ...callbackEvent, callbackId, decision: decision.kind, reopened, duplicate: false, version: updated!.version, reopenCount });
  });
}

// ---- The 回访 queue ---------------------------------------------------------------------------

export const DEFAULT_CALLBACK_QUEUE = 100;

interface QueueRow {
  id: string;
  number: string;
  status: TicketStatus;
  version: number;
  urgency: Urgency;
  submitted_at: string;
  content: string;
  caller_name: string;
  caller_phone: string;
  callback_phone: string;
  unit_code: string | null;
  dispatched_unit_code: string | null;
  names: { unit: string | null; handlingUnit?: string | null };
  result: string | null;
  result_at: string | null;
  review_due: string | null;
  attempts: number;
  last_attempt: string | null;
  reopen_count: number;
}

export async function callbackQueue(db: Database, input: { limit?: number | undefined }, policy: CallbackPolicy): Promise<Result<CallbackQueueItem[]>> {
  const rows = await db.query<QueueRow>(
    `SELECT t.id::text AS id, t.number, t.status, t.version, t.urgency, t.submitted_at, t.content, t.caller_name, t.caller_phone,
            t.callback_phone, t.unit_code, t.dispatched_unit_code, t.names, t.reopen_count,
            r.note AS result, r.at AS result_at, rv.due AS review_due,
            COALESCE(a.attempts, 0) AS attempts, a.last_attempt
       FROM tickets t
       CROSS JOIN LATERAL (
         SELECT min((d->>'dueAt')::timestamptz) AS due FROM jsonb_array_elements(t.deadlines) d
          WHERE d->>'ruleId' LIKE 'review\\_%' AND d->>'doneAt' IS NULL
       ) rv
       LEFT JOIN LATERAL (
         SELECT e.note, e.at FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind IN ('办结', '回复') ORDER BY e.seq DESC LIMIT 1
       ) r ON true
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS attempts, max(c.at) AS last_attempt FROM ticket_callbacks c
          WHERE c.ticket_id = t.id AND c.round = t.reopen_count AND c.outcome = '未联系上'
       ) a ON true
      WHERE t.status IN ('已回复', '已办结') AND t.unreasonable_at IS NULL AND rv.due IS NOT NULL
      ORDER BY rv.due, t.number
      LIMIT $1`,
    [input.limit ?? DEFAULT_CALLBACK_QUEUE],
  );
  const phones = [...new Set(rows.map((r) => r.caller_phone).filter(Boolean))];
  const earlier = phones.length
    ? await db.query<{ id: string; number: string; submitted_at: string; status: TicketStatus; content: string; caller_phone: string }>(
        `SELECT x.id::text AS id, x.number, x.submitted_at, x.status, left(x.content, 80) AS content, x.caller_phone
           FROM unnest($1::text[]) p(phone)
           CROSS JOIN LATERAL (
             SELECT * FROM tickets WHERE caller_phone = p.phone ORDER BY submitted_at DESC LIMIT 6
           ) x`,
        [phones],
      )
    : [];
  const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
  return ok(
    rows.map((r) => {
      const last = iso(r.last_attempt);
      return {
        id: r.id,
        number: r.number,
        status: r.status,
        version: r.version,
        urgency: r.urgency,
        submittedAt: iso(r.submitted_at)!,
        content: r.content,
        callerName: r.caller_name,
        callerPhone: r.caller_phone,
        callbackPhone: r.callback_phone,
        unitCode: r.unit_code,
        unitName: currentUnitName(r),
        result: r.result ?? '',
        resultAt: iso(r.result_at),
        reviewDueAt: iso(r.review_due),
        attempts: r.attempts,
        lastAttemptAt: last,
        retryAfter: last ? new Date(Date.parse(last) + policy.retryAfterMinutes * 60_000).toISOString() : null,
        reopenCount: r.reopen_count,
        earlier: earlier
          .filter((e) => e.caller_phone === r.caller_phone && e.id !== r.id)
          .slice(0, 5)
          .map((e) => ({ number: e.number, submittedAt: iso(e.submitted_at)!, status: e.status, content: e.content })),
      };
    }),
  );
}
