/**
 * 班长视图 (the team lead's shift review), on this desk's own tickets: pick a shift or dates and
 * operators, read the figures, see the charts, drill down from any bar, slice, cell, figure or
 * operator to its tickets and on to one ticket's trail, and export the table or a drill-down.
 * The parts: Toolbar.tsx, Figures.tsx, DrillOverlay.tsx, ShiftSettings.tsx.
 *
 * Keyboard (commands.ts LEAD_COMMANDS): Alt+L back to the desk, Alt+S sign in, F1 keys, Alt+1…5 the
 * charts, Alt+T the table; Tab reaches every control; in a chart the arrow keys choose and Enter
 * drills down; in the list ↑↓ choose and Enter opens the trail; Esc closes the trail, then the list.
 *
 * Readiness for tests and the bench: <main data-state="ready" data-report-at="…" data-charts-ready="true">.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { bindCommands, CHART_NAMES, LEAD_COMMANDS, SHELL_COMMANDS, type Shortcut } from '../commands';
import { Overlay } from '../Overlay';
import { useShell } from '../shell-store';
import { useShortcuts } from '../shortcuts';
import { ShortcutHints, ShortcutRows } from '../ShortcutRows';
import { AttentionPanel } from './AttentionPanel';
import { DrillOverlay } from './DrillOverlay';
import { Charts, chartsOff, Kpis, OPERATOR_TABLE_ID, OperatorsTable } from './Figures';
import { formatHm } from './format';
import { LeadNotice } from './LeadNotice';
import { useLead } from './lead-store';
import { useLeadUi } from './lead-ui-store';
import { ShiftSettingsDialog } from './ShiftSettings';
import { Toolbar } from './Toolbar';

const focusFirst = (selector: string) => document.querySelector<HTMLElement>(selector)?.focus();

export default function LeadView() {
  const { status, error, context, scope, report, querying, drill, notice } = useLead();
  const operatorRevision = useLeadUi((s) => s.operatorRevision);
  const [helpOpen, setHelpOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [rendered, setRendered] = useState<Record<string, string>>({});

  useEffect(() => {
    void useLead.getState().init();
  }, [operatorRevision]);

  const onRendered = useCallback((name: string, key: string) => setRendered((r) => (r[name] === key ? r : { ...r, [name]: key })), []);
  const chartsReady = !!report && (chartsOff || CHART_NAMES.every((n) => rendered[n] === report.generatedAt));

  const shortcuts = useMemo<Shortcut[]>(
    () =>
      bindCommands(LEAD_COMMANDS, {
        help: () => setHelpOpen((o) => !o),
        backToDesk: () => useLeadUi.getState().toggle(false),
        signIn: () => useLeadUi.getState().openSignIn(),
        'chart:hourly': () => focusFirst('[data-testid="chart-hourly"]'),
        'chart:categories': () => focusFirst('[data-testid="chart-categories"]'),
        'chart:dispositions': () => focusFirst('[data-testid="chart-dispositions"]'),
        'chart:hotspots': () => focusFirst('[data-testid="chart-hotspots"]'),
        'chart:trend': () => focusFirst('[data-testid="chart-trend"]'),
        operatorTable: () => focusFirst(`#${OPERATOR_TABLE_ID} tbody tr`),
      }).concat(bindCommands(SHELL_COMMANDS, { health: () => useShell.getState().toggleHealth() })),
    [],
  );
  useShortcuts(shortcuts);

  if (status === 'forbidden' || status === 'error' || !context || !scope) {
    return (
      <>
        <main className="lead" data-testid="lead-view" data-state={status}>
          {status === 'loading' ? <p className="muted">正在载入班次统计…</p> : <Refused status={status} message={error?.message ?? null} />}
        </main>
        <LeadFooter shortcuts={shortcuts} charts={false} />
      </>
    );
  }

  return (
    <>
      <main
        className="lead"
        data-testid="lead-view"
        data-state={querying ? 'loading' : status}
        data-report-at={report?.generatedAt ?? ''}
        data-charts-ready={String(chartsReady)}
        aria-busy={querying}
      >
        <Toolbar context={context} scope={scope} onSettings={() => setSettingsOpen(true)} />
        <div className="lead-partial" role="status" data-testid="lead-partial">
          <strong>{report?.source.note ?? '本机数据，仅含本坐席受理的工单'}</strong>
          {report?.source.kind === 'local' && <span data-testid="lead-local-only">仅显示本机工单，下钻与导出同样只含本机工单</span>}
          {!context.centerAvailable && <span>全中心统计需接入中心后提供</span>}
          {report && (
            <span className="muted">
              {report.scopeLabel} · 统计时刻 {formatHm(report.generatedAt)}
            </span>
          )}
          {notice && <LeadNotice notice={notice} testId="lead-notice" />}
        </div>
        {report && (
          <>
            <Kpis report={report} />
            <AttentionPanel scope={scope} reportAt={report.generatedAt} />
            <Charts report={report} onRendered={onRendered} />
            <OperatorsTable report={report} />
          </>
        )}
      </main>
      <LeadFooter shortcuts={shortcuts} />
      {drill && <DrillOverlay />}
      {settingsOpen && <ShiftSettingsDialog shifts={context.shifts} onClose={() => setSettingsOpen(false)} />}
      {helpOpen && <LeadHelp shortcuts={shortcuts} onClose={() => setHelpOpen(false)} />}
    </>
  );
}

function Refused({ status, message }: { status: 'forbidden' | 'error' | 'ready'; message: string | null }) {
  return (
    <section className="card lead-refused" role="alert" data-testid={status === 'forbidden' ? 'lead-forbidden' : 'lead-error'}>
      <h2>{status === 'forbidden' ? '无权查看班次统计' : '班次统计暂不可用'}</h2>
      <p>{message}</p>
      <div className="lead-refused-actions">
        <button className="lead-btn lead-btn-primary" onClick={() => useLeadUi.getState().openSignIn()} autoFocus>
          以班长身份签到 <kbd>Alt+S</kbd>
        </button>
        <button className="lead-btn" onClick={() => useLeadUi.getState().toggle(false)}>
          返回受理 <kbd>Alt+L</kbd>
        </button>
      </div>
    </section>
  );
}

function LeadHelp({ shortcuts, onClose }: { shortcuts: readonly Shortcut[]; onClose: () => void }) {
  return (
    <Overlay onClose={onClose} labelledBy="lead-help-title">
      <h2 id="lead-help-title">班长视图快捷键</h2>
      <table className="keys">
        <tbody>
          <ShortcutRows shortcuts={shortcuts} />
          <tr>
            <td>
              <kbd>←→↑↓</kbd> <kbd>Enter</kbd>
            </td>
            <td>在图表中选择柱、扇区或格子，Enter 下钻到工单</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>关闭工单轨迹、工单明细或本窗口</td>
          </tr>
        </tbody>
      </table>
    </Overlay>
  );
}

function LeadFooter({ shortcuts, charts = true }: { shortcuts: readonly Shortcut[]; charts?: boolean }) {
  return (
    <footer className="statusbar lead-footer">
      <span>班长视图</span>
      <span className="hints">
        <ShortcutHints shortcuts={shortcuts} />
        {charts && (
          <span>
            <kbd>Alt+1…5</kbd> 图表 <kbd>Alt+T</kbd> 明细表
          </span>
        )}
      </span>
    </footer>
  );
}
