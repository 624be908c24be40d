/**
 * The dispatch suggestion for a ticket of the 待派 queue: intake's own rule (shared/intake/dispatch.ts)
 * over the ticket's leaf and place codes, with this desk's reference data. No live reading of the
 * words: the codes are the ticket's, so the street counts as certain. Pure (no bridge), for tests.
 *
 * A unit that returned the ticket is never suggested again: where intake's rule would pick one, the
 * district's 分中心 coordinates instead (as shared/dispatch/suggest.ts falls back to it), and the
 * reason says why (“望京街道已退回（非本单位职责），改派朝阳区分中心协调”). When that 分中心 returned it
 * too, the first alternative that did not return it; the returning units leave the alternatives.
 */
import type { ReturnedTicket } from '../../../shared/api/contract';
import type { Unit } from '../../../shared/domain/places';
import type { DispatchSuggestion, UnitLookup } from '../../../shared/dispatch/suggest';
import { suggestForIntake } from '../../../shared/intake/dispatch';
import type { ReferenceState } from '../reference-store';

type Row = Pick<ReturnedTicket, 'leafCode' | 'leaf' | 'address'> & Partial<Pick<ReturnedTicket, 'returnedUnits'>>;

export function suggestionForReturned(row: Row, reference: Pick<ReferenceState, 'unitLookup' | 'places'>): DispatchSuggestion | null {
  const suggestion = suggestForIntake({ leafCode: row.leafCode, leaf: row.leaf, address: row.address, reading: null, places: reference.places, units: reference.unitLookup });
  if (!suggestion || !reference.unitLookup) return suggestion;
  return avoidReturners(suggestion, row, reference.unitLookup);
}

/** The short name of a sub-center for a reason: 朝阳区接诉即办分中心 → 朝阳区分中心. */
const shortName = (unit: Unit) => unit.name.replace('接诉即办分中心', '分中心');

function avoidReturners(suggestion: DispatchSuggestion, row: Row, units: UnitLookup): DispatchSuggestion {
  const returned = new Map((row.returnedUnits ?? []).map((r) => [r.code, r.reasonKind]));
  if (returned.size === 0) return suggestion;
  const alternatives = suggestion.alternatives.filter((u) => !returned.has(u.code));
  if (!returned.has(suggestion.unit.code)) return { ...suggestion, alternatives };
  const returner = suggestion.unit;
  const reasonKind = returned.get(returner.code);
  const why = `${returner.name}已退回${reasonKind ? `（${reasonKind}）` : ''}`;
  const districtCode = row.address.districtCode ?? returner.districtCode;
  const sub = districtCode ? units.subcenter(districtCode) : null;
  const others = (instead: Unit) => alternatives.filter((u) => u.code !== instead.code);
  if (sub && !returned.has(sub.code)) {
    return { kind: 'subcenter', unit: sub, reason: `${why}，改派${shortName(sub)}协调`, alternatives: others(sub) };
  }
  const next = alternatives.find((u) => u.kind !== 'city_center');
  if (next) return { kind: next.kind === 'subcenter' ? 'subcenter' : 'direct', unit: next, reason: `${why}，改派${next.kind === 'subcenter' ? shortName(next) : next.name}`, alternatives: others(next) };
  // Nothing else the directory offers: keep the suggestion, saying it returned the ticket before.
  return { ...suggestion, reason: `${suggestion.reason}（注意：${why}）`, alternatives };
}
