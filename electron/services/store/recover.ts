/**
 * Reading what can still be read out of a damaged desk database that openDatabase (database.ts)
 * moved aside, into the fresh one: the tickets, their events, the outbox (unsent tickets), the drafts
 * and the settings (the desk id among them). Like the migrations this writes tables below the
 * repositories, once, at start-up, before any repository exists.
 *
 * The file moved aside is never written: each read works on a copy in a temporary folder, once with
 * its WAL and once without it (a garbage or foreign WAL must not hide what the file itself holds).
 * A table is read front to back; when a damaged page stops the scan, the rest is read row by row by
 * rowid, so one bad page costs only the rows on it. Rows already present (by key) are not doubled.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from './database';

export const RECOVERED_TABLES = ['settings', 'tickets', 'ticket_events', 'outbox', 'drafts'] as const;
export type RecoveredTable = (typeof RECOVERED_TABLES)[number];
const KEY: Record<RecoveredTable, string> = { settings: 'key', tickets: 'id', ticket_events: 'id', outbox: 'seq', drafts: 'slot' };
/** How far past the last rowid seen a row-by-row read looks when the table's own end cannot be read. */
const PROBE_MARGIN = 5000;

export interface RecoveryReport {
  /** Whether any part of the old file could be opened as a database at all. */
  readable: boolean;
  /** Rows copied into the new database, per table. */
  recovered: Record<RecoveredTable, number>;
  /** Rows known to have been there and not recovered; null when that cannot be known. */
  lost: Record<RecoveredTable, number | null>;
  /** Recovered tickets not yet accepted by the hub (an unsent outbox row). */
  unsentTickets: number;
  deskIdRecovered: boolean;
}

type Row = Record<string, unknown>;

interface TableRead {
  rows: Map<string, Row>;
  /** The highest rowid known to exist (from the table's end or the rows read); null when unknown. */
  maxRowid: number | null;
  /** How many rows the table had, as far as it (or one of its indexes) can still say; null when unknown. */
  counted: number | null;
}

function readTable(db: Db, table: RecoveredTable): TableRead | null {
  const key = KEY[table];
  const rows = new Map<string, Row>();
  let lastRowid = 0;
  let maxRowid: number | null = null;
  try {
    maxRowid = Number((db.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0);
  } catch {
    maxRowid = null;
  }
  let counted: number | null = null;
  try {
    // SQLite counts from the smallest index: it often still knows how many rows a damaged table had.
    counted = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } catch {
    counted = null;
  }
  let complete = false;
  try {
    for (const row of db.prepare(`SELECT rowid AS __rowid, * FROM ${table} ORDER BY rowid`).iterate() as Iterable<Row>) {
      lastRowid = Number(row.__rowid);
      delete row.__rowid;
      rows.set(String(row[key]), row);
    }
    complete = true;
  } catch (error) {
    if (rows.size === 0 && /no such table/i.test(String(error))) return null;
  }
  if (!complete) {
    const probe = db.prepare(`SELECT * FROM ${table} WHERE rowid = ?`);
    const end = Math.max(maxRowid ?? 0, lastRowid + PROBE_MARGIN);
    for (let rowid = lastRowid + 1; rowid <= end; rowid++) {
      try {
        const row = probe.get(rowid) as Row | undefined;
        if (row) {
          rows.set(String(row[key]), row);
          lastRowid = rowid;
        }
      } catch {
        // A row on a damaged page: lost.
      }
    }
  }
  return { rows, maxRowid: maxRowid ?? (rows.size > 0 ? lastRowid : null), counted };
}

/**
 * A truncated file still says in its header how many pages it had, and SQLite then reads the missing
 * ones as damage before it reaches any table: the copy's header is made to say what is really there.
 */
function fitHeaderToLength(copy: string): void {
  const bytes = readFileSync(copy);
  if (bytes.length < 100 || bytes.toString('latin1', 0, 15) !== 'SQLite format 3') return;
  const field = bytes.readUInt16BE(16);
  const pageSize = field === 1 ? 65536 : field;
  if (pageSize < 512) return;
  const pages = Math.floor(bytes.length / pageSize);
  if (pages === 0 || pages * pageSize === bytes.length && bytes.readUInt32BE(28) <= pages) return;
  const fitted = Buffer.from(bytes.subarray(0, pages * pageSize));
  fitted.writeUInt32BE(Math.min(pages, bytes.readUInt32BE(28) || pages), 28);
  writeFileSync(copy, fitted);
}

/** Reads one copy of the old file; null when it cannot be opened as a database at all. */
function readCopy(source: string, withWal: boolean, scratch: string, name: string): Map<RecoveredTable, TableRead | null> | null {
  const copy = join(scratch, name);
  try {
    copyFileSync(source, copy);
    fitHeaderToLength(copy);
    if (withWal) {
      if (!existsSync(`${source}-wal`)) return null;
      copyFileSync(`${source}-wal`, `${copy}-wal`);
    }
  } catch {
    return null;
  }
  let db: Db | null = null;
  try {
    db = new Database(copy, { fileMustExist: true });
    const reads = new Map<RecoveredTable, TableRead | null>();
    for (const table of RECOVERED_TABLES) reads.set(table, readTable(db, table));
    return [...reads.values()].some((r) => r !== null) ? reads : null;
  } catch {
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      // Closing a damaged file may fail too; the copy is removed with the scratch folder.
    }
  }
}

function columnsOf(db: Db, table: string): Set<string> {
  return new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => c.name));
}

/** Copies what can be read from `damagedPath` (left untouched) into `db`, which has the latest schema. */
export function recoverInto(db: Db, damagedPath: string): RecoveryReport {
  const recovered = Object.fromEntries(RECOVERED_TABLES.map((t) => [t, 0])) as Record<RecoveredTable, number>;
  const lost = Object.fromEntries(RECOVERED_TABLES.map((t) => [t, null])) as Record<RecoveredTable, number | null>;
  const scratch = mkdtempSync(join(tmpdir(), 'hotline-recover-'));
  try {
    const reads = [readCopy(damagedPath, true, scratch, 'with-wal.sqlite'), readCopy(damagedPath, false, scratch, 'alone.sqlite')].filter(
      (r): r is Map<RecoveredTable, TableRead | null> => r !== null,
    );
    if (reads.length === 0) return { readable: false, recovered, lost, unsentTickets: 0, deskIdRecovered: false };

    const restored = new Map<RecoveredTable, Set<string>>();
    db.transaction(() => {
      for (const table of RECOVERED_TABLES) {
        const merged = new Map<string, Row>();
        let known: number | null = null;
        for (const read of reads) {
          const t = read.get(table);
          if (!t) continue;
          for (const [k, row] of t.rows) if (!merged.has(k)) merged.set(k, row);
          for (const n of [t.maxRowid, t.counted]) if (n !== null) known = Math.max(known ?? 0, n);
        }
        const target = columnsOf(db, table);
        const keys = new Set<string>();
        let failed = 0;
        for (const [k, row] of merged) {
          const columns = Object.keys(row).filter((c) => target.has(c));
          try {
            db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => row[c]));
            keys.add(k);
          } catch {
            failed++; // a row whose content no longer fits (damaged text, or its ticket was lost)
          }
        }
        restored.set(table, keys);
        recovered[table] = keys.size;
        if (table === 'ticket_events' || table === 'outbox') {
          // Events and outbox rows of a ticket that did not come back: that ticket was there.
          const tickets = restored.get('tickets')!;
          const missing = new Set([...merged.values()].map((row) => String(row.ticket_id)).filter((id) => !tickets.has(id)));
          if (missing.size > 0) lost.tickets = Math.max(lost.tickets ?? 0, missing.size);
        }
        // Row ids are handed out in order and tickets are never deleted: the gap up to the highest is what was lost.
        lost[table] = known === null ? (failed > 0 ? failed : null) : Math.max(failed, known - keys.size);
      }
    })();
    const unsentTickets = (db.prepare(`SELECT count(DISTINCT ticket_id) AS n FROM outbox WHERE sent_at IS NULL`).get() as { n: number }).n;
    return { readable: true, recovered, lost, unsentTickets, deskIdRecovered: restored.get('settings')?.has('desk.id') ?? false };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
