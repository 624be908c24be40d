/**
 * The only writer of `drafts`: the intake form as it was last saved, one slot per form (the desk has
 * one, 'current'). The draft's id is kept in its own column so a submit can remove its own draft,
 * and discard can check the id, even when the stored JSON is damaged.
 */
import type { Db } from '../store/database';

export const CURRENT_DRAFT_SLOT = 'current';

export interface StoredDraft {
  draftId: string;
  /** The JSON text as saved; the caller parses and checks it. */
  json: string;
  savedAt: string;
}

export class DraftsRepo {
  private readonly putStmt;
  private readonly getStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.putStmt = db.prepare<[string, string, string, string]>(
      `INSERT INTO drafts (slot, draft_id, draft, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(slot) DO UPDATE SET draft_id = excluded.draft_id, draft = excluded.draft, saved_at = excluded.saved_at`,
    );
    this.getStmt = db.prepare<[string], { draft_id: string; draft: string; saved_at: string }>('SELECT draft_id, draft, saved_at FROM drafts WHERE slot = ?');
    this.deleteStmt = db.prepare<[string, string]>('DELETE FROM drafts WHERE slot = ? AND draft_id = ?');
  }

  save(slot: string, draftId: string, draft: unknown, savedAt: string): void {
    this.putStmt.run(slot, draftId, JSON.stringify(draft), savedAt);
  }

  get(slot: string): StoredDraft | null {
    const row = this.getStmt.get(slot);
    return row ? { draftId: row.draft_id, json: row.draft, savedAt: row.saved_at } : null;
  }

  /** Removes the slot's draft only if it is this draft; true when one was removed. */
  deleteIf(slot: string, draftId: string): boolean {
    return this.deleteStmt.run(slot, draftId).changes > 0;
  }
}
