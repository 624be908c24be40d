/**
 * The banner after a submit: the number the caller is told (the official one once the center has
 * given it, else the provisional 临… one, and which it is), how the ticket went and what happens
 * next. It stays until the next call starts (F2 or an incoming call).
 */
import type { TicketSummary } from '../../../shared/api/contract';
import { nextDue } from '../../../shared/lifecycle/deadlines';
import { useTickets } from '../tickets/tickets-store';
import { useNow } from '../use-now';
import { useIntake } from './intake-store';

function nextDueText(ticket: TicketSummary, now: Date): string | null {
  const due = nextDue(ticket.deadlines, now);
  return due ? `${due.deadline.label} ${due.text}` : null;
}

export function SubmittedBanner() {
  const submitted = useIntake((s) => s.submitted);
  // The list hears of the official number first (tickets.changed): the banner follows it.
  const listed = useTickets((s) => (submitted ? s.tickets.find((t) => t.id === submitted.ticket.id) : undefined));
  const now = useNow();
  if (!submitted) return null;
  const ticket = listed && (listed.official || !submitted.ticket.official) ? { ...submitted.ticket, ...listed } : submitted.ticket;
  const { original, via } = submitted;
  const linked = ticket.linkedTicket;
  const where =
    ticket.disposition === '重复诉求' && linked
      ? `重复诉求，关联原工单 ${original?.number ?? linked.number}`
      : ticket.unitName
        ? `${ticket.disposition} ${ticket.unitName}`
        : ticket.disposition;
  let next: string;
  if (ticket.disposition === '重复诉求') {
    const originalDue = original ? nextDueText(original, now) : null;
    const at = original?.unitName ? `原工单由${original.unitName}办理${originalDue ? `，${originalDue}` : ''}` : '';
    next = `本单不另派单、不单独计时限，办理进展随原工单${at ? `（${at}）` : ''}`;
  } else {
    next = nextDueText(ticket, now) ?? (ticket.disposition === '咨询办结' ? '已当场办结，无时限' : '无时限');
  }
  return (
    <div className="banner banner-ok submitted" role="status" data-testid="submitted-ticket" data-official={String(ticket.official)}>
      <span data-testid="submitted-headline">
        已提交（{where}）
      </span>
      <span className="submitted-tell">
        · 请告知来电人{ticket.official ? '工单编号' : '临时编号'} <strong className="mono" data-testid="submitted-number">{ticket.number}</strong>
        <span className={`badge ${ticket.official ? '' : 'badge-warn'}`}>{ticket.official ? '正式编号' : '临时编号，同步到中心后换为正式编号'}</span>
      </span>
      <span data-testid="submitted-next"> · {next}</span>
      {via && <span data-testid="submitted-via"> · 按 Ctrl+Enter 建议提交（{via}）</span>}
    </div>
  );
}
