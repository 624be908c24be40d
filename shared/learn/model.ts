/**
 * The learned suggester: a linear model over hashed character n-grams (shared/learn/features.ts),
 * trained by counting — complement naive Bayes by default, multinomial naive Bayes as the
 * alternative measured against it (docs/decisions/0004-learned-suggester.md). Any label set works:
 * leaf codes, full paths 一级—二级—三级, or a center's own labels.
 *
 * Both kinds score a label c for a text with distinct features F as
 *
 *     score(c) = prior(c) + |F| · perFeature(c) + Σ_{f ∈ F, f seen with c} weight(f, c)
 *
 * so the model is a dense part per label and a sparse part per (feature, label) pair seen in
 * training, stored by feature (bucket) like a sparse matrix's rows, labels ascending in each row.
 * A prediction walks only the rows of its text's features: cost grows with the text, not with the
 * number of labels times features. Weights are quantised to one byte; when the pairs would not fit
 * the size budget, the rarest pairs (seen least often) are dropped first.
 */
import { DEFAULT_FEATURES, featuresOf, normalizeForFeatures, type FeatureOptions } from './features';
import { TextWords, wholeReasons } from './reasons';

export type ModelKind = 'complement-nb' | 'multinomial-nb';

export interface TrainOptions {
  kind: ModelKind;
  features: FeatureOptions;
  /** Additive smoothing. */
  alpha: number;
  /** Size budget of the serialised model (bytes, approximately); rarest pairs are dropped to meet it. */
  maxBytes: number;
}

export const DEFAULT_TRAIN: TrainOptions = { kind: 'complement-nb', features: DEFAULT_FEATURES, alpha: 2, maxBytes: 18 * 1024 * 1024 };

export interface LearnedModel {
  kind: ModelKind;
  features: FeatureOptions;
  labels: string[];
  /** Per label: added once. */
  prior: Float64Array;
  /** Per label: added once per distinct feature of the text. */
  perFeature: Float64Array;
  /** Row of bucket b: entries rowStart[b] .. rowStart[b + 1]. */
  rowStart: Uint32Array;
  /** Label index of each entry, ascending within a row (16 bits while there are at most 65,536 labels). */
  rowLabel: Uint16Array | Uint32Array;
  /** Weight of each entry, quantised: weight = rowWeight[i] * scale. */
  rowWeight: Uint8Array;
  scale: number;
  /** Number of training texts. */
  trained: number;
  /** Softmax temperature turning scores into shares of belief (see DEFAULT_TEMPERATURE). */
  temperature: number;
}

/**
 * Measured on test/fixtures/learned-tickets.csv (5-fold): at 0.6 the first suggestion's share
 * matches how often it is right (mean 0.89 against 0.885 right, expected calibration error 0.02;
 * at 1 the shares were 0.75 for the same accuracy). A blend can read a share as a probability.
 */
export const DEFAULT_TEMPERATURE = 0.6;

export interface Prediction {
  label: string;
  /** Share of the belief among all labels (softmax of the scores at the model's temperature), 0..1. */
  score: number;
  /** The whole terms of the text whose n-grams weighed most for this label, most first (shared/learn/reasons.ts). */
  why: Array<{ text: string; weight: number }>;
}

/** A well-mixed 32-bit hash of a key below 2^52 (murmur3's finaliser over its two halves). */
function slotHash(key: number): number {
  let h = (key | 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Counts of (bucket, label) pairs in an open-addressing table of typed arrays: a million tickets
 * are ~10^8 increments, which a Map of numbers would take minutes over.
 */
class PairCounts {
  keys: Float64Array;
  counts: Uint32Array;
  size = 0;
  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity).fill(-1);
    this.counts = new Uint32Array(capacity);
  }
  add(key: number): void {
    const mask = this.keys.length - 1;
    let slot = slotHash(key) & mask;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === key) {
        this.counts[slot]!++;
        return;
      }
      if (k === -1) {
        this.keys[slot] = key;
        this.counts[slot] = 1;
        if (++this.size * 10 > this.keys.length * 7) this.grow();
        return;
      }
      slot = (slot + 1) & mask;
    }
  }
  private grow(): void {
    const { keys, counts } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.counts = new Uint32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === -1) continue;
      this.add(keys[i]!);
      this.counts[this.slotOf(keys[i]!)] = counts[i]!;
    }
  }
  /** The slot of a key that is in the table. */
  slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let slot = slotHash(key) & mask;
    while (this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }
}

/** Trains a model incrementally: add texts, then build. Deterministic: the same rows give the same model. */
export class Trainer {
  private readonly labelIndex = new Map<string, number>();
  readonly labels: string[] = [];
  private readonly pairs = new PairCounts();
  private docsOf: number[] = [];
  private featuresOfLabel: number[] = [];
  private docs = 0;
  constructor(readonly options: TrainOptions = DEFAULT_TRAIN) {}

  add(text: string, label: string): void {
    let c = this.labelIndex.get(label);
    if (c === undefined) {
      c = this.labels.length;
      this.labelIndex.set(label, c);
      this.labels.push(label);
      this.docsOf.push(0);
      this.featuresOfLabel.push(0);
    }
    const features = featuresOf(text, this.options.features);
    // Key = bucket * 2^20 + label: exact in a double for 2^32 buckets and a million labels.
    for (let i = 0; i < features.length; i++) this.pairs.add(features[i]! * LABEL_SPACE + c);
    this.docsOf[c]!++;
    this.featuresOfLabel[c]! += features.length;
    this.docs++;
  }

  build(): LearnedModel {
    const { kind, features, alpha, maxBytes } = this.options;
    const C = this.labels.length;
    const { keys, counts } = this.pairs;
    // Live pairs sorted by key = (bucket, label), with their counts.
    const sortedKeys = new Float64Array(this.pairs.size);
    for (let i = 0, k = 0; i < keys.length; i++) if (keys[i] !== -1) sortedKeys[k++] = keys[i]!;
    sortedKeys.sort();
    const sortedCounts = Uint32Array.from(sortedKeys, (key) => counts[this.pairs.slotOf(key)]!);

    // Feature totals (all labels) and the vocabulary size (distinct buckets seen).
    const bucketTotal = new Float64Array(features.buckets);
    let V = 0;
    for (let i = 0; i < sortedKeys.length; i++) {
      const b = Math.floor(sortedKeys[i]! / LABEL_SPACE);
      if (bucketTotal[b] === 0) V++;
      bucketTotal[b]! += sortedCounts[i]!;
    }
    let N = 0;
    for (const n of this.featuresOfLabel) N += n;

    // Budget: an entry is its label (2 or 4 bytes) and weight (1 byte), a bucket's row start 4 bytes,
    // all ×4/3 in base64; a label's name and two numbers ~64 bytes.
    const labelBytes = C <= 65536 ? 2 : 4;
    const budgetPairs = Math.max(0, Math.floor((maxBytes - (features.buckets + 1) * 4 * 1.34 - C * 64) / ((labelBytes + 1) * 1.34)));
    let minCount = 1;
    if (sortedKeys.length > budgetPairs) {
      const histogram = new Map<number, number>();
      for (const n of sortedCounts) histogram.set(n, (histogram.get(n) ?? 0) + 1);
      let kept = sortedKeys.length;
      const ascending = [...histogram.keys()].sort((a, b) => a - b);
      for (const count of ascending) {
        if (kept <= budgetPairs) break;
        kept -= histogram.get(count)!;
        minCount = count + 1;
      }
    }

    const prior = new Float64Array(C);
    const perFeature = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      if (kind === 'multinomial-nb') {
        prior[c] = Math.log(this.docsOf[c]! / this.docs);
        perFeature[c] = Math.log(alpha) - Math.log(this.featuresOfLabel[c]! + alpha * V);
      } else {
        // Complement NB: the label whose complement explains the text worst wins; no prior (its point).
        prior[c] = 0;
        perFeature[c] = Math.log(alpha * V + N - this.featuresOfLabel[c]!) - Math.log(alpha * V + N);
      }
    }

    const weightOf = (n: number, total: number) =>
      kind === 'multinomial-nb' ? Math.log(n + alpha) - Math.log(alpha) : Math.log(alpha + total) - Math.log(alpha + total - n);
    let maxWeight = 0;
    for (let i = 0; i < sortedKeys.length; i++) {
      if (sortedCounts[i]! < minCount) continue;
      const w = weightOf(sortedCounts[i]!, bucketTotal[Math.floor(sortedKeys[i]! / LABEL_SPACE)]!);
      if (w > maxWeight) maxWeight = w;
    }
    const scale = maxWeight > 0 ? maxWeight / 255 : 1;
    // Entries whose weight rounds to 0 change no score: a word every label has (的, 市民) keeps a short row.
    const rowStart = new Uint32Array(features.buckets + 1);
    const entryLabel: number[] = [];
    const entryWeight: number[] = [];
    for (let i = 0; i < sortedKeys.length; i++) {
      const n = sortedCounts[i]!;
      if (n < minCount) continue;
      const key = sortedKeys[i]!;
      const b = Math.floor(key / LABEL_SPACE);
      const q = Math.round(weightOf(n, bucketTotal[b]!) / scale);
      if (q === 0) continue;
      rowStart[b + 1]!++;
      entryLabel.push(key - b * LABEL_SPACE);
      entryWeight.push(q);
    }
    for (let b = 0; b < features.buckets; b++) rowStart[b + 1]! += rowStart[b]!;
    const rowWeight = Uint8Array.from(entryWeight);
    return {
      kind,
      features: { ...features },
      labels: [...this.labels],
      prior,
      perFeature,
      rowStart,
      rowLabel: labelBytes === 2 ? Uint16Array.from(entryLabel) : Uint32Array.from(entryLabel),
      rowWeight,
      scale,
      trained: this.docs,
      temperature: DEFAULT_TEMPERATURE,
    };
  }
}

const LABEL_SPACE = 1 << 20;

export function train(rows: Iterable<{ text: string; label: string }>, options: TrainOptions = DEFAULT_TRAIN): LearnedModel {
  const trainer = new Trainer(options);
  for (const { text, label } of rows) trainer.add(text, label);
  return trainer.build();
}

/** Raw scores of every label for a text (see the formula at the top). */
export function scoresOf(model: LearnedModel, features: Uint32Array): Float64Array {
  const C = model.labels.length;
  const scores = new Float64Array(C);
  const n = features.length;
  for (let c = 0; c < C; c++) scores[c] = model.prior[c]! + n * model.perFeature[c]!;
  const { rowStart, rowLabel, rowWeight, scale } = model;
  for (let i = 0; i < n; i++) {
    const b = features[i]!;
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) scores[rowLabel[e]!]! += rowWeight[e]! * scale;
  }
  return scores;
}

/** The k best labels for a text, with their share of belief and the n-grams that weighed most. */
export function predict(model: LearnedModel, text: string, k = 3, whyCount = 5): Prediction[] {
  const features = featuresOf(text, model.features);
  if (features.length === 0 || model.labels.length === 0 || k < 1) return [];
  const scores = scoresOf(model, features);
  // Top k by a single pass (k is small).
  const top: number[] = [];
  for (let c = 0; c < scores.length; c++) {
    if (top.length < k) {
      top.push(c);
      top.sort((a, b) => scores[b]! - scores[a]! || a - b);
    } else if (scores[c]! > scores[top[k - 1]!]!) {
      top[k - 1] = c;
      top.sort((a, b) => scores[b]! - scores[a]! || a - b);
    }
  }
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  const t = model.temperature;
  let sum = 0;
  for (const s of scores) sum += Math.exp((s - max) / t);
  // The why: each top label's features by weight (one more walk over the text's rows, as in
  // scoring); n-gram strings only for the buckets that count.
  // Each label keeps its heaviest whyCount * 4 (a short list, kept sorted, heaviest first).
  const keep = whyCount * 4;
  const weighed = top.map(() => [] as Array<{ bucket: number; weight: number }>);
  if (whyCount > 0) {
    const { rowStart, rowLabel, rowWeight, scale } = model;
    for (const b of features) {
      for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) {
        const at = top.indexOf(rowLabel[e]!);
        if (at < 0) continue;
        const list = weighed[at]!;
        const weight = rowWeight[e]! * scale;
        if (list.length === keep && weight <= list[keep - 1]!.weight) continue;
        let i = Math.min(list.length, keep - 1);
        list[i] = { bucket: b, weight };
        // Features arrive by ascending bucket, so among equal weights the lower bucket stays first.
        for (; i > 0 && list[i - 1]!.weight < weight; i--) [list[i - 1], list[i]] = [list[i]!, list[i - 1]!];
      }
    }
  }
  const grams = new Map<number, string>();
  const normalized = whyCount > 0 ? normalizeForFeatures(text) : '';
  const words = whyCount > 0 ? new TextWords(normalized) : null;
  if (whyCount > 0) featuresOf(text, model.features, grams, new Set(weighed.flatMap((list) => list.map((w) => w.bucket))));
  return top.map((c, i) => ({
    label: model.labels[c]!,
    score: Math.exp((scores[c]! - max) / t) / sum,
    why: explain(normalized, words, weighed[i]!.map((w) => ({ text: grams.get(w.bucket)!, weight: w.weight })), whyCount),
  }));
}

/** Heaviest first, as whole terms of the text (shared/learn/reasons.ts); weights rounded for showing. */
function explain(normalized: string, words: TextWords | null, weighed: Array<{ text: string; weight: number }>, count: number): Prediction['why'] {
  if (!words) return [];
  return wholeReasons(normalized, weighed, count, words).map((c) => ({ text: c.text, weight: Math.round(c.weight * 100) / 100 }));
}
