/** The intake form's business rules (shared/intake/): how sure the street must be, where F9 goes, what counts as typed work. */
import { describe, expect, it } from 'vitest';
import type { UnitLookup } from '../../shared/dispatch/suggest';
import type { Place, Unit } from '../../shared/domain/places';
import { emptyDraft } from '../../shared/domain/ticket';
import { hasTypedContent, withCallerPhone } from '../../shared/intake/draft';
import { DISPATCH_MIN_STREET_CONFIDENCE, placePrompt, streetConfidence, streetIsSure, subcenterOf, suggestForIntake } from '../../shared/intake/dispatch';
import { leadsWithConsult, planSubmit } from '../../shared/intake/submit-plan';
import { addressRule, validateDraft } from '../../shared/validation/ticket';
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

describe('the address rule: one rule, shown where it applies and applied as shown', () => {
  const noPlace = { text: '', districtCode: null, streetCode: null, villageCode: null };
  const draft = (over: Partial<ReturnType<typeof emptyDraft>>) => ({ ...emptyDraft('d', '2026-12-01T08:00:00.000Z'), ...over });

  it('asks no address of a 咨询 before a disposition, nor of 咨询办结 or 不合理诉求; says so', () => {
    for (const d of [draft({ requestType: '咨询' }), draft({ requestType: '咨询', disposition: '咨询办结' }), draft({ requestType: '投诉', disposition: '不合理诉求' })]) {
      expect(addressRule({ ...d, address: noPlace })).toMatchObject({ needs: 'none', error: null });
      expect(validateDraft({ ...d, address: noPlace }).address).toBeUndefined();
    }
    expect(addressRule(draft({ requestType: '咨询' })).note).toContain('可不填地址');
  });

  it('needs the district for anything dispatched or linked, and the submit check says the same', () => {
    for (const d of [draft({ requestType: '投诉' }), draft({ requestType: '咨询', disposition: '直派' }), draft({ requestType: '投诉', disposition: '重复诉求' })]) {
      const rule = addressRule(d);
      expect(rule).toMatchObject({ needs: 'district', error: '请填写诉求地址（至少到区）' });
      expect(validateDraft(d).address).toBe(rule.error);
    }
    expect(addressRule(draft({ address: { ...noPlace, text: '火星基地' } })).error).toBe('地址未能识别到区，请补充区或街乡镇名称');
    expect(addressRule(draft({ address })).error).toBeNull();
  });
});

describe('Ctrl+Enter: the suggested disposition, or the exact key to press', () => {
  const direct = { kind: 'direct' as const, unit: { ...streetUnit, name: '望京街道' }, reason: '', alternatives: [] };
  const base = { requestType: '投诉' as const, disposition: null, leafCode: 'L1', address };

  it('dispatches as F8 would when there is a place or a leaf to go by', () => {
    expect(planSubmit({ draft: base, kbArticleId: null, leafArticles: 0, suggestion: direct })).toEqual({
      kind: 'submit',
      key: 'F8',
      patch: { disposition: '直派', unitCode: 'WJ', kbArticleId: null, linkedTicketId: null },
      label: 'F8 直派 望京街道',
    });
  });

  it('closes a 咨询 as F7 would once an article is read, and asks for one when the leaf has articles', () => {
    const consult = { ...base, requestType: '咨询' as const };
    expect(planSubmit({ draft: consult, kbArticleId: 'KB1', leafArticles: 2, suggestion: direct })).toMatchObject({ kind: 'submit', key: 'F7', patch: { disposition: '咨询办结', kbArticleId: 'KB1' } });
    const ask = planSubmit({ draft: consult, kbArticleId: null, leafArticles: 2, suggestion: direct });
    expect(ask).toMatchObject({ kind: 'ask' });
    expect(ask.kind === 'ask' && ask.message).toContain('F7 咨询办结');
    // A 咨询 the knowledge base does not cover is dispatched like any other ticket.
    expect(planSubmit({ draft: consult, kbArticleId: null, leafArticles: 0, suggestion: direct })).toMatchObject({ kind: 'submit', key: 'F8' });
    expect(leadsWithConsult('咨询', 2, null)).toBe(true);
    expect(leadsWithConsult('投诉', 2, null)).toBe(false);
    expect(leadsWithConsult('咨询', 0, null)).toBe(false);
  });

  it('submits a ticket marked 不合理诉求 as marked, and names the keys when nothing can be suggested', () => {
    expect(planSubmit({ draft: { ...base, disposition: '不合理诉求' }, kbArticleId: null, leafArticles: 0, suggestion: direct })).toMatchObject({ kind: 'submit', key: 'Alt+B', patch: {} });
    const empty = { requestType: '' as const, disposition: null, leafCode: null, address: { text: '', districtCode: null, streetCode: null, villageCode: null } };
    expect(planSubmit({ draft: empty, kbArticleId: null, leafArticles: 0, suggestion: direct })).toMatchObject({ kind: 'check', message: expect.stringContaining('F8') });
    expect(planSubmit({ draft: base, kbArticleId: null, leafArticles: 0, suggestion: null })).toMatchObject({ kind: 'ask', message: expect.stringContaining('单位名录尚未载入') });
  });
});

describe('a place known only to its district', () => {
  const gas = unit('GAS', 'utility', { name: '北京燃气集团' });
  const lookup: UnitLookup = { ...units, get: (code) => (code === 'GAS' ? gas : null) };
  const input = { districtName: '西城区', streetCode: null, streetConfidence: 0, units: lookup };

  it('prompts for the street or a landmark when the leaf is handled by the street', () => {
    const prompt = placePrompt({ ...input, leaf: { owner: { kind: 'local' } } });
    expect(prompt?.kind).toBe('ask');
    expect(prompt?.text).toContain('只知道西城区');
    expect(prompt?.text).toContain('地标');
    expect(placePrompt({ ...input, leaf: { owner: { kind: 'local' } }, streetCode: street.code, streetConfidence: 0.95 })).toBeNull();
    expect(placePrompt({ ...input, leaf: { owner: { kind: 'local' } }, districtName: null })).toBeNull();
  });

  it('lets a utility leaf go 直派 with the best place known, and says so', () => {
    expect(placePrompt({ ...input, leaf: { owner: { kind: 'unit', unitCode: 'GAS' } } })).toEqual({
      kind: 'kept',
      text: '直派北京燃气集团，工单记录已知地点（西城区）和所述地址，企业按所述地址上门',
    });
  });
});
