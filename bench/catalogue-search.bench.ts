/**
 * Catalogue search (shared/search/catalogue-index.ts) over the whole catalogue (2,509 leaves,
 * ~18,000 distinct terms): latency per keystroke while typing every query of
 * test/fixtures/caller-phrasings.tsv character by character (each prefix is one keystroke: one
 * letter of pinyin, or one Chinese character as the IME commits it), recall, and building the index
 * from stored entries. The baseline is what one would write first: fuse.js with default options
 * over each leaf's name, path, keywords and synonyms, on the same keystrokes in the same run.
 * Content suggestions are timed on texts of 200 and 4,000 characters against the suggester as it
 * was before issue 17 (bench/suggest-baseline.ts), on the same texts in the same run.
 */
import { buildSearchEntries, parseCatalogueCsv } from '../electron/services/catalogue/search-terms';
import type { CatalogueSearchEntry } from '../shared/domain/catalogue';
import { createCatalogueIndex, type CatalogueIndex } from '../shared/search/catalogue-index';
import { prepareSuggestions, suggestFromContent } from '../shared/search/suggest';
import { fuseBaseline } from '../test/support/catalogue-baseline';
import { baselineSuggestFromContent, prepareBaselineSuggestions } from './suggest-baseline';
import { callerPhrasings, catalogueCsv } from '../test/support/reference-files';
import { latency, percentile, timeSync, type Bench, type Figure } from './harness';

const LIMIT = 10;
const WARM_BUILDS = 10;
const WARM_FUSE_KEYSTROKES = 300;
/** Ticket contents per length for suggestFromContent, and how many of the 4,000-character ones the old suggester gets (~0.5 s each). */
const SUGGEST_SAMPLES = { short: 500, long: 200, longBaseline: 8 };

/**
 * A ticket's content of about `length` characters: caller phrasings written into a call-taker's
 * framing, one after another (a web message runs on), starting at phrasing `seed`.
 */
function ticketContent(phrasings: readonly string[], length: number, seed: number): string {
  const frames = ['来电人反映：{}，要求相关部门尽快处理。', '市民来电称{}，已经好几天了，希望给个说法。', '{}，来电人很着急，请核实后回复。', '{}，'];
  let text = '';
  for (let i = seed; text.length < length; i++) text += frames[i % frames.length]!.replace('{}', phrasings[(i * 7) % phrasings.length]!);
  return text.slice(0, length);
}

export const catalogueSearchBench: Bench = {
  title: '派单目录检索（2,509 个三级分类）',
  async run() {
    const csv = catalogueCsv();
    const phrasings = callerPhrasings();

    // Entries as the renderer receives them: built at import, stored as JSON, parsed on the way out.
    const stored = JSON.stringify(buildSearchEntries(parseCatalogueCsv(csv)));
    const parseStart = process.hrtime.bigint();
    const entries = JSON.parse(stored) as CatalogueSearchEntry[];
    const parseMs = Number(process.hrtime.bigint() - parseStart) / 1e6;

    // Build. The first build runs cold (interpreted code), as it does once when the desk starts.
    let index!: CatalogueIndex;
    const [coldBuild] = timeSync(1, () => (index = createCatalogueIndex(entries)));
    const warmBuilds = timeSync(WARM_BUILDS, () => createCatalogueIndex(JSON.parse(stored) as CatalogueSearchEntry[]));
    let fuse!: ReturnType<typeof fuseBaseline>;
    const [fuseColdBuild] = timeSync(1, () => (fuse = fuseBaseline(entries)));

    // Every keystroke of every query, typed in order.
    const keystrokes = phrasings.flatMap((p) => {
      const chars = [...p.query];
      return chars.map((_, i) => chars.slice(0, i + 1).join(''));
    });
    // Unmeasured warm-up first: a desk answers calls all shift, so the code is warm. fuse.js takes
    // tens of milliseconds a keystroke, so a few hundred of them warm it (a full pass would take minutes).
    for (const k of keystrokes) index.search(k, LIMIT);
    for (const k of keystrokes.slice(0, WARM_FUSE_KEYSTROKES)) fuse.search(k, { limit: LIMIT });
    const ours = timeSync(keystrokes.length, (i) => index.search(keystrokes[i]!, LIMIT));
    const theirs = timeSync(keystrokes.length, (i) => fuse.search(keystrokes[i]!, { limit: LIMIT }));
    // Whole queries at once (pasted, or typed faster than a keystroke is handled): no previous keystroke to build on.
    const pasted = timeSync(phrasings.length, (i) => {
      index.search('，', LIMIT); // forget the previous query
      return index.search(phrasings[i]!.query, LIMIT);
    });

    // Recall: one search per phrasing and engine, top 5.
    const oursTop = phrasings.map((p) => index.search(p.query, 5).map((h) => h.code));
    const fuseTop = phrasings.map((p) => fuse.search(p.query, { limit: 5 }).map((r) => r.item.code));
    const recall = (tops: string[][], k: number) => tops.filter((top, i) => top.slice(0, k).includes(phrasings[i]!.expected_code)).length / phrasings.length;
    const [recall1, recall5, fuseRecall1, fuseRecall5] = [recall(oursTop, 1), recall(oursTop, 5), recall(fuseTop, 1), recall(fuseTop, 5)];

    // Suggestions from ticket content: each colloquial phrasing written into a sentence.
    const [suggestBuild] = timeSync(1, () => prepareSuggestions(index));
    const contents = phrasings.filter((p) => p.kind === 'colloquial').map((p) => `来电人反映：${p.query}，要求相关部门尽快处理。`);
    for (const c of contents) suggestFromContent(index, c);
    const suggestions = timeSync(contents.length, (i) => suggestFromContent(index, contents[i]!));
    // …and by length: 200 characters (a call-taker's paragraph) and 4,000 (a web channel's message),
    // against the suggester before issue 17 on the same texts (bench/suggest-baseline.ts).
    const colloquial = phrasings.filter((p) => p.kind === 'colloquial').map((p) => p.query);
    const short = Array.from({ length: SUGGEST_SAMPLES.short }, (_, i) => ticketContent(colloquial, 200, i));
    const long = Array.from({ length: SUGGEST_SAMPLES.long }, (_, i) => ticketContent(colloquial, 4_000, i));
    prepareBaselineSuggestions(index);
    for (const c of short.slice(0, 50)) {
      suggestFromContent(index, c);
      baselineSuggestFromContent(index, c);
    }
    const shortOurs = timeSync(short.length, (i) => suggestFromContent(index, short[i]!));
    const shortTheirs = timeSync(short.length, (i) => baselineSuggestFromContent(index, short[i]!));
    const longOurs = timeSync(long.length, (i) => suggestFromContent(index, long[i]!));
    const longTheirs = timeSync(SUGGEST_SAMPLES.longBaseline, (i) => baselineSuggestFromContent(index, long[i]!));

    const p99 = percentile(ours, 99);
    const fuseP99 = percentile(theirs, 99);
    const figures: Figure[] = [
      latency(`每次按键检索 p99（${keystrokes.length} 次按键）`, 99, ours, { targetMs: 1, baseline: { label: 'fuse.js 默认配置 p99', samples: theirs } }),
      latency('每次按键检索 p50', 50, ours, { baseline: { label: 'fuse.js 默认配置 p50', samples: theirs } }),
      {
        name: 'p99 提速倍数（fuse.js p99 ÷ 本索引 p99）',
        unit: '倍',
        value: fuseP99 / p99,
        target: { op: '>=', value: 15 },
        baseline: null,
      },
      latency(`整句粘贴检索 p99（${phrasings.length} 条，不借助上一次按键）`, 99, pasted, {
        note: `p50 ${percentile(pasted, 50).toFixed(3)} ms；逐字输入时每次按键只复查上一次的命中`,
      }),
      {
        name: `前 5 条召回率（${phrasings.length} 条来电说法）`,
        unit: '%',
        value: recall5 * 100,
        target: { op: '>=', value: fuseRecall5 * 100 },
        baseline: { label: 'fuse.js 默认配置', value: fuseRecall5 * 100 },
      },
      {
        name: '首条命中率',
        unit: '%',
        value: recall1 * 100,
        target: { op: '>=', value: fuseRecall1 * 100 },
        baseline: { label: 'fuse.js 默认配置', value: fuseRecall1 * 100 },
      },
      {
        name: '由已存条目建索引（首次，冷启动）',
        unit: 'ms',
        value: coldBuild!,
        target: { op: '<=', value: 200 },
        baseline: { label: 'fuse.js 建索引（首次）', value: fuseColdBuild! },
        note: `此后 p50 ${percentile(warmBuilds, 50).toFixed(0)} ms；另 JSON 解析 ${parseMs.toFixed(0)} ms`,
      },
      latency(`内容联想 suggestFromContent p99（${contents.length} 段工单内容）`, 99, suggestions, { note: `词表首次构建 ${suggestBuild!.toFixed(0)} ms` }),
      latency(`内容联想 p99，200 字（${short.length} 段）`, 99, shortOurs, {
        targetMs: 1,
        baseline: { label: 'issue 17 之前的联想', samples: shortTheirs },
        note: `p50 ${percentile(shortOurs, 50).toFixed(3)} ms（之前 ${percentile(shortTheirs, 50).toFixed(2)} ms）`,
      }),
      latency(`内容联想 p99，4,000 字（${long.length} 段，网上渠道的长留言）`, 99, longOurs, {
        targetMs: 5,
        baseline: { label: `issue 17 之前的联想，${longTheirs.length} 段`, samples: longTheirs },
        note: `p50 ${percentile(longOurs, 50).toFixed(2)} ms（之前 ${percentile(longTheirs, 50).toFixed(0)} ms），每千字 ${(percentile(longOurs, 50) / 4).toFixed(2)} ms（200 字 p50 每千字 ${(percentile(shortOurs, 50) * 5).toFixed(2)} ms）`,
      }),
    ];
    return figures;
  },
};
