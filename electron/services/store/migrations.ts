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
];
