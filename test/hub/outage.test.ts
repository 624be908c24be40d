/**
 * A database that goes away under a running hub: calls get `unavailable` (503) — the desk's cue to
 * keep its outbox and retry — and /health says so; the process keeps answering and shuts down cleanly.
 */
import { describe, expect, it } from 'vitest';
import { useHub } from './fixture';
import { DRIVERS, pushedTicket, rawPost, type TestHub } from './support';

describe.each(DRIVERS)('the database going away on %s', (driver) => {
  let t: TestHub;
  let token: string;
  useHub(driver, async (hub) => {
    t = hub;
    token = (await hub.as('taker')).token!;
  });

  it('answers unavailable (503), never crashes, and still closes', async () => {
    await t.db.close();
    const push = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: [pushedTicket()] }), { authorization: `Bearer ${token}` });
    expect(push.status).toBe(503);
    expect((push.body as { error: { kind: string } }).error.kind).toBe('unavailable');
    const login = await rawPost(t.url, '/v1/auth.login', JSON.stringify({ username: 'taker', password: 'whatever-it-is' }));
    expect([login.status, (login.body as { error: { kind: string } }).error.kind]).toEqual([503, 'unavailable']);
    const health = await fetch(new URL('/health', t.url));
    expect(health.status).toBe(503);
    expect(((await health.json()) as { error: { kind: string } }).error.kind).toBe('unavailable');
    await t.hub.close();
  });
});
