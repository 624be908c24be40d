/**
 * 待派 on the desk (Alt+R), as `npm start` runs it with the hub beside it: a 直派 ticket taken at the
 * desk is returned by its unit at the hub; the desk's list flags it 待重新派单; the team lead opens
 * the 待派 queue, sees who returned it and why with intake's dispatch suggestion (never the unit that returned it), and
 * re-dispatches with Enter; the ticket's trail on the desk shows the 退单 and the new 派单.
 */
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFirstLead } from '../../electron/services/lead/lead-credentials';
import type { HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';
import { embeddedHubAdmin, embeddedHubTest as test, embeddedHubUrl, hubCall, hubLogin, openConnectedDesk, takeStairwellLightCall, unitAccount } from '../support/workspace-hub';

const WANGJING = 'ST110105026'; // 望京街道
test.setTimeout(240_000);

/** Alt+S as 班长 with the PIN the desk gave 工号 0001 on its first start (electron/services/lead/lead-credentials.ts). */
async function signInAsLead(page: Page, host: HostProcess): Promise<void> {
  const pin = readFirstLead(host.dataDir)!.pin;
  await page.keyboard.press('Alt+s');
  await expect(page.getByTestId('sign-in-dialog')).toBeVisible();
  await page.locator('#sign-in-id').fill('0001');
  await page.locator('#sign-in-name').fill('孙敏');
  await page.getByTestId('sign-in-role-team_lead').check();
  await page.getByTestId('sign-in-secret').fill(pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sign-in-dialog')).toBeHidden();
  await expect(page.getByTestId('operator')).toHaveText('孙敏');
}

test('a ticket its unit returns waits in the desk’s 待派 queue with a suggestion, and Enter sends it out again', async ({ page, host }) => {
  await openConnectedDesk(page, host);
  const hubUrl = embeddedHubUrl(host);

  // A call-taker's Alt+R is refused by name (the queue is the team lead's).
  await page.keyboard.press('Alt+r');
  await expect(page.getByTestId('redispatch-queue')).toContainText('班长');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('redispatch-queue')).toBeHidden();

  // A 直派 ticket, taken with the keyboard.
  const { row, number } = await takeStairwellLightCall(page);

  // 望京街道 gets an account from the unit directory and returns the ticket through the hub's API.
  const adminToken = await hubLogin(hubUrl, embeddedHubAdmin(host));
  const unit = await unitAccount(hubUrl, adminToken, WANGJING);
  const unitToken = await hubLogin(hubUrl, unit);
  const queue = await hubCall(hubUrl, 'workspace.queue', {}, unitToken);
  const ticket = (queue.value.rows as Array<{ id: string; number: string; version: number }>).find((t) => t.number === number)!;
  expect(ticket, JSON.stringify(queue)).toBeTruthy();
  const returned = await hubCall(hubUrl, 'ticket.return', { ticketId: ticket.id, version: ticket.version, reason: '花家地北里3号楼属物业管理区域，应由物业公司维修' }, unitToken);
  expect(returned.ok, JSON.stringify(returned.error)).toBe(true);

  // The pull brings the return to the list: 已退单, flagged for re-dispatch.
  await expect(row).toContainText('已退单', { timeout: 30_000 });
  await expect(row.getByTestId('ticket-flag')).toHaveText('待重新派单');
  await expect(page.getByTestId('ticket-flags')).toHaveText('退单 1 张');

  // The team lead's 待派 queue: who returned it and why, how often, and intake's suggestion with its reason.
  await signInAsLead(page, host);
  await page.keyboard.press('Alt+r');
  const view = page.getByTestId('redispatch-queue');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const item = view.locator(`li[data-ticket-id="${ticket.id}"]`);
  await expect(item).toContainText(number);
  await expect(item).toContainText('退单 1 次');
  await expect(item).toContainText('楼道里的声控灯坏了');
  await expect(item.getByTestId('redispatch-return')).toContainText('应由物业公司维修');
  // Intake's rule would pick 望京街道 again; the unit that returned it is never suggested: its district's 分中心 coordinates.
  await expect(item.getByTestId('redispatch-suggestion')).toContainText('建议派往 朝阳区接诉即办分中心');
  await expect(item.getByTestId('redispatch-suggestion')).toContainText('派分中心');
  await expect(item.getByTestId('redispatch-suggestion')).toContainText('望京街道已退回');
  await expect(page.getByTestId('redispatch-list')).toBeFocused();
  await page.screenshot({ path: screenshotPath('desk-redispatch.png') });

  // Enter: re-dispatched to the suggestion; the queue no longer holds it.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('redispatch-notice')).toHaveText(`工单 ${number} 已重新派给朝阳区接诉即办分中心`);
  await expect(item).toBeHidden();
  await page.keyboard.press('Escape');

  // The desk's own copy follows through the pull: 已派单 again, the trail with the 退单 and the new 派单.
  await expect(row).toContainText('已派单', { timeout: 30_000 });
  await expect(row.getByTestId('ticket-flag')).toHaveCount(0);
  await row.click();
  const trail = page.getByTestId('ticket-trail');
  await expect(trail).toContainText('退单');
  await expect(trail).toContainText('应由物业公司维修');
  await expect(trail.locator('li').last()).toContainText('重新派单：朝阳区接诉即办分中心');
});

test('offline, the 待派 queue says it needs the hub', async ({ page, host }) => {
  await openConnectedDesk(page, host);
  await signInAsLead(page, host);
  // The hub beside the desk goes away (its process, by the pid in its lock file).
  process.kill(Number(readFileSync(join(host.dataDir, 'hub', 'hub.lock'), 'utf8').trim()), 'SIGKILL');
  await page.keyboard.press('Alt+r');
  await expect(page.getByTestId('redispatch-offline')).toContainText('需联网（中心不可达）', { timeout: 20_000 });
});
