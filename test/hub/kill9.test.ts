/**
 * kill -9 on PostgreSQL (issue 16): the hub (server/main.ts, a child process on a schema of its own)
 * is killed with SIGKILL at random moments while a desk pushes to it, and restarted, several times;
 * then a desk process (test/support/desk-worker.ts) is killed the same way while it submits and
 * syncs, and restarted on the same SQLite file. In the end every ticket a desk holds is stored at the
 * hub exactly once, under the one official number the desk shows, its trail not doubled, and the
 * desk's outbox is empty. Prints "created N, stored N, doubled 0, lost 0" for each half.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { withDefaultUser } from '../../server/db';
import { openKillDesk } from '../support/kill9-desk';
import { freshDataDir } from '../support/host-process';
import { bundle, freePort, removeBundles, runTs, startHubChild, stopAll, waitFor, type Child } from '../support/kill9-processes';
import { setupOnce } from './fixture';
import { PASSWORD, PG_URL, RESOURCES_DIR, USERS } from './support';

const schema = `hub_kill9_${randomBytes(5).toString('hex')}`;
const temp = mkdtempSync(join(tmpdir(), 'hotline-kill9-'));
const usersFile = join(temp, 'users.json');
let port = 0;
let hubUrl = '';
let hub: Child | null = null;
let db: pg.Client;

const startHub = async () => {
  hub = await startHubChild({ databaseUrl: PG_URL, schema, usersFile, port });
};

setupOnce(
  async () => {
    writeFileSync(usersFile, JSON.stringify(USERS));
    db = new pg.Client({ connectionString: withDefaultUser(PG_URL) });
    await db.connect();
    // Built before the first start: files others edit later do not change the hub between restarts.
    await Promise.all([bundle('server/main.ts'), bundle('test/support/desk-worker.ts')]);
    port = await freePort();
    hubUrl = `http://127.0.0.1:${port}/`;
    await startHub();
  },
  async () => {
    await stopAll();
    if (db) {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await db.end().catch(() => {});
    }
    rmSync(temp, { recursive: true, force: true });
    removeBundles();
  },
);
afterAll(stopAll);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the hub holds of these tickets: how many rows, distinct ids and numbers, each id's number, and doubled trail events. */
async function atHub(ids: string[]) {
  const rows = (await db.query<{ id: string; number: string; desk_id: string }>(`SELECT id, number, desk_id FROM ${schema}.tickets WHERE id = ANY($1::uuid[])`, [ids])).rows;
  const desks = [...new Set(rows.map((r) => r.desk_id))];
  const [all] = (await db.query<{ n: number; numbers: number }>(`SELECT count(*)::int AS n, count(DISTINCT number)::int AS numbers FROM ${schema}.tickets WHERE desk_id = ANY($1)`, [desks])).rows;
  const [doubledEvents] = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT ticket_id, kind, at, source, note FROM ${schema}.ticket_events WHERE desk_id = ANY($1)
         GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) d`,
      [desks],
    )
  ).rows;
  return { numbers: new Map(rows.map((r) => [r.id, r.number])), rowsOfDesk: all!.n, distinctNumbers: all!.numbers, doubledEvents: doubledEvents!.n };
}

/** created/stored/doubled/lost for a desk's final state against the hub, asserting each. */
async function account(label: string, state: { tickets: Array<{ id: string; number: string; official: boolean }>; unsent: number; retried: number }, acknowledged: string[]) {
  const ids = state.tickets.map((t) => t.id);
  const hubSide = await atHub(ids);
  const lost = [...new Set([...ids, ...acknowledged])].filter((id) => !hubSide.numbers.has(id));
  const doubled = hubSide.rowsOfDesk - hubSide.numbers.size + (hubSide.rowsOfDesk - hubSide.distinctNumbers) + hubSide.doubledEvents;
  const wrongNumber = state.tickets.filter((t) => !t.official || hubSide.numbers.get(t.id) !== t.number);
  console.log(`${label}: created ${ids.length}, stored ${hubSide.numbers.size}, doubled ${doubled}, lost ${lost.length}, outbox ${state.unsent} (${state.retried} tickets pushed more than once)`);
  expect(acknowledged.filter((id) => !ids.includes(id))).toEqual([]); // a submit that returned is on the desk
  expect(lost).toEqual([]);
  expect(doubled).toBe(0);
  expect(hubSide.numbers.size).toBe(ids.length);
  expect(wrongNumber).toEqual([]);
  expect(state.unsent).toBe(0);
}

it('a hub killed with -9 during pushes, again and again, ends with every ticket stored once', async () => {
  const KILLS = 6;
  let kills = 0;
  let armed = true;
  let killedDuringPush = 0;
  // The desk's own fetch, which pulls the trigger a random moment after a push went out.
  const hubFetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (armed && kills < KILLS && url.includes('/v1/tickets.push') && Math.random() < 0.6) {
      armed = false;
      kills++;
      const victim = hub!;
      setTimeout(() => {
        if (victim.child.exitCode === null) killedDuringPush++;
        void victim.kill9();
      }, Math.floor(Math.random() * 60));
    }
    return fetch(input, init);
  };
  const dataDir = freshDataDir();
  const desk = await openKillDesk({ dataDir, hubUrl, username: 'taker', password: PASSWORD, hubFetch });
  try {
    const acknowledged: string[] = [];
    for (let round = 0; round < 300 && (kills < KILLS || acknowledged.length < 150); round++) {
      const batch = 3 + Math.floor(Math.random() * 20);
      for (let i = 0; i < batch; i++) acknowledged.push(await desk.submit());
      await desk.syncOnce();
      if (hub!.child.exitCode !== null || hub!.child.signalCode !== null || !armed) {
        await hub!.exited;
        await startHub();
        armed = true;
      }
    }
    armed = false;
    for (let attempt = 0; attempt < 100 && (await desk.state()).unsent > 0; attempt++) {
      await desk.syncOnce();
      await pause(50);
    }
    expect(kills).toBe(KILLS);
    console.log(`hub kill -9: ${kills} kills during pushes (${killedDuringPush} while the hub still ran)`);
    await account('hub kill -9', await desk.state(), acknowledged);
  } finally {
    desk.desk.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 150_000);

it('a desk killed with -9 while it submits and syncs, again and again, loses and doubles nothing', async () => {
  const dataDir = freshDataDir();
  const args = (mode: string) => [dataDir, hubUrl, 'taker2', PASSWORD, mode, RESOURCES_DIR];
  try {
    const acknowledged: string[] = [];
    const KILLS = 5;
    for (let k = 0; k < KILLS; k++) {
      const worker = await runTs('test/support/desk-worker.ts', args('submit'));
      await waitFor(worker, (out) => out.includes('WORKER_READY'), 'the desk worker starting');
      // Let it submit and sync for a while, then cut it off mid-whatever.
      await waitFor(worker, (out) => out.split('SUBMITTED').length > 3, 'the desk worker submitting');
      await pause(200 + Math.floor(Math.random() * 1200));
      await worker.kill9();
      for (const line of worker.output().split('\n')) if (line.startsWith('SUBMITTED ')) acknowledged.push(line.slice('SUBMITTED '.length).trim());
    }
    const drain = await runTs('test/support/desk-worker.ts', args('drain'));
    await waitFor(drain, (out) => out.includes('STATE '), 'the desk draining its outbox', 90_000);
    const line = drain.output().split('\n').find((l) => l.startsWith('STATE '))!;
    const state = JSON.parse(line.slice('STATE '.length)) as { tickets: Array<{ id: string; number: string; official: boolean }>; unsent: number; retried: number };
    console.log(`desk kill -9: ${KILLS} kills, ${acknowledged.length} submits acknowledged before a kill`);
    await account('desk kill -9', state, acknowledged);
    await drain.exited;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 150_000);
