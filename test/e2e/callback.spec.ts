/**
 * 回访 on the desk (Alt+H), as `npm start` runs it with the hub beside it: a ticket taken at the desk
 * is closed by its unit at the hub; it appears in the desk's 回访 queue with the unit's 办理结果
 * beside the citizen's words; 1 联系上 · 2 未解决 · 3 不满意 with the citizen's words reopens it (重办)
 * to the same unit, whose workspace queue shows it again; the unit closes it again; the next callback,
 * 1 联系上 · 1 已解决 · 1 满意, ends it 已回访. The city's rankings page (web/src/Rankings.tsx, signed in
 * as the hub's admin) shows 望京街道 second behind 酒仙桥街道 while the ticket is reopened, and first
 * with its rates up once the callback is 满意: the ranking follows the callbacks.
 */
import { expect, type Browser } from '@playwright/test';
import { screenshotPath } from '../support/screenshots';
import { deskTicket, embeddedHubAdmin, embeddedHubTest as test, embeddedHubUrl, hubCall, hubLogin, openConnectedDesk, signInWorkspace, takeStairwellLightCall, unitAccount } from '../support/workspace-hub';

const WANGJING = 'ST110105026'; // 望京街道
const WJ = { unitCode: WANGJING, unitName: '望京街道', street: ['110105026', '望京街道'] as [string, string], village: ['110105026060', '望京园社区'] as [string, string] };
const JXQ = { unitCode: 'ST110105011', unitName: '酒仙桥街道', street: ['110105011', '酒仙桥街道'] as [string, string], village: ['110105011046', '大山子社区'] as [string, string] };
const LEAF = ['城乡建设', '施工管理', '施工扰民'];
test.setTimeout(240_000);

/**
 * 望京街道's row on the rankings page (本月, 按承办单位), opened afresh: 排名, 解决率, 满意率, 初次满意率,
 * 重办率 and 综合得分 as the page shows them.
 */
async function rankingOf(browser: Browser, hubUrl: string, admin: { username: string; password: string }) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const web = await context.newPage();
    await web.goto(hubUrl);
    await signInWorkspace(web, admin.username, admin.password);
    await web.getByTestId('nav-rankings').click();
    const rows = web.getByTestId('rank-table').locator('tbody tr');
    await expect(rows).toHaveCount(2, { timeout: 30_000 });
    const cells = await rows.filter({ hasText: '望京街道' }).locator('td').allInnerTexts();
    const [rank, , tickets, , resolution, satisfaction, firstSatisfaction, reopen, , , score] = cells.map((c) => c.trim());
    return { rank, tickets, resolution, satisfaction, firstSatisfaction, reopen, score };
  } finally {
    await context.close();
  }
}

test('a closed ticket is called back from the 回访 queue: 不满意 reopens it to its unit, and after it closes again 满意 ends it; the ranking follows', async ({ page, browser, host }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openConnectedDesk(page, host);
  const hubUrl = embeddedHubUrl(host);
  const admin = embeddedHubAdmin(host);
  const adminToken = await hubLogin(hubUrl, admin);

  // The rest of the month, so both streets are ranked (5 tickets each, resources/policy/scoring.json minTickets):
  // 望京 four more, called back 满意; 酒仙桥 five, 基本满意 (综合得分 100 × (0.1 + 0.45 + 0.45 × 0.8) = 91).
  const others = [
    ...Array.from({ length: 4 }, (_, i) => deskTicket({ minutesAgo: 30 - i, content: '夜间施工噪音扰民，十一点还在作业', leafPath: LEAF, ...WJ })),
    ...Array.from({ length: 5 }, (_, i) => deskTicket({ minutesAgo: 25 - i, content: '工地渣土车夜里进出，噪音很大', leafPath: LEAF, ...JXQ })),
  ];
  // Pushed by the admin's personal account: each ticket in its own name (server/desk-access.ts operatorOfPush).
  const pushed = await hubCall(hubUrl, 'tickets.push', { tickets: others.map((t) => ({ ...t, operatorId: admin.username })) }, adminToken);
  expect(pushed.ok, JSON.stringify(pushed.error)).toBe(true);
  for (const [i, t] of others.entries()) {
    for (const [name, input] of [
      ['ticket.accept', { ticketId: t.id }],
      ['ticket.close', { ticketId: t.id, resolved: true, note: '已协调施工方整改' }],
      ['ticket.callback', { ticketId: t.id, outcome: '联系上', resolved: true, satisfaction: i < 4 ? '满意' : '基本满意', words: '处理得很及时' }],
    ] as const) {
      const moved = await hubCall(hubUrl, name, input, adminToken);
      expect(moved.ok, `${name} ${JSON.stringify(moved.error)}`).toBe(true);
    }
  }

  const { number } = await takeStairwellLightCall(page);

  // 望京街道 accepts and closes it through the hub's API, as its workspace would.
  const unit = await unitAccount(hubUrl, adminToken, WANGJING);
  const unitToken = await hubLogin(hubUrl, unit);
  const unitRow = async () => ((await hubCall(hubUrl, 'workspace.queue', {}, unitToken)).value.rows as Array<{ id: string; number: string; version: number; status: string }>).find((t) => t.number === number);
  const closeAtUnit = async (result: string) => {
    let t = (await unitRow())!;
    expect((await hubCall(hubUrl, 'ticket.accept', { ticketId: t.id, version: t.version }, unitToken)).ok).toBe(true);
    t = (await unitRow())!;
    const closed = await hubCall(hubUrl, 'ticket.close', { ticketId: t.id, version: t.version, note: result, resolved: true }, unitToken);
    expect(closed.ok, JSON.stringify(closed.error)).toBe(true);
    return t.id;
  };
  const ticketId = await closeAtUnit('已更换3号楼楼道声控灯，经检查正常');

  // Alt+H: the 回访 queue, the unit's result beside the citizen's words.
  await page.keyboard.press('Alt+h');
  const view = page.getByTestId('callback-queue');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(view).toContainText('全中心');
  const item = view.locator(`li[data-ticket-id="${ticketId}"]`);
  await expect(item).toContainText(number);
  await item.click();
  await page.getByTestId('callback-list').focus();
  await expect(page.getByTestId('callback-content')).toContainText('楼道里的声控灯坏了');
  await expect(page.getByTestId('callback-result')).toContainText('已更换3号楼楼道声控灯');

  // Enter dials: no telephony here, the desk says so and keeps the time.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callback-dialed')).toContainText('未接入电话系统');

  // 1 联系上 · 2 未解决 · 3 不满意, the citizen's words, Ctrl+Enter.
  await page.keyboard.press('1');
  await page.keyboard.press('2');
  await page.keyboard.press('3');
  await expect(page.locator('#callback-words')).toBeFocused();
  await page.keyboard.type('灯换了两天又不亮了，晚上还是看不见');
  await page.screenshot({ path: screenshotPath('desk-callback.png') });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('callback-notice')).toContainText('已退回原承办单位重办');
  await expect(item).toBeHidden();

  // The unit's queue has it again, reopened (重办) with the citizen's words in its trail.
  await expect.poll(async () => (await unitRow())?.status).toBe('已派单');
  const seen = await hubCall(hubUrl, 'workspace.ticket', { ticketId }, unitToken);
  expect(JSON.stringify(seen.value.trail)).toContain('重办（第 1 次）');
  expect(JSON.stringify(seen.value.trail)).toContain('灯换了两天又不亮了');

  // The rankings while it is reopened: 4 of 5 resolved and satisfied → 100 × (0.1 + 0.45 × 0.8 × 2) = 82, second behind 酒仙桥 (91).
  expect(await rankingOf(browser, hubUrl, admin)).toEqual({ rank: '2', tickets: '5', resolution: '80.0%', satisfaction: '80.0%', firstSatisfaction: '80.0%', reopen: '20.0%', score: '82.0' });

  // The unit closes it again; the callback now hears 已解决 and 满意: 已回访.
  await closeAtUnit('更换灯具及线路，连续三晚回访检查正常');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+h');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await item.click();
  await page.getByTestId('callback-list').focus();
  await expect(page.getByTestId('callback-result')).toContainText('更换灯具及线路');
  await expect(item).toContainText('重办 1 次');
  await page.keyboard.press('1');
  await page.keyboard.press('1');
  await page.keyboard.press('1');
  await page.keyboard.type('现在好了，谢谢');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('callback-notice')).toContainText('回访完成');
  await page.keyboard.press('Escape');

  // The desk's own copy follows through the pull.
  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row).toContainText('已回访', { timeout: 30_000 });

  // 满意 after the 重办: resolved and satisfied 5 of 5 → 100, first; the first callback's 不满意 stays in 初次满意率 and 重办率.
  expect(await rankingOf(browser, hubUrl, admin)).toEqual({ rank: '1', tickets: '5', resolution: '100.0%', satisfaction: '100.0%', firstSatisfaction: '80.0%', reopen: '20.0%', score: '100.0' });
});
