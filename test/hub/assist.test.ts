/**
 * 双派单 on both databases (server/assists.ts, server/loop.ts, server/workspace.ts): a sub-center
 * forwards to one 主办 and 协办 units; each sees the ticket in its queue; a 协办 unit answers once
 * (the desk pulls the 协办回复) but cannot make the 主办's moves; bad input is refused by name with
 * nothing written; a re-forward or a 退单 ends the assists; the 主办 closes the ticket. Also the
 * center's 全部在办 view.
 */
import { describe, expect, it } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
import type { WorkTicket } from '../../shared/api/hub-contract';
import { useHub } from './fixture';
import { DRIVERS, expectOk, PASSWORD, pushedTicket, type TestHub } from './support';

const SUB = { disposition: '派分中心' as const, unitCode: 'SC-A', names: { unit: '甲区接诉即办分中心', district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] } };

describe.each(DRIVERS)('双派单 on %s', (driver) => {
  let t: TestHub;
  useHub(driver, (hub) => {
    t = hub;
  });

  const as = async (username: string): Promise<HubClient> => {
    const client = t.anonymous();
    expectOk(await client.login(username, PASSWORD));
    return client;
  };
  const push = async () => {
    const ticket = pushedTicket({ ...SUB, submittedAt: t.clock.now().toISOString(), callStartedAt: new Date(t.clock.now().getTime() - 60_000).toISOString() });
    const [pushed] = expectOk(await (await as('taker')).call('tickets.push', { tickets: [ticket] })).results;
    return { ...ticket, number: pushed!.number };
  };
  const detail = async (client: HubClient, id: string): Promise<WorkTicket> => expectOk(await client.call('workspace.ticket', { ticketId: id }));
  /** Every table a move could write (sessions aside: each sign-in in between adds one). */
  const written = async () => {
    const { sessions: _signIns, ...rest } = await t.counts();
    return { ...rest, ticket_assists: await t.count('ticket_assists') };
  };
  const queueIds = async (client: HubClient) => expectOk(await client.call('workspace.queue', {})).rows;

  it('forwards to a 主办 and 协办 units; each sees it, the 协办 replies once and the desk pulls it, the 主办 closes', async () => {
    const ticket = await push();
    const sub = await as('op_sub');
    const seen = await detail(sub, ticket.id);
    const forwarded = expectOk(
      await sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A', assistUnitCodes: ['U-B', 'DEP-W'], note: '请水务局配合排查管线', version: seen.version }),
    );
    expect(forwarded).toMatchObject({ kind: '派单', status: '已派单', unitCode: 'U-A' });
    expect(forwarded.note).toBe('甲区接诉即办分中心转派：主办 甲街道办事处，协办 乙街道办事处、市水务局；请水务局配合排查管线');

    const opA = await as('op_a');
    const opB = await as('op_b');
    const mainRow = (await queueIds(opA)).find((r) => r.id === ticket.id)!;
    expect(mainRow).toMatchObject({ assistCount: 2, assist: null });
    const assistRow = (await queueIds(opB)).find((r) => r.id === ticket.id)!;
    expect(assistRow).toMatchObject({ unitName: '甲街道办事处', assistCount: 2, assist: { replied: false } });

    const asAssist = await detail(opB, ticket.id);
    expect(asAssist.moves).toEqual([]);
    expect(asAssist.actions).toEqual(['assistReply']);
    expect(asAssist.assists.map((a) => [a.unitName, a.replied])).toEqual([
      ['乙街道办事处', false],
      ['市水务局', false],
    ]);
    expect((await detail(opA, ticket.id)).actions).not.toContain('assistReply');

    const reply = expectOk(await opB.call('ticket.assistReply', { ticketId: ticket.id, reply: '已派城管队员到现场配合核查', version: asAssist.version }));
    expect(reply).toMatchObject({ kind: '协办回复', status: '已派单', unitCode: 'U-A', note: '乙街道办事处（协办）：已派城管队员到现场配合核查' });
    const again = await opB.call('ticket.assistReply', { ticketId: ticket.id, reply: '再补充一次情况说明' });
    expect(again).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect((await queueIds(opB)).find((r) => r.id === ticket.id)!.assist).toEqual({ replied: true });

    const pulled = expectOk(await (await as('taker')).call('tickets.pull', { since: 0, deskId: ticket.deskId, limit: 1000 }));
    const pulledReply = pulled.events.find((e) => e.ticketId === ticket.id && e.kind === '协办回复');
    expect(pulledReply?.note).toBe('乙街道办事处（协办）：已派城管队员到现场配合核查');

    const page = await detail(opA, ticket.id);
    expect(page.assists.find((a) => a.unitCode === 'U-B')).toMatchObject({ replied: true, reply: '已派城管队员到现场配合核查', repliedBy: '乙街道操作员' });
    expect(page.assists.find((a) => a.unitCode === 'DEP-W')).toMatchObject({ replied: false, reply: null });
    expect(page.trail.filter((e) => e.kind === '协办回复').map((e) => e.note)).toEqual(['乙街道办事处（协办）：已派城管队员到现场配合核查']);

    // The 主办 closes without waiting for 市水务局's reply.
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    const closed = expectOk(await opA.call('ticket.close', { ticketId: ticket.id, note: '已协调施工方整改完毕', resolved: true }));
    expect(closed.status).toBe('已办结');
    expect((await queueIds(opB)).map((r) => r.id)).not.toContain(ticket.id);
    expect(await opB.call('ticket.assistReply', { ticketId: ticket.id, reply: '迟到的协办回复内容' })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
  });

  it('refuses the 主办’s moves to a 协办 unit by name and writes nothing', async () => {
    const ticket = await push();
    const sub = await as('op_sub');
    expectOk(await sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A', assistUnitCodes: ['U-B'] }));
    const opB = await as('op_b');
    const before = await written();
    for (const [name, input] of [
      ['ticket.accept', {}],
      ['ticket.reply', { reply: '协办单位冒充主办回复' }],
      ['ticket.close', { note: '协办单位冒充主办办结', resolved: true }],
      ['ticket.return', { reason: '协办单位想退单试试' }],
    ] as const) {
      const refused = await opB.call(name, { ticketId: ticket.id, ...input } as never);
      expect(refused, name).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(!refused.ok && refused.error.message, name).toContain('协办单位');
    }
    expect(await written()).toEqual(before);
    expect((await detail(opB, ticket.id)).status).toBe('已派单');
  });

  it('refuses bad 协办 input and bad replies by name, writing nothing', async () => {
    const ticket = await push();
    const sub = await as('op_sub');
    const before = await written();
    const forward = (assistUnitCodes: string[], extra: object = {}) => sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A', assistUnitCodes, ...extra });
    const cases: Array<[string[], RegExp]> = [
      [['NOPE'], /单位名录中没有“NOPE”/],
      [['U-A'], /主办单位不能同时是协办单位/],
      [['U-B', 'U-B'], /重复/],
      [['U-C'], /不在甲区/],
      [['CC'], /不能转派给市中心/],
      [Array.from({ length: 11 }, (_, i) => `X-${i}`), /至多 10 个/],
    ];
    for (const [codes, message] of cases) {
      const refused = await forward(codes);
      expect(refused, codes.join()).toMatchObject({ ok: false, error: { kind: 'rejected' } });
      expect(!refused.ok && refused.error.message).toMatch(message);
    }
    const current = await detail(sub, ticket.id);
    expect(await forward(['U-B'], { version: current.version + 5 })).toMatchObject({ ok: false, error: { kind: 'conflict', details: { current: { status: '已派单', unitCode: 'SC-A' } } } });
    expect(await written()).toEqual(before);

    expectOk(await forward(['U-B']));
    const opA = await as('op_a');
    const opB = await as('op_b');
    const seen = await detail(opB, ticket.id);
    const mid = await written();
    expect(await opB.call('ticket.assistReply', { ticketId: ticket.id, reply: '长'.repeat(2001) })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
    expect(await opB.call('ticket.assistReply', { ticketId: ticket.id, reply: '好' })).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
    const stale = await opB.call('ticket.assistReply', { ticketId: ticket.id, reply: '按旧版本回复的内容', version: seen.version - 1 });
    expect(stale).toMatchObject({ ok: false, error: { kind: 'conflict', details: { current: { version: seen.version, unitCode: 'U-A' } } } });
    expect(await opA.call('ticket.assistReply', { ticketId: ticket.id, reply: '主办单位不能协办回复' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await (await as('taker')).call('ticket.assistReply', { ticketId: ticket.id, reply: '话务员不能协办回复' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await sub.call('ticket.assistReply', { ticketId: ticket.id, reply: '分中心不是协办单位' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await written()).toEqual(mid);
  });

  it('ends the assists on a re-forward that drops them and on the 主办’s 退单', async () => {
    const sub = await as('op_sub');
    const opB = await as('op_b');
    const first = await push();
    expectOk(await sub.call('ticket.forward', { ticketId: first.id, unitCode: 'U-A', assistUnitCodes: ['U-B', 'DEP-W'] }));
    // The admin forwards it on from 甲街道办事处 to 市水务局: the 协办 become just 丙镇人民政府.
    expectOk(await (await as('admin')).call('ticket.forward', { ticketId: first.id, unitCode: 'DEP-W', assistUnitCodes: ['U-C'] }));
    expect((await detail(await as('admin'), first.id)).assists.map((a) => a.unitCode)).toEqual(['U-C']);
    expect((await queueIds(opB)).map((r) => r.id)).not.toContain(first.id);
    expect(await opB.call('workspace.ticket', { ticketId: first.id })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await opB.call('ticket.assistReply', { ticketId: first.id, reply: '已不是协办单位的回复' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });

    const second = await push();
    expectOk(await sub.call('ticket.forward', { ticketId: second.id, unitCode: 'U-A', assistUnitCodes: ['U-B'] }));
    expect((await queueIds(opB)).map((r) => r.id)).toContain(second.id);
    expectOk(await (await as('op_a')).call('ticket.return', { ticketId: second.id, reason: '不属于本街道管辖范围', reasonKind: '非本单位职责' }));
    expect((await queueIds(opB)).map((r) => r.id)).not.toContain(second.id);
    expect((await detail(sub, second.id)).assists).toEqual([]);
  });

  it('shows the center every open ticket in 全部在办 and refuses that view to the others', async () => {
    const ticket = await push();
    for (const username of ['op_city', 'lead', 'admin']) {
      const all = expectOk(await (await as(username)).call('workspace.queue', { view: 'all', number: ticket.number.slice(-6) }));
      expect(all.rows.map((r) => r.id), username).toContain(ticket.id);
    }
    const center = expectOk(await (await as('op_city')).call('workspace.queue', { view: 'all', limit: 200 }));
    expect(center.rows.every((r) => ['已派单', '已接单', '已回复', '已回访'].includes(r.status))).toBe(true);
    for (const username of ['op_sub', 'op_a']) {
      const refused = await (await as(username)).call('workspace.queue', { view: 'all' });
      expect(refused, username).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
  });
});
