/** The only writer of the `settings` table: small JSON values by key (operator, window bounds, hub URL). */
import type { Db } from './database';

export class SettingsRepo {
  private readonly getStmt;
  private readonly putStmt;

  constructor(db: Db, private readonly now: () => Date = () => new Date()) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.putStmt = db.prepare<[string, string, string]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get<T>(key: string, fallback: T): T {
    const row = this.getStmt.get(key);
    if (!row) return fallback;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return fallback;
    }
  }

  set(key: string, value: unknown): void {
    this.putStmt.run(key, JSON.stringify(value), this.now().toISOString());
  }
}
