/**
 * Who is who: every role in the center, its Chinese name, and what each role may see. The one list
 * the desk, its renderer and the hub check against; the hub's per-call roles (shared/api/hub-contract.ts)
 * and the lifecycle's per-move roles (shared/lifecycle/) are written in these names.
 */

/** Everyone who signs in anywhere: the three desk roles and the units' operators on the hub. */
export const ROLES = ['call_taker', 'team_lead', 'unit_operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person can sign in to a desk with (a unit operator works in the hub's workspace, not at a desk). */
export const DESK_ROLES = ['call_taker', 'team_lead', 'admin'] as const satisfies readonly Role[];
export type DeskRole = (typeof DESK_ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  call_taker: '话务员',
  team_lead: '班长',
  unit_operator: '承办单位',
  admin: '管理员',
};

/** Roles that may open the team lead's shift review (figures, drill-downs, exports, shift settings). */
export const LEAD_ROLES: readonly Role[] = ['team_lead', 'admin'];

export function mayReviewShifts(role: Role | null | undefined): boolean {
  return !!role && LEAD_ROLES.includes(role);
}

/**
 * Who a desk's tickets are credited to while nobody is signed in: the duty seat (值班坐席). Its id is
 * stored, never shown: screens say 值班坐席（签到前） (dutyLabel).
 */
export const DUTY_OPERATOR = { id: 'local', name: '值班坐席' } as const;

export function isDutyOperator(id: string | null | undefined): boolean {
  return id === DUTY_OPERATOR.id;
}

/** How an operator's 工号 reads on a screen: the duty seat's is 签到前, never its stored id. */
export function operatorIdLabel(id: string): string {
  return isDutyOperator(id) ? '签到前' : id;
}
