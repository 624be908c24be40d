/**
 * The only writer of `operator_sessions` (migration 4): who signed in on this desk (签到) and when
 * they signed out (签退). One seat, one operator: signing in closes the session still open, in the
 * same transaction, and the schema refuses a second open session.
 */
import type { DeskRole } from '../../../shared/roles';
import type { Db } from '../store/database';

export type OperatorRole = DeskRole;

export interface OperatorSession {
  id: number;
  operatorId: string;
  operatorName: string;
  role: OperatorRole;
  signedInAt: string;
  signedOutAt: string | null;
}

interface SessionRow {
  id: number;
  operator_id: string;
  operator_name: string;
  role: OperatorRole;
  signed_in_at: string;
  signed_out_at: string | null;
}

const toSession = (r: SessionRow): OperatorSession => ({
  id: r.id,
  operatorId: r.operator_id,
  operatorName: r.operator_name,
  role: r.role,
  signedInAt: r.signed_in_at,
  signedOutAt: r.signed_out_at,
});

export const SESSION_QUERIES = {
  /** Sessions that overlap [start, end): begun before the end, and ended after the start (or still open). */
  overlapping: `SELECT * FROM operator_sessions
                 WHERE signed_in_at < @end AND (signed_out_at IS NULL OR signed_out_at > @start)
                 ORDER BY signed_in_at, id`,
} as const;

export class SessionsRepo {
  private readonly openStmt;
  private readonly closeStmt;
  private readonly insertStmt;
  private readonly overlappingStmt;
  private readonly sinceStmt;

  constructor(private readonly db: Db) {
    this.openStmt = db.prepare<[], SessionRow>('SELECT * FROM operator_sessions WHERE signed_out_at IS NULL ORDER BY id DESC LIMIT 1');
    this.closeStmt = db.prepare<[string]>(
      // A clock set back must not make a session end before it began.
      'UPDATE operator_sessions SET signed_out_at = max(signed_in_at, ?) WHERE signed_out_at IS NULL',
    );
    this.insertStmt = db.prepare<[string, string, string, string]>(
      'INSERT INTO operator_sessions (operator_id, operator_name, role, signed_in_at) VALUES (?, ?, ?, ?)',
    );
    this.overlappingStmt = db.prepare<{ start: string; end: string }, SessionRow>(SESSION_QUERIES.overlapping);
    this.sinceStmt = db.prepare<[string], { operator_id: string; operator_name: string }>(
      `SELECT operator_id, operator_name FROM operator_sessions WHERE signed_in_at >= ? ORDER BY signed_in_at`,
    );
  }

  current(): OperatorSession | null {
    const row = this.openStmt.get();
    return row ? toSession(row) : null;
  }

  /** Closes the open session (if any) and opens one for this operator, in one transaction. */
  signIn(operator: { id: string; name: string; role: OperatorRole }, at: string): OperatorSession {
    return this.db.transaction(() => {
      this.closeStmt.run(at);
      const { lastInsertRowid } = this.insertStmt.run(operator.id, operator.name, operator.role, at);
      return { id: Number(lastInsertRowid), operatorId: operator.id, operatorName: operator.name, role: operator.role, signedInAt: at, signedOutAt: null };
    })();
  }

  /** Closes the open session; the session as closed, or null when nobody was signed in. */
  signOut(at: string): OperatorSession | null {
    return this.db.transaction(() => {
      const open = this.openStmt.get();
      if (!open) return null;
      this.closeStmt.run(at);
      return toSession({ ...open, signed_out_at: open.signed_in_at > at ? open.signed_in_at : at });
    })();
  }

  overlapping(start: string, end: string): OperatorSession[] {
    return this.overlappingStmt.all({ start, end }).map(toSession);
  }

  /** Operators who signed in since an instant, with the name they last used. */
  operatorsSince(at: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const row of this.sinceStmt.all(at)) out.set(row.operator_id, row.operator_name);
    return out;
  }
}
