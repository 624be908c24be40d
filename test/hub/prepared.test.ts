/**
 * The statements the hub runs on nearly every request (server/db.ts Statement: a desk's pull, the
 * session check, a push's steps) are prepared once per pooled connection on PostgreSQL. What a user
 * would notice if that went wrong: a desk whose pulls or pushes fail once another hub process has
 * migrated the shared database under the running one (a rolling upgrade), or a prepared plan that
 * answered with stale columns. On both drivers: pushes and pulls give the same answers before and
 * after columns are added to every table those statements read.
 */
import { describe, expect, it } from 'vitest';
import { statement } from '../../server/db';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, pushedTicket, startTestHub, type TestHub } from './support';

describe('named statements', () => {
  it('refuse one name for two texts, and take the same text twice', () => {
    expect(statement('prepared_test_a', 'SELECT 1')).toEqual({ name: 'prepared_test_a', text: 'SELECT 1' });
    expect(statement('prepared_test_a', 'SELECT 1').text).toBe('SELECT 1');
    expect(() => statement('prepared_test_a', 'SELECT 2')).toThrow(/prepared_test_a/);
  });
});

describe.each(DRIVERS)('the hub’s prepared statements on %s', (driver) => {
  let t: TestHub;
  setupOnce(
    async () => {
      t = await startTestHub(driver);
    },
    async () => {
      await t?.close();
    },
  );

  /** Pushes one ticket from the desk, has U-A accept it, and pulls until the desk has the accept. */
  async function pushAcceptPull(deskId: string, since: number): Promise<{ number: string; cursor: number; kinds: string[] }> {
    const desk = await t.as('taker');
    const ticket = pushedTicket({ deskId });
    const [pushed] = expectOk(await desk.call('tickets.push', { tickets: [ticket] })).results;
    expect(pushed!.outcome).toBe('created');
    expectOk(await (await t.as('op_a')).call('ticket.accept', { ticketId: ticket.id }));
    // Enough pulls at once that every pooled connection runs (and prepares) the pull.
    const pulls = await Promise.all(Array.from({ length: 24 }, () => desk.call('tickets.pull', { since, deskId, limit: 500 })));
    const pages = pulls.map((p) => expectOk(p));
    for (const page of pages) expect(page).toEqual(pages[0]);
    const mine = pages[0]!.events.filter((e) => e.ticketId === ticket.id);
    return { number: pushed!.number, cursor: pages[0]!.cursor, kinds: mine.map((e) => e.kind) };
  }

  it('answer pushes and pulls the same before and after another hub adds columns to the tables they read', async () => {
    const before = await pushAcceptPull('desk-prepared', 0);
    expect(before.kinds).toContain('接单');

    if (t.driver === 'postgres') {
      // The pull is prepared on the connection that ran it (checked on one connection: a transaction's).
      const names = await t.db.transaction(async (tx) => {
        await tx.query(statement('prepared_test_probe', 'SELECT 1 AS one'));
        return (await tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).map((r) => r.name);
      });
      expect(names).toContain('prepared_test_probe');
    }

    // What a newer hub's migration might do while this hub keeps running.
    for (const table of ['tickets', 'ticket_events', 'sessions', 'users', 'desk_bindings', 'day_counters']) {
      await t.db.query(`ALTER TABLE ${table} ADD COLUMN later_hub_note text DEFAULT 'x'`);
    }

    const after = await pushAcceptPull('desk-prepared', before.cursor);
    expect(after.kinds).toContain('接单');
    expect(after.cursor).toBeGreaterThan(before.cursor);
    // Numbered on, one after the other: the counter statement read the row as it is now.
    expect(Number(after.number.slice(-6))).toBe(Number(before.number.slice(-6)) + 1);
    expect(after.number.slice(0, -6)).toBe(before.number.slice(0, -6));
  });
});
