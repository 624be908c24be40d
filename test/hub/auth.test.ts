/**
 * Login and roles on both drivers: a token from auth.login opens the calls its role may make;
 * no token, a bad or expired token, or the wrong role get a named error with the right HTTP status,
 * and nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_HOURS } from '../../server/auth';
import { useHub } from './fixture';
import { DRIVERS, PASSWORD, pushedTicket, rawPost, USERS, type TestHub } from './support';

describe.each(DRIVERS)('hub auth on %s', (driver) => {
  let t: TestHub;
  useHub(driver, async (hub) => {
    t = hub;
  });

  it('creates the configured users with scrypt hashes, never the password itself', async () => {
    expect(t.hub.createdUsers.sort()).toEqual(USERS.map((u) => u.username).sort());
    const rows = await t.db.query<{ username: string; password_hash: string; unit_code: string | null }>('SELECT username, password_hash, unit_code FROM users ORDER BY username');
    expect(rows).toHaveLength(USERS.length);
    const salts = new Set<string>();
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect(row.password_hash).not.toContain(PASSWORD);
      salts.add(row.password_hash.split('$')[4]!);
    }
    expect(salts.size).toBe(rows.length); // a random salt each
    expect(rows.find((r) => r.username === 'op_a')!.unit_code).toBe('U-A');
  });

  it('logs in with the right password, keeps only the token hash, and the session lasts 12 hours', async () => {
    const client = t.anonymous();
    const login = await client.login('op_a', PASSWORD);
    expect(login.ok).toBe(true);
    if (!login.ok) return;
    expect(login.value.user).toMatchObject({ username: 'op_a', name: '甲街道操作员', role: 'unit_operator', unitCode: 'U-A' });
    expect(login.value.token).toMatch(/^[\w-]{43}$/);
    expect(login.value.expiresAt).toBe(new Date(t.clock.now().getTime() + SESSION_HOURS * 3_600_000).toISOString());
    const sessions = await t.db.query<{ token_sha256: string }>('SELECT token_sha256 FROM sessions');
    expect(sessions.some((s) => s.token_sha256 === login.value.token)).toBe(false);
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.token_sha256))).toBe(true);
    const me = await client.call('auth.me', {});
    expect(me).toEqual({ ok: true, value: login.value.user });
  });

  it('refuses a wrong password or an unknown user with unauthorized (401), writing no session', async () => {
    const before = await t.count('sessions');
    for (const [username, password] of [
      ['op_a', 'wrong-password'],
      ['nobody', PASSWORD],
    ] as const) {
      const reply = await rawPost(t.url, '/v1/auth.login', JSON.stringify({ username, password }));
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ ok: false, error: { kind: 'unauthorized', message: '用户名或密码不正确' } });
    }
    expect(await t.count('sessions')).toBe(before);
  });

  it('refuses calls without a token, with a bad token, or a malformed header (401), writing nothing', async () => {
    const body = JSON.stringify({ tickets: [pushedTicket()] });
    const before = await t.counts();
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-a-real-token' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: `Bearer ${'x'.repeat(500)}` }]) {
      const reply = await rawPost(t.url, '/v1/tickets.push', body, headers);
      expect(reply.status).toBe(401);
      expect((reply.body as { error: { kind: string } }).error.kind).toBe('unauthorized');
    }
    expect(await t.counts()).toEqual(before);
  });

  it('refuses a role the call does not list with forbidden (403), writing nothing', async () => {
    const opA = await t.as('op_a');
    const taker = await t.as('taker');
    const before = await t.counts();
    const push = await opA.call('tickets.push', { tickets: [pushedTicket()] });
    expect(push.ok || push.error.kind).toBe('forbidden');
    const publish = await taker.call('reference.publish', { kind: 'units', fileName: 'units.csv', content: 'code,name\nU-A,甲街道' });
    expect(publish.ok || publish.error.kind).toBe('forbidden');
    const stats = await taker.call('stats.rates', { from: '2026-12-01', to: '2026-12-01', groupBy: 'unit' });
    expect(stats.ok || stats.error.kind).toBe('forbidden');
    const accept = await taker.call('ticket.accept', { ticketId: pushedTicket().id });
    expect(accept.ok || accept.error.kind).toBe('forbidden');
    const callback = await opA.call('ticket.callback', { ticketId: pushedTicket().id, resolved: true, satisfaction: '满意' });
    expect(callback.ok || callback.error.kind).toBe('forbidden');
    const reply = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: [pushedTicket()] }), { authorization: `Bearer ${opA.token}` });
    expect(reply.status).toBe(403);
    expect(await t.counts()).toEqual(before);
  });

  it('checks the token before the body: an anonymous malformed request is unauthorized', async () => {
    const reply = await rawPost(t.url, '/v1/tickets.push', '{ not json');
    expect(reply.status).toBe(401);
  });

  it('expires a session after 12 hours', async () => {
    const client = t.anonymous();
    await client.login('lead', PASSWORD);
    expect((await client.call('auth.me', {})).ok).toBe(true);
    t.clock.advance(SESSION_HOURS * 3_600_000 - 1000);
    expect((await client.call('auth.me', {})).ok).toBe(true);
    t.clock.advance(1000);
    const expired = await client.call('auth.me', {});
    expect(expired.ok || expired.error).toEqual({ kind: 'unauthorized', message: '登录令牌无效或已过期，请重新登录' });
    // A later login clears expired sessions.
    await client.login('lead', PASSWORD);
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE expires_at <= $1', [t.clock.now().toISOString()]);
    expect(row!.n).toBe(0);
  });

  it('leaves an existing user as it is when the users option changes at a restart', async () => {
    const changed = USERS.map((u) => (u.username === 'taker' ? { ...u, password: 'another-password-1', name: '改名' } : u));
    await t.restart({ users: [...changed, { username: 'newbie', password: 'newbie-password', name: '新坐席', role: 'call_taker', unitCode: null }] });
    expect(t.hub.createdUsers).toEqual(['newbie']);
    const client = t.anonymous();
    expect((await client.login('taker', PASSWORD)).ok).toBe(true);
    expect((await client.login('taker', 'another-password-1')).ok).toBe(false);
    expect((await client.login('newbie', 'newbie-password')).ok).toBe(true);
  });

  it('answers /health with the database kind', async () => {
    const response = await fetch(new URL('/health', t.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: { db: driver, version: 'test' } });
  });
});
