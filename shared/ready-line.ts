/**
 * The line a program prints on stdout once it serves (`<PREFIX>{json}`), which whoever started it
 * waits for: the hub (server/main.ts) for the desk's embedded hub, the browser host
 * (electron/host/main.ts) for scripts, tests and benches. See electron/services/child-ready.ts.
 */
export const HUB_READY_PREFIX = 'HOTLINE_HUB_READY ';
export const DESK_READY_PREFIX = 'HOTLINE_DESK_READY ';

export function readyLine(prefix: string, payload: object): string {
  return `${prefix}${JSON.stringify(payload)}`;
}

/** The payload of the first ready line in `output`, or null while there is none. */
export function findReadyLine<T = { url: string }>(output: string, prefix: string): T | null {
  const line = output.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? null : (JSON.parse(line.slice(prefix.length)) as T);
}
