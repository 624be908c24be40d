/**
 * 双派单 on the hub: a forward (loop.ts, `ticket.forward`) names one 主办 (the ticket's unit) and
 * up to MAX_ASSISTS 协办 units (shared/api/hub-contract.ts), kept in ticket_assists (server/migrations.ts,
 * migration 5), one open row per ticket and unit.
 *
 * - Each 协办 unit must be one the holder may forward to (shared/workspace/roles.ts forwardProblem),
 *   distinct, and not the 主办; otherwise the forward is `rejected` by name and nothing is written.
 * - A re-forward replaces the open assists (units kept keep their row and reply; the others end);
 *   a 退单 ends them all.
 * - A 协办 unit sees the ticket in its own queue while it is open and may open it
 *   (server/workspace.ts), but never accepts, returns, replies or closes as 主办 (loop.ts refuses
 *   with `forbidden`); it answers once with `ticket.assistReply`, which writes a '协办回复'
 *   ticket_events row (source 'hub', so the desk that took the call pulls it) and records the reply.
 * - The ticket closes when the 主办 closes it; the replies do not hold it up, they are shown.
 */
import { MAX_ASSISTS, type HubEvent, type HubUser, type WorkTicket } from '../shared/api/hub-contract';
import type { TicketDeadline } from '../shared/api/contract';
import type { Unit } from '../shared/domain/places';
import type { TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import { forwardProblem } from '../shared/workspace/roles';
import type { Database, Sql } from './db';
import { staleVersion } from './loop';
import { lockEvents } from './migrations';
import { EVENT_COLUMNS, toHubEvent } from './tickets';
import type { UnitDirectory } from './units';

/** The statuses in which a ticket is still being worked, so its 协办 units see it and may reply. */
export const ASSIST_OPEN_STATUSES: readonly TicketStatus[] = ['已派单', '已接单', '已回复', '已回访'];

/**
 * The 协办 units of a forward by name, or why they cannot be: `holder` is the unit forwarding
 * (null for an admin or a ticket without one), `mainCode` the 主办. Without a directory the codes
 * are taken as named.
 */
export function checkAssists(
  codes: readonly string[],
  mainCode: string,
  holder: Unit | null,
  units: ReadonlyMap<string, Unit> | undefined,
): { ok: true; value: Array<{ code: string; name: string }> } | { ok: false; error: string } {
  if (codes.length > MAX_ASSISTS) return { ok: false, error: `协办单位至多 ${MAX_ASSISTS} 个（选了 ${codes.length} 个）` };
  const seen = new Set<string>();
  const out: Array<{ code: string; name: string }> = [];
  for (const code of codes) {
    if (code === mainCode) return { ok: false, error: '主办单位不能同时是协办单位' };
    if (seen.has(code)) return { ok: false, error: `协办单位“${units?.get(code)?.name ?? code}”重复` };
    seen.add(code);
    if (units && units.size > 0) {
      const to = units.get(code) ?? null;
      const problem = forwardProblem(holder, to, code);
      if (problem) return { ok: false, error: `协办单位：${problem}` };
      out.push({ code, name: to!.name });
    } else out.push({ code, name: code });
  }
  return { ok: true, value: out };
}

/** A forward's assists, in its transaction: the open ones become exactly `assists`. */
export async function replaceAssists(tx: Sql, ticketId: string, assists: ReadonlyArray<{ code: string; name: string }>, at: string, actor: string): Promise<void> {
  const codes = assists.map((a) => a.code);
  await tx.query(`UPDATE ticket_assists SET ended_at = $2 WHERE ticket_id = $1::uuid AND ended_at IS NULL AND NOT (unit_code = ANY($3::text[]))`, [ticketId, at, codes]);
  for (const a of assists) {
    await tx.query(
      `INSERT INTO ticket_assists (ticket_id, unit_code, unit_name, assigned_at, assigned_by)
       SELECT $1::uuid, $2, $3, $4, $5
        WHERE NOT EXISTS (SELECT 1 FROM ticket_assists WHERE ticket_id = $1::uuid AND unit_code = $2 AND ended_at IS NULL)`,
      [ticketId, a.code, a.name, at, actor],
    );
  }
}

/** A 退单 ends the ticket's open assists. */
export async function endAssists(tx: Sql, ticketId: string, at: string): Promise<void> {
  await tx.query(`UPDATE ticket_assists SET ended_at = $2 WHERE ticket_id = $1::uuid AND ended_at IS NULL`, [ticketId, at]);
}

/** Whether `unitCode` is an open 协办 unit of the ticket. */
export async function isAssist(tx: Sql, ticketId: string, unitCode: string): Promise<boolean> {
  const [row] = await tx.query<{ one: number }>(`SELECT 1 AS one FROM ticket_assists WHERE ticket_id = $1::uuid AND unit_code = $2 AND ended_at IS NULL`, [ticketId, unitCode]);
  return !!row;
}

interface AssistRow {
  ticket_id: string;
  unit_code: string;
  unit_name: string;
  assigned_at: string;
  assigned_by: string;
  reply: string | null;
  replied_at: string | null;
  replied_by: string | null;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** The open assists of the tickets `ids`, by ticket. */
export async function assistsOf(db: Sql, ids: readonly string[]): Promise<Map<string, WorkTicket['assists']>> {
  const out = new Map<string, WorkTicket['assists']>();
  if (!ids.length) return out;
  const rows = await db.query<AssistRow>(
    `SELECT ticket_id::text AS ticket_id, unit_code, unit_name, assigned_at, assigned_by, reply, replied_at, replied_by
       FROM ticket_assists WHERE ticket_id = ANY($1::uuid[]) AND ended_at IS NULL ORDER BY id`,
    [ids.map((id) => id.toLowerCase())],
  );
  for (const r of rows) {
    const list = out.get(r.ticket_id) ?? [];
    list.push({
      unitCode: r.unit_code,
      unitName: r.unit_name,
      assignedAt: iso(r.assigned_at)!,
      assignedBy: r.assigned_by,
      replied: r.replied_at !== null,
      reply: r.reply,
      repliedAt: iso(r.replied_at),
      repliedBy: r.replied_by,
    });
    out.set(r.ticket_id, list);
  }
  return out;
}

interface LockedTicket {
  id: string;
  number: string;
  desk_id: string;
  status: TicketStatus;
  unit_code: string | null;
  dispatched_unit_code: string | null;
  deadlines: TicketDeadline[];
  names: { unit: string | null; handlingUnit?: string | null };
  version: number;
}

/** 协办回复: the 协办 unit's one answer on an open ticket, into the trail (the desk pulls it). */
export async function assistReply(
  db: Database,
  user: HubUser,
  directory: UnitDirectory,
  ticketId: string,
  input: { reply: string; version?: number | undefined },
  now: Date,
): Promise<Result<HubEvent>> {
  const at = now.toISOString();
  return db.transaction(async (tx): Promise<Result<HubEvent>> => {
    await lockEvents(tx);
    const [t] = await tx.query<LockedTicket>(
      `SELECT id::text AS id, number, desk_id, status, unit_code, dispatched_unit_code, deadlines, names, version
         FROM tickets WHERE id = $1::uuid FOR UPDATE`,
      [ticketId.toLowerCase()],
    );
    if (!t) return fail('not_found', `中心没有这张工单（${ticketId}）`);
    if (input.version !== undefined && input.version !== t.version) return staleVersion(t, '协办回复');
    const [assist] =
      user.role === 'unit_operator' && user.unitCode
        ? await tx.query<{ id: string; replied_at: string | null }>(
            `SELECT id::text AS id, replied_at FROM ticket_assists WHERE ticket_id = $1::uuid AND unit_code = $2 AND ended_at IS NULL FOR UPDATE`,
            [t.id, user.unitCode],
          )
        : [];
    if (!assist) {
      const whose = (user.unitCode && directory.units.get(user.unitCode)?.name) ?? user.unitCode ?? user.username;
      return fail('forbidden', `${whose}不是工单 ${t.number} 的协办单位，不能协办回复`);
    }
    if (!ASSIST_OPEN_STATUSES.includes(t.status)) return fail('conflict', `工单 ${t.number} 当前为“${t.status}”，已不在办理中，不能协办回复`);
    if (assist.replied_at !== null) return fail('conflict', `本单位已就工单 ${t.number} 协办回复过，不能再次回复`);
    const reply = input.reply.trim();
    await tx.query(`UPDATE ticket_assists SET reply = $2, replied_at = $3, replied_by = $4 WHERE id = $1::bigint`, [assist.id, reply, at, user.name]);
    await tx.query(`UPDATE tickets SET version = version + 1, updated_at = $2 WHERE id = $1::uuid`, [t.id, at]);
    const unitName = directory.units.get(user.unitCode!)?.name ?? user.unitCode!;
    const [row] = await tx.query<Parameters<typeof toHubEvent>[0]>(
      `WITH e AS (
         INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
         VALUES ($1::uuid, $2, 'hub', '协办回复', $3, $4, $5, $6, $7, $8::jsonb, NULL, $9)
         RETURNING *
       )
       SELECT ${EVENT_COLUMNS} FROM e JOIN tickets t ON t.id = e.ticket_id`,
      [t.id, t.desk_id, at, user.name, `${unitName}（协办）：${reply}`, t.status, t.unit_code, JSON.stringify(t.deadlines), user.unitCode],
    );
    return ok(toHubEvent(row!));
  });
}
