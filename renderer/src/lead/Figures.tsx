/**
 * The lead view's figures: the KPI tiles, the five charts and the operator table. Every tile, bar,
 * slice, cell and row drills down to its tickets (lead-store.ts openDrill).
 */
import { useCallback, type KeyboardEvent } from 'react';
import type { DrillFilterInput, ShiftReport } from '../../../shared/api/lead-contract';
import { UNVERIFIED_NOTE } from '../../../shared/stats/center-tally';
import { FIGURE_NOTES, type DrillMetric } from '../../../shared/stats/shift-report';
import { CHART_TITLE } from '../commands';
import { Chart, useCharts } from './charts';
import { formatHm, formatMdHm, formatRate, formatSeconds, formatShare, LEVEL_LABEL } from './format';
import { useLead } from './lead-store';
import { isDutyOperator, operatorIdLabel } from '../../../shared/roles';

/** `?charts=off` draws the page without charts (the bench's baseline). */
export const chartsOff = new URLSearchParams(window.location.search).get('charts') === 'off';
export const OPERATOR_TABLE_ID = 'lead-operators';

export function Kpis({ report }: { report: ShiftReport }) {
  const openDrill = useLead((s) => s.openDrill);
  const t = report.totals;
  const tiles: Array<{ key: string; label: string; value: string; sub?: string; metric: DrillMetric; note: string; tone?: 'bad' | 'ok' }> = [
    {
      key: 'taken',
      label: '受理量',
      value: String(t.taken),
      // The hub's figures say how many of them name an operator only on the desk's word (未核验).
      sub: t.unverified === null ? '张' : `张 · 未核验 ${t.unverified}`,
      metric: 'taken',
      note: t.unverified === null ? FIGURE_NOTES.受理量! : `${FIGURE_NOTES.受理量!}\n${UNVERIFIED_NOTE}`,
    },
    {
      key: 'handling',
      label: '办理时长 中位',
      value: formatSeconds(t.handling.medianSeconds),
      sub: `九成用时 ${formatSeconds(t.handling.p90Seconds)}`,
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
    <>
      <div className="lead-kpis" data-testid="lead-kpis">
        {tiles.map((tile) => (
          <button key={tile.key} className={`lead-kpi ${tile.tone ?? ''}`} title={tile.note} onClick={() => void openDrill({ kind: 'metric', metric: tile.metric })} data-testid={`kpi-${tile.key}`}>
            <span className="lead-kpi-label">{tile.label}</span>
            <span className="lead-kpi-value">{tile.value}</span>
            {tile.sub && <span className="lead-kpi-sub">{tile.sub}</span>}
          </button>
        ))}
      </div>
      {report.channels.length > 0 && (
        <p className="lead-channels" data-testid="lead-channels">
          受理渠道：
          {report.channels.map((c, i) => (
            <span key={c.channel}>
              {i > 0 ? ' · ' : ''}
              {c.channel} <b>{c.count}</b> 张（{formatShare(c.share)}）
            </span>
          ))}
        </p>
      )}
    </>
  );
}

export function Charts({ report, onRendered }: { report: ShiftReport; onRendered: (name: string, key: string) => void }) {
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

export function OperatorsTable({ report }: { report: ShiftReport }) {
  const openDrill = useLead((s) => s.openDrill);
  const multiDay = report.scope.from !== report.scope.to;
  // 未核验 is the hub's to count: the column shows with center-wide figures only.
  const unverified = report.totals.unverified !== null;
  const row = (f: ShiftReport['totals']) => (
    <>
      <td className="num">{f.taken}</td>
      {unverified && (
        <td className={`num ${f.unverified ? 'warn' : ''}`} title={UNVERIFIED_NOTE} data-testid="unverified-count">
          {f.unverified ?? 0}
        </td>
      )}
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
      <table className="lead-table" id={OPERATOR_TABLE_ID} data-testid="lead-operators">
        <thead>
          <tr>
            <th>工号</th>
            <th>姓名</th>
            <th>签到–签退</th>
            <th className="num" title={FIGURE_NOTES.受理量}>受理</th>
            {unverified && (
              <th className="num" title={UNVERIFIED_NOTE} data-testid="unverified-head">
                未核验
              </th>
            )}
            <th className="num" title={FIGURE_NOTES.办理时长}>中位时长</th>
            <th className="num" title={FIGURE_NOTES.办理时长}>九成用时</th>
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
              <td className={isDutyOperator(o.operatorId) ? 'muted' : 'mono'}>{operatorIdLabel(o.operatorId)}</td>
              <td>{o.operatorName}</td>
              <td className="muted">{sessionsText(o.sessions, multiDay)}</td>
              {row(o)}
            </tr>
          ))}
          {report.operators.length === 0 && (
            <tr>
              <td colSpan={unverified ? 17 : 16} className="muted">
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
