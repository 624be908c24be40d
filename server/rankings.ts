/**
 * 考核: 响应率, 解决率, 满意率, 初次满意率, 重办率, 退单率 and 重复诉求率 by unit, street, district or
 * 一级 category over a range of Beijing submission dates, ranked by the 综合得分 of
 * resources/policy/scoring.json (shared/stats/scoring.ts), with the previous period of the same
 * length beside it; the tickets behind any figure; and who may see what. Every figure is counted in
 * PostgreSQL, so a month of tickets never leaves the database: by unit, street, district and
 * category from the per-day summary the database keeps with every ticket write (server/rank-summary.ts),
 * by community and for the tickets behind a figure from the tickets (rowsSql: one statement a period,
 * GROUPING SETS for the groups, the daily trend and the total). The definitions, and why, are
 * docs/decisions/0005-rates-and-rankings.md; in short:
 * - base: dispatched tickets (DISPATCHING_DISPOSITIONS) submitted in the range, without approved
 *   不合理诉求 (tickets.unreasonable_at). 咨询办结 and 重复诉求 are no dispatched disposition, so a
 *   consultation the knowledge base closed is out and a repeat call counts once, with its original.
 * - a unit is credited with the ticket its 主办 has now (tickets.unit_code), or the unit it was
 *   dispatched to while it waits at the center; a unit that returned it (退单 event, from_unit_code)
 *   has it in its 退单率 too.
 * - responded: the first 接单 (tickets.accepted_at, written with the 接单 event) within the response
 *   limit after 受理: the shortest dispatch_ rule of the SLA policy for the ticket's urgency and
 *   disposition (sla.json: 即时/紧急 15 min, 一般 2 h), else its contact_ rule when that counts in
 *   minutes or hours (responseLimits). From 受理, as the policy counts every clock, and not from the
 *   ticket's current deadlines, which a 重办 or 重新派单 starts again.
 * - resolved: the latest callback's 已解决; without a callback, the unit's 是否解决 at 办结.
 * - satisfied: the latest callback, 满意 1 / 基本满意 0.8 / 不满意 0 (SATISFACTION_WEIGHT); first
 *   satisfied: the first 回访 event said 满意 or 基本满意.
 * - reopened: at least one ticket_events row of kind 重办. repeated: at least one 重复诉求 ticket
 *   linked to it (tickets.linked_ticket_id).
 */
import type { HubUser } from '../shared/api/hub-contract';
import { URGENCIES } from '../shared/domain/catalogue';
import { CHANNELS } from '../shared/domain/ticket';
import { CHECKPOINT_PREFIX, DISPATCHING_DISPOSITIONS } from '../shared/lifecycle/ticket-lifecycle';
import type { SlaPolicy } from '../shared/sla/policy';
import { fail, ok, type Result } from '../shared/result';
import { SATISFACTION_WEIGHT } from '../shared/stats/shift-metrics';
import { MAX_RANKING_TICKETS, type RankFigure, type RankGroup, type RateFigures, type RankingRow, type Rankings, type RankingTicket } from '../shared/stats/rankings-schema';
import { compositeScore, previousPeriod, rankScores, type ScoringPolicy } from '../shared/stats/scoring';
import { workRoleOf } from '../shared/workspace/roles';
import type { Database, Sql } from './db';
import { SUMMARY_KINDS, summaryChannels, summaryFigureRows } from './rank-summary';
import type { UnitDirectory } from './units';

export const UNKNOWN_NAME = '未明确';

/**
 * Runs a month-sized aggregate in one read transaction without PostgreSQL's JIT (compiling the
 * statement cost more than running it: ~1 s of a 1.3 s ranking on 100,000 tickets, measured by
 * bench/rankings.bench.ts) and with room to sort in memory. PGlite has no JIT; the settings are harmless there.
 */
export function analytic<T>(db: Database, run: (sql: Sql) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // A month is most of a young table: without these, PostgreSQL read the wide rows rather than the
    // covering index (hub migration 13) and sorted 400,000 rows by id to merge-join a few thousand.
    await tx.query(
      `SELECT set_config('jit', 'off', true), set_config('work_mem', '128MB', true), set_config('random_page_cost', '1.1', true), set_config('enable_mergejoin', 'off', true)`,
    );
    return run(tx);
  });
}

/** Whose tickets a person may rank: the whole city, or a sub-center's district. */
export interface RankScope {
  districtCode: string | null;
  label: string;
}

/** 市中心, team leads and admins see the city; a sub-center its district; a unit nothing here. */
export function rankScopeOf(user: HubUser, directory: UnitDirectory): Result<RankScope> {
  if (user.role === 'call_taker') return fail('forbidden', '考核排名供市中心、分中心和班长查看');
  const unit = user.unitCode ? (directory.units.get(user.unitCode) ?? null) : null;
  const role = workRoleOf(user.role, unit?.kind ?? null);
  if (role === 'admin' || role === 'center') return ok({ districtCode: null, label: '全市' });
  if (role === 'subcenter' && unit?.districtCode) return ok({ districtCode: unit.districtCode, label: unit.name.replace('接诉即办分中心', '') || unit.name });
  return fail('forbidden', '考核排名供市中心、分中心和班长查看；承办单位请在工单队列查看本单位工单');
}

const KEYS: Record<RankGroup, { key: string; name: string }> = {
  unit: { key: `COALESCE(t.unit_code, t.dispatched_unit_code, '')`, name: `NULL::text` },
  street: { key: `COALESCE(t.street_code, '')`, name: `t.names->>'street'` },
  district: { key: `COALESCE(t.district_code, '')`, name: `t.names->>'district'` },
  category: { key: `COALESCE(substr(t.leaf_code, 1, 2), '')`, name: `t.names->'leafPath'->>0` },
  community: { key: `COALESCE(t.village_code, '')`, name: `NULL::text` },
};

/**
 * Minutes to 接单 by `urgency|disposition`: the shortest dispatch_ rule that applies, else the
 * shortest contact_ rule in minutes or hours; a pair with neither has no limit (accepted at all counts).
 */
export function responseLimits(policy: SlaPolicy): Record<string, number> {
  const out: Record<string, number> = {};
  const minutes = (r: SlaPolicy['rules'][number]) => (r.unit === 'minutes' ? r.amount : r.unit === 'hours' ? r.amount * 60 : null);
  for (const urgency of URGENCIES) {
    for (const disposition of DISPATCHING_DISPOSITIONS) {
      const applies = (r: SlaPolicy['rules'][number]) =>
        (!r.appliesTo.urgencies || r.appliesTo.urgencies.includes(urgency)) && (!r.appliesTo.dispositions || (r.appliesTo.dispositions as readonly string[]).includes(disposition));
      for (const prefix of [CHECKPOINT_PREFIX.dispatch, CHECKPOINT_PREFIX.contact]) {
        const found = policy.rules.filter((r) => r.id.startsWith(prefix) && applies(r)).map(minutes).filter((m): m is number => m !== null);
        if (found.length > 0) {
          out[`${urgency}|${disposition}`] = Math.min(...found);
          break;
        }
      }
    }
  }
  return out;
}

const weightCase = (column: string) =>
  `CASE ${column} ${Object.entries(SATISFACTION_WEIGHT)
    .map(([k, w]) => `WHEN '${k}' THEN ${Number(w)}`)
    .join(' ')} END`;

/**
 * The per-ticket rows of a range and scope ($1 from, $2 to, $3 dispositions, $4 district or null,
 * $5 the response limits),
 * one per ticket credited to its group, plus (by unit) one per unit that returned a ticket now
 * credited elsewhere (credited = false). Shared by the figures and the drill-down.
 */
function rowsSql(groupBy: RankGroup, wide: boolean): string {
  const g = KEYS[groupBy];
  const away =
    groupBy === 'unit'
      ? `UNION ALL
         SELECT b.*, NULL::text AS first_satisfaction, 0 AS reopens, ra.returns, 0 AS repeats,
                FALSE AS credited, r.unit AS key, NULL::text AS name, TRUE AS returned_here, TRUE AS returned_any
           FROM base b JOIN retagg ra ON ra.ticket_id = b.id CROSS JOIN LATERAL unnest(ra.units) AS r(unit)
          WHERE r.unit IS DISTINCT FROM b.unit_key`
      : '';
  const here = groupBy === 'unit' ? `COALESCE(b.unit_key = ANY(ra.units), FALSE)` : `ra.units IS NOT NULL`;
  return `
    base AS (
      SELECT t.id, t.submitted_at, t.submitted_date, ${g.key} AS gkey, ${g.name} AS gname,
             ${wide ? 't.number, t.urgency, t.status, t.names, t.content, t.village_code, t.deadlines,' : ''}
             COALESCE(t.unit_code, t.dispatched_unit_code) AS unit_key,
             t.accepted_at, t.callback_at, t.callback_resolved, t.callback_satisfaction, t.unit_resolved,
             t.submitted_at + make_interval(mins => ($5::jsonb->>(t.urgency || '|' || t.disposition))::int) AS response_due,
             t.first_callback_satisfaction AS first_callback, t.reopen_events
        FROM tickets t
       WHERE t.submitted_date BETWEEN $1::date AND $2::date
         AND t.disposition = ANY($3::text[])
         AND t.unreasonable_at IS NULL
         AND ($4::text IS NULL OR t.district_code = $4)
    ),
    -- The first 回访 and the 重办 count are the ticket's own columns, kept from ticket_events by the
    -- database (hub migration 13). 退单 events of tickets submitted in the range come after its start:
    -- the scan (ticket_events_returns_at) filters on that and hash-joins to base below.
    retagg AS (
      SELECT e.ticket_id, array_agg(DISTINCT e.from_unit_code) AS units, count(*)::int AS returns
        FROM ticket_events e
       WHERE e.kind = '退单' AND e.at >= $1::date - 1 AND e.from_unit_code IS NOT NULL
       GROUP BY e.ticket_id
    ),
    rep AS (
      SELECT linked_ticket_id AS id, count(*)::int AS repeats
        FROM tickets
       WHERE disposition = '重复诉求' AND linked_ticket_id IS NOT NULL AND submitted_date >= $1::date
       GROUP BY linked_ticket_id
    ),
    per AS (
      SELECT b.*, b.first_callback AS first_satisfaction, b.reopen_events AS reopens, COALESCE(ra.returns, 0) AS returns,
             COALESCE(rep.repeats, 0) AS repeats,
             TRUE AS credited, b.gkey AS key, b.gname AS name, ${here} AS returned_here, ra.units IS NOT NULL AS returned_any
        FROM base b
        LEFT JOIN retagg ra ON ra.ticket_id = b.id
        LEFT JOIN rep ON rep.id = b.id
      ${away}
    )`;
}

/** The condition on `per` for the tickets behind a figure. */
const FIGURE_SQL: Record<RankFigure, string> = {
  tickets: 'credited',
  notResponded: 'credited AND NOT (accepted_at IS NOT NULL AND (response_due IS NULL OR accepted_at <= response_due))',
  unresolved: `credited AND (CASE WHEN callback_at IS NOT NULL THEN callback_resolved ELSE unit_resolved END) IS FALSE`,
  unsatisfied: `credited AND callback_at IS NOT NULL AND callback_satisfaction IS DISTINCT FROM '满意'`,
  notFirstSatisfied: `credited AND first_satisfaction IS NOT NULL AND first_satisfaction NOT IN ('满意', '基本满意')`,
  reopened: 'credited AND reopens > 0',
  returned: 'returned_here',
  repeated: 'credited AND repeats > 0',
  // An open checkpoint past due now (the hub's clock, $7 in rankingTickets).
  overdue: `credited AND EXISTS (SELECT 1 FROM jsonb_array_elements(deadlines) AS d WHERE d->>'doneAt' IS NULL AND (d->>'dueAt')::timestamptz < $7::timestamptz)`,
};

export interface FigureRow {
  key: string | null;
  day: string | null;
  grouping_key: number;
  grouping_day: number;
  name: string | null;
  tickets: number;
  responded: number;
  answered: number;
  resolved: number;
  callbacks: number;
  satisfaction_sum: number | string | null;
  first_rated: number;
  first_satisfied: number;
  reopened: number;
  returned: number;
  away: number;
  repeated: number;
}

/**
 * A range's figures by group (and with the trend, by day and in total): from the per-day summary
 * (server/rank-summary.ts, hub migration 16) for the groupings it holds, else from the tickets.
 */
async function figureRows(db: Sql, limits: Record<string, number>, groupBy: RankGroup, from: string, to: string, scope: RankScope, withTrend: boolean): Promise<FigureRow[]> {
  if (SUMMARY_KINDS.has(groupBy)) return summaryFigureRows(db, groupBy, from, to, scope.districtCode, withTrend);
  return liveFigureRows(db, limits, groupBy, from, to, scope, withTrend);
}

/** The same figures counted from the tickets and their events (the summary's reference in test/hub/rank-summary.test.ts). */
export async function liveFigureRows(db: Sql, limits: Record<string, number>, groupBy: RankGroup, from: string, to: string, scope: RankScope, withTrend: boolean): Promise<FigureRow[]> {
  const sets = withTrend ? '(key), (submitted_date), ()' : '(key), ()';
  return db.query<FigureRow>(
    `WITH ${rowsSql(groupBy, false)}
     SELECT key, ${withTrend ? `to_char(submitted_date, 'YYYY-MM-DD')` : 'NULL::text'} AS day,
            GROUPING(key)::int AS grouping_key, ${withTrend ? 'GROUPING(submitted_date)::int' : '1'} AS grouping_day,
            min(name) AS name,
            count(*) FILTER (WHERE credited)::int AS tickets,
            count(*) FILTER (WHERE ${FIGURE_SQL.tickets} AND NOT (${FIGURE_SQL.notResponded}))::int AS responded,
            count(*) FILTER (WHERE credited AND (callback_at IS NOT NULL OR unit_resolved IS NOT NULL))::int AS answered,
            count(*) FILTER (WHERE credited AND (CASE WHEN callback_at IS NOT NULL THEN callback_resolved ELSE unit_resolved END))::int AS resolved,
            count(*) FILTER (WHERE credited AND callback_at IS NOT NULL)::int AS callbacks,
            sum(${weightCase('callback_satisfaction')}) FILTER (WHERE credited AND callback_at IS NOT NULL) AS satisfaction_sum,
            count(*) FILTER (WHERE credited AND first_satisfaction IS NOT NULL)::int AS first_rated,
            count(*) FILTER (WHERE credited AND first_satisfaction IN ('满意', '基本满意'))::int AS first_satisfied,
            count(*) FILTER (WHERE ${FIGURE_SQL.reopened})::int AS reopened,
            CASE WHEN GROUPING(key) = 1 THEN count(*) FILTER (WHERE credited AND returned_any) ELSE count(*) FILTER (WHERE returned_here) END::int AS returned,
            CASE WHEN GROUPING(key) = 1 THEN 0 ELSE count(*) FILTER (WHERE NOT credited) END::int AS away,
            count(*) FILTER (WHERE ${FIGURE_SQL.repeated})::int AS repeated
       FROM per
      GROUP BY GROUPING SETS (${sets})`,
    [from, to, DISPATCHING_DISPOSITIONS, scope.districtCode, JSON.stringify(limits)],
  );
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function toFigures(r: FigureRow): RateFigures {
  const satisfaction = r.satisfaction_sum === null ? null : Number(r.satisfaction_sum);
  return {
    tickets: r.tickets,
    responded: r.responded,
    responseRate: ratio(r.responded, r.tickets),
    answered: r.answered,
    resolved: r.resolved,
    resolutionRate: ratio(r.resolved, r.answered),
    callbacks: r.callbacks,
    satisfactionRate: satisfaction === null || r.callbacks === 0 ? null : satisfaction / r.callbacks,
    firstSatisfied: r.first_satisfied,
    firstSatisfactionRate: ratio(r.first_satisfied, r.first_rated),
    reopened: r.reopened,
    reopenRate: ratio(r.reopened, r.tickets),
    returned: r.returned,
    returnRate: ratio(r.returned, r.tickets + r.away),
    repeated: r.repeated,
    repeatRate: ratio(r.repeated, r.tickets),
  };
}

const EMPTY_ROW: FigureRow = {
  ...{ key: null, day: null, grouping_key: 1, grouping_day: 1, name: null, tickets: 0, responded: 0, answered: 0, resolved: 0, callbacks: 0 },
  ...{ satisfaction_sum: null, first_rated: 0, first_satisfied: 0, reopened: 0, returned: 0, away: 0, repeated: 0 },
};

/** The rankings' base (rowsSql) by 受理渠道: how many counted tickets came by phone, 微信, 网络 … and their share. */
export async function channelSplit(db: Sql, from: string, to: string, scope: RankScope): Promise<Rankings['channels']> {
  return sharesOf(await summaryChannels(db, from, to, scope.districtCode));
}

/** The same split counted from the tickets (the summary's reference in test/hub/rank-summary.test.ts). */
export async function liveChannels(db: Sql, from: string, to: string, scope: RankScope): Promise<Array<{ channel: string; tickets: number }>> {
  return db.query<{ channel: string; tickets: number }>(
    `SELECT channel, count(*)::int AS tickets
       FROM tickets t
      WHERE t.submitted_date BETWEEN $1::date AND $2::date
        AND t.disposition = ANY($3::text[])
        AND t.unreasonable_at IS NULL
        AND ($4::text IS NULL OR t.district_code = $4)
      GROUP BY channel`,
    [from, to, DISPATCHING_DISPOSITIONS, scope.districtCode],
  );
}

function sharesOf(rows: Array<{ channel: string; tickets: number }>): Rankings['channels'] {
  const total = rows.reduce((n, r) => n + r.tickets, 0);
  const order = (c: string) => {
    const i = (CHANNELS as readonly string[]).indexOf(c);
    return i < 0 ? CHANNELS.length : i;
  };
  return rows
    .sort((a, b) => order(a.channel) - order(b.channel) || a.channel.localeCompare(b.channel))
    .map((r) => ({ channel: r.channel, tickets: r.tickets, share: total === 0 ? 0 : r.tickets / total }));
}

export interface RankingsInput {
  from: string;
  to: string;
  groupBy: RankGroup;
}

export interface RankDeps {
  directory: UnitDirectory;
  policy: SlaPolicy;
}

export async function rankings(db: Sql, { directory, policy }: RankDeps, scoring: ScoringPolicy, scope: RankScope, input: RankingsInput): Promise<Rankings> {
  const previous = previousPeriod(input.from, input.to);
  const limits = responseLimits(policy);
  const [now, before] = [
    await figureRows(db, limits, input.groupBy, input.from, input.to, scope, true),
    await figureRows(db, limits, input.groupBy, previous.from, previous.to, scope, false),
  ];
  const nameOf = (key: string, name: string | null) =>
    key === '' ? UNKNOWN_NAME : input.groupBy === 'unit' ? (directory.units.get(key)?.name ?? key) : (name ?? directory.placeNames.get(key) ?? key);
  const ranked = (rows: FigureRow[]) => {
    const groups = rows.filter((r) => r.grouping_key === 0 && r.grouping_day === 1);
    const scored = groups.map((r) => {
      const f = toFigures(r);
      return { key: r.key!, name: nameOf(r.key!, r.name), figures: f, score: compositeScore(f, scoring) };
    });
    const ranks = rankScores(scored.map((s) => ({ tickets: s.figures.tickets, score: s.score })), scoring);
    return scored.map((s, i) => ({ ...s, rank: ranks[i]! }));
  };
  const earlier = new Map(ranked(before).map((r) => [r.key, r]));
  const rows: RankingRow[] = ranked(now)
    // A unit that only returned tickets, credited with none, is listed (its 退单率 is 100%).
    .map((r) => {
      const p = earlier.get(r.key);
      return { key: r.key, name: r.name, ...r.figures, score: r.score, rank: r.rank, previous: p ? { tickets: p.figures.tickets, score: p.score, rank: p.rank } : null };
    })
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.tickets - a.tickets || a.key.localeCompare(b.key));
  const total = now.find((r) => r.grouping_key === 1 && r.grouping_day === 1) ?? EMPTY_ROW;
  const trend = now
    .filter((r) => r.grouping_key === 1 && r.grouping_day === 0 && r.tickets > 0)
    .map((r) => {
      const f = toFigures(r);
      return { date: r.day!, tickets: f.tickets, responseRate: f.responseRate, resolutionRate: f.resolutionRate, satisfactionRate: f.satisfactionRate };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
  return {
    from: input.from,
    to: input.to,
    previous,
    groupBy: input.groupBy,
    scopeLabel: scope.label,
    weights: { ...scoring.weights },
    minTickets: scoring.minTickets,
    rows,
    totals: toFigures(total),
    trend,
    channels: await channelSplit(db, input.from, input.to, scope),
  };
}

/** The tickets behind one group's figure, oldest first, at most MAX_RANKING_TICKETS, with the full count. */
export async function rankingTickets(
  db: Sql,
  { directory, policy }: RankDeps,
  scope: RankScope,
  input: RankingsInput & { key: string | null; figure: RankFigure },
  now: Date,
): Promise<{ total: number; rows: RankingTicket[] }> {
  const rows = await db.query<{
    id: string;
    number: string;
    submitted_at: Date | string;
    unit_key: string | null;
    names: { unit?: string; street?: string | null; district?: string | null; leafPath?: string[] } | string;
    village_code: string | null;
    status: string;
    urgency: string;
    accepted_at: Date | string | null;
    callback_at: Date | string | null;
    callback_resolved: boolean | null;
    callback_satisfaction: string | null;
    reopens: number;
    returns: number;
    content: string;
    total: number;
  }>(
    `WITH ${rowsSql(input.groupBy, true)}
     SELECT id::text AS id, number, submitted_at, unit_key, names, village_code, status, urgency, accepted_at, callback_at,
            callback_resolved, callback_satisfaction, reopens, returns, left(content, 200) AS content, (count(*) OVER ())::int AS total
       FROM per
      WHERE ($6::text IS NULL OR key = $6) AND $7::timestamptz IS NOT NULL AND ${FIGURE_SQL[input.figure]}
      ORDER BY submitted_at, id
      LIMIT ${MAX_RANKING_TICKETS}`,
    [input.from, input.to, DISPATCHING_DISPOSITIONS, scope.districtCode, JSON.stringify(responseLimits(policy)), input.key, now.toISOString()],
  );
  const iso = (v: Date | string | null) => (v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString());
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => {
      const names = typeof r.names === 'string' ? (JSON.parse(r.names) as Exclude<typeof r.names, string>) : r.names;
      const place = [names.district, names.street, r.village_code ? directory.placeNames.get(r.village_code) : null].filter(Boolean).join(' ');
      return {
        id: r.id,
        number: r.number,
        submittedAt: iso(r.submitted_at)!,
        unitName: r.unit_key ? (directory.units.get(r.unit_key)?.name ?? names.unit ?? r.unit_key) : UNKNOWN_NAME,
        category: (names.leafPath ?? []).join(' / ') || UNKNOWN_NAME,
        place: place || UNKNOWN_NAME,
        status: r.status,
        urgency: r.urgency,
        acceptedAt: iso(r.accepted_at),
        callback: r.callback_at === null ? '未回访' : `${r.callback_resolved ? '已解决' : '未解决'}·${r.callback_satisfaction ?? ''}`,
        reopens: r.reopens,
        returns: r.returns,
        content: r.content,
      };
    }),
  };
}
