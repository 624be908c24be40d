/**
 * 考核排名 in the hub's web workspace (web/src/Rankings.tsx), in a real Chromium against the built
 * hub on PGlite: tickets of two streets moved through the hub's API (accepted, closed, called back),
 * then the city center's team lead opens the rankings page, sorts the table, drills down to the
 * tickets behind a figure, and the page is captured for docs/screenshots/workspace-rankings.png; the
 * split by 受理渠道; the XLSX export (built by the hub, read back here); the A4 weekly report in print
 * media, captured for docs/screenshots/rankings-print.png.
 */
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { createHubClient, type HubClient } from '../../shared/api/hub-client';
import { screenshotPath } from '../support/screenshots';
import { deskTicket, signInWorkspace, startTestHub, type TestHub } from '../support/workspace-hub';

const PASSWORD = 'rankings-e2e-pass';
const USERS = [
  { username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker' as const, unitCode: null },
  { username: 'wangjing', password: PASSWORD, name: '望京街道刘丽', role: 'unit_operator' as const, unitCode: 'ST110105026' },
  { username: 'jiuxianqiao', password: PASSWORD, name: '酒仙桥街道张伟', role: 'unit_operator' as const, unitCode: 'ST110105011' },
  { username: 'lead', password: PASSWORD, name: '市中心王班长', role: 'team_lead' as const, unitCode: null },
];
const WJ = { unitCode: 'ST110105026', unitName: '望京街道', street: ['110105026', '望京街道'] as [string, string], village: ['110105026060', '望京园社区'] as [string, string] };
const JXQ = { unitCode: 'ST110105011', unitName: '酒仙桥街道', street: ['110105011', '酒仙桥街道'] as [string, string], village: ['110105011046', '大山子社区'] as [string, string] };
/** What the callers said, with the leaf of resources/catalogue/catalogue.csv it was filed under. */
const TOPICS: Array<[string, string[], string]> = [
  ['小区门口共享单车乱停放，堵住消防通道', ['公共交通', '共享单车', '共享单车乱停放'], '2311001'],
  ['楼下餐馆油烟直排，熏得没法开窗', ['环境保护', '餐饮油烟', '餐馆油烟直排'], '0702001'],
  ['楼道里堆放大量杂物，物业一直不清理', ['物业管理', '共用部位管理', '楼道堆物'], '0206001'],
  ['夜间施工噪音扰民，十一点还在作业', ['施工管理', '施工噪声', '夜间施工扰民'], '0801001'],
];

async function as(hub: TestHub, username: string): Promise<HubClient> {
  const client = createHubClient({ url: hub.url, timeoutMs: 60_000 });
  expect((await client.login(username, PASSWORD)).ok).toBe(true);
  return client;
}

test('the city center ranks the streets, sorts the table and drills down to the tickets behind a rate', async ({ page }) => {
  test.setTimeout(240_000);
  const hub = await startTestHub('pglite', USERS);
  try {
    const [taker, wangjing, jiuxianqiao] = [await as(hub, 'taker'), await as(hub, 'wangjing'), await as(hub, 'jiuxianqiao')];
    // 望京: 8 tickets, all accepted at once, closed and called back 满意. 酒仙桥: 6, two left unaccepted, one 不满意.
    const tickets = [
      // Two of 望京's came by 微信 (typed up at the desk).
      ...Array.from({ length: 8 }, (_, i) => ({
        ...deskTicket({ minutesAgo: 100 - i * 10, content: TOPICS[i % 4]![0], leafPath: TOPICS[i % 4]![1], ...WJ }),
        leafCode: TOPICS[i % 4]![2],
        ...(i < 2 ? { channel: '微信' as const } : {}),
      })),
      ...Array.from({ length: 6 }, (_, i) => ({ ...deskTicket({ minutesAgo: 95 - i * 10, content: TOPICS[(i + 1) % 4]![0], leafPath: TOPICS[(i + 1) % 4]![1], ...JXQ }), leafCode: TOPICS[(i + 1) % 4]![2] })),
    ];
    expect((await taker.call('tickets.push', { tickets })).ok).toBe(true);
    const walk = async (operator: HubClient, id: string, satisfaction: '满意' | '基本满意' | '不满意') => {
      expect((await operator.call('ticket.accept', { ticketId: id })).ok).toBe(true);
      expect((await operator.call('ticket.close', { ticketId: id, resolved: true, note: '已现场处理完毕' })).ok).toBe(true);
      const words = satisfaction === '不满意' ? '问题没有解决，还是老样子' : '处理得很及时';
      expect((await taker.call('ticket.callback', { ticketId: id, outcome: '联系上', resolved: satisfaction !== '不满意', satisfaction, words })).ok).toBe(true);
    };
    for (const t of tickets.slice(0, 8)) await walk(wangjing, t.id, '满意');
    for (const [i, t] of tickets.slice(8, 12).entries()) await walk(jiuxianqiao, t.id, i === 0 ? '不满意' : '基本满意');

    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(hub.url);
    await signInWorkspace(page, 'lead', PASSWORD);
    await page.getByTestId('nav-rankings').click();
    const table = page.getByTestId('rank-table');
    await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 30_000 });
    // Ranked by 综合得分: 望京 (everything met) first.
    await expect(table.locator('tbody tr').first()).toContainText('望京街道');
    await expect(table.locator('tbody tr').nth(1)).toContainText('酒仙桥街道');
    // 响应率 sorts highest first, a second click lowest first: 酒仙桥 (4 of 6) then leads.
    await table.getByRole('columnheader', { name: /响应率/ }).click();
    await expect(table.locator('tbody tr').first()).toContainText('望京街道');
    await table.getByRole('columnheader', { name: /响应率/ }).click();
    await expect(table.locator('tbody tr').first()).toContainText('酒仙桥街道');
    await expect(table.locator('tbody tr').first().locator('td').nth(3)).toHaveText('66.7%');
    await expect(page.getByTestId('rank-trend').locator('canvas')).toHaveCount(1);
    // Drill down: 酒仙桥's 响应率 → the two tickets it never accepted.
    await table.locator('tbody tr', { hasText: '酒仙桥街道' }).locator('td').nth(3).getByRole('button').click();
    const drill = page.getByTestId('rank-drill');
    await expect(drill).toContainText(/酒仙桥街道.* · 未按时响应（2 张）/);
    await expect(drill.locator('tbody tr')).toHaveCount(2);
    await expect(page.getByTestId('rank-channels')).toHaveText('受理渠道：电话 12 张（85.7%） · 微信 2 张（14.3%）');
    await page.getByTestId('rank-trend').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('workspace-rankings.png') });

    // XLSX: the hub builds it; what the browser saves reads back with the table's figures.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rank-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^考核排名_全市_按承办单位_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('排名')!;
    const names = [2, 3].map((n) => (sheet.getRow(n).values as unknown[])[3]);
    expect(names).toEqual(['望京街道', '酒仙桥街道']);
    expect((sheet.getRow(3).values as unknown[])[5]).toBeCloseTo(4 / 6, 9); // 酒仙桥's 响应率, as a number
    expect((book.getWorksheet('受理渠道')!.getRow(3).values as unknown[]).slice(1)).toEqual(['微信', 2, 2 / 14]);

    // The A4 weekly report (本周 so far), as it prints.
    await page.getByRole('button', { name: '本周' }).click();
    await page.getByTestId('rank-weekly').click();
    const report = page.getByTestId('weekly-report');
    await expect(report).toContainText('诉求分类前十');
    await expect(report).toContainText('热点社区（村）前十');
    await expect(report.getByRole('row', { name: /望京园社区/ })).toContainText('8');
    await expect(report).toContainText('超期未办结工单');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // An A4 page is 794 CSS px wide at 96 dpi: the capture shows the report as the sheet lays it out.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: screenshotPath('rankings-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  } finally {
    await hub.stop();
  }
});
