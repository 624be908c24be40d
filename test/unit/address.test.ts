/**
 * Beijing places (resources/places/beijing-places.csv, built by scripts/build-places.mjs) and the
 * address resolver (shared/address/resolve.ts) over what callers say. Speed is measured by
 * bench/address.bench.ts, not here: timed assertions fail on a busy machine, not on slow code.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createAddressResolver, formatAddressMatch, type AddressMatch } from '../../shared/address/resolve';
import { addressPhrasings, parsePlaces, placesCsv } from '../support/reference-files';

interface PlaceRow {
  code: string;
  level: string;
  name: string;
  short_name: string;
  parent_code: string;
}

const csv = placesCsv();
const rows = parse(csv, { columns: true, bom: true }) as PlaceRow[];
const places = parsePlaces(csv);
const phrasings = addressPhrasings();

const byCode = new Map(places.map((p) => [p.code, p]));
const resolver = createAddressResolver(places);

/** "区/街道/社区村" with official names, for readable failures. */
const path = (m: AddressMatch | null) => (m ? [m.district.name, m.street?.name ?? '', m.village?.name ?? ''].join('/') : null);

describe('beijing-places.csv', () => {
  it('holds Beijing’s 16 districts, 349 streets and 7,535 villages as one tree in code order', () => {
    const count = (level: string) => rows.filter((r) => r.level === level).length;
    expect([count('district'), count('street'), count('village')]).toEqual([16, 349, 7535]);
    const codes = rows.map((r) => r.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    const parentLevel: Record<string, string | null> = { district: null, street: 'district', village: 'street' };
    for (const r of rows) {
      const expected = parentLevel[r.level];
      if (expected === null) expect(r.parent_code).toBe('');
      else expect(byCode.get(r.parent_code)?.level, `${r.code} ${r.name}`).toBe(expected);
    }
  });

  it('gives every place the name people say', () => {
    const short = (name: string) => rows.find((r) => r.name === name)?.short_name;
    expect(short('魏家湾村委会')).toBe('魏家湾村');
    expect(short('多福巷社区居委会')).toBe('多福巷社区');
    expect(short('小红门村民委员会')).toBe('小红门村');
    expect(short('大北家园社区居民委员会')).toBe('大北家园社区');
    expect(short('四道口居民委员会')).toBe('四道口社区');
    expect(short('三间房东村村委会')).toBe('三间房东村');
    expect(short('牌坊村村民委员会')).toBe('牌坊村');
    expect(short('官庄大队村民委员会')).toBe('官庄村');
    expect(short('唐家岭村股份经济合作社生活区')).toBe('唐家岭村');
    expect(short('七星园北社区')).toBe('七星园北社区');
    expect(short('熊儿寨乡')).toBe('熊儿寨乡');
    expect(short('平谷区')).toBe('平谷区');
    for (const r of rows.filter((row) => row.level === 'village')) expect(r.short_name, r.name).toMatch(/(村|社区|生活区)$/);
  });
});

describe('address phrasings fixture', () => {
  it('has at least 200 phrasings across all 16 districts', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(200);
    expect(new Set(phrasings.map((f) => f.district)).size).toBe(16);
  });

  it('expects only official names that exist in beijing-places.csv, as a consistent chain', () => {
    for (const f of phrasings) {
      const district = places.find((p) => p.level === 'district' && p.name === f.district);
      expect(district, f.phrase).toBeDefined();
      const street = places.find((p) => p.level === 'street' && p.name === f.street && p.parentCode === district!.code);
      expect(street, f.phrase).toBeDefined();
      if (f.village) {
        const village = places.find((p) => p.level === 'village' && p.name === f.village && p.parentCode === street!.code);
        expect(village, f.phrase).toBeDefined();
      }
    }
  });
});

describe('address resolution', () => {
  it('resolves the examples call-takers meet every day', () => {
    expect(path(resolver.resolve('朝阳区望京街道').best)).toBe('朝阳区/望京街道/');
    expect(path(resolver.resolve('平谷熊儿寨魏家湾村').best)).toBe('平谷区/熊儿寨乡/魏家湾村委会');
    expect(path(resolver.resolve('海淀学院路').best)).toBe('海淀区/学院路街道/');
    expect(path(resolver.resolve('东城区多福巷社区').best)).toBe('东城区/东华门街道/多福巷社区居委会');
    expect(path(resolver.resolve('我住在顺义区后沙峪镇那边').best)).toBe('顺义区/后沙峪地区/');
  });

  it('resolves a street said alone when its name is unique', () => {
    const { best, candidates } = resolver.resolve('望京');
    expect(path(best)).toBe('朝阳区/望京街道/');
    expect(best!.confidence).toBeGreaterThanOrEqual(0.7);
    expect(candidates.every((c) => c.district.name === '朝阳区')).toBe(true);
  });

  it('offers every place a name is found in, with lower confidence, and guesses none of them', () => {
    const { best, candidates } = resolver.resolve('八里庄街道');
    expect(best).toBeNull();
    const streets = candidates.filter((c) => c.street?.name === '八里庄街道' && c.village === null);
    expect(streets.map((c) => c.district.name).sort()).toEqual(['朝阳区', '海淀区']);
    for (const c of streets) expect(c.confidence).toBeLessThan(0.6);
    // The district said settles it.
    expect(path(resolver.resolve('海淀区八里庄街道').best)).toBe('海淀区/八里庄街道/');
    expect(resolver.resolve('海淀区八里庄街道').best!.confidence).toBeGreaterThan(0.9);
  });

  it('resolves the place and hands back the house number or landmark that follows', () => {
    const { best } = resolver.resolve('朝阳区望京街道望京西园三区5号楼');
    expect(best?.district.name).toBe('朝阳区');
    expect(best?.street?.name).toBe('望京街道');
    expect(best!.matchedText.startsWith('朝阳区望京街道')).toBe(true);
    expect(best!.rest).toBe('5号楼');
    expect(resolver.resolve('我住在顺义区后沙峪镇那边').best).toMatchObject({ matchedText: '顺义区后沙峪镇', rest: '那边' });
  });

  it('gives no result for text that names no place', () => {
    for (const text of ['我要投诉噪音', '楼上装修太吵了', '家里没暖气了', '光明正大', '新华书店门口', '', '   ']) {
      expect(resolver.resolve(text).best, text).toBeNull();
    }
    expect(resolver.resolve('我要投诉噪音').candidates).toEqual([]);
  });

  it('accepts a district alone, with or without 区, and the names older callers use', () => {
    expect(path(resolver.resolve('平谷').best)).toBe('平谷区//');
    expect(path(resolver.resolve('海淀').best)).toBe('海淀区//'); // not 海淀街道
    expect(path(resolver.resolve('密云县').best)).toBe('密云区//');
    expect(path(resolver.resolve('崇文区').best)).toBe('东城区//');
    expect(path(resolver.resolve('通县中仓街道').best)).toBe('通州区/中仓街道/');
  });

  it('prefers the longer name: 朝阳门 is a street in 东城, not 朝阳区', () => {
    expect(path(resolver.resolve('朝阳门').best)).toBe('东城区/朝阳门街道/');
    expect(path(resolver.resolve('大兴庄镇').best)).toBe('平谷区/大兴庄镇/');
  });

  it('tells a community from a village of the same name by the suffix said', () => {
    expect(resolver.resolve('朝阳区十八里店乡老君堂社区').best?.village?.name).toBe('老君堂社区居委会');
    expect(resolver.resolve('朝阳区十八里店乡老君堂村').best?.village?.name).toBe('老君堂村委会');
  });

  it('completes a name the call-taker is still typing, within what was already said', () => {
    const { best, candidates } = resolver.resolve('平谷熊儿');
    expect(path(best)).toBe('平谷区/熊儿寨乡/');
    expect(candidates.every((c) => c.district.name === '平谷区')).toBe(true);
  });

  it('backs off to the common district when the candidates share it', () => {
    const { best, candidates } = resolver.resolve('天通苑');
    expect(path(best)).toBe('昌平区//');
    expect(candidates.length).toBeGreaterThan(1);
    expect(candidates.every((c) => c.district.name === '昌平区')).toBe(true);
  });

  it('returns only consistent chains with confidences in 0..1, best first', () => {
    for (const { phrase } of phrasings) {
      const { best, candidates } = resolver.resolve(phrase, 8);
      expect(candidates.length).toBeLessThanOrEqual(8);
      for (const m of best ? [best, ...candidates] : candidates) {
        expect(m.district.level).toBe('district');
        if (m.street) {
          expect(m.street.level).toBe('street');
          expect(m.street.parentCode, phrase).toBe(m.district.code);
        }
        if (m.village) {
          expect(m.street, phrase).not.toBeNull();
          expect(m.village.level).toBe('village');
          expect(m.village.parentCode, phrase).toBe(m.street!.code);
        }
        expect(m.confidence).toBeGreaterThanOrEqual(0);
        expect(m.confidence).toBeLessThanOrEqual(1);
        expect(phrase.includes(m.matchedText)).toBe(true);
      }
      if (best && candidates.some((c) => c.district === best.district && c.street === best.street && c.village === best.village)) {
        expect(candidates[0]).toBe(best);
      }
    }
  });

  it('does not depend on the order of the places table', () => {
    const reversed = createAddressResolver([...places].reverse());
    for (const { phrase } of phrasings.slice(0, 60)) {
      expect(path(reversed.resolve(phrase).best), phrase).toBe(path(resolver.resolve(phrase).best));
    }
  });

  it('formats a match with the names people say', () => {
    expect(formatAddressMatch(resolver.resolve('平谷熊儿寨魏家湾村').best!)).toBe('平谷区 / 熊儿寨乡 / 魏家湾村');
    expect(formatAddressMatch(resolver.resolve('平谷').best!)).toBe('平谷区');
  });

  it('resolves at least 90 % of the fixture phrasings to the right district and street', () => {
    const misses: string[] = [];
    let villagesRight = 0;
    const withVillage = phrasings.filter((f) => f.village);
    for (const f of phrasings) {
      const best = resolver.resolve(f.phrase).best;
      if (best?.district.name !== f.district || (best.street?.name ?? '') !== f.street) misses.push(`${f.phrase} → ${path(best)}`);
      if (f.village && best?.village?.name === f.village) villagesRight++;
    }
    const accuracy = (phrasings.length - misses.length) / phrasings.length;
    console.log(
      `地址解析准确率：${(accuracy * 100).toFixed(1)}%（${phrasings.length - misses.length}/${phrasings.length}），` +
        `社区/村：${villagesRight}/${withVillage.length}` +
        (misses.length ? `\n未命中：\n  ${misses.join('\n  ')}` : ''),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
