/**
 * Instant classification search over the catalogue's leaves, run on every keystroke while the caller
 * talks. Built once in the renderer from the stored entries (pinyin was computed at import, see
 * electron/services/catalogue/search-terms.ts), rebuilt when a new catalogue version arrives.
 * Hits come in tiers, best first: exact, prefix, initials ("nqbr"), substring, then the fuzzy tier
 * (shared/search/fuzzy-tier.ts) for callers' words and typos; normalisation and pinyin syllables are
 * in shared/search/pinyin.ts. The tiers, their order and how each keystroke stays under a
 * millisecond: docs/decisions/0003-catalogue-search-tiers.md.
 *
 * Highlight ranges are half-open [start, end) indices of characters (code points) in
 * `matched.text`; pinyin matches are mapped back to the Chinese characters they spell.
 */
import type { CatalogueSearchEntry, SearchTerm } from '../domain/catalogue';
import { createFuzzyTier, type Ranges } from './fuzzy-tier';
import { alignSyllables, isHanUnit, isLatinQuery, normalizeQuery, normalizeText, pairCode, toPoints } from './pinyin';

export { normalizeQuery, normalizeText } from './pinyin';

export type MatchTier = 'exact' | 'prefix' | 'initials' | 'substring' | 'fuzzy';
export const MATCH_TIERS: readonly MatchTier[] = ['exact', 'prefix', 'initials', 'substring', 'fuzzy'];

export interface CatalogueHit {
  code: string;
  /** Names from 一级 to the leaf. */
  path: string[];
  tier: MatchTier;
  matched: {
    kind: SearchTerm['kind'];
    /** The term that matched (for kind 'path', the ancestor's name as it appears in `path`). */
    text: string;
    /** Half-open character ranges in `text` to highlight. */
    ranges: Array<[number, number]>;
  };
}

export interface CatalogueIndex {
  search(query: string, limit?: number): CatalogueHit[];
  /** Number of leaves indexed. */
  readonly size: number;
  /** The entries the index was built from (suggestFromContent reuses them). */
  readonly entries: readonly CatalogueSearchEntry[];
}

export const DEFAULT_LIMIT = 10;
/** A query of several words is looked up through its most selective word's texts, if there are at most this many. */
const MAX_WORD_CANDIDATES = 3000;

// ---- The index ---------------------------------------------------------------------------------

const TIER_EXACT = 0;
const TIER_PREFIX = 1;
const TIER_INITIALS = 2;
const TIER_SUBSTRING = 3;
const TIER_FUZZY = 4;

/** Owner ranks: the leaf's name, its 二级, its 一级, a keyword, a caller synonym. */
const RANK_KIND: readonly SearchTerm['kind'][] = ['name', 'path', 'path', 'keyword', 'synonym'];
const KIND_RANK: Record<SearchTerm['kind'], number> = { name: 0, path: 1, keyword: 3, synonym: 4 };

/** Adds `id` under `key` once: ids arrive in increasing order, so a repeat is always the last element. */
function addOnce<K>(table: { get(key: K): number[] | undefined; set(key: K, value: number[]): unknown }, key: K, id: number): boolean {
  const list = table.get(key);
  if (!list) table.set(key, [id]);
  else if (list[list.length - 1] !== id) list.push(id);
  else return false;
  return true;
}

/** A table of lists indexed by pair code, with the Map interface addOnce needs. */
class PairTable {
  private readonly lists: Array<number[] | undefined> = new Array(1 << 14);
  get(code: number): number[] | undefined {
    return code >= 0 ? this.lists[code] : undefined;
  }
  set(code: number, list: number[]): void {
    if (code >= 0) this.lists[code] = list;
  }
}

/** Key of a text's first one or two UTF-16 units, for prefix buckets. */
function headKey(s: string, units: 1 | 2): number {
  return units === 1 ? s.charCodeAt(0) : s.charCodeAt(0) * 65536 + s.charCodeAt(1);
}

export function createCatalogueIndex(entries: readonly CatalogueSearchEntry[]): CatalogueIndex {
  // Distinct texts, kept as parallel arrays (an ancestor's name is a term of every leaf under it,
  // and keywords repeat): ~18,000 texts for ~24,000 terms, and no per-term objects to collect.
  const texts: string[] = [];
  const norms: string[] = [];
  const pinyins: string[] = [];
  const initials: string[] = [];
  const ownerTotals: number[] = [];
  const idByText = new Map<string, number>();
  let instances = 0;
  for (const entry of entries) instances += entry.terms.length;
  const instanceTerm = new Int32Array(instances);
  const instanceRank = new Uint8Array(instances);
  let k = 0;
  for (const entry of entries) {
    const parentName = entry.path.length >= 2 ? entry.path[entry.path.length - 2] : undefined;
    for (const term of entry.terms) {
      if (!term.text) {
        instanceTerm[k++] = -1;
        continue;
      }
      let id = idByText.get(term.text);
      if (id === undefined) {
        id = texts.length;
        idByText.set(term.text, id);
        texts.push(term.text);
        norms.push(normalizeText(term.text));
        pinyins.push(term.pinyin.toLowerCase());
        initials.push(term.initials.toLowerCase());
        ownerTotals.push(0);
      }
      ownerTotals[id]!++;
      instanceTerm[k] = id;
      instanceRank[k++] = term.kind === 'path' && term.text !== parentName ? 2 : KIND_RANK[term.kind];
    }
  }
  const count = texts.length;

  // The texts of each leaf: leafTexts[leafTextStart[e] .. leafTextStart[e + 1]) (for queries of several words).
  const leafTextStart = new Int32Array(entries.length + 1);
  const leafTexts = new Int32Array(instances);
  k = 0;
  for (let e = 0, at = 0; e < entries.length; e++) {
    for (let j = 0; j < entries[e]!.terms.length; j++, k++) if (instanceTerm[k]! >= 0) leafTexts[at++] = instanceTerm[k]!;
    leafTextStart[e + 1] = at;
  }

  // Owners of each text (entryIndex * 8 + rank), packed: owners[ownerStart[id] .. ownerEnd[id]).
  const ownerStart = new Int32Array(count + 1);
  for (let id = 0; id < count; id++) ownerStart[id + 1] = ownerStart[id]! + ownerTotals[id]!;
  const ownerEnd = ownerStart.slice(0, count);
  const owners = new Int32Array(ownerStart[count]!);
  k = 0;
  for (let e = 0; e < entries.length; e++) {
    for (let j = 0; j < entries[e]!.terms.length; j++, k++) {
      const id = instanceTerm[k]!;
      if (id < 0) continue;
      const owner = e * 8 + instanceRank[k]!;
      const end = ownerEnd[id]!;
      // One leaf may list a text twice (a keyword that is also a synonym): keep its best rank.
      if (end > ownerStart[id]! && owners[end - 1]! >>> 3 === e) owners[end - 1] = Math.min(owners[end - 1]!, owner);
      else owners[(ownerEnd[id] = end + 1) - 1] = owner;
    }
  }

  // Syllable starts of every text in one buffer: startsAt[id] is its offset, -1 when unaligned
  // (then pinyin matches still work but highlight the whole text).
  let startsLength = 0;
  for (const text of texts) startsLength += text.length + 1;
  const startsBuf = new Uint16Array(startsLength);
  const startsAt = new Int32Array(count);
  const astral = new Uint8Array(count);
  for (let id = 0, at = 0; id < count; id++) {
    const text = texts[id]!;
    startsAt[id] = alignSyllables(text, pinyins[id]!, initials[id]!, startsBuf, at) ? at : -1;
    at += text.length + 1;
    if (/[\ud800-\udfff]/.test(text)) astral[id] = 1;
  }

  // Prefix buckets: texts (and pinyin) by their first character and by their first two, so a
  // keystroke checks startsWith on one bucket instead of every text.
  const textsByHead1 = new Map<number, number[]>();
  const textsByHead2 = new Map<number, number[]>();
  const pinyinsByHead1 = new Map<number, number[]>();
  const pinyinsByHead2 = new Map<number, number[]>();
  const termsWithChar = new Map<number, number[]>();
  const startKeys = new PairTable(); // the two letters a query can start with at a text's first syllable
  const innerKeys = new PairTable(); // …at any later syllable
  // Han character → its reading in this catalogue, for homophones ("暖器" reads like 暖气).
  const readingOf = new Map<number, string>();
  const polyphonic = new Set<number>();
  for (let id = 0; id < count; id++) {
    const norm = norms[id]!;
    const pinyin = pinyins[id]!;
    if (norm.length >= 1) addOnce(textsByHead1, headKey(norm, 1), id);
    if (norm.length >= 2) addOnce(textsByHead2, headKey(norm, 2), id);
    if (pinyin.length >= 1) addOnce(pinyinsByHead1, headKey(pinyin, 1), id);
    if (pinyin.length >= 2) addOnce(pinyinsByHead2, headKey(pinyin, 2), id);
    for (let i = 0; i < norm.length; i++) addOnce(termsWithChar, norm.charCodeAt(i), id);
    const base = startsAt[id]!;
    if (base < 0) continue;
    const text = texts[id]!;
    const n = text.length;
    if (pinyin.length >= 2) addOnce(startKeys, pairCode(pinyin, 0), id);
    if (n >= 2) addOnce(startKeys, pairCode(initials[id]!, 0), id);
    // Inner keys remember the syllable too (id * 32 + s), so a keystroke never scans a text for it.
    for (let s = 1; s < n && s < 32; s++) {
      const from = startsBuf[base + s]!;
      if (startsBuf[base + s + 1]! - from >= 2) addOnce(innerKeys, pairCode(pinyin, from), id * 32 + s);
      if (s + 1 < n) addOnce(innerKeys, pairCode(initials[id]!, s), id * 32 + s);
    }
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isHanUnit(c)) continue;
      const from = startsBuf[base + i]!;
      const length = startsBuf[base + i + 1]! - from;
      const known = readingOf.get(c);
      if (known === undefined) readingOf.set(c, pinyin.slice(from, from + length));
      else if (known.length !== length || !pinyin.startsWith(known, from)) polyphonic.add(c);
    }
  }
  // A character read two ways keeps its more frequent reading here (行: xing in 行政 outnumbers
  // hang in 银行). Only those few characters are counted, through their postings.
  for (const c of polyphonic) {
    const ch = String.fromCharCode(c);
    const votes = new Map<string, number>();
    for (const id of termsWithChar.get(c) ?? []) {
      const base = startsAt[id]!;
      if (base < 0) continue;
      for (let i = texts[id]!.indexOf(ch); i >= 0; i = texts[id]!.indexOf(ch, i + 1)) {
        const syllable = pinyins[id]!.slice(startsBuf[base + i]!, startsBuf[base + i + 1]!);
        votes.set(syllable, (votes.get(syllable) ?? 0) + ownerEnd[id]! - ownerStart[id]!);
      }
    }
    let best = readingOf.get(c)!;
    for (const [syllable, n] of votes) if (n > (votes.get(best) ?? 0)) best = syllable;
    readingOf.set(c, best);
  }

  // ---- Per-search state, allocated once: a keystroke allocates almost nothing. ----
  const leafCount = entries.length;
  const bestScore = new Float64Array(leafCount).fill(Infinity);
  const bestTerm = new Int32Array(leafCount);
  const bestRank = new Uint8Array(leafCount);
  const bestTier = new Uint8Array(leafCount);
  const bestRanges: Array<Ranges | undefined> = new Array(leafCount);
  const touched = new Int32Array(leafCount);
  let touchedCount = 0;

  /** Offers text `id` (owned with `rank`) to leaf `e`; `base` orders matches within the tier. */
  function offerOne(e: number, rank: number, id: number, tier: number, base: number, ranges: Ranges): void {
    const length = Math.min(texts[id]!.length, 999);
    // tier ▸ (fuzzy: similarity) ▸ kind ▸ term length ▸ position of the match
    const score = tier === TIER_FUZZY ? tier * 1e10 + base * 1e6 + rank * 1e5 + length * 10 : tier * 1e10 + rank * 1e8 + length * 1e4 + base;
    if (score >= bestScore[e]!) return;
    if (bestScore[e] === Infinity) touched[touchedCount++] = e;
    bestScore[e] = score;
    bestTerm[e] = id;
    bestRank[e] = rank;
    bestTier[e] = tier;
    bestRanges[e] = ranges;
  }

  /** Offers text `id` to every leaf that uses it. */
  function offer(id: number, tier: number, base: number, ranges: Ranges): void {
    for (let o = ownerStart[id]!, end = ownerEnd[id]!; o < end; o++) offerOne(owners[o]! >>> 3, owners[o]! & 7, id, tier, base, ranges);
  }

  function charRange(id: number, start: number, end: number): Ranges {
    return [astral[id] ? toPoints(texts[id]!, start, end) : [start, end]];
  }

  /** Characters whose syllables cover pinyin positions [from, to). */
  function pinyinToChars(id: number, from: number, to: number): [number, number] {
    const n = texts[id]!.length;
    const base = startsAt[id]!;
    if (base < 0) return [0, n];
    let a = 0;
    while (a < n && startsBuf[base + a + 1]! <= from) a++;
    let b = a;
    while (b < n && startsBuf[base + b]! < to) b++;
    return [a, Math.max(b, a + 1)];
  }

  /**
   * Can q[qi..] be spelled by the text's syllables from `s` on, each giving a non-empty prefix of
   * itself ("nqbr", "nuanqbr", "zhqi")? Returns the syllable where the query ended (exclusive), or
   * -1. Tries the longest piece of each syllable first; a wrong turn dies at the next syllable,
   * whose first letter must match. A character of the query that is no letter (a Chinese
   * character, a digit) must be the text's own character there: "ting电", "shigong扰民", "22dhsg".
   */
  function spell(id: number, q: string, qi: number, s: number): number {
    if (qi === q.length) return s;
    const base = startsAt[id]!;
    const n = texts[id]!.length;
    while (s < n && startsBuf[base + s] === startsBuf[base + s + 1]) s++;
    if (s >= n) return -1;
    const letter = q.charCodeAt(qi);
    if (letter < 97 || letter > 122) return norms[id]!.charCodeAt(s) === letter ? spell(id, q, qi + 1, s + 1) : -1;
    const pinyin = pinyins[id]!;
    const a = startsBuf[base + s]!;
    const b = startsBuf[base + s + 1]!;
    let common = 0;
    while (a + common < b && qi + common < q.length && pinyin.charCodeAt(a + common) === q.charCodeAt(qi + common)) common++;
    for (let take = common; take >= 1; take--) {
      const end = spell(id, q, qi + take, s + 1);
      if (end >= 0) return end;
    }
    return -1;
  }

  /** The bucket of texts (or pinyin) that could start with `q`. */
  function bucket(q: string, ofPinyin: boolean): readonly number[] {
    const list = q.length === 1 ? (ofPinyin ? pinyinsByHead1 : textsByHead1).get(headKey(q, 1)) : (ofPinyin ? pinyinsByHead2 : textsByHead2).get(headKey(q, 2));
    return list ?? [];
  }

  /** Exact and prefix on the text itself. */
  function textPrefix(q: string): void {
    for (const id of bucket(q, false)) {
      if (norms[id]!.startsWith(q)) offer(id, norms[id]!.length === q.length ? TIER_EXACT : TIER_PREFIX, 0, charRange(id, 0, q.length));
    }
  }

  /** Exact and prefix on the pinyin; for a homophone reading (`homophone`) they land in the fuzzy tier. */
  function pinyinPrefix(q: string, homophone: boolean): void {
    for (const id of bucket(q, true)) {
      if (!pinyins[id]!.startsWith(q)) continue;
      const exact = pinyins[id]!.length === q.length;
      const [a, b] = pinyinToChars(id, 0, q.length);
      if (homophone) offer(id, TIER_FUZZY, exact ? 0 : 10, charRange(id, a, b));
      else offer(id, exact ? TIER_EXACT : TIER_PREFIX, 0, charRange(id, a, b));
    }
  }

  /**
   * Matches of the previous keystroke, per speller. A spelling of "shui" is also one of "shu", so
   * while the call-taker keeps typing, only the last keystroke's matches need checking again.
   */
  let startCache: { query: string; ids: number[] } | null = null;
  let insideCache: { query: string; keys: number[] } | null = null;
  const continues = (q: string, cache: { query: string } | null) => cache !== null && q.length > cache.query.length && q.startsWith(cache.query);

  /** Initials and mixed spellings from the first syllable ("nqbr", "nuanqbr"). */
  function spellFromStart(q: string): void {
    const candidates = continues(q, startCache) ? startCache!.ids : (startKeys.get(pairCode(q, 0)) ?? []);
    const ids: number[] = [];
    for (const id of candidates) {
      const end = spell(id, q, 0, 0);
      if (end <= 0) continue;
      ids.push(id);
      if (!pinyins[id]!.startsWith(q)) offer(id, TIER_INITIALS, 0, charRange(id, 0, end)); // else it was a prefix match
    }
    startCache = { query: q, ids };
  }

  /** The query spelled from a later syllable: "bure" or "br" in 暖气不热. */
  function spellInside(q: string): void {
    const candidates = continues(q, insideCache) ? insideCache!.keys : (innerKeys.get(pairCode(q, 0)) ?? []);
    const keys: number[] = [];
    let offered = -1;
    for (const key of candidates) {
      const id = key >>> 5;
      const s = key & 31;
      const end = spell(id, q, 0, s);
      if (end <= s) continue;
      keys.push(key);
      if (id !== offered) offer(id, TIER_SUBSTRING, s, charRange(id, s, end)); // its earliest syllable
      offered = id;
    }
    insideCache = { query: q, keys };
  }

  /** The query inside a text, checked only against the texts holding its rarest character. */
  function textInside(q: string): void {
    let rarest: number[] | undefined;
    for (let i = 0; i < q.length; i++) {
      const list = termsWithChar.get(q.charCodeAt(i));
      if (!list) return; // a character no text has: nothing contains the query
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    for (const id of rarest ?? []) {
      const at = norms[id]!.indexOf(q, 1); // at 0 it was a prefix match
      if (at > 0) offer(id, TIER_SUBSTRING, Math.min(at, 9999), charRange(id, at, at + q.length));
    }
  }

  /**
   * A query mixing pinyin and characters ("shigong扰民", "医保bx", "ting电"), or with digits
   * ("22dhsg"), spelled contiguously from any syllable of the texts holding its rarest character
   * that is no letter: the whole text ranks as exact ("ting电" is 停电), from its first syllable
   * with the initials, from a later one with substrings.
   */
  function spellMixed(q: string): void {
    let rarest: readonly number[] | undefined;
    for (let i = 0; i < q.length; i++) {
      const c = q.charCodeAt(i);
      if (c >= 97 && c <= 122) continue;
      const list = termsWithChar.get(c);
      if (!list) return;
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    for (const id of rarest ?? []) {
      const at = matchWord(id, q);
      if (at < 0) continue;
      const [start, end] = [at >>> 16, at & 0xffff];
      offer(id, start > 0 ? TIER_SUBSTRING : end === texts[id]!.length ? TIER_EXACT : TIER_INITIALS, start, charRange(id, start, end));
    }
  }

  /** Where `word` is spelled (or written) in text `id`, from its earliest syllable: start * 65536 + end, or -1. */
  function matchWord(id: number, word: string): number {
    if (startsAt[id]! < 0) {
      const at = isLatinQuery(word) ? -1 : norms[id]!.indexOf(word);
      return at < 0 ? -1 : at * 65536 + at + word.length;
    }
    const first = word.charCodeAt(0);
    const n = Math.min(texts[id]!.length, 0xffff);
    for (let s = 0; s < n; s++) {
      if ((first < 97 || first > 122) && norms[id]!.charCodeAt(s) !== first) continue;
      const end = spell(id, word, 0, s);
      if (end > s) return s * 65536 + end;
    }
    return -1;
  }

  /**
   * Several words ("停电 tingshui", "shigong 扰民"; without spaces, the runs of pinyin and of
   * characters): a leaf qualifies when each word is in one of its terms, in any order. Candidates
   * are the leaves of the texts matching the most selective word; ranked after the typed tiers'
   * own matches, ahead of typos (fuzzy tier, base 50), showing the text that holds most words.
   */
  function allWords(words: readonly string[]): void {
    let pivot: readonly number[] | undefined;
    let pivotWord = '';
    for (const word of words) {
      let list: readonly number[] | undefined;
      if (!isLatinQuery(word)) {
        for (let i = 0; i < word.length; i++) {
          const c = word.charCodeAt(i);
          if (c >= 97 && c <= 122) continue;
          const ids = termsWithChar.get(c) ?? [];
          if (!list || ids.length < list.length) list = ids;
        }
      } else if (word.length >= 2) {
        const starting = startKeys.get(pairCode(word, 0)) ?? [];
        const inside = (innerKeys.get(pairCode(word, 0)) ?? []).map((key) => key >>> 5);
        list = [...new Set([...starting, ...inside])];
      }
      if (list && (!pivot || list.length < pivot.length)) [pivot, pivotWord] = [list, word];
    }
    // A pivot held by thousands of texts ("sh gs") is no selection: the typed tiers answer those.
    if (!pivot || pivot.length > MAX_WORD_CANDIDATES) return;
    const seen = new Set<number>();
    for (const id of pivot) {
      if (matchWord(id, pivotWord) < 0) continue;
      for (let o = ownerStart[id]!, end = ownerEnd[id]!; o < end; o++) {
        const e = owners[o]! >>> 3;
        if (seen.has(e)) continue;
        seen.add(e);
        // Every word in some text of the leaf; shown: the text holding most of them.
        let best = -1;
        let bestRanges: Ranges = [];
        let complete = true;
        const found = new Uint8Array(words.length);
        for (let t = leafTextStart[e]!; t < leafTextStart[e + 1]!; t++) {
          const text = leafTexts[t]!;
          const ranges: Ranges = [];
          words.forEach((word, w) => {
            const at = matchWord(text, word);
            if (at < 0) return;
            found[w] = 1;
            ranges.push(charRange(text, at >>> 16, at & 0xffff)[0]!);
          });
          if (ranges.length > bestRanges.length) [best, bestRanges] = [text, ranges];
        }
        for (let w = 0; w < words.length; w++) if (!found[w]) complete = false;
        if (!complete || best < 0) continue;
        bestRanges.sort((a, b) => a[0] - b[0]);
        offerOne(e, rankOf(e, best), best, TIER_FUZZY, 50 + (words.length - bestRanges.length) * 10, bestRanges);
      }
    }
  }

  /** The rank with which leaf `e` owns text `id`. */
  function rankOf(e: number, id: number): number {
    for (let o = ownerStart[id]!, end = ownerEnd[id]!; o < end; o++) if (owners[o]! >>> 3 === e) return owners[o]! & 7;
    return 4;
  }

  const fuzzy = createFuzzyTier({
    texts,
    norms,
    pinyins,
    termsWithChar,
    ownerStart,
    ownerEnd,
    owners,
    astral,
    readingOf,
    pinyinBucket: (q) => bucket(q, true),
    pinyinToChars,
    homophones: (reading) => pinyinPrefix(reading, true),
    offer: (id, base, ranges) => offer(id, TIER_FUZZY, base, ranges),
    offerTo: (e, rank, id, base, ranges) => offerOne(e, rank, id, TIER_FUZZY, base, ranges),
  });

  function search(query: string, limit_ = DEFAULT_LIMIT): CatalogueHit[] {
    const q = normalizeQuery(query);
    const limit = Math.floor(limit_);
    if (!q || !(limit >= 1)) return [];
    const latin = isLatinQuery(q);
    touchedCount = 0;
    // A speller that does not run for this query must not serve the next one from older matches.
    if (!(latin && q.length >= 2)) startCache = insideCache = null;

    // Pinyin mixed with characters or digits ("shigong扰民", "ting电", "22dhsg").
    const mixed = !latin && /[a-z]/.test(q);

    textPrefix(q);
    if (latin) {
      pinyinPrefix(q, false);
      if (q.length >= 2) spellFromStart(q);
    }
    if (mixed) spellMixed(q);
    if (touchedCount < limit) {
      textInside(q);
      if (latin && q.length >= 2) spellInside(q);
    } else insideCache = null;
    // Words in any order, split at spaces, or for a mixed query at each change of script.
    if (touchedCount < limit) {
      let words = normalizeText(query).split(/\s+/).map(normalizeQuery).filter(Boolean);
      if (words.length < 2 && mixed) words = q.match(/[a-z]+|[^a-z]+/g) ?? [];
      if (words.length >= 2 && words.length <= 8) allWords(words);
    }
    // One character is a prefix of too much to be a typo of anything: no fuzzy tier for it.
    if (touchedCount < limit && [...q].length >= 2) fuzzy(q, latin);

    // The best `limit` leaves by score, then catalogue order, without sorting all that was touched.
    const top: number[] = [];
    const better = (a: number, b: number) => bestScore[a]! < bestScore[b]! || (bestScore[a] === bestScore[b] && a < b);
    for (let j = 0; j < touchedCount; j++) {
      const e = touched[j]!;
      if (top.length >= limit && !better(e, top[top.length - 1]!)) continue;
      let at = top.length < limit ? top.push(e) - 1 : top.length - 1;
      while (at > 0 && better(e, top[at - 1]!)) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = e;
    }
    const hits = top.map((e): CatalogueHit => {
      const entry = entries[e]!;
      return {
        code: entry.code,
        path: [...entry.path],
        tier: MATCH_TIERS[bestTier[e]!]!,
        matched: {
          kind: RANK_KIND[bestRank[e]!]!,
          text: texts[bestTerm[e]!]!,
          ranges: bestRanges[e]!.map(([a, b]): [number, number] => [a, b]),
        },
      };
    });
    for (let j = 0; j < touchedCount; j++) {
      const e = touched[j]!;
      bestScore[e] = Infinity;
      bestRanges[e] = undefined;
    }
    touchedCount = 0;
    return hits;
  }

  return { search, size: entries.length, entries };
}
