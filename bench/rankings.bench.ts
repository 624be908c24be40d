/**
 * 考核 on a Beijing month (issue 14's figures): 500,000 tickets of November 2026 with their hub events
 * (接单, 退单, 办结, 回访, 重办) loaded with COPY (bench/city-year.ts, the benches' one generator) into a
 * fresh schema of a real hub.
 *
 * - Unit ranking for the month: `stats.rankings` by unit through the HTTP API as the city center
 *   (server/rankings.ts: the month and the previous month from the per-day summary rank_day,
 *   server/rank-summary.ts, counted once after the COPY with rank_rebuild(), whose time the note
 *   gives). Target p95 ≤ 1 s.
 * - The team lead's center-wide month: `stats.shiftTally` as the team lead (server/stats.ts), the
 *   counts the desk's shift log is made from. Target p95 ≤ 500 ms.
 * Baseline for each: the same month as one plain GROUP BY (count, accepted, callbacks by unit; count
 * by operator) over the hub's own pool in the same run.
 * PostgreSQL from HUB_BENCH_DATABASE_URL, else HUB_TEST_DATABASE_URL, else
 * postgres://127.0.0.1:5432/test, in a fresh schema dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { createHubClient, type HubClient } from '../shared/api/hub-client';
import type { Result } from '../shared/result';
import { withDefaultUser } from '../server/db';
import { startHub } from '../server/hub';
import { PG_URL, RESOURCES_DIR, TEST_UNITS } from '../test/hub/support';
import { countSummaries, fillTickets, withoutIndexes } from './city-year';
import { latency, timeEach, type Bench, type Figure } from './harness';

const TICKETS = Number(process.env.RANK_BENCH_TICKETS) || 500_000;
const SAMPLES = 15;
const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;
const PASSWORD = 'bench-password-rank';
const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const UNITS = Array.from({ length: 340 }, (_, i) => `U${String(i).padStart(3, '0')}`);
const OPERATORS = 120;

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.kind} ${result.error.message}`);
  return result.value;
}

/** Loads the month; returns the seconds the per-day summaries took to count from it (hub migrations 16 and 18). */
async function load(schema: string): Promise<{ rankSeconds: number; tallySeconds: number }> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: withDefaultUser(BENCH_PG_URL), options: `-c search_path=${schema} -c TimeZone=UTC` });
  await client.connect();
  try {
    // The month of November 2026 (Beijing), dispatched to a fixed set of units (bench/city-year.ts).
    await withoutIndexes(client, () =>
      fillTickets(client, { tickets: TICKETS, fromMs: Date.parse('2026-10-31T16:00:00Z'), days: 30, resourcesDir: RESOURCES_DIR, units: UNITS, operators: OPERATORS }),
    );
    // COPY ran with the triggers off: the facts they keep and the summaries are counted once here.
    return await countSummaries(client);
  } finally {
    await client.end();
  }
}

async function rankingFigures(): Promise<Figure[]> {
  const schema = `hub_bench_rank_${randomBytes(5).toString('hex')}`;
  const users = [
    { username: 'lead', name: '王班长', role: 'team_lead' as const, unitCode: null },
    { username: 'op_city', name: '市中心派单员', role: 'unit_operator' as const, unitCode: 'CC' },
  ].map((u) => ({ ...u, password: PASSWORD }));
  let hub;
  try {
    hub = await startHub({ databaseUrl: BENCH_PG_URL, databaseSchema: schema, resourcesDir: RESOURCES_DIR, units: TEST_UNITS, users, remindTimer: false, webDir: null });
  } catch (error) {
    const note = `PostgreSQL 不可达（${BENCH_PG_URL}）：${error instanceof Error ? error.message : String(error)}`;
    return [{ name: '一个月 50 万张工单的承办单位考核排名 p95（PostgreSQL）', unit: 'ms', value: Number.NaN, target: { op: '<=', value: 1000 }, baseline: null, note }];
  }
  try {
    const loadStart = performance.now();
    const summary = await load(schema);
    const loadSeconds = (performance.now() - loadStart) / 1000 - summary.rankSeconds - summary.tallySeconds;
    const as = async (username: string): Promise<HubClient> => {
      const client = createHubClient({ url: hub.url, timeoutMs: 120_000 });
      must(await client.login(username, PASSWORD), `login ${username}`);
      return client;
    };
    const [lead, center] = [await as('lead'), await as('op_city')];
    const db = hub.database;
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
    const [events] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_events');

    const rank = () => center.call('stats.rankings', { ...MONTH, groupBy: 'unit' });
    const first = must(await rank(), 'stats.rankings');
    const rankMs = await timeEach(SAMPLES, async () => must(await rank(), 'stats.rankings'));
    const plainRank = await timeEach(SAMPLES, () =>
      db.query(
        `SELECT COALESCE(unit_code, dispatched_unit_code) AS unit, count(*), count(accepted_at), count(callback_at)
           FROM tickets WHERE submitted_date BETWEEN $1::date AND $2::date AND disposition IN ('直派', '派分中心', '派市中心') GROUP BY 1`,
        [MONTH.from, MONTH.to],
      ),
    );
    const tally = () =>
      lead.call('stats.shiftTally', { ...MONTH, trendFrom: MONTH.from, shiftCode: null, operatorIds: [], categoryLevel: 1, reportAt: '2026-12-01T00:00:00.000Z' });
    const counted = must(await tally(), 'stats.shiftTally');
    const tallyMs = await timeEach(SAMPLES, async () => must(await tally(), 'stats.shiftTally'));
    const plainTally = await timeEach(SAMPLES, () =>
      db.query(`SELECT operator_id, count(*) FROM tickets WHERE shift_date BETWEEN $1::date AND $2::date GROUP BY operator_id`, [MONTH.from, MONTH.to]),
    );
    return [
      latency('一个月 50 万张工单的承办单位考核排名 p95（PostgreSQL，含上月对比）', 95, rankMs, {
        targetMs: 1000,
        baseline: { label: '同月按单位一条普通 GROUP BY', samples: plainRank },
        note: `${count!.n} 张工单、${events!.n} 条事件，COPY 载入 ${loadSeconds.toFixed(0)} s，按日汇总全量重算 ${summary.rankSeconds.toFixed(1)} s；${first.rows.length} 个单位，计入 ${first.totals.tickets} 张；经 HTTP`,
      }),
      latency('班长全中心一个月统计 p95（PostgreSQL，中心汇总，不传明细）', 95, tallyMs, {
        targetMs: 500,
        baseline: { label: '同月按坐席一条普通 GROUP BY', samples: plainTally },
        note: `${counted.totals.taken} 张全部计入（无 10 万上限），${counted.operators.length} 名坐席；坐席×班次×日汇总全量重算 ${summary.tallySeconds.toFixed(1)} s；经 HTTP`,
      }),
    ];
  } finally {
    if (process.env.RANK_BENCH_KEEP) console.error(`kept schema ${schema}`);
    else await hub.database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await hub.close();
  }
}

export const rankingsBench: Bench = { title: '考核排名与班长全中心统计（PostgreSQL，一个月 50 万张）', run: rankingFigures };
