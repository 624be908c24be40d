/**
 * 查询工单 / 催办 (F5; renderer/src/lookup/lookup-store.ts): one box for an official number, a 临…
 * number or a phone number (the current caller's to start with), the tickets found with status, unit,
 * next deadline and trail, marked 全中心 or 本机, and a 催办 note recorded on the chosen ticket with
 * Enter (never a new ticket). ↑↓ choose a ticket; Esc closes.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { formatPath } from '../../../shared/domain/catalogue';
import { nextDue } from '../../../shared/lifecycle/deadlines';
import { formatDateTime } from '../format';
import { Overlay } from '../Overlay';
import { useLookup } from './lookup-store';

const URGE_OPEN = new Set(['已派单', '已接单', '已回复', '已退单', '待审核', '已回访']);

export function LookupView() {
  const { open, key, searching, scope, tickets, active, error, notice, urging, hide, setKey, setActive, search, urge } = useLookup();
  const [note, setNote] = useState('');
  const keyRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) keyRef.current?.focus();
  }, [open]);
  if (!open) return null;
  const ticket = tickets[active] ?? null;
  const due = ticket ? nextDue(ticket.deadlines, new Date()) : null;
  const mayUrge = !!ticket && URGE_OPEN.has(ticket.status);

  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void search();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(active + (event.key === 'ArrowDown' ? 1 : -1));
    }
  };
  const onNoteKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && mayUrge) {
      event.preventDefault();
      void urge(note.trim()).then((done) => done && setNote(''));
    }
  };

  return (
    <Overlay onClose={hide} labelledBy="lookup-title" boxClassName="wide lookup-box" testId="lookup-view" state={searching ? 'loading' : 'ready'}>
      <h2 id="lookup-title">
        查询工单 / 催办{' '}
        {scope && (
          <span className={`badge ${scope === 'center' ? 'badge-ok' : 'badge-warn'}`} data-testid="lookup-scope" title={scope === 'center' ? '中心所有坐席受理的工单' : '中心不可达，只查了本坐席受理的工单'}>
            {scope === 'center' ? '全中心' : '本机'}
          </span>
        )}
      </h2>
      <label className="lookup-key">
        工单编号 / 临时编号 / 来电号码
        <input ref={keyRef} value={key} onChange={(e) => setKey(e.target.value)} onKeyDown={onKey} data-testid="lookup-key" placeholder="如 20261201000012、临20261201-0003 或 13912345678" />
      </label>
      {error && <p className="field-error">{error}</p>}
      {tickets.length > 0 && (
        <div className="lookup-body">
          <ul className="lookup-list" aria-label="查到的工单" data-testid="lookup-list">
            {tickets.map((t, i) => (
              <li key={t.id} className={i === active ? 'active' : ''} onMouseDown={() => setActive(i)} data-ticket-id={t.id}>
                <span className="mono number">{t.number}</span> <span className="badge">{t.status}</span>
                {t.urgeCount > 0 && <span className="badge badge-warn">催办 {t.urgeCount}</span>}
                <div className="muted">
                  {formatDateTime(t.submittedAt)} · {t.callerName || '未留姓名'} · {t.contentPreview}
                </div>
              </li>
            ))}
          </ul>
          {ticket && (
            <section className="lookup-detail" data-testid="lookup-detail" aria-label={`工单 ${ticket.number}`}>
              <dl>
                <dt>状态</dt>
                <dd data-testid="lookup-status">{ticket.status}</dd>
                <dt>承办单位</dt>
                <dd data-testid="lookup-unit">{ticket.unitName ?? '—'}</dd>
                <dt>分类</dt>
                <dd>{ticket.leafPath.length ? formatPath(ticket.leafPath) : '—'}</dd>
                <dt>地址</dt>
                <dd>{ticket.addressText || '—'}</dd>
                <dt>下一时限</dt>
                <dd>{due ? `${due.deadline.label} ${formatDateTime(due.deadline.dueAt)}` : '—'}</dd>
                <dt>催办</dt>
                <dd data-testid="lookup-urges">
                  {ticket.urgeCount} 次{ticket.urgeSuggestion ? `（${ticket.urgeSuggestion.note}）` : ''}
                </dd>
              </dl>
              <p className="lookup-content">{ticket.content}</p>
              <ol className="lookup-trail" aria-label="处理轨迹">
                {ticket.trail.map((e, i) => (
                  <li key={i}>
                    <span className="muted">{formatDateTime(e.at)}</span> <strong>{e.kind}</strong> {e.actor} {e.note}
                  </li>
                ))}
              </ol>
              <label className="lookup-urge">
                催办说明（Enter 记录在本工单上，不新建工单）
                <input
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  onKeyDown={onNoteKey}
                  disabled={!mayUrge || urging}
                  data-testid="lookup-urge-note"
                  placeholder={mayUrge ? '市民再次来电询问办理进度…' : `工单${ticket.status}，不能催办`}
                />
              </label>
              <button type="button" disabled={!mayUrge || urging} onClick={() => void urge(note.trim()).then((done) => done && setNote(''))} data-testid="lookup-urge">
                记录催办
              </button>
            </section>
          )}
        </div>
      )}
      {notice && (
        <p className={`banner ${notice.ok ? 'banner-ok' : 'banner-error'}`} role="status" data-testid="lookup-notice">
          {notice.text}
        </p>
      )}
    </Overlay>
  );
}
