/**
 * The intake screen in the real renderer (Chromium, driven by Playwright, against the real browser
 * host and SQLite): from a keystroke to the frame that shows updated results, for the catalogue
 * search and the knowledge-base panel, and from the submit key to a fresh form.
 *
 * Timing is taken inside the page: the `input` (or `keydown`) event's time is the start, and the end
 * is the first animation frame after the list says it answers the new text (its `data-query`), i.e.
 * the frame the call-taker sees. Baselines in the same run: the frame after a keystroke into a bare
 * input that does nothing (the browser's own floor), and a bare contract call (app.health) from the
 * page for the parts that cross to the desk.
 */
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { startHostProcess } from '../test/support/host-process';
import { callerPhrasings } from '../test/support/reference-files';
import { percentile, type Bench, type Figure } from './harness';

const QUERIES = 40;
const SUBMITS = 30;

declare global {
  interface Window {
    __bench: { start: number; samples: number[] };
  }
}

/** Installs the in-page probe: the start of the last input, and a sample once `selector` answers it. */
async function installProbe(page: Page, inputSelector: string, listSelector: string): Promise<void> {
  await page.evaluate(
    ({ inputSelector, listSelector }) => {
      window.__bench = { start: 0, samples: [] };
      const input = document.querySelector<HTMLInputElement>(inputSelector)!;
      input.addEventListener('input', () => (window.__bench.start = performance.now()), { capture: true });
      const observer = new MutationObserver(() => {
        const list = document.querySelector<HTMLElement>(listSelector);
        if (!list || !window.__bench.start || list.dataset.query !== input.value) return;
        const start = window.__bench.start;
        window.__bench.start = 0;
        requestAnimationFrame(() => window.__bench.samples.push(performance.now() - start));
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-query'] });
    },
    { inputSelector, listSelector },
  );
}

async function typeMeasured(page: Page, inputSelector: string, queries: string[]): Promise<number[]> {
  for (const query of queries) {
    await page.locator(inputSelector).fill('');
    for (const char of query) {
      const before = await page.evaluate(() => window.__bench.samples.length);
      await page.keyboard.type(char);
      await page.waitForFunction((n) => window.__bench.samples.length > n, before, { polling: 5 });
    }
  }
  return page.evaluate(() => window.__bench.samples);
}

/** The browser's own floor: a keystroke into an input nobody listens to, to the next frame. */
async function bareKeystrokes(page: Page, count: number): Promise<number[]> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'bench-bare';
    document.body.append(input);
    window.__bench = { start: 0, samples: [] };
    input.addEventListener('input', () => {
      const start = performance.now();
      requestAnimationFrame(() => window.__bench.samples.push(performance.now() - start));
    });
  });
  await page.locator('#bench-bare').focus();
  for (let i = 0; i < count; i++) {
    await page.keyboard.type('字');
    await page.waitForFunction((n) => window.__bench.samples.length > n, i, { polling: 5 });
  }
  const samples = await page.evaluate(() => window.__bench.samples);
  await page.evaluate(() => document.getElementById('bench-bare')!.remove());
  return samples;
}

/** A bare contract call from the page, as the renderer makes it. */
async function bareCalls(page: Page, count: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const secret = document.querySelector<HTMLMetaElement>('meta[name="hotline-host-secret"]')!.content;
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await fetch('/api', { method: 'POST', headers: { 'x-hotline-secret': secret }, body: '{"name":"app.health","input":{}}' }).then((r) => r.json());
      samples.push(performance.now() - start);
    }
    return samples;
  }, count);
}

async function submitToFreshForm(page: Page, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('F2');
    if (await page.getByTestId('confirm-new-call').isVisible()) await page.keyboard.press('F2');
    await page.locator('#f-caller-phone').fill(`139${String(10_000_000 + i).slice(-8)}`);
    await page.locator('#f-caller-name').fill('测试来电人');
    await page.locator('#f-request-type').focus();
    await page.keyboard.press('1');
    await page.locator('#f-content').fill('想咨询一下社保卡丢失以后如何补办，需要带哪些材料');
    await page.locator('#kb-search').fill('社保卡补办');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="kb-hits"]')?.dataset.query === '社保卡补办');
    await page.keyboard.press('Enter');
    await page.getByTestId('kb-article').waitFor();
    await page.evaluate(() => {
      window.__bench = { start: 0, samples: [] };
      window.addEventListener('keydown', (e) => e.key === 'F7' && (window.__bench.start = performance.now()), { capture: true, once: true });
      const phone = document.querySelector<HTMLInputElement>('#f-caller-phone')!;
      const observer = new MutationObserver(() => {
        if (phone.value !== '' || !window.__bench.start) return;
        observer.disconnect();
        const start = window.__bench.start;
        requestAnimationFrame(() => window.__bench.samples.push(performance.now() - start));
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.keyboard.press('F7');
    await page.waitForFunction(() => window.__bench.samples.length > 0, undefined, { polling: 5 });
    samples.push(await page.evaluate(() => window.__bench.samples[0]!));
  }
  return samples;
}

export const intakeBench: Bench = {
  title: '受理界面（真实渲染进程，Chromium）',
  async run() {
    const phrasings = callerPhrasings()
      .map((r) => r.query)
      .filter(Boolean);
    const queries = phrasings.filter((_, i) => i % Math.max(1, Math.floor(phrasings.length / QUERIES)) === 0).slice(0, QUERIES);

    const host = await startHostProcess();
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await page.goto(host.url);
      await page.locator('html[data-app-ready="true"][data-reference-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });

      const floor = await bareKeystrokes(page, 200);
      await page.locator('#catalogue-search').focus();
      await installProbe(page, '#catalogue-search', '[data-testid="catalogue-hits"]');
      const catalogue = await typeMeasured(page, '#catalogue-search', queries);
      await page.locator('#catalogue-search').fill('');

      await page.locator('#kb-search').focus();
      await installProbe(page, '#kb-search', '[data-testid="kb-hits"]');
      const kb = await typeMeasured(page, '#kb-search', queries.slice(0, 20));
      await page.locator('#kb-search').fill('');
      const calls = await bareCalls(page, 200);

      const submits = await submitToFreshForm(page, SUBMITS);
      const figures: Figure[] = [
        {
          name: `分类检索：按键到结果上屏 p95（${catalogue.length} 次按键）`,
          unit: 'ms',
          value: percentile(catalogue, 95),
          target: { op: '<=', value: 50 },
          baseline: { label: '空输入框按键到下一帧 p95', value: percentile(floor, 95) },
          note: `p50 ${percentile(catalogue, 50).toFixed(1)} ms`,
        },
        {
          name: `知识库面板：按键到结果上屏 p95（${kb.length} 次按键）`,
          unit: 'ms',
          value: percentile(kb, 95),
          target: { op: '<=', value: 50 },
          baseline: { label: '页面内一次 app.health 调用 p95', value: percentile(calls, 95) },
          note: `p50 ${percentile(kb, 50).toFixed(1)} ms`,
        },
        {
          name: `提交到空白新表单 p95（${submits.length} 张，F7 咨询办结）`,
          unit: 'ms',
          value: percentile(submits, 95),
          target: { op: '<=', value: 100 },
          baseline: { label: '页面内一次 app.health 调用 p95', value: percentile(calls, 95) },
          note: `p50 ${percentile(submits, 50).toFixed(1)} ms`,
        },
      ];
      return figures;
    } finally {
      await browser.close();
      await host.stop();
    }
  },
};
