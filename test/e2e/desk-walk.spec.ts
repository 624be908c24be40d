/**
 * A call-taker's walk through the desk shell with the keyboard only (issue 19): the sign-in prompt at
 * the start of a shift, every overlay handing the focus back to where it was opened from, nothing on
 * the form jumping when lists and banners appear, 本机状态 behind Alt+I, and the second screen (F10)
 * following the current call with answer and history side by side. Real browser host, fresh data
 * directory per test; waits are on what the screen shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';

let host: HostProcess;
test.beforeEach(async () => {
  host = await startHostProcess();
});
test.afterEach(async () => {
  await host.stop();
});

async function openDesk(page: Page): Promise<void> {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
}

/** The shift-start prompt is up: nobody signed in, the sign-in dialog open on 工号. */
async function expectPrompt(page: Page): Promise<void> {
  await expect(page.getByTestId('sign-in-prompt')).toContainText('已开始，请签到');
  await expect(page.locator('#sign-in-id')).toBeFocused();
}

/** F2 and a ticket recorded field by field, the leaf picked with F3. */
async function recordCall(page: Page, call: { phone: string; name: string; address: string; content: string; leaf: string }): Promise<void> {
  const keys = page.keyboard;
  await keys.press('F2');
  await expect(page.locator('#f-caller-phone')).toBeFocused();
  await keys.type(call.phone);
  await keys.press('Tab');
  await keys.type(call.name);
  await keys.press('Tab');
  await keys.press('Tab');
  await keys.press('3');
  await keys.press('Tab');
  await keys.type(call.address);
  await expect(page.getByTestId('address-reading')).toContainText('已识别');
  await keys.press('Enter');
  await expect(page.locator('#f-content')).toBeFocused();
  await keys.type(call.content);
  await keys.press('F3');
  await keys.type(call.leaf);
  await expect(page.getByTestId('catalogue-hits').getByRole('option').first()).toBeVisible();
  await keys.press('Enter');
}

const CALL = {
  phone: '13912345678',
  name: '张先生',
  address: '朝阳区望京街道花家地北里3号楼',
  content: '小区楼道里的声控灯坏了一个多星期了，晚上上下楼黑漆漆的，老人差点摔倒',
  leaf: '楼道照明',
};

test('the shift starts with a sign-in prompt any desk key dismisses; tickets taken before signing in stay in 本班工单', async ({ page }) => {
  await openDesk(page);
  await expectPrompt(page);
  await page.screenshot({ path: screenshotPath('sign-in-prompt.png') });
  // F1 is help over the prompt, not a dismissal.
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog', { name: '快捷键' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expectPrompt(page);
  // F3 closes the prompt and does what it says.
  await page.keyboard.press('F3');
  await expect(page.getByTestId('sign-in-dialog')).toBeHidden();
  await expect(page.locator('#catalogue-search')).toBeFocused();

  await recordCall(page, CALL);
  await page.keyboard.press('F8');
  const row = page.getByTestId('my-tickets').locator('li');
  await expect(row).toHaveCount(1);
  await expect(row.first().getByTestId('before-sign-in')).toHaveText(' · 签到前');
  await expect(row.first().getByTestId('before-sign-in')).toHaveAttribute('title', '值班坐席（签到前）受理');

  // Signing in afterwards keeps that ticket in 本班工单, credited to the duty seat, never to 工号 “local”.
  await page.keyboard.press('Alt+s');
  await expect(page.locator('#sign-in-id')).toBeFocused();
  await expect(page.getByTestId('sign-in-prompt')).toHaveCount(0);
  await page.keyboard.type('1001');
  await page.keyboard.press('Tab');
  await page.keyboard.type('李娜');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('operator')).toHaveText('李娜');
  await expect(row).toHaveCount(1);
  await expect(row.first()).toContainText('签到前');
  await page.keyboard.press('Alt+m');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ticket-detail')).toContainText('受理值班坐席（签到前）');
  await expect(page.getByTestId('ticket-detail')).not.toContainText('local');
  await page.keyboard.press('Escape');

  // The next ticket is the signed-in call-taker's, and both are listed.
  await recordCall(page, { ...CALL, phone: '13900001111', name: '王女士' });
  await page.keyboard.press('F8');
  await expect(row).toHaveCount(2);
  await expect(row.first()).not.toContainText('签到前');

  // Once per shift: a reload does not ask again.
  await page.reload();
  await openDesk(page);
  await expect(page.getByTestId('sign-in-dialog')).toHaveCount(0);
});

test('every overlay gives the focus back to where it was opened from, and the lists keep answering ↓ and Enter', async ({ page }) => {
  await openDesk(page);
  await expectPrompt(page);
  // Esc on the prompt: the focus goes to the form's first field, not to the page.
  await page.keyboard.press('Escape');
  await expect(page.locator('#f-caller-phone')).toBeFocused();

  await recordCall(page, CALL);
  await expect(page.locator('#catalogue-search')).toBeFocused();
  await page.keyboard.press('Alt+u');
  await expect(page.getByRole('dialog', { name: '另选承办单位' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: '另选承办单位' })).toBeHidden();
  await expect(page.locator('#catalogue-search')).toBeFocused();

  // Alt+I: 本机状态 over the desk, in Chinese words, and back.
  await page.keyboard.press('Alt+i');
  const health = page.getByTestId('health-overlay');
  await expect(health).toContainText(host.dataDir);
  await expect(health).toContainText('预写日志');
  await expect(health).not.toContainText('WAL');
  await page.keyboard.press('Escape');
  await expect(health).toBeHidden();
  await expect(page.locator('#catalogue-search')).toBeFocused();

  await page.keyboard.press('F8');
  await expect(page.locator('#f-caller-phone')).toBeFocused();
  await recordCall(page, { ...CALL, phone: '13900002222', name: '赵先生' });
  await page.keyboard.press('F8');
  const list = page.getByTestId('my-tickets');
  await expect(list.locator('li')).toHaveCount(2);

  // The ticket detail, from the list and back to it: ↓ and Enter go on working.
  await page.keyboard.press('Alt+m');
  await expect(list).toBeFocused();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('ticket-detail');
  await expect(detail).toContainText('13900002222');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(list).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(detail).toContainText('13912345678');
  await page.keyboard.press('Escape');
  await expect(list).toBeFocused();

  // The sign-in dialog, opened from the list and closed by signing in.
  await page.keyboard.press('Alt+s');
  await expect(page.locator('#sign-in-id')).toBeFocused();
  await page.keyboard.type('1002');
  await page.keyboard.press('Tab');
  await page.keyboard.type('张伟');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('operator')).toHaveText('张伟');
  await expect(list).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(detail).toContainText('13912345678');
  await page.keyboard.press('Escape');
  await expect(list).toBeFocused();

  // The lead view (a call-taker is refused there) and back with Alt+L: the list has the focus again.
  await page.keyboard.press('Alt+l');
  await expect(page.locator('[data-testid="lead-view"][data-state="forbidden"]')).toBeVisible();
  await page.keyboard.press('Alt+l');
  await expect(page.getByTestId('lead-view')).toHaveCount(0);
  await expect(list).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(detail).toContainText('13900002222');
  await page.keyboard.press('Escape');

  // F1 names every key in one case, with the keys that work inside fields.
  await page.keyboard.press('F1');
  const help = page.getByRole('dialog', { name: '快捷键' });
  for (const key of ['Alt+U', 'Alt+M', 'Alt+S', 'Alt+L', 'Alt+I', '1–6', '↑ ↓ / Enter']) await expect(help.locator('kbd', { hasText: key }).first()).toBeVisible();
  await expect(help).not.toContainText('Alt+u');
  await page.screenshot({ path: screenshotPath('desk-help.png') });
  await page.keyboard.press('Escape');
  await expect(list).toBeFocused();
});

test('nothing on the form moves when lists and banners appear, and the Alt+1…3 suggestions stay on screen', async ({ page }) => {
  await openDesk(page);
  await page.keyboard.press('Escape');
  const top = (selector: string) => page.locator(selector).evaluate((e) => Math.round(e.getBoundingClientRect().top));
  await page.keyboard.press('F2');
  await page.keyboard.type(CALL.phone);
  const phoneTop = await top('#f-caller-phone');
  const contentTop = await top('#f-content');
  const catalogueTop = await top('#catalogue-search');

  await page.keyboard.press('Tab');
  await page.keyboard.type(CALL.name);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('3');
  await page.keyboard.press('Tab');
  await page.keyboard.type(CALL.address);
  // The address candidates float over the content field.
  await expect(page.getByTestId('address-candidates')).toBeVisible();
  expect(await top('#f-content')).toBe(contentTop);
  await page.keyboard.press('Enter');
  await page.keyboard.type(CALL.content);
  await expect(page.getByTestId('content-suggestions')).toBeVisible();
  const suggestionsTop = await top('[data-testid="content-suggestions"]');

  // The F3 list floats too: the suggestions below it stay where they were, inside the window.
  await page.keyboard.press('F3');
  await page.keyboard.type(CALL.leaf);
  await expect(page.getByTestId('catalogue-hits').getByRole('option').first()).toBeVisible();
  expect(await top('[data-testid="content-suggestions"]')).toBe(suggestionsTop);
  const box = (await page.getByTestId('content-suggestions').boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(1080);
  await page.screenshot({ path: screenshotPath('desk-f3-floating.png') });
  await page.keyboard.press('Enter');

  // The success banner sits in its own strip: the form does not move down.
  await page.keyboard.press('F8');
  await expect(page.locator('.notices .banner').first()).toContainText('已提交');
  expect(await top('#f-caller-phone')).toBe(phoneTop);
  expect(await top('#catalogue-search')).toBe(catalogueTop);
  await page.screenshot({ path: screenshotPath('desk-shell.png') });
});

test('F10 opens the second screen filling the screen; it follows the current call with answer and history side by side', async ({ page, context }) => {
  await openDesk(page);
  await page.keyboard.press('Escape');
  // A caller with an earlier ticket.
  await recordCall(page, CALL);
  await page.keyboard.press('F8');
  await expect(page.getByTestId('my-tickets').locator('li')).toHaveCount(1);

  const [side] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('F10')]);
  await expect(side.locator('html[data-app-ready="true"]')).toBeAttached();
  // Opened at the size of the screen, not as a small popup.
  const size = await side.evaluate(() => ({ w: window.outerWidth, h: window.outerHeight, sw: screen.availWidth, sh: screen.availHeight }));
  expect(size.w).toBeGreaterThanOrEqual(size.sw * 0.9);
  expect(size.h).toBeGreaterThanOrEqual(size.sh * 0.9);
  await side.setViewportSize({ width: 1920, height: 1080 });
  await page.bringToFront();

  // The same caller rings again: the history appears on the right…
  await page.keyboard.press('F2');
  await page.keyboard.type(CALL.phone);
  await expect(side.getByTestId('side-record')).toContainText('来电历史');
  await expect(side.getByTestId('side-record').locator('li')).toHaveCount(1);
  // …and the answer read from the knowledge base on the left, both at once.
  await page.keyboard.press('F4');
  await page.keyboard.type('供暖时间');
  await expect(page.getByTestId('kb-hits').locator('li').first()).toBeVisible();
  await page.keyboard.press('Enter');
  const title = (await page.getByTestId('kb-article').locator('h3').textContent())!;
  await expect(side.getByTestId('side-screen')).toHaveAttribute('data-view', 'both');
  await expect(side.getByTestId('side-kb').locator('h3')).toHaveText(title);
  await expect(side.getByTestId('side-record')).toContainText(CALL.phone);
  await side.screenshot({ path: screenshotPath('side-screen.png') });

  // The header of a narrow second screen stays on one line.
  await side.setViewportSize({ width: 800, height: 565 });
  const header = await side.locator('.topbar').evaluate((e) => ({ scroll: e.scrollHeight, height: e.clientHeight }));
  expect(header.scroll).toBeLessThanOrEqual(header.height);
  const brand = (await side.locator('.brand-name').boundingBox()) ?? { height: 0 };
  expect(brand.height).toBeLessThan(30);
  await side.setViewportSize({ width: 1920, height: 1080 });

  // The next call starts clean: no answer or tickets of the last caller.
  await page.keyboard.press('F2');
  await page.keyboard.press('F2');
  await expect(side.getByTestId('side-screen')).toHaveAttribute('data-view', 'none');
  await expect(side.getByTestId('side-kb')).not.toContainText(title);
});
