/**
 * Catalogue coverage (resources/README.md, "Catalogue coverage audit"): 住房公积金 and 民族宗教事务
 * have leaves now, the catalogue keeps 48 / 490 / 2,509, and the two 二级 that gave up their place
 * are retired for good (shared/reference/retired-leaves.ts): their codes are in no file the desk
 * loads, each retired leaf names a live leaf to take its tickets, and the suggester sends a caller's
 * sentence about 公积金 or 传教 to the new leaves instead of somewhere near.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSearchEntries, parseCatalogueCsv } from '../../electron/services/catalogue/search-terms';
import type { CatalogueSearchEntry } from '../../shared/domain/catalogue';
import { currentLeafCode, RETIRED_LEAVES, RETIRED_LEVEL2 } from '../../shared/reference/retired-leaves';
import { suggestFromContent } from '../../shared/search/suggest';
import { ROOT } from '../support/host-process';
import { catalogueCsv } from '../support/reference-files';

const rows = parse(readFileSync(join(ROOT, 'resources', 'catalogue', 'catalogue.csv')), { columns: true, bom: true }) as Array<Record<string, string>>;
const byCode = new Map(rows.map((r) => [r.code!, r]));
const children = (code: string) => rows.filter((r) => r.parent_code === code);

let entries: CatalogueSearchEntry[];
beforeAll(() => {
  entries = buildSearchEntries(parseCatalogueCsv(catalogueCsv()));
}, 30_000);

describe('catalogue coverage', () => {
  it('keeps 48 / 490 / 2,509 with 住房公积金 and 民族宗教事务 among them, each owned by its unit', () => {
    expect([1, 2, 3].map((level) => rows.filter((r) => r.level === String(level)).length)).toEqual([48, 490, 2509]);
    const gjj = rows.find((r) => r.level === '2' && r.name === '住房公积金')!;
    const mz = rows.find((r) => r.level === '2' && r.name === '民族宗教事务')!;
    expect(gjj.parent_code).toBe('21');
    expect(children(gjj.code!).map((r) => r.name)).toEqual(['公积金缴存', '单位欠缴公积金', '公积金提取', '公积金贷款', '公积金异地转移', '公积金账户与证明']);
    expect(new Set(children(gjj.code!).map((r) => r.owner))).toEqual(new Set(['D35']));
    expect(children(mz.code!)).toHaveLength(3);
    expect(new Set(children(mz.code!).map((r) => r.owner))).toEqual(new Set(['D38']));
    const units = readFileSync(join(ROOT, 'resources', 'units', 'departments.csv'), 'utf8');
    expect(units).toContain('D38,北京市民族宗教事务委员会,department');
  });

  it('never reuses a retired code, and sends each retired leaf’s tickets to a live leaf', () => {
    for (const code of [...Object.keys(RETIRED_LEVEL2), ...Object.keys(RETIRED_LEAVES)]) expect(byCode.has(code), code).toBe(false);
    for (const [code, retired] of Object.entries(RETIRED_LEAVES)) {
      expect(code.slice(0, 4) in RETIRED_LEVEL2, code).toBe(true);
      expect(byCode.get(retired.replacedBy)?.level, `${code} → ${retired.replacedBy}`).toBe('3');
      expect(currentLeafCode(code)).toBe(retired.replacedBy);
    }
    expect(currentLeafCode('2102003')).toBe('2102003');
    expect(currentLeafCode(null)).toBeNull();
    // The 二级 after a retired one kept their codes: 政务服务评价 is still 4307.
    expect(byCode.get('4307')?.name).toBe('政务服务评价');
    // The new areas took serials never used: 2111 (after the retired 2110) and 2013.
    expect(byCode.get('2111')?.name).toBe('住房公积金');
    expect(byCode.get('2013')?.name).toBe('民族宗教事务');
  });

  it('suggests the new leaves for what callers say about 公积金 and religion', () => {
    const first = (text: string) => suggestFromContent(entries, text, 3)[0]?.code;
    expect(first('来电人反映，入职半年了公司一直不给交住房公积金，要求单位补缴。')).toBe('2111002');
    expect(first('市民咨询，租房能不能提取公积金，每个月能取多少。')).toBe('2111003');
    expect(first('来电人咨询，从外地调回北京工作，原来的公积金怎么转移过来。')).toBe('2111005');
    expect(first('来电人反映，小区里有人在家里聚众传教，还挨家挨户发传教材料。')).toBe('2013002');
    expect(first('市民反映，寺庙门口有人高价卖香，强行要功德钱。')).toBe('2013001');
  });
});
