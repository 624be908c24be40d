/**
 * 考核 (server/rankings.ts): the rates, 综合得分 and 排名 of `stats.rankings` and the tickets behind a
 * figure (`stats.rankingTickets`) on a fixture counted by hand, written through the hub's moves
 * with a test clock — returns, an approved extension, an approved 不合理诉求, a 咨询办结, a
 * 重复诉求, a callback that reopened a ticket (重办) — on PGlite and PostgreSQL; and who may see what.
 * Definitions: docs/decisions/0005-rates-and-rankings.md.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
import type { PushedTicket } from '../../shared/api/hub-contract';
import { toStatTicket } from '../../electron/services/lead/center-figures';
import { tallyFromCenter } from '../../shared/stats/center-tally';
import { reportFromTally, tallyTickets } from '../../shared/stats/shift-report';
import { compositeScore, DEFAULT_SCORING, parseScoringPolicy, previousPeriod, rankScores } from '../../shared/stats/scoring';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, pushedTicket, startTestHub, type TestHub } from './support';

// 09:00 Beijing on 2026-11-10; 一般 tickets' 派单 limit (sla.json dispatch_general, 2 h) ends 03:00Z,
// 紧急 (dispatch_emergency, 15 min) 01:15Z.
const AT = '2026-11-10T01:00:00.000Z';
const RANGE = { from: '2026-11-10', to: '2026-11-11' };
const SCORING = { ...DEFAULT_SCORING, minTickets: 1 };

const street = (unitCode: string, districtCode: string, streetCode: string, unit: string, streetName: string, district: string) => (extra: Partial<PushedTicket> = {}) =>
  pushedTicket({ submittedAt: AT, unitCode, address: { districtCode, streetCode, villageCode: null, text: '' }, names: { unit, district, street: streetName, leafPath: ['城乡建设', '施工管理', '施工扰民'] }, ...extra });
const onA = street('U-A', 'D1', 'S-A', '甲街道办事处', '甲街道', '甲区');
const onB = street('U-B', 'D1', 'S-B', '乙街道办事处', '乙街道', '甲区');
const onC = street('U-C', 'D2', 'S-C', '丙镇人民政府', '丙镇', '乙区');

describe('综合得分 (shared/stats/scoring.ts)', () => {
  it('weights the rates by the policy, leaves out a rate with nothing under it, credits 1 − rate for lower-is-better ones', () => {
    const rates = { responseRate: 0.5, resolutionRate: 2 / 3, satisfactionRate: 1, firstSatisfactionRate: 0.5, reopenRate: 0.25, returnRate: 0, repeatRate: 0.25 };
    expect(compositeScore(rates, DEFAULT_SCORING)).toBeCloseTo(80, 9);
    expect(compositeScore({ ...rates, resolutionRate: null, satisfactionRate: null }, DEFAULT_SCORING)).toBeCloseTo(50, 9);
    const reopenOnly = { ...DEFAULT_SCORING, weights: { ...DEFAULT_SCORING.weights, responseRate: 0, resolutionRate: 0, satisfactionRate: 0, reopenRate: 1 } };
    expect(compositeScore(rates, reopenOnly)).toBeCloseTo(75, 9);
  });

  it('ranks best first, ties share a rank, groups under minTickets are not ranked', () => {
    const rows = [
      { tickets: 10, score: 80 },
      { tickets: 10, score: 95 },
      { tickets: 2, score: 99 },
      { tickets: 10, score: 80 },
      { tickets: 10, score: null },
      { tickets: 10, score: 60 },
    ];
    expect(rankScores(rows, DEFAULT_SCORING)).toEqual([2, 1, null, 2, null, 4]);
  });

  it('compares with the period of the same length just before', () => {
    expect(previousPeriod('2026-11-10', '2026-11-11')).toEqual({ from: '2026-11-08', to: '2026-11-09' });
    expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-01-29', to: '2026-02-28' });
  });

  it('refuses a policy with no weight or a misspelt rate', () => {
    expect(parseScoringPolicy(JSON.stringify({ ...DEFAULT_SCORING, weights: { ...DEFAULT_SCORING.weights, responseRate: 0, resolutionRate: 0, satisfactionRate: 0 } })).ok).toBe(false);
    expect(parseScoringPolicy(JSON.stringify({ ...DEFAULT_SCORING, weights: { ...DEFAULT_SCORING.weights, satisfaction: 1 } })).ok).toBe(false);
  });
});

describe.each(DRIVERS)('考核 rates and rankings on %s', (driver) => {
  let hub!: TestHub;
  const as: Record<string, HubClient> = {};
  setupOnce(
    async () => {
      hub = await startTestHub(driver, { scoring: SCORING });
      // U-C's operator is not among the seeded users; the admin makes U-C's moves.
      for (const name of ['admin', 'lead', 'taker', 'op_a', 'op_b', 'op_sub', 'op_city']) as[name] = await hub.as(name);
    },
    async () => {
      await hub?.close();
    },
  );

  const t = {
    a1: onA({ channel: '微信' }), // accepted in time, closed, callback 已解决 满意; a 重复诉求 call linked to it; came by 微信
    a2: onA(), // accepted late, callback 未解决 不满意 → 重办, accepted, closed, callback 已解决 满意
    a3: onA(), // accepted in time, extension approved, closed 未解决 by the unit, no callback
    a4: onA({ channel: '微信' }), // accepted, 不合理诉求 approved: out of every rate (and of the channel split)
    a5: onA({ urgency: '紧急', channel: '微信' }), // 紧急: accepted after 20 min (limit 15): not responded; still open; 微信
    b1: onB(), // returned by U-B, redispatched to U-C, accepted in time
    b2: onB(), // accepted in time, closed, callback 已解决 基本满意
    c1: onC({ channel: '网络', leafCode: '0203', names: { unit: '丙镇人民政府', district: '乙区', street: '丙镇', leafPath: ['市场管理', '价格监管', '明码标价'] } }), // D2, accepted in time
    k1: onA({ disposition: '咨询办结', unitCode: null, kbArticleId: 'KB-1' }), // closed by the knowledge base: not counted
    late: onA({ submittedAt: '2026-11-12T01:00:00.000Z' }), // after the range
    p1: onA({ submittedAt: '2026-11-08T01:00:00.000Z' }), // the previous period: accepted in time, callback 满意
  };
  const dup = onA({ disposition: '重复诉求', unitCode: null, linkedTicketId: t.a1.id });

  setupOnce(async () => {
    expectOk(await as.taker!.call('tickets.push', { tickets: [...Object.values(t), dup] }));
    const step = async (when: string, who: string, call: string, input: Record<string, unknown>) => {
      hub.clock.set(when);
      const result = await (as[who]!.call as (name: string, input: unknown) => Promise<{ ok: boolean; error?: unknown }>)(call, input);
      expect(result.ok, `${when} ${who} ${call} ${JSON.stringify(result.error ?? '')}`).toBe(true);
    };
    const callback = (when: string, id: string, resolved: boolean, satisfaction: string) =>
      step(when, 'taker', 'ticket.callback', { ticketId: id, outcome: '联系上', resolved, satisfaction, words: resolved ? '问题已经解决了' : '问题还没有解决' });
    await step('2026-11-08T01:30:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.p1.id });
    await step('2026-11-08T05:00:00.000Z', 'op_a', 'ticket.close', { ticketId: t.p1.id, resolved: true, note: '已协调施工方停工' });
    await callback('2026-11-09T02:00:00.000Z', t.p1.id, true, '满意');

    await step('2026-11-10T01:30:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.a1.id });
    await step('2026-11-10T04:00:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.a2.id });
    await step('2026-11-10T02:00:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.a3.id });
    await step('2026-11-10T02:10:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.a4.id });
    await step('2026-11-10T01:20:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.a5.id });
    await step('2026-11-10T01:10:00.000Z', 'op_b', 'ticket.accept', { ticketId: t.b2.id });
    await step('2026-11-10T02:00:00.000Z', 'op_b', 'ticket.return', { ticketId: t.b1.id, reason: '不属于本街道辖区' });
    await step('2026-11-10T02:15:00.000Z', 'lead', 'ticket.redispatch', { ticketId: t.b1.id, unitCode: 'U-C' });
    await step('2026-11-10T02:30:00.000Z', 'admin', 'ticket.accept', { ticketId: t.b1.id });
    await step('2026-11-10T02:40:00.000Z', 'admin', 'ticket.accept', { ticketId: t.c1.id });

    await step('2026-11-10T05:00:00.000Z', 'op_a', 'ticket.close', { ticketId: t.a1.id, resolved: true, note: '已协调施工方停工' });
    await step('2026-11-10T05:00:00.000Z', 'op_a', 'ticket.close', { ticketId: t.a2.id, resolved: true, note: '已协调施工方停工' });
    await step('2026-11-10T05:00:00.000Z', 'op_b', 'ticket.close', { ticketId: t.b2.id, resolved: true, note: '已协调施工方停工' });
    await step('2026-11-10T06:00:00.000Z', 'op_a', 'ticket.extend', { ticketId: t.a3.id, reason: '需协调多个部门', newDate: '2026-11-20' });
    await step('2026-11-10T07:00:00.000Z', 'admin', 'ticket.decide', { ticketId: t.a3.id, kind: 'extension', approve: true, reason: '' });
    await step('2026-11-11T05:00:00.000Z', 'op_a', 'ticket.close', { ticketId: t.a3.id, resolved: false, note: '涉及规划调整，暂无法解决' });
    await step('2026-11-10T06:00:00.000Z', 'op_a', 'ticket.requestUnreasonable', { ticketId: t.a4.id, reason: '诉求超出法定职责', evidence: '录音与现场照片' });
    await step('2026-11-10T07:00:00.000Z', 'admin', 'ticket.decide', { ticketId: t.a4.id, kind: 'unreasonable', approve: true, reason: '' });

    await callback('2026-11-11T02:00:00.000Z', t.a1.id, true, '满意');
    await callback('2026-11-11T02:00:00.000Z', t.b2.id, true, '基本满意');
    await callback('2026-11-11T02:00:00.000Z', t.a2.id, false, '不满意'); // 重办: back to U-A
    await step('2026-11-11T03:00:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.a2.id });
    await step('2026-11-11T06:00:00.000Z', 'op_a', 'ticket.close', { ticketId: t.a2.id, resolved: true, note: '已督促施工方整改完毕' });
    await callback('2026-11-12T02:00:00.000Z', t.a2.id, true, '满意');
    await step('2026-11-12T01:30:00.000Z', 'op_a', 'ticket.accept', { ticketId: t.late.id });
    hub.clock.set('2026-12-01T02:00:00.000Z');
  });

  it('counts each unit by hand: responses, results, callbacks, 重办, 退单, 重复诉求; 综合得分 and 排名 from the policy', async () => {
    const r = expectOk(await as.lead!.call('stats.rankings', { ...RANGE, groupBy: 'unit' }));
    expect(r.scopeLabel).toBe('全市');
    expect(r.previous).toEqual({ from: '2026-11-08', to: '2026-11-09' });
    const pick = ({ key, name, tickets, responded, answered, resolved, callbacks, firstSatisfied, reopened, returned, repeated, rank }: (typeof r.rows)[number]) => ({
      ...{ key, name, tickets, responded, answered, resolved, callbacks, firstSatisfied, reopened, returned, repeated, rank },
    });
    // U-C: b1 and c1, both accepted in time, no result yet → scored on 响应率 alone: 100.
    // U-B: b2 → 1, 1, 0.8, 退单 1 of 2 (b2 plus b1 it handed back) → 100 × (0.1 + 0.45 + 0.45 × 0.8) = 91.
    // U-A: a1 a2 a3 a5 (a4 out) → 响应 2/4, 解决 2/3, 满意 (1 + 1)/2 → 100 × (0.05 + 0.3 + 0.45) = 80.
    expect(r.rows.map(pick)).toEqual([
      { key: 'U-C', name: '丙镇人民政府', tickets: 2, responded: 2, answered: 0, resolved: 0, callbacks: 0, firstSatisfied: 0, reopened: 0, returned: 0, repeated: 0, rank: 1 },
      { key: 'U-B', name: '乙街道办事处', tickets: 1, responded: 1, answered: 1, resolved: 1, callbacks: 1, firstSatisfied: 1, reopened: 0, returned: 1, repeated: 0, rank: 2 },
      { key: 'U-A', name: '甲街道办事处', tickets: 4, responded: 2, answered: 3, resolved: 2, callbacks: 2, firstSatisfied: 1, reopened: 1, returned: 0, repeated: 1, rank: 3 },
    ]);
    const [c, b, a] = r.rows;
    expect(c!.score).toBeCloseTo(100, 9);
    expect(c!.resolutionRate).toBeNull();
    expect(c!.satisfactionRate).toBeNull();
    expect(b!.score).toBeCloseTo(91, 9);
    expect(b!.satisfactionRate).toBeCloseTo(0.8, 9);
    expect(b!.returnRate).toBe(0.5);
    expect(a!.score).toBeCloseTo(80, 9);
    expect(a).toMatchObject({ responseRate: 0.5, satisfactionRate: 1, firstSatisfactionRate: 0.5, reopenRate: 0.25, repeatRate: 0.25, returnRate: 0 });
    expect(a!.resolutionRate).toBeCloseTo(2 / 3, 9);
    // The previous period: U-A's p1 alone, everything met → 100, first.
    expect(a!.previous).toEqual({ tickets: 1, score: 100, rank: 1 });
    expect(b!.previous).toBeNull();
    // Center-wide: 7 tickets (a4, k1, the 重复诉求 and the later ticket out), one returned.
    expect(r.totals).toMatchObject({ tickets: 7, responded: 5, answered: 4, resolved: 3, callbacks: 3, reopened: 1, returned: 1, repeated: 1 });
    expect(r.totals.satisfactionRate).toBeCloseTo(2.8 / 3, 9);
    expect(r.trend).toEqual([{ date: '2026-11-10', tickets: 7, responseRate: 5 / 7, resolutionRate: 0.75, satisfactionRate: r.totals.satisfactionRate }]);
  });

  it('splits the counted tickets by 受理渠道, with shares, in the scope one may see', async () => {
    // Counted: a1 a5 (微信), a2 a3 b1 b2 (电话), c1 (网络); a4 (微信, 不合理诉求) and k1 are out.
    const city = expectOk(await as.lead!.call('stats.rankings', { ...RANGE, groupBy: 'unit' }));
    expect(city.channels.map((c) => [c.channel, c.tickets])).toEqual([
      ['电话', 4],
      ['网络', 1],
      ['微信', 2],
    ]);
    expect(city.channels.map((c) => c.share)).toEqual([4 / 7, 1 / 7, 2 / 7]);
    const sub = expectOk(await as.op_sub!.call('stats.rankings', { ...RANGE, groupBy: 'street' }));
    expect(sub.channels.map((c) => [c.channel, c.tickets])).toEqual([
      ['电话', 4],
      ['微信', 2],
    ]);
  });

  it('exports the rankings as XLSX that reads back with the same figures', async () => {
    const r = expectOk(await as.lead!.call('stats.rankings', { ...RANGE, groupBy: 'unit' }));
    const file = expectOk(await as.lead!.call('stats.rankingsXlsx', { ...RANGE, groupBy: 'unit' }));
    expect(file.fileName).toBe('考核排名_全市_按承办单位_2026-11-10_2026-11-11.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['排名', '受理渠道', '说明']);
    const sheet = book.getWorksheet('排名')!;
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(values(1).slice(0, 5)).toEqual(['排名', '编码', '承办单位', '工单', '响应率']);
    // U-C first, U-B, U-A: rank, key, name, tickets, 响应率 … as the page shows them.
    expect(r.rows.map((x, i) => values(i + 2).slice(0, 5))).toEqual(r.rows.map((x) => [x.rank, x.key, x.name, x.tickets, x.responseRate]));
    expect(values(4)[11]).toBeCloseTo(80, 9); // U-A's 综合得分
    expect(values(5).slice(2, 4)).toEqual(['合计', 7]);
    const channels = book.getWorksheet('受理渠道')!;
    expect([2, 3, 4].map((n) => (channels.getRow(n).values as unknown[]).slice(1, 3))).toEqual([
      ['电话', 4],
      ['网络', 1],
      ['微信', 2],
    ]);
    const refused = await as.op_a!.call('stats.rankingsXlsx', { ...RANGE, groupBy: 'unit' });
    expect(refused.ok || refused.error.kind).toBe('forbidden');
  });

  it('groups by street, district and 一级 category', async () => {
    const streets = expectOk(await as.lead!.call('stats.rankings', { ...RANGE, groupBy: 'street' }));
    expect(streets.rows.map((x) => [x.key, x.name, x.tickets, x.returned]).sort()).toEqual([
      ['S-A', '甲街道', 4, 0],
      ['S-B', '乙街道', 2, 1],
      ['S-C', '丙镇', 1, 0],
    ]);
    const districts = expectOk(await as.lead!.call('stats.rankings', { ...RANGE, groupBy: 'district' }));
    expect(districts.rows.map((x) => [x.key, x.name, x.tickets, x.responded]).sort()).toEqual([
      ['D1', '甲区', 6, 4],
      ['D2', '乙区', 1, 1],
    ]);
    const categories = expectOk(await as.lead!.call('stats.rankings', { ...RANGE, groupBy: 'category' }));
    expect(categories.rows.map((x) => [x.key, x.name, x.tickets]).sort()).toEqual([
      ['02', '市场管理', 1],
      ['L0', '城乡建设', 6],
    ]);
  });

  it('drills down to the tickets behind a figure', async () => {
    const late = expectOk(await as.lead!.call('stats.rankingTickets', { ...RANGE, groupBy: 'unit', key: 'U-A', figure: 'notResponded' }));
    expect(late.total).toBe(2);
    const numbers = await Promise.all([t.a2, t.a5].map(async (x) => expectOk(await as.admin!.call('workspace.ticket', { ticketId: x.id })).number));
    expect(late.rows.map((x) => x.number).sort()).toEqual(numbers.sort());
    const returned = expectOk(await as.lead!.call('stats.rankingTickets', { ...RANGE, groupBy: 'unit', key: 'U-B', figure: 'returned' }));
    expect(returned.rows.map((x) => [x.id, x.unitName, x.returns])).toEqual([[t.b1.id, '丙镇人民政府', 1]]);
    const reopened = expectOk(await as.lead!.call('stats.rankingTickets', { ...RANGE, groupBy: 'unit', key: null, figure: 'reopened' }));
    expect(reopened.rows.map((x) => [x.id, x.reopens, x.callback])).toEqual([[t.a2.id, 1, '已解决·满意']]);
  });

  it('shows a sub-center its district only, refuses units and call-takers', async () => {
    const sub = expectOk(await as.op_sub!.call('stats.rankings', { ...RANGE, groupBy: 'unit' }));
    expect(sub.scopeLabel).toBe('甲区');
    expect(sub.totals.tickets).toBe(6);
    expect(sub.rows.find((x) => x.key === 'U-C')?.tickets).toBe(1); // b1 lies in 甲区; c1 in 乙区 is not shown
    expect(expectOk(await as.op_city!.call('stats.rankings', { ...RANGE, groupBy: 'unit' })).totals.tickets).toBe(7);
    const unit = await as.op_a!.call('stats.rankings', { ...RANGE, groupBy: 'unit' });
    expect(unit.ok || unit.error.kind).toBe('forbidden');
    const drill = await as.op_a!.call('stats.rankingTickets', { ...RANGE, groupBy: 'unit', key: 'U-A', figure: 'tickets' });
    expect(drill.ok || drill.error.kind).toBe('forbidden');
    const taker = await as.taker!.call('stats.rankings', { ...RANGE, groupBy: 'unit' });
    expect(taker.ok || taker.error.kind).toBe('forbidden');
  });

  it('counts the team lead’s center-wide shift log in SQL exactly as the desk counts the same rows', async () => {
    const reportAt = '2026-11-12T00:00:00.000Z';
    const names = { categoryPath: (code: string) => [code], placeName: (code: string) => code };
    for (const scope of [
      { from: '2026-12-01', to: '2026-12-01', shiftCode: null, operatorIds: [], categoryLevel: 1 as const },
      { from: '2026-12-01', to: '2026-12-01', shiftCode: 'day', operatorIds: ['op-1'], categoryLevel: 3 as const },
    ]) {
      const trendFrom = '2026-11-25';
      const rows = expectOk(await as.lead!.call('stats.shiftTickets', { from: trendFrom, to: scope.to, shiftCode: scope.shiftCode, operatorIds: scope.operatorIds }));
      expect(rows.rows.length).toBeGreaterThan(5);
      const fromRows = reportFromTally(tallyTickets({ tickets: rows.rows.map(toStatTicket), scope, reportAtMs: Date.parse(reportAt), trendFrom }), { scope, shift: null, trendFrom, names });
      const counts = expectOk(await as.lead!.call('stats.shiftTally', { ...scope, trendFrom, reportAt }));
      expect(JSON.stringify(counts)).not.toContain('张先生'); // counts only, no ticket content
      const fromSql = reportFromTally(tallyFromCenter(counts), { scope, shift: null, trendFrom, names });
      // 未核验 is the hub's to know (the desk's rows say nothing of it): every fixture ticket came from
      // the desk account `taker`, so each names its operator on the desk's word.
      expect(fromSql.totals.unverified).toBe(rows.rows.length);
      for (const o of fromSql.operators) expect(o.unverified).toBe(o.taken);
      const withoutUnverified = (r: typeof fromSql) => JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'unverified' ? null : v))) as unknown;
      expect(withoutUnverified(fromSql)).toEqual(withoutUnverified(fromRows));
      expect(fromSql.totals.taken).toBe(rows.rows.length);
      // 受理渠道 (every fixture ticket has shift date 2026-12-01): a1, a4, a5 by 微信, c1 by 网络, the rest by phone.
      if (scope.shiftCode === null) expect(fromSql.channels.map((c) => [c.channel, c.count])).toEqual([['电话', rows.rows.length - 4], ['网络', 1], ['微信', 3]]);
    }
  });
});
