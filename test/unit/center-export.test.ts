/**
 * The streamed center-wide export (electron/services/lead/center-export.ts streamCenterCsv): a fake
 * hub of 120,001 tickets answered page by page by cursor — the file has the BOM, the header and
 * every row once, newest first, with progress after each page; a cancelled or failed export leaves
 * no file behind; the export folder's jobs serve only finished files.
 */
import { parse } from 'csv-parse/sync';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShiftDrillCursor, ShiftDrillRow } from '../../shared/api/center-drill-contract';
import { fail, ok } from '../../shared/result';
import { EXPORT_CANCELLED, ExportJobs, streamCenterCsv, type CenterPageSource } from '../../electron/services/lead/center-export';

const dir = mkdtempSync(join(tmpdir(), 'center-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOTAL = 120_001;
const BASE = Date.parse('2026-12-01T00:00:00.000Z');

/** Ticket `n` (0 = oldest): made on demand, so the fake hub holds no list either. */
function ticket(n: number): ShiftDrillRow {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    number: `20261201${String(n).padStart(6, '0')}`,
    submittedAt: new Date(BASE + n * 1000).toISOString(),
    callStartedAt: new Date(BASE + n * 1000 - 60_000).toISOString(),
    shiftDate: '2026-12-01',
    shiftCode: 'day',
    operatorId: 'op-1',
    operatorName: '李话务',
    channel: '电话',
    callerName: n % 7 === 0 ? '=HYPERLINK("x")' : '张先生',
    callerPhone: '139****5678',
    callbackPhone: '139****5678',
    requestType: '投诉',
    leafCode: 'L001',
    districtCode: 'D1',
    streetCode: 'S1',
    villageCode: null,
    addressText: '某小区 3 号楼',
    disposition: '直派',
    unitCode: 'U1',
    unitName: '甲街道',
    status: '已派单',
    deadlines: [],
    callbackDone: false,
    callbackSatisfaction: null,
    content: `第 ${n} 张，含逗号, "引号" 和换行\n第二行`,
  };
}

/** A hub of `total` tickets, newest first, by cursor; records what it was asked. */
function fakeHub(total: number, options: { failOnPage?: number; onPage?: (page: number) => void } = {}) {
  const asked: Array<{ after: ShiftDrillCursor | null; count: boolean }> = [];
  let outstanding = 0;
  let maxOutstanding = 0;
  const source: CenterPageSource = async ({ after, limit, count }) => {
    outstanding++;
    maxOutstanding = Math.max(maxOutstanding, outstanding);
    asked.push({ after, count });
    options.onPage?.(asked.length);
    await new Promise((resolve) => setImmediate(resolve));
    outstanding--;
    if (options.failOnPage === asked.length) return fail('unavailable', '中心无响应');
    // Newest first: the first row after the cursor is the one just older than it.
    const start = after ? Number(after.id.slice(-12)) - 1 : total - 1;
    const rows: ShiftDrillRow[] = [];
    for (let n = start; n >= 0 && rows.length < limit; n--) rows.push(ticket(n));
    const last = rows.at(-1);
    return ok({
      total: count ? total : null,
      rows,
      masked: true,
      next: rows.length === limit && last ? { submittedAt: last.submittedAt, id: last.id } : null,
    });
  };
  return { source, asked, maxOutstanding: () => maxOutstanding };
}

const HEADERS = ['工单编号', '受理时间', '来电人', '诉求内容'];
const toCells = (r: ShiftDrillRow) => [r.number, r.submittedAt, r.callerName, r.content];

describe('streaming a center-wide export to a CSV file', () => {
  it('writes every row once, newest first, page by page, with progress after each page', async () => {
    const hub = fakeHub(TOTAL);
    const progress: Array<[number, number]> = [];
    const path = join(dir, 'all.csv');
    const result = await streamCenterCsv({ source: hub.source, headers: HEADERS, toCells, path, pageSize: 5_000, onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ ok: true, value: { rows: TOTAL, total: TOTAL, masked: true } });

    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = bytes.toString('utf8');
    expect(text.startsWith('\ufeff工单编号,受理时间,来电人,诉求内容\r\n')).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(TOTAL);
    rows.forEach((row, i) => {
      const n = TOTAL - 1 - i;
      if (row['工单编号'] !== ticket(n).number) throw new Error(`row ${i}: ${row['工单编号']} instead of ${ticket(n).number}`);
    });
    expect(rows[0]!['诉求内容']).toBe(ticket(TOTAL - 1).content); // commas, quotes and line breaks survive
    const formulaRow = rows.find((_, i) => (TOTAL - 1 - i) % 7 === 0)!;
    expect(formulaRow['来电人']).toBe(`'=HYPERLINK("x")`); // a formula is defused
    expect(existsSync(`${path}.part`)).toBe(false);

    // One page at a time, by cursor, the total counted once.
    expect(hub.maxOutstanding()).toBe(1);
    expect(hub.asked).toHaveLength(Math.ceil(TOTAL / 5_000));
    expect(hub.asked.map((a) => a.count)).toEqual([true, ...new Array<boolean>(hub.asked.length - 1).fill(false)]);
    expect(hub.asked[0]!.after).toBeNull();
    // Progress: 0 of the total first, then after each page, rising to the total.
    expect(progress[0]).toEqual([0, TOTAL]);
    expect(progress.at(-1)).toEqual([TOTAL, TOTAL]);
    expect(progress).toHaveLength(hub.asked.length + 1);
    expect(progress.every(([done], i) => i === 0 || done > progress[i - 1]![0])).toBe(true);
    expect(progress.slice(1, -1).every(([done]) => done % 5_000 === 0)).toBe(true);
  });

  it('stops when cancelled and when the hub fails midway, leaving no file and no part file', async () => {
    const abort = new AbortController();
    const cancelled = fakeHub(TOTAL, { onPage: (page) => page === 3 && abort.abort() });
    const path = join(dir, 'cancelled.csv');
    const result = await streamCenterCsv({ source: cancelled.source, headers: HEADERS, toCells, path, pageSize: 5_000, signal: abort.signal });
    expect(result.ok || result.error.message).toBe(EXPORT_CANCELLED);
    expect(cancelled.asked).toHaveLength(3);
    const failed = await streamCenterCsv({ source: fakeHub(TOTAL, { failOnPage: 4 }).source, headers: HEADERS, toCells, path: join(dir, 'failed.csv'), pageSize: 5_000 });
    expect(failed.ok || failed.error).toEqual({ kind: 'unavailable', message: '中心无响应' });
    expect(readdirSync(dir).filter((f) => f.startsWith('cancelled') || f.startsWith('failed'))).toEqual([]);
  });

  it('serves a job’s file only once it is finished, and cancels only a running job', async () => {
    const jobs = new ExportJobs(join(dir, 'exports'));
    const job = jobs.create('工单明细.csv');
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
    await streamCenterCsv({ source: fakeHub(12).source, headers: HEADERS, toCells, path: job.path, pageSize: 5 });
    expect(jobs.file(job.id)).toBeNull(); // written, but not yet marked finished
    jobs.finish(job.id, 'done');
    expect(jobs.file(job.id)).toEqual({ path: job.path, fileName: '工单明细.csv' });
    expect(jobs.cancel(job.id)).toBe(false);
    expect(jobs.file('00000000-0000-4000-8000-000000000000')).toBeNull();
    const running = jobs.create('b.csv');
    expect(jobs.cancel(running.id)).toBe(true);
    expect(running.abort.signal.aborted).toBe(true);
  });
});
