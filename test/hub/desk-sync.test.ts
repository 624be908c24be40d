/**
 * The desk's sync client against the real hub, on PGlite and on PostgreSQL: tickets taken during an
 * outage reach the hub exactly once when it comes back, with official numbers in place of the
 * provisional ones; a hub that dies mid-drain or a reply lost after the hub committed never makes a
 * duplicate; a ticket the hub refuses is set aside without blocking the rest; what happens to the
 * tickets at the hub comes back to the desk; new reference data replaces the desk's version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsRepo } from '../../electron/services/store/settings-repo';
import { centerDate } from '../../shared/time';
import { openReadyDesk, value, type openTestDesk } from '../support/desk';
import { DRIVERS, PASSWORD, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

type TestDesk = ReturnType<typeof openTestDesk>;

/** A syncing desk (syncing-desk.ts) that also reads its tickets' numbers. */
async function deskFor(url: string | 'starting', fetchImpl?: typeof fetch, batchSize?: number, username = 'taker') {
  const d = await syncingDesk(url, { fetchImpl, batchSize, username });
  const numbers = () => d.desk.db.prepare<[], { provisional_number: string; official_number: string | null }>('SELECT provisional_number, official_number FROM tickets').all();
  return { ...d, numbers };
}

async function hubTicketIds(hub: TestHub): Promise<string[]> {
  return (await hub.db.query<{ id: string }>('SELECT id FROM tickets ORDER BY id')).map((r) => r.id);
}

for (const driver of DRIVERS) {
  describe(`desk ↔ hub sync on ${driver}`, () => {
    let hub: TestHub;
    const desks: TestDesk[] = [];
    beforeAll(async () => {
      // The hub checks pushed unit codes against its directory: here the one the desk ships (resources/).
      hub = await startTestHub(driver, { units: undefined });
    }, 60_000);
    afterAll(async () => {
      for (const d of desks) d.dispose();
      await hub?.close();
    });

    it('500 tickets taken during an outage reach the hub exactly once when it is back, with official numbers everywhere they show', async () => {
      const port = hub.hub.port;
      await hub.hub.close(); // the network is down: nothing answers on the hub's address
      const d = await deskFor(hub.url);
      desks.push(d.desk);
      const ids = await d.submit(500);
      const offline = await d.desk.sync!.syncOnce();
      expect(offline.ok).toBe(false);
      expect((await d.health()).sync).toMatchObject({ pending: 500, state: 'offline' });
      expect((await d.health()).hub.online).toBe(false);
      expect(d.numbers().every((t) => t.official_number === null && t.provisional_number.startsWith('临'))).toBe(true);

      await hub.restart({ port });
      const back = value(await d.desk.sync!.syncOnce());
      expect(back.pushed).toBe(500);
      expect((await d.health()).sync).toMatchObject({ pending: 0, state: 'idle', refused: 0 });
      expect((await d.health()).hub.online).toBe(true);
      expect(await hubTicketIds(hub)).toEqual([...ids].sort());
      const official = d.numbers().map((t) => t.official_number);
      expect(official.every((n) => n !== null && /^\d{8}\d{6}$/.test(n))).toBe(true);
      expect(new Set(official).size).toBe(500);
      // The lists the call-taker sees show the official number now.
      const mine = value(await d.api.call('tickets.mine', {}));
      expect(mine.tickets.every((t) => t.official && !t.pendingSync && /^\d{14}$/.test(t.number))).toBe(true);
      // Nothing left to send: another round sends nothing and the hub still holds each ticket once.
      expect(value(await d.desk.sync!.syncOnce()).pushed).toBe(0);
      expect((await hubTicketIds(hub)).length).toBe(500);
    }, 120_000);

    it('a hub that dies mid-drain, and a reply lost after the hub committed, never make a duplicate', async () => {
      let pushes = 0;
      let killAfter = 2;
      const faulty: typeof fetch = async (input, init) => {
        const isPush = String(input).endsWith('/v1/tickets.push');
        if (!isPush) return fetch(input, init);
        pushes++;
        const response = await fetch(input, init);
        // The hub stored this batch, then the connection broke before the desk heard.
        if (pushes === killAfter) throw new TypeError('fetch failed: socket hang up');
        return response;
      };
      const d = await deskFor(hub.url, faulty, 100);
      desks.push(d.desk);
      const before = (await hubTicketIds(hub)).length;
      const ids = await d.submit(450);
      const cut = await d.desk.sync!.syncOnce();
      expect(cut.ok).toBe(false);
      expect((await d.health()).sync.state).toBe('offline');
      const stillPending = (await d.health()).sync.pending;
      expect(stillPending).toBe(350); // batch 1 answered; batch 2 stored at the hub but unheard

      // And now the hub dies outright, and comes back.
      const port = hub.hub.port;
      await hub.hub.close();
      expect((await d.desk.sync!.syncOnce()).ok).toBe(false);
      await hub.restart({ port });
      killAfter = -1;
      value(await d.desk.sync!.syncOnce());
      expect((await d.health()).sync.pending).toBe(0);
      const atHub = await hubTicketIds(hub);
      expect(atHub.length).toBe(before + 450);
      for (const id of ids) expect(atHub.filter((x) => x === id)).toHaveLength(1);
      const official = d.numbers().filter((t) => t.official_number).map((t) => t.official_number);
      expect(new Set(official).size).toBe(official.length);
    }, 120_000);

    it('a ticket the hub refuses is set aside with its reason, and the ones behind it still go', async () => {
      const d = await deskFor(hub.url);
      desks.push(d.desk);
      const [first, poisoned, last] = await d.submit(3);
      // A row the hub's rules refuse (here: content emptied after the fact).
      d.desk.db
        .prepare("UPDATE outbox SET payload = json_set(payload, '$.ticket.content', '') WHERE ticket_id = ?")
        .run(poisoned);
      value(await d.desk.sync!.syncOnce());
      const atHub = await hubTicketIds(hub);
      expect(atHub).toContain(first);
      expect(atHub).toContain(last);
      expect(atHub).not.toContain(poisoned);
      const health = await d.health();
      expect(health.sync).toMatchObject({ pending: 1, refused: 1, state: 'idle' });
      const row = d.desk.db.prepare<[string], { last_error: string; sent_at: string | null }>('SELECT last_error, sent_at FROM outbox WHERE ticket_id = ?').get(poisoned!)!;
      expect(row.sent_at).toBeNull();
      expect(row.last_error).toMatch(/^refused: /);
      // Nothing was lost: the ticket is still on the desk, with its provisional number.
      expect(value(await d.api.call('tickets.get', { id: poisoned! })).number).toMatch(/^临/);
    }, 60_000);

    it('an outbox row that no longer reads as a payload is set aside by the desk with the reason, never sent', async () => {
      const d = await deskFor(hub.url);
      desks.push(d.desk);
      const [damaged, newer, fine] = await d.submit(3);
      const setPayload = d.desk.db.prepare<[string, string]>('UPDATE outbox SET payload = ? WHERE ticket_id = ?');
      const payloadOf = (id: string) => JSON.parse(d.desk.db.prepare<[string], { payload: string }>('SELECT payload FROM outbox WHERE ticket_id = ?').get(id)!.payload);
      // A status this build has never heard of, and a row from a newer build's shape.
      setPayload.run(JSON.stringify({ ...payloadOf(damaged!), ticket: { ...payloadOf(damaged!).ticket, status: '处理中' } }), damaged!);
      setPayload.run(JSON.stringify({ ...payloadOf(newer!), version: 2 }), newer!);
      // A row written before payloads carried a version is still read (as version 1).
      const { version: _v, ...unversioned } = payloadOf(fine!);
      setPayload.run(JSON.stringify(unversioned), fine!);

      value(await d.desk.sync!.syncOnce());
      const atHub = await hubTicketIds(hub);
      expect(atHub).toContain(fine);
      expect(atHub).not.toContain(damaged);
      expect(atHub).not.toContain(newer);
      const errorOf = (id: string) => d.desk.db.prepare<[string], { last_error: string }>('SELECT last_error FROM outbox WHERE ticket_id = ?').get(id)!.last_error;
      expect(errorOf(damaged!)).toMatch(/^refused: 待上传记录内容无法读取.*ticket\.status/);
      expect(errorOf(newer!)).toMatch(/^refused: 待上传记录由更新版本的坐席程序写入（第 2 版）/);
      expect((await d.health()).sync).toMatchObject({ pending: 2, refused: 2 });
    }, 60_000);

    it('what the unit and the callback do at the hub comes back to the desk: status, trail and deadlines', async () => {
      const d = await deskFor(hub.url);
      desks.push(d.desk);
      const [accepted, returned] = await d.submit(2);
      value(await d.desk.sync!.syncOnce());
      // The hub's clock runs on from the desk's: the unit acts after the call was taken.
      hub.clock.set(new Date(Date.now() + 60_000).toISOString());
      const admin = await hub.as('admin');
      value(await admin.call('ticket.accept', { ticketId: accepted! }));
      value(await admin.call('ticket.reply', { ticketId: accepted!, reply: '已安排施工队当天填平坑洼并设置警示' }));
      value(await admin.call('ticket.close', { ticketId: accepted! }));
      value(await admin.call('ticket.return', { ticketId: returned!, reason: '该路段属于市政道路，非本街道管辖' }));
      const taker = await hub.as('taker');
      value(await taker.call('ticket.callback', { ticketId: accepted!, resolved: true, satisfaction: '满意' }));

      const round = value(await d.desk.sync!.syncOnce());
      expect(round.pulled).toBeGreaterThanOrEqual(4);
      const a = value(await d.api.call('tickets.get', { id: accepted! }));
      expect(a.status).toBe('已回访');
      expect(a.events.map((e) => e.kind)).toEqual(['受理', '派单', '接单', '回复', '办结', '回访']);
      expect(a.deadlines.find((x) => x.ruleId === 'contact_day1')?.doneAt).not.toBeNull();
      const r = value(await d.api.call('tickets.get', { id: returned! }));
      expect(r.status).toBe('已退单');
      expect(r.unitName).toBeNull();
      expect(r.events.find((e) => e.kind === '退单')?.note).toContain('非本街道管辖');
      // Applying the same changes again (a second pull) adds nothing to the trail.
      value(await d.desk.sync!.syncOnce());
      expect(value(await d.api.call('tickets.get', { id: accepted! })).events).toHaveLength(a.events.length);
    }, 60_000);

    it('a desk that opens before the hub beside it is up takes calls at once and sends them when the hub connects', async () => {
      const d = await deskFor('starting');
      desks.push(d.desk);
      expect((await d.health()).hub).toMatchObject({ configured: true, starting: true, online: false, check: { ok: true, message: '正在启动本机中心…' } });
      expect(d.desk.sync).toBeNull();
      const ids = await d.submit(2);
      expect((await d.health()).sync).toMatchObject({ pending: 2, state: 'local' });
      const said: string[] = [];
      d.desk.subscribe((event) => event.name === 'app.health' && said.push(event.payload.hub.check.message));
      d.desk.connectHub({ hubUrl: hub.url, hubCredentials: { username: 'taker', password: PASSWORD }, note: '已在本机启动中心' });
      expect(said.length).toBeGreaterThan(0);
      expect((await d.health()).hub).toMatchObject({ starting: false, url: hub.url });
      expect((await d.desk.sync!.syncOnce()).ok).toBe(true);
      expect(await hubTicketIds(hub)).toEqual(expect.arrayContaining(ids));
      expect((await d.health()).sync.pending).toBe(0);
      expect((await d.health()).hub.online).toBe(true);
    });

    it('a desk whose hub could not start stays in 本机模式, says why and keeps its tickets', async () => {
      const d = await deskFor('starting');
      desks.push(d.desk);
      await d.submit(1);
      d.desk.connectHub({ hubUrl: null, hubCredentials: null, note: '本机中心未能启动，改为本机模式：端口被占用' });
      expect((await d.health()).hub).toEqual({
        configured: false,
        starting: false,
        url: null,
        online: false,
        check: { ok: false, message: '本机中心未能启动，改为本机模式：端口被占用' },
      });
      expect(d.desk.sync).toBeNull();
      expect((await d.health()).sync).toMatchObject({ pending: 1, state: 'local' });
    });

    it('a desk whose account the hub refuses says so, sends nothing and keeps every ticket', async () => {
      const { desk, api } = await openReadyDesk({ hubUrl: hub.url, hubCredentials: { username: 'taker', password: 'wrong' }, syncAutoStart: false });
      desks.push(desk);
      const health = async () => value(await api.call('app.health', {}));
      const result = await desk.sync!.syncOnce();
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe('unauthorized');
      expect((await health()).sync.state).toBe('unauthorized');
    }, 60_000);

    it('a team lead sees the whole center’s shift log while connected, and this desk’s own, marked partial, when not', async () => {
      const here = await deskFor(hub.url, undefined, undefined, 'lead');
      const there = await deskFor(hub.url);
      desks.push(here.desk, there.desk);
      const mine = await here.submit(3);
      await there.submit(4);
      value(await here.desk.sync!.syncOnce());
      value(await there.desk.sync!.syncOnce());
      new SettingsRepo(here.desk.db).set('operator', { id: 'L01', name: '王班长', role: 'team_lead' });
      const today = centerDate(new Date());
      const scope = { from: today, to: today, shiftCode: null, operatorIds: [], categoryLevel: 1 as const };
      const atHub = (await hubTicketIds(hub)).length;

      const center = value(await here.api.call('lead.shiftLog', { scope }));
      expect(center.source).toMatchObject({ kind: 'center', partial: false });
      expect(center.totals.taken).toBe(atHub);
      expect(center.totals.direct).toBe(atHub);

      // The hub goes away: the same view answers from this desk's tickets and says so.
      const port = hub.hub.port;
      await hub.hub.close();
      await here.desk.sync!.syncOnce();
      const local = value(await here.api.call('lead.shiftLog', { scope }));
      expect(local.source).toMatchObject({ kind: 'local', partial: true });
      expect(local.totals.taken).toBe(mine.length);
      await hub.restart({ port });
    }, 60_000);

    it('a new knowledge-base version published at the hub replaces the desk’s whole', async () => {
      const d = await deskFor(hub.url);
      desks.push(d.desk);
      const admin = await hub.as('admin');
      const csv = [
        'id,title,questions,answer,source,valid_until,leaf_codes',
        'KB7001,冬季供暖开始时间,什么时候来暖气|今年几号供暖,本市供暖期为每年11月15日至次年3月15日，遇寒潮可提前。,D02,2027-03-31,',
      ].join('\n');
      const published = value(await admin.call('reference.publish', { kind: 'kb', fileName: '知识库-冬季版.csv', content: csv }));
      const round = value(await d.desk.sync!.syncOnce());
      expect(round.referenceUpdates).toBe(1);
      expect(d.desk.reference.versions.get('kb')).toMatchObject({ version: published.version, itemCount: 1 });
      expect(d.desk.reference.kb.count()).toBe(1);
      expect(value(await d.api.call('kb.search', { query: '供暖' })).map((h) => h.id)).toEqual(['KB7001']);
    }, 60_000);
  });
}
