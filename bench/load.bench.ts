/**
 * Many desks against the hub on PostgreSQL (issue 18): one hub process, then two on the same database.
 *
 * - The hub runs as its own process (dist/hub/main.mjs with DATABASE_URL and HOTLINE_HUB_DB_SCHEMA, a
 *   fresh schema in postgres://127.0.0.1:5432/test or HUB_BENCH_DATABASE_URL, dropped afterwards), so
 *   its CPU time and memory are read from /proc/<pid> and never include the simulated desks'.
 * - LOAD_BENCH_DESKS desks (default 2,000), each with its own desk account seeded by the hub's users
 *   file (`desk: true`, server/desk-access.ts binds its desk id to it). Every account signs in once
 *   (auth.login, at most 8 at a time: the login guard allows 16 from one address, server/login-guard.ts).
 *   The hub processes run with HOTLINE_HUB_TEST_SCRYPT_LOG2N=14 so that 2,000 sign-ins take a minute,
 *   not ten: sign-in is not part of the steady load measured here, and its time is reported on its own.
 * - For LOAD_BENCH_SECONDS (default 60) per phase, after 5 s of warm-up that is not measured (every
 *   desk's first pull, which binds its desk id), each desk pulls every 5 s (tickets.pull with its
 *   cursor, starts spread over 5 s, as the desk's sync client does:
 *   electron/services/sync/sync-client.ts), and tickets are pushed at the peak rate, one ticket per
 *   push from a random desk (the sync client sends a ticket as soon as it is written):
 *   17,000 calls a day = 708 an hour on average; the peak hour is 3× that = 2,125 an hour ≈ 0.59 pushes/s
 *   (LOAD_BENCH_PUSH_PER_S overrides it). A street's account accepts each ticket a moment later
 *   (ticket.accept), so pulls also bring events back.
 * - Figures: p50/p99 of pull and push, errors (target 0), the hub's CPU (share of one core over the
 *   phase, from /proc/<pid>/stat) and RSS at the end and at peak (VmRSS, VmHWM). Baseline: GET /health
 *   (one SELECT 1, no session) sampled 20 times a second under the same load in the same run — what
 *   the loopback, the event loops and the database's round trip cost before any work.
 * - Two hubs: a second process on the same schema, odd desks moved to it with the session they got
 *   from the first (sessions are rows in PostgreSQL: valid on either hub); a login on the second hub
 *   is checked on the first. Every 10th push is sent to both hubs at once (a desk retrying after a
 *   failover): both answers must carry the same official number. Afterwards: official numbers unique,
 *   one row per ticket id pushed, and as many rows as distinct ids pushed.
 * - The simulated desks run in this process (global fetch, one keep-alive pool per hub address, so
 *   the hub sees fewer sockets than 2,000 desks would open); this process's event-loop delay p99 is
 *   printed with the figures, since it adds to every latency measured here, baseline included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { PushedTicket } from '../shared/api/hub-contract';
import { createHubClient, type HubClient } from '../shared/api/hub-client';
import { findReadyLine, HUB_READY_PREFIX } from '../shared/ready-line';
import { DEFAULT_POOL_SIZE, openPostgres } from '../server/db';
import { pushedTicket, PG_URL, ROOT } from '../test/hub/support';
import { percentile, type Bench, type Figure } from './harness';

const DESKS = Number(process.env.LOAD_BENCH_DESKS) || 2_000;
const SECONDS = Number(process.env.LOAD_BENCH_SECONDS) || 60;
const PULL_EVERY_MS = 5_000;
/** 17,000 calls a day → 708.3 an hour; the peak hour is three times that: 2,125 an hour. */
const PEAK_PUSH_PER_S = Number(process.env.LOAD_BENCH_PUSH_PER_S) || (17_000 / 24) * 3 / 3600;
const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;
const PASSWORD = 'bench-load-password';
const HUB_MAIN = join(ROOT, 'dist', 'hub', 'main.mjs');
// A real street and leaf of resources/ (the hub process checks codes against its directory and catalogue).
const STREET = { district: '110101', street: '110101001', unit: 'ST110101001', name: '东华门街道' };
const LEAF = '0101001';

interface HubProcess {
  child: ChildProcess;
  url: string;
  pid: number;
}

function startHubProcess(schema: string, usersFile: string | null): Promise<HubProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HUB_MAIN, '--port', '0', ...(usersFile ? ['--users', usersFile] : [])], {
      env: { ...process.env, DATABASE_URL: BENCH_PG_URL, HOTLINE_HUB_DB_SCHEMA: schema, HOTLINE_HUB_TEST_SCRYPT_LOG2N: '14', HOTLINE_HUB_USERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`hub not ready in 15 min: ${err.slice(-500)}`)), 900_000);
    child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = findReadyLine(out, HUB_READY_PREFIX);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, pid: child.pid!, url: ready.url });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}): ${err.slice(-500)}`));
    });
  });
}

function stopHub(hub: HubProcess): Promise<void> {
  return new Promise((resolve) => {
    if (hub.child.exitCode !== null) return resolve();
    hub.child.removeAllListeners('exit');
    hub.child.once('exit', () => resolve());
    hub.child.kill('SIGTERM');
    setTimeout(() => hub.child.kill('SIGKILL'), 10_000).unref();
  });
}

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface Desk {
  index: number;
  deskId: string;
  client: HubClient;
  cursor: number;
}

function ticketOf(desk: Desk, n: number): PushedTicket {
  const at = new Date().toISOString();
  return pushedTicket({
    deskId: desk.deskId,
    operatorId: `op-${desk.index}`,
    submittedAt: at,
    callStartedAt: new Date(Date.now() - 240_000).toISOString(),
    content: `第 ${n} 号诉求：小区楼下商户夜间施工噪音扰民，影响居民休息，请尽快处理。`,
    leafCode: LEAF,
    unitCode: STREET.unit,
    address: { districtCode: STREET.district, streetCode: STREET.street, villageCode: null, text: `某小区 ${n % 40} 号楼` },
    names: { unit: STREET.name, district: '东城区', street: STREET.name, leafPath: ['城乡建设', '老旧小区综合整治', '改造项目申报'] },
  });
}

interface PhaseResult {
  pull: number[];
  push: number[];
  health: number[];
  errors: string[];
  pushes: number;
  pulledEvents: number;
  cpu: Map<number, number>;
  memory: Map<number, { rss: number; peak: number }>;
  loopDelayP99: number;
  doubleSent: number;
}

/** Runs the desks for SECONDS against their hubs (desk i → hubs[i % hubs.length]); `both`: every 10th push goes to every hub at once. */
async function runPhase(desks: Desk[], hubs: HubProcess[], clientsFor: (desk: Desk, hub: HubProcess) => HubClient, street: HubClient, sent: Set<string>, both: boolean): Promise<PhaseResult> {
  const result: PhaseResult = { pull: [], push: [], health: [], errors: [], pushes: 0, pulledEvents: 0, cpu: new Map(), memory: new Map(), loopDelayP99: 0, doubleSent: 0 };
  const error = (what: string) => {
    if (result.errors.length < 20) result.errors.push(what);
    else result.errors.push('');
  };
  // One pull period of warm-up, not measured: every desk makes its first pull (binding its desk id, as
  // at its first sync of a shift) and the hubs' code is compiled before the measured window starts.
  let cpu0 = new Map<number, number>();
  let started = performance.now() + PULL_EVERY_MS;
  const endAt = started + SECONDS * 1000;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const timed = async <T>(samples: number[], run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await run();
    if (start >= started) samples.push(performance.now() - start);
    return value;
  };

  const timers: NodeJS.Timeout[] = [];
  // Pulls: each desk every 5 s, first one at a random moment in the first 5 s.
  for (const desk of desks) {
    const client = clientsFor(desk, hubs[desk.index % hubs.length]!);
    const pull = () => {
      if (performance.now() >= endAt) return;
      track(
        timed(result.pull, () => client.call('tickets.pull', { since: desk.cursor, deskId: desk.deskId, limit: 500 })).then((r) => {
          if (!r.ok) return error(`pull ${desk.deskId}: ${r.error.kind} ${r.error.message}`);
          desk.cursor = r.value.cursor;
          result.pulledEvents += r.value.events.length;
        }),
      );
      timers.push(setTimeout(pull, PULL_EVERY_MS));
    };
    timers.push(setTimeout(pull, Math.random() * PULL_EVERY_MS));
  }
  // Pushes: a Poisson process at the peak rate, each from a random desk; the street accepts it 2 s later.
  let n = 0;
  const push = () => {
    if (performance.now() >= endAt) return;
    if (performance.now() < started) return void timers.push(setTimeout(push, started - performance.now()));
    const desk = desks[Math.floor(Math.random() * desks.length)]!;
    const ticket = ticketOf(desk, n++);
    sent.add(ticket.id);
    const targets = both && n % 10 === 0 ? hubs : [hubs[desk.index % hubs.length]!];
    if (targets.length > 1) result.doubleSent++;
    result.pushes++;
    track(
      Promise.all(targets.map((hub) => timed(result.push, () => clientsFor(desk, hub).call('tickets.push', { tickets: [ticket] })))).then((answers) => {
        const numbers = new Set<string>();
        for (const r of answers) {
          if (!r.ok) return error(`push ${desk.deskId}: ${r.error.kind} ${r.error.message}`);
          numbers.add(r.value.results[0]!.number);
        }
        if (numbers.size !== 1) return error(`ticket ${ticket.id} numbered ${[...numbers].join(' and ')}`);
        timers.push(
          setTimeout(() => track(street.call('ticket.accept', { ticketId: ticket.id }).then((r) => (r.ok ? undefined : error(`accept: ${r.error.message}`)))), 2_000),
        );
      }),
    );
    timers.push(setTimeout(push, -Math.log(1 - Math.random()) * (1000 / PEAK_PUSH_PER_S)));
  };
  timers.push(setTimeout(push, 0));
  // Baseline: GET /health, 20 a second, spread over the hubs.
  let h = 0;
  const health = setInterval(() => {
    const hub = hubs[h++ % hubs.length]!;
    track(
      timed(result.health, () => fetch(`${hub.url}health`).then((r) => r.json())).then(
        (body) => ((body as { ok?: boolean }).ok ? undefined : error('health not ok')),
        (e: unknown) => error(`health: ${String(e)}`),
      ),
    );
  }, 50);

  await new Promise((resolve) => setTimeout(resolve, PULL_EVERY_MS));
  cpu0 = new Map(hubs.map((h) => [h.pid, cpuSeconds(h.pid)]));
  started = performance.now();
  loopDelay.enable();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  clearInterval(health);
  for (const hub of hubs) {
    result.cpu.set(hub.pid, (cpuSeconds(hub.pid) - cpu0.get(hub.pid)!) / ((performance.now() - started) / 1000));
    result.memory.set(hub.pid, memoryMb(hub.pid));
  }
  while (pending.size) await Promise.allSettled([...pending]);
  for (const t of timers) clearTimeout(t);
  loopDelay.disable();
  result.loopDelayP99 = loopDelay.percentile(99) / 1e6;
  return result;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

function figuresOf(label: string, r: PhaseResult, hubs: HubProcess[]): Figure[] {
  const base = (p: number) => ({ label: 'GET /health（SELECT 1，无会话）同负载', value: percentile(r.health, p) });
  const cpu = hubs.map((h) => `${(r.cpu.get(h.pid)! * 100).toFixed(0)}%`).join(' + ');
  const mem = hubs.map((h) => `${r.memory.get(h.pid)!.rss.toFixed(0)} MB（峰值 ${r.memory.get(h.pid)!.peak.toFixed(0)} MB）`).join(' + ');
  const note = `${DESKS} 坐席 ${SECONDS} s：拉取 ${r.pull.length} 次（${(r.pull.length / SECONDS).toFixed(0)}/s，带回事件 ${r.pulledEvents}），上传 ${r.pushes} 张（${(r.pushes / SECONDS).toFixed(2)}/s${r.doubleSent ? `，其中 ${r.doubleSent} 张同时发给两个中心` : ''}）；压测进程事件循环延迟 p99 ${r.loopDelayP99.toFixed(0)} ms；每个中心连接池 ${process.env.HOTLINE_HUB_DB_POOL || DEFAULT_POOL_SIZE}`;
  return [
    { name: `${label}：拉取 p50`, unit: 'ms', value: percentile(r.pull, 50), target: null, baseline: base(50), note },
    { name: `${label}：拉取 p99`, unit: 'ms', value: percentile(r.pull, 99), target: { op: '<=', value: 100 }, baseline: base(99) },
    { name: `${label}：上传 p50`, unit: 'ms', value: percentile(r.push, 50), target: null, baseline: base(50) },
    { name: `${label}：上传 p99`, unit: 'ms', value: percentile(r.push, 99), target: { op: '<=', value: 200 }, baseline: base(99) },
    {
      name: `${label}：错误`,
      unit: '次',
      value: r.errors.length,
      target: { op: '<=', value: 0 },
      baseline: null,
      ...(r.errors.length ? { note: r.errors.filter(Boolean).slice(0, 3).join('；') } : {}),
    },
    { name: `${label}：中心 CPU（单核占比）`, unit: '%', value: hubs.reduce((s, h) => s + r.cpu.get(h.pid)! * 100, 0), target: null, baseline: null, note: `各进程 ${cpu}` },
    { name: `${label}：中心内存 RSS`, unit: 'MB', value: hubs.reduce((s, h) => s + r.memory.get(h.pid)!.rss, 0), target: null, baseline: null, note: `各进程 ${mem}` },
  ];
}

async function loadFigures(): Promise<Figure[]> {
  const schema = `hub_bench_load_${randomBytes(5).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'hotline-load-'));
  const usersFile = join(dir, 'users.json');
  const seeds = [
    ...Array.from({ length: DESKS }, (_, i) => ({ username: `desk${i}`, password: PASSWORD, name: `坐席 ${i}`, role: 'call_taker', unitCode: null, desk: true })),
    { username: 'street', password: PASSWORD, name: '东华门街道操作员', role: 'unit_operator', unitCode: STREET.unit },
  ];
  writeFileSync(usersFile, JSON.stringify(seeds), { mode: 0o600 });
  const hubs: HubProcess[] = [];
  const db = await openPostgres({ url: BENCH_PG_URL, schema, max: 2 }).catch(() => null);
  if (!db) {
    rmSync(dir, { recursive: true, force: true });
    return [{ name: '多坐席负载', unit: 'ms', value: Number.NaN, target: { op: '<=', value: 100 }, baseline: null, note: `PostgreSQL 不可达（${BENCH_PG_URL}）` }];
  }
  try {
    const seedStart = performance.now();
    const a = await startHubProcess(schema, usersFile);
    hubs.push(a);
    const seedS = (performance.now() - seedStart) / 1000;

    const clientOf = (url: string) => createHubClient({ url, timeoutMs: 30_000 });
    const loginStart = performance.now();
    const desks: Desk[] = await mapLimit(Array.from({ length: DESKS }, (_, i) => i), 8, async (i) => {
      const client = clientOf(a.url);
      const r = await client.login(`desk${i}`, PASSWORD);
      if (!r.ok) throw new Error(`login desk${i}: ${r.error.message}`);
      return { index: i, deskId: `load-desk-${i}`, client, cursor: 0 };
    });
    const loginS = (performance.now() - loginStart) / 1000;
    const street = clientOf(a.url);
    if (!(await street.login('street', PASSWORD)).ok) throw new Error('street login');
    const sent = new Set<string>();

    const one = await runPhase(desks, [a], (desk) => desk.client, street, sent, false);

    // Two hubs: the second on the same schema, no users file; odd desks keep their session from the first.
    const b = await startHubProcess(schema, null);
    hubs.push(b);
    const onB = new Map<number, HubClient>();
    const clientsFor = (desk: Desk, hub: HubProcess): HubClient => {
      if (hub === a) return desk.client;
      let c = onB.get(desk.index);
      if (!c) {
        c = clientOf(b.url);
        c.token = desk.client.token;
        onB.set(desk.index, c);
      }
      return c;
    };
    const crossB = await clientsFor(desks[1 % desks.length]!, b).call('auth.me', {});
    const madeOnB = clientOf(b.url);
    const loginB = await madeOnB.login('street', PASSWORD);
    const crossA = clientOf(a.url);
    crossA.token = madeOnB.token;
    const meOnA = await crossA.call('auth.me', {});
    const sessionsShared = crossB.ok && loginB.ok && meOnA.ok && meOnA.value.username === 'street';

    const two = await runPhase(desks, [a, b], clientsFor, street, sent, true);

    const [counts] = await db.query<{ rows: number; ids: number; numbers: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids, count(DISTINCT number)::int AS numbers FROM tickets',
    );
    const c = counts!;
    const unique = c.rows === c.ids && c.ids === c.numbers && c.rows === sent.size;

    return [
      { name: '登录：全部坐席账号（每次最多 8 个并发）', unit: 's', value: loginS, target: null, baseline: null, note: `${DESKS} 个坐席账号由中心用户文件创建用时 ${seedS.toFixed(0)} s（scrypt N=2^14，见文件头）` },
      ...figuresOf('一个中心', one, [a]),
      ...figuresOf('两个中心', two, [a, b]),
      {
        name: '两个中心：正式编号唯一、无重复工单、会话两边通用',
        unit: '项不符',
        value: (unique ? 0 : 1) + (sessionsShared ? 0 : 1),
        target: { op: '<=', value: 0 },
        baseline: null,
        note: `上传 ${sent.size} 个不同工单 ID，中心 ${c.rows} 行、${c.ids} 个 ID、${c.numbers} 个正式编号；中心一的会话在中心二 ${crossB.ok ? '有效' : '无效'}，中心二的会话在中心一 ${meOnA.ok ? '有效' : '无效'}`,
      },
    ];
  } finally {
    await Promise.all(hubs.map(stopHub));
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const loadBench: Bench = {
  title: `多坐席负载（PostgreSQL，${DESKS} 个坐席，每 5 秒拉取，高峰每秒 ${PEAK_PUSH_PER_S.toFixed(2)} 张，一个与两个中心进程）`,
  run: loadFigures,
};
