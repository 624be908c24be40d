/**
 * Bundled reference data, its import rules and knowledge-base search, on a real SQLite file.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDesk } from '../support/desk';
import { ROOT } from '../support/host-process';

const desk = openTestDesk();
const ref = desk.reference;
const today = '2026-11-24';

beforeAll(async () => {
  const status = await desk.ready;
  if (status.state !== 'ready') throw new Error(status.message);
}, 120_000);
afterAll(() => desk.dispose());

function csvRows(path: string): Array<Record<string, string>> {
  return parse(readFileSync(join(ROOT, 'resources', path)), { columns: true, bom: true });
}

const csv = (lines: string[]) => new TextEncoder().encode(lines.join('\n'));
const HEADER = 'code,level,name,parent_code,keywords,synonyms,request_types,urgency,owner,coordination';

describe('bundled reference data', () => {
  it('loads the catalogue with the counts the data holds, and every leaf searchable', () => {
    const rows = csvRows('catalogue/catalogue.csv');
    const count = (level: string) => rows.filter((r) => r.level === level).length;
    expect(ref.catalogue.counts()).toEqual({ level1: count('1'), level2: count('2'), level3: count('3') });
    const entries = ref.catalogue.searchEntries();
    expect(entries).toHaveLength(count('3'));
    expect(entries.every((e) => e.path.length === 3 && e.terms.some((t) => t.kind === 'name' && t.pinyin.length > 0))).toBe(true);
  });

  it('loads Beijing’s districts, streets and villages and derives their units', () => {
    const places = ref.places.all();
    const districts = places.filter((p) => p.level === 'district');
    expect(districts.map((d) => d.name)).toContain('平谷区');
    expect(districts).toHaveLength(16);
    const streets = places.filter((p) => p.level === 'street');
    const units = ref.units.all();
    expect(units.filter((u) => u.kind === 'subcenter')).toHaveLength(16);
    expect(units.filter((u) => u.kind === 'street')).toHaveLength(streets.length);
    expect(units.filter((u) => u.kind === 'city_center')).toHaveLength(1);
    const pinggu = districts.find((d) => d.name === '平谷区')!;
    expect(ref.units.subcenter(pinggu.code)?.name).toBe('平谷区接诉即办分中心');
    const departments = csvRows('units/departments.csv');
    expect(units.filter((u) => u.kind === 'department' || u.kind === 'utility')).toHaveLength(departments.length);
  });

  it('records a version per kind and does not reload unchanged files', async () => {
    const before = ref.versions.all();
    expect(before.map((v) => v.kind)).toEqual(['places', 'units', 'catalogue', 'kb']);
    const again = await ref.loadBundled(join(ROOT, 'resources'));
    expect(again).toEqual({ ok: true, value: [] });
    expect(ref.versions.all()).toEqual(before);
  });
});

describe('catalogue import rules', () => {
  it('rejects a broken tree whole, naming every line, and keeps the current catalogue', async () => {
    const versionBefore = ref.versions.get('catalogue');
    const countsBefore = ref.catalogue.counts();
    const result = await ref.importFile(
      'catalogue',
      csv([
        HEADER,
        '01,1,城乡建设,,,,,,,', // line 2 fine
        '0101,2,道路桥梁,01,,,,,,', // line 3 fine
        '0101001,3,路面坑洼,0101,坑洼|破损|塌陷,路上有个大坑,投诉,一般,属地,否', // line 4 fine
        '0101001,3,井盖缺失,0101,井盖|缺失|丢失,井盖没了,投诉,紧急,属地,否', // line 5 duplicate code
        '0199001,3,路灯不亮,0199,路灯|照明|不亮,路灯黑了,投诉,一般,属地,否', // line 6 missing parent
        '0102,3,桥梁裂缝,01,裂缝|桥梁|安全,桥裂了,投诉,紧急,属地,否', // line 7 wrong depth
        '0101002,3,,0101,名称|为空|测试,说不清,咨询,一般,属地,否', // line 8 empty name
        '0101003,3,绿化带损毁,0101,绿化|损毁|破坏,树被撞了,投诉,一般,X99,否', // line 9 unknown unit
      ]),
      'csv',
      'test',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('rejected');
    expect(result.error.message).toContain('现有数据未改动');
    const problems = (result.error.details as { problems: Array<{ line: number; message: string }> }).problems;
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message).join(' / ');
    expect(at(5)).toContain('重复');
    expect(at(6)).toContain('上级编码“0199”不存在');
    expect(at(7)).toMatch(/层级|不符/);
    expect(at(8)).toContain('名称为空');
    expect(at(9)).toContain('未知单位“X99”');
    expect(problems.some((p) => p.line === 2 || p.line === 4)).toBe(false);
    expect(ref.versions.get('catalogue')).toEqual(versionBefore);
    expect(ref.catalogue.counts()).toEqual(countsBefore);
  });

  it('rejects a file with missing columns before looking at rows', async () => {
    const result = await ref.importFile('catalogue', csv(['code,name', '01,城乡建设']), 'csv', 'test');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(JSON.stringify(result.error.details)).toContain('缺少列“level”');
  });

  it('imports the same rules from XLSX, with spreadsheet line numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('目录');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['01', 1, '城乡建设', '', '', '', '', '', '', '']);
    sheet.addRow(['0101', 2, '道路桥梁', '01', '', '', '', '', '', '']);
    sheet.addRow(['0101001', 3, '路面坑洼', '0101', '坑洼|破损', '路上有个大坑', '投诉', '一般', '属地', '否']);
    sheet.addRow(['0101002', 3, '路面坑洼', '0101', '坑洼', '有坑', '投诉', '特急', '属地', '否']);
    const bad = new Uint8Array(await workbook.xlsx.writeBuffer());
    const rejected = await ref.importFile('catalogue', bad, 'xlsx', 'test');
    expect(rejected.ok).toBe(false);
    if (rejected.ok) return;
    const problems = (rejected.error.details as { problems: Array<{ line: number; message: string }> }).problems;
    expect(problems.map((p) => p.line)).toEqual([5, 5]);
    expect(problems.map((p) => p.message).join()).toMatch(/名称“路面坑洼”重复.*紧急程度“特急”无效|紧急程度“特急”无效.*重复/);
  });
});

describe('knowledge-base search', () => {
  it('finds articles by title, question variants and body, in that order', () => {
    const article = ref.kb.get('KB0001')!;
    const titleHits = ref.kb.search(article.title.slice(0, 6), { today });
    expect(titleHits[0]?.matchedIn).toBe('title');
    const mixed = ref.kb.search('社保卡', { today, limit: 20 });
    const tiers = mixed.map((h) => ['title', 'questions', 'answer'].indexOf(h.matchedIn));
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
  });

  it('answers 1- and 2-character queries from titles and question variants', () => {
    for (const query of ['暖气', '狗', '医保 报销']) {
      const hits = ref.kb.search(query, { today });
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) {
        const article = ref.kb.get(hit.id)!;
        const text = `${article.title}\n${article.questions.join('\n')}`;
        expect(query.split(' ').every((term) => text.includes(term))).toBe(true);
      }
      const tiers = hits.map((h) => ['title', 'questions'].indexOf(h.matchedIn));
      expect(tiers.every((t) => t >= 0)).toBe(true);
      expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    }
  });

  it.each(['"', '社保"卡', '医保*', 'NEAR(社保 医保)', '-社保', '(((', '社保 AND', '{title}:社保', "'; DROP TABLE kb_articles; --", '\u0000'])(
    'user text %j never breaks the query',
    (query) => {
      expect(() => ref.kb.search(query, { today })).not.toThrow();
      expect(ref.kb.count()).toBeGreaterThan(0);
    },
  );

  it('finds a phrase typed without spaces that no article says word for word, after every exact match', () => {
    const hits = ref.kb.search('社保卡补办', { today });
    expect(hits[0]?.title).toBe('社保卡丢失如何挂失补办');
    // Articles that hold the phrase exactly come before those that only share pieces of it.
    const says = (id: string, phrase: string) => {
      const a = ref.kb.get(id)!;
      return [a.title, ...a.questions, a.answer].some((text) => text.includes(phrase));
    };
    const housing = ref.kb.search('公租房申请', { today, limit: 20 }).map((h) => says(h.id, '公租房申请'));
    expect(housing[0]).toBe(true);
    expect(housing.includes(false)).toBe(true);
    expect(housing.slice(housing.indexOf(false))).not.toContain(true);
    // Rare pairs count for more than common ones: 居住 tells more than 办理.
    expect(ref.kb.search('居住证办理', { today })[0]?.title).toBe('北京市居住证如何申领');
    expect(ref.kb.search('医保报销', { today })[0]?.title).toMatch(/医保.*报销/);
  });

  it('filters by the chosen leaf', () => {
    const article = ref.kb.get('KB0001')!;
    const leaf = article.leafCodes[0]!;
    const hits = ref.kb.search('', { today, leafCode: leaf });
    expect(hits.map((h) => h.id)).toContain('KB0001');
    expect(hits.every((h) => h.leafCodes.includes(leaf))).toBe(true);
    expect(ref.kb.search(article.title, { today, leafCode: '9999999' })).toEqual([]);
  });

  it('flags answers past their review date', () => {
    const article = ref.kb.get('KB0001')!;
    const [hit] = ref.kb.search(article.title, { today: '2099-01-01' });
    expect(hit?.expired).toBe(true);
  });
});

describe('hot queries use their indexes', () => {
  const plan = (sql: string, ...params: unknown[]) =>
    (desk.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

  it('street unit, sub-center, leaf articles and children lookups avoid full scans', () => {
    expect(plan("SELECT * FROM units WHERE place_code = ? AND kind = 'street'", 'x')).toMatch(/USING INDEX units_place/);
    expect(plan("SELECT * FROM units WHERE district_code = ? AND kind = 'subcenter'", 'x')).toMatch(/USING INDEX units_district/);
    expect(plan('SELECT article_id FROM kb_article_leaves WHERE leaf_code = ?', 'x')).toMatch(/USING (COVERING )?INDEX kb_article_leaves_leaf/);
    expect(plan('SELECT * FROM catalogue_nodes WHERE parent_code = ?', 'x')).toMatch(/USING INDEX catalogue_nodes_parent/);
    expect(plan('SELECT * FROM kb_fts WHERE kb_fts MATCH ?', '"社保卡"')).toMatch(/VIRTUAL TABLE INDEX/);
  });
});

describe('units and knowledge-base import rules', () => {
  const problemsOf = (result: { ok: boolean; error?: { details?: unknown } }) =>
    (result.error?.details as { problems: Array<{ line: number; message: string }> }).problems;

  it('rejects a unit directory with a bad kind, a duplicate code or a unit the catalogue still names, and keeps the current one', async () => {
    const before = ref.versions.get('units');
    const unitCount = ref.units.all().length;
    const result = await ref.importFile(
      'units',
      csv([
        'code,name,kind,duties',
        'D01,北京市住房和城乡建设委员会,department,住房保障', // line 2 fine
        'D01,北京市城市管理委员会,department,环境卫生', // line 3 duplicate
        'U09,北京某某通信公司,carrier,通信线路', // line 4 bad kind
        ',北京市水务局,department,供水排水', // line 5 empty code
      ]),
      'csv',
      'test',
    );
    expect(result.ok).toBe(false);
    const problems = problemsOf(result);
    expect(problems.find((p) => p.line === 3)?.message).toContain('重复');
    expect(problems.find((p) => p.line === 4)?.message).toContain('单位类型“carrier”无效');
    expect(problems.find((p) => p.line === 5)?.message).toContain('单位编码为空');
    expect(ref.versions.get('units')).toEqual(before);
    expect(ref.units.all()).toHaveLength(unitCount);

    // Well-formed, but it drops every unit except D01: the catalogue's owners would dangle.
    const dropping = await ref.importFile('units', csv(['code,name,kind,duties', 'D01,北京市住房和城乡建设委员会,department,住房保障']), 'csv', 'test');
    expect(dropping.ok).toBe(false);
    expect(problemsOf(dropping).map((p) => p.message).join()).toMatch(/单位“U0\d”仍被派单目录或知识库引用/);
    expect(ref.units.all()).toHaveLength(unitCount);
  });

  it('rejects articles with an unknown source unit, an unknown leaf, a bad date or an empty answer, and keeps the current ones', async () => {
    const before = ref.versions.get('kb');
    const count = ref.kb.count();
    const leaf = [...ref.catalogue.leafCodes()][0]!;
    const result = await ref.importFile(
      'kb',
      csv([
        'id,title,questions,answer,source,valid_until,leaf_codes',
        `KB9001,社保卡丢了怎么补办,社保卡丢了|补卡去哪,可携带身份证到社保卡服务网点办理补换卡。,D05,2027-12-31,${leaf}`, // fine
        'KB9002,居住证办理,居住证怎么办,到居住地派出所申领。,X77,2027-12-31,', // unknown unit
        'KB9003,供暖时间,什么时候来暖气,每年11月15日起供暖。,D02,2027-12-31,9999999', // unknown leaf
        'KB9004,公租房申请,公租房怎么申请,向户籍所在街道提出申请。,D01,明年年底,', // bad date
        'KB9005,垃圾分类,厨余垃圾怎么分,,D02,2027-12-31,', // empty answer
      ]),
      'csv',
      'test',
    );
    expect(result.ok).toBe(false);
    const problems = problemsOf(result);
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message).join(' / ');
    expect(at(2)).toBe('');
    expect(at(3)).toContain('未知来源单位“X77”');
    expect(at(4)).toContain('关联分类“9999999”不是现有的三级分类');
    expect(at(5)).toContain('不是日期');
    expect(at(6)).toContain('答复内容为空');
    expect(ref.versions.get('kb')).toEqual(before);
    expect(ref.kb.count()).toBe(count);
  });
});

describe('a good import replaces the version whole', () => {
  it('swaps the knowledge base from an XLSX file in one step, and search sees only the new articles', async () => {
    const fresh = openTestDesk();
    try {
      await fresh.ready;
      const before = fresh.reference.versions.get('kb')!;
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('知识库');
      sheet.addRow(['id', 'title', 'questions', 'answer', 'source', 'valid_until', 'leaf_codes']);
      sheet.addRow(['KB8001', '冬季供暖开始时间', '什么时候来暖气|今年供暖几号开始', '本市供暖季一般为每年11月15日至次年3月15日，遇气温偏低可提前供暖。', 'D02', '2027-03-31', '']);
      sheet.addRow(['KB8002', '电动自行车登记上牌', '电动车怎么上牌|电动车上牌要带什么', '携带购车发票、合格证和身份证到登记服务站办理，符合国家标准的车辆当场发放号牌。', 'D02', '2027-12-31', '']);
      const content = new Uint8Array(await workbook.xlsx.writeBuffer());
      // Two articles for the hundreds in force: only when the person importing says so.
      const shrinking = await fresh.reference.importFile('kb', content, 'xlsx', 'import:知识库.xlsx');
      expect(shrinking).toMatchObject({ ok: false, error: { kind: 'rejected', details: { size: { rows: 2, forceable: true } } } });
      expect(fresh.reference.versions.get('kb')).toEqual(before);
      const imported = await fresh.reference.importFile('kb', content, 'xlsx', 'import:知识库.xlsx', { force: true });
      expect(imported).toMatchObject({ ok: true, value: { kind: 'kb', itemCount: 2 } });
      const after = fresh.reference.versions.get('kb')!;
      expect(after.version).not.toBe(before.version);
      expect(after).toMatchObject({ source: 'import:知识库.xlsx', itemCount: 2 });
      expect(fresh.reference.kb.count()).toBe(2);
      expect(fresh.reference.kb.search('供暖', { today }).map((h) => h.id)).toEqual(['KB8001']);
      expect(fresh.reference.kb.search('社保卡', { today })).toEqual([]);
      // Data that came from outside the bundle is newer than what shipped: a restart keeps it.
      expect(await fresh.reference.loadBundled(join(ROOT, 'resources'))).toEqual({ ok: true, value: [] });
      expect(fresh.reference.kb.count()).toBe(2);
    } finally {
      fresh.dispose();
    }
  });
});

describe('an empty or much smaller file never wipes what the desk has', () => {
  const KB_HEADER = 'id,title,questions,answer,source,valid_until,leaf_codes';

  it.each([
    ['kb', [KB_HEADER]],
    ['kb', [KB_HEADER, '', '']],
    ['catalogue', [HEADER]],
    ['units', ['code,name,kind,duties']],
    ['places', ['code,level,name,short_name,parent_code']],
  ] as const)('refuses a %s file with a header and no rows, even when forced', async (kind, lines) => {
    const versions = ref.versions.all();
    const counts = [ref.kb.count(), ref.catalogue.all().length, ref.units.all().length, ref.places.all().length];
    for (const force of [false, true]) {
      const result = await ref.importFile(kind, csv([...lines]), 'csv', 'test', { force });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe('rejected');
    }
    expect(ref.versions.all()).toEqual(versions);
    expect([ref.kb.count(), ref.catalogue.all().length, ref.units.all().length, ref.places.all().length]).toEqual(counts);
  });

  it('refuses a knowledge base of one article for the hundreds in force unless forced, saying how many', async () => {
    const count = ref.kb.count();
    const one = csv([KB_HEADER, 'KB9101,社保卡补办,社保卡丢了,携带身份证到社保卡服务网点办理补换卡。,D05,2027-12-31,']);
    const refused = await ref.importFile('kb', one, 'csv', 'test');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain(`文件只有 1 条，不到现有 ${count} 条的一半`);
    expect(ref.kb.count()).toBe(count);
  });

  it('refuses a review date that is no calendar day (2030-02-30)', async () => {
    const count = ref.kb.count();
    const all = csvRows('kb/knowledge-base.csv');
    const lines = [KB_HEADER, ...all.map((r, i) => [r.id, r.title, r.questions, r.answer, r.source, i === 0 ? '2030-02-30' : r.valid_until, r.leaf_codes].map((v) => `"${(v ?? '').replace(/"/g, '""')}"`).join(','))];
    const result = await ref.importFile('kb', csv(lines), 'csv', 'test');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(JSON.stringify(result.error.details)).toContain('有效期“2030-02-30”不是日期');
    expect(ref.kb.count()).toBe(count);
  });
});
