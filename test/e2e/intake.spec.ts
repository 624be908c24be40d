/**
 * The call-taker's screen, driven the way a call-taker drives it: keyboard only, in Chromium against
 * the real browser host and a fresh SQLite data directory per test. Each flow counts the keys pressed
 * beyond the text typed (what a shortcut saves is what a call-taker feels) and prints the count.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';

let host: HostProcess;

test.beforeEach(async () => {
  host = await startHostProcess();
});
test.afterEach(async () => {
  await host?.stop();
});

/** Keyboard driver that counts every key press that is not part of typed text. */
class Keys {
  presses = 0;
  constructor(private readonly page: Page) {}
  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      this.presses++;
      await this.page.keyboard.press(key);
    }
  }
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }
}

async function openDesk(page: Page): Promise<Keys> {
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
  return new Keys(page);
}

interface Call {
  phone: string;
  name: string;
  /** 1 咨询 2 求助 3 投诉 4 举报 5 建议 6 表扬 */
  typeKey: string;
  address?: string;
  content: string;
  /** Picks the leaf by typing this into the classification search (F3) and taking the first hit. */
  leafQuery?: string;
  /** 受理渠道 other than 电话 (a letter or message typed up): chosen by keyboard in the select beside the call clock. */
  channel?: '网络' | '微信' | '微博' | 'APP';
}

/** New call (F2) and the ticket recorded field by field with Tab, as the caller talks. */
async function record(page: Page, keys: Keys, call: Call): Promise<void> {
  await keys.press('F2');
  await expect(page.locator('#f-caller-phone')).toBeFocused();
  if (call.channel) {
    await expect(page.getByTestId('channel')).toHaveValue('电话');
    await keys.press('Shift+Tab');
    await expect(page.getByTestId('channel')).toBeFocused();
    const steps = ['网络', '微信', '微博', 'APP'].indexOf(call.channel) + 1;
    await keys.press('ArrowDown', steps);
    await expect(page.getByTestId('channel')).toHaveValue(call.channel);
    await keys.press('Tab');
    await expect(page.locator('#f-caller-phone')).toBeFocused();
  }
  await keys.type(call.phone);
  await keys.press('Tab');
  await keys.type(call.name);
  await keys.press('Tab'); // callback number: already the caller's
  await keys.press('Tab');
  await keys.press(call.typeKey);
  await keys.press('Tab');
  if (call.address) {
    await keys.type(call.address);
    await expect(page.getByTestId('address-reading')).toContainText('已识别');
    await keys.press('Enter'); // takes the reading and moves on to the content
  } else {
    await keys.press('Tab');
  }
  await expect(page.locator('#f-content')).toBeFocused();
  await keys.type(call.content);
  if (call.leafQuery) {
    await keys.press('F3');
    await keys.type(call.leafQuery);
    await expect(page.getByTestId('catalogue-hits').getByRole('option').first()).toBeVisible();
    await keys.press('Enter');
    await expect(page.getByTestId('leaf-card')).toBeVisible();
  }
}

async function expectSubmitted(page: Page, pattern: RegExp): Promise<string> {
  const notice = page.getByTestId('submitted-headline');
  await expect(notice).toHaveText(pattern);
  // The form is fresh at once, ready for the next call.
  await expect(page.locator('#f-caller-phone')).toHaveValue('');
  await expect(page.locator('#f-content')).toHaveValue('');
  await expect(page.locator('#f-caller-phone')).toBeFocused();
  // The number the caller is told: provisional (临…) until the center has given the official one.
  const number = (await page.getByTestId('submitted-number').innerText()).trim();
  expect(number).toMatch(/^(临\d{8}-\d{4}|\d{14})$/);
  return number;
}

/** What a telephony adapter does when a call rings: `calls.incoming` through the page's own API. */
function incomingCall(page: Page, phone: string): Promise<{ ok: boolean; value?: { phone: string; startedAt: string } }> {
  return page.evaluate(async (number) => {
    // The page's own session cookie (set by the launch URL) goes with a same-origin call.
    const response = await fetch('/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'calls.incoming', input: { phone: number } }),
    });
    return response.json();
  }, phone);
}

const report = (flow: string, keys: Keys) => console.log(`[键盘] ${flow}：除录入文字外按键 ${keys.presses} 次`);

test('keyboard only: a street-level leaf with a clear address goes straight to the street (直派)', async ({ page }) => {
  const keys = await openDesk(page);
  await record(page, keys, {
    phone: '13912345678',
    name: '张先生',
    typeKey: '3',
    address: '朝阳区望京街道花家地北里3号楼',
    content: '小区楼道里的声控灯坏了一个多星期了，晚上上下楼黑漆漆的，老人差点摔倒',
    leafQuery: '楼道照明',
  });
  const suggestion = page.getByTestId('dispatch-suggestion');
  await expect(suggestion).toContainText('直派');
  await expect(page.getByTestId('dispatch-unit')).toHaveText('望京街道');
  await expect(page.getByTestId('dispatch-reason')).toContainText('地址明确到望京街道，分类属地办理');
  await page.screenshot({ path: screenshotPath('intake-direct.png') });
  await keys.press('F8');
  const number = await expectSubmitted(page, /^已提交（直派 望京街道）$/);
  report('直派', keys);

  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row).toContainText(number);
  await expect(row).toContainText('已派单');
  await expect(row).toContainText('楼道照明损坏');
  await expect(row.locator('.due')).toHaveText(/^首次联系 剩余 \d+ (天|小时)/);
  await expect(page.getByTestId('pending-sync')).toHaveText('待同步 1 张');

  // Its trail, by keyboard: Alt+M to the list, Enter on the ticket.
  await keys.press('Alt+m');
  await keys.press('Enter');
  const detail = page.getByTestId('ticket-detail');
  await expect(detail).toContainText(number);
  await expect(detail).toContainText('朝阳区 / 望京街道');
  await expect(page.getByTestId('ticket-trail')).toContainText('受理');
  await expect(page.getByTestId('ticket-trail')).toContainText('派单');
  await page.screenshot({ path: screenshotPath('ticket-detail.png') });
});

test('keyboard only: F9 sends the same kind of ticket to the district sub-center instead (a 微信 message typed up)', async ({ page }) => {
  const keys = await openDesk(page);
  await record(page, keys, {
    channel: '微信',
    phone: '010-64321234',
    name: '李女士',
    typeKey: '3',
    address: '朝阳区望京街道望京西园三区5号楼',
    content: '单元门口的楼道灯不亮了，物业和居委会互相推，一直没人修',
    leafQuery: 'lddbl',
  });
  await expect(page.getByTestId('dispatch-suggestion')).toContainText('F9 改派朝阳区接诉即办分中心');
  await keys.press('F9');
  await expectSubmitted(page, /^已提交（派分中心 朝阳区接诉即办分中心）$/);
  report('派分中心', keys);
  const row = page.getByTestId('my-tickets').locator('li').first();
  // The sub-center must still dispatch it to a handling unit: its 派单 clock is open.
  await expect(row.locator('.due')).toHaveText(/^派单时限 剩余 1 小时 5\d 分$/);
  // The next call is a phone call again; the 微信 ticket keeps its channel in 我的工单's detail.
  await expect(page.getByTestId('channel')).toHaveValue('电话');
  await row.click();
  await expect(page.getByTestId('ticket-detail')).toContainText('· 微信 ·');
});

test('keyboard only: a question answered from the knowledge base is closed at the desk (咨询办结)', async ({ page }) => {
  const keys = await openDesk(page);
  await record(page, keys, { phone: '13800001111', name: '王先生', typeKey: '1', content: '想问一下社保卡丢了怎么补办，需要带什么材料' });
  // While the KB box is empty the panel already searches from what the caller said.
  await expect(page.getByTestId('kb-hits').locator('li').first()).toBeVisible();
  await keys.press('F4');
  await keys.type('社保卡补办');
  // No article says 社保卡补办 word for word; the one on 挂失补办 still comes first.
  await expect(page.getByTestId('kb-hits')).toHaveAttribute('data-query', '社保卡补办');
  await expect(page.getByTestId('kb-hits').locator('li').first()).toContainText('社保卡丢失如何挂失补办');
  await keys.press('Enter');
  const article = page.getByTestId('kb-article');
  await expect(article).toBeVisible();
  const title = (await article.locator('h3').textContent())!;
  await page.screenshot({ path: screenshotPath('intake-kb.png') });
  await keys.press('F7');
  const number = await expectSubmitted(page, /^已提交（咨询办结）$/);
  report('咨询办结', keys);
  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row).toContainText(number);
  await expect(row).toContainText('已办结');
  await expect(row.locator('.due')).toHaveText('无时限');
  await row.click();
  await expect(page.getByTestId('ticket-detail')).toContainText(`依据《${title}》`);
});

test('keyboard only: a second caller about the same problem in the same village is linked, not dispatched again (重复诉求)', async ({ page }) => {
  const keys = await openDesk(page);
  const first: Call = {
    phone: '13511112222',
    name: '赵大爷',
    typeKey: '3',
    address: '平谷区熊儿寨乡魏家湾村',
    content: '村里主路上的路灯坏了半个月，晚上出门看不见路',
    leafQuery: '村内路灯',
  };
  await record(page, keys, first);
  await keys.press('F8');
  const original = await expectSubmitted(page, /已提交/);

  // His daughter calls from another number about the same lights.
  const counted = new Keys(page);
  await record(page, counted, { ...first, phone: '13633334444', name: '赵女士', content: '我们村路灯坏了好多天，我爸晚上出门不方便' });
  const related = page.getByTestId('related-tickets');
  await expect(related).toContainText(original);
  await expect(related).toContainText('同社区村同分类');
  await page.screenshot({ path: screenshotPath('intake-duplicate.png') });
  await counted.press('F6');
  // F6 asks first, naming the original; Enter confirms.
  await expect(page.getByTestId('link-original')).toHaveText(original);
  await counted.press('Enter');
  const linked = await expectSubmitted(page, new RegExp(`^已提交（重复诉求，关联原工单 ${original}）$`));
  report('重复诉求', counted);
  const row = page.getByTestId('my-tickets').locator('li').first();
  await expect(row).toContainText(linked);
  await expect(row).toContainText('已关联');
  await row.click();
  await expect(page.getByTestId('ticket-detail')).toContainText(`关联原工单 ${original}`);
});

test('every input rule shows its message at the field and blocks submission; nothing typed is lost', async ({ page }) => {
  const keys = await openDesk(page);
  await keys.press('F2');
  await keys.press('Control+Enter');
  await expect(page.getByTestId('submit-notice')).toContainText('工单未提交');
  const errorAt = (field: string) => page.locator(`[data-field="${field}"] .field-error`);
  await expect(errorAt('callerPhone')).toHaveText('请填写来电号码');
  await expect(errorAt('callerName')).toHaveText('请填写来电人姓名（可填“匿名”）');
  await expect(errorAt('requestType')).toHaveText('请选择诉求类型');
  await expect(errorAt('content')).toHaveText('诉求内容至少 10 个字（现在 0 个）');
  await expect(errorAt('address')).toHaveText('请填写诉求地址（至少到区）');
  await expect(page.getByTestId('dispatch-suggestion')).toContainText('请选择处理方式');
  // The cursor goes to the first field at fault.
  await expect(page.locator('#f-caller-phone')).toBeFocused();

  await keys.type('1391234');
  await expect(errorAt('callerPhone')).toHaveText('来电号码应为 11 位手机号（1 开头，第二位 3–9）');
  await page.locator('#f-caller-phone').fill('010-1234');
  await expect(errorAt('callerPhone')).toHaveText('来电号码应为带区号的固定电话，如 010-12345678');
  await page.locator('#f-caller-phone').fill('12345678901');
  await expect(errorAt('callerPhone')).toHaveText('来电号码应为 11 位手机号（1 开头，第二位 3–9）');
  await page.locator('#f-caller-phone').fill('13912345678');
  await expect(errorAt('callerPhone')).toHaveCount(0);
  await page.locator('#f-callback-phone').fill('6432');
  // A new message shows once the field is left, not while typing in it.
  await expect(errorAt('callbackPhone')).toHaveCount(0);
  await keys.press('Tab');
  await expect(errorAt('callbackPhone')).toContainText('回访电话格式不正确');

  await page.locator('#f-caller-name').fill('匿名');
  await page.locator('#f-address').fill('火星基地');
  await expect(errorAt('address')).toHaveText('地址未能识别到区，请补充区或街乡镇名称');
  await page.locator('#f-content').fill('路灯坏了');
  await expect(errorAt('content')).toHaveText('诉求内容至少 10 个字（现在 4 个）');
  await page.screenshot({ path: screenshotPath('intake-validation.png') });

  await page.locator('#f-content').focus();
  await keys.press('F8');
  await expect(errorAt('address')).toHaveText('地址未能识别到区，请补充区或街乡镇名称');
  await expect(errorAt('requestType')).toHaveText('请选择诉求类型');
  await expect(errorAt('leafCode')).toHaveText('派单前请选择诉求分类');
  // A 咨询办结 needs the article it answered from.
  await keys.press('F7');
  await expect(page.getByTestId('submit-notice')).toContainText('请先在知识库中打开答复文章');
  // 不合理诉求 needs a reason.
  await keys.press('Alt+b');
  await expect(page.locator('#f-unreasonable')).toBeFocused();
  await keys.type('无');
  await keys.press('Control+Enter');
  await expect(page.locator('[data-field] .field-error, .unreasonable .field-error').filter({ hasText: '请说明不合理的理由（至少 4 个字）' })).toBeVisible();

  // Refused again and again, and every character is still there.
  await expect(page.locator('#f-caller-phone')).toHaveValue('13912345678');
  await expect(page.locator('#f-callback-phone')).toHaveValue('6432');
  await expect(page.locator('#f-caller-name')).toHaveValue('匿名');
  await expect(page.locator('#f-address')).toHaveValue('火星基地');
  await expect(page.locator('#f-content')).toHaveValue('路灯坏了');
  await expect(page.locator('#f-unreasonable')).toHaveValue('无');
  await expect(page.getByTestId('my-tickets')).toHaveCount(0);
});

test('F2 over a typed ticket asks before throwing it away', async ({ page }) => {
  const keys = await openDesk(page);
  await keys.press('F2');
  await keys.type('13912345678');
  await page.locator('#f-content').fill('小区门口的垃圾桶三天没人清运了');
  await keys.press('F2');
  await expect(page.getByTestId('confirm-new-call')).toBeVisible();
  await expect(page.locator('#f-content')).toHaveValue('小区门口的垃圾桶三天没人清运了');
  await keys.press('F2');
  await expect(page.getByTestId('confirm-new-call')).toBeHidden();
  await expect(page.locator('#f-content')).toHaveValue('');
});

test('an incoming call opens a fresh ticket with the number and pops the caller’s history', async ({ page }) => {
  const keys = await openDesk(page);
  await record(page, keys, {
    phone: '13700009999',
    name: '陈女士',
    typeKey: '3',
    address: '朝阳区望京街道花家地北里3号楼',
    content: '楼道的声控灯又坏了，上次报过修好没几天',
    leafQuery: '楼道照明',
  });
  await keys.press('F8');
  const earlier = await expectSubmitted(page, /已提交/);

  // The telephony adapter reports a call from the same number through the API.
  const reply = await incomingCall(page, '137 0000 9999');
  expect(reply).toMatchObject({ ok: true, value: { phone: '13700009999' } });
  await expect(page.locator('#f-caller-phone')).toHaveValue('13700009999');
  await expect(page.locator('#f-caller-name')).toBeFocused();
  const related = page.getByTestId('related-tickets');
  await expect(related).toContainText(earlier);
  await expect(related).toContainText('同一号码');
});

test('a call that comes in over a ticket still being typed waits for F2 instead of throwing the ticket away', async ({ page }) => {
  const keys = await openDesk(page);
  await keys.press('F2');
  await keys.type('13912345678');
  await page.locator('#f-content').fill('小区东门的垃圾桶三天没人清运了，味道很大');
  const reply = await incomingCall(page, '13600001234');
  expect(reply.ok).toBe(true);
  await expect(page.getByTestId('confirm-new-call')).toContainText('新来电 13600001234 已接入');
  await expect(page.locator('#f-caller-phone')).toHaveValue('13912345678');
  await expect(page.locator('#f-content')).toHaveValue('小区东门的垃圾桶三天没人清运了，味道很大');
  await keys.press('F2');
  await expect(page.locator('#f-caller-phone')).toHaveValue('13600001234');
  await expect(page.locator('#f-content')).toHaveValue('');
  await expect(page.locator('#f-caller-name')).toBeFocused();
});

test('a killed desk reopens with the ticket that was being typed, and says so', async ({ page }) => {
  const keys = await openDesk(page);
  await keys.press('F2');
  await keys.type('13912345678');
  await keys.press('Tab');
  await keys.type('刘先生');
  await page.locator('#f-content').fill('小区东门外的井盖丢了，晚上很危险，差点有人掉下去');
  await page.locator('#f-address').fill('海淀区学院路');
  await expect(page.getByTestId('draft-state')).toHaveText(/^草稿已保存 \d{2}:\d{2}:\d{2}$/);
  // Typing goes on; the last change is saved within moments of the keystroke.
  await page.locator('#f-content').press('End');
  await keys.type('，请尽快处理');
  // The desk says when the last change is on disk; the kill comes right after that, not after a sleep.
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-unsaved', 'false');

  const dataDir = host.dataDir;
  await host.kill();
  host = await startHostProcess({ dataDir, removeDataDir: true });
  await openDesk(page);
  await expect(page.getByTestId('draft-restored')).toContainText('已恢复上次未提交的工单草稿');
  await expect(page.locator('#f-caller-phone')).toHaveValue('13912345678');
  await expect(page.locator('#f-caller-name')).toHaveValue('刘先生');
  await expect(page.locator('#f-address')).toHaveValue('海淀区学院路');
  await expect(page.getByTestId('address-reading')).toContainText('已识别 海淀区 / 学院路');
  await expect(page.locator('#f-content')).toHaveValue('小区东门外的井盖丢了，晚上很危险，差点有人掉下去，请尽快处理');
  // The call in progress comes first: no shift-start sign-in dialog over it.
  await expect(page.getByTestId('sign-in-prompt')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('draft-restored.png') });
});

test('the second screen follows the main window: article, caller history and ticket detail', async ({ page, context }) => {
  const keys = await openDesk(page);
  const [side] = await Promise.all([context.waitForEvent('page'), keys.press('F10')]);
  await side.setViewportSize({ width: 1920, height: 1080 });
  await expect(side.locator('html[data-app-ready="true"]')).toBeAttached();
  await page.bringToFront();

  await keys.press('F4');
  await keys.type('供暖时间');
  await expect(page.getByTestId('kb-hits')).toHaveAttribute('data-query', '供暖时间');
  await expect(page.getByTestId('kb-hits').locator('li').first()).toBeVisible();
  await keys.press('Enter');
  const title = (await page.getByTestId('kb-article').locator('h3').textContent())!;
  await expect(side.getByTestId('side-screen')).toHaveAttribute('data-view', 'kb');
  await expect(side.getByTestId('kb-article').locator('h3')).toHaveText(title);
  await side.screenshot({ path: screenshotPath('side-screen-article.png') });

  await record(page, keys, {
    phone: '13912340000',
    name: '孙先生',
    typeKey: '3',
    address: '朝阳区望京街道花家地北里3号楼',
    content: '楼道的声控灯坏了好几天，晚上看不见台阶',
    leafQuery: '楼道照明',
  });
  await keys.press('F8');
  const number = await expectSubmitted(page, /已提交/);
  await keys.press('Alt+m');
  await keys.press('Enter');
  await expect(side.getByTestId('side-screen')).toHaveAttribute('data-view', 'ticket');
  await expect(side.getByTestId('ticket-detail')).toContainText(number);
  await keys.press('Escape');

  // The same caller again: the history pops on the second screen.
  await keys.press('F2');
  await keys.type('13912340000');
  await expect(side.getByTestId('side-screen')).toHaveAttribute('data-view', 'history');
  await expect(side.getByTestId('side-screen')).toContainText(number);
});
