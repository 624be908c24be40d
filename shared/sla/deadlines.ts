/**
 * Deadlines from the SLA policy (policy.ts): the ladder of due times for one ticket, which one is
 * next, its colour state and its countdown text. Everything is reckoned on Beijing dates whatever
 * the machine's zone (shared/time.ts); day counting is described in policy.ts and in sla.json.
 *
 * Working days come from chinese-days: statutory holidays are off and the adjusted working weekends
 * (调休上班) are on. The package ships one year of government data at a time (it holds up to 2026
 * as installed); for a year it does not know, the count falls back to Monday–Friday and the deadline
 * says so (`holidaysUnknown`), so the desk can flag it instead of trusting a guess.
 */
import chineseDays from 'chinese-days';
import type { Urgency } from '../domain/catalogue';
import { centerDate, CENTER_UTC_OFFSET_MINUTES } from '../time';
import { ruleApplies, type SlaDisposition, type SlaPolicy, type SlaRule } from './policy';

export interface Deadline {
  ruleId: string;
  /** What is due, as the user reads it: 派单时限, 首次联系, 定性, 回访, 办结, 部门答复. */
  label: string;
  dueAt: Date;
  /** When this clock started (the acceptance instant); the span is startsAt → dueAt. */
  startsAt: Date;
  /** Set when a working-day count crossed a year without holiday data and assumed Monday–Friday. */
  holidaysUnknown?: true;
}

export interface LadderInput {
  /** The instant the ticket was accepted (受理). */
  acceptedAt: Date;
  urgency: Urgency;
  disposition: SlaDisposition;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

// ---------------------------------------------------------------------------------------------
// Beijing dates (YYYY-MM-DD strings: a date is a date, not an instant).

function parseIsoDate(isoDate: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** The date n calendar days after (or before, n < 0) a date. */
export function addCalendarDays(isoDate: string, n: number): string {
  const { y, m, d } = parseIsoDate(isoDate);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The instant a Beijing date ends: 24:00 there, i.e. 00:00 Beijing time of the next date. */
export function endOfCenterDay(isoDate: string): Date {
  const { y, m, d } = parseIsoDate(isoDate);
  return new Date(Date.UTC(y, m - 1, d + 1) - CENTER_UTC_OFFSET_MINUTES * MINUTE_MS);
}

const ENGLISH_WEEKDAYS = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

/**
 * Whether the government's arrangement names this date (as a holiday or as an adjusted working
 * day), and if so whether it is worked.
 *
 * chinese-days builds its table at load time by parsing "YYYY-MM-DD" as UTC midnight and formatting
 * with the machine's local clock, and looks dates up the same way. West of UTC every key therefore
 * sits one day early, and its own weekday fallback reads the wrong day. Passing the same
 * "YYYY-MM-DD" string hits the key that was stored for that date in any zone; the weekday is then
 * worked out here, from the date itself, not by the package.
 */
function arrangementOf(isoDate: string): boolean | null {
  const detail = chineseDays.getDayDetail(isoDate);
  return ENGLISH_WEEKDAYS.has(detail.name) ? null : detail.work;
}

function isMondayToFriday(isoDate: string): boolean {
  const { y, m, d } = parseIsoDate(isoDate);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

/** Whether a Beijing date is a working day: statutory holidays off, 调休 weekends on. */
export function isCenterWorkday(isoDate: string): boolean {
  return arrangementOf(isoDate) ?? isMondayToFriday(isoDate);
}

const holidayDataByYear = new Map<number, boolean>();

/** Whether chinese-days holds the government's holiday arrangement for this year. */
export function hasHolidayData(year: number): boolean {
  let known = holidayDataByYear.get(year);
  if (known === undefined) {
    // Every published year has statutory holidays (元旦 at least); a year with none was never loaded.
    known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    holidayDataByYear.set(year, known);
  }
  return known;
}

/**
 * The nth working day after a date (the date itself is not counted, as for every day rule).
 * n = 0 gives the date back unchanged.
 */
export function addWorkingDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
  let date = isoDate;
  for (let left = n; left > 0; ) {
    date = addCalendarDays(date, 1);
    if (isCenterWorkday(date)) left--;
  }
  return date;
}

// ---------------------------------------------------------------------------------------------
// The ladder.

function dueAtFor(rule: SlaRule, acceptedAt: Date): { dueAt: Date; holidaysUnknown: boolean } {
  switch (rule.unit) {
    case 'minutes':
    case 'hours': {
      // parseSlaPolicy refuses working clocks in minutes/hours; a hand-built policy must not sneak one in.
      if (rule.clock === 'working') throw new RangeError(`rule ${rule.id}: working clocks count days only`);
      const unitMs = rule.unit === 'minutes' ? MINUTE_MS : HOUR_MS;
      return { dueAt: new Date(acceptedAt.getTime() + rule.amount * unitMs), holidaysUnknown: false };
    }
    case 'days': {
      const start = centerDate(acceptedAt);
      if (rule.clock === 'calendar') return { dueAt: endOfCenterDay(addCalendarDays(start, rule.amount)), holidaysUnknown: false };
      const last = addWorkingDays(start, rule.amount);
      const firstYear = Number(start.slice(0, 4));
      const lastYear = Number(last.slice(0, 4));
      let holidaysUnknown = false;
      for (let year = firstYear; year <= lastYear; year++) if (!hasHolidayData(year)) holidaysUnknown = true;
      return { dueAt: endOfCenterDay(last), holidaysUnknown };
    }
  }
}

/**
 * Every deadline the policy sets for this ticket, earliest first (rules due at the same instant keep
 * the policy's order). A ticket whose disposition and urgency no rule names gets an empty ladder.
 */
export function deadlineLadder(policy: SlaPolicy, input: LadderInput): Deadline[] {
  const startsAt = new Date(input.acceptedAt.getTime());
  return policy.rules
    .filter((rule) => ruleApplies(rule, input))
    .map((rule): Deadline => {
      const { dueAt, holidaysUnknown } = dueAtFor(rule, startsAt);
      const deadline: Deadline = { ruleId: rule.id, label: rule.label, dueAt, startsAt };
      if (holidaysUnknown) deadline.holidaysUnknown = true;
      return deadline;
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()); // Array.prototype.sort is stable
}

// ---------------------------------------------------------------------------------------------
// State and countdown.

export type DeadlineState = 'ok' | 'due_soon' | 'overdue';

/** A deadline turns due-soon when less than this share of its span is left… */
export const DUE_SOON_FRACTION = 0.25;
/** …or less than this much time, whichever comes first. */
export const DUE_SOON_MIN_MS = 30 * MINUTE_MS;

/**
 * - overdue: the due instant has been reached (now ≥ dueAt); at 0 nothing more can be done in time.
 * - due_soon: less than 25 % of the span (startsAt → dueAt) is left, or less than 30 minutes.
 *   So a 7-day close turns amber 42 h before, a 2-hour dispatch 30 minutes before, and a 15-minute
 *   即时 dispatch is amber from the start — on purpose: such a ticket must stand out at once.
 *   Without startsAt only the 30-minute rule applies.
 * - ok otherwise.
 */
export function deadlineState(dueAt: Date, now: Date, startsAt?: Date): DeadlineState {
  const remaining = dueAt.getTime() - now.getTime();
  if (remaining <= 0) return 'overdue';
  const span = startsAt ? Math.max(0, dueAt.getTime() - startsAt.getTime()) : 0;
  return remaining < Math.max(DUE_SOON_MIN_MS, span * DUE_SOON_FRACTION) ? 'due_soon' : 'ok';
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function describeSpan(ms: number): string {
  const totalMinutes = Math.floor(ms / MINUTE_MS);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days} 天 ${hours} 小时`;
  if (hours > 0) return `${hours} 小时 ${pad2(minutes)} 分`;
  return `${minutes} 分钟`;
}

/**
 * Countdown text for remaining milliseconds (negative or zero = overdue):
 * "剩余 2 天 3 小时", "剩余 1 小时 05 分", "剩余 25 分钟", "剩余不足 1 分钟",
 * "已超时 12 分钟", "已超时 1 小时 05 分", "已超时 2 天 3 小时", "已超时不足 1 分钟".
 * Whole units are rounded down both ways: the time left is never overstated, and overdue time
 * counts complete minutes as people say them.
 */
export function formatCountdown(ms: number): string {
  if (!Number.isFinite(ms)) return '时限未知';
  if (ms > 0) return ms < MINUTE_MS ? '剩余不足 1 分钟' : `剩余 ${describeSpan(ms)}`;
  const over = -ms;
  return over < MINUTE_MS ? '已超时不足 1 分钟' : `已超时 ${describeSpan(over)}`;
}
