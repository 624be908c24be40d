/**
 * 回访 from a real desk against the hub (electron/services/handlers/callbacks.ts, the sync client's
 * `ticket.callback` outbox rows, server/callbacks.ts), on PGlite and PostgreSQL: online the desk's
 * 回访 queue is the hub's, with the unit's 办理结果; offline it lists the desk's own tickets and says
 * so; a callback recorded offline waits in the outbox and reaches the hub exactly once — also when the
 * hub's reply is lost and the desk sends it again — reopening the ticket to its unit, which the desk
 * then pulls. The outgoing-call hook records the attempt and says no telephony is connected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUsers } from '../../server/auth';
import { value } from '../support/desk';
import { DRIVERS, expectOk, PASSWORD, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

type Desk = Awaited<ReturnType<typeof syncingDesk>>;

function switchableFetch() {
  const state = { down: false, loseNextCallbackReply: false };
  const impl: typeof fetch = async (input, init) => {
    if (state.down) throw new TypeError('fetch failed');
    const reply = await fetch(input, init);
    if (state.loseNextCallbackReply && String(input).endsWith('/ticket.callback')) {
      state.loseNextCallbackReply = false;
      throw new TypeError('fetch failed'); // the hub committed; the desk never hears it
    }
    return reply;
  };
  return { state, impl };
}

for (const driver of DRIVERS) {
  describe(`回访 from the desk on ${driver}`, () => {
    let hub: TestHub;
    let desk: Desk;
    const net = switchableFetch();
    let ticketId = '';

    beforeAll(async () => {
      hub = await startTestHub(driver, { units: undefined });
      desk = await syncingDesk(hub.url, { username: 'taker', fetchImpl: net.impl });
      ticketId = (await desk.submit(1))[0]!;
      expectOk(await desk.desk.sync!.syncOnce());
      await ensureUsers(hub.db, [{ username: `cb_op_${driver}`, password: PASSWORD, name: '街道操作员', role: 'unit_operator', unitCode: desk.unit.code }], new Date());
      const unit = await hub.as(`cb_op_${driver}`);
      expectOk(await unit.call('ticket.accept', { ticketId: ticketId! }));
      expectOk(await unit.call('ticket.close', { ticketId: ticketId!, note: '已安排养护单位填补路面坑洼', resolved: true }));
      expectOk(await desk.desk.sync!.syncOnce());
    }, 120_000);
    afterAll(async () => {
      desk?.desk.dispose();
      await hub?.close();
    });

    it('lists the closed ticket in the hub’s 回访 queue with the unit’s result, and the desk’s own when offline', async () => {
      const online = value(await desk.api.call('callbacks.queue', {}));
      expect(online.scope).toBe('center');
      expect(online.items.find((i) => i.id === ticketId)).toMatchObject({ status: '已办结', result: '办结（已解决）：已安排养护单位填补路面坑洼', attempts: 0 });

      net.state.down = true;
      const offline = value(await desk.api.call('callbacks.queue', {}));
      expect(offline.scope).toBe('local');
      expect(offline.items.find((i) => i.id === ticketId)).toMatchObject({ status: '已办结', result: '办结（已解决）：已安排养护单位填补路面坑洼' });
      net.state.down = false;
    });

    it('records the outgoing call’s time and says no telephony is connected', async () => {
      const call = value(await desk.api.call('calls.outgoing', { ticketId, phone: '13900000000' }));
      expect(call).toMatchObject({ dialed: false, reason: '未接入电话系统，请手动拨打' });
    });

    it('refuses a reopening callback without the citizen’s words, writing nothing', async () => {
      const refused = await desk.api.call('callbacks.record', { ticketId, outcome: '联系上', resolved: false, satisfaction: '不满意' });
      expect(refused.ok ? 'ok' : refused.error.kind).toBe('bad_request');
      expect(await hub.count('ticket_callbacks')).toBe(0);
      expect((await desk.health()).sync.pending).toBe(0);
    });

    it('a callback recorded offline reaches the hub exactly once, reopens the ticket to its unit, and the desk pulls it', async () => {
      net.state.down = true;
      const queued = value(await desk.api.call('callbacks.record', { ticketId, outcome: '联系上', resolved: false, satisfaction: '不满意', words: '坑只填了一半，下雨又积水' }));
      expect(queued).toMatchObject({ queued: true, decision: null });
      expect((await desk.health()).sync.pending).toBe(1);
      expect(await hub.count('ticket_callbacks')).toBe(0);

      net.state.down = false;
      net.state.loseNextCallbackReply = true; // the hub records it, the reply is lost: the desk sends it again
      await desk.desk.sync!.syncOnce();
      expectOk(await desk.desk.sync!.syncOnce());
      expectOk(await desk.desk.sync!.syncOnce());
      expect((await desk.health()).sync.pending).toBe(0);
      expect(await hub.count('ticket_callbacks')).toBe(1);
      const [row] = await hub.db.query<{ status: string; unit_code: string; reopen_count: number }>('SELECT status, unit_code, reopen_count FROM tickets WHERE id = $1::uuid', [ticketId]);
      expect(row).toEqual({ status: '已派单', unit_code: desk.unit.code, reopen_count: 1 });
      const reopened = await hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1::uuid AND kind = '重办'", [ticketId]);
      expect(reopened[0]!.n).toBe(1);

      const detail = value(await desk.api.call('tickets.get', { id: ticketId }));
      expect(detail.status).toBe('已派单');
      expect(detail.events.filter((e) => e.kind === '重办').map((e) => e.note)).toEqual([`重办（第 1 次），退回${desk.unit.name}重新办理；市民原话：坑只填了一半，下雨又积水`]);
      expect(value(await desk.api.call('callbacks.queue', {})).items.some((i) => i.id === ticketId)).toBe(false);
    });
  });
}
