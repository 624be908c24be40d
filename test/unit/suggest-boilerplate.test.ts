/**
 * The content suggester (shared/search/suggest.ts) on what call-takers and web channels really
 * write: the write-up's framing and generic words (shared/search/boilerplate.ts) are no evidence,
 * and a long message is read whole. The cases are ones where the suggester, counting the framing,
 * put leaves about the hotline itself (热线服务), company registration (公司设立登记), arbitration
 * (劳动仲裁立案) or 收养登记 in its top 3 — ahead of, or instead of, the caller's matter. Speed is
 * measured by bench/catalogue-search.bench.ts, not here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSearchEntries, parseCatalogueCsv } from '../../electron/services/catalogue/search-terms';
import type { CatalogueSearchEntry } from '../../shared/domain/catalogue';
import { BOILERPLATE } from '../../shared/search/boilerplate';
import { suggestFromContent } from '../../shared/search/suggest';
import { callerPhrasings, catalogueCsv } from '../support/reference-files';

let entries: CatalogueSearchEntry[];
beforeAll(() => {
  entries = buildSearchEntries(parseCatalogueCsv(catalogueCsv()));
}, 30_000);

const top3 = (text: string) => suggestFromContent(entries, text, 3);

/** [ticket content, the 一级 code that must come first, leaves the framing used to pull into the top 3] */
const CASES: Array<[string, string, string[]]> = [
  ['来电人咨询，办理居住证需要什么材料，怎么办理？', '34', ['0613002', '1704001', '2005005']],
  ['来电人表示，家里停电了，希望有关部门尽快处理。', '14', ['2506005', '0603005', '3606003', '4308004']],
  ['市民反映，楼下饭馆油烟很大，请相关部门核实处理。', '07', ['4308003', '2506005', '0908002']],
  ['来电人咨询孩子上学的问题，想了解入学需要准备哪些材料，怎么办。', '10', ['2006002', '4304004']],
  ['来电人咨询退休后养老金怎么领取，需要办理什么手续。', '17', ['3011004', '2811005', '4705004']],
  ['来电人咨询，新生儿怎么办理医保，需要哪些材料。', '29', ['2006002', '4304004']],
  ['来电人表示，楼上邻居装修噪音太大，中午也不停，请相关部门协调解决。', '02', ['4805001']],
  ['市民来电咨询，个人所得税专项附加扣除怎么办理，需要什么材料。', '41', ['0613002', '1704001']],
  ['来电人咨询，结婚登记需要带哪些材料，在哪里办理。', '20', ['1704001']],
  ['来电人咨询，驾驶证到期了怎么换证，需要什么材料。', '04', ['0613002']],
  ['来电人咨询，公租房怎么申请，需要什么条件和材料。', '21', ['0613002']],
  ['来电人咨询医保报销的问题，相关情况不清楚，希望有关部门给予答复。', '29', ['4802001', '4007001', '0908004']],
  ['诉求人反映，小区电梯经常坏，困过人，物业不管，要求尽快处理。', '', ['4308003', '0908003']],
];

describe('the write-up’s framing and generic words are no evidence', () => {
  it.each(CASES)('%s', (text, area, pulledIn) => {
    const suggested = top3(text);
    if (area) expect(suggested[0]?.code.slice(0, 2), JSON.stringify(suggested.map((s) => s.path))).toBe(area);
    expect(suggested.map((s) => s.code).filter((code) => pulledIn.includes(code))).toEqual([]);
    // and no term of a suggestion is made of framing alone
    for (const s of suggested) for (const t of s.terms) expect(BOILERPLATE).not.toContain(t.text);
  });

  it('suggests nothing for a write-up that is only framing and generic words', () => {
    expect(top3('来电人咨询，需要什么材料，怎么办理，希望有关部门尽快处理。')).toEqual([]);
    expect(top3('市民来电反映相关问题，诉求人表示情况属实，要求尽快处理，请相关部门核实后回复。')).toEqual([]);
  });

  it('suggests the same for a caller’s words with or without the framing around them', () => {
    const frames = ['来电人反映：{}，要求相关部门尽快处理。', '市民来电咨询，{}，需要什么材料，怎么办理，希望有关部门给予答复。', '诉求人称{}，请相关部门核实处理。'];
    const colloquial = callerPhrasings().filter((p) => p.kind === 'colloquial');
    colloquial.forEach((p, i) => {
      const framed = suggestFromContent(entries, frames[i % frames.length]!.replace('{}', p.query), 3);
      expect(framed, p.query).toEqual(suggestFromContent(entries, p.query, 3));
    });
  });

  it('still reads a generic word inside a telling term (入学材料) and a point inside PM2.5', () => {
    const school = top3('孩子明年上小学，入学材料都要准备什么');
    expect(school[0]!.code.slice(0, 4)).toBe('1002');
    expect(school.flatMap((s) => s.terms.map((t) => t.text))).toContain('入学材料');
    expect(top3('今天PM2.5爆表了，空气太差')[0]!.code).toBe('0713001');
  });
});

describe('a long message (web channels send 4,000 characters) is read whole', () => {
  const filler = '我们这个小区是九十年代的老房子，住的大多是老人，平时大家关系都挺好的。';
  const long = (body: string, at: 'start' | 'end') => {
    let padding = '';
    while (padding.length < 3_900) padding += filler;
    return at === 'start' ? `${body}${padding}` : `${padding}${body}`;
  };

  it('finds the matter wherever it is said, at the start or after 3,900 characters', () => {
    const body = '楼下饭馆油烟直接往外排，熏得家里不能开窗。';
    expect(long(body, 'start').length).toBeGreaterThan(3_900);
    expect(top3(long(body, 'start'))[0]!.code).toBe('0702001');
    expect(top3(long(body, 'end'))[0]!.code).toBe('0702001');
  });

  it('reads a message without any punctuation as well', () => {
    const body = '厨房里有一股臭鸡蛋味怀疑燃气泄漏请尽快派人';
    const text = long(body, 'end').replace(/[，。]/g, '');
    expect(top3(text)[0]!.code).toBe('1501001');
  });

  it('counts a term said again as emphasis, not as new evidence', () => {
    const once = '楼上邻居每天半夜跺脚，严重影响休息';
    const [a] = top3(once);
    const [b] = top3(Array(20).fill(once).join('。'));
    expect(b!.code).toBe(a!.code);
    expect(b!.score).toBeLessThanOrEqual(a!.score * 1.5);
  });
});
