/**
 * The team lead's view, driven in Chromium against the real browser host and a fresh SQLite data
 * directory per test: a shift seeded by the demo generator (through the desk's own services), a lead
 * who signs in with the keyboard, the charts, a drill-down by keyboard to one ticket's trail, CSV
 * and XLSX exports read back (rows and masking), and a call-taker refused with `forbidden`.
 * Every wait is on the app's own signals (data-charts-ready, data-state, the download event).
 */
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFirstLead } from '../../electron/services/lead/lead-credentials';
import { generateDemoShift, type DemoResult } from '../../scripts/demo/demo-shift';
import { freshDataDir, ROOT, startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';
import { deskTicket, embeddedHubAdmin, embeddedHubUrl, hubCall, hubLogin } from '../support/workspace-hub';

let host: HostProcess | null = null;
test.afterEach(async () => {
  await host?.stop();
  host = null;
});

const MASKED = /^(1\d{2}\*{4}\d{4}|0\d{2,3}-\*+\d{4})$/;
const FULL = /^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$/;

async function openDesk(page: Page): Promise<void> {
  await page.goto(host!.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
}

/** The PIN the desk gave 工号 0001 on its first start (electron/services/lead/lead-credentials.ts), as the launcher prints it. */
function firstLeadPin(dataDir: string): string {
  const first = readFirstLead(dataDir);
  expect(first?.operatorId).toBe('0001');
  expect(first?.pin).toMatch(/^\d{6}$/);
  return first!.pin;
}

/** Alt+S, then 工号, 姓名, the role and (班长) the PIN with the keyboard only. */
async function signIn(page: Page, id: string, name: string, role: 'call_taker' | 'team_lead', pin = ''): Promise<void> {
  await page.keyboard.press('Alt+s');
  await expect(page.getByTestId('sign-in-dialog')).toBeVisible();
  await expect(page.locator('#sign-in-id')).toBeFocused();
  await page.keyboard.type(id);
  await page.keyboard.press('Tab');
  await page.keyboard.type(name);
  await page.keyboard.press('Tab'); // the role group, on 话务员
  if (role === 'team_lead') await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId(`sign-in-role-${role}`)).toBeChecked();
  if (role === 'team_lead') {
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('sign-in-secret')).toBeFocused();
    await page.keyboard.type(pin);
  }
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('sign-in-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sign-in-dialog')).toBeHidden();
  await expect(page.getByTestId('operator')).toHaveText(name);
}

async function chartsReady(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="lead-view"][data-state="ready"][data-charts-ready="true"]')).toBeAttached({ timeout: 30_000 });
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

async function xlsxRows(bytes: Buffer, sheet: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  book.getWorksheet(sheet)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

test('a team lead signs in, reviews the shift, drills down to a ticket’s trail and exports CSV and XLSX', async ({ page }) => {
  const dataDir = freshDataDir();
  const demo: DemoResult = await generateDemoShift({ dataDir, resourcesDir: join(ROOT, 'resources'), tickets: 70, historyDays: 2, seed: 20261201, leaveSignedIn: 'none' });
  expect(demo.shiftTickets).toBeGreaterThan(30);
  host = await startHostProcess({ dataDir, removeDataDir: true });
  await openDesk(page);
  await signIn(page, '9001', '孙敏', 'team_lead', demo.lead.pin);

  await page.keyboard.press('Alt+l');
  await chartsReady(page);
  const view = page.getByTestId('lead-view');
  await expect(page.getByTestId('lead-partial')).toContainText('本机数据，仅含本坐席受理的工单');
  // It opens on the demo's shift (the latest shift with tickets here).
  await expect(page.getByTestId('lead-partial')).toContainText(`${demo.shiftDate} 早班 08:00–16:00 · 全部坐席`);
  await expect(page.getByTestId('kpi-taken').locator('.lead-kpi-value')).toHaveText(String(demo.shiftTickets));
  for (const name of ['hourly', 'categories', 'dispositions', 'hotspots', 'trend']) {
    await expect(page.getByTestId(`chart-${name}`).locator('canvas').first()).toBeVisible();
  }
  // Four call-takers took turns on the seat; the table adds up to the figure above.
  const table = page.getByTestId('lead-operators');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tfoot td').nth(3)).toHaveText(String(demo.shiftTickets));
  await page.screenshot({ path: screenshotPath('lead-shift.png') });

  // Keyboard: Alt+2 to the top-10 chart, the first category is chosen, Enter drills down.
  await page.keyboard.press('Alt+2');
  const focus = page.getByTestId('chart-categories-focus');
  await expect(focus).toContainText('第 1 位');
  const [, category, count] = /第 1 位 (\S+) (\d+) 张/.exec((await focus.textContent()) ?? '')!;
  await page.keyboard.press('Enter');
  const drill = page.getByTestId('drilldown');
  await expect(drill).toHaveAttribute('data-state', 'ready');
  await expect(drill.locator('h2')).toContainText(`分类：${category}`);
  await expect(page.getByTestId('drill-total')).toHaveText(`共 ${count} 张`);
  const rows = page.getByTestId('drill-rows').locator('[role="option"]');
  await expect(rows).toHaveCount(Number(count));
  await expect(page.getByTestId('drill-rows')).toBeFocused();
  // ↓ and Enter: that ticket's trail beside the list.
  if (Number(count) > 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('ticket-detail');
  const chosen = rows.nth(Number(count) > 1 ? 1 : 0);
  await expect(detail).toContainText((await chosen.locator('span').first().textContent())!);
  await expect(page.getByTestId('ticket-trail')).toContainText('受理');
  await page.screenshot({ path: screenshotPath('lead-drilldown.png') });

  // The drill-down as CSV: one row per ticket, phones masked, Excel-ready (BOM).
  const csv = await downloaded(page, () => page.getByTestId('export-drill-csv').click());
  expect(csv.name).toMatch(/^工单明细_.+_分类：?.*\.csv$|^工单明细_.+\.csv$/);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csvRows = parse(csv.bytes, { bom: true }) as string[][];
  expect(csvRows[0]!.slice(7, 9)).toEqual(['来电号码', '回访号码']);
  expect(csvRows).toHaveLength(Number(count) + 1);
  for (const row of csvRows.slice(1)) {
    expect(row[7]).toMatch(MASKED);
    expect(row[8]).toMatch(MASKED);
  }
  await expect(page.getByTestId('drill-notice')).toContainText('号码已脱敏');

  // The lead asks for the full numbers: XLSX with them, and the 说明 sheet says so.
  await page.getByTestId('export-full-phones').check();
  const xlsx = await downloaded(page, () => page.getByTestId('export-drill-xlsx').click());
  expect(xlsx.name).toMatch(/\.xlsx$/);
  const sheet = await xlsxRows(xlsx.bytes, '工单明细');
  expect(sheet).toHaveLength(Number(count) + 1);
  expect(sheet.slice(1).every((r) => FULL.test(r[7]!))).toBe(true);
  expect((await xlsxRows(xlsx.bytes, '说明')).flat().join(' ')).toContain('完整号码（孙敏 导出）');

  // Esc closes the trail, then the list.
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(drill).toBeHidden();

  // A figure drills down too: 超期 lists exactly as many tickets as it says.
  const overdue = (await page.getByTestId('kpi-overdue').locator('.lead-kpi-value').textContent())!;
  await page.getByTestId('kpi-overdue').click();
  await expect(drill).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('drill-total')).toHaveText(`共 ${overdue} 张`);
  await page.keyboard.press('Escape');

  // The shift log table as CSV: one row per operator and the total.
  const log = await downloaded(page, () => page.getByTestId('export-table-csv').click());
  expect(log.name).toBe(`班次日志_${demo.shiftDate}_早班.csv`);
  const logRows = parse(log.bytes, { bom: true }) as string[][];
  expect(logRows[0]!.slice(0, 5)).toEqual(['工号', '姓名', '签到时间', '签退时间', '受理量']);
  expect(logRows).toHaveLength(4 + 2);
  expect(logRows.at(-1)!.slice(0, 5)).toEqual(['合计', '4 人', '', '', String(demo.shiftTickets)]);
  const logXlsx = await downloaded(page, () => page.getByTestId('export-table-xlsx').click());
  expect((await xlsxRows(logXlsx.bytes, '班次日志')).at(-1)![4]).toBe(String(demo.shiftTickets));

  // Another scope: the trend covers the days before, the whole day of every shift.
  const before = await view.getAttribute('data-report-at');
  await page.getByTestId('scope-shift').selectOption('');
  await expect(view).not.toHaveAttribute('data-report-at', before!);
  await chartsReady(page);
  await expect(page.getByTestId('lead-partial')).toContainText(`${demo.shiftDate} 全部班次`);

  // The top ten by 二级 category: the chart says so, and its first bar is a 二级 name under a 一级 one.
  const level1 = await view.getAttribute('data-report-at');
  await page.getByTestId('scope-level-2').click();
  await expect(view).not.toHaveAttribute('data-report-at', level1!);
  await chartsReady(page);
  await expect(page.getByTestId('chart-categories')).toContainText('诉求分类前十（二级）');
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('chart-categories-focus')).toContainText('第 1 位');
  await page.keyboard.press('Enter');
  await expect(drill).toHaveAttribute('data-state', 'ready');
  await expect(drill.locator('h2')).toContainText(/分类：\S+—\S+/);
  await page.keyboard.press('Escape');

  // Back to the desk with the same key.
  await page.keyboard.press('Alt+l');
  await expect(page.locator('#f-caller-phone')).toBeVisible();
});

test('a call-taker cannot open the lead view: the main side says forbidden and the screen says why', async ({ page }) => {
  host = await startHostProcess();
  await openDesk(page);
  await signIn(page, '1001', '王丽', 'call_taker');
  await page.keyboard.press('Alt+l');
  const refused = page.getByTestId('lead-forbidden');
  await expect(refused).toBeVisible();
  await expect(refused).toContainText('无权查看班次统计');
  await expect(refused).toContainText('当前坐席“王丽”的角色是话务员');
  await expect(page.getByTestId('lead-view')).toHaveAttribute('data-state', 'forbidden');
  await page.screenshot({ path: screenshotPath('lead-forbidden.png') });

  // Whatever the page shows, the main side refuses the call itself, by name.
  const reply = await page.evaluate(async () => {
    // The page's own session cookie (set by the launch URL) goes with a same-origin call.
    const response = await fetch('/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lead.export', input: { scope: { from: '2026-12-01', to: '2026-12-01', shiftCode: null, operatorIds: [], categoryLevel: 1 }, table: 'tickets', format: 'csv', fullPhones: true } }),
    });
    return { status: response.status, body: await response.json() };
  });
  expect(reply.status).toBe(403);
  expect(reply.body).toMatchObject({ ok: false, error: { kind: 'forbidden' } });

  // Claiming the lead role without its PIN is refused at the main side, with what to do.
  await page.keyboard.press('Alt+l');
  await expect(page.locator('#f-caller-phone')).toBeVisible();
  await page.keyboard.press('Alt+s');
  await page.locator('#sign-in-id').fill('0001');
  await page.locator('#sign-in-name').fill('孙敏');
  await page.getByTestId('sign-in-role-team_lead').check();
  await page.getByTestId('sign-in-secret').fill('000000');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sign-in-error')).toContainText('不正确');
  await expect(page.getByTestId('sign-in-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('operator')).toHaveText('王丽');

  // Signing in as the lead, with the PIN the first start gave 工号 0001, opens the view.
  await signIn(page, '0001', '孙敏', 'team_lead', firstLeadPin(host.dataDir));
  await page.keyboard.press('Alt+l');
  await chartsReady(page);
  await expect(page.getByTestId('kpi-taken').locator('.lead-kpi-value')).toHaveText('0');
  await expect(page.getByTestId('chart-hourly')).toContainText('本范围内没有工单');
});

test('shift definitions are edited in the lead view and refused with the gap named', async ({ page }) => {
  host = await startHostProcess();
  await openDesk(page);
  await signIn(page, '0001', '孙敏', 'team_lead', firstLeadPin(host.dataDir));
  await page.keyboard.press('Alt+l');
  await chartsReady(page);
  await page.getByTestId('open-shift-settings').click();
  const dialog = page.getByTestId('shift-settings');
  await dialog.getByLabel('第 3 个班次的结束时间').fill('23:00');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('shift-settings-error')).toContainText('23:00–24:00 不属于任何班次');
  await dialog.getByLabel('第 3 个班次的结束时间').fill('24:00');
  await dialog.getByLabel('第 2 个班次的名称').fill('白班');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await chartsReady(page);
  await expect(page.getByTestId('scope-shift').locator('option', { hasText: '白班 08:00–16:00' })).toHaveCount(1);
});

test('with the hub beside the desk, a figure drills down to the whole center’s tickets 100 a page and exports them all from the hub', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  host = await startHostProcess({ args: ['--embedded-hub'] });
  await openDesk(page);
  await expect(page.getByTestId('connection')).toHaveText('已连接中心', { timeout: 120_000 });
  const hubUrl = embeddedHubUrl(host);

  // 130 tickets another desk took (pushed with the admin's own account), a number in each one's words.
  const admin = embeddedHubAdmin(host);
  const token = await hubLogin(hubUrl, admin);
  const WJ = { unitCode: 'ST110105026', unitName: '望京街道', street: ['110105026', '望京街道'] as [string, string], village: ['110105026060', '望京园社区'] as [string, string] };
  const others = Array.from({ length: 130 }, (_, i) =>
    ({ ...deskTicket({ minutesAgo: 5 + i, content: `第 ${i + 1} 位市民反映小区整治施工噪音，回电 13912345678`, leafPath: ['城乡建设', '老旧小区综合整治', '整治施工管理'], ...WJ }), leafCode: '0101006' }),
  );
  const pushed = await hubCall(hubUrl, 'tickets.push', { tickets: others.map((t) => ({ ...t, deskId: 'desk-other', operatorId: admin.username })) }, token);
  expect(pushed.ok, JSON.stringify(pushed.error)).toBe(true);

  await signIn(page, '0001', '孙敏', 'team_lead', firstLeadPin(host.dataDir));
  await page.keyboard.press('Alt+l');
  await chartsReady(page);
  await page.getByTestId('quick-week').click();
  await chartsReady(page);
  await expect(page.getByTestId('lead-partial')).toContainText('全中心数据');
  await expect(page.getByTestId('kpi-taken').locator('.lead-kpi-value')).toHaveText('130');

  await page.getByTestId('kpi-taken').click();
  const drill = page.getByTestId('drilldown');
  await expect(drill).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('drill-source')).toHaveAttribute('data-source', 'center');
  await expect(page.getByTestId('drill-total')).toHaveText('共 130 张');
  await expect(page.getByTestId('drill-page')).toContainText('第 1–100 张，共 130 张 · 第 1/2 页');
  const rows = page.getByTestId('drill-rows').locator('[role="option"]');
  await expect(rows).toHaveCount(100);
  // Newest first; the words shown (title) have the number masked.
  await expect(rows.first()).toHaveAttribute('title', /第 1 位.*139\*{4}5678/);
  await page.screenshot({ path: screenshotPath('lead-center-drill.png') });
  // PgDn: the rest; PgUp: back.
  await expect(page.getByTestId('drill-rows')).toBeFocused();
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('drill-page')).toContainText('第 101–130 张，共 130 张 · 第 2/2 页');
  await expect(rows).toHaveCount(30);
  await expect(rows.last()).toHaveAttribute('title', /第 130 位/);
  await page.keyboard.press('PageUp');
  await expect(rows).toHaveCount(100);

  // The export is every ticket, fetched from the hub, numbers masked.
  const csv = await downloaded(page, () => page.getByTestId('export-drill-csv').click());
  const records = parse(csv.bytes.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
  expect(records).toHaveLength(130);
  expect(records.every((r) => MASKED.test(r['来电号码']!) && !r['诉求内容']!.includes('13912345678'))).toBe(true);
  await expect(page.getByTestId('drill-notice')).toContainText('130 行，号码已脱敏');
});
