/**
 * The closed loop on PostgreSQL (issue 13's figures): a street with 5,000 open tickets.
 *
 * - Queue: the street's first page of `workspace.queue` (ordered by the earliest open checkpoint,
 *   with its counts and facets) through the real HTTP API as the street's operator. Baseline: the
 *   same call for a street holding 50 tickets, and a bare SELECT of one ticket by id over the
 *   hub's own pool.
 * - Moves: each move of the loop (接单, 阶段回复, 申请延期, 批准延期, 督办, 办结, 退单, 重新派单,
 *   转派, 回访) through the HTTP API as the account whose move it is, on distinct tickets of that
 *   street, with the version the person saw. Baseline: `auth.me` (the same HTTP, token check and
 *   session lookup with no ticket work); each line also says what a bare SELECT 1 round trip cost in
 *   the same run, since a move is one transaction of a handful of round trips on one locked row
 *   (server/loop.ts, server/requests.ts).
 * PostgreSQL from HUB_BENCH_DATABASE_URL, else HUB_TEST_DATABASE_URL, else
 * postgres://127.0.0.1:5432/test, in a fresh schema dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { MAX_PUSH_BATCH, type PushedTicket } from '../shared/api/hub-contract';
import { createHubClient, type HubClient } from '../shared/api/hub-client';
import type { Result } from '../shared/result';
import { startHub } from '../server/hub';
import { extensionDate } from '../server/sim';
import { pushedTicket, PG_URL, RESOURCES_DIR, TEST_UNITS } from '../test/hub/support';
import { latency, timeEach, type Bench, type Figure } from './harness';

const BIG = 5_000;
const SMALL = 50;
/** Samples per figure (distinct tickets per move). */
const N = 100;
const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;
const PASSWORD = 'bench-password-loop';

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.kind} ${result.error.message}`);
  return result.value;
}

function ticketsFor(count: number, unitCode: string, streetCode: string, nowMs: number, extra: Partial<PushedTicket> = {}): PushedTicket[] {
  const villages = ['V-1', 'V-2', 'V-3', 'V-4', 'V-5', 'V-6'];
  return Array.from({ length: count }, (_, i) =>
    pushedTicket({
      // Spread over the last three days: the open checkpoints fall at many different times.
      submittedAt: new Date(nowMs - 3 * 24 * 3600_000 + Math.floor((i * 3 * 24 * 3600_000) / count)).toISOString(),
      content: `第 ${i} 号诉求：小区楼下商户夜间施工噪音扰民，影响居民休息，请尽快处理。`,
      urgency: i % 10 === 0 ? '即时' : '一般',
      unitCode,
      address: { districtCode: 'D1', streetCode, villageCode: villages[i % villages.length]!, text: `某小区 ${i % 40} 号楼` },
      names: { unit: unitCode, district: '甲区', street: '甲街道', leafPath: [['城乡建设', '市容环卫', '物业管理'][i % 3]!, '施工管理', '施工扰民'] },
      ...extra,
    }),
  );
}

async function loopFigures(): Promise<Figure[]> {
  const schema = `hub_bench_loop_${randomBytes(5).toString('hex')}`;
  const users = [
    { username: 'taker', name: '李话务', role: 'call_taker' as const, unitCode: null, desk: true }, // pushes as a desk (server/desk-access.ts)
    { username: 'op_a', name: '甲街道操作员', role: 'unit_operator' as const, unitCode: 'U-A' },
    { username: 'op_b', name: '乙街道操作员', role: 'unit_operator' as const, unitCode: 'U-B' },
    { username: 'op_sub', name: '甲区分中心派单员', role: 'unit_operator' as const, unitCode: 'SC-A' },
    { username: 'op_city', name: '市中心派单员', role: 'unit_operator' as const, unitCode: 'CC' },
  ].map((u) => ({ ...u, password: PASSWORD }));
  let hub;
  try {
    hub = await startHub({ databaseUrl: BENCH_PG_URL, databaseSchema: schema, resourcesDir: RESOURCES_DIR, units: TEST_UNITS, users, remindTimer: false, webDir: null });
  } catch (error) {
    const note = `PostgreSQL 不可达（${BENCH_PG_URL}）：${error instanceof Error ? error.message : String(error)}`;
    return [{ name: '街道 5,000 张在办工单的工作台队列首页 p95（PostgreSQL）', unit: 'ms', value: Number.NaN, target: { op: '<=', value: 300 }, baseline: null, note }];
  }
  try {
    const as = async (username: string): Promise<HubClient> => {
      const client = createHubClient({ url: hub.url, timeoutMs: 120_000 });
      must(await client.login(username, PASSWORD), `login ${username}`);
      return client;
    };
    const [taker, opA, opB, opSub, center] = await Promise.all(['taker', 'op_a', 'op_b', 'op_sub', 'op_city'].map(as)) as [HubClient, HubClient, HubClient, HubClient, HubClient];
    const nowMs = Date.now();
    const big = ticketsFor(BIG, 'U-A', 'S-A', nowMs);
    const small = ticketsFor(SMALL, 'U-B', 'S-B', nowMs);
    const forwarded = ticketsFor(N, 'SC-A', 'S-A', nowMs, { disposition: '派分中心' });
    const all = [...big, ...small, ...forwarded];
    for (let i = 0; i < all.length; i += MAX_PUSH_BATCH) must(await taker.call('tickets.push', { tickets: all.slice(i, i + MAX_PUSH_BATCH) }), 'push');
    await hub.database.query('ANALYZE tickets');

    // ---- The queue ----
    const page = () => opA.call('workspace.queue', {});
    const first = must(await page(), 'queue');
    if (first.total !== BIG) throw new Error(`queue total ${first.total}, expected ${BIG}`);
    for (let i = 0; i < 5; i++) await page(); // warm up plans and connections
    const bigQueue = await timeEach(N, async () => must(await page(), 'queue'));
    const smallQueue = await timeEach(N, async () => must(await opB.call('workspace.queue', {}), 'small queue'));
    const someId = big[7]!.id;
    const bareSelect = await timeEach(N, () => hub.database.query('SELECT * FROM tickets WHERE id = $1::uuid', [someId]));

    // ---- The moves, each on tickets of the big street ----
    const me = await timeEach(N, async () => must(await opA.call('auth.me', {}), 'me'));
    const roundTrip = await timeEach(N, () => hub.database.query('SELECT 1'));
    const version = async (client: HubClient, id: string) => must(await client.call('workspace.ticket', { ticketId: id }), 'open').version;
    const ids = (from: number) => big.slice(from, from + N).map((t) => t.id);
    const timeMove = async (client: HubClient, tickets: string[], run: (id: string, v: number) => Promise<Result<unknown>>) => {
      const versions = await Promise.all(tickets.map((id) => version(client, id)));
      return timeEach(tickets.length, async (i) => must(await run(tickets[i]!, versions[i]!), 'move'));
    };
    const working = ids(100); // accept → reply → extend → approve → supervise → close → callback
    const accept = await timeMove(opA, working, (ticketId, v) => opA.call('ticket.accept', { ticketId, version: v }));
    const reply = await timeMove(opA, working, (ticketId, v) => opA.call('ticket.reply', { ticketId, version: v, reply: '已联系诉求人，正在现场核实情况' }));
    const dates = await Promise.all(working.map(async (id) => extensionDate(must(await opA.call('workspace.ticket', { ticketId: id }), 'open'), new Date().toISOString())!));
    const extend = await timeMove(opA, working, (ticketId, v) => opA.call('ticket.extend', { ticketId, version: v, reason: '需协调产权单位共同处理', newDate: dates[working.indexOf(ticketId)]! }));
    const approve = await timeMove(center, working, (ticketId, v) => center.call('ticket.decide', { ticketId, version: v, kind: 'extension', approve: true, reason: '同意延期' }));
    const supervise = await timeMove(center, working, (ticketId, v) => center.call('ticket.supervise', { ticketId, version: v, level: 'urge', note: '请抓紧办理并及时反馈' }));
    const close = await timeMove(opA, working, (ticketId, v) => opA.call('ticket.close', { ticketId, version: v, note: '已到现场处理，问题已解决', resolved: true }));
    const callbackVersions = await Promise.all(working.map((id) => version(center, id)));
    const callback = await timeEach(N, async (i) => must(await taker.call('ticket.callback', { ticketId: working[i]!, version: callbackVersions[i]!, resolved: true, satisfaction: '满意' }), 'callback'));
    const returning = ids(300); // 退单 → 重新派单
    const ret = await timeMove(opA, returning, (ticketId, v) => opA.call('ticket.return', { ticketId, version: v, reasonKind: '地址不在辖区', reason: '经核实诉求地址不在本单位辖区' }));
    const redispatch = await timeMove(center, returning, (ticketId, v) => center.call('ticket.redispatch', { ticketId, version: v, unitCode: 'U-B' }));
    const forward = await timeMove(opSub, forwarded.map((t) => t.id), (ticketId, v) => opSub.call('ticket.forward', { ticketId, version: v, unitCode: 'U-A' }));

    const baseline = { label: '同一街道队列 50 张在办', samples: smallQueue };
    const moveBaseline = { label: 'auth.me 往返（HTTP、令牌、会话，无工单操作）', samples: me };
    const moveFigure = (label: string, samples: number[]) =>
      latency(`${label} p95（街道 5,000 张在办，HTTP）`, 95, samples, {
        targetMs: 50,
        baseline: moveBaseline,
        note: `${samples.length} 张不同工单；同次 SELECT 1 往返 p95 ${latency('', 95, roundTrip, {}).value.toFixed(2)} ms`,
      });
    return [
      latency('工作台队列首页 p95（街道 5,000 张在办，PostgreSQL，HTTP）', 95, bigQueue, {
        targetMs: 300,
        baseline,
        note: `${N} 次；按最早到期排序、总数与状态/分类/社区分面；裸 SELECT 一张工单 p95 ${latency('', 95, bareSelect, {}).value.toFixed(2)} ms`,
      }),
      moveFigure('接单', accept),
      moveFigure('阶段回复', reply),
      moveFigure('申请延期', extend),
      moveFigure('批准延期（市中心）', approve),
      moveFigure('督办（市中心）', supervise),
      moveFigure('办结', close),
      moveFigure('回访（坐席）', callback),
      moveFigure('退单', ret),
      moveFigure('重新派单（市中心）', redispatch),
      moveFigure('转派（分中心）', forward),
    ];
  } finally {
    await hub.database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await hub.close();
  }
}

export const loopBench: Bench = {
  title: '闭环：街道工作台队列与各项操作',
  run: loopFigures,
};
