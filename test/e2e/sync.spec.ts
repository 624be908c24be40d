/**
 * The whole loop as `npm start` runs it: the browser host with a hub started beside it. A ticket
 * taken at the desk gets its official number in place of the provisional one, and what the unit
 * does at the hub shows on the desk's list without anyone refreshing.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';
import { hubCall } from '../support/workspace-hub';

let host: HostProcess;

test.beforeEach(async () => {
  host = await startHostProcess({ args: ['--embedded-hub'] });
});
test.afterEach(async () => {
  await host?.stop();
});

test('a ticket gets its official number from the hub, and the unit’s acceptance comes back to the list', async ({ page }) => {
  // A first start creates the hub's database in a child process first (server/db.ts).
  test.setTimeout(240_000);
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
  // The desk opened without waiting for the hub beside it, and connects once the hub is up.
  await expect(page.getByTestId('connection')).toHaveText('已连接中心', { timeout: 120_000 });
  const output = host.output();
  const hubUrl = /已在本机启动中心：(\S+?)（/.exec(output)?.[1];
  expect(hubUrl, output).toBeTruthy();
  expect(output.indexOf('HOTLINE_DESK_READY'), output).toBeLessThan(output.indexOf('已在本机启动中心'));

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

  // Sent at once: the provisional number gives way to the hub's official one.
  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row.locator('.number')).toHaveText(/^\d{14}$/, { timeout: 15_000 });
  await expect(page.getByTestId('pending-sync')).toHaveText('待同步 0 张');
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'idle');
  const number = (await row.locator('.number').textContent())!;

  // The unit accepts it at the hub.
  const admin = JSON.parse(readFileSync(join(host.dataDir, 'hub-account.json'), 'utf8')).admin as { username: string; password: string };
  const login = await hubCall(hubUrl!, 'auth.login', admin);
  expect(login.ok).toBe(true);
  const queue = await hubCall(hubUrl!, 'unit.queue', {}, login.value.token);
  const ticket = (queue.value as Array<{ id: string; number: string }>).find((t) => t.number === number)!;
  expect(ticket).toBeTruthy();
  expect((await hubCall(hubUrl!, 'ticket.accept', { ticketId: ticket.id }, login.value.token)).ok).toBe(true);

  await expect(row).toContainText('已接单', { timeout: 15_000 });
  await expect(row.locator('.due')).toHaveText(/^定性 剩余/);
  await page.screenshot({ path: screenshotPath('sync-status-back.png') });
  await row.click();
  await expect(page.getByTestId('ticket-trail')).toContainText('接单');
});
