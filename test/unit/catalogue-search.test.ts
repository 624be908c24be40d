/**
 * Catalogue search: the bundled tree, the pinyin terms built at import, the instant index
 * (shared/search/catalogue-index.ts) and content suggestions (shared/search/suggest.ts), over the
 * real catalogue.csv. Recall is measured over test/fixtures/caller-phrasings.tsv against fuse.js
 * with its default options on the same leaves. Speed is measured by bench/catalogue-search.bench.ts,
 * not here: timed assertions fail on a busy machine, not on slow code.
 */
import { parse } from 'csv-parse/sync';
import Fuse from 'fuse.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSearchEntries, parseCatalogueCsv, searchTerm } from '../../electron/services/catalogue/search-terms';
import { levelOfCode, type CatalogueNode, type CatalogueSearchEntry } from '../../shared/domain/catalogue';
import { createCatalogueIndex, MATCH_TIERS, type CatalogueHit, type CatalogueIndex } from '../../shared/search/catalogue-index';
import { suggestFromContent } from '../../shared/search/suggest';
import { fuseBaseline } from '../support/catalogue-baseline';
import { ROOT } from '../support/host-process';
import { callerPhrasings, catalogueCsv } from '../support/reference-files';

const csv = catalogueCsv();
const phrasings = callerPhrasings();

let nodes: CatalogueNode[];
let entries: CatalogueSearchEntry[];
let index: CatalogueIndex;

beforeAll(() => {
  nodes = parseCatalogueCsv(csv);
  // As the renderer gets them: stored as JSON at import, parsed on the way out.
  entries = JSON.parse(JSON.stringify(buildSearchEntries(nodes))) as CatalogueSearchEntry[];
  index = createCatalogueIndex(entries);
}, 30_000);

afterEach(() => {
  vi.restoreAllMocks();
});

const codes = (hits: CatalogueHit[]) => hits.map((h) => h.code);
const hitFor = (hits: CatalogueHit[], code: string) => hits.find((h) => h.code === code);
const tierRank = (h: CatalogueHit) => MATCH_TIERS.indexOf(h.tier);

describe('the catalogue tree in resources/catalogue/catalogue.csv', () => {
  it('is well-formed: three levels, unique codes, every node under its parent, no empty or repeated sibling names, every leaf with 3+ keywords and an owner', () => {
    const rows = parse(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
    const unitCodes = new Set(
      (parse(readFileSync(join(ROOT, 'resources', 'units', 'departments.csv')), { columns: true, bom: true }) as Array<{ code: string }>).map((u) => u.code),
    );
    const byCode = new Map<string, Record<string, string>>();
    const problems: string[] = [];
    const siblingNames = new Map<string, Set<string>>();
    rows.forEach((row, i) => {
      const where = `line ${i + 2} (${row.code})`;
      const level = Number(row.level);
      if (byCode.has(row.code!)) problems.push(`${where}: duplicate code`);
      byCode.set(row.code!, row);
      if (levelOfCode(row.code!) !== level) problems.push(`${where}: code does not fit level ${row.level}`);
      if (!row.name?.trim()) problems.push(`${where}: empty name`);
      const parent = row.parent_code ?? '';
      if (level === 1 && parent) problems.push(`${where}: 一级 with a parent`);
      if (level > 1) {
        const up = byCode.get(parent); // parents come before their children in the file
        if (!up) problems.push(`${where}: parent ${parent} missing or after it`);
        else if (Number(up.level) !== level - 1 || !row.code!.startsWith(parent)) problems.push(`${where}: wrong parent ${parent}`);
      }
      const siblings = siblingNames.get(parent) ?? new Set<string>();
      if (siblings.has(row.name!)) problems.push(`${where}: sibling name repeated: ${row.name}`);
      siblings.add(row.name!);
      siblingNames.set(parent, siblings);
      if (level === 3) {
        const keywords = row.keywords!.split('|').filter(Boolean);
        if (keywords.length < 3) problems.push(`${where}: ${keywords.length} keywords`);
        if (row.owner !== '属地' && !unitCodes.has(row.owner!)) problems.push(`${where}: owner "${row.owner}" is neither 属地 nor a unit`);
      }
    });
    expect(problems).toEqual([]);
    const count = (level: number) => rows.filter((r) => Number(r.level) === level).length;
    // The catalogue's published figures (48 / 490 / 2,509), as the data holds them (nothing in code assumes them).
    expect([count(1), count(2), count(3)]).toEqual([48, 490, 2509]);
    // Every 二级 has leaves: no dead ends a call-taker could pick.
    const withChildren = new Set(rows.map((r) => r.parent_code));
    expect(rows.filter((r) => Number(r.level) < 3 && !withChildren.has(r.code)).map((r) => r.code)).toEqual([]);
  });
});

describe('search terms built at import (electron/services/catalogue/search-terms.ts)', () => {
  it('gives every leaf its path and terms for its name, both ancestors, keywords and synonyms', () => {
    expect(entries).toHaveLength(nodes.filter((n) => n.level === 3).length);
    const leaf = entries.find((e) => e.code === '1601001')!;
    expect(leaf.path).toEqual(['供热', '室温不达标', '暖气不热']);
    expect(leaf.terms[0]).toEqual({ kind: 'name', text: '暖气不热', pinyin: 'nuanqibure', initials: 'nqbr' });
    expect(leaf.terms.filter((t) => t.kind === 'path').map((t) => t.text)).toEqual(['室温不达标', '供热']);
    expect(leaf.terms.filter((t) => t.kind === 'keyword').map((t) => t.text)).toEqual(['供暖', '室温', '暖气温度', '报修']);
    expect(leaf.terms.filter((t) => t.kind === 'synonym').map((t) => t.text)).toEqual(['家里冷', '暖气片冰凉', '暖气就温乎']);
  });

  it('reads characters in context, writes ü as v and keeps letters and digits', () => {
    expect(searchTerm('keyword', '银行').pinyin).toBe('yinhang');
    expect(searchTerm('keyword', '行政复议')).toMatchObject({ pinyin: 'xingzhengfuyi', initials: 'xzfy' });
    expect(searchTerm('keyword', '绿化带')).toMatchObject({ pinyin: 'lvhuadai', initials: 'lhd' });
    expect(searchTerm('keyword', 'PM2.5')).toMatchObject({ pinyin: 'pm2.5', initials: 'pm2.5' });
  });

  it('reads owners and coordination for tests and benches', () => {
    const leaf = nodes.find((n) => n.code === '0102001')!;
    expect(leaf).toMatchObject({ level: 3, parentCode: '0102', owner: { kind: 'unit', unitCode: 'D01' }, coordination: false, urgency: '一般' });
    expect(nodes.find((n) => n.code === '0102004')).toMatchObject({ owner: { kind: 'local' }, coordination: true, requestTypes: ['投诉'] });
  });
});

describe('createCatalogueIndex', () => {
  it('indexes every leaf', () => {
    expect(index.size).toBe(2509);
  });

  it('ranks exact before prefix, and the leaf’s own name before another leaf’s keyword', () => {
    // 电费 is the 二级 over 1405xxx and a keyword of 1408004; two synonyms elsewhere start with it.
    const hits = index.search('电费', 10);
    expect(hits.slice(0, 6).map((h) => [h.tier, h.matched.text])).toEqual(Array(6).fill(['exact', '电费']));
    expect(hits[5]).toMatchObject({ code: '1408004', matched: { kind: 'keyword' } }); // after the ancestors' leaves
    expect(hits.slice(6, 8).map((h) => [h.code, h.tier, h.matched.text])).toEqual([
      ['0213001', 'prefix', '电费比国家价高'],
      ['1406003', 'prefix', '电费户名改成我'],
    ]);
    // 缺斤短两 is the name of 0609001 and a keyword of 采摘园消费纠纷 (1211002).
    const weights = index.search('缺斤短两', 5);
    expect(codes(weights).slice(0, 2)).toEqual(['0609001', '1211002']);
    expect(weights[0]!.matched).toEqual({ kind: 'name', text: '缺斤短两', ranges: [[0, 4]] });
    expect(weights[1]!.matched.kind).toBe('keyword');
  });

  it('returns tiers in order for every query of the fixture', () => {
    for (const { query } of phrasings) {
      const tiers = index.search(query, 10).map(tierRank);
      expect(tiers, query).toEqual([...tiers].sort((a, b) => a - b));
    }
  });

  it('finds full pinyin, pinyin being typed, initials and a mix of both', () => {
    expect(index.search('nuanqibure', 5)[0]).toMatchObject({ code: '1601001', tier: 'exact', matched: { kind: 'name', text: '暖气不热', ranges: [[0, 4]] } });
    const typing = index.search('nuanq', 10);
    expect(typing.every((h) => h.tier === 'prefix' && h.matched.text.startsWith('暖气'))).toBe(true);
    expect(typing[0]!.matched.ranges).toEqual([[0, 2]]); // "nuanq" has reached the second character
    expect(index.search('nqbr', 5)[0]).toMatchObject({ code: '1601001', tier: 'initials', matched: { text: '暖气不热', ranges: [[0, 4]] } });
    expect(index.search('nuanqbr', 5)[0]).toMatchObject({ code: '1601001', tier: 'initials' });
    expect(index.search('xzfy', 5)[0]).toMatchObject({ code: '4809003', tier: 'initials', matched: { text: '行政复议申请', ranges: [[0, 4]] } });
  });

  it('finds pinyin mixed with characters, with or without a space, and words in any order', () => {
    for (const query of ['shigong 扰民', 'shigong扰民', '施工 raomin', '施工raomin']) {
      const hits = index.search(query, 10);
      expect(hits[0]?.matched.text, query).toMatch(/施工扰民$/);
      expect(codes(hits), query).toContain('0801001'); // 施工管理 › 施工噪声 › 夜间施工扰民
    }
    for (const query of ['医保 bx', '医保bx', 'yibao 报销']) {
      const first = index.search(query, 5)[0];
      expect(first, query).toMatchObject({ matched: { text: '医保报销', ranges: [[0, 4]] } });
      expect(first!.code.slice(0, 4), query).toBe('2902');
    }
    expect(index.search('ting电', 5)[0]).toMatchObject({ tier: 'exact', matched: { text: '停电', ranges: [[0, 2]] } });
    expect(index.search('shuibiao 冻裂', 5)[0]).toMatchObject({ code: '1305003', matched: { text: '水表冻裂' } });
    // Two words no term holds in this order: each in a term of the leaf (停水停电 holds both).
    for (const query of ['停电 tingshui', '停电tingshui', 'tingdian tingshui']) {
      const hits = index.search(query, 10);
      expect(codes(hits), query).toEqual(expect.arrayContaining(['0810002', '0202004']));
      expect(hitFor(hits, '0810002')!.matched).toEqual({ kind: 'name', text: '施工致停水停电', ranges: [[3, 5], [5, 7]] });
    }
    // Digits spelled as themselves, with initials after them.
    expect(index.search('22dhsg', 5)[0]).toMatchObject({ code: '0801001', matched: { text: '22点后施工' } });
  });

  it('finds every leaf by the initials of its name, and a phrase of four or more characters inside a term', () => {
    const missed: string[] = [];
    for (const entry of entries) {
      const name = entry.terms[0]!;
      if ([...name.text].length < 4) continue;
      if (!codes(index.search(name.initials, 10)).includes(entry.code)) missed.push(`${name.initials} ${name.text}`);
    }
    expect(missed).toEqual([]);
    // 公积金贷款 is a leaf of its own (住房公积金); the phrase inside 二孩家庭公积金贷款额度 still comes up after it.
    const gjjdk = index.search('gjjdk', 5);
    expect(gjjdk[0]).toMatchObject({ code: '2111004', tier: 'initials' });
    expect(hitFor(gjjdk, '2209004')).toMatchObject({ tier: 'substring', matched: { text: '二孩家庭公积金贷款额度', ranges: [[4, 9]] } });
  });

  it('highlights the characters that matched, inside the term shown', () => {
    const inside = hitFor(index.search('bure', 10), '1601001')!;
    expect(inside).toMatchObject({ tier: 'substring', matched: { text: '暖气不热', ranges: [[2, 4]] } });
    const keyword = index.search('双过半', 5)[0]!;
    expect(keyword).toMatchObject({ code: '0204005', matched: { kind: 'keyword', text: '双过半', ranges: [[0, 3]] } });
    const synonym = hitFor(index.search('一滴没有', 10), '1301001')!;
    expect(synonym.matched).toEqual({ kind: 'synonym', text: '水龙头拧开一滴没有', ranges: [[5, 9]] });
    // An ancestor's name: the renderer highlights it inside the path.
    const ancestor = index.search('供热', 5)[0]!;
    expect(ancestor).toMatchObject({ tier: 'exact', matched: { kind: 'path', text: '供热', ranges: [[0, 2]] } });
    expect(ancestor.path).toContain(ancestor.matched.text);
    for (const { query } of phrasings) {
      for (const hit of index.search(query, 10)) {
        for (const [start, end] of hit.matched.ranges) {
          expect(start, query).toBeGreaterThanOrEqual(0);
          expect(end, query).toBeGreaterThan(start);
          expect(end, query).toBeLessThanOrEqual([...hit.matched.text].length);
        }
      }
    }
  });

  it('finds a leaf through a typo: a wrong character with the right sound, a dropped one, a slip in pinyin', () => {
    const homophone = hitFor(index.search('暖器不热', 5), '1601001');
    expect(homophone).toMatchObject({ tier: 'fuzzy', matched: { text: '暖气不热' } });
    expect(codes(index.search('拉圾桶满溢', 5))).toContain('0302002');
    expect(codes(index.search('偷工减聊', 5))[0]).toBe('0805002');
    expect(codes(index.search('jingjingzheng', 5))[0]).toBe('0414002');
    expect(codes(index.search('nuanqibuer', 5))[0]).toBe('1601001');
    const slip = index.search('nuangqi', 5);
    expect(slip.length).toBeGreaterThan(0);
    expect(slip.every((h) => h.tier === 'fuzzy' && h.matched.text.includes('暖'))).toBe(true);
  });

  it('finds a leaf from what a caller literally says', () => {
    expect(codes(index.search('楼上天天半夜跺脚', 5))[0]).toBe('3501001');
    expect(codes(index.search('楼上邻居半夜老是跺脚', 5))[0]).toBe('3501001');
    expect(codes(index.search('小区门口黑车拉活', 5))[0]).toBe('2404001');
    expect(codes(index.search('灶上火苗特别小热水器打不着', 5))[0]).toBe('1502003'); // two synonyms of one leaf
  });

  it('uses fuse.js only as the fallback: never for one character, never when the fast tiers fill the list', () => {
    const fuseSearch = vi.spyOn(Fuse.prototype, 'search');
    const one = index.search('鸽', 10);
    expect(one.length).toBeGreaterThan(0);
    expect(one.length).toBeLessThan(10); // fewer than asked for, and still no fuzzy tier
    expect(index.search('z', 10)).toHaveLength(10);
    expect(index.search('暖气', 10)).toHaveLength(10);
    expect(fuseSearch).not.toHaveBeenCalled();
    expect(one.every((h) => h.tier !== 'fuzzy')).toBe(true);
    index.search('偷工减聊', 10);
    expect(fuseSearch).toHaveBeenCalled();
  });

  it('returns nothing for an empty query and respects the limit', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('，')).toEqual([]);
    expect(index.search('s', 3)).toHaveLength(3);
    expect(index.search('s', 0)).toEqual([]);
    expect(index.search('s').length).toBe(10);
  });

  it('lists each leaf once, with full paths', () => {
    for (const query of ['s', 'sh', '水', '供热', '暖气', 'nq', ...phrasings.map((p) => p.query)]) {
      const hits = index.search(query, 20);
      expect(new Set(codes(hits)).size, query).toBe(hits.length);
      for (const hit of hits) expect(hit.path, query).toHaveLength(3);
    }
  });

  it('answers the same way for the same query, however it was reached', () => {
    // The spellers reuse the previous keystroke's matches while typing; a pasted query must agree.
    const typed = (query: string) => {
      let hits: CatalogueHit[] = [];
      for (let i = 1; i <= query.length; i++) hits = index.search(query.slice(0, i), 10);
      return hits;
    };
    for (const query of ['nuanqibure', 'shuibiaodonglie', 'bure', 'gjyjqg', 'jiashizhengyishi', 'shigong扰民', 'ting电']) {
      const viaTyping = typed(query);
      index.search('重置', 10);
      expect(index.search(query, 10), query).toEqual(viaTyping);
    }
  });
});

describe('recall over test/fixtures/caller-phrasings.tsv', () => {
  it(
    'finds the expected leaf in the top 5 at least as often as fuse.js with default options, and for at least 80% of phrasings',
    () => {
      const kinds = [...new Set(phrasings.map((p) => p.kind))];
      expect(phrasings.length).toBeGreaterThanOrEqual(200);
      expect(new Set(phrasings.map((p) => p.expected_code.slice(0, 2))).size).toBeGreaterThanOrEqual(40);
      const leafCodes = new Set(entries.map((e) => e.code));
      expect(phrasings.filter((p) => !leafCodes.has(p.expected_code))).toEqual([]);

      // The baseline: fuse.js as one would first write it, over the same leaves and words.
      const fuse = fuseBaseline(entries);

      const tally = new Map<string, { n: number; ours1: number; ours5: number; fuse1: number; fuse5: number }>();
      for (const p of phrasings) {
        const ours = codes(index.search(p.query, 5));
        const theirs = fuse.search(p.query, { limit: 5 }).map((r) => r.item.code);
        for (const key of ['all', p.kind]) {
          const t = tally.get(key) ?? { n: 0, ours1: 0, ours5: 0, fuse1: 0, fuse5: 0 };
          t.n++;
          if (ours[0] === p.expected_code) t.ours1++;
          if (ours.includes(p.expected_code)) t.ours5++;
          if (theirs[0] === p.expected_code) t.fuse1++;
          if (theirs.includes(p.expected_code)) t.fuse5++;
          tally.set(key, t);
        }
      }
      const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(1)}%`;
      console.log(
        ['kind        n    ours@1  ours@5  fuse@1  fuse@5']
          .concat(
            ['all', ...kinds].map((k) => {
              const t = tally.get(k)!;
              return `${k.padEnd(10)} ${String(t.n).padStart(3)}  ${pct(t.ours1, t.n).padStart(7)} ${pct(t.ours5, t.n).padStart(7)} ${pct(t.fuse1, t.n).padStart(7)} ${pct(t.fuse5, t.n).padStart(7)}`;
            }),
          )
          .join('\n'),
      );
      const all = tally.get('all')!;
      expect(all.ours5).toBeGreaterThanOrEqual(all.fuse5);
      expect(all.ours5 / all.n).toBeGreaterThanOrEqual(0.8);
      expect(all.ours1).toBeGreaterThanOrEqual(all.fuse1);
    },
    120_000,
  );
});

describe('suggestFromContent', () => {
  it('suggests the leaf a caller describes, with the terms that matched', () => {
    const heating = suggestFromContent(index, '家里暖气片一点都不热，打电话给物业也没人管');
    expect(heating[0]!.code).toBe('1601001');
    expect(heating[0]!.terms.map((t) => t.text)).toContain('暖气不热');
    expect(heating.every((s) => s.code.startsWith('16'))).toBe(true); // all 供热

    const water = suggestFromContent(index, '来电人称家中突然停水，整个单元都没水，水龙头拧开一滴没有，不知道什么时候来水');
    expect(water[0]!.code).toBe('1301001');
    expect(water[0]!.terms).toContainEqual({ kind: 'synonym', text: '整个单元都没水', share: 1, count: 1 });
    expect(codes(water as unknown as CatalogueHit[])).toContain('1301003'); // and the question of when it comes back

    expect(suggestFromContent(index, '厨房里有一股臭鸡蛋味，怀疑燃气泄漏，请尽快派人')[0]!.code).toBe('1501001');
    expect(suggestFromContent(index, '公司已经两个月没发工资了，老板说没钱先欠着，要求帮助讨薪')[0]!.code).toBe('1701002');
    expect(suggestFromContent(index, '来电人反映楼上邻居每天半夜跺脚、拉椅子，严重影响休息')[0]!.code).toBe('3501001');
    expect(suggestFromContent(entries, '楼下饭馆油烟直接往外排，熏得家里不能开窗')[0]!.code).toBe('0702001'); // entries work too
  });

  it('weighs longer terms more and synonyms as much as keywords', () => {
    const leaf = (code: string, keywords: string[], synonyms: string[]): CatalogueSearchEntry => ({
      code,
      path: ['一级', '二级', code],
      terms: [...keywords.map((text) => searchTerm('keyword', text)), ...synonyms.map((text) => searchTerm('synonym', text))],
    });
    const tiny = [leaf('A', ['水管爆了'], []), leaf('B', [], ['水管爆了']), leaf('C', ['水管'], [])];
    const [a, b, c] = ['A', 'B', 'C'].map((code) => suggestFromContent(tiny, '楼道里水管爆了', 3).find((s) => s.code === code)!);
    expect(a!.score).toBe(b!.score);
    expect(c!.score).toBeLessThan(a!.score);
  });

  it('returns nothing without content or matches, and respects the limit', () => {
    expect(suggestFromContent(index, '')).toEqual([]);
    expect(suggestFromContent(index, '嗯')).toEqual([]);
    expect(suggestFromContent(index, '家里暖气片一点都不热', 1)).toHaveLength(1);
    expect(suggestFromContent(index, '家里暖气片一点都不热', 0)).toEqual([]);
  });

  it('puts the expected leaf in the top 3 for most caller phrasings written into a ticket', () => {
    const frames = ['来电人反映：{}，要求相关部门尽快处理。', '市民来电称{}，已经好几天了，希望给个说法。', '{}，来电人很着急，请核实后回复。'];
    const colloquial = phrasings.filter((p) => p.kind === 'colloquial');
    let top1 = 0;
    let top3 = 0;
    colloquial.forEach((p, i) => {
      const suggested = suggestFromContent(index, frames[i % frames.length]!.replace('{}', p.query)).map((s) => s.code);
      if (suggested[0] === p.expected_code) top1++;
      if (suggested.includes(p.expected_code)) top3++;
    });
    console.log(`suggestFromContent over ${colloquial.length} colloquial phrasings in a ticket: top-1 ${((100 * top1) / colloquial.length).toFixed(1)}%, top-3 ${((100 * top3) / colloquial.length).toFixed(1)}%`);
    expect(top3 / colloquial.length).toBeGreaterThanOrEqual(0.8);
  });
});
