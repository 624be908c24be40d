import { useEffect, useMemo, useState } from 'react';
import { api, bridge, isSideWindow } from './bridge';
import { CatalogueSearch } from './catalogue/CatalogueSearch';
import { LeafCard } from './catalogue/LeafCard';
import { KbPanel } from './kb/KbPanel';
import { useReference } from './reference-store';
import { formatBytes, formatClock, formatDate } from './format';
import { keyLabel, useShortcuts, type Shortcut } from './shortcuts';
import { useShell } from './store';

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function StatusDot({ ok }: { ok: boolean | 'idle' }) {
  return <span className={`dot ${ok === 'idle' ? 'dot-idle' : ok ? 'dot-ok' : 'dot-bad'}`} aria-hidden />;
}

/** How the connection to the center reads everywhere it is shown. */
function connectionLabel(hub: { configured: boolean; online: boolean } | undefined): string {
  if (!hub) return '—';
  if (hub.online) return '已连接中心';
  return hub.configured ? '离线（工单暂存本机）' : '本机模式';
}

function Header() {
  const info = useShell((s) => s.info);
  const health = useShell((s) => s.health);
  const now = useClock();
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
        <StatusDot ok={hub?.configured ? online : 'idle'} />
        {connectionLabel(hub)}
      </div>
    </header>
  );
}

function HealthPanel() {
  const info = useShell((s) => s.info);
  const health = useShell((s) => s.health);
  const reference = useReference((s) => s.status);
  const counts = useReference((s) => s.counts);
  if (!info || !health) return null;
  const catalogueVersion = reference?.versions.find((v) => v.kind === 'catalogue');
  const kbVersion = reference?.versions.find((v) => v.kind === 'kb');
  const rows: Array<[string, string, boolean | null, string?]> = [
    ['版本', `${info.version}（${info.mode === 'electron' ? '桌面程序' : '浏览器模式'}）`, null],
    ['数据目录', health.dataDir.path, health.dataDir.check.ok, health.dataDir.check.message],
    ['剩余空间', formatBytes(health.dataDir.freeBytes), null],
    [
      '本地数据库',
      `结构版本 ${health.database.schemaVersion} · ${formatBytes(health.database.sizeBytes)} · ${health.database.journalMode.toUpperCase()}`,
      health.database.check.ok,
      health.database.check.message,
    ],
    ['中心', health.hub.url ?? '未配置', health.hub.check.ok, health.hub.check.message],
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
    <section className="card" aria-labelledby="health-title">
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

function HelpOverlay({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  const open = useShell((s) => s.helpOpen);
  const toggle = useShell((s) => s.toggleHelp);
  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={() => toggle(false)}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">快捷键</h2>
        <table className="keys">
          <tbody>
            {shortcuts.map((s) => (
              <tr key={keyLabel(s)}>
                <td>
                  <kbd>{keyLabel(s)}</kbd>
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              <td>关闭本窗口</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function StatusBar({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  const info = useShell((s) => s.info);
  const health = useShell((s) => s.health);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>坐席：{info?.operator.name ?? '—'}</span>
      <span>班次：{info?.shift.name ?? '—'}</span>
      <span>{connectionLabel(health?.hub)}</span>
      <span className="hints">
        {shortcuts.map((s) => (
          <span key={keyLabel(s)}>
            <kbd>{keyLabel(s)}</kbd> {s.label}
          </span>
        ))}
      </span>
      <span className="version">v{info?.version ?? ''}</span>
    </footer>
  );
}

export function App() {
  const load = useShell((s) => s.load);
  const error = useShell((s) => s.error);
  const info = useShell((s) => s.info);
  const setHealth = useShell((s) => s.setHealth);
  const setReferenceStatus = useReference((s) => s.setStatus);
  const [leafCode, setLeafCode] = useState<string | null>(null);
  const toggleHelp = useShell((s) => s.toggleHelp);
  const openSecondScreen = useShell((s) => s.openSecondScreen);

  useEffect(() => {
    void load();
    void api.call('reference.status', {}).then((r) => r.ok && setReferenceStatus(r.value));
    return bridge.onEvent((event) => {
      if (event.name === 'app.health') setHealth(event.payload);
      if (event.name === 'reference.status') setReferenceStatus(event.payload);
    });
  }, [load, setHealth, setReferenceStatus]);

  useEffect(() => {
    // The app's own readiness signal: tests and scripts wait for this, never for a timer.
    if (info) document.documentElement.dataset.appReady = 'true';
  }, [info]);

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      { key: 'F1', label: '快捷键帮助', run: () => toggleHelp() },
      { key: 'F10', label: '打开副屏', run: () => void openSecondScreen() },
    ],
    [toggleHelp, openSecondScreen],
  );
  useShortcuts(shortcuts);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && toggleHelp(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleHelp]);

  return (
    <div className={`app ${isSideWindow ? 'app-side' : ''}`}>
      <Header />
      {error && (
        <div className="banner banner-error" role="alert">
          {error.message}
        </div>
      )}
      {isSideWindow ? (
        <main className="side-layout">
          <section className="card grow">
            <h2>副屏 · 知识库与来电历史</h2>
            <p className="placeholder">知识库全文、来电人历史工单和工单详情将在这里显示，与主屏同步。</p>
          </section>
          <HealthPanel />
        </main>
      ) : (
        <main className="layout">
          <section className="card intake" aria-labelledby="intake-title">
            <h2 id="intake-title">受理工单</h2>
            <CatalogueSearch onPick={setLeafCode} />
            {leafCode && <LeafCard code={leafCode} />}
          </section>
          <aside className="sidepanel">
            <section className="card grow" aria-labelledby="kb-title">
              <h2 id="kb-title">知识库</h2>
              <KbPanel leafCode={null} />
            </section>
            <HealthPanel />
          </aside>
        </main>
      )}
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} />
    </div>
  );
}
