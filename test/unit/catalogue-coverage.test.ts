/**
 * Catalogue coverage (resources/README.md, "Catalogue coverage audit"): 住房公积金 and 民族宗教事务
 * have leaves now, the catalogue keeps 48 / 490 / 2,509, and the two 二级 that gave up their place
 * are retired for good (shared/reference/retired-leaves.ts): their codes are in no file the desk
 * loads, each retired leaf names a live leaf to take its tickets, and the suggester sends a caller's
 * sentence about 公积金 or 传教 to the new leaves instead of somewhere near. A desk's stored tickets
 * and draft move off retired leaves when it upgrades (desk migration 8; the hub's side is
 * test/hub/retired-leaves.test.ts).
 */
import { parse } from 'csv-parse/sync';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSearchEntries, parseCatalogueCsv } from '../../electron/services/catalogue/search-terms';
import type { CatalogueSearchEntry } from '../../shared/domain/catalogue';
import { currentLeafCode, RETIRED_LEAVES, RETIRED_LEVEL2 } from '../../shared/reference/retired-leaves';
import { suggestFromContent } from '../../shared/search/suggest';
import { openDatabase } from '../../electron/services/store/database';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { freshDataDir, ROOT } from '../support/host-process';
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

describe('a desk that upgrades (desk migration 8)', () => {
  it('moves its stored tickets and its saved draft off retired leaves, and leaves the rest alone', () => {
    const dataDir = freshDataDir();
    try {
      const path = join(dataDir, 'desk.sqlite');
      const opened = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 8) });
      if (!opened.ok) throw new Error(opened.error.message);
      const insert = opened.value.db.prepare(
        `INSERT INTO tickets (id, provisional_number, official_number, operator_id, operator_name, shift_code, shift_date,
           call_started_at, submitted_at, channel, caller_name, caller_phone, callback_phone, request_type, district_code,
           street_code, village_code, address_text, content, leaf_code, urgency, disposition, unit_code, kb_article_id,
           linked_ticket_id, unreasonable_reason, status, deadlines, updated_at)
         VALUES (?, ?, NULL, 'op1', '张敏', 'day', '2026-12-01', '2026-12-01T02:00:00.000Z', '2026-12-01T02:00:00.000Z', '电话', '王先生',
           '13912345678', '13912345678', '举报', NULL, NULL, NULL, '幸福路 12 号', '公租房被人转租出去了', ?, '一般', '直派', 'U1', NULL, NULL, '',
           '已派单', '[]', '2026-12-01T02:00:00.000Z')`,
      );
      insert.run('5b0c7f0e-6c3e-4a55-9a43-0d6f1d1f0a81', '临202612010001', '2110002');
      insert.run('5b0c7f0e-6c3e-4a55-9a43-0d6f1d1f0a82', '临202612010002', '0101001');
      opened.value.db
        .prepare(`INSERT INTO drafts (slot, draft_id, draft, saved_at) VALUES ('current', 'd1', ?, '2026-12-01T02:00:00.000Z')`)
        .run(JSON.stringify({ id: 'd1', content: '自助机吞卡了', leafCode: '4306001' }));
      opened.value.db.close();

      const upgraded = openDatabase({ path, migrations: MIGRATIONS });
      if (!upgraded.ok) throw new Error(upgraded.error.message);
      const db = upgraded.value.db;
      expect(db.prepare('SELECT leaf_code FROM tickets ORDER BY provisional_number').pluck().all()).toEqual(['2102003', '0101001']);
      expect(JSON.parse(db.prepare('SELECT draft FROM drafts').pluck().get() as string)).toEqual({ id: 'd1', content: '自助机吞卡了', leafCode: '4301006' });
      db.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
