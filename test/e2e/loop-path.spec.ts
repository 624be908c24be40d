/**
 * The closed loop after dispatch, end to end in a real Chromium, on PGlite and on the PostgreSQL at
 * HUB_TEST_DATABASE_URL: a desk (the browser host, dist/host/main.mjs) syncing with a separately
 * started hub (HOTLINE_HUB_URL / _USER / _PASSWORD, electron/services/embedded-hub.ts) and that
 * hub's web workspace in a second page, keyboard only.
 *
 * 1. The call-taker takes a call and sends it 派分中心 (F9) to 朝阳区接诉即办分中心.
 * 2. The sub-center forwards it to 望京街道 (主办) with 北京市住房和城乡建设委员会 (协办).
 * 3. The street accepts, replies, applies for an extension the center (市中心班长) approves in its
 *    待审 queue; the department posts its 协办回复; the street closes it with its result.
 * 4. The desk's ticket detail shows every step with its time, after its own pull.
 * 5. The street returns another ticket; it waits in the center's 待派 queue; the center re-dispatches it
 *    and the street has it again, 6. with the 督办 the center raised as a banner on its row and page.
 * 7. Another street's ticket: its page is refused by name, and a move on it is refused; nothing changes.
 * Saves (PGlite run) workspace-queue.png, workspace-supervision.png, workspace-pending.png and
 * desk-loop-trail.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';
import { beijingDate, deskTicket, hubClientAs, jiuxianqiaoNoiseTicket, signInWorkspace, signOutWorkspace, startTestHub, type HubUserSpec, type TestHub } from '../support/workspace-hub';

const PASSWORD = 'loop-path-e2e-pass';
const SUBCENTER = 'SC110105'; // 朝阳区接诉即办分中心
const WANGJING = 'ST110105026'; // 望京街道
const JIUXIANQIAO = 'ST110105011'; // 酒仙桥街道
const HOUSING = 'D01'; // 北京市住房和城乡建设委员会
const USERS: HubUserSpec[] = [
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', unitCode: null },
  { username: 'chaoyang', password: PASSWORD, name: '朝阳分中心派单员', role: 'unit_operator', unitCode: SUBCENTER },
  { username: 'wangjing', password: PASSWORD, name: '望京街道刘丽', role: 'unit_operator', unitCode: WANGJING },
  { username: 'jiuxianqiao', password: PASSWORD, name: '酒仙桥街道', role: 'unit_operator', unitCode: JIUXIANQIAO },
  { username: 'zhujianwei', password: PASSWORD, name: '市住建委赵敏', role: 'unit_operator', unitCode: HOUSING },
  { username: 'lead', password: PASSWORD, name: '市中心王班长', role: 'team_lead', unitCode: null },
];
const DAY = 24 * 3_600_000;
const WJ: [string, string] = ['110105026', '望京街道'];
const WJ_UNIT = { unitCode: WANGJING, unitName: '望京街道', street: WJ };
/** A trail line's time on the desk: "2026/12/3 16:50:12" (renderer/src/format.ts formatDateTime). */
const DESK_TIME = /^\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}:\d{2}$/;

/** A call taken at the desk with the keyboard, sent with `key` (F8 the suggestion, F9 the sub-center); its id and official number. */
async function takeCall(
  desk: Page,
  call: { phone: string; name: string; address: string; content: string; leaf: string },
  key: 'F8' | 'F9',
  headline: RegExp,
): Promise<{ id: string; number: string }> {
  await desk.keyboard.press('F2');
  await expect(desk.locator('#f-caller-phone')).toBeFocused();
  await desk.keyboard.type(call.phone);
  await desk.keyboard.press('Tab');
  await desk.keyboard.type(call.name);
  await desk.keyboard.press('Tab');
  await desk.keyboard.press('Tab');
  await desk.keyboard.press('3'); // 投诉
  await desk.keyboard.press('Tab');
  await desk.keyboard.type(call.address);
  await expect(desk.getByTestId('address-reading')).toContainText('已识别');
  await desk.keyboard.press('Enter');
  await expect(desk.locator('#f-content')).toBeFocused();
  await desk.keyboard.type(call.content);
  await desk.keyboard.press('F3');
  await desk.keyboard.type(call.leaf);
  await expect(desk.getByTestId('catalogue-hits').getByRole('option').first()).toBeVisible();
  await desk.keyboard.press('Enter');
  await expect(desk.getByTestId('leaf-card')).toBeVisible();
  if (key === 'F9') await expect(desk.getByTestId('dispatch-suggestion')).toContainText('F9 改派朝阳区接诉即办分中心');
  await desk.keyboard.press(key);
  await expect(desk.getByTestId('submitted-headline')).toHaveText(headline);
  // Pushed at once: the hub's official number replaces the provisional one. Read from the banner of
  // the ticket just submitted: the list's first row may still be the previous ticket for a moment.
  const banner = desk.getByTestId('submitted-ticket');
  await expect(banner).toHaveAttribute('data-official', 'true', { timeout: 60_000 });
  const number = (await banner.getByTestId('submitted-number').innerText()).trim();
  expect(number).toMatch(/^\d{14}$/);
  const row = desk.getByTestId('my-tickets').locator('li').filter({ has: desk.locator('.number', { hasText: number }) });
  await expect(row).toHaveCount(1);
  return { id: (await row.getAttribute('data-ticket-id'))!, number };
}

/** From the queue: `/`, the number, Enter; then Enter opens the one row found. */
async function openByNumber(ws: Page, number: string): Promise<void> {
  await ws.keyboard.press('/');
  await ws.keyboard.press('Control+a');
  await ws.keyboard.type(number);
  await ws.keyboard.press('Enter');
  const rows = ws.getByTestId('queue').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-number', number);
  await ws.keyboard.press('Enter');
  await expect(ws.getByTestId('ticket-number')).toHaveText(number);
}

for (const db of ['pglite', 'postgres'] as const) {
  test(`the loop (${db}): desk → sub-center → street (主办) + department (协办) → accept, reply, extension, 协办回复, close on the desk's trail; return → 待派 → re-dispatch with 督办; another street's ticket refused`, async ({
    page: desk,
    context,
  }) => {
    // The hub and the desk start in seconds on an idle machine, in most of a minute on a busy one.
    test.setTimeout(360_000);
    let hub: TestHub | null = null;
    let host: HostProcess | null = null;
    const pageErrors: string[] = [];
    try {
      hub = await startTestHub(db, USERS);
      host = await startHostProcess({ env: { HOTLINE_HUB_URL: hub.url, HOTLINE_HUB_USER: 'taker', HOTLINE_HUB_PASSWORD: PASSWORD } });
      const hubUrl = hub.url;

      // Tickets other desks took: more of 望京街道's own, one of 酒仙桥街道, one flagged 不合理 at intake.
      const api = await hubClientAs(hubUrl, 'taker', PASSWORD);
      const others = [
        deskTicket({ minutesAgo: 40, urgency: '即时', content: '望京园小区整栋楼停水，家里有卧床老人，急需恢复供水', ...WJ_UNIT, village: ['110105026060', '望京园社区'], leafPath: ['公共服务', '供水', '突发停水'] }),
        deskTicket({ minutesAgo: 60 * 20, content: '小区门口共享单车乱停放，堵住消防通道', ...WJ_UNIT, village: ['110105026038', '望京西园四区社区'], leafPath: ['交通管理', '停车管理', '非机动车乱停'] }),
        deskTicket({ minutesAgo: 60 * 30, content: '东园五区楼下餐馆油烟直排，熏得没法开窗', ...WJ_UNIT, village: ['110105026062', '望京东园五区社区'], leafPath: ['环境保护', '大气污染', '餐饮油烟'] }),
        deskTicket({ minutesAgo: 90, content: '楼道里堆放大量杂物，物业一直不清理，存在消防隐患', ...WJ_UNIT, village: ['110105026051', '望京西园三区社区'], leafPath: ['物业管理', '公共区域', '楼道堆物'] }),
      ];
      const notOurs = jiuxianqiaoNoiseTicket();
      const flagged = deskTicket({
        minutesAgo: 15,
        content: '要求政府出钱给自家装修房子，说楼下邻居装修影响了他家墙面',
        unitCode: null,
        unitName: null,
        disposition: '不合理诉求',
        street: WJ,
        village: ['110105026051', '望京西园三区社区'],
        leafPath: ['城乡建设', '房屋管理', '房屋装修'],
        unreasonableReason: '要求政府出资装修私宅，超出职责范围',
      });
      const pushed = await api.call('tickets.push', { tickets: [...others, notOurs, flagged] });
      expect(pushed.ok, JSON.stringify(!pushed.ok && pushed.error)).toBe(true);
      const notOursNumber = pushed.ok ? pushed.value.results.find((r) => r.id === notOurs.id)!.number : '';

      // 1. The desk: a call sent 派分中心 (F9), and another sent 直派 to 望京街道 (F8).
      desk.on('pageerror', (e) => pageErrors.push(`desk: ${e.message}`));
      await desk.goto(host.url);
      await expect(desk.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 60_000 });
      await expect(desk.getByTestId('connection')).toHaveText('已连接中心', { timeout: 120_000 });
      const main = await takeCall(
        desk,
        { phone: '010-64321234', name: '李女士', address: '朝阳区望京街道望京西园三区5号楼', content: '单元门口的楼道灯不亮了，物业和居委会互相推，一直没人修', leaf: '楼道照明' },
        'F9',
        /^已提交（派分中心 朝阳区接诉即办分中心）$/,
      );
      const second = await takeCall(
        desk,
        { phone: '13912345678', name: '周女士', address: '朝阳区望京街道花家地北里3号楼', content: '楼道里的声控灯坏了一个多星期，晚上上下楼看不见台阶', leaf: '楼道照明' },
        'F8',
        /^已提交（直派 望京街道）$/,
      );

      // 2. The sub-center forwards it: 主办 望京街道, 协办 北京市住房和城乡建设委员会.
      const ws = await context.newPage();
      ws.on('pageerror', (e) => pageErrors.push(`workspace: ${e.message}`));
      await ws.goto(hubUrl);
      await signInWorkspace(ws, 'chaoyang', PASSWORD);
      await expect(ws.getByTestId('who')).toContainText('朝阳区接诉即办分中心');
      const subRows = ws.getByTestId('queue').locator('tbody tr');
      await expect(subRows).toHaveCount(1);
      await expect(subRows.first()).toHaveAttribute('data-number', main.number);
      await ws.keyboard.press('Enter');
      await expect(ws.getByTestId('ticket-number')).toHaveText(main.number);
      await ws.keyboard.press('f');
      await expect(ws.getByTestId('move-dialog')).toBeVisible();
      await ws.keyboard.type('望京街道');
      await expect(ws.getByTestId('picked-main')).toContainText('主办：望京街道');
      await ws.keyboard.press('Tab');
      await expect(ws.getByTestId('assist-filter')).toBeFocused();
      await ws.keyboard.type('住房和城乡建设');
      await expect(ws.getByTestId('assist-list').getByRole('option').first()).toHaveText(/^北京市住房和城乡建设委员会/);
      await ws.keyboard.press('Enter');
      await expect(ws.getByTestId('picked-main')).toHaveText('主办：望京街道 · 协办：北京市住房和城乡建设委员会');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('notice')).toContainText(`工单 ${main.number} 已转派`);
      await expect(ws.getByTestId('ticket-unit')).toHaveText('望京街道');
      await expect(ws.getByTestId('ticket-trail')).toContainText('转派：主办 望京街道，协办 北京市住房和城乡建设委员会');
      await signOutWorkspace(ws);

      // 3. The street accepts, replies and applies for an extension.
      await signInWorkspace(ws, 'wangjing', PASSWORD);
      await openByNumber(ws, main.number);
      await ws.keyboard.press('a');
      await expect(ws.getByTestId('move-dialog')).toBeVisible();
      await ws.keyboard.press('Enter');
      await expect(ws.getByTestId('ticket-status')).toHaveText('已接单');
      await ws.keyboard.press('h');
      await ws.keyboard.type('已联系李女士，街道城管科今天下午会同物业现场查看配电箱');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('ticket-status')).toHaveText('已回复');
      const lead = await hubClientAs(hubUrl, 'lead', PASSWORD);
      const before = await lead.call('workspace.ticket', { ticketId: main.id });
      const closeDue = (before.ok ? before.value.deadlines : []).find((d) => d.ruleId.startsWith('close_') && !d.doneAt)!.dueAt;
      const newDate = beijingDate(Date.parse(closeDue) - 1 + 5 * DAY);
      await ws.keyboard.press('y');
      await expect(ws.getByTestId('move-dialog')).toContainText('申请延期');
      await ws.keyboard.type(newDate);
      await ws.keyboard.press('Tab');
      await ws.keyboard.type('楼道线路老化需整体更换，须物业报维修资金，预计五天');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('notice')).toContainText('已申请延期，等待市中心审核');
      await signOutWorkspace(ws);

      // The center approves it in its 待审 queue.
      await signInWorkspace(ws, 'lead', PASSWORD);
      await ws.keyboard.press('3');
      const review = ws.getByTestId('queue').locator(`tbody tr[data-number="${main.number}"]`);
      await expect(review).toContainText(`申请延期至 ${newDate}`);
      await review.click();
      await ws.keyboard.press('Enter');
      await expect(ws.getByTestId('ticket-number')).toHaveText(main.number);
      await ws.keyboard.press('p');
      await expect(ws.getByTestId('move-dialog')).toContainText('楼道线路老化需整体更换');
      await ws.keyboard.press('Tab');
      await ws.keyboard.type('同意延期，请按新时限办结并及时回复市民');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('notice')).toContainText('已批准申请');
      await expect(ws.getByTestId('ticket-trail')).toContainText(`批准延期至 ${newDate}`);
      await signOutWorkspace(ws);

      // The 协办 department answers once.
      await signInWorkspace(ws, 'zhujianwei', PASSWORD);
      const assistRow = ws.getByTestId('queue').locator(`tbody tr[data-number="${main.number}"]`);
      await expect(assistRow.getByTestId('row-assist')).toHaveText('协办·待回复');
      await openByNumber(ws, main.number);
      await ws.keyboard.press('x');
      await expect(ws.getByTestId('move-dialog')).toContainText('协办单位');
      await ws.keyboard.type('已督促物业企业履行维修义务，维修资金申请按急修流程三日内办结');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('notice')).toContainText(`工单 ${main.number} 已协办回复`);
      await signOutWorkspace(ws);

      // The street closes it with its result.
      await signInWorkspace(ws, 'wangjing', PASSWORD);
      await openByNumber(ws, main.number);
      await expect(ws.getByTestId('ticket-assists').locator(`li[data-unit="${HOUSING}"]`)).toContainText('已督促物业企业履行维修义务');
      await ws.keyboard.press('b');
      await ws.keyboard.type('已更换楼道线路和灯具，单元门口照明恢复，李女士表示满意');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('ticket-status')).toHaveText('已办结');
      await expect(ws.getByTestId('ticket-trail')).toContainText('办结（已解决）：已更换楼道线路和灯具');

      // 4. The desk, after its pull: every step in the ticket's trail, each with its time.
      await desk.bringToFront();
      const mainRow = desk.locator(`[data-testid="my-tickets"] li[data-ticket-id="${main.id}"]`);
      await expect(mainRow).toContainText('已办结', { timeout: 60_000 });
      await mainRow.click();
      const trail = desk.getByTestId('ticket-trail');
      await expect(trail.locator('li strong')).toHaveText(['受理', '派单', '派单', '接单', '回复', '延期申请', '延期审核', '协办回复', '办结'], { timeout: 60_000 });
      for (const time of await trail.locator('li > span.mono').allTextContents()) expect(time).toMatch(DESK_TIME);
      await expect(trail.locator('li').nth(2)).toContainText('转派：主办 望京街道，协办 北京市住房和城乡建设委员会');
      await expect(trail.locator('li').nth(6)).toContainText(newDate);
      await expect(trail.locator('li').nth(7)).toContainText('北京市住房和城乡建设委员会');
      await expect(trail.locator('li').nth(8)).toContainText('已更换楼道线路和灯具');
      if (db === 'pglite') await desk.screenshot({ path: screenshotPath('desk-loop-trail.png') });
      await desk.keyboard.press('Escape');

      // 5. The street returns the other ticket: it goes back to the center (it came 直派).
      await ws.bringToFront();
      await ws.keyboard.press('Escape');
      await openByNumber(ws, second.number);
      await ws.keyboard.press('t');
      await expect(ws.getByTestId('return-reason')).toBeFocused();
      await ws.keyboard.press('Tab');
      await ws.keyboard.type('花家地北里3号楼属物业管理区域，楼道照明应由物业公司维修');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('notice')).toContainText(`工单 ${second.number} 已退单`);
      await signOutWorkspace(ws);

      // The center's 待派 queue holds it (and the desk's 不合理 flag); it re-dispatches and raises 督办.
      await signInWorkspace(ws, 'lead', PASSWORD);
      await ws.keyboard.press('2');
      const pending = ws.getByTestId('queue').locator('tbody tr');
      const returned = pending.and(ws.locator(`[data-number="${second.number}"]`));
      await expect(returned).toContainText('退 1');
      await expect(returned).toContainText('已退单');
      await expect(pending).toHaveCount(2);
      await expect(ws.getByTestId('row-intake-flag')).toHaveText('坐席标注疑似不合理诉求');
      if (db === 'pglite') await ws.screenshot({ path: screenshotPath('workspace-pending.png') });
      await returned.click();
      await ws.keyboard.press('Enter');
      await expect(ws.getByTestId('ticket-number')).toHaveText(second.number);
      await ws.keyboard.press('d');
      await expect(ws.getByTestId('move-dialog')).toBeVisible();
      await ws.keyboard.type('望京街道');
      await expect(ws.getByTestId('unit-list').getByRole('option').first()).toHaveText(/^望京街道/);
      await ws.keyboard.press('Enter');
      await expect(ws.getByTestId('notice')).toContainText(`工单 ${second.number} 已重新派单`);
      await expect(ws.getByTestId('ticket-status')).toHaveText('已派单');
      await expect(ws.getByTestId('ticket-unit')).toHaveText('望京街道');
      // 6. 督办.
      await ws.keyboard.press('s');
      await expect(ws.getByTestId('supervise-level')).toBeFocused();
      await ws.keyboard.press('ArrowDown');
      await ws.keyboard.press('ArrowDown');
      await expect(ws.getByTestId('supervise-level')).toHaveValue('supervise');
      await ws.keyboard.press('Tab');
      await ws.keyboard.type('已退单一次，属地街道应先行处置，请今日内联系周女士并反馈');
      await ws.keyboard.press('Control+Enter');
      await expect(ws.getByTestId('supervision-banner')).toContainText('督办');
      await signOutWorkspace(ws);

      // The street has it again, with the banner on its row and on its page.
      await signInWorkspace(ws, 'wangjing', PASSWORD);
      const again = ws.getByTestId('queue').locator(`tbody tr[data-number="${second.number}"]`);
      await expect(again).toContainText('已派单');
      await expect(again.getByTestId('row-supervision')).toHaveText('督办');
      await expect(again).toContainText('请今日内联系周女士并反馈');
      await expect(again.locator('.c-due')).toContainText(/首次联系 剩余 \d+ 天/);
      if (db === 'pglite') await ws.screenshot({ path: screenshotPath('workspace-queue.png') });
      await openByNumber(ws, second.number);
      await expect(ws.getByTestId('supervision-banner')).toContainText('请今日内联系周女士并反馈');
      const secondTrail = ws.getByTestId('ticket-trail');
      await expect(secondTrail).toContainText('退单');
      await expect(secondTrail).toContainText('楼道照明应由物业公司维修');
      await expect(secondTrail).toContainText('【督办】望京街道');
      if (db === 'pglite') await ws.screenshot({ path: screenshotPath('workspace-supervision.png') });

      // The desk sees the return and the 督办 through its pull.
      const secondRow = desk.locator(`[data-testid="my-tickets"] li[data-ticket-id="${second.id}"]`);
      await expect(secondRow.getByTestId('ticket-flag')).toHaveAttribute('data-kind', '督办', { timeout: 60_000 });

      // 7. 酒仙桥街道's ticket: its page is refused by name, and so is a move on it; nothing changes.
      const untouched = await lead.call('workspace.ticket', { ticketId: notOurs.id });
      expect(untouched.ok).toBe(true);
      await ws.keyboard.press('Escape');
      await ws.goto(`${hubUrl}#/t/${notOurs.id}`);
      await expect(ws.getByTestId('ticket-error')).toContainText('不能打开这张工单');
      await expect(ws.getByTestId('ticket-error')).toContainText(`工单 ${notOursNumber} 不属于望京街道`);
      await expect(ws.getByTestId('moves')).toHaveCount(0);
      const refused = await ws.evaluate(async (ticketId) => {
        const csrf = document.cookie.split(';').map((c) => c.trim().split('=')).find(([name]) => name === 'hotline_csrf')?.[1] ?? '';
        const response = await fetch('/v1/ticket.accept', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ ticketId }),
        });
        return (await response.json()) as { ok: boolean; error?: { kind: string; message: string } };
      }, notOurs.id);
      expect(refused.ok).toBe(false);
      expect(refused.error?.kind).toBe('forbidden');
      expect(refused.error?.message).toContain(`工单 ${notOursNumber} 不属于望京街道`);
      expect(refused.error?.message).toContain('不能接单');
      const after = await lead.call('workspace.ticket', { ticketId: notOurs.id });
      expect(after.ok && after.value.status).toBe('已派单');
      expect(after.ok && after.value.version).toBe(untouched.ok && untouched.value.version);
      expect(after.ok && after.value.trail.length).toBe(untouched.ok && untouched.value.trail.length);
      expect(pageErrors).toEqual([]);
    } finally {
      await host?.stop();
      await hub?.stop();
    }
  });
}
