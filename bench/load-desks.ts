/**
 * One worker process of bench/load.bench.ts: it owns a slice of the simulated desks (its own event loop,
 * its own keep-alive fetch pool per hub address), signs them in, runs the pull loop, its share of the
 * pushes and of the GET /health baseline in each phase, and sends the raw samples back to the bench
 * process, which merges them. Started with child_process.fork (tsx's loader comes with execArgv).
 * Messages: see WorkerCommand / WorkerReply below.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { PushedTicket } from '../shared/api/hub-contract';
import { createHubClient, nextPullDelay, PULL_EVERY_MS, type HubClient } from '../shared/api/hub-client';
import { pushedTicket } from '../test/hub/support';

// A real street and leaf of resources/ (the hub process checks codes against its directory and catalogue).
export const STREET = { district: '110101', street: '110101001', unit: 'ST110101001', name: '东华门街道' };
const LEAF = '0101001';
/** The street accepts each pushed ticket this long after its push. */
const ACCEPT_AFTER_MS = 2_000;

export type WorkerCommand =
  /** Sign in desks [from, to) on hubUrl, at most `parallel` at a time. */
  | { type: 'login'; hubUrl: string; from: number; to: number; password: string; parallel: number }
  /**
   * One phase: pulls and pushes start at once (warm-up, not measured) and samples are kept from warmEndAt to
   * endAt (Date.now() times, so that every worker and the bench process share the window). Desk i
   * uses hubs[i % hubs.length]; `both`: every 10th push of this worker goes to every hub at once.
   */
  | {
      type: 'phase';
      hubs: string[];
      both: boolean;
      street: { url: string; token: string };
      warmEndAt: number;
      endAt: number;
      pushPerS: number;
      /**
       * This worker's push rate in the warm-up: higher, so that the push path has run (compiled, its
       * statements prepared on the hub's pooled connections, server/db.ts) before the window, as on a
       * hub that has taken calls all morning; the pulls' warm-up does the same for theirs.
       */
      warmPushPerS: number;
      healthEveryMs: number;
      /** This worker's number (0..): staggers its GET /health over the hubs and its every-10th push. */
      worker: number;
    }
  | { type: 'exit' };

export interface PhaseSamples {
  pull: number[];
  push: number[];
  health: number[];
  /** When each sample of pull, push and health started (Date.now() ms), index for index. */
  pullAt: number[];
  pushAt: number[];
  healthAt: number[];
  /** The first 20 error messages; errorCount counts them all. */
  errors: string[];
  errorCount: number;
  pushes: number;
  pulledEvents: number;
  doubleSent: number;
  /** This worker's event-loop delay p99 over the measured window, ms. */
  loopDelayP99: number;
  /** Ids of every ticket this worker pushed. */
  sent: string[];
}

export type WorkerReply =
  | { type: 'loggedIn'; index: number; token: string }
  | { type: 'phaseDone'; samples: PhaseSamples }
  | { type: 'failed'; message: string };

interface Desk {
  index: number;
  deskId: string;
  token: string;
  /** One client per hub address, all carrying the session the desk got at sign-in. */
  clients: Map<string, HubClient>;
  cursor: number;
}

const clientOf = (url: string) => createHubClient({ url, timeoutMs: 30_000 });
let desks: Desk[] = [];

function clientFor(desk: Desk, url: string): HubClient {
  let c = desk.clients.get(url);
  if (!c) {
    c = clientOf(url);
    c.token = desk.token;
    desk.clients.set(url, c);
  }
  return c;
}

function ticketOf(desk: Desk, n: number): PushedTicket {
  const at = new Date().toISOString();
  return pushedTicket({
    // Unique across workers: the provisional number's counter in test/hub/support.ts is per process.
    provisionalNumber: `临${desk.index}-${n}`,
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

async function login(cmd: Extract<WorkerCommand, { type: 'login' }>): Promise<void> {
  const indexes = Array.from({ length: cmd.to - cmd.from }, (_, i) => cmd.from + i);
  const out: Desk[] = new Array(indexes.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: cmd.parallel }, async () => {
      while (next < indexes.length) {
        const slot = next++;
        const index = indexes[slot]!;
        const client = clientOf(cmd.hubUrl);
        const r = await client.login(`desk${index}`, cmd.password);
        if (!r.ok) throw new Error(`login desk${index}: ${r.error.message}`);
        out[slot] = { index, deskId: `load-desk-${index}`, token: client.token!, clients: new Map([[cmd.hubUrl, client]]), cursor: 0 };
      }
    }),
  );
  desks = out;
  send({ type: 'loggedIn', index: desks[0]!.index, token: desks[0]!.token });
}

async function phase(cmd: Extract<WorkerCommand, { type: 'phase' }>): Promise<void> {
  const r: PhaseSamples = { pull: [], push: [], health: [], pullAt: [], pushAt: [], healthAt: [], errors: [], errorCount: 0, pushes: 0, pulledEvents: 0, doubleSent: 0, loopDelayP99: 0, sent: [] };
  const error = (what: string) => {
    r.errorCount++;
    if (r.errors.length < 20) r.errors.push(what);
  };
  // Date.now() times of the bench process → this process's performance.now().
  const offset = performance.now() - Date.now();
  const started = cmd.warmEndAt + offset;
  const endAt = cmd.endAt + offset;
  const street = clientOf(cmd.street.url);
  street.token = cmd.street.token;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const timed = async <T>(samples: number[], starts: number[], run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await run();
    if (start >= started && start < endAt) {
      samples.push(performance.now() - start);
      starts.push(start - offset);
    }
    return value;
  };
  const timers: NodeJS.Timeout[] = [];
  const at = (ms: number, fn: () => void) => timers.push(setTimeout(fn, Math.max(0, ms)));

  // Pulls: as the desk's sync client does (electron/services/sync/sync-client.ts), each desk's next
  // pull nextPullDelay() (5 s ± 10 %) after its last one ended; the first at a random moment in the
  // first 5 s (the warm-up).
  for (const desk of desks) {
    const client = clientFor(desk, cmd.hubs[desk.index % cmd.hubs.length]!);
    const pull = () => {
      if (performance.now() >= endAt) return;
      track(
        timed(r.pull, r.pullAt, () => client.call('tickets.pull', { since: desk.cursor, deskId: desk.deskId, limit: 500 }))
          .then((p) => {
            if (!p.ok) return error(`pull ${desk.deskId}: ${p.error.kind} ${p.error.message}`);
            desk.cursor = p.value.cursor;
            r.pulledEvents += p.value.events.length;
          })
          .finally(() => at(nextPullDelay(), pull)),
      );
    };
    at(Math.random() * PULL_EVERY_MS, pull);
  }
  // Pushes: a Poisson process at this worker's share of the peak rate, each from a random desk of its
  // slice; the street accepts the ticket 2 s later. In the warm-up they run at warmPushPerS instead
  // and are not measured (see WorkerCommand).
  let n = cmd.worker;
  // Warm-up pushes stop ACCEPT_AFTER_MS before the window, so that their accepts fall in the warm-up too.
  const gap = () => -Math.log(1 - Math.random()) * (1000 / (performance.now() < started - ACCEPT_AFTER_MS ? cmd.warmPushPerS : cmd.pushPerS));
  const push = () => {
    if (performance.now() >= endAt) return;
    const measured = performance.now() >= started;
    const desk = desks[Math.floor(Math.random() * desks.length)]!;
    const ticket = ticketOf(desk, n++);
    r.sent.push(ticket.id);
    const targets = cmd.both && n % 10 === 0 ? cmd.hubs : [cmd.hubs[desk.index % cmd.hubs.length]!];
    if (measured) {
      if (targets.length > 1) r.doubleSent++;
      r.pushes++;
    }
    track(
      Promise.all(targets.map((url) => timed(r.push, r.pushAt, () => clientFor(desk, url).call('tickets.push', { tickets: [ticket] })))).then((answers) => {
        const numbers = new Set<string>();
        for (const a of answers) {
          if (!a.ok) return error(`push ${desk.deskId}: ${a.error.kind} ${a.error.message}`);
          numbers.add(a.value.results[0]!.number);
        }
        if (numbers.size !== 1) return error(`ticket ${ticket.id} numbered ${[...numbers].join(' and ')}`);
        at(ACCEPT_AFTER_MS, () => track(street.call('ticket.accept', { ticketId: ticket.id }).then((a) => (a.ok ? undefined : error(`accept: ${a.error.message}`)))));
      }),
    );
    at(gap(), push);
  };
  at(gap(), push);
  // Baseline: this worker's share of GET /health (20 a second over all workers), spread over the hubs.
  let h = cmd.worker;
  const health = setInterval(() => {
    const url = cmd.hubs[h++ % cmd.hubs.length]!;
    track(
      timed(r.health, r.healthAt, () => fetch(`${url}health`).then((res) => res.json())).then(
        (body) => ((body as { ok?: boolean }).ok ? undefined : error('health not ok')),
        (e: unknown) => error(`health: ${String(e)}`),
      ),
    );
  }, cmd.healthEveryMs);

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started - performance.now())));
  loopDelay.enable();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, endAt - performance.now())));
  clearInterval(health);
  loopDelay.disable();
  r.loopDelayP99 = loopDelay.percentile(99) / 1e6;
  while (pending.size) await Promise.allSettled([...pending]);
  for (const t of timers) clearTimeout(t);
  send({ type: 'phaseDone', samples: r });
}

function send(reply: WorkerReply): void {
  process.send!(reply);
}

function fail(e: unknown): void {
  send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}

// Only when started as a worker (bench/load.bench.ts imports the types and constants above too).
if (process.send && process.env.LOAD_BENCH_DESK_WORKER === '1') {
  process.on('message', (cmd: WorkerCommand) => {
    if (cmd.type === 'login') login(cmd).catch(fail);
    else if (cmd.type === 'phase') phase(cmd).catch(fail);
    else process.disconnect();
  });
}
