/**
 * tickets.push on both drivers: idempotent by ticket id (a re-push, a batch cut off and re-sent,
 * the same batch from two desks at once), official numbers unique and dated by Beijing date,
 * deadlines from the shared SLA rules on a fixed submission time, and malformed, oversized or
 * unknown requests refused by name with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HUB_BODY_BYTES, MAX_PUSH_BATCH, type PushedTicket, type PushResult } from '../../shared/api/hub-contract';
import { deadlineLadder } from '../../shared/sla/deadlines';
import { loadSlaPolicy } from '../../server/hub';
import { setupOnce, useHub } from './fixture';
import { cutOffPost, DRIVERS, expectOk, pushedTicket, rawPost, RESOURCES_DIR, type TestHub } from './support';

const NUMBER = /^(\d{8})(\d{6,})$/;

describe.each(DRIVERS)('tickets.push on %s', (driver) => {
  let t: TestHub;
  useHub(driver, async (hub) => {
    t = hub;
  });

  async function storedNumbers(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await t.db.query<{ id: string; number: string }>('SELECT id::text AS id, number FROM tickets WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.number]));
  }

  it('stores a new batch once, with unique numbers dated by the Beijing date of submission', async () => {
    const taker = await t.as('taker');
    const batch = [
      pushedTicket(),
      pushedTicket({ submittedAt: '2026-12-01T15:59:59.000Z' }), // 23:59:59 Beijing, still 1 December
      pushedTicket({ submittedAt: '2026-12-01T16:00:00.000Z' }), // 00:00 Beijing, 2 December
      pushedTicket({ submittedAt: '2026-12-01T23:30:00+08:00' }),
    ];
    const { results } = expectOk(await taker.call('tickets.push', { tickets: batch }));
    expect(results.map((r) => r.id)).toEqual(batch.map((b) => b.id));
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    const days = results.map((r) => NUMBER.exec(r.number)?.[1]);
    expect(days).toEqual(['20261201', '20261201', '20261202', '20261201']);
    expect(new Set(results.map((r) => r.number)).size).toBe(batch.length);
    const stored = await storedNumbers(batch.map((b) => b.id));
    for (const r of results) expect(stored.get(r.id)).toBe(r.number);
    // The desk's steps are on the hub's trail (受理, 派单), as source 'desk'.
    const events = await t.db.query<{ kind: string; source: string; actor: string }>(
      'SELECT kind, source, actor FROM ticket_events WHERE ticket_id = $1::uuid ORDER BY seq',
      [batch[0]!.id],
    );
    expect(events).toEqual([
      { kind: '受理', source: 'desk', actor: '李话务' },
      { kind: '派单', source: 'desk', actor: '李话务' },
    ]);
  });

  it('stores every field the desk sent, as sent, with who pushed it', async () => {
    const taker = await t.as('taker');
    const original = pushedTicket({ address: { districtCode: 'D1', streetCode: 'S-A', villageCode: 'V-A1', text: '某村 5 组' } });
    const repeat = pushedTicket({
      disposition: '重复诉求',
      unitCode: null,
      linkedTicketId: original.id,
      kbArticleId: 'kb-noise-01',
      urgency: '紧急',
      requestType: '求助',
      channel: '网络',
      callerName: '王女士',
      callerPhone: '13911112222',
      callbackPhone: '010-66668888',
      unreasonableReason: '',
      shiftCode: 'night',
      content: '同一处施工噪音，昨晚已反映过，仍在施工',
    });
    const results = expectOk(await taker.call('tickets.push', { tickets: [original, repeat] })).results;
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created']);
    const rows = await t.db.query<Record<string, unknown>>(
      `SELECT t.id::text AS id, provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date::text AS shift_date,
              call_started_at, submitted_at, submitted_date::text AS submitted_date, channel, caller_name, caller_phone, callback_phone,
              request_type, district_code, street_code, village_code, address_text, content, leaf_code, urgency, disposition,
              dispatched_unit_code, unit_code, kb_article_id, linked_ticket_id::text AS linked_ticket_id, unreasonable_reason, names,
              (SELECT u.username FROM users u WHERE u.id = t.pushed_by) AS pushed_by, operator_verified, intake_unreasonable
         FROM tickets t WHERE t.id = ANY($1::uuid[]) ORDER BY t.number`,
      [[original.id, repeat.id]],
    );
    const expected = (x: typeof original) => ({
      id: x.id,
      provisional_number: x.provisionalNumber,
      desk_id: x.deskId,
      operator_id: x.operatorId,
      operator_name: x.operatorName,
      shift_code: x.shiftCode,
      shift_date: x.shiftDate,
      call_started_at: x.callStartedAt,
      submitted_at: x.submittedAt,
      submitted_date: '2026-12-01',
      channel: x.channel,
      caller_name: x.callerName,
      caller_phone: x.callerPhone,
      callback_phone: x.callbackPhone,
      request_type: x.requestType,
      district_code: x.address.districtCode,
      street_code: x.address.streetCode,
      village_code: x.address.villageCode,
      address_text: x.address.text,
      content: x.content,
      leaf_code: x.leafCode,
      urgency: x.urgency,
      disposition: x.disposition,
      dispatched_unit_code: x.unitCode,
      unit_code: x.unitCode,
      kb_article_id: x.kbArticleId,
      linked_ticket_id: x.linkedTicketId,
      unreasonable_reason: x.unreasonableReason,
      names: x.names,
      pushed_by: 'taker',
      operator_verified: false,
      intake_unreasonable: false,
    });
    expect(rows).toEqual([expected(original), expected(repeat)]);
  });

  it('answers a re-push with the same numbers and writes nothing', async () => {
    const taker = await t.as('taker');
    const batch = Array.from({ length: 5 }, () => pushedTicket());
    const first = expectOk(await taker.call('tickets.push', { tickets: batch })).results;
    const before = await t.counts();
    const again = expectOk(await taker.call('tickets.push', { tickets: batch })).results;
    expect(again.map((r) => r.outcome)).toEqual(batch.map(() => 'duplicate'));
    expect(again.map((r) => r.number)).toEqual(first.map((r) => r.number));
    expect(await t.counts()).toEqual(before);
  });

  it('keeps one row per id when two desks push the same batch at the same time', async () => {
    const deskA = await t.as('taker');
    const deskB = await t.as('taker2');
    const batch = Array.from({ length: 40 }, () => pushedTicket());
    const before = await t.count('tickets');
    // Each desk account speaks for its own desk id (server/desk-access.ts).
    const asDeskB = batch.map((ticket) => ({ ...ticket, deskId: 'desk-2' }));
    const [a, b] = await Promise.all([deskA.call('tickets.push', { tickets: batch }), deskB.call('tickets.push', { tickets: asDeskB })]);
    const ra = expectOk(a).results;
    const rb = expectOk(b).results;
    expect(await t.count('tickets')).toBe(before + batch.length);
    expect(ra.map((r) => r.number)).toEqual(rb.map((r) => r.number));
    batch.forEach((_, i) => {
      // Exactly one of the two pushes created each ticket.
      expect([ra[i]!.outcome, rb[i]!.outcome].sort()).toEqual(['created', 'duplicate']);
    });
    const stored = await storedNumbers(batch.map((x) => x.id));
    for (const r of ra) expect(stored.get(r.id)).toBe(r.number);
    const [events] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ANY($1::uuid[])', [batch.map((x) => x.id)]);
    expect(events!.n).toBe(batch.length * 2); // 受理 + 派单, once each
    // The push that lost each race drew no numbers: every date's sequence so far runs 1..N, no gaps.
    const days = await t.db.query<{ day: string; n: number; top: number; last_seq: number }>(
      `SELECT t.submitted_date::text AS day, count(*)::int AS n, max(substr(t.number, 9)::int) AS top, c.last_seq
         FROM tickets t JOIN day_counters c ON c.day = t.submitted_date GROUP BY t.submitted_date, c.last_seq`,
    );
    for (const d of days) expect(d, d.day).toMatchObject({ top: d.n, last_seq: d.n });
  });

  it('lets a date’s sequence grow a digit past 999,999 rather than wrap or truncate', async () => {
    const taker = await t.as('taker');
    await t.db.query(`INSERT INTO day_counters (day, last_seq) VALUES ('2030-01-01', 999998)`);
    const batch = [pushedTicket({ submittedAt: '2030-01-01T02:00:00.000Z' }), pushedTicket({ submittedAt: '2030-01-01T03:00:00.000Z' })];
    const results = expectOk(await taker.call('tickets.push', { tickets: batch })).results;
    expect(results.map((r) => r.number)).toEqual(['20300101999999', '203001011000000']);
  });

  it('never hands out a number twice when different batches of one day arrive at once', async () => {
    const deskA = await t.as('taker');
    const deskB = await t.as('taker2');
    const lead = await t.as('lead');
    const deskIds = ['desk-1', 'desk-2', 'desk-lead', 'desk-1'];
    const batches = deskIds.map((deskId) => Array.from({ length: 25 }, () => pushedTicket({ deskId })));
    const replies = await Promise.all(batches.map((batch, i) => [deskA, deskB, lead, deskA][i]!.call('tickets.push', { tickets: batch })));
    const numbers = replies.flatMap((r) => expectOk(r).results.map((x) => x.number));
    expect(new Set(numbers).size).toBe(100);
    const [all] = await t.db.query<{ n: number; distinct_numbers: number }>('SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct_numbers FROM tickets');
    expect(all!.distinct_numbers).toBe(all!.n);
  });

  it('completes a batch that was half sent: the first half answers as before, the rest is created', async () => {
    const taker = await t.as('taker');
    const batch = Array.from({ length: 20 }, () => pushedTicket());
    const half = expectOk(await taker.call('tickets.push', { tickets: batch.slice(0, 10) })).results;
    const whole = expectOk(await taker.call('tickets.push', { tickets: batch })).results;
    expect(whole.slice(0, 10).map((r) => [r.number, r.outcome])).toEqual(half.map((r) => [r.number, 'duplicate']));
    expect(whole.slice(10).every((r) => r.outcome === 'created')).toBe(true);
    expect((await storedNumbers(batch.map((b) => b.id))).size).toBe(20);
  });

  it('writes nothing for a request cut off mid-body, and takes the re-sent batch whole', async () => {
    const taker = await t.as('taker');
    const batch = Array.from({ length: 30 }, () => pushedTicket());
    const body = JSON.stringify({ tickets: batch });
    const before = await t.counts();
    await cutOffPost(t.url, '/v1/tickets.push', body, Math.floor(body.length / 2), { authorization: `Bearer ${taker.token}` });
    expect(await t.counts()).toEqual(before);
    const results = expectOk(await taker.call('tickets.push', { tickets: batch })).results;
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    expect(await t.count('tickets')).toBe(before.tickets! + 30);
  });

  it('counts an id repeated inside one batch once', async () => {
    const taker = await t.as('taker');
    const ticket = pushedTicket();
    const upper = { ...ticket, id: ticket.id.toUpperCase() };
    const results = expectOk(await taker.call('tickets.push', { tickets: [ticket, pushedTicket(), upper] })).results;
    expect(results[0]!.outcome).toBe('created');
    expect(results[2]).toMatchObject({ id: ticket.id, outcome: 'duplicate', number: results[0]!.number });
    expect((await storedNumbers([ticket.id])).size).toBe(1);
  });

  it('computes deadlines with the shared SLA rules from submittedAt, as the desk does', async () => {
    const policy = loadSlaPolicy(RESOURCES_DIR);
    const taker = await t.as('taker');
    const at = '2026-12-01T01:05:00.000Z'; // 09:05 Beijing, Tuesday 1 December 2026
    const tickets = {
      direct: pushedTicket({ submittedAt: at }),
      subcenter: pushedTicket({ submittedAt: at, disposition: '派分中心', unitCode: 'SC-A' }),
      instant: pushedTicket({ submittedAt: at, urgency: '即时' }),
      emergency: pushedTicket({ submittedAt: at, urgency: '紧急', disposition: '派市中心', unitCode: 'CC' }),
      kb: pushedTicket({ submittedAt: at, disposition: '咨询办结', unitCode: null, kbArticleId: 'KB-1' }),
      duplicate: null as unknown as PushedTicket, // links to `direct`, earlier in the same batch (below)
      unreasonable: pushedTicket({ submittedAt: at, disposition: '不合理诉求', unitCode: 'U-A', unreasonableReason: '反复来电无实际诉求' }),
    };
    tickets.duplicate = pushedTicket({ submittedAt: at, disposition: '重复诉求', unitCode: null, linkedTicketId: tickets.direct.id });
    const list = Object.values(tickets);
    const results = expectOk(await taker.call('tickets.push', { tickets: list })).results;
    const by = Object.fromEntries(Object.keys(tickets).map((k, i) => [k, results[i]!])) as Record<keyof typeof tickets, PushResult>;

    expect(by.direct.status).toBe('已派单');
    expect(by.direct.deadlines).toEqual([
      { ruleId: 'dispatch_general', label: '派单时限', startsAt: at, dueAt: '2026-12-01T03:05:00.000Z', doneAt: at },
      { ruleId: 'contact_day1', label: '首次联系', startsAt: at, dueAt: '2026-12-02T16:00:00.000Z', doneAt: null },
      { ruleId: 'qualify_day3', label: '定性', startsAt: at, dueAt: '2026-12-04T16:00:00.000Z', doneAt: null },
      { ruleId: 'review_day5', label: '回访', startsAt: at, dueAt: '2026-12-06T16:00:00.000Z', doneAt: null },
      { ruleId: 'close_day7', label: '办结', startsAt: at, dueAt: '2026-12-08T16:00:00.000Z', doneAt: null },
    ]);
    // 派分中心: the sub-center still has to dispatch, so the 派单 checkpoint stays open.
    expect(by.subcenter.deadlines.map((d) => [d.ruleId, d.doneAt])).toEqual([
      ['dispatch_general', null],
      ['contact_day1', null],
      ['qualify_day3', null],
      ['review_day5', null],
      ['close_day7', null],
    ]);
    expect(by.instant.deadlines.map((d) => [d.ruleId, d.dueAt, d.doneAt])).toEqual([
      ['dispatch_instant', '2026-12-01T01:20:00.000Z', null], // 直派 即时: the unit's 接单 meets it, not the submit
      ['close_instant', '2026-12-02T01:05:00.000Z', null],
    ]);
    expect(by.emergency.deadlines.map((d) => [d.ruleId, d.dueAt, d.doneAt])).toEqual([
      ['dispatch_emergency', '2026-12-01T01:20:00.000Z', null],
      ['close_emergency', '2026-12-01T03:05:00.000Z', null],
    ]);
    // The same ladder the shared rules give (the desk's computation).
    const ladder = deadlineLadder(policy, { acceptedAt: new Date(at), urgency: '一般', disposition: '派分中心' });
    expect(by.subcenter.deadlines.map((d) => d.dueAt)).toEqual(ladder.map((d) => d.dueAt.toISOString()));

    expect([by.kb.status, by.kb.deadlines]).toEqual(['已办结', []]);
    expect([by.duplicate.status, by.duplicate.deadlines]).toEqual(['已关联', []]);
    expect([by.unreasonable.status, by.unreasonable.deadlines]).toEqual(['待审核', []]);
    // Only a dispatching disposition keeps its unit.
    const [row] = await t.db.query<{ unit_code: string | null }>('SELECT unit_code FROM tickets WHERE id = $1::uuid', [tickets.unreasonable.id]);
    expect(row!.unit_code).toBeNull();
  });

  describe('refused requests write nothing', () => {
    let before: Record<string, number>;
    let token: string;
    setupOnce(async () => {
      token = (await t.as('taker')).token!;
    });
    const auth = () => ({ authorization: `Bearer ${token}` });

    it('malformed JSON → 400 bad_request', async () => {
      before = await t.counts();
      const reply = await rawPost(t.url, '/v1/tickets.push', '{"tickets": [', auth());
      expect(reply).toEqual({ status: 400, body: { ok: false, error: { kind: 'bad_request', message: '请求体不是有效的 JSON' } } });
      expect(await t.counts()).toEqual(before);
    });

    it('a wrong shape → 400 bad_request naming the field; one bad ticket refuses the batch', async () => {
      before = await t.counts();
      const { content: _content, ...noContent } = pushedTicket();
      const reply = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: [pushedTicket(), noContent] }), auth());
      expect(reply.status).toBe(400);
      const error = (reply.body as { error: { kind: string; message: string } }).error;
      expect(error.kind).toBe('bad_request');
      expect(error.message).toContain('tickets.1.content');
      for (const body of [{}, { tickets: [] }, { tickets: [pushedTicket({ id: 'not-a-uuid' })] }, { tickets: [{ ...pushedTicket(), extra: 1 }] }, [1, 2], 'text', null]) {
        const r = await rawPost(t.url, '/v1/tickets.push', JSON.stringify(body), auth());
        expect([r.status, (r.body as { error: { kind: string } }).error.kind]).toEqual([400, 'bad_request']);
      }
      const tooMany = Array.from({ length: MAX_PUSH_BATCH + 1 }, () => pushedTicket());
      const r = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: tooMany }), auth());
      expect(r.status).toBe(400);
      expect(await t.counts()).toEqual(before);
    });

    it('a body over MAX_HUB_BODY_BYTES → 413 too_large', async () => {
      before = await t.counts();
      const filler = 'x'.repeat(MAX_HUB_BODY_BYTES);
      const reply = await rawPost(t.url, '/v1/tickets.push', JSON.stringify({ tickets: [pushedTicket({ content: filler })] }), auth());
      expect(reply.status).toBe(413);
      expect((reply.body as { error: { kind: string } }).error.kind).toBe('too_large');
      expect(await t.counts()).toEqual(before);
    });

    it('an unknown call → 404 unknown_call; a GET of a call → 405; not JSON → 415', async () => {
      before = await t.counts();
      const unknown = await rawPost(t.url, '/v1/tickets.delete', '{}', auth());
      expect(unknown.status).toBe(404);
      expect((unknown.body as { error: { kind: string } }).error.kind).toBe('unknown_call');
      const get = await fetch(new URL('/v1/tickets.push', t.url), { headers: auth() });
      expect(get.status).toBe(405);
      expect(((await get.json()) as { error: { kind: string } }).error.kind).toBe('bad_request');
      const form = await rawPost(t.url, '/v1/tickets.push', 'tickets=1', { ...auth(), 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
      expect((form.body as { error: { kind: string } }).error.kind).toBe('bad_request');
      const other = await fetch(new URL('/nothing-here', t.url));
      expect(other.status).toBe(404);
      expect(((await other.json()) as { error: { kind: string } }).error.kind).toBe('not_found');
      expect(await t.counts()).toEqual(before);
    });

    it('the hub still answers after all of that', async () => {
      const taker = await t.as('taker');
      expect((await taker.call('auth.me', {})).ok).toBe(true);
    });
  });
});
