/**
 * Waiting for a started program's ready line (shared/ready-line.ts): the desk's embedded hub
 * (embedded-hub.ts) uses it, and so can the tests and benches that start the hub or the browser host.
 */
import { findReadyLine } from '../../shared/ready-line';

/** What is needed of a started program: a Node ChildProcess, or Electron's utility process (electron/main/hub-process.ts). */
export interface StartedChild {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

export interface ChildReady<T> {
  /** The ready line's payload; rejects when the child exits or times out first. */
  ready: Promise<T>;
  /** Everything the child has printed so far, stdout and stderr. */
  output(): string;
  /** Settles when the child has exited. */
  exited: Promise<void>;
}

export function waitForReadyLine<T = { url: string }>(
  child: StartedChild,
  prefix: string,
  options: {
    timeoutMs: number;
    /** Kill the child (SIGKILL) when it is not ready in time. */
    killOnTimeout?: boolean;
    timeoutError: (output: string) => Error;
    exitError: (code: number | null, output: string) => Error;
  },
): ChildReady<T> {
  let out = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (options.killOnTimeout) child.kill('SIGKILL');
      reject(options.timeoutError(out));
    }, options.timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const payload = findReadyLine<T>(out, prefix);
      if (payload === null) return;
      clearTimeout(timer);
      resolve(payload);
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(options.exitError(code, out));
    });
  });
  return { ready, output: () => out, exited };
}
