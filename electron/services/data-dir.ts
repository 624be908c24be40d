/**
 * Where the desk keeps its data, and whether that place is usable. Plain Node: the Electron main
 * process and the browser host resolve the same folder, so both modes see the same tickets.
 */
import { accessSync, chmodSync, constants, existsSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATA_DIR_ENV = 'HOTLINE_DESK_DATA_DIR';
export const APP_FOLDER = 'HotlineDesk';

/** The per-user application-data folder, as Electron's app.getPath('appData') would give it. */
export function appDataRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? join(home, '.config');
}

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const override = env[DATA_DIR_ENV]?.trim();
  return override ? override : join(appDataRoot(env, platform, home), APP_FOLDER);
}

export interface DataDirHealth {
  path: string;
  writable: boolean;
  freeBytes: number | null;
  check: { ok: boolean; message: string };
}

/** Below this the desk warns: a shift of drafts and tickets needs little, but SQLite needs room to checkpoint. */
export const LOW_SPACE_BYTES = 200 * 1024 * 1024;

/** Only the signed-in user may enter the data folders and read the database files (Linux, macOS). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder if needed and makes it private (a folder made by an older version is tightened too). */
export function ensureDataDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') chmodSync(path, PRIVATE_DIR_MODE);
}

/** Makes these files private where they exist (POSIX modes; Windows keeps the per-user profile's ACLs). */
export function makeFilesPrivate(paths: readonly string[]): void {
  if (process.platform === 'win32') return;
  for (const path of paths) if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
}

export function checkDataDir(path: string): DataDirHealth {
  let writable = false;
  try {
    accessSync(path, constants.W_OK);
    const probe = join(path, `.write-probe-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    writable = true;
  } catch {
    writable = false;
  }
  let freeBytes: number | null = null;
  try {
    const stats = statfsSync(path);
    freeBytes = Number(stats.bavail) * Number(stats.bsize);
  } catch {
    freeBytes = null;
  }
  const check = !writable
    ? { ok: false, message: '数据目录不可写，工单无法保存' }
    : freeBytes !== null && freeBytes < LOW_SPACE_BYTES
      ? { ok: false, message: `磁盘剩余空间不足（${Math.round(freeBytes / 1048576)} MB）` }
      : { ok: true, message: '正常' };
  return { path, writable, freeBytes, check };
}
