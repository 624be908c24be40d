/**
 * The only writer of `kb_articles`, `kb_article_leaves` and `kb_fts`. Search ranks title matches
 * first, then question variants, then the answer body (bm25 within a tier). Terms of 3+ characters go
 * through the FTS5 trigram index as quoted phrases (so quotes, *, NEAR, - or brackets in user text are
 * just characters); a query of only 1–2 character terms cannot be trigram-matched and searches titles
 * and question variants through a character-pair index instead.
 */
import { searchTokens, type KbArticle, type KbHit } from '../../../shared/domain/kb';
import type { Db } from '../store/database';

interface ArticleRow {
  id: string;
  title: string;
  questions: string;
  answer: string;
  source_unit: string;
  valid_until: string;
  leaf_codes: string | null;
}

const SELECT_ARTICLE = `SELECT a.id, a.title, a.questions, a.answer, a.source_unit, a.valid_until,
  (SELECT group_concat(leaf_code, '|') FROM kb_article_leaves l WHERE l.article_id = a.id) AS leaf_codes`;

export const BIGRAM_END = '\u0001';

/** Every pair of adjacent characters, and the last character paired with BIGRAM_END. */
export function bigramsOf(text: string): Set<string> {
  const chars = [...text.normalize('NFKC')];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) out.add(chars[i]! + (chars[i + 1] ?? BIGRAM_END));
  return out;
}

/** Every run of three adjacent characters: the pieces the trigram index can look up. */
function trigramsOf(term: string): string[] {
  const chars = [...term];
  const out: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) out.push(chars.slice(i, i + 3).join(''));
  return out;
}

function snippetOf(answer: string, tokens: readonly string[], width = 72): string {
  const at = tokens.map((t) => answer.indexOf(t)).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, at - Math.floor(width / 3));
  const text = answer.slice(start, start + width);
  return `${start > 0 ? '…' : ''}${text}${start + width < answer.length ? '…' : ''}`;
}

export interface KbSearchOptions {
  leafCode?: string | null;
  limit?: number;
  /** YYYY-MM-DD, to flag answers past their review date. */
  today: string;
}

export class KbRepo {
  constructor(private readonly db: Db) {}

  replaceAll(articles: readonly KbArticle[]): void {
    this.db.prepare('DELETE FROM kb_article_leaves').run();
    this.db.prepare('DELETE FROM kb_bigrams').run();
    this.db.prepare('DELETE FROM kb_articles').run();
    const insert = this.db.prepare(
      'INSERT INTO kb_articles (id, title, questions, answer, source_unit, valid_until) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const link = this.db.prepare('INSERT OR IGNORE INTO kb_article_leaves (article_id, leaf_code) VALUES (?, ?)');
    const pair = this.db.prepare('INSERT OR IGNORE INTO kb_bigrams (bigram, field, article_rowid) VALUES (?, ?, ?)');
    for (const a of articles) {
      // Questions are stored one per line so a match inside one never spans two.
      const { lastInsertRowid } = insert.run(a.id, a.title, a.questions.join('\n'), a.answer, a.sourceUnit, a.validUntil);
      for (const leaf of a.leafCodes) link.run(a.id, leaf);
      for (const [field, texts] of [[0, [a.title]], [1, a.questions]] as const) {
        for (const text of texts) for (const bigram of bigramsOf(text)) pair.run(bigram, field, lastInsertRowid);
      }
    }
    this.db.prepare("INSERT INTO kb_fts (kb_fts) VALUES ('rebuild')").run();
  }

  /** Units named as the source of any article. */
  sourceUnitCodes(): string[] {
    return this.db.prepare<[], { source_unit: string }>('SELECT DISTINCT source_unit FROM kb_articles').all().map((r) => r.source_unit);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM kb_articles').get() as { n: number }).n;
  }

  get(id: string): KbArticle | null {
    const row = this.db.prepare<[string], ArticleRow>(`${SELECT_ARTICLE} FROM kb_articles a WHERE a.id = ?`).get(id);
    return row ? this.toArticle(row) : null;
  }

  private toArticle(row: ArticleRow): KbArticle {
    return {
      id: row.id,
      title: row.title,
      questions: row.questions.split('\n'),
      answer: row.answer,
      sourceUnit: row.source_unit,
      validUntil: row.valid_until,
      leafCodes: row.leaf_codes ? row.leaf_codes.split('|') : [],
    };
  }

  private toHit(row: ArticleRow & { tier: number }, tokens: readonly string[], today: string): KbHit {
    return {
      id: row.id,
      title: row.title,
      snippet: snippetOf(row.answer, tokens),
      matchedIn: tokens.length === 0 ? 'leaf' : row.tier === 0 ? 'title' : row.tier === 1 ? 'questions' : 'answer',
      sourceUnit: row.source_unit,
      validUntil: row.valid_until,
      expired: row.valid_until < today,
      leafCodes: row.leaf_codes ? row.leaf_codes.split('|') : [],
    };
  }

  /** Full rows for the few ids that made the page, in page order. Kept out of the ranking queries so
   *  that ranking touches only ids and tiers, not answers and leaf lists of every match. */
  private hydrate(page: ReadonlyArray<{ id: string; tier: number }>, tokens: readonly string[], today: string): KbHit[] {
    if (page.length === 0) return [];
    const rows = this.db
      .prepare<[string], ArticleRow>(`${SELECT_ARTICLE} FROM kb_articles a WHERE a.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(page.map((p) => p.id)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return page.map((p) => this.toHit({ ...byId.get(p.id)!, tier: p.tier }, tokens, today));
  }

  search(query: string, options: KbSearchOptions): KbHit[] {
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
    const tokens = searchTokens(query);
    const leaf = options.leafCode ?? null;
    const leafFilter = leaf ? 'AND a.id IN (SELECT article_id FROM kb_article_leaves WHERE leaf_code = @leaf)' : '';
    type Ranked = { id: string; tier: number };
    if (tokens.length === 0) {
      if (!leaf) return [];
      const page = this.db
        .prepare<{ leaf: string; limit: number }, Ranked>(`SELECT a.id, 3 AS tier FROM kb_articles a WHERE 1 ${leafFilter} ORDER BY a.title LIMIT @limit`)
        .all({ leaf, limit });
      return this.hydrate(page, tokens, options.today);
    }

    const long = tokens.filter((t) => [...t].length >= 3);
    const short = tokens.filter((t) => [...t].length < 3);
    const params: Record<string, string | number> = { limit };
    if (leaf) params.leaf = leaf;
    short.forEach((t, i) => (params[`s${i}`] = t));
    // The tier is decided by the longest term: is it in the title, a question, or only the body?
    params.lead = [...tokens].sort((a, b) => [...b].length - [...a].length)[0]!;
    const tier = 'CASE WHEN instr(a.title, @lead) > 0 THEN 0 WHEN instr(a.questions, @lead) > 0 THEN 1 ELSE 2 END';
    const shortIn = (cols: string) => short.map((_, i) => `AND instr(${cols}, @s${i}) > 0`).join(' ');

    if (long.length > 0) {
      params.match = long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
      const page = this.db
        .prepare<Record<string, string | number>, Ranked>(
          `SELECT a.id, ${tier} AS tier
             FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid
            WHERE kb_fts MATCH @match ${leafFilter} ${shortIn("a.title || '\n' || a.questions || '\n' || a.answer")}
            ORDER BY tier, bm25(kb_fts, 10.0, 5.0, 1.0)
            LIMIT @limit`,
        )
        .all(params);
      // Call-takers type phrases without spaces (社保卡补办, 医保报销) that no article says word for
      // word (社保卡丢失如何挂失补办, 医疗保险报销). When the exact phrases leave the page short, articles
      // sharing pieces of them follow, after every exact match: first those whose titles and question
      // variants hold the most of the query's character pairs (at least two), then those whose text
      // holds any of its three-character pieces.
      const partial = long.filter((t) => [...t].length >= 4);
      if (page.length < limit && partial.length > 0) {
        const found = new Set(page.map((p) => p.id));
        const add = (rows: Ranked[]) => {
          for (const row of rows) {
            if (page.length >= limit) break;
            if (!found.has(row.id)) {
              found.add(row.id);
              page.push(row);
            }
          }
        };
        const pairs = [...new Set(partial.flatMap((t) => [...bigramsOf(t)].filter((b) => !b.endsWith(BIGRAM_END))))];
        add(
          this.db
            .prepare<Record<string, string | number>, Ranked>(
              // More of the query's pairs first; among equals a pair weighs by its rarity among the
              // articles that hold any of them (办理 is everywhere, 居住 is not), twice as much in a
              // title as in a question variant.
              `WITH hits AS (
                 SELECT article_rowid AS rid, bigram, min(field) AS field FROM kb_bigrams
                  WHERE bigram IN (SELECT value FROM json_each(@pairs)) GROUP BY article_rowid, bigram),
               df AS (SELECT bigram, count(*) AS n FROM hits GROUP BY bigram)
               SELECT a.id, min(h.field) AS tier
                 FROM hits h JOIN df ON df.bigram = h.bigram JOIN kb_articles a ON a.rowid = h.rid
                WHERE 1 ${leafFilter}
                GROUP BY h.rid
               HAVING count(*) >= 2
                ORDER BY count(*) DESC, sum((CASE WHEN h.field = 0 THEN 2.0 ELSE 1.0 END) / df.n) DESC, length(a.title)
                LIMIT @limit`,
            )
            .all({ ...(leaf ? { leaf } : {}), pairs: JSON.stringify(pairs), limit }),
        );
        const pieces = [...new Set(partial.flatMap(trigramsOf))];
        if (page.length < limit) {
          add(
            this.db
              .prepare<Record<string, string | number>, Ranked>(
                `SELECT a.id, 2 AS tier
                   FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid
                  WHERE kb_fts MATCH @any ${leafFilter}
                  ORDER BY bm25(kb_fts, 10.0, 5.0, 1.0)
                  LIMIT @limit`,
              )
              .all({ ...(leaf ? { leaf } : {}), any: pieces.map((p) => `"${p.replace(/"/g, '""')}"`).join(' OR '), limit: limit * 2 }),
          );
        }
      }
      return this.hydrate(page, tokens, options.today);
    }

    // 1–2 character terms are too common to mean much inside long answers, so they search titles and
    // question variants only, through the pair index. The index is ordered (pair, field, article), so
    // a single term walks title hits first, then question hits, and stops when the page is full.
    const pairClause = (i: number) =>
      [...short[i]!].length === 2 ? `bigram = @s${i}` : `bigram >= @s${i} AND bigram < @s${i} || char(1114111)`;
    if (short.length === 1 && !leaf) {
      const seen = new Map<number, number>();
      const rows = this.db
        .prepare<Record<string, string | number>, { rid: number; field: number }>(
          `SELECT article_rowid AS rid, field FROM kb_bigrams WHERE ${pairClause(0)} ORDER BY field LIMIT @scan`,
        )
        .iterate({ s0: short[0]!, scan: limit * 40 });
      for (const row of rows) {
        if (!seen.has(row.rid)) seen.set(row.rid, row.field);
        if (seen.size >= limit) break;
      }
      const ids = this.db
        .prepare<[string], { rowid: number; id: string }>('SELECT rowid, id FROM kb_articles WHERE rowid IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify([...seen.keys()]));
      const idOf = new Map(ids.map((r) => [r.rowid, r.id]));
      return this.hydrate([...seen].map(([rid, field]) => ({ id: idOf.get(rid)!, tier: field })), tokens, options.today);
    }
    const perTerm = short.map(
      (_, i) => `SELECT article_rowid AS rid, min(field) AS field FROM kb_bigrams WHERE ${pairClause(i)} GROUP BY article_rowid`,
    );
    const leadIndex = short.indexOf(params.lead as string);
    const page = this.db
      .prepare<Record<string, string | number>, Ranked>(
        `WITH ${perTerm.map((q, i) => `t${i} AS (${q})`).join(', ')}
         SELECT a.id, t${leadIndex}.field AS tier
           FROM t0 ${short.slice(1).map((_, i) => `JOIN t${i + 1} ON t${i + 1}.rid = t0.rid`).join(' ')}
           JOIN kb_articles a ON a.rowid = t0.rid
          WHERE 1 ${leafFilter}
          ORDER BY tier, length(a.title) LIMIT @limit`,
      )
      .all(params);
    return this.hydrate(page, tokens, options.today);
  }
}
