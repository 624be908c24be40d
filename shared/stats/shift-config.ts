/**
 * Shift definitions as a center edits them (班次设置), checked before they are stored, and the
 * window one shift covers on one date. The rules for a definition set:
 * - 1 to 6 shifts, each with a code (letters, digits, - or _; it is stamped on every ticket), a
 *   Chinese name, and a start and end "HH:MM" in Beijing time ("24:00" may end a shift);
 * - an end at or before the start means the shift ends the next day (夜班 22:00–06:00);
 * - together they cover the whole day exactly once: no gaps (a ticket must always fall in a shift)
 *   and no overlaps (it must fall in only one).
 * A shift that runs past midnight belongs to the date it began on (shift date), as on tickets.
 */
import { hhmm, minutesOfTime, type ShiftDefinition } from '../shifts';
import { CENTER_UTC_OFFSET_MINUTES } from '../time';

export const MAX_SHIFTS = 6;
const CODE = /^[A-Za-z0-9_-]{1,20}$/;

/** Start and length in minutes; a shift ending at or before its start runs into the next day. */
export function shiftSpan(shift: ShiftDefinition): { start: number; minutes: number } {
  const start = minutesOfTime(shift.start) ?? 0;
  const end = minutesOfTime(shift.end) ?? 0;
  const minutes = end > start ? end - start : end + 1440 - start;
  return { start: start % 1440, minutes };
}

export function crossesMidnight(shift: ShiftDefinition): boolean {
  const { start, minutes } = shiftSpan(shift);
  return start + minutes > 1440;
}

/** Problems with a definition set, in Chinese, one per line; empty when it can be stored. */
export function shiftProblems(shifts: readonly ShiftDefinition[]): string[] {
  const problems: string[] = [];
  if (shifts.length === 0) return ['至少需要一个班次'];
  if (shifts.length > MAX_SHIFTS) problems.push(`班次最多 ${MAX_SHIFTS} 个`);
  const codes = new Set<string>();
  const names = new Set<string>();
  shifts.forEach((shift, i) => {
    const which = `第 ${i + 1} 个班次${shift.name ? `（${shift.name}）` : ''}`;
    if (!CODE.test(shift.code)) problems.push(`${which}的代码应为 1–20 位字母、数字、- 或 _`);
    else if (codes.has(shift.code)) problems.push(`${which}的代码“${shift.code}”重复`);
    codes.add(shift.code);
    const name = shift.name.trim();
    if (!name || [...name].length > 10) problems.push(`${which}的名称应为 1–10 个字`);
    else if (names.has(name)) problems.push(`${which}的名称“${name}”重复`);
    names.add(name);
    const start = minutesOfTime(shift.start);
    const end = minutesOfTime(shift.end);
    if (start === null || start === 1440) problems.push(`${which}的开始时间应为 00:00–23:59，如 08:00`);
    if (end === null) problems.push(`${which}的结束时间应为 00:00–24:00，如 16:00`);
    if (start !== null && end !== null && start === end) problems.push(`${which}的开始与结束时间相同`);
  });
  if (problems.length > 0) return problems;

  // Coverage: each minute of the day in exactly one shift.
  const cover = new Array<number>(1440).fill(0);
  for (const shift of shifts) {
    const { start, minutes } = shiftSpan(shift);
    for (let m = 0; m < minutes; m++) cover[(start + m) % 1440]!++;
  }
  const ranges = (test: (n: number) => boolean) => {
    const out: string[] = [];
    for (let m = 0; m < 1440; m++) {
      if (!test(cover[m]!) || (m > 0 && test(cover[m - 1]!))) continue;
      let end = m;
      while (end + 1 < 1440 && test(cover[end + 1]!)) end++;
      out.push(`${hhmm(m)}–${hhmm(end + 1)}`);
    }
    return out;
  };
  const gaps = ranges((n) => n === 0);
  const overlaps = ranges((n) => n > 1);
  if (gaps.length) problems.push(`${gaps.join('、')} 不属于任何班次：班次须覆盖全天`);
  if (overlaps.length) problems.push(`${overlaps.join('、')} 同时属于多个班次：班次不能重叠`);
  return problems;
}

/** The instant a Beijing wall-clock minute of a date is. */
export function centerInstant(isoDate: string, minutesOfDay: number): Date {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!) + (minutesOfDay - CENTER_UTC_OFFSET_MINUTES) * 60_000);
}

/** When one shift of one shift date begins and ends (end exclusive). */
export function shiftWindow(shift: ShiftDefinition, shiftDate: string): { start: Date; end: Date } {
  const { start, minutes } = shiftSpan(shift);
  const begin = centerInstant(shiftDate, start);
  return { start: begin, end: new Date(begin.getTime() + minutes * 60_000) };
}

/** The hours of the day (Beijing, 0–23) a shift covers, in order from its start. */
export function shiftHours(shift: ShiftDefinition): number[] {
  const { start, minutes } = shiftSpan(shift);
  const first = Math.floor(start / 60);
  const last = Math.floor((start + minutes - 1) / 60);
  const hours: number[] = [];
  for (let h = first; h <= last; h++) hours.push(h % 24);
  return hours;
}

/** The span a set of shift dates covers, from the first date's 00:00 to the end of the last shift that starts on the last date. */
export function datesWindow(from: string, to: string, shifts: readonly ShiftDefinition[]): { start: Date; end: Date } {
  const latestEnd = Math.max(1440, ...shifts.map((s) => shiftSpan(s).start + shiftSpan(s).minutes));
  return { start: centerInstant(from, 0), end: centerInstant(to, latestEnd) };
}
