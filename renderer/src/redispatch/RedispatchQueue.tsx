/**
 * 待派 (Alt+R, 班长): the tickets units returned to the center, each with who returned it and why,
 * how often it came back, and the dispatch suggestion with its reason as intake would make it.
 * ↑↓ choose, Enter re-dispatches to the suggestion, Alt+U picks another unit (intake's unit picker),
 * Esc closes. Offline the desk cannot reach the hub's queue: the view says 需联网（中心不可达）.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { ReturnedTicket } from '../../../shared/api/contract';
import { DISPOSITION_OF_KIND } from '../../../shared/dispatch/suggest';
import { formatPath } from '../../../shared/domain/catalogue';
import { formatDateTime } from '../format';
import { UnitPicker } from '../intake/DispositionPanel';
import { handleListKeys } from '../list-keys';
import { Overlay } from '../Overlay';
import { useReference } from '../reference-store';
import { useRedispatch } from './redispatch-store';
import { suggestionForReturned } from './returned-suggestion';

export const REDISPATCH_LIST_ID = 'redispatch-list';

export function RedispatchQueue() {
  const { open, loading, rows, total, error, notice, sending, hide, send } = useRedispatch();
  const unitLookup = useReference((s) => s.unitLookup);
  const places = useReference((s) => s.places);
  const [active, setActive] = useState(0);
  const [picking, setPicking] = useState<ReturnedTicket | null>(null);
  const suggestions = useMemo(() => rows.map((r) => suggestionForReturned(r, { unitLookup, places })), [rows, unitLookup, places]);
  useEffect(() => setActive((a) => Math.min(a, Math.max(rows.length - 1, 0))), [rows.length]);
  useEffect(() => {
    if (open && rows.length) document.getElementById(REDISPATCH_LIST_ID)?.focus();
  }, [open, rows.length]);
  if (!open) return null;

  const toSuggestion = (row: ReturnedTicket) => {
    const s = suggestions[rows.indexOf(row)];
    if (s) void send(row, s.unit);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.altKey && event.key.toLowerCase() === 'u' && rows[active]) {
      // The list's own 另选单位: the intake form's Alt+U must not see this key.
      event.preventDefault();
      event.stopPropagation();
      setPicking(rows[active]!);
      return;
    }
    handleListKeys(event, { items: rows, active, setActive, onEnter: toSuggestion });
  };
  const offline = error?.kind === 'unavailable';

  return (
    <Overlay onClose={hide} labelledBy="redispatch-title" boxClassName="wide redispatch-box" testId="redispatch-queue" state={loading ? 'loading' : 'ready'}>
      <h2 id="redispatch-title">
        待派工单 <span className="muted">退回中心、等待重新派单 · {total} 张</span>
      </h2>
      {offline && (
        <p className="banner banner-warn" role="status" data-testid="redispatch-offline">
          需联网（中心不可达）：待派工单在中心，连接恢复后再打开
        </p>
      )}
      {error && !offline && <p className="field-error">{error.message}</p>}
      {notice && (
        <p className={`banner ${notice.ok ? 'banner-ok' : 'banner-error'}`} role="status" data-testid="redispatch-notice">
          {notice.text}
        </p>
      )}
      {!error && !loading && rows.length === 0 && <p className="muted">没有待派工单</p>}
      {rows.length > 0 && (
        <ul id={REDISPATCH_LIST_ID} className="redispatch-list" tabIndex={0} onKeyDown={onKeyDown} aria-label="待派工单" data-testid="redispatch-list">
          {rows.map((r, i) => {
            const s = suggestions[i];
            return (
              <li key={r.id} className={i === active ? 'active' : ''} onMouseDown={() => setActive(i)} data-ticket-id={r.id}>
                <div className="rd-head">
                  <span className="mono number">{r.number}</span>
                  <span className="badge badge-bad" title="该工单被退回的次数">退单 {r.returnCount} 次</span>
                  <span className="rd-what">{r.leafPath.length ? formatPath(r.leafPath) : '未选分类'}</span>
                  <span className="muted">{r.addressText || '地址不详'}</span>
                  {sending === r.id && <span className="badge">派单中…</span>}
                </div>
                <div className="rd-content">{r.content}</div>
                <div className="rd-return" data-testid="redispatch-return">
                  退单：{r.returnedBy ?? '承办单位'}
                  {r.returnedAt && <span className="muted"> · {formatDateTime(r.returnedAt)}</span>}
                  {r.returnReason && <> · {r.returnReason}</>}
                </div>
                <div className="rd-suggest" data-testid="redispatch-suggestion">
                  {s ? (
                    <>
                      <span className={`badge badge-kind-${s.kind}`}>{DISPOSITION_OF_KIND[s.kind]}</span> 建议派往 <strong>{s.unit.name}</strong>
                      <span className="muted"> · {s.reason}</span>
                    </>
                  ) : (
                    <span className="muted">基础数据载入中，暂无建议</span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <p className="hint">
        <kbd>↑↓</kbd> 选择 <kbd>Enter</kbd> 按建议重新派单 <kbd>Alt+U</kbd> 另选单位 <kbd>Esc</kbd> 关闭
      </p>
      {picking && (
        <UnitPicker
          title={`重新派单：${picking.number}`}
          enterHint="重新派往该单位"
          onClose={() => setPicking(null)}
          onChoose={(unit) => send(picking, unit)}
        />
      )}
    </Overlay>
  );
}
