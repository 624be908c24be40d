/** The intake form's business rules (shared/intake/): how sure the street must be, where F9 goes, what counts as typed work. */
import { describe, expect, it } from 'vitest';
import type { UnitLookup } from '../../shared/dispatch/suggest';
import type { Place, Unit } from '../../shared/domain/places';
import { emptyDraft } from '../../shared/domain/ticket';
import { hasTypedContent, withCallerPhone } from '../../shared/intake/draft';
import { DISPATCH_MIN_STREET_CONFIDENCE, streetConfidence, streetIsSure, subcenterOf, suggestForIntake } from '../../shared/intake/dispatch';
import { dispositionForUnitKind } from '../../shared/lifecycle/ticket-lifecycle';

const district: Place = { code: '110105', level: 'district', name: '朝阳区', shortName: '朝阳', parentCode: null };
const street: Place = { code: '110105001', level: 'street', name: '望京街道', shortName: '望京', parentCode: '110105' };
const unit = (code: string, kind: Unit['kind'], extra: Partial<Unit> = {}): Unit => ({ code, name: code, kind, districtCode: null, placeCode: null, duties: '', ...extra });
const streetUnit = unit('WJ', 'street', { placeCode: street.code, districtCode: district.code });
const subcenter = unit('CY', 'subcenter', { districtCode: district.code });
const city = unit('CITY', 'city_center');
const units: UnitLookup = {
  streetUnit: (code) => (code === street.code ? streetUnit : null),
  subcenter: (code) => (code === district.code ? subcenter : null),
  get: () => null,
  cityCenter: () => city,
};
const places = new Map([district, street].map((p) => [p.code, p]));
const address = { text: '朝阳区望京街道花家地北里', districtCode: district.code, streetCode: street.code, villageCode: null };
const localLeaf = { code: 'L1', owner: { kind: 'local' as const }, coordination: false };

describe('how sure the street must be before 直派 is suggested', () => {
  it('takes a live reading at its word, a picked or restored street as certain, no street as unknown', () => {
    expect(streetConfidence(address, { confidence: 0.55, street })).toBe(0.55);
    expect(streetConfidence(address, null)).toBe(1);
    expect(streetConfidence(address, { confidence: 0.55, street: { ...street, code: '110105002' } })).toBe(1);
    expect(streetConfidence({ streetCode: null }, { confidence: 0.9, street: null })).toBe(0);
    expect(streetIsSure(DISPATCH_MIN_STREET_CONFIDENCE)).toBe(true);
    expect(streetIsSure(DISPATCH_MIN_STREET_CONFIDENCE - 0.01)).toBe(false);
  });

  it('suggests the street unit only at or above the threshold, else the sub-center', () => {
    const at = (confidence: number) =>
      suggestForIntake({ leafCode: 'L1', leaf: localLeaf, address, reading: { confidence, street }, places, units })!;
    expect(at(DISPATCH_MIN_STREET_CONFIDENCE).unit.code).toBe('WJ');
    expect(at(DISPATCH_MIN_STREET_CONFIDENCE - 0.05).unit.code).toBe('CY');
  });

  it('waits for the unit directory, and for the chosen leaf\'s own details', () => {
    expect(suggestForIntake({ leafCode: 'L1', leaf: localLeaf, address, reading: null, places, units: null })).toBeNull();
    // The details loaded are for another leaf: the owner is not known yet, so no 直派.
    expect(suggestForIntake({ leafCode: 'L2', leaf: localLeaf, address, reading: null, places, units })!.kind).toBe('subcenter');
  });
});

describe('which disposition a picked unit means, and where F9 goes', () => {
  it('maps each unit kind to 直派, 派分中心 or 派市中心', () => {
    expect((['street', 'department', 'utility', 'subcenter', 'city_center'] as const).map(dispositionForUnitKind)).toEqual(['直派', '直派', '直派', '派分中心', '派市中心']);
  });

  it('F9 is the suggestion when it is a sub-center, else the sub-center among the alternatives, else nothing', () => {
    expect(subcenterOf({ kind: 'subcenter', unit: subcenter, reason: '', alternatives: [city] })).toBe(subcenter);
    expect(subcenterOf({ kind: 'direct', unit: streetUnit, reason: '', alternatives: [city, subcenter] })).toBe(subcenter);
    expect(subcenterOf({ kind: 'city', unit: city, reason: '', alternatives: [] })).toBeNull();
    expect(subcenterOf(null)).toBeNull();
  });
});

describe('the draft being typed', () => {
  it('counts a name, content, address or leaf as typed work, a number alone not', () => {
    const draft = emptyDraft('d1', '2026-12-01T08:00:00.000Z', '13912345678');
    expect(hasTypedContent(draft)).toBe(false);
    expect(hasTypedContent({ ...draft, content: '路灯坏了' })).toBe(true);
    expect(hasTypedContent({ ...draft, address: { ...draft.address, text: '  ' } })).toBe(false);
    expect(hasTypedContent({ ...draft, leafCode: 'L1' })).toBe(true);
  });

  it('lets the callback number follow the caller\'s until it is given apart', () => {
    expect(withCallerPhone({ callerPhone: '139', callbackPhone: '139' }, '1391')).toEqual({ callerPhone: '1391', callbackPhone: '1391' });
    expect(withCallerPhone({ callerPhone: '139', callbackPhone: '010-1234' }, '1391')).toEqual({ callerPhone: '1391', callbackPhone: '010-1234' });
  });
});
