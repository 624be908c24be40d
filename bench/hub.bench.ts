/**
 * The hub: ingest throughput on PostgreSQL, and cold start on PGlite.
 *
 * - Ingest: 20,000 tickets pushed in batches of MAX_PUSH_BATCH through the real HTTP API
 *   (JSON, zod validation, numbering, deadlines, tickets + desk events in one transaction per
 *   batch), one desk at a time and two desks at once. The tickets come from a new operator every
 *   150, about one call-taker's shift, so the team lead's per-operator summary sees a center's
 *   spread rather than one operator's day. Baseline: the same rows as a bare multi-row
 *   INSERT into a plain table (no keys, no indexes) over the hub's own connection pool — what the
 *   database alone costs. PostgreSQL from HUB_BENCH_DATABASE_URL, else HUB_TEST_DATABASE_URL, else
 *   postgres://127.0.0.1:5432/test, in a fresh schema dropped afterwards.
 * - Cold start: the shipped bundle (dist/hub/main.mjs) started on a fresh data folder, until its
 *   readiness line, and its resident memory then (RSS from /proc, Linux; target 300 MB, issue 18);
 *   baseline: a Node process that only opens PGlite on a fresh folder in-process, with PGlite's
 *   default memory settings, and runs SELECT 1 — what the hub itself did before it started new
 *   folders from the database the build made (dist/hub/pgdata-template, server/db.ts). A restart
 *   on the same folder is measured too (baseline: PGlite alone reopening its folder).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PUSH_BATCH, type PushedTicket } from '../shared/api/hub-contract';
import { startHub } from '../server/hub';
import { createHubClient } from '../shared/api/hub-client';
import { pushedTicket, PG_URL, RESOURCES_DIR, ROOT, TEST_UNITS } from '../test/hub/support';
import { percentile, type Bench, type Figure } from './harness';

// The hubs measured here hash passwords at the real cost (test/hub/support.ts lowers it for tests).
delete process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N;

const TICKETS = 20_000;
const COLD_RUNS = 3;
/** Tickets per operator in the ingest's data: about one call-taker's shift (bench note below). */
const OPERATOR_SHIFT_TICKETS = 150;
const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;

function batchesOf(count: number): PushedTicket[][] {
  const districts = ['110101', '110105', '110108', '110117'];
  const tickets = Array.from({ length: count }, (_, i) =>
    pushedTicket({
      deskId: `desk-${i % 8}`,
      // A call-taker takes about 150 calls a shift: a new operator every 150 tickets.
      operatorId: `op-${Math.floor(i / OPERATOR_SHIFT_TICKETS)}`,
      submittedAt: new Date(Date.UTC(2026, 11, 1, 1, 0, 0) + i * 1000).toISOString(),
      content: `第 ${i} 号诉求：小区楼下商户夜间施工噪音扰民，影响居民休息，请尽快处理。`,
      urgency: i % 10 === 0 ? '即时' : '一般',
      disposition: i % 5 === 0 ? '派分中心' : '直派',
      unitCode: i % 5 === 0 ? 'SC-A' : 'U-A', // codes of TEST_UNITS: the hub checks them
      address: { districtCode: districts[i % 4]!, streetCode: `${districts[i % 4]}0${i % 9}`, villageCode: null, text: `某小区 ${i % 40} 号楼` },
    }),
  );
  const batches: PushedTicket[][] = [];
  for (let i = 0; i < tickets.length; i += MAX_PUSH_BATCH) batches.push(tickets.slice(i, i + MAX_PUSH_BATCH));
  return batches;
}

async function ingestFigures(): Promise<Figure[]> {
  const schema = `hub_bench_${randomBytes(5).toString('hex')}`;
  let hub;
  try {
    hub = await startHub({
      databaseUrl: BENCH_PG_URL,
      databaseSchema: schema,
      resourcesDir: RESOURCES_DIR,
      units: TEST_UNITS,
      users: [
        { username: 'desk1', password: 'bench-password', name: '坐席一', role: 'call_taker', unitCode: null, desk: true },
        { username: 'desk2', password: 'bench-password', name: '坐席二', role: 'call_taker', unitCode: null, desk: true },
      ],
    });
  } catch (error) {
    const note = `PostgreSQL 不可达（${BENCH_PG_URL}）：${error instanceof Error ? error.message : String(error)}`;
    const missing = (name: string): Figure => ({ name, unit: '张/秒', value: Number.NaN, target: { op: '>=', value: 2000 }, baseline: null, note });
    return [missing('中心入库吞吐（PostgreSQL，单坐席）'), missing('中心入库吞吐（PostgreSQL，两坐席并发）')];
  }
  try {
    const desk1 = createHubClient({ url: hub.url, timeoutMs: 120_000 });
    const desk2 = createHubClient({ url: hub.url, timeoutMs: 120_000 });
    await desk1.login('desk1', 'bench-password');
    await desk2.login('desk2', 'bench-password');
    const push = async (client: typeof desk1, batch: PushedTicket[]) => {
      const result = await client.call('tickets.push', { tickets: batch });
      if (!result.ok) throw new Error(`push failed: ${result.error.message}`);
    };
    await push(desk1, batchesOf(MAX_PUSH_BATCH)[0]!); // warm up connections and plans

    const serial = batchesOf(TICKETS);
    const serialMs: number[] = [];
    const serialStart = performance.now();
    for (const batch of serial) {
      const start = performance.now();
      await push(desk1, batch);
      serialMs.push(performance.now() - start);
    }
    const serialRate = (TICKETS / (performance.now() - serialStart)) * 1000;

    // Lane 1 pushes as desk2, which speaks for desk ids of its own (server/desk-access.ts).
    const parallel = batchesOf(TICKETS).map((batch, i) => (i % 2 === 0 ? batch : batch.map((t) => ({ ...t, deskId: `desk2-${t.deskId}` }))));
    const parallelStart = performance.now();
    await Promise.all([0, 1].map(async (lane) => {
      for (let i = lane; i < parallel.length; i += 2) await push(lane === 0 ? desk1 : desk2, parallel[i]!);
    }));
    const parallelRate = (TICKETS / (performance.now() - parallelStart)) * 1000;

    // Baseline: the same rows, bare multi-row INSERT into a plain table over the same pool.
    const db = hub.database;
    const columns = ['id', 'provisional_number', 'desk_id', 'operator_id', 'operator_name', 'shift_code', 'shift_date', 'call_started_at', 'submitted_at', 'channel', 'caller_name', 'caller_phone', 'callback_phone', 'request_type', 'district_code', 'street_code', 'village_code', 'address_text', 'content', 'leaf_code', 'urgency', 'disposition', 'unit_code', 'kb_article_id', 'linked_ticket_id', 'unreasonable_reason', 'names'];
    await db.exec(`CREATE TABLE bench_plain (${columns.map((c) => `${c} text`).join(', ')})`);
    const valuesOf = (t: PushedTicket) => [t.id, t.provisionalNumber, t.deskId, t.operatorId, t.operatorName, t.shiftCode, t.shiftDate, t.callStartedAt, t.submittedAt, t.channel, t.callerName, t.callerPhone, t.callbackPhone, t.requestType, t.address.districtCode, t.address.streetCode, t.address.villageCode, t.address.text, t.content, t.leafCode, t.urgency, t.disposition, t.unitCode, t.kbArticleId, t.linkedTicketId, t.unreasonableReason, JSON.stringify(t.names)];
    const plain = batchesOf(TICKETS);
    const plainStart = performance.now();
    for (const batch of plain) {
      const params = batch.flatMap(valuesOf);
      const rows = batch.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      await db.query(`INSERT INTO bench_plain (${columns.join(', ')}) VALUES ${rows}`, params);
    }
    const plainRate = (TICKETS / (performance.now() - plainStart)) * 1000;

    return [
      {
        name: '中心入库吞吐（PostgreSQL，单坐席，每批 500 张）',
        unit: '张/秒',
        value: serialRate,
        target: { op: '>=', value: 2000 },
        baseline: { label: '同一连接池裸多行 INSERT 到无索引普通表', value: plainRate },
        note: `${TICKETS} 张，每批 p50 ${percentile(serialMs, 50).toFixed(0)} ms、p99 ${percentile(serialMs, 99).toFixed(0)} ms（经 HTTP、校验、编号、时限、事件）`,
      },
      {
        name: '中心入库吞吐（PostgreSQL，两坐席并发）',
        unit: '张/秒',
        value: parallelRate,
        target: { op: '>=', value: 2000 },
        baseline: { label: '同一连接池裸多行 INSERT 到无索引普通表', value: plainRate },
      },
    ];
  } finally {
    await hub.database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await hub.close();
  }
}

// ---- Cold start ---------------------------------------------------------------------------------

function rssOf(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts `node args`, waits for a line starting with `ready`, reads its RSS, then stops it. */
function timeToReady(args: string[], ready: string): Promise<{ ms: number; rssMb: number | null }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '', HOTLINE_HUB_USERS: '' } });
    let out = '';
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready in 60 s:\n${out}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (done || !out.split('\n').some((line) => line.startsWith(ready))) return;
      done = true;
      const ms = performance.now() - start;
      const rssMb = rssOf(child.pid!);
      clearTimeout(timer);
      child.once('exit', () => resolve({ ms, rssMb }));
      child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (!done) {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before ready:\n${out}`));
      }
    });
  });
}

async function coldStartFigures(): Promise<Figure[]> {
  const bundle = join(ROOT, 'dist', 'hub', 'main.mjs');
  if (!existsSync(bundle)) throw new Error(`找不到 ${bundle}，请先运行 npm run build`);
  const work = mkdtempSync(join(tmpdir(), 'hotline-hub-bench-'));
  const pgliteOnly = join(work, 'pglite-only.mjs');
  const pgliteUrl = new URL(`file://${join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'dist', 'index.js')}`).href;
  writeFileSync(
    pgliteOnly,
    `import { PGlite } from ${JSON.stringify(pgliteUrl)};
     const db = await PGlite.create(process.argv[2]);
     await db.query('SELECT 1');
     console.log('READY');
     process.on('SIGTERM', async () => { await db.close(); process.exit(0); });`,
  );
  const bare = join(work, 'bare.mjs');
  writeFileSync(bare, `console.log('READY'); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);`);
  try {
    const hub: Array<{ ms: number; rssMb: number | null }> = [];
    const alone: Array<{ ms: number; rssMb: number | null }> = [];
    const node: Array<{ ms: number; rssMb: number | null }> = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      hub.push(await timeToReady([bundle, '--data-dir', join(work, `hub-${i}`), '--port', '0'], 'HOTLINE_HUB_READY '));
      alone.push(await timeToReady([pgliteOnly, join(work, `pglite-${i}`)], 'READY'));
      node.push(await timeToReady([bare], 'READY'));
    }
    const warm = await timeToReady([bundle, '--data-dir', join(work, 'hub-0'), '--port', '0'], 'HOTLINE_HUB_READY ');
    const aloneWarm = await timeToReady([pgliteOnly, join(work, 'pglite-0')], 'READY');
    const median = (xs: number[]) => percentile(xs, 50);
    const rss = (xs: Array<{ rssMb: number | null }>) => median(xs.map((x) => x.rssMb ?? Number.NaN));
    const nodeRss = rss(node);
    return [
      {
        name: '中心冷启动到就绪（PGlite，新数据目录，中位数）',
        unit: 'ms',
        value: median(hub.map((x) => x.ms)),
        target: { op: '<=', value: 6000 },
        baseline: { label: '仅 PGlite 打开新目录 + SELECT 1', value: median(alone.map((x) => x.ms)) },
        note: `${COLD_RUNS} 次；含建库、迁移、建管理员（scrypt）、监听端口`,
      },
      {
        name: '中心再次启动到就绪（PGlite，已有数据目录）',
        unit: 'ms',
        value: warm.ms,
        target: { op: '<=', value: 2000 },
        baseline: { label: '仅 PGlite 打开已有目录 + SELECT 1', value: aloneWarm.ms },
      },
      {
        name: '中心就绪时内存（RSS，PGlite，新数据目录，中位数）',
        unit: 'MB',
        value: rss(hub),
        target: { op: '<=', value: 300 },
        baseline: { label: '仅 PGlite 在本进程新建目录（中心原来的做法）', value: rss(alone) },
        note: `空 Node 进程 ${nodeRss.toFixed(0)} MB；新目录复制构建时生成的数据库（dist/hub/pgdata-template），不再现场 initdb（server/db.ts）`,
      },
      {
        name: '中心再次启动就绪时内存（RSS，已有数据目录）',
        unit: 'MB',
        value: warm.rssMb ?? Number.NaN,
        target: { op: '<=', value: 300 },
        baseline: { label: '仅 PGlite 打开已有目录（默认内存设置）', value: aloneWarm.rssMb ?? Number.NaN },
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const hubBench: Bench = {
  title: '中心：入库吞吐与冷启动',
  async run() {
    return [...(await ingestFigures()), ...(await coldStartFigures())];
  },
};
