/**
 * The only writer of `outbox`: what this desk must still tell the hub, oldest first. Rows are
 * written in the same transaction as the ticket they are about (the transactional outbox); the sync
 * client drains them in `seq` order with the ticket id as the idempotency key and sets `sent_at`
 * when the hub has accepted one.
 */
import type { Db } from '../store/database';

/**
 * ticket.create: a new ticket (payload in outbox-payload.ts); ticket.urge: a 催办 recorded offline
 * (UrgePayloadSchema); ticket.callback: a 回访 recorded offline (CallbackPayloadSchema).
 */
export type OutboxKind = 'ticket.create' | 'ticket.urge' | 'ticket.callback';

export const OUTBOX_QUERIES = {
  pendingCount: 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL',
  /** Oldest first; a row the hub refused for what it says (not for being unreachable) waits for a person. */
  nextBatch: "SELECT * FROM outbox WHERE sent_at IS NULL AND (last_error IS NULL OR last_error NOT LIKE 'refused:%') ORDER BY seq LIMIT ?",
  refusedCount: "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND last_error LIKE 'refused:%'",
  pendingAmong: 'SELECT DISTINCT ticket_id FROM outbox WHERE sent_at IS NULL AND ticket_id IN (SELECT value FROM json_each(?))',
} as const;

export interface OutboxRow {
  seq: number;
  ticketId: string;
  kind: OutboxKind;
  payload: unknown;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

interface RawRow {
  seq: number;
  ticket_id: string;
  kind: OutboxKind;
  payload: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
}

function toRow(r: RawRow): OutboxRow {
  return {
    seq: r.seq,
    ticketId: r.ticket_id,
    kind: r.kind,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: r.created_at,
    attempts: r.attempts,
    lastError: r.last_error,
    sentAt: r.sent_at,
  };
}

export class OutboxRepo {
  private readonly insertStmt;
  private readonly countStmt;
  private readonly amongStmt;
  private readonly forTicketStmt;
  private readonly nextBatchStmt;
  private readonly refusedStmt;
  private readonly sentStmt;
  private readonly failedStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string]>(
      'INSERT INTO outbox (ticket_id, kind, payload, created_at) VALUES (?, ?, ?, ?)',
    );
    this.countStmt = db.prepare<[], { n: number }>(OUTBOX_QUERIES.pendingCount);
    this.amongStmt = db.prepare<[string], { ticket_id: string }>(OUTBOX_QUERIES.pendingAmong);
    this.forTicketStmt = db.prepare<[string], RawRow>('SELECT * FROM outbox WHERE ticket_id = ? ORDER BY seq');
    this.nextBatchStmt = db.prepare<[number], RawRow>(OUTBOX_QUERIES.nextBatch);
    this.refusedStmt = db.prepare<[], { n: number }>(OUTBOX_QUERIES.refusedCount);
    this.sentStmt = db.prepare<[string, number]>('UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE seq = ? AND sent_at IS NULL');
    this.failedStmt = db.prepare<[string, number]>('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ? AND sent_at IS NULL');
  }

  /** The next rows to send, oldest first, skipping those the hub refused. */
  nextBatch(limit: number): OutboxRow[] {
    return this.nextBatchStmt.all(limit).map(toRow);
  }

  /** Rows the hub refused for their content: they stay (nothing is lost) until someone looks. */
  refusedCount(): number {
    return this.refusedStmt.get()?.n ?? 0;
  }

  /** Call inside the transaction that applies what the hub answered for these rows. */
  markSent(seq: number, at: string): void {
    this.sentStmt.run(at, seq);
  }

  /**
   * Records a failed attempt. `refused` (the hub said no to this row's content) takes it out of the
   * drain; anything else (unreachable, timed out, hub error) leaves it to be retried.
   */
  markFailed(seq: number, message: string, refused: boolean): void {
    this.failedStmt.run(`${refused ? 'refused' : 'retry'}: ${message}`.slice(0, 500), seq);
  }

  /** Call inside the transaction that writes what the row is about. */
  enqueue(ticketId: string, kind: OutboxKind, payload: unknown, createdAt: string): void {
    this.insertStmt.run(ticketId, kind, JSON.stringify(payload), createdAt);
  }

  /** Rows the hub has not accepted yet: the status bar's 待同步 count. */
  pendingCount(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  /** Which of these tickets still wait in the outbox. */
  pendingAmong(ticketIds: readonly string[]): Set<string> {
    if (ticketIds.length === 0) return new Set();
    return new Set(this.amongStmt.all(JSON.stringify(ticketIds)).map((r) => r.ticket_id));
  }

  forTicket(ticketId: string): OutboxRow[] {
    return this.forTicketStmt.all(ticketId).map(toRow);
  }
}
