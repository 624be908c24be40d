/**
 * The desk's blend of keyword and learned suggestions (shared/learn/blend.ts): a desk without a
 * model suggests exactly as before; a strong keyword match (what a call-taker types) still wins; for
 * a sentence the model leads; each suggestion says why. Measured on test/fixtures/learned-tickets.csv
 * by the k-fold code (shared/learn/evaluate.ts) as docs/decisions/0004-learned-suggester.md reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSearchEntries, parseCatalogueCsv } from '../../electron/services/catalogue/search-terms';
import { blendOrder, blendSuggestions, keywordCover } from '../../shared/learn/blend';
import { accuracyOf, assignFolds } from '../../shared/learn/evaluate';
import { predict, train } from '../../shared/learn/model';
import { parseTrainingCsv } from '../../shared/learn/training-file';
import { createCatalogueIndex } from '../../shared/search/catalogue-index';
import { suggestFromContent, type ContentSuggestion } from '../../shared/search/suggest';

const ROOT = join(import.meta.dirname, '..', '..');
const entries = buildSearchEntries(parseCatalogueCsv(readFileSync(join(ROOT, 'resources', 'catalogue', 'catalogue.csv'), 'utf8')));
const index = createCatalogueIndex(entries);
const pathOf = (code: string) => entries.find((e) => e.code === code)?.path ?? null;
const parsed = parseTrainingCsv(readFileSync(join(ROOT, 'test', 'fixtures', 'learned-tickets.csv'), 'utf8'));
if (!parsed.ok) throw new Error(parsed.error.message);
const rows = parsed.value;

const kw = (code: string, text: string, count = 1): ContentSuggestion => ({ code, path: ['一', '二', code], score: 100, terms: [{ kind: 'synonym', text, share: 1, count }] });

describe('blending keyword and learned suggestions', () => {
  it('without a model the keyword suggestions stand exactly as they were', () => {
    const text = '楼下工地半夜施工，吵得睡不着';
    const keyword = suggestFromContent(index, text, 3);
    expect(keyword.length).toBeGreaterThan(0);
    expect(blendOrder(text, keyword, [])).toEqual(keyword.map((k) => k.code));
  });

  it('a short phrase the keyword terms cover wins even against a sure model; in a sentence the model leads', () => {
    const learned = [{ label: 'B', score: 0.99 }, { label: 'C', score: 0.01 }];
    expect(keywordCover('暖气不热', kw('A', '暖气不热'))).toBe(1);
    expect(blendOrder('暖气不热', [kw('A', '暖气不热')], learned)).toEqual(['A', 'B', 'C']);
    const sentence = '我家从上周开始暖气不热，屋里只有十四度，老人孩子都冻感冒了，物业一直推给热力公司';
    expect(keywordCover(sentence, kw('A', '暖气不热'))).toBeLessThan(0.5);
    // The model's leaf leads; one it gives almost no share to comes after the keyword suggester's.
    expect(blendOrder(sentence, [kw('A', '暖气不热')], learned)).toEqual(['B', 'A', 'C']);
    expect(blendOrder(sentence, [kw('A', '暖气不热')], [{ label: 'B', score: 0.7 }, { label: 'C', score: 0.3 }])).toEqual(['B', 'C', 'A']);
    // A term only partly said covers nothing.
    expect(keywordCover('暖气不太热', kw('A', '暖气不热', 0))).toBe(0);
  });

  it('each blended suggestion says why, and a leaf the catalogue no longer has is left out', () => {
    const model = train(rows);
    const text = '小区门口的工地每天夜里十二点还在打桩，吵得全楼都睡不着';
    const predictions = predict(model, text, 3, 5);
    const blended = blendSuggestions(text, suggestFromContent(index, text, 3), predictions, pathOf, 3);
    expect(blended[0]!.code).toBe(predictions[0]!.label);
    expect(blended[0]!.source).not.toBe('keyword');
    expect(blended[0]!.why.length).toBeGreaterThan(0);
    expect(blended[0]!.why.some((w) => text.includes(w))).toBe(true);
    expect(blended[0]!.path).toEqual(pathOf(predictions[0]!.label));
    const gone = blendSuggestions(text, [], [{ label: '9999999', score: 0.9, why: [] }, ...predictions], pathOf, 3);
    expect(gone.map((s) => s.code)).not.toContain('9999999');
  });

  it('shows a word once, as the longest form named: the model\'s 暖气 gives way to the keyword term 暖气片', () => {
    const text = '家里暖气片一点都不热，屋里才十四度';
    const learned = [{ label: 'A', score: 0.8, why: [{ text: '暖气', weight: 3 }, { text: '不热', weight: 2 }] }];
    const [one] = blendSuggestions(text, [kw('A', '暖气片')], learned, () => ['一', '二', 'A'], 3);
    expect(one!.why).toEqual(['暖气片', '不热']);
  });

  it('on the fixtures (5-fold) the blend keeps the model’s accuracy on sentences and the keyword suggester’s on typed phrases', () => {
    const fold = assignFolds(rows, 5);
    const guesses = new Map<string, string[]>();
    const keywordGuesses = new Map<string, string[]>();
    for (let k = 0; k < 5; k++) {
      const model = train(rows.filter((_, i) => fold[i] !== k));
      rows.forEach((r, i) => {
        if (fold[i] !== k) return;
        const keyword = suggestFromContent(index, r.text, 3);
        keywordGuesses.set(r.text, keyword.map((s) => s.code));
        guesses.set(r.text, blendOrder(r.text, keyword, predict(model, r.text, 3, 0)));
      });
    }
    const blended = accuracyOf(rows, (text) => guesses.get(text)!);
    const keyword = accuracyOf(rows, (text) => keywordGuesses.get(text)!);
    expect(blended.top1).toBeGreaterThan(0.85);
    expect(blended.top1).toBeGreaterThan(keyword.top1 + 0.3);
    // Typed phrases (a leaf's synonyms) of leaves the model never saw: the keyword suggester's leaf first.
    const model = train(rows);
    const known = new Set(rows.map((r) => r.label));
    const phrases = entries.filter((e) => !known.has(e.code)).slice(0, 400).flatMap((e) => e.terms.filter((t) => t.kind === 'synonym').slice(0, 1).map((t) => ({ text: t.text, label: e.code })));
    const typed = accuracyOf(phrases, (text) => blendOrder(text, suggestFromContent(index, text, 3), predict(model, text, 3, 0)));
    const typedKeyword = accuracyOf(phrases, (text) => suggestFromContent(index, text, 3).map((s) => s.code));
    expect(phrases.length).toBeGreaterThan(50);
    expect(typed.top1).toBeGreaterThanOrEqual(typedKeyword.top1 - 0.02);
  });
});
