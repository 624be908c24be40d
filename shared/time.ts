/**
 * The center works on Beijing time (UTC+8, no daylight saving) whatever the machine's zone is set to:
 * shifts, deadlines and daily figures are all reckoned in it.
 */
export const CENTER_TIME_ZONE = 'Asia/Shanghai';
export const CENTER_UTC_OFFSET_MINUTES = 8 * 60;

/** Minutes since midnight, Beijing time. */
export function centerMinutesOfDay(at: Date): number {
  const minutes = at.getUTCHours() * 60 + at.getUTCMinutes() + CENTER_UTC_OFFSET_MINUTES;
  return ((minutes % 1440) + 1440) % 1440;
}

/** The calendar date in Beijing, as YYYY-MM-DD. */
export function centerDate(at: Date): string {
  return new Date(at.getTime() + CENTER_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/** Whether `text` is YYYY-MM-DD naming a real calendar day (2030-02-30 is not; nor is 2026-13-01). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1) return false;
  const day = new Date(Date.UTC(2000, m - 1, d));
  day.setUTCFullYear(y);
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
