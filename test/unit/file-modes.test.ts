/**
 * The desk's data stays the signed-in user's (issue 16): on Linux and macOS its data folder is 0700
 * and its database files (the SQLite file, its WAL and shared-memory files) 0600, also when the folder
 * did not exist before and when an older version left it open to everyone.
 */
import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestDesk, value } from '../support/desk';
import { freshDataDir } from '../support/host-process';

const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file modes of the desk’s data', () => {
  it('makes a new data folder 0700 and the database, WAL and shared-memory files 0600', async () => {
    const parent = freshDataDir();
    const dataDir = join(parent, 'nested', 'HotlineDesk');
    const desk = openTestDesk({ dataDir });
    try {
      await desk.ready;
      value(await desk.handlers['app.health']({}, { transport: 'ipc' }));
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ['desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm']) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    } finally {
      desk.dispose();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('tightens a folder and a database an older version left readable by everyone', async () => {
    const dataDir = freshDataDir();
    const first = openTestDesk({ dataDir });
    await first.ready;
    first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'desk.sqlite'), 0o644);
    const desk = openTestDesk({ dataDir });
    try {
      await desk.ready;
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'desk.sqlite'))).toBe(0o600);
    } finally {
      desk.dispose();
    }
  });
});
