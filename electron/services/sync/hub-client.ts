/**
 * The desk's typed client of the hub (shared/api/hub-contract.ts) over HTTP: `POST /v1/<name>` with a
 * bearer token. A hub that cannot be reached, times out or answers something that is not a Result is
 * `unavailable` — the sync client's cue to back off and retry — never a throw.
 */
import { hubCalls, type HubCalls } from '../../../shared/api/hub-contract';
import type { CallInput, CallName, CallOutput } from '../../../shared/api/contract';
import { isResult } from '../../../shared/api/client';
import { fail, type Result } from '../../../shared/result';

export interface HubClientOptions {
  url: string;
  /** Milliseconds before a request counts as unreachable. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface HubClient {
  readonly url: string;
  token: string | null;
  call<N extends CallName<HubCalls>>(name: N, input: CallInput<HubCalls, N>): Promise<Result<CallOutput<HubCalls, N>>>;
}

export function createHubClient(options: HubClientOptions): HubClient {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const doFetch = options.fetch ?? fetch;
  const client: HubClient = {
    url: base,
    token: null,
    async call(name, input) {
      if (!Object.hasOwn(hubCalls, name)) return fail('unknown_call', `中心没有名为“${name}”的接口`);
      let response: Response;
      try {
        response = await doFetch(`${base}v1/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
          body: JSON.stringify(input),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
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
      return body as Result<CallOutput<HubCalls, typeof name>>;
    },
  };
  return client;
}
