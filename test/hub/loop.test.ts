/**
 * The closed loop and pull on both drivers: accept → reply → close → callback and return, each
 * marking its checkpoint and writing one event by the acting user; illegal moves and other units'
 * tickets refused by name with nothing written; unit operators limited to their unit's queue; pull
 * giving a desk its events in seq order after its cursor, never one twice and never one skipped,
 * also while moves are being made concurrently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HubEvent, PushedTicket } from '../../shared/api/hub-contract';
import type { HubClient } from '../../shared/api/hub-client';
import { EVENTS_LOCK } from '../../server/migrations';
import { useHub } from './fixture';
import { DRIVERS, expectOk, pushedTicket, type TestHub } from './support';

describe.each(DRIVERS)('closed loop and pull on %s', (driver) => {
  let t: TestHub;
  let taker: HubClient;
  let opA: HubClient;
  let opB: HubClient;
  let admin: HubClient;
  let lead: HubClient;

  useHub(driver, async (hub) => {
    t = hub;
    [taker, opA, opB, admin, lead] = await Promise.all([hub.as('taker'), hub.as('op_a'), hub.as('op_b'), hub.as('admin'), hub.as('lead')]);
  });
  // Tests that move the clock put it back (within the 12 hours the sessions made at the start last).
  afterEach(() => t?.clock.set('2026-12-01T02:00:00.000Z'));

  async function push(...tickets: PushedTicket[]): Promise<PushedTicket[]> {
    expectOk(await taker.call('tickets.push', { tickets }));
    return tickets;
  }

  const doneOf = (event: HubEvent, prefix: string) => event.deadlines.filter((d) => d.ruleId.startsWith(prefix)).map((d) => d.doneAt);

  it('walks a ticket through accept, reply, close and callback, marking each checkpoint', async () => {
    const [ticket] = await push(pushedTicket({ deskId: 'desk-loop' }));
    t.clock.set('2026-12-01T03:00:00.000Z');
    const accepted = expectOk(await opA.call('ticket.accept', { ticketId: ticket!.id }));
    expect(accepted).toMatchObject({ ticketId: ticket!.id, kind: '接单', actor: '甲街道操作员', status: '已接单', unitCode: 'U-A', callback: null });
    expect(doneOf(accepted, 'contact_')).toEqual(['2026-12-01T03:00:00.000Z']);
    expect(doneOf(accepted, 'qualify_')).toEqual([null]);

    t.clock.set('2026-12-01T05:00:00.000Z');
    const replied = expectOk(await opA.call('ticket.reply', { ticketId: ticket!.id, reply: '已联系诉求人，安排整改' }));
    expect(replied).toMatchObject({ kind: '回复', status: '已回复', note: '已联系诉求人，安排整改' });
    expect(doneOf(replied, 'qualify_')).toEqual(['2026-12-01T05:00:00.000Z']);
    expect(doneOf(replied, 'contact_')).toEqual(['2026-12-01T03:00:00.000Z']);

    t.clock.set('2026-12-01T07:00:00.000Z');
    const closed = expectOk(await opA.call('ticket.close', { ticketId: ticket!.id }));
    expect(closed).toMatchObject({ kind: '办结', status: '已办结' });
    expect(doneOf(closed, 'close_')).toEqual(['2026-12-01T07:00:00.000Z']);

    t.clock.set('2026-12-01T09:00:00.000Z');
    const called = expectOk(await taker.call('ticket.callback', { ticketId: ticket!.id, resolved: true, satisfaction: '基本满意' }));
    expect(called).toMatchObject({ kind: '回访', status: '已回访', actor: '李话务', callback: { resolved: true, satisfaction: '基本满意' } });
    expect(doneOf(called, 'review_')).toEqual(['2026-12-01T09:00:00.000Z']);
    expect(called.deadlines.every((d) => d.doneAt !== null)).toBe(true);

    const [row] = await t.db.query('SELECT status, accepted_at, callback_resolved, callback_satisfaction, callback_at FROM tickets WHERE id = $1::uuid', [ticket!.id]);
    expect(row).toEqual({
      status: '已回访',
      accepted_at: '2026-12-01T03:00:00.000Z',
      callback_resolved: true,
      callback_satisfaction: '基本满意',
      callback_at: '2026-12-01T09:00:00.000Z',
    });
    const seqs = [accepted, replied, closed, called].map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('refuses illegal moves with conflict and writes nothing', async () => {
    const [fresh, done] = await push(pushedTicket(), pushedTicket());
    expectOk(await opA.call('ticket.accept', { ticketId: done!.id }));
    expectOk(await opA.call('ticket.close', { ticketId: done!.id }));
    const before = await t.counts();
    const cases = [
      await opA.call('ticket.accept', { ticketId: done!.id }), // accept a closed ticket
      await opA.call('ticket.reply', { ticketId: done!.id, reply: '再次答复内容' }),
      await opA.call('ticket.return', { ticketId: done!.id, reason: '办结后不能退单' }),
      await opA.call('ticket.reply', { ticketId: fresh!.id, reply: '未接单先答复' }), // reply before accepting
      await opA.call('ticket.close', { ticketId: fresh!.id }),
      await taker.call('ticket.callback', { ticketId: fresh!.id, resolved: true, satisfaction: '满意' }), // callback before close
    ];
    for (const result of cases) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe('conflict');
    }
    const again = await opA.call('ticket.accept', { ticketId: done!.id });
    expect(!again.ok && again.error.message).toMatch(/当前为“已办结”，不能接单/);
    expect(await t.counts()).toEqual(before);
  });

  it('refuses a callback on a ticket the desk finished itself, and an unknown ticket', async () => {
    const [kb] = await push(pushedTicket({ disposition: '咨询办结', unitCode: null, kbArticleId: 'KB-9' }));
    const before = await t.counts();
    const callback = await admin.call('ticket.callback', { ticketId: kb!.id, resolved: true, satisfaction: '满意' });
    expect(callback.ok || callback.error.kind).toBe('conflict');
    const missing = await admin.call('ticket.accept', { ticketId: pushedTicket().id });
    expect(missing.ok || missing.error.kind).toBe('not_found');
    const short = await opA.call('ticket.return', { ticketId: kb!.id, reason: '短' });
    expect(short.ok || short.error.kind).toBe('bad_request');
    expect(await t.counts()).toEqual(before);
  });

  it('keeps unit operators to their own unit', async () => {
    const [ofA] = await push(pushedTicket({ unitCode: 'U-A' }));
    const before = await t.counts();
    for (const result of [
      await opB.call('ticket.accept', { ticketId: ofA!.id }),
      await opB.call('ticket.return', { ticketId: ofA!.id, reason: '不是本单位的工单' }),
    ]) {
      expect(result.ok || result.error.kind).toBe('forbidden');
    }
    expect(await t.counts()).toEqual(before);

    const queueA = expectOk(await opA.call('unit.queue', {}));
    expect(queueA.length).toBeGreaterThan(0);
    expect(queueA.every((x) => x.unitCode === 'U-A')).toBe(true);
    expect(queueA.some((x) => x.id === ofA!.id)).toBe(true);
    expect(expectOk(await opB.call('unit.queue', {})).some((x) => x.id === ofA!.id)).toBe(false);
    const peek = await opB.call('unit.queue', { unitCode: 'U-A' });
    expect(peek.ok || peek.error.kind).toBe('forbidden');
    // Team leads and admins see every unit, or the one they ask for.
    expect(expectOk(await lead.call('unit.queue', { unitCode: 'U-A' })).some((x) => x.id === ofA!.id)).toBe(true);
    const onlyDispatched = expectOk(await admin.call('unit.queue', { status: '已派单', limit: 500 }));
    expect(onlyDispatched.every((x) => x.status === '已派单')).toBe(true);
    expect(onlyDispatched.some((x) => x.id === ofA!.id)).toBe(true);
  });

  it('returns a ticket to the center: no unit, out of the unit queue, in the center queue of returns', async () => {
    const [ticket] = await push(pushedTicket({ unitCode: 'U-A' }));
    expectOk(await opA.call('ticket.accept', { ticketId: ticket!.id }));
    const returned = expectOk(await opA.call('ticket.return', { ticketId: ticket!.id, reason: '地址不在本街道辖区，请重新派单' }));
    expect(returned).toMatchObject({ kind: '退单', status: '已退单', unitCode: null, note: '退单：地址不在本街道辖区，请重新派单' });
    const after = await opA.call('ticket.reply', { ticketId: ticket!.id, reply: '退单之后再答复' });
    expect(after.ok || after.error).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('已退回中心') });
    expect(expectOk(await opA.call('unit.queue', {})).some((x) => x.id === ticket!.id)).toBe(false);
    const returns = expectOk(await admin.call('unit.queue', { status: '已退单' }));
    expect(returns.find((x) => x.id === ticket!.id)).toMatchObject({ status: '已退单', unitCode: null });
    const again = await admin.call('ticket.accept', { ticketId: ticket!.id });
    expect(again.ok || again.error.kind).toBe('conflict');
  });

  it('gives a desk its events after its cursor, in order, once, and only its own', async () => {
    const mine = await push(...Array.from({ length: 6 }, () => pushedTicket({ deskId: 'desk-pull' })));
    const [other] = await push(pushedTicket({ deskId: 'desk-other' }));
    // Pushing writes only desk-side events: nothing to pull yet.
    expect(expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-pull' }))).toEqual({ events: [], cursor: 0, more: false });

    const made: HubEvent[] = [];
    for (const ticket of mine) made.push(expectOk(await opA.call('ticket.accept', { ticketId: ticket.id })));
    expectOk(await opA.call('ticket.accept', { ticketId: other!.id }));
    made.push(expectOk(await opA.call('ticket.reply', { ticketId: mine[0]!.id, reply: '正在处理中，已联系' })));
    made.push(expectOk(await opA.call('ticket.return', { ticketId: mine[1]!.id, reason: '非本单位职责范围' })));

    const first = expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-pull', limit: 5 }));
    expect(first.more).toBe(true);
    expect(first.events).toHaveLength(5);
    expect(first.cursor).toBe(first.events.at(-1)!.seq);
    const rest = expectOk(await taker.call('tickets.pull', { since: first.cursor, deskId: 'desk-pull', limit: 100 }));
    expect(rest.more).toBe(false);
    const all = [...first.events, ...rest.events];
    expect(all).toEqual(made);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    expect(all.some((e) => e.ticketId === other!.id)).toBe(false);
    expect(all[7]).toMatchObject({ kind: '退单', status: '已退单', unitCode: null });
    // Nothing new: the cursor stays.
    expect(expectOk(await taker.call('tickets.pull', { since: rest.cursor, deskId: 'desk-pull' }))).toEqual({ events: [], cursor: rest.cursor, more: false });
    const otherDesk = expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-other' }));
    expect(otherDesk.events.map((e) => e.ticketId)).toEqual([other!.id]);
  });

  it('never skips an event while moves commit concurrently with pulls', async () => {
    const tickets = await push(...Array.from({ length: 30 }, () => pushedTicket({ deskId: 'desk-race' })));
    const seen: HubEvent[] = [];
    let cursor = 0;
    let writing = true;
    const puller = (async () => {
      while (writing) {
        const page = expectOk(await taker.call('tickets.pull', { since: cursor, deskId: 'desk-race', limit: 7 }));
        seen.push(...page.events);
        cursor = page.cursor;
      }
    })();
    // Several operators at once: accept, then reply, each ticket.
    await Promise.all(
      tickets.map(async (ticket, i) => {
        const operator = i % 2 === 0 ? opA : admin;
        expectOk(await operator.call('ticket.accept', { ticketId: ticket.id }));
        expectOk(await operator.call('ticket.reply', { ticketId: ticket.id, reply: '并发答复内容' }));
      }),
    );
    writing = false;
    await puller;
    for (;;) {
      const page = expectOk(await taker.call('tickets.pull', { since: cursor, deskId: 'desk-race', limit: 7 }));
      seen.push(...page.events);
      cursor = page.cursor;
      if (!page.more) break;
    }
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length); // nothing twice
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs); // in order
    const stored = await t.db.query<{ seq: number }>(`SELECT seq FROM ticket_events WHERE desk_id = 'desk-race' AND source = 'hub' ORDER BY seq`);
    expect(seqs).toEqual(stored.map((r) => r.seq)); // nothing skipped
    expect(seqs).toHaveLength(60);
  });

  // The protocol tickets.ts describes: while one writer holds EVENTS_LOCK with an uncommitted
  // event, a second writer waits (it cannot take a later seq and commit first); a pull meanwhile
  // sees neither on PostgreSQL (on PGlite, one connection, it simply waits its turn); once the first
  // commits, both arrive in seq order.
  it('makes a second event writer wait for the first to commit, so seqs commit in order', async () => {
    const [a, b] = await push(pushedTicket({ deskId: 'desk-lock' }), pushedTicket({ deskId: 'desk-lock' }));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let firstSeq = 0;
    const first = t.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [EVENTS_LOCK]);
      const [row] = await tx.query<{ seq: number }>(
        `INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
         VALUES ($1::uuid, 'desk-lock', 'hub', '督办', $2, '督办员', '请加快办理', '已派单', 'U-A', '[]'::jsonb, NULL) RETURNING seq`,
        [a!.id, t.clock.now().toISOString()],
      );
      firstSeq = row!.seq;
      holding();
      await gate;
    });
    await held;
    let secondDone = false;
    const second = opA.call('ticket.accept', { ticketId: b!.id }).then((r) => ((secondDone = true), r));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondDone).toBe(false);
      if (driver === 'postgres') expect(expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-lock' })).events).toEqual([]);
    } finally {
      release(); // also when an expectation failed, so the held transaction never outlives the test
      await first;
    }
    const accepted = expectOk(await second);
    expect(accepted.seq).toBeGreaterThan(firstSeq);
    const pulled = expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-lock' }));
    expect(pulled.events.map((e) => [e.seq, e.kind])).toEqual([
      [firstSeq, '督办'],
      [accepted.seq, '接单'],
    ]);
  });
});
