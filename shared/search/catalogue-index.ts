/**
 * Instant classification search over the catalogue's leaves, run on every keystroke while the caller
 * talks. Built once in the renderer from the stored entries (pinyin was computed at import, see
 * electron/services/catalogue/search-terms.ts), rebuilt when a new catalogue version arrives.
 *
 * A query can be Chinese ("暖气不热"), full pinyin ("nuanqibure", also while still typing:
 * "nuanq"), initials ("nqbr"), a mix ("nuanqbr"), a caller's words ("楼上半夜老跺脚"), part of a
 * word, or a typo ("暖器不热", "nuangqi"). Hits come in tiers, best first:
 *
 *   exact      the query is a whole term (its text or its pinyin)
 *   prefix     a term starts with the query (text or pinyin)
 *   initials   the query spells the term's first syllables, each typed in full or cut short ("nqbr")
 *   substring  the query is inside a term (text, or pinyin from a syllable boundary: "bure")
 *   fuzzy      the fallback: a word that reads like a term ("暖器" → 暖气), a caller's sentence
 *              scored against each leaf's terms, and fuse.js for typos
 *
 * Within a tier a match on the leaf's own name beats one on an ancestor (二级 before 一级), then a
 * keyword, then a caller synonym; then the shorter term (the query explains more of it). In the
 * fuzzy tier the similarity comes first. Every leaf appears once, with its best match.
 *
 * Speed (target: p99 ≤ 1 ms a keystroke over ~18,000 distinct terms; see bench/catalogue-search.bench.ts):
 * - exact and prefix look only at the bucket of texts (or pinyin) beginning with the query's first
 *   one or two characters;
 * - initials and pinyin substrings start from tables keyed by the two letters a spelling can begin
 *   with at a syllable, and while the call-taker keeps typing only the previous keystroke's matches
 *   are checked again (the matches of "shui" are among those of "shu");
 * - a Chinese substring is looked for only in the texts holding the query's rarest character;
 * - the fuzzy tier runs only when the fast tiers found fewer leaves than asked for, and never for a
 *   single character. Its candidates are the 48 texts sharing the most (weighted) characters — or,
 *   for pinyin, letter pairs — with the query; fuse.js scores the best 16 of them, never the whole
 *   catalogue.
 *
 * Highlight ranges are half-open [start, end) indices of characters (code points) in
 * `matched.text`; pinyin matches are mapped back to the Chinese characters they spell.
 */
import Fuse from 'fuse.js';
import type { CatalogueSearchEntry, SearchTerm } from '../domain/catalogue';

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

// ---- Normalisation ----------------------------------------------------------------------------

/**
 * Lower case and half-width, one UTF-16 unit in, one out — so a position in the normalised text is
 * the same position in the original and highlights need no mapping.
 */
export function normalizeText(text: string): string {
  // Fast path: Chinese text and lower-case ASCII need nothing (almost every term).
  const lower = text.toLowerCase();
  if (lower.length === text.length && !/[\uff01-\uff5e\u3000]/.test(lower)) return lower;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII (ＫＴＶ, ２) → ASCII
    else if (c === 0x3000) c = 0x20;
    const one = String.fromCharCode(c).toLowerCase();
    out += one.length === 1 ? one : String.fromCharCode(c);
  }
  return out;
}

/** Removes what a query may carry that no term does: spaces, pinyin apostrophes ("xi'an"), Chinese punctuation. */
export function normalizeQuery(query: string): string {
  return normalizeText(query)
    .replace(/[\s'’‘·，。、；：？！“”（）【】《》…—]/g, '')
    .replace(/ü/g, 'v');
}

const isLatinQuery = (q: string) => /^[a-z]+$/.test(q);
const isHanUnit = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

// ---- Pinyin syllables ------------------------------------------------------------------------

/**
 * Every toneless syllable pinyin-pro emits (ü as v). Used only to cut a stored pinyin string back
 * into one syllable per character — `SearchTerm` keeps "nuanqibure" and "nqbr", and the initials
 * alone cannot tell "zhong|guo" from "zhon|gguo".
 */
const SYLLABLE_LIST =
  'a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha chai ' +
  'chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da ' +
  'dai dan dang dao de den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen ' +
  'feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen ' +
  'heng hm hng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai ' +
  'kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang ' +
  'liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng mi mian miao mie min ming miu ' +
  'mo mou mu n na nai nan nang nao ne nei nen neng ng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve o ou pa ' +
  'pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que ' +
  'qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she ' +
  'shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te ' +
  'teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin ' +
  'xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen ' +
  'zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan ' +
  'zui zun zuo';
const MAX_SYLLABLE = 6;

/** A syllable as a number (base 27 over a–z), so checking a piece of pinyin needs no string slice. */
function syllableCode(s: string, from: number, to: number): number {
  let code = 0;
  for (let i = from; i < to; i++) code = code * 27 + (s.charCodeAt(i) - 96);
  return code;
}
const SYLLABLES = new Set(SYLLABLE_LIST.split(' ').map((s) => syllableCode(s, 0, s.length)));

/**
 * Writes into out[at..at+n] where each character's syllable starts in `pinyin` (out[at+n] is the
 * end): characters i's syllable is pinyin[out[at+i] .. out[at+i+1]). Han characters take one
 * syllable beginning with their initial; anything else (letters, digits) stands for itself.
 * False when the stored strings do not line up with the text.
 */
function alignSyllables(text: string, pinyin: string, initials: string, out: Uint16Array, at: number): boolean {
  const n = text.length;
  if (initials.length !== n || pinyin.length > 0xffff) return false;
  // Almost always the longest real syllable that the next initial can follow is right ("zhong|guo",
  // "fang|an"); only when that fails, search every split, then allow readings outside the table.
  if (
    !alignGreedily(text, pinyin, initials, out, at) &&
    !placeSyllable(text, pinyin, initials, out, at, 0, 0, true) &&
    !placeSyllable(text, pinyin, initials, out, at, 0, 0, false)
  )
    return false;
  out[at + n] = pinyin.length;
  return true;
}

function alignGreedily(text: string, pinyin: string, initials: string, out: Uint16Array, at: number): boolean {
  const n = text.length;
  let p = 0;
  for (let i = 0; i < n; i++) {
    out[at + i] = p;
    if (pinyin.charCodeAt(p) !== initials.charCodeAt(i)) return false;
    if (!isHanUnit(text.charCodeAt(i))) {
      p++;
      continue;
    }
    const last = i + 1 === n;
    const nextInitial = last ? -1 : initials.charCodeAt(i + 1);
    let chosen = 0;
    let code = 0;
    for (let len = 1; len <= MAX_SYLLABLE && p + len <= pinyin.length; len++) {
      const c = pinyin.charCodeAt(p + len - 1);
      if (c < 97 || c > 122) break;
      code = code * 27 + (c - 96);
      const fits = last ? p + len === pinyin.length : pinyin.charCodeAt(p + len) === nextInitial;
      if (fits && SYLLABLES.has(code)) chosen = len;
    }
    if (chosen === 0) return false;
    p += chosen;
  }
  return p === pinyin.length;
}

function placeSyllable(text: string, pinyin: string, initials: string, out: Uint16Array, at: number, i: number, p: number, strict: boolean): boolean {
  const n = text.length;
  if (i === n) return p === pinyin.length;
  out[at + i] = p;
  if (pinyin.charCodeAt(p) !== initials.charCodeAt(i)) return false;
  if (!isHanUnit(text.charCodeAt(i))) return placeSyllable(text, pinyin, initials, out, at, i + 1, p + 1, strict);
  // Codes of the pieces pinyin[p..p+len), for len = 1..6, while they are letters.
  const max = Math.min(MAX_SYLLABLE, pinyin.length - p);
  let code = 0;
  let letters = 0;
  const codes = [0, 0, 0, 0, 0, 0, 0];
  while (letters < max) {
    const c = pinyin.charCodeAt(p + letters);
    if (c < 97 || c > 122) break;
    code = code * 27 + (c - 96);
    codes[++letters] = code;
  }
  for (let len = strict ? letters : max; len >= 1; len--) {
    const next = p + len;
    if (i + 1 < n && pinyin.charCodeAt(next) !== initials.charCodeAt(i + 1)) continue;
    if (strict && !SYLLABLES.has(codes[len]!)) continue;
    if (placeSyllable(text, pinyin, initials, out, at, i + 1, next, strict)) return true;
  }
  return false;
}

// ---- The index ---------------------------------------------------------------------------------

const TIER_EXACT = 0;
const TIER_PREFIX = 1;
const TIER_INITIALS = 2;
const TIER_SUBSTRING = 3;
const TIER_FUZZY = 4;

/** Owner ranks: the leaf's name, its 二级, its 一级, a keyword, a caller synonym. */
const RANK_KIND: readonly SearchTerm['kind'][] = ['name', 'path', 'path', 'keyword', 'synonym'];
const KIND_RANK: Record<SearchTerm['kind'], number> = { name: 0, path: 1, keyword: 3, synonym: 4 };

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

type Ranges = Array<[number, number]>;

/** Two ASCII characters as one number (0 … 16383), -1 otherwise: keys for letter-pair tables. */
function pairCode(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  return a < 128 && b < 128 ? (a << 7) | b : -1;
}

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

/** UTF-16 range → code-point range, for the rare term with characters outside the BMP. */
function toPoints(text: string, start: number, end: number): [number, number] {
  const points = (upTo: number) => {
    let n = 0;
    for (let i = 0; i < upTo; i++) {
      const c = text.charCodeAt(i);
      if (!(c >= 0xdc00 && c <= 0xdfff)) n++;
    }
    return n;
  };
  return [points(start), points(end)];
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

  // How telling a character is: inverse document frequency over the distinct texts. In a caller's
  // sentence "户口簿" says far more than "找不着了"; the fuzzy tier weighs characters by this.
  const charWeight = (c: number) => Math.log(1 + count / ((termsWithChar.get(c)?.length ?? 0) + 1));
  const textWeight = new Float32Array(count); // sum over a text's distinct characters
  for (const [c, ids] of termsWithChar) {
    const w = charWeight(c);
    for (const id of ids) textWeight[id]! += w;
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
  const sharedWeights = new Float32Array(count);
  const pairMarks = new Uint8Array(1 << 14);
  const countedTerms = new Int32Array(count);
  // Weighted-LCS table for phrase scoring, for queries up to PHRASE_MAX_QUERY and texts up to PHRASE_MAX_TEXT.
  const lcs = new Float64Array((PHRASE_MAX_QUERY + 1) * (PHRASE_MAX_TEXT + 1));

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
   * whose first letter must match.
   */
  function spell(id: number, q: string, qi: number, s: number): number {
    if (qi === q.length) return s;
    const base = startsAt[id]!;
    const n = texts[id]!.length;
    while (s < n && startsBuf[base + s] === startsBuf[base + s + 1]) s++;
    if (s >= n) return -1;
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

  /** Exact and prefix on the pinyin; for a homophone reading (`fuzzy`) they land in the fuzzy tier. */
  function pinyinPrefix(q: string, fuzzy: boolean): void {
    for (const id of bucket(q, true)) {
      if (!pinyins[id]!.startsWith(q)) continue;
      const exact = pinyins[id]!.length === q.length;
      const [a, b] = pinyinToChars(id, 0, q.length);
      if (fuzzy) offer(id, TIER_FUZZY, exact ? 0 : 10, charRange(id, a, b));
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
      if (similarity >= 1 - FUZZY_THRESHOLD) offerOne(e, evidence.rank, evidence.id, TIER_FUZZY, 100 + Math.round((1 - similarity) * 800), evidence.ranges);
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
    for (const id of bucket(q.slice(0, q.length > 3 ? 2 : 1), true)) {
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
      if (reading.length >= 2 && q.length <= HOMOPHONE_MAX_QUERY) pinyinPrefix(reading, true);
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
      offer(id, TIER_FUZZY, 100 + Math.round((result.score ?? 1) * 800), astral[id] ? ranges.map(([a, b]) => toPoints(texts[id]!, a, b)) : ranges);
    }
  }

  function search(query: string, limit_ = DEFAULT_LIMIT): CatalogueHit[] {
    const q = normalizeQuery(query);
    const limit = Math.floor(limit_);
    if (!q || !(limit >= 1)) return [];
    const latin = isLatinQuery(q);
    touchedCount = 0;
    // A speller that does not run for this query must not serve the next one from older matches.
    if (!(latin && q.length >= 2)) startCache = insideCache = null;

    textPrefix(q);
    if (latin) {
      pinyinPrefix(q, false);
      if (q.length >= 2) spellFromStart(q);
    }
    if (touchedCount < limit) {
      textInside(q);
      if (latin && q.length >= 2) spellInside(q);
    } else insideCache = null;
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
