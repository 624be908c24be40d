/**
 * The second screen: the current call side by side — on the left the knowledge-base answer to read
 * aloud, on the right the caller's history or the ticket opened from 本班工单. It follows the main
 * window through the desk's `side.view` event (side-store.ts); a new call clears it (wiring.ts), so
 * it never shows the last caller's answer. In the browser host it is a popup of the same app.
 */
import { useEffect, useState } from 'react';
import type { SideScreen as SideScreenState, TicketDetail, TicketSummary } from '../../shared/api/contract';
import { formatPath } from '../../shared/domain/catalogue';
import { api } from './bridge';
import type { KbArticle } from './kb/kb-store';
import { KbArticleView } from './kb/KbPanel';
import { useSide } from './side-store';
import { DueBadge, TicketDetailView } from './tickets/MyTickets';
import { useNow } from './use-now';

type Loaded<T> = { state: 'none' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

type Record =
  | { kind: 'history'; phone: string; tickets: TicketSummary[] }
  | { kind: 'ticket'; ticket: TicketDetail };

async function loadKb(id: string | null): Promise<Loaded<KbArticle>> {
  if (!id) return { state: 'none' };
  const r = await api.call('kb.article', { id });
  return r.ok ? { state: 'ready', value: r.value } : { state: 'error', message: r.error.message };
}

async function loadRecord(record: SideScreenState['record']): Promise<Loaded<Record>> {
  if (!record) return { state: 'none' };
  if (record.kind === 'history') {
    const r = await api.call('tickets.history', { phone: record.phone });
    return r.ok ? { state: 'ready', value: { kind: 'history', phone: record.phone, tickets: r.value } } : { state: 'error', message: r.error.message };
  }
  const r = await api.call('tickets.get', { id: record.id });
  return r.ok ? { state: 'ready', value: { kind: 'ticket', ticket: r.value } } : { state: 'error', message: r.error.message };
}

/** Reads what a slot names whenever it (or the tickets) change; the last answer wins. */
function useLoaded<K, T>(key: K, version: number, load: (key: K) => Promise<Loaded<T>>): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'none' });
  useEffect(() => {
    let live = true;
    void load(key).then((l) => live && setLoaded(l));
    return () => {
      live = false;
    };
  }, [key, version, load]);
  return loaded;
}

export function SideScreen() {
  // What to show arrives as the desk's side.view event (wiring.ts).
  const screen = useSide((s) => s.screen);
  const version = useSide((s) => s.ticketsVersion);
  const kb = useLoaded(screen.kb, 0, loadKb);
  const record = useLoaded(screen.record, version, loadRecord);
  const now = useNow();

  useEffect(() => {
    void useSide.getState().loadCurrent();
  }, []);

  const kind = kb.state === 'ready' ? (record.state === 'ready' ? 'both' : 'kb') : record.state === 'ready' ? record.value.kind : 'none';
  return (
    <div className="side-screen" data-testid="side-screen" data-view={kind}>
      <section className="card side-pane" aria-labelledby="side-kb-title" data-testid="side-kb">
        <h2 id="side-kb-title">知识库答复</h2>
        {kb.state === 'ready' && <KbArticleView article={kb.value} />}
        {kb.state === 'error' && <p className="field-error">{kb.message}</p>}
        {kb.state === 'none' && <p className="placeholder">主屏在知识库中打开文章（F4 检索，Enter 阅读）后，答复显示在这里，供照读。</p>}
      </section>
      <section className="card side-pane" aria-labelledby="side-record-title" data-testid="side-record">
        {record.state === 'ready' && record.value.kind === 'ticket' && (
          <>
            <h2 id="side-record-title">工单详情</h2>
            <TicketDetailView ticket={record.value.ticket} />
          </>
        )}
        {record.state === 'ready' && record.value.kind === 'history' && (
          <>
            <h2 id="side-record-title">
              来电历史 <span className="mono">{record.value.phone}</span> <span className="muted">{record.value.tickets.length} 张</span>
            </h2>
            {record.value.tickets.length === 0 ? (
              <p className="muted">该号码没有历史工单</p>
            ) : (
              <ul className="ticket-table">
                {record.value.tickets.map((t) => (
                  <li key={t.id}>
                    <span className="mono number">{t.number}</span>
                    <span className={`status status-${t.status}`}>{t.status}</span>
                    <span className="ticket-what">{t.leafPath.length ? formatPath(t.leafPath) : t.contentPreview}</span>
                    <span className="ticket-unit muted">
                      {new Date(t.submittedAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} · {t.unitName ?? t.disposition}
                    </span>
                    <DueBadge deadlines={t.deadlines} now={now} />
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {record.state === 'error' && <p className="field-error">{record.message}</p>}
        {record.state === 'none' && (
          <>
            <h2 id="side-record-title">来电历史</h2>
            <p className="placeholder">来电人有历史工单时显示在这里；在本班工单中打开的工单详情也显示在这里。</p>
          </>
        )}
      </section>
    </div>
  );
}
