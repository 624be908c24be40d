/**
 * The reasons a learned suggestion shows (shared/learn/model.ts `predict`): whole terms of the
 * citizen's text, not the character n-grams the model weighs. An n-gram is widened to the word of
 * the text that holds it (Intl.Segmenter, as shared/learn/features.ts uses for its optional word
 * features), dropped when it straddles two words (忙协 in 请帮忙协调), dropped when the term starts or
 * ends with a function character (的工, 我家, 凉的), and never shown inside a longer term already shown.
 * Only the reasons change: the ranking is the scores' alone.
 */

/** Characters a whole term neither starts nor ends with. */
export const FUNCTION_CHARS: ReadonlySet<string> = new Set([...'的了在是和与及我你他们这那有也都就把被给对从到向又还很']);

/** True when a reason starting or ending with a function character would be a fragment. */
export function isFragmentTerm(term: string): boolean {
  return term.length === 0 || FUNCTION_CHARS.has(term[0]!) || FUNCTION_CHARS.has(term[term.length - 1]!);
}

let segmenter: Intl.Segmenter | null = null;

/**
 * The words of a normalised text (shared/learn/features.ts: a space wherever a run breaks), found
 * clause by clause as reasons ask for them: an n-gram never spans a clause, and a 4,000-character
 * letter has its few clauses with reasons segmented, not the whole of it.
 */
export class TextWords {
  private readonly byClause = new Map<number, Array<{ start: number; end: number; word: string }>>();
  constructor(readonly text: string) {}

  /** The word holding position `i`, or null. */
  wordAt(i: number): { start: number; end: number; word: string } | null {
    const { text } = this;
    let start = i;
    while (start > 0 && text[start - 1] !== ' ') start--;
    let words = this.byClause.get(start);
    if (!words) {
      let end = i;
      while (end < text.length && text[end] !== ' ') end++;
      segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
      words = [];
      for (const s of segmenter.segment(text.slice(start, end))) {
        if (s.isWordLike) words.push({ start: start + s.index, end: start + s.index + s.segment.length, word: s.segment });
      }
      this.byClause.set(start, words);
    }
    return words.find((w) => w.start <= i && i < w.end) ?? null;
  }
}

/** The whole term an n-gram of `text` stands for, or null when every place it is said is a fragment. */
function termFor(words: TextWords, gram: string): string | null {
  const { text } = words;
  for (let at = text.indexOf(gram); at >= 0; at = text.indexOf(gram, at + 1)) {
    const end = at + gram.length;
    const first = words.wordAt(at);
    const last = words.wordAt(end - 1);
    if (!first || !last) continue;
    // Inside one word: that word. Across words: only when it starts and ends on their edges.
    const term = first === last ? first.word : first.start === at && last.end === end ? gram : null;
    if (term && !isFragmentTerm(term)) return term;
  }
  return null;
}

/**
 * The weighed n-grams of `text` (its normalised form, where they were cut from) as at most `count`
 * whole terms, heaviest first: each term weighs as its heaviest n-gram; a term inside a longer one
 * kept is left out, and a longer one arriving replaces the shorter ones it holds.
 */
export function wholeReasons(
  text: string,
  weighed: ReadonlyArray<{ text: string; weight: number }>,
  count: number,
  words: TextWords = new TextWords(text),
): Array<{ text: string; weight: number }> {
  if (count <= 0 || weighed.length === 0) return [];
  const terms = new Map<string, number>();
  for (const { text: gram, weight } of weighed) {
    const term = termFor(words, gram);
    if (term !== null && weight > (terms.get(term) ?? -Infinity)) terms.set(term, weight);
  }
  const ordered = [...terms].map(([t, weight]) => ({ text: t, weight }));
  ordered.sort((a, b) => b.weight - a.weight || b.text.length - a.text.length || (a.text < b.text ? -1 : 1));
  const chosen: Array<{ text: string; weight: number }> = [];
  for (const item of ordered) {
    if (chosen.some((c) => c.text.includes(item.text))) continue;
    const inside = chosen.filter((c) => item.text.includes(c.text));
    const weight = Math.max(item.weight, ...inside.map((c) => c.weight));
    const at = inside.length ? chosen.indexOf(inside[0]!) : chosen.length;
    const kept = chosen.filter((c) => !inside.includes(c));
    kept.splice(Math.min(at, kept.length), 0, { text: item.text, weight });
    chosen.splice(0, chosen.length, ...kept);
    if (chosen.length >= count) break;
  }
  return chosen;
}
