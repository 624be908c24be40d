/**
 * What a keyboard-only walk through real calls found on the intake form (issue 19), each walked again
 * keyboard only in Chromium against the real browser host: Ctrl+Enter submits as suggested and says
 * which, the address rule shown is the rule applied, a question the knowledge base answers leads with
 * F7, the banner gives the number the caller is told, messages wait until a field is left, the chosen
 * leaf stays in its field, the call clock runs from F2, a repeat caller's earlier ticket says where it
 * is and lends its caller data (Alt+C), F6 asks before linking to the original, and a district-only
 * address prompts for the street.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEARNED_MODEL_FILE } from '../../electron/services/reference/learned-model-file';
import { train } from '../../shared/learn/model';
import { serializeModel } from '../../shared/learn/serialize';
import { parseTrainingCsv } from '../../shared/learn/training-file';
import { freshDataDir, ROOT, startHostProcess, type HostProcess } from '../support/host-process';
import { screenshotPath } from '../support/screenshots';

let host: HostProcess | undefined;

test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function openDesk(page: Page, args: string[] = []): Promise<void> {
  host = await startHostProcess({ args });
  await page.goto(host.url);
  await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
}

const key = (page: Page, k: string) => page.keyboard.press(k);
const type = (page: Page, text: string) => page.keyboard.type(text);
const errorAt = (page: Page, field: string) => page.locator(`[data-field="${field}"] .field-error`);

/** F2, the number, the name, (callback stays), the request type by its digit; the cursor ends in the address. */
async function startCall(page: Page, phone: string, name: string | null, typeKey: string): Promise<void> {
  await key(page, 'F2');
  await expect(page.locator('#f-caller-phone')).toBeFocused();
  await type(page, phone);
  await key(page, 'Tab');
  if (name) await type(page, name);
  await key(page, 'Tab');
  await key(page, 'Tab');
  await key(page, typeKey);
  await key(page, 'Tab');
  await expect(page.locator('#f-address')).toBeFocused();
}

async function typeAddress(page: Page, text: string): Promise<void> {
  await type(page, text);
  await expect(page.getByTestId('address-reading')).toContainText('已识别');
  await key(page, 'Enter');
  await expect(page.locator('#f-content')).toBeFocused();
}

/** F3, the search, Enter on the first hit. */
async function pickLeaf(page: Page, query: string): Promise<void> {
  await key(page, 'F3');
  await type(page, query);
  await expect(page.getByTestId('catalogue-hits').getByRole('option').first()).toBeVisible();
  await key(page, 'Enter');
  await expect(page.getByTestId('leaf-card')).toBeVisible();
}

/** From the number (name and address taken with Alt+C) through to the content, marking the call 投诉. */
async function toContentAsComplaint(page: Page): Promise<void> {
  await key(page, 'Tab'); // name, taken
  await key(page, 'Tab'); // callback number, the caller's
  await key(page, 'Tab');
  await key(page, '3');
  await key(page, 'Tab'); // address, taken
  await key(page, 'Tab');
  await expect(page.locator('#f-content')).toBeFocused();
}

function submittedNumber(page: Page): Promise<string> {
  return page.getByTestId('submitted-number').innerText();
}

test('Ctrl+Enter dispatches as F8 would and says so; the chosen leaf stays in its field; the call clock runs from F2', async ({ page }) => {
  await openDesk(page);
  await expect(page.getByTestId('call-clock')).toContainText('按 F2 开始受理');
  await key(page, 'F2');
  await expect(page.getByTestId('call-clock')).toHaveText(/^来电 \d{2}:\d{2}:\d{2} · 已通话 00:0\d$/);
  // The clock keeps running while the call-taker types.
  const first = await page.getByTestId('call-elapsed').innerText();
  await expect(page.getByTestId('call-elapsed')).not.toHaveText(first, { timeout: 3_000 });

  // The phone field's example is not cut off.
  const placeholderFits = await page.locator('#f-caller-phone').evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(input.placeholder).width <= room;
  });
  expect(placeholderFits).toBe(true);

  await type(page, '13912345678');
  await key(page, 'Tab');
  await type(page, '周女士');
  await key(page, 'Tab');
  await key(page, 'Tab');
  await key(page, '3');
  await key(page, 'Tab');
  await typeAddress(page, '朝阳区望京街道花家地北里3号楼');
  await type(page, '家里暖气片一直是凉的，屋里只有十四度，老人孩子都冻感冒了');
  await pickLeaf(page, '暖气不热');
  // The leaf taken shows as its path in the field, so the ticket does not look unclassified.
  const catalogue = page.locator('#catalogue-search');
  await expect(catalogue).toHaveValue(/—暖气不热$/);
  await expect(catalogue).toHaveAttribute('data-chosen', 'true');
  await expect(page.getByTestId('dispatch-suggestion')).toContainText('Ctrl+Enter 同 F8');
  const unit = await page.getByTestId('dispatch-unit').innerText();
  await page.screenshot({ path: screenshotPath('intake-ctrl-enter.png') });

  await key(page, 'Control+Enter');
  await expect(page.getByTestId('submitted-headline')).toHaveText(new RegExp(`^已提交（直派 ${unit}）$`));
  await expect(page.getByTestId('submitted-via')).toHaveText(` · 按 Ctrl+Enter 建议提交（F8 直派 ${unit}）`);
  await expect(page.locator('#f-caller-phone')).toBeFocused();
  // The fresh form's classification field is empty again, ready for the next call.
  await expect(catalogue).toHaveValue('');

  // F3 over a chosen leaf: typing replaces the path with a new search.
  await key(page, 'F2');
  await pickLeaf(page, '暖气不热');
  await key(page, 'F3');
  await type(page, '楼道照明');
  await expect(catalogue).toHaveValue('楼道照明');
});

test('a question the knowledge base answers leads with F7; its address may stay empty, and the form says so', async ({ page }) => {
  await openDesk(page);
  await startCall(page, '13800001111', '王先生', '1');
  // 咨询: the address is not required, and the form says why.
  await expect(page.getByTestId('address-rule')).toHaveText('可不填');
  await expect(page.locator('[data-field="address"] .field-title')).toContainText('咨询办结（F7）可不填地址');
  await key(page, 'Tab');
  await type(page, '社保卡丢了，想问一下怎么补办，需要带什么材料');
  await pickLeaf(page, '社保卡补换');
  await expect(errorAt(page, 'address')).toHaveCount(0);

  // The panel leads with 咨询办结; dispatch is the second choice.
  const consult = page.getByTestId('consult-suggestion');
  await expect(consult).toContainText('知识库有本分类答复');
  await expect(consult).toContainText('F7 咨询办结');
  const cards = page.locator('#disposition-panel > section.dispatch-card');
  await expect(cards.first()).toHaveAttribute('data-testid', 'consult-suggestion');
  await expect(page.getByTestId('dispatch-suggestion')).toContainText('如需派单');

  // Ctrl+Enter before an answer is read: it says exactly which keys, and submits nothing.
  await key(page, 'Control+Enter');
  await expect(page.getByTestId('submit-notice')).toContainText('再按 Ctrl+Enter 或 F7 咨询办结');
  await expect(page.getByTestId('submitted-ticket')).toHaveCount(0);

  // The knowledge base already lists the leaf's articles: F4, Enter reads the first.
  await key(page, 'F4');
  await expect(page.getByTestId('kb-hits').locator('li').first()).toBeVisible();
  await key(page, 'Enter');
  const title = await page.getByTestId('kb-article').locator('h3').innerText();
  await expect(consult).toContainText(`已打开《${title}》`);
  // The refusal was about the form before the article was read: it is gone, not left in red.
  await expect(page.getByTestId('submit-notice')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('intake-consult.png') });
  await key(page, 'Control+Enter');
  await expect(page.getByTestId('submitted-headline')).toHaveText(/^已提交（咨询办结）$/);
  await expect(page.getByTestId('submitted-via')).toContainText('F7 咨询办结');
  await expect(page.getByTestId('submitted-next')).toContainText('已当场办结');

  // The same rule the other way: a complaint with no address is told so at the field, and refused.
  await startCall(page, '13800002222', '李女士', '3');
  await expect(page.getByTestId('address-rule')).toHaveText('必填');
  await key(page, 'Tab');
  await expect(errorAt(page, 'address')).toHaveText('请填写诉求地址（至少到区）');
});

test('messages wait until the call-taker leaves a field or submits, never while typing or when the address resolves', async ({ page }) => {
  await openDesk(page);
  await key(page, 'F2');
  await type(page, '1391234');
  await expect(errorAt(page, 'callerPhone')).toHaveCount(0);
  await key(page, 'Tab');
  await expect(errorAt(page, 'callerPhone')).toHaveText('来电号码应为 11 位手机号（1 开头，第二位 3–9）');
  await key(page, 'Shift+Tab');
  await key(page, 'End');
  await type(page, '5678');
  // Once fixed, the message goes at once.
  await expect(errorAt(page, 'callerPhone')).toHaveCount(0);
  await key(page, 'Tab');
  await type(page, '孙先生');
  await key(page, 'Tab');
  await key(page, 'Tab');
  await key(page, '3');
  await key(page, 'Tab');
  await typeAddress(page, '朝阳区望京街道花家地北里3号楼');
  // The address resolved and the cursor is in the content: nothing there is red yet.
  await expect(page.locator('.field-error')).toHaveCount(0);
  await type(page, '路灯坏了');
  await expect(errorAt(page, 'content')).toHaveCount(0);
  await key(page, 'F3');
  await expect(errorAt(page, 'content')).toHaveText('诉求内容至少 10 个字（现在 4 个）');
  // Shown once, it follows the typing.
  await key(page, 'Shift+Tab');
  await expect(page.locator('#f-content')).toBeFocused();
  await key(page, 'End');
  await type(page, '好几天了');
  await expect(errorAt(page, 'content')).toHaveText('诉求内容至少 10 个字（现在 8 个）');
  await type(page, '没人修');
  await expect(errorAt(page, 'content')).toHaveCount(0);
});

test('the banner gives the number the caller is told: provisional until the center numbers it, then the official one; F2 clears it', async ({ page }) => {
  // A first start creates the hub's database in a child process first (server/db.ts).
  test.setTimeout(240_000);
  await openDesk(page, ['--embedded-hub']);
  await expect(page.getByTestId('connection')).toHaveText('已连接中心', { timeout: 120_000 });
  await startCall(page, '13912345670', '吴女士', '3');
  await typeAddress(page, '朝阳区望京街道花家地北里3号楼');
  await type(page, '楼道里的声控灯坏了一个多星期，晚上上下楼看不见台阶');
  await pickLeaf(page, '楼道照明');
  await key(page, 'F8');
  const banner = page.getByTestId('submitted-ticket');
  await expect(banner).toBeVisible();
  // Whatever it shows, it says which kind of number it is; the official one replaces the provisional one.
  await expect(banner).toHaveAttribute('data-official', 'true', { timeout: 20_000 });
  const official = await submittedNumber(page);
  expect(official).toMatch(/^\d{14}$/);
  await expect(banner).toContainText(`请告知来电人工单编号 ${official}正式编号`);
  await expect(banner).not.toContainText('临');
  await expect(page.getByTestId('my-tickets').locator('li').first()).toContainText(official);
  await page.screenshot({ path: screenshotPath('intake-submitted.png') });
  await key(page, 'F2');
  await expect(banner).toHaveCount(0);
});

test('a repeat caller: the earlier ticket says where it is, Alt+C takes the caller, and F6 asks before linking to the original', async ({ page }) => {
  await openDesk(page);
  const phone = '13511112222';
  await startCall(page, phone, '赵大爷', '3');
  await typeAddress(page, '平谷区熊儿寨乡魏家湾村');
  await type(page, '村里主路上的路灯坏了半个月，晚上出门看不见路');
  await pickLeaf(page, '村内路灯');
  await key(page, 'F8');
  const original = await submittedNumber(page);
  await expect(page.getByTestId('submitted-ticket')).toContainText('临时编号，同步到中心后换为正式编号');

  // He calls again.
  await key(page, 'F2');
  await type(page, phone);
  const card = page.getByTestId('related-tickets').locator('li').first();
  await expect(card).toContainText(original);
  await expect(card.getByTestId('ticket-where')).toContainText(/承办：\S+/);
  await expect(card.getByTestId('ticket-where').locator('.due')).toHaveText(/^首次联系 剩余/);
  await expect(page.getByTestId('earlier-caller')).toContainText('Alt+C 取用姓名和地址');
  await key(page, 'Alt+c');
  await expect(page.locator('#f-caller-name')).toHaveValue('赵大爷');
  await expect(page.locator('#f-address')).toHaveValue('平谷区熊儿寨乡魏家湾村');
  await expect(page.getByTestId('address-reading')).toContainText('平谷区 / 熊儿寨乡 / 魏家湾村');
  await toContentAsComplaint(page);
  await type(page, '路灯还是没修好，晚上还是黑的');
  await pickLeaf(page, '村内路灯');

  // F6 asks first and names the original; Esc goes back to where the call-taker was.
  await key(page, 'F6');
  const dialog = page.getByTestId('link-confirm');
  await expect(page.getByTestId('link-original')).toHaveText(original);
  await expect(dialog).toContainText('已派单');
  await expect(page.getByTestId('link-effect')).toContainText('不另行派单、不单独计办理时限');
  await page.screenshot({ path: screenshotPath('intake-link-confirm.png') });
  await key(page, 'Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('#catalogue-search')).toBeFocused();
  await key(page, 'F6');
  await key(page, 'Enter');
  await expect(page.getByTestId('submitted-headline')).toHaveText(new RegExp(`已提交（重复诉求，关联原工单 ${original}）$`));
  await expect(page.getByTestId('submitted-next')).toContainText('本单不另派单、不单独计时限，办理进展随原工单（原工单由');
  await expect(page.getByTestId('submitted-next')).toContainText('首次联系 剩余');
  const second = await submittedNumber(page);

  // A third call: the original is offered first; choosing the duplicate still links the original.
  await key(page, 'F2');
  await type(page, phone);
  const related = page.getByTestId('related-tickets').locator('li');
  await expect(related).toHaveCount(2);
  await expect(related.first()).toContainText(original);
  await expect(related.nth(1)).toContainText(`关联原工单 ${original}`);
  await page.screenshot({ path: screenshotPath('intake-repeat-caller.png') });
  await key(page, 'Alt+c');
  await toContentAsComplaint(page);
  await type(page, '第三次打电话了，路灯到底什么时候修');
  await pickLeaf(page, '村内路灯');
  await expect(related).toHaveCount(2);
  await expect(related.first().locator('.ticket-line')).toHaveClass(/active/);
  await key(page, 'Alt+ArrowDown');
  await expect(related.nth(1).locator('.ticket-line')).toHaveClass(/active/);
  await key(page, 'F6');
  await expect(page.getByTestId('link-redirected')).toContainText(`所选的 ${second} 本身是 ${original} 的重复诉求`);
  await expect(page.getByTestId('link-original')).toHaveText(original);
  await key(page, 'Enter');
  await expect(page.getByTestId('submitted-headline')).toHaveText(new RegExp(`关联原工单 ${original}）$`));
});

test('a district-only address: a street-handled leaf prompts for the street or a landmark, a utility leaf goes on with the district', async ({ page }) => {
  await openDesk(page);
  await startCall(page, '13612345678', '钱先生', '3');
  await typeAddress(page, '西城区');
  await type(page, '小区里的路灯坏了好几个，晚上特别黑，老人走路不安全');
  await pickLeaf(page, '楼道照明');
  await expect(page.getByTestId('place-prompt')).toContainText('只知道西城区：本分类由街乡镇属地办理，请追问街道、社区或附近地标');
  await page.screenshot({ path: screenshotPath('intake-ask-street.png') });

  // The same place with a utility's leaf: no prompt, the ticket keeps the district.
  await pickLeaf(page, '暖气不热');
  await expect(page.getByTestId('place-prompt')).toHaveCount(0);
  await expect(page.getByTestId('place-kept')).toContainText('工单记录已知地点（西城区）');
  await key(page, 'F8');
  await expect(page.getByTestId('submitted-headline')).toContainText('已提交（直派 北京市热力集团有限责任公司）');
  // What the desk recorded: the district, and the words as said.
  const mine = await page.evaluate(async () => {
    // The page's own session cookie (set by the launch URL) goes with a same-origin call.
    const response = await fetch('/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tickets.mine', input: {} }),
    });
    return (await response.json()) as { value: { tickets: Array<{ address: { districtCode: string | null; text: string }; addressText: string }> } };
  });
  expect(mine.value.tickets[0]).toMatchObject({ address: { districtCode: '110102', text: '西城区' }, addressText: expect.stringContaining('西城区') });
});

test('with the model the hub published, a sentence gets the learned leaf first with the words it weighed (依据); without one, the keyword suggestions as before', async ({ page }) => {
  const dataDir = freshDataDir();
  try {
    const sentence = '包工头欠了我们三个月的工钱一直不给，工地上十几个人都没拿到钱，过年回不了家';
    const suggestions = page.getByTestId('content-suggestions').getByRole('listitem');
    // A desk that never received a model: the keyword suggester alone, no 依据 line.
    host = await startHostProcess({ dataDir });
    await page.goto(host.url);
    await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"]')).toBeAttached({ timeout: 30_000 });
    await startCall(page, '13900001111', '吴先生', '3');
    await typeAddress(page, '朝阳区望京街道花家地北里3号楼');
    await type(page, sentence);
    await expect(suggestions.first()).toContainText('工程建设领域欠薪');
    await expect(page.getByTestId('suggestion-why')).toHaveCount(0);
    await host.stop();

    // The model as the sync client keeps it in the desk's data folder (electron/services/reference/learned-model-file.ts).
    const fixture = parseTrainingCsv(readFileSync(join(ROOT, 'test', 'fixtures', 'learned-tickets.csv'), 'utf8'));
    if (!fixture.ok) throw new Error(fixture.error.message);
    writeFileSync(join(dataDir, LEARNED_MODEL_FILE), serializeModel(train(fixture.value)));
    host = await startHostProcess({ dataDir });
    await page.goto(host.url);
    await expect(page.locator('html[data-app-ready="true"][data-reference-ready="true"][data-learned-model]')).toBeAttached({ timeout: 30_000 });
    // The same words: the call's draft comes back with the desk; its content is typed over.
    await page.locator('#f-content').focus();
    await key(page, 'Control+a');
    await type(page, sentence);
    await expect(page.locator('#f-content')).toHaveValue(sentence);
    await expect(suggestions.first()).toContainText('拖欠农民工工资');
    const why = suggestions.first().getByTestId('suggestion-why');
    await expect(why).toContainText('依据');
    await expect(why).toContainText(/工头|工钱|包工/);
    await expect(why).toContainText(/模型 \d+%/);
    // The keyword suggester's leaf is still offered, with its reason.
    await expect(page.getByTestId('content-suggestions')).toContainText('工程建设领域欠薪');
    await page.screenshot({ path: screenshotPath('intake-learned-suggestion.png') });
    await key(page, 'Alt+1');
    await expect(page.locator('#catalogue-search')).toHaveValue(/—拖欠农民工工资$/);
  } finally {
    await host?.stop();
    host = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
