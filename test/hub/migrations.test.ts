/**
 * The hub's migrations are numbered and append-only: each shipped migration's SQL is pinned by
 * sha256 in migrations.lock.json (editing a shipped one fails here; a new one must be appended to
 * the lock). On both drivers: a fresh database gets every migration once, a second run applies
 * nothing, and a database with an unknown version or an edited history is refused untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db';
import { HUB_MIGRATIONS, migrate, migrationHash } from '../../server/migrations';
import { setupOnce } from './fixture';
import { DRIVERS, makeStore, type TestStore } from './support';

const lock = JSON.parse(readFileSync(join(import.meta.dirname, 'migrations.lock.json'), 'utf8')) as Array<{ version: number; name: string; sha256: string }>;

describe('hub migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(HUB_MIGRATIONS.map((m) => m.version)).toEqual(HUB_MIGRATIONS.map((_, i) => i + 1));
  });

  it('never change once shipped, and every one is recorded in the lock', () => {
    expect(HUB_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sha256: migrationHash(m.sql) }))).toEqual(lock);
  });
});

describe.each(DRIVERS)('hub migrations on %s', (driver) => {
  let store: TestStore;
  let db: Database;

  setupOnce(
    async () => {
      store = await makeStore(driver);
      db = await store.open();
    },
    async () => {
      await db?.close();
      await store?.drop();
    },
  );

  it('apply every migration to a fresh database, once', async () => {
    const first = await migrate(db);
    expect(first.applied).toEqual(HUB_MIGRATIONS.map((m) => m.version));
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    const rows = await db.query<{ version: number; sha256: string }>('SELECT version, sha256 FROM hub_migrations ORDER BY version');
    expect(rows).toEqual(lock.map((l) => ({ version: l.version, sha256: l.sha256 })));
    for (const table of ['users', 'sessions', 'tickets', 'ticket_events', 'day_counters', 'reference_versions', 'reference_current']) {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(row!.n, table).toBe(0);
    }
  });

  it('keep what was written across a reopen', async () => {
    await db.query(`INSERT INTO day_counters (day, last_seq) VALUES ('2026-12-01', 7)`);
    await db.close();
    db = await store.open();
    expect((await migrate(db)).applied).toEqual([]);
    expect(await db.query('SELECT day, last_seq FROM day_counters')).toEqual([{ day: '2026-12-01', last_seq: 7 }]);
  });

  it('fill a ticket’s first 回访, 重办 count and earliest open due time from what is there, and keep them as events come (migration 13)', async () => {
    const other = await makeStore(driver);
    const old = await other.open();
    try {
      await migrate(old, HUB_MIGRATIONS.filter((m) => m.version < 13));
      const id = '00000000-0000-4000-8000-000000000013';
      const deadlines = [
        { ruleId: 'contact_a', label: '联系', dueAt: '2026-12-01T02:00:00.000Z', doneAt: '2026-12-01T01:00:00.000Z' },
        { ruleId: 'close_a', label: '办结', dueAt: '2026-12-08T00:00:00.000Z', doneAt: null },
        { ruleId: 'review_a', label: '回访', dueAt: '2026-12-05T00:00:00.000Z', doneAt: null },
      ];
      await old.query(
        `INSERT INTO tickets (id, number, provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at,
           submitted_date, channel, caller_name, caller_phone, callback_phone, request_type, address_text, content, urgency, disposition,
           unreasonable_reason, names, status, deadlines, received_at, updated_at)
         VALUES ($1::uuid, 'N1', '临1', 'desk-1', 'op', '坐席', 'day', '2026-12-01', $2, $2, '2026-12-01', '电话', '张', '13800000000', '13800000000',
           '投诉', '', '路灯不亮', '一般', '直派', '', '{}'::jsonb, '已派单', $3::jsonb, $2, $2)`,
        [id, '2026-12-01T00:00:00.000Z', JSON.stringify(deadlines)],
      );
      const event = (kind: string, satisfaction: string | null) =>
        old.query(
          `INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
           VALUES ($1::uuid, 'desk-1', 'hub', $2, '2026-12-02T00:00:00.000Z', '系统', '', '已派单', NULL, '[]'::jsonb, $3::jsonb)`,
          [id, kind, satisfaction === null ? null : JSON.stringify({ resolved: false, satisfaction })],
        );
      await event('回访', '不满意');
      await event('重办', null);
      await event('回访', '满意');
      const facts = () =>
        old.query<{ first: string | null; reopens: number; due: Date | string | null }>(
          'SELECT first_callback_satisfaction AS first, reopen_events AS reopens, open_due_at AS due FROM tickets WHERE id = $1::uuid',
          [id],
        );
      expect((await migrate(old)).applied).toEqual(HUB_MIGRATIONS.filter((m) => m.version >= 13).map((m) => m.version));
      const [filled] = await facts();
      expect({ ...filled, due: new Date(filled!.due!).toISOString() }).toEqual({ first: '不满意', reopens: 1, due: '2026-12-05T00:00:00.000Z' });
      await event('重办', null);
      await event('回访', '基本满意');
      await old.query(`UPDATE tickets SET deadlines = '[]'::jsonb WHERE id = $1::uuid`, [id]);
      expect(await facts()).toEqual([{ first: '不满意', reopens: 2, due: null }]);
    } finally {
      await old.close();
      await other.drop();
    }
  });

  it('refuse a database written by a newer hub, changing nothing', async () => {
    await db.query(`INSERT INTO hub_migrations (version, name, sha256, applied_at) VALUES (999, 'from the future', 'x', '2030-01-01T00:00:00Z')`);
    await expect(migrate(db)).rejects.toThrow(/更新版本的中心程序/);
    await db.query('DELETE FROM hub_migrations WHERE version = 999');
  });

  it('refuse a database whose applied migration differs from the code', async () => {
    const edited = HUB_MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/不一致/);
    expect((await migrate(db)).applied).toEqual([]);
  });

  it('roll back a migration that fails, leaving no trace of it', async () => {
    const broken = [...HUB_MIGRATIONS, { version: HUB_MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();' }];
    await expect(migrate(db, broken)).rejects.toThrow();
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(row!.n).toBe(0);
    expect((await db.query('SELECT version FROM hub_migrations')).length).toBe(HUB_MIGRATIONS.length);
  });
});
