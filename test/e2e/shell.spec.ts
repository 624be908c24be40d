import { expect, test } from '@playwright/test';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { startHostProcess, type HostProcess } from '../support/host-process';
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

test('a page without the launch secret cannot call the desk', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"]')).toBeAttached();
  const reply = await page.evaluate(async () => {
    const response = await fetch('/api', { method: 'POST', body: JSON.stringify({ name: 'app.info', input: {} }) });
    return { status: response.status, body: await response.json() };
  });
  expect(reply.status).toBe(401);
  expect(reply.body).toEqual({ ok: false, error: { kind: 'unauthorized', message: '缺少或错误的访问密钥' } });
});
