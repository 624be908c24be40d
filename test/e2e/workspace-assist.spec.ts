/**
 * 双派单 in the hub's web workspace, in a real Chromium against the built hub (dist/hub/main.mjs
 * serving dist/web), on PGlite and on the PostgreSQL at HUB_TEST_DATABASE_URL, keyboard only: the
 * sub-center forwards a ticket to 望京街道 as 主办 with 北京市水务局 and 北京城市排水集团 as 协办 (type to
 * filter, Space/Enter to add, Backspace to remove), the 协办 unit finds it marked in its queue,
 * cannot accept it, and answers with 协办回复; the 主办 sees the reply on its ticket page.
 * Saves docs/screenshots/workspace-forward.png (the forward dialog with 主办 and 协办 picked).
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDefaultUser } from '../../server/db';
import type { PushedTicket } from '../../shared/api/hub-contract';
import { createHubClient } from '../../shared/api/hub-client';
import { submitEvents } from '../../shared/lifecycle/events';
import { ROOT } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';

const PASSWORD = 'workspace-assist-pass';
const PG_URL = process.env.HUB_TEST_DATABASE_URL?.trim() || 'postgres://127.0.0.1:5432/test';
const SUBCENTER = 'SC110105'; // 朝阳区接诉即办分中心
const WANGJING = 'ST110105026'; // 望京街道
const WATER = 'D15'; // 北京市水务局
const USERS = [
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', unitCode: null },
  { username: 'chaoyang', password: PASSWORD, name: '朝阳分中心派单员', role: 'unit_operator', unitCode: SUBCENTER },
  { username: 'wangjing', password: PASSWORD, name: '望京街道刘丽', role: 'unit_operator', unitCode: WANGJING },
  { username: 'shuiwu', password: PASSWORD, name: '市水务局张强', role: 'unit_operator', unitCode: WATER },
];

interface HubProcess {
  url: string;
  output: string;
  stop(): Promise<void>;
}

async function startHub(db: 'pglite' | 'postgres'): Promise<HubProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-assist-e2e-'));
  const usersFile = join(dir, 'users.json');
  writeFileSync(usersFile, JSON.stringify(USERS));
  const schema = `hub_assist_e2e_${randomBytes(5).toString('hex')}`;
  // Hashing at 2^14 (server/auth.ts, test suites only) keeps start and sign-in quick on a busy machine.
  const env = { ...process.env, HOTLINE_HUB_TEST_SCRYPT_LOG2N: '14', DATABASE_URL: db === 'postgres' ? PG_URL : '', HOTLINE_HUB_DB_SCHEMA: db === 'postgres' ? schema : '' };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'hub', 'main.mjs'), '--data-dir', join(dir, 'data'), '--port', '0', '--users', usersFile], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 90_000);
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
    child.once('exit', () => reject(new Error(`hub exited:\n${output}`)));
  });
  return {
    url,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      if (db === 'postgres') {
        const client = new pg.Client({ connectionString: withDefaultUser(PG_URL) });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
      }
    },
  };
}

const MIN = 60_000;
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

function ticket(over: {
  minutesAgo: number;
  content: string;
  unitCode: string;
  unitName: string;
  disposition?: PushedTicket['disposition'];
  urgency?: PushedTicket['urgency'];
  street: [string, string];
  village: [string, string];
  leafPath: string[];
  phone?: string;
}): PushedTicket {
  const at = Date.now() - over.minutesAgo * MIN;
  const disposition = over.disposition ?? '直派';
  const submittedAt = new Date(at).toISOString();
  return {
    id: randomUUID(),
    provisionalNumber: `临${beijingDate(at).replaceAll('-', '')}-${String(Math.floor(Math.random() * 9000) + 1000)}`,
    deskId: 'desk-e2e',
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
    unreasonableReason: '',
    names: { unit: over.unitName, district: '朝阳区', street: over.street[1], leafPath: over.leafPath },
    events: submitEvents({ channel: '电话', disposition, unitName: over.unitName, kbArticleTitle: null, linkedNumber: null, unreasonableReason: '' }, submittedAt, '李话务'),
  };
}

async function signIn(page: Page, username: string) {
  await expect(page.getByRole('form', { name: '登录' })).toBeVisible();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  // Sign-in hashes at the hub's full scrypt cost: slow on a busy machine.
  await expect(page.getByTestId('who')).toBeVisible({ timeout: 30_000 });
}

for (const db of ['pglite', 'postgres'] as const) {
  test(`keyboard only (${db}): 双派单 — the sub-center forwards to a 主办 and two 协办, the 协办 unit replies`, async ({ page }) => {
    test.setTimeout(240_000);
    const hub = await startHub(db);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      const desk = createHubClient({ url: hub.url });
      expect((await desk.login('taker', PASSWORD)).ok).toBe(true);
      const forwarded = ticket({
        minutesAgo: 25,
        content: '望京西园三区12号楼前雨水井反水，污水漫到单元门口，怀疑市政管网堵塞，已经三天没人处理',
        unitCode: SUBCENTER,
        unitName: '朝阳区接诉即办分中心',
        disposition: '派分中心',
        street: ['110105026', '望京街道'],
        village: ['110105026051', '望京西园三区社区'],
        leafPath: ['市政管理', '排水设施', '下水道堵塞'],
      });
      const pushed = await desk.call('tickets.push', { tickets: [forwarded] });
      expect(pushed.ok).toBe(true);
      const number = pushed.ok ? pushed.value.results[0]!.number : '';

      // The sub-center: 主办 望京街道, then 协办 by keyboard in the 协办 box.
      await page.goto(hub.url);
      await signIn(page, 'chaoyang');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await page.keyboard.press('f');
      await expect(page.getByTestId('move-dialog')).toBeVisible();
      await page.keyboard.type('望京街道');
      await expect(page.getByTestId('picked-main')).toContainText('主办：望京街道');
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('assist-filter')).toBeFocused();
      await page.keyboard.type('水务');
      await expect(page.getByTestId('assist-list').getByRole('option').first()).toHaveText(/^北京市水务局/);
      await page.keyboard.press('Space');
      await page.keyboard.type('排水');
      await page.keyboard.press('Enter');
      const chips = page.getByTestId('assist-chips').locator('.chip');
      await expect(chips).toHaveText([/北京市水务局/, /北京城市排水集团有限责任公司/]);
      // Backspace in the empty box removes the last one; Enter on it again puts it back.
      await page.keyboard.press('Backspace');
      await expect(chips).toHaveText([/北京市水务局/]);
      await page.keyboard.type('排水集团');
      await page.keyboard.press('Enter');
      await expect(chips).toHaveText([/北京市水务局/, /北京城市排水集团有限责任公司/]);
      await expect(page.getByTestId('picked-main')).toHaveText('主办：望京街道 · 协办：北京市水务局、北京城市排水集团有限责任公司');
      await expect(page.getByTestId('move-dialog')).toBeVisible(); // Enter in the 协办 box picks, it does not submit
      if (db === 'pglite') await page.screenshot({ path: screenshotPath('workspace-forward.png') });
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText(`工单 ${number} 已转派`);
      await expect(page.getByTestId('ticket-unit')).toHaveText('望京街道');
      await expect(page.getByTestId('ticket-trail')).toContainText('转派：主办 望京街道，协办 北京市水务局、北京城市排水集团有限责任公司');
      await expect(page.getByTestId('ticket-assists').locator('li')).toHaveCount(2);
      await page.keyboard.press('Alt+q');

      // The 协办 unit: the ticket is in its queue, marked; it cannot accept; it replies.
      await signIn(page, 'shuiwu');
      const rows = page.getByTestId('queue').locator('tbody tr');
      await expect(rows).toHaveCount(1);
      await expect(rows.first().getByTestId('row-assist')).toHaveText('协办·待回复');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await expect(page.getByTestId('moves')).toHaveText(/^X 协办回复$/);
      await page.keyboard.press('a');
      await expect(page.getByTestId('notice')).toContainText('不能接单');
      await expect(page.getByTestId('move-dialog')).toHaveCount(0);
      await page.keyboard.press('x');
      await expect(page.getByTestId('move-dialog')).toContainText('协办单位');
      await page.keyboard.type('已派员核查望京西园三区段市政雨水管网，确认下游堵塞，已通知排水集团今日清掏');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText(`工单 ${number} 已协办回复`);
      await expect(page.getByTestId('ticket-assists').locator('li[data-unit="D15"]')).toContainText('已回复 · 市水务局张强');
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('协办回复');
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('北京市水务局（协办）：已派员核查');
      await expect(page.getByTestId('moves')).toContainText('当前没有本账号可做的处理');
      await page.keyboard.press('Escape');
      await expect(rows.first().getByTestId('row-assist')).toHaveText('协办·已回复');
      await page.keyboard.press('Alt+q');

      // The 主办 sees the reply on its ticket page; it still holds the moves.
      await signIn(page, 'wangjing');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('主办+协办 2');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-assists').locator('li[data-unit="D15"]')).toContainText('已派员核查望京西园三区段市政雨水管网');
      await expect(page.getByTestId('ticket-assists').locator('li[data-unit="U08"]')).toContainText('待回复');
      await expect(page.getByTestId('moves')).toContainText('接单');
      expect(pageErrors).toEqual([]);
    } finally {
      await hub.stop();
    }
  });
}
