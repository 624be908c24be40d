/**
 * Opening the desk's SQLite database safely:
 *  - the file, its WAL and shared-memory files and its backups are 0600 (Linux, macOS);
 *  - a corrupt, zero-length or unreadable file is moved aside (never overwritten) and a fresh one is
 *    started, with what can still be read of it copied in (recover.ts) and the call-taker told so;
 *  - a WAL that is garbage, or that damages a sound file (another database's), is set aside and the
 *    file itself kept;
 *  - a database written by a newer app version is refused with a clear message;
 *  - a copy is taken before any migration runs;
 *  - numbered, append-only migrations advance `user_version`, each in its own transaction.
 * `nativeBinding` lets the Electron build load its Electron-ABI addon while tests use Node's.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describeError } from '../../../shared/errors';
import { fail, ok, type Result } from '../../../shared/result';
import { ensureDataDir, makeFilesPrivate, PRIVATE_DIR_MODE } from '../data-dir';
import type { Migration } from './migrations';
import { recoverInto, type RecoveryReport } from './recover';

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
  /** Why it was moved aside: empty (0 bytes), or damaged / unreadable. */
  movedAsideBecause: 'empty' | 'damaged' | null;
  /** What was read back out of the file moved aside (null when nothing was moved aside). */
  recovery: RecoveryReport | null;
  /** Set when the WAL beside a sound file was garbage or did not belong to it, and was set aside. */
  walSetAsideTo: string | null;
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

/** A WAL file SQLite would silently ignore (and later overwrite): anything without the WAL magic and version. */
function walIsGarbage(path: string): boolean {
  const wal = `${path}-wal`;
  if (!existsSync(wal) || statSync(wal).size === 0) return false;
  const header = Buffer.alloc(8);
  const fd = openSync(wal, 'r');
  try {
    if (readSync(fd, header, 0, 8, 0) < 8) return true;
  } finally {
    closeSync(fd);
  }
  const magic = header.readUInt32BE(0);
  return (magic !== 0x377f0682 && magic !== 0x377f0683) || header.readUInt32BE(4) !== 3007000;
}

function setWalAside(path: string, now: Date): string {
  const target = `${path}-wal.unreadable-${stamp(now)}`;
  renameSync(`${path}-wal`, target);
  if (existsSync(`${path}-shm`)) rmSync(`${path}-shm`);
  return target;
}

/** The schema version written in the file's own header (bytes 60–63), without opening it; 0 when unreadable. */
function headerVersion(path: string): number {
  try {
    const header = Buffer.alloc(64);
    const fd = openSync(path, 'r');
    try {
      if (readSync(fd, header, 0, 64, 0) < 64) return 0;
    } finally {
      closeSync(fd);
    }
    return header.toString('latin1', 0, 15) === 'SQLite format 3' ? header.readUInt32BE(60) : 0;
  } catch {
    return 0;
  }
}

/**
 * Whether a WAL left beside the file (after a crash) belongs to it, judged on copies so that nothing
 * SQLite does on open or close (it checkpoints on close) touches the real files. It does not when the
 * file alone is sound but with the WAL is damaged, or its schema version goes back (another database's).
 */
function walBelongs(path: string, nativeBinding: string | undefined): boolean {
  const scratch = mkdtempSync(join(tmpdir(), 'hotline-check-'));
  const look = (withWal: boolean): { healthy: boolean; version: number } => {
    const copy = join(scratch, withWal ? 'with-wal.sqlite' : 'alone.sqlite');
    try {
      copyFileSync(path, copy);
      if (withWal) copyFileSync(`${path}-wal`, `${copy}-wal`);
      const db = new Database(copy, nativeBinding ? { nativeBinding, fileMustExist: true } : { fileMustExist: true });
      try {
        return { healthy: isHealthy(db), version: db.pragma('user_version', { simple: true }) as number };
      } finally {
        db.close();
      }
    } catch {
      return { healthy: false, version: 0 };
    }
  };
  try {
    const alone = look(false);
    if (!alone.healthy) return true; // the file itself is damaged: it is moved aside with its WAL and read back
    const withWal = look(true);
    return withWal.healthy && withWal.version >= Math.max(alone.version, headerVersion(path));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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
  let movedAsideBecause: OpenedDatabase['movedAsideBecause'] = null;
  let walSetAsideTo: string | null = null;
  // A zero-length file would open as an empty database and be filled with a fresh schema: never silently.
  if (existsSync(options.path) && statSync(options.path).size === 0) {
    movedAsideTo = moveAside(options.path, now());
    movedAsideBecause = 'empty';
  }
  if (!movedAsideTo && existsSync(options.path) && walIsGarbage(options.path)) walSetAsideTo = setWalAside(options.path, now());
  const walLeft = existsSync(`${options.path}-wal`) && statSync(`${options.path}-wal`).size > 0;
  if (!movedAsideTo && !walSetAsideTo && walLeft && !walBelongs(options.path, options.nativeBinding)) walSetAsideTo = setWalAside(options.path, now());
  let db: Db;
  try {
    db = connect(options.path, options.nativeBinding);
  } catch (error) {
    if (!existsSync(options.path)) return fail('unavailable', `无法创建本地数据库：${describeError(error)}`);
    movedAsideTo = moveAside(options.path, now());
    movedAsideBecause = 'damaged';
    db = connect(options.path, options.nativeBinding);
  }
  if (!isHealthy(db)) {
    db.close();
    movedAsideTo = moveAside(options.path, now());
    movedAsideBecause = 'damaged';
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
  const recovery = movedAsideTo ? recoverInto(db, movedAsideTo) : null;
  return ok({ db, path: options.path, schemaVersion: latest, movedAsideTo, movedAsideBecause, recovery, walSetAsideTo, backupPath });
}

/**
 * What 本机状态 and the status bar say about the database after start-up: nothing wrong, or where the
 * damaged file went and how many tickets came back and how many could not be read.
 */
export function databaseNotice(opened: Pick<OpenedDatabase, 'movedAsideTo' | 'movedAsideBecause' | 'recovery' | 'walSetAsideTo'>): { ok: boolean; message: string } {
  const parts: string[] = [];
  if (opened.movedAsideTo) {
    const r = opened.recovery;
    parts.push(
      opened.movedAsideBecause === 'empty'
        ? `原数据库文件为空（0 字节），已移至 ${opened.movedAsideTo} 并新建了数据库，没有可找回的数据`
        : `原数据库已损坏，已移至 ${opened.movedAsideTo} 并新建了数据库`,
    );
    if (opened.movedAsideBecause !== 'empty') {
      if (!r || !r.readable) parts.push('原文件无法读取，未能找回工单；原文件已原样保留，请联系技术支持');
      else {
        const lost = r.lost.tickets;
        parts.push(
          `已找回工单 ${r.recovered.tickets} 张（其中待同步 ${r.unsentTickets} 张）、草稿 ${r.recovered.drafts} 份` +
            (r.deskIdRecovered ? '，坐席编号不变' : '，坐席编号未能找回'),
          lost === null ? '无法确定是否还有工单未能找回，原文件已原样保留' : lost > 0 ? `${lost} 张工单无法读取，原文件已原样保留` : '没有发现无法读取的工单',
        );
      }
    }
  }
  if (opened.walSetAsideTo) parts.push(`预写日志文件已损坏或不属于本数据库，已移至 ${opened.walSetAsideTo}；数据库本身完好，最近尚未写入的改动可能缺失`);
  return parts.length === 0 ? { ok: true, message: '正常' } : { ok: false, message: `${parts.join('；')}。` };
}

export function databaseSize(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    if (existsSync(file)) total += statSync(file).size;
  }
  return total;
}
