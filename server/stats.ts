/**
 * 响应率、解决率、满意率 (`stats.rates`), by the unit the desk dispatched to, by street or by
 * district, over tickets whose Beijing submission date lies in [from, to].
 *
 * Definitions:
 * - tickets: dispatched tickets (the lifecycle's DISPATCHING_DISPOSITIONS) — those a unit had to answer. A ticket
 *   a unit returned (退单) still counts for the unit it was dispatched to. A ticket the center found
 *   an unreasonable claim on the unit's application (tickets.unreasonable_at, server/requests.ts)
 *   is left out of every rate: the unit owed it no answer.
 * - responded: accepted (接单) no later than the ticket's first-contact deadline (`contact_*`).
 *   紧急 and 即时 tickets have no first-contact rule in the policy; for them the response deadline is
 *   their earliest deadline after dispatch (the 2-hour / 24-hour close), since a unit that only
 *   makes contact after that has not responded in time. responseRate = responded / tickets.
 * - callbacks: tickets with a callback (回访) recorded; resolved: those whose caller said 已解决.
 *   resolutionRate = resolved / callbacks.
 * - satisfactionRate: the mean over callbacks of 满意 = 1, 基本满意 = 0.8, 不满意 = 0.
 * A rate with nothing under it is null (not 0: "no callbacks yet" is not "nobody satisfied").
 * Grouping keys are the codes the desk recorded (tickets with none under key '' named 未明确);
 * names are those the desk showed (`names` of the pushed ticket; the latest one when they differ).
 * Everything is counted in one SQL statement, so a month of tickets never travels to the hub.
 */
import { MAX_STAT_ROWS, type RateRow, type StatTicketRow } from '../shared/api/hub-contract';
import { CHECKPOINT_PREFIX, DISPATCHING_DISPOSITIONS } from '../shared/lifecycle/ticket-lifecycle';
import type { Sql } from './db';
import { DISPOSITIONS } from '../shared/domain/ticket';
import { CENTER_UTC_OFFSET_MINUTES } from '../shared/time';
import type { CenterTally } from '../shared/stats/center-tally';

export type RateGroup = 'unit' | 'street' | 'district';

const GROUP_COLUMNS: Record<RateGroup, { key: string; name: string }> = {
  unit: { key: 'dispatched_unit_code', name: `names->>'unit'` },
  street: { key: 'street_code', name: `names->>'street'` },
  district: { key: 'district_code', name: `names->>'district'` },
};

export const UNKNOWN_GROUP_NAME = '未明确';

export async function rates(db: Sql, input: { from: string; to: string; groupBy: RateGroup }): Promise<RateRow[]> {
  const group = GROUP_COLUMNS[input.groupBy];
  const rows = await db.query<{
    key: string;
    name: string | null;
    tickets: number;
    responded: number;
    callbacks: number;
    resolved: number;
    satisfaction: number | null;
    urges: number;
  }>(
    `WITH t AS (
       SELECT COALESCE(${group.key}, '') AS key, ${group.name} AS name, submitted_at, accepted_at,
              callback_at, callback_resolved, callback_satisfaction,
              (SELECT count(*) FROM ticket_urges u WHERE u.ticket_id = tickets.id) AS urges, -- 催办 (server/lookup.ts)
              COALESCE(
                (SELECT min((x->>'dueAt')::timestamptz) FROM jsonb_array_elements(deadlines) AS x WHERE starts_with(x->>'ruleId', $4)),
                (SELECT min((x->>'dueAt')::timestamptz) FROM jsonb_array_elements(deadlines) AS x WHERE NOT starts_with(x->>'ruleId', $5))
              ) AS response_due
         FROM tickets
        WHERE submitted_date BETWEEN $1::date AND $2::date
          AND disposition = ANY($3::text[])
          AND unreasonable_at IS NULL -- approved 不合理诉求: out of the unit's rates
     )
     SELECT key,
            (array_agg(name ORDER BY submitted_at DESC) FILTER (WHERE name IS NOT NULL))[1] AS name,
            count(*)::int AS tickets,
            count(*) FILTER (WHERE accepted_at IS NOT NULL AND (response_due IS NULL OR accepted_at <= response_due))::int AS responded,
            count(*) FILTER (WHERE callback_at IS NOT NULL)::int AS callbacks,
            count(*) FILTER (WHERE callback_at IS NOT NULL AND callback_resolved)::int AS resolved,
            avg(CASE callback_satisfaction WHEN '满意' THEN 1.0 WHEN '基本满意' THEN 0.8 WHEN '不满意' THEN 0.0 END)
              FILTER (WHERE callback_at IS NOT NULL) AS satisfaction,
            sum(urges)::int AS urges
       FROM t
      GROUP BY key
      ORDER BY key COLLATE "C"`,
    [input.from, input.to, DISPATCHING_DISPOSITIONS, CHECKPOINT_PREFIX.contact, CHECKPOINT_PREFIX.dispatch],
  );
  const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  return rows.map((r) => ({
    key: r.key,
    name: r.name ?? (r.key === '' ? UNKNOWN_GROUP_NAME : r.key),
    tickets: r.tickets,
    responded: r.responded,
    responseRate: ratio(r.responded, r.tickets),
    callbacks: r.callbacks,
    resolved: r.resolved,
    resolutionRate: ratio(r.resolved, r.callbacks),
    satisfactionRate: r.satisfaction === null ? null : Number(r.satisfaction),
    urges: r.urges,
  }));
}

/**
 * The center-wide rows of a team lead's shift log (`stats.shiftTickets`): every ticket of the shift
 * dates in [from, to], optionally of one shift and some operators, with what the desk's statistics
 * read. The desk computes the figures with the same shared code it uses for its own tickets, so the
 * center's numbers and the desk's mean the same thing.
 */
export async function shiftTickets(
  db: Sql,
  input: { from: string; to: string; shiftCode: string | null; operatorIds: readonly string[] },
): Promise<{ rows: StatTicketRow[]; truncated: boolean }> {
  const rows = await db.query<{
    id: string;
    operator_id: string;
    operator_name: string;
    shift_code: string;
    shift_date: string;
    call_started_at: Date | string;
    submitted_at: Date | string;
    leaf_code: string | null;
    street_code: string | null;
    disposition: StatTicketRow['disposition'];
    status: StatTicketRow['status'];
    deadlines: StatTicketRow['deadlines'] | string;
    callback_satisfaction: StatTicketRow['callbackSatisfaction'];
    callback_at: Date | string | null;
    channel: StatTicketRow['channel'];
  }>(
    `SELECT id::text AS id, operator_id, operator_name, shift_code, to_char(shift_date, 'YYYY-MM-DD') AS shift_date,
            call_started_at, submitted_at, leaf_code, street_code, disposition, status, deadlines,
            callback_satisfaction, callback_at, channel
       FROM tickets
      WHERE shift_date BETWEEN $1::date AND $2::date
        AND ($3::text IS NULL OR shift_code = $3)
        AND (cardinality($4::text[]) = 0 OR operator_id = ANY($4::text[]))
      ORDER BY submitted_at, id
      LIMIT ${MAX_STAT_ROWS + 1}`,
    [input.from, input.to, input.shiftCode, input.operatorIds],
  );
  const instant = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
  return {
    truncated: rows.length > MAX_STAT_ROWS,
    rows: rows.slice(0, MAX_STAT_ROWS).map((r) => ({
      id: r.id,
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      shiftCode: r.shift_code,
      shiftDate: r.shift_date,
      callStartedAt: instant(r.call_started_at),
      submittedAt: instant(r.submitted_at),
      leafCode: r.leaf_code,
      streetCode: r.street_code,
      disposition: r.disposition,
      status: r.status,
      deadlines: typeof r.deadlines === 'string' ? (JSON.parse(r.deadlines) as StatTicketRow['deadlines']) : r.deadlines,
      callbackSatisfaction: r.callback_satisfaction,
      callbackDone: r.callback_at !== null,
      channel: r.channel,
    })),
  };
}

/**
 * Moves the k-th smallest of a[lo..hi] to a[k], the smaller ones before it and the larger after it
 * (Hoare's selection, middle-of-three pivot), and returns it: a month's handling times need three
 * ranks of them, not their order.
 */
function selectRank(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const x = a[lo]!, y = a[(lo + hi) >>> 1]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** percentile_cont(0.5) and percentile_disc(0.9) of PostgreSQL (orderedsetaggs.c) over the values, the same doubles; reorders them. */
export function medianAndP90(values: Float64Array): { median: number | null; p90: number | null } {
  const n = values.length;
  if (n === 0) return { median: null, p90: null };
  const position = 0.5 * (n - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const rank90 = Math.max(Math.ceil(0.9 * n), 1) - 1;
  const lowValue = selectRank(values, low);
  const highValue = high > low ? selectRank(values, high, low + 1) : lowValue;
  const p90 = rank90 > high ? selectRank(values, rank90, high + 1) : rank90 === high ? highValue : lowValue;
  const median = high > low ? lowValue + (highValue - lowValue) * (position - low) : lowValue;
  return { median, p90 };
}

/** A comma-separated list of whole microseconds (tally_day.handling_us) as seconds, without a string per number. */
export function microsAsSeconds(text: string, count: number): Float64Array {
  const out = new Float64Array(count);
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[n++] = value / 1e6;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  if (text.length > 0) out[n++] = value / 1e6;
  return n === count ? out : out.subarray(0, n);
}

/**
 * The team lead's center-wide shift log as counts (`stats.shiftTally`, shared/stats/center-tally.ts):
 * the same figures the desk computes from rows (shared/stats/shift-report.ts tallyTickets), counted
 * here in one statement over the scope (GROUPING SETS: per operator, the total, the hours, the
 * categories at the asked level, streets × 一级 category, the days) plus one for the trend's days
 * before the scope. Nothing is capped and no ticket row leaves the database. What each figure
 * counts is shared/stats/shift-metrics.ts: handling = submit − call start (negative: unmeasured;
 * median the mean of the middle two, p90 the nearest rank), overdue = an open deadline due before
 * the report's instant, a callback = tickets.callback_at set, 未核验 = tickets.operator_verified false
 * (the operator is the taking desk's word, server/desk-access.ts).
 *
 * At a month's volume (docs/decisions/0006-rankings-at-volume.md) both statements read only the covering
 * index tickets_shift_tally (hub migration 17 added operator_verified to it). Per-row work is what
 * costs: handling and the hour are date_part (float8), not extract (numeric); the operators are
 * hashed, not sorted; the medians and p90s are computed here from each operator's measured handling
 * times (the only per-ticket values that leave the database, as numbers); the operator's latest name
 * is read only for the operators whose name changed within the scope.
 */
type TallyInput = { from: string; to: string; trendFrom: string; shiftCode: string | null; operatorIds: readonly string[]; categoryLevel: 1 | 2 | 3; reportAt: string };
type TallyRow = {
  g_op: number; g_hour: number; g_cat: number; g_place: number; g_day: number; g_chan: number; channel: string | null;
  operator_id: string | null; hour: number | null; cat: string | null; street_code: string | null; top: string | null; day: string | null;
  name: string | null; latest: Date | string | null; taken: number; measured: number; median: number | null; p90: number | null;
  dispositions: number[]; returned: number; overdue: number; callbacks: number; satisfied: number; basic: number; unsatisfied: number; unverified: number;
};
/** An operator's figures with the measured handling times as text, in seconds (live) or microseconds (summary). */
type OperatorRow = TallyRow & { handlings: string | null };

const TALLY_SCOPE = `($3::text IS NULL OR shift_code = $3) AND (cardinality($4::text[]) = 0 OR operator_id = ANY($4::text[]))`;
const IN_SCOPE = `FROM tickets WHERE shift_date BETWEEN $1::date AND $2::date AND ${TALLY_SCOPE}`;
const OPERATOR_COLUMNS = `0 AS g_op, 1 AS g_hour, 1 AS g_cat, 3 AS g_place, 1 AS g_day, 1 AS g_chan, NULL::text AS channel,
  operator_id, NULL::int AS hour, NULL::text AS cat, NULL::text AS street_code, NULL::text AS top, NULL::text AS day,
  NULL::float8 AS median, NULL::float8 AS p90`;
const scopeParams = (input: TallyInput) => [input.from, input.to, input.shiftCode, input.operatorIds];

/** Per operator from the tickets: the figures, and the measured handling times in seconds. */
async function liveOperators(db: Sql, input: TallyInput): Promise<OperatorRow[]> {
  // Seconds from call start to submit as the float8 of extract(epoch …)::float8: date_part gives the
  // same double (the microseconds over 10^6, rounded once) while the difference has no whole days.
  const handlingSql = `CASE WHEN submitted_at - call_started_at < interval '1 day' THEN date_part('epoch', submitted_at - call_started_at)
                            ELSE extract(epoch FROM submitted_at - call_started_at)::float8 END`;
  const figures = await db.query<OperatorRow & { name_low: string | null }>(
    `WITH s AS (
       SELECT operator_id, operator_name, submitted_at, disposition, status, open_due_at, callback_at, callback_satisfaction,
              operator_verified, ${handlingSql} AS handling
         ${IN_SCOPE}
     )
     SELECT ${OPERATOR_COLUMNS},
            -- One name in the scope is the name on the latest ticket; otherwise it is read below.
            min(s.operator_name) AS name_low, max(s.operator_name) AS name, max(s.submitted_at) AS latest,
            count(*)::int AS taken,
            count(*) FILTER (WHERE handling >= 0)::int AS measured,
            -- As text (float8's shortest exact form): parsed faster here than a float8[].
            string_agg(handling::text, ',') FILTER (WHERE handling >= 0) AS handlings,
            ARRAY[${DISPOSITIONS.map((_, i) => `count(*) FILTER (WHERE disposition = $${i + 6})::int`).join(', ')}] AS dispositions,
            count(*) FILTER (WHERE status = '已退单')::int AS returned,
            -- open_due_at: the earliest open checkpoint's due time, kept by the database (hub migration 13).
            count(*) FILTER (WHERE open_due_at < $5::timestamptz)::int AS overdue,
            count(*) FILTER (WHERE callback_at IS NOT NULL)::int AS callbacks,
            count(*) FILTER (WHERE callback_at IS NOT NULL AND callback_satisfaction = '满意')::int AS satisfied,
            count(*) FILTER (WHERE callback_at IS NOT NULL AND callback_satisfaction = '基本满意')::int AS basic,
            count(*) FILTER (WHERE callback_at IS NOT NULL AND callback_satisfaction = '不满意')::int AS unsatisfied,
            -- 未核验: the operator is the desk's word (server/desk-access.ts).
            count(*) FILTER (WHERE NOT operator_verified)::int AS unverified
       FROM s
      GROUP BY s.operator_id
      ORDER BY s.operator_id`,
    [...scopeParams(input), input.reportAt, ...DISPOSITIONS],
  );
  // The name on the operator's latest ticket, for operators with more than one name in the scope,
  // without a sort: the fixed-width instant leads the text.
  const renamed = figures.filter((r) => r.name !== r.name_low).map((r) => r.operator_id!);
  if (renamed.length > 0) {
    const latest = await db.query<{ operator_id: string; name: string }>(
      `SELECT operator_id, substr(max(to_char(submitted_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || operator_name), 21) AS name
         ${IN_SCOPE} AND operator_id = ANY($5::text[])
        GROUP BY operator_id`,
      [...scopeParams(input), renamed],
    );
    const names = new Map(latest.map((r) => [r.operator_id, r.name]));
    for (const r of figures) if (names.has(r.operator_id!)) r.name = names.get(r.operator_id!)!;
  }
  return figures;
}

/**
 * Per operator from the per-day summary tally_day (hub migration 18): a month is a few rows per
 * operator and day; the handling times come in microseconds. 超期 depends on the report's instant and
 * is counted from the scope's open tickets (index tickets_open_due_shift).
 */
async function summaryOperators(db: Sql, input: TallyInput): Promise<OperatorRow[]> {
  const figures = await db.query<OperatorRow>(
    `SELECT ${OPERATOR_COLUMNS},
            substr(max(to_char(latest_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || latest_name), 21) AS name, max(latest_at) AS latest,
            sum(taken)::int AS taken, sum(measured)::int AS measured,
            string_agg(array_to_string(handling_us, ','), ',') FILTER (WHERE measured > 0) AS handlings,
            ARRAY[${DISPOSITIONS.map((_, i) => `COALESCE(sum((dispositions->>$${i + 5})::int), 0)::int`).join(', ')}] AS dispositions,
            sum(returned)::int AS returned, 0 AS overdue, sum(callbacks)::int AS callbacks, sum(satisfied)::int AS satisfied,
            sum(basic)::int AS basic, sum(unsatisfied)::int AS unsatisfied, sum(unverified)::int AS unverified
       FROM tally_day WHERE shift_date BETWEEN $1::date AND $2::date AND ${TALLY_SCOPE}
      GROUP BY operator_id
      ORDER BY operator_id`,
    [...scopeParams(input), ...DISPOSITIONS],
  );
  const overdue = await db.query<{ operator_id: string; n: number }>(
    `SELECT operator_id, count(*)::int AS n ${IN_SCOPE} AND open_due_at < $5::timestamptz GROUP BY operator_id`,
    [...scopeParams(input), input.reportAt],
  );
  const late = new Map(overdue.map((r) => [r.operator_id, r.n]));
  for (const r of figures) r.overdue = late.get(r.operator_id!) ?? 0;
  return figures;
}

/** The hours, categories, streets × 一级 category, days and 受理渠道 from the tickets; the trend's days before the scope. */
async function livePlaces(db: Sql, input: TallyInput): Promise<{ places: TallyRow[]; earlier: Array<{ day: string; n: number }> }> {
  const catLength = input.categoryLevel === 1 ? 2 : input.categoryLevel === 2 ? 4 : 1000;
  const places = await db.query<TallyRow>(
    `SELECT 1 AS g_op, GROUPING(hour)::int AS g_hour, GROUPING(cat)::int AS g_cat, GROUPING(street_code, top)::int AS g_place, GROUPING(shift_date)::int AS g_day,
            GROUPING(channel)::int AS g_chan, channel,
            NULL::text AS operator_id, hour, cat, street_code, top, to_char(shift_date, 'YYYY-MM-DD') AS day, count(*)::int AS taken
       FROM (SELECT date_part('hour', (submitted_at + make_interval(mins => ${CENTER_UTC_OFFSET_MINUTES})) AT TIME ZONE 'UTC')::int AS hour,
                    left(leaf_code, ${catLength}) AS cat, left(leaf_code, 2) AS top, street_code, shift_date, channel
               ${IN_SCOPE}) AS s
      GROUP BY GROUPING SETS ((hour), (cat), (street_code, top), (shift_date), (channel))`,
    scopeParams(input),
  );
  const earlier =
    input.trendFrom < input.from
      ? await db.query<{ day: string; n: number }>(
          `SELECT to_char(shift_date, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM tickets
            WHERE shift_date >= $1::date AND shift_date < $2::date AND ${TALLY_SCOPE}
            GROUP BY shift_date`,
          [input.trendFrom, input.from, input.shiftCode, input.operatorIds],
        )
      : [];
  return { places, earlier };
}

/** The whole months within [from, to] (their first days) and the days of [from, to] outside them. */
export function monthsAndDays(from: string, to: string): { months: string[]; days: string[] } {
  const months: string[] = [];
  const days: string[] = [];
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; ) {
    const day = new Date(t);
    const monthStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1);
    const nextMonth = Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1);
    if (t === monthStart && nextMonth - 86_400_000 <= end) {
      months.push(iso(t));
      t = nextMonth;
    } else {
      days.push(iso(t));
      t += 86_400_000;
    }
  }
  return { months, days };
}

/**
 * The same from the per-day summaries (hub migration 18): the days (and the trend's days before
 * the scope) from tally_day, the rest from tally_dim — the whole months of the range from its month
 * rows, the other days from its day rows. tally_dim has no operator: a tally of chosen operators
 * counts those from their tickets.
 */
async function summaryPlaces(db: Sql, input: TallyInput): Promise<{ places: TallyRow[]; earlier: Array<{ day: string; n: number }> }> {
  const days = await db.query<{ day: string; n: number }>(
    `SELECT to_char(shift_date, 'YYYY-MM-DD') AS day, sum(taken)::int AS n FROM tally_day
      WHERE shift_date >= LEAST($1::date, $5::date) AND shift_date <= $2::date AND ${TALLY_SCOPE}
      GROUP BY shift_date ORDER BY shift_date`,
    [...scopeParams(input), input.trendFrom],
  );
  const earlier = days.filter((d) => d.day < input.from);
  const none = { g_op: 1, g_hour: 1, g_cat: 1, g_place: 3, g_day: 1, g_chan: 1, channel: null, operator_id: null, hour: null, cat: null, street_code: null, top: null, day: null } as const;
  const places: TallyRow[] = days.filter((d) => d.day >= input.from).map((d) => ({ ...none, g_day: 0, day: d.day, taken: d.n }) as TallyRow);
  if (input.operatorIds.length > 0) {
    const live = await livePlaces(db, { ...input, trendFrom: input.from });
    return { places: [...places, ...live.places.filter((r) => r.g_day === 1)], earlier };
  }
  const { months, days: partDays } = monthsAndDays(input.from, input.to);
  const dims = await db.query<{ dim: string; key: string; top: string; taken: number }>(
    `SELECT dim, key, top, sum(taken)::int AS taken FROM tally_dim
      WHERE ((span = 'm' AND period = ANY($1::date[])) OR (span = 'd' AND period = ANY($2::date[]))) AND ($3::text IS NULL OR shift_code = $3)
      GROUP BY dim, key, top HAVING sum(taken) <> 0`,
    [months, partDays, input.shiftCode],
  );
  const catLength = input.categoryLevel === 1 ? 2 : input.categoryLevel === 2 ? 4 : undefined;
  const cats = new Map<string | null, number>();
  for (const d of dims) {
    if (d.dim === 'h') places.push({ ...none, g_hour: 0, hour: Number(d.key), taken: d.taken } as TallyRow);
    else if (d.dim === 'p') places.push({ ...none, g_place: 0, street_code: d.key || null, top: d.top || null, taken: d.taken } as TallyRow);
    else if (d.dim === 'c') places.push({ ...none, g_chan: 0, channel: d.key, taken: d.taken } as TallyRow);
    else if (d.dim === 'l') {
      const cat = d.key === '' ? null : d.key.slice(0, catLength);
      cats.set(cat, (cats.get(cat) ?? 0) + d.taken);
    }
  }
  for (const [cat, taken] of cats) places.push({ ...none, g_cat: 0, cat, taken } as TallyRow);
  return { places, earlier };
}

/**
 * The team lead's center-wide shift log as counts (`stats.shiftTally`, shared/stats/center-tally.ts):
 * the same figures the desk computes from rows (shared/stats/shift-report.ts tallyTickets), counted
 * in the database over the scope: per operator, the total, the hours, the categories at the asked
 * level, streets × 一级 category, the days and the trend's days before the scope. Nothing is capped
 * and no ticket row leaves the database. What each figure counts is shared/stats/shift-metrics.ts:
 * handling = submit − call start (negative: unmeasured; median the mean of the middle two, p90 the
 * nearest rank), overdue = an open deadline due before the report's instant, a callback =
 * tickets.callback_at set, 未核验 = tickets.operator_verified false (the operator is the taking
 * desk's word, server/desk-access.ts).
 *
 * At a month's volume (docs/decisions/0006-rankings-at-volume.md) the figures come from the per-day
 * summaries tally_day and tally_dim (hub migration 18), kept by the tickets' trigger; `live` counts
 * them from the tickets instead (the covering index tickets_shift_tally), as the summaries' test
 * does to check them. The medians and p90s are computed here from each operator's measured
 * handling times (the only per-ticket values that leave the database, as numbers). Two
 * transactions run at once (each its own connection): the operators' figures, and the rest.
 */
export async function shiftTally(
  run: <T>(statements: (db: Sql) => Promise<T>) => Promise<T>,
  input: TallyInput,
  options: { live?: boolean } = {},
): Promise<CenterTally> {
  const live = options.live === true;
  type Row = TallyRow;
  const [figures, { places, earlier }] = await Promise.all([
    run((db) => (live ? liveOperators(db, input) : summaryOperators(db, input))),
    run((db) => (live ? livePlaces(db, input) : summaryPlaces(db, input))),
  ]);
  // The median and p90 as percentile_cont(0.5) and percentile_disc(0.9) compute them (the same
  // doubles), per operator and over all; a sort in the database per operator and one over the month
  // cost more than the counts. The totals' counts are the operators' summed.
  const measured = figures.map((r) =>
    r.handlings === null ? new Float64Array(0) : live ? Float64Array.from(r.handlings.split(','), Number) : microsAsSeconds(r.handlings, r.measured),
  );
  const all = new Float64Array(measured.reduce((n, values) => n + values.length, 0));
  let filled = 0;
  for (const [i, r] of figures.entries()) {
    const values = measured[i]!;
    all.set(values, filled);
    filled += values.length;
    Object.assign(r, medianAndP90(values));
  }
  if (figures.length > 0) {
    const sum = (pick: (r: Row) => number) => figures.reduce((n, r) => n + pick(r), 0);
    figures.push({
      ...figures[0]!,
      g_op: 1,
      operator_id: null,
      name: null,
      latest: null,
      handlings: null,
      ...medianAndP90(all),
      taken: sum((r) => r.taken),
      measured: sum((r) => r.measured),
      dispositions: DISPOSITIONS.map((_, i) => sum((r) => Number(r.dispositions[i]))),
      returned: sum((r) => r.returned),
      overdue: sum((r) => r.overdue),
      callbacks: sum((r) => r.callbacks),
      satisfied: sum((r) => r.satisfied),
      basic: sum((r) => r.basic),
      unsatisfied: sum((r) => r.unsatisfied),
      unverified: sum((r) => r.unverified),
    });
  }
  const rows = [...figures, ...places];
  const counts = (r: (typeof rows)[number]) => ({
    taken: r.taken,
    unmeasured: r.taken - r.measured,
    handling: { measured: r.measured, medianSeconds: r.median === null ? null : Math.round(Number(r.median)), p90Seconds: r.p90 === null ? null : Math.round(Number(r.p90)) },
    dispositions: r.dispositions.map(Number),
    ...{ returned: r.returned, overdue: r.overdue, callbacks: r.callbacks, satisfied: r.satisfied, basic: r.basic, unsatisfied: r.unsatisfied, unverified: r.unverified },
  });
  const set = (op: number, hour: number, cat: number, place: number, day: number, chan = 1) =>
    rows.filter((r) => r.g_op === op && r.g_hour === hour && r.g_cat === cat && r.g_place === place && r.g_day === day && r.g_chan === chan);
  const total = set(1, 1, 1, 3, 1)[0];
  const hours = new Array<number>(24).fill(0);
  for (const r of set(1, 0, 1, 3, 1)) if (r.hour !== null) hours[r.hour] = r.taken;
  const streets = new Map<string, { code: string; count: number; categories: Array<[string, number]> }>();
  let withoutStreet = 0;
  for (const r of set(1, 1, 1, 0, 1)) {
    if (r.street_code === null) {
      withoutStreet += r.taken;
      continue;
    }
    let street = streets.get(r.street_code);
    if (!street) streets.set(r.street_code, (street = { code: r.street_code, count: 0, categories: [] }));
    street.count += r.taken;
    if (r.top !== null) street.categories.push([r.top, r.taken]);
  }
  const instant = (v: Date | string | null) => (v === null ? 0 : (v instanceof Date ? v : new Date(v)).getTime());
  const cats = set(1, 1, 0, 3, 1);
  return {
    operators: set(0, 1, 1, 3, 1).map((r) => ({ operatorId: r.operator_id!, operatorName: r.name ?? r.operator_id!, latestMs: instant(r.latest), ...counts(r) })),
    totals: total ? counts(total) : { taken: 0, unmeasured: 0, handling: { measured: 0, medianSeconds: null, p90Seconds: null }, dispositions: DISPOSITIONS.map(() => 0), returned: 0, overdue: 0, callbacks: 0, satisfied: 0, basic: 0, unsatisfied: 0, unverified: 0 },
    hours,
    categories: cats.filter((r) => r.cat !== null).map((r) => [r.cat!, r.taken] as [string, number]),
    unclassified: cats.filter((r) => r.cat === null).reduce((n, r) => n + r.taken, 0),
    streets: [...streets.values()],
    withoutStreet,
    days: [...earlier.map((r) => [r.day, r.n] as [string, number]), ...set(1, 1, 1, 3, 0).map((r) => [r.day!, r.taken] as [string, number])],
    channels: set(1, 1, 1, 3, 1, 0).map((r) => [r.channel ?? '电话', r.taken] as [string, number]),
  };
}
