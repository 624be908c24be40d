/**
 * The dispatch rule: given the chosen catalogue leaf and the resolved address, which
 * unit the desk suggests, why, and what one key switches to. The call-taker decides; this only
 * suggests, so every branch returns a unit and a one-line Chinese reason.
 *
 * Order of the rule, first match wins:
 * 1. Several districts involved, or the street and district disagree → 派市中心.
 * 2. The leaf needs coordination (需协调) → the district's sub-center (派分中心), or the city center
 *    when the district is unknown. Coordination comes before a named owner: a leaf marked for
 *    coordination is one where no single unit can finish the job alone.
 * 3. The leaf names a department (委办局) → 直派 to it whatever the address says: departments act
 *    city-wide and the address travels with the ticket.
 * 4. The leaf names a utility (供水、供电、燃气、供热、通信、排水) → 直派 only when the district is
 *    known; otherwise 派市中心 with the utility as the first alternative. Decision: a repair crew
 *    cannot be sent nowhere, the input standard already requires the address to reach the district
 *    before a ticket can be dispatched, and once the call-taker adds it the suggestion becomes 直派.
 *    The street is not needed — the utility's own dispatch finds the door from the free-text address.
 * 5. The leaf is 属地 and the address resolves to one street with good confidence (≥ 0.8 by default)
 *    and that street has a unit → 直派 to the street-level unit.
 * 6. Otherwise, with the district known → the sub-center (place or owner unclear).
 * 7. District unknown → 派市中心.
 * A sub-center missing from the unit directory falls through to the city center, never to nothing.
 */
import type { Owner } from '../domain/catalogue';
import type { Place, Unit } from '../domain/places';
import type { Disposition } from '../domain/ticket';
import { dispositionForUnitKind, UNIT_KIND_LABEL } from '../lifecycle/ticket-lifecycle';

export type DispatchKind = 'direct' | 'subcenter' | 'city';

/** The ticket disposition each suggestion kind records (shared/lifecycle/ticket-lifecycle.ts). */
export const DISPOSITION_OF_KIND = { direct: '直派', subcenter: '派分中心', city: '派市中心' } as const satisfies Record<DispatchKind, Disposition>;

/** The unit directory, as the reference store answers it. */
export interface UnitLookup {
  /** The street-level unit of a street/township place code, or null. */
  streetUnit(streetCode: string): Unit | null;
  /** The sub-center of a district code, or null. */
  subcenter(districtCode: string): Unit | null;
  get(code: string): Unit | null;
  cityCenter(): Unit;
}

export interface DispatchInput {
  /** The chosen leaf's responsible unit; null while no leaf is chosen (the owner is then unclear). */
  owner: Owner | null;
  /** The chosen leaf needs several units to coordinate. */
  coordination: boolean;
  address: {
    district: Place | null;
    street: Place | null;
    /** The resolver's confidence in the street, 0..1. */
    confidence: number;
    /** The request involves more than one district (e.g. a road or river across a boundary). */
    spansDistricts?: boolean;
  };
  units: UnitLookup;
  /** The confidence at or above which a street counts as resolved; 0.8 unless a center sets another. */
  minStreetConfidence?: number;
}

export interface DispatchSuggestion {
  kind: DispatchKind;
  unit: Unit;
  /** One line the call-taker reads, in Chinese. */
  reason: string;
  /** Other sensible targets, best first; the sub-center comes first when it is not the suggestion (the one-key switch). */
  alternatives: Unit[];
}

export const DEFAULT_MIN_STREET_CONFIDENCE = 0.8;

/** How the reason names where a unit of this kind takes the ticket: 直派街乡镇, 派分中心, … */
function targetPhrase(kind: Unit['kind']): string {
  const disposition = dispositionForUnitKind(kind);
  return disposition === '直派' ? `直派${UNIT_KIND_LABEL[kind]}` : disposition;
}

/** The suggestion kind of a unit: what the lifecycle says sending a ticket there means. */
function kindOfUnit(unit: Unit): DispatchKind {
  const disposition = dispositionForUnitKind(unit.kind);
  return (Object.keys(DISPOSITION_OF_KIND) as DispatchKind[]).find((k) => DISPOSITION_OF_KIND[k] === disposition)!;
}

export function suggestDispatch(input: DispatchInput): DispatchSuggestion {
  const { owner, coordination, address, units } = input;
  const minConfidence = input.minStreetConfidence ?? DEFAULT_MIN_STREET_CONFIDENCE;
  // A confidence that is not a number is no confidence at all.
  const confidence = Number.isFinite(address.confidence) ? Math.min(1, Math.max(0, address.confidence)) : 0;
  const street = address.street;
  // The resolver may name a street without its district; a 9-digit street code's parent is its district.
  const districtCode = address.district?.code ?? street?.parentCode ?? null;
  const districtName = address.district?.name ?? null;
  const streetConflicts = !!(address.district && street?.parentCode && street.parentCode !== address.district.code);

  const city = units.cityCenter();
  const subcenter = districtCode ? units.subcenter(districtCode) : null;
  const streetUnit = street ? units.streetUnit(street.code) : null;
  const named = owner?.kind === 'unit' ? units.get(owner.unitCode) : null;

  const result = (unit: Unit, reason: string, others: Array<Unit | null>): DispatchSuggestion => {
    // The sub-center leads the alternatives: it is what the one-key switch goes to.
    const ordered = [subcenter, ...others, city];
    const seen = new Set<string>([unit.code]);
    const alternatives: Unit[] = [];
    for (const candidate of ordered) {
      if (candidate && !seen.has(candidate.code)) {
        seen.add(candidate.code);
        alternatives.push(candidate);
      }
    }
    return { kind: kindOfUnit(unit), unit, reason, alternatives };
  };

  /** Where a ticket goes when no direct target applies: the district's sub-center, else the city. */
  const fallback = (why: string, others: Array<Unit | null>): DispatchSuggestion => {
    if (subcenter) return result(subcenter, `${why}，${targetPhrase('subcenter')}`, others);
    if (districtCode) return result(city, `${why}；${districtName ?? '该区'}分中心不在单位名录中，${targetPhrase('city_center')}`, others);
    return result(city, `${why}，且地址未识别到区，${targetPhrase('city_center')}`, others);
  };

  // 1. More than one district: only the city center can coordinate across them.
  if (address.spansDistricts) return result(city, `诉求涉及多个区，${targetPhrase('city_center')}`, [named, streetUnit]);
  if (streetConflicts && street && address.district) {
    const otherSubcenter = street.parentCode ? units.subcenter(street.parentCode) : null;
    return result(city, `地址中的${address.district.name}与${street.name}不属同一区，${targetPhrase('city_center')}核实`, [otherSubcenter, named]);
  }

  // 2. Coordination.
  if (coordination) return fallback('分类需多部门协调', [named, streetUnit]);

  // 3–4. A named unit.
  if (owner?.kind === 'unit') {
    if (!named) return fallback(`分类指定的承办单位 ${owner.unitCode} 不在单位名录中`, [streetUnit]);
    if (named.kind === 'utility' && !districtCode) {
      return result(city, `分类应由${named.name}办理，但地址未识别到区，${targetPhrase('city_center')}；补充区后可直派`, [named]);
    }
    const where = named.kind === 'utility' && districtName ? `，地址在${districtName}` : '';
    return result(named, `分类指定由${named.name}承办${where}，${targetPhrase(named.kind)}`, [streetUnit]);
  }

  // 5. 属地 with a street the resolver is sure of.
  if (owner?.kind === 'local') {
    if (street && streetUnit && confidence >= minConfidence) {
      return result(streetUnit, `地址明确到${street.name}，分类属地办理，${targetPhrase('street')}`, []);
    }
    if (!districtCode) return result(city, `地址未识别到区，${targetPhrase('city_center')}`, []);
    if (!street) return fallback(`地址只识别到${districtName ?? '区'}，未明确街乡镇`, []);
    if (!streetUnit) return fallback(`${street.name}没有对应的承办单位`, []);
    return fallback(`地址识别把握不足（${street.name}，置信度 ${confidence.toFixed(2)}）`, [streetUnit]);
  }

  // 6–7. No leaf yet: the owner is unclear.
  return fallback('尚未选定诉求分类，承办单位不明', [streetUnit]);
}
