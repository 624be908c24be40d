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
 * dispatched_unit_code keeps the unit the desk sent it to. Where a sub-center may forward is
 * shared/workspace/roles.ts (forwardProblem), against the hub's unit directory (units.ts).
 * 双派单: a forward may also name 协办 units (assists.ts), checked by the same rule before anything
 * is written and kept in ticket_assists; a re-forward replaces them, a 退单 ends them, and a 协办
 * unit making a 主办's move is refused (`forbidden`) — it answers with `ticket.assistReply`.
 *
 * Also, per move: a stale `version` (the person saw an older state) is `conflict` with the current
 * state in details.current, checked before anything else, so of two operators acting on one ticket
 * the second is told what happened; every move adds 1 to tickets.version. 退单 goes where
 * returnGoesTo says (back to the forwarding sub-center, or to the center's 待派 queue) and counts in
 * tickets.return_count and, per unit, in ticket_events.from_unit_code (the unit that made the move).
 * 重新派单 (redispatch) sends a returned ticket out again: the chosen unit becomes the one it was
 * dispatched to, with the disposition its kind calls for. It also sends out a ticket the call-taker
 * flagged 不合理诉求 (待审核, in the center's 待派 queue too): that one never had deadlines, so they
 * start from the 重新派单, by the hub's SLA policy (deadlinesOnSubmit, as tickets.ts at a push).
 * A ticket the center found an unreasonable claim (requests.ts) takes no 回访. A request waiting for
 * the center (申请延期, 申请认定不合理诉求) ends with its unit's hold: a 退单, 办结, 转派 or 重新派单 away
 * from that unit withdraws it in the same transaction (requests.ts withdrawPending), after the move's event.
 */
import type { TicketDeadline } from '../shared/api/contract';
import type { HubEvent, HubTicket, HubUser } from '../shared/api/hub-contract';
import type { Disposition } from '../shared/domain/ticket';
import type { Urgency } from '../shared/domain/catalogue';
import { deadlinesAfterMove, deadlinesOnSubmit } from '../shared/lifecycle/deadlines';
import type { SlaPolicy } from '../shared/sla/policy';
import { moveNote, type MoveInput } from '../shared/lifecycle/events';
import {
  dispositionForUnitKind,
  MOVE_RULES,
  moveRefusal,
  returnGoesTo,
  statusAfter,
  UNIT_OPEN_STATUSES,
  type TicketStatus,
} from '../shared/lifecycle/ticket-lifecycle';
import { forwardProblem } from '../shared/workspace/roles';
import { fail, ok, type Result } from '../shared/result';
import { maskPhonesIn } from '../shared/stats/mask';
import type { Database } from './db';
import { lockEvents } from './migrations';
import { checkAssists, endAssists, isAssist, replaceAssists } from './assists';
import { withdrawPending } from './requests';
import { EVENT_COLUMNS, toHubEvent } from './tickets';
import type { UnitDirectory } from './units';

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
  version: number;
  /** Set when the center approved the unit's 申请认定不合理诉求 (requests.ts): it ended so. */
  unreasonable_at?: string | null;
}

/** What a refused move answers with when the ticket changed under the person: its state now. */
export interface CurrentState {
  status: TicketStatus;
  unitCode: string | null;
  unitName: string | null;
  version: number;
}

/** The name of the unit a ticket is with now: the one the desk sent it to, or the one it was forwarded to. */
export function currentUnitName(ticket: Pick<LockedTicket, 'unit_code' | 'dispatched_unit_code' | 'names'>): string | null {
  if (!ticket.unit_code) return null;
  if (ticket.unit_code === ticket.dispatched_unit_code) return ticket.names.unit ?? ticket.unit_code;
  return ticket.names.handlingUnit ?? ticket.unit_code;
}

/** The named conflict a move made on a ticket seen at an older version answers, with its state now. */
export function staleVersion(
  ticket: Pick<LockedTicket, 'number' | 'status' | 'unit_code' | 'dispatched_unit_code' | 'names' | 'version'>,
  label: string,
): Result<never> {
  const unitName = currentUnitName(ticket);
  const current: CurrentState = { status: ticket.status, unitCode: ticket.unit_code, unitName, version: ticket.version };
  return fail('conflict', `工单 ${ticket.number} 已被他人处理，当前为“${ticket.status}”${unitName ? `（${unitName}）` : ''}，未${label}；请查看最新情况`, { current });
}

export interface MoveOptions {
  /** The version of the ticket the person saw; a different current one is `conflict`. */
  version?: number | undefined;
  /** The unit directory (units.ts): unit kinds for the center's moves and the forwarding rule. */
  directory?: UnitDirectory | undefined;
  /** The hub's SLA policy: a 重新派单 of a ticket that has no deadlines (flagged 不合理诉求 at intake) starts them. */
  policy?: SlaPolicy | undefined;
  /** 双派单: the 协办 units of a forward (assists.ts); a forward without them ends any open ones. */
  assistUnitCodes?: readonly string[] | undefined;
}

export async function applyMove(
  db: Database,
  user: HubUser,
  ticketId: string,
  move: LoopMove,
  now: Date,
  options: MoveOptions = {},
): Promise<Result<HubEvent>> {
  const rule = MOVE_RULES[move.move];
  const at = now.toISOString();
  const units = options.directory?.units;
  return db.transaction(async (tx): Promise<Result<HubEvent>> => {
    await lockEvents(tx);
    const [ticket] = await tx.query<LockedTicket>(
      `SELECT id::text AS id, number, desk_id, status, disposition, urgency, unit_code, dispatched_unit_code, deadlines, names, version, unreasonable_at
         FROM tickets WHERE id = $1::uuid FOR UPDATE`,
      [ticketId.toLowerCase()],
    );
    if (!ticket) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (options.version !== undefined && options.version !== ticket.version) return staleVersion(ticket, rule.label);
    const actorUnit = user.unitCode ? (units?.get(user.unitCode) ?? null) : null;
    if (user.role === 'unit_operator' && user.unitCode && user.unitCode !== ticket.unit_code && (await isAssist(tx, ticket.id, user.unitCode))) {
      return fail('forbidden', `本单位是工单 ${ticket.number} 的协办单位，不能${rule.label}（由主办单位“${currentUnitName(ticket)}”办理）；请用“协办回复”答复`);
    }
    const refusal = moveRefusal(move.move, { ...ticket, unitCode: ticket.unit_code }, { role: user.role, unitCode: user.unitCode, unitKind: actorUnit?.kind ?? null, unitName: actorUnit?.name ?? null });
    if (refusal) return fail(refusal.kind, refusal.message);
    if (move.move === 'callback' && ticket.unreasonable_at) return fail('conflict', `工单 ${ticket.number} 经市中心认定为不合理诉求后办结，不需回访`);
    if (move.move === 'forward' && move.unitCode === ticket.unit_code) {
      return fail('conflict', `工单 ${ticket.number} 已在“${currentUnitName(ticket)}”，请选择要转派的承办单位`);
    }
    let target: { code: string; name: string } | null = null;
    if (move.move === 'forward' || move.move === 'redispatch') {
      const to = units?.get(move.unitCode) ?? null;
      // Without a directory (none configured) the hub takes the unit as named, as before there was one.
      if (units && units.size > 0) {
        const holder = ticket.unit_code ? (units.get(ticket.unit_code) ?? null) : null;
        const problem = move.move === 'forward' ? forwardProblem(holder, to, move.unitCode) : !to ? `单位名录中没有“${move.unitCode}”` : to.kind === 'city_center' ? '重新派单应派给分中心或承办单位' : null;
        if (problem) return fail('rejected', `工单 ${ticket.number} 不能${rule.label}：${problem}`);
      }
      target = { code: move.unitCode, name: to?.name ?? (move.unitName?.trim() || move.unitCode) };
    }
    let assists: Array<{ code: string; name: string }> = [];
    if (move.move === 'forward') {
      const holder = ticket.unit_code ? (units?.get(ticket.unit_code) ?? null) : null;
      const checked = checkAssists(options.assistUnitCodes ?? [], move.unitCode, holder, units);
      if (!checked.ok) return fail('rejected', `工单 ${ticket.number} 不能${rule.label}：${checked.error}`);
      assists = checked.value;
    }

    let status = statusAfter(move.move, ticket);
    let deadlines = deadlinesAfterMove(ticket.deadlines, move.move, ticket, at);
    let unitCode = rule.unit === 'clear' ? null : target ? target.code : ticket.unit_code;
    if (move.move === 'return') ({ status, unitCode } = returnGoesTo({ unitCode: ticket.unit_code, dispatchedUnitCode: ticket.dispatched_unit_code }));
    const handlingUnit = move.move === 'forward' ? target!.name : null;
    const redispatched = move.move === 'redispatch' ? target! : null;
    const newKind = redispatched ? units?.get(redispatched.code)?.kind : undefined;
    // A ticket flagged 不合理诉求 at intake goes out as its unit's kind calls for (直派 without a directory).
    const disposition = redispatched && newKind ? dispositionForUnitKind(newKind) : redispatched && ticket.disposition === '不合理诉求' ? '直派' : null;
    if (redispatched && ticket.deadlines.length === 0 && disposition && options.policy) {
      // It never had deadlines (待审核 at intake): they run from now, as at a submit with this disposition.
      const facts = { disposition, urgency: ticket.urgency };
      deadlines = deadlinesAfterMove(deadlinesOnSubmit(options.policy, { ...facts, submittedAt: at }), move.move, facts, at);
    }
    const callback = move.move === 'callback' ? { resolved: move.resolved, satisfaction: move.satisfaction } : null;
    const unitResolved = move.move === 'close' ? (move.resolved ?? null) : null;
    await tx.query(
      `UPDATE tickets SET
         status = $2, unit_code = $3, deadlines = $4::jsonb, updated_at = $5,
         accepted_at = CASE WHEN $6::boolean THEN COALESCE(accepted_at, $5::timestamptz) ELSE accepted_at END,
         callback_resolved = COALESCE($7::boolean, callback_resolved),
         callback_satisfaction = COALESCE($8::text, callback_satisfaction),
         callback_at = CASE WHEN $7::boolean IS NULL THEN callback_at ELSE $5::timestamptz END,
         names = CASE WHEN $9::text IS NULL THEN names ELSE jsonb_set(names, '{handlingUnit}', to_jsonb($9::text)) END,
         version = version + 1,
         return_count = return_count + CASE WHEN $10::boolean THEN 1 ELSE 0 END,
         unit_resolved = COALESCE($11::boolean, unit_resolved),
         dispatched_unit_code = COALESCE($12::text, dispatched_unit_code),
         disposition = COALESCE($13::text, disposition),
         supervision = CASE WHEN $14::boolean THEN NULL ELSE supervision END
       WHERE id = $1::uuid`,
      [
        ticket.id,
        status,
        unitCode,
        JSON.stringify(deadlines),
        at,
        move.move === 'accept',
        callback?.resolved ?? null,
        callback?.satisfaction ?? null,
        handlingUnit,
        move.move === 'return',
        unitResolved,
        redispatched?.code ?? null,
        disposition,
        // A 督办 banner stays until the unit holding the ticket acts on it (or the ticket leaves that unit).
        (user.role === 'unit_operator' && user.unitCode === ticket.unit_code) || unitCode !== ticket.unit_code,
      ],
    );
    if (move.move === 'forward') await replaceAssists(tx, ticket.id, assists, at, user.name);
    if (move.move === 'return') await endAssists(tx, ticket.id, at);
    if (redispatched) {
      await tx.query(`UPDATE tickets SET names = jsonb_set(names, '{unit}', to_jsonb($2::text)) - 'handlingUnit' WHERE id = $1::uuid`, [ticket.id, redispatched.name]);
    }
    const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(
      `WITH e AS (
         INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
         VALUES ($1::uuid, $2, 'hub', $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11)
         RETURNING *
       )
       SELECT ${EVENT_COLUMNS} FROM e JOIN tickets t ON t.id = e.ticket_id`,
      [
        ticket.id,
        ticket.desk_id,
        rule.event,
        at,
        user.name,
        moveNote(
          move.move === 'forward' ? { ...move, unitName: target!.name, assistUnitNames: assists.map((a) => a.name) } : move.move === 'redispatch' ? { ...move, unitName: target!.name } : move,
          currentUnitName(ticket),
        ),
        status,
        unitCode,
        JSON.stringify(deadlines),
        callback ? JSON.stringify(callback) : null,
        ticket.unit_code,
      ],
    );
    // A request waiting for the center (requests.ts) ends with its unit's hold on the ticket: withdrawn, in the trail.
    const why = WITHDRAW_WHY[move.move];
    if (why) await withdrawPending(tx, ticket, { status, unitCode, deadlines }, why(target?.name ?? ''), user.name, at);
    return ok(toHubEvent(row!));
  });
}

/** What ends a waiting request (延期, 认定不合理诉求) when the unit that asked no longer holds the ticket. */
const WITHDRAW_WHY: Partial<Record<LoopMove['move'], (to: string) => string>> = {
  return: () => '工单已退单',
  close: () => '工单已办结',
  forward: (to) => `工单已转派至${to}`,
  redispatch: (to) => `工单已重新派单至${to}`,
};

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
  input: { unitCode?: string | undefined; status?: TicketStatus | undefined; limit?: number | undefined; after?: string | undefined },
): Promise<Result<HubTicket[]>> {
  let unitCode = input.unitCode ?? null;
  if (user.role === 'unit_operator') {
    if (unitCode !== null && unitCode !== user.unitCode) return fail('forbidden', `只能查看本单位（${user.unitCode}）的工单`);
    unitCode = user.unitCode;
  }
  const statuses = input.status ? [input.status] : UNIT_OPEN_STATUSES;
  // Paging: the page after the ticket `after` in (submitted_at, number) order; a ticket that left the
  // queue meanwhile still marks the place.
  let after: { submitted_at: string; number: string } | null = null;
  if (input.after) {
    [after = null] = await db.query<{ submitted_at: string; number: string }>('SELECT submitted_at, number FROM tickets WHERE id = $1::uuid', [input.after.toLowerCase()]);
    if (!after) return fail('bad_request', '翻页位置（after）不是中心已有的工单');
  }
  const rows = await db.query<QueueRow>(
    `SELECT id::text AS id, number, status, disposition, unit_code, leaf_code, urgency, district_code, street_code,
            submitted_at, content, caller_name, deadlines
       FROM tickets
      WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR unit_code = $2)
        AND ($4::timestamptz IS NULL OR (submitted_at, number) > ($4::timestamptz, $5::text))
      ORDER BY submitted_at, number
      LIMIT $3`,
    [statuses, unitCode, input.limit ?? DEFAULT_QUEUE_LIMIT, after?.submitted_at ?? null, after?.number ?? null],
  );
  // Units may not see the caller's number (the workspace's 联系市民 reveals it, logged): numbers
  // typed into the text are masked for them too.
  const textFor = (content: string) => (user.role === 'unit_operator' ? maskPhonesIn(content) : content);
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
      content: textFor(r.content),
      callerName: r.caller_name,
      deadlines: r.deadlines,
    })),
  );
}
