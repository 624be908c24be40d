/**
 * One bad ticket never stops a desk's sync (issue 16), on PGlite and on PostgreSQL: a ticket the hub
 * cannot take — text no database stores, or a push that fails every time it carries that ticket,
 * whatever the error — is isolated by splitting its batch, set aside with the reason, and every
 * ticket after it still gets its official number. A hub that is simply gone sets nothing aside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ROW_FAILURES } from '../../electron/services/sync/sync-client';
import { value, type openTestDesk } from '../support/desk';
import { DRIVERS, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

type TestDesk = ReturnType<typeof openTestDesk>;

/** A syncing desk (syncing-desk.ts) with small batches, reading a ticket's number and outbox error. */
async function deskFor(url: string, fetchImpl?: typeof fetch) {
  const d = await syncingDesk(url, { fetchImpl, batchSize: 8 });
  const official = (id: string) => d.desk.db.prepare<[string], { official_number: string | null }>('SELECT official_number FROM tickets WHERE id = ?').get(id)!.official_number;
  const outboxError = (id: string) => d.desk.db.prepare<[string], { last_error: string | null }>('SELECT last_error FROM outbox WHERE ticket_id = ?').get(id)!.last_error;
  return { ...d, official, outboxError };
}

/** Rewrites a waiting ticket's outbox payload as a desk written before such text was refused would have. */
function poison(desk: TestDesk, id: string, content: string): void {
  const row = desk.db.prepare<[string], { payload: string }>('SELECT payload FROM outbox WHERE ticket_id = ?').get(id)!;
  const payload = JSON.parse(row.payload) as { ticket: { content: string } };
  payload.ticket.content = content;
  desk.db.prepare('UPDATE outbox SET payload = ? WHERE ticket_id = ?').run(JSON.stringify(payload), id);
}

const carries = (init: RequestInit | undefined, id: string) => typeof init?.body === 'string' && init.body.includes(id);

for (const driver of DRIVERS) {
  describe(`one bad ticket on ${driver}`, () => {
    let hub: TestHub;
    const desks: TestDesk[] = [];
    beforeAll(async () => {
      // Pushed unit codes are checked against the hub's directory: here the one the desk ships.
      hub = await startTestHub(driver, { units: undefined });
    }, 60_000);
    afterAll(async () => {
      for (const d of desks) d.dispose();
      await hub?.close();
    });

    it('a ticket with a NUL in its text is set aside with the reason; the 19 around it get official numbers', async () => {
      const d = await deskFor(hub.url);
      desks.push(d.desk);
      const ids = await d.submit(20);
      const bad = ids[5]!;
      poison(d.desk, bad, '路灯坏了\u0000一个多月，晚上很不安全。');
      const round = value(await d.desk.sync!.syncOnce());
      expect(round.pushed).toBe(19);
      expect(ids.filter((id) => id !== bad).every((id) => d.official(id) !== null)).toBe(true);
      expect(d.official(bad)).toBeNull();
      expect(d.outboxError(bad)).toMatch(/^refused: .*无法保存的字符/);
      expect((await d.health()).sync).toMatchObject({ pending: 1, refused: 1, state: 'idle' });
    }, 60_000);

    it('a ticket whose push fails with a server error every time is isolated and set aside; later tickets still drain', async () => {
      let bad = '';
      let pushes = 0;
      const failing: typeof fetch = async (input, init) => {
        if (String(input).endsWith('/v1/tickets.push')) {
          pushes++;
          if (carries(init, bad)) {
            return new Response(JSON.stringify({ ok: false, error: { kind: 'internal', message: '“tickets.push”处理失败：内部错误，已记入日志' } }), { status: 500 });
          }
        }
        return fetch(input, init);
      };
      const d = await deskFor(hub.url, failing);
      desks.push(d.desk);
      const ids = await d.submit(30);
      bad = ids[12]!;
      value(await d.desk.sync!.syncOnce());
      expect(ids.filter((id) => id !== bad).every((id) => d.official(id) !== null)).toBe(true);
      expect(d.outboxError(bad)).toMatch(new RegExp(`^refused: 中心 ${MAX_ROW_FAILURES} 次都未能接收此工单`));
      expect((await d.health()).sync).toMatchObject({ pending: 1, refused: 1, state: 'idle' });
      expect(pushes).toBeLessThan(60);
      // Tickets taken afterwards go straight through.
      const later = await d.submit(3);
      expect(value(await d.desk.sync!.syncOnce()).pushed).toBe(3);
      expect(later.every((id) => d.official(id) !== null)).toBe(true);
    }, 60_000);

    it('a ticket whose push drops the connection every time is isolated over a few rounds; a hub that is gone sets nothing aside', async () => {
      let bad = '';
      let hubDown = false;
      const dropping: typeof fetch = async (input, init) => {
        if (hubDown) throw new TypeError('fetch failed: connect ECONNREFUSED');
        if (String(input).endsWith('/v1/tickets.push') && carries(init, bad)) throw new TypeError('fetch failed: socket hang up');
        return fetch(input, init);
      };
      const d = await deskFor(hub.url, dropping);
      desks.push(d.desk);
      const ids = await d.submit(16);

      // The hub is gone for several rounds: nothing is set aside, everything waits.
      hubDown = true;
      for (let i = 0; i < 5; i++) expect((await d.desk.sync!.syncOnce()).ok).toBe(false);
      expect((await d.health()).sync).toMatchObject({ pending: 16, refused: 0, state: 'offline' });

      hubDown = false;
      bad = ids[3]!;
      let rounds = 0;
      while (d.outboxError(bad)?.startsWith('refused:') !== true && rounds < 20) {
        await d.desk.sync!.syncOnce();
        rounds++;
      }
      expect(d.outboxError(bad)).toMatch(/^refused: 中心 \d 次都未能接收此工单/);
      expect(rounds).toBeLessThan(20);
      expect(value(await d.desk.sync!.syncOnce()).pushed).toBe(0);
      expect(ids.filter((id) => id !== bad).every((id) => d.official(id) !== null)).toBe(true);
      expect((await d.health()).sync).toMatchObject({ pending: 1, refused: 1, state: 'idle' });
    }, 60_000);
  });
}
