/**
 * A hub beside the desk, for `npm start` with no hub configured: the bundled hub (dist/hub/main.mjs)
 * runs as a child process on 127.0.0.1 with its PGlite data in `<data dir>/hub`, and the desk syncs
 * with it like with a real one, so the whole loop (push, official numbers, status coming back) works
 * out of the box. The desk's account there is made once, with a random password kept in the data
 * directory (`hub-account.json`); a center's real hub is configured with HOTLINE_HUB_URL instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../../shared/errors';
import { HUB_READY_PREFIX } from '../../shared/ready-line';
import { waitForReadyLine } from './child-ready';

export interface EmbeddedHub {
  url: string;
  credentials: { username: string; password: string };
  /** Credentials of the local admin, for `npm run hub:sim` against this hub. */
  adminCredentials: { username: string; password: string };
  stop(): Promise<void>;
}

interface Account {
  desk: { username: string; password: string };
  admin: { username: string; password: string };
}

function account(dataDir: string): Account {
  const file = join(dataDir, 'hub-account.json');
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Account;
    } catch {
      // A damaged file: make new accounts (the embedded hub creates users that are missing).
    }
  }
  const made: Account = {
    desk: { username: `desk-${randomBytes(4).toString('hex')}`, password: randomBytes(18).toString('base64url') },
    admin: { username: 'admin', password: randomBytes(18).toString('base64url') },
  };
  writeFileSync(file, JSON.stringify(made, null, 2), { mode: 0o600 });
  return made;
}

/**
 * Starts the hub bundle with `runtime` (Node, or Electron with ELECTRON_RUN_AS_NODE) and waits for its
 * readiness line. Rejects with a Chinese message when it cannot start; the desk then runs 本机模式.
 */
export function startEmbeddedHub(options: {
  hubScript: string;
  dataDir: string;
  /** The desk's bundled data: the hub reads its SLA policy (policy/sla.json) from the same folder. */
  resourcesDir: string;
  runtime?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<EmbeddedHub> {
  if (!existsSync(options.hubScript)) return Promise.reject(new Error(`找不到中心程序 ${options.hubScript}，请先运行 npm run build`));
  const { desk, admin } = account(options.dataDir);
  const users = [
    // The only desk of its own hub: it may also read the center-wide shift log for its team lead.
    { username: desk.username, password: desk.password, name: '本机坐席', role: 'team_lead', unitCode: null },
    { username: admin.username, password: admin.password, name: '本机管理员', role: 'admin', unitCode: null },
  ];
  const child: ChildProcess = spawn(
    options.runtime ?? process.execPath,
    [options.hubScript, '--data-dir', join(options.dataDir, 'hub'), '--port', '0', '--resources-dir', options.resourcesDir],
    {
      env: { ...process.env, ...options.env, HOTLINE_HUB_USERS: JSON.stringify(users), DATABASE_URL: '', ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const { ready, exited } = waitForReadyLine(child, HUB_READY_PREFIX, {
    timeoutMs: options.timeoutMs ?? 60_000,
    killOnTimeout: true,
    timeoutError: (out) => new Error(`本机中心启动超时：\n${out.slice(-2000)}`),
    exitError: (code, out) => new Error(`本机中心未能启动（退出码 ${code}）：\n${out.slice(-2000)}`),
  });
  return ready.then(({ url }) => ({
    url,
    credentials: desk,
    adminCredentials: admin,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  }));
}

export interface HubConfig {
  hubUrl: string | null;
  hubCredentials: { username: string; password: string } | null;
  embedded: EmbeddedHub | null;
  /** One line for the console: which hub, or why none. */
  note: string;
}

/** The hub set in the environment (HOTLINE_HUB_URL, with HOTLINE_HUB_USER / HOTLINE_HUB_PASSWORD), if any. */
export function configuredHub(): HubConfig | null {
  const url = process.env.HOTLINE_HUB_URL?.trim();
  if (!url) return null;
  const username = process.env.HOTLINE_HUB_USER ?? '';
  const password = process.env.HOTLINE_HUB_PASSWORD ?? '';
  return {
    hubUrl: url,
    hubCredentials: username && password ? { username, password } : null,
    embedded: null,
    note: username && password ? `同步中心：${url}` : `已配置中心 ${url}，但未设置 HOTLINE_HUB_USER / HOTLINE_HUB_PASSWORD，暂不同步`,
  };
}

/** A hub started beside the desk, or, when it cannot start, 本机模式 with the reason. */
export async function embeddedHub(options: { dataDir: string; hubScript: string; resourcesDir: string; runtime?: string }): Promise<HubConfig> {
  try {
    const hub = await startEmbeddedHub({
      hubScript: options.hubScript,
      dataDir: options.dataDir,
      resourcesDir: options.resourcesDir,
      ...(options.runtime ? { runtime: options.runtime } : {}),
    });
    return { hubUrl: hub.url, hubCredentials: hub.credentials, embedded: hub, note: `已在本机启动中心：${hub.url}（管理员账号见数据目录 hub-account.json）` };
  } catch (error) {
    return { hubUrl: null, hubCredentials: null, embedded: null, note: `本机中心未能启动，改为本机模式：${describeError(error)}` };
  }
}

/**
 * Which hub the desk syncs with, in the order the entry points follow: the environment's when set;
 * else, when asked (`npm start`, Electron), one started beside the desk — `later`, so the desk opens
 * without waiting for it and connects when it is up (Desk.connectHub); else none (本机模式).
 */
export function planHub(options: { embedded: boolean; dataDir: string; hubScript: string; resourcesDir: string; runtime?: string }): {
  now: HubConfig;
  later: Promise<HubConfig> | null;
} {
  const fromEnvironment = configuredHub();
  if (fromEnvironment) return { now: fromEnvironment, later: null };
  if (!options.embedded) return { now: { hubUrl: null, hubCredentials: null, embedded: null, note: '未配置中心：本机模式，工单保存在本机' }, later: null };
  return {
    now: { hubUrl: null, hubCredentials: null, embedded: null, note: '正在本机启动中心，坐席先行打开…' },
    later: embeddedHub(options),
  };
}
