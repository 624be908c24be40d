/**
 * What a push may claim (issue 16 item 9), on both drivers: a ticket's category must be a leaf of
 * the hub's catalogue and a 重复诉求's original must be at the hub (or earlier in the batch), else the
 * batch is refused naming the ticket, with nothing stored; the operator is taken from the session —
 * a call-taker's own account pushes only its own tickets, under its hub name, verified, while a desk
 * account pushes for whoever signed in at the desk (offline, say), recorded as unverified.
 */
import { describe, expect, it } from 'vitest';
import { ensureUsers } from '../../server/auth';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, PASSWORD, pushedTicket, rawPost, startTestHub, type TestHub } from './support';

const errorOf = (body: unknown) => (body as { error?: { kind: string; message: string } }).error;

describe.each(DRIVERS)('what a push may claim on %s', (driver) => {
  let t: TestHub;
  setupOnce(
    async () => {
      t = await startTestHub(driver, { leaves: ['L001', 'L002'] });
    },
    async () => {
      await t?.close();
    },
  );

  const stored = async (id: string) =>
    (
      await t.db.query<{ operator_id: string; operator_name: string; operator_verified: boolean; pushed_by: string }>(
        'SELECT operator_id, operator_name, operator_verified, pushed_by::text AS pushed_by FROM tickets WHERE id = $1::uuid',
        [id],
      )
    )[0];
  const userId = async (username: string) => (await t.db.query<{ id: string }>('SELECT id::text AS id FROM users WHERE username = $1', [username]))[0]!.id;

  it('refuses a leaf code the catalogue does not have, naming the ticket, and stores nothing of the batch', async () => {
    const taker = await t.as('taker');
    const before = await t.counts();
    const bad = pushedTicket({ leafCode: '0203' }); // a 二级 code, not a leaf
    const reply = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: [pushedTicket(), bad] }), { authorization: `Bearer ${taker.token}` });
    expect(reply.status).toBe(400);
    expect(errorOf(reply.body)).toEqual({ kind: 'bad_request', message: `工单 ${bad.provisionalNumber} 的诉求分类代码 0203 不是中心现行派单目录中的三级分类` });
    expect(await t.counts()).toEqual(before);
    expect(expectOk(await taker.call('tickets.push', { tickets: [pushedTicket({ leafCode: 'L002' }), pushedTicket({ leafCode: null, disposition: '咨询办结', unitCode: null })] })).results).toHaveLength(2);
  });

  it('refuses a 重复诉求 whose original is neither at the hub nor earlier in the batch; accepts one after its original in the same batch', async () => {
    const taker = await t.as('taker');
    const original = pushedTicket();
    const dupOf = (id: string) => pushedTicket({ disposition: '重复诉求', unitCode: null, linkedTicketId: id });
    const before = await t.counts();
    const nowhere = dupOf('00000000-0000-4000-8000-000000000001');
    const refused = await taker.call('tickets.push', { tickets: [pushedTicket(), nowhere] });
    expect(refused.ok || refused.error).toEqual({ kind: 'bad_request', message: expect.stringContaining(`工单 ${nowhere.provisionalNumber} 关联的原工单`) });
    // The original comes after its duplicate: refused too (a desk drains oldest first).
    const early = dupOf(original.id);
    const backwards = await taker.call('tickets.push', { tickets: [early, original] });
    expect(backwards.ok || backwards.error.message).toContain(`工单 ${early.provisionalNumber} 关联的原工单`);
    expect(await t.counts()).toEqual(before);

    // Taken offline: the original and its duplicate in one batch, in that order.
    const together = expectOk(await taker.call('tickets.push', { tickets: [original, early] })).results;
    expect(together.map((r) => r.status)).toEqual(['已派单', '已关联']);
    // Later: a duplicate of a ticket already at the hub, its id in upper case.
    expect(expectOk(await taker.call('tickets.push', { tickets: [dupOf(original.id.toUpperCase())] })).results[0]!.outcome).toBe('created');
  });

  it('a call-taker’s own account cannot push a ticket as another operator; nothing is stored', async () => {
    const own = await t.as('1001');
    const before = await t.counts();
    const mine = pushedTicket({ operatorId: '1001', deskId: 'desk-1' });
    const theirs = pushedTicket({ operatorId: '1002', operatorName: '周话务', deskId: 'desk-1' });
    const reply = await own.call('tickets.push', { tickets: [mine, theirs] });
    expect(reply.ok || reply.error).toEqual({ kind: 'forbidden', message: expect.stringContaining(`工单 ${theirs.provisionalNumber} 记在工号 1002 名下`) });
    expect(await t.counts()).toEqual(before);
  });

  it('records the operator of a personal session as the session’s: its hub name, verified, whatever name the desk sent', async () => {
    // desk-7 belongs to the desk account taker; the call-taker signed in there pushes under it all the same.
    expectOk(await (await t.as('taker')).call('tickets.push', { tickets: [pushedTicket({ deskId: 'desk-7' })] }));
    const own = await t.as('1001');
    const ticket = pushedTicket({ operatorId: '1001', operatorName: '冒名顶替', deskId: 'desk-7' });
    expectOk(await own.call('tickets.push', { tickets: [ticket] }));
    expect(await stored(ticket.id)).toEqual({ operator_id: '1001', operator_name: '孙话务', operator_verified: true, pushed_by: await userId('1001') });
    // The unit's ticket page says who took it, without 未核验.
    expect(expectOk(await (await t.as('op_a')).call('workspace.ticket', { ticketId: ticket.id }))).toMatchObject({ operatorName: '孙话务', operatorVerified: true });
    // The personal session did not take desk-7 from its desk, nor read its events.
    expect((await (await t.as('taker')).call('tickets.pull', { since: 0, deskId: 'desk-7' })).ok).toBe(true);
    const pull = await own.call('tickets.pull', { since: 0, deskId: 'desk-7' });
    expect(pull.ok || pull.error.kind).toBe('forbidden');
  });

  it('records an operator who signed in offline, pushed with the desk account, as unverified', async () => {
    const desk = await t.as('taker');
    const offline = pushedTicket({ operatorId: '1001', operatorName: '孙话务' });
    expectOk(await desk.call('tickets.push', { tickets: [offline] }));
    expect(await stored(offline.id)).toEqual({ operator_id: '1001', operator_name: '孙话务', operator_verified: false, pushed_by: await userId('taker') });
    expect(expectOk(await (await t.as('op_a')).call('workspace.ticket', { ticketId: offline.id }))).toMatchObject({ operatorName: '孙话务', operatorVerified: false });
  });

  it('a users-file seed can make an existing account a desk account (the desk’s own file at an upgrade), never the reverse', async () => {
    const flag = async (username: string) => (await t.db.query<{ desk_account: boolean }>('SELECT desk_account FROM users WHERE username = $1', [username]))[0]!.desk_account;
    await ensureUsers(t.db, [{ username: 'desk-old', password: PASSWORD, name: '本机坐席', role: 'team_lead' }], new Date());
    expect(await flag('desk-old')).toBe(false);
    await ensureUsers(t.db, [{ username: 'desk-old', password: PASSWORD, name: '本机坐席', role: 'team_lead', desk: true }], new Date());
    expect(await flag('desk-old')).toBe(true);
    await ensureUsers(t.db, [{ username: 'taker', password: PASSWORD, name: '李话务', role: 'call_taker', desk: false }], new Date());
    expect(await flag('taker')).toBe(true);
  });
});
