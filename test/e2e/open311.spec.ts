/**
 * 网络渠道待受理 (Alt+W), as `npm start` runs it with the hub beside it: a channel partner's web
 * submission (Open311 `POST requests`, server/open311.ts) appears in the desk's queue with the
 * suggested category and the address reading; Enter takes it into the intake form filled in; F8
 * dispatches it to the street; the unit accepts and closes it through the hub's API; and the
 * partner's `GET requests/{id}` reads it closed with the unit's note. Another submission is
 * rejected as 垃圾信息 from the queue and reads closed with the reason.
 */
import { expect } from '@playwright/test';
import { screenshotPath } from '../support/screenshots';
import { embeddedHubAdmin, embeddedHubTest as test, embeddedHubUrl, hubCall, hubLogin, openConnectedDesk } from '../support/workspace-hub';

const WANGJING = 'ST110105026'; // 望京街道
test.setTimeout(240_000);

async function submit(hubUrl: string, fields: Record<string, string>): Promise<string> {
  const response = await fetch(`${hubUrl}open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as Array<{ service_request_id: string }>)[0]!.service_request_id;
}

test('a web submission is taken from the 待受理 queue, dispatched, closed by the unit, and reads closed in Open311', async ({ page, host }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openConnectedDesk(page, host);
  const hubUrl = embeddedHubUrl(host);

  const adminToken = await hubLogin(hubUrl, embeddedHubAdmin(host));
  const issued = await hubCall(hubUrl, 'open311.keys.issue', { partner: '首都之窗网站', channel: '网络' }, adminToken);
  expect(issued.ok, JSON.stringify(issued.error)).toBe(true);
  const apiKey = issued.value.key as string;

  const id = await submit(hubUrl, {
    api_key: apiKey,
    service_code: '0109004', // 增设路灯 (属地)
    description: '花家地北里3号楼门口这段路从来没装过灯，晚上太黑老人出门摔过跤，希望增设路灯',
    address_string: '朝阳区望京街道花家地北里3号楼',
    last_name: '周',
    first_name: '丽',
    phone: '13912345678',
  });
  const spam = await submit(hubUrl, { api_key: apiKey, service_code: '0109004', description: '低价代办各类证件，加微信详谈', address_string: '北京' });

  // Alt+W: both are listed with their channel, the category and the address reading.
  await page.keyboard.press('Alt+W');
  const queue = page.getByTestId('web-intake-queue');
  await expect(queue).toBeVisible();
  const row = queue.locator(`li[data-submission-id="${id}"]`);
  await expect(row).toContainText('网络');
  await expect(row).toContainText('首都之窗网站');
  await expect(row).toContainText('花家地北里3号楼门口这段路从来没装过灯');
  await expect(row.getByTestId('web-intake-suggestion')).toContainText('增设路灯');
  await expect(row.getByTestId('web-intake-suggestion')).toContainText('望京街道');
  await expect(queue.locator(`li[data-submission-id="${spam}"]`)).toBeVisible();
  await page.screenshot({ path: screenshotPath('desk-open311-queue.png') });

  // The spam (second, the newer) is rejected from the queue: Delete, 1 垃圾信息, Enter.
  await page.getByTestId('web-intake-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Delete');
  await expect(queue.getByTestId('web-intake-reject')).toBeVisible();
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await expect(queue.getByTestId('web-intake-notice')).toContainText('已不予受理（垃圾信息）');
  await expect(queue.locator(`li[data-submission-id="${spam}"]`)).toHaveCount(0);

  // Enter takes the first into the intake form, filled in.
  await page.getByTestId('web-intake-list').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(queue).toBeHidden();
  await expect(page.locator('#f-content')).toHaveValue(/花家地北里3号楼门口这段路从来没装过灯/);
  await expect(page.locator('#f-caller-phone')).toHaveValue(/139\s?1234\s?5678/);
  await page.locator('#f-request-type').focus();
  await page.keyboard.press('5'); // 建议
  await page.keyboard.press('F8');
  await expect(page.getByTestId('submitted-headline')).toHaveText(/^已提交（直派 望京街道）$/);
  const mine = page.getByTestId('my-tickets').locator('li').first();
  await expect(mine.locator('.number')).toHaveText(/^\d{14}$/, { timeout: 30_000 });
  const number = (await mine.locator('.number').textContent())!;

  const status = async () => {
    const response = await fetch(`${hubUrl}open311/v2/requests/${id}.json?api_key=${encodeURIComponent(apiKey)}`);
    return ((await response.json()) as Array<{ status: string; status_notes: string; agency_responsible: string }>)[0]!;
  };
  await expect.poll(async () => (await status()).status_notes, { timeout: 30_000 }).toContain(number);
  expect((await status()).status).toBe('open');

  // 望京街道 accepts and closes it through the hub's API, as its workspace would.
  const accounts = await hubCall(hubUrl, 'admin.unitAccounts', { unitCodes: [WANGJING] }, adminToken);
  expect(accounts.ok, JSON.stringify(accounts.error)).toBe(true);
  const unit = accounts.value.created[0] as { username: string; password: string };
  const unitToken = (await hubCall(hubUrl, 'auth.login', { username: unit.username, password: unit.password })).value.token as string;
  const unitRow = async () => ((await hubCall(hubUrl, 'workspace.queue', {}, unitToken)).value.rows as Array<{ id: string; number: string; version: number }>).find((t) => t.number === number)!;
  let t = await unitRow();
  expect((await hubCall(hubUrl, 'ticket.accept', { ticketId: t.id, version: t.version }, unitToken)).ok).toBe(true);
  expect((await status()).agency_responsible).toContain('望京');
  t = await unitRow();
  const closed = await hubCall(hubUrl, 'ticket.close', { ticketId: t.id, version: t.version, note: '已在3号楼门口新装路灯两盏', resolved: true }, unitToken);
  expect(closed.ok, JSON.stringify(closed.error)).toBe(true);

  const final = await status();
  expect(final.status).toBe('closed');
  expect(final.status_notes).toContain('已在3号楼门口新装路灯两盏');
  const rejected = await fetch(`${hubUrl}open311/v2/requests/${spam}.xml?api_key=${encodeURIComponent(apiKey)}`);
  expect(await rejected.text()).toContain('<status>closed</status><status_notes>不予受理：垃圾信息</status_notes>');
});
