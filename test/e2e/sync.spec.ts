/**
 * The whole loop as `npm start` runs it: the browser host with a hub started beside it. A ticket
 * taken at the desk gets its official number in place of the provisional one, and what the unit
 * does at the hub shows on the desk's list without anyone refreshing.
 */
import { expect } from '@playwright/test';
import { screenshotPath } from '../support/screenshots';
import { embeddedHubAdmin, embeddedHubTest as test, embeddedHubUrl, hubCall, hubLogin, openConnectedDesk, takeStairwellLightCall } from '../support/workspace-hub';

test('a ticket gets its official number from the hub, and the unit’s acceptance comes back to the list', async ({ page, host }) => {
  // A first start creates the hub's database in a child process first (server/db.ts).
  test.setTimeout(240_000);
  // The desk opens without waiting for the hub beside it, and connects once the hub is up.
  await openConnectedDesk(page, host);
  const hubUrl = embeddedHubUrl(host);
  const output = host.output();
  expect(output.indexOf('HOTLINE_DESK_READY'), output).toBeLessThan(output.indexOf('已在本机启动中心'));

  // Sent at once: the provisional number gives way to the hub's official one.
  const { row, number } = await takeStairwellLightCall(page, 15_000);
  await expect(page.getByTestId('pending-sync')).toHaveText('待同步 0 张');
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'idle');

  // The unit accepts it at the hub.
  const token = await hubLogin(hubUrl, embeddedHubAdmin(host));
  const queue = await hubCall(hubUrl, 'unit.queue', {}, token);
  const ticket = (queue.value as Array<{ id: string; number: string }>).find((t) => t.number === number)!;
  expect(ticket).toBeTruthy();
  expect((await hubCall(hubUrl, 'ticket.accept', { ticketId: ticket.id }, token)).ok).toBe(true);

  await expect(row).toContainText('已接单', { timeout: 15_000 });
  await expect(row.locator('.due')).toHaveText(/^定性 剩余/);
  await page.screenshot({ path: screenshotPath('sync-status-back.png') });
  await row.click();
  await expect(page.getByTestId('ticket-trail')).toContainText('接单');
});
