import { expect, test } from '@playwright/test';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDataDir, startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';

let host: HostProcess;

test.beforeEach(async () => {
  host = await startHostProcess();
});
test.afterEach(async () => {
  await host.stop();
});

test('the desk shell shows operator, shift, connection and real health from the main side', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"]')).toBeAttached();
  await expect(page.getByText('接诉即办坐席工作台')).toBeVisible();
  await expect(page.getByTestId('operator')).toHaveText('值班坐席');
  await expect(page.getByTestId('shift')).toHaveText(/^(早班 08:00–16:00|中班 16:00–24:00|夜班 00:00–08:00)$/);
  await expect(page.getByTestId('connection')).toHaveText('本机模式');
  // 本机状态 is off the desk, behind Alt+I (or the status bar's button), in Chinese words.
  const health = page.getByTestId('health');
  await expect(health).toHaveCount(0);
  await page.keyboard.press('Escape'); // the shift-start sign-in prompt
  await page.keyboard.press('Alt+i');
  await expect(health).toContainText(host.dataDir);
  await expect(health).toContainText(`结构版本 ${MIGRATIONS.length}`);
  await expect(health).toContainText(/派单目录 \d+\/\d+\/\d+ 项 · 知识库 \d+ 篇/);
  await expect(health).toContainText('预写日志');
  await page.screenshot({ path: screenshotPath('health-panel.png') });
  await page.keyboard.press('Escape');
  await expect(health).toHaveCount(0);
});

test('F1 shows the shortcut help and Esc closes it', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"]')).toBeAttached();
  await page.keyboard.press('F1');
  const dialog = page.getByRole('dialog', { name: '快捷键' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('打开副屏');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('F10 opens the second-screen window of the same app', async ({ page, context }) => {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"]')).toBeAttached();
  const [side] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('F10')]);
  await expect(side.locator('html[data-app-ready="true"]')).toBeAttached();
  await expect(side.getByTestId('side-kb')).toContainText('答复显示在这里');
  await expect(side.getByTestId('side-record')).toContainText('来电历史');
});

test('a page without the launch secret cannot call the desk', async ({ page, browser }) => {
  // A page that only knows the address (another site, another local program) gets no desk and no secret.
  const stranger = await browser.newPage();
  const bare = await stranger.goto(host.origin);
  expect(bare!.status()).toBe(401);
  await expect(stranger.getByRole('heading')).toHaveText('请使用坐席程序给出的启动地址打开');
  expect(await bare!.text()).not.toMatch(/[0-9a-f]{64}/);
  const wrongToken = await stranger.goto(`${host.origin}?launch=${'0'.repeat(64)}`);
  expect(wrongToken!.status()).toBe(401);
  const refused = await stranger.evaluate(async () => {
    const response = await fetch('/api', { method: 'POST', body: JSON.stringify({ name: 'app.info', input: {} }) });
    return { status: response.status, body: await response.json() };
  });
  expect(refused.status).toBe(401);
  expect(refused.body).toEqual({ ok: false, error: { kind: 'unauthorized', message: '缺少或错误的访问密钥' } });
  await stranger.close();

  // The launch URL hands the secret over once, into an HttpOnly SameSite=Strict cookie, and leaves
  // the address bar; the page itself never holds it. Opened as localhost it works the same.
  for (const launch of [host.url, host.url.replace('127.0.0.1', 'localhost')]) {
    await page.goto(launch);
    await expect(page.locator('html[data-app-ready="true"]')).toBeAttached();
    expect(page.url()).not.toContain('launch=');
    expect(await page.content()).not.toMatch(/[0-9a-f]{64}/);
    const cookie = (await page.context().cookies(page.url())).find((c) => c.name.startsWith('hotline_desk_'))!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const reply = await page.evaluate(async () => (await fetch('/api', { method: 'POST', body: JSON.stringify({ name: 'app.info', input: {} }) })).status);
    expect(reply).toBe(200);
    await expect(page.getByTestId('connection')).toHaveText('本机模式');
  }
});

test('a zero-length database is not replaced silently: the desk says so in the status bar and 本机状态', async ({ page }) => {
  const dataDir = freshDataDir();
  writeFileSync(join(dataDir, 'desk.sqlite'), '');
  const damaged = await startHostProcess({ dataDir, removeDataDir: true });
  try {
    await page.goto(damaged.url);
    await expect(page.locator('html[data-app-ready="true"]')).toBeAttached();
    await expect(page.getByTestId('database-notice')).toHaveText('本地数据库曾损坏，已尽量找回，详见本机状态');
    await page.keyboard.press('Escape'); // the shift-start sign-in prompt
    await page.keyboard.press('Alt+i');
    await expect(page.getByTestId('health')).toContainText('原数据库文件为空（0 字节），已移至');
  } finally {
    await damaged.stop();
  }
});
