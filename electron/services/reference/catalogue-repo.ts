/** The only writer of `catalogue_nodes`. A new catalogue version replaces the old one in one transaction. */
import type { CatalogueNode, CatalogueSearchEntry, Owner, RequestType, SearchTerm, Urgency } from '../../../shared/domain/catalogue';
import type { Db } from '../store/database';

interface NodeRow {
  code: string;
  level: 1 | 2 | 3;
  name: string;
  parent_code: string | null;
  keywords: string;
  synonyms: string;
  request_types: string;
  urgency: Urgency;
  owner_unit: string | null;
  coordination: 0 | 1;
  search_terms: string | null;
}

function toNode(row: NodeRow): CatalogueNode {
  const owner: Owner = row.owner_unit ? { kind: 'unit', unitCode: row.owner_unit } : { kind: 'local' };
  return {
    code: row.code,
    level: row.level,
    name: row.name,
    parentCode: row.parent_code,
    keywords: JSON.parse(row.keywords) as string[],
    synonyms: JSON.parse(row.synonyms) as string[],
    requestTypes: JSON.parse(row.request_types) as RequestType[],
    urgency: row.urgency,
    owner,
    coordination: row.coordination === 1,
  };
}

export class CatalogueRepo {
  constructor(private readonly db: Db) {}

  /** Replace every node; `termsByCode` holds the pinyin-annotated terms computed at import. Call inside a transaction. */
  replaceAll(nodes: readonly CatalogueNode[], termsByCode: ReadonlyMap<string, SearchTerm[]>): void {
    this.db.prepare('DELETE FROM catalogue_nodes').run();
    const insert = this.db.prepare(
      `INSERT INTO catalogue_nodes (code, level, name, parent_code, keywords, synonyms, request_types, urgency, owner_unit, coordination, search_terms)
       VALUES (@code, @level, @name, @parentCode, @keywords, @synonyms, @requestTypes, @urgency, @ownerUnit, @coordination, @searchTerms)`,
    );
    for (const n of nodes) {
      const terms = termsByCode.get(n.code);
      insert.run({
        code: n.code,
        level: n.level,
        name: n.name,
        parentCode: n.parentCode,
        keywords: JSON.stringify(n.keywords),
        synonyms: JSON.stringify(n.synonyms),
        requestTypes: JSON.stringify(n.requestTypes),
        urgency: n.urgency,
        ownerUnit: n.owner.kind === 'unit' ? n.owner.unitCode : null,
        coordination: n.coordination ? 1 : 0,
        searchTerms: terms ? JSON.stringify(terms) : null,
      });
    }
  }

  node(code: string): CatalogueNode | null {
    const row = this.db.prepare<[string], NodeRow>('SELECT * FROM catalogue_nodes WHERE code = ?').get(code);
    return row ? toNode(row) : null;
  }

  /** The names from 一级 down to this node. */
  path(code: string): string[] {
    const rows = this.db
      .prepare<[string], { name: string }>(
        `WITH RECURSIVE up(code, name, parent_code, depth) AS (
           SELECT code, name, parent_code, 0 FROM catalogue_nodes WHERE code = ?
           UNION ALL
           SELECT c.code, c.name, c.parent_code, up.depth + 1 FROM catalogue_nodes c JOIN up ON c.code = up.parent_code
         ) SELECT name FROM up ORDER BY depth DESC`,
      )
      .all(code);
    return rows.map((r) => r.name);
  }

  all(): CatalogueNode[] {
    return this.db.prepare<[], NodeRow>('SELECT * FROM catalogue_nodes ORDER BY code').all().map(toNode);
  }

  leafCodes(): Set<string> {
    return new Set(this.db.prepare<[], { code: string }>('SELECT code FROM catalogue_nodes WHERE level = 3').all().map((r) => r.code));
  }

  /** Units named as owners by any leaf. */
  ownerUnitCodes(): string[] {
    return this.db.prepare<[], { owner_unit: string }>('SELECT DISTINCT owner_unit FROM catalogue_nodes WHERE owner_unit IS NOT NULL').all().map((r) => r.owner_unit);
  }

  /** Every leaf with its path and stored search terms: what the renderer's index is built from. */
  searchEntries(): CatalogueSearchEntry[] {
    const rows = this.db
      .prepare<[], { code: string; n1: string; n2: string; n3: string; search_terms: string | null }>(
        `SELECT l3.code, l1.name AS n1, l2.name AS n2, l3.name AS n3, l3.search_terms
           FROM catalogue_nodes l3
           JOIN catalogue_nodes l2 ON l2.code = l3.parent_code
           JOIN catalogue_nodes l1 ON l1.code = l2.parent_code
          WHERE l3.level = 3
          ORDER BY l3.code`,
      )
      .all();
    return rows.map((r) => ({ code: r.code, path: [r.n1, r.n2, r.n3], terms: r.search_terms ? (JSON.parse(r.search_terms) as SearchTerm[]) : [] }));
  }

  counts(): { level1: number; level2: number; level3: number } {
    const rows = this.db.prepare<[], { level: number; n: number }>('SELECT level, count(*) AS n FROM catalogue_nodes GROUP BY level').all();
    const n = (level: number) => rows.find((r) => r.level === level)?.n ?? 0;
    return { level1: n(1), level2: n(2), level3: n(3) };
  }
}
