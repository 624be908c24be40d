/**
 * Per-operator attribution from the desk's side (issue 16 item 9), on PGlite and on PostgreSQL: a
 * call-taker who signs in with their own hub account has the tickets they took pushed with their own
 * session (the hub records them verified, by that account); one signed in without a password, or
 * while the hub did not answer, is pushed with the desk account and recorded unverified — until the
 * hub answers and the password opens their session. A wrong password is refused at sign-in. And the
 * sync client sets aside the one ticket whose category or original the hub refuses, draining the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { value, type openTestDesk } from '../support/desk';
import { DRIVERS, PASSWORD, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

type TestDesk = ReturnType<typeof openTestDesk>;

for (const driver of DRIVERS) {
  describe(`operators at a desk on ${driver}`, () => {
    let hub: TestHub;
    const desks: TestDesk[] = [];
    beforeAll(async () => {
      // The directory and catalogue the desk ships, as the hub's.
      hub = await startTestHub(driver, { units: undefined });
    }, 60_000);
    afterAll(async () => {
      for (const d of desks) d.dispose();
      await hub?.close();
    });

    const onHub = async (ids: readonly string[]) => {
      const rows = await hub.db.query<{ id: string; operator_id: string; operator_name: string; operator_verified: boolean; pushed_by: string }>(
        `SELECT t.id::text AS id, t.operator_id, t.operator_name, t.operator_verified, u.username AS pushed_by
           FROM tickets t JOIN users u ON u.id = t.pushed_by WHERE t.id = ANY($1::uuid[])`,
        [ids],
      );
      const byId = new Map(rows.map((r) => [r.id, { operator: r.operator_id, name: r.operator_name, verified: r.operator_verified, by: r.pushed_by }]));
      return ids.map((id) => byId.get(id));
    };

    it('pushes a call-taker’s tickets with their own session (verified) and a password-less sign-in’s with the desk account (unverified)', async () => {
      const d = await syncingDesk(hub.url, { batchSize: 50 });
      desks.push(d.desk);
      const signIn = (id: string, name: string, secret?: string) => d.api.call('operator.signIn', { id, name, role: 'call_taker', ...(secret ? { secret } : {}) });

      const wrong = await signIn('1001', '孙话务', 'not-the-password');
      expect(wrong.ok || wrong.error).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('工号 1001 的中心账号或密码不正确') });

      value(await signIn('1001', '孙话务', PASSWORD));
      const own = await d.submit(2);
      value(await signIn('1002', '周话务'));
      const other = await d.submit(1);
      value(await signIn('1001', '孙小话', PASSWORD));
      const ownAgain = await d.submit(1);

      const round = value(await d.desk.sync!.syncOnce());
      expect(round.pushed).toBe(4);
      const verified = { operator: '1001', name: '孙话务', verified: true, by: '1001' };
      expect(await onHub([...own, ...other, ...ownAgain])).toEqual([
        verified,
        verified,
        { operator: '1002', name: '周话务', verified: false, by: 'taker' },
        verified, // the hub's name for the account, not the one typed at the desk
      ]);
    }, 60_000);

    it('a 班长 checked at the hub keeps that session: the lead’s tickets are pushed with it, not with the desk account', async () => {
      const d = await syncingDesk(hub.url, { username: 'taker2' });
      desks.push(d.desk);
      value(await d.api.call('operator.signIn', { id: '2001', name: '钱班长', role: 'team_lead', secret: PASSWORD }));
      expect(d.desk.sync!.operatorSession('2001')).toBe('verified');
      const [taken] = await d.submit(1);
      value(await d.desk.sync!.syncOnce());
      expect(await onHub([taken!])).toEqual([{ operator: '2001', name: '钱班长', verified: true, by: '2001' }]);
    }, 60_000);

    it('a call-taker who signed in while the hub was away gets their own session once it answers, and their tickets go with it', async () => {
      let down = true;
      const fetchImpl: typeof fetch = (input, init) => {
        if (down && String(input).endsWith('/v1/auth.login') && typeof init?.body === 'string' && init.body.includes('"1001"')) {
          return Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED'));
        }
        return fetch(input, init);
      };
      const d = await syncingDesk(hub.url, { fetchImpl });
      desks.push(d.desk);
      value(await d.api.call('operator.signIn', { id: '1001', name: '孙话务', role: 'call_taker', secret: PASSWORD }));
      expect(d.desk.sync!.operatorSession('1001')).toBe('pending');
      down = false;
      const [later] = await d.submit(1);
      value(await d.desk.sync!.syncOnce());
      expect(d.desk.sync!.operatorSession('1001')).toBe('verified');
      expect(await onHub([later!])).toEqual([{ operator: '1001', name: '孙话务', verified: true, by: '1001' }]);
    }, 60_000);

    it('sets aside the one ticket whose category or original the hub refuses; the tickets around it get official numbers', async () => {
      const d = await syncingDesk(hub.url, { batchSize: 50 });
      desks.push(d.desk);
      const ids = await d.submit(6);
      const rewrite = (id: string, change: (ticket: Record<string, unknown>) => void) => {
        const row = d.desk.db.prepare<[string], { payload: string }>('SELECT payload FROM outbox WHERE ticket_id = ?').get(id)!;
        const payload = JSON.parse(row.payload) as { ticket: Record<string, unknown> };
        change(payload.ticket);
        d.desk.db.prepare('UPDATE outbox SET payload = ? WHERE ticket_id = ?').run(JSON.stringify(payload), id);
      };
      rewrite(ids[1]!, (t) => (t.leafCode = '9999999'));
      rewrite(ids[4]!, (t) => Object.assign(t, { disposition: '重复诉求', unitCode: null, linkedTicketId: '00000000-0000-4000-8000-000000000009' }));
      // A duplicate of a ticket earlier in the same batch goes through.
      rewrite(ids[5]!, (t) => Object.assign(t, { disposition: '重复诉求', unitCode: null, linkedTicketId: ids[0] }));

      expect(value(await d.desk.sync!.syncOnce()).pushed).toBe(4);
      const row = (id: string) =>
        d.desk.db.prepare<[string], { official_number: string | null; last_error: string | null }>(
          'SELECT t.official_number, o.last_error FROM tickets t JOIN outbox o ON o.ticket_id = t.id WHERE t.id = ?',
        ).get(id)!;
      expect(row(ids[1]!)).toEqual({ official_number: null, last_error: expect.stringMatching(/^refused: .*诉求分类代码 9999999 不是中心现行派单目录中的三级分类/) });
      expect(row(ids[4]!)).toEqual({ official_number: null, last_error: expect.stringMatching(/^refused: .*关联的原工单.*在中心不存在/) });
      for (const i of [0, 2, 3, 5]) expect(row(ids[i]!).official_number).toMatch(/^\d{14,}$/);
    }, 60_000);
  });
}
