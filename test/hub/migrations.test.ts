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
