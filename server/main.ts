/**
 * The hub's command line: `node dist/hub/main.mjs [--data-dir DIR] [--port N] [--host H] [--users FILE]`
 * (`npm run hub` builds it when stale and runs it).
 *
 * - Database: PGlite in `<data dir>/pgdata` (data dir: --data-dir, else HOTLINE_HUB_DATA_DIR, else
 *   the per-user app-data folder `HotlineHub`); a non-empty DATABASE_URL uses that PostgreSQL
 *   server instead (HOTLINE_HUB_DB_SCHEMA picks a schema in it; HOTLINE_HUB_DB_POOL its connections per
 *   hub, default 16: server/db.ts).
 * - Users: a JSON array of {username, password, name, role, unitCode} from --users FILE or the env
 *   HOTLINE_HUB_USERS; each missing one is created. With neither, and no user in the database yet,
 *   an `admin` is created and its generated password printed once.
 * - Port: --port, else HOTLINE_HUB_PORT, else 12345; 0 takes a free one. Host 127.0.0.1 unless --host.
 * - TLS: --tls-cert FILE --tls-key FILE (or HOTLINE_HUB_TLS_CERT / HOTLINE_HUB_TLS_KEY), PEM: serves
 *   HTTPS. A --host other than loopback needs TLS, or --behind-tls-proxy (HOTLINE_HUB_BEHIND_TLS_PROXY=1)
 *   when a TLS proxy stands in front; otherwise the hub refuses to start (hub.ts).
 * - Prints where the workspace (web/) is signed in to: the hub's own address.
 * - Prints `HOTLINE_HUB_READY {"url":"http://127.0.0.1:PORT/"}` on stdout when listening (what
 *   scripts and the desk's embedded hub wait for), Chinese lines otherwise; exits 0 on SIGTERM/SIGINT
 *   after closing the server and the database.
 * - A new PGlite folder starts as a copy of the database folder the build made beside this bundle
 *   (PGLITE_TEMPLATE, scripts/build.mjs): no initdb at the first start. Without it (the hub run from
 *   source), it is created by this script run again as a child (`--create-pglite DIR`, which
 *   creates the database and exits): PGlite's initdb keeps hundreds of megabytes in the process that
 *   ran it, so the hub that serves opens a created folder and stays small (server/db.ts). Inside
 *   Electron (a utility process cannot start Node) the hub creates it itself.
 * - `--parent-pid N` (the desk's embedded hub): the hub also closes and exits when that process is
 *   gone — killed with -9 too — or its stdin closes, so it never holds its data folder's lock for a
 *   desk that no longer runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, fstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeError } from '../shared/errors';
import { HUB_READY_PREFIX, readyLine } from '../shared/ready-line';
import { HubUserSeeds, type HubUserSeed } from './auth';
import { alive, defaultHubDataDir } from './data-dir';
import { openPglite, PGLITE_TEMPLATE } from './db';
import { startHub } from './hub';
import { HUB_VERSION } from './version';

export const DEFAULT_HUB_PORT = 12345;

function readUsers(file: string | undefined, env: string | undefined): HubUserSeed[] | null {
  let text: string;
  let where: string;
  if (file) {
    where = `用户文件 ${file}`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`无法读取${where}：${describeError(error)}`);
    }
  } else if (env?.trim()) {
    where = '环境变量 HOTLINE_HUB_USERS';
    text = env;
  } else return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where}不是有效的 JSON`);
  }
  const parsed = HubUserSeeds.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${where}格式不正确（应为 [{username, password, name, role, unitCode}] 列表）：${first ? `${first.path.join('.')} ${first.message}` : ''}`);
  }
  return parsed.data;
}


/**
 * The database folder the build made beside this bundle. In the packaged desk the bundle is inside
 * app.asar and the folder is unpacked beside it (electron-builder.yml asarUnpack): a real folder the
 * hub can copy.
 */
function pgliteTemplate(): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), PGLITE_TEMPLATE);
  const unpacked = beside.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return unpacked !== beside && existsSync(unpacked) ? unpacked : beside;
}

/** Runs this script as a child that creates the PGlite database in `pgdataDir` and exits. */
function createPgliteInChild(pgdataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its stdin is a pipe from this process: when this process dies, the child stops too.
    const child = spawn(process.execPath, [process.argv[1]!, '--create-pglite', pgdataDir], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`创建数据库的子进程异常退出（${signal ?? `退出码 ${code}`}）`)),
    );
  });
}

/** Calls `gone` once the parent process has exited: its pipe to our stdin closes, or (checked each second) it is no longer our parent. */
function watchParent(parentPid: number, gone: () => void): void {
  let piped = false;
  try {
    const stdin = fstatSync(0);
    piped = stdin.isFIFO() || stdin.isSocket(); // a terminal or /dev/null says nothing about the parent
  } catch {
    piped = false;
  }
  if (piped) {
    process.stdin.on('end', gone);
    process.stdin.on('close', gone);
    process.stdin.on('error', gone);
    process.stdin.resume();
  }
  const timer = setInterval(() => {
    if (process.ppid !== parentPid || !alive(parentPid)) gone();
  }, 1000);
  timer.unref();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: process.env.HOTLINE_HUB_PORT?.trim() || String(DEFAULT_HUB_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      users: { type: 'string' },
      'resources-dir': { type: 'string' },
      'parent-pid': { type: 'string' },
      'tls-cert': { type: 'string', default: process.env.HOTLINE_HUB_TLS_CERT?.trim() || undefined },
      'tls-key': { type: 'string', default: process.env.HOTLINE_HUB_TLS_KEY?.trim() || undefined },
      'behind-tls-proxy': { type: 'boolean', default: process.env.HOTLINE_HUB_BEHIND_TLS_PROXY?.trim() === '1' },
      'create-pglite': { type: 'string' },
    },
  });
  if (values['create-pglite']) {
    process.stdin.on('end', () => process.exit(1));
    process.stdin.on('error', () => process.exit(1));
    process.stdin.resume();
    const db = await openPglite(values['create-pglite']);
    await db.close();
    process.exit(0);
  }
  const parentPid = values['parent-pid'] === undefined ? null : Number(values['parent-pid']);
  if (parentPid !== null && (!Number.isInteger(parentPid) || parentPid <= 0)) {
    console.error(`父进程号无效：${values['parent-pid']}`);
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`端口无效：${values.port}`);
    process.exit(2);
  }
  let users: HubUserSeed[] | null;
  try {
    users = readUsers(values.users, process.env.HOTLINE_HUB_USERS);
  } catch (error) {
    console.error(`中心无法启动：${describeError(error)}`);
    process.exit(2);
  }
  let tls: { cert: Buffer; key: Buffer } | null = null;
  if (values['tls-cert'] || values['tls-key']) {
    if (!values['tls-cert'] || !values['tls-key']) {
      console.error('中心无法启动：TLS 需要同时给出证书（--tls-cert / HOTLINE_HUB_TLS_CERT）和私钥（--tls-key / HOTLINE_HUB_TLS_KEY）');
      process.exit(2);
    }
    try {
      tls = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) };
    } catch (error) {
      console.error(`中心无法启动：无法读取 TLS 证书或私钥：${describeError(error)}`);
      process.exit(2);
    }
  }
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const dataDir = databaseUrl ? undefined : (values['data-dir'] ?? defaultHubDataDir());
  const schema = process.env.HOTLINE_HUB_DB_SCHEMA?.trim() || undefined;

  const hub = await startHub({
    ...(dataDir ? { dataDir } : {}),
    ...(dataDir && !process.versions.electron ? { createPglite: createPgliteInChild } : {}),
    ...(dataDir ? { pgliteTemplate: pgliteTemplate() } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(schema ? { databaseSchema: schema } : {}),
    ...(values['resources-dir'] ? { resourcesDir: values['resources-dir'] } : {}),
    port,
    host: values.host,
    tls,
    behindTlsProxy: values['behind-tls-proxy'] === true,
    users: users ?? [],
    bootstrapAdmin: users === null,
    log: (line) => console.error(`[中心] ${line}`),
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`收到 ${signal}，正在关闭中心…`);
    try {
      await hub.close();
      console.log('中心已关闭');
      process.exit(0);
    } catch (error) {
      console.error(`关闭中心时出错：${describeError(error)}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  if (parentPid !== null) watchParent(parentPid, () => void shutdown('父进程已退出'));

  console.log(`接诉即办中心已启动（版本 ${HUB_VERSION}）：${hub.url}`);
  console.log(databaseUrl ? `数据库：PostgreSQL${schema ? `（模式 ${schema}）` : ''}` : `数据库：PGlite，数据目录 ${dataDir}`);
  console.log(
    hub.workspace
      ? `工作台（分中心、承办单位、市中心用中心账号登录）：${hub.url}`
      : '工作台尚未构建：运行 npm run build（或 npm run hub）后重启中心，即可在本地址登录工作台',
  );
  if (hub.createdUsers.length && !hub.bootstrapPassword) console.log(`已创建账号：${hub.createdUsers.join('、')}`);
  if (hub.bootstrapPassword) {
    console.log(`首次启动：已创建管理员账号 admin，初始密码 ${hub.bootstrapPassword}（只显示这一次，请妥善保存）`);
  }
  // Last, so whoever waits for it has every line above too.
  console.log(readyLine(HUB_READY_PREFIX, { url: hub.url }));
}

main().catch((error: unknown) => {
  console.error(`中心启动失败：${describeError(error)}`);
  process.exit(1);
});
