/**
 * Center-wide intake (server/lookup.ts, electron/services/handlers/lookup.ts) on PGlite and
 * PostgreSQL with two real desks syncing to one hub: a ticket taken at desk A is in desk B's caller
 * history and 疑似重复 (also by similar wording: 楼道灯坏了 / 楼道里声控灯不亮), desk B finds it by
 * official number and desk A's 临… number, records 催办 on it (the unit sees the count, the center a
 * 督办 suggestion after the second), an offline desk says 本机 and sends its queued 催办 exactly once,
 * and a duplicate linked at desk B shows on the original's page for its unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUsers } from '../../server/auth';
import type { TicketDraft } from '../../shared/domain/ticket';
import { centerDate } from '../../shared/time';
import { value } from '../support/desk';
import { DRIVERS, expectOk, PASSWORD, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

type Desk = Awaited<ReturnType<typeof syncingDesk>>;

/** A fetch the test can cut (the network down) and that can lose one reply after the hub answered. */
function switchableFetch() {
  const state = { down: false, loseNextUrgeReply: false };
  const impl: typeof fetch = async (input, init) => {
    if (state.down) throw new TypeError('fetch failed');
    const reply = await fetch(input, init);
    if (state.loseNextUrgeReply && String(input).endsWith('/ticket.urge')) {
      state.loseNextUrgeReply = false;
      throw new TypeError('fetch failed'); // the hub committed; the desk never hears it
    }
    return reply;
  };
  return { state, impl };
}

for (const driver of DRIVERS) {
  describe(`center-wide intake on ${driver}`, () => {
    let hub: TestHub;
    let a: Desk;
    let b: Desk;
    const net = switchableFetch();
    const opened: Desk[] = [];
    let original: { id: string; number: string; provisional: string; phone: string };

    const submitAt = async (desk: Desk, patch: Partial<TicketDraft>) => {
      const ticket = value(await desk.api.call('tickets.submit', { draft: { ...desk.draft(), ...patch } }));
      expectOk(await desk.desk.sync!.syncOnce());
      const detail = value(await desk.api.call('tickets.get', { id: ticket.id }));
      return { id: ticket.id, number: detail.number, provisional: ticket.number, phone: detail.callerPhone };
    };
    const around = (desk: Desk, patch: { phone?: string; content?: string }) =>
      desk.api.call('tickets.around', {
        phone: patch.phone ?? '',
        address: { districtCode: desk.street.parentCode, streetCode: desk.street.code, villageCode: null },
        leafCode: desk.leaf.code,
        content: patch.content ?? '',
        excludeId: null,
      });

    beforeAll(async () => {
      hub = await startTestHub(driver, { units: undefined });
      a = await syncingDesk(hub.url, { username: 'taker', fetchImpl: net.impl });
      b = await syncingDesk(hub.url, { username: 'taker2' });
      opened.push(a, b);
      original = await submitAt(a, { callerPhone: '13911112222', callbackPhone: '13911112222', content: '3号楼楼道灯坏了，晚上漆黑一片' });
    }, 60_000);
    afterAll(async () => {
      for (const d of opened) d.desk.dispose();
      await hub?.close();
    });

    it("a ticket taken at desk A is in desk B's caller history and 疑似重复, marked 全中心", async () => {
      expect(original.provisional).toMatch(/^临/);
      const seen = value(await around(b, { phone: '139 1111 2222' }));
      expect(seen.scope).toBe('center');
      expect(seen.history.map((t) => t.number)).toEqual([original.number]);
      expect(seen.related.find((t) => t.id === original.id)?.reasons).toContain('same_phone');
      // Desk B never had it locally: its own history is empty.
      expect(value(await b.api.call('tickets.history', { phone: '13911112222' }))).toEqual([]);
    });

    it('similar wording from another caller in the same street meets; a different problem does not', async () => {
      const similar = value(await around(b, { phone: '13600001111', content: '楼道里声控灯不亮' }));
      const hit = similar.related.find((t) => t.id === original.id);
      expect(hit?.reasons).toEqual(['similar_content']);
      expect(hit?.callerPhone).toBe('139****2222'); // another caller's number, masked
      const other = value(await around(b, { phone: '13600001111', content: '小区门口路面塌了一个大坑' }));
      expect(other.related.map((t) => t.id)).not.toContain(original.id);
    });

    it("desk B finds the ticket by official number and by desk A's 临 number, with its unit, deadlines and trail", async () => {
      for (const key of [original.number, original.provisional]) {
        const found = value(await b.api.call('tickets.lookup', { key }));
        expect(found.scope).toBe('center');
        expect(found.tickets[0]).toMatchObject({ id: original.id, number: original.number, unitName: a.unit.name, status: '已派单', here: false });
        expect(found.tickets[0]!.deadlines.length).toBeGreaterThan(0);
        expect(found.tickets[0]!.trail.map((e) => e.kind)).toContain('受理');
      }
    });

    it('催办 from desk B lands on the same ticket: the unit sees the count, the center a 督办 suggestion after the second', async () => {
      const before = await hub.count('tickets');
      const first = value(await b.api.call('tickets.urge', { ticketId: original.id, note: '市民说灯还没修' }));
      expect(first).toMatchObject({ number: original.number, queued: false, urgeCount: 1, suggestion: null });
      const second = value(await b.api.call('tickets.urge', { ticketId: original.id, note: '' }));
      expect(second).toMatchObject({ urgeCount: 2, suggestion: '24 小时内催办 2 次，建议督办' });
      expect(await hub.count('tickets')).toBe(before); // no new ticket
      const [unitUser] = await ensureUsers(hub.db, [{ username: `op_${driver}`, password: PASSWORD, name: '街道操作员', role: 'unit_operator', unitCode: a.unit.code }], new Date());
      expect(unitUser).toBeDefined();
      const unit = await hub.as(`op_${driver}`);
      const row = expectOk(await unit.call('workspace.queue', { view: 'mine' })).rows.find((r) => r.id === original.id);
      expect(row?.urgeCount).toBe(2);
      const center = await hub.as('lead');
      const all = expectOk(await center.call('workspace.queue', { view: 'all', limit: 200 })).rows.find((r) => r.id === original.id);
      expect(all?.urgeSuggestion?.note).toBe('24 小时内催办 2 次，建议督办');
      // Desk A, which took the ticket, pulls the 催办 into its trail.
      expectOk(await a.desk.sync!.syncOnce());
      const trail = value(await a.api.call('tickets.get', { id: original.id })).events.filter((e) => e.kind === '催办');
      expect(trail).toHaveLength(2);
    });

    it('offline the desk answers from its own tickets and says 本机; a queued 催办 reaches the hub exactly once', async () => {
      net.state.down = true;
      const seen = value(await around(a, { phone: '13911112222' }));
      expect(seen.scope).toBe('local');
      expect(seen.history.map((t) => t.id)).toEqual([original.id]);
      const found = value(await a.api.call('tickets.lookup', { key: original.number }));
      expect(found).toMatchObject({ scope: 'local', tickets: [{ id: original.id, here: true }] });
      const queued = value(await a.api.call('tickets.urge', { ticketId: original.id, note: '离线时来电催办' }));
      expect(queued).toMatchObject({ queued: true, urgeCount: null });
      expect((await a.health()).sync.pending).toBe(1);
      const urges = async () => (await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket_urges WHERE ticket_id = $1', [original.id]))[0]!.n;
      expect(await urges()).toBe(2);

      net.state.down = false;
      net.state.loseNextUrgeReply = true; // the hub stores it, the reply is lost: the desk sends it again
      await a.desk.sync!.syncOnce();
      expectOk(await a.desk.sync!.syncOnce());
      expectOk(await a.desk.sync!.syncOnce());
      expect(await urges()).toBe(3);
      expect((await a.health()).sync.pending).toBe(0);
      const events = await hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND kind = '催办'", [original.id]);
      expect(events[0]!.n).toBe(3);
      // Counted in the statistics: the unit's row of the rates says how often callers urged it.
      const day = centerDate(new Date());
      const rates = expectOk(await (await hub.as('lead')).call('stats.rates', { from: day, to: day, groupBy: 'unit' }));
      expect(rates.find((r) => r.key === a.unit.code)?.urges).toBe(3);
    });

    it("a duplicate linked at desk B shows on the original's page for its unit, with the new caller and content", async () => {
      const dup = value(
        await b.api.call('tickets.submit', {
          draft: { ...b.draft(), callerName: '刘女士', callerPhone: '13722223333', callbackPhone: '13722223333', content: '楼道灯一直不亮，家里老人摔了一跤', disposition: '重复诉求', unitCode: null, linkedTicketId: original.id },
        }),
      );
      expectOk(await b.desk.sync!.syncOnce());
      const unit = await hub.as(`op_${driver}`);
      const page = expectOk(await unit.call('workspace.ticket', { ticketId: original.id }));
      expect(page.linkedRequests).toEqual([
        expect.objectContaining({ id: dup.id, callerName: '刘女士', callerPhone: '137****3333', content: '楼道灯一直不亮，家里老人摔了一跤' }),
      ]);
    });
  });
}
