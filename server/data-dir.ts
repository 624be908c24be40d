/**
 * Where the hub keeps its PGlite data when no PostgreSQL server is configured, and the lock that
 * keeps a second hub process off the same folder (PGlite takes no lock of its own; two writers
 * would corrupt it). The folder is 0700 and PGlite's files 0600 on Linux and macOS (`makePrivate`):
 * PGlite itself writes them world-readable.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const HUB_DATA_DIR_ENV = 'HOTLINE_HUB_DATA_DIR';
export const HUB_APP_FOLDER = 'HotlineHub';

export function defaultHubDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const override = env[HUB_DATA_DIR_ENV]?.trim();
  if (override) return override;
  const root =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(root, HUB_APP_FOLDER);
}

/** Creates `dir` when missing and makes it and everything in it private: folders 0700, files 0600 (not on Windows). */
export function makePrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const walk = (path: string) => {
    chmodSync(path, 0o700);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) chmodSync(child, 0o600);
    }
  };
  walk(dir);
}

export interface DataDirLock {
  path: string;
  release(): void;
}

const heldHere = new Set<string>();

/** Whether a process of this pid runs (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dataDir>/hub.lock` (holding this pid); a lock left by a process that is gone is taken over. */
export function holdDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  const path = join(dir, 'hub.lock');
  if (heldHere.has(path)) throw new Error(`数据目录 ${dir} 已被本进程中的另一个中心使用`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      return {
        path,
        release() {
          if (!heldHere.delete(path)) return;
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(`数据目录 ${dir} 正被另一个中心进程（pid ${pid}）使用；同一目录只能由一个中心打开`);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`无法锁定数据目录 ${dir}`);
}
