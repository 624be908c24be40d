/**
 * Opening the desk's SQLite database safely:
 *  - the file, its WAL and shared-memory files and its backups are 0600 (Linux, macOS);
 *  - a corrupt file is moved aside (never overwritten) and a fresh one is started;
 *  - a database written by a newer app version is refused with a clear message;
 *  - a copy is taken before any migration runs;
 *  - numbered, append-only migrations advance `user_version`, each in its own transaction.
 * `nativeBinding` lets the Electron build load its Electron-ABI addon while tests use Node's.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeError } from '../../../shared/errors';
import { fail, ok, type Result } from '../../../shared/result';
import { ensureDataDir, makeFilesPrivate, PRIVATE_DIR_MODE } from '../data-dir';
import type { Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  path: string;
  migrations: readonly Migration[];
  nativeBinding?: string | undefined;
  now?: () => Date;
}

export interface OpenedDatabase {
  db: Db;
  path: string;
  schemaVersion: number;
  /** Set when the file on disk was damaged and moved aside; the UI says so. */
  movedAsideTo: string | null;
  /** Set when a migration ran and a copy of the old file was kept. */
  backupPath: string | null;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

function connect(path: string, nativeBinding: string | undefined): Db {
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  // 0600 before the WAL and shared-memory files exist: SQLite gives them the database file's mode.
  makeFilesPrivate([path, `${path}-wal`, `${path}-shm`]);
  db.pragma('busy_timeout = 5000');
  return db;
}

function isHealthy(db: Db): boolean {
  try {
    const rows = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
    return rows.length === 1 && rows[0]?.quick_check === 'ok';
  } catch {
    return false;
  }
}

/** Move a damaged database (and its WAL/SHM companions) aside; returns where it went. */
function moveAside(path: string, now: Date): string {
  const target = join(dirname(path), `${basename(path)}.corrupt-${stamp(now)}`);
  renameSync(path, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function openDatabase(options: OpenOptions): Result<OpenedDatabase> {
  const now = options.now ?? (() => new Date());
  const latest = latestVersion(options.migrations);
  // A folder made here is private; an existing one is the desk's to tighten (data-dir.ts ensureDataDir).
  mkdirSync(dirname(options.path), { recursive: true, mode: PRIVATE_DIR_MODE });

  let movedAsideTo: string | null = null;
  let db: Db;
  try {
    db = connect(options.path, options.nativeBinding);
  } catch (error) {
    if (!existsSync(options.path)) return fail('unavailable', `无法创建本地数据库：${describeError(error)}`);
    movedAsideTo = moveAside(options.path, now());
    db = connect(options.path, options.nativeBinding);
  }
  if (!isHealthy(db)) {
    db.close();
    movedAsideTo = moveAside(options.path, now());
    db = connect(options.path, options.nativeBinding);
  }

  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    db.close();
    return fail(
      'rejected',
      `本地数据库由更新版本的坐席程序创建（结构版本 ${current}），本程序只支持到版本 ${latest}。请升级坐席程序，数据未做任何改动。`,
      { databaseVersion: current, supportedVersion: latest },
    );
  }

  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');

  let backupPath: string | null = null;
  const pending = options.migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length > 0 && current > 0) {
    const backups = join(dirname(options.path), 'backups');
    ensureDataDir(backups);
    backupPath = join(backups, `${basename(options.path, '.sqlite')}-v${current}-${stamp(now())}.sqlite`);
    db.prepare('VACUUM INTO ?').run(backupPath);
    makeFilesPrivate([backupPath]);
  }
  try {
    for (const migration of pending) {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    }
  } catch (error) {
    db.close();
    return fail('internal', `数据库升级失败（已保留升级前副本 ${backupPath ?? '无'}）：${describeError(error)}`);
  }
  return ok({ db, path: options.path, schemaVersion: latest, movedAsideTo, backupPath });
}

export function databaseSize(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    if (existsSync(file)) total += statSync(file).size;
  }
  return total;
}
