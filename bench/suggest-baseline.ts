/**
 * The content suggester as it was before issue 17 (kept for bench/catalogue-search.bench.ts only,
 * as the same-run baseline of shared/search/suggest.ts): every key sharing a quarter of its
 * character pairs with the whole text is compared with every clause, so a long text costs its
 * length times the number of such keys; the write-up's framing counts as evidence.
 */
import type { CatalogueSearchEntry, SearchTerm } from '../shared/domain/catalogue';
import type { CatalogueIndex } from '../shared/search/catalogue-index';
import { normalizeText } from '../shared/search/pinyin';

export interface ContentSuggestion {
  code: string;
  /** Names from 一级 to the leaf. */
  path: string[];
  score: number;
  /** The leaf's terms found in the content, most telling first. */
  terms: Array<{
    kind: SearchTerm['kind'];
    text: string;
    /** Share of the term (by weight) found in the content: 1 when it was said verbatim. */
    share: number;
    /** Verbatim occurrences (0 when only part of it was said). */
    count: number;
  }>;
}

/** A term must be this long to suggest anything (one character is in half the catalogue). */
const MIN_TERM_LENGTH = 2;
/** …and at least this share of it (by weight) must be in one clause, in order. */
const MIN_SHARE = 0.5;
const CLAUSE_BREAK = /[，。、；：？！,.;:?!\s()（）“”"'‘’《》【】…—-]+/;

interface Dictionary {
  keys: string[];
  /** Number of distinct character pairs of each key. */
  pairCounts: Uint16Array;
  /** How many leaves have each key (any kind). */
  leafCounts: Uint16Array;
  /** Owners of key id: ownerRefs[ownerStart[id] .. ownerStart[id + 1]), each entry * 1024 + term index. */
  ownerStart: Int32Array;
  ownerRefs: Int32Array;
  /** Distinct (pair, key) as pair * KEY_SPACE + key, sorted: the keys holding a pair are one run. */
  pairKeys: Float64Array;
  /** How many keys hold each character (by char code), for its weight. */
  keysWithChar: Uint32Array;
}

const dictionaries = new WeakMap<readonly CatalogueSearchEntry[], Dictionary>();

/** Keys are numbered below this (2^20), so a (pair, key) code stays an exact double. */
const KEY_SPACE = 1 << 20;
const TERM_SPACE = 1024;
const pairCode = (s: string, i: number) => s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1);

/**
 * Built once per catalogue on first use (flat typed arrays, no per-term objects); call
 * prepareSuggestions after building the index to take that cost while nobody is typing.
 */
function dictionaryOf(entries: readonly CatalogueSearchEntry[]): Dictionary {
  const cached = dictionaries.get(entries);
  if (cached) return cached;
  const idOf = new Map<string, number>();
  const keys: string[] = [];
  const refs: number[] = [];
  const refKeys: number[] = [];
  for (let e = 0; e < entries.length; e++) {
    const terms = entries[e]!.terms;
    for (let t = 0; t < terms.length && t < TERM_SPACE; t++) {
      const key = normalizeText(terms[t]!.text);
      if (key.length < MIN_TERM_LENGTH) continue;
      let id = idOf.get(key);
      if (id === undefined) {
        if (keys.length >= KEY_SPACE) continue;
        idOf.set(key, (id = keys.length));
        keys.push(key);
      }
      refs.push(e * TERM_SPACE + t);
      refKeys.push(id);
    }
  }
  const count = keys.length;
  // Owners grouped by key (counting sort; entries stay in catalogue order within a key).
  const ownerStart = new Int32Array(count + 1);
  for (const id of refKeys) ownerStart[id + 1]!++;
  for (let id = 0; id < count; id++) ownerStart[id + 1]! += ownerStart[id]!;
  const fill = ownerStart.slice(0, count);
  const ownerRefs = new Int32Array(refs.length);
  for (let k = 0; k < refs.length; k++) ownerRefs[fill[refKeys[k]!]!++] = refs[k]!;
  const leafCounts = new Uint16Array(count);
  for (let id = 0; id < count; id++) {
    let leaves = 0;
    let last = -1;
    for (let o = ownerStart[id]!; o < ownerStart[id + 1]!; o++) {
      const e = Math.floor(ownerRefs[o]! / TERM_SPACE);
      if (e !== last) [leaves, last] = [leaves + 1, e];
    }
    leafCounts[id] = Math.min(leaves, 0xffff);
  }

  let pairTotal = 0;
  for (const key of keys) pairTotal += key.length - 1;
  const all = new Float64Array(pairTotal);
  const keysWithChar = new Uint32Array(65536);
  const lastKeyWithChar = new Int32Array(65536).fill(-1);
  for (let id = 0, k = 0; id < count; id++) {
    const key = keys[id]!;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (lastKeyWithChar[c] !== id) {
        lastKeyWithChar[c] = id;
        keysWithChar[c]!++;
      }
      if (i + 1 < key.length) all[k++] = pairCode(key, i) * KEY_SPACE + id;
    }
  }
  all.sort();
  // Drop a pair repeated within one key, and count each key's distinct pairs.
  const pairCounts = new Uint16Array(count);
  let distinct = 0;
  for (let k = 0; k < all.length; k++) {
    if (k > 0 && all[k] === all[k - 1]) continue;
    all[distinct++] = all[k]!;
    const id = all[k]! % KEY_SPACE;
    if (pairCounts[id]! < 0xffff) pairCounts[id]!++;
  }
  const dictionary = { keys, pairCounts, leafCounts, ownerStart, ownerRefs, pairKeys: all.slice(0, distinct), keysWithChar };
  dictionaries.set(entries, dictionary);
  return dictionary;
}

/** The keys holding a character pair: ids from the run of `pair` in the sorted pairKeys. */
function keysWithPair(pairKeys: Float64Array, pair: number, visit: (id: number) => void): void {
  const from = pair * KEY_SPACE;
  let lo = 0;
  let hi = pairKeys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pairKeys[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < pairKeys.length && pairKeys[k]! < from + KEY_SPACE; k++) visit(pairKeys[k]! - from);
}

/** Builds the suggestion tables now rather than on the first suggestion. */
export function prepareBaselineSuggestions(source: CatalogueIndex | readonly CatalogueSearchEntry[]): void {
  dictionaryOf('search' in source ? source.entries : source);
}

/** Start positions of `key` in `text`. */
function occurrences(text: string, key: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) starts.push(at);
  return starts;
}

/** Weight of the longest common subsequence of `a` and `b`, by character weight. */
function weightedLcs(a: string, b: string, weightOf: (c: number) => number): number {
  let previous = new Float64Array(b.length + 1);
  let current = new Float64Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const c = a.charCodeAt(i - 1);
    const w = weightOf(c);
    for (let j = 1; j <= b.length; j++) current[j] = b.charCodeAt(j - 1) === c ? previous[j - 1]! + w : Math.max(previous[j]!, current[j - 1]!);
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export function baselineSuggestFromContent(source: CatalogueIndex | readonly CatalogueSearchEntry[], content: string, limit = 3): ContentSuggestion[] {
  const entries = 'search' in source ? source.entries : source;
  if (!(limit >= 1) || !content) return [];
  const { keys, pairCounts, leafCounts, ownerStart, ownerRefs, pairKeys, keysWithChar } = dictionaryOf(entries);
  // A character weighs by its rarity among the terms: 暖/气 tell more than 没/人/管.
  const weightOf = (c: number) => Math.log(1 + keys.length / (keysWithChar[c]! + 1));
  const text = normalizeText(content);
  const clauses = text.split(CLAUSE_BREAK).filter((c) => c.length >= MIN_TERM_LENGTH);

  // Candidates: keys with at least a quarter of their character pairs anywhere in the text — a
  // cheap filter before the in-order comparison, which only these get.
  const pairsFound = new Map<number, number>();
  const seenPairs = new Set<number>();
  const countPair = (id: number) => pairsFound.set(id, (pairsFound.get(id) ?? 0) + 1);
  for (const clause of clauses) {
    for (let i = 0; i + 1 < clause.length; i++) {
      const pair = pairCode(clause, i);
      if (seenPairs.has(pair)) continue;
      seenPairs.add(pair);
      keysWithPair(pairKeys, pair, countPair);
    }
  }

  interface Found {
    id: number;
    key: string;
    share: number;
    mass: number;
    starts: number[];
    term: SearchTerm;
  }
  const byLeaf = new Map<number, Found[]>();
  for (const [id, pairs] of pairsFound) {
    if (pairs * 4 < pairCounts[id]!) continue;
    const key = keys[id]!;
    let keyWeight = 0;
    for (let i = 0; i < key.length; i++) keyWeight += weightOf(key.charCodeAt(i));
    const starts = occurrences(text, key);
    let matched = starts.length > 0 ? keyWeight : 0;
    if (matched === 0) for (const clause of clauses) matched = Math.max(matched, weightedLcs(clause, key, weightOf));
    const share = matched / keyWeight;
    if (share < MIN_SHARE) continue;
    for (let o = ownerStart[id]!; o < ownerStart[id + 1]!; o++) {
      const entry = Math.floor(ownerRefs[o]! / TERM_SPACE);
      const item = { id, key, share, mass: matched, starts, term: entries[entry]!.terms[ownerRefs[o]! % TERM_SPACE]! };
      const list = byLeaf.get(entry);
      if (list) list.push(item);
      else byLeaf.set(entry, [item]);
    }
  }

  const suggestions: Array<ContentSuggestion & { entry: number }> = [];
  for (const [entry, found] of byLeaf) {
    // Most telling first, so a term said only inside one already counted can be recognised.
    found.sort((a, b) => b.mass - a.mass);
    const spans: Array<[number, number]> = [];
    let score = 0;
    const terms: ContentSuggestion['terms'] = [];
    for (const { id, key, share, mass, starts, term } of found) {
      const free = starts.filter((s) => !spans.some(([a, b]) => s >= a && s + key.length <= b));
      if (starts.length > 0 && free.length === 0) continue;
      for (const s of free) spans.push([s, s + key.length]);
      score += ((mass * mass) / Math.sqrt(leafCounts[id]!)) * (free.length > 1 ? 1.5 : 1);
      terms.push({ kind: term.kind, text: term.text, share: Math.round(share * 100) / 100, count: free.length });
    }
    if (terms.length > 0) suggestions.push({ entry, code: entries[entry]!.code, path: [...entries[entry]!.path], score: Math.round(score * 10) / 10, terms });
  }
  suggestions.sort((a, b) => b.score - a.score || b.terms.length - a.terms.length || a.entry - b.entry);
  return suggestions.slice(0, Math.floor(limit)).map(({ code, path, score, terms }) => ({ code, path, score, terms }));
}
