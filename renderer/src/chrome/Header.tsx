/** The window's top bar: the desk, who is on duty, the shift, the clock, and the connection to the center. */
import { formatClock, formatDate } from '../format';
import { useShell } from '../shell-store';
import { useNow } from '../use-now';

export function StatusDot({ ok }: { ok: boolean | 'idle' }) {
  return <span className={`dot ${ok === 'idle' ? 'dot-idle' : ok ? 'dot-ok' : 'dot-bad'}`} aria-hidden />;
}

/** How the connection to the center reads everywhere it is shown. */
export function connectionLabel(hub: { configured: boolean; starting: boolean; online: boolean } | undefined): string {
  if (!hub) return '—';
  if (hub.online) return '已连接中心';
  if (hub.starting) return '正在启动中心…';
  return hub.configured ? '离线（工单暂存本机）' : '本机模式';
}

export function Header() {
  const info = useShell((s) => s.info);
  const health = useShell((s) => s.health);
  const now = useNow();
  const hub = health?.hub;
  const online = !!hub?.online;
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">12345</span>
        <span className="brand-name">接诉即办坐席工作台</span>
      </div>
      <div className="topbar-fields">
        <div className="field">
          <span className="field-label">坐席</span>
          <span className="field-value" data-testid="operator">{info?.operator.name ?? '—'}</span>
        </div>
        <div className="field">
          <span className="field-label">班次</span>
          <span className="field-value" data-testid="shift">
            {info ? `${info.shift.name} ${info.shift.start}–${info.shift.end}` : '—'}
          </span>
        </div>
        <div className="field">
          <span className="field-label">{formatDate(now)}</span>
          <span className="field-value clock">{formatClock(now)}</span>
        </div>
      </div>
      <div className={`net ${online ? 'net-online' : 'net-offline'}`} data-testid="connection" title={hub?.check.message}>
        <StatusDot ok={hub?.configured && !hub.starting ? online : 'idle'} />
        {connectionLabel(hub)}
      </div>
    </header>
  );
}
