/**
 * 查询工单 / 催办 on the desk (F5), as `npm start` runs it with the hub beside it: a ticket taken at
 * the desk is looked up by its official number (全中心), its status, unit and deadlines read out, and
 * a 催办 recorded on that same ticket; the unit sees the count on its row in the web workspace.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';
import { hubCall } from '../support/workspace-hub';

const WANGJING = 'ST110105026'; // 望京街道
let host: HostProcess;
test.setTimeout(240_000);
const HUB_UP = { timeout: 120_000 };

test.beforeEach(async () => {
  host = await startHostProcess({ args: ['--embedded-hub'] });
});
test.afterEach(async () => {
  await host?.stop();
});

test('F5 finds a ticket by number, records a 催办 on it, and the unit sees it on its queue row', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
  await expect(page.getByTestId('connection')).toHaveText('已连接中心', HUB_UP);
  const hubUrl = /已在本机启动中心：(\S+?)（/.exec(host.output())?.[1];
  expect(hubUrl, host.output()).toBeTruthy();

  // A 直派 ticket, taken with the keyboard.
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
  await expect(row.locator('.number')).toHaveText(/^\d{14}$/, { timeout: 30_000 });
  const number = (await row.locator('.number').textContent())!;

  // The caller rings again: F5, the number, Enter — found at the hub, read out, 催办 recorded on it.
  await page.keyboard.press('F2');
  await page.keyboard.press('F5');
  const view = page.getByTestId('lookup-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('lookup-key')).toBeFocused();
  await page.keyboard.type(number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lookup-scope')).toHaveText('全中心', { timeout: 10_000 });
  await expect(page.getByTestId('lookup-status')).toHaveText('已派单');
  await expect(page.getByTestId('lookup-unit')).toHaveText('望京街道');
  await expect(page.getByTestId('lookup-detail')).toContainText('受理');
  await page.getByTestId('lookup-urge-note').click();
  await page.keyboard.type('市民说灯还没修，晚上老人出门不便');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lookup-notice')).toHaveText(`已在工单 ${number} 上记录催办（共 1 次）`);
  await expect(page.getByTestId('lookup-urges')).toHaveText('1 次');
  await expect(page.getByTestId('lookup-detail')).toContainText('市民来电催办：市民说灯还没修');
  await page.screenshot({ path: screenshotPath('desk-lookup.png') });

  // 望京街道 signs in to the workspace: the ticket's row says 催 1.
  const admin = JSON.parse(readFileSync(join(host.dataDir, 'hub-account.json'), 'utf8')).admin as { username: string; password: string };
  const adminToken = (await hubCall(hubUrl!, 'auth.login', admin)).value.token as string;
  const accounts = await hubCall(hubUrl!, 'admin.unitAccounts', { unitCodes: [WANGJING] }, adminToken);
  expect(accounts.ok, JSON.stringify(accounts.error)).toBe(true);
  const unit = accounts.value.created[0] as { username: string; password: string };
  const web = await browser.newPage();
  await web.goto(hubUrl!);
  await expect(web.getByRole('form', { name: '登录' })).toBeVisible({ timeout: 30_000 });
  await web.keyboard.type(unit.username);
  await web.keyboard.press('Tab');
  await web.keyboard.type(unit.password);
  await web.keyboard.press('Enter');
  await expect(web.getByTestId('who')).toBeVisible();
  const queueRow = web.locator(`[data-testid="queue"] tbody tr[data-number="${number}"]`);
  await expect(queueRow.getByTestId('row-urges')).toHaveText('催 1');
  await web.close();
});
