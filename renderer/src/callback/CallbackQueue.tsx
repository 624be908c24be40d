/**
 * 回访 (Alt+H): the tickets waiting for a callback, earliest 回访 deadline first, and the callback of
 * the highlighted one — the original 诉求 beside the unit's 办理结果, the caller's earlier tickets,
 * and the outcome recorded with the number keys: 1 联系上 / 2 未联系上 / 3 无法联系, then
 * 1 已解决 / 2 未解决, then 1 满意 / 2 基本满意 / 3 不满意, then the citizen's words; Ctrl+Enter
 * saves. Enter dials (calls.outgoing: with no telephony connected the desk records the time and says
 * to dial by hand). ↑↓ choose, Backspace starts the callback's form again, Esc closes.
 * Offline the queue is this desk's own tickets and the callback waits in the outbox (callback-store.ts).
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { CallbackQueueItem } from '../../../shared/api/callback-contract';
import { wantsReopen } from '../../../shared/lifecycle/callback';
import { formatDateTime } from '../format';
import { handleListKeys } from '../list-keys';
import { Overlay } from '../Overlay';
import { useCallbacks, type CallbackStep } from './callback-store';

export const CALLBACK_LIST_ID = 'callback-list';
const WORDS_ID = 'callback-words';
const REASON_ID = 'callback-reason';

const STEP_KEYS: Record<CallbackStep, string> = {
  outcome: '1 联系上　2 未联系上　3 无法联系',
  resolved: '1 已解决　2 未解决',
  satisfaction: '1 满意　2 基本满意　3 不满意',
  words: '记下市民原话，Ctrl+Enter 保存',
  reason: 'Ctrl+Enter 保存',
};

export function CallbackQueue() {
  const { open, loading, items, scope, error, notice, form, step, saving, dialed, hide, setForm, setStep, resetForm, dial, record } = useCallbacks();
  const [active, setActive] = useState(0);
  useEffect(() => setActive((a) => Math.min(a, Math.max(items.length - 1, 0))), [items.length]);
  useEffect(() => {
    if (open && items.length && step !== 'words' && step !== 'reason') document.getElementById(CALLBACK_LIST_ID)?.focus();
  }, [open, items.length, step]);
  if (!open) return null;
  const item: CallbackQueueItem | undefined = items[active];

  const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);
  const save = () => {
    if (item) void record(item).then((saved) => saved && document.getElementById(CALLBACK_LIST_ID)?.focus());
  };
  const onNumber = (n: number): boolean => {
    if (step === 'outcome') {
      if (n === 1) return setForm({ outcome: '联系上' }), setStep('resolved'), true;
      if (n === 2 || n === 3) {
        setForm({ outcome: n === 2 ? '未联系上' : '无法联系' });
        setStep('reason');
        focusLater(REASON_ID);
        return true;
      }
    } else if (step === 'resolved' && (n === 1 || n === 2)) {
      setForm({ resolved: n === 1 });
      setStep('satisfaction');
      return true;
    } else if (step === 'satisfaction' && n >= 1 && n <= 3) {
      setForm({ satisfaction: (['满意', '基本满意', '不满意'] as const)[n - 1] });
      setStep('words');
      focusLater(WORDS_ID);
      return true;
    }
    return false;
  };
  const onListKeys = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.ctrlKey && event.key === 'Enter') {
      event.preventDefault();
      return save();
    }
    if (!event.altKey && !event.ctrlKey && /^[1-3]$/.test(event.key) && onNumber(Number(event.key))) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Backspace') {
      event.preventDefault();
      return resetForm();
    }
    handleListKeys(event, {
      items,
      active,
      setActive: (update) => {
        resetForm();
        setActive(update);
      },
      onEnter: (i) => void dial(i),
    });
  };
  const onFieldKeys = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.ctrlKey && event.key === 'Enter') {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      document.getElementById(CALLBACK_LIST_ID)?.focus();
    }
  };
  const reopening = wantsReopen({ outcome: form.outcome ?? '未联系上', resolved: form.resolved ?? undefined, satisfaction: form.satisfaction ?? undefined });

  return (
    <Overlay onClose={hide} labelledBy="callback-title" boxClassName="wide callback-box" testId="callback-queue" state={loading ? 'loading' : 'ready'}>
      <h2 id="callback-title">
        回访 <span className="muted">待回访 {items.length} 张 · {scope === 'center' ? '全中心' : '本机受理（中心不可达）'}</span>
      </h2>
      {scope === 'local' && (
        <p className="banner banner-warn" role="status" data-testid="callback-offline">
          中心不可达：只列出本机受理的工单；回访记录排入待同步，恢复后发送一次
        </p>
      )}
      {error && <p className="field-error">{error.message}</p>}
      {notice && (
        <p className={`banner ${notice.ok ? 'banner-ok' : 'banner-error'}`} role="status" data-testid="callback-notice">
          {notice.text}
        </p>
      )}
      {!error && !loading && items.length === 0 && <p className="muted">没有待回访的工单</p>}
      {items.length > 0 && (
        <div className="callback-layout">
          <ul id={CALLBACK_LIST_ID} className="callback-list" tabIndex={0} onKeyDown={onListKeys} aria-label="待回访工单" data-testid="callback-list">
            {items.map((r, i) => (
              <li key={r.id} className={i === active ? 'active' : ''} onMouseDown={() => setActive(i)} data-ticket-id={r.id}>
                <div className="rd-head">
                  <span className="mono number">{r.number}</span>
                  {r.reopenCount > 0 && <span className="badge badge-bad">重办 {r.reopenCount} 次</span>}
                  {r.attempts > 0 && <span className="badge">未联系上 {r.attempts} 次</span>}
                </div>
                <div className="muted">
                  {r.callerName} · {r.unitName ?? '—'} · 回访时限 {r.reviewDueAt ? formatDateTime(r.reviewDueAt) : '—'}
                </div>
              </li>
            ))}
          </ul>
          {item && (
            <section className="callback-detail" aria-label="回访详情" data-testid="callback-detail">
              <div className="callback-columns">
                <div>
                  <h3>市民诉求 <span className="muted">{formatDateTime(item.submittedAt)}</span></h3>
                  <p className="callback-text" data-testid="callback-content">{item.content}</p>
                </div>
                <div>
                  <h3>
                    办理结果 <span className="muted">{item.unitName ?? ''}{item.resultAt ? ` · ${formatDateTime(item.resultAt)}` : ''}</span>
                  </h3>
                  <p className="callback-text" data-testid="callback-result">{item.result || '（承办单位未写办理结果）'}</p>
                </div>
              </div>
              <p>
                来电人 <strong>{item.callerName}</strong> · 回访电话 <span className="mono">{item.callbackPhone || item.callerPhone}</span>
                {item.retryAfter && <span className="muted"> · 上次 {formatDateTime(item.lastAttemptAt!)} 未联系上，{formatDateTime(item.retryAfter)} 后换时段再拨</span>}
              </p>
              {dialed?.ticketId === item.id && <p className="banner banner-warn" data-testid="callback-dialed">{dialed.text}</p>}
              <h3>此前工单 <span className="muted">同一号码</span></h3>
              {item.earlier.length === 0 ? (
                <p className="muted">无</p>
              ) : (
                <ul className="callback-earlier" data-testid="callback-earlier">
                  {item.earlier.map((e) => (
                    <li key={e.number}>
                      <span className="mono">{e.number}</span> <span className="badge">{e.status}</span> <span className="muted">{formatDateTime(e.submittedAt)}</span> {e.content}
                    </li>
                  ))}
                </ul>
              )}
              <div className="callback-form" data-testid="callback-form">
                <p>
                  {form.outcome ? <span className="badge">{form.outcome}</span> : null}
                  {form.resolved !== null && <span className="badge">{form.resolved ? '已解决' : '未解决'}</span>}
                  {form.satisfaction && <span className={`badge ${form.satisfaction === '不满意' ? 'badge-bad' : ''}`}>{form.satisfaction}</span>}
                  <span className="hint" data-testid="callback-step"> {STEP_KEYS[step]}</span>
                </p>
                {step === 'words' && (
                  <label>
                    市民原话{reopening ? '（将重办，必填）' : ''}
                    <textarea id={WORDS_ID} value={form.words} rows={3} maxLength={1000} onChange={(e) => setForm({ words: e.target.value })} onKeyDown={onFieldKeys} />
                  </label>
                )}
                {step === 'reason' && (
                  <label>
                    {form.outcome === '无法联系' ? '无法联系的原因（必填：空号、拒接…）' : '情况（可不填：无人接听、关机…）'}
                    <textarea id={REASON_ID} value={form.reason} rows={2} maxLength={200} onChange={(e) => setForm({ reason: e.target.value })} onKeyDown={onFieldKeys} />
                  </label>
                )}
                {saving && <span className="badge">保存中…</span>}
              </div>
            </section>
          )}
        </div>
      )}
      <p className="hint">
        <kbd>↑↓</kbd> 选择 <kbd>Enter</kbd> 拨打 <kbd>1</kbd>–<kbd>3</kbd> 记录结果 <kbd>Ctrl+Enter</kbd> 保存 <kbd>Backspace</kbd> 重填 <kbd>Esc</kbd> 关闭
      </p>
    </Overlay>
  );
}
