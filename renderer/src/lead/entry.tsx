/**
 * The way into the team lead's view from the desk, and operator sign-in. Always loaded (it is small);
 * the lead view itself, with ECharts, is a separate chunk loaded the first time it opens, so the
 * call-taker's screen starts as fast as before.
 *
 * Keys (commands.ts): Alt+L opens and closes the lead view (班长视图); Alt+S opens sign-in / sign-out (签到).
 */
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { isDutyOperator, ROLE_LABEL, type DeskRole } from '../../../shared/roles';
import { api } from '../bridge';
import { FormAlert } from '../FormAlert';
import { Overlay } from '../Overlay';
import { useShell } from '../shell-store';
import { useLeadUi } from './lead-ui-store';
import './lead.css';

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

/** The roles a person may pick when signing in at a desk (an admin is set up, not picked). */
const SIGN_IN_ROLES = ['call_taker', 'team_lead'] as const satisfies readonly DeskRole[];

export function SignInDialog() {
  const open = useLeadUi((s) => s.signInOpen);
  // Mounted only while open: every opening starts from empty fields.
  return open ? <SignInForm /> : null;
}

function SignInForm() {
  const close = () => useLeadUi.getState().openSignIn(false);
  const operator = useShell((s) => s.info?.operator);
  const shift = useShell((s) => s.info?.shift);
  const prompt = useLeadUi((s) => s.signInPrompt);
  // Call-takers with their own hub account (server/desk-access.ts) give its password too; left empty, 未核验.
  const operatorAccounts = useShell((s) => s.info?.operatorAccounts === true);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof SIGN_IN_ROLES)[number]>('call_taker');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signedIn = operator && !isDutyOperator(operator.id);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.call('operator.signIn', role === 'team_lead' || (operatorAccounts && secret) ? { id, name, role, secret } : { id, name, role });
    setBusy(false);
    // The main side names the call and the field; the person at the desk needs only what to fix.
    if (!result.ok) return setError(result.error.message.replace(/^“operator\.signIn”的参数不正确：/, '').replace(/(^|；)(id|name|role|secret): /g, '$1'));
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
    <Overlay onClose={close} labelledBy="sign-in-title" testId="sign-in-dialog">
      <form className="sign-in" onSubmit={(e) => void submit(e)}>
        <h2 id="sign-in-title">坐席签到</h2>
        {prompt && (
          <p className="sign-in-prompt" data-testid="sign-in-prompt">
            {shift ? `${shift.name}（${shift.start}–${shift.end}）` : '本班'}已开始，请签到：签到后本班工单记在您名下。
            暂不签到可直接按 <kbd>F2</kbd> 受理或 <kbd>Esc</kbd> 关闭，工单记为值班坐席（签到前），签到后仍在本班工单中。
          </p>
        )}
        <p className="muted sign-in-current" data-testid="sign-in-current">
          {signedIn ? `当前：${operator.name}（工号 ${operator.id}，${ROLE_LABEL[operator.role]}）` : '当前无人签到（值班坐席）'}
        </p>
        <label className="field-title" htmlFor="sign-in-id">
          工号
        </label>
        <input id="sign-in-id" autoFocus className="text-input" value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" inputMode="numeric" maxLength={16} />
        <label className="field-title" htmlFor="sign-in-name">
          姓名
        </label>
        <input id="sign-in-name" className="text-input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" maxLength={20} />
        <fieldset className="sign-in-roles">
          <legend className="field-title">角色</legend>
          {SIGN_IN_ROLES.map((r) => (
            <label key={r} className={`seg ${role === r ? 'active' : ''}`}>
              <input type="radio" name="sign-in-role" value={r} checked={role === r} onChange={() => setRole(r)} data-testid={`sign-in-role-${r}`} />
              {ROLE_LABEL[r]}
            </label>
          ))}
        </fieldset>
        {(role === 'team_lead' || operatorAccounts) && (
          <>
            <label className="field-title" htmlFor="sign-in-secret">
              {role === 'team_lead' ? '密码或 PIN' : '中心账号密码（可不填）'}
            </label>
            <input
              id="sign-in-secret"
              type="password"
              className="text-input"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              autoComplete="off"
              maxLength={200}
              data-testid="sign-in-secret"
            />
            <p className="muted hint" data-testid="sign-in-secret-hint">
              {role === 'team_lead'
                ? '班长用中心账号（工号）的密码，或管理员在本机设置的 PIN；中心暂时连不上时，近 14 天在本机验证过的密码仍可用。'
                : '填中心账号（工号）的密码，您受理的工单由中心按您的账号记名（中心暂时连不上时，连上后再核验）；不填则由本坐席账号上传，记为“未核验”。'}
            </p>
          </>
        )}
        <FormAlert text={error} testId="sign-in-error" />
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
    </Overlay>
  );
}
