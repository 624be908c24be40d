/**
 * A hub beside the desk, for `npm start` with no hub configured: the bundled hub (dist/hub/main.mjs)
 * runs as a child process on 127.0.0.1 with its PGlite data in `<data dir>/hub`, and the desk syncs
 * with it like with a real one, so the whole loop (push, official numbers, status coming back) works
 * out of the box. The desk's account there is made once, with a random password kept in the data
 * directory (`hub-account.json`); a center's real hub is configured with HOTLINE_HUB_URL instead.
 *
 * The child lives no longer than the desk: it is given `--parent-pid` and a pipe on its stdin, and
 * exits when either says the desk is gone (server/main.ts). A hub left running on the same data
 * folder by a desk that no longer runs (an older build, a wedged process) is stopped before the new
 * one starts (`stopStaleHub`); one that belongs to a desk still running is left alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeError } from '../../shared/errors';
import { HUB_READY_PREFIX } from '../../shared/ready-line';
import { waitForReadyLine, type StartedChild } from './child-ready';

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
  // A newcomer's first start: nothing exists yet, not even the data folder.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
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

/** Whether a process of this pid runs (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's command line, or null where it cannot be read (Windows, a process gone meanwhile). */
function commandLineOf(pid: number): string | null {
  try {
    if (process.platform === 'linux') return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    if (process.platform === 'darwin') {
      const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 });
      return ps.status === 0 ? ps.stdout : null;
    }
  } catch {
    return null;
  }
  return null;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Clears the way for a hub on `hubDataDir` (the folder given as --data-dir): when its lock names a
 * live process that is a hub of this folder whose desk is gone, that hub is stopped (SIGTERM, then
 * SIGKILL after `waitMs`); when the pid has been reused by something else, the lock is removed.
 * A hub whose desk still runs is left alone (`in-use`): the new desk then runs 本机模式.
 */
export async function stopStaleHub(hubDataDir: string, waitMs = 10_000): Promise<'none' | 'stopped' | 'in-use'> {
  const lock = join(hubDataDir, 'hub.lock');
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return 'none';
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return 'none';
  const command = commandLineOf(pid);
  if (command === null) return 'none'; // cannot tell what it is: the hub's own lock check decides
  if (!command.includes(resolve(hubDataDir)) && !command.includes(hubDataDir)) {
    rmSync(lock, { force: true }); // the pid now belongs to some other program
    return 'none';
  }
  const owner = Number(/--parent-pid[= ](\d+)/.exec(command)?.[1] ?? NaN);
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) return 'in-use';
  const gone = async (ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) if (!alive(pid)) return true;
    return !alive(pid);
  };
  try {
    process.kill(pid, 'SIGTERM');
    if (!(await gone(waitMs))) {
      process.kill(pid, 'SIGKILL');
      await gone(5_000);
    }
  } catch {
    // it exited on its own meanwhile
  }
  return 'stopped';
}

/** A started hub: a Node child process, or Electron's utility process (electron/main/hub-process.ts). */
export interface HubChild extends StartedChild {
  readonly exitCode: number | null;
}
/** Starts `script` with `args` and `env`; the default runs it with Node (process.execPath) as a child process. */
export type HubLauncher = (script: string, args: string[], env: NodeJS.ProcessEnv) => HubChild;

const nodeLauncher =
  (runtime: string): HubLauncher =>
  (script, args, env) => {
    // stdin stays an open pipe: it closes when this process dies, however it dies, and the hub then exits.
    const child = spawn(runtime, [script, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {}); // the hub gone first: nothing to tell it
    return child;
  };

/**
 * Starts the hub bundle — with Node as a child process (the browser host), or through `launcher`
 * (Electron: a utility process, never the Electron binary with ELECTRON_RUN_AS_NODE, which the
 * packaged app's fuses turn off) — and waits for its readiness line. Rejects with a Chinese message
 * when it cannot start; the desk then runs 本机模式.
 */
export async function startEmbeddedHub(options: {
  hubScript: string;
  dataDir: string;
  /** The desk's bundled data: the hub reads its SLA policy (policy/sla.json) from the same folder. */
  resourcesDir: string;
  /** The Node binary for the default launcher (process.execPath). */
  runtime?: string;
  launcher?: HubLauncher;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<EmbeddedHub> {
  if (!existsSync(options.hubScript)) throw new Error(`找不到中心程序 ${options.hubScript}，请先运行 npm run build`);
  const { desk, admin } = account(options.dataDir);
  const hubDataDir = join(options.dataDir, 'hub');
  await stopStaleHub(hubDataDir);
  const users = [
    // The only desk of its own hub: it may also read the center-wide shift log for its team lead.
    // A desk account (server/desk-access.ts): pushes for whoever signs in here, marked unverified.
    { username: desk.username, password: desk.password, name: '本机坐席', role: 'team_lead', unitCode: null, desk: true },
    { username: admin.username, password: admin.password, name: '本机管理员', role: 'admin', unitCode: null },
  ];
  const launch = options.launcher ?? nodeLauncher(options.runtime ?? process.execPath);
  const child = launch(
    options.hubScript,
    ['--data-dir', hubDataDir, '--port', '0', '--resources-dir', options.resourcesDir, '--parent-pid', String(process.pid)],
    { ...process.env, ...options.env, HOTLINE_HUB_USERS: JSON.stringify(users), DATABASE_URL: '' },
  );
  const { ready, exited } = waitForReadyLine(child, HUB_READY_PREFIX, {
    // A first start creates the hub's database (server/db.ts), which a slow or busy PC takes a while to do.
    timeoutMs: options.timeoutMs ?? 120_000,
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
export async function embeddedHub(options: { dataDir: string; hubScript: string; resourcesDir: string; runtime?: string; launcher?: HubLauncher }): Promise<HubConfig> {
  try {
    const hub = await startEmbeddedHub({
      hubScript: options.hubScript,
      dataDir: options.dataDir,
      resourcesDir: options.resourcesDir,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.launcher ? { launcher: options.launcher } : {}),
    });
    return { hubUrl: hub.url, hubCredentials: hub.credentials, embedded: hub, note: `已在本机启动中心：${hub.url}（分中心、承办单位在此地址的工作台登录；管理员账号见数据目录 hub-account.json）` };
  } catch (error) {
    return { hubUrl: null, hubCredentials: null, embedded: null, note: `本机中心未能启动，改为本机模式：${describeError(error)}` };
  }
}

/**
 * Which hub the desk syncs with, in the order the entry points follow: the environment's when set;
 * else, when asked (`npm start`, Electron), one started beside the desk — `later`, so the desk opens
 * without waiting for it and connects when it is up (Desk.connectHub); else none (本机模式).
 */
export function planHub(options: { embedded: boolean; dataDir: string; hubScript: string; resourcesDir: string; runtime?: string; launcher?: HubLauncher }): {
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
