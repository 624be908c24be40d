/**
 * What each figure of the team lead's shift log (shared/stats/shift-report.ts) counts, defined once:
 * the ticket rows the statistics read, the scope, the test behind each figure, its name and its
 * explanation to the user, and the drill-down that lists the tickets behind it.
 *
 * Definitions (each figure is also explained to the user in FIGURE_NOTES):
 * - A ticket belongs to the shift and shift date stamped on it at submit (a shift past midnight
 *   belongs to the date it began). Scope: shift dates from..to, one shift or all, some operators or all.
 * - 办理时长 (handling time): call_started_at → submitted_at. Median: the middle value (the mean of
 *   the two middle values for an even count). P90: nearest rank — the smallest time that at least
 *   90% of tickets took no longer than. A negative time (a clock set wrong) is left out and counted
 *   as unmeasured; everything else counts, however long.
 * - 咨询办结率: 咨询办结 tickets over tickets taken.
 * - 直派 / 派分中心 / 派市中心 / 重复诉求 / 不合理诉求: by the disposition chosen at the desk.
 * - 已退单: tickets whose status is 已退单 now (the hub reports it; absent locally until synced).
 * - 超期: tickets with a deadline not yet met (doneAt null) whose due time is before the report time.
 * - 回访: tickets with a callback recorded; 满意率 weighs 满意 1, 基本满意 0.8, 不满意 0 over the
 *   callbacks whose result is known (the same weights as the hub's stats.rates).
 * - Shares (占比) are of all tickets taken in scope, as the monthly reports write them
 *   ("前十类问题占全部热线案件的 62.59%").
 */
import type { Disposition, TicketStatus } from '../domain/ticket';
import { CENTER_UTC_OFFSET_MINUTES } from '../time';

export const SATISFACTIONS = ['满意', '基本满意', '不满意'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export const SATISFACTION_WEIGHT: Record<Satisfaction, number> = { 满意: 1, 基本满意: 0.8, 不满意: 0 };

/** One ticket as the statistics read it: codes and instants only, no text. */
export interface StatTicket {
  /** Unique among the rows of one report (the desk uses its store's row number; only the drill-down reads it). */
  id: string;
  operatorId: string;
  operatorName: string;
  shiftCode: string;
  /** YYYY-MM-DD, Beijing: the date the shift began. */
  shiftDate: string;
  callStartedMs: number;
  submittedMs: number;
  leafCode: string | null;
  streetCode: string | null;
  disposition: Disposition;
  status: TicketStatus;
  /** The earliest deadline not yet met (doneAt null), as epoch ms; null when every one is met or there are none. */
  openDueMs: number | null;
  /** Null when no callback (回访) is recorded; else its satisfaction when known. */
  callback: { satisfaction: Satisfaction | null } | null;
  /** 受理渠道 (shared/domain/ticket.ts CHANNELS); absent means 电话, the default. */
  channel?: string;
}

export type CategoryLevel = 1 | 2 | 3;

export interface ReportScope {
  from: string;
  to: string;
  shiftCode: string | null;
  /** Empty: every operator. */
  operatorIds: readonly string[];
  categoryLevel: CategoryLevel;
}

/** Names for codes, from the reference data the caller holds. */
export interface Namer {
  /** Names from 一级 down to the node with this code; [] when unknown. */
  categoryPath(code: string): string[];
  /** A place's short name; the code itself when unknown. */
  placeName(code: string): string;
}

// ---- Codes, hours and callbacks -----------------------------------------------------------------

/** Hour of the day (0–23) in Beijing of an instant. */
export function centerHour(ms: number): number {
  const minutes = Math.floor(ms / 60_000) + CENTER_UTC_OFFSET_MINUTES;
  return Math.floor((((minutes % 1440) + 1440) % 1440) / 60);
}

export function categoryCodeOf(leafCode: string, level: CategoryLevel): string {
  return level === 1 ? leafCode.slice(0, 2) : level === 2 ? leafCode.slice(0, 4) : leafCode;
}

/** Codes are hierarchical (一级 NN, 二级 NNNN, 三级 NNNNNNN): a leaf is under a node when it starts with its code. */
export function leafUnder(leafCode: string | null, code: string): boolean {
  return !!leafCode && leafCode.startsWith(code);
}

/** The satisfaction a callback note states, when it states one (基本满意 before 满意: it contains it). */
export function satisfactionIn(note: string): Satisfaction | null {
  const match = /(基本满意|不满意|满意)/.exec(note);
  return match ? (match[1] as Satisfaction) : null;
}

// ---- What each figure counts (one definition, used by the figures and by the drill-down) -------

export const DRILL_METRICS = ['taken', 'kb_closed', 'direct', 'subcenter', 'city_center', 'duplicate', 'unreasonable', 'returned', 'overdue', 'callback'] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

export function isOverdue(t: StatTicket, reportAtMs: number): boolean {
  return t.openDueMs !== null && t.openDueMs < reportAtMs;
}

export const METRIC_TEST: Record<DrillMetric, (t: StatTicket, reportAtMs: number) => boolean> = {
  taken: () => true,
  kb_closed: (t) => t.disposition === '咨询办结',
  direct: (t) => t.disposition === '直派',
  subcenter: (t) => t.disposition === '派分中心',
  city_center: (t) => t.disposition === '派市中心',
  duplicate: (t) => t.disposition === '重复诉求',
  unreasonable: (t) => t.disposition === '不合理诉求',
  returned: (t) => t.status === '已退单',
  overdue: isOverdue,
  callback: (t) => t.callback !== null,
};

export const METRIC_LABEL: Record<DrillMetric, string> = {
  taken: '受理',
  kb_closed: '咨询办结',
  direct: '直派',
  subcenter: '派分中心',
  city_center: '派市中心',
  duplicate: '重复诉求',
  unreasonable: '不合理诉求',
  returned: '已退单',
  overdue: '超期',
  callback: '已回访',
};

/** What each figure means, in the words shown next to it (tile titles, the export's 说明 sheet). */
export const FIGURE_NOTES: Record<string, string> = {
  受理量: '本范围内本机受理（提交）的工单数，按工单上记录的班次和班次日期归属',
  办理时长: '从来电开始到提交工单；中位数为居中的值，九成用时为 90% 的工单不超过的时长',
  咨询办结率: '当场依据知识库答复办结的工单占受理量的比例',
  直派: '直接派给街乡镇、委办局或公共服务企业',
  派分中心: '派给区接诉即办分中心再派',
  派市中心: '派给市中心协调（多区或区不明）',
  重复诉求: '关联到已有工单、未重复派单',
  不合理诉求: '标记为不合理诉求、待审核',
  已退单: '承办单位退回的工单（状态为已退单，来自中心同步）',
  超期: '有未完成的办理时限且截止时间已过（按统计时刻计）',
  回访: '已记录回访的工单；满意率按满意 1、基本满意 0.8、不满意 0 计（来自中心同步）',
};

export type DrillFilter =
  | { kind: 'all' }
  | { kind: 'hour'; hour: number }
  | { kind: 'category'; code: string }
  | { kind: 'disposition'; disposition: Disposition }
  | { kind: 'hotspot'; streetCode: string; categoryCode: string }
  | { kind: 'day'; date: string }
  | { kind: 'operator'; operatorId: string }
  | { kind: 'metric'; metric: DrillMetric; operatorId?: string | null | undefined };

/** Whether a ticket is in the scope's shift and operators (its dates are the caller's to check). */
export function scopeFilter(scope: ReportScope): (t: StatTicket) => boolean {
  const operators = new Set(scope.operatorIds);
  return (t) => (!scope.shiftCode || t.shiftCode === scope.shiftCode) && (operators.size === 0 || operators.has(t.operatorId));
}

/** The tickets a drill-down shows, newest first: those in scope that the filter picks (a day picks its own date). */
export function selectDrill(tickets: readonly StatTicket[], scope: ReportScope, filter: DrillFilter, reportAtMs: number): StatTicket[] {
  const inFilters = scopeFilter(scope);
  const dated = (t: StatTicket) => (filter.kind === 'day' ? t.shiftDate === filter.date : t.shiftDate >= scope.from && t.shiftDate <= scope.to);
  const picks = drillTest(filter, reportAtMs);
  return tickets
    .filter((t) => inFilters(t) && dated(t) && picks(t))
    .sort((a, b) => b.submittedMs - a.submittedMs || (a.id < b.id ? 1 : -1));
}

export function drillTest(filter: DrillFilter, reportAtMs: number): (t: StatTicket) => boolean {
  switch (filter.kind) {
    case 'all':
    case 'day':
      return () => true;
    case 'hour':
      return (t) => centerHour(t.submittedMs) === filter.hour;
    case 'category':
      return (t) => leafUnder(t.leafCode, filter.code);
    case 'disposition':
      return (t) => t.disposition === filter.disposition;
    case 'hotspot':
      return (t) => t.streetCode === filter.streetCode && leafUnder(t.leafCode, filter.categoryCode);
    case 'operator':
      return (t) => t.operatorId === filter.operatorId;
    case 'metric': {
      const test = METRIC_TEST[filter.metric];
      const operator = filter.operatorId ?? null;
      return (t) => (operator === null || t.operatorId === operator) && test(t, reportAtMs);
    }
  }
}

/** How a drill-down is titled: 分类：市容环卫, 09:00–10:00, 超期 …, in Chinese. */
export function describeDrill(filter: DrillFilter, names: Namer & { operatorName?(id: string): string }): string {
  switch (filter.kind) {
    case 'all':
      return '全部工单';
    case 'hour':
      return `${String(filter.hour).padStart(2, '0')}:00–${String((filter.hour + 1) % 24).padStart(2, '0')}:00 受理`;
    case 'category':
      return `分类：${names.categoryPath(filter.code).join('—') || filter.code}`;
    case 'disposition':
      return `处理方式：${filter.disposition}`;
    case 'hotspot':
      return `${names.placeName(filter.streetCode)} · ${names.categoryPath(filter.categoryCode).join('—') || filter.categoryCode}`;
    case 'day':
      return `${filter.date} 受理`;
    case 'operator':
      return `坐席：${names.operatorName?.(filter.operatorId) ?? filter.operatorId}`;
    case 'metric': {
      const who = filter.operatorId ? `${names.operatorName?.(filter.operatorId) ?? filter.operatorId} · ` : '';
      return `${who}${METRIC_LABEL[filter.metric]}`;
    }
  }
}
