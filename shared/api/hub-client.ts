/**
 * The one typed client of the hub (shared/api/hub-contract.ts) over HTTP: `POST <hub>/v1/<name>` with
 * the call's input as the JSON body and, once logged in, a bearer token. The desk's sync client
 * (electron/services/sync/sync-client.ts), `npm run hub:sim` (server/sim.ts), the tests and the
 * benches all use it. A hub that cannot be reached, times out or answers something that is not a
 * Result is `unavailable` — the sync client's cue to back off and retry — never a throw.
 *
 * Pure TypeScript over the global fetch (Node 20+, browsers), so shared/ can hold it.
 */
import { fail, type Result } from '../result';
import { isResult } from './client';
import { describeIssues } from './dispatch';
import type { CallInput, CallName, CallOutput } from './contract';
import { hubCalls, type HubCalls } from './hub-contract';

/**
 * The part of fetch the client uses. `init` is a RequestInit, a type shared/ cannot name (it has no
 * DOM or Node types), hence `any`; the global fetch and any stand-in a test passes fit.
 */
export type HubFetch = (url: string, init: any) => Promise<{ status: number; json(): Promise<unknown> }>;

/** The globals the client reads when no fetch is given: present in Node 20+ and every browser. */
const web = globalThis as unknown as { fetch: HubFetch; AbortSignal: { timeout(ms: number): unknown } };

export interface HubClientOptions {
  url: string;
  /** Milliseconds before a request counts as unreachable (default 15 s). */
  timeoutMs?: number;
  /** Check every value against the call's output schema (tests); a mismatch is `internal`. */
  validateOutput?: boolean;
  /** A stand-in for the global fetch (tests put a faulty network in between). */
  fetch?: HubFetch;
}

export interface HubClient {
  /** The hub's address, ending in `/`. */
  readonly url: string;
  token: string | null;
  call<N extends CallName<HubCalls>>(name: N, input: CallInput<HubCalls, N>): Promise<Result<CallOutput<HubCalls, N>>>;
  /** Logs in and keeps the token for later calls; returns the login result. */
  login(username: string, password: string): Promise<Result<CallOutput<HubCalls, 'auth.login'>>>;
}

export function createHubClient(options: HubClientOptions): HubClient {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const doFetch = options.fetch ?? web.fetch;
  const client: HubClient = {
    url: base,
    token: null,
    async call(name, input) {
      if (!Object.hasOwn(hubCalls, name)) return fail('unknown_call', `中心没有名为“${name}”的接口`);
      let response: Awaited<ReturnType<HubFetch>>;
      try {
        response = await doFetch(`${base}v1/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
          body: JSON.stringify(input),
          signal: web.AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        const why = error instanceof Error && error.name === 'TimeoutError' ? '连接超时' : '无法连接';
        return fail('unavailable', `${why}中心 ${base}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return fail('unavailable', `中心的回复不是有效数据（HTTP ${response.status}）`);
      }
      if (!isResult(body)) return fail('unavailable', `中心的回复格式不正确（HTTP ${response.status}）`);
      if (body.ok && options.validateOutput) {
        const checked = hubCalls[name].output.safeParse(body.value);
        if (!checked.success) return fail('internal', `“${name}”的回复不符合约定：${describeIssues(checked.error)}`);
        return { ok: true, value: checked.data } as Result<CallOutput<HubCalls, typeof name>>;
      }
      return body as Result<CallOutput<HubCalls, typeof name>>;
    },
    async login(username, password) {
      const result = await client.call('auth.login', { username, password });
      if (result.ok) client.token = result.value.token;
      return result;
    },
  };
  return client;
}

/** How often a desk pulls when everything is sent (electron/services/sync/sync-client.ts). */
export const PULL_EVERY_MS = 5_000;

/**
 * The wait before a desk's next pull: `everyMs`, 10 % shorter or longer at random each round. Every
 * desk waits from the end of its last pull, so when a hub stalls, the pulls it held all end at once;
 * without the spread those desks would pull together again every 5 seconds, and each burst would
 * bring the next stall (bench/load.bench.ts measured it). With it, the burst thins out round by round.
 */
export function nextPullDelay(everyMs: number = PULL_EVERY_MS, random: () => number = Math.random): number {
  return everyMs * (0.9 + 0.2 * random());
}
