/**
 * 考核 on a Beijing month (issue 14's figures): 500,000 tickets of November 2026 with ~1.4 million
 * events (受理, 接单, 回访, some 退单 and 重办) loaded with COPY into a fresh schema of a real hub.
 *
 * - Unit ranking for the month: `stats.rankings` by unit through the HTTP API as the city center
 *   (server/rankings.ts: the month and the previous month, GROUPING SETS for units, trend and
 *   total). Target p95 ≤ 1 s.
 * - The team lead's center-wide month: `stats.shiftTally` as the team lead (server/stats.ts), the
 *   counts the desk's shift log is made from. Target p95 ≤ 500 ms.
 * Baseline for each: the same month as one plain GROUP BY (count, accepted, callbacks by unit; count
 * by operator) over the hub's own pool in the same run.
 * PostgreSQL from HUB_BENCH_DATABASE_URL, else HUB_TEST_DATABASE_URL, else
 * postgres://127.0.0.1:5432/test, in a fresh schema dropped afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createHubClient, type HubClient } from '../shared/api/hub-client';
import type { Result } from '../shared/result';
import { withDefaultUser } from '../server/db';
import { startHub } from '../server/hub';
import { PG_URL, RESOURCES_DIR, TEST_UNITS } from '../test/hub/support';
import { latency, timeEach, type Bench, type Figure } from './harness';

const TICKETS = Number(process.env.RANK_BENCH_TICKETS) || 500_000;
const SAMPLES = 15;
const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;
const PASSWORD = 'bench-password-rank';
const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const UNITS = Array.from({ length: 340 }, (_, i) => `U${String(i).padStart(3, '0')}`);
const OPERATORS = Array.from({ length: 120 }, (_, i) => `op-${i}`);
const SATISFACTION = ['满意', '满意', '满意', '基本满意', '不满意'];

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.kind} ${result.error.message}`);
  return result.value;
}

/** A COPY … FROM STDIN for node-postgres: the Submittable protocol its client drives (lib/client.js). */
class CopyIn {
  private error: Error | null = null;
  constructor(
    private readonly text: string,
    private readonly data: string,
    private readonly done: (error: Error | null) => void,
  ) {}
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }): void {
    const bytes = Buffer.from(this.data, 'utf8');
    for (let at = 0; at < bytes.length; at += 1 << 20) connection.sendCopyFromChunk(bytes.subarray(at, at + (1 << 20)));
    connection.endCopyFrom();
  }
  handleError(error: Error): void {
    // node-postgres does not always hand a failed COPY its ReadyForQuery: settle here.
    this.error = error;
    this.settle();
  }
  handleReadyForQuery(): void {
    this.settle();
  }
  private settled = false;
  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this.error);
  }
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

const esc = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

async function load(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: withDefaultUser(BENCH_PG_URL), options: `-c search_path=${schema} -c TimeZone=UTC` });
  await client.connect();
  const copy = (text: string, data: string) =>
    new Promise<void>((resolve, reject) => {
      client.query(new CopyIn(text, data, (error) => (error ? reject(error) : resolve())) as never);
    });
  try {
    const ticketCols = `id, number, provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at, submitted_date,
      channel, caller_name, caller_phone, callback_phone, request_type, district_code, street_code, village_code, address_text, content, leaf_code,
      urgency, disposition, dispatched_unit_code, unit_code, unreasonable_reason, names, status, deadlines, accepted_at, callback_resolved,
      callback_satisfaction, callback_at, received_at, updated_at, return_count, unit_resolved`;
    const eventCols = 'ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code';
    const start = Date.parse('2026-10-31T16:00:00Z'); // 2026-11-01 00:00 Beijing
    const span = 30 * 86_400_000;
    const CHUNK = 50_000;
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let base = 0; base < TICKETS; base += CHUNK) {
      const tickets: string[] = [];
      const events: string[] = [];
      for (let i = base; i < Math.min(TICKETS, base + CHUNK); i++) {
        const id = randomUUID();
        const submitted = start + Math.floor((i / TICKETS) * span) + Math.floor(rnd() * 60_000);
        const iso = (ms: number) => new Date(ms).toISOString();
        const day = new Date(submitted + 8 * 3600_000).toISOString().slice(0, 10);
        const unitIndex = Math.floor(rnd() * UNITS.length);
        const unit = UNITS[unitIndex]!;
        const district = `D${String(unitIndex % 16).padStart(2, '0')}`;
        const street = `S${String(unitIndex).padStart(3, '0')}`;
        const op = OPERATORS[i % OPERATORS.length]!;
        const r = rnd();
        const disposition = r < 0.12 ? '咨询办结' : r < 0.14 ? '重复诉求' : r < 0.7 ? '直派' : '派分中心';
        const dispatched = disposition === '直派' || disposition === '派分中心';
        const urgency = rnd() < 0.05 ? '即时' : '一般';
        const accepted = dispatched && rnd() < 0.95 ? submitted + Math.floor(rnd() * 4 * 3600_000) : null;
        const returned = dispatched && rnd() < 0.04;
        const called = accepted !== null && rnd() < 0.7;
        const satisfaction = called ? SATISFACTION[Math.floor(rnd() * SATISFACTION.length)]! : null;
        const resolved = called ? satisfaction !== '不满意' : null;
        const callbackAt = called ? accepted! + 3 * 86_400_000 : null;
        const leaf = `${String(1 + Math.floor(rnd() * 48)).padStart(2, '0')}${String(Math.floor(rnd() * 10)).padStart(2, '0')}${String(Math.floor(rnd() * 50)).padStart(3, '0')}`;
        const status = !dispatched ? (disposition === '重复诉求' ? '已关联' : '已办结') : called ? '已回访' : accepted ? '已接单' : '已派单';
        const names = JSON.stringify({ unit: `单位${unit}`, district: `区${district}`, street: `街道${street}`, leafPath: [`一级${leaf.slice(0, 2)}`] });
        const deadlines = dispatched && !called ? JSON.stringify([{ ruleId: 'close_day7', label: '办结', dueAt: iso(submitted + 7 * 86_400_000), doneAt: null }]) : '[]';
        tickets.push(
          [
            id, `B${i}`, `临${i}`, 'desk-b', op, `坐席${op}`, 'day', day, iso(submitted - 240_000), iso(submitted), day,
            '电话', '张先生', '13800138000', '13800138000', '投诉', district, street, null, '', '诉求内容', leaf,
            urgency, disposition, dispatched ? unit : null, dispatched && !returned ? unit : null, '', names, returned ? '已退单' : status, deadlines,
            accepted === null ? null : iso(accepted), resolved === null ? null : String(resolved), satisfaction, callbackAt === null ? null : iso(callbackAt),
            iso(submitted), iso(submitted), returned ? '1' : '0', called ? String(resolved) : null,
          ].map(esc).join('\t'),
        );
        const event = (kind: string, at: number, callback: string | null, from: string | null) =>
          events.push([id, 'desk-b', 'hub', kind, iso(at), '系统', '', status, unit, '[]', callback, from].map(esc).join('\t'));
        if (accepted !== null) event('接单', accepted, null, unit);
        if (returned) event('退单', submitted + 3600_000, null, unit);
        if (called) {
          event('回访', callbackAt!, JSON.stringify({ resolved, satisfaction }), null);
          if (!resolved) event('重办', callbackAt! + 1000, null, null);
        }
      }
      await copy(`COPY tickets (${ticketCols}) FROM STDIN`, tickets.join('\n') + '\n');
      await copy(`COPY ticket_events (${eventCols}) FROM STDIN`, events.join('\n') + '\n');
    }
    await client.query('ANALYZE tickets');
    await client.query('ANALYZE ticket_events');
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
    await load(schema);
    const loadSeconds = (performance.now() - loadStart) / 1000;
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
        note: `${count!.n} 张工单、${events!.n} 条事件，COPY 载入 ${loadSeconds.toFixed(0)} s；${first.rows.length} 个单位，计入 ${first.totals.tickets} 张；经 HTTP`,
      }),
      latency('班长全中心一个月统计 p95（PostgreSQL，中心汇总，不传明细）', 95, tallyMs, {
        targetMs: 500,
        baseline: { label: '同月按坐席一条普通 GROUP BY', samples: plainTally },
        note: `${counted.totals.taken} 张全部计入（无 10 万上限），${counted.operators.length} 名坐席；经 HTTP`,
      }),
    ];
  } finally {
    if (process.env.RANK_BENCH_KEEP) console.error(`kept schema ${schema}`);
    else await hub.database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await hub.close();
  }
}

export const rankingsBench: Bench = { title: '考核排名与班长全中心统计（PostgreSQL，一个月 50 万张）', run: rankingFigures };
