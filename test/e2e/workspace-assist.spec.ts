/**
 * 双派单 in the hub's web workspace, in a real Chromium against the built hub (dist/hub/main.mjs
 * serving dist/web), on PGlite and on the PostgreSQL at HUB_TEST_DATABASE_URL, keyboard only: the
 * sub-center forwards a ticket to 望京街道 as 主办 with 北京市水务局 and 北京城市排水集团 as 协办 (type to
 * filter, Space/Enter to add, Backspace to remove), the 协办 unit finds it marked in its queue,
 * cannot accept it, and answers with 协办回复; the 主办 sees the reply on its ticket page.
 * Saves docs/screenshots/workspace-forward.png (the forward dialog with 主办 and 协办 picked).
 */
import { expect, test } from '@playwright/test';
import { screenshotPath } from '../support/screenshots';
import { deskTicket, hubClientAs, pageErrorsOf, signInWorkspace, startTestHub, type HubUserSpec } from '../support/workspace-hub';

const PASSWORD = 'workspace-assist-pass';
const SUBCENTER = 'SC110105'; // 朝阳区接诉即办分中心
const WANGJING = 'ST110105026'; // 望京街道
const WATER = 'D15'; // 北京市水务局
const USERS: HubUserSpec[] = [
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', unitCode: null },
  { username: 'chaoyang', password: PASSWORD, name: '朝阳分中心派单员', role: 'unit_operator', unitCode: SUBCENTER },
  { username: 'wangjing', password: PASSWORD, name: '望京街道刘丽', role: 'unit_operator', unitCode: WANGJING },
  { username: 'shuiwu', password: PASSWORD, name: '市水务局张强', role: 'unit_operator', unitCode: WATER },
];

for (const db of ['pglite', 'postgres'] as const) {
  test(`keyboard only (${db}): 双派单 — the sub-center forwards to a 主办 and two 协办, the 协办 unit replies`, async ({ page }) => {
    test.setTimeout(240_000);
    const hub = await startTestHub(db, USERS);
    const pageErrors = pageErrorsOf(page);
    try {
      const desk = await hubClientAs(hub.url, 'taker', PASSWORD);
      const forwarded = deskTicket({
        minutesAgo: 25,
        content: '望京西园三区12号楼前雨水井反水，污水漫到单元门口，怀疑市政管网堵塞，已经三天没人处理',
        unitCode: SUBCENTER,
        unitName: '朝阳区接诉即办分中心',
        disposition: '派分中心',
        street: ['110105026', '望京街道'],
        village: ['110105026051', '望京西园三区社区'],
        leafPath: ['市政管理', '排水设施', '下水道堵塞'],
      });
      const pushed = await desk.call('tickets.push', { tickets: [forwarded] });
      expect(pushed.ok).toBe(true);
      const number = pushed.ok ? pushed.value.results[0]!.number : '';

      // The sub-center: 主办 望京街道, then 协办 by keyboard in the 协办 box.
      await page.goto(hub.url);
      await signInWorkspace(page, 'chaoyang', PASSWORD);
      await expect(page.getByTestId('queue').locator('tbody tr').first()).toHaveAttribute('aria-selected', 'true');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await page.keyboard.press('f');
      await expect(page.getByTestId('move-dialog')).toBeVisible();
      await page.keyboard.type('望京街道');
      await expect(page.getByTestId('picked-main')).toContainText('主办：望京街道');
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('assist-filter')).toBeFocused();
      await page.keyboard.type('水务');
      await expect(page.getByTestId('assist-list').getByRole('option').first()).toHaveText(/^北京市水务局/);
      await page.keyboard.press('Space');
      await page.keyboard.type('排水');
      await page.keyboard.press('Enter');
      const chips = page.getByTestId('assist-chips').locator('.chip');
      await expect(chips).toHaveText([/北京市水务局/, /北京城市排水集团有限责任公司/]);
      // Backspace in the empty box removes the last one; Enter on it again puts it back.
      await page.keyboard.press('Backspace');
      await expect(chips).toHaveText([/北京市水务局/]);
      await page.keyboard.type('排水集团');
      await page.keyboard.press('Enter');
      await expect(chips).toHaveText([/北京市水务局/, /北京城市排水集团有限责任公司/]);
      await expect(page.getByTestId('picked-main')).toHaveText('主办：望京街道 · 协办：北京市水务局、北京城市排水集团有限责任公司');
      await expect(page.getByTestId('move-dialog')).toBeVisible(); // Enter in the 协办 box picks, it does not submit
      if (db === 'pglite') await page.screenshot({ path: screenshotPath('workspace-forward.png') });
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText(`工单 ${number} 已转派`);
      await expect(page.getByTestId('ticket-unit')).toHaveText('望京街道');
      await expect(page.getByTestId('ticket-trail')).toContainText('转派：主办 望京街道，协办 北京市水务局、北京城市排水集团有限责任公司');
      await expect(page.getByTestId('ticket-assists').locator('li')).toHaveCount(2);
      await page.keyboard.press('Alt+q');

      // The 协办 unit: the ticket is in its queue, marked; it cannot accept; it replies.
      await signInWorkspace(page, 'shuiwu', PASSWORD);
      const rows = page.getByTestId('queue').locator('tbody tr');
      await expect(rows).toHaveCount(1);
      await expect(rows.first().getByTestId('row-assist')).toHaveText('协办·待回复');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await expect(page.getByTestId('moves')).toHaveText(/^X 协办回复$/);
      await page.keyboard.press('a');
      await expect(page.getByTestId('notice')).toContainText('不能接单');
      await expect(page.getByTestId('move-dialog')).toHaveCount(0);
      await page.keyboard.press('x');
      await expect(page.getByTestId('move-dialog')).toContainText('协办单位');
      await page.keyboard.type('已派员核查望京西园三区段市政雨水管网，确认下游堵塞，已通知排水集团今日清掏');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText(`工单 ${number} 已协办回复`);
      await expect(page.getByTestId('ticket-assists').locator('li[data-unit="D15"]')).toContainText('已回复 · 市水务局张强');
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('协办回复');
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('北京市水务局（协办）：已派员核查');
      await expect(page.getByTestId('moves')).toContainText('当前没有本账号可做的处理');
      await page.keyboard.press('Escape');
      await expect(rows.first().getByTestId('row-assist')).toHaveText('协办·已回复');
      await page.keyboard.press('Alt+q');

      // The 主办 sees the reply on its ticket page; it still holds the moves.
      await signInWorkspace(page, 'wangjing', PASSWORD);
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('主办+协办 2');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-assists').locator('li[data-unit="D15"]')).toContainText('已派员核查望京西园三区段市政雨水管网');
      await expect(page.getByTestId('ticket-assists').locator('li[data-unit="U08"]')).toContainText('待回复');
      await expect(page.getByTestId('moves')).toContainText('接单');
      expect(pageErrors).toEqual([]);
    } finally {
      await hub.stop();
    }
  });
}
