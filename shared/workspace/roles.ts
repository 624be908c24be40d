/**
 * Who someone is in the hub's web workspace (web/), from their hub role (shared/roles.ts) and, for
 * unit operators, the kind of their unit in the unit directory (server/units.ts):
 * - 承办单位 (unit): a street/township, department or utility operator — works its own tickets;
 * - 分中心 (subcenter): the operator of a district's 接诉即办分中心 — forwards its district's tickets;
 * - 市中心 (center): the city center's operators and the team leads — the 待派 queue, 重新派单;
 * - 管理员 (admin): everything, and unit accounts.
 * Call-takers work at a desk, not here. What each may do is the lifecycle's (moveRefusal) plus the
 * forwarding rule below; the hub checks both on every move.
 */
import type { Unit, UnitKind } from '../domain/places';
import type { Role } from '../roles';

export const WORK_ROLES = ['unit', 'subcenter', 'center', 'admin'] as const;
export type WorkRole = (typeof WORK_ROLES)[number];

export const WORK_ROLE_LABEL: Record<WorkRole, string> = {
  unit: '承办单位',
  subcenter: '区分中心',
  center: '市中心',
  admin: '管理员',
};

export function workRoleOf(role: Role, unitKind: UnitKind | null): WorkRole | null {
  switch (role) {
    case 'admin':
      return 'admin';
    case 'team_lead':
      return 'center';
    case 'unit_operator':
      return unitKind === 'city_center' ? 'center' : unitKind === 'subcenter' ? 'subcenter' : 'unit';
    case 'call_taker':
      return null;
  }
}

/**
 * Null when a ticket held by `from` may be forwarded to `to`, else why not. A sub-center forwards to
 * a street/township of its own district or to a department or utility; the city center to any unit
 * but itself. Nobody forwards to a unit the directory does not know.
 */
export function forwardProblem(from: Unit | null, to: Unit | null, toCode: string): string | null {
  if (!to) return `单位名录中没有“${toCode}”`;
  if (from && to.code === from.code) return `工单已在“${to.name}”`;
  if (to.kind === 'city_center') return '不能转派给市中心；如需中心处理请退单';
  if (from?.kind === 'subcenter') {
    if (to.kind === 'subcenter') return `“${to.name}”是其他区的分中心，分中心只能转派本区街乡镇或委办局、公共服务企业`;
    if (to.kind === 'street' && to.districtCode !== from.districtCode) return `“${to.name}”不在${from.name.replace('接诉即办分中心', '')}，分中心只能转派本区的街乡镇`;
  }
  return null;
}

/** The units a ticket held by `from` may be forwarded to, in directory order. */
export function forwardTargets(from: Unit | null, units: Iterable<Unit>): Unit[] {
  const out: Unit[] = [];
  for (const u of units) if (!forwardProblem(from, u, u.code)) out.push(u);
  return out;
}

/** Units a returned ticket may be sent out to again: sub-centers, streets, departments, utilities. */
export function redispatchTargets(units: Iterable<Unit>): Unit[] {
  return [...units].filter((u) => u.kind !== 'city_center');
}
