/**
 * k-fold cross-validation of the learned suggester (scripts/suggest-eval.ts, the tests and the
 * bench): each label's rows are shuffled with a seed and dealt to the folds in turn, so every fold
 * holds about 1/k of every label (stratified; a label with fewer rows than folds is missing from
 * some). Each fold is held out once; the model is trained on the others and asked for its top 3.
 * A second suggester that needs no training (the keyword suggester) can be measured on the same
 * held-out rows: it names its guesses as labels of the file, or nothing.
 */
import { seededRandom } from '../random';
import { predict, train, DEFAULT_TRAIN, type TrainOptions } from './model';
import type { LabelledText } from './training-file';

export interface Accuracy {
  top1: number;
  top3: number;
  count: number;
}

export interface FoldResult {
  fold: number;
  trainRows: number;
  learned: Accuracy;
  keyword: Accuracy | null;
  trainMs: number;
}

/** Fold number of each row (0 .. folds-1), stratified by label, reproducible from the seed. */
export function assignFolds(rows: readonly LabelledText[], folds: number, seed = 17): Int32Array {
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const list = byLabel.get(r.label);
    if (list) list.push(i);
    else byLabel.set(r.label, [i]);
  });
  const fold = new Int32Array(rows.length);
  let next = 0;
  for (const indices of byLabel.values()) {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indices[i], indices[j]] = [indices[j]!, indices[i]!];
    }
    // Labels start where the previous one stopped, so small labels do not all land in fold 0.
    for (const index of indices) fold[index] = next++ % folds;
  }
  return fold;
}

export function accuracyOf(rows: readonly LabelledText[], guess: (text: string) => string[]): Accuracy {
  let top1 = 0;
  let top3 = 0;
  for (const { text, label } of rows) {
    const guesses = guess(text);
    if (guesses[0] === label) top1++;
    if (guesses.slice(0, 3).includes(label)) top3++;
  }
  return { top1: rows.length ? top1 / rows.length : 0, top3: rows.length ? top3 / rows.length : 0, count: rows.length };
}

export function crossValidate(
  rows: readonly LabelledText[],
  options: { folds: number; seed?: number; train?: TrainOptions; keyword?: (text: string) => string[]; onFold?: (result: FoldResult) => void; now?: () => number },
): { folds: FoldResult[]; learned: Accuracy; keyword: Accuracy | null } {
  const { folds, seed = 17, keyword, onFold, now = () => Date.now() } = options;
  const foldOf = assignFolds(rows, folds, seed);
  const results: FoldResult[] = [];
  for (let k = 0; k < folds; k++) {
    const trainRows = rows.filter((_, i) => foldOf[i] !== k);
    const testRows = rows.filter((_, i) => foldOf[i] === k);
    const start = now();
    const model = train(trainRows, options.train ?? DEFAULT_TRAIN);
    const trainMs = now() - start;
    const learned = accuracyOf(testRows, (text) => predict(model, text, 3, 0).map((p) => p.label));
    const result = { fold: k + 1, trainRows: trainRows.length, learned, keyword: keyword ? accuracyOf(testRows, keyword) : null, trainMs };
    results.push(result);
    onFold?.(result);
  }
  const pooled = (pick: (r: FoldResult) => Accuracy | null): Accuracy | null => {
    const parts = results.map(pick);
    if (parts.some((p) => p === null)) return null;
    const count = parts.reduce((n, p) => n + p!.count, 0);
    const sum = (key: 'top1' | 'top3') => parts.reduce((n, p) => n + p![key] * p!.count, 0) / (count || 1);
    return { top1: sum('top1'), top3: sum('top3'), count };
  };
  return { folds: results, learned: pooled((r) => r.learned)!, keyword: pooled((r) => r.keyword) };
}
