/** The only writer of `ref_versions`: which version of each kind of reference data the desk holds. */
import type { Db } from '../store/database';

export type RefKind = 'catalogue' | 'places' | 'units' | 'kb';

export interface RefVersion {
  kind: RefKind;
  version: string;
  source: string;
  itemCount: number;
  importedAt: string;
}

export class VersionsRepo {
  constructor(private readonly db: Db) {}

  set(v: RefVersion): void {
    this.db
      .prepare(
        `INSERT INTO ref_versions (kind, version, source, item_count, imported_at) VALUES (@kind, @version, @source, @itemCount, @importedAt)
         ON CONFLICT(kind) DO UPDATE SET version = excluded.version, source = excluded.source, item_count = excluded.item_count, imported_at = excluded.imported_at`,
      )
      .run(v);
  }

  get(kind: RefKind): RefVersion | null {
    const row = this.db
      .prepare<[string], { kind: RefKind; version: string; source: string; item_count: number; imported_at: string }>('SELECT * FROM ref_versions WHERE kind = ?')
      .get(kind);
    return row ? { kind: row.kind, version: row.version, source: row.source, itemCount: row.item_count, importedAt: row.imported_at } : null;
  }

  all(): RefVersion[] {
    return (['places', 'units', 'catalogue', 'kb'] as const).map((k) => this.get(k)).filter((v): v is RefVersion => v !== null);
  }
}
