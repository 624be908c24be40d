/** 班次设置: the center's shifts, edited as a table; the desk checks they cover the day without overlap. */
import { useState } from 'react';
import type { ShiftDefinition } from '../../../shared/shifts';
import { api } from '../bridge';
import { FormAlert } from '../FormAlert';
import { Overlay } from '../Overlay';
import { useShell } from '../shell-store';
import { useLead } from './lead-store';

export function ShiftSettingsDialog({ shifts, onClose }: { shifts: readonly ShiftDefinition[]; onClose: () => void }) {
  const [rows, setRows] = useState<ShiftDefinition[]>(() => shifts.map((s) => ({ ...s })));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (i: number, patch: Partial<ShiftDefinition>) => setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const save = async () => {
    setSaving(true);
    const result = await api.call('shifts.update', { shifts: rows });
    setSaving(false);
    if (!result.ok) return setError(result.error.message);
    onClose();
    await Promise.all([useLead.getState().init(), useShell.getState().load()]);
  };
  return (
    <Overlay onClose={onClose} labelledBy="shift-settings-title" testId="shift-settings">
      <h2 id="shift-settings-title">班次设置</h2>
      <p className="muted">班次须覆盖全天且互不重叠；结束时间早于开始时间表示跨夜（如夜班 22:00–06:00，归属开始那天）。修改只影响此后受理的工单。</p>
      <table className="shift-table">
        <thead>
          <tr>
            <th>代码</th>
            <th>名称</th>
            <th>开始</th>
            <th>结束</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <td>
                <input className="text-input" value={row.code} onChange={(e) => set(i, { code: e.target.value })} aria-label={`第 ${i + 1} 个班次的代码`} autoFocus={i === 0} />
              </td>
              <td>
                <input className="text-input" value={row.name} onChange={(e) => set(i, { name: e.target.value })} aria-label={`第 ${i + 1} 个班次的名称`} />
              </td>
              <td>
                <input className="text-input mono" value={row.start} onChange={(e) => set(i, { start: e.target.value })} aria-label={`第 ${i + 1} 个班次的开始时间`} placeholder="08:00" />
              </td>
              <td>
                <input className="text-input mono" value={row.end} onChange={(e) => set(i, { end: e.target.value })} aria-label={`第 ${i + 1} 个班次的结束时间`} placeholder="16:00" />
              </td>
              <td>
                <button className="lead-btn" onClick={() => setRows((r) => r.filter((_, j) => j !== i))} disabled={rows.length <= 1}>
                  删除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormAlert text={error} testId="shift-settings-error" />
      <div className="sign-in-actions">
        <button className="lead-btn lead-btn-primary" onClick={() => void save()} disabled={saving}>
          保存
        </button>
        <button className="lead-btn" onClick={() => setRows((r) => [...r, { code: `s${r.length + 1}`, name: '', start: '', end: '' }])} disabled={rows.length >= 6}>
          添加班次
        </button>
        <button className="lead-btn" onClick={onClose}>
          取消 <kbd>Esc</kbd>
        </button>
      </div>
    </Overlay>
  );
}
