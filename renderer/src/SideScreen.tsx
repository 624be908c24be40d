/**
 * The second screen: whatever the main window last put there — a knowledge-base article to read
 * aloud, the caller's history, or one ticket's detail and trail. It follows the main window through
 * the desk's `side.view` event (side-store.ts), so in the browser host it is simply a second window of the same app.
 */
import { useEffect, useState } from 'react';
import type { SideView, TicketDetail, TicketSummary } from '../../shared/api/contract';
import { formatPath } from '../../shared/domain/catalogue';
import { api } from './bridge';
import type { KbArticle } from './kb/kb-store';
import { KbArticleView } from './kb/KbPanel';
import { useSide } from './side-store';
import { DueBadge, TicketDetailView } from './tickets/MyTickets';
import { useNow } from './use-now';

type Shown =
  | { kind: 'none' }
  | { kind: 'kb'; article: KbArticle }
  | { kind: 'history'; phone: string; tickets: TicketSummary[] }
  | { kind: 'ticket'; ticket: TicketDetail }
  | { kind: 'error'; message: string };

async function load(view: SideView): Promise<Shown> {
  switch (view.kind) {
    case 'none':
      return { kind: 'none' };
    case 'kb': {
      const r = await api.call('kb.article', { id: view.articleId });
      return r.ok ? { kind: 'kb', article: r.value } : { kind: 'error', message: r.error.message };
    }
    case 'history': {
      const r = await api.call('tickets.history', { phone: view.phone });
      return r.ok ? { kind: 'history', phone: view.phone, tickets: r.value } : { kind: 'error', message: r.error.message };
    }
    case 'ticket': {
      const r = await api.call('tickets.get', { id: view.id });
      return r.ok ? { kind: 'ticket', ticket: r.value } : { kind: 'error', message: r.error.message };
    }
  }
}

export function SideScreen() {
  // What to show arrives as the desk's side.view event (wiring.ts).
  const view = useSide((s) => s.view);
  const version = useSide((s) => s.ticketsVersion);
  const [shown, setShown] = useState<Shown>({ kind: 'none' });
  const now = useNow();

  useEffect(() => {
    void useSide.getState().loadCurrent();
  }, []);

  useEffect(() => {
    let live = true;
    void load(view).then((s) => live && setShown(s));
    return () => {
      live = false;
    };
  }, [view, version]);

  return (
    <section className="card grow side-screen" data-testid="side-screen" data-view={shown.kind}>
      {shown.kind === 'none' && (
        <>
          <h2>副屏</h2>
          <p className="placeholder">主屏打开的知识库文章、来电人历史工单和工单详情会显示在这里。</p>
        </>
      )}
      {shown.kind === 'error' && <p className="field-error">{shown.message}</p>}
      {shown.kind === 'kb' && (
        <>
          <h2>知识库答复</h2>
          <KbArticleView article={shown.article} />
        </>
      )}
      {shown.kind === 'history' && (
        <>
          <h2>
            来电历史 <span className="mono">{shown.phone}</span> <span className="muted">{shown.tickets.length} 张</span>
          </h2>
          {shown.tickets.length === 0 ? (
            <p className="muted">该号码没有历史工单</p>
          ) : (
            <ul className="ticket-table">
              {shown.tickets.map((t) => (
                <li key={t.id}>
                  <span className="mono number">{t.number}</span>
                  <span className={`status status-${t.status}`}>{t.status}</span>
                  <span className="ticket-what">{t.leafPath.length ? formatPath(t.leafPath) : t.contentPreview}</span>
                  <span className="ticket-unit muted">{new Date(t.submittedAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} · {t.unitName ?? t.disposition}</span>
                  <DueBadge deadlines={t.deadlines} now={now} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {shown.kind === 'ticket' && (
        <>
          <h2>工单详情</h2>
          <TicketDetailView ticket={shown.ticket} />
        </>
      )}
    </section>
  );
}
