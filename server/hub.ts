/**
 * The hub, started in-process: opens the database (PGlite in `dataDir` by default, PostgreSQL when
 * `databaseUrl` is given), applies migrations, reads the SLA policy, creates the configured users
 * that are missing, and serves the API (http.ts) on `host:port`.
 *
 * `server/main.ts` is the command line around this; tests and benches call it directly.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSlaPolicy, SLA_POLICY_FILE } from '../shared/sla-file';
import { ensureRankSettings, rankSettingsOf } from './rank-summary';
import type { SlaPolicy } from '../shared/sla/policy';
import { countUsers, ensureUsers, HubUserSeeds, type HubUserSeed } from './auth';
import { holdDataDirLock, type DataDirLock } from './data-dir';
import { openPglite, openPostgres, type Database, type DbKind } from './db';
import { buildHttpServer } from './http';
import { LoginGuard } from './login-guard';
import { migrate } from './migrations';
import { autoRemind } from './requests';
import { parseTrainAt, scheduleTraining } from './learned';
import { loadUrgingPolicy } from './lookup';
import { CALLBACK_POLICY_FILE, DEFAULT_CALLBACK_POLICY, parseCallbackPolicy, type CallbackPolicy } from '../shared/lifecycle/callback';
import { DEFAULT_SCORING, parseScoringPolicy, SCORING_POLICY_FILE, type ScoringPolicy } from '../shared/stats/scoring';
import { DEFAULT_SUPERVISION_POLICY, parseSupervisionPolicy, SUPERVISION_POLICY_FILE, type SupervisionPolicy } from '../shared/lifecycle/supervision';
import { directoryOf, loadCatalogueLeaves, loadUnitDirectory } from './units';
import { findWebDir } from './web';
import type { Unit } from '../shared/domain/places';
import { HUB_VERSION } from './version';

export interface StartHubOptions {
  /** The 综合得分 weights; default: resources/policy/scoring.json. */
  scoring?: ScoringPolicy;
  /** PGlite's data folder (its files go in `<dataDir>/pgdata`); omitted with no databaseUrl: in memory. */
  dataDir?: string;
  /** Creates a new PGlite folder in a short-lived process (server/db.ts, PgliteOptions). */
  createPglite?: (pgdataDir: string) => Promise<void>;
  /** A database folder made at build time that a new PGlite folder starts as a copy of (server/db.ts PgliteOptions.template). */
  pgliteTemplate?: string;
  /** A PostgreSQL connection string; when set (non-empty) PGlite is not used. */
  databaseUrl?: string;
  /** With databaseUrl: the schema to use (created when missing), e.g. one per test run. */
  databaseSchema?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  host?: string;
  users?: readonly HubUserSeed[];
  /** When the hub has no users at all and none are given, create `admin` with a generated password. */
  bootstrapAdmin?: boolean;
  /** Where resources/policy/sla.json lives; found from this file's folder upwards when omitted. */
  resourcesDir?: string;
  /** The clock (tests fix it). */
  now?: () => Date;
  /** Run 超期自动提醒 on the supervision policy's timer (default: yes, unless `now` is a test clock). */
  remindTimer?: boolean;
  /**
   * The learned suggester's nightly training (server/learned.ts): at `trainAt` (center time "HH:MM",
   * or null for none; default HOTLINE_HUB_TRAIN_AT, else 02:30), leaving out the tickets of
   * `trainExcludeDesks` (test and demonstration desks; default HOTLINE_HUB_TRAIN_EXCLUDE_DESKS,
   * comma-separated). The timer runs unless `now` is a test clock (or trainTimer says otherwise).
   */
  trainAt?: string | null;
  trainExcludeDesks?: readonly string[];
  trainTimer?: boolean;
  /** The unit directory (units.ts); read from the published reference or resourcesDir when omitted. */
  units?: readonly Unit[];
  /** The catalogue's leaf codes a push is checked against (tests); with `units` and without this, none are checked. */
  leaves?: readonly string[];
  /** The built workspace served at `/` (default: the first dist/web/ above this file, web.ts). */
  webDir?: string | null;
  log?: (line: string) => void;
  /** Serve HTTPS with this PEM certificate and key (the CLI: --tls-cert / --tls-key). */
  tls?: { cert: Buffer | string; key: Buffer | string } | null;
  /**
   * A TLS proxy stands in front of this hub: it may then listen on a non-loopback address without
   * TLS of its own, and believes the proxy's X-Forwarded-For / -Proto. Without TLS and without
   * this, startHub refuses any address other than loopback (plain HTTP off the machine).
   */
  behindTlsProxy?: boolean;
}

function trainingOptions(options: StartHubOptions): { atMinutes: number | null | 'invalid'; excludeDesks: string[] } {
  const at = options.trainAt === undefined ? (process.env.HOTLINE_HUB_TRAIN_AT ?? '02:30') : (options.trainAt ?? 'off');
  const excludeDesks = options.trainExcludeDesks ?? (process.env.HOTLINE_HUB_TRAIN_EXCLUDE_DESKS ?? '').split(',');
  return { atMinutes: parseTrainAt(at), excludeDesks: excludeDesks.map((d) => d.trim()).filter(Boolean) };
}

/** Whether a listen address stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

export interface RunningHub {
  /** `http://host:port/`, or `https://…` with TLS */
  url: string;
  port: number;
  db: DbKind;
  /** The generated admin password, once, when bootstrapAdmin created the admin user. */
  bootstrapPassword: string | null;
  /** Usernames created at this start. */
  createdUsers: string[];
  /** Whether the workspace (dist/web) is served at `/`. */
  workspace: boolean;
  /** The database, for tests and benches. */
  database: Database;
  close(): Promise<void>;
}

/** The folder holding policy/sla.json: the given one, or the first `resources/` above `from`. */
export function findResourcesDir(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'resources', ...SLA_POLICY_FILE))) return join(dir, 'resources');
    if (dirname(dir) === dir) return null;
  }
}

/** The policy the hub works to; a missing or invalid file stops the hub with the reason. */
export function loadSlaPolicy(resourcesDir: string): SlaPolicy {
  const read = readSlaPolicy(join(resourcesDir, ...SLA_POLICY_FILE), (file) => readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

/** The 督办 policy (resources/policy/supervision.json): the documented defaults when the file is absent; an invalid one stops the hub. */
export function loadSupervisionPolicy(resourcesDir: string, log: (line: string) => void = () => {}): SupervisionPolicy {
  const file = join(resourcesDir, ...SUPERVISION_POLICY_FILE);
  if (!existsSync(file)) {
    log(`未找到督办策略 ${file}，使用默认督办等级（提醒、催办、督办、挂牌督办、通报）`);
    return DEFAULT_SUPERVISION_POLICY;
  }
  const read = parseSupervisionPolicy(readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(`${file}：${read.error.message}`);
  return read.value;
}

/** The 回访 policy (resources/policy/callback.json): the documented defaults when the file is absent; an invalid one stops the hub. */
export function loadCallbackPolicy(resourcesDir: string, log: (line: string) => void = () => {}): CallbackPolicy {
  const file = join(resourcesDir, ...CALLBACK_POLICY_FILE);
  if (!existsSync(file)) {
    log(`未找到回访策略 ${file}，使用默认值（最多拨打 ${DEFAULT_CALLBACK_POLICY.maxAttempts} 次，重办 ${DEFAULT_CALLBACK_POLICY.maxReopens} 次后转市中心）`);
    return DEFAULT_CALLBACK_POLICY;
  }
  const read = parseCallbackPolicy(readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(`${file}：${read.error.message}`);
  return read.value;
}

/** The 综合得分 weights (resources/policy/scoring.json): the documented defaults when the file is absent; an invalid one stops the hub. */
export function loadScoringPolicy(resourcesDir: string, log: (line: string) => void = () => {}): ScoringPolicy {
  const file = join(resourcesDir, ...SCORING_POLICY_FILE);
  if (!existsSync(file)) {
    log(`未找到考核得分策略 ${file}，使用默认权重（响应率 10%、解决率 45%、满意率 45%）`);
    return DEFAULT_SCORING;
  }
  const read = parseScoringPolicy(readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(`${file}：${read.error.message}`);
  return read.value;
}

export async function startHub(options: StartHubOptions = {}): Promise<RunningHub> {
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const resourcesDir = options.resourcesDir ?? findResourcesDir();
  if (!resourcesDir) throw new Error('找不到资源目录（resources/policy/sla.json），请用 resourcesDir 指定');
  const policy = loadSlaPolicy(resourcesDir);
  const users = HubUserSeeds.parse(options.users ?? []);
  const listenHost = options.host ?? '127.0.0.1';
  if (!options.tls && !options.behindTlsProxy && !isLoopbackHost(listenHost)) {
    throw new Error(
      `不在非本机地址（${listenHost}）上以明文 HTTP 提供服务：账号密码和工单会明文经过网络。请用 --tls-cert / --tls-key 给出证书与私钥，` +
        '或在前面有 TLS 反向代理时设置 HOTLINE_HUB_BEHIND_TLS_PROXY=1（--behind-tls-proxy）',
    );
  }

  let lock: DataDirLock | null = null;
  let db: Database;
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl) {
    db = await openPostgres({ url: databaseUrl, ...(options.databaseSchema ? { schema: options.databaseSchema } : {}) });
  } else {
    if (options.dataDir) lock = holdDataDirLock(options.dataDir);
    try {
      db = await openPglite(options.dataDir ? join(options.dataDir, 'pgdata') : null, {
        ...(options.createPglite ? { create: options.createPglite } : {}),
        ...(options.pgliteTemplate ? { template: options.pgliteTemplate } : {}),
      });
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  try {
    const report = await migrate(db);
    if (report.applied.length) log(`数据库结构已升级到第 ${report.version} 版`);
    // 考核's per-day summary counts to this policy's response limits (server/rank-summary.ts).
    const rebuildStarted = Date.now();
    if (await ensureRankSettings(db, rankSettingsOf(policy))) log(`考核汇总已按当前时限政策重新统计（${Date.now() - rebuildStarted} ms）`);
    const createdUsers = await ensureUsers(db, users, now());
    let bootstrapPassword: string | null = null;
    if (options.bootstrapAdmin && users.length === 0 && (await countUsers(db)) === 0) {
      bootstrapPassword = randomBytes(12).toString('base64url');
      createdUsers.push(...(await ensureUsers(db, [{ username: 'admin', password: bootstrapPassword, name: '管理员', role: 'admin', unitCode: null }], now())));
    }

    const directory = options.units
      ? { ...directoryOf(options.units), leaves: new Set(options.leaves ?? []) }
      : { ...(await loadUnitDirectory(db, resourcesDir)), leaves: await loadCatalogueLeaves(db, resourcesDir) };
    log(`单位名录：${directory.source}，${directory.units.size} 个单位；派单目录三级分类 ${directory.leaves.size} 个`);
    const webDir = options.webDir === undefined ? findWebDir() : options.webDir;
    const guard = new LoginGuard(now, log);
    const supervision = loadSupervisionPolicy(resourcesDir, log);
    const urging = loadUrgingPolicy(resourcesDir);
    const scoring = options.scoring ?? loadScoringPolicy(resourcesDir, log);
    const callbackPolicy = loadCallbackPolicy(resourcesDir, log);
    const training = trainingOptions(options);
    if (training.atMinutes === 'invalid') throw new Error('HOTLINE_HUB_TRAIN_AT 应为 时:分（如 02:30，中心时间）或 off');
    const app = buildHttpServer({
      ...{ db, policy, now, version: HUB_VERSION, log, directory, webDir, guard, supervision, scoring, callbackPolicy, urging },
      training: { excludeDesks: training.excludeDesks },
      resourcesDir,
      tls: options.tls ?? null,
      behindTlsProxy: options.behindTlsProxy === true,
    });
    await app.listen({ port: options.port ?? 0, host: listenHost });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let closed: Promise<void> | null = null;
    // 超期自动提醒 (requests.ts autoRemind) on the policy's interval; off under a test clock unless asked for.
    let reminding = false;
    const remindTimer =
      (options.remindTimer ?? !options.now) && supervision.autoRemind.enabled
        ? setInterval(() => {
            if (reminding) return;
            reminding = true;
            autoRemind(db, supervision, now())
              .then((n) => n && log(`超期自动提醒：${n} 张工单`))
              .catch((error: unknown) => log(`超期自动提醒失败：${error instanceof Error ? error.message : String(error)}`))
              .finally(() => (reminding = false));
          }, supervision.autoRemind.everyMinutes * 60_000)
        : null;
    remindTimer?.unref();
    // The learned suggester's nightly training (server/learned.ts); off under a test clock unless asked for.
    const stopTraining = (options.trainTimer ?? !options.now) && training.atMinutes !== null ? scheduleTraining(db, { excludeDesks: training.excludeDesks, atMinutes: training.atMinutes, now, log }) : null;
    return {
      url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}/`,
      port: address.port,
      db: db.kind,
      bootstrapPassword,
      createdUsers,
      workspace: webDir !== null,
      database: db,
      close() {
        closed ??= (async () => {
          if (remindTimer) clearInterval(remindTimer);
          stopTraining?.();
          await app.close();
          await db.close();
          lock?.release();
        })();
        return closed;
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    lock?.release();
    throw error;
  }
}
