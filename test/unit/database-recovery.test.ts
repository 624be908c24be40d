/**
 * A damaged desk.sqlite (issue 16 item 2): whatever the damage, the file is kept as it was, the desk
 * opens on a fresh database holding what could still be read (tickets, their events, the outbox,
 * drafts, the desk id), and 本机状态 says how many tickets came back and how many did not. A zero-length
 * file is never replaced silently; a garbage or foreign WAL is set aside and the sound file kept.
 * Prints tickets recovered / lost per kind of damage.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseNotice, openDatabase, type OpenedDatabase } from '../../electron/services/store/database';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { OutboxRepo } from '../../electron/services/tickets/outbox-repo';
import { TicketsRepo } from '../../electron/services/tickets/tickets-repo';
import { freshDataDir } from '../support/host-process';
import { storedTicket } from '../support/stored-ticket';

const TICKETS = 400;
const UNSENT = 40;
const DESK_ID = 'desk-7f1c2b';
const summary: Array<{ damage: string; created: number; recovered: number; lost: number; reported: string }> = [];

/** A desk database with TICKETS tickets (the last UNSENT still in the outbox), two drafts and a desk id, fully checkpointed. */
function seed(path: string, tickets = TICKETS): void {
  const opened = openDatabase({ path, migrations: MIGRATIONS });
  if (!opened.ok) throw new Error(opened.error.message);
  const db = opened.value.db;
  const repo = new TicketsRepo(db);
  const outbox = new OutboxRepo(db);
  db.transaction(() => {
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('desk.id', ?, '2026-12-01T00:00:00Z')").run(JSON.stringify(DESK_ID));
    for (let i = 0; i < tickets; i++) {
      const submitted = new Date(Date.UTC(2026, 11, 1, 1, 0, i));
      const t = storedTicket(submitted, 120, {
        provisionalNumber: `临20261201-${String(i + 1).padStart(4, '0')}`,
        operatorId: 'op1',
        operatorName: '王丽',
        disposition: '派分中心',
        status: '已派单',
        deadlines: [],
        leafCode: null,
        streetCode: null,
        districtCode: null,
        content: `第 ${i + 1} 张工单：小区门口路灯不亮，已持续三天，居民夜间出行不便，请尽快修复。`.repeat(3),
      });
      repo.insert(t);
      repo.addEvent(t.id, { kind: '受理', at: t.submittedAt, actor: '王丽', note: '' });
      if (i >= tickets - UNSENT) outbox.enqueue(t.id, 'ticket.create', { id: t.id }, t.submittedAt);
    }
    db.prepare("INSERT INTO drafts (slot, draft_id, draft, saved_at) VALUES ('main', 'd1', '{\"content\":\"草稿一\"}', '2026-12-01T02:00:00Z'), ('side', 'd2', '{}', '2026-12-01T02:00:00Z')").run();
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

let template: string;
beforeAll(() => {
  template = join(freshDataDir(), 'template.sqlite');
  seed(template);
});

function open(path: string): OpenedDatabase {
  const opened = openDatabase({ path, migrations: MIGRATIONS });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

function record(damage: string, created: number, opened: OpenedDatabase) {
  const recovered = count(opened.db, 'SELECT count(*) AS n FROM tickets');
  const notice = databaseNotice(opened);
  summary.push({ damage, created, recovered, lost: created - recovered, reported: notice.message });
  return { recovered, notice };
}

/** A copy of the template in a fresh data folder, damaged by `harm`. */
function damaged(harm: (path: string) => void): { path: string; before: Buffer } {
  const path = join(freshDataDir(), 'desk.sqlite');
  copyFileSync(template, path);
  harm(path);
  return { path, before: readFileSync(path) };
}

afterAll(() => {
  console.log('\n损坏类型                 建单  找回  丢失');
  for (const s of summary) console.log(`${s.damage.padEnd(24)} ${String(s.created).padStart(4)}  ${String(s.recovered).padStart(4)}  ${String(s.lost).padStart(4)}   ${s.reported}`);
});

describe('a damaged desk database', () => {
  it('truncated file: the rows on the pages that remain come back, the rest are counted as lost', () => {
    const { path, before } = damaged((p) => writeFileSync(p, readFileSync(p).subarray(0, Math.floor(readFileSync(p).length * 0.6))));
    const opened = open(path);
    const { recovered, notice } = record('截断（只剩 60%）', TICKETS, opened);
    expect(opened.movedAsideTo).not.toBeNull();
    expect(readFileSync(opened.movedAsideTo!).equals(before)).toBe(true);
    expect(recovered).toBeGreaterThan(0);
    expect(recovered).toBeLessThan(TICKETS);
    expect(notice.ok).toBe(false);
    expect(notice.message).toContain(`已找回工单 ${recovered} 张`);
    expect(notice.message).toContain(`${TICKETS - recovered} 张工单无法读取`);
    opened.db.close();
  });

  it('zero-length file: moved aside and said so, never silently replaced', () => {
    const { path } = damaged((p) => writeFileSync(p, ''));
    const opened = open(path);
    record('零字节文件', TICKETS, opened);
    expect(opened.movedAsideTo).not.toBeNull();
    expect(existsSync(opened.movedAsideTo!)).toBe(true);
    expect(opened.movedAsideBecause).toBe('empty');
    expect(databaseNotice(opened)).toEqual({ ok: false, message: expect.stringContaining('原数据库文件为空（0 字节）') });
    opened.db.close();
  });

  it('garbage header: nothing can be read, the file is kept and the notice says so', () => {
    const { path, before } = damaged((p) => {
      const bytes = readFileSync(p);
      bytes.fill(0x5a, 0, 100);
      writeFileSync(p, bytes);
    });
    const opened = open(path);
    const { recovered, notice } = record('文件头被覆盖', TICKETS, opened);
    expect(readFileSync(opened.movedAsideTo!).equals(before)).toBe(true);
    expect(recovered).toBe(0);
    expect(notice.message).toContain('原文件无法读取，未能找回工单');
    opened.db.close();
  });

  it('one damaged page in the middle of the tickets: only the rows on that page are lost; unsent tickets, drafts and the desk id come back', () => {
    const { path } = damaged((p) => {
      const probe = new Database(p, { readonly: true });
      const pageSize = probe.pragma('page_size', { simple: true }) as number;
      const pages = (probe.prepare("SELECT pageno FROM dbstat WHERE name = 'tickets' AND pagetype = 'leaf' ORDER BY pageno").all() as Array<{ pageno: number }>).map((r) => r.pageno);
      probe.close();
      const victim = pages[Math.floor(pages.length / 2)]!;
      const bytes = readFileSync(p);
      for (let i = (victim - 1) * pageSize; i < victim * pageSize; i++) bytes[i] = (i * 7919) & 0xff;
      writeFileSync(p, bytes);
    });
    const opened = open(path);
    const { recovered, notice } = record('中间一页损坏', TICKETS, opened);
    expect(opened.movedAsideTo).not.toBeNull();
    expect(recovered).toBeGreaterThan(TICKETS * 0.9);
    expect(recovered).toBeLessThan(TICKETS);
    expect(opened.recovery!.deskIdRecovered).toBe(true);
    expect(opened.db.prepare("SELECT value FROM settings WHERE key = 'desk.id'").get()).toEqual({ value: JSON.stringify(DESK_ID) });
    expect(count(opened.db, 'SELECT count(*) AS n FROM drafts')).toBe(2);
    expect(count(opened.db, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')).toBe(UNSENT);
    expect(count(opened.db, 'SELECT count(*) AS n FROM ticket_events')).toBeGreaterThanOrEqual(recovered);
    expect(notice.message).toContain(`已找回工单 ${recovered} 张（其中待同步 ${UNSENT} 张）、草稿 2 份，坐席编号不变`);
    expect(notice.message).toContain(`${TICKETS - recovered} 张工单无法读取`);
    // Nothing doubled, and the new file is sound.
    expect(count(opened.db, 'SELECT count(DISTINCT id) AS n FROM tickets')).toBe(recovered);
    expect(opened.db.pragma('quick_check', { simple: true })).toBe('ok');
    opened.db.close();
  });

  /** The template plus `extra` tickets written after its last checkpoint, left in the WAL (as after a kill -9). */
  function withWal(extra: number): string {
    const path = join(freshDataDir(), 'desk.sqlite');
    copyFileSync(template, path);
    const db = new Database(path);
    db.pragma('wal_autocheckpoint = 0');
    const repo = new TicketsRepo(db);
    for (let i = 0; i < extra; i++) {
      repo.insert(storedTicket(new Date(Date.UTC(2026, 11, 2, 1, 0, i)), 60, { provisionalNumber: `临20261202-${i}`, operatorId: 'op1', operatorName: '王丽', disposition: '直派', status: '已派单', deadlines: [], leafCode: null, streetCode: null, districtCode: null }));
    }
    // Copy the files while the connection is open: closing would checkpoint the WAL into the file.
    const copy = join(freshDataDir(), 'desk.sqlite');
    copyFileSync(path, copy);
    copyFileSync(`${path}-wal`, `${copy}-wal`);
    db.close();
    return copy;
  }

  it('a WAL left by a kill -9 is applied as usual (the baseline for the two below)', () => {
    const path = withWal(10);
    const opened = open(path);
    record('崩溃后完好的预写日志', TICKETS + 10, opened);
    expect(opened.movedAsideTo).toBeNull();
    expect(opened.walSetAsideTo).toBeNull();
    expect(count(opened.db, 'SELECT count(*) AS n FROM tickets')).toBe(TICKETS + 10);
    expect(databaseNotice(opened)).toEqual({ ok: true, message: '正常' });
    opened.db.close();
  });

  it('garbage WAL: set aside, not silently dropped; the sound file is kept with all it holds', () => {
    const path = withWal(10);
    const wal = readFileSync(`${path}-wal`);
    wal.fill(0x00, 0, 32);
    writeFileSync(`${path}-wal`, wal);
    const opened = open(path);
    const { recovered, notice } = record('预写日志被覆盖', TICKETS + 10, opened);
    expect(opened.movedAsideTo).toBeNull();
    expect(opened.walSetAsideTo).not.toBeNull();
    expect(readFileSync(opened.walSetAsideTo!).equals(wal)).toBe(true);
    expect(recovered).toBe(TICKETS);
    expect(notice.message).toContain('预写日志文件已损坏或不属于本数据库');
    opened.db.close();
  });

  it('WAL of another database: set aside, the sound file kept', () => {
    const path = join(freshDataDir(), 'desk.sqlite');
    copyFileSync(template, path);
    const otherPath = join(freshDataDir(), 'other.sqlite');
    const other = new Database(otherPath);
    other.pragma('journal_mode = WAL');
    other.pragma('wal_autocheckpoint = 0');
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('别的数据库')");
    copyFileSync(`${otherPath}-wal`, `${path}-wal`);
    other.close();
    const opened = open(path);
    const { recovered } = record('别的数据库的预写日志', TICKETS, opened);
    expect(opened.walSetAsideTo).not.toBeNull();
    expect(recovered).toBe(TICKETS);
    expect(opened.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'notes'").get()).toEqual({ n: 0 });
    opened.db.close();
  });
});
