import { useEffect, useMemo, useState } from 'react';
import { DISPOSITION_OF_KIND } from '../../shared/dispatch/suggest';
import { api, bridge, isSideWindow } from './bridge';
import { formatBytes, formatClock, formatDate } from './format';
import { DispositionPanel, suggestionFor, UnitPicker, useDispatchSuggestion } from './intake/DispositionPanel';
import { FIELD_ID, FIELD_ORDER, focusField, IntakeForm, useContentSuggestions } from './intake/IntakeForm';
import { useIntake } from './intake/intake-store';
import { KB_INPUT_ID, KbPanel, useKb } from './kb/KbPanel';
import { LEAD_SHORTCUTS, LeadScreen, SignInDialog, useLeadUi } from './lead/entry';
import { useReference } from './reference-store';
import { useShortcuts, type Shortcut } from './shortcuts';
import { SideScreen } from './SideScreen';
import { ShortcutHints, ShortcutRows } from './ShortcutRows';
import { useShell } from './store';
import { MY_TICKETS_ID, MyTickets, TicketDetailOverlay, useTickets } from './tickets/MyTickets';

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
function connectionLabel(hub: { configured: boolean; starting: boolean; online: boolean } | undefined): string {
  if (!hub) return '—';
  if (hub.online) return '已连接中心';
  if (hub.starting) return '正在启动中心…';
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
        <StatusDot ok={hub?.configured && !hub.starting ? online : 'idle'} />
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
    ['待同步', `${health.sync.pending} 张工单`, null],
    ['版本', `${info.version}（${info.mode === 'electron' ? '桌面程序' : '浏览器模式'}）`, null],
    ['数据目录', health.dataDir.path, health.dataDir.check.ok, health.dataDir.check.message],
    ['剩余空间', formatBytes(health.dataDir.freeBytes), null],
    [
      '本地数据库',
      `结构版本 ${health.database.schemaVersion} · ${formatBytes(health.database.sizeBytes)} · ${health.database.journalMode.toUpperCase()}`,
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
            <ShortcutRows shortcuts={shortcuts} />
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
      <span data-testid="draft-state" className="muted" data-unsaved={String(unsaved)}>
        {saving ? '草稿保存中…' : savedAt ? `草稿已保存 ${formatClock(new Date(savedAt))}` : ''}
      </span>
      <span className="hints">
        <ShortcutHints shortcuts={shortcuts} />
      </span>
      <span className="version">v{info?.version ?? ''}</span>
    </footer>
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

function Notices() {
  const notice = useIntake((s) => s.notice);
  const restoredAt = useIntake((s) => s.restoredAt);
  const confirmNewCall = useIntake((s) => s.confirmNewCall);
  const waitingCall = useIntake((s) => s.waitingCall);
  return (
    <div className="notices" aria-live="polite">
      {confirmNewCall && (
        <div className="banner banner-warn" role="alert" data-testid="confirm-new-call">
          {waitingCall ? `新来电 ${waitingCall.phone} 已接入。` : ''}当前工单尚未提交。再按一次 <kbd>F2</kbd> 放弃草稿并
          {waitingCall ? '受理新来电' : '开始新来电'}，继续填写则保留。
        </div>
      )}
      {restoredAt && (
        <div className="banner banner-info" role="status" data-testid="draft-restored">
          已恢复上次未提交的工单草稿（{formatClock(new Date(restoredAt))} 保存），请核对后继续。
        </div>
      )}
      {notice && (
        <div className={`banner ${notice.kind === 'ok' ? 'banner-ok' : 'banner-error'}`} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="submit-notice">
          {notice.text}
        </div>
      )}
    </div>
  );
}

function Desk() {
  const suggestions = useContentSuggestions();
  const suggestion = useDispatchSuggestion();
  const leafCode = useIntake((s) => s.draft.leafCode);
  const [unitPickerOpen, setUnitPickerOpen] = useState(false);
  const toggleHelp = useShell((s) => s.toggleHelp);
  const openSecondScreen = useShell((s) => s.openSecondScreen);
  const contextTerm = suggestions[0]?.terms[0]?.text ?? null;

  const shortcuts = useMemo<Shortcut[]>(() => {
    const intake = () => useIntake.getState();
    /** After a refused submit the cursor goes to the first field at fault; after a good one, to a fresh form. */
    const submitWith = async (patch: Parameters<ReturnType<typeof useIntake.getState>['submit']>[0]) => {
      const done = await intake().submit(patch);
      if (done) {
        useKb.getState().reset();
        focusField('callerPhone');
        return;
      }
      const errors = intake().errors;
      const first = FIELD_ORDER.find((f) => errors[f]);
      if (first) focusField(first);
    };
    const notice = (text: string) => useIntake.setState({ notice: { kind: 'error', text, at: Date.now() } });
    return [
      { key: 'F1', label: '快捷键帮助', run: () => toggleHelp() },
      {
        key: 'F2',
        label: '新来电',
        run: () => {
          const hadWaiting = !!intake().waitingCall;
          if (intake().newCall()) {
            useKb.getState().reset();
            focusField(hadWaiting ? 'callerName' : 'callerPhone');
          }
        },
      },
      { key: 'F3', label: '分类检索', run: () => document.getElementById(FIELD_ID.leafCode)?.focus() },
      { key: 'F4', label: '知识库', run: () => document.getElementById(KB_INPUT_ID)?.focus() },
      {
        key: 'F6',
        label: '关联重复',
        run: () => {
          const { related, relatedActive } = intake();
          const target = related[relatedActive];
          if (!target) return notice('没有可关联的相关工单');
          void submitWith({ disposition: '重复诉求', linkedTicketId: target.id, unitCode: null, kbArticleId: null });
        },
      },
      {
        key: 'F7',
        label: '咨询办结',
        run: () => {
          const id = useKb.getState().chosenId();
          if (!id) return notice('请先在知识库中打开答复文章（F4 检索，Enter 阅读）再按 F7 办结');
          void submitWith({ disposition: '咨询办结', kbArticleId: id, unitCode: null, linkedTicketId: null });
        },
      },
      {
        key: 'F8',
        label: '按建议派单',
        run: async () => {
          // A leaf picked a moment ago may still be loading: the suggestion waits for its owner.
          await intake().whenLeafReady();
          const now = suggestionFor(intake(), useReference.getState());
          if (!now) return notice('单位名录尚未载入，暂不能派单');
          void submitWith({ disposition: DISPOSITION_OF_KIND[now.kind], unitCode: now.unit.code, kbArticleId: null, linkedTicketId: null });
        },
      },
      {
        key: 'F9',
        label: '派分中心',
        run: async () => {
          await intake().whenLeafReady();
          const now = suggestionFor(intake(), useReference.getState());
          const subcenter = now?.kind === 'subcenter' ? now.unit : now?.alternatives.find((u) => u.kind === 'subcenter');
          if (!subcenter) return notice('地址未识别到区，无法派往区分中心；请补充地址或按 F8 派市中心');
          void submitWith({ disposition: '派分中心', unitCode: subcenter.code, kbArticleId: null, linkedTicketId: null });
        },
      },
      { key: 'F10', label: '打开副屏', run: () => void openSecondScreen() },
      { key: 'Enter', ctrl: true, label: '提交', run: () => void submitWith({}) },
      { key: 'u', alt: true, label: '另选单位', helpOnly: true, run: () => setUnitPickerOpen(true) },
      {
        key: 'b',
        alt: true,
        label: '标记不合理诉求（填写理由后 Ctrl+Enter 提交）',
        helpOnly: true,
        run: () => {
          intake().setField('disposition', '不合理诉求');
          setTimeout(() => focusField('unreasonableReason'), 0);
        },
      },
      ...[1, 2, 3].map((n) => ({
        key: String(n),
        alt: true,
        helpOnly: true,
        label: `选用第 ${n} 个推荐分类`,
        run: () => {
          const pick = suggestions[n - 1];
          if (pick) void intake().pickLeaf(pick.code);
        },
      })),
      { key: 'ArrowDown', alt: true, helpOnly: true, label: '相关工单：下一张', run: () => intake().moveRelated(1) },
      { key: 'ArrowUp', alt: true, helpOnly: true, label: '相关工单：上一张', run: () => intake().moveRelated(-1) },
      { key: 'm', alt: true, helpOnly: true, label: '本班工单（↑↓ 选择，Enter 查看轨迹）', run: () => document.getElementById(MY_TICKETS_ID)?.focus() },
      ...LEAD_SHORTCUTS,
    ];
  }, [toggleHelp, openSecondScreen, suggestions]);
  useShortcuts(shortcuts);

  return (
    <>
      <Notices />
      <main className="layout">
        <section className="card intake" aria-labelledby="intake-title">
          <h2 id="intake-title">受理工单</h2>
          <IntakeForm suggestions={suggestions} />
        </section>
        <section className="card handling" aria-labelledby="handling-title">
          <h2 id="handling-title">处理方式</h2>
          <DispositionPanel suggestion={suggestion} />
          <MyTickets />
        </section>
        <aside className="sidepanel">
          <section className="card grow" aria-labelledby="kb-title">
            <h2 id="kb-title">
              知识库 <span className="hint"><kbd>F4</kbd> 检索 <kbd>F7</kbd> 咨询办结</span>
            </h2>
            <KbPanel leafCode={leafCode} contextTerm={contextTerm} />
          </section>
          <HealthPanel />
        </aside>
      </main>
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} />
      <TicketDetailOverlay />
      {unitPickerOpen && <UnitPicker onClose={() => setUnitPickerOpen(false)} />}
    </>
  );
}

function SideWindow() {
  const toggleHelp = useShell((s) => s.toggleHelp);
  const shortcuts = useMemo<Shortcut[]>(() => [{ key: 'F1', label: '快捷键帮助', run: () => toggleHelp() }], [toggleHelp]);
  useShortcuts(shortcuts);
  return (
    <>
      <main className="side-layout">
        <SideScreen />
        <HealthPanel />
      </main>
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} />
    </>
  );
}

export function App() {
  const load = useShell((s) => s.load);
  const leadOpen = useLeadUi((s) => s.open);
  const error = useShell((s) => s.error);
  const info = useShell((s) => s.info);
  const setHealth = useShell((s) => s.setHealth);
  const setReferenceStatus = useReference((s) => s.setStatus);
  const toggleHelp = useShell((s) => s.toggleHelp);

  useEffect(() => {
    void load();
    void api.call('reference.status', {}).then((r) => r.ok && setReferenceStatus(r.value));
    if (!isSideWindow) {
      void useTickets.getState().load();
      // A draft that was never submitted (a crash, a killed process, a power cut) comes back.
      void api.call('drafts.current', {}).then((r) => {
        if (r.ok && r.value) useIntake.getState().restore(r.value.draft, r.value.savedAt);
      });
    }
    return bridge.onEvent((event) => {
      if (event.name === 'app.health') setHealth(event.payload);
      if (event.name === 'reference.status') setReferenceStatus(event.payload);
      if (isSideWindow) return;
      if (event.name === 'tickets.changed') void useTickets.getState().load();
      if (event.name === 'call.incoming' && useIntake.getState().newCall(event.payload.phone, event.payload.startedAt)) {
        useKb.getState().reset();
        focusField('callerName');
      }
    });
  }, [load, setHealth, setReferenceStatus]);

  useEffect(() => {
    // The app's own readiness signal: tests and scripts wait for this, never for a timer.
    if (info) document.documentElement.dataset.appReady = 'true';
  }, [info]);

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
      {isSideWindow ? <SideWindow /> : leadOpen ? <LeadScreen /> : <Desk />}
      {!isSideWindow && <SignInDialog />}
    </div>
  );
}
