/**
 * Access at the hub (issue 16 items 8 and 9), on both drivers: guessing passwords is slowed, then
 * locked, per account and per address, and logged; passwords are hashed at scrypt N = 2^17 and an
 * older hash is replaced at the next login; logout, password change and an admin end sessions; a
 * user holds at most MAX_SESSIONS_PER_USER sessions. A desk id belongs to the account that first
 * used it, and pushed unit codes are checked against the hub's directory.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SESSIONS_PER_USER, scryptN } from '../../server/auth';
import { LOGIN_POLICY } from '../../server/login-guard';
import { createHubClient } from '../../shared/api/hub-client';
import { setupOnce } from './fixture';
import { DRIVERS, PASSWORD, pushedTicket, rawPost, startTestHub, type TestHub, expectOk } from './support';

const login = (t: TestHub, username: string, password: string) => rawPost(t.url, '/v1/auth.login', JSON.stringify({ username, password }));
const kindOf = (body: unknown) => (body as { error?: { kind: string; message: string } }).error;

describe.each(DRIVERS)('hub access on %s', (driver) => {
  let t: TestHub;
  const logLines: string[] = [];
  setupOnce(
    async () => {
      t = await startTestHub(driver, { log: (line) => logLines.push(line) });
    },
    async () => {
      await t?.close();
    },
  );

  const fresh = async (username: string, password = PASSWORD) => {
    const client = createHubClient({ url: t.url, validateOutput: true });
    expectOk(await client.login(username, password));
    return client;
  };

  it('spaces out tries after 3 wrong passwords, without checking the password meanwhile, and logs each failure', async () => {
    for (let i = 0; i < LOGIN_POLICY.backoffAfter; i++) expect((await login(t, 'op_b', 'wrong-guess')).status).toBe(401);
    // Even the right password waits its turn.
    const early = await login(t, 'op_b', PASSWORD);
    expect(early.status).toBe(401);
    expect(kindOf(early.body)).toMatchObject({ kind: 'unauthorized', message: '该账号登录失败次数过多，请 1 秒后再试' });
    expect(logLines.filter((l) => l.startsWith('登录失败：账号“op_b”，来自 ')).length).toBe(3);
    expect(logLines.some((l) => l.startsWith('登录被拒（账号暂停'))).toBe(true);
    t.clock.advance(1000);
    expect((await login(t, 'op_b', PASSWORD)).status).toBe(200);
    // A success clears the count: one more mistake is answered as a plain wrong password.
    expect(kindOf((await login(t, 'op_b', 'wrong-guess')).body)!.message).toBe('用户名或密码不正确');
    expect((await login(t, 'op_b', PASSWORD)).status).toBe(200);
  });

  it('locks an account for 15 minutes after 10 failures in a row, even for the right password', async () => {
    for (let i = 0; i < LOGIN_POLICY.lockAccountAfter; i++) {
      const reply = await login(t, 'op_a', `guess-${i}`);
      expect(kindOf(reply.body)!.message).toBe('用户名或密码不正确');
      t.clock.advance(LOGIN_POLICY.maxBackoffSeconds * 1000); // past every back-off
    }
    const locked = await login(t, 'op_a', PASSWORD);
    expect(kindOf(locked.body)!.message).toMatch(/^该账号登录失败次数过多，请 1[45] 分钟后再试$/);
    expect(logLines.some((l) => l === `账号“op_a”连续 ${LOGIN_POLICY.lockAccountAfter} 次登录失败，锁定 ${LOGIN_POLICY.lockMinutes} 分钟`)).toBe(true);
    t.clock.advance(LOGIN_POLICY.lockMinutes * 60_000);
    expect((await login(t, 'op_a', PASSWORD)).status).toBe(200);
  });

  it('hashes at scrypt N = 2^17 by default and rehashes an older hash at the next login', async () => {
    const saved = process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N;
    try {
      delete process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N;
      expect(scryptN()).toBe(2 ** 17);
      process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N = '10'; // below the floor: ignored
      expect(scryptN()).toBe(2 ** 17);
      const hashOf = async () => (await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'op_city'"))[0]!.password_hash;
      process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N = '14';
      expect(await hashOf()).toMatch(/^scrypt\$16384\$8\$1\$/); // seeded at the suite's cost
      delete process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N;
      expect((await login(t, 'op_city', 'wrong-password')).status).toBe(401);
      expect(await hashOf()).toMatch(/^scrypt\$16384\$/); // a failed login changes nothing
      expect((await login(t, 'op_city', PASSWORD)).status).toBe(200);
      const upgraded = await hashOf();
      expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect((await login(t, 'op_city', PASSWORD)).status).toBe(200);
      expect(await hashOf()).toBe(upgraded); // not hashed again
    } finally {
      if (saved === undefined) delete process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N;
      else process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N = saved;
    }
  }, 30_000);

  it('auth.logout ends the session it is called with, and only that one', async () => {
    const a = await fresh('lead');
    const b = await fresh('lead');
    expect(expectOk(await a.call('auth.logout', {}))).toEqual({ signedOut: true });
    expect(kindOf(await a.call('auth.me', {}))?.kind ?? 'ok').toBe('unauthorized');
    expect((await b.call('auth.me', {})).ok).toBe(true);
  });

  it('a password change ends the user’s other sessions; the old password stops working', async () => {
    const here = await fresh('taker2');
    const elsewhere = await fresh('taker2');
    const wrong = await here.call('auth.changePassword', { currentPassword: 'not-it', newPassword: 'a-new-password-1' });
    expect(wrong.ok || wrong.error.kind).toBe('unauthorized');
    expect((await elsewhere.call('auth.me', {})).ok).toBe(true);
    expect(expectOk(await here.call('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'a-new-password-1' }))).toEqual({ revoked: 1 });
    expect((await here.call('auth.me', {})).ok).toBe(true);
    const gone = await elsewhere.call('auth.me', {});
    expect(gone.ok || gone.error.kind).toBe('unauthorized');
    expect((await login(t, 'taker2', PASSWORD)).status).toBe(401);
    expect((await login(t, 'taker2', 'a-new-password-1')).status).toBe(200);
  });

  it('an admin ends every session of one account, desk and workspace alike', async () => {
    const one = await fresh('op_sub');
    const two = await fresh('op_sub');
    const web = await rawPost(t.url, '/web/session', JSON.stringify({ username: 'op_sub', password: PASSWORD }));
    expect(web.status).toBe(200);
    const taker = await t.as('taker');
    const refused = await taker.call('admin.revokeSessions', { username: 'op_sub' });
    expect(refused.ok || refused.error.kind).toBe('forbidden');
    const admin = await t.as('admin');
    expect(expectOk(await admin.call('admin.revokeSessions', { username: 'op_sub' }))).toEqual({ revoked: 3 });
    for (const client of [one, two]) {
      const me = await client.call('auth.me', {});
      expect(me.ok || me.error.kind).toBe('unauthorized');
    }
    const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'op_sub'");
    expect(row!.n).toBe(0);
    const unknown = await admin.call('admin.revokeSessions', { username: 'nobody' });
    expect(unknown.ok || unknown.error.kind).toBe('not_found');
  });

  it(`keeps at most ${MAX_SESSIONS_PER_USER} sessions per user, dropping the oldest`, async () => {
    const clients = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 2; i++) clients.push(await fresh('taker'));
    const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'taker'");
    expect(row!.n).toBe(MAX_SESSIONS_PER_USER);
    for (const [i, client] of clients.entries()) {
      const me = await client.call('auth.me', {});
      expect(me.ok || me.error.kind).toBe(i < 2 ? 'unauthorized' : true);
    }
  });

  it('binds a desk id to the account that first used it: another account can neither pull its events nor push in its name', async () => {
    const taker = await fresh('taker');
    const lead = await fresh('lead');
    const mine = pushedTicket({ deskId: 'desk-bound' });
    expectOk(await taker.call('tickets.push', { tickets: [mine] }));
    const [stored] = await t.db.query<{ pushed_by: string }>('SELECT pushed_by::text AS pushed_by FROM tickets WHERE id = $1::uuid', [mine.id]);
    const [takerRow] = await t.db.query<{ id: string }>("SELECT id::text AS id FROM users WHERE username = 'taker'");
    expect(stored!.pushed_by).toBe(takerRow!.id);

    const before = await t.counts();
    const pull = await lead.call('tickets.pull', { since: 0, deskId: 'desk-bound' });
    expect(pull.ok || pull.error.kind).toBe('forbidden');
    const push = await lead.call('tickets.push', { tickets: [pushedTicket({ deskId: 'desk-bound' })] });
    expect(push.ok || push.error).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('desk-bound') });
    expect(await t.counts()).toEqual(before);

    expect((await taker.call('tickets.pull', { since: 0, deskId: 'desk-bound' })).ok).toBe(true);
    expect((await (await t.as('admin')).call('tickets.pull', { since: 0, deskId: 'desk-bound' })).ok).toBe(true);
    // The lead's own desk id is the lead's.
    expect((await lead.call('tickets.push', { tickets: [pushedTicket({ deskId: 'desk-lead-own' })] })).ok).toBe(true);
  });

  it('a desk’s pull checks its session with its events: a signed-out token is 401, a unit account 403, and the bound desk gets its events page by page', async () => {
    const taker = await fresh('taker');
    const tickets = [pushedTicket({ deskId: 'desk-pulls', unitCode: 'U-A' }), pushedTicket({ deskId: 'desk-pulls', unitCode: 'U-A' })];
    expectOk(await taker.call('tickets.push', { tickets }));
    const opA = await fresh('op_a');
    for (const ticket of tickets) expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));

    // The first page of one event says there is more; the cursor brings the second; then nothing.
    const first = expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-pulls', limit: 1 }));
    expect(first.events.map((e) => [e.ticketId, e.kind])).toEqual([[tickets[0]!.id, '接单']]);
    expect(first.more).toBe(true);
    const second = expectOk(await taker.call('tickets.pull', { since: first.cursor, deskId: 'desk-pulls', limit: 1 }));
    expect(second.events.map((e) => [e.ticketId, e.kind, e.number])).toEqual([[tickets[1]!.id, '接单', expect.stringMatching(/^\d{8}/)]]);
    const rest = expectOk(await taker.call('tickets.pull', { since: second.cursor, deskId: 'desk-pulls' }));
    expect(rest).toEqual({ events: [], cursor: second.cursor, more: false });

    // A street's account may not pull a desk's events, even one bound to nobody.
    const unit = await rawPost(t.url, '/v1/tickets.pull', JSON.stringify({ since: 0, deskId: 'desk-nobody' }), { authorization: `Bearer ${opA.token}` });
    expect([unit.status, kindOf(unit.body)]).toEqual([403, { kind: 'forbidden', message: expect.stringContaining('op_a') }]);
    const [bound] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM desk_bindings WHERE desk_id = 'desk-nobody'`);
    expect(bound!.n).toBe(0);

    // Signed out: the same token is refused, as every other call refuses it.
    const token = taker.token!;
    expectOk(await taker.call('auth.logout', {}));
    const after = await rawPost(t.url, '/v1/tickets.pull', JSON.stringify({ since: 0, deskId: 'desk-pulls' }), { authorization: `Bearer ${token}` });
    expect([after.status, kindOf(after.body)?.kind]).toEqual([401, 'unauthorized']);
    const missing = await rawPost(t.url, '/v1/tickets.pull', JSON.stringify({ since: 0, deskId: 'desk-pulls' }));
    expect([missing.status, kindOf(missing.body)?.kind]).toEqual([401, 'unauthorized']);
  });

  it('refuses a dispatched ticket without a unit, with a unit the directory does not know or of the wrong kind, and a 重复诉求 without its original', async () => {
    const taker = await fresh('taker');
    const before = await t.counts();
    const cases = [
      [pushedTicket({ disposition: '直派', unitCode: null }), /为“直派”，却没有承办单位/],
      [pushedTicket({ disposition: '直派', unitCode: 'U-NOWHERE' }), /承办单位代码 U-NOWHERE 不在中心的单位名录中/],
      [pushedTicket({ disposition: '派分中心', unitCode: 'U-A' }), /为“派分中心”，承办单位 甲街道办事处（.+）不能承接/],
      [pushedTicket({ disposition: '直派', unitCode: 'CC' }), /为“直派”，承办单位 市民热线服务中心/],
      [pushedTicket({ disposition: '重复诉求', unitCode: null, linkedTicketId: null }), /为“重复诉求”，却没有关联原工单/],
    ] as const;
    for (const [ticket, message] of cases) {
      const reply = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: [pushedTicket(), ticket] }), { authorization: `Bearer ${taker.token}` });
      expect(reply.status).toBe(400);
      expect(kindOf(reply.body)!.kind).toBe('bad_request');
      expect(kindOf(reply.body)!.message).toMatch(message);
    }
    expect(await t.counts()).toEqual(before);
  });

  it('runs only a few password checks at once for one account: guesses sent in parallel are refused, not checked', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => login(t, 'lead', `parallel-guess-${i}`)));
    const checked = replies.filter((r) => kindOf(r.body)!.message === '用户名或密码不正确').length;
    expect(checked).toBeGreaterThanOrEqual(1);
    // At most parallelPerAccount at once, and no new one once the back-off starts (after 3 failures).
    expect(checked).toBeLessThanOrEqual(LOGIN_POLICY.parallelPerAccount + LOGIN_POLICY.backoffAfter - 1);
    expect(replies.every((r) => r.status === 401)).toBe(true);
    t.clock.advance(LOGIN_POLICY.maxBackoffSeconds * 1000);
    expect((await login(t, 'lead', PASSWORD)).status).toBe(200);
  });

  it('locks an address out after 30 failures within 15 minutes, whatever usernames it tries', async () => {
    let locked = false;
    for (let i = 0; i < LOGIN_POLICY.lockAddressAfter + 1 && !locked; i++) {
      const reply = await login(t, `nobody-${i}`, 'guess');
      locked = kindOf(reply.body)!.message.startsWith('本机登录失败次数过多');
    }
    expect(locked).toBe(true);
    expect(logLines.some((l) => /^地址 \S+ 在 15 分钟内 30 次登录失败，锁定 15 分钟$/.test(l))).toBe(true);
    const refused = await login(t, 'admin', PASSWORD);
    expect(kindOf(refused.body)!.message).toMatch(/^本机登录失败次数过多，请 1[45] 分钟后再试$/);
    const web = await rawPost(t.url, '/web/session', JSON.stringify({ username: 'admin', password: PASSWORD }));
    expect(kindOf(web.body)!.kind).toBe('unauthorized');
    t.clock.advance(LOGIN_POLICY.lockMinutes * 60_000);
    expect((await login(t, 'admin', PASSWORD)).status).toBe(200);
  });
});
