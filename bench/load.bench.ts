/**
 * Many desks against the hub on PostgreSQL (issue 18): one hub process, then two on the same database.
 *
 * - The hub runs as its own process (dist/hub/main.mjs with DATABASE_URL and HOTLINE_HUB_DB_SCHEMA, a
 *   fresh schema in postgres://127.0.0.1:5432/test or HUB_BENCH_DATABASE_URL, dropped afterwards), so
 *   its CPU time and memory are read from /proc/<pid> and never include the simulated desks'.
 * - LOAD_BENCH_DESKS desks (default 2,000), each with its own desk account seeded by the hub's users
 *   file (`desk: true`, server/desk-access.ts binds its desk id to it). LOAD_BENCH_POOL sets the hubs'
 *   PostgreSQL pool (passed on as HOTLINE_HUB_DB_POOL, default DEFAULT_POOL_SIZE in server/db.ts) for an
 *   A/B; the figures' note says which size ran.
 * - The simulated desks run in LOAD_BENCH_WORKERS child processes (default 4, at most 8; bench/load-desks.ts,
 *   started with child_process.fork), each owning a contiguous slice of the desks, so that the OS
 *   schedules them apart from this process and from each other and no single event loop carries
 *   2,000 desks. Each worker signs in its desks, runs their pulls, pushes and its share of the
 *   baseline, keeps the raw latency samples and errors, and sends them here at the end of each phase;
 *   this process starts the hubs, reads their CPU and memory, merges the samples and computes the
 *   figures. Every worker uses global fetch (one keep-alive pool per hub address per worker, so the
 *   hub sees fewer sockets than 2,000 desks would open).
 * - Every account signs in once (auth.login, at most 8 at a time over all workers: the login guard
 *   allows 16 from one address, server/login-guard.ts). The hub processes run with
 *   HOTLINE_HUB_TEST_SCRYPT_LOG2N=14 so that 2,000 sign-ins take a minute, not ten: sign-in is not part
 *   of the steady load measured here, and its time is reported on its own.
 * - For LOAD_BENCH_SECONDS (default 180: some 100 pushes, whose p99 is then not just the slowest one)
 *   per phase, after 5 s of warm-up that is not measured (every desk's first pull, which binds its
 *   desk id, and 40 pushes, so that the push path has run on the hub's pooled connections as on a hub
 *   that has taken calls all morning; the pushes' Poisson process starts there, not at one moment
 *   shared by every worker), each desk pulls as the desk's sync client does
 *   (electron/services/sync/sync-client.ts): tickets.pull with its cursor, the next one 5 s ± 10 %
 *   (nextPullDelay) after the last one ended, the first ones spread over 5 s; and tickets are pushed
 *   at the peak rate, one ticket per push from a random desk (the sync client sends a ticket as soon
 *   as it is written):
 *   17,000 calls a day = 708 an hour on average; the peak hour is 3× that = 2,125 an hour ≈ 0.59 pushes/s
 *   (LOAD_BENCH_PUSH_PER_S overrides it). Each worker pushes from its own desks as a Poisson process at
 *   1/LOAD_BENCH_WORKERS of the rate, so together they push at the peak rate. A street's account
 *   (signed in here, its session handed to the workers) accepts each ticket a moment later
 *   (ticket.accept), so pulls also bring events back. The measured window is given to the workers as
 *   wall-clock times, and the hubs' CPU is read here at its start and end.
 * - Figures: p50/p99 of pull and push over all workers' samples (the push p99 with its sample count
 *   and the three slowest pushes, each beside the slowest /health and pull in flight with it), errors (target 0), the hub's CPU
 *   (share of one core over the phase, from /proc/<pid>/stat) and RSS at the end and at peak (VmRSS,
 *   VmHWM), and in the note the PostgreSQL connections opened during the window (a pool that closes
 *   idle connections and reopens them in the next stall shows there; server/db.ts POOL_IDLE_MS). Baseline: GET /health (one SELECT 1, no session) sampled 20 times a second in all (each
 *   worker its share) under the same load in the same run — what the loopback, the event loops and
 *   the database's round trip cost before any work.
 * - Two hubs: a second process on the same schema, odd desks moved to it with the session they got
 *   from the first (sessions are rows in PostgreSQL: valid on either hub; a desk's session from the
 *   first is also checked on the second here), and a login on the second hub is checked on the first.
 *   Every 10th push of each worker is sent to both hubs at once (a desk retrying after a failover):
 *   both answers must carry the same official number. Afterwards: official numbers unique, one row per
 *   ticket id pushed, and as many rows as distinct ids pushed (the workers report every id they pushed).
 * - LOAD_BENCH_HUB_ARGS: Node options for the hub processes, split at spaces (for example
 *   `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a hub's time goes under the load).
 * - Each worker's event-loop delay p99 over the measured window is printed with the figures (the
 *   largest, and each worker's), since it adds to every latency measured in that worker, baseline
 *   included. The workers share the machine's cores with the hubs and PostgreSQL on loopback.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubClient, PULL_EVERY_MS } from '../shared/api/hub-client';
import { findReadyLine, HUB_READY_PREFIX } from '../shared/ready-line';
import { DEFAULT_POOL_SIZE, openPostgres, type Database } from '../server/db';
import { PG_URL, ROOT } from '../test/hub/support';
import { percentile, type Bench, type Figure } from './harness';
import { STREET, type PhaseSamples, type WorkerCommand, type WorkerReply } from './load-desks';

const DESKS = Number(process.env.LOAD_BENCH_DESKS) || 2_000;
/** 180 s: some 100 pushes at the peak rate, so that their p99 is not simply the slowest one. */
const SECONDS = Number(process.env.LOAD_BENCH_SECONDS) || 180;
/** Worker processes the desks are spread over (at most 8: sign-ins stay at 8 at a time in all, see the header). */
const WORKERS = Math.max(1, Math.min(8, DESKS, Number(process.env.LOAD_BENCH_WORKERS) || 4));
/** GET /health every 50 ms over all workers: 20 a second. */
const HEALTH_EVERY_MS = 50;
/** 17,000 calls a day → 708.3 an hour; the peak hour is three times that: 2,125 an hour. */
const PEAK_PUSH_PER_S = Number(process.env.LOAD_BENCH_PUSH_PER_S) || (17_000 / 24) * 3 / 3600;
/** Pushes a second over all workers in the warm-up's first 3 s (not measured; their accepts follow 2 s later, still in the warm-up): about 40, one for each prepared statement on each of the pool's connections. */
const WARM_PUSH_PER_S = 13;
const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;
const PASSWORD = 'bench-load-password';
const HUB_MAIN = join(ROOT, 'dist', 'hub', 'main.mjs');
const WORKER_MAIN = join(ROOT, 'bench', 'load-desks.ts');
/** LOAD_BENCH_POOL: the hubs' PostgreSQL pool size for an A/B, passed on as HOTLINE_HUB_DB_POOL (server/db.ts). */
const POOL_ENV = process.env.LOAD_BENCH_POOL?.trim() || process.env.HOTLINE_HUB_DB_POOL?.trim() || '';
/** The pool size a hub uses with POOL_ENV, as server/db.ts reads it (1..100, else DEFAULT_POOL_SIZE). */
const POOL_SIZE = Number.isInteger(Number(POOL_ENV)) && Number(POOL_ENV) >= 1 && Number(POOL_ENV) <= 100 ? Number(POOL_ENV) : DEFAULT_POOL_SIZE;

interface HubProcess {
  child: ChildProcess;
  url: string;
  pid: number;
}

function startHubProcess(schema: string, usersFile: string | null): Promise<HubProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.LOAD_BENCH_HUB_ARGS ? process.env.LOAD_BENCH_HUB_ARGS.split(' ') : []), HUB_MAIN, '--port', '0', ...(usersFile ? ['--users', usersFile] : [])], {
      env: { ...process.env, DATABASE_URL: BENCH_PG_URL, HOTLINE_HUB_DB_SCHEMA: schema, HOTLINE_HUB_TEST_SCRYPT_LOG2N: '14', HOTLINE_HUB_USERS: '',
        // The suggester's nightly training (server/learned.ts) runs at 02:30, not in the peak hour measured here.
        HOTLINE_HUB_TRAIN_AT: 'off', HOTLINE_HUB_DB_POOL: String(POOL_SIZE) },
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

interface Worker {
  child: ChildProcess;
  /** Desks [from, to) are this worker's. */
  from: number;
  to: number;
  /** Resolves with the next reply; rejects when the worker fails or exits. */
  next(): Promise<WorkerReply>;
}

function startWorker(from: number, to: number): Worker {
  // fork keeps process.execArgv, so the worker runs under the same tsx loader as this process.
  const child = fork(WORKER_MAIN, [], { env: { ...process.env, LOAD_BENCH_DESK_WORKER: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: WorkerReply[] = [];
  let waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  let gone: Error | null = null;
  child.on('message', (m: WorkerReply) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      if (m.type === 'failed') w.reject(new Error(`desk worker ${from}–${to - 1}: ${m.message}`));
      else w.resolve(m);
    } else replies.push(m);
  });
  child.on('exit', (code) => {
    gone = new Error(`desk worker ${from}–${to - 1} exited (${code})`);
    waiting?.reject(gone);
    waiting = null;
  });
  return {
    child,
    from,
    to,
    next: () =>
      new Promise<WorkerReply>((resolve, reject) => {
        const m = replies.shift();
        if (m) return m.type === 'failed' ? reject(new Error(`desk worker ${from}–${to - 1}: ${m.message}`)) : resolve(m);
        if (gone) return reject(gone);
        waiting = { resolve, reject };
      }),
  };
}

async function ask<T extends WorkerReply['type']>(worker: Worker, cmd: WorkerCommand, type: T): Promise<Extract<WorkerReply, { type: T }>> {
  worker.child.send(cmd);
  const reply = await worker.next();
  if (reply.type !== type) throw new Error(`desk worker: expected ${type}, got ${reply.type}`);
  return reply as Extract<WorkerReply, { type: T }>;
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return resolve();
    worker.child.once('exit', () => resolve());
    if (worker.child.connected) worker.child.send({ type: 'exit' } satisfies WorkerCommand);
    setTimeout(() => worker.child.kill('SIGKILL'), 5_000).unref();
  });
}

/** The workers' samples merged, with the hubs' CPU and memory over the same window. */
interface PhaseResult extends Omit<PhaseSamples, 'loopDelayP99' | 'sent'> {
  cpu: Map<number, number>;
  memory: Map<number, { rss: number; peak: number }>;
  /** Each worker's event-loop delay p99, ms. */
  loopDelayP99: number[];
  /** Date.now() at the start of the measured window. */
  windowStart: number;
  /** PostgreSQL sessions opened on the bench's database during the window (pg_stat_database.sessions). */
  connectionsOpened: number;
}

/** Sessions ever established on the database (PostgreSQL 14+; null before): a pool that shrinks and regrows shows here. */
async function sessionsEver(db: Database): Promise<number | null> {
  const rows = await db.query<{ n: number }>('SELECT sessions::int AS n FROM pg_stat_database WHERE datname = current_database()').catch(() => []);
  return rows[0]?.n ?? null;
}

/** The slowest sample of `ms` (started at `at`, index for index) in flight at any moment of [from, to]. */
function slowestDuring(ms: number[], at: number[], from: number, to: number): number {
  let slowest = 0;
  for (let i = 0; i < ms.length; i++) if (at[i]! <= to && at[i]! + ms[i]! >= from) slowest = Math.max(slowest, ms[i]!);
  return slowest;
}

/**
 * The three slowest pushes, each with when it started in the window and the slowest GET /health and
 * pull in flight at the same time: a push slow alone waited on something of its own (a lock, a
 * commit); one slow beside /health (no session, one SELECT 1) waited on the machine or the hub's event loop.
 */
function slowestPushes(r: PhaseResult): string {
  const order = r.push.map((_, i) => i).sort((x, y) => r.push[y]! - r.push[x]!).slice(0, 3);
  return order
    .map((i) => {
      const from = r.pushAt[i]!;
      const to = from + r.push[i]!;
      return `+${((from - r.windowStart) / 1000).toFixed(1)} s ${r.push[i]!.toFixed(0)} ms（同时 /health 最慢 ${slowestDuring(r.health, r.healthAt, from, to).toFixed(0)} ms、拉取最慢 ${slowestDuring(r.pull, r.pullAt, from, to).toFixed(0)} ms）`;
    })
    .join('，');
}

/**
 * Runs every worker's desks for SECONDS against the hubs (desk i → hubs[i % hubs.length]) after one
 * pull period of warm-up; `both`: every 10th push goes to every hub at once. The hubs' CPU time is
 * read here at the start and end of the same window the workers measure in.
 */
async function runPhase(db: Database, workers: Worker[], hubs: HubProcess[], street: { url: string; token: string }, sent: Set<string>, both: boolean): Promise<PhaseResult> {
  // One pull period of warm-up, not measured: every desk makes its first pull (binding its desk id, as
  // at its first sync of a shift) and the hubs' code is compiled before the measured window starts.
  // 250 ms more so that every worker has the message before its warm-up starts.
  const warmEndAt = Date.now() + 250 + PULL_EVERY_MS;
  const endAt = warmEndAt + SECONDS * 1000;
  const done = Promise.all(
    workers.map((w, i) =>
      ask(w, {
        type: 'phase',
        hubs: hubs.map((h) => h.url),
        both,
        street,
        warmEndAt,
        endAt,
        pushPerS: PEAK_PUSH_PER_S / workers.length,
        warmPushPerS: WARM_PUSH_PER_S / workers.length,
        healthEveryMs: HEALTH_EVERY_MS * workers.length,
        worker: i,
      }, 'phaseDone'),
    ),
  );
  // A worker that fails before the window ends rejects `done`; keep that for the await below.
  done.catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, warmEndAt - Date.now()));
  const cpu0 = new Map(hubs.map((h) => [h.pid, cpuSeconds(h.pid)]));
  const started = performance.now();
  const sessions0 = await sessionsEver(db);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, endAt - Date.now())));
  const sessions1 = await sessionsEver(db);
  const connectionsOpened = sessions0 === null || sessions1 === null ? -1 : sessions1 - sessions0;
  const result: PhaseResult = { pull: [], push: [], health: [], pullAt: [], pushAt: [], healthAt: [], windowStart: warmEndAt, connectionsOpened, errors: [], errorCount: 0, pushes: 0, pulledEvents: 0, cpu: new Map(), memory: new Map(), loopDelayP99: [], doubleSent: 0 };
  for (const hub of hubs) {
    result.cpu.set(hub.pid, (cpuSeconds(hub.pid) - cpu0.get(hub.pid)!) / ((performance.now() - started) / 1000));
    result.memory.set(hub.pid, memoryMb(hub.pid));
  }
  for (const { samples: s } of await done) {
    for (const key of ['pull', 'push', 'health', 'pullAt', 'pushAt', 'healthAt'] as const) for (const x of s[key]) result[key].push(x);
    result.errors.push(...s.errors);
    result.errorCount += s.errorCount;
    result.pushes += s.pushes;
    result.pulledEvents += s.pulledEvents;
    result.doubleSent += s.doubleSent;
    result.loopDelayP99.push(s.loopDelayP99);
    for (const id of s.sent) sent.add(id);
  }
  return result;
}

function figuresOf(label: string, r: PhaseResult, hubs: HubProcess[]): Figure[] {
  const base = (p: number) => ({ label: 'GET /health（SELECT 1，无会话）同负载', value: percentile(r.health, p) });
  const cpu = hubs.map((h) => `${(r.cpu.get(h.pid)! * 100).toFixed(0)}%`).join(' + ');
  const mem = hubs.map((h) => `${r.memory.get(h.pid)!.rss.toFixed(0)} MB（峰值 ${r.memory.get(h.pid)!.peak.toFixed(0)} MB）`).join(' + ');
  const loops = r.loopDelayP99.map((d) => d.toFixed(0)).join('/');
  const note = `${DESKS} 坐席 ${SECONDS} s：拉取 ${r.pull.length} 次（${(r.pull.length / SECONDS).toFixed(0)}/s，带回事件 ${r.pulledEvents}），上传 ${r.pushes} 张（${(r.pushes / SECONDS).toFixed(2)}/s${r.doubleSent ? `，其中 ${r.doubleSent} 张同时发给两个中心` : ''}）；坐席分在 ${r.loopDelayP99.length} 个进程，事件循环延迟 p99 最大 ${Math.max(...r.loopDelayP99).toFixed(0)} ms（各进程 ${loops} ms）；每个中心连接池 ${POOL_SIZE}，窗口内新开数据库连接 ${r.connectionsOpened < 0 ? '（无法读取）' : `${r.connectionsOpened} 个`}`;
  return [
    { name: `${label}：拉取 p50`, unit: 'ms', value: percentile(r.pull, 50), target: null, baseline: base(50), note },
    { name: `${label}：拉取 p99`, unit: 'ms', value: percentile(r.pull, 99), target: { op: '<=', value: 100 }, baseline: base(99) },
    { name: `${label}：上传 p50`, unit: 'ms', value: percentile(r.push, 50), target: null, baseline: base(50) },
    {
      name: `${label}：上传 p99`,
      unit: 'ms',
      value: percentile(r.push, 99),
      target: { op: '<=', value: 200 },
      baseline: base(99),
      // Nearest rank: under 100 samples the p99 is the slowest push itself.
      note: `${r.push.length} 次上传${r.push.length < 100 ? '（不足 100 次，p99 即最慢一次）' : ''}；最慢：${slowestPushes(r)}`,
    },
    {
      name: `${label}：错误`,
      unit: '次',
      value: r.errorCount,
      target: { op: '<=', value: 0 },
      baseline: null,
      ...(r.errorCount ? { note: r.errors.slice(0, 3).join('；') } : {}),
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
  const workers: Worker[] = [];
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

    // Contiguous slices, so that every worker has desks on both hubs in the second phase.
    for (let w = 0; w < WORKERS; w++) workers.push(startWorker(Math.floor((w * DESKS) / WORKERS), Math.floor(((w + 1) * DESKS) / WORKERS)));
    const clientOf = (url: string) => createHubClient({ url, timeoutMs: 30_000 });
    const loginStart = performance.now();
    const parallel = Math.max(1, Math.floor(8 / WORKERS));
    const firstDesks = await Promise.all(workers.map((w) => ask(w, { type: 'login', hubUrl: a.url, from: w.from, to: w.to, password: PASSWORD, parallel }, 'loggedIn')));
    const loginS = (performance.now() - loginStart) / 1000;
    const streetClient = clientOf(a.url);
    if (!(await streetClient.login('street', PASSWORD)).ok) throw new Error('street login');
    const street = { url: a.url, token: streetClient.token! };
    const sent = new Set<string>();

    const one = await runPhase(db, workers, [a], street, sent, false);

    // Two hubs: the second on the same schema, no users file; odd desks keep their session from the first.
    const b = await startHubProcess(schema, null);
    hubs.push(b);
    const deskOnB = clientOf(b.url);
    deskOnB.token = firstDesks[0]!.token;
    const crossB = await deskOnB.call('auth.me', {});
    const madeOnB = clientOf(b.url);
    const loginB = await madeOnB.login('street', PASSWORD);
    const crossA = clientOf(a.url);
    crossA.token = madeOnB.token;
    const meOnA = await crossA.call('auth.me', {});
    const sessionsShared = crossB.ok && loginB.ok && meOnA.ok && meOnA.value.username === 'street';

    const two = await runPhase(db, workers, [a, b], street, sent, true);

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
    await Promise.all(workers.map(stopWorker));
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
