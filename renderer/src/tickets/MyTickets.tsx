/**
 * 本班工单: this shift's tickets with their status and next deadline as a live countdown, due-soon
 * and overdue coloured. Alt+M focuses the list; ↑/↓ move, Enter opens the ticket's trail (here and
 * on the second screen).
 */
import { useState, type KeyboardEvent } from 'react';
import type { TicketDeadline, TicketDetail, TicketSummary } from '../../../shared/api/contract';
import { formatPath } from '../../../shared/domain/catalogue';
import { nextDue } from '../../../shared/lifecycle/deadlines';
import { DUTY_OPERATOR, isDutyOperator } from '../../../shared/roles';
import { formatCountdown } from '../../../shared/sla/deadlines';
import { MY_TICKETS_ID } from '../desk-ids';
import { formatDateTime, formatDue } from '../format';
import { handleListKeys } from '../list-keys';
import { Overlay } from '../Overlay';
import { useNow } from '../use-now';
import { useTickets } from './tickets-store';

export function DueBadge({ deadlines, now }: { deadlines: readonly TicketDeadline[]; now: Date }) {
  const due = nextDue(deadlines, now);
  if (!due) return <span className="due due-none">无时限</span>;
  return (
    <span className={`due due-${due.state}`} title={`${due.deadline.label} ${formatDue(due.deadline.dueAt)}`}>
      {due.deadline.label} {due.text}
    </span>
  );
}

/** 督办 / 延期 / 退单 on a list row (shared/api/contract.ts TicketFlagSchema); the whole text on hover. */
export function FlagBadge({ ticket }: { ticket: Pick<TicketSummary, 'flag'> }) {
  const flag = ticket.flag;
  if (!flag) return null;
  const text = flag.kind === '延期' ? flag.text : flag.kind === '退单' ? '待重新派单' : flag.kind;
  return (
    <span className={`flag flag-${flag.kind}`} title={flag.text} data-testid="ticket-flag" data-kind={flag.kind}>
      {text}
    </span>
  );
}

/** The flag as a line over a ticket's details: 督办 with its note, the new 办结 due, the unit's return reason. */
export function FlagBanner({ ticket }: { ticket: Pick<TicketSummary, 'flag'> }) {
  const flag = ticket.flag;
  if (!flag) return null;
  const text = flag.kind === '退单' ? `已退回中心，待重新派单 · ${flag.text}` : flag.kind === '延期' ? flag.text : `${flag.kind}：${flag.text}`;
  return (
    <p className={`flag-banner flag-${flag.kind}`} role="status" data-testid="ticket-flag-banner" data-kind={flag.kind}>
      {text}
      {flag.at && <span className="muted"> · {formatDateTime(flag.at)}</span>}
    </p>
  );
}

export function MyTickets() {
  const { tickets, shiftLabel, error } = useTickets();
  const open = useTickets((s) => s.open);
  const now = useNow();
  const [active, setActive] = useState(0);
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) =>
    handleListKeys(event, { items: tickets, active, setActive, onEnter: (t) => void open(t.id) });
  return (
    <div className="my-tickets">
      <h2>
        本班工单 <span className="muted">{shiftLabel} · {tickets.length} 张</span>
        <span className="hint">
          <kbd>Alt+M</kbd> 查看
        </span>
      </h2>
      {error && <p className="field-error">{error.message}</p>}
      {tickets.length === 0 ? (
        <p className="muted">本班次还没有提交的工单</p>
      ) : (
        <ul id={MY_TICKETS_ID} className="ticket-table" tabIndex={0} onKeyDown={onKeyDown} data-testid="my-tickets" aria-label="本班工单">
          {tickets.map((t, i) => (
            <li key={t.id} className={i === active ? 'active' : ''} onMouseDown={() => void open(t.id)} data-ticket-id={t.id}>
              <span className="mono number">{t.number}</span>
              <span className={`status status-${t.status}`}>{t.status}</span>
              <span className="ticket-what">{t.leafPath.length ? t.leafPath[t.leafPath.length - 1] : t.contentPreview}</span>
              <span className="ticket-unit muted">
                <FlagBadge ticket={t} />
                {t.unitName ?? t.disposition}
                {isDutyOperator(t.operatorId) && (
                  <span data-testid="before-sign-in" title={`${takenBy(t)}受理`}>
                    {' '}
                    · 签到前
                  </span>
                )}
              </span>
              <DueBadge deadlines={t.deadlines} now={now} />
              {t.pendingSync && <span className="badge" title="尚未同步到中心">待同步</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const fmt = formatDateTime;

/** Who took a ticket as a screen says it: the duty seat is 值班坐席（签到前）, never its stored id. */
export function takenBy(t: { operatorId: string; operatorName: string }): string {
  return isDutyOperator(t.operatorId) ? `${DUTY_OPERATOR.name}（签到前）` : t.operatorName;
}

export function TicketDetailView({ ticket }: { ticket: TicketDetail }) {
  const now = useNow();
  return (
    <div className="ticket-detail" data-testid="ticket-detail">
      <div className="detail-head">
        <span className="mono number">{ticket.number}</span>
        {!ticket.official && <span className="badge">临时编号，同步后换为正式编号</span>}
        <span className={`status status-${ticket.status}`}>{ticket.status}</span>
        <DueBadge deadlines={ticket.deadlines} now={now} />
      </div>
      <FlagBanner ticket={ticket} />
      <dl className="detail-grid">
        <dt>受理</dt>
        <dd>
          {takenBy(ticket)} · {fmt(ticket.submittedAt)}
        </dd>
        <dt>来电</dt>
        <dd>
          {ticket.callerName} · {ticket.callerPhone}（回访 {ticket.callbackPhone}）· {ticket.channel} · {ticket.requestType}
        </dd>
        <dt>地址</dt>
        <dd>{[ticket.placeNames.join(' / '), ticket.address.text].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>分类</dt>
        <dd>{ticket.leafPath.length ? formatPath(ticket.leafPath) : '—'}（{ticket.urgency}）</dd>
        <dt>处理</dt>
        <dd>
          {ticket.disposition}
          {ticket.unitName && ` → ${ticket.unitName}`}
          {ticket.kbArticle && ` · 依据《${ticket.kbArticle.title}》`}
          {ticket.linkedTicket && ` · 关联原工单 ${ticket.linkedTicket.number}`}
          {ticket.unreasonableReason && ` · 理由：${ticket.unreasonableReason}`}
        </dd>
        <dt>内容</dt>
        <dd className="detail-content">{ticket.content}</dd>
      </dl>
      {ticket.deadlines.length > 0 && (
        <>
          <h3>办理时限</h3>
          <ul className="deadline-list">
            {ticket.deadlines.map((d) => (
              <li key={d.ruleId} className={d.doneAt ? 'done' : ''}>
                <span>{d.label}</span>
                <span className="mono">{formatDue(d.dueAt)}</span>
                <span>{d.doneAt ? `已完成 ${fmt(d.doneAt)}` : formatCountdown(new Date(d.dueAt).getTime() - now.getTime())}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>处理轨迹</h3>
      <ol className="trail" data-testid="ticket-trail">
        {ticket.events.map((e, i) => (
          <li key={i}>
            <span className="mono">{fmt(e.at)}</span> <strong>{e.kind}</strong> {e.actor} {e.note && <span className="muted">· {e.note}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function TicketDetailOverlay() {
  const detail = useTickets((s) => s.detail);
  const close = useTickets((s) => s.close);
  if (!detail) return null;
  return (
    <Overlay onClose={close} label="工单详情" boxClassName="wide">
      <h2>工单详情</h2>
      <TicketDetailView ticket={detail} />
      <p className="hint">
        <kbd>Esc</kbd> 关闭
      </p>
    </Overlay>
  );
}
