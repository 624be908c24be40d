/**
 * The shift log's charts (ECharts, only the parts used: bar, pie, heatmap; grid, tooltip,
 * visual map; the canvas renderer). Each chart is one focusable card: click a bar, slice or cell —
 * or focus the card (Tab), move with the arrow keys and press Enter — to drill down to its tickets.
 * What is selected is said in words under the chart as well as highlighted in it.
 *
 * Charts draw without animation: a lead reads figures, and the view's readiness signal
 * (data-rendered on each card) comes the frame the chart is really drawn.
 */
import { BarChart, HeatmapChart, PieChart, type BarSeriesOption, type HeatmapSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent, type GridComponentOption, type TooltipComponentOption, type VisualMapComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DrillFilterInput, ShiftReport } from '../../../shared/api/lead-contract';
import type { Disposition } from '../../../shared/domain/ticket';
import { weekdayName } from '../../../shared/stats/calendar';
import type { ChartName } from '../commands';
import { formatShare, heatLabelTone, hourLabel } from './format';

echarts.use([BarChart, PieChart, HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | PieSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
const INK = '#1d2733';
const MUTED = '#5b6776';
const BRAND = '#0b4f9c';
const HIGHLIGHT = '#ffb300';
export const DISPOSITION_COLOR: Record<Disposition, string> = {
  咨询办结: '#1f8b4c',
  直派: '#0b4f9c',
  派分中心: '#e08e0b',
  派市中心: '#c62828',
  重复诉求: '#7b4bb7',
  不合理诉求: '#7d8896',
};
/** Days in the chosen range are strong, the days before them (for comparison) pale; holidays orange. */
const dayColor = (kind: 'workday' | 'weekend' | 'holiday' | 'adjusted_workday', inScope: boolean) =>
  kind === 'holiday' ? (inScope ? '#d9822b' : '#f0c08f') : inScope ? BRAND : '#a9bddb';

/**
 * ECharts puts a tooltip formatter's string into the page as HTML: every name from the catalogue,
 * the streets or the calendar goes through this first, so a name with markup shows as text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const base = (): Option => ({
  animation: false,
  textStyle: { fontFamily: FONT, fontSize: 13, color: INK },
  // No fade: a tooltip must not linger over the drill-down that a pick opens.
  tooltip: { trigger: 'item', confine: true, transitionDuration: 0, textStyle: { fontFamily: FONT, fontSize: 13 } },
});

/** One thing in a chart a lead can pick, with what it drills to. Row/col place heat-map cells for ↑↓. */
export interface ChartPoint {
  seriesIndex?: number;
  dataIndex: number;
  label: string;
  filter: DrillFilterInput;
  row?: number;
  col?: number;
}

export interface ChartProps {
  name: string;
  title: string;
  /** Under the title: what the chart covers (e.g. 前十类占 84.6%). */
  caption?: string | undefined;
  option: Option;
  points: ChartPoint[];
  /** The report these figures are from; the card says data-rendered="<key>" once drawn. */
  renderKey: string;
  onRendered: (name: string, key: string) => void;
  onPick: (filter: DrillFilterInput) => void;
  className?: string;
  empty?: string | null;
}

function nextPoint(points: ChartPoint[], current: number, key: string): number {
  if (points.length === 0) return current;
  if (key === 'Home') return 0;
  if (key === 'End') return points.length - 1;
  const here = points[current];
  const twoD = here?.row !== undefined;
  if (twoD && (key === 'ArrowUp' || key === 'ArrowDown')) {
    const rows = [...new Set(points.map((p) => p.row!))].sort((a, b) => a - b);
    const at = rows.indexOf(here!.row!);
    const target = rows[key === 'ArrowUp' ? at - 1 : at + 1];
    if (target === undefined) return current;
    let best = current;
    let distance = Infinity;
    points.forEach((p, i) => {
      if (p.row === target && Math.abs(p.col! - here!.col!) < distance) {
        distance = Math.abs(p.col! - here!.col!);
        best = i;
      }
    });
    return best;
  }
  const forward = key === 'ArrowRight' || key === 'ArrowDown';
  return Math.max(0, Math.min(points.length - 1, current + (forward ? 1 : -1)));
}

export function Chart({ name, title, caption, option, points, renderKey, onRendered, onPick, className, empty }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const card = useRef<HTMLElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef({ points, onPick });
  latest.current = { points, onPick };
  const [active, setActive] = useState<number | null>(null);

  useEffect(() => {
    const instance = echarts.init(host.current!, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const hit = latest.current.points.find((p) => p.dataIndex === params.dataIndex && (p.seriesIndex ?? 0) === params.seriesIndex);
      if (hit) latest.current.onPick(hit.filter);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(host.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    delete card.current?.dataset.rendered;
    const done = () => {
      instance.off('finished', done);
      if (card.current) card.current.dataset.rendered = renderKey;
      onRendered(name, renderKey);
    };
    instance.on('finished', done);
    instance.setOption(option, { notMerge: true });
    setActive(null);
    return () => {
      instance.off('finished', done);
    };
  }, [option, renderKey, name, onRendered]);

  // Show the keyboard selection in the chart itself.
  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.dispatchAction({ type: 'downplay' });
    const point = active === null ? null : points[active];
    if (!point) {
      instance.dispatchAction({ type: 'hideTip' });
      return;
    }
    instance.dispatchAction({ type: 'highlight', seriesIndex: point.seriesIndex ?? 0, dataIndex: point.dataIndex });
    instance.dispatchAction({ type: 'showTip', seriesIndex: point.seriesIndex ?? 0, dataIndex: point.dataIndex });
  }, [active, points]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (points.length === 0) return;
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      setActive((a) => nextPoint(points, a ?? 0, a === null ? 'Home' : event.key));
    } else if ((event.key === 'Enter' || event.key === ' ') && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      const point = points[active ?? 0];
      if (point) onPick(point.filter);
    }
  };

  const selected = active === null ? null : points[active];
  return (
    <section
      ref={card}
      className={`card lead-chart ${className ?? ''}`}
      data-testid={`chart-${name}`}
      tabIndex={0}
      aria-label={`${title}：方向键选择，Enter 查看工单`}
      onKeyDown={onKeyDown}
      onFocus={() => setActive((a) => (a === null && points.length > 0 ? 0 : a))}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setActive(null);
      }}
    >
      <h3 className="lead-chart-title">
        {title}
        {caption && <span className="muted lead-chart-caption">{caption}</span>}
      </h3>
      <div className="lead-chart-body">
        <div ref={host} className="lead-chart-canvas" />
        {empty && <p className="lead-chart-empty">{empty}</p>}
      </div>
      <p className="lead-chart-focus" aria-live="polite" data-testid={`chart-${name}-focus`}>
        {selected ? (
          <>
            <strong>{selected.label}</strong> · <kbd>Enter</kbd> 查看工单
          </>
        ) : (
          <span className="muted">点击图形或 Tab 到此后用方向键选择，Enter 下钻到工单</span>
        )}
      </p>
    </section>
  );
}

// ---- The five charts ---------------------------------------------------------------------------

export function hourlyChart(report: ShiftReport): { option: Option; points: ChartPoint[] } {
  const hours = report.hourly;
  const option: Option = {
    ...base(),
    grid: { left: 36, right: 12, top: 24, bottom: 26 },
    xAxis: { type: 'category', data: hours.map((h) => hourLabel(h.hour)), axisTick: { alignWithLabel: true }, axisLabel: { color: MUTED } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: '#e6eaf0' } } },
    tooltip: { ...base().tooltip, formatter: (p) => `${escapeHtml((p as { name: string }).name)}：${(p as { value: number }).value} 张` },
    series: [
      {
        type: 'bar',
        data: hours.map((h) => h.count),
        barMaxWidth: 42,
        itemStyle: { color: BRAND, borderRadius: [3, 3, 0, 0] },
        emphasis: { itemStyle: { color: HIGHLIGHT } },
        label: { show: hours.length <= 12, position: 'top', color: INK, formatter: (p) => (Number(p.value) > 0 ? String(p.value) : '') },
      },
    ],
  };
  const points = hours.map((h, i) => ({ dataIndex: i, label: `${hourLabel(h.hour)} ${h.count} 张`, filter: { kind: 'hour' as const, hour: h.hour } }));
  return { option, points };
}

export function categoriesChart(report: ShiftReport): { option: Option; points: ChartPoint[] } {
  // Largest at the top: the category axis runs bottom-up.
  const items = [...report.categories.items].reverse();
  const option: Option = {
    ...base(),
    grid: { left: 8, right: 96, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, show: false },
    yAxis: {
      type: 'category',
      data: items.map((c) => c.name),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: INK, width: 150, overflow: 'truncate' },
    },
    tooltip: {
      ...base().tooltip,
      formatter: (p) => {
        const item = items[(p as { dataIndex: number }).dataIndex]!;
        return `${escapeHtml(item.path.join('—'))}<br/>${item.count} 张 · 占全部 ${formatShare(item.share)}`;
      },
    },
    series: [
      {
        type: 'bar',
        data: items.map((c) => c.count),
        barMaxWidth: 18,
        itemStyle: { color: '#2f6db5', borderRadius: [0, 3, 3, 0] },
        emphasis: { itemStyle: { color: HIGHLIGHT } },
        label: { show: true, position: 'right', color: INK, formatter: (p) => `${p.value} 张 · ${formatShare(items[p.dataIndex]!.share)}` },
      },
    ],
  };
  const points = report.categories.items.map((c, rank) => ({
    dataIndex: items.length - 1 - rank,
    label: `第 ${rank + 1} 位 ${c.path.join('—')} ${c.count} 张（${formatShare(c.share)}）`,
    filter: { kind: 'category' as const, code: c.code },
  }));
  return { option, points };
}

export function dispositionsChart(report: ShiftReport): { option: Option; points: ChartPoint[] } {
  const shown = report.dispositions.filter((d) => d.count > 0);
  const option: Option = {
    ...base(),
    tooltip: { ...base().tooltip, formatter: (p) => `${escapeHtml((p as { name: string }).name)}：${(p as { value: number }).value} 张（${(p as { percent: number }).percent}%）` },
    series: [
      {
        type: 'pie',
        // Labels stand off the ring at the chart's edges, joined by their lines: none sits on the ring.
        radius: ['36%', '58%'],
        center: ['50%', '50%'],
        avoidLabelOverlap: true,
        data: shown.map((d) => ({ name: d.disposition, value: d.count, itemStyle: { color: DISPOSITION_COLOR[d.disposition] } })),
        label: {
          formatter: (p) => `${p.name}\n${p.value} 张 ${formatShare(Number(p.percent) / 100)}`,
          color: INK,
          fontSize: 13,
          lineHeight: 18,
          alignTo: 'edge',
          edgeDistance: 10,
          minMargin: 6,
        },
        labelLine: { length: 14, length2: 0, maxSurfaceAngle: 80 },
        emphasis: { scale: true, scaleSize: 6, itemStyle: { borderColor: HIGHLIGHT, borderWidth: 3 } },
      },
    ],
  };
  const points = shown.map((d, i) => ({ dataIndex: i, label: `${d.disposition} ${d.count} 张（${formatShare(d.share)}）`, filter: { kind: 'disposition' as const, disposition: d.disposition } }));
  return { option, points };
}

export function hotspotsChart(report: ShiftReport): { option: Option; points: ChartPoint[] } {
  const { streets, categories, cells, max } = report.hotspots;
  const rows = streets.length;
  // The busiest street on top.
  const y = (street: number) => rows - 1 - street;
  const data = cells.map((c) => [c.category, y(c.street), c.count]);
  const option: Option = {
    ...base(),
    grid: { left: 8, right: 64, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: categories.map((c) => c.name), splitArea: { show: true }, axisLabel: { color: INK, interval: 0, width: 110, overflow: 'truncate' } },
    yAxis: { type: 'category', data: [...streets].reverse().map((s) => s.name), splitArea: { show: true }, axisLabel: { color: INK, interval: 0 } },
    visualMap: {
      min: 0,
      max: Math.max(1, max),
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: 150,
      itemWidth: 12,
      text: ['多', '少'],
      textStyle: { color: MUTED, fontFamily: FONT },
      inRange: { color: ['#fff3da', '#f4a340', '#c62828'] },
    },
    tooltip: {
      ...base().tooltip,
      formatter: (p) => {
        const cell = cells[(p as { dataIndex: number }).dataIndex]!;
        return `${escapeHtml(streets[cell.street]!.name)} · ${escapeHtml(categories[cell.category]!.name)}<br/>${cell.count} 张`;
      },
    },
    series: [
      {
        type: 'heatmap',
        data,
        // Counts on the deep cells in white, so a 5 on red reads as well as a 1 on pale yellow.
        label: {
          show: true,
          formatter: (p) => {
            const count = Number((p.value as number[])[2]);
            return `{${heatLabelTone(count, max)}|${count}}`;
          },
          rich: { light: { color: '#ffffff', fontWeight: 'bold', fontSize: 13 }, dark: { color: INK, fontSize: 13 } },
        },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: HIGHLIGHT, borderWidth: 3 } },
      },
    ],
  };
  const points = cells
    .map((c, i) => ({
      dataIndex: i,
      row: c.street,
      col: c.category,
      label: `${streets[c.street]!.name} · ${categories[c.category]!.name} ${c.count} 张`,
      filter: { kind: 'hotspot' as const, streetCode: streets[c.street]!.code, categoryCode: categories[c.category]!.code },
    }))
    .sort((a, b) => a.row - b.row || a.col - b.col);
  return { option, points };
}

export function trendChart(report: ShiftReport): { option: Option; points: ChartPoint[] } {
  const days = report.trend;
  const inScope = (date: string) => date >= report.scope.from && date <= report.scope.to;
  const dayText = (d: ShiftReport['trend'][number]) => (d.kind === 'holiday' || d.kind === 'adjusted_workday' ? d.label : weekdayName(d.date));
  const option: Option = {
    ...base(),
    grid: { left: 36, right: 12, top: 24, bottom: 40 },
    xAxis: {
      type: 'category',
      data: days.map((d) => `${d.date.slice(5)}\n${dayText(d)}`),
      axisLabel: { color: MUTED, lineHeight: 16, interval: days.length > 16 ? 'auto' : 0 },
      axisTick: { alignWithLabel: true },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: '#e6eaf0' } } },
    tooltip: {
      ...base().tooltip,
      formatter: (p) => {
        const d = days[(p as { dataIndex: number }).dataIndex]!;
        return `${escapeHtml(d.date)}（${weekdayName(d.date)}，${escapeHtml(d.label)}）<br/>${d.count} 张`;
      },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 32,
        data: days.map((d) => ({
          value: d.count,
          itemStyle: { color: dayColor(d.kind, inScope(d.date)), borderRadius: [3, 3, 0, 0] },
        })),
        emphasis: { itemStyle: { color: HIGHLIGHT } },
        label: { show: days.length <= 14, position: 'top', color: INK, formatter: (p) => (Number(p.value) > 0 ? String(p.value) : '') },
      },
    ],
  };
  const points = days.map((d, i) => ({ dataIndex: i, label: `${d.date}（${dayText(d)}）${d.count} 张`, filter: { kind: 'day' as const, date: d.date } }));
  return { option, points };
}

/** The chart options for one report, made once per report. */
export function useCharts(report: ShiftReport | null) {
  return useMemo((): Record<ChartName, { option: Option; points: ChartPoint[] }> | null => {
    if (!report) return null;
    return {
      hourly: hourlyChart(report),
      categories: categoriesChart(report),
      dispositions: dispositionsChart(report),
      hotspots: hotspotsChart(report),
      trend: trendChart(report),
    };
  }, [report]);
}

