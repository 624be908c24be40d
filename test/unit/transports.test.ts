/**
 * The contract over both transports: the browser host (real HTTP and WebSocket on loopback) and
 * Electron IPC (the main-side registration and the preload bridge, with Electron's modules faked).
 * Malformed messages, unknown calls and missing credentials get named errors; nothing crashes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../shared/api/client';
import { deskCalls } from '../../shared/api/contract';
import { createDispatcher } from '../../shared/api/dispatch';
import { IPC_CALL_CHANNEL } from '../../shared/api/bridge';
import { startHost, MAX_BODY_BYTES, type RunningHost } from '../../electron/host/server';
import { registerDeskIpc } from '../../electron/main/ipc';
import { openTestDesk } from '../support/desk';
import { ROOT } from '../support/host-process';

const desk = openTestDesk();
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({ desk, rendererDir: join(ROOT, 'dist', 'renderer') });
});
afterAll(async () => {
  await host.close();
  desk.dispose();
});

const session = () => `${host.cookieName}=${host.secret}`;

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${host.url}api`, { method: 'POST', body, headers: { cookie: session(), ...headers } });
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: { kind: string; message: string }; value?: unknown } };
}

describe('browser host transport', () => {
  it('answers a well-formed call with the declared shape', async () => {
    const reply = await post(JSON.stringify({ name: 'app.info', input: {} }));
    expect(reply.status).toBe(200);
    expect(deskCalls['app.info'].output.parse((reply.body as { value: unknown }).value).dataDir).toBe(desk.dataDir);
  });

  it.each([
    ['not JSON', '{"name":', 400, 'bad_request'],
    ['no name', JSON.stringify({ input: {} }), 400, 'bad_request'],
    ['extra envelope field', JSON.stringify({ name: 'app.info', input: {}, sneaky: 1 }), 400, 'bad_request'],
    ['wrong input shape', JSON.stringify({ name: 'app.info', input: { unexpected: true } }), 400, 'bad_request'],
    ['a JSON array', '[1,2,3]', 400, 'bad_request'],
    ['unknown call', JSON.stringify({ name: 'tickets.deleteEverything', input: {} }), 404, 'unknown_call'],
    ['prototype name', JSON.stringify({ name: '__proto__', input: {} }), 404, 'unknown_call'],
  ])('%s gets a named error', async (_what, body, status, kind) => {
    const reply = await post(body);
    expect(reply.status).toBe(status);
    expect(reply.body.ok).toBe(false);
    expect(reply.body.error?.kind).toBe(kind);
    expect(reply.body.error?.message).toMatch(/[\u4e00-\u9fff]/); // a Chinese message a person can read
  });

  it('refuses a missing or wrong secret', async () => {
    const missing = await fetch(`${host.url}api`, { method: 'POST', body: JSON.stringify({ name: 'app.info', input: {} }) });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { kind: string } }).error.kind).toBe('unauthorized');
    const wrong = await post(JSON.stringify({ name: 'app.info', input: {} }), { cookie: `${host.cookieName}=${'f'.repeat(64)}` });
    expect(wrong.body.error?.kind).toBe('unauthorized');
    // The old way (a header the page read from a meta tag) opens nothing.
    const header = await fetch(`${host.url}api`, { method: 'POST', body: JSON.stringify({ name: 'app.info', input: {} }), headers: { 'x-hotline-secret': host.secret } });
    expect(header.status).toBe(401);
  });

  it('refuses calls from another origin and foreign Host headers', async () => {
    const foreign = await post(JSON.stringify({ name: 'app.info', input: {} }), { origin: 'http://evil.example' });
    expect(foreign.body.error?.kind).toBe('forbidden');
    const { request } = await import('node:http');
    const status = await new Promise<number>((done) => {
      const req = request(`${host.url}api`, { method: 'POST', headers: { host: 'rebind.example:80', cookie: session() } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.end(JSON.stringify({ name: 'app.info', input: {} }));
    });
    expect(status).toBe(403);
  });

  it('refuses an oversized body without reading it all', async () => {
    const reply = await post(JSON.stringify({ name: 'app.info', input: { pad: 'x'.repeat(MAX_BODY_BYTES) } }));
    expect(reply.status).toBe(413);
    expect(reply.body.error?.kind).toBe('too_large');
  });

  it('keeps serving after all of the above', async () => {
    const client = createClient(deskCalls, {
      call: async (m) => (await post(JSON.stringify(m))).body,
    }, { validateOutput: true });
    const health = await client.call('app.health', {});
    expect(health.ok && health.value.database.journalMode).toBe('wal');
  });

  it('hands the secret over only through the launch URL, as an HttpOnly SameSite=Strict cookie', async () => {
    const bare = await fetch(host.url);
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toContain(host.secret);
    const wrong = await fetch(`${host.url}?launch=${'0'.repeat(64)}`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const launch = await fetch(`${host.launchUrl}&window=side`, { redirect: 'manual' });
    expect(launch.status).toBe(303);
    expect(launch.headers.get('location')).toBe('/?window=side');
    expect(launch.headers.get('set-cookie')).toBe(`${host.cookieName}=${host.secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800`);
    // Opened as localhost: the same page, and a call from that origin is accepted.
    const viaLocalhost = host.launchUrl.replace('127.0.0.1', 'localhost');
    expect((await fetch(viaLocalhost, { redirect: 'manual' })).status).toBe(303);
    const local = await post(JSON.stringify({ name: 'app.info', input: {} }), { origin: new URL(viaLocalhost).origin });
    expect(local.status).toBe(200);
  });

  it('serves the page with a strict CSP and without the secret, and no directory traversal', async () => {
    const page = await fetch(host.url, { headers: { cookie: session() } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toContain(host.secret);
    const traversal = await fetch(`${host.url}..%2F..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it('pushes events over the WebSocket only with the session cookie and our origin', async () => {
    const wsUrl = host.url.replace('http', 'ws') + 'events';
    const refused = new WebSocket(wsUrl, { origin: host.url.slice(0, -1), headers: { cookie: `${host.cookieName}=wrong` } });
    await expect(new Promise((_, reject) => refused.on('error', reject))).rejects.toThrow(/401/);
    const foreign = new WebSocket(wsUrl, { origin: 'http://evil.example', headers: { cookie: session() } });
    await expect(new Promise((_, reject) => foreign.on('error', reject))).rejects.toThrow(/401/);
    const good = new WebSocket(wsUrl, { origin: host.url.slice(0, -1), headers: { cookie: session() } });
    await new Promise((done) => good.on('open', done));
    good.close();
  });
});

describe('Electron IPC transport', () => {
  function fakeIpc() {
    const handlers = new Map<string, (event: unknown, message: unknown) => unknown>();
    const ipcMain = { handle: (channel: string, fn: (event: unknown, message: unknown) => unknown) => handlers.set(channel, fn) };
    const dispatch = createDispatcher(deskCalls, desk.handlers);
    registerDeskIpc(ipcMain as never, dispatch, (url) => url.startsWith('app://desk/'));
    const invoke = (url: string | null, message: unknown) =>
      Promise.resolve(handlers.get(IPC_CALL_CHANNEL)!({ senderFrame: url === null ? null : { url } }, message));
    return { invoke };
  }

  it('answers calls from the app’s own frames', async () => {
    const { invoke } = fakeIpc();
    const reply = (await invoke('app://desk/index.html', { name: 'app.info', input: {} })) as { ok: boolean };
    expect(reply.ok).toBe(true);
  });

  it.each([
    ['wrong shape', { nom: 'app.info' }, 'bad_request'],
    ['bad input', { name: 'app.health', input: { deep: true } }, 'bad_request'],
    ['unknown call', { name: 'nope', input: {} }, 'unknown_call'],
    ['not even an object', 'app.info', 'bad_request'],
  ])('%s gets a named error', async (_what, message, kind) => {
    const { invoke } = fakeIpc();
    const reply = (await invoke('app://desk/index.html', message)) as { ok: boolean; error: { kind: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.kind).toBe(kind);
  });

  it('refuses frames that are not the app (a navigated or injected page)', async () => {
    const { invoke } = fakeIpc();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', null]) {
      const reply = (await invoke(url, { name: 'app.info', input: {} })) as { ok: boolean; error: { kind: string } };
      expect(reply.error.kind).toBe('forbidden');
    }
  });

  it('the preload exposes exactly one bridge that forwards to the call channel', async () => {
    const exposed: Record<string, unknown> = {};
    const invoke = vi.fn(async () => ({ ok: true, value: 'pong' }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    await import('../../electron/preload/index');
    expect(Object.keys(exposed)).toEqual(['hotline']);
    const bridge = exposed.hotline as { call: (m: unknown) => Promise<unknown>; onEvent: unknown };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent']);
    await expect(bridge.call({ name: 'app.info', input: {} })).resolves.toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenCalledWith(IPC_CALL_CHANNEL, { name: 'app.info', input: {} });
    vi.doUnmock('electron');
  });
});
