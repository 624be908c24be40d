/**
 * The desk's services, assembled once per process and shared by both transports
 * (Electron IPC in electron/main, HTTP/WebSocket in electron/host). Plain Node, no Electron.
 */
import { join } from 'node:path';
import { deskCalls, type AppHealth, type AppInfo, type DeskEvent, type Operator, type RunMode } from '../../shared/api/contract';
import type { Handlers } from '../../shared/api/dispatch';
import { fail, ok, type Result } from '../../shared/result';
import { shiftAt } from '../../shared/shifts';
import { centerMinutesOfDay } from '../../shared/time';
import { checkDataDir, ensureDataDir } from './data-dir';
import { databaseSize, openDatabase, type Db } from './store/database';
import { MIGRATIONS } from './store/migrations';
import { SettingsRepo } from './store/settings-repo';

export const PRODUCT_NAME = '12345接诉即办坐席';

export interface DeskOptions {
  dataDir: string;
  mode: RunMode;
  version: string;
  /** Path of an Electron-ABI better-sqlite3 addon; unset under plain Node. */
  nativeBinding?: string | undefined;
  hubUrl?: string | null;
  now?: () => Date;
  /** How the transport opens the side window; the browser host answers with a URL instead. */
  openSecondScreen: () => { opened: boolean; url: string | null };
}

/** Who is calling, as the transport knows it. */
export interface CallContext {
  transport: 'ipc' | 'http';
}

export interface Desk {
  handlers: Handlers<typeof deskCalls, CallContext>;
  db: Db;
  /** Non-null when a damaged database was moved aside at start-up. */
  recoveredFrom: string | null;
  subscribe(listener: (event: DeskEvent) => void): () => void;
  close(): void;
}

const DEFAULT_OPERATOR: Operator = { id: 'local', name: '值班坐席', role: 'call_taker' };

export function openDesk(options: DeskOptions): Result<Desk> {
  const now = options.now ?? (() => new Date());
  try {
    ensureDataDir(options.dataDir);
  } catch (error) {
    return fail('unavailable', `无法创建数据目录 ${options.dataDir}：${(error as Error).message}`);
  }
  const opened = openDatabase({
    path: join(options.dataDir, 'desk.sqlite'),
    migrations: MIGRATIONS,
    nativeBinding: options.nativeBinding,
    now,
  });
  if (!opened.ok) return opened;
  const { db, path: dbPath, schemaVersion } = opened.value;
  const settings = new SettingsRepo(db, now);
  const startedAt = now().toISOString();
  const listeners = new Set<(event: DeskEvent) => void>();

  const operator = (): Operator => settings.get<Operator>('operator', DEFAULT_OPERATOR);

  const health = (): AppHealth => {
    const dir = checkDataDir(options.dataDir);
    const journalMode = String(db.pragma('journal_mode', { simple: true }));
    return {
      dataDir: dir,
      database: {
        path: dbPath,
        schemaVersion,
        sizeBytes: databaseSize(dbPath),
        journalMode,
        check: opened.value.movedAsideTo
          ? { ok: false, message: `原数据库已损坏，已移至 ${opened.value.movedAsideTo}，并新建了数据库` }
          : { ok: true, message: '正常' },
      },
      hub: options.hubUrl
        ? { configured: true, url: options.hubUrl, online: false, check: { ok: false, message: '尚未连接中心' } }
        : { configured: false, url: null, online: false, check: { ok: true, message: '未配置中心，工单保存在本机' } },
    };
  };

  const handlers: Desk['handlers'] = {
    'app.info': () => {
      const shift = shiftAt(centerMinutesOfDay(now()));
      const info: AppInfo = {
        productName: PRODUCT_NAME,
        version: options.version,
        mode: options.mode,
        platform: process.platform,
        startedAt,
        dataDir: options.dataDir,
        operator: operator(),
        shift: { code: shift.code, name: shift.name, start: shift.start, end: shift.end },
      };
      return ok(info);
    },
    'app.health': () => ok(health()),
    'window.openSecondScreen': () => ok(options.openSecondScreen()),
  };

  return ok({
    handlers,
    db,
    recoveredFrom: opened.value.movedAsideTo,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      if (db.open) db.close();
    },
  });
}
