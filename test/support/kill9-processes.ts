/**
 * Processes the kill -9 suite (test/hub/kill9.test.ts) starts and kills: the hub (server/main.ts) on
 * a PostgreSQL schema of its own at a fixed port, and a desk (test/support/desk-worker.ts: the real
 * desk services on a SQLite file) that submits and syncs. Each entry is bundled once per run
 * (`bundle`, esbuild, packages left in node_modules): every restart runs the same code, and starts
 * quicker than through tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { findReadyLine, HUB_READY_PREFIX } from '../../shared/ready-line';
import { ROOT } from './host-process';

/** Every child the suite started and that has not exited: a failed test must not leave one running. */
export const children = new Set<ChildProcess>();

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => killChild(child)));
}

export function killChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A port nothing listens on now (the hub keeps it across restarts, so the desk's address stays). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  kill9(): Promise<void>;
}

const bundles = new Map<string, string>();
/** Where bundles go: inside the repository, so their imports of packages resolve to node_modules. */
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', `hotline-kill9-${process.pid}-${randomBytes(3).toString('hex')}`);

/** One ES module of a TypeScript entry of the repository, built once per run. */
export async function bundle(entry: string): Promise<string> {
  let file = bundles.get(entry);
  if (!file) {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    file = join(BUNDLE_DIR, `${entry.replaceAll('/', '_')}.mjs`);
    await build({
      entryPoints: [join(ROOT, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      define: { __APP_VERSION__: JSON.stringify('test') },
      logLevel: 'error',
    });
    bundles.set(entry, file);
  }
  return file;
}

export function removeBundles(): void {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
}

/** node on a bundle of a TypeScript entry of the repository (see `bundle`). */
export async function runTs(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const file = await bundle(entry);
  const child = spawn(process.execPath, [file, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => out, exited, kill9: () => killChild(child) };
}

/** Resolves once `ready(output)` holds; rejects when the child exits first or after `ms`. */
export function waitFor(c: Child, ready: (output: string) => boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`${what} did not happen within ${ms} ms:\n${c.output().slice(-3000)}`));
    }, ms);
    const poll = setInterval(() => {
      if (ready(c.output())) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      } else if (c.child.exitCode !== null || c.child.signalCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`${what}: the process exited first:\n${c.output().slice(-3000)}`));
      }
    }, 20);
  });
}

/** The hub on PostgreSQL (`schema` of `databaseUrl`), users from `usersFile`, at `port`; resolves when it serves. */
export async function startHubChild(options: { databaseUrl: string; schema: string; usersFile: string; port: number }): Promise<Child> {
  const hub = await runTs('server/main.ts', ['--port', String(options.port), '--users', options.usersFile], {
    DATABASE_URL: options.databaseUrl,
    HOTLINE_HUB_DB_SCHEMA: options.schema,
    HOTLINE_HUB_USERS: '',
  });
  await waitFor(hub, (out) => findReadyLine(out, HUB_READY_PREFIX) !== null, 'the hub’s ready line');
  return hub;
}
