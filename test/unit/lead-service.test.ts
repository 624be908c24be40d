/**
 * The team lead's calls through the contract (dispatcher + typed client with output checks) on a
 * real SQLite file with the bundled reference data and a settable clock, while the machine's zone
 * is set far from Beijing: sign-in and sign-out, roles (`forbidden`), shift definitions (夜班 past
 * midnight), a hand-counted shift on 国庆节, deadlines that run through the holiday, drill-downs,
 * CSV and XLSX exports read back (masking, BOM, formula guard), and the hot queries' plans.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadScope } from '../../shared/api/lead-contract';
import type { TicketDraft } from '../../shared/domain/ticket';
import type { Result } from '../../shared/result';
import type { ClockedDesk, openTestDesk as OpenTestDesk } from '../support/desk';
import { bundledFixtures, draftFor, type Fixtures } from '../support/desk-fixtures';
import { forSuite } from '../support/suite';

// Static imports run before any statement of this file; the zone must be set before the desk's
// modules (and chinese-days, which builds its table in the zone it loads in) are loaded.
process.env.TZ = 'America/Los_Angeles';
const { showsFullPhone } = await import('../../shared/stats/mask');
const { LEAD_QUERIES } = await import('../../electron/services/lead/lead-repo');
const { SESSION_QUERIES } = await import('../../electron/services/lead/sessions-repo');
const { openClockedDesk, openTestDesk, refusal, setLeadPin, TEST_LEAD_PIN, value } = await import('../support/desk');

type TestDesk = ReturnType<typeof OpenTestDesk>;
/** A Beijing wall-clock time: bj('2026-10-01 09:03:00'). */
const bj = (text: string) => new Date(`${text.replace(' ', 'T')}+08:00`);

type Harness = ClockedDesk;

/** A ready desk on a fresh data folder, its clock at 07:50 on 国庆节, and the fixtures from its bundled data. */
function deskForBlock(): { h: Harness; fx: Fixtures } {
  const h = forSuite(() => openClockedDesk(bj('2026-10-01 07:50:00')), (opened) => opened.desk.dispose());
  return { h, fx: forSuite(() => bundledFixtures(h.desk.reference)) };
}

type Kind = 'direct' | 'subcenter' | 'kb' | 'duplicate' | 'unreasonable';

/** Submits one ticket whose call began `seconds` before `at` (Beijing), as the desk's own call. */
async function take(h: Harness, fx: Fixtures, at: string, seconds: number, kind: Kind, over: Partial<TicketDraft> = {}): Promise<string> {
  const submitted = bj(at);
  const draft = draftFor(fx, new Date(submitted.getTime() - seconds * 1000), {
    requestType: kind === 'kb' ? '咨询' : '投诉',
    content: '小区门口的路面塌了一个大坑，晚上没有路灯，已经有老人摔倒了，联系电话13800138000。',
    disposition: { direct: '直派', subcenter: '派分中心', kb: '咨询办结', duplicate: '重复诉求', unreasonable: '不合理诉求' }[kind] as TicketDraft['disposition'],
    unitCode: kind === 'direct' ? fx.streetUnit.code : kind === 'subcenter' ? fx.subcenter.code : null,
    kbArticleId: kind === 'kb' ? fx.article.id : null,
    unreasonableReason: kind === 'unreasonable' ? '要求热线出面催讨个人借款，属民事纠纷' : '',
    ...over,
  });
  h.clock.at = submitted;
  return value(await h.api.call('tickets.submit', { draft })).id;
}

async function signIn(h: Harness, at: string, id: string, name: string, role: 'call_taker' | 'team_lead') {
  h.clock.at = bj(at);
  if (role === 'call_taker') return value(await h.api.call('operator.signIn', { id, name, role }));
  setLeadPin(h.desk, id);
  return value(await h.api.call('operator.signIn', { id, name, role, secret: TEST_LEAD_PIN }));
}

/** What the hub would report (the sync client's writes), as plain SQL: status and one trail event. */
function hubReports(desk: TestDesk, id: string, status: string, event: { kind: string; at: Date; note: string }) {
  desk.db.prepare('UPDATE tickets SET status = ? WHERE id = ?').run(status, id);
  desk.db.prepare('INSERT INTO ticket_events (ticket_id, kind, at, actor, note) VALUES (?, ?, ?, ?, ?)').run(id, event.kind, event.at.toISOString(), '中心', event.note);
}

const early = (date = '2026-10-01'): LeadScope => ({ from: date, to: date, shiftCode: 'early', operatorIds: [], categoryLevel: 1 });

describe('roles: only a team lead opens the lead view', () => {
  const { h } = deskForBlock();

  it('refuses every lead call to the call-taker the desk starts with, by name', async () => {
    expect(value(await h.api.call('app.info', {})).operator.role).toBe('call_taker');
    const results: Array<Result<unknown>> = [
      await h.api.call('lead.context', {}),
      await h.api.call('lead.shiftLog', { scope: early() }),
      await h.api.call('lead.drilldown', { scope: early(), filter: { kind: 'all' } }),
      await h.api.call('lead.export', { scope: early(), table: 'tickets', format: 'csv', fullPhones: true }),
      await h.api.call('shifts.update', { shifts: [{ code: 'all', name: '全天', start: '00:00', end: '24:00' }] }),
    ];
    for (const result of results) {
      const error = refusal(result);
      expect(error.kind).toBe('forbidden');
      expect(error.message).toContain('话务员');
    }
    // The shift list is every desk's: it stamps tickets.
    expect(value(await h.api.call('shifts.list', {})).map((s) => s.name)).toEqual(['夜班', '早班', '中班']);
  });

  it('a call-taker who signs in is still refused; a team lead is let in', async () => {
    await signIn(h, '2026-10-01 07:55:00', '1001', '王丽', 'call_taker');
    expect(refusal(await h.api.call('lead.context', {})).kind).toBe('forbidden');
    await signIn(h, '2026-10-01 08:00:00', '9001', '孙敏', 'team_lead');
    expect(value(await h.api.call('lead.context', {})).operator).toEqual({ id: '9001', name: '孙敏', role: 'team_lead' });
  });

  it('lets nobody in as team lead without a credential; a PIN admits, a wrong one is refused and five lock the 工号', async () => {
    h.clock.at = bj('2026-10-01 08:10:00');
    value(await h.api.call('operator.signOut', {}));
    const bare = refusal(await h.api.call('operator.signIn', { id: '9002', name: '周强', role: 'team_lead' }));
    expect(bare.kind).toBe('forbidden');
    expect(bare.message).toContain('PIN');
    expect(value(await h.api.call('app.info', {})).operator.role).toBe('call_taker');
    setLeadPin(h.desk, '9002', '135790');
    for (let i = 0; i < 5; i++) {
      expect(refusal(await h.api.call('operator.signIn', { id: '9002', name: '周强', role: 'team_lead', secret: '000000' })).message).toContain('不正确');
    }
    // Locked now, even with the right PIN, until five minutes have passed.
    expect(refusal(await h.api.call('operator.signIn', { id: '9002', name: '周强', role: 'team_lead', secret: '135790' })).message).toContain('暂停班长签到');
    expect(refusal(await h.api.call('lead.context', {})).kind).toBe('forbidden');
    h.clock.at = bj('2026-10-01 08:16:00');
    value(await h.api.call('operator.signIn', { id: '9002', name: '周强', role: 'team_lead', secret: '135790' }));
    expect(value(await h.api.call('lead.context', {})).operator.id).toBe('9002');
    // The PIN is kept only as a salted hash.
    const stored = h.desk.db.prepare("SELECT value FROM settings WHERE key = 'lead.credentials'").get() as { value: string };
    expect(stored.value).not.toContain('135790');
  });

  it('limits reference imports to a team lead or admin', async () => {
    h.clock.at = bj('2026-10-01 08:20:00');
    await signIn(h, '2026-10-01 08:20:00', '1003', '刘洋', 'call_taker');
    const refused = refusal(await h.api.call('reference.import', { kind: 'kb', fileName: '知识库.csv', contentBase64: Buffer.from('id,title\n').toString('base64') }));
    expect(refused.kind).toBe('forbidden');
    expect(refused.message).toContain('班长或管理员');
    await signIn(h, '2026-10-01 08:21:00', '9001', '孙敏', 'team_lead');
    // Let through to the importer, which judges the file itself.
    expect(refusal(await h.api.call('reference.import', { kind: 'kb', fileName: '知识库.csv', contentBase64: Buffer.from('id,title\n').toString('base64') })).kind).not.toBe('forbidden');
  });

  it('checks the sign-in form at the main side', async () => {
    const bad = refusal(await h.api.call('operator.signIn', { id: '工号1', name: '', role: 'team_lead' }));
    expect(bad.kind).toBe('bad_request');
    expect(bad.message).toContain('工号应为 2–16 位字母或数字');
    expect(refusal(await h.api.call('operator.signIn', { id: '1001', name: '王丽', role: 'admin' as 'team_lead' })).kind).toBe('bad_request');
  });
});

describe('a 早班 on 国庆节 through the desk, counted by hand', () => {
  const { h, fx } = deskForBlock();
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    await signIn(h, '2026-10-01 07:58:00', '1001', '王丽', 'call_taker');
    ids.A = await take(h, fx, '2026-10-01 09:03:00', 180, 'direct');
    ids.B = await take(h, fx, '2026-10-01 09:12:00', 120, 'kb');
    await signIn(h, '2026-10-01 12:00:00', '1002', '张伟', 'call_taker');
    ids.C = await take(h, fx, '2026-10-01 12:05:00', 300, 'subcenter');
    ids.D = await take(h, fx, '2026-10-01 13:01:00', 60, 'duplicate', { linkedTicketId: ids.A! });
    ids.H = await take(h, fx, '2026-10-01 14:00:00', 200, 'direct', { callerName: '=HYPERLINK("http://x")' });
    ids.E = await take(h, fx, '2026-10-01 15:58:30', 600, 'unreasonable');
    // 中班, 30 s before midnight; then a call that began before midnight and ended after: 夜班 of the 2nd.
    ids.F = await take(h, fx, '2026-10-01 23:59:30', 30, 'direct');
    ids.G = await take(h, fx, '2026-10-02 00:00:30', 120, 'direct');
    h.clock.at = bj('2026-10-02 00:10:00');
    value(await h.api.call('operator.signOut', {}));
    // The hub since: A returned by its unit, H called back.
    hubReports(h.desk, ids.A!, '已退单', { kind: '退单', at: bj('2026-10-01 10:00:00'), note: '退单：不属于本单位职责' });
    hubReports(h.desk, ids.H!, '已回访', { kind: '回访', at: bj('2026-10-01 16:30:00'), note: '回访：已解决，基本满意' });
    await signIn(h, '2026-10-01 17:00:00', '9001', '孙敏', 'team_lead');
  }, 60_000);

  it('stamps each ticket with who took it and the shift and shift date of its submit', () => {
    const row = (id: string) => h.desk.db.prepare('SELECT operator_id, operator_name, shift_code, shift_date FROM tickets WHERE id = ?').get(id);
    expect(row(ids.A!)).toEqual({ operator_id: '1001', operator_name: '王丽', shift_code: 'early', shift_date: '2026-10-01' });
    expect(row(ids.C!)).toEqual({ operator_id: '1002', operator_name: '张伟', shift_code: 'early', shift_date: '2026-10-01' });
    expect(row(ids.F!)).toMatchObject({ shift_code: 'middle', shift_date: '2026-10-01' });
    expect(row(ids.G!)).toMatchObject({ shift_code: 'night', shift_date: '2026-10-02' });
  });

  it('reports the shift: taken, handling, dispositions, returned, overdue, callbacks', async () => {
    h.clock.at = bj('2026-10-01 17:00:00');
    const r = value(await h.api.call('lead.shiftLog', { scope: early() }));
    expect(r.scopeLabel).toBe('2026-10-01 早班 08:00–16:00 · 全部坐席');
    expect(r.window).toEqual({ start: '2026-10-01T00:00:00.000Z', end: '2026-10-01T08:00:00.000Z' });
    expect(r.source).toEqual({ kind: 'local', partial: true, note: '本机数据，仅含本坐席受理的工单' });
    const t = r.totals;
    expect(t.taken).toBe(6);
    // 60 120 180 200 300 600: median (180 + 200) / 2, P90 the 6th.
    expect(t.handling).toEqual({ measured: 6, medianSeconds: 190, p90Seconds: 600 });
    expect([t.kbClosed, t.direct, t.subcenter, t.cityCenter, t.duplicates, t.unreasonable]).toEqual([1, 2, 1, 0, 1, 1]);
    expect(t.returned).toBe(1);
    // C's 派单时限 (2 h from 12:05) is open at 17:00; everything else is met or due later.
    expect(t.overdue).toBe(1);
    expect(t.callbacks).toBe(1);
    expect(t.satisfaction).toMatchObject({ rated: 1, basic: 1, rate: 0.8 });
    expect(r.operators.map((o) => [o.operatorName, o.taken, o.sessions.length])).toEqual([
      ['张伟', 4, 1],
      ['王丽', 2, 1],
    ]);
    expect(r.operators[1]!.sessions[0]).toEqual({ signedInAt: bj('2026-10-01 07:58:00').toISOString(), signedOutAt: bj('2026-10-01 12:00:00').toISOString() });
    expect(r.hourly.map((x) => x.count)).toEqual([0, 2, 0, 0, 1, 1, 1, 1]);
    expect(r.trend.at(-1)).toEqual({ date: '2026-10-01', count: 6, kind: 'holiday', label: '国庆节' });
    expect(r.hotspots.streets).toEqual([{ code: fx.street.code, name: fx.street.shortName }]);
    expect(r.categories.items[0]).toMatchObject({ code: fx.localLeaf.code.slice(0, 2), count: 6, share: 1 });
  });

  it('deadlines run through the holiday: by the 3rd, the day-1 contacts are overdue too', async () => {
    h.clock.at = bj('2026-10-03 00:30:00');
    const r = value(await h.api.call('lead.shiftLog', { scope: early() }));
    // C (派单), and A and H (首次联系 due 10-02 24:00; calendar days do not stop for 国庆节).
    expect(r.totals.overdue).toBe(3);
    h.clock.at = bj('2026-10-01 17:00:00');
  });

  it('sees an overdue checkpoint past the slots the index covers (a center with a long ladder)', async () => {
    const ladder = Array.from({ length: 14 }, (_, i) => ({
      ruleId: `r${i}`,
      label: i === 13 ? '第十四步' : `第${i + 1}步`,
      startsAt: bj('2026-10-01 09:12:00').toISOString(),
      dueAt: bj('2026-10-01 10:00:00').toISOString(),
      doneAt: i === 13 ? null : bj('2026-10-01 09:30:00').toISOString(),
    }));
    h.desk.db.prepare('UPDATE tickets SET deadlines = ? WHERE id = ?').run(JSON.stringify(ladder), ids.B!);
    try {
      h.clock.at = bj('2026-10-01 17:00:00');
      expect(value(await h.api.call('lead.shiftLog', { scope: early() })).totals.overdue).toBe(2);
      const rows = value(await h.api.call('lead.drilldown', { scope: early(), filter: { kind: 'metric', metric: 'overdue' } })).rows;
      expect(rows.find((r) => r.id === ids.B)?.nextDue).toMatchObject({ label: '第十四步', overdue: true });
    } finally {
      h.desk.db.prepare("UPDATE tickets SET deadlines = '[]' WHERE id = ?").run(ids.B!);
    }
  });

  it('keeps the 中班 minutes before midnight and the 夜班 after it apart', async () => {
    const middle = value(await h.api.call('lead.shiftLog', { scope: { ...early(), shiftCode: 'middle' } }));
    expect(middle.totals.taken).toBe(1);
    expect(middle.hourly.at(-1)).toEqual({ hour: 23, count: 1 });
    const night = value(await h.api.call('lead.shiftLog', { scope: { ...early('2026-10-02'), shiftCode: 'night' } }));
    expect(night.totals.taken).toBe(1);
    expect(night.totals.handling.medianSeconds).toBe(120);
    const day = value(await h.api.call('lead.shiftLog', { scope: { ...early(), shiftCode: null } }));
    expect(day.totals.taken).toBe(7);
    expect(day.scopeLabel).toBe('2026-10-01 全部班次 · 全部坐席');
  });

  it('filters by operator', async () => {
    const r = value(await h.api.call('lead.shiftLog', { scope: { ...early(), operatorIds: ['1001'] } }));
    expect(r.totals.taken).toBe(2);
    expect(r.scopeLabel).toBe('2026-10-01 早班 08:00–16:00 · 王丽');
  });

  it('drills down to the tickets behind a figure, phones masked, and on to one ticket’s trail', async () => {
    const overdue = value(await h.api.call('lead.drilldown', { scope: early(), filter: { kind: 'metric', metric: 'overdue' } }));
    expect(overdue).toMatchObject({ title: '超期', total: 1, truncated: false });
    // No hub on this desk: its own tickets, and it says so (center-wide ones: test/hub/desk-lead-drill.test.ts).
    expect(overdue).toMatchObject({ page: 0, pageSize: 100, source: { kind: 'local', partial: true, note: '仅显示本机工单（未连接中心）' } });
    expect(overdue.rows[0]).toMatchObject({ id: ids.C, operatorName: '张伟', disposition: '派分中心', nextDue: { label: '派单时限', overdue: true } });
    expect(overdue.rows[0]!.callerPhone).toMatch(/^139\*{4}\d{4}$/);
    expect(overdue.rows[0]!.contentPreview).toContain('138****8000');
    const hour = value(await h.api.call('lead.drilldown', { scope: early(), filter: { kind: 'hour', hour: 9 } }));
    expect(hour.rows.map((r) => r.id)).toEqual([ids.B, ids.A]);
    expect(hour.title).toBe('09:00–10:00 受理');
    const spot = value(await h.api.call('lead.drilldown', { scope: early(), filter: { kind: 'hotspot', streetCode: fx.street.code, categoryCode: fx.localLeaf.code.slice(0, 2) } }));
    expect(spot.total).toBe(6);
    const callback = value(await h.api.call('lead.drilldown', { scope: early(), filter: { kind: 'metric', metric: 'callback' } }));
    expect(callback.rows[0]).toMatchObject({ id: ids.H, callback: '回访：已解决，基本满意' });
    const detail = value(await h.api.call('tickets.get', { id: ids.A! }));
    expect(detail.events.map((e) => e.kind)).toEqual(['受理', '派单', '退单']);
  });

  it('exports the table as CSV with a BOM and Chinese headers', async () => {
    const file = value(await h.api.call('lead.export', { scope: early(), table: 'operators', format: 'csv' }));
    expect(file.fileName).toBe('班次日志_2026-10-01_早班.csv');
    const bytes = Buffer.from(file.contentBase64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]!.slice(0, 6)).toEqual(['工号', '姓名', '签到时间', '签退时间', '受理量', '办理时长中位数(秒)']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      ['1002', '张伟', '4'],
      ['1001', '王丽', '2'],
      ['合计', '2 人', '6'],
    ]);
    expect(rows[2]![2]).toBe('2026-10-01 07:58:00');
  });

  it('exports the drill-down masked by default, with formulas defused, and in full only when the lead asks', async () => {
    const masked = value(await h.api.call('lead.export', { scope: early(), table: 'tickets', filter: { kind: 'all' }, format: 'csv' }));
    expect(masked.masked).toBe(true);
    const rows = parse(Buffer.from(masked.contentBase64, 'base64'), { bom: true }) as string[][];
    expect(rows).toHaveLength(7);
    const header = rows[0]!;
    expect(header.slice(0, 9)).toEqual(['工单编号', '受理时间', '班次日期', '班次', '工号', '话务员', '来电人', '来电号码', '回访号码']);
    for (const row of rows.slice(1)) for (const cell of row) expect(showsFullPhone(cell)).toBe(false);
    const h1 = rows.find((r) => r[6]!.includes('HYPERLINK'))!;
    expect(h1[6]).toBe(`'=HYPERLINK("http://x")`);

    const full = value(await h.api.call('lead.export', { scope: early(), table: 'tickets', filter: { kind: 'all' }, format: 'xlsx', fullPhones: true }));
    expect(full.masked).toBe(false);
    expect(full.fileName).toBe('工单明细_2026-10-01_早班_全部工单.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(full.contentBase64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('工单明细')!;
    expect(sheet.rowCount).toBe(7);
    expect(sheet.getRow(1).getCell(8).value).toBe('来电号码');
    const phones = Array.from({ length: 6 }, (_, i) => String(sheet.getRow(i + 2).getCell(8).value));
    expect(phones.every((p) => /^139\d{8}$/.test(p))).toBe(true);
    const notes = book.getWorksheet('说明')!;
    const noteText = notes.getSheetValues().flat().join(' ');
    expect(noteText).toContain('完整号码（孙敏 导出）');
    expect(noteText).toContain('本机数据，仅含本坐席受理的工单');
  });

  it('names the tickets export after the drill-down it comes from', async () => {
    const file = value(await h.api.call('lead.export', { scope: early(), table: 'tickets', filter: { kind: 'metric', metric: 'overdue' }, format: 'xlsx' }));
    expect(file).toMatchObject({ fileName: '工单明细_2026-10-01_早班_超期.xlsx', rows: 1, masked: true });
  });

  it('refuses a range wider than a quarter, or backwards, at the contract', async () => {
    const wide = refusal(await h.api.call('lead.shiftLog', { scope: { ...early(), from: '2026-01-01', to: '2026-10-01' } }));
    expect(wide.kind).toBe('bad_request');
    expect(wide.message).toContain('一次最多统计 92 天');
    expect(refusal(await h.api.call('lead.shiftLog', { scope: { ...early(), from: '2026-10-02' } })).message).toContain('开始日期不能晚于结束日期');
  });
});

describe('shift definitions are data a lead edits', () => {
  const { h, fx } = deskForBlock();

  it('refuses a set with a gap, saying where, and keeps the old one', async () => {
    await signIn(h, '2026-10-02 20:00:00', '9001', '孙敏', 'team_lead');
    const error = refusal(
      await h.api.call('shifts.update', {
        shifts: [
          { code: 'early', name: '早班', start: '08:00', end: '16:00' },
          { code: 'middle', name: '中班', start: '16:00', end: '23:00' },
        ],
      }),
    );
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('00:00–08:00、23:00–24:00 不属于任何班次');
    expect(value(await h.api.call('shifts.list', {}))).toHaveLength(3);
  });

  it('a 夜班 from 22:00 to 06:00 stamps both sides of midnight with the date it began', async () => {
    const saved = value(
      await h.api.call('shifts.update', {
        shifts: [
          { code: 'early', name: '早班', start: '06:00', end: '14:00' },
          { code: 'middle', name: '中班', start: '14:00', end: '22:00' },
          { code: 'night', name: '夜班', start: '22:00', end: '06:00' },
        ],
      }),
    );
    expect(saved.map((s) => s.code)).toEqual(['early', 'middle', 'night']);
    h.clock.at = bj('2026-10-02 23:00:00');
    expect(value(await h.api.call('app.info', {})).shift).toMatchObject({ code: 'night', start: '22:00', end: '06:00' });
    await take(h, fx, '2026-10-02 23:30:00', 100, 'direct');
    await take(h, fx, '2026-10-03 01:00:00', 200, 'direct');
    await take(h, fx, '2026-10-03 06:00:00', 90, 'kb'); // the 早班 of the 3rd
    h.clock.at = bj('2026-10-03 07:00:00');
    const night = value(await h.api.call('lead.shiftLog', { scope: { from: '2026-10-02', to: '2026-10-02', shiftCode: 'night', operatorIds: [], categoryLevel: 3 } }));
    expect(night.totals.taken).toBe(2);
    expect(night.scopeLabel).toBe('2026-10-02 夜班 22:00–06:00 · 全部坐席');
    expect(night.window).toEqual({ start: bj('2026-10-02 22:00:00').toISOString(), end: bj('2026-10-03 06:00:00').toISOString() });
    expect(night.hourly.map((x) => x.hour)).toEqual([22, 23, 0, 1, 2, 3, 4, 5]);
    expect(night.hourly.map((x) => x.count)).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
    expect(night.categories.items[0]).toMatchObject({ code: fx.localLeaf.code, count: 2 });
    // The lead was signed in all night: both tickets are the lead's.
    expect(night.operators.map((o) => [o.operatorName, o.taken])).toEqual([['孙敏', 2]]);
  });
});

describe('the shift log’s queries use their indexes', () => {
  let desk: TestDesk;
  beforeAll(() => {
    desk = openTestDesk();
  });
  afterAll(() => desk.dispose());
  const plan = (sql: string, params: Record<string, unknown>) =>
    (desk.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');

  it('read every figure from the covering shift-log index, never the wide ticket rows', () => {
    expect(new Date(2026, 9, 1).getTimezoneOffset()).toBe(420); // the machine really is in Los Angeles
    const scope = { from: '2026-10-01', to: '2026-10-01', shiftCode: 'early', operators: '[]' };
    for (const sql of [LEAD_QUERIES.dayCounts]) {
      expect(plan(sql, scope)).toMatch(/SEARCH t USING COVERING INDEX tickets_tally \(shift_date>\? AND shift_date<\?\)/);
    }
    // 受理渠道 other than 电话: from their own partial index (migration 7), never the ticket rows.
    for (const sql of [LEAD_QUERIES.channels, LEAD_QUERIES.channelRows]) {
      expect(plan(sql, scope)).toMatch(/SEARCH t USING COVERING INDEX tickets_channel_other \(shift_date>\? AND shift_date<\?\)/);
    }
    // The shift log's counts: the groups in index order (no sort), then each group's tickets by an equality seek.
    const groups = plan(LEAD_QUERIES.tallyGroups, { ...scope, reportAtMs: Date.parse('2026-10-02T00:00:00Z') });
    expect(groups).toMatch(/SEARCH t USING COVERING INDEX tickets_tally \(shift_date>\? AND shift_date<\?\)/);
    expect(groups).not.toMatch(/TEMP B-TREE/);
    for (const sql of [LEAD_QUERIES.tallyRows, LEAD_QUERIES.statRows]) {
      expect(plan(sql.replace(/\?/g, "'x'"), {})).toMatch(/SEARCH t USING COVERING INDEX tickets_tally \(shift_date=\? AND shift_code=\? AND operator_id=\? AND operator_name=\?\)/);
    }
    const callbacks = plan(LEAD_QUERIES.callbacks, { ...scope, since: '2026-09-30T16:00:00.000Z' });
    expect(callbacks).toMatch(/SEARCH e USING COVERING INDEX ticket_events_callbacks \(at>\?\)/);
    expect(callbacks).toMatch(/SEARCH t USING COVERING INDEX tickets_id_scope \(id=\?/);
    expect(callbacks).not.toMatch(/TEMP B-TREE/);
    expect(plan(LEAD_QUERIES.countByShift, { from: '2026-10-01', to: '2026-10-07' })).toMatch(/USING COVERING INDEX tickets_tally/);
    expect(plan(SESSION_QUERIES.overlapping, { start: '2026-10-01T00:00:00.000Z', end: '2026-10-01T08:00:00.000Z' })).toMatch(/operator_sessions USING INDEX operator_sessions_time/);
  });
});
