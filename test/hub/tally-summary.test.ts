/**
 * The team lead's tally from its per-day summaries (server/stats.ts shiftTally, hub migration 18)
 * against the same figures counted from the tickets (`live`), on PGlite and PostgreSQL: tickets
 * of several operators, shifts and days pushed, then random writes straight to the tables as any
 * hub path makes them — 退单, 回访 with each satisfaction, a closed deadline, a reclassified ticket
 * or one moved to another street, an operator's new name, a ticket moved to the other shift or
 * operator, one verified, a call start over a day back, one deleted — and after each round every scope (days, shift, operators, category level,
 * trend, report instant) must agree, and the summary must hold rows for what it counts.
 */
import { describe, expect, it } from 'vitest';
import type { PushedTicket } from '../../shared/api/hub-contract';
import type { CenterTally } from '../../shared/stats/center-tally';
import type { Sql } from '../../server/db';
import { monthsAndDays, shiftTally } from '../../server/stats';
import { seededRandom } from '../../shared/random';
import { setupOnce, useHub } from './fixture';
import { DRIVERS, expectOk, pushedTicket, type TestHub } from './support';

const OPERATORS = [
  { id: 'op-1', names: ['李话务'] },
  { id: 'op-2', names: ['王话务', '王晓话务'] },
  { id: 'op-3', names: ['赵话务'] },
];
const STREETS = ['S-A', 'S-B', null];
const LEAVES = ['0101', '0102', '0203', '0305', null];
const SCOPES = [
  { from: '2026-11-01', to: '2026-11-30', trendFrom: '2026-11-01', shiftCode: null, operatorIds: [], categoryLevel: 1 },
  { from: '2026-11-02', to: '2026-11-04', trendFrom: '2026-10-28', shiftCode: null, operatorIds: [], categoryLevel: 2 },
  { from: '2026-11-03', to: '2026-11-03', trendFrom: '2026-11-01', shiftCode: 'night', operatorIds: [], categoryLevel: 3 },
  { from: '2026-11-01', to: '2026-11-30', trendFrom: '2026-11-01', shiftCode: 'day', operatorIds: ['op-2'], categoryLevel: 1 },
  { from: '2026-11-01', to: '2026-11-05', trendFrom: '2026-10-30', shiftCode: null, operatorIds: ['op-1', 'op-3'], categoryLevel: 3 },
  // A whole month with days on either side, and a month less its last day.
  { from: '2026-10-31', to: '2026-12-01', trendFrom: '2026-10-01', shiftCode: null, operatorIds: [], categoryLevel: 2 },
  { from: '2026-11-01', to: '2026-11-29', trendFrom: '2026-11-01', shiftCode: 'day', operatorIds: [], categoryLevel: 1 },
] as const;
const REPORT_AT = ['2026-11-03T12:00:00.000Z', '2026-12-01T00:00:00.000Z'];

/** Lists in one order (the database's grouping order is its own). */
function normal(t: CenterTally): CenterTally {
  const byKey = <T extends [string, number]>(list: T[]) => [...list].sort((a, b) => a[0].localeCompare(b[0]));
  return {
    ...t,
    categories: byKey(t.categories),
    streets: [...t.streets].sort((a, b) => a.code.localeCompare(b.code)).map((s) => ({ ...s, categories: byKey(s.categories) })),
    days: byKey(t.days),
    channels: byKey(t.channels),
  };
}

describe('the ranges the month rows serve', () => {
  it('reads whole months from their month rows and only the other days day by day', () => {
    expect(monthsAndDays('2026-11-01', '2026-11-30')).toEqual({ months: ['2026-11-01'], days: [] });
    expect(monthsAndDays('2026-10-30', '2026-12-02')).toEqual({ months: ['2026-11-01'], days: ['2026-10-30', '2026-10-31', '2026-12-01', '2026-12-02'] });
    expect(monthsAndDays('2026-02-01', '2026-02-27').days).toHaveLength(27);
    expect(monthsAndDays('2026-02-01', '2026-03-31')).toEqual({ months: ['2026-02-01', '2026-03-01'], days: [] });
    expect(monthsAndDays('2026-12-31', '2027-01-31')).toEqual({ months: ['2027-01-01'], days: ['2026-12-31'] });
    expect(monthsAndDays('2026-11-03', '2026-11-03')).toEqual({ months: [], days: ['2026-11-03'] });
  });
});

describe.each(DRIVERS)('the team lead’s tally from its per-day summaries on %s', (driver) => {
  let hub!: TestHub;
  const rnd = seededRandom(20261204);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  useHub(driver, (started) => {
    hub = started;
  });
  const run = <T,>(statements: (db: Sql) => Promise<T>) => statements(hub.db);

  async function expectSame(round: string): Promise<void> {
    for (const scope of SCOPES) {
      for (const reportAt of REPORT_AT) {
        const input = { ...scope, operatorIds: [...scope.operatorIds], reportAt };
        const summary = await shiftTally(run, input);
        const live = await shiftTally(run, input, { live: true });
        expect(normal(summary), `${round}: ${JSON.stringify(input)}`).toEqual(normal(live));
      }
    }
  }

  setupOnce(async () => {
    const taker = await hub.as('taker');
    const tickets: PushedTicket[] = [];
    for (let i = 0; i < 90; i++) {
      const operator = pick(OPERATORS);
      const day = 1 + Math.floor(rnd() * 5);
      const night = rnd() < 0.3;
      const submittedAt = new Date(Date.parse(`2026-10-3${day === 1 ? 1 : 0}T16:00:00.000Z`) + (day === 1 ? 0 : (day - 1) * 86_400_000) + Math.floor(rnd() * 86_400_000));
      const r = rnd();
      // Mostly a few minutes; some unmeasured (the desk's clock behind), some of most of a day.
      const callStartedAt = new Date(submittedAt.getTime() - (r < 0.1 ? -30_000 : r < 0.13 ? 23 * 3_600_000 : Math.floor(rnd() * 900_000) + 1)).toISOString();
      const disposition = pick(['直派', '直派', '派分中心', '咨询办结'] as const);
      const street = pick(STREETS);
      tickets.push(
        pushedTicket({
          operatorId: operator.id,
          operatorName: operator.names[day > 3 ? operator.names.length - 1 : 0]!,
          shiftCode: night ? 'night' : 'day',
          shiftDate: `2026-11-0${day}`,
          submittedAt: submittedAt.toISOString(),
          callStartedAt,
          channel: pick(['电话', '电话', '微信', '网络'] as const),
          disposition,
          unitCode: disposition === '直派' ? 'U-A' : disposition === '派分中心' ? 'SC-A' : null,
          kbArticleId: disposition === '咨询办结' ? 'KB-1' : null,
          leafCode: pick(LEAVES),
          address: { districtCode: 'D1', streetCode: street, villageCode: null, text: '' },
        }),
      );
    }
    // In three pushes: a push's new tickets are summed per key (hub migration 19), both into rows of
    // their own and into rows an earlier push made.
    for (let i = 0; i < tickets.length; i += 30) expectOk(await taker.call('tickets.push', { tickets: tickets.slice(i, i + 30) }));
  });

  async function round(): Promise<void> {
    const rows = await hub.db.query<{ id: string; submitted_at: Date | string }>(`SELECT id::text AS id, submitted_at FROM tickets ORDER BY number`);
    for (const t of rows) {
      const at = (hours: number) => new Date(new Date(t.submitted_at).getTime() + hours * 3_600_000).toISOString();
      const r = rnd();
      if (r < 0.1) await hub.db.query(`UPDATE tickets SET status = '已退单' WHERE id = $1::uuid`, [t.id]);
      else if (r < 0.3)
        await hub.db.query(`UPDATE tickets SET callback_at = $2::timestamptz, callback_satisfaction = $3 WHERE id = $1::uuid`, [t.id, at(30), pick(['满意', '基本满意', '不满意'])]);
      else if (r < 0.35) await hub.db.query(`UPDATE tickets SET deadlines = '[]'::jsonb WHERE id = $1::uuid`, [t.id]);
      else if (r < 0.4) await hub.db.query(`UPDATE tickets SET leaf_code = $2 WHERE id = $1::uuid`, [t.id, pick(LEAVES)]);
      else if (r < 0.45) await hub.db.query(`UPDATE tickets SET street_code = $2 WHERE id = $1::uuid`, [t.id, pick(STREETS)]);
      else if (r < 0.48) await hub.db.query(`UPDATE tickets SET operator_name = operator_name || '（新）' WHERE id = $1::uuid`, [t.id]);
      else if (r < 0.51) await hub.db.query(`UPDATE tickets SET shift_code = CASE shift_code WHEN 'day' THEN 'night' ELSE 'day' END WHERE id = $1::uuid`, [t.id]);
      else if (r < 0.55) await hub.db.query(`UPDATE tickets SET operator_verified = NOT operator_verified WHERE id = $1::uuid`, [t.id]);
      else if (r < 0.57) await hub.db.query(`UPDATE tickets SET operator_id = $2 WHERE id = $1::uuid`, [t.id, pick(OPERATORS).id]);
      else if (r < 0.6) await hub.db.query(`UPDATE tickets SET call_started_at = submitted_at - interval '26 hours 0.25 seconds' WHERE id = $1::uuid`, [t.id]);
      else if (r < 0.62) {
        await hub.db.query(`DELETE FROM ticket_events WHERE ticket_id = $1::uuid`, [t.id]);
        await hub.db.query(`DELETE FROM tickets WHERE id = $1::uuid AND linked_ticket_id IS NULL AND NOT EXISTS (SELECT 1 FROM tickets o WHERE o.linked_ticket_id = $1::uuid)`, [t.id]);
      }
    }
  }

  it('equals the tally counted from the tickets after every round of writes, in every scope', async () => {
    await expectSame('pushed');
    const month = { ...SCOPES[0], operatorIds: [], reportAt: REPORT_AT[1]! };
    const pushed = await shiftTally(run, month);
    expect(pushed.totals.taken).toBe(90);
    expect(pushed.operators.map((o) => o.operatorId)).toEqual(['op-1', 'op-2', 'op-3']);
    expect(pushed.totals.unmeasured).toBeGreaterThan(0);
    expect(pushed.totals.overdue).toBeGreaterThan(0);
    for (let i = 1; i <= 3; i++) {
      await round();
      await expectSame(`round ${i}`);
    }
    // The rounds made each kind of figure the summary keeps.
    const after = await shiftTally(run, month);
    for (const n of [after.totals.returned, after.totals.satisfied, after.totals.basic, after.totals.unsatisfied, after.totals.unverified]) expect(n).toBeGreaterThan(0);
    expect(after.operators.find((o) => o.operatorId === 'op-2')!.operatorName).toMatch(/王/);
    const [rows] = await hub.db.query<{ days: number; dims: number }>(`SELECT (SELECT count(*) FROM tally_day)::int AS days, (SELECT count(*) FROM tally_dim)::int AS dims`);
    expect(rows!.days).toBeGreaterThan(10);
    expect(rows!.dims).toBeGreaterThan(20);
  });
});
