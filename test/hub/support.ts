/**
 * Test support for the hub: every hub test file runs its cases against BOTH drivers —
 * PGlite in a fresh temp directory, and the real PostgreSQL at HUB_TEST_DATABASE_URL
 * (default postgres://127.0.0.1:5432/test, trust auth) in a fresh schema `hub_test_<random>` that
 * is dropped afterwards. When PostgreSQL cannot be reached the PostgreSQL half FAILS with a message
 * saying so; it is never skipped (CI has it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { submitEvents } from '../../shared/lifecycle/events';
import type { PushedTicket } from '../../shared/api/hub-contract';
import type { HubUserSeed } from '../../server/auth';
import { openPglite, openPostgres, withDefaultUser, type Database } from '../../server/db';
import { startHub, type RunningHub, type StartHubOptions } from '../../server/hub';
import { createHubClient, type HubClient } from '../../shared/api/hub-client';
import type { Unit } from '../../shared/domain/places';

// Password hashing at 2^14 instead of the hub's 2^17 keeps the suite quick (server/auth.ts; the
// hubs and `npm run hub` children the tests start inherit it). Tests of the real cost set it back.
process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N ??= '14';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const RESOURCES_DIR = join(ROOT, 'resources');
export const PG_URL = process.env.HUB_TEST_DATABASE_URL?.trim() || 'postgres://127.0.0.1:5432/test';
export const DRIVERS = ['pglite', 'postgres'] as const;
export type Driver = (typeof DRIVERS)[number];

export const PASSWORD = 'correct-horse-battery';
export const USERS: HubUserSeed[] = [
  { username: 'admin', password: PASSWORD, name: '中心管理员', role: 'admin', unitCode: null },
  // lead, taker and taker2 push as desks do (server/desk-access.ts): for any operator, unverified.
  { username: 'lead', password: PASSWORD, name: '王班长', role: 'team_lead', unitCode: null, desk: true },
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', unitCode: null, desk: true },
  { username: 'taker2', password: PASSWORD, name: '赵话务', role: 'call_taker', unitCode: null, desk: true },
  // A call-taker's own account (工号 1001): pushes only tickets it took, recorded as verified.
  { username: '1001', password: PASSWORD, name: '孙话务', role: 'call_taker', unitCode: null },
  // A team lead's own account (工号 2001).
  { username: '2001', password: PASSWORD, name: '钱班长', role: 'team_lead', unitCode: null },
  { username: 'op_a', password: PASSWORD, name: '甲街道操作员', role: 'unit_operator', unitCode: 'U-A' },
  { username: 'op_b', password: PASSWORD, name: '乙街道操作员', role: 'unit_operator', unitCode: 'U-B' },
  { username: 'op_sub', password: PASSWORD, name: '甲区分中心派单员', role: 'unit_operator', unitCode: 'SC-A' },
  { username: 'op_city', password: PASSWORD, name: '市中心派单员', role: 'unit_operator', unitCode: 'CC' },
];

/**
 * The unit directory every test hub works to (server/units.ts): the codes the users above and
 * pushedTicket use. 甲区 (D1) has the sub-center SC-A and the streets U-A, U-B; 乙区 (D2) has SC-B
 * and U-C; DEP-W is a city department; CC is the city center.
 */
export const TEST_UNITS: Unit[] = [
  { code: 'CC', name: '市民热线服务中心', kind: 'city_center', districtCode: null, placeCode: null, duties: '' },
  { code: 'SC-A', name: '甲区接诉即办分中心', kind: 'subcenter', districtCode: 'D1', placeCode: null, duties: '' },
  { code: 'SC-B', name: '乙区接诉即办分中心', kind: 'subcenter', districtCode: 'D2', placeCode: null, duties: '' },
  { code: 'U-A', name: '甲街道办事处', kind: 'street', districtCode: 'D1', placeCode: 'S-A', duties: '' },
  { code: 'U-B', name: '乙街道办事处', kind: 'street', districtCode: 'D1', placeCode: 'S-B', duties: '' },
  { code: 'U-C', name: '丙镇人民政府', kind: 'street', districtCode: 'D2', placeCode: 'S-C', duties: '' },
  { code: 'DEP-W', name: '市水务局', kind: 'department', districtCode: null, placeCode: null, duties: '' },
];

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current: Date = new Date('2026-12-01T02:00:00.000Z')) {}
  now = () => new Date(this.current.getTime());
  set(iso: string) {
    this.current = new Date(iso);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

async function postgresReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDefaultUser(url), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL 不可达（${url}）：${error instanceof Error ? error.message : String(error)}。` +
        '中心测试的 PostgreSQL 部分需要一台 PostgreSQL（trust 认证、数据库 test）：启动本机的 PostgreSQL，或用 HUB_TEST_DATABASE_URL 指向一台。此部分不会被跳过。',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** Where one driver's data lives for a test, and how to get rid of it. */
export interface TestStore {
  driver: Driver;
  options: Pick<StartHubOptions, 'dataDir' | 'databaseUrl' | 'databaseSchema'>;
  /** Opens the same store directly (for migrations tests); the caller closes it. */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export async function makeStore(driver: Driver): Promise<TestStore> {
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'hotline-hub-test-'));
    return {
      driver,
      options: { dataDir },
      open: () => openPglite(join(dataDir, 'pgdata')),
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  await postgresReachable(PG_URL);
  const schema = `hub_test_${randomBytes(6).toString('hex')}`;
  return {
    driver,
    options: { databaseUrl: PG_URL, databaseSchema: schema },
    open: () => openPostgres({ url: PG_URL, schema }),
    async drop() {
      const client = new pg.Client({ connectionString: withDefaultUser(PG_URL) });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestHub {
  driver: Driver;
  hub: RunningHub;
  url: string;
  clock: TestClock;
  store: TestStore;
  db: Database;
  /** A client logged in as this test user (cached per username). */
  as(username: string): Promise<HubClient>;
  anonymous(): HubClient;
  count(table: string): Promise<number>;
  counts(): Promise<Record<string, number>>;
  restart(options?: Partial<StartHubOptions>): Promise<void>;
  close(): Promise<void>;
}

export const TABLES = ['users', 'sessions', 'tickets', 'ticket_events', 'ticket_access', 'ticket_requests', 'day_counters', 'reference_versions', 'reference_current'] as const;

export async function startTestHub(driver: Driver, extra: Partial<StartHubOptions> = {}): Promise<TestHub> {
  const store = await makeStore(driver);
  const clock = new TestClock();
  const start = (more: Partial<StartHubOptions> = {}) =>
    startHub({ ...store.options, users: USERS, resourcesDir: RESOURCES_DIR, units: TEST_UNITS, now: clock.now, ...extra, ...more });
  let hub: RunningHub;
  try {
    hub = await start();
  } catch (error) {
    await store.drop();
    throw error;
  }
  const clients = new Map<string, HubClient>();
  const self: TestHub = {
    driver,
    hub,
    url: hub.url,
    clock,
    store,
    db: hub.database,
    async as(username) {
      let client = clients.get(username);
      if (!client) {
        client = createHubClient({ url: self.url, validateOutput: true });
        const login = await client.login(username, PASSWORD);
        if (!login.ok) throw new Error(`login ${username}: ${login.error.message}`);
        clients.set(username, client);
      }
      return client;
    },
    anonymous: () => createHubClient({ url: self.url, validateOutput: true }),
    async count(table) {
      const [row] = await self.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return row!.n;
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const table of TABLES) out[table] = await self.count(table);
      return out;
    },
    async restart(more) {
      await self.hub.close();
      clients.clear();
      self.hub = await start(more);
      self.url = self.hub.url;
      self.db = self.hub.database;
    },
    async close() {
      await self.hub.close().catch(() => {});
      await store.drop();
    },
  };
  return self;
}

let provisional = 0;

/** A ticket as a desk pushes it: 直派 一般 to U-A, submitted 2026-12-01 09:05 Beijing, unless overridden. */
export function pushedTicket(overrides: Partial<PushedTicket> = {}): PushedTicket {
  provisional++;
  const ticket: Omit<PushedTicket, 'events'> & { events?: PushedTicket['events'] } = {
    id: randomUUID(),
    provisionalNumber: `临20261201-${String(provisional).padStart(4, '0')}`,
    deskId: 'desk-1',
    operatorId: 'op-1',
    operatorName: '李话务',
    shiftCode: 'day',
    shiftDate: '2026-12-01',
    callStartedAt: '2026-12-01T01:00:00.000Z',
    submittedAt: '2026-12-01T01:05:00.000Z',
    channel: '电话',
    callerName: '张先生',
    callerPhone: '13800138000',
    callbackPhone: '13800138000',
    requestType: '投诉',
    address: { districtCode: 'D1', streetCode: 'S-A', villageCode: null, text: '某小区 3 号楼' },
    content: '楼下商户夜间施工噪音扰民，影响休息',
    leafCode: 'L001',
    urgency: '一般',
    disposition: '直派',
    unitCode: 'U-A',
    kbArticleId: null,
    linkedTicketId: null,
    unreasonableReason: '',
    names: { unit: '甲街道办事处', district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] },
    ...overrides,
    // The call began five minutes before the submit the test chose, unless it chose the call too.
    ...(overrides.submittedAt && !overrides.callStartedAt ? { callStartedAt: new Date(Date.parse(overrides.submittedAt) - 5 * 60_000).toISOString() } : {}),
  };
  // The trail a desk writes for such a ticket (shared/lifecycle/events.ts), unless the test gives one.
  const events =
    ticket.events ??
    submitEvents(
      {
        channel: ticket.channel,
        disposition: ticket.disposition,
        unitName: ticket.unitCode ? ticket.names.unit : null,
        kbArticleTitle: ticket.kbArticleId ? `知识库文章 ${ticket.kbArticleId}` : null,
        linkedNumber: ticket.linkedTicketId,
        unreasonableReason: ticket.unreasonableReason,
      },
      ticket.submittedAt,
      ticket.operatorName,
    );
  return { ...ticket, events };
}

export interface RawReply {
  status: number;
  body: unknown;
}

/** A POST with exactly this body and these headers (for malformed requests the typed client cannot make). */
export async function rawPost(url: string, path: string, body: string, headers: Record<string, string> = {}): Promise<RawReply> {
  const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}

/**
 * Sends the headers and part of a body, then drops the connection, as a desk losing its network
 * mid-request would. Resolves once the socket is gone.
 */
export function cutOffPost(url: string, path: string, body: string, sendBytes: number, headers: Record<string, string> = {}): Promise<void> {
  const target = new URL(path, url);
  return new Promise((resolvePromise) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      () => resolvePromise(),
    );
    req.on('error', () => resolvePromise());
    req.write(Buffer.from(body).subarray(0, sendBytes), () => {
      setTimeout(() => {
        req.destroy();
        resolvePromise();
      }, 100);
    });
  });
}

export function expectOk<T>(result: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}
