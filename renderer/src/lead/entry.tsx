/**
 * The way into the team lead's view from the desk, and operator sign-in. Always loaded (it is small);
 * the lead view itself, with ECharts, is a separate chunk loaded the first time it opens, so the
 * call-taker's screen starts as fast as before.
 *
 * Keys: Alt+L opens and closes the lead view (班长视图); Alt+S opens sign-in / sign-out (签到).
 */
import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { create } from 'zustand';
import { ROLE_LABEL } from '../../../shared/api/lead-contract';
import { api, bridge, isSideWindow } from '../bridge';
import { FIELD_ID } from '../intake/IntakeForm';
import type { Shortcut } from '../shortcuts';
import { useShell } from '../store';
import { useTickets } from '../tickets/MyTickets';
import { useLead } from './lead-store';
import './lead.css';

interface LeadUiState {
  open: boolean;
  signInOpen: boolean;
  /** Bumped after a sign-in or sign-out, so an open lead view reloads for the new role. */
  operatorRevision: number;
  toggle(open?: boolean): void;
  openSignIn(open?: boolean): void;
  signedInOrOut(): Promise<void>;
}

export const useLeadUi = create<LeadUiState>((set, get) => ({
  open: false,
  signInOpen: false,
  operatorRevision: 0,
  toggle: (open) => set({ open: open ?? !get().open }),
  openSignIn: (open = true) => set({ signInOpen: open }),
  async signedInOrOut() {
    set({ operatorRevision: get().operatorRevision + 1 });
    // The header shows who is on duty; 本班工单 are that person's.
    await Promise.all([useShell.getState().load(), useTickets.getState().load()]);
  },
}));

/** Added to the desk's own shortcut list (App.tsx), so F1 lists them. */
export const LEAD_SHORTCUTS: Shortcut[] = [
  { key: 'S', alt: true, helpOnly: true, label: '坐席签到 / 签退（工号、姓名、话务员/班长）', run: () => useLeadUi.getState().openSignIn() },
  { key: 'L', alt: true, helpOnly: true, label: '班长视图：班次统计、图表、下钻与导出', run: () => useLeadUi.getState().toggle(true) },
];

// A call that comes in while the lead view is open brings the desk back with the fresh ticket; a
// ticket written (here, or a status from the hub) refreshes the figures the lead is looking at.
if (!isSideWindow) {
  bridge.onEvent((event) => {
    if (!useLeadUi.getState().open) return;
    if (event.name === 'tickets.changed' && useLead.getState().status === 'ready') void useLead.getState().query();
    if (event.name !== 'call.incoming') return;
    useLeadUi.getState().toggle(false);
    requestAnimationFrame(() => document.getElementById(FIELD_ID.callerName)?.focus());
  });
}

const LeadView = lazy(() => import('./LeadView'));

export function LeadScreen() {
  return (
    <Suspense
      fallback={
        <main className="lead lead-loading" data-testid="lead-view" data-state="loading">
          <p className="muted">正在打开班长视图…</p>
        </main>
      }
    >
      <LeadView />
    </Suspense>
  );
}

export function SignInDialog() {
  const open = useLeadUi((s) => s.signInOpen);
  const close = () => useLeadUi.getState().openSignIn(false);
  const operator = useShell((s) => s.info?.operator);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<'call_taker' | 'team_lead'>('call_taker');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    setId('');
    setName('');
    setRole('call_taker');
    setError(null);
    requestAnimationFrame(() => first.current?.focus());
  }, [open]);
  if (!open) return null;

  const signedIn = operator && operator.id !== 'local';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.call('operator.signIn', { id, name, role });
    setBusy(false);
    // The main side names the call and the field; the person at the desk needs only what to fix.
    if (!result.ok) return setError(result.error.message.replace(/^“operator\.signIn”的参数不正确：/, '').replace(/(^|；)(id|name|role): /g, '$1'));
    close();
    await useLeadUi.getState().signedInOrOut();
  };
  const signOut = async () => {
    setBusy(true);
    const result = await api.call('operator.signOut', {});
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    close();
    await useLeadUi.getState().signedInOrOut();
  };

  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sign-in-title"
      data-testid="sign-in-dialog"
      onClick={close}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <form className="overlay-box sign-in" onClick={(e) => e.stopPropagation()} onSubmit={(e) => void submit(e)}>
        <h2 id="sign-in-title">坐席签到</h2>
        <p className="muted sign-in-current" data-testid="sign-in-current">
          {signedIn ? `当前：${operator.name}（工号 ${operator.id}，${ROLE_LABEL[operator.role]}）` : '当前无人签到（值班坐席）'}
        </p>
        <label className="field-title" htmlFor="sign-in-id">
          工号
        </label>
        <input id="sign-in-id" ref={first} className="text-input" value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" inputMode="numeric" maxLength={16} />
        <label className="field-title" htmlFor="sign-in-name">
          姓名
        </label>
        <input id="sign-in-name" className="text-input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" maxLength={20} />
        <fieldset className="sign-in-roles">
          <legend className="field-title">角色</legend>
          {(['call_taker', 'team_lead'] as const).map((r) => (
            <label key={r} className={`seg ${role === r ? 'active' : ''}`}>
              <input type="radio" name="sign-in-role" value={r} checked={role === r} onChange={() => setRole(r)} data-testid={`sign-in-role-${r}`} />
              {ROLE_LABEL[r]}
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="field-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <div className="sign-in-actions">
          <button type="submit" className="lead-btn lead-btn-primary" disabled={busy} data-testid="sign-in-submit">
            签到 <kbd>Enter</kbd>
          </button>
          {signedIn && (
            <button type="button" className="lead-btn" disabled={busy} onClick={() => void signOut()} data-testid="sign-out">
              签退 {operator.name}
            </button>
          )}
          <span className="hint">
            <kbd>Esc</kbd> 关闭
          </span>
        </div>
      </form>
    </div>
  );
}
