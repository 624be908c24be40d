/**
 * A separately started hub for end-to-end tests that drive the web workspace and a desk against it:
 * the built hub (dist/hub/main.mjs serving dist/web) on PGlite in a temporary folder, or on the
 * PostgreSQL at HUB_TEST_DATABASE_URL in a schema of its own that stop() drops. Accounts come from a
 * users file, as `npm run hub -- --users` reads it (server/main.ts). Also: tickets as a desk pushes
 * them (`tickets.push`), and the workspace's keyboard sign-in. And for the specs of the desk as
 * `npm start` runs it, with the hub started beside it (`--embedded-hub`): the `embeddedHubTest` that
 * gives each test such a host, the desk opened and connected, its hub's address and admin account,
 * unit accounts, and the one 直派 call those specs take.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDefaultUser } from '../../server/db';
import { createHubClient, type HubClient } from '../../shared/api/hub-client';
import type { PushedTicket } from '../../shared/api/hub-contract';
import { submitEvents } from '../../shared/lifecycle/events';
import { ROOT, startHostProcess, type HostProcess } from './host-process';

export const PG_URL = process.env.HUB_TEST_DATABASE_URL?.trim() || 'postgres://127.0.0.1:5432/test';

export interface HubUserSpec {
  username: string;
  password: string;
  name: string;
  role: 'call_taker' | 'team_lead' | 'unit_operator' | 'admin';
  unitCode: string | null;
}

export interface TestHub {
  url: string;
  readonly output: string;
  stop(): Promise<void>;
}

/** Starts the hub and waits for its ready line (generous: a loaded machine takes most of a minute). */
export async function startTestHub(db: 'pglite' | 'postgres', users: HubUserSpec[], timeoutMs = 120_000): Promise<TestHub> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-loop-e2e-'));
  const usersFile = join(dir, 'users.json');
  // The call-taker accounts here push as a desk does, for any operator (server/desk-access.ts).
  writeFileSync(usersFile, JSON.stringify(users.map((u) => (u.role === 'call_taker' ? { ...u, desk: true } : u))));
  const schema = `hub_loop_e2e_${randomBytes(5).toString('hex')}`;
  // Hashing at 2^14 (server/auth.ts, test suites only) keeps start and sign-in quick on a busy machine.
  const env = { ...process.env, HOTLINE_HUB_TEST_SCRYPT_LOG2N: '14', HOTLINE_HUB_USERS: '', DATABASE_URL: db === 'postgres' ? PG_URL : '', HOTLINE_HUB_DB_SCHEMA: db === 'postgres' ? schema : '' };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'hub', 'main.mjs'), '--data-dir', join(dir, 'data'), '--port', '0', '--users', usersFile], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const dropSchema = async () => {
    if (db !== 'postgres') return;
    const client = new pg.Client({ connectionString: withDefaultUser(PG_URL) });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    await dropSchema();
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => l.startsWith('HOTLINE_HUB_READY '));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line.slice('HOTLINE_HUB_READY '.length)) as { url: string }).url);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`hub exited:\n${output}`));
      });
    });
    return {
      url,
      get output() {
        return output;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const MIN = 60_000;
export const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** A ticket as a desk in 朝阳区 pushes it, taken `minutesAgo`, with the desk's own trail. */
export function deskTicket(over: {
  minutesAgo: number;
  content: string;
  unitCode: string | null;
  unitName: string | null;
  disposition?: PushedTicket['disposition'];
  urgency?: PushedTicket['urgency'];
  street: [string, string];
  village: [string, string];
  leafPath: string[];
  phone?: string;
  unreasonableReason?: string;
}): PushedTicket {
  const at = Date.now() - over.minutesAgo * MIN;
  const disposition = over.disposition ?? '直派';
  const submittedAt = new Date(at).toISOString();
  const unreasonableReason = over.unreasonableReason ?? '';
  return {
    id: randomUUID(),
    provisionalNumber: `临${beijingDate(at).replaceAll('-', '')}-${String(Math.floor(Math.random() * 9000) + 1000)}`,
    deskId: 'desk-e2e-api',
    operatorId: 'taker',
    operatorName: '李话务',
    shiftCode: 'day',
    shiftDate: beijingDate(at),
    callStartedAt: new Date(at - 3 * MIN).toISOString(),
    submittedAt,
    channel: '电话',
    callerName: '王女士',
    callerPhone: over.phone ?? '13912345678',
    callbackPhone: over.phone ?? '13912345678',
    requestType: '求助',
    address: { districtCode: '110105', streetCode: over.street[0], villageCode: over.village[0], text: `朝阳区${over.street[1]}${over.village[1]}` },
    content: over.content,
    leafCode: null,
    urgency: over.urgency ?? '一般',
    disposition,
    unitCode: over.unitCode,
    kbArticleId: null,
    linkedTicketId: null,
    unreasonableReason,
    names: { unit: over.unitName, district: '朝阳区', street: over.street[1], leafPath: over.leafPath },
    events: submitEvents({ channel: '电话', disposition, unitName: over.unitName, kbArticleTitle: null, linkedNumber: null, unreasonableReason }, submittedAt, '李话务'),
  };
}

/** 酒仙桥街道's ticket, taken 20 minutes ago: another street's, which 望京街道 must not open nor move. */
export const jiuxianqiaoNoiseTicket = (): PushedTicket =>
  deskTicket({
    minutesAgo: 20,
    content: '酒仙桥路施工噪音扰民，夜里十一点还在作业',
    unitCode: 'ST110105011',
    unitName: '酒仙桥街道',
    street: ['110105011', '酒仙桥街道'],
    village: ['110105011001', '大山子社区'],
    leafPath: ['城乡建设', '施工管理', '施工扰民'],
  });

/** A hub client signed in as `username`, which must succeed, as a desk or a script uses one. */
export async function hubClientAs(url: string, username: string, password: string): Promise<HubClient> {
  const client = createHubClient({ url });
  expect((await client.login(username, password)).ok).toBe(true);
  return client;
}

/** The page's uncaught errors, kept as they happen, for a test to expect none at its end. */
export function pageErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The workspace's sign-in, by keyboard (the user name box has the focus). */
export async function signInWorkspace(page: Page, username: string, password: string): Promise<void> {
  await expect(page.getByRole('form', { name: '登录' })).toBeVisible({ timeout: 30_000 });
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('who')).toBeVisible({ timeout: 30_000 });
}

/** Alt+Q, then the sign-in form again. */
export async function signOutWorkspace(page: Page): Promise<void> {
  await page.keyboard.press('Alt+q');
  await expect(page.getByRole('form', { name: '登录' })).toBeVisible({ timeout: 30_000 });
}

/** One hub call over HTTP as a desk, a unit or a script makes it (`POST /v1/<name>`), its Result envelope back. */
export async function hubCall(url: string, name: string, input: unknown, token?: string) {
  const response = await fetch(`${url}v1/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: boolean; value?: any; error?: { kind: string; message: string } };
}

/** Signs in at the hub (`auth.login`, which takes the two fields only), which must succeed; the session token. */
export async function hubLogin(url: string, account: { username: string; password: string }): Promise<string> {
  const login = await hubCall(url, 'auth.login', { username: account.username, password: account.password });
  expect(login.ok, JSON.stringify(login.error)).toBe(true);
  return login.value.token as string;
}

/** A fresh account of the unit, created by the admin (`admin.unitAccounts`). */
export async function unitAccount(url: string, adminToken: string, unitCode: string): Promise<{ username: string; password: string }> {
  const accounts = await hubCall(url, 'admin.unitAccounts', { unitCodes: [unitCode] }, adminToken);
  expect(accounts.ok, JSON.stringify(accounts.error)).toBe(true);
  return accounts.value.created[0] as { username: string; password: string };
}

/**
 * A test with `host`: the browser host started with the hub beside it (`--embedded-hub`), as `npm
 * start` runs it, on a fresh data directory; stopped after the test.
 */
export const embeddedHubTest = test.extend<{ host: HostProcess }>({
  host: async ({}, use) => {
    const host = await startHostProcess({ args: ['--embedded-hub'] });
    try {
      await use(host);
    } finally {
      await host.stop();
    }
  },
});

/** The hub beside the desk starts in seconds on an idle machine, in most of a minute on a busy one. */
export const HUB_UP = { timeout: 120_000 };

/** Opens the desk and waits for its reference data, then for its connection to the hub beside it. */
export async function openConnectedDesk(page: Page, host: HostProcess): Promise<void> {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
  await expect(page.getByTestId('connection')).toHaveText('已连接中心', HUB_UP);
}

/** The address of the hub the host started beside the desk, from the host's output. */
export function embeddedHubUrl(host: HostProcess): string {
  const hubUrl = /已在本机启动中心：(\S+?)（/.exec(host.output())?.[1];
  expect(hubUrl, host.output()).toBeTruthy();
  return hubUrl!;
}

/** The admin account the host made at the hub beside it (hub-account.json in its data directory). */
export function embeddedHubAdmin(host: HostProcess): { username: string; password: string } {
  return JSON.parse(readFileSync(join(host.dataDir, 'hub-account.json'), 'utf8')).admin as { username: string; password: string };
}

/**
 * The call the desk-with-hub specs take with the keyboard: 周女士, a broken stairwell light at
 * 朝阳区望京街道花家地北里3号楼, a 投诉 sent 直派 to 望京街道 (F8). Returns the desk's newest row once
 * it shows the hub's official number (within `numberTimeout`), and that number.
 */
export async function takeStairwellLightCall(page: Page, numberTimeout = 30_000): Promise<{ row: Locator; number: string }> {
  await page.keyboard.press('F2');
  await page.keyboard.type('13912345678');
  await page.keyboard.press('Tab');
  await page.keyboard.type('周女士');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('3');
  await page.keyboard.press('Tab');
  await page.keyboard.type('朝阳区望京街道花家地北里3号楼');
  await expect(page.getByTestId('address-reading')).toContainText('已识别');
  await page.keyboard.press('Enter');
  await page.keyboard.type('楼道里的声控灯坏了一个多星期，晚上上下楼看不见台阶');
  await page.keyboard.press('F3');
  await page.keyboard.type('楼道照明');
  await expect(page.getByTestId('catalogue-hits').getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.press('F8');
  await expect(page.getByTestId('submitted-headline')).toHaveText(/^已提交（直派 望京街道）$/);
  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row.locator('.number')).toHaveText(/^\d{14}$/, { timeout: numberTimeout });
  return { row, number: (await row.locator('.number').textContent())! };
}
