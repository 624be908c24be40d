/**
 * A new PGlite data folder starts as a copy of the database the build made (server/db.ts
 * PgliteOptions.template, dist/hub/pgdata-template from scripts/build.mjs), so the first start runs no
 * initdb; without a usable template the database is created as before. Either way the hub works in
 * it, keeps what it wrote, and the template stays as it was for the next new folder.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, pgliteIsNew } from '../../server/db';
import { startHub } from '../../server/hub';
import { createHubClient } from '../../shared/api/hub-client';
import { expectOk, PASSWORD, pushedTicket, RESOURCES_DIR, TEST_UNITS, USERS } from './support';

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      const stat = statSync(path);
      return `${path.slice(dir.length)} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

describe('a new PGlite folder from the build’s template', () => {
  let work = '';
  let template = '';
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hotline-hub-template-'));
    template = join(work, 'template');
    const made = await openPglite(template); // initdb in this process, as the build does
    await made.close();
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is a copy of the template: no creation step, the hub signs in and stores, and the template is left as it was', async () => {
    const before = snapshot(template);
    const dataDir = join(work, 'hub-a');
    const created: string[] = [];
    const hub = await startHub({
      dataDir,
      users: USERS,
      resourcesDir: RESOURCES_DIR,
      units: TEST_UNITS,
      pgliteTemplate: template,
      createPglite: async (dir) => void created.push(dir),
    });
    try {
      expect(created).toEqual([]);
      const taker = createHubClient({ url: hub.url });
      expectOk(await taker.login('taker', PASSWORD));
      const [result] = expectOk(await taker.call('tickets.push', { tickets: [pushedTicket()] })).results;
      expect(result!.outcome).toBe('created');
    } finally {
      await hub.close();
    }
    expect(snapshot(template)).toEqual(before);
    // Opened again, the folder holds what the hub wrote.
    const reopened = await openPglite(join(dataDir, 'pgdata'));
    try {
      const [row] = await reopened.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets');
      expect(row!.n).toBe(1);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('falls back to creating the database when the template is missing or not a database', async () => {
    for (const [name, missing] of [['hub-b', join(work, 'no-such-template')], ['hub-c', work]] as const) {
      const dataDir = join(work, name);
      const created: string[] = [];
      const db = await openPglite(join(dataDir, 'pgdata'), {
        template: missing,
        create: async (dir) => {
          created.push(dir);
          cpSync(template, dir, { recursive: true }); // stands in for the child that runs initdb
        },
      });
      try {
        expect(created).toEqual([`${join(dataDir, 'pgdata')}.creating`]);
        expect((await db.query<{ one: number }>('SELECT 1 AS one'))[0]!.one).toBe(1);
      } finally {
        await db.close();
      }
      expect(pgliteIsNew(join(dataDir, 'pgdata'))).toBe(false);
    }
  }, 120_000);
});
