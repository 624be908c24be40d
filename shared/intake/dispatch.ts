/**
 * What the intake form's dispatch keys go by: how sure the form is of the caller's street, the
 * dispatch rule (shared/dispatch/suggest.ts) over what the form holds, and where F9 (派分中心) sends a
 * ticket. Pure: the renderer's stores hand in what they hold.
 */
import type { AddressMatch } from '../address/resolve';
import type { Owner } from '../domain/catalogue';
import type { Place, Unit } from '../domain/places';
import type { TicketAddress } from '../domain/ticket';
import { DEFAULT_MIN_STREET_CONFIDENCE, suggestDispatch, type DispatchSuggestion, type UnitLookup } from '../dispatch/suggest';

/** How sure a street reading must be (0..1) before 直派 to that street's unit is suggested. */
export const DISPATCH_MIN_STREET_CONFIDENCE = DEFAULT_MIN_STREET_CONFIDENCE;

/**
 * How sure the form is of its street, 0..1. A live reading of the words has its own confidence; a
 * street the call-taker picked (or a restored draft's codes, with no reading) is certain; no street, none.
 */
export function streetConfidence(address: Pick<TicketAddress, 'streetCode'>, reading: Pick<AddressMatch, 'confidence' | 'street'> | null): number {
  if (reading && reading.street?.code === address.streetCode) return reading.confidence;
  return address.streetCode ? 1 : 0;
}

/** Whether the street is known well enough for the dispatch rule to send the ticket straight to it. */
export function streetIsSure(confidence: number): boolean {
  return confidence >= DISPATCH_MIN_STREET_CONFIDENCE;
}

export interface IntakeDispatchInput {
  /** The chosen leaf's code on the form, and the leaf details loaded for some code (maybe an older one). */
  leafCode: string | null;
  leaf: { code: string; owner: Owner; coordination: boolean } | null;
  address: TicketAddress;
  reading: Pick<AddressMatch, 'confidence' | 'street'> | null;
  places: ReadonlyMap<string, Place>;
  /** Null while the unit directory is loading: no suggestion yet. */
  units: UnitLookup | null;
}

/** The dispatch rule over what the form holds now; null until the unit directory is here. */
export function suggestForIntake(input: IntakeDispatchInput): DispatchSuggestion | null {
  const { units, places, address } = input;
  if (!units) return null;
  const district = address.districtCode ? (places.get(address.districtCode) ?? null) : null;
  const street = address.streetCode ? (places.get(address.streetCode) ?? null) : null;
  const confidence = street ? streetConfidence(address, input.reading) : 0;
  // Only the chosen leaf's own details count: while they load the owner is not known yet.
  const chosen = input.leaf && input.leaf.code === input.leafCode ? input.leaf : null;
  return suggestDispatch({
    owner: chosen?.owner ?? null,
    coordination: chosen?.coordination ?? false,
    address: { district, street, confidence },
    units,
    minStreetConfidence: DISPATCH_MIN_STREET_CONFIDENCE,
  });
}

/** The sub-center F9 sends to: the suggestion itself, or the sub-center among its alternatives. */
export function subcenterOf(suggestion: DispatchSuggestion | null): Unit | null {
  if (!suggestion) return null;
  if (suggestion.kind === 'subcenter') return suggestion.unit;
  return suggestion.alternatives.find((u) => u.kind === 'subcenter') ?? null;
}

export interface PlacePrompt {
  /** 'ask': the street is needed, ask the caller; 'kept': the ticket goes on without it, with the place known. */
  kind: 'ask' | 'kept';
  text: string;
}

/**
 * What the form says when the place is known only to its district: a leaf handled by the street
 * (属地) needs the street, so the call-taker asks for it or for a landmark near by; a leaf a utility
 * company handles goes 直派 to it anyway and the ticket records the district (and the words) as the
 * best place known. Null when the street is known well enough, or nothing is known yet.
 */
export function placePrompt(input: {
  leaf: { owner: Owner } | null;
  districtName: string | null;
  streetCode: string | null;
  streetConfidence: number;
  units: UnitLookup | null;
}): PlacePrompt | null {
  const { leaf, districtName } = input;
  if (!leaf || !districtName) return null;
  if (input.streetCode && streetIsSure(input.streetConfidence)) return null;
  if (leaf.owner.kind === 'local') {
    const known = input.streetCode ? '街乡镇把握不足' : `只知道${districtName}`;
    return { kind: 'ask', text: `${known}：本分类由街乡镇属地办理，请追问街道、社区或附近地标（如商场、地铁站、小区名），以便直派街乡镇` };
  }
  const unit = input.units?.get(leaf.owner.unitCode) ?? null;
  if (unit?.kind === 'utility') return { kind: 'kept', text: `直派${unit.name}，工单记录已知地点（${districtName}）和所述地址，企业按所述地址上门` };
  return null;
}
