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

function minutesOf(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`bad time ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The shift that a local wall-clock time falls in (minutes since local midnight). */
export function shiftAt(minutesOfDay: number, shifts: readonly ShiftDefinition[] = DEFAULT_SHIFTS): ShiftDefinition {
  for (const shift of shifts) {
    const start = minutesOf(shift.start);
    const end = minutesOf(shift.end);
    const inside = end > start ? minutesOfDay >= start && minutesOfDay < end : minutesOfDay >= start || minutesOfDay < end;
    if (inside) return shift;
  }
  // Gaps in a center's definition: fall back to the first shift rather than lose the ticket's shift.
  return shifts[0] ?? DEFAULT_SHIFTS[0]!;
}
