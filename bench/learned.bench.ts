/**
 * The learned suggester (shared/learn/): accuracy against the keyword suggester
 * (shared/search/suggest.ts) on the labelled fixtures (test/fixtures/learned-tickets.csv, 5-fold
 * cross-validation, same folds for both), then speed and size on synthetic tickets over the whole
 * bundled catalogue (2,509 leaves as labels, a leaf's own words in a sentence with clauses of other
 * fixture tickets as noise): training on 100,000 and on 1,000,000 tickets, the
 * serialised model's size, loading it, and one prediction. Baselines in the same run: the keyword
 * suggester's accuracy and latency on the same texts, extracting the features alone (the floor of
 * any n-gram model's training), and parsing the catalogue's search entries (what a desk already
 * loads at start).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LearnedModelFile } from '../electron/services/reference/learned-model-file';
import { blendOrder } from '../shared/learn/blend';
import { accuracyOf, assignFolds } from '../shared/learn/evaluate';
import type { LabelledText } from '../shared/learn/training-file';
import { buildSearchEntries, parseCatalogueCsv } from '../electron/services/catalogue/search-terms';
import type { CatalogueSearchEntry } from '../shared/domain/catalogue';
import { crossValidate } from '../shared/learn/evaluate';
import { featuresOf } from '../shared/learn/features';
import { DEFAULT_TRAIN, predict, train, Trainer } from '../shared/learn/model';
import { loadModel, serializeModel } from '../shared/learn/serialize';
import { seededRandom, type Random } from '../shared/random';
import { createCatalogueIndex } from '../shared/search/catalogue-index';
import { prepareSuggestions, suggestFromContent } from '../shared/search/suggest';
import { catalogueKeywordGuesser, readTrainingFile } from '../scripts/suggest-common';
import { ROOT } from '../test/support/host-process';
import { latency, timeSync, type Bench, type Figure } from './harness';

const OPENERS = ['市民来电反映', '来电人称', '市民反映', '来电人咨询', '网友留言', '', '', '我想问一下', '居民反映'];
const PLACES = ['小区', '我家楼下', '单位附近', '村里', '学校门口', '这条街上', '家里', '路口'];
const FILLERS = ['已经好几天了', '找了好几次都没人管', '影响很大', '老人孩子都受不了', '打电话也没人接', '不知道找谁', '希望尽快解决', ''];
const CLOSINGS = ['要求尽快处理', '希望有关部门管一管', '请帮忙协调', '', '谢谢'];

/** Synthetic tickets over the catalogue: a leaf (skewed: some leaves are asked about far more) and a sentence from its own words. */
export function* syntheticTickets(entries: readonly CatalogueSearchEntry[], count: number, seed = 7, noise: readonly string[] = []): Generator<{ text: string; label: string }> {
  const random: Random = seededRandom(seed);
  // Free text that says nothing about the leaf (clauses of other tickets), as real tickets carry:
  // it gives the model the many rare (n-gram, leaf) pairs a real history has.
  const fillers = [...FILLERS, ...noise];
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const vocab = entries.map((e) => e.terms.filter((t) => t.kind === 'synonym' || t.kind === 'keyword' || t.kind === 'name').map((t) => t.text));
  for (let i = 0; i < count; i++) {
    const leaf = Math.floor(entries.length * random() ** 2);
    const words = vocab[leaf]!;
    const said = [pick(words), random() < 0.6 ? pick(words) : ''];
    const text = `${pick(OPENERS)}${pick(PLACES)}${said[0]}，${pick(fillers)}${said[1] ? `，${said[1]}` : ''}，${pick(CLOSINGS)}`;
    yield { text, label: entries[leaf]!.code };
  }
}

/** CPU time of each call in ms (getrusage: microseconds, all of this process's threads). */
function cpuTimeSync(count: number, fn: (i: number) => unknown): number[] {
  return Array.from({ length: count }, (_, i) => {
    const before = process.cpuUsage();
    fn(i);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  });
}

function trainSynthetic(entries: readonly CatalogueSearchEntry[], count: number, noise: readonly string[]) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const trainer = new Trainer(DEFAULT_TRAIN);
  for (const { text, label } of syntheticTickets(entries, count, 7, noise)) trainer.add(text, label);
  const model = trainer.build();
  const used = process.cpuUsage(cpu);
  // CPU time too: on a shared machine the wall clock also counts other processes' turns.
  return { model, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

/** Keyword, learned and blended top-1/top-3 on the same 5 folds as crossValidate (seed 17). */
function blendedAccuracy(rows: readonly LabelledText[]) {
  const entries = buildSearchEntries(parseCatalogueCsv(readFileSync(join(ROOT, 'resources', 'catalogue', 'catalogue.csv'), 'utf8')));
  const index = createCatalogueIndex(entries);
  const fold = assignFolds(rows, 5);
  const guesses = { keyword: new Map<string, string[]>(), learned: new Map<string, string[]>(), blend: new Map<string, string[]>() };
  for (let k = 0; k < 5; k++) {
    const model = train(rows.filter((_, i) => fold[i] !== k));
    rows.forEach((r, i) => {
      if (fold[i] !== k) return;
      const keyword = suggestFromContent(index, r.text, 3);
      const learned = predict(model, r.text, 3, 0);
      guesses.keyword.set(r.text, keyword.map((s) => s.code));
      guesses.learned.set(r.text, learned.map((p) => p.label));
      guesses.blend.set(r.text, blendOrder(r.text, keyword, learned));
    });
  }
  const of = (m: Map<string, string[]>) => accuracyOf(rows, (text) => m.get(text)!);
  return { keyword: of(guesses.keyword), learned: of(guesses.learned), blend: of(guesses.blend) };
}

export const learnedBench: Bench = {
  title: '学习型分类建议（字 n-gram 补集朴素贝叶斯）',
  async run() {
    const figures: Figure[] = [];
    const fixture = readTrainingFile(join(ROOT, 'test', 'fixtures', 'learned-tickets.csv'));
    if (!fixture.ok) throw new Error(fixture.error.message);
    const rows = fixture.value;
    const keyword = catalogueKeywordGuesser(new Set(rows.map((r) => r.label)), ROOT);
    if (!keyword) throw new Error('fixture labels are not catalogue codes');
    const cv = crossValidate(rows, { folds: 5, keyword });
    const note = `${rows.length} 条、${new Set(rows.map((r) => r.label)).size} 个三级分类，5 折交叉验证`;
    const share = (name: string, value: number, floor: number, base: number): Figure => ({
      name,
      unit: '',
      value,
      target: { op: '>=', value: floor },
      baseline: { label: '关键词建议', value: base },
      note,
    });
    figures.push(share('第一建议正确率（自建样本）', cv.learned.top1, 0.8, cv.keyword!.top1));
    figures.push(share('前三建议命中率（自建样本）', cv.learned.top3, 0.95, cv.keyword!.top3));
    // The desk's blend (shared/learn/blend.ts) on the same folds: the keyword suggester as baseline, the model alone in the note.
    const blended = blendedAccuracy(rows);
    figures.push({ ...share('混合建议第一建议正确率（自建样本）', blended.blend.top1, 0.8, blended.keyword.top1), note: `${note}；仅学习型 ${blended.learned.top1.toFixed(3)}` });
    figures.push({ ...share('混合建议前三命中率（自建样本）', blended.blend.top3, 0.95, blended.keyword.top3), note: `${note}；仅学习型 ${blended.learned.top3.toFixed(3)}` });

    const csv = readFileSync(join(ROOT, 'resources', 'catalogue', 'catalogue.csv'), 'utf8');
    const storedEntries = JSON.stringify(buildSearchEntries(parseCatalogueCsv(csv)));
    const entries = JSON.parse(storedEntries) as CatalogueSearchEntry[];

    // Training, in CPU time (one thread; the wall clock, in the note, also counts the other
    // processes' turns on a shared machine). The features alone are the floor: every n-gram model reads them.
    const noise = rows.flatMap((r) => r.text.split('，').slice(1));
    const featureCpu = process.cpuUsage();
    let featureCount = 0;
    for (const { text } of syntheticTickets(entries, 100_000, 7, noise)) featureCount += featuresOf(text).length;
    const featureUsed = process.cpuUsage(featureCpu);
    const small = trainSynthetic(entries, 100_000, noise);
    figures.push({
      name: '训练 100,000 条（合成）CPU 时间',
      unit: 'ms',
      value: small.cpuMs,
      target: { op: '<=', value: 6_000 },
      baseline: { label: '仅提取特征', value: (featureUsed.user + featureUsed.system) / 1000 },
      note: `墙钟 ${small.ms.toFixed(0)} ms；每条平均 ${(featureCount / 100_000).toFixed(0)} 个特征；目标为 1 分钟/百万条按比例`,
    });
    const large = trainSynthetic(entries, 1_000_000, noise);
    figures.push({
      name: '训练 1,000,000 条（合成，单线程）CPU 时间',
      unit: 'ms',
      value: large.cpuMs,
      target: { op: '<=', value: 60_000 },
      baseline: { label: '100,000 条 ×10', value: small.cpuMs * 10 },
      note: `墙钟 ${large.ms.toFixed(0)} ms；${large.model.labels.length} 个分类，${large.model.rowLabel.length} 个（特征，分类）权重`,
    });

    // Size and load: against the catalogue's search entries, which every desk already parses at start.
    const json = serializeModel(large.model);
    const mb = (n: number) => n / 1024 / 1024;
    figures.push({ name: '模型文件大小（百万条训练）', unit: 'MB', value: mb(json.length), target: { op: '<=', value: 20 }, baseline: { label: '目录检索条目 JSON', value: mb(storedEntries.length) } });
    loadModel(json); // warm
    const loads = timeSync(5, () => loadModel(json));
    const parses = timeSync(5, () => JSON.parse(storedEntries));
    figures.push(latency('载入模型（解析+解码）p50', 50, loads, { targetMs: 200, baseline: { label: '解析目录检索条目', samples: parses } }));
    // As the desk loads a published model: the kept file read and checked (electron/services/reference/learned-model-file.ts), then parsed.
    const deskDir = mkdtempSync(join(tmpdir(), 'learned-bench-'));
    try {
      const kept = new LearnedModelFile(deskDir).save(createHash('sha256').update(json, 'utf8').digest('hex'), json);
      if (!kept.ok) throw new Error(kept.error.message);
      // CPU time: on a shared machine the wall clock mostly counts the other processes' turns.
      const deskLoads = cpuTimeSync(5, () => {
        const file = new LearnedModelFile(deskDir).current();
        if (!file || !loadModel(file.content).ok) throw new Error('the kept model does not load');
      });
      figures.push(latency('坐席载入已发布模型（读文件+校验+解析，CPU 时间）p50', 50, deskLoads, { targetMs: 200, baseline: { label: '解析目录检索条目（墙钟）', samples: parses } }));
    } finally {
      rmSync(deskDir, { recursive: true, force: true });
    }

    // One prediction: realistic sentences (the fixtures), against the keyword suggester on the same texts.
    const loaded = loadModel(json);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const model = loaded.value;
    const index = createCatalogueIndex(entries);
    prepareSuggestions(index);
    const texts = rows.map((r) => r.text);
    for (const t of texts) {
      predict(model, t);
      suggestFromContent(index, t, 3);
    }
    const predictCpu = process.cpuUsage();
    const ours = timeSync(texts.length * 4, (i) => predict(model, texts[i % texts.length]!, 3));
    const predictUsed = process.cpuUsage(predictCpu);
    const theirs = timeSync(texts.length * 4, (i) => suggestFromContent(index, texts[i % texts.length]!, 3));
    figures.push(
      latency('一次预测 p99（前三，含理由）', 99, ours, {
        targetMs: 5,
        baseline: { label: '关键词建议 p99', samples: theirs },
        note: `墙钟，含被其他进程抢占的时间；平均 CPU ${((predictUsed.user + predictUsed.system) / 1000 / ours.length).toFixed(3)} ms`,
      }),
    );
    // The same in CPU time per call: what the prediction itself costs, without the machine's other work.
    const oursCpu = cpuTimeSync(texts.length * 4, (i) => predict(model, texts[i % texts.length]!, 3));
    const theirsCpu = cpuTimeSync(texts.length * 4, (i) => suggestFromContent(index, texts[i % texts.length]!, 3));
    figures.push(latency('一次预测 p99（CPU 时间）', 99, oursCpu, { targetMs: 5, baseline: { label: '关键词建议 p99（CPU 时间）', samples: theirsCpu } }));
    // 4,000 characters (web channels send them): many fixture messages run together, a different mix each.
    const long = Array.from({ length: 20 }, (_, i) => {
      let text = '';
      for (let j = i; text.length < 4000; j += 7) text += texts[j % texts.length]!;
      return text.slice(0, 4000);
    });
    const oursLong = timeSync(long.length * 3, (i) => predict(model, long[i % long.length]!, 3));
    const theirsLong = timeSync(long.length, (i) => suggestFromContent(index, long[i]!, 3));
    figures.push(latency('一次预测 p99（4,000 字网络来信）', 99, oursLong, { baseline: { label: '关键词建议 p99', samples: theirsLong } }));
    return figures;
  },
};
