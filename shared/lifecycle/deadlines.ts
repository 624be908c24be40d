/**
 * A ticket's deadlines as its trail keeps them (ruleId, due, met at): computed once at submit from
 * the SLA policy — by the desk and by the hub with this one function — and ticked off by the moves
 * of ticket-lifecycle.ts. shared/sla/deadlines.ts does the date arithmetic.
 */
import type { TicketDeadline } from '../api/contract';
import type { Urgency } from '../domain/catalogue';
import type { Disposition } from '../domain/ticket';
import { deadlineLadder, deadlineState, endOfCenterDay, formatCountdown, type DeadlineState } from '../sla/deadlines';
import { centerDate } from '../time';
import { isSlaDisposition, type SlaPolicy } from '../sla/policy';
import { checkpointOf, checkpointsMet, type Checkpoint, type Move, type TicketFacts } from './ticket-lifecycle';

export interface SubmittedTicket {
  /** ISO instant of 受理: every clock starts here. */
  submittedAt: string;
  urgency: Urgency;
  disposition: Disposition;
}

/** Marks every still-open deadline of these checkpoints as met at `at`; met ones keep their time. */
export function meetCheckpoints(deadlines: readonly TicketDeadline[], checkpoints: readonly Checkpoint[], at: string): TicketDeadline[] {
  if (checkpoints.length === 0) return [...deadlines];
  return deadlines.map((d) => {
    if (d.doneAt !== null) return d;
    const checkpoint = checkpointOf(d.ruleId);
    return checkpoint && checkpoints.includes(checkpoint) ? { ...d, doneAt: at } : d;
  });
}

/** The deadlines after a move made at `at` on this ticket. */
export function deadlinesAfterMove(deadlines: readonly TicketDeadline[], move: Move, ticket: TicketFacts, at: string): TicketDeadline[] {
  return meetCheckpoints(deadlines, checkpointsMet(move, ticket), at);
}

/**
 * Every deadline the policy sets for a ticket just submitted, earliest first, with what the submit
 * itself meets already met. Tickets finished at the desk (咨询办结, 重复诉求, 不合理诉求) have none.
 */
export function deadlinesOnSubmit(policy: SlaPolicy, ticket: SubmittedTicket): TicketDeadline[] {
  if (!isSlaDisposition(ticket.disposition)) return [];
  const acceptedAt = new Date(ticket.submittedAt);
  const at = acceptedAt.toISOString();
  const ladder = deadlineLadder(policy, { acceptedAt, urgency: ticket.urgency, disposition: ticket.disposition }).map(
    (d): TicketDeadline => ({ ruleId: d.ruleId, label: d.label, dueAt: d.dueAt.toISOString(), startsAt: d.startsAt.toISOString(), doneAt: null }),
  );
  return deadlinesAfterMove(ladder, 'submit', ticket, at);
}

/**
 * The deadlines of a ticket reopened (重办) at `at` to the unit that handled it: a new ladder from
 * then, as a 直派 to that unit would have (its 派单 is met at once, except the 15-minute 落实 of
 * 即时/紧急 tickets, which the unit's 接单 meets). shared/lifecycle/callback.ts says when.
 */
export function reopenDeadlines(policy: SlaPolicy, ticket: TicketFacts, at: string): TicketDeadline[] {
  const ladder = deadlinesOnSubmit(policy, { ...ticket, submittedAt: at });
  return deadlinesAfterMove(ladder, 'submit', { disposition: '直派', urgency: ticket.urgency }, at);
}

/** The deadline a ticket shows next: the earliest one not yet met (null when all are met or there are none). */
export function earliestOpenDeadline<D extends { dueAt: string; doneAt: string | null }>(deadlines: readonly D[]): D | null {
  let earliest: D | null = null;
  let earliestMs = Infinity;
  for (const d of deadlines) {
    if (d.doneAt) continue;
    const due = Date.parse(d.dueAt);
    if (Number.isFinite(due) && due < earliestMs) {
      earliest = d;
      earliestMs = due;
    }
  }
  return earliest;
}

/** Deadlines still open and already past `now`: the ticket counts as 超期. */
export function overdueDeadlines<D extends { dueAt: string; doneAt: string | null }>(deadlines: readonly D[], now: Date): D[] {
  return deadlines.filter((d) => !d.doneAt && Date.parse(d.dueAt) <= now.getTime());
}

export interface NextDue<D extends { dueAt: string; startsAt: string; doneAt: string | null }> {
  deadline: D;
  state: DeadlineState;
  /** "剩余 2 天 3 小时", "已超时 12 分钟", … */
  text: string;
}

/** The deadline a ticket shows next, with its colour state and countdown at `now`. */
export function nextDue<D extends { dueAt: string; startsAt: string; doneAt: string | null }>(deadlines: readonly D[], now: Date): NextDue<D> | null {
  const deadline = earliestOpenDeadline(deadlines);
  if (!deadline) return null;
  const due = new Date(deadline.dueAt);
  return { deadline, state: deadlineState(due, now, new Date(deadline.startsAt)), text: formatCountdown(due.getTime() - now.getTime()) };
}

// ---- 申请延期 -----------------------------------------------------------------------------------

/** How far past the current 办结 due an extension may reach, in days. */
export const MAX_EXTENSION_DAYS = 30;

/** The open 办结 checkpoint(s) an extension moves. */
export function extendableDeadlines<D extends { ruleId: string; doneAt: string | null }>(deadlines: readonly D[]): D[] {
  return deadlines.filter((d) => !d.doneAt && checkpointOf(d.ruleId) === 'close');
}

/** The instant a new date (YYYY-MM-DD, Beijing) runs to: its 24:00, as the 1-3-5-7 days do. */
export function extensionDueAt(newDate: string): string {
  return endOfCenterDay(newDate).toISOString();
}

/**
 * Null when the ticket's open 办结 checkpoint may be extended to the end of `newDate` at `now`, else
 * why not: there is none open, the date is not later than the current due, or it is more than
 * MAX_EXTENSION_DAYS past it.
 */
export function extensionProblem(deadlines: readonly TicketDeadline[], newDate: string, now: Date): string | null {
  const open = extendableDeadlines(deadlines);
  if (!open.length) return '工单没有未到的办结时限，无需延期';
  const due = Math.max(...open.map((d) => Date.parse(d.dueAt)));
  const next = Date.parse(extensionDueAt(newDate));
  if (next <= due) return `新的办结日期须晚于现办结时限（${centerDate(new Date(due - 1))} 24:00）`;
  if (next <= now.getTime()) return '新的办结日期已过';
  if (next - due > MAX_EXTENSION_DAYS * 24 * 3600_000) return `延期不能超过 ${MAX_EXTENSION_DAYS} 天`;
  return null;
}

/** The deadlines after an approved extension: every open 办结 checkpoint now runs to the end of `newDate`. */
export function extendDeadlines(deadlines: readonly TicketDeadline[], newDate: string): TicketDeadline[] {
  const dueAt = extensionDueAt(newDate);
  return deadlines.map((d) => (!d.doneAt && checkpointOf(d.ruleId) === 'close' && Date.parse(d.dueAt) < Date.parse(dueAt) ? { ...d, dueAt } : d));
}
