/**
 * Content similarity by character n-grams, for 疑似重复 across the center (server/lookup.ts) and on
 * the desk offline: two write-ups of one problem share characters and pairs of characters even when
 * worded differently (楼道灯坏了 / 楼道里声控灯不亮 share 楼, 道, 灯 and 楼道). The write-up's framing
 * (shared/search/boilerplate.ts: 市民来电反映, 请尽快处理 …) is cut out first, so it makes no two
 * tickets alike. No segmenter: Chinese has no spaces, and n-grams need none.
 *
 * The hub finds candidates through a GIN index over the bigrams of the stored content (migration 7
 * in server/migrations.ts, `ticket_bigrams`) with `contentBigrams` of the new content as the probe,
 * then ranks them with `contentSimilarity`.
 */
import { BOILERPLATE } from './boilerplate';

/** Two contents at least this alike (overlap of characters and character pairs) are 内容相近. */
export const SIMILAR_CONTENT = 0.25;

const FRAMING = [...BOILERPLATE].sort((a, b) => b.length - a.length);

/** The runs of letters, digits and 汉字 of a content, lower-cased, with the framing cut out. */
function runs(text: string): string[] {
  let s = text.toLowerCase();
  for (const phrase of FRAMING) if (s.includes(phrase)) s = s.split(phrase).join(' ');
  return s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** The distinct character pairs within the runs (never across punctuation): the hub's index probe. */
export function contentBigrams(text: string): string[] {
  const grams = new Set<string>();
  for (const run of runs(text)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  }
  return [...grams];
}

function gramSet(text: string): Set<string> {
  const grams = new Set<string>();
  for (const run of runs(text)) {
    const chars = [...run];
    chars.forEach((c, i) => {
      grams.add(c);
      if (i + 1 < chars.length) grams.add(c + chars[i + 1]!);
    });
  }
  return grams;
}

/**
 * The overlap coefficient over the characters and character pairs of two contents — shared grams over
 * the smaller set's: 0 (nothing shared) … 1 (one says all the other does). Not Dice: a full write-up
 * and the few words a second caller says about the same thing must still meet.
 */
export function contentSimilarity(a: string, b: string): number {
  const x = gramSet(a);
  const y = gramSet(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / Math.min(x.size, y.size);
}
