/**
 * Features of a ticket's text for the learned suggester (shared/learn/model.ts): character
 * n-grams (single characters and pairs by default) inside runs of Chinese characters, letters and
 * digits, hashed into a fixed number of buckets. No segmenter by default:
 * docs/decisions/0004-learned-suggester.md says why (measured on test/fixtures/learned-tickets.csv).
 *
 * The text is normalised first: full-width letters and digits to half-width, letters to lower case,
 * every digit to 0 (a house number or a date says nothing about the leaf, that it is a number may).
 * Punctuation and spaces break runs: an n-gram never spans two clauses.
 */

export interface FeatureOptions {
  /** Number of hash buckets, a power of two. */
  buckets: number;
  /** Longest n-gram (1 to 4). */
  maxN: number;
  /**
   * Also words from the runtime's own segmenter (Intl.Segmenter, ICU's dictionary: in Node, Chromium
   * and Electron alike, no package). Off by default: measured, it adds about a point of accuracy
   * and costs ten times the feature time, and the hub's ICU and the desk's need not segment alike
   * (docs/decisions/0004-learned-suggester.md).
   */
  words?: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = { buckets: 1 << 18, maxN: 2 };

let segmenter: Intl.Segmenter | null = null;
const WORD_SALT = 0x5bd1e995;

/**
 * A character as features see it (after the normalisation described above), or -1 when it breaks a
 * run. Done by hand rather than with normalize('NFKC') and a regular expression: this runs for
 * every character of a million training texts.
 */
function featureChar(c: number): number {
  if (c >= 0x4e00 && c <= 0x9fff) return c; // CJK unified ideographs, where nearly all text is
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII
  if (c >= 0x30 && c <= 0x39) return 0x30;
  if (c >= 0x61 && c <= 0x7a) return c;
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd800 && c <= 0xdfff)) return c; // ext. A, compatibility, astral halves
  return -1;
}

export function normalizeForFeatures(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = featureChar(text.charCodeAt(i));
    out += c < 0 ? ' ' : String.fromCharCode(c);
  }
  return out;
}

/** The runs of a text that n-grams are taken from. */
export function runsOf(text: string): string[] {
  return normalizeForFeatures(text).split(' ').filter(Boolean);
}

/** FNV-1a over UTF-16 code units, seeded by the n-gram's length so 二 and 二二 never share a start. */
function hashCodes(codes: Uint16Array | string, start: number, n: number): number {
  let h = (0x811c9dc5 ^ n) >>> 0;
  for (let i = start; i < start + n; i++) {
    h ^= typeof codes === 'string' ? codes.charCodeAt(i) : codes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  // A final mix spreads the low bits, which pick the bucket.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

let codes = new Uint16Array(256);
let buffer = new Uint32Array(1024);

/**
 * The distinct buckets a text falls in, ascending (each n-gram counts once however often it is
 * said: repetition is emphasis, not new evidence). `grams`, when given, receives one n-gram
 * string per bucket (the first that fell in it) for explaining a prediction — only for the buckets
 * in `wanted` when that is given (making a string of every n-gram of a long text costs more than
 * the prediction).
 */
export function featuresOf(text: string, options: FeatureOptions = DEFAULT_FEATURES, grams?: Map<number, string>, wanted?: ReadonlySet<number>): Uint32Array {
  const mask = options.buckets - 1;
  const maxN = options.maxN;
  if (codes.length < text.length) codes = new Uint16Array(text.length * 2);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = featureChar(text.charCodeAt(i));
    codes[length++] = c < 0 ? 0 : c;
  }
  if (buffer.length < length * (maxN + 1)) buffer = new Uint32Array(length * (maxN + 1) * 2);
  let count = 0;
  for (let runStart = 0; runStart < length; ) {
    if (codes[runStart] === 0) {
      runStart++;
      continue;
    }
    let runEnd = runStart;
    while (runEnd < length && codes[runEnd] !== 0) runEnd++;
    for (let i = runStart; i < runEnd; i++) {
      for (let n = 1; n <= maxN && i + n <= runEnd; n++) {
        const bucket = hashCodes(codes, i, n) & mask;
        buffer[count++] = bucket;
        if (grams && (!wanted || wanted.has(bucket)) && !grams.has(bucket)) grams.set(bucket, String.fromCharCode(...codes.subarray(i, i + n)));
      }
    }
    if (options.words) {
      const run = String.fromCharCode(...codes.subarray(runStart, runEnd));
      segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
      for (const { segment } of segmenter.segment(run)) {
        if (segment.length < 2) continue; // a single character is already a unigram
        const bucket = ((hashCodes(segment, 0, segment.length) ^ WORD_SALT) >>> 0) & mask;
        buffer[count++] = bucket;
        if (grams && (!wanted || wanted.has(bucket)) && !grams.has(bucket)) grams.set(bucket, segment);
      }
    }
    runStart = runEnd;
  }
  const sorted = buffer.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  return sorted.slice(0, distinct);
}
