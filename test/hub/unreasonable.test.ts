/**
 * 申请认定不合理诉求 and the center's review (server/requests.ts), on both databases: the unit
 * holding a ticket applies with its reason and evidence; the center approves (the ticket ends
 * 已办结, marked, out of the unit's rates, no callback) or refuses (the unit keeps working it);
 * every wrong call is refused by name with nothing written. The call-taker's 不合理诉求 at intake is
 * a suggestion: the ticket waits in the center's 待派 queue, is re-dispatched with deadlines from
 * then, and the unit sees the suggestion. The desk's pull has every request and decision.
 */
import { describe, expect, it } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
import type { WorkTicket } from '../../shared/api/hub-contract';
import { HUB_MIGRATIONS } from '../../server/migrations';
import { useHub } from './fixture';
import { DRIVERS, expectOk, pushedTicket, type TestHub } from './support';

const REASON = '来电人诉求为要求街道出资装修其私宅，超出政府职责范围';
const EVIDENCE = '已于 12 月 1 日上门核实，现场照片与产权证明见附件；社区居委会出具情况说明';
const kindOf = (r: unknown) => (r as { ok: boolean; error?: { kind: string } }).error?.kind ?? 'ok';

describe.each(DRIVERS)('申请认定不合理诉求 on %s', (driver) => {
  let t: TestHub;
  useHub(driver, (hub) => {
    t = hub;
  });

  const as = (username: string): Promise<HubClient> => t.as(username);
  const push = async (overrides: Parameters<typeof pushedTicket>[0] = {}) => {
    const ticket = pushedTicket({ submittedAt: t.clock.now().toISOString(), ...overrides });
    expectOk(await (await as('taker')).call('tickets.push', { tickets: [ticket] }));
    return ticket;
  };
  const detail = async (client: HubClient, id: string): Promise<WorkTicket> => expectOk(await client.call('workspace.ticket', { ticketId: id }));
  const today = () => new Date(t.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const ratesOf = async (unit: string) => {
    const rows = expectOk(await (await as('lead')).call('stats.rates', { from: today(), to: today(), groupBy: 'unit' }));
    return rows.find((r) => r.key === unit) ?? { tickets: 0, responded: 0 };
  };

  it('the unit applies with reason and evidence; the center approves in 待审: the ticket ends 已办结, marked, out of the unit’s rates, no callback', async () => {
    const ticket = await push();
    const [opA, city, taker] = [await as('op_a'), await as('op_city'), await as('taker')];
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    expectOk(await city.call('ticket.supervise', { ticketId: ticket.id, level: 'urge', note: '请尽快联系市民' }));
    const rateBefore = await ratesOf('U-A');
    let seen = await detail(opA, ticket.id);
    expect(seen.actions).toEqual(['extend', 'unreasonable']);
    expect(seen.supervision?.label).toBe('催办');

    expect(expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: ticket.id, version: seen.version, reason: REASON, evidence: EVIDENCE }))).toMatchObject({
      number: seen.number,
      version: seen.version + 1,
    });
    seen = await detail(opA, ticket.id);
    expect(seen.supervision).toBeNull(); // the unit acted
    expect(seen.pending).toMatchObject({ kind: 'unreasonable', reason: REASON, evidence: EVIDENCE, newDate: null, actor: '甲街道操作员' });
    expect(seen.actions).toEqual([]); // nothing more to ask while one request waits
    expect(seen.status).toBe('已接单');

    const row = expectOk(await city.call('workspace.queue', { view: 'review' })).rows.find((r) => r.id === ticket.id)!;
    expect(row.pending).toMatchObject({ kind: 'unreasonable', evidence: EVIDENCE });
    const centerView = await detail(city, ticket.id);
    expect(centerView.actions).toContain('decide');
    expectOk(await city.call('ticket.decide', { ticketId: ticket.id, version: centerView.version, kind: 'unreasonable', approve: true, reason: '经核实属不合理诉求' }));

    seen = await detail(opA, ticket.id);
    expect(seen.status).toBe('已办结');
    expect(seen.unreasonableAt).toBe(t.clock.now().toISOString());
    expect(seen.pending).toBeNull();
    // Open checkpoints are dropped (none is left due, none counts as met); the met ones stay.
    expect(seen.deadlines.length).toBeGreaterThan(0);
    expect(seen.deadlines.every((d) => d.doneAt !== null)).toBe(true);
    expect(seen.deadlines.some((d) => d.ruleId.startsWith('close_') || d.ruleId.startsWith('review_'))).toBe(false);
    expect(seen.trail.filter((e) => e.kind === '不合理申请' || e.kind === '不合理审核').map((e) => `${e.kind}|${e.actor}|${e.note}`)).toEqual([
      `不合理申请|甲街道操作员|申请认定不合理诉求：${REASON}；证据：${EVIDENCE}`,
      '不合理审核|市中心派单员|批准认定不合理诉求，工单办结：经核实属不合理诉求',
    ]);
    expect(expectOk(await opA.call('workspace.queue', {})).rows.map((r) => r.id)).not.toContain(ticket.id);
    expect(expectOk(await opA.call('workspace.queue', { view: 'closed' })).rows.map((r) => r.id)).toContain(ticket.id);
    expect(expectOk(await city.call('workspace.queue', { view: 'review' })).rows.map((r) => r.id)).not.toContain(ticket.id);

    const rateAfter = await ratesOf('U-A');
    expect(rateAfter.tickets).toBe(rateBefore.tickets - 1);
    expect(rateAfter.responded).toBe(rateBefore.responded - 1);
    const before = await t.counts();
    expect(kindOf(await taker.call('ticket.callback', { ticketId: ticket.id, resolved: true, satisfaction: '满意' }))).toBe('conflict');
    expect(kindOf(await city.call('ticket.supervise', { ticketId: ticket.id, level: 'urge', note: '请尽快联系市民' }))).toBe('conflict');
    expect(await t.counts()).toEqual(before);
  });

  it('a refusal says why, and the unit keeps working the ticket', async () => {
    const ticket = await push();
    const [opA, city] = [await as('op_a'), await as('op_city')];
    const first = await detail(opA, ticket.id);
    expect(first.actions).toEqual(['unreasonable']); // before 接单 too: the unit may ask at once
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE }));
    expect(kindOf(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'unreasonable', approve: false, reason: '' }))).toBe('bad_request');
    expectOk(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'unreasonable', approve: false, reason: '市民诉求合理，请与物业协调' }));
    const seen = await detail(opA, ticket.id);
    expect(seen).toMatchObject({ status: '已派单', pending: null, unreasonableAt: null, unitCode: 'U-A' });
    expect(seen.deadlines).toEqual(first.deadlines);
    expect(seen.trail.at(-1)).toMatchObject({ kind: '不合理审核', note: '不予批准认定不合理诉求，请承办单位继续办理：市民诉求合理，请与物业协调' });
    expect(seen.moves).toContain('accept');
    expect(seen.actions).toEqual(['unreasonable']);
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    expectOk(await opA.call('ticket.close', { ticketId: ticket.id, note: '已协调物业完成维修', resolved: true }));
  });

  it('refuses every wrong call by name and writes nothing', async () => {
    const ticket = await push();
    const closed = await push();
    const returned = await push();
    const [opA, opB, city, lead, taker] = [await as('op_a'), await as('op_b'), await as('op_city'), await as('lead'), await as('taker')];
    expectOk(await opA.call('ticket.accept', { ticketId: closed.id }));
    expectOk(await opA.call('ticket.close', { ticketId: closed.id, note: '已完成维修', resolved: true }));
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: returned.id, reason: REASON, evidence: EVIDENCE }));
    expectOk(await opA.call('ticket.return', { ticketId: returned.id, reason: '该路段属乙街道管辖', reasonKind: '地址不在辖区' }));
    const ok = { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE };
    const before = await t.counts();
    const refused: Array<[unknown, string]> = [
      [await opA.call('ticket.requestUnreasonable', { ...ok, ticketId: closed.id }), 'conflict'], // wrong status
      [await city.call('ticket.requestUnreasonable', ok), 'forbidden'], // not the unit holding it
      [await lead.call('ticket.requestUnreasonable', ok), 'forbidden'], // wrong role
      [await taker.call('ticket.requestUnreasonable', ok), 'forbidden'],
      [await opB.call('ticket.requestUnreasonable', ok), 'forbidden'], // another unit
      [await opA.call('ticket.requestUnreasonable', { ...ok, ticketId: returned.id }), 'forbidden'], // returned: no longer theirs
      [await opA.call('ticket.requestUnreasonable', { ...ok, version: 99 }), 'conflict'], // stale version
      [await opA.call('ticket.requestUnreasonable', { ...ok, reason: '长'.repeat(501) }), 'bad_request'],
      [await opA.call('ticket.requestUnreasonable', { ...ok, evidence: '证'.repeat(2001) }), 'bad_request'],
      [await opA.call('ticket.requestUnreasonable', { ...ok, evidence: '无' }), 'bad_request'],
      [await opA.call('ticket.requestUnreasonable', { ...ok, ticketId: '00000000-0000-4000-8000-000000000000' }), 'not_found'],
      [await city.call('ticket.decide', { ticketId: ticket.id, kind: 'unreasonable', approve: true, reason: '' }), 'conflict'], // nothing pending
      [await opA.call('ticket.decide', { ticketId: returned.id, kind: 'unreasonable', approve: true, reason: '' }), 'forbidden'],
      // The unit returned it since it asked: the center may only refuse.
      [await city.call('ticket.decide', { ticketId: returned.id, kind: 'unreasonable', approve: true, reason: '' }), 'conflict'],
    ];
    expect(refused.map(([r]) => kindOf(r))).toEqual(refused.map(([, kind]) => kind));
    expect(await t.counts()).toEqual(before);

    // One request waits at a time, of either kind.
    expectOk(await opA.call('ticket.requestUnreasonable', ok));
    const once = await t.counts();
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    const accepted = await t.counts();
    const close = (await detail(opA, ticket.id)).deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt)!;
    const later = new Date(Date.parse(close.dueAt) + 8 * 3600_000 + 2 * 86400_000).toISOString().slice(0, 10);
    expect(kindOf(await opA.call('ticket.requestUnreasonable', ok))).toBe('conflict');
    expect(kindOf(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate: later }))).toBe('conflict');
    expect(await t.counts()).toEqual(accepted);
    expect(accepted.ticket_events).toBe(once.ticket_events! + 1);
  });

  it('a waiting request is withdrawn when its unit returns or closes the ticket: in the trail and the desk’s pull, out of 待审, not back after a 重新派单', async () => {
    const ticket = await push({ deskId: 'desk-7' });
    const [opA, city, taker] = [await as('op_a'), await as('op_city'), await as('taker')];
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE }));
    expect(expectOk(await city.call('workspace.queue', { view: 'review' })).rows.map((r) => r.id)).toContain(ticket.id);
    const returned = expectOk(await opA.call('ticket.return', { ticketId: ticket.id, reason: '该路段属乙街道管辖', reasonKind: '地址不在辖区' }));

    let seen = await detail(city, ticket.id);
    expect(seen).toMatchObject({ status: '已退单', unitCode: null, pending: null });
    expect(seen.actions).not.toContain('decide');
    expect(seen.trail.find((e) => e.kind === '退单')?.unitCode).toBe('U-A'); // who returned it: the desk's 待派 suggestion avoids it
    expect(seen.trail.filter((e) => e.source === 'hub').map((e) => `${e.kind}|${e.actor}|${e.note}`).slice(-2)).toEqual([
      '退单|甲街道操作员|退单（地址不在辖区）：该路段属乙街道管辖',
      '不合理审核|甲街道操作员|工单已退单，认定不合理诉求申请自动撤销',
    ]);
    expect(expectOk(await city.call('workspace.queue', { view: 'review' })).rows.map((r) => r.id)).not.toContain(ticket.id);
    expect(kindOf(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'unreasonable', approve: false, reason: '请继续办理' }))).toBe('conflict');
    const [row] = await t.db.query<{ status: string }>(`SELECT status FROM ticket_requests WHERE ticket_id = $1::uuid`, [ticket.id]);
    expect(row!.status).toBe('withdrawn');
    const pulled = expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-7', limit: 1000 })).events.filter((e) => e.ticketId === ticket.id);
    expect(pulled.at(-1)).toMatchObject({ kind: '不合理审核', status: '已退单', unitCode: null, at: returned.at, note: '工单已退单，认定不合理诉求申请自动撤销' });

    // 重新派单 to the same unit: nothing waits; the unit may ask again.
    expectOk(await city.call('ticket.redispatch', { ticketId: ticket.id, unitCode: 'U-A' }));
    seen = await detail(opA, ticket.id);
    expect(seen).toMatchObject({ status: '已派单', unitCode: 'U-A', pending: null });
    expect(seen.actions).toEqual(['unreasonable']);
    expect(expectOk(await city.call('workspace.queue', { view: 'review' })).rows.map((r) => r.id)).not.toContain(ticket.id);

    // 申请延期, then 办结 before the center decided: withdrawn as well.
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    const close = (await detail(opA, ticket.id)).deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt)!;
    const newDate = new Date(Date.parse(close.dueAt) + 8 * 3600_000 + 2 * 86400_000).toISOString().slice(0, 10);
    expectOk(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate }));
    expectOk(await opA.call('ticket.close', { ticketId: ticket.id, note: '已协调完成维修', resolved: true }));
    seen = await detail(city, ticket.id);
    expect(seen).toMatchObject({ status: '已办结', pending: null });
    expect(seen.trail.at(-1)).toMatchObject({ kind: '延期审核', source: 'hub', note: '工单已办结，延期申请自动撤销' });
    const statuses = await t.db.query<{ kind: string; status: string }>(`SELECT kind, status FROM ticket_requests WHERE ticket_id = $1::uuid ORDER BY id`, [ticket.id]);
    expect(statuses).toEqual([
      { kind: 'unreasonable', status: 'withdrawn' },
      { kind: 'extension', status: 'withdrawn' },
    ]);
  });

  it('a forward away from the unit that asked withdraws its request; migration 7 withdraws the ones left waiting before', async () => {
    const ticket = await push({
      disposition: '派分中心',
      unitCode: 'SC-A',
      names: { unit: '甲区接诉即办分中心', district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] },
    });
    const [sub, opA, city] = [await as('op_sub'), await as('op_a'), await as('op_city')];
    expectOk(await sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-A' }));
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE }));
    expectOk(await opA.call('ticket.return', { ticketId: ticket.id, reason: '该路段属乙街道管辖', reasonKind: '地址不在辖区' }));
    let seen = await detail(city, ticket.id);
    expect(seen).toMatchObject({ status: '已派单', unitCode: 'SC-A', pending: null });
    expect(seen.trail.at(-1)).toMatchObject({ kind: '不合理审核', note: '工单已退单，认定不合理诉求申请自动撤销' });

    // A request left waiting by an older hub: the migration withdraws it with its trail event.
    expectOk(await sub.call('ticket.forward', { ticketId: ticket.id, unitCode: 'U-B' }));
    const opB = await as('op_b');
    expectOk(await opB.call('ticket.requestUnreasonable', { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE }));
    const events = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1::uuid`, [ticket.id]))[0]!.n;
    const before = await events();
    await t.db.query(`UPDATE tickets SET unit_code = 'U-A' WHERE id = $1::uuid`, [ticket.id]);
    const sql = HUB_MIGRATIONS.find((m) => m.version === 7)!.sql;
    const backfill = sql.slice(sql.indexOf('WITH gone'));
    await t.db.transaction(async (tx) => {
      await tx.exec(backfill);
    });
    seen = await detail(city, ticket.id);
    expect(seen.pending).toBeNull();
    expect(seen.trail.at(-1)).toMatchObject({ kind: '不合理审核', actor: '中心（自动）', note: '工单已不由申请单位办理，认定不合理诉求申请自动撤销' });
    expect(await events()).toBe(before + 1);
  });

  it('a ticket the call-taker flagged 不合理诉求 waits in the center’s 待派 queue; re-dispatched, it gets deadlines from then and the unit sees the suggestion', async () => {
    const ticket = await push({
      disposition: '不合理诉求',
      unitCode: null,
      unreasonableReason: '反复来电无实际诉求',
      names: { unit: null, district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] },
    });
    const [opA, city] = [await as('op_a'), await as('op_city')];
    const row = expectOk(await city.call('workspace.queue', { view: 'returned' })).rows.find((r) => r.id === ticket.id)!;
    expect(row).toMatchObject({ status: '待审核', unitCode: null, disposition: '不合理诉求', intakeFlag: { reason: '反复来电无实际诉求' }, deadlines: [] });
    expect(kindOf(await opA.call('workspace.ticket', { ticketId: ticket.id }))).toBe('forbidden');
    expect((await detail(city, ticket.id)).moves).toEqual(['redispatch']);
    expect(kindOf(await opA.call('ticket.redispatch', { ticketId: ticket.id, unitCode: 'U-A' }))).toBe('forbidden');

    t.clock.advance(3600_000);
    const at = t.clock.now().toISOString();
    const event = expectOk(await city.call('ticket.redispatch', { ticketId: ticket.id, unitCode: 'U-A', version: row.version }));
    expect(event).toMatchObject({ kind: '派单', status: '已派单', unitCode: 'U-A' });
    expect(event.deadlines.length).toBeGreaterThan(1);
    expect(event.deadlines.every((d) => d.startsAt === at)).toBe(true);
    expect(event.deadlines.find((d) => d.ruleId.startsWith('dispatch_'))?.doneAt).toBe(at);
    expect(event.deadlines.some((d) => d.ruleId.startsWith('close_') && !d.doneAt && Date.parse(d.dueAt) > Date.parse(at))).toBe(true);

    const seen = await detail(opA, ticket.id);
    expect(seen).toMatchObject({ status: '已派单', disposition: '直派', intakeFlag: { reason: '反复来电无实际诉求' }, deadlines: event.deadlines });
    expect(seen.moves).toContain('accept');
    expect(seen.actions).toContain('unreasonable');
    expect(expectOk(await opA.call('workspace.queue', {})).rows.find((r) => r.id === ticket.id)?.intakeFlag).toEqual({ reason: '反复来电无实际诉求' });
    expect(expectOk(await city.call('workspace.queue', { view: 'returned' })).rows.map((r) => r.id)).not.toContain(ticket.id);
  });

  it('the desk pulls 延期申请, 延期审核, 不合理申请 and 不合理审核 with the state after each, and the trail has each once', async () => {
    const ticket = await push({ deskId: 'desk-9' });
    const [opA, city, taker] = [await as('op_a'), await as('op_city'), await as('taker')];
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    const close = (await detail(opA, ticket.id)).deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt)!;
    const newDate = new Date(Date.parse(close.dueAt) + 8 * 3600_000 + 3 * 86400_000 - 1).toISOString().slice(0, 10);
    expectOk(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位更换管线', newDate }));
    expectOk(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'extension', approve: true, reason: '同意' }));
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE }));
    expectOk(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'unreasonable', approve: true, reason: '' }));

    const pulled = expectOk(await taker.call('tickets.pull', { since: 0, deskId: 'desk-9', limit: 1000 })).events.filter((e) => e.ticketId === ticket.id);
    expect(pulled.map((e) => [e.kind, e.status, e.unitCode])).toEqual([
      ['接单', '已接单', 'U-A'],
      ['延期申请', '已接单', 'U-A'],
      ['延期审核', '已接单', 'U-A'],
      ['不合理申请', '已接单', 'U-A'],
      ['不合理审核', '已办结', 'U-A'],
    ]);
    const extended = pulled[2]!.deadlines.find((d) => d.ruleId === close.ruleId)!;
    expect(extended.dueAt).toBe(new Date(`${newDate}T16:00:00.000Z`).toISOString());
    expect(pulled[1]!.deadlines.find((d) => d.ruleId === close.ruleId)!.dueAt).toBe(close.dueAt);
    expect(pulled[2]!.note).toBe(`批准延期至 ${newDate}：同意`);
    expect(pulled[4]!.deadlines.every((d) => d.doneAt !== null)).toBe(true);
    expect(pulled[4]!.note).toBe('批准认定不合理诉求，工单办结');

    const kinds = (await detail(city, ticket.id)).trail.map((e) => e.kind);
    expect(kinds).toEqual(['受理', '派单', '接单', '延期申请', '延期审核', '不合理申请', '不合理审核']);
  });

  it('migration 6 writes the trail events of requests made before it, worded as the hub words them now', async () => {
    const ticket = await push();
    const [opA, city] = [await as('op_a'), await as('op_city')];
    const step = () => t.clock.advance(60_000);
    expectOk(await opA.call('ticket.accept', { ticketId: ticket.id }));
    const close = (await detail(opA, ticket.id)).deadlines.find((d) => d.ruleId.startsWith('close_') && !d.doneAt)!;
    const newDate = new Date(Date.parse(close.dueAt) + 8 * 3600_000 + 86400_000).toISOString().slice(0, 10);
    step();
    expectOk(await opA.call('ticket.extend', { ticketId: ticket.id, reason: '需协调产权单位', newDate }));
    step();
    expectOk(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'extension', approve: false, reason: '理由不充分' }));
    step();
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: ticket.id, reason: REASON, evidence: EVIDENCE }));
    step();
    expectOk(await city.call('ticket.decide', { ticketId: ticket.id, kind: 'unreasonable', approve: false, reason: '请继续办理' }));
    const kinds = ['延期申请', '延期审核', '不合理申请', '不合理审核'];
    const read = (db: { query: typeof t.db.query }) =>
      db.query<{ kind: string; at: string; actor: string; note: string; from_unit_code: string | null }>(
        `SELECT kind, at, actor, note, from_unit_code FROM ticket_events WHERE ticket_id = $1::uuid AND kind = ANY($2::text[]) ORDER BY seq`,
        [ticket.id, kinds],
      );
    const live = await read(t.db);
    expect(live.map((e) => e.kind)).toEqual(kinds);
    const sql = HUB_MIGRATIONS.find((m) => m.version === 6)!.sql;
    const backfill = sql.slice(sql.indexOf('INSERT INTO ticket_events'));
    const rollback = new Error('rollback');
    let replayed: Awaited<ReturnType<typeof read>> = [];
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`DELETE FROM ticket_events WHERE ticket_id = $1::uuid AND kind = ANY($2::text[])`, [ticket.id, kinds]);
        await tx.exec(backfill);
        replayed = await read(tx);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(replayed).toEqual(live);
  });
});
