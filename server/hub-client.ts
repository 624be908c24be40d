/**
 * The shared typed client (shared/api/client.ts) over fetch, for the hub's own tools (hub:sim,
 * tests, benches): `POST <hub>/v1/<name>` with the bearer token once logged in. Whatever comes back
 * is handed to the client, which turns anything that is not a Result into a named error.
 */
import { createClient, type Client } from '../shared/api/client';
import type { CallOutput } from '../shared/api/contract';
import { hubCalls, type HubCalls } from '../shared/api/hub-contract';
import type { Result } from '../shared/result';

export interface HubHttpClient extends Client<HubCalls> {
  token: string | null;
  /** Logs in and keeps the token for later calls; returns the login result. */
  login(username: string, password: string): Promise<Result<CallOutput<HubCalls, 'auth.login'>>>;
}

export function createHubHttpClient(url: string, options: { timeoutMs?: number; validateOutput?: boolean } = {}): HubHttpClient {
  const base = url.endsWith('/') ? url : `${url}/`;
  const state = { token: null as string | null };
  const client = createClient(
    hubCalls,
    {
      async call({ name, input }) {
        const response = await fetch(`${base}v1/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(state.token ? { authorization: `Bearer ${state.token}` } : {}) },
          body: JSON.stringify(input),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
        return response.json();
      },
    },
    { validateOutput: options.validateOutput ?? false },
  );
  return {
    get token() {
      return state.token;
    },
    set token(value) {
      state.token = value;
    },
    call: client.call,
    async login(username, password) {
      const result = await client.call('auth.login', { username, password });
      if (result.ok) state.token = result.value.token;
      return result;
    },
  };
}
