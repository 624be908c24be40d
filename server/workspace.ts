/**
 * What the hub's web workspace (web/) reads: who the person is there (shared/workspace/roles.ts),
 * their queue, one ticket with its whole trail, the caller's number on a deliberate, logged reveal,
 * the units they may forward to, and the admin's unit accounts. The moves themselves are loop.ts's,
 * through the same calls the desks and `hub:sim` make.
 *
 * Who sees what (checked here on every read, never only in the page):
 * - 承办单位: tickets whose current unit is theirs;
 * - 分中心: tickets with it now, and those it was sent and has forwarded on;
 * - 市中心: its queue is what a sub-center's is (a team lead's: every open ticket), plus the 待派
 *   queue (returned tickets, and those the call-taker flagged 不合理诉求 at intake, 待审核) and 全部在办 (view 'all': every open ticket, to supervise); it may open every ticket (it
 *   supervises them all), as may an admin;
 * - a 协办 unit of a 双派单 (server/assists.ts): also the tickets it assists, marked as such.
 * A ticket outside that is `forbidden` by name, for reading as for moving.
 *
 * The queue is ordered by the earliest open checkpoint (the due time still to meet), then by
 * submit time; it pages on the server (a street may hold thousands).
 */
import { randomBytes } from 'node:crypto';
import type { TicketDeadline } from '../shared/api/contract';
import type { HubUser, WorkMe, WorkQueue, WorkRow, WorkTicket, WorkUnit } from '../shared/api/hub-contract';
import { MAX_QUEUE_PAGE, QUEUE_VIEWS } from '../shared/api/hub-contract';
import type { Urgency } from '../shared/domain/catalogue';
import type { Unit, UnitKind } from '../shared/domain/places';
import type { Disposition } from '../shared/domain/ticket';
import { moveRefusal, type Move, type TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import { maskPhone, maskPhonesIn } from '../shared/stats/mask';
import { forwardTargets, redispatchTargets, workRoleOf, type WorkRole } from '../shared/workspace/roles';
import { ensureUsers, GENERATED_PASSWORD_N } from './auth';
import type { Database, Param } from './db';
import type { SupervisionPolicy } from '../shared/lifecycle/supervision';
import { actionsFor } from './requests';
import { ASSIST_OPEN_STATUSES, assistsOf } from './assists';
import type { UnitDirectory } from './units';
import { linkedRequests, urgeSuggestions } from './lookup';
import type { UrgingPolicy } from '../shared/lifecycle/urging';

export const DEFAULT_PAGE = 50;
const OPEN_STATUSES: readonly TicketStatus[] = ['已派单', '已接单', '已回复', '已回访'];
/** The moves the workspace offers (回访 is the desk's). */
const WORK_MOVES: readonly Move[] = ['forward', 'accept', 'return', 'reply', 'close', 'redispatch'];

interface Actor {
  user: HubUser;
  role: WorkRole;
  unit: Unit | null;
}

function actorOf(user: HubUser, directory: UnitDirectory): Result<Actor> {
  const unit = user.unitCode ? (directory.units.get(user.unitCode) ?? null) : null;
  const role = workRoleOf(user.role, unit?.kind ?? null);
  if (!role) return fail('forbidden', '话务员请在坐席端工作，工作台供分中心、承办单位和市中心使用');
  return ok({ user, role, unit });
}

export function me(user: HubUser, directory: UnitDirectory, supervision: SupervisionPolicy): Result<WorkMe> {
  const actor = actorOf(user, directory);
  if (!actor.ok) return actor;
  const { role, unit } = actor.value;
  const supervisionLevels = supervision.levels.map((l) => ({ id: l.id, label: l.label }));
  return ok({ ...user, workRole: role, unitName: unit?.name ?? user.unitCode, districtCode: unit?.districtCode ?? null, supervisionLevels });
}

/** The SQL condition (on alias t) for the tickets this person may see, with its parameter. */
function scopeOf(actor: Actor, param: number): { sql: string; args: Param[] } {
  const code = actor.user.unitCode;
  if (actor.role === 'admin' || (actor.role === 'center' && !code)) return { sql: 'TRUE', args: [] };
  // The tickets it assists (双派单), as one array the planner reads once, so the unit_code index still serves.
  const assisted = `t.id = ANY(ARRAY(SELECT a.ticket_id FROM ticket_assists a WHERE a.unit_code = $${param} AND a.ended_at IS NULL))`;
  if (actor.role === 'unit') return { sql: `(t.unit_code = $${param} OR ${assisted})`, args: [code] };
  return { sql: `(t.unit_code = $${param} OR t.dispatched_unit_code = $${param} OR ${assisted})`, args: [code] };
}

function mayOpen(actor: Actor, ticket: { unit_code: string | null; dispatched_unit_code: string | null; is_assist: boolean }): boolean {
  const code = actor.user.unitCode;
  if (actor.role === 'admin' || actor.role === 'center') return true; // the center supervises every ticket
  if (ticket.is_assist) return true; // a 协办 unit of this ticket
  if (actor.role === 'unit') return ticket.unit_code === code;
  return ticket.unit_code === code || ticket.dispatched_unit_code === code;
}

interface Row {
  id: string;
  number: string;
  status: TicketStatus;
  disposition: Disposition;
  urgency: Urgency;
  unit_code: string | null;
  dispatched_unit_code: string | null;
  district_code: string | null;
  street_code: string | null;
  village_code: string | null;
  names: { unit: string | null; handlingUnit?: string | null; district: string | null; street: string | null; leafPath: string[] };
  content: string;
  submitted_at: string;
  deadlines: TicketDeadline[];
  next_due_at: string | null;
  version: number;
  return_count: number;
  supervision: WorkRow['supervision'];
  pending: (Omit<NonNullable<WorkRow['pending']>, 'at'> & { at: string }) | null;
  intake_unreasonable: boolean;
  unreasonable_reason: string;
  unreasonable_at: string | null;
  urge_count: number;
}

const ROW_COLUMNS = `t.id::text AS id, t.number, t.status, t.disposition, t.urgency, t.unit_code, t.dispatched_unit_code,
  t.district_code, t.street_code, t.village_code, t.names, t.content, t.submitted_at, t.deadlines, t.version, t.return_count, t.supervision,
  t.intake_unreasonable, t.unreasonable_reason, t.unreasonable_at,
  (SELECT count(*)::int FROM ticket_urges u WHERE u.ticket_id = t.id) AS urge_count,
  (SELECT jsonb_build_object('kind', r.kind, 'reason', r.reason, 'newDate', r.new_date, 'evidence', r.evidence, 'at', r.at, 'actor', r.actor)
     FROM ticket_requests r WHERE r.ticket_id = t.id AND r.status = 'pending' ORDER BY r.id LIMIT 1) AS pending`;
const HAS_PENDING = `EXISTS (SELECT 1 FROM ticket_requests r WHERE r.ticket_id = t.id AND r.status = 'pending')`;
// The earliest open checkpoint's due time, kept by the database from deadlines (hub migration 13).
const NEXT_DUE = `t.open_due_at`;

function iso(value: string | Date | null): string | null {
  if (value === null) return null;
  return new Date(value).toISOString();
}

function unitNameOf(row: Pick<Row, 'unit_code' | 'dispatched_unit_code' | 'names'>, directory: UnitDirectory): string | null {
  if (!row.unit_code) return null;
  const known = directory.units.get(row.unit_code)?.name;
  if (known) return known;
  if (row.unit_code === row.dispatched_unit_code) return row.names.unit ?? row.unit_code;
  return row.names.handlingUnit ?? row.unit_code;
}

/**
 * A row as this user may see it: units may not see the caller's number (联系市民 reveals it, logged),
 * so phone numbers typed into the text are masked for them too — before any cutting short, so no
 * part of a number shows.
 */
function seenBy<R extends { content: string }>(user: HubUser, r: R): R {
  return user.role === 'unit_operator' ? { ...r, content: maskPhonesIn(r.content) } : r;
}

function toRow(r: Row, directory: UnitDirectory, contentChars = 120): WorkRow {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    disposition: r.disposition,
    urgency: r.urgency,
    unitCode: r.unit_code,
    unitName: unitNameOf(r, directory),
    districtName: r.names.district ?? null,
    streetName: r.names.street ?? null,
    villageCode: r.village_code,
    villageName: r.village_code ? (directory.placeNames.get(r.village_code) ?? r.village_code) : null,
    leafPath: r.names.leafPath ?? [],
    content: r.content.length > contentChars ? `${r.content.slice(0, contentChars)}…` : r.content,
    submittedAt: iso(r.submitted_at)!,
    deadlines: r.deadlines,
    nextDueAt: iso(r.next_due_at),
    version: r.version,
    returnCount: r.return_count,
    supervision: r.supervision ?? null,
    pending: r.pending ? { ...r.pending, at: iso(r.pending.at)! } : null,
    intakeFlag: r.intake_unreasonable ? { reason: r.unreasonable_reason } : null,
    unreasonableAt: iso(r.unreasonable_at),
    assistCount: 0, // withAssists fills these in
    assist: null,
    urgeCount: r.urge_count,
    urgeSuggestion: null, // the center's: withUrging
  };
}

/** A row with its 协办 units: how many, and whether the viewer's unit is one (and has replied). */
function withAssists(row: WorkRow, assists: WorkTicket['assists'], viewerUnit: string | null): WorkRow {
  const mine = viewerUnit && row.unitCode !== viewerUnit ? assists.find((a) => a.unitCode === viewerUnit) : undefined;
  return { ...row, assistCount: assists.length, assist: mine ? { replied: mine.replied } : null };
}

export interface QueueInput {
  view?: (typeof QUEUE_VIEWS)[number] | undefined;
  status?: TicketStatus | undefined;
  category?: string | undefined;
  villageCode?: string | undefined;
  number?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/** For the center (and admin): each urged row's 督办 suggestion by the 催办 policy (server/lookup.ts). */
async function withUrging(db: Database, role: WorkRole, rows: WorkRow[], urging: UrgingPolicy | undefined): Promise<WorkRow[]> {
  if (!urging || (role !== 'center' && role !== 'admin')) return rows;
  const urged = rows.filter((r) => (r.urgeCount ?? 0) > 0).map((r) => r.id);
  if (urged.length === 0) return rows;
  const suggestions = await urgeSuggestions(db, urged, urging);
  return rows.map((r) => ({ ...r, urgeSuggestion: suggestions.get(r.id) ?? null }));
}

export async function queue(db: Database, user: HubUser, directory: UnitDirectory, input: QueueInput, urging?: UrgingPolicy): Promise<Result<WorkQueue>> {
  const who = actorOf(user, directory);
  if (!who.ok) return who;
  const actor = who.value;
  const view = input.view ?? 'mine';
  if (view === 'returned' && actor.role !== 'center' && actor.role !== 'admin') {
    return fail('forbidden', '待派工单由市中心派单员处理，本账号不能查看');
  }
  if (view === 'review' && actor.role !== 'center' && actor.role !== 'admin') {
    return fail('forbidden', '待审申请由市中心审核，本账号不能查看');
  }
  if (view === 'all' && actor.role !== 'center' && actor.role !== 'admin') {
    return fail('forbidden', '全部在办工单供市中心督办，本账号只能查看本单位的工单');
  }
  const statuses: readonly TicketStatus[] =
    // 待派 holds the returned tickets and those the call-taker flagged 不合理诉求 at intake (待审核):
    // the flag is a suggestion for the unit the center sends it to, never the ticket's end.
    view === 'returned' ? ['已退单', '待审核'] : view === 'closed' ? ['已办结'] : view === 'review' ? [...OPEN_STATUSES, '待审核'] : OPEN_STATUSES;
  // The 待派, 待审 and 全部在办 queues are the center's whole; the others are the person's scope.
  const scope = view === 'returned' || view === 'review' || view === 'all' ? { sql: 'TRUE', args: [] } : scopeOf(actor, 2);
  const base = [`t.status = ANY($1::text[])`, scope.sql, ...(view === 'review' ? [HAS_PENDING] : [])];
  const baseArgs: Param[] = [statuses, ...scope.args];
  const filters = [...base];
  const args = [...baseArgs];
  const add = (sql: (n: number) => string, value: Param) => {
    args.push(value);
    filters.push(sql(args.length));
  };
  if (input.status) add((n) => `t.status = $${n}`, input.status);
  if (input.category) add((n) => `t.names->'leafPath'->>0 = $${n}`, input.category);
  if (input.villageCode) add((n) => `t.village_code = $${n}`, input.villageCode);
  if (input.number) add((n) => `position($${n} in t.number) > 0`, input.number.trim());
  const limit = Math.min(input.limit ?? DEFAULT_PAGE, MAX_QUEUE_PAGE);
  const offset = input.offset ?? 0;
  const where = filters.join(' AND ');
  const rows = await db.query<Row>(
    `SELECT ${ROW_COLUMNS}, ${NEXT_DUE} AS next_due_at
       FROM tickets t WHERE ${where}
      ORDER BY next_due_at ASC NULLS LAST, t.submitted_at, t.number
      LIMIT ${limit} OFFSET ${offset}`,
    args,
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets t WHERE ${where}`, args);
  const baseWhere = base.join(' AND ');
  const statusFacet = await db.query<{ status: TicketStatus; n: number }>(
    `SELECT t.status, count(*)::int AS n FROM tickets t WHERE ${baseWhere} GROUP BY t.status ORDER BY t.status`,
    baseArgs,
  );
  const categoryFacet = await db.query<{ name: string; n: number }>(
    `SELECT t.names->'leafPath'->>0 AS name, count(*)::int AS n FROM tickets t WHERE ${baseWhere} AND t.names->'leafPath'->>0 IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 60`,
    baseArgs,
  );
  const villageFacet = await db.query<{ code: string; n: number }>(
    `SELECT t.village_code AS code, count(*)::int AS n FROM tickets t WHERE ${baseWhere} AND t.village_code IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`,
    baseArgs,
  );
  const assists = await assistsOf(db, rows.map((r) => r.id));
  return ok({
    rows: await withUrging(db, actor.role, rows.map((r) => withAssists(toRow(seenBy(user, r), directory), assists.get(r.id) ?? [], user.unitCode)), urging),
    total: count?.n ?? 0,
    offset,
    limit,
    facets: {
      statuses: statusFacet.map((f) => ({ status: f.status, count: f.n })),
      categories: categoryFacet.map((f) => ({ name: f.name, count: f.n })),
      communities: villageFacet.map((f) => ({ code: f.code, name: directory.placeNames.get(f.code) ?? f.code, count: f.n })),
    },
  });
}

interface DetailRow extends Row {
  channel: string;
  request_type: string;
  address_text: string;
  leaf_code: string | null;
  caller_name: string;
  caller_phone: string;
  callback_phone: string;
  operator_name: string;
  operator_verified: boolean;
  unit_resolved: boolean | null;
  is_assist: boolean;
}

async function openTicket(db: Database, actor: Actor, ticketId: string): Promise<Result<DetailRow>> {
  const [row] = await db.query<DetailRow>(
    `SELECT ${ROW_COLUMNS}, ${NEXT_DUE} AS next_due_at, t.channel, t.request_type, t.address_text, t.leaf_code,
            t.caller_name, t.caller_phone, t.callback_phone, t.operator_name, t.operator_verified, t.unit_resolved,
            EXISTS (SELECT 1 FROM ticket_assists a WHERE a.ticket_id = t.id AND a.unit_code = $2 AND a.ended_at IS NULL) AS is_assist
       FROM tickets t WHERE t.id = $1::uuid`,
    [ticketId.toLowerCase(), actor.user.unitCode ?? ''],
  );
  if (!row) return fail('not_found', `中心没有这张工单（${ticketId}）`);
  if (!mayOpen(actor, row)) {
    const whose = actor.unit?.name ?? actor.user.unitCode ?? '';
    return fail('forbidden', row.status === '已退单' ? `工单 ${row.number} 已退回中心，${whose}不能查看` : `工单 ${row.number} 不属于${whose}，不能查看`);
  }
  return ok(row);
}

export async function ticket(db: Database, user: HubUser, directory: UnitDirectory, ticketId: string, urging?: UrgingPolicy): Promise<Result<WorkTicket>> {
  const who = actorOf(user, directory);
  if (!who.ok) return who;
  const actor = who.value;
  const opened = await openTicket(db, actor, ticketId);
  if (!opened.ok) return opened;
  const r = opened.value;
  const trail = await db.query<{ at: string; kind: string; actor: string; note: string; source: 'desk' | 'hub' | 'access'; unit_code: string | null }>(
    `SELECT at, kind, actor, note, source, unit_code FROM (
       SELECT e.at, e.kind, e.actor, e.note, e.source, e.from_unit_code AS unit_code, 0 AS part, e.seq AS n FROM ticket_events e WHERE e.ticket_id = $1::uuid
       UNION ALL
       SELECT a.at, a.action, a.actor, a.note, 'access', NULL::text, 1, a.id FROM ticket_access a WHERE a.ticket_id = $1::uuid
     ) x ORDER BY at, part, n`,
    [r.id],
  );
  const moveTicket = { ...r, unitCode: r.unit_code };
  const moveActor = { role: user.role, unitCode: user.unitCode, unitKind: actor.unit?.kind ?? null };
  const moves = WORK_MOVES.filter((m) => !moveRefusal(m, moveTicket, moveActor));
  const assists = (await assistsOf(db, [r.id])).get(r.id) ?? [];
  const [row] = await withUrging(db, actor.role, [withAssists(toRow(seenBy(user, r), directory, Infinity), assists, user.unitCode)], urging);
  if (!row) return fail('not_found', `中心没有这张工单（${ticketId}）`);
  // 协办回复: once, by a 协办 unit, while the ticket is being worked (server/assists.ts checks it again).
  const assistReply = row.assist && !row.assist.replied && ASSIST_OPEN_STATUSES.includes(r.status) ? (['assistReply'] as const) : [];
  return ok({
    ...row,
    channel: r.channel,
    requestType: r.request_type,
    addressText: r.address_text,
    leafCode: r.leaf_code,
    callerName: r.caller_name,
    callerPhoneMasked: maskPhone(r.caller_phone),
    callbackPhoneMasked: maskPhone(r.callback_phone),
    dispatchedUnitCode: r.dispatched_unit_code,
    dispatchedUnitName: r.dispatched_unit_code ? (directory.units.get(r.dispatched_unit_code)?.name ?? r.names.unit ?? r.dispatched_unit_code) : null,
    operatorName: r.operator_name,
    operatorVerified: r.operator_verified,
    unitResolved: r.unit_resolved,
    assists,
    trail: trail.map((e) => ({ at: iso(e.at)!, kind: e.kind, actor: e.actor, note: e.note, source: e.source, ...(e.source === 'hub' ? { unitCode: e.unit_code } : {}) })),
    linkedRequests: (await linkedRequests(db, r.id)).map((l) => (user.role === 'unit_operator' ? { ...l, content: maskPhonesIn(l.content) } : l)),
    moves,
    actions: [...actionsFor(user, directory, row), ...assistReply],
  });
}

/** 联系市民: the full numbers, for one who may open the ticket; the look is written to ticket_access first. */
export async function revealCaller(
  db: Database,
  user: HubUser,
  directory: UnitDirectory,
  ticketId: string,
  now: Date,
): Promise<Result<{ callerName: string; callerPhone: string; callbackPhone: string }>> {
  const who = actorOf(user, directory);
  if (!who.ok) return who;
  const opened = await openTicket(db, who.value, ticketId);
  if (!opened.ok) return opened;
  const r = opened.value;
  await db.query(`INSERT INTO ticket_access (ticket_id, at, actor, user_id, action, note) VALUES ($1::uuid, $2, $3, $4::uuid, '联系市民', $5)`, [
    r.id,
    now.toISOString(),
    user.name,
    user.id,
    `${who.value.unit?.name ?? user.username}查看来电号码以联系市民`,
  ]);
  return ok({ callerName: r.caller_name, callerPhone: r.caller_phone, callbackPhone: r.callback_phone });
}

const toWorkUnit = (u: Unit): WorkUnit => ({ code: u.code, name: u.name, kind: u.kind, districtCode: u.districtCode });

export function units(user: HubUser, directory: UnitDirectory, purpose: 'forward' | 'redispatch'): Result<WorkUnit[]> {
  const who = actorOf(user, directory);
  if (!who.ok) return who;
  const { role, unit } = who.value;
  if (purpose === 'redispatch') {
    if (role !== 'center' && role !== 'admin') return fail('forbidden', '只有市中心可以重新派单');
    return ok(redispatchTargets(directory.units.values()).map(toWorkUnit));
  }
  if (role === 'unit') return fail('forbidden', '承办单位不能转派；不属于本单位的工单请退单');
  return ok(forwardTargets(role === 'admin' ? null : unit, directory.units.values()).map(toWorkUnit));
}

export interface AccountsInput {
  unitCodes?: string[] | undefined;
  kinds?: UnitKind[] | undefined;
  districtCode?: string | undefined;
}

/**
 * One account per unit of the directory that has none yet (username: the unit code in lower case,
 * role unit_operator), with a generated password returned once. Units already holding an account
 * are counted, not touched.
 */
export async function createUnitAccounts(db: Database, directory: UnitDirectory, input: AccountsInput, now: Date) {
  const wanted = input.unitCodes ? new Set(input.unitCodes) : null;
  const unknown = input.unitCodes?.filter((c) => !directory.units.has(c)) ?? [];
  if (unknown.length) return fail('rejected', `单位名录中没有：${unknown.slice(0, 10).join('、')}`);
  const picked = [...directory.units.values()].filter(
    (u) =>
      (!wanted || wanted.has(u.code)) &&
      (!input.kinds || input.kinds.includes(u.kind)) &&
      (!input.districtCode || u.districtCode === input.districtCode || (u.kind === 'street' && u.districtCode === input.districtCode)),
  );
  const held = new Set((await db.query<{ unit_code: string }>(`SELECT DISTINCT unit_code FROM users WHERE unit_code IS NOT NULL`)).map((r) => r.unit_code));
  const created: Array<{ username: string; password: string; name: string; unitCode: string; unitName: string }> = [];
  let existing = 0;
  for (const unit of picked) {
    if (held.has(unit.code)) {
      existing++;
      continue;
    }
    const account = { username: unit.code.toLowerCase(), password: randomBytes(9).toString('base64url'), name: `${unit.name}操作员`.slice(0, 50), role: 'unit_operator' as const, unitCode: unit.code };
    const made = await ensureUsers(db, [account], now, GENERATED_PASSWORD_N); // rehashed at 2^17 at first login
    if (made.length) created.push({ username: account.username, password: account.password, name: account.name, unitCode: unit.code, unitName: unit.name });
    else existing++;
  }
  return ok({ created, existing });
}
