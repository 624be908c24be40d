import type { TicketDeadline } from '../../shared/api/contract';
import { deadlineState, formatCountdown } from '../../shared/sla/deadlines';

const TIME = new Intl.DateTimeFormat('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
export const formatTime = (iso: string) => TIME.format(new Date(iso));

/** One countdown per open checkpoint: red overdue, amber close (shared/sla/deadlines.ts decides which). */
export function Countdowns({ deadlines, now, all = false }: { deadlines: readonly TicketDeadline[]; now: Date; all?: boolean }) {
  const shown = [...deadlines].filter((d) => all || !d.doneAt).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  if (!shown.length) return <span className="due none">无待办时限</span>;
  return (
    <span className="dues">
      {shown.map((d) => {
        if (d.doneAt) {
          const late = Date.parse(d.doneAt) > Date.parse(d.dueAt);
          return (
            <span key={d.ruleId} className={`due done${late ? ' late' : ''}`} title={`应于 ${formatTime(d.dueAt)} 前`}>
              {d.label} {late ? '超时完成' : '已完成'} {formatTime(d.doneAt)}
            </span>
          );
        }
        const due = new Date(d.dueAt);
        const state = deadlineState(due, now, new Date(d.startsAt));
        return (
          <span key={d.ruleId} className={`due ${state}`} data-state={state} title={`应于 ${formatTime(d.dueAt)} 前`}>
            {d.label} {formatCountdown(due.getTime() - now.getTime())}
          </span>
        );
      })}
    </span>
  );
}
