/**
 * 网络渠道待受理 (Alt+W): submissions from the 网站, 微信, 微博, APP … partners (Open311), oldest first,
 * each with its channel, time, text, place and contact, the suggested category and the address
 * reading. ↑↓ choose; Enter takes one into the intake form, filled in (the submission's id goes with
 * the ticket on submit); Delete rejects it with a reason (1 垃圾信息, 2 不属本中心受理范围, 3 重复 with
 * the original ticket's number); Esc closes. Offline the view says 需联网（中心不可达）.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { Open311Pending } from '../../../shared/api/web-intake-contract';
import { formatAddressMatch } from '../../../shared/address/resolve';
import { formatPath } from '../../../shared/domain/catalogue';
import { formatDateTime } from '../format';
import { useIntake } from '../intake/intake-store';
import { handleListKeys } from '../list-keys';
import { Overlay } from '../Overlay';
import { useReference } from '../reference-store';
import { draftPatchOf, suggestionFor, useWebIntake, type RejectKind } from './web-intake-store';

export const WEB_INTAKE_LIST_ID = 'web-intake-list';
const REJECT_KINDS: readonly RejectKind[] = ['垃圾信息', '不属本中心受理范围', '重复'];

function RejectForm({ row, onDone }: { row: Open311Pending; onDone: () => void }) {
  const reject = useWebIntake((s) => s.reject);
  const [kind, setKind] = useState<RejectKind>('垃圾信息');
  const [note, setNote] = useState('');
  const [number, setNumber] = useState('');
  const submit = async () => {
    if (kind === '重复' && !number.trim()) return;
    if (await reject(row, kind, note, number)) onDone();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const typing = target.tagName === 'INPUT';
    if (!typing && ['1', '2', '3'].includes(event.key)) {
      event.preventDefault();
      setKind(REJECT_KINDS[Number(event.key) - 1]!);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      void submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    }
    // The list around it must not take these keys (Enter would take the submission, ↑↓ move).
    event.stopPropagation();
  };
  return (
    <div className="wi-reject" role="group" aria-label="不予受理" onKeyDown={onKeyDown} data-testid="web-intake-reject">
      <strong>不予受理：</strong>
      {REJECT_KINDS.map((k, i) => (
        <label key={k}>
          <input type="radio" name="wi-reject-kind" checked={kind === k} onChange={() => setKind(k)} autoFocus={i === 0} /> {i + 1} {k}
        </label>
      ))}
      {kind === '重复' && <input placeholder="原工单编号" value={number} onChange={(e) => setNumber(e.target.value)} aria-label="原工单编号" autoFocus />}
      <input placeholder="说明（可不填）" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} aria-label="不予受理说明" />
      <button type="button" onClick={() => void submit()}>
        确定（Enter）
      </button>
    </div>
  );
}

export function WebIntakeQueue() {
  const { open, loading, rows, total, error, notice, busy, hide, take } = useWebIntake();
  const index = useReference((s) => s.index);
  const resolver = useReference((s) => s.resolver);
  const [active, setActive] = useState(0);
  const [rejecting, setRejecting] = useState<Open311Pending | null>(null);
  const suggestions = useMemo(() => rows.map((r) => suggestionFor(r, index, resolver)), [rows, index, resolver]);
  useEffect(() => setActive((a) => Math.min(a, Math.max(rows.length - 1, 0))), [rows.length]);
  useEffect(() => {
    if (open && rows.length && !rejecting) document.getElementById(WEB_INTAKE_LIST_ID)?.focus();
  }, [open, rows.length, rejecting]);
  if (!open) return null;

  const takeIntoForm = async (row: Open311Pending) => {
    const claimed = await take(row);
    if (!claimed) return;
    const s = suggestions[rows.indexOf(row)] ?? suggestionFor(claimed, index, resolver);
    if (useIntake.getState().takeSubmission(claimed.id, draftPatchOf(claimed), { leafCode: s.leafCode, address: s.address })) hide();
    else {
      void useWebIntake.getState().load();
      hide();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key === 'Delete' && rows[active]) {
      event.preventDefault();
      setRejecting(rows[active]!);
      return;
    }
    handleListKeys(event, { items: rows, active, setActive, onEnter: (row) => void takeIntoForm(row) });
  };
  const offline = error?.kind === 'unavailable';

  return (
    <Overlay
      onClose={hide}
      onEscape={rejecting ? () => setRejecting(null) : hide}
      labelledBy="web-intake-title"
      boxClassName="wide redispatch-box"
      testId="web-intake-queue"
      state={loading ? 'loading' : 'ready'}
    >
      <h2 id="web-intake-title">
        网络渠道待受理 <span className="muted">网站、微信、微博、APP 等渠道提交 · {total} 件</span>
      </h2>
      {offline && (
        <p className="banner banner-warn" role="status" data-testid="web-intake-offline">
          需联网（中心不可达）：网络渠道诉求在中心，连接恢复后再打开
        </p>
      )}
      {error && !offline && <p className="field-error">{error.message}</p>}
      {notice && (
        <p className={`banner ${notice.ok ? 'banner-ok' : 'banner-error'}`} role="status" data-testid="web-intake-notice">
          {notice.text}
        </p>
      )}
      {!error && !loading && rows.length === 0 && <p className="muted">没有待受理的网络渠道诉求</p>}
      {rows.length > 0 && (
        <ul id={WEB_INTAKE_LIST_ID} className="redispatch-list" tabIndex={0} onKeyDown={onKeyDown} aria-label="网络渠道待受理" data-testid="web-intake-list">
          {rows.map((r, i) => {
            const s = suggestions[i]!;
            return (
              <li key={r.id} className={i === active ? 'active' : ''} onMouseDown={() => setActive(i)} onDoubleClick={() => void takeIntoForm(r)} data-submission-id={r.id}>
                <div className="rd-head">
                  <span className="badge">{r.channel}</span>
                  <span className="muted">{r.partner}</span>
                  <span className="mono">{formatDateTime(r.requestedAt)}</span>
                  <span className="rd-what">{r.serviceName}</span>
                  <span className="muted">{r.addressString || (r.lat !== null ? `坐标 ${r.lat}, ${r.long}` : '地址不详')}</span>
                  <span className="muted">
                    {r.name || '未留姓名'} {r.phone || r.email || '未留联系方式'}
                  </span>
                  {r.claimedByName && <span className="badge badge-bad">{r.claimedByName} 受理中</span>}
                  {busy === r.id && <span className="badge">处理中…</span>}
                </div>
                <div className="rd-content">{r.description}</div>
                <div className="rd-suggest" data-testid="web-intake-suggestion">
                  {s.leafCode ? (
                    <>
                      <span className="badge">{s.source}</span> 分类 <strong>{formatPath(s.leafPath)}</strong>
                    </>
                  ) : (
                    <span className="muted">{index ? '暂无分类建议' : '基础数据载入中，暂无建议'}</span>
                  )}
                  <span className="muted"> · 地址识别：</span>
                  {s.address ? <strong>{formatAddressMatch(s.address)}</strong> : <span className="muted">未识别</span>}
                </div>
                {rejecting?.id === r.id && <RejectForm row={r} onDone={() => setRejecting(null)} />}
              </li>
            );
          })}
        </ul>
      )}
      <p className="hint">
        <kbd>↑↓</kbd> 选择 <kbd>Enter</kbd> 受理（填入受理表单）<kbd>Delete</kbd> 不予受理 <kbd>Esc</kbd> 关闭
      </p>
    </Overlay>
  );
}
