/**
 * 本机状态: the desk's own health (sync queue, data folder, database, hub, reference data). Technical,
 * so not on the desk: Alt+I or the status bar's 本机状态 opens it over the screen, Esc closes it.
 */
import { formatBytes } from '../format';
import { Overlay } from '../Overlay';
import { useReference } from '../reference-store';
import { useShell } from '../shell-store';
import { StatusDot } from './Header';

/** How the database's journal reads on a Chinese screen. */
export function journalLabel(mode: string): string {
  const m = mode.toLowerCase();
  return m === 'wal' ? '预写日志' : m === 'delete' || m === 'truncate' || m === 'persist' ? '回滚日志' : m === 'memory' ? '内存日志' : '无日志';
}

/** Alt+I: 本机状态 over the screen. */
export function HealthOverlay() {
  const open = useShell((s) => s.healthOpen);
  if (!open) return null;
  return (
    <Overlay onClose={() => useShell.getState().toggleHealth(false)} labelledBy="health-title" testId="health-overlay" boxClassName="health-box">
      <HealthPanel />
      <p className="hint">
        <kbd>Esc</kbd> 关闭
      </p>
    </Overlay>
  );
}

export function HealthPanel() {
  const info = useShell((s) => s.info);
  const health = useShell((s) => s.health);
  const reference = useReference((s) => s.status);
  const counts = useReference((s) => s.counts);
  if (!info || !health) return null;
  const catalogueVersion = reference?.versions.find((v) => v.kind === 'catalogue');
  const kbVersion = reference?.versions.find((v) => v.kind === 'kb');
  const rows: Array<[string, string, boolean | null, string?]> = [
    ['待同步', `${health.sync.pending} 张工单`, null],
    ['版本', `${info.version}（${info.mode === 'electron' ? '桌面程序' : '浏览器模式'}）`, null],
    ['数据目录', health.dataDir.path, health.dataDir.check.ok, health.dataDir.check.message],
    ['剩余空间', formatBytes(health.dataDir.freeBytes), null],
    [
      '本地数据库',
      `结构版本 ${health.database.schemaVersion} · ${formatBytes(health.database.sizeBytes)} · ${journalLabel(health.database.journalMode)}`,
      health.database.check.ok,
      health.database.check.message,
    ],
    ['中心', health.hub.url ?? (health.hub.starting ? '本机中心' : '未配置'), health.hub.check.ok, health.hub.check.message],
    [
      '基础数据',
      reference?.state === 'ready' && counts
        ? `派单目录 ${counts.level1}/${counts.level2}/${counts.level3} 项 · 知识库 ${kbVersion?.itemCount ?? 0} 篇`
        : (reference?.message ?? '—'),
      reference ? reference.state !== 'failed' : null,
      catalogueVersion ? `版本 ${catalogueVersion.version.slice(0, 8)}` : undefined,
    ],
  ];
  return (
    <section className="health-panel" aria-labelledby="health-title">
      <h2 id="health-title">本机状态</h2>
      <dl className="health" data-testid="health">
        {rows.map(([label, value, okFlag, note]) => (
          <div className="health-row" key={label}>
            <dt>{label}</dt>
            <dd>
              {okFlag !== null && <StatusDot ok={okFlag} />}
              <span className="health-value" title={value}>
                {value}
              </span>
              {note && <span className={`health-note ${okFlag ? '' : 'bad'}`}>{note}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
