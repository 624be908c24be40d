/**
 * The catalogue search's last tier (shared/search/catalogue-index.ts), run only when the fast tiers
 * found fewer leaves than asked for: homophones ("暖器" reads like 暖气), a caller's sentence scored
 * against each leaf's terms, and fuse.js for typos — each over a few candidates, never the whole
 * catalogue. Characters count by how telling they are (inverse document frequency over the texts).
 */
import Fuse from 'fuse.js';
import { isHanUnit, pairCode, toPoints } from './pinyin';

/** Half-open character ranges of a text to highlight. */
export type Ranges = Array<[number, number]>;

/** How many fuzzy candidates fuse.js (and phrase scoring) get to score. */
const FUZZY_CANDIDATES = 48;
/** Of those, how many fuse.js scores: its bitap costs ~10 µs a text, and the best few hold the match. */
const FUSE_CANDIDATES = 16;
/** fuse.js's own default: a match may be this far (0 perfect … 1 anything) and still count. */
const FUZZY_THRESHOLD = 0.6;
/** Phrase scoring looks at the first 31 characters of a query (a bit mask) and of a text. */
const PHRASE_MAX_QUERY = 31;
const PHRASE_MAX_TEXT = 31;
/** Homophone look-up and fuse.js are for typed words ("暖器不热"), not for a caller's whole sentence. */
const HOMOPHONE_MAX_QUERY = 8;
const TYPO_MAX_QUERY = 8;

/** What the fuzzy tier reads of the index, and how it hands a match back. */
export interface FuzzyTierInput {
  /** The distinct term texts, their normalised form and their pinyin, by text id. */
  texts: readonly string[];
  norms: readonly string[];
  pinyins: readonly string[];
  /** The ids of the texts holding each character (UTF-16 unit), in increasing order. */
  termsWithChar: ReadonlyMap<number, readonly number[]>;
  /** The leaves using text `id`: owners[ownerStart[id] .. ownerEnd[id]), each leafIndex * 8 + rank. */
  ownerStart: Int32Array;
  ownerEnd: Int32Array;
  owners: Int32Array;
  /** 1 for a text with characters outside the BMP: its highlights need code-point positions. */
  astral: Uint8Array;
  /** Han character → its reading in this catalogue. */
  readingOf: ReadonlyMap<number, string>;
  /** The texts whose pinyin could start with `q` (one prefix bucket). */
  pinyinBucket(q: string): readonly number[];
  /** Characters of text `id` whose syllables cover pinyin positions [from, to). */
  pinyinToChars(id: number, from: number, to: number): [number, number];
  /** Texts whose pinyin is or starts with `reading`, offered in this tier. */
  homophones(reading: string): void;
  /** Offers text `id`, in this tier, to every leaf using it; a lower `base` is a closer match. */
  offer(id: number, base: number, ranges: Ranges): void;
  /** Offers text `id`, in this tier, to leaf `e` alone, which uses it with `rank`. */
  offerTo(e: number, rank: number, id: number, base: number, ranges: Ranges): void;
}

/** Returns the tier's search: offers its matches for a normalised query `q` (`latin`: pinyin letters only). */
export function createFuzzyTier(index: FuzzyTierInput): (q: string, latin: boolean) => void {
  const { texts, norms, pinyins, termsWithChar, ownerStart, ownerEnd, owners, astral, readingOf, pinyinBucket, pinyinToChars, homophones, offer, offerTo } = index;
  const count = texts.length;

  // How telling a character is: inverse document frequency over the distinct texts. In a caller's
  // sentence "户口簿" says far more than "找不着了"; the fuzzy tier weighs characters by this.
  const charWeight = (c: number) => Math.log(1 + count / ((termsWithChar.get(c)?.length ?? 0) + 1));
  const textWeight = new Float32Array(count); // sum over a text's distinct characters
  for (const [c, ids] of termsWithChar) {
    const w = charWeight(c);
    for (const id of ids) textWeight[id]! += w;
  }


  // Per-search state, allocated once.
  const sharedWeights = new Float32Array(count);
  const pairMarks = new Uint8Array(1 << 14);
  const countedTerms = new Int32Array(count);
  // Weighted-LCS table for phrase scoring, for queries up to PHRASE_MAX_QUERY and texts up to PHRASE_MAX_TEXT.
  const lcs = new Float64Array((PHRASE_MAX_QUERY + 1) * (PHRASE_MAX_TEXT + 1));

  /** Keeps the FUZZY_CANDIDATES best ids by `score` (higher first; earlier id on a tie). */
  function keepBest(best: number[], bestScores: number[], id: number, score: number): void {
    const size = best.length;
    if (size === FUZZY_CANDIDATES && score <= bestScores[size - 1]!) return;
    let j = size;
    if (size < FUZZY_CANDIDATES) {
      best.push(id);
      bestScores.push(score);
    } else j = size - 1;
    while (j > 0 && score > bestScores[j - 1]!) {
      best[j] = best[j - 1]!;
      bestScores[j] = bestScores[j - 1]!;
      j--;
    }
    best[j] = id;
    bestScores[j] = score;
  }

  /**
   * Chinese fuzzy candidates: the texts sharing the most with the query, by weighted Dice over
   * distinct characters (shared weight against both sizes, so a long synonym that happens to hold
   * a few of them does not crowd out the short term the caller meant).
   */
  function chineseCandidates(q: string): number[] {
    let counted = 0;
    let queryWeight = 0;
    for (let i = 0; i < q.length; i++) {
      const c = q.charCodeAt(i);
      if (q.indexOf(q[i]!) !== i) continue;
      const w = charWeight(c);
      queryWeight += w;
      for (const id of termsWithChar.get(c) ?? []) {
        if (sharedWeights[id] === 0) countedTerms[counted++] = id;
        sharedWeights[id]! += w;
      }
    }
    const best: number[] = [];
    const bestScores: number[] = [];
    for (let j = 0; j < counted; j++) {
      const id = countedTerms[j]!;
      const shared = sharedWeights[id]!;
      sharedWeights[id] = 0;
      keepBest(best, bestScores, id, (2 * shared) / (queryWeight + textWeight[id]!));
    }
    return best;
  }

  /**
   * Phrase scoring for what a caller literally says ("楼道好久没人打扫了"): it often holds most of
   * one synonym plus other words, or pieces of two synonyms of the same leaf, which whole-pattern
   * typo scoring rates poorly. Each candidate text is aligned with the query by weighted longest
   * common subsequence; per leaf, recall is the weight of the query its texts explain and precision
   * the weight of those texts that was said, and the leaf's similarity is their harmonic mean (or
   * its best single text's, if higher).
   */
  function phraseMatch(q: string, picked: readonly number[]): void {
    const n = Math.min(q.length, PHRASE_MAX_QUERY);
    const queryWeights: number[] = [];
    let queryWeight = 0;
    for (let i = 0; i < n; i++) queryWeight += queryWeights[i] = charWeight(q.charCodeAt(i));
    interface LeafEvidence {
      said: number;
      size: number;
      mask: number;
      best: number;
      id: number;
      rank: number;
      ranges: Ranges;
    }
    const leaves = new Map<number, LeafEvidence>();
    for (const id of picked) {
      const norm = norms[id]!;
      const m = Math.min(norm.length, PHRASE_MAX_TEXT);
      const width = m + 1;
      let textW = 0;
      for (let i = 0; i <= n; i++) lcs[i * width] = 0;
      for (let j = 1; j <= m; j++) lcs[j] = 0;
      for (let j = 0; j < m; j++) textW += charWeight(norm.charCodeAt(j));
      for (let i = 1; i <= n; i++) {
        const c = q.charCodeAt(i - 1);
        for (let j = 1; j <= m; j++) {
          const diagonal = norm.charCodeAt(j - 1) === c ? lcs[(i - 1) * width + j - 1]! + queryWeights[i - 1]! : 0;
          lcs[i * width + j] = Math.max(diagonal, lcs[(i - 1) * width + j]!, lcs[i * width + j - 1]!);
        }
      }
      const matched = lcs[n * width + m]!;
      if (matched === 0) continue;
      // Walk back for the query positions (a bit mask) and text positions (highlights) that matched.
      let mask = 0;
      const positions: number[] = [];
      for (let i = n, j = m; i > 0 && j > 0; ) {
        const here = lcs[i * width + j]!;
        if (norm.charCodeAt(j - 1) === q.charCodeAt(i - 1) && here === lcs[(i - 1) * width + j - 1]! + queryWeights[i - 1]!) {
          if (i - 1 < 31) mask |= 1 << (i - 1);
          positions.push(j - 1);
          i--;
          j--;
        } else if (lcs[(i - 1) * width + j]! >= lcs[i * width + j - 1]!) i--;
        else j--;
      }
      const ranges: Ranges = [];
      for (let k = positions.length - 1; k >= 0; k--) {
        const at = positions[k]!;
        const last = ranges[ranges.length - 1];
        if (last && last[1] === at) last[1] = at + 1;
        else ranges.push([at, at + 1]);
      }
      const textSaid = matched / textW; // how much of this text the caller said (by weight)
      const dice = (2 * matched) / (queryWeight + textW);
      for (let o = ownerStart[id]!, end = ownerEnd[id]!; o < end; o++) {
        const e = owners[o]! >>> 3;
        let evidence = leaves.get(e);
        if (!evidence) leaves.set(e, (evidence = { said: 0, size: 0, mask: 0, best: 0, id, rank: owners[o]! & 7, ranges }));
        // Only texts mostly present in what was said count as evidence for the leaf.
        if (textSaid >= 0.5) {
          evidence.said += matched;
          evidence.size += textW;
          evidence.mask |= mask;
        }
        if (dice > evidence.best) Object.assign(evidence, { best: dice, id, rank: owners[o]! & 7, ranges: astral[id] ? ranges.map(([a, b]) => toPoints(texts[id]!, a, b)) : ranges });
      }
    }
    for (const [e, evidence] of leaves) {
      let explained = 0;
      for (let i = 0; i < n && i < 31; i++) if (evidence.mask & (1 << i)) explained += queryWeights[i]!;
      const recall = explained / queryWeight;
      const precision = evidence.size > 0 ? evidence.said / evidence.size : 0;
      const similarity = Math.max(evidence.best, recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0);
      if (similarity >= 1 - FUZZY_THRESHOLD) offerTo(e, evidence.rank, evidence.id, 100 + Math.round((1 - similarity) * 800), evidence.ranges);
    }
  }

  /**
   * Pinyin typo candidates: a slip rarely hits the first letter, so only texts whose pinyin starts
   * with the query's first letter (one bucket), scored by how many of the query's
   * letter pairs appear near the start of the text, where a typed prefix would be.
   */
  function latinCandidates(q: string): number[] {
    const pairs: number[] = [];
    for (let i = 0; i + 1 < q.length; i++) {
      const code = pairCode(q, i);
      if (code >= 0 && !pairMarks[code]) {
        pairMarks[code] = 1;
        pairs.push(code);
      }
    }
    const best: number[] = [];
    const bestScores: number[] = [];
    // Past three letters, trust the first two as well: the bucket shrinks tenfold.
    for (const id of pinyinBucket(q.slice(0, q.length > 3 ? 2 : 1))) {
      const pinyin = pinyins[id]!;
      const window = Math.min(pinyin.length - 1, q.length + 2);
      let shared = 0;
      for (let j = 0; j < window; j++) {
        const code = pairCode(pinyin, j);
        if (code >= 0 && pairMarks[code]) shared++;
      }
      if (shared * 3 >= pairs.length) keepBest(best, bestScores, id, shared - pinyin.length / 1000);
    }
    for (const code of pairs) pairMarks[code] = 0;
    return best;
  }

  /**
   * The typo fallback. First homophones — the right sound with the wrong character is the
   * commonest IME slip ("暖器" for 暖气) — by reading the query with the catalogue's own character
   * readings and matching that pinyin. Then fuse.js over the few texts sharing most with the query.
   */
  function fuzzy(q: string, latin: boolean): void {
    if (!latin) {
      let reading = '';
      for (let i = 0; i < q.length; i++) {
        const c = q.charCodeAt(i);
        const syllable = isHanUnit(c) ? readingOf.get(c) : (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? q[i] : undefined;
        if (syllable === undefined) {
          reading = '';
          break;
        }
        reading += syllable;
      }
      // Whole words read alike; a long caller sentence is left to the phrase scoring below.
      if (reading.length >= 2 && q.length <= HOMOPHONE_MAX_QUERY) homophones(reading);
    }

    const picked = latin ? latinCandidates(q) : chineseCandidates(q);
    if (picked.length === 0) return;
    if (!latin) phraseMatch(q, picked);
    // A whole sentence is not a typo: phrase scoring has rated it; fuse.js is for slips in words.
    if (!latin && q.length > TYPO_MAX_QUERY) return;
    // Bitap cannot rate a pattern against a text much shorter than it under the threshold: a text
    // under (1 - threshold) of the query's length would need more errors than allowed. Skip those.
    const minLength = Math.floor(q.length * (1 - FUZZY_THRESHOLD));
    const scored = picked.filter((id) => (latin ? pinyins[id]! : norms[id]!).length >= minLength).slice(0, FUSE_CANDIDATES);
    if (scored.length === 0) return;
    const fuse = new Fuse(
      scored.map((id) => (latin ? pinyins[id]! : norms[id]!)),
      { includeScore: true, includeMatches: true, ignoreLocation: true, threshold: FUZZY_THRESHOLD, isCaseSensitive: true },
    );
    for (const result of fuse.search(q)) {
      const id = scored[result.refIndex]!;
      const ranges: Ranges = [];
      for (const [from, to] of result.matches?.[0]?.indices ?? []) {
        const [a, b] = latin ? pinyinToChars(id, from, to + 1) : [from, to + 1]; // fuse's ends are inclusive
        const last = ranges[ranges.length - 1];
        if (last && a <= last[1]) last[1] = Math.max(last[1], b);
        else ranges.push([a, b]);
      }
      offer(id, 100 + Math.round((result.score ?? 1) * 800), astral[id] ? ranges.map(([a, b]) => toPoints(texts[id]!, a, b)) : ranges);
    }
  }

  return fuzzy;
}
