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
 *   unit directory cannot check codes and accepts them. A 重复诉求 must name the ticket it repeats.
 * - Who pushed each ticket is recorded (tickets.pushed_by): the operator's name on a ticket is the
 *   desk's word about its own signed-in operator, the account is the hub's.
 */
import type { HubUser, PushedTicket } from '../shared/api/hub-contract';
import { DISPOSITION_RULES, isDispatching, UNIT_KIND_LABEL } from '../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../shared/result';
import type { Sql } from './db';
import type { UnitDirectory } from './units';

/** Binds each desk id not bound yet to the user; refuses when one is bound to another account. */
export async function claimDesks(db: Sql, user: HubUser, deskIds: readonly string[], now: Date): Promise<Result<void>> {
  if (user.role === 'admin') return ok(undefined);
  const ids = [...new Set(deskIds)];
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
