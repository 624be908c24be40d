/**
 * The hub's web workspace (server/web.ts, server/workspace.ts) on both databases: signing in with a
 * cookie and its CSRF token, who may see and move which ticket (named errors, nothing written),
 * each move of the loop as a sub-center, a street and the center make it, the version check, the
 * logged caller reveal, the queue's order, filters and pages, and unit accounts from the directory.
 */
import { describe, expect, it } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
import type { WorkQueue, WorkTicket } from '../../shared/api/hub-contract';
import { DEFAULT_SUPERVISION_POLICY } from '../../shared/lifecycle/supervision';
import { autoRemind } from '../../server/requests';
import { createAccounts, parseArgs } from '../../scripts/unit-accounts';
import { useHub } from './fixture';
import { DRIVERS, expectOk, PASSWORD, pushedTicket, type TestHub } from './support';

interface WebSession {
  cookie: string;
  csrf: string;
  setCookies: string[];
}

async function webLogin(t: TestHub, username: string, password = PASSWORD): Promise<{ status: number; body: any; session: WebSession | null }> {
  const response = await fetch(new URL('/web/session', t.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await response.json();
  const setCookies = response.headers.getSetCookie();
  if (!body.ok) return { status: response.status, body, session: null };
  const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
  return { status: response.status, body, session: { cookie, csrf: body.value.csrf, setCookies } };
}

async function web(t: TestHub, session: WebSession, name: string, input: unknown, csrf: string | null = session.csrf): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(`/v1/${name}`, t.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: await response.json() };
}

const SUB = { disposition: '派分中心' as const, unitCode: 'SC-A', names: { unit: '甲区接诉即办分中心', district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] } };

describe.each(DRIVERS)('the web workspace on %s', (driver) => {
  let t: TestHub;
  useHub(driver, (hub) => {
    t = hub;
  });

  const as = async (username: string): Promise<HubClient> => {
    const client = t.anonymous();
    expectOk(await client.login(username, PASSWORD));
    return client;
  };
  const push = async (overrides: Parameters<typeof pushedTicket>[0] = {}) => {
    const ticket = pushedTicket({ submittedAt: t.clock.now().toISOString(), callStartedAt: new Date(t.clock.now().getTime() - 60_000).toISOString(), ...overrides });
    expectOk(await (await as('taker')).call('tickets.push', { tickets: [ticket] }));
    return ticket;
  };
  const detail = async (client: HubClient, id: string): Promise<WorkTicket> => expectOk(await client.call('workspace.ticket', { ticketId: id }));

  describe('signing in', () => {
    it('puts the session in an HttpOnly, SameSite=Strict cookie and never in the answer', async () => {
      const { status, body, session } = await webLogin(t, 'op_a');
      expect(status).toBe(200);
      expect(body.value.user).toMatchObject({ username: 'op_a', role: 'unit_operator', unitCode: 'U-A' });
      expect(body.value).not.toHaveProperty('token');
      const sessionCookie = session!.setCookies.find((c) => c.startsWith('hotline_session='))!;
      expect(sessionCookie).toMatch(/; HttpOnly/);
      expect(sessionCookie).toMatch(/; SameSite=Strict/);
      const csrfCookie = session!.setCookies.find((c) => c.startsWith('hotline_csrf='))!;
      expect(csrfCookie).not.toMatch(/HttpOnly/);
      expect(csrfCookie).toContain(session!.csrf);
      const me = await web(t, session!, 'workspace.me', {});
      expect(me.body).toMatchObject({ ok: true, value: { workRole: 'unit', unitName: '甲街道办事处' } });
    });

    it('refuses every cookie call without the CSRF header, or with a wrong one, and writes nothing', async () => {
      const ticket = await push();
      const { session } = await webLogin(t, 'op_a');
      const before = await t.counts();
      const missing = await web(t, session!, 'ticket.accept', { ticketId: ticket.id }, null);
      expect(missing.status).toBe(403);
      expect(missing.body.error.kind).toBe('forbidden');
      expect(missing.body.error.message).toContain('CSRF');
      const wrong = await web(t, session!, 'ticket.accept', { ticketId: ticket.id }, 'x'.repeat(32));
      expect(wrong.status).toBe(403);
      expect(await t.counts()).toEqual(before);
      expect((await web(t, session!, 'ticket.accept', { ticketId: ticket.id })).body).toMatchObject({ ok: true, value: { status: '已接单' } });
    });

    it('keeps bearer tokens working for desks without any CSRF token', async () => {
      const desk = await as('taker');
      expect(expectOk(await desk.call('auth.me', {})).username).toBe('taker');
    });

    it('sends call-takers to their desk, refuses a wrong password, and signs out', async () => {
      const taker = await webLogin(t, 'taker');
      expect([taker.status, taker.body.error.kind]).toEqual([403, 'forbidden']);
      expect(taker.body.error.message).toContain('坐席端');
      const wrong = await webLogin(t, 'op_a', 'not-the-password');
      expect([wrong.status, wrong.body.error.kind]).toEqual([401, 'unauthorized']);

      const { session } = await webLogin(t, 'op_b');
      const outWithoutCsrf = await fetch(new URL('/web/logout', t.url), { method: 'POST', headers: { 'content-type': 'application/json', cookie: session!.cookie }, body: '{}' });
      expect(outWithoutCsrf.status).toBe(403);
      const out = await fetch(new URL('/web/logout', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session!.cookie, 'x-csrf-token': session!.csrf },
        body: '{}',
      });
      expect(out.status).toBe(200);
      expect(out.headers.getSetCookie().some((c) => /^hotline_session=;.*Max-Age=0/.test(c))).toBe(true);
      expect((await web(t, session!, 'workspace.me', {})).status).toBe(401);
    });

    it('serves the page with a strict content policy', async () => {
      const response = await fetch(new URL('/', t.url));
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect((await fetch(new URL('/assets/..%2F..%2Fpackage.json', t.url))).status).toBe(404);
    });
  });

  describe('who may see and move which ticket', () => {
    it('keeps another unit’s ticket closed to reading and to moving, by name, writing nothing', async () => {
      const ticket = await push();
      const opB = await as('op_b');
      const before = await t.counts();
      const read = await opB.call('workspace.ticket', { ticketId: ticket.id });
      expect(read).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(!read.ok && read.error.message).toMatch(/不属于乙街道办事处/);
      expect(await opB.call('workspace.revealCaller', { ticketId: ticket.id })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await opB.call('ticket.accept', { ticketId: ticket.id })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(expectOk(await opB.call('workspace.queue', {})).rows.map((r) => r.id)).not.toContain(ticket.id);
      expect(await opB.call('workspace.queue', { view: 'returned' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await opB.call('workspace.units', { purpose: 'forward' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await t.counts()).toEqual(before);
    });

    it('lets a sub-center forward only to its own district’s streets or to departments', async () => {
      const ticket = await push(SUB);
      const sub = await as('op_sub');
      const targets = expectOk(await sub.call('workspace.units', { purpose: 'forward' })).map((u) => u.code);
      expect(targets.sort()).toEqual(['DEP-W', 'U-A', 'U-B']);
      const opA = await as('op_a');
      const before = await t.counts();
      for (const unitCode of ['U-C', 'SC-B', 'CC', 'NOPE']) {
        const refused = await sub.call('ticket.forward', { ticketId: ticket.id, unitCode });
        expect(refused, unitCode).toMatchObject({ ok: false, error: { kind: 'rejected' } });
      }
      expect(await opA.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await t.counts()).toEqual(before);
    });

    it('answers a stale version with a named conflict and the current state, applying nothing twice', async () => {
      const ticket = await push();
      const [first, second] = [await as('op_a'), await as('op_a')];
      const seen = await detail(first, ticket.id);
      expect(seen.version).toBe(0);
      expectOk(await first.call('ticket.accept', { ticketId: ticket.id, version: seen.version }));
      const before = await t.counts();
      const late = await second.call('ticket.accept', { ticketId: ticket.id, version: seen.version });
      expect(late).toMatchObject({ ok: false, error: { kind: 'conflict', details: { current: { status: '已接单', unitCode: 'U-A', version: 1 } } } });
      expect(!late.ok && late.error.message).toContain('已被他人处理');
      const lateReply = await second.call('ticket.reply', { ticketId: ticket.id, version: 0, reply: '已到现场核实' });
      expect(lateReply).toMatchObject({ ok: false, error: { kind: 'conflict' } });
      expect(await t.counts()).toEqual(before);
    });

    it('refuses a 办结 without its result, and oversized text, as bad requests', async () => {
      const ticket = await push();
      const opA = await as('op_a');
      expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
      const before = await t.counts();
      expect(await opA.call('ticket.close', { ticketId: ticket.id, resolved: true, note: '好' })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
      expect(await opA.call('ticket.reply', { ticketId: ticket.id, reply: '长'.repeat(2001) })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
      expect(await opA.call('ticket.return', { ticketId: ticket.id, reason: '不属于本单位职责', reasonKind: '随便' as never })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
      expect(await t.counts()).toEqual(before);
    });
  });

  describe('the loop, move by move', () => {
    it('a sub-center forwards, the street accepts, replies and closes with its result; the trail has every step', async () => {
      const ticket = await push(SUB);
      const [sub, opA] = [await as('op_sub'), await as('op_a')];
      expect(expectOk(await sub.call('workspace.queue', {})).rows.map((r) => r.id)).toContain(ticket.id);
      let seen = await detail(sub, ticket.id);
      expect(seen.moves).toEqual(expect.arrayContaining(['forward', 'accept', 'return']));
      const forwarded = expectOk(await sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A', version: seen.version }));
      expect(forwarded).toMatchObject({ kind: '派单', status: '已派单', unitCode: 'U-A', note: '甲区接诉即办分中心转派：甲街道办事处' });

      seen = await detail(opA, ticket.id);
      expect(seen.moves.sort()).toEqual(['accept', 'return']);
      t.clock.advance(20 * 60_000);
      expectOk(await opA.call('ticket.accept', { ticketId: ticket.id, version: seen.version }));
      seen = await detail(opA, ticket.id);
      expect(seen.deadlines.find((d) => d.ruleId.startsWith('contact_'))?.doneAt).toBe(t.clock.now().toISOString());
      expectOk(await opA.call('ticket.reply', { ticketId: ticket.id, version: seen.version, reply: '已联系市民，约定明日现场查看' }));
      seen = await detail(opA, ticket.id);
      const closed = expectOk(await opA.call('ticket.close', { ticketId: ticket.id, version: seen.version, note: '已督促施工方停止夜间施工', resolved: true }));
      expect(closed).toMatchObject({ kind: '办结', status: '已办结', note: '办结（已解决）：已督促施工方停止夜间施工' });

      seen = await detail(opA, ticket.id);
      expect(seen).toMatchObject({ status: '已办结', unitResolved: true, version: 4, moves: [] });
      expect(seen.trail.map((e) => e.kind)).toEqual(['受理', '派单', '派单', '接单', '回复', '办结']);
      // The sub-center still sees what it forwarded; the street's closed view has it.
      expect((await detail(sub, ticket.id)).status).toBe('已办结');
      expect(expectOk(await opA.call('workspace.queue', { view: 'closed' })).rows.map((r) => r.id)).toContain(ticket.id);
    });

    it('shows the caller’s number masked, and a 联系市民 reveal is written into the trail', async () => {
      const ticket = await push({ callerPhone: '13912345678', callbackPhone: '13912345678' });
      const opA = await as('op_a');
      const seen = await detail(opA, ticket.id);
      expect(seen.callerPhoneMasked).toBe('139****5678');
      expect(JSON.stringify(seen)).not.toContain('13912345678');
      const before = await t.count('ticket_access');
      expect(expectOk(await opA.call('workspace.revealCaller', { ticketId: ticket.id })).callerPhone).toBe('13912345678');
      expect(await t.count('ticket_access')).toBe(before + 1);
      const trail = (await detail(opA, ticket.id)).trail;
      expect(trail.at(-1)).toMatchObject({ kind: '联系市民', actor: '甲街道操作员', source: 'access' });
    });

    it('a street’s return goes back to the sub-center that forwarded it; the sub-center’s goes to the center’s 待派 queue, which re-dispatches', async () => {
      const ticket = await push(SUB);
      const [sub, opA, city] = [await as('op_sub'), await as('op_a'), await as('op_city')];
      expectOk(await sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A' }));
      const back = expectOk(await opA.call('ticket.return', { ticketId: ticket.id, reason: '该路段属乙街道管辖', reasonKind: '地址不在辖区' }));
      expect(back).toMatchObject({ kind: '退单', status: '已派单', unitCode: 'SC-A', note: '退单（地址不在辖区）：该路段属乙街道管辖' });
      expect(await opA.call('workspace.ticket', { ticketId: ticket.id })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect((await detail(sub, ticket.id)).moves).toContain('forward');

      const toCenter = expectOk(await sub.call('ticket.return', { ticketId: ticket.id, reason: '涉及两区交界，需市中心协调', reasonKind: '非本单位职责' }));
      expect(toCenter).toMatchObject({ status: '已退单', unitCode: null });
      expect(await sub.call('ticket.redispatch', { ticketId: ticket.id, unitCode: 'U-B' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      const waiting = expectOk(await city.call('workspace.queue', { view: 'returned' }));
      const row = waiting.rows.find((r) => r.id === ticket.id)!;
      expect(row).toMatchObject({ status: '已退单', unitCode: null, returnCount: 2 });
      expect(await city.call('ticket.redispatch', { ticketId: ticket.id, unitCode: 'CC' })).toMatchObject({ ok: false, error: { kind: 'rejected' } });
      const again = expectOk(await city.call('ticket.redispatch', { ticketId: ticket.id, unitCode: 'U-B', version: row.version, note: '属地办理' }));
      expect(again).toMatchObject({ kind: '派单', status: '已派单', unitCode: 'U-B', note: '重新派单：乙街道办事处；属地办理' });
      const opB = await as('op_b');
      const seen = await detail(opB, ticket.id);
      expect(seen).toMatchObject({ disposition: '直派', dispatchedUnitCode: 'U-B', unitName: '乙街道办事处', returnCount: 2 });
      expect(seen.moves).toContain('accept');
      const [returns] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_events WHERE kind = '退单' AND from_unit_code = 'U-A' AND ticket_id = $1::uuid`, [ticket.id]);
      expect(returns!.n).toBe(1);
    });
  });

  describe('the queue', () => {
    it('orders by the earliest open checkpoint, pages on the server, finds by number and filters', async () => {
      const ids: string[] = [];
      // 即时 tickets have a 15-minute clock: pushed later, they are still due first.
      for (let i = 0; i < 5; i++) ids.push((await push({ unitCode: 'U-C', names: { ...SUB.names, unit: '丙镇人民政府', leafPath: [i % 2 ? '市政管理' : '城乡建设'] } })).id);
      const urgent = await push({ unitCode: 'U-C', urgency: '即时', names: { ...SUB.names, unit: '丙镇人民政府', leafPath: ['市政管理'] } });
      const [account] = expectOk(await (await as('admin')).call('admin.unitAccounts', { unitCodes: ['U-C'] })).created;
      const opC = t.anonymous();
      expectOk(await opC.login(account!.username, account!.password));
      const first: WorkQueue = expectOk(await opC.call('workspace.queue', { limit: 4 }));
      expect(first.total).toBe(6);
      expect(first.rows).toHaveLength(4);
      expect(first.rows[0]!.id).toBe(urgent.id);
      const dues = first.rows.map((r) => Date.parse(r.nextDueAt!));
      expect([...dues].sort((a, b) => a - b)).toEqual(dues);
      const second = expectOk(await opC.call('workspace.queue', { limit: 4, offset: 4 }));
      expect(second.rows).toHaveLength(2);
      expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(6);
      expect(first.facets.categories).toEqual(expect.arrayContaining([{ name: '市政管理', count: 3 }, { name: '城乡建设', count: 3 }]));
      expect(expectOk(await opC.call('workspace.queue', { category: '城乡建设' })).total).toBe(3);
      const number = first.rows[1]!.number;
      const found = expectOk(await opC.call('workspace.queue', { number }));
      expect(found.rows.map((r) => r.number)).toEqual([number]);
      expect(ids).toContain(second.rows[0]!.id);
    });
  });

  describe('申请延期 and its review by the center', () => {
    /** The Beijing date `days` after the ticket's open 办结 due. */
    const dateAfterClose = (ticket: WorkTicket, days: number) => {
      const close = ticket.deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt)!;
      return new Date(Date.parse(close.dueAt) + 8 * 3600_000 + days * 86400_000 - 1).toISOString().slice(0, 10);
    };

    it('refuses a wrong request by name and writes nothing', async () => {
      const ticket = await push();
      const [opA, opB, city] = [await as('op_a'), await as('op_b'), await as('op_city')];
      let seen = await detail(opA, ticket.id);
      const later = dateAfterClose(seen, 3);
      const before = await t.counts();
      expect(seen.actions).not.toContain('extend');
      expect(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: later })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
      expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
      const accepted = await t.counts();
      seen = await detail(opA, ticket.id);
      expect(seen.actions).toEqual(['extend', 'unreasonable']);
      const refused: Array<[unknown, string]> = [
        [await opB.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: later }), 'forbidden'],
        [await city.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: later }), 'forbidden'],
        [await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: dateAfterClose(seen, 0) }), 'rejected'],
        [await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: dateAfterClose(seen, 31) }), 'rejected'],
        [await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: '2026-02-30' }), 'bad_request'],
        [await opA.call('ticket.extend', { ticketId: ticket.id, reason: '好', newDate: later }), 'bad_request'],
        [await opA.call('ticket.extend', { ticketId: ticket.id, reason: '长'.repeat(501), newDate: later }), 'bad_request'],
        [await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: later, version: 0 }), 'conflict'],
        [await city.call('ticket.decide', { ticketId: ticket.id, kind: 'extension', approve: true, reason: '' }), 'conflict'],
      ];
      expect(refused.map(([r]) => (r as { error?: { kind: string } }).error?.kind)).toEqual(refused.map(([, kind]) => kind));
      expect(await t.counts()).toEqual(accepted);
      expect(accepted).not.toEqual(before);
    });

    it('the street applies with a reason and a new date; the center sees it in 待审, approves, and the 办结 checkpoint moves; both are in the trail', async () => {
      const ticket = await push();
      const [opA, city] = [await as('op_a'), await as('op_city')];
      expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
      let seen = await detail(opA, ticket.id);
      const closeBefore = seen.deadlines.find((d) => d.ruleId.startsWith('close_'))!;
      const newDate = dateAfterClose(seen, 5);
      expectOk(await opA.call('ticket.extend', { ticketId: ticket.id, version: seen.version, reason: '需协调产权单位更换管线', newDate }));
      expect(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '再次申请延期', newDate })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
      expect((await detail(opA, ticket.id)).actions).toEqual([]);

      expect(await opA.call('workspace.queue', { view: 'review' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      const review = expectOk(await city.call('workspace.queue', { view: 'review' }));
      const row = review.rows.find((r) => r.id === ticket.id)!;
      expect(row.pending).toMatchObject({ kind: 'extension', newDate, reason: '需协调产权单位更换管线', actor: '甲街道操作员' });
      expect(await opA.call('ticket.decide', { ticketId: ticket.id, kind: 'extension', approve: true, reason: '' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'extension', approve: false, reason: '' })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
      const centerView = await detail(city, ticket.id);
      expect(centerView.actions).toContain('decide');
      expectOk(await city.call('ticket.decide', { ticketId: ticket.id, version: centerView.version, kind: 'extension', approve: true, reason: '同意，请按期办结' }));

      seen = await detail(opA, ticket.id);
      const closeAfter = seen.deadlines.find((d) => d.ruleId === closeBefore.ruleId)!;
      expect(closeAfter.dueAt).toBe(new Date(`${newDate}T16:00:00.000Z`).toISOString());
      expect(Date.parse(closeAfter.dueAt)).toBeGreaterThan(Date.parse(closeBefore.dueAt));
      expect(seen.pending).toBeNull();
      const notes = seen.trail.filter((e) => e.kind === '延期申请' || e.kind === '延期审核').map((e) => `${e.kind}|${e.actor}|${e.note}`);
      expect(notes).toEqual([`延期申请|甲街道操作员|申请延期至 ${newDate}：需协调产权单位更换管线`, `延期审核|市中心派单员|批准延期至 ${newDate}：同意，请按期办结`]);
      expect(expectOk(await city.call('workspace.queue', { view: 'review' })).rows.map((r) => r.id)).not.toContain(ticket.id);

      // A refusal keeps the deadline and says why.
      const again = dateAfterClose(seen, 2);
      expectOk(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '市民要求延后上门', newDate: again }));
      expectOk(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'extension', approve: false, reason: '理由不充分，请按期办结' }));
      const last = await detail(opA, ticket.id);
      expect(last.deadlines.find((d) => d.ruleId === closeBefore.ruleId)!.dueAt).toBe(closeAfter.dueAt);
      expect(last.trail.at(-1)).toMatchObject({ kind: '延期审核', note: `不予批准延期至 ${again}：理由不充分，请按期办结` });
    });
  });

  describe('督办', () => {
    it('the center raises a level with a note: a banner on the unit’s row and ticket until the unit acts; the trail and the desk keep it', async () => {
      const ticket = await push();
      const [opA, city, desk] = [await as('op_a'), await as('op_city'), await as('taker')];
      const levels = expectOk(await city.call('workspace.me', {})).supervisionLevels.map((l) => l.label);
      expect(levels).toEqual(['提醒', '催办', '督办', '挂牌督办', '通报']);
      const seen = await detail(city, ticket.id);
      expect(seen.actions).toContain('supervise');
      const before = await t.counts();
      expect(await opA.call('ticket.supervise', { ticketId: ticket.id, level: 'urge', note: '请尽快联系市民' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await city.call('ticket.supervise', { ticketId: ticket.id, level: 'shout', note: '请尽快联系市民' })).toMatchObject({ ok: false, error: { kind: 'rejected' } });
      expect(await city.call('ticket.supervise', { ticketId: ticket.id, level: 'urge', note: '快' })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
      expect(await city.call('ticket.supervise', { ticketId: ticket.id, level: 'urge', note: '请尽快联系市民', version: 7 })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
      expect(await t.counts()).toEqual(before);

      const event = expectOk(await city.call('ticket.supervise', { ticketId: ticket.id, version: seen.version, level: 'listed', note: '市民多次来电，请主要负责人牵头办理' }));
      expect(event).toMatchObject({ kind: '督办', status: '已派单', unitCode: 'U-A', note: '【挂牌督办】甲街道办事处：市民多次来电，请主要负责人牵头办理' });
      const row = expectOk(await opA.call('workspace.queue', {})).rows.find((r) => r.id === ticket.id)!;
      expect(row.supervision).toMatchObject({ label: '挂牌督办', note: '市民多次来电，请主要负责人牵头办理', actor: '市中心派单员', auto: false });
      expect((await detail(opA, ticket.id)).supervision?.label).toBe('挂牌督办');
      const pulled = expectOk(await desk.call('tickets.pull', { since: 0, deskId: 'desk-1', limit: 1000 }));
      expect(pulled.events.filter((e) => e.ticketId === ticket.id).map((e) => e.kind)).toEqual(['督办']);

      expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
      const after = await detail(opA, ticket.id);
      expect(after.supervision).toBeNull();
      expect(after.trail.map((e) => e.kind)).toEqual(['受理', '派单', '督办', '接单']);
      expectOk(await opA.call('ticket.close', { ticketId: ticket.id, note: '已完成管线维修', resolved: true }));
      expect(await city.call('ticket.supervise', { ticketId: ticket.id, level: 'remind', note: '请回访确认' })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    });

    it('reminds an overdue ticket by policy once per overdue checkpoint, and not while a banner is up', async () => {
      const ticket = await push({ urgency: '即时' });
      const opA = await as('op_a');
      const eventsOf = async () => (await t.db.query<{ note: string }>(`SELECT note FROM ticket_events WHERE ticket_id = $1::uuid AND kind = '督办' ORDER BY seq`, [ticket.id])).map((e) => e.note);
      await autoRemind(t.db, DEFAULT_SUPERVISION_POLICY, t.clock.now());
      expect(await eventsOf()).toEqual([]);
      t.clock.advance(16 * 60_000); // the 15-minute 落实 clock has run out
      expect(await autoRemind(t.db, DEFAULT_SUPERVISION_POLICY, t.clock.now())).toBeGreaterThanOrEqual(1);
      const notes = await eventsOf();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^【提醒】甲街道办事处：派单时限已于 .+ 到期，请尽快办理$/);
      expect((await detail(opA, ticket.id)).supervision).toMatchObject({ label: '提醒', auto: true, actor: '市中心（超期自动提醒）' });
      await autoRemind(t.db, DEFAULT_SUPERVISION_POLICY, t.clock.now());
      expect(await eventsOf()).toHaveLength(1);
      expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
      expect((await detail(opA, ticket.id)).supervision).toBeNull();
      await autoRemind(t.db, DEFAULT_SUPERVISION_POLICY, t.clock.now());
      expect(await eventsOf()).toHaveLength(1);
      expect(await autoRemind(t.db, { ...DEFAULT_SUPERVISION_POLICY, autoRemind: { ...DEFAULT_SUPERVISION_POLICY.autoRemind, enabled: false } }, t.clock.now())).toBe(0);
    });
  });

  describe('unit accounts', () => {
    it('creates one account per unit of a district from the directory, once, and each can sign in', async () => {
      const admin = await as('admin');
      const made = expectOk(await admin.call('admin.unitAccounts', { districtCode: 'D2' }));
      // U-C got its account in the queue test above: it is counted, not made again.
      expect(made.created.map((c) => c.unitCode)).toEqual(['SC-B']);
      expect(made.existing).toBe(1);
      const again = expectOk(await admin.call('admin.unitAccounts', { districtCode: 'D2' }));
      expect(again.created).toEqual([]);
      const account = made.created.find((c) => c.unitCode === 'SC-B')!;
      expect(account.username).toBe('sc-b');
      const { session } = await webLogin(t, account.username, account.password);
      expect((await web(t, session!, 'workspace.me', {})).body.value).toMatchObject({ workRole: 'subcenter', unitName: '乙区接诉即办分中心' });
      expect(await (await as('op_a')).call('admin.unitAccounts', {})).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await admin.call('admin.unitAccounts', { unitCodes: ['NOPE'] })).toMatchObject({ ok: false, error: { kind: 'rejected' } });
    });

    it('`npm run hub:accounts` makes them through the running hub and prints where to sign in', async () => {
      expect(parseArgs(['--kinds', 'street,bank'])).toMatch(/不是“bank”/);
      expect(parseArgs(['--district'])).toMatch(/后面要写值/);
      const args = parseArgs(['--url', t.url, '--units', 'DEP-W,U-B'], {});
      if (typeof args === 'string') throw new Error(args);
      const lines: string[] = [];
      expect(await createAccounts(args, 'wrong-password', (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toMatch(/^登录中心失败/);
      lines.length = 0;
      expect(await createAccounts(args, PASSWORD, (l) => lines.push(l))).toBe(0);
      expect(lines[0]).toBe(`工作台登录地址：${new URL('/', t.url).toString()}`);
      // U-B has op_b already: counted, not touched; the department gets its account.
      expect(lines[1]).toContain('新开账号 1 个，已有账号的单位 1 个');
      const [code, name, username, password] = lines[3]!.split('\t');
      expect([code, name, username]).toEqual(['DEP-W', '市水务局', 'dep-w']);
      const { session } = await webLogin(t, username!, password);
      expect((await web(t, session!, 'workspace.me', {})).body.value).toMatchObject({ workRole: 'unit', unitName: '市水务局' });
      lines.length = 0;
      expect(await createAccounts({ ...args, user: 'op_a' }, PASSWORD, (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toMatch(/^开账号失败/);
    });
  });
});
