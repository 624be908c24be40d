/**
 * The hub's database behind one small interface: `query` (one statement, $1… parameters), `exec`
 * (a script of several statements, no parameters) and `transaction`. Two drivers run the SAME SQL:
 *
 * - PGlite (`@electric-sql/pglite`): PostgreSQL compiled to WebAssembly, in this process, with its
 *   files in a data directory. The default, so the hub runs where no database server is installed.
 *   It is one connection: statements and transactions queue behind each other.
 * - node-postgres (`pg`) against a real server (`DATABASE_URL`), through a small pool.
 *
 * Both drivers hand back the same JavaScript values, so no repository ever asks which one it has:
 * bigint and numeric → number (every bigint the hub keeps — event seqs, counts — stays far below
 * 2^53), timestamptz → ISO string in UTC (`2026-12-01T02:00:00.000Z`), date → `YYYY-MM-DD`,
 * json/jsonb → parsed. Parameters go in as strings, numbers, booleans, null, or arrays of those;
 * JSON goes in as a string cast with `::jsonb`. Every session runs with TimeZone UTC.
 */
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import { makePrivate } from './data-dir';

export type DbKind = 'pglite' | 'postgres';
export type Param = string | number | boolean | null | readonly (string | number | boolean | null)[];

/**
 * A statement the hub runs on nearly every request (a desk's pull, the session check, a push's
 * steps). On PostgreSQL each pooled connection prepares it once under its name and from then on runs
 * it without parsing and planning it again: the pull's planning took longer than its execution
 * (0.5 against 0.4 ms), and one prepared pull costs 0.13–0.19 ms of a round trip where the same text
 * unprepared costs 0.55–0.87 ms (docs/scale.md). PGlite runs the text as any other.
 *
 * Its text must be fixed (never built from input), and it must name the columns it returns rather than
 * `*` over a table: a hub that migrated the schema while another kept its prepared plans would otherwise
 * have PostgreSQL refuse the plan ("cached plan must not change result type").
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const statements = new Map<string, string>();

/** A named statement (see Statement); one name, one text, across the hub. */
export function statement(name: string, text: string): Statement {
  const known = statements.get(name);
  if (known !== undefined && known !== text) throw new Error(`statement ${name} is defined twice with different text`);
  statements.set(name, text);
  return { name, text };
}

export interface Sql {
  query<T = Record<string, unknown>>(text: string | Statement, params?: readonly Param[]): Promise<T[]>;
  /** Several statements separated by semicolons; no parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: DbKind;
  /** Runs fn in one transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// PostgreSQL type OIDs the hub reads.
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)?$/;

/** PostgreSQL's text form of a timestamp(tz) → ISO 8601 in UTC. */
export function timestampToIso(text: string): string {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return text; // infinity and the like: never written by the hub
  const [, date, time, hours, minutes, seconds] = match;
  let offsetMs = 0;
  if (hours) {
    const sign = hours.startsWith('-') ? -1 : 1;
    offsetMs = sign * (Math.abs(Number(hours)) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0)) * 1000;
  }
  const utc = Date.parse(`${date}T${time!.slice(0, 12)}Z`);
  return new Date(utc - offsetMs).toISOString();
}

const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: Number,
  [OID.numeric]: Number,
  [OID.date]: (text) => text,
  [OID.timestamp]: timestampToIso,
  [OID.timestamptz]: timestampToIso,
};

interface DriverQuery {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** node-postgres's query with a config, whose name makes it a prepared statement of the connection. */
type NamedQuery = (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }>;

/**
 * Sql over either driver (a connection, a pool or a transaction): scripts go to `script`, else to
 * query. `named`: runs a Statement prepared under its name (node-postgres); without it, its text runs.
 */
function sqlOver(target: DriverQuery, script: (text: string) => Promise<unknown> = (text) => target.query(text), named?: NamedQuery): Sql {
  return {
    async query<T>(text: string | Statement, params: readonly Param[] = []) {
      if (typeof text === 'string') return (await target.query(text, params as unknown[])).rows as T[];
      if (named) return (await named({ name: text.name, text: text.text, values: params as unknown[] })).rows as T[];
      return (await target.query(text.text, params as unknown[])).rows as T[];
    },
    async exec(text: string) {
      await script(text);
    },
  };
}

/** close() may be called more than once (a hub shutting down after its database failed). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= fn());
}

// ---- PGlite -----------------------------------------------------------------------------------

/**
 * PostgreSQL's memory settings for the PGlite beside one desk, in place of a server's defaults (128 MB
 * of shared buffers): one desk's tickets fit in a few megabytes, and the hub must stay light on a
 * call-taker's PC (measured by bench/hub.bench.ts).
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB', 'work_mem=4MB', 'temp_buffers=4MB', 'wal_buffers=1MB', 'maintenance_work_mem=16MB'];

/** The folder beside the hub bundle holding the database the build made (scripts/build.mjs buildPgliteTemplate). */
export const PGLITE_TEMPLATE = 'pgdata-template';

export interface PgliteOptions {
  /**
   * Creates the database when `dataDir` holds none yet, in a process that then exits: PGlite's
   * initdb keeps several hundred megabytes for the life of the process that ran it, while reopening
   * a created folder needs a fraction of that (server/main.ts runs itself with --create-pglite).
   */
  create?: (dataDir: string) => Promise<void>;
  /**
   * A folder holding a database PGlite's initdb made at build time (scripts/build.mjs puts one
   * beside the hub bundle, dist/hub/pgdata-template): a new `dataDir` starts as a copy of it, which
   * takes a fraction of a second where initdb takes seconds and the memory above. When it is
   * missing or cannot be copied (inside an asar archive, say) the database is created as before.
   */
  template?: string;
}

/** Copies the template into `to`; false when there is no usable template or the copy failed. */
function copyTemplate(template: string | undefined, to: string): boolean {
  if (!template || pgliteIsNew(template)) return false;
  try {
    cpSync(template, to, { recursive: true });
    return !pgliteIsNew(to);
  } catch {
    rmSync(to, { recursive: true, force: true });
    return false;
  }
}

/** Whether `dataDir` holds no PostgreSQL database yet. */
export function pgliteIsNew(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Opens (creating when new) a PGlite database in `dataDir`, or in memory when dataDir is null.
 * PGlite takes no lock on its directory: the caller must make sure only one process opens it
 * (server/data-dir.ts holds a lock file for that).
 */
export async function openPglite(dataDir: string | null, options: PgliteOptions = {}): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir && (options.create || options.template) && pgliteIsNew(dataDir)) {
    // Made beside the folder and moved in whole, so a creation cut short (the hub killed while its
    // child works) never leaves a half-made database where the next start would open it.
    const creating = `${dataDir}.creating`;
    rmSync(creating, { recursive: true, force: true });
    const copied = copyTemplate(options.template, creating);
    if (!copied && options.create) await options.create(creating);
    // Neither a template nor a creator: PGlite runs initdb in this process, below.
    if (copied || options.create) {
      if (pgliteIsNew(creating)) throw new Error(`创建数据库失败：${creating} 中没有生成数据库文件`);
      rmSync(dataDir, { recursive: true, force: true });
      renameSync(creating, dataDir);
    }
  }
  if (dataDir) makePrivate(dataDir);
  const pg: PGliteType = await PGlite.create(dataDir ?? 'memory://', {
    parsers: PARSERS,
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  await pg.exec(`SET TimeZone = 'UTC'`);
  // PGlite writes its files 0666: private at open and again at close (the folder, 0700, guards the rest).
  if (dataDir) makePrivate(dataDir);
  const wrap = (target: Pick<PGliteType, 'query' | 'exec'>): Sql => sqlOver(target, (script) => target.exec(script));
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: once(async () => {
      await pg.close();
      if (dataDir) makePrivate(dataDir);
    }),
  };
}

// ---- PostgreSQL (node-postgres) ---------------------------------------------------------------

export interface PostgresOptions {
  url: string;
  /** Use (and create when missing) this schema: every session's search_path is set to it. */
  schema?: string;
  /** Pool size; default DEFAULT_POOL_SIZE, or HOTLINE_HUB_DB_POOL (1..100). */
  max?: number;
}

/**
 * Connections per hub process, opened as needed. With 2,000 desks (400 pulls a second, each one
 * statement since server/tickets.ts pullForSession; three before) the pool is where requests wait
 * whenever the database answers slowly. On a busy 2-core machine bench/load.bench.ts measured pull p50 at 11× the
 * same run's GET /health with 8 connections, 5× with 16 (docs/decisions/0002-hub-push-and-pull.md).
 * Several hubs on one server: keep their sum under its max_connections.
 */
export const DEFAULT_POOL_SIZE = 16;

/**
 * How long a pooled connection may sit idle before it is closed: 10 minutes, not node-postgres's
 * 10 seconds. Under 2,000 desks the pool grew in every short stall and shrank again 10 s later, some
 * 200 new connections a load run (bench/load.bench.ts); each new one is a new PostgreSQL backend that
 * plans the prepared statements again and compiles the push's plpgsql function and triggers (about
 * 45 ms on a quiet machine), and they were opened just when the database was slowest.
 */
export const POOL_IDLE_MS = 600_000;

function poolSize(): number {
  const configured = Number(process.env.HOTLINE_HUB_DB_POOL);
  return Number.isInteger(configured) && configured >= 1 && configured <= 100 ? configured : DEFAULT_POOL_SIZE;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function withDefaultUser(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // not a URL (a keyword string): node-postgres reads it as it is
  }
  if (parsed.username || process.env.PGUSER || process.env.USER) return url;
  try {
    parsed.username = encodeURIComponent(userInfo().username);
  } catch {
    return url;
  }
  return parsed.toString();
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const { default: pg } = await import('pg');
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`数据库模式名无效：${options.schema}（只能用小写英文字母、数字和下划线）`);
  }
  const types = {
    getTypeParser: (oid: number, format?: string) => PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
  };
  // libpq falls back to the operating-system user name when the URL names none; node-postgres reads
  // only $USER, which service managers and CI often leave unset.
  const connection = { connectionString: withDefaultUser(options.url) };
  const sessionOptions = [`-c TimeZone=UTC`, ...(options.schema ? [`-c search_path=${options.schema}`] : [])].join(' ');
  if (options.schema) {
    // The schema must exist before a session can use it; one short connection makes it.
    const setup = new pg.Client(connection);
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    ...connection,
    max: options.max ?? poolSize(),
    options: sessionOptions,
    types: types as never,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: POOL_IDLE_MS,
  });
  // An idle client losing its connection emits here; without a listener that would crash the hub.
  pool.on('error', () => {});
  // Fail now, with the server's reason, rather than on the first request.
  const probe = await pool.connect();
  probe.release();

  return {
    kind: 'postgres',
    ...sqlOver(pool, undefined, (config) => pool.query(config)),
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await fn(sqlOver(client, undefined, (config) => client.query(config)));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        // A connection that cannot even roll back is dropped rather than handed to the next caller.
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: once(() => pool.end()),
  };
}
