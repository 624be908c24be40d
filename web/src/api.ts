/**
 * The workspace's one way to the hub: the same `POST /v1/<name>` calls every client makes
 * (shared/api/hub-contract.ts), signed in by the HttpOnly session cookie the hub set at sign-in,
 * with the CSRF token (the readable `hotline_csrf` cookie) in `x-csrf-token` on every call.
 * A hub that does not answer, or answers something that is not a Result, is `unavailable`.
 */
import type { CallInput, CallName, CallOutput } from '../../shared/api/contract';
import type { HubCalls, HubUser } from '../../shared/api/hub-contract';
import { fail, type Result } from '../../shared/result';

const CSRF_COOKIE = 'hotline_csrf';

function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === CSRF_COOKIE && value) return value;
  }
  return '';
}

async function post<T>(path: string, body: unknown): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify(body),
    });
  } catch {
    return fail('unavailable', '无法连接中心，请检查网络后重试');
  }
  try {
    const json = (await response.json()) as Result<T>;
    if (json && typeof json === 'object' && typeof json.ok === 'boolean') return json;
  } catch {
    // fall through
  }
  return fail('unavailable', `中心的回复格式不正确（HTTP ${response.status}）`);
}

export function call<N extends CallName<HubCalls>>(name: N, input: CallInput<HubCalls, N>): Promise<Result<CallOutput<HubCalls, N>>> {
  return post(`/v1/${name}`, input);
}

export function signIn(username: string, password: string): Promise<Result<{ user: HubUser; csrf: string }>> {
  return post('/web/session', { username, password });
}

export function signOut(): Promise<Result<unknown>> {
  return post('/web/logout', {});
}
