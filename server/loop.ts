/**
 * The closed loop on the hub: a unit's queue, and the moves a ticket makes after dispatch. Which
 * moves exist, who may make them, from which statuses, what follows and which deadline checkpoints
 * each meets are the lifecycle's (shared/lifecycle/ticket-lifecycle.ts); this file applies them.
 *
 * Checks, in order: the ticket exists (not_found); the lifecycle's moveRefusal — a unit operator
 * acts only on tickets whose current unit is theirs (forbidden: a returned ticket has no unit, so it
 * is no longer theirs), and the move must be allowed from the current status and disposition
 * (conflict). Each move is one transaction: it takes EVENTS_LOCK (tickets.ts explains why every
 * ticket_events writer does), locks the ticket row, checks, updates the ticket and writes one
 * ticket_events row (source 'hub', actor = the user's name) carrying the ticket's status, unit and
 * deadlines after the move. A refused move writes nothing.
 *
 * 转派 (forward) hands a 派分中心/派市中心 ticket from the sub-center to its handling unit: the
 * ticket stays 已派单 under the new unit, whose name is kept in names.handlingUnit;
 * dispatched_unit_code keeps the unit the desk sent it to.
 */
import type { TicketDeadline } from '../shared/api/contract';
import type { HubEvent, HubTicket, HubUser } from '../shared/api/hub-contract';
import type { Disposition } from '../shared/domain/ticket';
import type { Urgency } from '../shared/domain/catalogue';
import { deadlinesAfterMove } from '../shared/lifecycle/deadlines';
import { moveNote, type MoveInput } from '../shared/lifecycle/events';
import { MOVE_RULES, moveRefusal, statusAfter, UNIT_OPEN_STATUSES, type TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import type { Database } from './db';
import { EVENTS_LOCK } from './migrations';
import { EVENT_COLUMNS, toHubEvent } from './tickets';

export type LoopMove = MoveInput;

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
}

/** The name of the unit a ticket is with now: the one the desk sent it to, or the one it was forwarded to. */
function currentUnitName(ticket: LockedTicket): string | null {
  if (!ticket.unit_code) return null;
  if (ticket.unit_code === ticket.dispatched_unit_code) return ticket.names.unit ?? ticket.unit_code;
  return ticket.names.handlingUnit ?? ticket.unit_code;
}

export async function applyMove(db: Database, user: HubUser, ticketId: string, move: LoopMove, now: Date): Promise<Result<HubEvent>> {
  const rule = MOVE_RULES[move.move];
  const at = now.toISOString();
  return db.transaction(async (tx): Promise<Result<HubEvent>> => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EVENTS_LOCK]);
    const [ticket] = await tx.query<LockedTicket>(
      `SELECT id::text AS id, number, desk_id, status, disposition, urgency, unit_code, dispatched_unit_code, deadlines, names
         FROM tickets WHERE id = $1::uuid FOR UPDATE`,
      [ticketId.toLowerCase()],
    );
    if (!ticket) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    const refusal = moveRefusal(move.move, { ...ticket, unitCode: ticket.unit_code }, { role: user.role, unitCode: user.unitCode });
    if (refusal) return fail(refusal.kind, refusal.message);
    if (move.move === 'forward' && move.unitCode === ticket.unit_code) {
      return fail('conflict', `工单 ${ticket.number} 已在“${currentUnitName(ticket)}”，请选择要转派的承办单位`);
    }

    const status = statusAfter(move.move, ticket);
    const deadlines = deadlinesAfterMove(ticket.deadlines, move.move, ticket, at);
    const unitCode = rule.unit === 'clear' ? null : move.move === 'forward' ? move.unitCode : ticket.unit_code;
    const handlingUnit = move.move === 'forward' ? (move.unitName?.trim() || move.unitCode) : null;
    const callback = move.move === 'callback' ? { resolved: move.resolved, satisfaction: move.satisfaction } : null;
    await tx.query(
      `UPDATE tickets SET
         status = $2, unit_code = $3, deadlines = $4::jsonb, updated_at = $5,
         accepted_at = CASE WHEN $6::boolean THEN COALESCE(accepted_at, $5::timestamptz) ELSE accepted_at END,
         callback_resolved = COALESCE($7::boolean, callback_resolved),
         callback_satisfaction = COALESCE($8::text, callback_satisfaction),
         callback_at = CASE WHEN $7::boolean IS NULL THEN callback_at ELSE $5::timestamptz END,
         names = CASE WHEN $9::text IS NULL THEN names ELSE jsonb_set(names, '{handlingUnit}', to_jsonb($9::text)) END
       WHERE id = $1::uuid`,
      [ticket.id, status, unitCode, JSON.stringify(deadlines), at, move.move === 'accept', callback?.resolved ?? null, callback?.satisfaction ?? null, handlingUnit],
    );
    const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(
      `WITH e AS (
         INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
         VALUES ($1::uuid, $2, 'hub', $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)
         RETURNING *
       )
       SELECT ${EVENT_COLUMNS} FROM e JOIN tickets t ON t.id = e.ticket_id`,
      [
        ticket.id,
        ticket.desk_id,
        rule.event,
        at,
        user.name,
        moveNote(move.move === 'forward' ? { ...move, unitName: handlingUnit } : move, currentUnitName(ticket)),
        status,
        unitCode,
        JSON.stringify(deadlines),
        callback ? JSON.stringify(callback) : null,
      ],
    );
    return ok(toHubEvent(row!));
  });
}

// ---- Queue ------------------------------------------------------------------------------------

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
  const statuses = input.status ? [input.status] : UNIT_OPEN_STATUSES;
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
