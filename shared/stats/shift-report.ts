/**
 * The team lead's shift log (班次日志), as pure functions over plain ticket rows: who took what, how
 * fast, how much was answered at once, where it went, what is overdue or returned, which categories
 * and places are hot, and how the days compare. No Node, no DOM: the desk runs it over its SQLite
 * rows (electron/services/lead), and the hub can run the very same code over its own rows for
 * center-wide figures later.
 *
 * What each figure counts is defined in shared/stats/shift-metrics.ts (re-exported here).
 */
import { CHANNELS, DISPOSITIONS, type Disposition } from '../domain/ticket';
import type { ShiftDefinition } from '../shifts';
import { datesBetween, dayInfo, type DayKind } from './calendar';
import { shiftHours } from './shift-config';
import {
  categoryCodeOf,
  centerHour,
  isOverdue,
  SATISFACTION_WEIGHT,
  scopeFilter,
  type CategoryLevel,
  type Namer,
  type ReportScope,
  type Satisfaction,
  type StatTicket,
} from './shift-metrics';
import { earliestOpenDeadline } from '../lifecycle/deadlines';

// What each figure counts, importable from here as before.
export {
  categoryCodeOf,
  centerHour,
  describeDrill,
  DRILL_METRICS,
  drillTest,
  FIGURE_NOTES,
  isOverdue,
  leafUnder,
  METRIC_LABEL,
  METRIC_TEST,
  SATISFACTION_WEIGHT,
  SATISFACTIONS,
  satisfactionIn,
  selectDrill,
  type CategoryLevel,
  type DrillFilter,
  type DrillMetric,
  type Namer,
  type ReportScope,
  type Satisfaction,
  type StatTicket,
} from './shift-metrics';

export interface StatSession {
  operatorId: string;
  operatorName: string;
  signedInAt: string;
  signedOutAt: string | null;
}

export interface Figures {
  taken: number;
  handling: { measured: number; medianSeconds: number | null; p90Seconds: number | null };
  kbClosed: number;
  kbClosedRate: number | null;
  direct: number;
  subcenter: number;
  cityCenter: number;
  duplicates: number;
  unreasonable: number;
  returned: number;
  overdue: number;
  callbacks: number;
  satisfaction: { rated: number; satisfied: number; basic: number; unsatisfied: number; rate: number | null };
  /**
   * Tickets whose operator is only the desk's word (tickets.operator_verified false at the hub, 未核验,
   * server/desk-access.ts), counted in `taken` like the rest; null when not known (this desk's own tickets).
   */
  unverified: number | null;
}

export interface OperatorFigures extends Figures {
  operatorId: string;
  operatorName: string;
  sessions: Array<{ signedInAt: string; signedOutAt: string | null }>;
}

export interface CategoryItem {
  code: string;
  name: string;
  path: string[];
  count: number;
  share: number;
}

export interface ShiftReportBody {
  totals: Figures;
  operators: OperatorFigures[];
  hourly: Array<{ hour: number; count: number }>;
  categories: { level: CategoryLevel; items: CategoryItem[]; topShare: number; unclassified: number };
  dispositions: Array<{ disposition: Disposition; count: number; share: number }>;
  /** Tickets by 受理渠道 (CHANNELS order; channels with none left out), with their share. */
  channels: Array<{ channel: string; count: number; share: number }>;
  hotspots: {
    streets: Array<{ code: string; name: string }>;
    categories: Array<{ code: string; name: string }>;
    cells: Array<{ street: number; category: number; count: number }>;
    max: number;
    /** Tickets in scope whose address did not reach a street. */
    withoutStreet: number;
  };
  trend: Array<{ date: string; count: number; kind: DayKind; label: string }>;
}

export interface ReportInput {
  /** The scope's rows (rows outside the scope's dates and filters are ignored, except that rows from trendFrom on count in the trend). */
  tickets: readonly StatTicket[];
  /** Counts for trend days before scope.from that `tickets` does not carry (the desk counts them in SQL). */
  earlierDays?: ReadonlyArray<{ date: string; count: number }>;
  sessions?: readonly StatSession[];
  scope: ReportScope;
  /** The definition of scope.shiftCode, when one shift is chosen (orders the hours from its start). */
  shift: ShiftDefinition | null;
  reportAtMs: number;
  /** First date of the trend (≤ scope.from). */
  trendFrom: string;
  names: Namer;
  limits?: { categories?: number; hotStreets?: number; hotCategories?: number };
}

export const DEFAULT_LIMITS = { categories: 10, hotStreets: 10, hotCategories: 8 };

// ---- Small pure helpers ------------------------------------------------------------------------

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number | null {
  return medianOfSorted(Float64Array.from(values).sort());
}

/** Nearest rank: the smallest value with at least p% of the values at or below it. */
export function nearestRank(values: readonly number[], p: number): number | null {
  return nearestRankOfSorted(Float64Array.from(values).sort(), p);
}

function medianOfSorted(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function nearestRankOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The earliest open deadline of a ticket's ladder (shared/lifecycle/deadlines.ts), as epoch ms. */
export function earliestOpenDue(deadlines: ReadonlyArray<{ dueAt: string; doneAt: string | null }>): number | null {
  const open = earliestOpenDeadline(deadlines);
  return open ? Date.parse(open.dueAt) : null;
}

// ---- The report ----------------------------------------------------------------------------------

/**
 * The figures of a set of tickets as they are counted, before any is worked out: what one operator
 * (or the whole scope) adds up to. The rows path adds tickets one by one (add); the desk fills the
 * same counts straight from SQLite (electron/services/lead/lead-repo.ts), so 50,000 tickets never
 * become objects.
 */
export class FigureTally {
  taken = 0;
  unmeasured = 0;
  /** Handling times in seconds, in no particular order. */
  handling: number[] = [];
  /** Tickets by disposition, in the order of DISPOSITIONS. */
  dispositions: number[] = DISPOSITIONS.map(() => 0);
  returned = 0;
  overdue = 0;
  callbacks = 0;
  satisfied = 0;
  basic = 0;
  unsatisfied = 0;
  /** 未核验 tickets, counted by the hub (shared/stats/center-tally.ts); null on the desk, which does not know. */
  unverified: number | null = null;
  /** Median and p90 counted elsewhere (the hub's SQL, shared/stats/center-tally.ts): used instead of `handling`. */
  handlingSummary: Figures['handling'] | null = null;

  add(t: StatTicket, reportAtMs: number): void {
    this.taken++;
    this.addHandling((t.submittedMs - t.callStartedMs) / 1000);
    this.dispositions[DISPOSITION_INDEX[t.disposition]]!++;
    if (t.status === '已退单') this.returned++;
    if (isOverdue(t, reportAtMs)) this.overdue++;
    if (t.callback) this.addCallback(t.callback.satisfaction);
  }

  /** A handling time; a negative one (a clock set wrong) or none at all counts as unmeasured. */
  addHandling(seconds: number): void {
    if (seconds >= 0 && Number.isFinite(seconds)) this.handling.push(seconds);
    else this.unmeasured++;
  }

  addCallback(satisfaction: Satisfaction | null): void {
    this.callbacks++;
    if (satisfaction === '满意') this.satisfied++;
    else if (satisfaction === '基本满意') this.basic++;
    else if (satisfaction === '不满意') this.unsatisfied++;
  }

  /** The sum of several tallies (the scope's totals from its operators'). */
  static merged(parts: Iterable<FigureTally>): FigureTally {
    const sum = new FigureTally();
    for (const p of parts) {
      sum.taken += p.taken;
      sum.unmeasured += p.unmeasured;
      for (const seconds of p.handling) sum.handling.push(seconds);
      p.dispositions.forEach((n, i) => (sum.dispositions[i]! += n));
      sum.returned += p.returned;
      sum.overdue += p.overdue;
      sum.callbacks += p.callbacks;
      sum.satisfied += p.satisfied;
      sum.basic += p.basic;
      sum.unsatisfied += p.unsatisfied;
      if (p.unverified !== null) sum.unverified = (sum.unverified ?? 0) + p.unverified;
    }
    return sum;
  }

  figures(): Figures {
    const rated = this.satisfied + this.basic + this.unsatisfied;
    // One numeric sort for both (a typed array sorts numbers without a comparator).
    const sorted = Float64Array.from(this.handling).sort();
    const med = medianOfSorted(sorted);
    const p90 = nearestRankOfSorted(sorted, 90);
    const [kbClosed, direct, subcenter, cityCenter, duplicates, unreasonable] = DISPOSITIONS.map((d) => this.dispositions[DISPOSITION_INDEX[d]]!);
    return {
      taken: this.taken,
      handling: this.handlingSummary ?? { measured: this.handling.length, medianSeconds: med === null ? null : Math.round(med), p90Seconds: p90 === null ? null : Math.round(p90) },
      kbClosed: kbClosed!,
      kbClosedRate: this.taken ? kbClosed! / this.taken : null,
      direct: direct!,
      subcenter: subcenter!,
      cityCenter: cityCenter!,
      duplicates: duplicates!,
      unreasonable: unreasonable!,
      returned: this.returned,
      overdue: this.overdue,
      callbacks: this.callbacks,
      satisfaction: {
        rated,
        satisfied: this.satisfied,
        basic: this.basic,
        unsatisfied: this.unsatisfied,
        rate: rated ? (this.satisfied * SATISFACTION_WEIGHT.满意 + this.basic * SATISFACTION_WEIGHT.基本满意) / rated : null,
      },
      unverified: this.unverified,
    };
  }
}

const DISPOSITION_INDEX = Object.fromEntries(DISPOSITIONS.map((d, i) => [d, i])) as Record<Disposition, number>;

/**
 * Everything a report counts, before ranking and naming. Rows fold into it with tallyTickets; the
 * desk fills it from SQL. Either way reportFromTally turns it into the same report.
 */
export interface ReportTally {
  /** Who took tickets in scope, with the name on their latest one (latestMs: its submit). */
  operators: Map<string, { name: string; latestMs: number; tally: FigureTally }>;
  /** Tickets by the hour of the day of their submit (Beijing), 0–23. */
  hours: number[];
  /** Tickets by category at the scope's level. */
  categories: Map<string, number>;
  unclassified: number;
  /** Tickets by street, and of those with a category, by 一级 category (the hot spots). */
  streets: Map<string, { count: number; categories: Map<string, number> }>;
  withoutStreet: number;
  /** Tickets by shift date from the trend's first date to the scope's last. */
  days: Map<string, number>;
  /** Tickets in scope by 受理渠道. */
  channels: Map<string, number>;
  /** The scope's handling median and p90 when counted elsewhere (the hub): the operators' summaries do not merge. */
  totalsHandling?: Figures['handling'];
  /** The hub's 未核验 count of the scope (shared/stats/center-tally.ts). */
  totalsUnverified?: number;
}

export function emptyTally(): ReportTally {
  return { operators: new Map(), hours: new Array<number>(24).fill(0), categories: new Map(), unclassified: 0, streets: new Map(), withoutStreet: 0, days: new Map(), channels: new Map() };
}

/** The operator's entry of a tally; its name follows the latest ticket. */
export function operatorTally(tally: ReportTally, operatorId: string, name: string, latestMs: number): FigureTally {
  let operator = tally.operators.get(operatorId);
  if (!operator) tally.operators.set(operatorId, (operator = { name, latestMs, tally: new FigureTally() }));
  else if (latestMs >= operator.latestMs) {
    operator.latestMs = latestMs;
    operator.name = name;
  }
  return operator.tally;
}

/**
 * Tickets by category and street as they come, a lookup or two a ticket (no codes cut per ticket);
 * `into` folds them into a tally's categories and hot spots once all are counted.
 */
export class PlaceCounts {
  private readonly byLeaf = new Map<string | null, Map<string | null, number>>();

  /** `count` tickets (one by default) with this category and street. */
  add(leafCode: string | null, streetCode: string | null, count = 1): void {
    let streets = this.byLeaf.get(leafCode);
    if (!streets) this.byLeaf.set(leafCode, (streets = new Map()));
    streets.set(streetCode, (streets.get(streetCode) ?? 0) + count);
  }

  into(tally: ReportTally, level: CategoryLevel): void {
    for (const [leafCode, streets] of this.byLeaf) {
      const category = leafCode ? categoryCodeOf(leafCode, level) : null;
      const top = leafCode ? leafCode.slice(0, 2) : null;
      for (const [streetCode, n] of streets) {
        if (category) tally.categories.set(category, (tally.categories.get(category) ?? 0) + n);
        else tally.unclassified += n;
        if (!streetCode) {
          tally.withoutStreet += n;
          continue;
        }
        let street = tally.streets.get(streetCode);
        if (!street) tally.streets.set(streetCode, (street = { count: 0, categories: new Map() }));
        street.count += n;
        if (top) street.categories.set(top, (street.categories.get(top) ?? 0) + n);
      }
    }
  }
}

/** Adds the trend's days before the scope that the rows do not carry (counted elsewhere, e.g. in SQL). */
export function addEarlierDays(tally: ReportTally, earlierDays: ReadonlyArray<{ date: string; count: number }>, trendFrom: string, scopeFrom: string): void {
  for (const d of earlierDays) if (d.date >= trendFrom && d.date < scopeFrom) tally.days.set(d.date, (tally.days.get(d.date) ?? 0) + d.count);
}

/** Folds rows into a tally: those in scope count fully; those from trendFrom on count in the trend. */
export function tallyTickets(input: Pick<ReportInput, 'tickets' | 'earlierDays' | 'scope' | 'reportAtMs' | 'trendFrom'>): ReportTally {
  const { scope, reportAtMs } = input;
  const inFilters = scopeFilter(scope);
  const tally = emptyTally();
  const places = new PlaceCounts();
  addEarlierDays(tally, input.earlierDays ?? [], input.trendFrom, scope.from);
  for (const t of input.tickets) {
    if (!inFilters(t) || t.shiftDate > scope.to || t.shiftDate < input.trendFrom) continue;
    increment(tally.days, t.shiftDate);
    if (t.shiftDate < scope.from) continue;
    operatorTally(tally, t.operatorId, t.operatorName, t.submittedMs).add(t, reportAtMs);
    tally.hours[centerHour(t.submittedMs)]!++;
    increment(tally.channels, t.channel ?? '电话');
    places.add(t.leafCode, t.streetCode);
  }
  places.into(tally, scope.categoryLevel);
  return tally;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** CHANNELS order; a channel outside the list after them. */
function channelOrder(channel: string): number {
  const at = (CHANNELS as readonly string[]).indexOf(channel);
  return at < 0 ? CHANNELS.length : at;
}

function ranked(map: Map<string, number>, limit: number): Array<[string, number]> {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
}

export function computeShiftReport(input: ReportInput): ShiftReportBody {
  return reportFromTally(tallyTickets(input), input);
}

/** The report from its counts: totals, operators with their sign-ins, ranked categories and hot spots, the trend. */
export function reportFromTally(
  tally: ReportTally,
  input: Pick<ReportInput, 'sessions' | 'scope' | 'shift' | 'trendFrom' | 'names' | 'limits'>,
): ShiftReportBody {
  const { scope, names } = input;
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const operatorFilter = new Set(scope.operatorIds);
  const totals = FigureTally.merged([...tally.operators.values()].map((o) => o.tally));
  const taken = totals.taken;
  const share = (n: number) => (taken ? n / taken : 0);

  // Operators: everyone who took a ticket, and everyone who signed in without taking one.
  const byOperator = new Map([...tally.operators].map(([id, o]) => [id, { name: o.name, tally: o.tally }]));
  const sessionsByOperator = new Map<string, StatSession[]>();
  for (const s of input.sessions ?? []) {
    if (operatorFilter.size > 0 && !operatorFilter.has(s.operatorId)) continue;
    const list = sessionsByOperator.get(s.operatorId) ?? [];
    list.push(s);
    sessionsByOperator.set(s.operatorId, list);
    if (!byOperator.has(s.operatorId)) byOperator.set(s.operatorId, { name: s.operatorName, tally: new FigureTally() });
  }
  const operators: OperatorFigures[] = [...byOperator.entries()]
    .map(([operatorId, o]) => ({
      operatorId,
      operatorName: o.name,
      ...o.tally.figures(),
      sessions: (sessionsByOperator.get(operatorId) ?? [])
        .slice()
        .sort((a, b) => (a.signedInAt < b.signedInAt ? -1 : 1))
        .map((s) => ({ signedInAt: s.signedInAt, signedOutAt: s.signedOutAt })),
    }))
    .sort((a, b) => b.taken - a.taken || a.operatorName.localeCompare(b.operatorName, 'zh-CN') || (a.operatorId < b.operatorId ? -1 : 1));

  // Hours: a shift's hours from its start (plus any hour a ticket fell in outside them, e.g. after the
  // definitions changed); without a shift, the whole day.
  const hours = tally.hours;
  let hourOrder: number[];
  if (input.shift) {
    const own = shiftHours(input.shift);
    const first = own[0] ?? 0;
    const extra = hours.map((n, h) => (n > 0 && !own.includes(h) ? h : -1)).filter((h) => h >= 0);
    hourOrder = [...own, ...extra].sort((a, b) => ((a - first + 24) % 24) - ((b - first + 24) % 24));
  } else {
    hourOrder = hours.map((_, h) => h);
  }

  const categoryItems: CategoryItem[] = ranked(tally.categories, limits.categories).map(([code, count]) => {
    const path = names.categoryPath(code);
    return { code, name: path[path.length - 1] ?? code, path, count, share: share(count) };
  });

  // Hot spots: the busiest streets × the busiest 一级 categories among their tickets.
  const hotStreets = ranked(new Map([...tally.streets].map(([code, s]) => [code, s.count])), limits.hotStreets).map(([code]) => code);
  const hotCategoryCounts = new Map<string, number>();
  for (const code of hotStreets) for (const [category, n] of tally.streets.get(code)!.categories) hotCategoryCounts.set(category, (hotCategoryCounts.get(category) ?? 0) + n);
  const hotCategories = ranked(hotCategoryCounts, limits.hotCategories).map(([code]) => code);
  const cells: Array<{ street: number; category: number; count: number }> = [];
  hotStreets.forEach((code, street) => {
    const counts = tally.streets.get(code)!.categories;
    hotCategories.forEach((category, c) => {
      const count = counts.get(category);
      if (count) cells.push({ street, category: c, count });
    });
  });

  const totalFigures = totals.figures();
  if (tally.totalsHandling) totalFigures.handling = tally.totalsHandling;
  if (tally.totalsUnverified !== undefined) totalFigures.unverified = tally.totalsUnverified;
  return {
    totals: totalFigures,
    operators,
    hourly: hourOrder.map((hour) => ({ hour, count: hours[hour]! })),
    categories: {
      level: scope.categoryLevel,
      items: categoryItems,
      topShare: categoryItems.reduce((sum, item) => sum + item.share, 0),
      unclassified: tally.unclassified,
    },
    dispositions: DISPOSITIONS.map((disposition, i) => ({ disposition, count: totals.dispositions[i]!, share: share(totals.dispositions[i]!) })),
    channels: [...tally.channels]
      .filter(([, count]) => count > 0)
      .sort(([a], [b]) => channelOrder(a) - channelOrder(b) || (a < b ? -1 : 1))
      .map(([channel, count]) => ({ channel, count, share: share(count) })),
    hotspots: {
      streets: hotStreets.map((code) => ({ code, name: names.placeName(code) })),
      categories: hotCategories.map((code) => ({ code, name: names.categoryPath(code)[0] ?? code })),
      cells,
      max: cells.reduce((m, c) => Math.max(m, c.count), 0),
      withoutStreet: tally.withoutStreet,
    },
    trend: datesBetween(input.trendFrom, scope.to).map((date) => {
      const info = dayInfo(date);
      return { date, count: tally.days.get(date) ?? 0, kind: info.kind, label: info.label };
    }),
  };
}
