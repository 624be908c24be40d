/**
 * Landmarks in addresses: the gazetteer resources/places/landmarks.tsv (shared/address/landmarks.ts),
 * the address resolver reading "西单附近", "国贸那边", "鸟巢旁边的小区" with it, and the desk handing
 * it to the renderer with the places. Phrasings: test/fixtures/landmark-phrasings.tsv.
 */
import { describe, expect, it } from 'vitest';
import { LANDMARK_KINDS, parseLandmarks } from '../../shared/address/landmarks';
import { confidenceLabel, createAddressResolver, needsStreet, readingNote, type AddressMatch } from '../../shared/address/resolve';
import { loadLandmarks } from '../../electron/services/reference/landmarks-file';
import { openReadyDesk } from '../support/desk';
import { landmarkPhrasings, landmarks as readLandmarks, landmarksTsv, parsePlaces, placesCsv } from '../support/reference-files';

const places = parsePlaces(placesCsv());
const landmarks = readLandmarks();
const phrasings = landmarkPhrasings();
const resolver = createAddressResolver(places, landmarks);
const withoutLandmarks = createAddressResolver(places);

const districtByName = new Map(places.filter((p) => p.level === 'district').map((p) => [p.name, p]));
const streetIn = (district: string, street: string) =>
  places.find((p) => p.level === 'street' && p.name === street && p.parentCode === districtByName.get(district)?.code);
/** "区/街道/社区村" with official names, for readable failures. */
const path = (m: AddressMatch | null) => (m ? [m.district.name, m.street?.name ?? '', m.village?.name ?? ''].join('/') : null);

describe('landmarks.tsv', () => {
  it('parses without a problem: 250–350 landmarks of the seven kinds across all 16 districts', () => {
    expect(parseLandmarks(landmarksTsv()).problems).toEqual([]);
    expect(landmarks.length).toBeGreaterThanOrEqual(250);
    expect(landmarks.length).toBeLessThanOrEqual(350);
    expect(new Set(landmarks.map((l) => l.district)).size).toBe(16);
    expect(new Set(landmarks.map((l) => l.kind))).toEqual(new Set(LANDMARK_KINDS));
  });

  it('names only districts and streets that exist in beijing-places.csv', () => {
    for (const l of landmarks) {
      expect(districtByName.has(l.district), `${l.name}：${l.district}`).toBe(true);
      if (l.street) expect(streetIn(l.district, l.street), `${l.name}：${l.district} ${l.street}`).toBeDefined();
    }
  });

  it('holds the places callers name most, each resolving alone to the place it is mapped to', () => {
    const names = new Set(landmarks.flatMap((l) => [l.name, ...l.aliases]));
    for (const n of ['西单', '国贸', '中关村', '鸟巢', '西直门', '南锣鼓巷', '王府井', '北京南站', '首都机场', '协和医院', '北大', '清华', '朝阳公园', '颐和园', '天通苑']) {
      expect(names.has(n), n).toBe(true);
    }
    for (const l of landmarks) {
      for (const said of [l.name, ...l.aliases]) {
        const best = resolver.resolve(said).best;
        expect([best?.district.name, best?.street?.name ?? null], said).toEqual([l.district, l.street]);
      }
    }
  });

  it('rejects a line with an unknown kind or a name already used, and keeps the others', () => {
    const parsed = parseLandmarks('name\taliases\tdistrict\tstreet\tkind\tnote\n西单\t\t西城区\t西长安街街道\t商圈\t\n西单\t\t西城区\t\t商圈\t\n某地\t\t东城区\t\t饭馆\t\n');
    expect(parsed.landmarks.map((l) => l.name)).toEqual(['西单']);
    expect(parsed.problems).toEqual([expect.stringContaining('第 3 行'), expect.stringContaining('第 4 行')]);
    expect(parseLandmarks('名称\t别名\n').problems).toEqual([expect.stringContaining('表头')]);
  });
});

describe('landmark phrasings fixture', () => {
  it('has at least 120 phrasings across all 16 districts, naming places that exist', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(120);
    expect(new Set(phrasings.map((f) => f.district)).size).toBe(16);
    for (const f of phrasings) {
      expect(districtByName.has(f.district), f.phrase).toBe(true);
      if (f.street) expect(streetIn(f.district, f.street), f.phrase).toBeDefined();
    }
  });

  it('resolves at least 95 % of them to the right district and street (or district only where it is)', () => {
    const misses = phrasings.filter((f) => {
      const best = resolver.resolve(f.phrase).best;
      return best?.district.name !== f.district || (best.street?.name ?? '') !== f.street;
    });
    const accuracy = (phrasings.length - misses.length) / phrasings.length;
    expect(accuracy, misses.map((f) => `${f.phrase} → ${path(resolver.resolve(f.phrase).best)}`).join('\n')).toBeGreaterThanOrEqual(0.95);
    // Without the gazetteer most of them are not resolved at all: the landmarks do the work.
    const before = phrasings.filter((f) => withoutLandmarks.resolve(f.phrase).best?.district.name === f.district).length;
    expect(before / phrasings.length).toBeLessThan(0.5);
  });
});

describe('addresses that name a landmark', () => {
  it('reads 西单 alone as 西城区 西长安街街道, sure enough to dispatch to the street', () => {
    expect(withoutLandmarks.resolve('西单').best).toBeNull();
    const best = resolver.resolve('西单').best!;
    expect(path(best)).toBe('西城区/西长安街街道/');
    expect(best.landmark).toMatchObject({ name: '西单', kind: '商圈', said: '西单' });
    expect(best.confidence).toBeGreaterThanOrEqual(0.8);
    expect(needsStreet(best)).toBe(false);
    expect(readingNote(best)).toBe(`地标 西单 · 把握 ${Math.round(best.confidence * 100)}%`);
  });

  it('takes the street from the landmark when the caller gives only the district beside it', () => {
    // The call of issue 19: "西城区, 西单附近" read as 西城区 alone, shown at 97 %.
    const best = resolver.resolve('西城区，西单附近').best!;
    expect(path(best)).toBe('西城区/西长安街街道/');
    expect(best.rest).toBe('附近');
    // Sure enough to dispatch, but "附近" may be across the street's boundary: never shown as 100 %.
    expect(best.confidence).toBeGreaterThanOrEqual(0.8);
    expect(best.confidence).toBeLessThanOrEqual(0.9);
    expect(resolver.resolve('朝阳区建外街道国贸').best!.confidence).toBeGreaterThan(0.95); // the street said by name
    expect(path(resolver.resolve('国贸那边').best)).toBe('朝阳区/建外街道/');
    expect(resolver.resolve('301医院').best?.landmark?.name).toBe('解放军总医院');
  });

  it('keeps a landmark that spans streets at its district, below 0.5, and asks for the street', () => {
    for (const text of ['鸟巢旁边的小区', '天通苑', '北京南站']) {
      const best = resolver.resolve(text).best!;
      expect(best.street, text).toBeNull();
      expect(best.confidence, text).toBeLessThan(0.5);
      expect(needsStreet(best), text).toBe(true);
      expect(confidenceLabel(best), text).toBe('仅到区');
    }
    expect(resolver.resolve('鸟巢旁边的小区').best).toMatchObject({ district: { name: '朝阳区' }, landmark: { name: '鸟巢', kind: '景点' } });
    expect(readingNote(resolver.resolve('鸟巢').best!)).toBe('地标 鸟巢 · 仅到区');
  });

  it('never shows a district said alone as a precise reading, yet still offers it', () => {
    for (const text of ['西城区', '朝阳区', '平谷', '密云县']) {
      const best = resolver.resolve(text).best;
      expect(best?.street, text).toBeNull();
      expect(best!.confidence, text).toBeLessThan(0.5);
      expect(confidenceLabel(best!)).toBe('仅到区');
    }
    expect(needsStreet(null)).toBe(false);
    expect(needsStreet(resolver.resolve('朝阳区望京街道').best)).toBe(false);
  });

  it('prefers the longer name: 地坛医院 is not at 地坛, 天坛医院 moved to 丰台', () => {
    expect(path(resolver.resolve('地坛公园').best)).toBe('东城区/和平里街道/');
    expect(path(resolver.resolve('地坛医院').best)).toBe('朝阳区//');
    expect(path(resolver.resolve('天坛医院').best)).toBe('丰台区//');
    expect(path(resolver.resolve('北京大学第三医院').best)).toBe('海淀区/花园路街道/');
    // 公主坟 is a 海淀 landmark before it is a village in 房山.
    expect(resolver.resolve('公主坟').best?.district.name).toBe('海淀区');
  });

  it('names the village a landmark spells, as the places alone did', () => {
    expect(path(resolver.resolve('宛平城').best)).toBe('丰台区/宛平街道/宛平城社区');
    expect(path(resolver.resolve('慕田峪长城下面').best)).toBe('怀柔区/渤海镇/慕田峪村委会');
  });

  it('does not see a landmark in words that only begin or end with its name', () => {
    expect(resolver.resolve('东四北大街').best?.district.name).not.toBe('海淀区');
    expect(resolver.resolve('5号楼西单元').best).toBeNull();
    expect(resolver.resolve('海淀区西四环').best?.district.name).toBe('海淀区');
    expect(resolver.resolve('中国贸易').best).toBeNull();
    expect(resolver.resolve('东北大学').best).toBeNull();
  });
});

describe('the desk hands the gazetteer to the renderer', () => {
  it('answers places.list with the landmarks, and the resolver built from the answer reads 西单', async () => {
    const { desk, api } = await openReadyDesk();
    try {
      const list = await api.call('places.list', {});
      expect(list.ok).toBe(true);
      if (!list.ok) return;
      expect(list.value.landmarks).toHaveLength(landmarks.length);
      const built = createAddressResolver(list.value.places, list.value.landmarks);
      expect(path(built.resolve('西单附近').best)).toBe('西城区/西长安街街道/');
    } finally {
      desk.dispose();
    }
  });

  it('opens without landmarks when the file is missing, saying which file', () => {
    const loaded = loadLandmarks('/nonexistent-resources');
    expect(loaded.landmarks).toEqual([]);
    expect(loaded.problems).toEqual([expect.stringContaining('landmarks.tsv')]);
  });
});
