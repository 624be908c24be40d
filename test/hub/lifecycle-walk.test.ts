/**
 * Deadline accounting, walked on both databases: each disposition taken from submit to its end
 * through the hub's moves at realistic times. After every move the checkpoints met are exactly the
 * ones that move really meets (shared/lifecycle/ticket-lifecycle.ts), met at the move's time; at the
 * end no checkpoint is left open. Tickets finished at the desk have none and take no move.
 */
import { describe, expect, it } from 'vitest';
import type { TicketDeadline } from '../../shared/api/contract';
import type { HubEvent, PushedTicket } from '../../shared/api/hub-contract';
import { checkpointOf, type Checkpoint } from '../../shared/lifecycle/ticket-lifecycle';
import { useHub } from './fixture';
import { DRIVERS, expectOk, PASSWORD, pushedTicket, type TestHub } from './support';

const SUBMITTED = '2026-12-01T01:05:00.000Z'; // 09:05 Beijing

type Step =
  | { move: 'forward'; by: string; at: string; to: string; unitName: string }
  | { move: 'accept' | 'close'; by: string; at: string }
  | { move: 'reply'; by: string; at: string }
  | { move: 'return'; by: string; at: string }
  | { move: 'callback'; by: string; at: string };

interface Walk {
  name: string;
  ticket: Partial<PushedTicket>;
  /** Checkpoints met by the submit itself. */
  atSubmit: Checkpoint[];
  steps: Array<Step & { meets: Checkpoint[]; status: string; unitAfter: string | null }>;
  /** Checkpoints a walk that stops early leaves open on purpose (a returned ticket). */
  leftOpen?: Checkpoint[];
}

const SUB = { unitCode: 'SC-A', names: { unit: '甲区分中心', district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] } };

const WALKS: Walk[] = [
  {
    name: '直派 一般: reply on day 2, callback on day 4 (回访复查 before 办结), close on day 5',
    ticket: { disposition: '直派', urgency: '一般', unitCode: 'U-A' },
    atSubmit: ['dispatch'],
    steps: [
      { move: 'accept', by: 'op_a', at: '2026-12-01T03:00:00.000Z', meets: ['contact'], status: '已接单', unitAfter: 'U-A' },
      { move: 'reply', by: 'op_a', at: '2026-12-02T05:00:00.000Z', meets: ['qualify'], status: '已回复', unitAfter: 'U-A' },
      { move: 'callback', by: 'taker', at: '2026-12-04T02:00:00.000Z', meets: ['review'], status: '已回访', unitAfter: 'U-A' },
      { move: 'close', by: 'op_a', at: '2026-12-05T02:00:00.000Z', meets: ['close'], status: '已办结', unitAfter: 'U-A' },
    ],
  },
  {
    name: '直派 一般 closed without a separate reply: 办结 meets 定性 too',
    ticket: { disposition: '直派', urgency: '一般', unitCode: 'U-A' },
    atSubmit: ['dispatch'],
    steps: [
      { move: 'accept', by: 'op_a', at: '2026-12-01T02:00:00.000Z', meets: ['contact'], status: '已接单', unitAfter: 'U-A' },
      { move: 'close', by: 'op_a', at: '2026-12-02T02:00:00.000Z', meets: ['qualify', 'close'], status: '已办结', unitAfter: 'U-A' },
      { move: 'callback', by: 'taker', at: '2026-12-03T02:00:00.000Z', meets: ['review'], status: '已回访', unitAfter: 'U-A' },
    ],
  },
  {
    name: '直派 即时: the 15 minutes are the unit’s response, met by its 接单',
    ticket: { disposition: '直派', urgency: '即时', unitCode: 'U-A' },
    atSubmit: [],
    steps: [
      { move: 'accept', by: 'op_a', at: '2026-12-01T01:15:00.000Z', meets: ['dispatch'], status: '已接单', unitAfter: 'U-A' },
      { move: 'close', by: 'op_a', at: '2026-12-01T09:00:00.000Z', meets: ['close'], status: '已办结', unitAfter: 'U-A' },
      { move: 'callback', by: 'taker', at: '2026-12-01T10:00:00.000Z', meets: [], status: '已回访', unitAfter: 'U-A' },
    ],
  },
  {
    name: '直派 紧急: response by 接单, close within 2 hours',
    ticket: { disposition: '直派', urgency: '紧急', unitCode: 'U-A' },
    atSubmit: [],
    steps: [
      { move: 'accept', by: 'op_a', at: '2026-12-01T01:12:00.000Z', meets: ['dispatch'], status: '已接单', unitAfter: 'U-A' },
      { move: 'reply', by: 'op_a', at: '2026-12-01T02:00:00.000Z', meets: [], status: '已回复', unitAfter: 'U-A' },
      { move: 'close', by: 'op_a', at: '2026-12-01T02:30:00.000Z', meets: ['close'], status: '已办结', unitAfter: 'U-A' },
    ],
  },
  {
    name: '派分中心 一般: the sub-center’s 转派 meets 派单, the street does the rest',
    ticket: { disposition: '派分中心', urgency: '一般', ...SUB },
    atSubmit: [],
    steps: [
      { move: 'forward', by: 'op_sub', at: '2026-12-01T02:00:00.000Z', to: 'U-A', unitName: '甲街道办事处', meets: ['dispatch'], status: '已派单', unitAfter: 'U-A' },
      { move: 'accept', by: 'op_a', at: '2026-12-01T06:00:00.000Z', meets: ['contact'], status: '已接单', unitAfter: 'U-A' },
      { move: 'reply', by: 'op_a', at: '2026-12-03T06:00:00.000Z', meets: ['qualify'], status: '已回复', unitAfter: 'U-A' },
      { move: 'close', by: 'op_a', at: '2026-12-04T06:00:00.000Z', meets: ['close'], status: '已办结', unitAfter: 'U-A' },
      { move: 'callback', by: 'taker2', at: '2026-12-05T06:00:00.000Z', meets: ['review'], status: '已回访', unitAfter: 'U-A' },
    ],
  },
  {
    name: '派分中心 即时: 转派 within the 15 minutes',
    ticket: { disposition: '派分中心', urgency: '即时', ...SUB },
    atSubmit: [],
    steps: [
      { move: 'forward', by: 'op_sub', at: '2026-12-01T01:14:00.000Z', to: 'U-B', unitName: '乙街道办事处', meets: ['dispatch'], status: '已派单', unitAfter: 'U-B' },
      { move: 'accept', by: 'op_b', at: '2026-12-01T01:30:00.000Z', meets: [], status: '已接单', unitAfter: 'U-B' },
      { move: 'close', by: 'op_b', at: '2026-12-01T08:00:00.000Z', meets: ['close'], status: '已办结', unitAfter: 'U-B' },
    ],
  },
  {
    name: '派市中心 一般 handled by the city center itself: its 接单 meets 派单 and 首次联系',
    ticket: { disposition: '派市中心', urgency: '一般', unitCode: 'CC', names: { ...SUB.names, unit: '市民热线服务中心' } },
    atSubmit: [],
    steps: [
      { move: 'accept', by: 'op_city', at: '2026-12-01T02:30:00.000Z', meets: ['dispatch', 'contact'], status: '已接单', unitAfter: 'CC' },
      { move: 'reply', by: 'op_city', at: '2026-12-02T02:30:00.000Z', meets: ['qualify'], status: '已回复', unitAfter: 'CC' },
      { move: 'callback', by: 'lead', at: '2026-12-03T02:30:00.000Z', meets: ['review'], status: '已回访', unitAfter: 'CC' },
      { move: 'close', by: 'op_city', at: '2026-12-04T02:30:00.000Z', meets: ['close'], status: '已办结', unitAfter: 'CC' },
    ],
  },
  {
    name: '直派 一般 returned after 接单: back to the center with only what was really met',
    ticket: { disposition: '直派', urgency: '一般', unitCode: 'U-A' },
    atSubmit: ['dispatch'],
    steps: [
      { move: 'accept', by: 'op_a', at: '2026-12-01T02:00:00.000Z', meets: ['contact'], status: '已接单', unitAfter: 'U-A' },
      { move: 'return', by: 'op_a', at: '2026-12-01T03:00:00.000Z', meets: [], status: '已退单', unitAfter: null },
    ],
    leftOpen: ['qualify', 'review', 'close'],
  },
];

function metByCheckpoint(deadlines: readonly TicketDeadline[]): Map<Checkpoint, Set<string | null>> {
  const out = new Map<Checkpoint, Set<string | null>>();
  for (const d of deadlines) {
    const c = checkpointOf(d.ruleId)!;
    if (!out.has(c)) out.set(c, new Set());
    out.get(c)!.add(d.doneAt);
  }
  return out;
}

describe.each(DRIVERS)('deadline accounting walked through the hub on %s', (driver) => {
  let t: TestHub;
  useHub(driver, (hub) => {
    t = hub;
  });

  /** A session made at the test clock's time (a walk spans days; sessions last hours). */
  async function as(username: string) {
    const client = t.anonymous();
    expectOk(await client.login(username, PASSWORD));
    return client;
  }

  async function act(step: Step, ticketId: string): Promise<HubEvent> {
    t.clock.set(step.at);
    const client = await as(step.by);
    switch (step.move) {
      case 'forward':
        return expectOk(await client.call('ticket.forward', { ticketId, unitCode: step.to, unitName: step.unitName }));
      case 'accept':
        return expectOk(await client.call('ticket.accept', { ticketId }));
      case 'reply':
        return expectOk(await client.call('ticket.reply', { ticketId, reply: '已到现场核实，正在协调整改' }));
      case 'return':
        return expectOk(await client.call('ticket.return', { ticketId, reason: '不属于本单位职责范围' }));
      case 'close':
        return expectOk(await client.call('ticket.close', { ticketId, note: '已整改完毕' }));
      case 'callback':
        return expectOk(await client.call('ticket.callback', { ticketId, resolved: true, satisfaction: '满意' }));
    }
  }

  for (const walk of WALKS) {
    it(walk.name, async () => {
      t.clock.set(SUBMITTED);
      const ticket = pushedTicket({ submittedAt: SUBMITTED, ...walk.ticket });
      const [pushed] = expectOk(await (await as('taker')).call('tickets.push', { tickets: [ticket] })).results;
      // What has been met so far, and when.
      const expected = new Map<Checkpoint, string>(walk.atSubmit.map((c) => [c, SUBMITTED]));
      const check = (deadlines: readonly TicketDeadline[], when: string) => {
        expect(deadlines.length, when).toBeGreaterThan(0);
        for (const [checkpoint, doneAts] of metByCheckpoint(deadlines)) {
          expect([...doneAts], `${checkpoint} ${when}`).toEqual([expected.get(checkpoint) ?? null]);
        }
      };
      check(pushed!.deadlines, 'after submit');

      for (const step of walk.steps) {
        const event = await act(step, ticket.id);
        for (const c of step.meets) expected.set(c, step.at);
        check(event.deadlines, `after ${step.move} at ${step.at}`);
        expect([event.status, event.unitCode], step.move).toEqual([step.status, step.unitAfter]);
      }

      const [row] = await t.db.query<{ deadlines: TicketDeadline[] }>('SELECT deadlines FROM tickets WHERE id = $1::uuid', [ticket.id]);
      const open = row!.deadlines.filter((d) => d.doneAt === null).map((d) => checkpointOf(d.ruleId));
      expect(open).toEqual(walk.leftOpen ?? []);
    });
  }

  it('lets only the sub-center forward, once, and then only the handling unit act', async () => {
    t.clock.set(SUBMITTED);
    const direct = pushedTicket({ submittedAt: SUBMITTED });
    const viaSub = pushedTicket({ submittedAt: SUBMITTED, disposition: '派分中心', ...SUB });
    const [taker, opA, sub] = [await as('taker'), await as('op_a'), await as('op_sub')];
    expectOk(await taker.call('tickets.push', { tickets: [direct, viaSub] }));
    const before = await t.counts();

    // A street never forwards (转派 is a sub-center's or the center's move), not even its own ticket.
    const refusedDirect = await opA.call('ticket.forward', { ticketId: direct.id, unitCode: 'U-B' });
    expect(refusedDirect).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    const notTheirs = await opA.call('ticket.forward', { ticketId: viaSub.id, unitCode: 'U-A' });
    expect(notTheirs).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await taker.call('ticket.forward', { ticketId: viaSub.id, unitCode: 'U-A' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await t.counts()).toEqual(before);

    const forwarded = expectOk(await sub.call('ticket.forward', { ticketId: viaSub.id, unitCode: 'U-A', unitName: '甲街道办事处', note: '属地问题' }));
    expect(forwarded).toMatchObject({ kind: '派单', actor: '甲区分中心派单员', note: '甲区分中心转派：甲街道办事处；属地问题', status: '已派单', unitCode: 'U-A' });
    // Now it is the street's: the sub-center can neither forward it again nor accept it.
    expect(await sub.call('ticket.forward', { ticketId: viaSub.id, unitCode: 'U-B' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await sub.call('ticket.accept', { ticketId: viaSub.id })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    const accepted = expectOk(await opA.call('ticket.accept', { ticketId: viaSub.id }));
    expect(accepted.note).toBe('甲街道办事处接单');
    // The street's queue has it; the sub-center's does not.
    expect(expectOk(await opA.call('unit.queue', {})).map((q) => q.id)).toContain(viaSub.id);
    expect(expectOk(await sub.call('unit.queue', {})).map((q) => q.id)).not.toContain(viaSub.id);
  });

  it('stores the desk’s own trail as the desk wrote it', async () => {
    t.clock.set(SUBMITTED);
    const events = [
      { kind: '受理' as const, at: SUBMITTED, actor: '李话务', note: '电话受理' },
      { kind: '办结' as const, at: SUBMITTED, actor: '李话务', note: '依据知识库《社保卡补办流程》当场答复办结' },
    ];
    const kb = pushedTicket({ submittedAt: SUBMITTED, disposition: '咨询办结', requestType: '咨询', unitCode: null, kbArticleId: 'KB-0101', events });
    expectOk(await (await as('taker')).call('tickets.push', { tickets: [kb] }));
    const rows = await t.db.query<{ kind: string; actor: string; note: string; source: string }>(
      'SELECT kind, actor, note, source FROM ticket_events WHERE ticket_id = $1::uuid ORDER BY seq',
      [kb.id],
    );
    expect(rows).toEqual(events.map((e) => ({ kind: e.kind, actor: e.actor, note: e.note, source: 'desk' })));
    // A question answered at the desk has no deadlines and takes no move after it.
    const callback = await (await as('taker')).call('ticket.callback', { ticketId: kb.id, resolved: true, satisfaction: '满意' });
    expect(callback).toMatchObject({ ok: false, error: { kind: 'conflict' } });
  });
});
