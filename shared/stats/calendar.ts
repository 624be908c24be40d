/**
 * Beijing dates as a team lead reads them in a trend: which days are working days, weekends,
 * statutory holidays (节假日) or adjusted working weekends (调休上班). A holiday's call volume is not
 * comparable with a Tuesday's, so the trend says which is which.
 *
 * Holiday data comes from chinese-days, looked up with the "YYYY-MM-DD" string itself (see
 * shared/sla/deadlines.ts for why that is the only zone-safe way); the weekday is worked out from
 * the date, never from the machine's clock.
 */
import chineseDays from 'chinese-days';
import { addCalendarDays } from '../sla/deadlines';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

export interface DayInfo {
  date: string;
  kind: DayKind;
  /** What the chart says under the date: 工作日 / 周末 / the holiday's Chinese name / 调休上班. */
  label: string;
}

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const ENGLISH_WEEKDAYS = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

export function weekdayOf(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay();
}

export function weekdayName(isoDate: string): string {
  return WEEKDAY_NAMES[weekdayOf(isoDate)]!;
}

export function dayInfo(isoDate: string): DayInfo {
  const weekday = weekdayOf(isoDate);
  const weekend = weekday === 0 || weekday === 6;
  let detail: { work: boolean; name: string } | null = null;
  try {
    detail = chineseDays.getDayDetail(isoDate);
  } catch {
    detail = null;
  }
  // chinese-days names a day it knows from the arrangement as "English,中文,n"; other days by weekday.
  if (detail && !ENGLISH_WEEKDAYS.has(detail.name)) {
    const chinese = detail.name.split(',')[1] ?? '节假日';
    if (!detail.work) return { date: isoDate, kind: 'holiday', label: chinese };
    if (weekend) return { date: isoDate, kind: 'adjusted_workday', label: '调休上班' };
  }
  return weekend ? { date: isoDate, kind: 'weekend', label: '周末' } : { date: isoDate, kind: 'workday', label: '工作日' };
}

/** Every date from `from` to `to`, both included (empty when from > to). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let date = from; date <= to; date = addCalendarDays(date, 1)) out.push(date);
  return out;
}

/** Whole days from `from` to `to` (0 for the same date). */
export function daysBetween(from: string, to: string): number {
  const ms = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y!, m! - 1, d!);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}
