/**
 * A caller who knows only a landmark (issue 19, item 16): "西城区，西单附近" reads as the street, with
 * the landmark named; "鸟巢旁边的小区" reads as the district only and says so instead of a percentage.
 * Keyboard only, against the real browser host with the bundled gazetteer.
 */
import { expect, test } from '@playwright/test';
import { startHostProcess, type HostProcess } from '../support/host-process';

let host: HostProcess;

test.beforeEach(async () => {
  host = await startHostProcess();
});
test.afterEach(async () => {
  await host?.stop();
});

test('a landmark gives the street, and a district-only reading says 仅到区, never a high percentage', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
  await page.keyboard.press('F2');
  await page.locator('#f-address').focus();
  const reading = page.getByTestId('address-reading');

  await page.keyboard.type('西城区，西单附近');
  await expect(reading).toContainText('已识别 西城区 / 西长安街街道');
  await expect(reading).toContainText('地标 西单');
  await expect(reading).toContainText(/把握 (8\d|90)%/);

  await page.keyboard.press('Control+A');
  await page.keyboard.type('鸟巢旁边的小区');
  await expect(reading).toContainText('已识别 朝阳区');
  await expect(reading).toContainText('地标 鸟巢 · 仅到区');
  await expect(reading).not.toContainText('%');
  await expect(reading).not.toContainText('街道');
});
