/**
 * What the shift log reads from `tickets` and `ticket_events` (it writes nothing). The rows come
 * back in the shape shared/stats reads (StatTicket): codes and instants only, with the earliest open
 * deadline worked out by SQLite from the deadlines JSON, so 50,000 tickets never pass through
 * JSON.parse. The SQL of the hot reads is exported so the tests can check their query plans.
 */
import type { TicketDeadline } from '../../../shared/api/contract';
import { DISPOSITIONS, TICKET_STATUSES, type Disposition, type TicketStatus } from '../../../shared/domain/ticket';
import { earliestOpenDue, satisfactionIn, type Satisfaction, type StatTicket } from '../../../shared/stats/shift-report';
import type { Db } from '../store/database';
import { SHIFT_LOG_LADDER_SLOTS, SHIFT_LOG_OPEN_DUE } from '../store/migrations';

/** Epoch milliseconds of a Julian day (julianday reads Z and ±HH:MM offsets alike). */
const msOfJulian = (jd: number) => Math.round((jd - 2440587.5) * 86_400_000);
/** What SHIFT_LOG_OPEN_DUE says when every deadline is met. */
const NONE_OPEN = 9e9;

/** A text column as its position in a domain list (a number costs far less to hand over than Chinese text). */
const asIndex = (column: string, values: readonly string[]) => `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;

/** Disposition and status travel as one number: disposition × KIND_BASE + status (one cell less per row). */
const KIND_BASE = 16;

const SCOPE = `t.shift_date BETWEEN @from AND @to
                   AND (@shiftCode IS NULL OR t.shift_code = @shiftCode)
                   AND (@operators = '[]' OR t.operator_id IN (SELECT value FROM json_each(@operators)))`;
/** The same scope when every operator is wanted: no operator test on each of 50,000 index entries. */
const EVERYONE = SCOPE.slice(0, SCOPE.lastIndexOf('AND (@operators'));

export const LEAD_QUERIES = {
  /**
   * One scope's tickets, read from the tickets_shift_log index alone (migration 4), in two steps:
   * first its groups — shift date, shift, operator and name, the index's leading columns, in index
   * order — with the longest ladder of each; then each group's rows (statRows): the instants as
   * Julian days and the earliest open deadline exactly as the index computed them.
   */
  statTickets: `SELECT t.shift_date, t.shift_code, t.operator_id, t.operator_name, max(json_array_length(t.deadlines))
                  FROM tickets t
                 WHERE ${SCOPE}
                 GROUP BY t.shift_date, t.shift_code, t.operator_id, t.operator_name`,
  /**
   * The tickets of one group of statTickets, by an equality seek on the index's first four columns:
   * the group's text columns are handed over once per group, not once per ticket.
   */
  statRows: `SELECT t.rowid, julianday(t.submitted_at), julianday(t.call_started_at),
                    t.leaf_code, t.street_code, ${asIndex('t.disposition', DISPOSITIONS)} * ${KIND_BASE} + ${asIndex('t.status', TICKET_STATUSES)}, ${SHIFT_LOG_OPEN_DUE}
               FROM tickets t
              WHERE t.shift_date = ? AND t.shift_code = ? AND t.operator_id = ? AND t.operator_name = ?`,
  /** Each operator's names in the scope (nearly always one each); statTickets reads them off its groups. */
  operatorNames: `SELECT DISTINCT t.operator_id, t.operator_name FROM tickets t WHERE ${SCOPE}`,
  /** The name an operator last used in the scope, when there were several. */
  latestName: `SELECT t.operator_name FROM tickets t WHERE ${SCOPE} AND t.operator_id = @operatorId ORDER BY julianday(t.submitted_at) DESC LIMIT 1`,
  /** Tickets per shift date (the trend's days before the scope). */
  dayCounts: `SELECT t.shift_date AS date, count(*) AS count FROM tickets t WHERE ${SCOPE} GROUP BY t.shift_date`,
  /** A ladder longer than the index looks at, read from the row itself (none with the default policy). */
  longLadders: `SELECT t.rowid AS row, t.deadlines FROM tickets t WHERE ${SCOPE} AND json_array_length(t.deadlines) > ${SHIFT_LOG_LADDER_SLOTS}`,
  /** Callbacks (回访) recorded since an instant, by the ticket's row, oldest first (the last one of a ticket wins). */
  callbacks: `SELECT t.rowid, e.note FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
               WHERE e.kind = '回访' AND e.at >= @since ORDER BY e.at, e.id`,
  /** The baseline of the bench: a bare count by shift over the same dates. */
  countByShift: `SELECT shift_code, count(*) AS n FROM tickets WHERE shift_date BETWEEN @from AND @to GROUP BY shift_code`,
} as const;

/** statTickets when every operator is wanted (the usual case). */
const STAT_EVERYONE = LEAD_QUERIES.statTickets.replace(SCOPE, EVERYONE);

/** A ticket as the drill-down table and the export show it. */
export interface DrillSource {
  id: string;
  number: string;
  submittedAt: string;
  callStartedAt: string;
  shiftDate: string;
  shiftCode: string;
  operatorId: string;
  operatorName: string;
  callerName: string;
  callerPhone: string;
  callbackPhone: string;
  requestType: string;
  leafCode: string | null;
  districtCode: string | null;
  streetCode: string | null;
  villageCode: string | null;
  addressText: string;
  content: string;
  disposition: Disposition;
  unitCode: string | null;
  status: TicketStatus;
  deadlines: TicketDeadline[];
  callbackNote: string | null;
}

type StatGroup = [string, string, string, string, number | null];
type StatRow = [number, number, number, string | null, string | null, number, number | null];

interface DrillRowDb {
  id: string;
  number: string;
  submitted_at: string;
  call_started_at: string;
  shift_date: string;
  shift_code: string;
  operator_id: string;
  operator_name: string;
  caller_name: string;
  caller_phone: string;
  callback_phone: string;
  request_type: string;
  leaf_code: string | null;
  district_code: string | null;
  street_code: string | null;
  village_code: string | null;
  address_text: string;
  content: string;
  disposition: Disposition;
  unit_code: string | null;
  status: TicketStatus;
  deadlines: string;
  callback_note: string | null;
}

export interface StatQuery {
  from: string;
  to: string;
  shiftCode: string | null;
  operatorIds: readonly string[];
}

type ScopeParams = { from: string; to: string; shiftCode: string | null; operators: string };
const params = (q: StatQuery): ScopeParams => ({ from: q.from, to: q.to, shiftCode: q.shiftCode, operators: JSON.stringify(q.operatorIds) });

export class LeadRepo {
  private readonly groupsStmt;
  private readonly groupsEveryoneStmt;
  private readonly rowsStmt;
  private readonly latestNameStmt;
  private readonly dayCountsStmt;
  private readonly longLaddersStmt;
  private readonly callbacksStmt;
  private readonly drillStmt;
  private readonly countStmt;
  private readonly operatorsStmt;
  private readonly latestShiftStmt;
  private readonly hasShiftStmt;

  constructor(db: Db) {
    // Arrays, not objects: 50,000 rows a report, every allocation counts.
    this.groupsStmt = db.prepare<ScopeParams, StatGroup>(LEAD_QUERIES.statTickets).raw(true);
    this.groupsEveryoneStmt = db.prepare<Omit<ScopeParams, 'operators'>, StatGroup>(STAT_EVERYONE).raw(true);
    this.rowsStmt = db.prepare<[string, string, string, string], StatRow>(LEAD_QUERIES.statRows).raw(true);
    this.latestNameStmt = db.prepare<ScopeParams & { operatorId: string }, { operator_name: string }>(LEAD_QUERIES.latestName);
    this.dayCountsStmt = db.prepare<ScopeParams, { date: string; count: number }>(LEAD_QUERIES.dayCounts);
    this.longLaddersStmt = db.prepare<ScopeParams, { row: number; deadlines: string }>(LEAD_QUERIES.longLadders);
    this.callbacksStmt = db.prepare<{ since: string }, [number, string]>(LEAD_QUERIES.callbacks).raw(true);
    this.drillStmt = db.prepare<[string], DrillRowDb>(
      `SELECT t.id, coalesce(t.official_number, t.provisional_number) AS number, t.submitted_at, t.call_started_at, t.shift_date, t.shift_code,
              t.operator_id, t.operator_name, t.caller_name, t.caller_phone, t.callback_phone, t.request_type, t.leaf_code,
              t.district_code, t.street_code, t.village_code, t.address_text, t.content, t.disposition, t.unit_code, t.status, t.deadlines,
              (SELECT e.note FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = '回访' ORDER BY e.at DESC, e.id DESC LIMIT 1) AS callback_note
         FROM json_each(?) keys JOIN tickets t ON t.rowid = keys.value
        ORDER BY keys.key`,
    );
    this.countStmt = db.prepare<{ from: string; to: string }, { shift_code: string; n: number }>(LEAD_QUERIES.countByShift);
    this.operatorsStmt = db.prepare<[string], { operator_id: string; operator_name: string }>(
      // The bare column takes the name from the row with the latest submit (SQLite's min/max rule).
      `SELECT operator_id, operator_name, max(julianday(submitted_at)) AS latest FROM tickets WHERE shift_date >= ? GROUP BY operator_id`,
    );
    this.latestShiftStmt = db.prepare<[], { shift_date: string; shift_code: string }>(
      `SELECT shift_date, shift_code FROM tickets WHERE shift_date = (SELECT max(shift_date) FROM tickets) ORDER BY submitted_at DESC LIMIT 1`,
    );
    this.hasShiftStmt = db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM tickets WHERE shift_date = ? AND shift_code = ?`);
  }

  /**
   * The scope's tickets as the statistics read them, with their callbacks. `callbacksSince` bounds
   * the callbacks looked at: none of the scope's tickets can have one before its first shift began.
   */
  statTickets(query: StatQuery & { callbacksSince: string }): StatTicket[] {
    const p = params(query);
    const groups = query.operatorIds.length === 0 ? this.groupsEveryoneStmt.all({ from: p.from, to: p.to, shiftCode: p.shiftCode }) : this.groupsStmt.all(p);
    // Each operator's name: the one name used in the scope, or the latest of several (rare).
    const names = new Map<string, string>();
    const renamed = new Set<string>();
    let longest = 0;
    for (const [, , operatorId, operatorName, ladder] of groups) {
      const known = names.get(operatorId);
      if (known !== undefined && known !== operatorName) renamed.add(operatorId);
      names.set(operatorId, operatorName);
      if (ladder !== null && ladder > longest) longest = ladder;
    }
    for (const operatorId of renamed) names.set(operatorId, this.latestNameStmt.get({ ...p, operatorId })?.operator_name ?? operatorId);
    const callbacks = new Map<number, { satisfaction: Satisfaction | null }>();
    for (const [row, note] of this.callbacksStmt.all({ since: query.callbacksSince })) callbacks.set(row, { satisfaction: satisfactionIn(note) });
    // Ladders longer than the index looks at: none with the bundled policy; found by the index, read from the row.
    const long =
      longest > SHIFT_LOG_LADDER_SLOTS
        ? new Map(this.longLaddersStmt.all(p).map((r) => [r.row, earliestOpenDue(JSON.parse(r.deadlines) as TicketDeadline[])]))
        : new Map<number, number | null>();
    const out: StatTicket[] = [];
    for (const [shiftDate, shiftCode, operatorId, groupName] of groups) {
      const operatorName = names.get(operatorId) ?? operatorId;
      const rows = this.rowsStmt.all(shiftDate, shiftCode, operatorId, groupName);
      for (let i = 0; i < rows.length; i++) {
        const [row, submittedJd, callJd, leafCode, streetCode, kinds, openDueJd] = rows[i]!;
        const openDueMs = long.size > 0 && long.has(row) ? long.get(row)! : openDueJd === null || openDueJd >= NONE_OPEN ? null : msOfJulian(openDueJd);
        const status = TICKET_STATUSES[kinds % KIND_BASE]!;
        out.push({
          // The store's row number, as the key within this one call; drillSources turns keys into tickets.
          id: String(row),
          operatorId,
          operatorName,
          shiftCode,
          shiftDate,
          callStartedMs: msOfJulian(callJd),
          submittedMs: msOfJulian(submittedJd),
          leafCode,
          streetCode,
          disposition: DISPOSITIONS[Math.floor(kinds / KIND_BASE)]!,
          status,
          openDueMs,
          // A 回访 status without its event (synced from elsewhere) still counts as a callback, result unknown.
          callback: callbacks.get(row) ?? (status === '已回访' ? { satisfaction: null } : null),
        });
      }
    }
    return out;
  }

  /** Tickets per shift date in a scope, by the index alone. */
  dayCounts(query: StatQuery): Array<{ date: string; count: number }> {
    return this.dayCountsStmt.all(params(query));
  }

  /** Full rows for the drill-down and the export, in the order of the keys (StatTicket.id) given. */
  drillSources(keys: readonly string[]): DrillSource[] {
    if (keys.length === 0) return [];
    return this.drillStmt.all(JSON.stringify(keys.map(Number))).map((r) => ({
      id: r.id,
      number: r.number,
      submittedAt: r.submitted_at,
      callStartedAt: r.call_started_at,
      shiftDate: r.shift_date,
      shiftCode: r.shift_code,
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      callerName: r.caller_name,
      callerPhone: r.caller_phone,
      callbackPhone: r.callback_phone,
      requestType: r.request_type,
      leafCode: r.leaf_code,
      districtCode: r.district_code,
      streetCode: r.street_code,
      villageCode: r.village_code,
      addressText: r.address_text,
      content: r.content,
      disposition: r.disposition,
      unitCode: r.unit_code,
      status: r.status,
      deadlines: JSON.parse(r.deadlines) as TicketDeadline[],
      callbackNote: r.callback_note,
    }));
  }

  countByShift(from: string, to: string): Map<string, number> {
    return new Map(this.countStmt.all({ from, to }).map((r) => [r.shift_code, r.n]));
  }

  /** Operators who took tickets on shift dates since this one, with the name they last used. */
  operatorsSince(shiftDate: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const row of this.operatorsStmt.all(shiftDate)) out.set(row.operator_id, row.operator_name);
    return out;
  }

  latestShift(): { shiftDate: string; shiftCode: string } | null {
    const row = this.latestShiftStmt.get();
    return row ? { shiftDate: row.shift_date, shiftCode: row.shift_code } : null;
  }

  hasTickets(shiftDate: string, shiftCode: string): boolean {
    return (this.hasShiftStmt.get(shiftDate, shiftCode)?.n ?? 0) > 0;
  }
}
