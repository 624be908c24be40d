/**
 * Retired catalogue leaves at the hub (shared/reference/retired-leaves.ts), on both drivers: a
 * ticket stored under a retired leaf moves to the leaf that took it when the hub upgrades
 * (migration 15), and a desk that still holds the old catalogue can push one — it is stored under
 * the new leaf, where the leaf check would otherwise refuse the whole batch.
 */
import { describe, expect, it } from 'vitest';
import { HUB_MIGRATIONS, migrate } from '../../server/migrations';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, makeStore, pushedTicket, startTestHub, type TestHub } from './support';

describe.each(DRIVERS)('retired catalogue leaves on %s', (driver) => {
  let t: TestHub;
  setupOnce(
    async () => {
      t = await startTestHub(driver, { leaves: ['2102003', '2107005', '4301006'] });
    },
    async () => {
      await t?.close();
    },
  );

  it('stores a ticket pushed under a retired leaf under the leaf that took it', async () => {
    const taker = await t.as('taker');
    const sublet = pushedTicket({ leafCode: '2110002' }); // 公租房违规转租 → 公租房退出
    const machine = pushedTicket({ leafCode: '4306001' }); // 自助机故障 → 网办系统卡顿
    expect(expectOk(await taker.call('tickets.push', { tickets: [sublet, machine] })).results.map((r) => r.outcome)).toEqual(['created', 'created']);
    const rows = await t.db.query<{ id: string; leaf_code: string }>('SELECT id::text AS id, leaf_code FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY leaf_code', [[sublet.id, machine.id]]);
    expect(rows).toEqual([
      { id: sublet.id, leaf_code: '2102003' },
      { id: machine.id, leaf_code: '4301006' },
    ]);
    // A code that was never a leaf is still refused.
    const refused = await taker.call('tickets.push', { tickets: [pushedTicket({ leafCode: '2110' })] });
    expect(refused.ok).toBe(false);
  });

  it('moves stored tickets off retired leaves when the hub upgrades (migration 15), and leaves the rest alone', async () => {
    const store = await makeStore(driver);
    const old = await store.open();
    try {
      await migrate(old, HUB_MIGRATIONS.filter((m) => m.version < 15));
      const insert = (id: string, leaf: string) =>
        old.query(
          `INSERT INTO tickets (id, number, provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at,
             submitted_date, channel, caller_name, caller_phone, callback_phone, request_type, address_text, content, leaf_code, urgency, disposition,
             unreasonable_reason, names, status, deadlines, received_at, updated_at)
           VALUES ($1::uuid, $1, '临1', 'desk-1', 'op', '坐席', 'day', '2026-12-01', $2, $2, '2026-12-01', '电话', '张', '13800000000', '13800000000',
             '举报', '', '有人骗租公租房', $3, '一般', '直派', '', '{}'::jsonb, '已派单', '[]'::jsonb, $2, $2)`,
          [id, '2026-12-01T00:00:00.000Z', leaf],
        );
      await insert('00000000-0000-4000-8000-000000000151', '2110001');
      await insert('00000000-0000-4000-8000-000000000152', '4306002');
      await insert('00000000-0000-4000-8000-000000000153', '0101001');
      expect((await migrate(old)).applied).toEqual(HUB_MIGRATIONS.filter((m) => m.version >= 15).map((m) => m.version));
      expect(await old.query('SELECT leaf_code FROM tickets ORDER BY id')).toEqual([{ leaf_code: '2107005' }, { leaf_code: '4303001' }, { leaf_code: '0101001' }]);
    } finally {
      await old.close();
      await store.drop();
    }
  });
});
