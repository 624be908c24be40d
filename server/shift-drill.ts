/**
 * The tickets behind one of the team lead's center-wide figures (`stats.shiftDrill`,
 * shared/api/center-drill-contract.ts): the scope of `stats.shiftTally` (server/stats.ts) with the
 * desk's drill filter written as SQL — the same tests as shared/stats/shift-metrics.ts drillTest —
 * newest first, one page at a time with the total, so a month is listed and exported whole without
 * shipping it at once; an export pages by the cursor of the last row (`after`, keyset over
 * (submitted_at, id)), so page 100 costs what page 1 does. Phone numbers are masked (shared/stats/mask.ts), in the content and the
 * address too, unless a 班长 or admin asks for them in full.
 */
import type { ShiftDrillCursor, ShiftDrillInput, ShiftDrillRow } from '../shared/api/center-drill-contract';
import type { HubUser } from '../shared/api/hub-contract';
import { mayReviewShifts } from '../shared/roles';
import { maskPhone, maskPhonesIn } from '../shared/stats/mask';
import { CENTER_UTC_OFFSET_MINUTES } from '../shared/time';
import type { Param, Sql } from './db';

/** The filter's condition and its parameters, numbered from `next`. */
function filterSql(filter: ShiftDrillInput['filter'], next: number): { where: string; params: Param[] } {
  const p = (i: number) => `$${next + i}`;
  switch (filter.kind) {
    case 'all':
      return { where: 'TRUE', params: [] };
    case 'day':
      return { where: `shift_date = ${p(0)}::date`, params: [filter.date] };
    case 'hour':
      return {
        where: `extract(hour FROM (submitted_at + make_interval(mins => ${CENTER_UTC_OFFSET_MINUTES})) AT TIME ZONE 'UTC')::int = ${p(0)}::int`,
        params: [filter.hour],
      };
    case 'category':
      return { where: `starts_with(leaf_code, ${p(0)}::text)`, params: [filter.code] };
    case 'disposition':
      return { where: `disposition = ${p(0)}::text`, params: [filter.disposition] };
    case 'hotspot':
      return { where: `street_code = ${p(0)}::text AND starts_with(leaf_code, ${p(1)}::text)`, params: [filter.streetCode, filter.categoryCode] };
    case 'operator':
      return { where: `operator_id = ${p(0)}::text`, params: [filter.operatorId] };
    case 'metric': {
      const who = filter.operatorId ? { where: ` AND operator_id = ${p(0)}::text`, params: [filter.operatorId] } : { where: '', params: [] as Param[] };
      const test: Record<typeof filter.metric, string> = {
        taken: 'TRUE',
        kb_closed: `disposition = '咨询办结'`,
        direct: `disposition = '直派'`,
        subcenter: `disposition = '派分中心'`,
        city_center: `disposition = '派市中心'`,
        duplicate: `disposition = '重复诉求'`,
        unreasonable: `disposition = '不合理诉求'`,
        returned: `status = '已退单'`,
        // $5 is the report's instant (shiftDrill below), as stats.shiftTally counts 超期.
        overdue: `open_due_at < $5::timestamptz`,
        callback: 'callback_at IS NOT NULL',
      };
      return { where: `${test[filter.metric]}${who.where}`, params: who.params };
    }
  }
}

export async function shiftDrill(
  db: Sql,
  user: HubUser,
  input: ShiftDrillInput,
): Promise<{ total: number | null; rows: ShiftDrillRow[]; masked: boolean; next: ShiftDrillCursor | null }> {
  const full = input.fullPhones === true && mayReviewShifts(user.role);
  // A day's drill-down lists its own date, as the desk's does (selectDrill).
  const range = input.filter.kind === 'day' ? { from: input.filter.date, to: input.filter.date } : { from: input.from, to: input.to };
  const picked = filterSql(input.filter, 6);
  const where = `shift_date BETWEEN $1::date AND $2::date
        AND ($3::text IS NULL OR shift_code = $3) AND (cardinality($4::text[]) = 0 OR operator_id = ANY($4::text[]))
        AND $5::timestamptz IS NOT NULL AND (${picked.where})`;
  const params = [range.from, range.to, input.shiftCode, input.operatorIds, input.reportAt, ...picked.params];
  const [count] = input.count === false ? [] : await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE ${where}`, params);
  // Keyset paging: the rows strictly after the cursor in (submitted_at DESC, id DESC) — no OFFSET to skip over.
  const keyset = input.after ? { where: ` AND (submitted_at, id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::uuid)`, params: [input.after.submittedAt, input.after.id] } : { where: '', params: [] };
  const rows = await db.query<{
    id: string; number: string; submitted_at: Date | string; call_started_at: Date | string; shift_date: string; shift_code: string;
    operator_id: string; operator_name: string; channel: ShiftDrillRow['channel']; caller_name: string; caller_phone: string; callback_phone: string;
    request_type: ShiftDrillRow['requestType']; leaf_code: string | null; district_code: string | null; street_code: string | null; village_code: string | null;
    address_text: string; disposition: ShiftDrillRow['disposition']; unit_code: string | null; unit_name: string | null; status: ShiftDrillRow['status'];
    deadlines: ShiftDrillRow['deadlines'] | string; callback_at: Date | string | null; callback_satisfaction: ShiftDrillRow['callbackSatisfaction']; content: string;
    cursor_at: string;
  }>(
    `SELECT id::text AS id, number, submitted_at, call_started_at, to_char(shift_date, 'YYYY-MM-DD') AS shift_date, shift_code,
            operator_id, operator_name, channel, caller_name, caller_phone, callback_phone, request_type, leaf_code,
            district_code, street_code, village_code, address_text, disposition, unit_code, names->>'unit' AS unit_name, status,
            deadlines, callback_at, callback_satisfaction, content,
            to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
       FROM tickets
      WHERE ${where}${keyset.where}
      ORDER BY submitted_at DESC, id DESC
      LIMIT ${input.limit}${input.after ? '' : ` OFFSET ${input.offset}`}`,
    [...params, ...keyset.params],
  );
  const last = rows.length === input.limit ? rows[rows.length - 1] : undefined;
  const instant = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
  const phone = (v: string) => (full ? v : maskPhone(v));
  const text = (v: string) => (full ? v : maskPhonesIn(v));
  return {
    total: input.count === false ? null : (count?.n ?? 0),
    masked: !full,
    next: last ? { submittedAt: last.cursor_at, id: last.id } : null,
    rows: rows.map((r) => ({
      id: r.id,
      number: r.number,
      submittedAt: instant(r.submitted_at),
      callStartedAt: instant(r.call_started_at),
      shiftDate: r.shift_date,
      shiftCode: r.shift_code,
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      channel: r.channel,
      callerName: r.caller_name,
      callerPhone: phone(r.caller_phone),
      callbackPhone: phone(r.callback_phone),
      requestType: r.request_type,
      leafCode: r.leaf_code,
      districtCode: r.district_code,
      streetCode: r.street_code,
      villageCode: r.village_code,
      addressText: text(r.address_text),
      disposition: r.disposition,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      status: r.status,
      deadlines: typeof r.deadlines === 'string' ? (JSON.parse(r.deadlines) as ShiftDrillRow['deadlines']) : r.deadlines,
      callbackDone: r.callback_at !== null,
      callbackSatisfaction: r.callback_satisfaction,
      content: text(r.content),
    })),
  };
}
