/**
 * What a ticket's trail says wants attention now, for the desk's lists, status bar and trail
 * (shared/api/contract.ts TicketFlagSchema). Pure: the trail and status in, one flag or none out.
 *
 * - 退单: the ticket waits in the center's 待派 queue (status 已退单), with the unit's reason.
 * - 督办 / 催办: the center's supervision (or a caller's urging) is the latest word on the ticket —
 *   until the unit holding it acts (接单, 回复, 办结, 申请延期, …) or the ticket is sent on.
 * - 延期: the center approved a later 办结 date (the hub writes 延期审核 "批准延期至 …"); the text
 *   names the new 办结 due from the deadlines the pull brought.
 */
import type { TicketDeadline, TicketFlag } from '../../../shared/api/contract';
import type { TicketEventKind, TicketStatus } from '../../../shared/lifecycle/ticket-lifecycle';

/** The trail events that end a 督办/催办 banner: the unit (or the center) moved the ticket on. */
const ACTS: ReadonlySet<TicketEventKind> = new Set(['派单', '接单', '退单', '回复', '办结', '延期申请', '不合理申请', '协办回复', '回访', '重办']);
/** Statuses in which a ticket is done with: no banner any more. */
const FINISHED: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['已办结', '已回访', '已关联']);

export interface FlagEvent {
  kind: TicketEventKind;
  at: string;
  note: string;
}

/** A Beijing wall-clock "MM-DD HH:mm" for an instant (the desk's screens read Beijing time). */
function beijing(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${t.slice(5, 10)} ${t.slice(11, 16)}`;
}

/** The flag of a ticket from its trail in time order, its status and deadlines; null when nothing wants attention. */
export function ticketFlag(events: readonly FlagEvent[], status: TicketStatus, deadlines: readonly TicketDeadline[]): TicketFlag | null {
  if (status === '已退单') {
    const returned = [...events].reverse().find((e) => e.kind === '退单');
    return { kind: '退单', text: returned?.note || '已退回中心，待重新派单', at: returned?.at ?? '' };
  }
  if (FINISHED.has(status)) return null;
  let urged: FlagEvent | null = null;
  let extended: FlagEvent | null = null;
  for (const e of events) {
    if (e.kind === '督办' || e.kind === '催办') urged = e;
    else if (ACTS.has(e.kind)) urged = null;
    if (e.kind === '延期审核') extended = e.note.startsWith('批准') ? e : null;
  }
  if (urged) return { kind: urged.kind === '催办' ? '催办' : '督办', text: urged.note || urged.kind, at: urged.at };
  if (extended) {
    const close = deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt);
    return { kind: '延期', text: close ? `已延期，办结时限 ${beijing(close.dueAt)}` : extended.note, at: extended.at };
  }
  return null;
}
