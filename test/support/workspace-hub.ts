/**
 * A separately started hub for end-to-end tests that drive the web workspace and a desk against it:
 * the built hub (dist/hub/main.mjs serving dist/web) on PGlite in a temporary folder, or on the
 * PostgreSQL at HUB_TEST_DATABASE_URL in a schema of its own that stop() drops. Accounts come from a
 * users file, as `npm run hub -- --users` reads it (server/main.ts). Also: tickets as a desk pushes
 * them (`tickets.push`), and the workspace's keyboard sign-in.
 */
import { expect, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDefaultUser } from '../../server/db';
import type { PushedTicket } from '../../shared/api/hub-contract';
import { submitEvents } from '../../shared/lifecycle/events';
import { ROOT } from './host-process';

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
