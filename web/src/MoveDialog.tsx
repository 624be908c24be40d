import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_UNREASONABLE_EVIDENCE } from '../../shared/api/hub-contract';
import { RETURN_REASONS } from '../../shared/lifecycle/ticket-lifecycle';
import type { WorkUnit } from '../../shared/api/hub-contract';
import { AssistPicker } from './AssistPicker';
import { formatTime } from './Deadlines';
import { MOVE_LABEL, useWork, type WorkMove } from './store';

const KIND_LABEL: Record<string, string> = { subcenter: '分中心', street: '街乡镇', department: '委办局', utility: '公共服务企业', city_center: '市中心' };
const MAX_SHOWN = 12;

/** The form of one move: Enter (Ctrl+Enter in a text box) makes it, Esc leaves it. */
export function MoveDialog({ move }: { move: WorkMove }) {
  const ticket = useWork((s) => s.ticket);
  const error = useWork((s) => s.moveError);
  const busy = useWork((s) => s.busy);
  const units = useWork((s) => (move === 'forward' || move === 'redispatch' ? s.units[move] : undefined));
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [reasonKind, setReasonKind] = useState<string>(RETURN_REASONS[0]);
  const [resolved, setResolved] = useState(true);
  const [filter, setFilter] = useState('');
  const [newDate, setNewDate] = useState('');
  const [evidence, setEvidence] = useState('');
  const [approve, setApprove] = useState(true);
  const levels = useWork((s) => s.me?.supervisionLevels ?? []);
  const [level, setLevel] = useState<string>('');
  const [pick, setPick] = useState(0);
  const [assists, setAssists] = useState<WorkUnit[]>([]);
  const store = useWork.getState();

  const matches = useMemo(() => {
    const q = filter.trim();
    const all = units ?? [];
    const found = q ? all.filter((u) => u.name.includes(q) || u.code.toLowerCase().includes(q.toLowerCase())) : all;
    return found.slice(0, MAX_SHOWN);
  }, [units, filter]);
  useEffect(() => {
    setPick(0);
  }, [filter]);

  if (!ticket) return null;
  const closeDue = ticket.deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt)?.dueAt;
  // The date the current 办结 due falls on (its 24:00 is the next day's 00:00 in Beijing).
  const closeDate = closeDue ? new Date(Date.parse(closeDue) + 8 * 3600_000 - 1).toISOString().slice(0, 10) : null;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (move === 'accept') void store.submitMove({ move });
    else if (move === 'forward' || move === 'redispatch') {
      const unit = matches[pick];
      if (!unit) return store.say({ tone: 'error', text: '请先选择单位' });
      void store.submitMove({ move, unitCode: unit.code, note, ...(move === 'forward' ? { assistUnitCodes: assists.map((a) => a.code) } : {}) });
    } else if (move === 'return') void store.submitMove({ move, reasonKind, reason: text.trim() });
    else if (move === 'reply') void store.submitMove({ move, reply: text.trim() });
    else if (move === 'assistReply') void store.submitMove({ move, reply: text.trim() });
    else if (move === 'close') void store.submitMove({ move, note: text.trim(), resolved });
    else if (move === 'extend') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(newDate)) return store.say({ tone: 'error', text: '请按“年-月-日”填写新的办结日期，如 2026-12-20' });
      void store.submitMove({ move, newDate, reason: text.trim() });
    } else if (move === 'decide' && ticket.pending) void store.submitMove({ move, kind: ticket.pending.kind, approve, reason: text.trim() });
    else if (move === 'supervise') void store.submitMove({ move, level: level || levels[0]?.id || '', note: text.trim() });
    else if (move === 'unreasonable') void store.submitMove({ move, reason: text.trim(), evidence: evidence.trim() });
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      store.cancelMove();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    } else if ((move === 'forward' || move === 'redispatch') && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setPick((p) => Math.max(0, Math.min(matches.length - 1, p + (e.key === 'ArrowDown' ? 1 : -1))));
    }
  };
  const textBox = (label: string, placeholder: string) => (
    <label className="wide">
      {label}
      <textarea autoFocus={move === 'reply' || move === 'close' || move === 'unreasonable' || move === 'assistReply'} rows={5} maxLength={move === 'reply' || move === 'assistReply' ? 2000 : 500} value={text} placeholder={placeholder} onChange={(e) => setText(e.target.value)} data-testid="move-text" />
      <span className="len">{text.trim().length} 字（至少 4 字）</span>
    </label>
  );
  return (
    <div className="overlay" onKeyDown={onKey}>
      <form className="dialog" role="dialog" aria-label={MOVE_LABEL[move]} onSubmit={submit} data-testid="move-dialog">
        <h2>
          {MOVE_LABEL[move]} · 工单 {ticket.number}
        </h2>
        {move === 'accept' && (
          <p>
            确认由本单位接单？接单即开始办理，响应时限在此完成。
            <button autoFocus type="submit" disabled={busy}>
              确认接单（Enter）
            </button>
          </p>
        )}
        {(move === 'forward' || move === 'redispatch') && (
          <>
            <label className="wide">
              {move === 'forward' ? '主办单位：转派给（街乡镇、委办局或公共服务企业）' : '重新派给'}
              <input autoFocus value={filter} placeholder="输入单位名称筛选，↑↓ 选择" onChange={(e) => setFilter(e.target.value)} data-testid="unit-filter" />
            </label>
            <ul className="units" role="listbox" data-testid="unit-list">
              {units === undefined && <li>正在读取单位名录…</li>}
              {matches.map((u, i) => (
                <li key={u.code} role="option" aria-selected={i === pick} className={i === pick ? 'sel' : ''} onClick={() => setPick(i)}>
                  {u.name} <span className="kind">{KIND_LABEL[u.kind] ?? u.kind}</span>
                </li>
              ))}
              {units !== undefined && !matches.length && <li>没有符合的单位</li>}
            </ul>
            {move === 'forward' && units && (
              <>
                <p className="pick-main" data-testid="picked-main">
                  主办：<b>{matches[pick]?.name ?? '（未选）'}</b>
                  {assists.length > 0 && <> · 协办：{assists.map((a) => a.name).join('、')}</>}
                </p>
                <AssistPicker units={units} mainCode={matches[pick]?.code ?? null} picked={assists} onChange={setAssists} kindLabel={(k) => KIND_LABEL[k] ?? k} />
              </>
            )}
            <label className="wide">
              说明（可不填）
              <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && submit(e as never)} />
            </label>
          </>
        )}
        {move === 'return' && (
          <>
            <label className="wide">
              退单理由
              <select autoFocus value={reasonKind} onChange={(e) => setReasonKind(e.target.value)} data-testid="return-reason">
                {RETURN_REASONS.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            {textBox('具体说明', '写明退单原因，例如应由哪个单位办理')}
            <p className="hint">退回派单方（分中心转派的退回分中心，其余退回市中心待派）。</p>
          </>
        )}
        {move === 'extend' && (
          <>
            <p className="hint">
              现办结时限：{closeDate ? `${closeDate} 24:00` : '—'}。
              市中心批准后办结时限延至新日期 24:00。
            </p>
            <label className="wide">
              新的办结日期（年-月-日，如 {closeDate ?? '2026-12-20'}）
              <input autoFocus inputMode="numeric" maxLength={10} value={newDate} placeholder="YYYY-MM-DD" onChange={(e) => setNewDate(e.target.value.trim())} data-testid="extend-date" />
            </label>
            {textBox('延期理由', '写明需要延期的原因，例如需协调产权单位、等待施工条件……')}
          </>
        )}
        {move === 'unreasonable' && (
          <>
            <p className="hint">
              经核实，诉求明显超出合理范围（如无理要求、反复来电无新诉求）的，由本单位提出申请并附证据，市中心审核：批准后工单办结，不计入本单位的考核率；不予批准则继续办理。
            </p>
            {textBox('申请理由', '写明诉求为何不合理，例如：要求政府出资装修私宅，超出职责范围')}
            <label className="wide">
              证据（核实情况、材料）
              <textarea rows={5} maxLength={MAX_UNREASONABLE_EVIDENCE} value={evidence} placeholder="上门核实的时间与情况、照片或证明材料的说明、社区意见……" onChange={(e) => setEvidence(e.target.value)} data-testid="unreasonable-evidence" />
              <span className="len">{evidence.trim().length} 字（至少 4 字，至多 {MAX_UNREASONABLE_EVIDENCE} 字）</span>
            </label>
          </>
        )}
        {move === 'decide' && ticket.pending && (
          <>
            <div className="pending-box" data-testid="decide-request">
              <b>{ticket.pending.kind === 'extension' ? `申请延期至 ${ticket.pending.newDate}` : '申请认定不合理诉求'}</b>
              <span>理由：{ticket.pending.reason}</span>
              {ticket.pending.evidence && <span>证据：{ticket.pending.evidence}</span>}
              <span className="sv-by">
                {ticket.pending.actor} · {formatTime(ticket.pending.at)}
              </span>
            </div>
            {ticket.pending.kind === 'unreasonable' && (
              <p className="hint" data-testid="decide-hint">
                {approve ? '批准：工单认定为不合理诉求并办结，不需回访，不计入承办单位的考核率。' : '不予批准：工单仍由承办单位继续办理，不予批准的理由记入全程记录。'}
              </p>
            )}
            <label className="wide">
              审核结果
              <select autoFocus value={approve ? 'yes' : 'no'} onChange={(e) => setApprove(e.target.value === 'yes')} data-testid="decide-approve">
                <option value="yes">批准</option>
                <option value="no">不予批准</option>
              </select>
            </label>
            {textBox(
              approve ? '审核意见（可不填）' : '不予批准的理由',
              approve ? (ticket.pending.kind === 'extension' ? '例如：同意，请按期办结' : '例如：经核实属不合理诉求') : '写明不予批准的理由',
            )}
          </>
        )}
        {move === 'supervise' && (
          <>
            <label className="wide">
              督办等级
              <select autoFocus value={level || levels[0]?.id || ''} onChange={(e) => setLevel(e.target.value)} data-testid="supervise-level">
                {levels.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
            {textBox('督办意见', '写明督办要求，例如：市民多次来电，请于今日内联系市民并反馈')}
            <p className="hint">承办单位的待办列表和工单页显示督办提示，直到单位处理这张工单。</p>
          </>
        )}
        {move === 'reply' && textBox('阶段回复（办理进展）', '已联系市民、现场核实情况、下一步安排……')}
        {move === 'assistReply' && (
          <>
            <p className="hint">本单位是这张工单的协办单位（主办：{ticket.unitName ?? '—'}）。协办回复只能提交一次，主办单位和市中心可见；办结由主办单位负责。</p>
            {textBox('协办回复（本单位配合办理的情况）', '已配合主办单位现场核查、本单位职责范围内的处理情况……')}
          </>
        )}
        {move === 'close' && (
          <>
            {textBox('办理结果', '问题如何处理、结果如何、已告知市民……')}
            <label className="wide">
              是否解决
              <select value={resolved ? 'yes' : 'no'} onChange={(e) => setResolved(e.target.value === 'yes')} data-testid="close-resolved">
                <option value="yes">已解决</option>
                <option value="no">未解决</option>
              </select>
            </label>
          </>
        )}
        {error && (
          <p className="error" role="alert" data-testid="move-error">
            {error}
          </p>
        )}
        <div className="buttons">
          {move !== 'accept' && (
            <button type="submit" disabled={busy}>
              确认{MOVE_LABEL[move]}（Ctrl+Enter）
            </button>
          )}
          <button type="button" onClick={() => store.cancelMove()}>
            取消（Esc）
          </button>
        </div>
      </form>
    </div>
  );
}
