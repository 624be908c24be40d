/**
 * 查询工单 / 催办 on the desk (F5), as `npm start` runs it with the hub beside it: a ticket taken at
 * the desk is looked up by its official number (全中心), its status, unit and deadlines read out, and
 * a 催办 recorded on that same ticket; the unit sees the count on its row in the web workspace.
 */
import { expect } from '@playwright/test';
import { screenshotPath } from '../support/screenshots';
import { embeddedHubAdmin, embeddedHubTest as test, embeddedHubUrl, hubLogin, openConnectedDesk, signInWorkspace, takeStairwellLightCall, unitAccount } from '../support/workspace-hub';

const WANGJING = 'ST110105026'; // 望京街道
test.setTimeout(240_000);

test('F5 finds a ticket by number, records a 催办 on it, and the unit sees it on its queue row', async ({ page, browser, host }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openConnectedDesk(page, host);
  const hubUrl = embeddedHubUrl(host);

  // A 直派 ticket, taken with the keyboard.
  const { number } = await takeStairwellLightCall(page);

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
  const admin = embeddedHubAdmin(host);
  const adminToken = await hubLogin(hubUrl, admin);
  const unit = await unitAccount(hubUrl, adminToken, WANGJING);
  const web = await browser.newPage();
  await web.goto(hubUrl);
  await signInWorkspace(web, unit.username, unit.password);
  const queueRow = web.locator(`[data-testid="queue"] tbody tr[data-number="${number}"]`);
  await expect(queueRow.getByTestId('row-urges')).toHaveText('催 1');
  await web.close();
});
