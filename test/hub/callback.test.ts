/**
 * 回访 and 重办 at the hub (server/callbacks.ts, shared/lifecycle/callback.ts), on both drivers: a
 * satisfied callback ends the ticket; 不满意 reopens it to the same unit with a new ladder and counts
 * it; the reopening past resources/policy/callback.json's maxReopens goes to the center's 待派 queue;
 * three 未联系上 end the callback as 无法联系; the 回访 queue lists what waits, earliest review first;
 * a callback id is recorded once; bad input is refused by name with nothing written.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
import type { PushedTicket } from '../../shared/api/hub-contract';
import { useHub } from './fixture';
import { DRIVERS, expectOk, pushedTicket, type TestHub } from './support';

describe.each(DRIVERS)('回访 and 重办 on %s', (driver) => {
  let t: TestHub;
  let taker: HubClient;
  let opA: HubClient;
  let lead: HubClient;

  useHub(driver, async (hub) => {
    t = hub;
    [taker, opA, lead] = await Promise.all([hub.as('taker'), hub.as('op_a'), hub.as('lead')]);
  });
  afterEach(() => t?.clock.set('2026-12-01T02:00:00.000Z'));

  /** A ticket pushed, accepted and closed by 甲街道 (U-A): waiting for its callback. */
  async function closedTicket(overrides: Partial<PushedTicket> = {}): Promise<string> {
    const ticket = pushedTicket(overrides);
    expectOk(await taker.call('tickets.push', { tickets: [ticket] }));
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    expectOk(await opA.call('ticket.close', { ticketId: ticket.id, note: '已协调施工方停止夜间施工', resolved: true }));
    return ticket.id;
  }

  async function closeAgain(ticketId: string) {
    expectOk(await opA.call('ticket.accept', { ticketId }));
    expectOk(await opA.call('ticket.close', { ticketId, note: '再次核实并整改完毕', resolved: true }));
  }

  const ticketRow = async (id: string) =>
    (await t.db.query<{ status: string; unit_code: string | null; reopen_count: number; callback_satisfaction: string | null }>(
      'SELECT status, unit_code, reopen_count, callback_satisfaction FROM tickets WHERE id = $1::uuid',
      [id],
    ))[0]!;

  it('ends the ticket on a satisfied callback, and lists it in the queue only before', async () => {
    const id = await closedTicket();
    const queued = expectOk(await taker.call('callback.queue', {}));
    const item = queued.find((q) => q.id === id);
    expect(item).toMatchObject({ status: '已办结', unitCode: 'U-A', unitName: '甲街道办事处', result: '办结（已解决）：已协调施工方停止夜间施工', attempts: 0, reopenCount: 0 });
    expect(item!.reviewDueAt).not.toBeNull();

    const done = expectOk(await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '联系上', resolved: true, satisfaction: '满意', words: '已经安静了，谢谢' }));
    expect(done).toMatchObject({ kind: '回访', status: '已回访', decision: 'ended', reopened: null, callback: { resolved: true, satisfaction: '满意' } });
    expect(done.note).toBe('回访：已解决，满意；市民原话：已经安静了，谢谢');
    expect(await ticketRow(id)).toMatchObject({ status: '已回访', reopen_count: 0, callback_satisfaction: '满意' });
    expect(expectOk(await taker.call('callback.queue', {})).some((q) => q.id === id)).toBe(false);
  });

  it('reopens an unsatisfied ticket to the same unit with a new ladder and counts it; the unit sees it again', async () => {
    const id = await closedTicket();
    t.clock.set('2026-12-01T08:00:00.000Z');
    const result = expectOk(
      await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '联系上', resolved: false, satisfaction: '不满意', words: '晚上还在施工，没人管' }),
    );
    expect(result).toMatchObject({ kind: '回访', status: '已办结', decision: 'reopen', reopenCount: 1, callback: { resolved: false, satisfaction: '不满意' } });
    expect(result.reopened).toMatchObject({ kind: '重办', status: '已派单', unitCode: 'U-A' });
    expect(result.reopened!.note).toBe('重办（第 1 次），退回甲街道办事处重新办理；市民原话：晚上还在施工，没人管');
    // A new ladder from the reopening, after what the first round met: nothing of it met but the
    // 派单 a 直派 一般 meets at once.
    const reopenedAt = Date.parse('2026-12-01T08:00:00.000Z');
    const ladder = result.reopened!.deadlines.filter((d) => Date.parse(d.startsAt) === reopenedAt);
    const before = result.reopened!.deadlines.filter((d) => Date.parse(d.startsAt) !== reopenedAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((d) => d.doneAt !== null && Date.parse(d.doneAt) <= reopenedAt)).toBe(true);
    expect(ladder.filter((d) => d.doneAt).map((d) => d.ruleId)).toEqual(['dispatch_general']);
    expect(ladder.some((d) => d.ruleId.startsWith('review_') && !d.doneAt)).toBe(true);
    expect(ladder.some((d) => d.ruleId.startsWith('close_') && !d.doneAt && Date.parse(d.dueAt) > reopenedAt)).toBe(true);
    expect(await ticketRow(id)).toMatchObject({ status: '已派单', unit_code: 'U-A', reopen_count: 1 });
    const queue = expectOk(await opA.call('unit.queue', {}));
    expect(queue.find((q) => q.id === id)).toMatchObject({ status: '已派单' });

    // The unit closes it again; the next callback is satisfied and ends it.
    await closeAgain(id);
    const ended = expectOk(await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '联系上', resolved: true, satisfaction: '基本满意', words: '现在好多了' }));
    expect(ended).toMatchObject({ status: '已回访', decision: 'ended', reopenCount: 1 });
  });

  it('sends the fourth reopening to the center (已退单, no unit) instead of the unit', async () => {
    const id = await closedTicket();
    for (let round = 1; round <= 3; round++) {
      const r = expectOk(await lead.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '联系上', resolved: false, satisfaction: '不满意', words: `第${round}次仍未解决` }));
      expect(r).toMatchObject({ decision: 'reopen', reopenCount: round });
      await closeAgain(id);
    }
    const fourth = expectOk(await lead.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '联系上', resolved: true, satisfaction: '不满意', words: '还是不满意' }));
    expect(fourth).toMatchObject({ decision: 'to_center', reopenCount: 4 });
    expect(fourth.reopened).toMatchObject({ kind: '重办', status: '已退单', unitCode: null });
    expect(fourth.reopened!.note).toContain('转市中心审核督办');
    expect(await ticketRow(id)).toMatchObject({ status: '已退单', unit_code: null, reopen_count: 4 });
    // Not the unit's any more: its queue no longer has it and its moves are refused.
    expect(expectOk(await opA.call('unit.queue', {})).some((q) => q.id === id)).toBe(false);
    expect((await opA.call('ticket.accept', { ticketId: id })).ok).toBe(false);
  });

  it('records 未联系上 as attempts that change nothing, and the third ends the callback as 无法联系', async () => {
    const id = await closedTicket();
    const [before] = await t.db.query<{ deadlines: unknown; version: number }>('SELECT deadlines, version FROM tickets WHERE id = $1::uuid', [id]);
    for (const attempt of [1, 2]) {
      const r = expectOk(await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '未联系上', reason: '无人接听' }));
      expect(r).toMatchObject({ decision: 'attempt', status: '已办结', callback: null });
      expect(r.note).toBe(`回访未联系上（第 ${attempt} 次）：无人接听，换时段再拨`);
      const [row] = await t.db.query<{ deadlines: unknown; status: string }>('SELECT deadlines, status FROM tickets WHERE id = $1::uuid', [id]);
      expect(row).toEqual({ deadlines: before!.deadlines, status: '已办结' });
      t.clock.advance(4 * 3600_000);
    }
    const item = expectOk(await taker.call('callback.queue', {})).find((q) => q.id === id)!;
    expect(item.attempts).toBe(2);
    expect(Date.parse(item.retryAfter!) - Date.parse(item.lastAttemptAt!)).toBe(180 * 60_000);

    const third = expectOk(await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '未联系上', reason: '关机' }));
    expect(third).toMatchObject({ decision: 'unreachable', status: '已回访', callback: null });
    expect(third.note).toBe('回访无法联系（第 3 次）：3 次回访均未联系上（关机）');
    expect(third.deadlines.filter((d) => d.ruleId.startsWith('review_')).every((d) => d.doneAt)).toBe(true);
    expect(await ticketRow(id)).toMatchObject({ status: '已回访', callback_satisfaction: null });
  });

  it('records a callback id once: sent again it answers the first result and writes nothing', async () => {
    const id = await closedTicket();
    const callbackId = randomUUID();
    const input = { ticketId: id, callbackId, outcome: '联系上' as const, resolved: false, satisfaction: '不满意' as const, words: '问题依旧存在' };
    const first = expectOk(await taker.call('ticket.callback', input));
    const counts = { ...(await t.counts()), callbacks: await t.count('ticket_callbacks') };
    const again = expectOk(await taker.call('ticket.callback', input));
    expect(again).toMatchObject({ duplicate: true, decision: 'reopen', seq: first.seq, reopenCount: 1 });
    expect(again.reopened?.seq).toBe(first.reopened!.seq);
    expect({ ...(await t.counts()), callbacks: await t.count('ticket_callbacks') }).toEqual(counts);
  });

  it('refuses bad input by name and writes nothing', async () => {
    const id = await closedTicket();
    const counts = { ...(await t.counts()), callbacks: await t.count('ticket_callbacks') };
    const calls = [
      ['bad_request', await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '联系上', satisfaction: '满意' })], // no 是否解决
      ['bad_request', await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '未联系上', resolved: true })],
      ['bad_request', await taker.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '无法联系' })], // no reason
      ['bad_request', await taker.call('ticket.callback', { ticketId: id, callbackId: 'not-a-uuid', outcome: '无法联系', reason: '空号' } as never)],
      ['forbidden', await opA.call('ticket.callback', { ticketId: id, callbackId: randomUUID(), outcome: '无法联系', reason: '空号' })],
      ['not_found', await taker.call('ticket.callback', { ticketId: randomUUID(), callbackId: randomUUID(), outcome: '无法联系', reason: '空号' })],
      ['conflict', await taker.call('ticket.callback', { ticketId: id, version: 0, callbackId: randomUUID(), outcome: '无法联系', reason: '空号' })],
    ] as const;
    for (const [kind, result] of calls) expect(result.ok ? 'ok' : result.error.kind).toBe(kind);
    expect({ ...(await t.counts()), callbacks: await t.count('ticket_callbacks') }).toEqual(counts);
  });
});
