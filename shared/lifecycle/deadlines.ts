/**
 * A ticket's deadlines as its trail keeps them (ruleId, due, met at): computed once at submit from
 * the SLA policy — by the desk and by the hub with this one function — and ticked off by the moves
 * of ticket-lifecycle.ts. shared/sla/deadlines.ts does the date arithmetic.
 */
import type { TicketDeadline } from '../api/contract';
import type { Urgency } from '../domain/catalogue';
import type { Disposition } from '../domain/ticket';
import { deadlineLadder, deadlineState, formatCountdown, type DeadlineState } from '../sla/deadlines';
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
