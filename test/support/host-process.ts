/**
 * Starts the real browser host (dist/host/main.mjs) as a child process with its own fresh data
 * directory and waits for its readiness line. Used by the end-to-end tests and the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const READY = 'HOTLINE_DESK_READY ';

export interface HostProcess {
  /** The launch URL (`/?launch=<token>`): opening it gives the browser the desk's session cookie. */
  url: string;
  /** The bare page address, without the launch token (`http://127.0.0.1:PORT/`). */
  origin: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
  /** Kill without any chance to clean up, as a crash or a power cut would. */
  kill(): Promise<void>;
}

export function freshDataDir(prefix = 'hotline-desk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * @param options.removeDataDir remove the data directory on stop() (default: when this call made it);
 *   kill() never removes it — a test that kills the host restarts it on the same folder.
 */
export function startHostProcess(options: { dataDir?: string; env?: NodeJS.ProcessEnv; args?: string[]; removeDataDir?: boolean } = {}): Promise<HostProcess> {
  const dataDir = options.dataDir ?? freshDataDir();
  const removeDataDir = options.removeDataDir ?? !options.dataDir;
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'host', 'main.mjs'), '--data-dir', dataDir, '--port', '0', ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not become ready:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith(READY));
      if (!line) return;
      clearTimeout(timer);
      const { url, origin } = JSON.parse(line.slice(READY.length)) as { url: string; origin: string };
      resolvePromise({
        url,
        origin,
        dataDir,
        child,
        output: () => out,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
          if (removeDataDir) rmSync(dataDir, { recursive: true, force: true });
        },
        async kill() {
          if (child.exitCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before it was ready:\n${out}`));
    });
  });
}
