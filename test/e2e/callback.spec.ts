/**
 * 回访 on the desk (Alt+H), as `npm start` runs it with the hub beside it: a ticket taken at the desk
 * is closed by its unit at the hub; it appears in the desk's 回访 queue with the unit's 办理结果
 * beside the citizen's words; 1 联系上 · 2 未解决 · 3 不满意 with the citizen's words reopens it (重办)
 * to the same unit, whose workspace queue shows it again; the unit closes it again; the next callback,
 * 1 联系上 · 1 已解决 · 1 满意, ends it 已回访.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';

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

async function hubCall(url: string, name: string, input: unknown, token?: string) {
  const response = await fetch(`${url}v1/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: boolean; value?: any; error?: { kind: string; message: string } };
}

async function takeTicket(page: Page): Promise<string> {
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
  return (await row.locator('.number').textContent())!;
}

test('a closed ticket is called back from the 回访 queue: 不满意 reopens it to its unit, and after it closes again 满意 ends it', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
  await expect(page.getByTestId('connection')).toHaveText('已连接中心', HUB_UP);
  const hubUrl = /已在本机启动中心：(\S+?)（/.exec(host.output())?.[1];
  expect(hubUrl, host.output()).toBeTruthy();
  const number = await takeTicket(page);

  // 望京街道 accepts and closes it through the hub's API, as its workspace would.
  const admin = JSON.parse(readFileSync(join(host.dataDir, 'hub-account.json'), 'utf8')).admin as { username: string; password: string };
  const adminToken = (await hubCall(hubUrl!, 'auth.login', admin)).value.token as string;
  const accounts = await hubCall(hubUrl!, 'admin.unitAccounts', { unitCodes: [WANGJING] }, adminToken);
  expect(accounts.ok, JSON.stringify(accounts.error)).toBe(true);
  const unit = accounts.value.created[0] as { username: string; password: string };
  const unitToken = (await hubCall(hubUrl!, 'auth.login', { username: unit.username, password: unit.password })).value.token as string;
  const unitRow = async () => ((await hubCall(hubUrl!, 'workspace.queue', {}, unitToken)).value.rows as Array<{ id: string; number: string; version: number; status: string }>).find((t) => t.number === number);
  const closeAtUnit = async (result: string) => {
    let t = (await unitRow())!;
    expect((await hubCall(hubUrl!, 'ticket.accept', { ticketId: t.id, version: t.version }, unitToken)).ok).toBe(true);
    t = (await unitRow())!;
    const closed = await hubCall(hubUrl!, 'ticket.close', { ticketId: t.id, version: t.version, note: result, resolved: true }, unitToken);
    expect(closed.ok, JSON.stringify(closed.error)).toBe(true);
    return t.id;
  };
  const ticketId = await closeAtUnit('已更换3号楼楼道声控灯，经检查正常');

  // Alt+H: the 回访 queue, the unit's result beside the citizen's words.
  await page.keyboard.press('Alt+h');
  const view = page.getByTestId('callback-queue');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(view).toContainText('全中心');
  const item = view.locator(`li[data-ticket-id="${ticketId}"]`);
  await expect(item).toContainText(number);
  await item.click();
  await page.getByTestId('callback-list').focus();
  await expect(page.getByTestId('callback-content')).toContainText('楼道里的声控灯坏了');
  await expect(page.getByTestId('callback-result')).toContainText('已更换3号楼楼道声控灯');

  // Enter dials: no telephony here, the desk says so and keeps the time.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callback-dialed')).toContainText('未接入电话系统');

  // 1 联系上 · 2 未解决 · 3 不满意, the citizen's words, Ctrl+Enter.
  await page.keyboard.press('1');
  await page.keyboard.press('2');
  await page.keyboard.press('3');
  await expect(page.locator('#callback-words')).toBeFocused();
  await page.keyboard.type('灯换了两天又不亮了，晚上还是看不见');
  await page.screenshot({ path: screenshotPath('desk-callback.png') });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('callback-notice')).toContainText('已退回原承办单位重办');
  await expect(item).toBeHidden();

  // The unit's queue has it again, reopened (重办) with the citizen's words in its trail.
  await expect.poll(async () => (await unitRow())?.status).toBe('已派单');
  const seen = await hubCall(hubUrl!, 'workspace.ticket', { ticketId }, unitToken);
  expect(JSON.stringify(seen.value.trail)).toContain('重办（第 1 次）');
  expect(JSON.stringify(seen.value.trail)).toContain('灯换了两天又不亮了');

  // The unit closes it again; the callback now hears 已解决 and 满意: 已回访.
  await closeAtUnit('更换灯具及线路，连续三晚回访检查正常');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+h');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await item.click();
  await page.getByTestId('callback-list').focus();
  await expect(page.getByTestId('callback-result')).toContainText('更换灯具及线路');
  await expect(item).toContainText('重办 1 次');
  await page.keyboard.press('1');
  await page.keyboard.press('1');
  await page.keyboard.press('1');
  await page.keyboard.type('现在好了，谢谢');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('callback-notice')).toContainText('回访完成');
  await page.keyboard.press('Escape');

  // The desk's own copy follows through the pull.
  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row).toContainText('已回访', { timeout: 30_000 });
});
