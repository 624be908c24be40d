/**
 * Migrations are numbered and append-only: each shipped migration's SQL is pinned by hash in
 * migrations.lock.json. Editing a shipped one fails here; a new one must be appended to the lock.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/services/store/migrations';

const lock = JSON.parse(readFileSync(join(import.meta.dirname, 'migrations.lock.json'), 'utf8')) as Array<{ version: number; name: string; sha256: string }>;
const hash = (sql: string) => createHash('sha256').update(sql).digest('hex');

describe('desk migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('never change once shipped, and every one is recorded in the lock', () => {
    expect(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sha256: hash(m.sql) }))).toEqual(lock);
  });
});
