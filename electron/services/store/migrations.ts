/**
 * Numbered, append-only schema migrations for the desk database. Never edit a shipped migration:
 * add the next number. test/unit/migrations.test.ts pins each migration's text by hash.
 */
import type { Db } from './database';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  up: (db: Db) => void;
}

function sqlMigration(version: number, name: string, sql: string): Migration {
  return { version, name, sql, up: (db) => db.exec(sql) };
}

export const MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    1,
    'settings',
    `CREATE TABLE settings (
       key TEXT PRIMARY KEY NOT NULL,
       value TEXT NOT NULL,
       updated_at TEXT NOT NULL
     ) STRICT;`,
  ),
  sqlMigration(
    2,
    'reference data: catalogue, places, units, knowledge base',
    `CREATE TABLE ref_versions (
       kind TEXT PRIMARY KEY NOT NULL CHECK (kind IN ('catalogue', 'places', 'units', 'kb')),
       version TEXT NOT NULL,
       source TEXT NOT NULL,
       item_count INTEGER NOT NULL,
       imported_at TEXT NOT NULL
     ) STRICT;

     CREATE TABLE catalogue_nodes (
       code TEXT PRIMARY KEY NOT NULL,
       level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
       name TEXT NOT NULL CHECK (name <> ''),
       parent_code TEXT REFERENCES catalogue_nodes (code) DEFERRABLE INITIALLY DEFERRED,
       keywords TEXT NOT NULL,
       synonyms TEXT NOT NULL,
       request_types TEXT NOT NULL,
       urgency TEXT NOT NULL CHECK (urgency IN ('一般', '紧急', '即时')),
       owner_unit TEXT,
       coordination INTEGER NOT NULL CHECK (coordination IN (0, 1)),
       search_terms TEXT
     ) STRICT;
     CREATE INDEX catalogue_nodes_parent ON catalogue_nodes (parent_code);

     CREATE TABLE places (
       code TEXT PRIMARY KEY NOT NULL,
       level TEXT NOT NULL CHECK (level IN ('district', 'street', 'village')),
       name TEXT NOT NULL,
       short_name TEXT NOT NULL,
       parent_code TEXT
     ) STRICT;
     CREATE INDEX places_parent ON places (parent_code);

     CREATE TABLE units (
       code TEXT PRIMARY KEY NOT NULL,
       name TEXT NOT NULL,
       kind TEXT NOT NULL CHECK (kind IN ('city_center', 'subcenter', 'street', 'department', 'utility')),
       district_code TEXT,
       place_code TEXT,
       duties TEXT NOT NULL
     ) STRICT;
     CREATE INDEX units_place ON units (place_code);
     CREATE INDEX units_district ON units (district_code, kind);

     CREATE TABLE kb_articles (
       id TEXT PRIMARY KEY NOT NULL,
       title TEXT NOT NULL,
       questions TEXT NOT NULL,
       answer TEXT NOT NULL,
       source_unit TEXT NOT NULL,
       valid_until TEXT NOT NULL
     ) STRICT;
     CREATE TABLE kb_article_leaves (
       article_id TEXT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
       leaf_code TEXT NOT NULL,
       PRIMARY KEY (article_id, leaf_code)
     ) STRICT, WITHOUT ROWID;
     CREATE INDEX kb_article_leaves_leaf ON kb_article_leaves (leaf_code, article_id);
     -- Trigram tokens make any 3+ character substring searchable in Chinese text; shorter queries take
     -- the fallback path in kb-repo.ts. External content: the article table is the only copy of the text.
     CREATE VIRTUAL TABLE kb_fts USING fts5 (
       title, questions, answer,
       content = 'kb_articles', content_rowid = 'rowid', tokenize = 'trigram'
     );
     -- Character pairs of titles (field 0) and questions (field 1), for 1–2 character queries that the
     -- trigram index cannot answer. The second character of a field's last pair is U+0001.
     CREATE TABLE kb_bigrams (
       bigram TEXT NOT NULL,
       field INTEGER NOT NULL,
       article_rowid INTEGER NOT NULL,
       PRIMARY KEY (bigram, field, article_rowid)
     ) STRICT, WITHOUT ROWID;`,
  ),
];
