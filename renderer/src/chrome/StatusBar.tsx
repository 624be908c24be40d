/** The bottom bar: who, which shift, the connection, what waits to sync, the draft, and the key hints. */
import type { Shortcut } from '../commands';
import { formatClock } from '../format';
import { useIntake } from '../intake/intake-store';
import { useShell } from '../shell-store';
import { useTickets } from '../tickets/tickets-store';
import { ShortcutHints } from '../ShortcutRows';
import { connectionLabel, StatusDot } from './Header';

export function StatusBar({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  const info = useShell((s) => s.info);
  const health = useShell((s) => s.health);
  const savedAt = useIntake((s) => s.savedAt);
  const saving = useIntake((s) => s.saving);
  const unsaved = useIntake((s) => s.revision !== s.savedRevision && s.touched);
  const pending = health?.sync.pending ?? 0;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>坐席：{info?.operator.name ?? '—'}</span>
      <span>班次：{info?.shift.name ?? '—'}</span>
      <span>{connectionLabel(health?.hub)}</span>
      <span data-testid="pending-sync" className={pending > 0 ? 'pending' : ''}>
        待同步 {pending} 张
      </span>
      <SyncState />
      <TicketFlags />
      <span data-testid="draft-state" className="muted" data-unsaved={String(unsaved)}>
        {saving ? '草稿保存中…' : savedAt ? `草稿已保存 ${formatClock(new Date(savedAt))}` : ''}
      </span>
      {health && !health.database.check.ok && (
        // A damaged database was set aside at start: how many tickets came back is in 本机状态 (Alt+I).
        <span className="pending" role="status" data-testid="database-notice" title={health.database.check.message}>
          本地数据库曾损坏，已尽量找回，详见本机状态
        </span>
      )}
      <HealthButton />
      <span className="hints">
        <ShortcutHints shortcuts={shortcuts} />
      </span>
      <span className="version">v{info?.version ?? ''}</span>
    </footer>
  );
}

/** 本班工单 that want attention after dispatch: under 督办/催办, and returned (退单) to the center. */
function TicketFlags() {
  const tickets = useTickets((s) => s.tickets);
  const urged = tickets.filter((t) => t.flag?.kind === '督办' || t.flag?.kind === '催办').length;
  const returned = tickets.filter((t) => t.flag?.kind === '退单').length;
  if (!urged && !returned) return null;
  return (
    <span className="pending" data-testid="ticket-flags" title="本班工单中被督办、被退单的张数（Alt+M 查看）">
      {urged > 0 && `督办 ${urged} 张`}
      {urged > 0 && returned > 0 && ' · '}
      {returned > 0 && `退单 ${returned} 张`}
    </span>
  );
}

/** How sending to the center goes: progress while a drain runs, the last sync, or why not. */
function SyncState() {
  const sync = useShell((s) => s.health?.sync);
  if (!sync || sync.state === 'local') return null;
  const text =
    sync.state === 'syncing' && sync.progress
      ? `正在同步 ${sync.progress.sent}/${sync.progress.total}`
      : sync.state === 'offline'
        ? '中心连接中断，恢复后自动补传'
        : sync.state === 'unauthorized'
          ? '中心拒绝登录，请联系管理员'
          : sync.lastSyncAt
            ? `已同步 ${formatClock(new Date(sync.lastSyncAt))}`
            : '';
  return (
    <span data-testid="sync-state" data-state={sync.state} className={sync.state === 'idle' ? 'muted' : 'pending'} title={sync.lastError ?? undefined}>
      {text}
      {sync.refused > 0 && ` · ${sync.refused} 张被中心退回待核查`}
      {sync.state === 'syncing' && sync.progress && (
        <progress className="sync-progress" max={sync.progress.total} value={sync.progress.sent} aria-label="同步进度" />
      )}
    </span>
  );
}

/** The way to 本机状态 (Alt+I): one dot that turns red when the data folder, database or hub has a problem. */
function HealthButton() {
  const health = useShell((s) => s.health);
  if (!health) return null;
  const ok = health.dataDir.check.ok && health.database.check.ok && health.hub.check.ok;
  return (
    <button type="button" className="health-button" tabIndex={-1} onClick={() => useShell.getState().toggleHealth(true)} data-testid="health-button" data-ok={String(ok)}>
      <StatusDot ok={ok} />
      本机状态{ok ? '' : '异常'} <kbd>Alt+I</kbd>
    </button>
  );
}
