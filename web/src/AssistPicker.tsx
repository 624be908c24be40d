/**
 * The 协办 units of a 双派单 in the forward dialog (MoveDialog.tsx), all from the keyboard: type to
 * filter, ↑↓ to move, Space or Enter to add or remove the highlighted unit, Backspace in the empty
 * box to remove the last one; the picked units show as chips. The 主办 cannot be picked; the hub
 * checks every unit again (server/assists.ts).
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { MAX_ASSISTS, type WorkUnit } from '../../shared/api/hub-contract';

const SHOWN = 8;

export function AssistPicker({ units, mainCode, picked, onChange, kindLabel }: {
  units: WorkUnit[];
  mainCode: string | null;
  picked: WorkUnit[];
  onChange: (picked: WorkUnit[]) => void;
  kindLabel: (kind: string) => string;
}) {
  const [filter, setFilter] = useState('');
  const [at, setAt] = useState(0);
  const matches = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (q ? units.filter((u) => u.name.includes(filter.trim()) || u.code.toLowerCase().includes(q)) : units).slice(0, SHOWN);
  }, [units, filter]);
  useEffect(() => setAt(0), [filter]);
  const isPicked = (u: WorkUnit) => picked.some((p) => p.code === u.code);
  const toggle = (u: WorkUnit | undefined) => {
    if (!u || u.code === mainCode) return;
    if (isPicked(u)) onChange(picked.filter((p) => p.code !== u.code));
    else if (picked.length < MAX_ASSISTS) {
      onChange([...picked, u]);
      setFilter('');
    }
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.key === 'Escape' || e.key === 'Tab') return; // Ctrl+Enter submits, Esc leaves
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') setAt((i) => Math.max(0, Math.min(matches.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))));
    else if (e.key === 'Enter' || e.key === ' ') toggle(matches[at]);
    else if (e.key === 'Backspace' && filter === '' && picked.length) onChange(picked.slice(0, -1));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="wide assist-picker">
      <label htmlFor="assist-filter">
        协办单位（双派单，可多选，至多 {MAX_ASSISTS} 个；主办办结即办结，协办单位各自回复）
      </label>
      <div className="chips" data-testid="assist-chips">
        {picked.map((u) => (
          <span className="chip" key={u.code} data-code={u.code}>
            {u.name}
            <button type="button" tabIndex={-1} aria-label={`移除协办单位${u.name}`} onClick={() => onChange(picked.filter((p) => p.code !== u.code))}>
              ×
            </button>
          </span>
        ))}
        <input
          id="assist-filter"
          value={filter}
          placeholder={picked.length ? '输入添加，Backspace 删除' : '输入名称筛选，↑↓ 选择，空格或 Enter 加入'}
          onChange={(e) => setFilter(e.target.value.replace(/\s/g, ''))}
          onKeyDown={onKey}
          data-testid="assist-filter"
        />
      </div>
      <ul className="units assist-list" role="listbox" aria-multiselectable="true" aria-label="协办单位" data-testid="assist-list">
        {matches.map((u, i) => {
          const main = u.code === mainCode;
          return (
            <li
              key={u.code}
              role="option"
              aria-selected={isPicked(u)}
              aria-disabled={main}
              className={[i === at ? 'sel' : '', isPicked(u) ? 'on' : '', main ? 'main' : ''].filter(Boolean).join(' ')}
              onClick={() => toggle(u)}
            >
              {u.name} <span className="kind">{main ? '已选为主办' : kindLabel(u.kind)}</span>
            </li>
          );
        })}
        {!matches.length && <li>没有符合的单位</li>}
      </ul>
    </div>
  );
}
