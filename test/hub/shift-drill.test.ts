/**
 * The tickets behind the team lead's center-wide figures (`stats.shiftDrill`, server/shift-drill.ts)
 * on PGlite and PostgreSQL: paged newest first with the total, every ticket on exactly one page, the
 * same tickets as the figure `stats.shiftTally` counts, and phone numbers masked unless a 班长 or
 * admin asks for them in full; call-takers and units are refused.
 */
import { describe, expect, it } from 'vitest';
import type { PushedTicket } from '../../shared/api/hub-contract';
import type { ShiftDrillInput } from '../../shared/api/center-drill-contract';
import { tallyFromCenter } from '../../shared/stats/center-tally';
import { reportFromTally } from '../../shared/stats/shift-report';
import { useHubWithUsers } from './fixture';
import { DRIVERS, expectOk, pushedTicket } from './support';

const DAY = '2026-12-01';
const REPORT_AT = '2026-12-02T00:00:00.000Z';
const SCOPE = { from: DAY, to: DAY, shiftCode: null, operatorIds: [] as string[] };

/** 250 tickets a minute apart from 00:00Z (08:00 Beijing): every 10th 咨询办结, every 3rd by operator op-2, the number in the content. */
function fixture(): PushedTicket[] {
  return Array.from({ length: 250 }, (_, i) => {
    const at = new Date(Date.parse(`${DAY}T00:00:00.000Z`) + i * 60_000).toISOString();
    const kb = i % 10 === 0;
    return pushedTicket({
      submittedAt: at,
      operatorId: i % 3 === 0 ? 'op-2' : 'op-1',
      operatorName: i % 3 === 0 ? '周话务' : '李话务',
      callerPhone: '13912345678',
      callbackPhone: '13912345678',
      content: `第 ${i} 号：请回电 13912345678，楼下施工噪音`,
      ...(kb ? { disposition: '咨询办结' as const, unitCode: null, kbArticleId: 'KB-1' } : {}),
    });
  });
}

describe.each(DRIVERS)('center-wide drill-down (stats.shiftDrill) on %s', (driver) => {
  const on = useHubWithUsers(driver);
  const tickets = fixture();
  let pushed = false;
  const push = async () => {
    if (pushed) return;
    for (let i = 0; i < tickets.length; i += 100) expectOk(await on.taker.call('tickets.push', { tickets: tickets.slice(i, i + 100) }));
    pushed = true;
  };
  const ask = (extra: Partial<ShiftDrillInput>): ShiftDrillInput => ({ ...SCOPE, filter: { kind: 'all' }, reportAt: REPORT_AT, offset: 0, limit: 100, ...extra });

  it('lists every ticket behind a figure once, 100 a page, newest first, with the total the figure shows', async () => {
    await push();
    const pages = [];
    for (let offset = 0; offset < 300; offset += 100) pages.push(expectOk(await on.lead.call('stats.shiftDrill', ask({ offset, filter: { kind: 'metric', metric: 'taken' } }))));
    expect(pages.map((p) => p.total)).toEqual([250, 250, 250]);
    expect(pages.map((p) => p.rows.length)).toEqual([100, 100, 50]);
    const all = pages.flatMap((p) => p.rows);
    expect(new Set(all.map((r) => r.id))).toEqual(new Set(tickets.map((t) => t.id)));
    expect(all[0]!.id).toBe(tickets[249]!.id); // newest first
    expect(all.at(-1)!.id).toBe(tickets[0]!.id);

    // The same tickets the center-wide figures count (stats.shiftTally).
    const names = { categoryPath: (code: string) => [code], placeName: (code: string) => code };
    const scope = { ...SCOPE, categoryLevel: 1 as const };
    const counts = expectOk(await on.lead.call('stats.shiftTally', { ...scope, trendFrom: DAY, reportAt: REPORT_AT }));
    const report = reportFromTally(tallyFromCenter(counts), { scope, shift: null, trendFrom: DAY, names });
    const kb = expectOk(await on.lead.call('stats.shiftDrill', ask({ filter: { kind: 'metric', metric: 'kb_closed' } })));
    expect(kb.total).toBe(report.totals.kbClosed);
    expect(kb.total).toBe(25);
    expect(kb.rows.every((r) => r.disposition === '咨询办结')).toBe(true);
    const op2 = expectOk(await on.lead.call('stats.shiftDrill', ask({ filter: { kind: 'operator', operatorId: 'op-2' } })));
    expect(op2.total).toBe(report.operators.find((o) => o.operatorId === 'op-2')!.taken);
    const op2kb = expectOk(await on.lead.call('stats.shiftDrill', ask({ filter: { kind: 'metric', metric: 'kb_closed', operatorId: 'op-2' } })));
    expect(op2kb.total).toBe(tickets.filter((_, i) => i % 3 === 0 && i % 10 === 0).length);
    // 08:00–09:00 Beijing: the first 60 minutes.
    const hour = expectOk(await on.lead.call('stats.shiftDrill', ask({ filter: { kind: 'hour', hour: 8 } })));
    expect(hour.total).toBe(60);
    expect(hour.total).toBe(report.hourly.find((h) => h.hour === 8)!.count);
    const otherDay = expectOk(await on.lead.call('stats.shiftDrill', ask({ from: '2026-11-30', to: '2026-11-30' })));
    expect(otherDay.total).toBe(0);
  });

  it('masks phone numbers for the screen, gives them in full to a 班长 or admin who asks, refuses call-takers and units', async () => {
    await push();
    const masked = expectOk(await on.lead.call('stats.shiftDrill', ask({ limit: 5 })));
    expect(masked.masked).toBe(true);
    for (const r of masked.rows) {
      expect(r.callerPhone).toBe('139****5678');
      expect(r.callbackPhone).toBe('139****5678');
      expect(r.content).toContain('139****5678');
      expect(r.content).not.toContain('13912345678');
    }
    for (const who of [on.lead, on.admin]) {
      const full = expectOk(await who.call('stats.shiftDrill', ask({ limit: 5, fullPhones: true })));
      expect(full.masked).toBe(false);
      expect(full.rows[0]!.callerPhone).toBe('13912345678');
      expect(full.rows[0]!.content).toContain('13912345678');
    }
    for (const who of [on.taker, on.opA]) {
      const refused = await who.call('stats.shiftDrill', ask({ fullPhones: true }));
      expect(refused.ok || refused.error.kind).toBe('forbidden');
    }
  });

  it('walks a figure by cursor (keyset, no OFFSET): every ticket once, in the screen\'s order, ties at one instant broken by id; counts only when asked', async () => {
    await push();
    const byOffset = [];
    for (let offset = 0; offset < 250; offset += 100) byOffset.push(...expectOk(await on.lead.call('stats.shiftDrill', ask({ offset }))).rows.map((r) => r.id));
    const walked: string[] = [];
    const totals: Array<number | null> = [];
    let after: ShiftDrillInput['after'];
    for (let first = true; ; first = false) {
      const page = expectOk(await on.lead.call('stats.shiftDrill', ask({ limit: 37, ...(after ? { after } : {}), count: first })));
      totals.push(page.total);
      walked.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      expect(page.next.id).toBe(page.rows.at(-1)!.id);
      after = page.next;
    }
    expect(walked).toEqual(byOffset);
    expect(walked).toHaveLength(250);
    expect(totals[0]).toBe(250);
    expect(totals.slice(1).every((t) => t === null)).toBe(true);

    // 40 tickets submitted in the same millisecond on another day: pages of 7 still give each once.
    const tied = Array.from({ length: 40 }, () => pushedTicket({ shiftDate: '2026-12-05', submittedAt: '2026-12-05T02:00:00.123Z' }));
    expectOk(await on.taker.call('tickets.push', { tickets: tied }));
    const day5 = { from: '2026-12-05', to: '2026-12-05' };
    const seen: string[] = [];
    let cursor: ShiftDrillInput['after'];
    for (;;) {
      const page = expectOk(await on.lead.call('stats.shiftDrill', ask({ ...day5, limit: 7, ...(cursor ? { after: cursor } : {}) })));
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen)).toEqual(new Set(tied.map((t) => t.id)));
    expect(seen).toEqual([...seen].sort().reverse()); // id DESC within the instant
    // A cursor with an offset is refused; the cursor must be a ticket id and an instant.
    const both = await on.lead.call('stats.shiftDrill', ask({ offset: 5, after: { submittedAt: '2026-12-01T00:00:00.000Z', id: tickets[0]!.id } }));
    expect(both.ok || both.error.kind).toBe('bad_request');
  });

  it('counts 未核验 tickets (the operator only the desk\'s word) per operator and in total, beside those a call-taker\'s own account pushed', async () => {
    const day = '2026-12-07';
    const at = (m: number) => new Date(Date.parse(`${day}T01:00:00.000Z`) + m * 60_000).toISOString();
    // The desk account pushes for whoever signed in: 5 for op-1, 3 for 1001 (signed in offline, say).
    const byDesk = [
      ...Array.from({ length: 5 }, (_, i) => pushedTicket({ shiftDate: day, submittedAt: at(i), operatorId: 'op-1', operatorName: '李话务' })),
      ...Array.from({ length: 3 }, (_, i) => pushedTicket({ shiftDate: day, submittedAt: at(10 + i), operatorId: '1001', operatorName: '孙话务' })),
    ];
    expectOk(await on.taker.call('tickets.push', { tickets: byDesk }));
    // 1001 with their own account: 4 verified.
    const own = await on.hub.as('1001');
    expectOk(await own.call('tickets.push', { tickets: Array.from({ length: 4 }, (_, i) => pushedTicket({ shiftDate: day, submittedAt: at(20 + i), operatorId: '1001', operatorName: '孙话务' })) }));
    const tally = expectOk(await on.lead.call('stats.shiftTally', { from: day, to: day, trendFrom: day, shiftCode: null, operatorIds: [], categoryLevel: 1, reportAt: REPORT_AT }));
    const of = (id: string) => tally.operators.find((o) => o.operatorId === id)!;
    expect([of('op-1').taken, of('op-1').unverified]).toEqual([5, 5]);
    expect([of('1001').taken, of('1001').unverified]).toEqual([7, 3]);
    expect([tally.totals.taken, tally.totals.unverified]).toEqual([12, 8]);
    // The report the desk shows carries them, per operator and in total.
    const scope = { from: day, to: day, shiftCode: null, operatorIds: [] as string[], categoryLevel: 1 as const };
    const names = { categoryPath: (code: string) => [code], placeName: (code: string) => code };
    const report = reportFromTally(tallyFromCenter(tally), { scope, shift: null, trendFrom: day, names });
    expect(report.totals.unverified).toBe(8);
    expect(report.operators.map((o) => [o.operatorId, o.unverified]).sort()).toEqual([['1001', 3], ['op-1', 5]]);
    // Only the one operator: the same counts for them alone.
    const one = expectOk(await on.lead.call('stats.shiftTally', { from: day, to: day, trendFrom: day, shiftCode: null, operatorIds: ['1001'], categoryLevel: 1, reportAt: REPORT_AT }));
    expect([one.totals.taken, one.totals.unverified]).toEqual([7, 3]);
  });
});
