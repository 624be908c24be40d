/**
 * The closed loop on the hub, minimal: a unit's queue, and the moves a ticket makes after dispatch.
 *
 *   已派单 ─接单→ 已接单 ─回复→ 已回复 ─办结→ 已办结 ─回访→ 已回访
 *     └──────┴─退单→ 已退单 (unit cleared: back in the center's queue)      (已接单 may 办结 directly)
 *
 * | move     | from            | to     | checkpoint marked done | also                         |
 * |----------|-----------------|--------|------------------------|------------------------------|
 * | accept   | 已派单          | 已接单 | contact_*              | accepted_at (response rate)  |
 * | return   | 已派单, 已接单  | 已退单 | —                      | unit_code cleared, reason    |
 * | reply    | 已接单          | 已回复 | qualify_*              |                              |
 * | close    | 已接单, 已回复  | 已办结 | close_*                |                              |
 * | callback | 已办结 (派出的) | 已回访 | review_*               | resolved, satisfaction       |
 *
 * Checks, in order: the ticket exists (not_found); a unit operator acts only on tickets whose
 * current unit is theirs (forbidden — a returned ticket has no unit, so it is no longer theirs);
 * the move is allowed from the current status (conflict). Each move is one transaction: it takes
 * EVENTS_LOCK (tickets.ts explains why every ticket_events writer does), locks the ticket row,
 * checks, updates the ticket and writes one ticket_events row (source 'hub', actor = the user's
 * name) carrying the ticket's status, unit and deadlines after the move. A refused move writes
 * nothing.
 */
import type { TicketDeadline } from '../shared/api/contract';
import type { HubEvent, HubTicket, HubUser } from '../shared/api/hub-contract';
import type { Disposition, TicketEventKind, TicketStatus } from '../shared/domain/ticket';
import { fail, ok, type Result } from '../shared/result';
import type { Database } from './db';
import { EVENTS_LOCK } from './migrations';
import { DISPATCHING, EVENT_COLUMNS, toHubEvent } from './tickets';

export type LoopMove =
  | { move: 'accept' }
  | { move: 'return'; reason: string }
  | { move: 'reply'; reply: string }
  | { move: 'close'; note?: string | undefined }
  | { move: 'callback'; resolved: boolean; satisfaction: '满意' | '基本满意' | '不满意'; note?: string | undefined };

interface MoveRule {
  from: readonly TicketStatus[];
  to: TicketStatus;
  kind: TicketEventKind;
  label: string;
  checkpoint: string | null;
}

const RULES: Record<LoopMove['move'], MoveRule> = {
  accept: { from: ['已派单'], to: '已接单', kind: '接单', label: '接单', checkpoint: 'contact_' },
  return: { from: ['已派单', '已接单'], to: '已退单', kind: '退单', label: '退单', checkpoint: null },
  reply: { from: ['已接单'], to: '已回复', kind: '回复', label: '答复', checkpoint: 'qualify_' },
  close: { from: ['已接单', '已回复'], to: '已办结', kind: '办结', label: '办结', checkpoint: 'close_' },
  callback: { from: ['已办结'], to: '已回访', kind: '回访', label: '回访', checkpoint: 'review_' },
};

interface LockedTicket {
  id: string;
  number: string;
  desk_id: string;
  status: TicketStatus;
  disposition: Disposition;
  unit_code: string | null;
  deadlines: TicketDeadline[];
  names: { unit: string | null };
}

function markDone(deadlines: readonly TicketDeadline[], prefix: string | null, at: string): TicketDeadline[] {
  if (!prefix) return [...deadlines];
  return deadlines.map((d) => (d.ruleId.startsWith(prefix) && d.doneAt === null ? { ...d, doneAt: at } : d));
}

function noteFor(move: LoopMove, ticket: LockedTicket): string {
  switch (move.move) {
    case 'accept':
      return `${ticket.names.unit ?? ticket.unit_code ?? '承办单位'}接单`;
    case 'return':
      return `退单：${move.reason.trim()}`;
    case 'reply':
      return move.reply.trim();
    case 'close':
      return move.note?.trim() || '办结';
    case 'callback':
      return `回访：${move.resolved ? '已解决' : '未解决'}，${move.satisfaction}${move.note?.trim() ? `；${move.note.trim()}` : ''}`;
  }
}

export async function applyMove(db: Database, user: HubUser, ticketId: string, move: LoopMove, now: Date): Promise<Result<HubEvent>> {
  const rule = RULES[move.move];
  const at = now.toISOString();
  return db.transaction(async (tx): Promise<Result<HubEvent>> => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EVENTS_LOCK]);
    const [ticket] = await tx.query<LockedTicket>(
      `SELECT id::text AS id, number, desk_id, status, disposition, unit_code, deadlines, names
         FROM tickets WHERE id = $1::uuid FOR UPDATE`,
      [ticketId.toLowerCase()],
    );
    if (!ticket) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (user.role === 'unit_operator' && ticket.unit_code !== user.unitCode) {
      return fail(
        'forbidden',
        ticket.status === '已退单'
          ? `工单 ${ticket.number} 已退回中心，不再由本单位办理`
          : `工单 ${ticket.number} 不属于本单位（${user.unitCode}），不能${rule.label}`,
      );
    }
    if (!rule.from.includes(ticket.status)) {
      return fail('conflict', `工单 ${ticket.number} 当前为“${ticket.status}”，不能${rule.label}（只有${rule.from.map((s) => `“${s}”`).join('、')}的工单可以）`);
    }
    if (move.move === 'callback' && !DISPATCHING.has(ticket.disposition)) {
      return fail('conflict', `工单 ${ticket.number} 为“${ticket.disposition}”，坐席当场了结，不需回访`);
    }

    const deadlines = markDone(ticket.deadlines, rule.checkpoint, at);
    const unitCode = move.move === 'return' ? null : ticket.unit_code;
    const callback = move.move === 'callback' ? { resolved: move.resolved, satisfaction: move.satisfaction } : null;
    await tx.query(
      `UPDATE tickets SET
         status = $2, unit_code = $3, deadlines = $4::jsonb, updated_at = $5,
         accepted_at = CASE WHEN $6::boolean THEN COALESCE(accepted_at, $5::timestamptz) ELSE accepted_at END,
         callback_resolved = COALESCE($7::boolean, callback_resolved),
         callback_satisfaction = COALESCE($8::text, callback_satisfaction),
         callback_at = CASE WHEN $7::boolean IS NULL THEN callback_at ELSE $5::timestamptz END
       WHERE id = $1::uuid`,
      [ticket.id, rule.to, unitCode, JSON.stringify(deadlines), at, move.move === 'accept', callback?.resolved ?? null, callback?.satisfaction ?? null],
    );
    const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(
      `WITH e AS (
         INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
         VALUES ($1::uuid, $2, 'hub', $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)
         RETURNING *
       )
       SELECT ${EVENT_COLUMNS} FROM e JOIN tickets t ON t.id = e.ticket_id`,
      [ticket.id, ticket.desk_id, rule.kind, at, user.name, noteFor(move, ticket), rule.to, unitCode, JSON.stringify(deadlines), callback ? JSON.stringify(callback) : null],
    );
    return ok(toHubEvent(row!));
  });
}

// ---- Queue ------------------------------------------------------------------------------------

/** What a unit still has to work on when no status is asked for. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['已派单', '已接单', '已回复'];
export const DEFAULT_QUEUE_LIMIT = 100;

interface QueueRow {
  id: string;
  number: string;
  status: TicketStatus;
  disposition: Disposition;
  unit_code: string | null;
  leaf_code: string | null;
  urgency: HubTicket['urgency'];
  district_code: string | null;
  street_code: string | null;
  submitted_at: string;
  content: string;
  caller_name: string;
  deadlines: TicketDeadline[];
}

export async function unitQueue(
  db: Database,
  user: HubUser,
  input: { unitCode?: string | undefined; status?: TicketStatus | undefined; limit?: number | undefined },
): Promise<Result<HubTicket[]>> {
  let unitCode = input.unitCode ?? null;
  if (user.role === 'unit_operator') {
    if (unitCode !== null && unitCode !== user.unitCode) return fail('forbidden', `只能查看本单位（${user.unitCode}）的工单`);
    unitCode = user.unitCode;
  }
  const statuses = input.status ? [input.status] : OPEN_STATUSES;
  const rows = await db.query<QueueRow>(
    `SELECT id::text AS id, number, status, disposition, unit_code, leaf_code, urgency, district_code, street_code,
            submitted_at, content, caller_name, deadlines
       FROM tickets
      WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR unit_code = $2)
      ORDER BY submitted_at, number
      LIMIT $3`,
    [statuses, unitCode, input.limit ?? DEFAULT_QUEUE_LIMIT],
  );
  return ok(
    rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      disposition: r.disposition,
      unitCode: r.unit_code,
      leafCode: r.leaf_code,
      urgency: r.urgency,
      districtCode: r.district_code,
      streetCode: r.street_code,
      submittedAt: r.submitted_at,
      content: r.content,
      callerName: r.caller_name,
      deadlines: r.deadlines,
    })),
  );
}
