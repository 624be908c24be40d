/**
 * 不合理诉求 in the hub's web workspace, in a real Chromium against the built hub (dist/hub/main.mjs
 * serving dist/web), on PGlite and on the PostgreSQL at HUB_TEST_DATABASE_URL, keyboard only: a
 * ticket the call-taker flagged 不合理诉求 waits in the center's 待派 queue with its label; the
 * center sends it to a street, which sees the call-taker's suggestion, checks, and applies with its
 * reason and evidence; the center approves in its 待审 queue and the ticket ends 已办结, marked.
 */
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { PushedTicket } from '../../shared/api/hub-contract';
import { submitEvents } from '../../shared/lifecycle/events';
import { screenshotPath } from '../support/screenshots';
import { beijingDate, hubClientAs, pageErrorsOf, signInWorkspace, startTestHub, type HubUserSpec } from '../support/workspace-hub';

const PASSWORD = 'unreasonable-e2e-pass';
const USERS: HubUserSpec[] = [
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', unitCode: null },
  { username: 'wangjing', password: PASSWORD, name: '望京街道刘丽', role: 'unit_operator', unitCode: 'ST110105026' },
  { username: 'lead', password: PASSWORD, name: '市中心王班长', role: 'team_lead', unitCode: null },
];

const MIN = 60_000;

/** A ticket the call-taker submitted as 不合理诉求 (待审核, no unit, no deadlines) 50 minutes ago. */
function flaggedTicket(): PushedTicket {
  const at = Date.now() - 50 * MIN;
  const submittedAt = new Date(at).toISOString();
  const reason = '来电人要求街道出资为其私宅更换全部门窗，称不换就每天来电';
  return {
    id: randomUUID(),
    provisionalNumber: `临${beijingDate(at).replaceAll('-', '')}-${String(Math.floor(Math.random() * 9000) + 1000)}`,
    deskId: 'desk-e2e',
    operatorId: 'taker',
    operatorName: '李话务',
    shiftCode: 'day',
    shiftDate: beijingDate(at),
    callStartedAt: new Date(at - 4 * MIN).toISOString(),
    submittedAt,
    channel: '电话',
    callerName: '赵先生',
    callerPhone: '13700001111',
    callbackPhone: '13700001111',
    requestType: '求助',
    address: { districtCode: '110105', streetCode: '110105026', villageCode: '110105026051', text: '朝阳区望京街道望京西园三区 8 号楼' },
    content: '要求街道出资为其私宅更换全部门窗并重新装修，称房屋老旧是政府的责任，不解决就每天来电',
    leafCode: null,
    urgency: '一般',
    disposition: '不合理诉求',
    unitCode: null,
    kbArticleId: null,
    linkedTicketId: null,
    unreasonableReason: reason,
    names: { unit: null, district: '朝阳区', street: '望京街道', leafPath: ['住房保障', '房屋修缮', '私房修缮'] },
    events: submitEvents({ channel: '电话', disposition: '不合理诉求', unitName: null, kbArticleTitle: null, linkedNumber: null, unreasonableReason: reason }, submittedAt, '李话务'),
  };
}

for (const db of ['pglite', 'postgres'] as const) {
  test(`keyboard only (${db}): a flagged ticket waits in 待派, the street sees the suggestion and applies, the center approves in 待审`, async ({ page }) => {
    test.setTimeout(120_000);
    const hub = await startTestHub(db, USERS);
    const pageErrors = pageErrorsOf(page);
    try {
      const desk = await hubClientAs(hub.url, 'taker', PASSWORD);
      const flagged = flaggedTicket();
      const pushed = await desk.call('tickets.push', { tickets: [flagged] });
      expect(pushed.ok && pushed.value.results[0]!.status).toBe('待审核');
      const number = pushed.ok ? pushed.value.results[0]!.number : '';

      // The center: the flagged ticket waits in 待派 with the call-taker's label; it sends it to 望京街道.
      await page.goto(hub.url);
      await signInWorkspace(page, 'lead', PASSWORD);
      await page.keyboard.press('2');
      const waiting = page.getByTestId('queue').locator('tbody tr');
      await expect(waiting).toHaveCount(1);
      await expect(waiting.first()).toHaveAttribute('data-number', number);
      await expect(waiting.first().getByTestId('row-intake-flag')).toHaveText('坐席标注疑似不合理诉求');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('待审核');
      await expect(page.getByTestId('intake-suggestion')).toContainText('坐席说明：来电人要求街道出资');
      await page.keyboard.press('d');
      await expect(page.getByTestId('move-dialog')).toContainText('重新派单');
      await page.keyboard.type('望京街道');
      await expect(page.getByTestId('unit-list').getByRole('option').first()).toHaveText(/^望京街道/);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('已派单');
      await expect(page.getByTestId('ticket-deadlines')).toContainText('办结');
      await page.keyboard.press('Alt+q');

      // The street: the suggestion on its ticket; it checks and applies with its reason and evidence.
      await signInWorkspace(page, 'wangjing', PASSWORD);
      const rows = page.getByTestId('queue').locator('tbody tr');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('坐席提示疑似不合理');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await expect(page.getByTestId('intake-suggestion')).toContainText('坐席认为可能属于不合理诉求，请核实后决定是否申请认定');
      await page.keyboard.press('u');
      await expect(page.getByTestId('move-dialog')).toContainText('申请认定不合理诉求');
      await page.keyboard.type('来电人要求政府出资装修私宅，属个人产权房屋修缮，超出街道职责范围');
      await page.keyboard.press('Tab');
      await page.keyboard.type('12 月 3 日上门核实：房屋为来电人私有产权，无公共部位损坏；社区居委会出具情况说明；已向来电人解释相关政策');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText('已申请认定不合理诉求，等待市中心审核');
      await expect(page.getByTestId('pending-request')).toContainText('证据：12 月 3 日上门核实');
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('不合理申请');
      await page.keyboard.press('Alt+q');

      // The center: the request waits in 待审; it approves, and the ticket ends 已办结, marked.
      await signInWorkspace(page, 'lead', PASSWORD);
      await page.keyboard.press('3');
      const review = page.getByTestId('queue').locator('tbody tr');
      await expect(review).toHaveCount(1);
      await expect(review.first()).toContainText('申请认定不合理诉求');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('pending-request')).toContainText('不合理诉求认定申请');
      await page.keyboard.press('p');
      await expect(page.getByTestId('decide-request')).toContainText('证据：12 月 3 日上门核实');
      await expect(page.getByTestId('decide-approve')).toBeFocused();
      await expect(page.getByTestId('decide-hint')).toContainText('不计入承办单位的考核率');
      await page.keyboard.press('Tab');
      await page.keyboard.type('经核实属个人产权房屋修缮诉求，认定为不合理诉求');
      if (db === 'pglite') await page.screenshot({ path: screenshotPath('workspace-review.png') });
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText('已认定为不合理诉求，工单办结');
      await expect(page.getByTestId('ticket-status')).toHaveText('已办结');
      await expect(page.getByTestId('unreasonable-approved')).toContainText('经市中心审核认定为不合理诉求');
      await expect(page.getByTestId('intake-suggestion')).toHaveCount(0);
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('批准认定不合理诉求，工单办结：经核实属个人产权房屋修缮诉求');
      const kinds = await page.getByTestId('ticket-trail').locator('li b').allTextContents();
      expect(kinds).toEqual(['受理', '派单', '不合理申请', '不合理审核']);
      expect(pageErrors).toEqual([]);
    } finally {
      await hub.stop();
    }
  });
}
