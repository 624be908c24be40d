/**
 * The dispatch rule (shared/dispatch/suggest.ts) on a small, real-shaped unit directory: Pinggu and
 * Miyun districts with their sub-centers and a few streets, two departments, two utilities.
 */
import { describe, expect, it } from 'vitest';
import type { Owner } from '../../shared/domain/catalogue';
import type { Place, Unit } from '../../shared/domain/places';
import { DISPOSITION_OF_KIND, suggestDispatch, type DispatchInput, type DispatchSuggestion, type UnitLookup } from '../../shared/dispatch/suggest';

const district = (code: string, name: string): Place => ({ code, level: 'district', name, shortName: name.replace(/区$/, ''), parentCode: '110100' });
const street = (code: string, name: string): Place => ({ code, level: 'street', name, shortName: name, parentCode: code.slice(0, 6) });

const PINGGU = district('110117', '平谷区');
const MIYUN = district('110118', '密云区');
const XIONGERZHAI = street('110117214', '熊儿寨乡');
const BINHE = street('110117001', '滨河街道');
const XIWENGZHUANG = street('110118101', '溪翁庄镇');
/** A real division code with no street-level unit of its own. */
const MIYUN_PARK = street('110118400', '中关村科技园区密云园');

const CITY: Unit = { code: 'CITY', name: '北京市12345市民服务热线中心', kind: 'city_center', districtCode: null, placeCode: null, duties: '跨区、区属不明诉求的协调派单与督办' };
const subcenterUnit = (p: Place): Unit => ({ code: `SC${p.code}`, name: `${p.name}接诉即办分中心`, kind: 'subcenter', districtCode: p.code, placeCode: null, duties: `${p.name}范围内需协调诉求的派单、督办与回访` });
const streetUnit = (p: Place): Unit => ({ code: `ST${p.code}`, name: p.name, kind: 'street', districtCode: p.parentCode, placeCode: p.code, duties: '属地诉求的接单、办理与回复' });

const SC_PINGGU = subcenterUnit(PINGGU);
const SC_MIYUN = subcenterUnit(MIYUN);
const ST_XIONGERZHAI = streetUnit(XIONGERZHAI);
const ST_BINHE = streetUnit(BINHE);
const ST_XIWENGZHUANG = streetUnit(XIWENGZHUANG);
const D12: Unit = { code: 'D12', name: '北京市医疗保障局', kind: 'department', districtCode: null, placeCode: null, duties: '医保参保、报销、异地就医、医保定点、药品价格招采' };
const D04: Unit = { code: 'D04', name: '北京市交通委员会', kind: 'department', districtCode: null, placeCode: null, duties: '道路交通规划、公交地铁出租行业监管、停车管理、道路养护' };
const U04: Unit = { code: 'U04', name: '北京市热力集团有限责任公司', kind: 'utility', districtCode: null, placeCode: null, duties: '集中供暖、暖气不热、管线抢修、供暖费' };
const U01: Unit = { code: 'U01', name: '北京市自来水集团有限责任公司', kind: 'utility', districtCode: null, placeCode: null, duties: '自来水供应、停水抢修、水质水压、水表' };

function directory(units: Unit[]): UnitLookup {
  const byCode = new Map(units.map((u) => [u.code, u]));
  return {
    streetUnit: (code) => units.find((u) => u.kind === 'street' && u.placeCode === code) ?? null,
    subcenter: (code) => units.find((u) => u.kind === 'subcenter' && u.districtCode === code) ?? null,
    get: (code) => byCode.get(code) ?? null,
    cityCenter: () => CITY,
  };
}

const ALL_UNITS = [CITY, SC_PINGGU, SC_MIYUN, ST_XIONGERZHAI, ST_BINHE, ST_XIWENGZHUANG, D12, D04, U04, U01];
const units = directory(ALL_UNITS);

const LOCAL: Owner = { kind: 'local' };
const owned = (unitCode: string): Owner => ({ kind: 'unit', unitCode });

function suggest(over: Partial<Omit<DispatchInput, 'address'>> & { address?: Partial<DispatchInput['address']> }): DispatchSuggestion {
  return suggestDispatch({
    owner: over.owner === undefined ? LOCAL : over.owner,
    coordination: over.coordination ?? false,
    address: { district: null, street: null, confidence: 0, ...over.address },
    units: over.units ?? units,
    ...(over.minStreetConfidence === undefined ? {} : { minStreetConfidence: over.minStreetConfidence }),
  });
}

const codes = (list: Unit[]) => list.map((u) => u.code);

/** "平谷熊儿寨魏家湾村", resolved with confidence. */
const XIONGERZHAI_ADDRESS = { district: PINGGU, street: XIONGERZHAI, confidence: 0.95 };

describe('属地 leaves', () => {
  it('go directly to the street when the address resolves to one street with good confidence', () => {
    const s = suggest({ owner: LOCAL, address: XIONGERZHAI_ADDRESS });
    expect(s.kind).toBe('direct');
    expect(s.unit).toEqual(ST_XIONGERZHAI);
    expect(s.reason).toBe('地址明确到熊儿寨乡，分类属地办理，直派街乡镇');
    // The one-key switch to the sub-center comes first.
    expect(codes(s.alternatives)).toEqual(['SC110117', 'CITY']);
    expect(DISPOSITION_OF_KIND[s.kind]).toBe('直派');
  });

  it('treat 0.8 as good confidence and anything below as unclear', () => {
    expect(suggest({ address: { ...XIONGERZHAI_ADDRESS, confidence: 0.8 } }).kind).toBe('direct');
    const unsure = suggest({ address: { ...XIONGERZHAI_ADDRESS, confidence: 0.79 } });
    expect(unsure).toMatchObject({ kind: 'subcenter', unit: SC_PINGGU });
    expect(unsure.reason).toBe('地址识别把握不足（熊儿寨乡，置信度 0.79），派分中心');
    // The street stays one key away, for a call-taker who knows better than the resolver.
    expect(codes(unsure.alternatives)).toEqual(['ST110117214', 'CITY']);
    expect(DISPOSITION_OF_KIND[unsure.kind]).toBe('派分中心');
  });

  it('honour a center’s own confidence threshold, and read a broken confidence as none', () => {
    expect(suggest({ address: { ...XIONGERZHAI_ADDRESS, confidence: 0.7 }, minStreetConfidence: 0.6 }).kind).toBe('direct');
    expect(suggest({ address: { ...XIONGERZHAI_ADDRESS, confidence: Number.NaN } }).kind).toBe('subcenter');
  });

  it('go to the sub-center when the address reaches only the district', () => {
    const s = suggest({ address: { district: PINGGU, street: null, confidence: 0.9 } });
    expect(s).toMatchObject({ kind: 'subcenter', unit: SC_PINGGU, reason: '地址只识别到平谷区，未明确街乡镇，派分中心' });
    expect(codes(s.alternatives)).toEqual(['CITY']);
  });

  it('take the district from the street when the resolver named only the street', () => {
    const s = suggest({ address: { district: null, street: BINHE, confidence: 0.9 } });
    expect(s).toMatchObject({ kind: 'direct', unit: ST_BINHE });
    expect(codes(s.alternatives)).toEqual(['SC110117', 'CITY']);
  });

  it('go to the sub-center when the street has no unit of its own', () => {
    const s = suggest({ address: { district: MIYUN, street: MIYUN_PARK, confidence: 0.95 } });
    expect(s).toMatchObject({ kind: 'subcenter', unit: SC_MIYUN, reason: '中关村科技园区密云园没有对应的承办单位，派分中心' });
  });

  it('go to the city center when the district is unknown', () => {
    const s = suggest({ address: { district: null, street: null, confidence: 0 } });
    expect(s).toMatchObject({ kind: 'city', unit: CITY, reason: '地址未识别到区，派市中心', alternatives: [] });
    expect(DISPOSITION_OF_KIND[s.kind]).toBe('派市中心');
  });
});

describe('coordination leaves', () => {
  it('go to the district sub-center even with a clear street, the street one key away', () => {
    const s = suggest({ owner: LOCAL, coordination: true, address: XIONGERZHAI_ADDRESS });
    expect(s).toMatchObject({ kind: 'subcenter', unit: SC_PINGGU, reason: '分类需多部门协调，派分中心' });
    expect(codes(s.alternatives)).toEqual(['ST110117214', 'CITY']);
  });

  it('go to the sub-center even when the leaf names a department or utility', () => {
    const s = suggest({ owner: owned('U04'), coordination: true, address: XIONGERZHAI_ADDRESS });
    expect(s).toMatchObject({ kind: 'subcenter', unit: SC_PINGGU });
    expect(codes(s.alternatives)).toEqual(['U04', 'ST110117214', 'CITY']);
  });

  it('go to the city center when the district is unknown', () => {
    const s = suggest({ owner: owned('D04'), coordination: true, address: { district: null, street: null, confidence: 0 } });
    expect(s).toMatchObject({ kind: 'city', unit: CITY, reason: '分类需多部门协调，且地址未识别到区，派市中心' });
    expect(codes(s.alternatives)).toEqual(['D04']);
  });
});

describe('leaves that name a department', () => {
  it('go directly to the department whatever the address', () => {
    const noAddress = suggest({ owner: owned('D12') });
    expect(noAddress).toMatchObject({ kind: 'direct', unit: D12, reason: '分类指定由北京市医疗保障局承办，直派委办局' });
    expect(codes(noAddress.alternatives)).toEqual(['CITY']);

    const unsure = suggest({ owner: owned('D12'), address: { district: PINGGU, street: XIONGERZHAI, confidence: 0.3 } });
    expect(unsure).toMatchObject({ kind: 'direct', unit: D12 });
    expect(codes(unsure.alternatives)).toEqual(['SC110117', 'ST110117214', 'CITY']);
  });
});

describe('leaves that name a utility', () => {
  it('go directly to the utility once the district is known, street or not', () => {
    const s = suggest({ owner: owned('U04'), address: { district: PINGGU, street: null, confidence: 0.4 } });
    expect(s).toMatchObject({ kind: 'direct', unit: U04, reason: '分类指定由北京市热力集团有限责任公司承办，地址在平谷区，直派公共服务企业' });
    expect(codes(s.alternatives)).toEqual(['SC110117', 'CITY']);
    expect(suggest({ owner: owned('U01'), address: XIONGERZHAI_ADDRESS }).unit).toEqual(U01);
  });

  it('go to the city center while the district is unknown, with the utility as the first alternative', () => {
    const s = suggest({ owner: owned('U04'), address: { district: null, street: null, confidence: 0 } });
    expect(s).toMatchObject({ kind: 'city', unit: CITY, reason: '分类应由北京市热力集团有限责任公司办理，但地址未识别到区，派市中心；补充区后可直派' });
    expect(codes(s.alternatives)).toEqual(['U04']);
  });
});

describe('unclear owners and awkward data', () => {
  it('no leaf chosen yet: the owner is unclear, so the sub-center (or the city center without a district)', () => {
    expect(suggest({ owner: null, address: XIONGERZHAI_ADDRESS })).toMatchObject({
      kind: 'subcenter',
      unit: SC_PINGGU,
      reason: '尚未选定诉求分类，承办单位不明，派分中心',
    });
    expect(suggest({ owner: null }).kind).toBe('city');
  });

  it('a leaf naming a unit missing from the directory is treated as an unclear owner', () => {
    const s = suggest({ owner: owned('D99'), address: XIONGERZHAI_ADDRESS });
    expect(s).toMatchObject({ kind: 'subcenter', unit: SC_PINGGU, reason: '分类指定的承办单位 D99 不在单位名录中，派分中心' });
  });

  it('several districts involved: the city center', () => {
    const s = suggest({ address: { ...XIONGERZHAI_ADDRESS, spansDistricts: true } });
    expect(s).toMatchObject({ kind: 'city', unit: CITY, reason: '诉求涉及多个区，派市中心' });
    expect(codes(s.alternatives)).toEqual(['SC110117', 'ST110117214']);
  });

  it('a street outside the named district: the city center, both sub-centers one key away', () => {
    const s = suggest({ address: { district: PINGGU, street: XIWENGZHUANG, confidence: 0.9 } });
    expect(s).toMatchObject({ kind: 'city', unit: CITY, reason: '地址中的平谷区与溪翁庄镇不属同一区，派市中心核实' });
    expect(codes(s.alternatives)).toEqual(['SC110117', 'SC110118']);
  });

  it('a district whose sub-center is missing from the directory falls back to the city center', () => {
    const withoutPingguSubcenter = directory(ALL_UNITS.filter((u) => u.code !== 'SC110117'));
    const s = suggest({ address: { district: PINGGU, street: null, confidence: 0.9 }, units: withoutPingguSubcenter });
    expect(s).toMatchObject({ kind: 'city', unit: CITY, reason: '地址只识别到平谷区，未明确街乡镇；平谷区分中心不在单位名录中，派市中心' });
  });

  it('never offers the suggested unit, or any unit twice, as an alternative', () => {
    const owners: Array<Owner | null> = [null, LOCAL, owned('D12'), owned('U04'), owned('D99')];
    const addresses: Array<DispatchInput['address']> = [
      XIONGERZHAI_ADDRESS,
      { ...XIONGERZHAI_ADDRESS, confidence: 0.2 },
      { district: PINGGU, street: null, confidence: 0.5 },
      { district: null, street: null, confidence: 0 },
      { ...XIONGERZHAI_ADDRESS, spansDistricts: true },
    ];
    for (const owner of owners)
      for (const address of addresses)
        for (const coordination of [false, true]) {
          const s = suggestDispatch({ owner, coordination, address, units });
          const alt = codes(s.alternatives);
          expect(alt).not.toContain(s.unit.code);
          expect(new Set(alt).size).toBe(alt.length);
          expect(s.reason).not.toMatch(/\n/);
          expect(s.kind).toBe(s.unit.kind === 'subcenter' ? 'subcenter' : s.unit.kind === 'city_center' ? 'city' : 'direct');
        }
  });
});
