/**
 * 班长视图 (the team lead's shift review), on this desk's own tickets: pick a shift or dates and
 * operators, read the figures, see the charts, drill down from any bar, slice, cell, figure or
 * operator to its tickets and on to one ticket's trail, and export the table or a drill-down.
 *
 * Keyboard: Alt+L back to the desk, Alt+S sign in, F1 keys, Alt+1…5 the charts, Alt+T the table;
 * Tab reaches every control; in a chart the arrow keys choose and Enter drills down; in the list
 * ↑↓ choose and Enter opens the trail; Esc closes the trail, then the list.
 *
 * Readiness for tests and the bench: <main data-state="ready" data-report-at="…" data-charts-ready="true">.
 * `?charts=off` draws the page without charts (the bench's baseline).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DrillFilterInput, DrillRow, LeadContext, LeadScope, ShiftReport } from '../../../shared/api/lead-contract';
import { ROLE_LABEL } from '../../../shared/api/lead-contract';
import type { ShiftDefinition } from '../../../shared/shifts';
import { addCalendarDays } from '../../../shared/sla/deadlines';
import { FIGURE_NOTES, type DrillMetric } from '../../../shared/stats/shift-report';
import { api } from '../bridge';
import { useShortcuts, type Shortcut } from '../shortcuts';
import { useShell } from '../store';
import { TicketDetailView } from '../tickets/MyTickets';
import { Chart, CHART_NAMES, useCharts } from './charts';
import { useLeadUi } from './entry';
import { formatHm, formatMdHm, formatRate, formatSeconds, formatShare } from './format';
import { quickScopes, useLead } from './lead-store';
import { ShortcutHints, ShortcutRows } from '../ShortcutRows';

const chartsOff = new URLSearchParams(window.location.search).get('charts') === 'off';
const LEVEL_LABEL = { 1: '一级', 2: '二级', 3: '三级' } as const;
const TABLE_ID = 'lead-operators';

export default function LeadView() {
  const { status, message, context, scope, report, querying, drill, notice } = useLead();
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
    () => [
      { key: 'F1', label: '快捷键帮助', run: () => setHelpOpen((o) => !o) },
      { key: 'L', alt: true, label: '返回受理', run: () => useLeadUi.getState().toggle(false) },
      { key: 'S', alt: true, label: '签到/签退', run: () => useLeadUi.getState().openSignIn() },
      ...CHART_NAMES.map((name, i) => ({
        key: String(i + 1),
        alt: true,
        helpOnly: true,
        label: `转到图表：${CHART_TITLE[name]}`,
        run: () => document.querySelector<HTMLElement>(`[data-testid="chart-${name}"]`)?.focus(),
      })),
      { key: 'T', alt: true, helpOnly: true, label: '转到坐席明细表（↑↓ 选择，Enter 下钻）', run: () => document.querySelector<HTMLElement>(`#${TABLE_ID} tbody tr`)?.focus() },
    ],
    [],
  );
  useShortcuts(shortcuts);

  if (status === 'forbidden' || status === 'error' || !context || !scope) {
    return (
      <>
      <main className="lead" data-testid="lead-view" data-state={status}>
        {status === 'loading' ? (
          <p className="muted">正在载入班次统计…</p>
        ) : (
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
        )}
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
          {!context.centerAvailable && <span>全中心统计需接入中心后提供</span>}
          {report && (
            <span className="muted">
              {report.scopeLabel} · 统计时刻 {formatHm(report.generatedAt)}
            </span>
          )}
          {notice && (
            <span className={`lead-notice ${notice.kind === 'ok' ? 'ok' : 'bad'}`} data-testid="lead-notice" role={notice.kind === 'ok' ? 'status' : 'alert'}>
              {notice.text}
            </span>
          )}
        </div>
        {report && (
          <>
            <Kpis report={report} />
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

const CHART_TITLE: Record<(typeof CHART_NAMES)[number], string> = {
  hourly: '每小时受理量',
  categories: '诉求分类前十',
  dispositions: '处理方式',
  hotspots: '热点：街乡镇 × 一级分类',
  trend: '按日趋势',
};

// ---- Toolbar -----------------------------------------------------------------------------------

function Toolbar({ context, scope, onSettings }: { context: LeadContext; scope: LeadScope; onSettings: () => void }) {
  const setScope = useLead((s) => s.setScope);
  const exporting = useLead((s) => s.exporting);
  const operator = useShell((s) => s.info?.operator);
  const quick = quickScopes(context, { operatorIds: scope.operatorIds, categoryLevel: scope.categoryLevel });
  const same = (a: LeadScope, b: LeadScope) => a.from === b.from && a.to === b.to && a.shiftCode === b.shiftCode;
  return (
    <div className="lead-toolbar" role="toolbar" aria-label="统计范围">
      <h2 className="lead-title">班次统计</h2>
      <div className="lead-quick" role="group" aria-label="快速选择">
        {quick.map((q) => (
          <button key={q.key} className={`seg ${same(q.scope, scope) ? 'active' : ''}`} onClick={() => setScope(q.scope)} data-testid={`quick-${q.key}`}>
            {q.label}
          </button>
        ))}
      </div>
      <label className="lead-field">
        <span>日期</span>
        <DateField value={scope.from} label="开始日期" onChange={(from) => setScope({ from })} testId="scope-from" />
        <span>至</span>
        <DateField value={scope.to} label="结束日期" onChange={(to) => setScope({ to })} testId="scope-to" />
      </label>
      <label className="lead-field">
        <span>班次</span>
        <select className="text-input" value={scope.shiftCode ?? ''} onChange={(e) => setScope({ shiftCode: e.target.value || null })} data-testid="scope-shift">
          <option value="">全部班次</option>
          {context.shifts.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name} {s.start}–{s.end}
            </option>
          ))}
        </select>
      </label>
      <OperatorPicker context={context} scope={scope} />
      <div className="lead-field" role="radiogroup" aria-label="分类级别">
        <span>分类</span>
        {([1, 2, 3] as const).map((level) => (
          <button
            key={level}
            role="radio"
            aria-checked={scope.categoryLevel === level}
            className={`seg ${scope.categoryLevel === level ? 'active' : ''}`}
            onClick={() => setScope({ categoryLevel: level })}
            data-testid={`scope-level-${level}`}
          >
            {LEVEL_LABEL[level]}
          </button>
        ))}
      </div>
      <span className="lead-toolbar-gap" />
      <button className="lead-btn" onClick={() => void useLead.getState().exportFile('operators', 'csv')} disabled={exporting} data-testid="export-table-csv">
        导出 CSV
      </button>
      <button className="lead-btn" onClick={() => void useLead.getState().exportFile('operators', 'xlsx')} disabled={exporting} data-testid="export-table-xlsx">
        导出 XLSX
      </button>
      <button className="lead-btn" onClick={onSettings} data-testid="open-shift-settings">
        班次设置
      </button>
      <button className="lead-btn" onClick={() => useLeadUi.getState().openSignIn()} title="Alt+S">
        {operator ? `${ROLE_LABEL[operator.role]} ${operator.name}` : '签到'}
      </button>
      <button className="lead-btn" onClick={() => useLeadUi.getState().toggle(false)} data-testid="lead-close">
        返回受理 <kbd>Alt+L</kbd>
      </button>
    </div>
  );
}

/** A date as the center writes it (2026-12-01), whatever the browser's locale; ↑↓ step a day. */
function DateField({ value, label, onChange, testId }: { value: string; label: string; onChange: (date: string) => void; testId: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const normalised = (() => {
    const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text.trim());
    if (!m) return null;
    const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    return addCalendarDays(iso, 0) === iso ? iso : null;
  })();
  const commit = () => {
    if (normalised && normalised !== value) onChange(normalised);
    else setText(value);
  };
  return (
    <input
      className={`text-input mono lead-date ${normalised ? '' : 'invalid'}`}
      value={text}
      aria-label={`${label}（年-月-日，↑↓ 前后一天）`}
      title="年-月-日，如 2026-12-01；↑↓ 前后一天，Enter 确定"
      aria-invalid={!normalised}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          onChange(addCalendarDays(value, e.key === 'ArrowUp' ? 1 : -1));
        }
      }}
      data-testid={testId}
    />
  );
}

function OperatorPicker({ context, scope }: { context: LeadContext; scope: LeadScope }) {
  const setScope = useLead((s) => s.setScope);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const chosen = new Set(scope.operatorIds);
  const label =
    chosen.size === 0
      ? '全部坐席'
      : context.operators
          .filter((o) => chosen.has(o.id))
          .map((o) => o.name)
          .slice(0, 2)
          .join('、') + (chosen.size > 2 ? ` 等 ${chosen.size} 人` : '');
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setScope({ operatorIds: [...next] });
  };
  return (
    <div
      className="lead-field lead-picker"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          box.current?.querySelector('button')?.focus();
        }
      }}
      onBlur={(e) => {
        if (!box.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <span>坐席</span>
      <button className="text-input lead-picker-button" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen((o) => !o)} data-testid="scope-operators">
        {label} ▾
      </button>
      {open && (
        <div className="lead-picker-menu" role="group" aria-label="选择坐席">
          <label>
            <input type="checkbox" checked={chosen.size === 0} onChange={() => setScope({ operatorIds: [] })} autoFocus />
            全部坐席
          </label>
          {context.operators.map((o) => (
            <label key={o.id}>
              <input type="checkbox" checked={chosen.has(o.id)} onChange={() => toggle(o.id)} data-testid={`scope-operator-${o.id}`} />
              {o.name} <span className="muted mono">{o.id}</span>
            </label>
          ))}
          {context.operators.length === 0 && <p className="muted">本机还没有坐席受理过工单</p>}
        </div>
      )}
    </div>
  );
}

// ---- Figures -----------------------------------------------------------------------------------

function Kpis({ report }: { report: ShiftReport }) {
  const openDrill = useLead((s) => s.openDrill);
  const t = report.totals;
  const tiles: Array<{ key: string; label: string; value: string; sub?: string; metric: DrillMetric; note: string; tone?: 'bad' | 'ok' }> = [
    { key: 'taken', label: '受理量', value: String(t.taken), sub: '张', metric: 'taken', note: FIGURE_NOTES.受理量! },
    {
      key: 'handling',
      label: '办理时长 中位',
      value: formatSeconds(t.handling.medianSeconds),
      sub: `P90 ${formatSeconds(t.handling.p90Seconds)}`,
      metric: 'taken',
      note: FIGURE_NOTES.办理时长!,
    },
    { key: 'kb', label: '咨询办结', value: String(t.kbClosed), sub: formatRate(t.kbClosedRate), metric: 'kb_closed', note: FIGURE_NOTES.咨询办结率!, tone: 'ok' },
    { key: 'direct', label: '直派', value: String(t.direct), metric: 'direct', note: FIGURE_NOTES.直派! },
    { key: 'subcenter', label: '派分中心', value: String(t.subcenter), metric: 'subcenter', note: FIGURE_NOTES.派分中心! },
    { key: 'city', label: '派市中心', value: String(t.cityCenter), metric: 'city_center', note: FIGURE_NOTES.派市中心! },
    { key: 'duplicate', label: '重复诉求', value: String(t.duplicates), metric: 'duplicate', note: FIGURE_NOTES.重复诉求! },
    { key: 'unreasonable', label: '不合理诉求', value: String(t.unreasonable), metric: 'unreasonable', note: FIGURE_NOTES.不合理诉求! },
    { key: 'returned', label: '已退单', value: String(t.returned), metric: 'returned', note: FIGURE_NOTES.已退单!, ...(t.returned > 0 ? { tone: 'bad' as const } : {}) },
    { key: 'overdue', label: '超期', value: String(t.overdue), metric: 'overdue', note: FIGURE_NOTES.超期!, ...(t.overdue > 0 ? { tone: 'bad' as const } : {}) },
    {
      key: 'callback',
      label: '已回访',
      value: String(t.callbacks),
      sub: `满意率 ${formatRate(t.satisfaction.rate)}`,
      metric: 'callback',
      note: FIGURE_NOTES.回访!,
    },
  ];
  return (
    <div className="lead-kpis" data-testid="lead-kpis">
      {tiles.map((tile) => (
        <button key={tile.key} className={`lead-kpi ${tile.tone ?? ''}`} title={tile.note} onClick={() => void openDrill({ kind: 'metric', metric: tile.metric })} data-testid={`kpi-${tile.key}`}>
          <span className="lead-kpi-label">{tile.label}</span>
          <span className="lead-kpi-value">{tile.value}</span>
          {tile.sub && <span className="lead-kpi-sub">{tile.sub}</span>}
        </button>
      ))}
    </div>
  );
}

function Charts({ report, onRendered }: { report: ShiftReport; onRendered: (name: string, key: string) => void }) {
  const charts = useCharts(report);
  const openDrill = useLead((s) => s.openDrill);
  const pick = useCallback((filter: DrillFilterInput) => void openDrill(filter), [openDrill]);
  if (chartsOff || !charts) return <div className="lead-charts lead-charts-off" data-testid="lead-charts-off" />;
  const empty = report.totals.taken === 0 ? '本范围内没有工单' : null;
  const c = report.categories;
  const h = report.hotspots;
  const common = { renderKey: report.generatedAt, onRendered, onPick: pick };
  return (
    <div className="lead-charts">
      <Chart name="hourly" title={CHART_TITLE.hourly} caption={report.shift ? `${report.shift.name} ${report.shift.start}–${report.shift.end}` : '全天'} {...charts.hourly} {...common} empty={empty} />
      <Chart
        name="categories"
        title={`诉求分类前十（${LEVEL_LABEL[c.level]}）`}
        caption={c.items.length ? `前 ${c.items.length} 类占全部 ${formatShare(c.topShare)}${c.unclassified ? ` · 未分类 ${c.unclassified} 张` : ''}` : undefined}
        {...charts.categories}
        {...common}
        empty={empty}
      />
      <Chart name="dispositions" title={CHART_TITLE.dispositions} caption={`共 ${report.totals.taken} 张`} {...charts.dispositions} {...common} empty={empty} />
      <Chart
        name="hotspots"
        title={CHART_TITLE.hotspots}
        caption={`前 ${h.streets.length} 个街乡镇${h.withoutStreet ? ` · 未明确到街乡镇 ${h.withoutStreet} 张` : ''}`}
        className="lead-chart-wide"
        {...charts.hotspots}
        {...common}
        empty={empty ?? (h.cells.length === 0 ? '没有明确到街乡镇的工单' : null)}
      />
      <Chart
        name="trend"
        title={CHART_TITLE.trend}
        caption={report.trend.length > 0 ? `${report.trend[0]!.date.slice(5)} 至 ${report.trend.at(-1)!.date.slice(5)} · 深色为所选日期，橙色为节假日` : undefined}
        {...charts.trend}
        {...common}
      />
    </div>
  );
}

function sessionsText(sessions: ShiftReport['operators'][number]['sessions'], multiDay: boolean): string {
  if (sessions.length === 0) return '—';
  const fmt = multiDay ? formatMdHm : formatHm;
  if (sessions.length > 2) return `${sessions.length} 次签到 · 首次 ${fmt(sessions[0]!.signedInAt)}`;
  return sessions.map((s) => `${fmt(s.signedInAt)}–${s.signedOutAt ? fmt(s.signedOutAt) : '在岗'}`).join('，');
}

function OperatorsTable({ report }: { report: ShiftReport }) {
  const openDrill = useLead((s) => s.openDrill);
  const multiDay = report.scope.from !== report.scope.to;
  const row = (f: ShiftReport['totals']) => (
    <>
      <td className="num">{f.taken}</td>
      <td className="num">{formatSeconds(f.handling.medianSeconds)}</td>
      <td className="num">{formatSeconds(f.handling.p90Seconds)}</td>
      <td className="num">{formatRate(f.kbClosedRate)}</td>
      <td className="num">{f.direct}</td>
      <td className="num">{f.subcenter}</td>
      <td className="num">{f.cityCenter}</td>
      <td className="num">{f.duplicates}</td>
      <td className="num">{f.unreasonable}</td>
      <td className={`num ${f.returned ? 'bad' : ''}`}>{f.returned}</td>
      <td className={`num ${f.overdue ? 'bad' : ''}`}>{f.overdue}</td>
      <td className="num">{f.callbacks}</td>
      <td className="num">{formatRate(f.satisfaction.rate)}</td>
    </>
  );
  const onKey = (event: KeyboardEvent<HTMLTableRowElement>, filter: DrillFilterInput) => {
    const rowEl = event.currentTarget;
    if (event.key === 'Enter') {
      event.preventDefault();
      void openDrill(filter);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const rows = [...rowEl.closest('table')!.querySelectorAll<HTMLTableRowElement>('tr[tabindex]')];
      rows[rows.indexOf(rowEl) + (event.key === 'ArrowDown' ? 1 : -1)]?.focus();
    }
  };
  return (
    <section className="card lead-table-card" aria-labelledby="lead-table-title">
      <h3 id="lead-table-title" className="lead-chart-title">
        坐席明细 <span className="muted lead-chart-caption">↑↓ 选择，Enter 查看该坐席的工单 · 点表头指标看定义</span>
      </h3>
      <table className="lead-table" id={TABLE_ID} data-testid="lead-operators">
        <thead>
          <tr>
            <th>工号</th>
            <th>姓名</th>
            <th>签到–签退</th>
            <th className="num" title={FIGURE_NOTES.受理量}>受理</th>
            <th className="num" title={FIGURE_NOTES.办理时长}>中位时长</th>
            <th className="num" title={FIGURE_NOTES.办理时长}>P90</th>
            <th className="num" title={FIGURE_NOTES.咨询办结率}>咨询办结率</th>
            <th className="num">直派</th>
            <th className="num">派分中心</th>
            <th className="num">派市中心</th>
            <th className="num">重复</th>
            <th className="num">不合理</th>
            <th className="num" title={FIGURE_NOTES.已退单}>退单</th>
            <th className="num" title={FIGURE_NOTES.超期}>超期</th>
            <th className="num" title={FIGURE_NOTES.回访}>回访</th>
            <th className="num" title={FIGURE_NOTES.回访}>满意率</th>
          </tr>
        </thead>
        <tbody>
          {report.operators.map((o) => (
            <tr key={o.operatorId} tabIndex={0} onClick={() => void openDrill({ kind: 'operator', operatorId: o.operatorId })} onKeyDown={(e) => onKey(e, { kind: 'operator', operatorId: o.operatorId })} data-operator-id={o.operatorId}>
              <td className="mono">{o.operatorId}</td>
              <td>{o.operatorName}</td>
              <td className="muted">{sessionsText(o.sessions, multiDay)}</td>
              {row(o)}
            </tr>
          ))}
          {report.operators.length === 0 && (
            <tr>
              <td colSpan={16} className="muted">
                本范围内没有坐席受理工单
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr tabIndex={0} onClick={() => void openDrill({ kind: 'all' })} onKeyDown={(e) => onKey(e, { kind: 'all' })}>
            <td>合计</td>
            <td>{report.operators.length} 人</td>
            <td />
            {row(report.totals)}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

// ---- Drill-down ----------------------------------------------------------------------------------

function DrillOverlay() {
  const drill = useLead((s) => s.drill)!;
  const exporting = useLead((s) => s.exporting);
  const notice = useLead((s) => s.notice);
  const { moveDrill, openTicket, closeTicket, closeDrill, exportFile } = useLead.getState();
  const [fullPhones, setFullPhones] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const role = useShell((s) => s.info?.operator.role);
  const mayFull = role === 'team_lead' || role === 'admin';

  useEffect(() => {
    if (!drill.loading) list.current?.focus();
  }, [drill.loading, drill.filter]);
  useEffect(() => {
    list.current?.querySelector(`[data-index="${drill.active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [drill.active]);
  // Esc closes the trail, then the list — wherever the focus went (a download can take it away).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      if (useLead.getState().drill?.detail) {
        closeTicket();
        list.current?.focus();
      } else closeDrill();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeTicket, closeDrill]);

  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      moveDrill(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      moveDrill(event.key === 'Home' ? -Infinity : Infinity);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void openTicket(drill.active);
    }
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="drill-title"
      data-testid="drilldown"
      data-state={drill.loading ? 'loading' : 'ready'}
      onClick={closeDrill}
    >
      <div className="overlay-box drill-box" onClick={(e) => e.stopPropagation()}>
        <div className="drill-head">
          <h2 id="drill-title">
            工单明细 · {drill.loading ? '载入中…' : drill.title}
            {!drill.loading && <span className="muted drill-count" data-testid="drill-total">共 {drill.total} 张</span>}
          </h2>
          <span className="lead-toolbar-gap" />
          {mayFull && (
            <label className="drill-full">
              <input type="checkbox" checked={fullPhones} onChange={(e) => setFullPhones(e.target.checked)} data-testid="export-full-phones" />
              导出完整号码
            </label>
          )}
          <button className="lead-btn" disabled={exporting || drill.loading} onClick={() => void exportFile('tickets', 'csv', fullPhones)} data-testid="export-drill-csv">
            导出 CSV
          </button>
          <button className="lead-btn" disabled={exporting || drill.loading} onClick={() => void exportFile('tickets', 'xlsx', fullPhones)} data-testid="export-drill-xlsx">
            导出 XLSX
          </button>
          <button className="lead-btn" onClick={closeDrill}>
            关闭 <kbd>Esc</kbd>
          </button>
        </div>
        {notice && (
          <p className={`lead-notice ${notice.kind === 'ok' ? 'ok' : 'bad'}`} data-testid="drill-notice" role={notice.kind === 'ok' ? 'status' : 'alert'}>
            {notice.text}
          </p>
        )}
        {drill.truncated && (
          <p className="muted">
            仅列出最新 {drill.rows.length} 张；导出包含全部 {drill.total} 张。
          </p>
        )}
        <div className="drill-split">
          <div
            className="drill-list"
            role="listbox"
            tabIndex={0}
            ref={list}
            aria-label="工单列表：↑↓ 选择，Enter 查看处理轨迹"
            aria-activedescendant={drill.rows[drill.active] ? `drill-row-${drill.active}` : undefined}
            onKeyDown={onListKey}
            data-testid="drill-rows"
          >
            <div className="drill-row drill-row-head" aria-hidden>
              <span>工单编号</span>
              <span>受理时间</span>
              <span>话务员</span>
              <span>诉求分类</span>
              <span>地点</span>
              <span>处理</span>
              <span>状态</span>
              <span>时长</span>
              <span>时限</span>
            </div>
            {drill.rows.map((row, i) => (
              <DrillLine key={row.id} row={row} index={i} active={i === drill.active} onOpen={() => void openTicket(i)} />
            ))}
            {!drill.loading && drill.rows.length === 0 && <p className="muted drill-empty">没有符合条件的工单</p>}
          </div>
          <aside className="drill-detail" aria-live="polite">
            {drill.detail ? (
              <TicketDetailView ticket={drill.detail} />
            ) : (
              <p className="muted drill-hint">
                选中一张工单后按 <kbd>Enter</kbd>（或单击）查看其处理轨迹。
              </p>
            )}
          </aside>
        </div>
      </div>
    </div>
  );
}

function DrillLine({ row, index, active, onOpen }: { row: DrillRow; index: number; active: boolean; onOpen: () => void }) {
  const leaf = row.categoryPath.split('—').at(-1) ?? '';
  return (
    <div
      id={`drill-row-${index}`}
      role="option"
      aria-selected={active}
      className={`drill-row ${active ? 'active' : ''}`}
      data-index={index}
      data-ticket-id={row.id}
      onClick={onOpen}
      title={row.contentPreview}
    >
      <span className="mono">{row.number}</span>
      <span className="mono">{formatMdHm(row.submittedAt)}</span>
      <span>{row.operatorName}</span>
      <span className="ellipsis" title={row.categoryPath}>
        {leaf || '—'}
      </span>
      <span className="ellipsis">{row.place || '—'}</span>
      <span>{row.disposition}</span>
      <span className={`status status-${row.status}`}>{row.status}</span>
      <span className="mono">{formatSeconds(row.handlingSeconds)}</span>
      <span>{row.nextDue ? <span className={`due ${row.nextDue.overdue ? 'due-overdue' : 'due-ok'}`}>{row.nextDue.overdue ? `${row.nextDue.label}超期` : row.nextDue.label}</span> : <span className="muted">—</span>}</span>
    </div>
  );
}

// ---- Shift settings and help ---------------------------------------------------------------------

function ShiftSettingsDialog({ shifts, onClose }: { shifts: readonly ShiftDefinition[]; onClose: () => void }) {
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
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="shift-settings-title"
      data-testid="shift-settings"
      onClick={onClose}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
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
        {error && (
          <p className="field-error" role="alert" data-testid="shift-settings-error">
            {error}
          </p>
        )}
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
      </div>
    </div>
  );
}

function LeadHelp({ shortcuts, onClose }: { shortcuts: readonly Shortcut[]; onClose: () => void }) {
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="lead-help-title" onClick={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()} tabIndex={-1} ref={(el) => el?.focus()}>
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
      </div>
    </div>
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
