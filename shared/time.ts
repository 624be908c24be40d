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
