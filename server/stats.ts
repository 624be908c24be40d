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
  }>(
    `WITH t AS (
       SELECT COALESCE(${group.key}, '') AS key, ${group.name} AS name, submitted_at, accepted_at,
              callback_at, callback_resolved, callback_satisfaction,
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
              FILTER (WHERE callback_at IS NOT NULL) AS satisfaction
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
  }>(
    `SELECT id::text AS id, operator_id, operator_name, shift_code, to_char(shift_date, 'YYYY-MM-DD') AS shift_date,
            call_started_at, submitted_at, leaf_code, street_code, disposition, status, deadlines,
            callback_satisfaction, callback_at
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
    })),
  };
}
