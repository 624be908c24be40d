/** Knowledge-base articles: what a call-taker reads to a caller, and closes a 咨询 ticket with. */
export interface KbArticle {
  id: string;
  title: string;
  questions: string[];
  answer: string;
  sourceUnit: string;
  /** YYYY-MM-DD: after this the answer must be reviewed before it is read out. */
  validUntil: string;
  leafCodes: string[];
}

export interface KbHit {
  id: string;
  title: string;
  /** A piece of the answer around the first match. */
  snippet: string;
  matchedIn: 'title' | 'questions' | 'answer' | 'leaf';
  sourceUnit: string;
  validUntil: string;
  expired: boolean;
  leafCodes: string[];
}

/**
 * Splits what a person typed into search terms: whitespace, punctuation (Chinese and ASCII) and
 * control or format characters (NUL, bidi marks, zero-width spaces) separate terms and are never
 * passed on, so no input can become query syntax.
 */
export function searchTokens(query: string): string[] {
  return query
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}\p{Cc}\p{Cf}\p{Cs}]+/u)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 8);
}
