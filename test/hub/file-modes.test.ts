/**
 * The hub's PGlite data stays its user's (issue 16): on Linux and macOS the data folder and every
 * folder under it are 0700 and PGlite's files 0600 (PGlite itself writes them 0666). PostgreSQL keeps
 * its own files, so this is the PGlite half only; the other hub tests run on both drivers.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHub } from '../../server/hub';
import { expectOk, PASSWORD, pushedTicket, RESOURCES_DIR, TEST_UNITS, USERS } from './support';
import { createHubClient } from '../../shared/api/hub-client';

const mode = (path: string) => statSync(path).mode & 0o777;

function openToOthers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if ((entry.isDirectory() || entry.isFile()) && (mode(path) & 0o077) !== 0) found.push(`${path} ${mode(path).toString(8)}`);
  }
  return found;
}

describe.skipIf(process.platform === 'win32')('file modes of the hub’s PGlite data', () => {
  it('makes a new data folder 0700 and everything PGlite wrote in it private, after writes and after close', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'hotline-hub-modes-'));
    const dataDir = join(parent, 'HotlineHub');
    const hub = await startHub({ dataDir, users: USERS, resourcesDir: RESOURCES_DIR, units: TEST_UNITS });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'pgdata'))).toBe(0o700);
      expect(openToOthers(dataDir)).toEqual([]);
      const taker = createHubClient({ url: hub.url });
      expectOk(await taker.login('taker', PASSWORD));
      expectOk(await taker.call('tickets.push', { tickets: [pushedTicket()] }));
    } finally {
      await hub.close();
    }
    expect(openToOthers(dataDir)).toEqual([]);
    rmSync(parent, { recursive: true, force: true });
  }, 60_000);
});
