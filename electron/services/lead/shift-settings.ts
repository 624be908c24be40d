/**
 * The center's shift definitions (班次设置), kept in `settings` under 'shifts' as data a team lead
 * edits through `shifts.update`. Tickets are stamped with the shift in force when they are
 * submitted; changing the definitions never re-stamps a ticket already taken.
 */
import { fail, ok, type Result } from '../../../shared/result';
import { DEFAULT_SHIFTS, type ShiftDefinition } from '../../../shared/shifts';
import { shiftProblems, shiftSpan } from '../../../shared/stats/shift-config';
import type { SettingsRepo } from '../store/settings-repo';

export const SHIFTS_KEY = 'shifts';

export class ShiftSettings {
  private cached: readonly ShiftDefinition[] | null = null;

  constructor(private readonly settings: SettingsRepo) {}

  /** The definitions in force; the defaults when none are stored or the stored ones no longer pass the rules. */
  all(): readonly ShiftDefinition[] {
    if (this.cached) return this.cached;
    const stored = this.settings.get<ShiftDefinition[] | null>(SHIFTS_KEY, null);
    const usable = Array.isArray(stored) && stored.every(isDefinition) && shiftProblems(stored).length === 0;
    this.cached = usable ? stored : DEFAULT_SHIFTS;
    return this.cached;
  }

  get(code: string): ShiftDefinition | null {
    return this.all().find((s) => s.code === code) ?? null;
  }

  /** Checks and stores a new set, ordered by start time. */
  update(shifts: readonly ShiftDefinition[]): Result<ShiftDefinition[]> {
    const cleaned = shifts.map((s) => ({ code: s.code.trim(), name: s.name.trim(), start: s.start.trim(), end: s.end.trim() }));
    const problems = shiftProblems(cleaned);
    if (problems.length > 0) return fail('rejected', `班次设置未保存：${problems.join('；')}`, { problems });
    const ordered = [...cleaned].sort((a, b) => shiftSpan(a).start - shiftSpan(b).start);
    this.settings.set(SHIFTS_KEY, ordered);
    this.cached = ordered;
    return ok(ordered);
  }
}

function isDefinition(value: unknown): value is ShiftDefinition {
  const v = value as Partial<ShiftDefinition> | null;
  return !!v && typeof v.code === 'string' && typeof v.name === 'string' && typeof v.start === 'string' && typeof v.end === 'string';
}
