/**
 * Center-wide intake (shared/api/center-contract.ts): what a desk asks the hub while a call is on —
 * the caller's history across every desk, 疑似重复 (the same number; the same community and leaf
 * within 30 days; similar content in the same street within 30 days, by character n-grams,
 * shared/search/ngram.ts, found through the GIN index of hub migration 9), a look-up by official
 * number, a desk's 临… number or a phone number, and 催办 recorded on the ticket asked about.
 *
 * A 催办 is a row of ticket_urges (idempotent by the desk's id, so an outbox resend is stored once)
 * and a '催办' ticket_events row (source hub) the owning desk pulls; the unit sees the count on its
 * queue row (server/workspace.ts), and repeated 催办 make a 督办 suggestion for the center by
 * resources/policy/urging.json (shared/lifecycle/urging.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TicketDeadline } from '../shared/api/contract';
import {
  CENTER_LIST_LIMIT,
  type CenterLookup,
  type CenterRelated,
  type CenterTicket,
  type UrgeInput,
  type UrgeResult,
} from '../shared/api/center-contract';
import type { HubUser } from '../shared/api/hub-contract';
import type { RequestType, Urgency } from '../shared/domain/catalogue';
import type { Disposition } from '../shared/domain/ticket';
import type { TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { DEFAULT_URGING_POLICY, parseUrgingPolicy, URGING_POLICY_FILE, urgingSuggestion, type UrgingPolicy } from '../shared/lifecycle/urging';
import { fail, ok, type Result } from '../shared/result';
import { contentBigrams, contentSimilarity, SIMILAR_CONTENT } from '../shared/search/ngram';
import { maskPhone } from '../shared/stats/mask';
import { normalisePhone } from '../shared/validation/ticket';
import type { Database, Sql } from './db';
import { lockEvents } from './migrations';

export const RELATED_WINDOW_DAYS = 30;
/** How many tickets sharing a character pair with the content are scored at most (newest first). */
const SIMILAR_CANDIDATES = 200;
/** No 催办 on a ticket that is over (办结, or linked to another). */
const URGE_CLOSED: readonly TicketStatus[] = ['已办结', '已关联'];

/** The 催办 policy; the documented default when the file is absent; an invalid one stops the hub. */
export function loadUrgingPolicy(resourcesDir: string): UrgingPolicy {
  const file = join(resourcesDir, ...URGING_POLICY_FILE);
  if (!existsSync(file)) return DEFAULT_URGING_POLICY;
  const read = parseUrgingPolicy(readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(`${file}：${read.error.message}`);
  return read.value;
}

interface Row {
  id: string;
  number: string;
  provisional_number: string;
  desk_id: string;
  submitted_at: string | Date;
  operator_id: string;
  operator_name: string;
  caller_name: string;
  caller_phone: string;
  request_type: RequestType;
  leaf_code: string | null;
  names: { unit?: string | null; leafPath?: string[] };
  disposition: Disposition;
  unit_code: string | null;
  status: TicketStatus;
  urgency: Urgency;
  deadlines: TicketDeadline[];
  content: string;
  address_text: string;
  district_code: string | null;
  street_code: string | null;
  village_code: string | null;
  linked_ticket_id: string | null;
  linked_number: string | null;
  urge_count: number;
}

const COLUMNS = `t.id::text AS id, t.number, t.provisional_number, t.desk_id, t.submitted_at, t.operator_id, t.operator_name,
  t.caller_name, t.caller_phone, t.request_type, t.leaf_code, t.names, t.disposition, t.unit_code, t.status, t.urgency,
  t.deadlines, t.content, t.address_text, t.district_code, t.street_code, t.village_code,
  t.linked_ticket_id::text AS linked_ticket_id, l.number AS linked_number,
  (SELECT count(*)::int FROM ticket_urges u WHERE u.ticket_id = t.id) AS urge_count`;
const FROM = `tickets t LEFT JOIN tickets l ON l.id = t.linked_ticket_id`;

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();

/** `phone`: the number asked about, shown in full; any other comes masked. */
function toTicket(r: Row, phone: string | null): CenterTicket {
  return {
    id: r.id,
    number: r.number,
    provisionalNumber: r.provisional_number,
    deskId: r.desk_id,
    submittedAt: iso(r.submitted_at),
    operatorId: r.operator_id,
    operatorName: r.operator_name,
    callerName: r.caller_name,
    callerPhone: phone && r.caller_phone === phone ? r.caller_phone : maskPhone(r.caller_phone),
    requestType: r.request_type,
    leafCode: r.leaf_code,
    leafPath: r.names?.leafPath ?? [],
    disposition: r.disposition,
    unitCode: r.unit_code,
    unitName: r.unit_code ? (r.names?.unit ?? r.unit_code) : null,
    status: r.status,
    urgency: r.urgency,
    deadlines: r.deadlines,
    content: r.content,
    addressText: r.address_text,
    districtCode: r.district_code,
    streetCode: r.street_code,
    villageCode: r.village_code,
    linkedTicket: r.linked_ticket_id && r.linked_number ? { id: r.linked_ticket_id, number: r.linked_number } : null,
    urgeCount: r.urge_count,
  };
}

/** 来电历史 across the center: the number as caller's or callback number, newest first. */
export async function centerHistory(db: Sql, rawPhone: string): Promise<CenterTicket[]> {
  const phone = normalisePhone(rawPhone);
  if (!phone) return [];
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM ${FROM}
      WHERE t.id IN (SELECT id FROM tickets WHERE caller_phone = $1 UNION SELECT id FROM tickets WHERE callback_phone = $1)
      ORDER BY t.submitted_at DESC, t.id DESC LIMIT $2`,
    [phone, CENTER_LIST_LIMIT],
  );
  return rows.map((r) => toTicket(r, phone));
}

export interface RelatedQuery {
  phone: string;
  districtCode: string | null;
  streetCode: string | null;
  villageCode: string | null;
  leafCode: string | null;
  content: string;
  excludeId?: string | null | undefined;
}

/**
 * Tickets of the place within the window whose content is similar enough to the caller's words.
 * Sharing a character pair with the probe is the pair occurring in the content (ticket_bigrams are
 * every pair of it). In a street, its 30 days (tickets_street_recent, hub migration 14) are few
 * enough to test newest first; a district's are not, so the GIN index of the pairs finds those. The
 * candidates' content only is read and scored here; the whole rows of the few that are similar
 * enough (a street's 30 days often give all SIMILAR_CANDIDATES, most of them not similar).
 */
async function similarContent(
  db: Sql,
  content: string,
  probe: string[],
  place: { sql: string; code: string; street: boolean },
  since: string,
  exclude: string,
): Promise<{ rows: Row[]; scores: Map<string, number> }> {
  const shares = place.street
    ? `EXISTS (SELECT 1 FROM unnest($1::text[]) AS g(pair) WHERE strpos(lower(t.content), g.pair) > 0)`
    : `ticket_bigrams(t.content) && $1::text[]`;
  const candidates = await db.query<{ id: string; content: string }>(
    `SELECT t.id::text AS id, t.content FROM tickets t
      WHERE ${place.sql} AND t.submitted_at >= $2 AND t.id <> $3::uuid AND ${shares}
      ORDER BY t.submitted_at DESC LIMIT $5`,
    [probe, since, exclude, place.code, SIMILAR_CANDIDATES],
  );
  const scored = candidates.map((c) => ({ id: c.id, score: contentSimilarity(content, c.content) })).filter((c) => c.score >= SIMILAR_CONTENT);
  scored.sort((a, b) => b.score - a.score);
  const best = scored.slice(0, CENTER_LIST_LIMIT);
  if (best.length === 0) return { rows: [], scores: new Map() };
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE t.id = ANY($1::uuid[])`, [best.map((c) => c.id)]);
  return { rows, scores: new Map(best.map((c) => [c.id, c.score])) };
}

/** 疑似重复 across the center; originals before tickets already linked to one, then newest first. */
export async function centerRelated(db: Sql, q: RelatedQuery, now: Date): Promise<CenterRelated[]> {
  const phone = normalisePhone(q.phone);
  const since = new Date(now.getTime() - RELATED_WINDOW_DAYS * 86_400_000).toISOString();
  const exclude = q.excludeId?.toLowerCase() ?? '00000000-0000-0000-0000-000000000000';
  const found = new Map<string, { row: Row; reasons: Set<CenterRelated['reasons'][number]>; similarity: number | null }>();
  const add = (rows: Row[], reason: CenterRelated['reasons'][number], similarity: (r: Row) => number | null = () => null) => {
    for (const row of rows) {
      const entry = found.get(row.id) ?? { row, reasons: new Set(), similarity: null };
      entry.reasons.add(reason);
      entry.similarity = similarity(row) ?? entry.similarity;
      found.set(row.id, entry);
    }
  };
  const probe = contentBigrams(q.content);
  // Similar content within the same street (else district): a city's month holds many a broken light.
  const place = q.streetCode
    ? { sql: 't.street_code = $4', code: q.streetCode, street: true }
    : q.districtCode
      ? { sql: 't.district_code = $4', code: q.districtCode, street: false }
      : null;
  // The three look-ups are independent: each goes on its own pooled connection at once, so the
  // answer waits for the slowest, not for their sum.
  const [byPhone, byPlace, similar] = await Promise.all([
    phone
      ? db.query<Row>(
          `SELECT ${COLUMNS} FROM ${FROM}
            WHERE t.id IN (SELECT id FROM tickets WHERE caller_phone = $1 UNION SELECT id FROM tickets WHERE callback_phone = $1) AND t.id <> $2::uuid
            ORDER BY t.submitted_at DESC LIMIT $3`,
          [phone, exclude, CENTER_LIST_LIMIT],
        )
      : [],
    q.villageCode && q.leafCode
      ? db.query<Row>(
          `SELECT ${COLUMNS} FROM ${FROM}
            WHERE t.village_code = $1 AND t.leaf_code = $2 AND t.submitted_at >= $3 AND t.id <> $4::uuid
            ORDER BY t.submitted_at DESC LIMIT $5`,
          [q.villageCode, q.leafCode, since, exclude, CENTER_LIST_LIMIT],
        )
      : [],
    probe.length > 0 && place ? similarContent(db, q.content, probe, place, since, exclude) : { rows: [], scores: new Map<string, number>() },
  ]);
  add(byPhone, 'same_phone');
  add(byPlace, 'same_place_leaf');
  add(similar.rows, 'similar_content', (r) => similar.scores.get(r.id) ?? null);
  const list = [...found.values()].sort((a, b) => iso(b.row.submitted_at).localeCompare(iso(a.row.submitted_at)) || b.row.id.localeCompare(a.row.id));
  const related = list.map((e) => ({ ...toTicket(e.row, phone || null), reasons: [...e.reasons], similarity: e.similarity }));
  return [...related.filter((t) => !t.linkedTicket), ...related.filter((t) => t.linkedTicket)].slice(0, CENTER_LIST_LIMIT);
}

async function urgeTimes(db: Sql, ids: readonly string[]): Promise<Map<string, string[]>> {
  const times = new Map<string, string[]>();
  if (ids.length === 0) return times;
  const rows = await db.query<{ ticket_id: string; at: string | Date }>(
    'SELECT ticket_id::text AS ticket_id, at FROM ticket_urges WHERE ticket_id = ANY($1::uuid[]) ORDER BY at',
    [ids],
  );
  for (const r of rows) times.set(r.ticket_id, [...(times.get(r.ticket_id) ?? []), iso(r.at)]);
  return times;
}

/** Look-up by official number, a desk's 临… number (the asking desk's own first) or a phone number. */
export async function centerLookup(db: Sql, key: string, deskId: string | null, urging: UrgingPolicy): Promise<CenterLookup[]> {
  const text = key.trim();
  const phone = normalisePhone(text);
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM ${FROM}
      WHERE t.id IN (SELECT id FROM tickets WHERE number = $1
                     UNION SELECT id FROM tickets WHERE provisional_number = $1
                     UNION SELECT id FROM tickets WHERE caller_phone = $2
                     UNION SELECT id FROM tickets WHERE callback_phone = $2)
      ORDER BY (t.number = $1) DESC, (t.provisional_number = $1 AND t.desk_id = $3) DESC, t.submitted_at DESC, t.id DESC
      LIMIT $4`,
    [text, phone, deskId ?? '', CENTER_LIST_LIMIT],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const trail = await db.query<{ ticket_id: string; at: string | Date; kind: string; actor: string; note: string }>(
    'SELECT ticket_id::text AS ticket_id, at, kind, actor, note FROM ticket_events WHERE ticket_id = ANY($1::uuid[]) ORDER BY seq',
    [ids],
  );
  const urges = await urgeTimes(db, ids);
  return rows.map((r) => ({
    ...toTicket(r, phone || null),
    trail: trail.filter((e) => e.ticket_id === r.id).map((e) => ({ at: iso(e.at), kind: e.kind, actor: e.actor, note: e.note })),
    urgeSuggestion: urgingSuggestion(urging, urges.get(r.id) ?? []),
  }));
}

/** The 督办 suggestions of these tickets (the center's workspace rows), by ticket id. */
export async function urgeSuggestions(db: Sql, ids: readonly string[], urging: UrgingPolicy): Promise<Map<string, CenterLookup['urgeSuggestion']>> {
  const out = new Map<string, CenterLookup['urgeSuggestion']>();
  for (const [id, times] of await urgeTimes(db, ids)) out.set(id, urgingSuggestion(urging, times));
  return out;
}

/** Records a 催办 on the ticket once per id: a ticket_urges row and a '催办' event the owning desk pulls. */
export async function urgeTicket(db: Database, _user: HubUser, input: UrgeInput, now: Date, urging: UrgingPolicy): Promise<Result<UrgeResult>> {
  const ticketId = input.ticketId.toLowerCase();
  return db.transaction(async (tx) => {
    const [ticket] = await tx.query<{ number: string; desk_id: string; status: TicketStatus; unit_code: string | null; deadlines: TicketDeadline[] }>(
      'SELECT number, desk_id, status, unit_code, deadlines FROM tickets WHERE id = $1::uuid FOR UPDATE',
      [ticketId],
    );
    if (!ticket) return fail('not_found', '中心没有这张工单，无法催办');
    const [seen] = await tx.query<{ ticket_id: string }>('SELECT ticket_id::text AS ticket_id FROM ticket_urges WHERE id = $1::uuid', [input.id]);
    let created = false;
    if (seen) {
      if (seen.ticket_id !== ticketId) return fail('bad_request', '催办编号已用于另一张工单');
    } else {
      if (URGE_CLOSED.includes(ticket.status)) return fail('conflict', `工单 ${ticket.number} ${ticket.status}，不能催办；如问题仍未解决请新建工单`);
      await tx.query('INSERT INTO ticket_urges (id, ticket_id, desk_id, at, actor, note, received_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7)', [
        input.id,
        ticketId,
        input.deskId,
        input.at,
        input.actor,
        input.note,
        now.toISOString(),
      ]);
      await lockEvents(tx);
      await tx.query(
        `INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
         VALUES ($1::uuid, $2, 'hub', '催办', $3, $4, $5, $6, $7, $8::jsonb, NULL)`,
        [ticketId, ticket.desk_id, input.at, input.actor, input.note.trim() ? `市民来电催办：${input.note.trim()}` : '市民来电催办', ticket.status, ticket.unit_code, JSON.stringify(ticket.deadlines)],
      );
      created = true;
    }
    const times = (await urgeTimes(tx, [ticketId])).get(ticketId) ?? [];
    return ok({ ticketId, number: ticket.number, urgeCount: times.length, created, urgeSuggestion: urgingSuggestion(urging, times) });
  });
}

/** 关联诉求: the tickets linked to this one at a desk (重复诉求), with their callers and content, oldest first. */
export async function linkedRequests(db: Sql, ticketId: string): Promise<Array<{ id: string; number: string; submittedAt: string; callerName: string; callerPhone: string; content: string }>> {
  const rows = await db.query<{ id: string; number: string; submitted_at: string | Date; caller_name: string; caller_phone: string; content: string }>(
    `SELECT id::text AS id, number, submitted_at, caller_name, caller_phone, content FROM tickets
      WHERE linked_ticket_id = $1::uuid ORDER BY submitted_at, id`,
    [ticketId],
  );
  return rows.map((r) => ({ id: r.id, number: r.number, submittedAt: iso(r.submitted_at), callerName: r.caller_name, callerPhone: maskPhone(r.caller_phone), content: r.content }));
}
