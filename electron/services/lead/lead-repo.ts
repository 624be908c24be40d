/**
 * What the shift log reads from `tickets` and `ticket_events` (it writes nothing). Every figure
 * comes from the tickets_tally index (migration 5), whose entries already hold each ticket's
 * numbers: submit and open deadline in epoch ms, handling time and hour packed in one integer,
 * disposition and status in one small integer. A report (tally) is counted in SQLite as far as
 * counts go; the drill-down (statTickets) gets rows in the shape shared/stats reads. The SQL of the
 * hot reads is exported so the tests can check their query plans.
 */
import type { TicketDeadline } from '../../../shared/api/contract';
import type { Disposition, TicketStatus } from '../../../shared/domain/ticket';
import {
  categoryCodeOf,
  earliestOpenDue,
  emptyTally,
  operatorTally,
  satisfactionIn,
  PlaceCounts,
  type CategoryLevel,
  type FigureTally,
  type ReportTally,
  type Satisfaction,
  type StatTicket,
} from '../../../shared/stats/shift-report';
import type { Db } from '../store/database';
import {
  SHIFT_LOG_LADDER_SLOTS,
  TALLY_DISPOSITIONS,
  TALLY_HANDLING_HOUR,
  TALLY_KIND_BASE,
  TALLY_KINDS,
  TALLY_LEAF,
  TALLY_OPEN_DUE_MS,
  TALLY_STATUSES,
  TALLY_STREET,
  TALLY_SUBMITTED_MS,
} from '../store/migrations';

/** Takes TALLY_HANDLING_HOUR apart: the handling time in ms (may be negative) and the hour of submit. */
export function unpackHandlingHour(packed: number): { handlingMs: number; hour: number } {
  const hour = ((packed % 24) + 24) % 24;
  return { handlingMs: (packed - hour) / 24, hour };
}

/** A code back from its number (TALLY_LEAF, TALLY_STREET); -1 (not all digits) is the caller's to read as text. */
export function decodeCode(n: number | null): string | null {
  return n === null ? null : String(Math.floor(n / 16)).padStart(n % 16, '0');
}
const NOT_DIGITS = -1;

/**
 * PlaceCounts' numeric twin: tickets by category and by street × 一级 category, keyed by the code
 * numbers the index holds, so a ticket costs a few lookups of small integers and no strings; codes
 * are written out once each at the end (`into`).
 */
class CodeCounts {
  private readonly leaves = new Map<number | null, number>();
  private readonly streets = new Map<number, { count: number; tops: Map<number, number> }>();
  private readonly topOf = new Map<number, number>();
  private withoutStreet = 0;

  add(leaf: number | null, street: number | null): void {
    this.leaves.set(leaf, (this.leaves.get(leaf) ?? 0) + 1);
    if (street === null) {
      this.withoutStreet++;
      return;
    }
    let s = this.streets.get(street);
    if (!s) this.streets.set(street, (s = { count: 0, tops: new Map() }));
    s.count++;
    if (leaf === null) return;
    let top = this.topOf.get(leaf);
    if (top === undefined) {
      // The 一级 code: the first two digits, as a number the same way (× 16 + length 2).
      const digits = Math.floor(leaf / 16);
      const length = leaf % 16;
      this.topOf.set(leaf, (top = length <= 2 ? leaf : Math.floor(digits / 10 ** (length - 2)) * 16 + 2));
    }
    s.tops.set(top, (s.tops.get(top) ?? 0) + 1);
  }

  into(tally: ReportTally, level: CategoryLevel): void {
    for (const [leaf, n] of this.leaves) {
      if (leaf === null) tally.unclassified += n;
      else {
        const category = categoryCodeOf(decodeCode(leaf)!, level);
        tally.categories.set(category, (tally.categories.get(category) ?? 0) + n);
      }
    }
    tally.withoutStreet += this.withoutStreet;
    for (const [street, counts] of this.streets) {
      const code = decodeCode(street)!;
      let into = tally.streets.get(code);
      if (!into) tally.streets.set(code, (into = { count: 0, categories: new Map() }));
      into.count += counts.count;
      for (const [top, n] of counts.tops) {
        const topCode = decodeCode(top)!;
        into.categories.set(topCode, (into.categories.get(topCode) ?? 0) + n);
      }
    }
  }
}

/** Takes TALLY_KINDS apart. */
function unpackKinds(kinds: number): { disposition: Disposition; status: TicketStatus } {
  return { disposition: TALLY_DISPOSITIONS[Math.floor(kinds / TALLY_KIND_BASE)]!, status: TALLY_STATUSES[kinds % TALLY_KIND_BASE]! };
}

const RETURNED = TALLY_STATUSES.indexOf('已退单');
const CALLED_BACK = TALLY_STATUSES.indexOf('已回访');

const SCOPE = `t.shift_date BETWEEN @from AND @to
                   AND (@shiftCode IS NULL OR t.shift_code = @shiftCode)
                   AND (@operators = '[]' OR t.operator_id IN (SELECT value FROM json_each(@operators)))`;
/** The same scope when every operator is wanted: no operator test on each of 50,000 index entries. */
const EVERYONE = SCOPE.slice(0, SCOPE.lastIndexOf('AND (@operators'));
/** One group of the index's leading columns, by an equality seek. */
const GROUP = `t.shift_date = ? AND t.shift_code = ? AND t.operator_id = ? AND t.operator_name = ?`;

export const LEAD_QUERIES = {
  /**
   * A scope's groups — shift date, shift, operator and name, the index's leading columns, in index
   * order, so no sort — with their tickets, latest submit (whose name is the operator's), overdue
   * tickets (a deadline not met, due before @reportAtMs, for ladders the index covers) and longest
   * ladder (in case one needs reading from its row).
   */
  tallyGroups: `SELECT t.shift_date, t.shift_code, t.operator_id, t.operator_name, count(*), max(${TALLY_SUBMITTED_MS}),
                       count(CASE WHEN json_array_length(t.deadlines) <= ${SHIFT_LOG_LADDER_SLOTS} AND ${TALLY_OPEN_DUE_MS} < @reportAtMs THEN 1 END),
                       max(json_array_length(t.deadlines))
                  FROM tickets t
                 WHERE ${SCOPE}
                 GROUP BY t.shift_date, t.shift_code, t.operator_id, t.operator_name`,
  /** What counts cannot hold, for each ticket of one group: handling and hour, disposition and status, category and street as numbers. */
  tallyRows: `SELECT ${TALLY_HANDLING_HOUR}, ${TALLY_KINDS}, ${TALLY_LEAF}, ${TALLY_STREET} FROM tickets t WHERE ${GROUP}`,
  /** The tickets of one group as the drill-down reads them (StatTicket), with the row number as their key. */
  statRows: `SELECT t.rowid, ${TALLY_SUBMITTED_MS}, ${TALLY_HANDLING_HOUR}, ${TALLY_KINDS}, ${TALLY_OPEN_DUE_MS}, ${TALLY_LEAF}, ${TALLY_STREET}
               FROM tickets t WHERE ${GROUP}`,
  /** A group's codes as text, from the rows: only for a group with a code that is not all digits. */
  textCodes: `SELECT t.rowid, t.leaf_code, t.street_code FROM tickets t WHERE ${GROUP}`,
  /** Tickets per shift date (the trend's days before the scope). */
  dayCounts: `SELECT t.shift_date AS date, count(*) AS count FROM tickets t WHERE ${SCOPE} GROUP BY t.shift_date`,
  /** The scope's tickets not taken by phone, by 受理渠道, from the partial index of migration 7 (电话 is the rest). */
  channels: `SELECT t.channel AS channel, count(*) AS count FROM tickets t WHERE ${SCOPE} AND t.channel <> '电话' GROUP BY t.channel`,
  /** The same tickets one by one (row number and channel), for the rows the drill-down reads. */
  channelRows: `SELECT t.rowid AS row, t.channel AS channel FROM tickets t WHERE ${SCOPE} AND t.channel <> '电话'`,
  /** A ladder longer than the index looks at, read from the row itself (none with the default policy). */
  longLadders: `SELECT t.rowid AS row, t.operator_id AS operatorId, t.deadlines FROM tickets t WHERE ${SCOPE} AND json_array_length(t.deadlines) > ${SHIFT_LOG_LADDER_SLOTS}`,
  /**
   * Callbacks (回访) recorded since an instant on the scope's tickets, oldest first (the last one of
   * a ticket wins; a 未联系上 attempt, shared/lifecycle/callback.ts callbackNote, is no callback): the ticket's row, operator, whether its status is 已回访, and the note. Both
   * sides come from covering indexes (migration 5), in the callbacks index's order (no sort). The
   * planner, left to itself, walks the scope's tickets and seeks each one's events instead, 30×
   * slower on a month: INDEXED BY holds it to the plan the tests check.
   */
  callbacks: `SELECT t.rowid, t.operator_id, t.status = '已回访', e.note
                FROM ticket_events e INDEXED BY ticket_events_callbacks
                JOIN tickets t INDEXED BY tickets_id_scope ON t.id = e.ticket_id
               WHERE e.kind = '回访' AND e.at >= @since AND e.note NOT LIKE '回访未联系上%' AND ${SCOPE} ORDER BY e.at, e.id`,
  /**
   * The scope's tickets with a 退单 or 督办/催办 in their trail (what the hub reported through the
   * pull), latest first: number, status, leaf, unit, how many of each, and the latest such event.
   */
  attention: `SELECT t.id, coalesce(t.official_number, t.provisional_number) AS number, t.status, t.leaf_code, t.unit_code, t.operator_name,
                     count(CASE WHEN e.kind = '退单' THEN 1 END) AS returns, count(CASE WHEN e.kind <> '退单' THEN 1 END) AS supervisions,
                     (SELECT json_object('kind', l.kind, 'at', l.at, 'actor', l.actor, 'note', l.note) FROM ticket_events l
                       WHERE l.ticket_id = t.id AND l.kind IN ('退单', '督办', '催办') ORDER BY l.at DESC, l.id DESC LIMIT 1) AS last
                FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.kind IN ('退单', '督办', '催办')
               WHERE ${SCOPE}
               GROUP BY t.id ORDER BY max(e.at) DESC LIMIT @limit`,
  /** The baseline of the bench: a bare count by shift over the same dates. */
  countByShift: `SELECT shift_code, count(*) AS n FROM tickets WHERE shift_date BETWEEN @from AND @to GROUP BY shift_code`,
} as const;

/** A query's form when every operator is wanted (the usual case). */
const forEveryone = (sql: string) => sql.replace(SCOPE, EVERYONE);

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

/** One ticket of the lead's 退单/督办 list, as stored. */
export interface AttentionSource {
  id: string;
  number: string;
  status: TicketStatus;
  leafCode: string | null;
  unitCode: string | null;
  operatorName: string;
  returns: number;
  supervisions: number;
  last: { kind: '退单' | '督办' | '催办'; at: string; actor: string; note: string };
}

type Group = [string, string, string, string, number, number, number, number | null];
type TallyRow = [number, number, number | null, number | null];
type StatRow = [number, number, number, number, number | null, number | null, number | null];
type CallbackRow = [number, string, number, string];

export interface StatQuery {
  from: string;
  to: string;
  shiftCode: string | null;
  operatorIds: readonly string[];
}

type ScopeParams = { from: string; to: string; shiftCode: string | null; operators: string };
const params = (q: StatQuery): ScopeParams => ({ from: q.from, to: q.to, shiftCode: q.shiftCode, operators: JSON.stringify(q.operatorIds) });

/** A statement of the scope in its two forms: some operators, or everyone (no operator test per entry). */
function scoped<P extends object, R>(db: Db, sql: string) {
  const some = db.prepare<ScopeParams & P, R>(sql).raw(true);
  const everyone = db.prepare<Omit<ScopeParams, 'operators'> & P, R>(forEveryone(sql)).raw(true);
  return (p: ScopeParams & P): R[] => {
    if (p.operators !== '[]') return some.all(p);
    const { operators: _unused, ...rest } = p;
    return everyone.all(rest as Omit<ScopeParams, 'operators'> & P);
  };
}

export class LeadRepo {
  private readonly groups;
  private readonly callbacks;
  private readonly tallyRowsStmt;
  private readonly statRowsStmt;
  private readonly textCodesStmt;
  private readonly dayCountsStmt;
  private readonly channelsStmt;
  private readonly channelRowsStmt;
  private readonly longLaddersStmt;
  private readonly drillStmt;
  private readonly countStmt;
  private readonly operatorsStmt;
  private readonly latestShiftStmt;
  private readonly hasShiftStmt;
  private readonly attentionStmt;

  constructor(db: Db) {
    // Arrays, not objects: 50,000 rows a report, every allocation counts.
    this.groups = scoped<{ reportAtMs: number }, Group>(db, LEAD_QUERIES.tallyGroups);
    this.callbacks = scoped<{ since: string }, CallbackRow>(db, LEAD_QUERIES.callbacks);
    this.tallyRowsStmt = db.prepare<[string, string, string, string], TallyRow>(LEAD_QUERIES.tallyRows).raw(true);
    this.statRowsStmt = db.prepare<[string, string, string, string], StatRow>(LEAD_QUERIES.statRows).raw(true);
    this.textCodesStmt = db.prepare<[string, string, string, string], [number, string | null, string | null]>(LEAD_QUERIES.textCodes).raw(true);
    this.dayCountsStmt = db.prepare<ScopeParams, { date: string; count: number }>(LEAD_QUERIES.dayCounts);
    this.channelsStmt = db.prepare<ScopeParams, { channel: string; count: number }>(LEAD_QUERIES.channels);
    this.channelRowsStmt = db.prepare<ScopeParams, { row: number; channel: string }>(LEAD_QUERIES.channelRows);
    this.longLaddersStmt = db.prepare<ScopeParams, { row: number; operatorId: string; deadlines: string }>(LEAD_QUERIES.longLadders);
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
      `SELECT operator_id, operator_name, max(${TALLY_SUBMITTED_MS}) AS latest FROM tickets WHERE shift_date >= ? GROUP BY operator_id`,
    );
    this.latestShiftStmt = db.prepare<[], { shift_date: string; shift_code: string }>(
      `SELECT shift_date, shift_code FROM tickets WHERE shift_date = (SELECT max(shift_date) FROM tickets) ORDER BY submitted_at DESC LIMIT 1`,
    );
    this.hasShiftStmt = db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM tickets WHERE shift_date = ? AND shift_code = ?`);
    this.attentionStmt = db.prepare<
      ScopeParams & { limit: number },
      { id: string; number: string; status: TicketStatus; leaf_code: string | null; unit_code: string | null; operator_name: string; returns: number; supervisions: number; last: string }
    >(LEAD_QUERIES.attention);
  }

  /** The scope's groups, and whether any ladder is longer than the index covers. */
  private scopeGroups(p: ScopeParams, reportAtMs: number): { groups: Group[]; longLadders: boolean } {
    const groups = this.groups({ ...p, reportAtMs });
    return { groups, longLadders: groups.some((g) => (g[7] ?? 0) > SHIFT_LOG_LADDER_SLOTS) };
  }

  /** Each long ladder's earliest open deadline (epoch ms), with its ticket's operator, by row. */
  private longLadderDues(p: ScopeParams): Map<number, { operatorId: string; dueMs: number | null }> {
    return new Map(this.longLaddersStmt.all(p).map((r) => [r.row, { operatorId: r.operatorId, dueMs: earliestOpenDue(JSON.parse(r.deadlines) as TicketDeadline[]) }]));
  }

  /** Each called-back ticket's last callback since an instant, by row. */
  private lastCallbacks(p: ScopeParams, since: string): Map<number, { operatorId: string; statusSaysCallback: boolean; satisfaction: Satisfaction | null }> {
    const out = new Map<number, { operatorId: string; statusSaysCallback: boolean; satisfaction: Satisfaction | null }>();
    for (const [row, operatorId, statusSaysCallback, note] of this.callbacks({ ...p, since })) out.set(row, { operatorId, statusSaysCallback: statusSaysCallback === 1, satisfaction: satisfactionIn(note) });
    return out;
  }

  /**
   * The scope's counts (computeShiftReport's tally of the same tickets), without a row object per
   * ticket: the groups' sums, four numbers and codes a ticket, the callbacks, and any ladder longer
   * than the index covers. The trend's days are the scope's own; the caller adds the days before.
   * `callbacksSince` bounds the callbacks looked at: none can precede the scope's first shift.
   */
  tally(query: StatQuery & { callbacksSince: string; reportAtMs: number; categoryLevel: CategoryLevel }): ReportTally {
    const p = params(query);
    const tally = emptyTally();
    const { groups, longLadders } = this.scopeGroups(p, query.reportAtMs);
    const statusCallbacks = new Map<string, number>();
    const places = new PlaceCounts();
    const codes = new CodeCounts();
    for (const [shiftDate, shiftCode, operatorId, operatorName, count, latestMs, overdue] of groups) {
      const figures = operatorTally(tally, operatorId, operatorName, latestMs);
      figures.taken += count;
      figures.overdue += overdue;
      tally.days.set(shiftDate, (tally.days.get(shiftDate) ?? 0) + count);
      let calledBack = 0;
      const rows = this.tallyRowsStmt.all(shiftDate, shiftCode, operatorId, operatorName);
      // A code that is not all digits (none in validated reference data): this group's codes as text.
      const textual = rows.some((r) => r[2] === NOT_DIGITS || r[3] === NOT_DIGITS);
      if (textual) for (const [, leafCode, streetCode] of this.textCodesStmt.all(shiftDate, shiftCode, operatorId, operatorName)) places.add(leafCode, streetCode);
      for (let i = 0; i < rows.length; i++) {
        const [packed, kinds, leaf, street] = rows[i]!;
        // unpackHandlingHour, without an object a ticket.
        const hour = ((packed % 24) + 24) % 24;
        figures.addHandling((packed - hour) / 24 / 1000);
        figures.dispositions[Math.floor(kinds / TALLY_KIND_BASE)]!++;
        const status = kinds % TALLY_KIND_BASE;
        if (status === RETURNED) figures.returned++;
        else if (status === CALLED_BACK) calledBack++;
        tally.hours[hour]!++;
        if (!textual) codes.add(leaf, street);
      }
      statusCallbacks.set(operatorId, (statusCallbacks.get(operatorId) ?? 0) + calledBack);
    }
    codes.into(tally, query.categoryLevel);
    places.into(tally, query.categoryLevel);
    // 受理渠道: the few not by phone from their index; 电话 is the rest of the scope.
    let taken = 0;
    for (const [, , , , count] of groups) taken += count;
    let other = 0;
    for (const { channel, count } of this.channelsStmt.all(p)) {
      tally.channels.set(channel, count);
      other += count;
    }
    if (taken > other) tally.channels.set('电话', taken - other);
    const of = (operatorId: string): FigureTally => tally.operators.get(operatorId)!.tally;
    // Callbacks: each ticket's last; a 已回访 status without its event (synced from elsewhere) still counts, result unknown.
    for (const { operatorId, statusSaysCallback, satisfaction } of this.lastCallbacks(p, query.callbacksSince).values()) {
      of(operatorId).addCallback(satisfaction);
      if (statusSaysCallback) statusCallbacks.set(operatorId, statusCallbacks.get(operatorId)! - 1);
    }
    for (const [operatorId, unrecorded] of statusCallbacks) for (let i = 0; i < unrecorded; i++) of(operatorId).addCallback(null);
    // Ladders longer than the index looks at: none with the bundled policy; found by the index, read from the row.
    if (longLadders) for (const { operatorId, dueMs } of this.longLadderDues(p).values()) if (dueMs !== null && dueMs < query.reportAtMs) of(operatorId).overdue++;
    return tally;
  }

  /**
   * The scope's tickets as the statistics read them (for the drill-down), with their callbacks, the
   * store's row number as each one's key, and each operator under the name of their latest ticket.
   */
  statTickets(query: StatQuery & { callbacksSince: string }): StatTicket[] {
    const p = params(query);
    // The groups' overdue counts are not read here: the drill-down tests each ticket's own deadline.
    const { groups, longLadders } = this.scopeGroups(p, 0);
    const names = new Map<string, { name: string; latestMs: number }>();
    for (const [, , operatorId, operatorName, , latestMs] of groups) {
      const known = names.get(operatorId);
      if (!known || latestMs > known.latestMs) names.set(operatorId, { name: operatorName, latestMs });
    }
    const callbacks = this.lastCallbacks(p, query.callbacksSince);
    const long = longLadders ? this.longLadderDues(p) : new Map<number, { dueMs: number | null }>();
    const channels = new Map(this.channelRowsStmt.all(p).map((r) => [r.row, r.channel]));
    const out: StatTicket[] = [];
    for (const [shiftDate, shiftCode, operatorId, groupName] of groups) {
      const operatorName = names.get(operatorId)!.name;
      const rows = this.statRowsStmt.all(shiftDate, shiftCode, operatorId, groupName);
      const text = rows.some((r) => r[5] === NOT_DIGITS || r[6] === NOT_DIGITS)
        ? new Map(this.textCodesStmt.all(shiftDate, shiftCode, operatorId, groupName).map(([row, leaf, street]) => [row, [leaf, street] as const]))
        : null;
      for (let i = 0; i < rows.length; i++) {
        const [row, submittedMs, packed, kinds, openDueMs, leaf, street] = rows[i]!;
        const [leafCode, streetCode] = text?.get(row) ?? [decodeCode(leaf), decodeCode(street)];
        const { disposition, status } = unpackKinds(kinds);
        const callback = callbacks.get(row);
        out.push({
          // The store's row number, as the key within this one call; drillSources turns keys into tickets.
          id: String(row),
          operatorId,
          operatorName,
          shiftCode,
          shiftDate,
          callStartedMs: submittedMs - unpackHandlingHour(packed).handlingMs,
          submittedMs,
          leafCode,
          streetCode,
          disposition,
          status,
          openDueMs: long.size > 0 && long.has(row) ? long.get(row)!.dueMs : openDueMs,
          // A 回访 status without its event (synced from elsewhere) still counts as a callback, result unknown.
          callback: callback ? { satisfaction: callback.satisfaction } : status === '已回访' ? { satisfaction: null } : null,
          channel: channels.get(row) ?? '电话',
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
  /** The scope's tickets with 退单 or 督办 events, latest first (LEAD_QUERIES.attention). */
  attention(q: StatQuery, limit: number): AttentionSource[] {
    return this.attentionStmt.all({ ...params(q), limit }).map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      leafCode: r.leaf_code,
      unitCode: r.unit_code,
      operatorName: r.operator_name,
      returns: r.returns,
      supervisions: r.supervisions,
      last: JSON.parse(r.last) as AttentionSource['last'],
    }));
  }

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
