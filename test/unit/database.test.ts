import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/services/store/database';
import { MIGRATIONS, type Migration } from '../../electron/services/store/migrations';
import { freshDataDir } from '../support/host-process';

const v1: Migration = { version: 1, name: 'a', sql: '', up: (db) => db.exec('CREATE TABLE a (id INTEGER PRIMARY KEY, note TEXT)') };
const v2: Migration = { version: 2, name: 'b', sql: '', up: (db) => db.exec('ALTER TABLE a ADD COLUMN extra TEXT') };

function open(path: string, migrations: readonly Migration[]) {
  const result = openDatabase({ path, migrations });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('opening the desk database', () => {
  it('creates a fresh database with WAL, foreign keys and the latest schema version', () => {
    const path = join(freshDataDir(), 'desk.sqlite');
    const opened = open(path, MIGRATIONS);
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(opened.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(opened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(opened.backupPath).toBeNull();
    opened.db.close();
  });

  it('migrates an older database after keeping a copy of it, and keeps its rows', () => {
    const dir = freshDataDir();
    const path = join(dir, 'desk.sqlite');
    const first = open(path, [v1]);
    first.db.prepare('INSERT INTO a (note) VALUES (?)').run('来电记录');
    first.db.close();

    const second = open(path, [v1, v2]);
    expect(second.db.pragma('user_version', { simple: true })).toBe(2);
    expect(second.db.prepare('SELECT note, extra FROM a').get()).toEqual({ note: '来电记录', extra: null });
    expect(second.backupPath).not.toBeNull();
    const backup = new Database(second.backupPath!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT note FROM a').get()).toEqual({ note: '来电记录' });
    backup.close();
    second.db.close();
  });

  it('refuses a database from a newer app version and leaves it untouched', () => {
    const path = join(freshDataDir(), 'desk.sqlite');
    open(path, [v1, v2]).db.close();
    const before = readFileSync(path);
    const result = openDatabase({ path, migrations: [v1] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('rejected');
    expect(result.error.message).toContain('更新版本');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('moves a corrupt file aside instead of overwriting it, and starts fresh', () => {
    const dir = freshDataDir();
    const path = join(dir, 'desk.sqlite');
    const garbage = Buffer.from('这不是一个 SQLite 文件'.repeat(400));
    writeFileSync(path, garbage);
    const opened = open(path, MIGRATIONS);
    expect(opened.movedAsideTo).not.toBeNull();
    expect(readFileSync(opened.movedAsideTo!).equals(garbage)).toBe(true);
    expect(readdirSync(dir).some((f) => f.startsWith('desk.sqlite.corrupt-'))).toBe(true);
    expect(opened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    opened.db.close();
  });

  it('rolls back a failing migration and keeps the version it had', () => {
    const path = join(freshDataDir(), 'desk.sqlite');
    open(path, [v1]).db.close();
    const broken: Migration = { version: 2, name: 'broken', sql: '', up: (db) => db.exec('ALTER TABLE missing ADD COLUMN x') };
    const result = openDatabase({ path, migrations: [v1, broken] });
    expect(result.ok).toBe(false);
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
    expect(existsSync(path)).toBe(true);
  });
});
