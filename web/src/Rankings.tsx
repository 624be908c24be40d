/**
 * 考核排名 in the workspace (市中心, 分中心 for its district, team leads): the rates and 综合得分 of
 * `stats.rankings` (server/rankings.ts) by unit, street, district, 一级 category or community, a
 * sortable table with the change against the previous period, ECharts charts (the daily trend, the
 * distribution of scores), the counted tickets by 受理渠道, a drill-down to the tickets behind a figure
 * (`stats.rankingTickets`), CSV export built here and XLSX export built by the hub
 * (`stats.rankingsXlsx`, server/rankings-export.ts: exceljs would add about 1 MB to this bundle), and
 * a printable A4 weekly report (styles.css, @media print).
 */
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Rankings as RankingsData, RankingRow, RankingTicket, RankFigure, RankGroup } from '../../shared/stats/rankings-schema';
import { RANK_FIGURE_LABEL, RANK_GROUP_LABEL } from '../../shared/stats/rankings-schema';
import { RATE_LABEL } from '../../shared/stats/scoring';
import { call } from './api';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const DAY = 86_400_000;
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

type Period = 'week' | 'lastWeek' | 'month' | 'lastMonth' | 'custom';
const PERIOD_LABEL: Record<Period, string> = { week: '本周', lastWeek: '上周', month: '本月', lastMonth: '上月', custom: '自定义' };

function rangeOf(period: Period, today: string): { from: string; to: string } {
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const monday = addDays(today, -weekday);
  const first = `${today.slice(0, 7)}-01`;
  switch (period) {
    case 'week':
      return { from: monday, to: today };
    case 'lastWeek':
      return { from: addDays(monday, -7), to: addDays(monday, -1) };
    case 'month':
      return { from: first, to: today };
    case 'lastMonth': {
      const lastDay = addDays(first, -1);
      return { from: `${lastDay.slice(0, 7)}-01`, to: lastDay };
    }
    case 'custom':
      return { from: addDays(today, -6), to: today };
  }
}

type Column = { key: keyof RankingRow; label: string; figure?: RankFigure; rate?: boolean };
const COLUMNS: Column[] = [
  { key: 'rank', label: '排名' },
  { key: 'name', label: '名称' },
  { key: 'tickets', label: '工单', figure: 'tickets' },
  { key: 'responseRate', label: RATE_LABEL.responseRate, figure: 'notResponded', rate: true },
  { key: 'resolutionRate', label: RATE_LABEL.resolutionRate, figure: 'unresolved', rate: true },
  { key: 'satisfactionRate', label: RATE_LABEL.satisfactionRate, figure: 'unsatisfied', rate: true },
  { key: 'firstSatisfactionRate', label: RATE_LABEL.firstSatisfactionRate, figure: 'notFirstSatisfied', rate: true },
  { key: 'reopenRate', label: RATE_LABEL.reopenRate, figure: 'reopened', rate: true },
  { key: 'returnRate', label: RATE_LABEL.returnRate, figure: 'returned', rate: true },
  { key: 'repeatRate', label: RATE_LABEL.repeatRate, figure: 'repeated', rate: true },
  { key: 'score', label: '综合得分' },
];

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '—' : v.toFixed(1));

function delta(row: RankingRow): string {
  if (!row.previous || row.previous.score === null || row.score === null) return '—';
  const d = row.score - row.previous.score;
  const r = row.rank !== null && row.previous.rank !== null ? row.previous.rank - row.rank : null;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)} 分${r === null || r === 0 ? '' : r > 0 ? ` ↑${r}` : ` ↓${-r}`}`;
}

function csvOf(data: RankingsData): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = ['排名', '编码', '名称', '工单', '响应率', '解决率', '满意率', '初次满意率', '重办率', '退单率', '重复诉求率', '综合得分', '上期得分', '上期排名'];
  const lines = data.rows.map((r) =>
    [r.rank, r.key, r.name, r.tickets, pct(r.responseRate), pct(r.resolutionRate), pct(r.satisfactionRate), pct(r.firstSatisfactionRate), pct(r.reopenRate), pct(r.returnRate), pct(r.repeatRate), num(r.score), num(r.previous?.score ?? null), r.previous?.rank ?? null]
      .map(cell)
      .join(','),
  );
  return '\uFEFF' + [head.join(','), ...lines].join('\r\n') + '\r\n';
}

function download(name: string, content: string | Blob): void {
  const url = URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type: 'text/csv;charset=utf-8' }) : content);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Chart({ option, testId }: { option: echarts.EChartsCoreOption; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(option);
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [option]);
  return <div className="rank-chart" ref={ref} data-testid={testId} />;
}

export function Rankings({ mayRank }: { mayRank: boolean }) {
  const today = beijingToday();
  const [period, setPeriod] = useState<Period>('month');
  const [range, setRange] = useState(rangeOf('month', today));
  const [groupBy, setGroupBy] = useState<RankGroup>('unit');
  const [data, setData] = useState<RankingsData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: keyof RankingRow; desc: boolean }>({ key: 'rank', desc: false });
  const [drill, setDrill] = useState<{ title: string; total: number; rows: RankingTicket[] } | null>(null);
  const [report, setReport] = useState<WeeklyData | null>(null);

  useEffect(() => {
    if (!mayRank) return;
    let live = true;
    setError(null);
    void call('stats.rankings', { ...range, groupBy }).then((r) => {
      if (!live) return;
      if (r.ok) setData(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [range.from, range.to, groupBy, mayRank]);

  if (!mayRank) return <p className="error">考核排名供市中心、分中心和班长查看。</p>;

  const choose = (p: Period) => {
    setPeriod(p);
    if (p !== 'custom') setRange(rangeOf(p, today));
  };
  const open = async (row: RankingRow | null, figure: RankFigure) => {
    const r = await call('stats.rankingTickets', { ...range, groupBy, key: row ? row.key : null, figure });
    if (r.ok) setDrill({ title: `${row ? row.name : '全部'} · ${RANK_FIGURE_LABEL[figure]}`, ...r.value });
    else setError(r.error.message);
  };
  const exportXlsx = async () => {
    const r = await call('stats.rankingsXlsx', { ...range, groupBy });
    if (!r.ok) return setError(r.error.message);
    const bytes = Uint8Array.from(atob(r.value.base64), (c) => c.charCodeAt(0));
    download(r.value.fileName, new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  };
  const rows = data
    ? [...data.rows].sort((a, b) => {
        const x = a[sort.key] as number | string | null;
        const y = b[sort.key] as number | string | null;
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        const c = typeof x === 'string' ? x.localeCompare(y as string, 'zh-CN') : x - (y as number);
        return sort.desc ? -c : c;
      })
    : [];
  const scores = (data?.rows ?? []).map((r) => r.score).filter((s): s is number => s !== null);
  const buckets = ['<60', '60–70', '70–80', '80–90', '90–100'];
  const bucketCounts = buckets.map((_, i) => scores.filter((s) => (i === 0 ? s < 60 : s >= 50 + i * 10 && (i === 4 ? s <= 100 : s < 60 + i * 10))).length);

  return (
    <section className="rankings" data-testid="rankings">
      <div className="rank-bar no-print">
        {(Object.keys(PERIOD_LABEL) as Period[]).map((p) => (
          <button key={p} className={p === period ? 'on' : ''} onClick={() => choose(p)}>
            {PERIOD_LABEL[p]}
          </button>
        ))}
        <input type="date" value={range.from} aria-label="起始日期" onChange={(e) => (setPeriod('custom'), setRange({ ...range, from: e.target.value }))} />
        至
        <input type="date" value={range.to} aria-label="截止日期" onChange={(e) => (setPeriod('custom'), setRange({ ...range, to: e.target.value }))} />
        <select value={groupBy} aria-label="统计维度" onChange={(e) => setGroupBy(e.target.value as RankGroup)} data-testid="rank-group">
          {(Object.keys(RANK_GROUP_LABEL) as RankGroup[]).map((g) => (
            <option key={g} value={g}>
              按{RANK_GROUP_LABEL[g]}
            </option>
          ))}
        </select>
        <button disabled={!data} onClick={() => data && download(`考核排名_${data.scopeLabel}_${data.from}_${data.to}.csv`, csvOf(data))} data-testid="rank-csv">
          导出 CSV
        </button>
        <button disabled={!data} onClick={() => void exportXlsx()} data-testid="rank-xlsx">
          导出 XLSX
        </button>
        <button
          onClick={() => void loadWeekly(rangeOf(period === 'week' ? 'week' : 'lastWeek', today)).then((w) => (w.ok ? setReport(w.value) : setError(w.error)))}
          title="上周（选“本周”时为本周至今）的 A4 周报"
          data-testid="rank-weekly"
        >
          打印周报
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <>
          <h2 className="rank-title">
            {data.scopeLabel} · {data.from} 至 {data.to} · 按{RANK_GROUP_LABEL[data.groupBy]}
            <span className="hint">
              {' '}
              （对比上期 {data.previous.from} 至 {data.previous.to}；综合得分权重：
              {Object.entries(data.weights)
                .filter(([, w]) => w > 0)
                .map(([k, w]) => `${RATE_LABEL[k as keyof typeof RATE_LABEL]} ${Math.round(w * 100)}%`)
                .join('、')}
              ；工单少于 {data.minTickets} 张不排名）
            </span>
          </h2>
          <div className="rank-kpis">
            <Kpi label="计入工单" value={String(data.totals.tickets)} onClick={() => void open(null, 'tickets')} />
            <Kpi label="响应率" value={pct(data.totals.responseRate)} onClick={() => void open(null, 'notResponded')} />
            <Kpi label="解决率" value={pct(data.totals.resolutionRate)} onClick={() => void open(null, 'unresolved')} />
            <Kpi label="满意率" value={pct(data.totals.satisfactionRate)} onClick={() => void open(null, 'unsatisfied')} />
            <Kpi label="初次满意率" value={pct(data.totals.firstSatisfactionRate)} onClick={() => void open(null, 'notFirstSatisfied')} />
            <Kpi label="重办率" value={pct(data.totals.reopenRate)} onClick={() => void open(null, 'reopened')} />
            <Kpi label="退单率" value={pct(data.totals.returnRate)} onClick={() => void open(null, 'returned')} />
            <Kpi label="重复诉求率" value={pct(data.totals.repeatRate)} onClick={() => void open(null, 'repeated')} />
          </div>
          <Channels channels={data.channels} />
          <div className="rank-charts">
            <Chart
              testId="rank-trend"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0, data: ['工单', '响应率', '解决率', '满意率'] },
                grid: { left: 50, right: 50, top: 48, bottom: 30 },
                xAxis: { type: 'category', data: data.trend.map((d) => d.date.slice(5)) },
                yAxis: [
                  { type: 'value', name: '工单' },
                  { type: 'value', name: '%', min: 0, max: 100 },
                ],
                series: [
                  { name: '工单', type: 'bar', data: data.trend.map((d) => d.tickets), itemStyle: { color: '#c9d6e3' } },
                  ...(['responseRate', 'resolutionRate', 'satisfactionRate'] as const).map((k) => ({
                    name: RATE_LABEL[k],
                    type: 'line',
                    yAxisIndex: 1,
                    data: data.trend.map((d) => (d[k] === null ? null : +(d[k]! * 100).toFixed(1))),
                  })),
                ],
              }}
            />
            <Chart
              testId="rank-distribution"
              option={{
                tooltip: {},
                grid: { left: 40, right: 20, top: 30, bottom: 30 },
                xAxis: { type: 'category', data: buckets, name: '综合得分' },
                yAxis: { type: 'value', name: RANK_GROUP_LABEL[data.groupBy], minInterval: 1 },
                series: [{ type: 'bar', data: bucketCounts, itemStyle: { color: '#1d5fa8' } }],
              }}
            />
          </div>
          <table className="rank-table" data-testid="rank-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} onClick={() => setSort({ key: c.key, desc: sort.key === c.key ? !sort.desc : c.key === 'score' || !!c.rate || c.key === 'tickets' })} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                    {c.label}
                    {sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </th>
                ))}
                <th>较上期</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  {COLUMNS.map((c) => {
                    const v = r[c.key] as number | string | null;
                    const text = c.rate ? pct(v as number | null) : c.key === 'score' ? num(v as number | null) : v === null ? '—' : String(v);
                    return (
                      <td key={c.key} className={c.figure ? 'drill' : ''}>
                        {c.figure ? (
                          <button className="link" onClick={() => void open(r, c.figure!)} title={`查看${RANK_FIGURE_LABEL[c.figure]}的工单`}>
                            {text}
                          </button>
                        ) : (
                          text
                        )}
                      </td>
                    );
                  })}
                  <td>{delta(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {drill && <TicketList title={drill.title} total={drill.total} rows={drill.rows} onClose={() => setDrill(null)} />}
      {report && <WeeklyReport data={report} onClose={() => setReport(null)} />}
    </section>
  );
}

function Kpi({ label, value, onClick }: { label: string; value: string; onClick: () => void }) {
  return (
    <button className="rank-kpi" onClick={onClick}>
      <span>{label}</span>
      <b>{value}</b>
    </button>
  );
}

/** The counted tickets by 受理渠道: one compact line, count and share. */
function Channels({ channels }: { channels: RankingsData['channels'] }) {
  if (channels.length === 0) return null;
  return (
    <p className="rank-channels" data-testid="rank-channels">
      受理渠道：
      {channels.map((c, i) => (
        <span key={c.channel} data-channel={c.channel}>
          {i > 0 ? ' · ' : ''}
          {c.channel} <b>{c.tickets}</b> 张（{pct(c.share)}）
        </span>
      ))}
    </p>
  );
}

function TicketList({ title, total, rows, onClose }: { title: string; total: number; rows: RankingTicket[]; onClose?: () => void }) {
  return (
    <div className="rank-drill" data-testid="rank-drill">
      <h3>
        {title}（{total} 张{total > rows.length ? `，显示前 ${rows.length} 张` : ''}）
        {onClose && (
          <button className="no-print" onClick={onClose}>
            关闭
          </button>
        )}
      </h3>
      <table className="rank-table">
        <thead>
          <tr>
            <th>编号</th>
            <th>受理时间</th>
            <th>承办单位</th>
            <th>分类</th>
            <th>地点</th>
            <th>状态</th>
            <th>回访</th>
            <th>重办</th>
            <th>退单</th>
            <th>诉求</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={10} className="content muted">
                无
              </td>
            </tr>
          )}
          {rows.map((t) => (
            <tr key={t.id}>
              <td>
                <a href={`#/t/${t.id}`}>{t.number}</a>
              </td>
              <td>{new Date(Date.parse(t.submittedAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}</td>
              <td>{t.unitName}</td>
              <td>{t.category}</td>
              <td>{t.place}</td>
              <td>{t.status}</td>
              <td>{t.callback}</td>
              <td>{t.reopens}</td>
              <td>{t.returns}</td>
              <td className="content">{t.content}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---- The weekly report (A4) ---------------------------------------------------------------------

interface WeeklyData {
  from: string;
  to: string;
  units: RankingsData;
  categories: RankingsData;
  communities: RankingsData;
  overdue: { total: number; rows: RankingTicket[] };
  reopened: { total: number; rows: RankingTicket[] };
}

/** A week (last week, Monday to Sunday, or this week so far): rankings, categories, communities, overdue and reopened tickets. */
async function loadWeekly(range: { from: string; to: string }): Promise<{ ok: true; value: WeeklyData } | { ok: false; error: string }> {
  const [units, categories, communities, overdue, reopened] = await Promise.all([
    call('stats.rankings', { ...range, groupBy: 'unit' }),
    call('stats.rankings', { ...range, groupBy: 'category' }),
    call('stats.rankings', { ...range, groupBy: 'community' }),
    call('stats.rankingTickets', { ...range, groupBy: 'unit', key: null, figure: 'overdue' }),
    call('stats.rankingTickets', { ...range, groupBy: 'unit', key: null, figure: 'reopened' }),
  ]);
  for (const r of [units, categories, communities, overdue, reopened]) if (!r.ok) return { ok: false, error: r.error.message };
  return {
    ok: true,
    value: {
      ...range,
      units: (units as { value: RankingsData }).value,
      categories: (categories as { value: RankingsData }).value,
      communities: (communities as { value: RankingsData }).value,
      overdue: (overdue as { value: { total: number; rows: RankingTicket[] } }).value,
      reopened: (reopened as { value: { total: number; rows: RankingTicket[] } }).value,
    },
  };
}

function WeeklyReport({ data, onClose }: { data: WeeklyData; onClose: () => void }) {
  useEffect(() => {
    document.body.classList.add('printing-report');
    return () => document.body.classList.remove('printing-report');
  }, []);
  const total = data.categories.totals.tickets;
  const top = (rows: RankingRow[], n: number) => [...rows].sort((a, b) => b.tickets - a.tickets).slice(0, n);
  return (
    <div className="weekly-report" data-testid="weekly-report">
      <div className="no-print weekly-actions">
        <button onClick={() => window.print()}>打印（A4）</button>
        <button onClick={onClose}>关闭周报</button>
      </div>
      <h1>
        {data.units.scopeLabel}接诉即办周报 · {data.from} 至 {data.to}
      </h1>
      <p>
        计入工单 {data.units.totals.tickets} 张；响应率 {pct(data.units.totals.responseRate)}、解决率 {pct(data.units.totals.resolutionRate)}、满意率 {pct(data.units.totals.satisfactionRate)}；重办 {data.units.totals.reopened} 张，退单{' '}
        {data.units.totals.returned} 张。
      </p>
      <Channels channels={data.units.channels} />
      <h2>诉求分类前十</h2>
      <table className="rank-table narrow">
        <thead>
          <tr><th>一级分类</th><th>工单</th><th>占比</th></tr>
        </thead>
        <tbody>
          {top(data.categories.rows, 10).map((r) => (
            <tr key={r.key}><td>{r.name}</td><td>{r.tickets}</td><td>{pct(total ? r.tickets / total : null)}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>热点社区（村）前十</h2>
      <table className="rank-table narrow">
        <thead>
          <tr><th>社区（村）</th><th>工单</th><th>满意率</th></tr>
        </thead>
        <tbody>
          {top(data.communities.rows.filter((r) => r.key !== ''), 10).map((r) => (
            <tr key={r.key}><td>{r.name}</td><td>{r.tickets}</td><td>{pct(r.satisfactionRate)}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>承办单位排名</h2>
      <table className="rank-table">
        <thead>
          <tr><th>排名</th><th>单位</th><th>工单</th><th>响应率</th><th>解决率</th><th>满意率</th><th>综合得分</th><th>较上周</th></tr>
        </thead>
        <tbody>
          {data.units.rows.slice(0, 30).map((r) => (
            <tr key={r.key}>
              <td>{r.rank ?? '—'}</td><td>{r.name}</td><td>{r.tickets}</td><td>{pct(r.responseRate)}</td><td>{pct(r.resolutionRate)}</td><td>{pct(r.satisfactionRate)}</td><td>{num(r.score)}</td><td>{delta(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TicketList title="超期未办结工单" total={data.overdue.total} rows={data.overdue.rows.slice(0, 20)} />
      <TicketList title="重办工单" total={data.reopened.total} rows={data.reopened.rows.slice(0, 20)} />
    </div>
  );
}
