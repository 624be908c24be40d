/**
 * Shift definitions (班次). A center changes these, so they are data: the default below is the
 * common three-shift pattern, and a desk can be given others. A shift may run past midnight.
 */
export interface ShiftDefinition {
  code: string;
  name: string;
  /** "HH:MM" local time. */
  start: string;
  /** "HH:MM" local time; an end at or before the start means the shift ends the next day. */
  end: string;
}

export const DEFAULT_SHIFTS: readonly ShiftDefinition[] = [
  { code: 'night', name: '夜班', start: '00:00', end: '08:00' },
  { code: 'early', name: '早班', start: '08:00', end: '16:00' },
  { code: 'middle', name: '中班', start: '16:00', end: '24:00' },
];

const TIME = /^(\d{2}):(\d{2})$/;

/**
 * Minutes since midnight of "HH:MM" (00:00–24:00), or null when it is not such a time. The one
 * reading of a shift's times: shift settings (shared/stats/shift-config.ts), the desk's ticket stamp
 * and the shift a moment falls in all use it.
 */
export function minutesOfTime(hhmm: string): number | null {
  const match = TIME.exec(hhmm);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}

/** "HH:MM" of minutes since midnight (1440 is "24:00"). */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The shift that a local wall-clock time falls in (minutes since local midnight). */
export function shiftAt(minutesOfDay: number, shifts: readonly ShiftDefinition[] = DEFAULT_SHIFTS): ShiftDefinition {
  for (const shift of shifts) {
    const start = minutesOfTime(shift.start) ?? 0;
    const end = minutesOfTime(shift.end) ?? 0;
    const inside = end > start ? minutesOfDay >= start && minutesOfDay < end : minutesOfDay >= start || minutesOfDay < end;
    if (inside) return shift;
  }
  // Gaps in a center's definition: fall back to the first shift rather than lose the ticket's shift.
  return shifts[0] ?? DEFAULT_SHIFTS[0]!;
}
