/**
 * What the hub checks before it believes a desk (tickets.push and tickets.pull):
 *
 * - Desk ids are bound to accounts: the first account that pushes or pulls with a desk id owns it
 *   (table desk_bindings); any other account that names that desk id is refused (forbidden), so a
 *   desk account can neither read another desk's events nor push tickets in another desk's name.
 *   Admins are not bound (they may read any desk's events when helping one).
 * - Every pushed ticket that is dispatched (直派, 派分中心, 派市中心) names a unit, and that unit is in
 *   the hub's directory with a kind its disposition allows (直派 to a street, department or utility,
 *   派分中心 to a sub-center, 派市中心 to the city center); else the whole batch is bad_request and
 *   nothing is written (the desk's sync client then sets the one bad ticket aside). A hub without a
 *   unit directory cannot check codes and accepts them. A ticket's leaf code must be a leaf (三级分类)
 *   of the catalogue in force at the hub (units.ts; a hub without a catalogue cannot check it). A
 *   重复诉求 must name the ticket it repeats, and that ticket (linked by id) must be at the hub already
 *   or earlier in the same batch — a desk pushes a duplicate of a ticket it took offline after it.
 * - Who pushed each ticket is recorded (tickets.pushed_by), and the operator is taken from the
 *   session (operatorOfPush): a **desk account** (users.desk_account, `desk: true` in the users file;
 *   hub migration 11 marks the accounts that pushed before) pushes for whoever signed in at its desk,
 *   and the operator it names is stored as its word, tickets.operator_verified false (未核验). Any
 *   other account is a **person** — a call-taker or lead signed in at a desk with their own hub
 *   account (electron/services/sync/sync-client.ts pushes their rows with their own session): each
 *   ticket must be theirs (operator id = their username, else forbidden and nothing stored), the
 *   name stored is the account's, and operator_verified is true. A person's push names the desk it
 *   was taken at without binding it (desk ids bind desk accounts only).
 */
import type { HubUser, PushedTicket } from '../shared/api/hub-contract';
import { DISPOSITION_RULES, isDispatching, UNIT_KIND_LABEL } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import { knownDeskAccount } from './auth';
import { statement, type Sql } from './db';
import type { UnitDirectory } from './units';

/**
 * Desk ids this hub process has seen bound to an account (desk id → user id). A binding is never
 * changed or removed once made, so a desk's every later pull and push is let through without the
 * read; only the positive answer is kept, and a miss asks the database. Per hub process (one per
 * createHubHandlers), at most BOUND_CACHE_LIMIT ids, then it starts again.
 */
export type BoundDesks = Map<string, string>;
const BOUND_CACHE_LIMIT = 50_000;

/** Binds each desk id not bound yet to the user (unless `bind` is false); refuses when one is bound to another account. */
export async function claimDesks(db: Sql, user: HubUser, deskIds: readonly string[], now: Date, bind = true, known?: BoundDesks): Promise<Result<void>> {
  if (user.role === 'admin') return ok(undefined);
  const ids = [...new Set(deskIds)];
  if (known && ids.every((id) => known.get(id) === user.id)) return ok(undefined);
  const result = await claimFromDatabase(db, user, ids, now, bind);
  if (result.ok && known && bind) {
    if (known.size + ids.length > BOUND_CACHE_LIMIT) known.clear();
    for (const id of ids) known.set(id, user.id);
  }
  return result;
}

const DESK_BINDINGS = statement('desk_bindings', 'SELECT desk_id, user_id = $2::uuid AS mine FROM desk_bindings WHERE desk_id = ANY($1::text[])');

async function claimFromDatabase(db: Sql, user: HubUser, ids: readonly string[], now: Date, bind: boolean): Promise<Result<void>> {
  // A desk's every pull lands here: one read when its ids are bound already, the write only for a new one.
  const bound = await db.query<{ desk_id: string; mine: boolean }>(DESK_BINDINGS, [ids, user.id]);
  const taken = bound.find((b) => !b.mine);
  if (taken) return fail('forbidden', `坐席编号 ${taken.desk_id.slice(0, 64)} 属于中心的另一个账号，当前账号（${user.username}）不能以它的名义上传或读取工单`);
  if (!bind || bound.length === ids.length) return ok(undefined);
  await db.query(
    `INSERT INTO desk_bindings (desk_id, user_id, bound_at) SELECT d, $2::uuid, $3 FROM unnest($1::text[]) AS u(d)
     ON CONFLICT (desk_id) DO NOTHING`,
    [ids, user.id, now.toISOString()],
  );
  const others = await db.query<{ desk_id: string }>('SELECT desk_id FROM desk_bindings WHERE desk_id = ANY($1::text[]) AND user_id <> $2::uuid', [ids, user.id]);
  if (others.length) return fail('forbidden', `坐席编号 ${others[0]!.desk_id.slice(0, 64)} 属于中心的另一个账号，当前账号（${user.username}）不能以它的名义上传或读取工单`);
  return ok(undefined);
}

/** The unit and disposition codes of a batch against the hub's directory. */
export function checkPushedCodes(tickets: readonly PushedTicket[], directory: UnitDirectory): Result<void> {
  for (const t of tickets) {
    if (t.disposition === '重复诉求' && !t.linkedTicketId) return fail('bad_request', `工单 ${t.provisionalNumber} 为“重复诉求”，却没有关联原工单`);
    if (t.leafCode !== null && directory.leaves?.size && !directory.leaves.has(t.leafCode)) {
      return fail('bad_request', `工单 ${t.provisionalNumber} 的诉求分类代码 ${t.leafCode} 不是中心现行派单目录中的三级分类`);
    }
    if (!isDispatching(t.disposition)) continue;
    if (!t.unitCode) return fail('bad_request', `工单 ${t.provisionalNumber} 为“${t.disposition}”，却没有承办单位`);
    if (directory.units.size === 0) continue;
    const unit = directory.units.get(t.unitCode);
    if (!unit) return fail('bad_request', `工单 ${t.provisionalNumber} 的承办单位代码 ${t.unitCode} 不在中心的单位名录中`);
    const kinds = DISPOSITION_RULES[t.disposition].unitKinds;
    if (!kinds.includes(unit.kind)) {
      return fail('bad_request', `工单 ${t.provisionalNumber} 为“${t.disposition}”，承办单位 ${unit.name}（${UNIT_KIND_LABEL[unit.kind]}）不能承接`);
    }
  }
  return ok(undefined);
}

/** Each linked ticket (重复诉求) exists at the hub or comes earlier in the batch; else bad_request naming the ticket. */
export async function checkLinks(db: Sql, tickets: readonly PushedTicket[]): Promise<Result<void>> {
  const linking = tickets.filter((t) => t.linkedTicketId);
  if (linking.length === 0) return ok(undefined);
  const wanted = [...new Set(linking.map((t) => t.linkedTicketId!.toLowerCase()))];
  const found = await db.query<{ id: string }>('SELECT id::text AS id FROM tickets WHERE id = ANY($1::uuid[])', [wanted]);
  const known = new Set(found.map((r) => r.id));
  for (const t of tickets) {
    const link = t.linkedTicketId?.toLowerCase();
    if (link && !known.has(link)) {
      return fail('bad_request', `工单 ${t.provisionalNumber} 关联的原工单（${link}）在中心不存在，也不在同批较早的工单中`);
    }
    known.add(t.id.toLowerCase());
  }
  return ok(undefined);
}

/** Whether the account is a desk's (it pushes for its signed-in operators, unverified) rather than a person's. */
export async function isDeskAccount(db: Sql, user: HubUser): Promise<boolean> {
  const known = knownDeskAccount(user); // read with the session (server/auth.ts)
  if (known !== undefined) return known;
  const [row] = await db.query<{ desk_account: boolean }>('SELECT desk_account FROM users WHERE id = $1::uuid', [user.id]);
  return row?.desk_account === true;
}

/**
 * The tickets as the hub stores them, with the operator taken from the session: a desk account's as
 * sent (unverified); a person's only when every ticket is theirs, named as their account (verified).
 */
export function operatorOfPush(user: HubUser, deskAccount: boolean, tickets: readonly PushedTicket[]): Result<{ tickets: PushedTicket[]; verified: boolean }> {
  if (deskAccount) return ok({ tickets: [...tickets], verified: false });
  const other = tickets.find((t) => t.operatorId !== user.username);
  if (other) {
    return fail(
      'forbidden',
      `当前账号（${user.username}）是个人账号，只能上传本人受理的工单；工单 ${other.provisionalNumber} 记在工号 ${other.operatorId.slice(0, 64)} 名下，应由坐席账号或此人本人上传`,
    );
  }
  return ok({ tickets: tickets.map((t) => ({ ...t, operatorName: user.name.slice(0, 50) })), verified: true });
}
