/**
 * The hub's web workspace in a real Chromium, against the built hub (dist/hub/main.mjs serving
 * dist/web), on PGlite and on the PostgreSQL at HUB_TEST_DATABASE_URL: keyboard only, a sub-center
 * forwards a ticket to a street, the street accepts, replies, looks up the caller's number (logged)
 * and closes it with its result; another street's ticket cannot be opened. Then 申请延期 by the street
 * approved by the center in its 待审 queue, and a 督办 the center raises showing as a banner on the
 * street's queue row and ticket until the street acts.
 */
import { expect, test } from '@playwright/test';
import { screenshotPath } from '../support/screenshots';
import { beijingDate, deskTicket, hubClientAs, jiuxianqiaoNoiseTicket, pageErrorsOf, signInWorkspace, startTestHub, type HubUserSpec } from '../support/workspace-hub';

const PASSWORD = 'workspace-e2e-pass';
const MIN = 60_000;
const SUBCENTER = 'SC110105'; // 朝阳区接诉即办分中心
const WANGJING = 'ST110105026'; // 望京街道
const JIUXIANQIAO = 'ST110105011'; // 酒仙桥街道
const USERS: HubUserSpec[] = [
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', unitCode: null },
  { username: 'chaoyang', password: PASSWORD, name: '朝阳分中心派单员', role: 'unit_operator', unitCode: SUBCENTER },
  { username: 'wangjing', password: PASSWORD, name: '望京街道刘丽', role: 'unit_operator', unitCode: WANGJING },
  { username: 'jiuxianqiao', password: PASSWORD, name: '酒仙桥街道', role: 'unit_operator', unitCode: JIUXIANQIAO },
  { username: 'lead', password: PASSWORD, name: '市中心王班长', role: 'team_lead', unitCode: null },
];

const WJ: [string, string] = ['110105026', '望京街道'];
const WJ_UNIT = { unitCode: WANGJING, unitName: '望京街道', street: WJ };

for (const db of ['pglite', 'postgres'] as const) {
  test(`keyboard only (${db}): a sub-center forwards, the street accepts, replies and closes; another street’s ticket stays closed`, async ({ page }) => {
    test.setTimeout(120_000);
    const hub = await startTestHub(db, USERS);
    const pageErrors = pageErrorsOf(page);
    try {
      expect(hub.output).toContain(`工作台（分中心、承办单位、市中心用中心账号登录）：${hub.url}`);
      const desk = await hubClientAs(hub.url, 'taker', PASSWORD);
      const forwarded = deskTicket({
        minutesAgo: 35,
        content: '望京西园三区12号楼下水道堵塞，污水漫到单元门口，已经三天没人处理，老人出门很不方便',
        unitCode: SUBCENTER,
        unitName: '朝阳区接诉即办分中心',
        disposition: '派分中心',
        street: WJ,
        village: ['110105026051', '望京西园三区社区'],
        leafPath: ['市政管理', '排水设施', '下水道堵塞'],
      });
      const others = [
        deskTicket({ minutesAgo: 40, urgency: '即时', content: '望京园小区整栋楼停水，家里有卧床老人，急需恢复供水', ...WJ_UNIT, village: ['110105026060', '望京园社区'], leafPath: ['公共服务', '供水', '突发停水'] }),
        deskTicket({ minutesAgo: 12, urgency: '即时', content: '望京西路路口井盖缺失，夜里有行人差点踩空', ...WJ_UNIT, village: ['110105026064', '望京西路社区'], leafPath: ['市政管理', '道路设施', '井盖缺失'] }),
        deskTicket({ minutesAgo: 60 * 20, content: '小区门口共享单车乱停放，堵住消防通道', ...WJ_UNIT, village: ['110105026038', '望京西园四区社区'], leafPath: ['交通管理', '停车管理', '非机动车乱停'] }),
        deskTicket({ minutesAgo: 60 * 22, content: '东园五区楼下餐馆油烟直排，熏得没法开窗', ...WJ_UNIT, village: ['110105026062', '望京东园五区社区'], leafPath: ['环境保护', '大气污染', '餐饮油烟'] }),
        deskTicket({ minutesAgo: 90, content: '楼道里堆放大量杂物，物业一直不清理，存在消防隐患', ...WJ_UNIT, village: ['110105026051', '望京西园三区社区'], leafPath: ['物业管理', '公共区域', '楼道堆物'] }),
      ];
      const notOurs = jiuxianqiaoNoiseTicket();
      const pushed = await desk.call('tickets.push', { tickets: [forwarded, ...others, notOurs] });
      expect(pushed.ok).toBe(true);
      const numberOf = new Map(pushed.ok ? pushed.value.results.map((r) => [r.id, r.number]) : []);
      const number = numberOf.get(forwarded.id)!;

      // The sub-center signs in, opens its ticket and forwards it to 望京街道.
      await page.goto(hub.url);
      await signInWorkspace(page, 'chaoyang', PASSWORD);
      await expect(page.getByTestId('who')).toContainText('朝阳区接诉即办分中心');
      const subRows = page.getByTestId('queue').locator('tbody tr');
      await expect(subRows).toHaveCount(1);
      await expect(subRows.first()).toHaveAttribute('data-number', number);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await expect(page.getByTestId('moves')).toContainText('转派');
      await page.keyboard.press('f');
      await expect(page.getByTestId('move-dialog')).toBeVisible();
      await page.keyboard.type('望京街道');
      await expect(page.getByTestId('unit-list').getByRole('option').first()).toHaveText(/^望京街道/);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('notice')).toContainText(`工单 ${number} 已转派`);
      await expect(page.getByTestId('ticket-unit')).toHaveText('望京街道');
      await expect(page.getByTestId('moves')).toContainText('当前没有本账号可做的处理');
      await page.keyboard.press('Alt+q');

      // The street: its queue, the most urgent first, one countdown per open checkpoint.
      await signInWorkspace(page, 'wangjing', PASSWORD);
      const rows = page.getByTestId('queue').locator('tbody tr');
      await expect(rows).toHaveCount(6);
      await expect(rows.first()).toHaveAttribute('data-number', numberOf.get(others[0]!.id)!);
      await expect(rows.first().locator('.due[data-state="overdue"]')).toHaveText(/^派单时限 已超时/);
      await expect(page.getByTestId('queue-count')).toHaveText('第 1–6 张，共 6 张');
      await expect(page.getByTestId('keybar')).toContainText('接单');
      await page.keyboard.press('j');
      await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');

      // Find it by number, open it, accept, reply.
      await page.keyboard.press('/');
      await page.keyboard.type(number);
      await page.keyboard.press('Enter');
      await expect(rows).toHaveCount(1);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(number);
      await expect(page.getByTestId('caller-phone')).toHaveText('139****5678');
      await page.keyboard.press('a');
      await expect(page.getByTestId('move-dialog')).toBeVisible();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('已接单');
      await page.keyboard.press('h');
      await page.keyboard.type('已联系王女士，排水集团今天下午上门疏通，明天回访确认');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('已回复');
      // 联系市民: the full number, and the look is in the trail.
      await page.keyboard.press('c');
      await expect(page.getByTestId('caller-phone')).toHaveText('13912345678');
      await expect(page.getByTestId('ticket-trail').locator('li').last()).toContainText('联系市民');
      if (db === 'pglite') await page.screenshot({ path: screenshotPath('workspace-ticket.png') });

      await page.keyboard.press('b');
      await page.keyboard.type('已疏通下水道并清理单元门口污水，王女士表示满意');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('已办结');
      await expect(page.getByTestId('ticket-trail')).toContainText('办结（已解决）：已疏通下水道并清理单元门口污水');
      const trailKinds = await page.getByTestId('ticket-trail').locator('li b').allTextContents();
      expect(trailKinds).toEqual(['受理', '派单', '派单', '接单', '回复', '联系市民', '办结']);

      // Another street's ticket: the hub refuses to show it, by name.
      await page.keyboard.press('Escape');
      // Closed, it has left the street's 待办 (still searched by its number).
      await expect(page.getByTestId('queue-count')).toHaveText('待办：没有工单');
      await page.goto(`${hub.url}#/t/${notOurs.id}`);
      await expect(page.getByTestId('ticket-error')).toContainText('不能打开这张工单');
      await expect(page.getByTestId('ticket-error')).toContainText(`工单 ${numberOf.get(notOurs.id)} 不属于望京街道`);
      await expect(page.getByTestId('moves')).toHaveCount(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await hub.stop();
    }
  });

  test(`keyboard only (${db}): the street applies for an extension the center approves; the center's 督办 shows on the street's queue until it acts`, async ({ page }) => {
    test.setTimeout(120_000);
    const hub = await startTestHub(db, USERS);
    const pageErrors = pageErrorsOf(page);
    try {
      const desk = await hubClientAs(hub.url, 'taker', PASSWORD);
      const pipe = deskTicket({ minutesAgo: 60 * 26, content: '望京西园三区小区内供暖管道漏水，楼前积水结冰，需更换主管道', ...WJ_UNIT, village: ['110105026051', '望京西园三区社区'], leafPath: ['公共服务', '供热', '管道漏水'] });
      const noise = deskTicket({ minutesAgo: 60 * 50, content: '望京东园五区楼下餐馆深夜营业噪音扰民，多次反映未解决', ...WJ_UNIT, village: ['110105026062', '望京东园五区社区'], leafPath: ['环境保护', '噪声污染', '社会生活噪声'] });
      const pushed = await desk.call('tickets.push', { tickets: [pipe, noise] });
      expect(pushed.ok).toBe(true);
      const results = pushed.ok ? pushed.value.results : [];
      const [pipeNumber, noiseNumber] = [results.find((r) => r.id === pipe.id)!.number, results.find((r) => r.id === noise.id)!.number];
      const closeDue = (pushed.ok ? results.find((r) => r.id === pipe.id)!.deadlines : []).find((d) => d.ruleId.startsWith('close_'))!.dueAt;
      const newDate = beijingDate(Date.parse(closeDue) - 1 + 5 * 24 * 60 * MIN);

      // The street accepts and applies for an extension with its reason and a new date.
      await page.goto(hub.url);
      await signInWorkspace(page, 'wangjing', PASSWORD);
      await page.keyboard.press('/');
      await page.keyboard.type(pipeNumber);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('queue').locator('tbody tr')).toHaveCount(1);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(pipeNumber);
      await page.keyboard.press('a');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('已接单');
      await page.keyboard.press('y');
      await expect(page.getByTestId('move-dialog')).toContainText('申请延期');
      await page.keyboard.type(newDate);
      await page.keyboard.press('Tab');
      await page.keyboard.type('需协调热力公司停热后更换主管道，预计施工五天');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText('已申请延期，等待市中心审核');
      await expect(page.getByTestId('pending-request')).toContainText(`申请办结日期延至 ${newDate}`);
      await page.keyboard.press('Alt+q');

      // The center: the request waits in its 待审 queue; it approves, and the 办结 checkpoint moves.
      await signInWorkspace(page, 'lead', PASSWORD);
      await page.keyboard.press('3');
      const review = page.getByTestId('queue').locator('tbody tr');
      await expect(review).toHaveCount(1);
      await expect(review.first()).toHaveAttribute('data-number', pipeNumber);
      await expect(review.first()).toContainText(`申请延期至 ${newDate}`);
      if (db === 'pglite') await page.screenshot({ path: screenshotPath('workspace-review-queue.png') });
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('pending-request')).toContainText('需协调热力公司停热后更换主管道');
      await page.keyboard.press('p');
      await expect(page.getByTestId('move-dialog')).toContainText('需协调热力公司停热后更换主管道');
      await page.keyboard.press('Tab');
      await page.keyboard.type('同意延期，请按新时限办结并及时回复市民');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('notice')).toContainText('已批准申请');
      await expect(page.getByTestId('ticket-trail')).toContainText(`批准延期至 ${newDate}：同意延期`);
      await expect(page.getByTestId('pending-request')).toHaveCount(0);
      const lead = await hubClientAs(hub.url, 'lead', PASSWORD);
      const moved = await lead.call('workspace.ticket', { ticketId: pipe.id });
      expect(moved.ok && moved.value.deadlines.find((d) => d.ruleId.startsWith('close_'))!.dueAt).toBe(new Date(`${newDate}T16:00:00.000Z`).toISOString());

      // The center raises 挂牌督办 on the other ticket.
      await page.keyboard.press('Escape');
      await page.keyboard.press('1');
      await page.keyboard.press('/');
      await page.keyboard.type(noiseNumber);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('queue').locator('tbody tr')).toHaveCount(1);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-number')).toHaveText(noiseNumber);
      await page.keyboard.press('s');
      await expect(page.getByTestId('supervise-level')).toBeFocused();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('supervise-level')).toHaveValue('listed');
      await page.keyboard.press('Tab');
      await page.keyboard.type('市民两天内三次来电，请街道主要负责人牵头，今日内联系市民并反馈');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('supervision-banner')).toContainText('挂牌督办');
      await page.keyboard.press('Alt+q');

      // The street sees the banner on its queue row and on the ticket, until it acts.
      await signInWorkspace(page, 'wangjing', PASSWORD);
      const row = page.getByTestId('queue').locator(`tbody tr[data-number="${noiseNumber}"]`);
      await expect(row.getByTestId('row-supervision')).toHaveText('挂牌督办');
      await expect(row).toContainText('今日内联系市民并反馈');
      await page.keyboard.press('/');
      await page.keyboard.type(noiseNumber);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('queue').locator('tbody tr')).toHaveCount(1);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('supervision-banner')).toContainText('市民两天内三次来电');
      await page.keyboard.press('a');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('ticket-status')).toHaveText('已接单');
      await expect(page.getByTestId('supervision-banner')).toHaveCount(0);
      await expect(page.getByTestId('ticket-trail')).toContainText('【挂牌督办】望京街道：市民两天内三次来电');
      expect(pageErrors).toEqual([]);
    } finally {
      await hub.stop();
    }
  });
}
