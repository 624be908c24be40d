/**
 * The rankings' per-day summary (hub migration 16, table rank_day): the sums server/rankings.ts's
 * rates are made of, by submission day, kind of group (unit, street, district, 一级 category, and
 * 受理渠道 for the channel split), key and district, moved by a trigger with every ticket write. A month's ranking reads some thousand
 * summary rows instead of every ticket of the month. Why and how it stays right:
 * docs/decisions/0006-rankings-at-volume.md.
 *
 * What the counts depend on besides the ticket — the SLA policy's response limits, the dispatching
 * dispositions, the satisfaction weights — is the rank_settings row; the hub writes it at start and
 * counts rank_day again from every ticket when it changed (a center edited sla.json).
 */
import type { RankGroup } from '../shared/stats/rankings-schema';
import { DISPATCHING_DISPOSITIONS } from '../shared/lifecycle/ticket-lifecycle';
import type { SlaPolicy } from '../shared/sla/policy';
import { SATISFACTION_WEIGHT } from '../shared/stats/shift-metrics';
import type { Database, Sql } from './db';
import { lockEvents } from './migrations';
import { responseLimits, type FigureRow } from './rankings';

/** The groupings rank_day holds; by community the rankings count from the tickets. */
export const SUMMARY_KINDS: ReadonlySet<RankGroup> = new Set<RankGroup>(['unit', 'street', 'district', 'category']);

export interface RankSettings {
  limits: Record<string, number>;
  dispositions: string[];
  weights: Record<string, number>;
}

export function rankSettingsOf(policy: SlaPolicy): RankSettings {
  return { limits: responseLimits(policy), dispositions: [...DISPATCHING_DISPOSITIONS], weights: { ...SATISFACTION_WEIGHT } };
}

/**
 * Writes the settings and, when they differ from the stored ones (or none were stored: a new
 * database, or one upgraded to migration 16), counts rank_day again from every ticket. Under
 * EVENTS_LOCK, so no ticket write runs meanwhile and two hubs starting at once rebuild once.
 * Returns whether it rebuilt.
 */
export async function ensureRankSettings(db: Database, settings: RankSettings): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockEvents(tx);
    const [same] = await tx.query<{ same: boolean }>(
      `SELECT limits = $1::jsonb AND dispositions = $2::text[] AND weights = $3::jsonb AS same FROM rank_settings`,
      [JSON.stringify(settings.limits), settings.dispositions, JSON.stringify(settings.weights)],
    );
    if (same?.same) return false;
    await tx.query(
      `INSERT INTO rank_settings (id, limits, dispositions, weights) VALUES (true, $1::jsonb, $2::text[], $3::jsonb)
       ON CONFLICT (id) DO UPDATE SET limits = EXCLUDED.limits, dispositions = EXCLUDED.dispositions, weights = EXCLUDED.weights`,
      [JSON.stringify(settings.limits), settings.dispositions, JSON.stringify(settings.weights)],
    );
    await tx.query('SELECT rank_rebuild()');
    // The planner's figures for the table just filled (a month is some hundred thousand rows to sum by hash).
    await tx.query('ANALYZE rank_day');
    return true;
  });
}

const SUMS = `sum(tickets)::int AS tickets, sum(responded)::int AS responded, sum(answered)::int AS answered, sum(resolved)::int AS resolved,
  sum(callbacks)::int AS callbacks, CASE WHEN sum(rated) = 0 THEN NULL ELSE sum(satisfaction_sum) END AS satisfaction_sum,
  sum(first_rated)::int AS first_rated, sum(first_satisfied)::int AS first_satisfied, sum(reopened)::int AS reopened,
  sum(returned)::int AS returned, sum(away)::int AS away, sum(repeated)::int AS repeated`;

/**
 * A range's groups (with tickets credited or returned), and with `withTrend` each day's and the
 * whole range's sums — the rows server/rankings.ts figureRows counts from the tickets. The trend and
 * the total come from the district rows: every counted ticket has exactly one of those.
 */
export async function summaryFigureRows(
  db: Sql,
  groupBy: RankGroup,
  from: string,
  to: string,
  districtCode: string | null,
  withTrend: boolean,
): Promise<FigureRow[]> {
  const where = `day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)`;
  return db.query<FigureRow>(
    `SELECT key, NULL::text AS day, 0 AS grouping_key, 1 AS grouping_day, min(name) AS name, ${SUMS}
       FROM rank_day WHERE kind = $4 AND ${where}
      GROUP BY key HAVING sum(tickets) + sum(away) > 0
     UNION ALL
     SELECT NULL::text, to_char(day, 'YYYY-MM-DD'), 1, 0, NULL::text, ${SUMS}
       FROM rank_day WHERE kind = 'district' AND ${where} AND $5::boolean
      GROUP BY day HAVING sum(tickets) > 0
     UNION ALL
     SELECT NULL::text, NULL::text, 1, 1, NULL::text, ${SUMS}
       FROM rank_day WHERE kind = 'district' AND ${where}
     HAVING sum(tickets) > 0`,
    [from, to, districtCode, groupBy, withTrend],
  );
}

/** The counted tickets of a range by 受理渠道 (the rankings' channel split), from the summary. */
export async function summaryChannels(db: Sql, from: string, to: string, districtCode: string | null): Promise<Array<{ channel: string; tickets: number }>> {
  return db.query<{ channel: string; tickets: number }>(
    `SELECT key AS channel, sum(tickets)::int AS tickets FROM rank_day
      WHERE kind = 'channel' AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)
      GROUP BY key HAVING sum(tickets) > 0`,
    [from, to, districtCode],
  );
}
