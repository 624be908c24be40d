/**
 * The lead view's toolbar: the quick scopes (本班, 上一班, 今日, 近7日), dates, shift, operators and
 * category level; the table's exports, shift settings, sign-in and the way back to the desk.
 */
import { useEffect, useRef, useState } from 'react';
import type { LeadContext, LeadScope } from '../../../shared/api/lead-contract';
import { ROLE_LABEL } from '../../../shared/roles';
import { addCalendarDays } from '../../../shared/sla/deadlines';
import { useShell } from '../shell-store';
import { LEVEL_LABEL, parseCenterDate } from './format';
import { quickScopes, useLead } from './lead-store';
import { useLeadUi } from './lead-ui-store';

export function Toolbar({ context, scope, onSettings }: { context: LeadContext; scope: LeadScope; onSettings: () => void }) {
  const setScope = useLead((s) => s.setScope);
  const exporting = useLead((s) => s.exporting);
  const operator = useShell((s) => s.info?.operator);
  const quick = quickScopes(context, { operatorIds: scope.operatorIds, categoryLevel: scope.categoryLevel });
  const same = (a: LeadScope, b: LeadScope) => a.from === b.from && a.to === b.to && a.shiftCode === b.shiftCode;
  return (
    <div className="lead-toolbar" role="toolbar" aria-label="统计范围">
      <h2 className="lead-title">班次统计</h2>
      <div className="lead-quick" role="group" aria-label="快速选择">
        {quick.map((q) => (
          <button key={q.key} className={`seg ${same(q.scope, scope) ? 'active' : ''}`} onClick={() => setScope(q.scope)} data-testid={`quick-${q.key}`}>
            {q.label}
          </button>
        ))}
      </div>
      <label className="lead-field">
        <span>日期</span>
        <DateField value={scope.from} label="开始日期" onChange={(from) => setScope({ from })} testId="scope-from" />
        <span>至</span>
        <DateField value={scope.to} label="结束日期" onChange={(to) => setScope({ to })} testId="scope-to" />
      </label>
      <label className="lead-field">
        <span>班次</span>
        <select className="text-input" value={scope.shiftCode ?? ''} onChange={(e) => setScope({ shiftCode: e.target.value || null })} data-testid="scope-shift">
          <option value="">全部班次</option>
          {context.shifts.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name} {s.start}–{s.end}
            </option>
          ))}
        </select>
      </label>
      <OperatorPicker context={context} scope={scope} />
      <div className="lead-field" role="radiogroup" aria-label="分类级别">
        <span>分类</span>
        {([1, 2, 3] as const).map((level) => (
          <button
            key={level}
            role="radio"
            aria-checked={scope.categoryLevel === level}
            className={`seg ${scope.categoryLevel === level ? 'active' : ''}`}
            onClick={() => setScope({ categoryLevel: level })}
            data-testid={`scope-level-${level}`}
          >
            {LEVEL_LABEL[level]}
          </button>
        ))}
      </div>
      <span className="lead-toolbar-gap" />
      <button className="lead-btn" onClick={() => void useLead.getState().exportFile('operators', 'csv')} disabled={exporting} data-testid="export-table-csv">
        导出 CSV
      </button>
      <button className="lead-btn" onClick={() => void useLead.getState().exportFile('operators', 'xlsx')} disabled={exporting} data-testid="export-table-xlsx">
        导出 XLSX
      </button>
      <button className="lead-btn" onClick={onSettings} data-testid="open-shift-settings">
        班次设置
      </button>
      <button className="lead-btn" onClick={() => useLeadUi.getState().openSignIn()} title="Alt+S">
        {operator ? `${ROLE_LABEL[operator.role]} ${operator.name}` : '签到'}
      </button>
      <button className="lead-btn" onClick={() => useLeadUi.getState().toggle(false)} data-testid="lead-close">
        返回受理 <kbd>Alt+L</kbd>
      </button>
    </div>
  );
}

/** A date as the center writes it (2026-12-01), whatever the browser's locale; ↑↓ step a day. */
function DateField({ value, label, onChange, testId }: { value: string; label: string; onChange: (date: string) => void; testId: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const normalised = parseCenterDate(text);
  const commit = () => {
    if (normalised && normalised !== value) onChange(normalised);
    else setText(value);
  };
  return (
    <input
      className={`text-input mono lead-date ${normalised ? '' : 'invalid'}`}
      value={text}
      aria-label={`${label}（年-月-日，↑↓ 前后一天）`}
      title="年-月-日，如 2026-12-01；↑↓ 前后一天，Enter 确定"
      aria-invalid={!normalised}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          onChange(addCalendarDays(value, e.key === 'ArrowUp' ? 1 : -1));
        }
      }}
      data-testid={testId}
    />
  );
}

function OperatorPicker({ context, scope }: { context: LeadContext; scope: LeadScope }) {
  const setScope = useLead((s) => s.setScope);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const chosen = new Set(scope.operatorIds);
  const label =
    chosen.size === 0
      ? '全部坐席'
      : context.operators
          .filter((o) => chosen.has(o.id))
          .map((o) => o.name)
          .slice(0, 2)
          .join('、') + (chosen.size > 2 ? ` 等 ${chosen.size} 人` : '');
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setScope({ operatorIds: [...next] });
  };
  return (
    <div
      className="lead-field lead-picker"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          box.current?.querySelector('button')?.focus();
        }
      }}
      onBlur={(e) => {
        if (!box.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <span>坐席</span>
      <button className="text-input lead-picker-button" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen((o) => !o)} data-testid="scope-operators">
        {label} ▾
      </button>
      {open && (
        <div className="lead-picker-menu" role="group" aria-label="选择坐席">
          <label>
            <input type="checkbox" checked={chosen.size === 0} onChange={() => setScope({ operatorIds: [] })} autoFocus />
            全部坐席
          </label>
          {context.operators.map((o) => (
            <label key={o.id}>
              <input type="checkbox" checked={chosen.has(o.id)} onChange={() => toggle(o.id)} data-testid={`scope-operator-${o.id}`} />
              {o.name} <span className="muted mono">{o.id}</span>
            </label>
          ))}
          {context.operators.length === 0 && <p className="muted">本机还没有坐席受理过工单</p>}
        </div>
      )}
    </div>
  );
}
