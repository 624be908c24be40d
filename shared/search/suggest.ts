/**
 * Classification suggestions from what the call-taker is typing into the ticket's content
 * ("家里暖气片一点都不热，打电话给物业也没人管"): the leaves whose keywords, caller synonyms and
 * names occur in the text. Cheap enough to run on every pause in typing, and linear in the text's
 * length (a 4,000-character message from a web channel takes about as long per character as a
 * sentence; bench/catalogue-search.bench.ts): the text is read in clauses of bounded length, each
 * clause's character pairs are looked up in a table built once per catalogue, and only the terms
 * sharing enough of them with that clause are compared with it.
 *
 * A term occurs in a clause of the content (split at punctuation: a caller's sentence is clauses,
 * and words scattered over the whole text are no phrase; a clause longer than MAX_CLAUSE is read in
 * overlapping windows) when at least half of it, by weight, is there in order. Synonyms are whole
 * phrases ("暖气片冰凉") that a caller seldom repeats word for word ("暖气片一点都不热"); said
 * verbatim, all of the term is there.
 *
 * Not evidence (shared/search/boilerplate.ts): the write-up's framing (市民来电反映, 要求尽快处理 …)
 * is cut out of the content, and inside a term it and the words every area uses (材料, 办理,
 * 怎么办 …) weigh nothing — so "注册公司需要什么材料" is not half said by "需要什么材料", and the
 * hotline's own leaves are not suggested by 来电人反映.
 *
 * Weights: a character weighs by how rare it is among the catalogue's terms, so 暖/气 tell more
 * than 没/人/管. Each term found adds (weight found)² times the share found — a term half said is
 * weaker evidence than a term of the same weight said whole — longer terms and rarer words weigh more, a
 * long phrase the caller used ("楼上天天半夜跺脚") far more than two short words many leaves share —
 * divided by the square root of the number of leaves that have the term, so an ancestor's name
 * (燃气, on ~45 leaves) or a generic keyword (收费标准) weighs little. Synonyms count exactly as
 * much as keywords and names (callers' words are the point). Saying a term again adds half its
 * weight once: repetition is emphasis, not new evidence. A term said only inside a longer term of
 * the same leaf (暖气 in 暖气片) counts once.
 */
import type { CatalogueSearchEntry, SearchTerm } from '../domain/catalogue';
import { BOILERPLATE, GENERIC } from './boilerplate';
import type { CatalogueIndex } from './catalogue-index';
import { normalizeText } from './pinyin';

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
/**
 * Clauses are compared in windows of at most this many characters, overlapping by more than the
 * longest term, so a text without punctuation costs what a punctuated one does.
 */
const MAX_CLAUSE = 48;
const CLAUSE_BREAKS = '，。、；：？！,.;:?!()（）“”"\'‘’《》【】…—-';

/** Cut-out framing, longest first so 市民来电反映 goes before 市民来电. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BOILERPLATE_PATTERN = new RegExp([...BOILERPLATE].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
const NOT_EVIDENCE = [...new Set([...BOILERPLATE, ...GENERIC])];

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
  /** Weight of each character of key id: charWeights[weightStart[id] + i] (0 inside a word that is no evidence). */
  weightStart: Int32Array;
  charWeights: Float64Array;
  /** Sum of a key's character weights. */
  keyWeights: Float64Array;
  /** Per-suggestion scratch, one slot per key: the clause that last counted it, its pair count there, its best partial match. */
  seenIn: Int32Array;
  pairsIn: Uint16Array;
  bestMatch: Float64Array;
  /** The clause in which each character (by char code) was last seen. */
  charSeenIn: Int32Array;
  clauseStamp: number;
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

  // A character weighs by its rarity among the terms: 暖/气 tell more than 没/人/管.
  const keysWithChar = new Uint32Array(65536);
  const lastKeyWithChar = new Int32Array(65536).fill(-1);
  let charTotal = 0;
  for (let id = 0; id < count; id++) {
    const key = keys[id]!;
    charTotal += key.length;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (lastKeyWithChar[c] !== id) {
        lastKeyWithChar[c] = id;
        keysWithChar[c]!++;
      }
    }
  }
  const weightStart = new Int32Array(count + 1);
  const charWeights = new Float64Array(charTotal);
  const keyWeights = new Float64Array(count);
  for (let id = 0, at = 0; id < count; id++) {
    const key = keys[id]!;
    weightStart[id] = at;
    for (let i = 0; i < key.length; i++) charWeights[at + i] = Math.log(1 + count / (keysWithChar[key.charCodeAt(i)]! + 1));
    for (const word of NOT_EVIDENCE) for (let i = key.indexOf(word); i >= 0; i = key.indexOf(word, i + 1)) charWeights.fill(0, at + i, at + i + word.length);
    let telling = 0;
    for (let i = 0; i < key.length; i++) if (charWeights[at + i]! > 0) [keyWeights[id], telling] = [keyWeights[id]! + charWeights[at + i]!, telling + 1];
    // One telling character (家里冷 without 家里) is too little to stand for a term.
    if (telling < MIN_TERM_LENGTH) keyWeights[id] = 0;
    at += key.length;
    weightStart[id + 1] = at;
  }

  // A term's evidence is what is left without its generic words (电话咨询 → 电话): how many leaves
  // share a term is counted over every term leaving the same, so the rest weighs as common as it is.
  const leavesOfRest = new Map<string, Set<number>>();
  const restOf = (id: number) => {
    let rest = '';
    for (let i = 0; i < keys[id]!.length; i++) if (charWeights[weightStart[id]! + i]! > 0) rest += keys[id]![i];
    return rest;
  };
  for (let id = 0; id < count; id++) {
    if (!(keyWeights[id]! > 0)) continue;
    const rest = restOf(id);
    let leaves = leavesOfRest.get(rest);
    if (!leaves) leavesOfRest.set(rest, (leaves = new Set()));
    for (let o = ownerStart[id]!; o < ownerStart[id + 1]!; o++) leaves.add(Math.floor(ownerRefs[o]! / TERM_SPACE));
  }
  for (let id = 0; id < count; id++) if (keyWeights[id]! > 0) leafCounts[id] = Math.min(leavesOfRest.get(restOf(id))!.size, 0xffff);

  // Keys that weigh nothing (a term made of generic words only) are never looked up, nor are the
  // pairs inside a generic word (需要 of 注册公司需要什么材料): a clause saying only those is no candidate.
  const telling = (id: number, i: number) => charWeights[weightStart[id]! + i]! > 0 || charWeights[weightStart[id]! + i + 1]! > 0;
  let pairTotal = 0;
  for (let id = 0; id < count; id++) if (keyWeights[id]! > 0) for (let i = 0; i + 1 < keys[id]!.length; i++) if (telling(id, i)) pairTotal++;
  const all = new Float64Array(pairTotal);
  for (let id = 0, k = 0; id < count; id++) {
    if (!(keyWeights[id]! > 0)) continue;
    const key = keys[id]!;
    for (let i = 0; i + 1 < key.length; i++) if (telling(id, i)) all[k++] = pairCode(key, i) * KEY_SPACE + id;
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
  const dictionary: Dictionary = {
    keys,
    pairCounts,
    leafCounts,
    ownerStart,
    ownerRefs,
    pairKeys: all.slice(0, distinct),
    weightStart,
    charWeights,
    keyWeights,
    seenIn: new Int32Array(count).fill(-1),
    pairsIn: new Uint16Array(count),
    bestMatch: new Float64Array(count),
    charSeenIn: new Int32Array(65536).fill(-1),
    clauseStamp: 0,
  };
  dictionaries.set(entries, dictionary);
  return dictionary;
}

/** Index of the first (pair, key) code of `pair` in the sorted pairKeys. */
function firstWithPair(pairKeys: Float64Array, pair: number): number {
  const from = pair * KEY_SPACE;
  let lo = 0;
  let hi = pairKeys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pairKeys[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Builds the suggestion tables now rather than on the first suggestion. */
export function prepareSuggestions(source: CatalogueIndex | readonly CatalogueSearchEntry[]): void {
  dictionaryOf('search' in source ? source.entries : source);
}

/** Weight of the longest common subsequence of `a` and key `b`, whose characters weigh weights[at + j]. */
function weightedLcs(a: string, b: string, weights: Float64Array, at: number, previous: Float64Array, current: Float64Array): number {
  previous.fill(0, 0, b.length + 1);
  current[0] = 0;
  for (let i = 1; i <= a.length; i++) {
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) current[j] = b.charCodeAt(j - 1) === c ? previous[j - 1]! + weights[at + j - 1]! : Math.max(previous[j]!, current[j - 1]!);
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

const BREAK = new Uint8Array(65536);
for (const c of CLAUSE_BREAKS) BREAK[c.charCodeAt(0)] = 1;
/** Punctuation and white space end a clause; a point between digits (PM2.5) does not. */
function isBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c <= 32 || c === 0x3000 || c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  if (!BREAK[c]) return false;
  if (c !== 46) return true;
  const isDigit = (d: number) => d >= 48 && d <= 57;
  return !(isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1)));
}

/** [start, end) of each clause of `text`, a long clause as windows of MAX_CLAUSE overlapping by half. */
function clausesOf(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isBreak(text, i)) continue;
    if (i - start >= MIN_TERM_LENGTH) {
      for (let from = start; ; from += MAX_CLAUSE / 2) {
        const to = Math.min(i, from + MAX_CLAUSE);
        out.push([from, to]);
        if (to === i) break;
      }
    }
    start = i + 1;
  }
  return out;
}

export function suggestFromContent(source: CatalogueIndex | readonly CatalogueSearchEntry[], content: string, limit = 3): ContentSuggestion[] {
  const entries = 'search' in source ? source.entries : source;
  if (!(limit >= 1) || !content) return [];
  const dictionary = dictionaryOf(entries);
  const { keys, pairCounts, leafCounts, ownerStart, ownerRefs, pairKeys, weightStart, charWeights, keyWeights, seenIn, pairsIn, bestMatch, charSeenIn } = dictionary;
  // The framing is cut out (same length, so positions hold): it is no clause of the caller's matter.
  const text = normalizeText(content).replace(BOILERPLATE_PATTERN, (m) => '，'.repeat(m.length));

  // Per clause: the keys with at least a quarter of their character pairs in it (a cheap filter),
  // then those said verbatim there, or — for the rest, if the characters it holds could make up
  // half the key's weight — the weight of their longest common subsequence with it.
  const matched = new Map<number, number[]>(); // key id → its verbatim starts in the text
  const partial: number[] = []; // key ids with a partial match somewhere (bestMatch)
  const clausePairs = new Set<number>();
  const counted: number[] = [];
  const rowA = new Float64Array(64);
  const rowB = new Float64Array(64);
  for (const [from, to] of clausesOf(text)) {
    const stamp = ++dictionary.clauseStamp;
    const clause = text.slice(from, to);
    clausePairs.clear();
    counted.length = 0;
    for (let i = 0; i < clause.length; i++) charSeenIn[clause.charCodeAt(i)] = stamp;
    for (let i = 0; i + 1 < clause.length; i++) {
      const pair = pairCode(clause, i);
      if (clausePairs.has(pair)) continue;
      clausePairs.add(pair);
      const end = (pair + 1) * KEY_SPACE;
      for (let k = firstWithPair(pairKeys, pair); k < pairKeys.length && pairKeys[k]! < end; k++) {
        const id = pairKeys[k]! - pair * KEY_SPACE;
        if (seenIn[id] !== stamp) {
          seenIn[id] = stamp;
          pairsIn[id] = 0;
          counted.push(id);
        }
        pairsIn[id]!++;
      }
    }
    for (const id of counted) {
      const pairs = pairsIn[id]!;
      if (pairs * 4 < pairCounts[id]!) continue;
      const key = keys[id]!;
      if (pairs === pairCounts[id]!) {
        const at = clause.indexOf(key);
        if (at >= 0) {
          let starts = matched.get(id);
          if (!starts) matched.set(id, (starts = []));
          for (let s = at; s >= 0; s = clause.indexOf(key, s + 1)) if (!starts.includes(from + s)) starts.push(from + s);
          continue;
        }
      }
      if (matched.has(id)) continue;
      const total = keyWeights[id]!;
      const base = weightStart[id]!;
      let present = 0;
      for (let i = 0; i < key.length; i++) if (charSeenIn[key.charCodeAt(i)] === stamp) present += charWeights[base + i]!;
      if (present < MIN_SHARE * total || present <= bestMatch[id]!) continue;
      if (bestMatch[id] === 0) partial.push(id);
      bestMatch[id] = Math.max(bestMatch[id]!, weightedLcs(clause, key, charWeights, base, rowA, rowB));
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
  const collect = (id: number, mass: number, starts: number[]) => {
    const share = mass / keyWeights[id]!;
    if (share < MIN_SHARE) return;
    for (let o = ownerStart[id]!; o < ownerStart[id + 1]!; o++) {
      const entry = Math.floor(ownerRefs[o]! / TERM_SPACE);
      const item = { id, key: keys[id]!, share, mass, starts, term: entries[entry]!.terms[ownerRefs[o]! % TERM_SPACE]! };
      const list = byLeaf.get(entry);
      if (list) list.push(item);
      else byLeaf.set(entry, [item]);
    }
  };
  for (const [id, starts] of matched) collect(id, keyWeights[id]!, starts.sort((a, b) => a - b));
  for (const id of partial) {
    if (!matched.has(id)) collect(id, bestMatch[id]!, []);
    bestMatch[id] = 0;
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
      score += ((mass * mass * share) / Math.sqrt(leafCounts[id]!)) * (free.length > 1 ? 1.5 : 1);
      terms.push({ kind: term.kind, text: term.text, share: Math.round(share * 100) / 100, count: free.length });
    }
    if (terms.length > 0) suggestions.push({ entry, code: entries[entry]!.code, path: [...entries[entry]!.path], score: Math.round(score * 10) / 10, terms });
  }
  suggestions.sort((a, b) => b.score - a.score || b.terms.length - a.terms.length || a.entry - b.entry);
  return suggestions.slice(0, Math.floor(limit)).map(({ code, path, score, terms }) => ({ code, path, score, terms }));
}
