/**
 * The desk's category suggestions: the keyword suggester (shared/search/suggest.ts) and the learned
 * model (shared/learn/model.ts) blended into one top-k, each entry saying why.
 *
 * The rule (measured on test/fixtures/learned-tickets.csv by 5-fold cross-validation, the figures in
 * docs/decisions/0004-learned-suggester.md):
 * - a strong keyword match wins: when the terms of the keyword suggester's first leaf, said
 *   verbatim, cover at least half the text (what a call-taker types: 暖气不热, 噪音扰民 施工), that
 *   leaf goes first — however sure the model is (it is sure of leaves it never saw, too);
 * - otherwise, and after it, the model's leaves in its order, then the keyword suggester's, each
 *   leaf once. A leaf both name is marked `both` and shows both reasons.
 * With no model (a desk that never received one) the list is the keyword suggester's, unchanged.
 */
import type { ContentSuggestion } from '../search/suggest';
import type { Prediction } from './model';

export interface BlendRule {
  /** Share of the text's characters (spaces and punctuation aside) that the keyword suggester's first leaf's terms, said verbatim, cover for it to be a strong match. */
  strongCover: number;
  /** After the first: the model's next leaves before the keyword suggester's, or the two alternating. */
  fill: 'learned-first' | 'alternate';
  /** With learned-first: the model's next leaves go before the keyword suggester's only with at least this share. */
  minShare: number;
}

/** Chosen by measurement (docs/decisions/0004-learned-suggester.md, "Blending on the desk"). */
export const DEFAULT_BLEND: BlendRule = { strongCover: 0.5, fill: 'learned-first', minShare: 0.05 };

export interface BlendedSuggestion extends ContentSuggestion {
  /** Which suggester named the leaf. */
  source: 'keyword' | 'learned' | 'both';
  /** The words that weighed most, most first: the model's n-grams, else the keyword terms found. */
  why: string[];
  /** The model's share of belief for the leaf (0..1), null when only the keyword suggester named it. */
  share: number | null;
}

const NOT_TEXT = /[\s\p{P}\p{S}]/gu;

/** Share of the text (spaces and punctuation aside) the suggestion's verbatim terms cover, 0..1. */
export function keywordCover(text: string, suggestion: Pick<ContentSuggestion, 'terms'> | undefined): number {
  if (!suggestion) return 0;
  const length = text.replace(NOT_TEXT, '').length;
  if (length === 0) return 0;
  const said = suggestion.terms.filter((t) => t.count > 0).reduce((n, t) => n + t.text.replace(NOT_TEXT, '').length, 0);
  return Math.min(1, said / length);
}

/** The order of leaf codes the rule gives (the measurable core of blendSuggestions). */
export function blendOrder(
  text: string,
  keyword: readonly Pick<ContentSuggestion, 'code' | 'terms'>[],
  learned: readonly { label: string; score: number }[],
  limit = 3,
  rule: BlendRule = DEFAULT_BLEND,
): string[] {
  const out: string[] = [];
  const add = (code: string | undefined) => {
    if (code !== undefined && out.length < limit && !out.includes(code)) out.push(code);
  };
  if (learned.length === 0) {
    keyword.forEach((k) => add(k.code));
    return out;
  }
  const strong = keywordCover(text, keyword[0]) >= rule.strongCover;
  if (strong) add(keyword[0]!.code);
  if (rule.fill === 'learned-first') {
    // The model's first leaf, its next ones it gives a real share, the keyword suggester's, then the rest.
    add(learned[0]!.label);
    learned.forEach((p) => p.score >= rule.minShare && add(p.label));
    keyword.forEach((k) => add(k.code));
    learned.forEach((p) => add(p.label));
  } else {
    for (let i = 0; out.length < limit && (i < learned.length || i < keyword.length); i++) {
      add(learned[i]?.label);
      add(keyword[i]?.code);
    }
  }
  return out;
}

/**
 * The blended top-k as the intake form shows it. `pathOf` names a leaf of the desk's current
 * catalogue (null: the model learned a leaf this catalogue no longer has, which is left out).
 */
export function blendSuggestions(
  text: string,
  keyword: readonly ContentSuggestion[],
  learned: readonly Prediction[],
  pathOf: (code: string) => string[] | null,
  limit = 3,
  rule: BlendRule = DEFAULT_BLEND,
): BlendedSuggestion[] {
  const known = learned.filter((p) => pathOf(p.label) !== null);
  const byKeyword = new Map(keyword.map((k) => [k.code, k]));
  const byLearned = new Map(known.map((p) => [p.label, p]));
  return blendOrder(text, keyword, known, limit, rule).map((code) => {
    const k = byKeyword.get(code);
    const p = byLearned.get(code);
    // The keyword suggester's terms said verbatim, else (a term partly said) what it found.
    const said = k?.terms.filter((t) => t.count > 0) ?? [];
    const words = [...(p?.why.map((w) => w.text) ?? []), ...(said.length ? said : (k?.terms.slice(0, 2) ?? [])).map((t) => t.text)];
    // A word inside one already named adds nothing (暖气 after 暖气片).
    // A single character says little (欠, 的) when longer words are there.
    const telling = words.filter((w) => w.length > 1).length >= 2 ? words.filter((w) => w.length > 1) : words;
    const why: string[] = [];
    // …and one named earlier inside a longer word named later gives way to it (暖气 before 暖气片).
    for (const w of telling) {
      if (why.some((c) => c.includes(w))) continue;
      const at = why.findIndex((c) => w.includes(c));
      if (at >= 0) why.splice(at, 1, w);
      else why.push(w);
      for (let i = why.length - 1; i >= 0; i--) if (why[i] !== w && w.includes(why[i]!)) why.splice(i, 1);
    }
    return {
      code,
      path: k?.path ?? pathOf(code)!,
      score: k?.score ?? 0,
      terms: k?.terms ?? [],
      source: k && p ? 'both' : p ? 'learned' : 'keyword',
      why: why.slice(0, 4),
      share: p ? p.score : null,
    };
  });
}
