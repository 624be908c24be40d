/**
 * Tickets on the hub: push (desks hand tickets over, idempotent by id, numbered per Beijing date)
 * and pull (desks learn what happened to their tickets, in seq order, never skipping one). Status,
 * deadlines and the desk's trail come from the lifecycle (shared/lifecycle/). Why each step is as
 * it is — the locks, the numbering, the one-writer-at-a-time event log — is
 * docs/decisions/0002-hub-push-and-pull.md.
 */
import type { TicketDeadline } from '../shared/api/contract';
import type { HubEvent, PushedTicket, PushResult } from '../shared/api/hub-contract';
import { deadlinesOnSubmit } from '../shared/lifecycle/deadlines';
import { isDispatching, statusOnSubmit, type TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import type { SlaPolicy } from '../shared/sla/policy';
import { centerDate } from '../shared/time';
import { statement, type Database, type Sql } from './db';
import { EVENTS_LOCK } from './migrations';
import type { SessionUserRow } from './auth';
import { linkPushedSubmissions } from './open311';

/** YYYYMMDD + the day's sequence, at least 6 digits. */
export function officialNumber(day: string, seq: number): string {
  return `${day.replace(/-/g, '')}${String(seq).padStart(6, '0')}`;
}

/** Columns of `tickets` filled by a push, with their SQL types for jsonb_to_recordset. */
const PUSH_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'uuid'],
  ['number', 'text'],
  ['provisional_number', 'text'],
  ['desk_id', 'text'],
  ['operator_id', 'text'],
  ['operator_name', 'text'],
  ['shift_code', 'text'],
  ['shift_date', 'date'],
  ['call_started_at', 'timestamptz'],
  ['submitted_at', 'timestamptz'],
  ['submitted_date', 'date'],
  ['channel', 'text'],
  ['caller_name', 'text'],
  ['caller_phone', 'text'],
  ['callback_phone', 'text'],
  ['request_type', 'text'],
  ['district_code', 'text'],
  ['street_code', 'text'],
  ['village_code', 'text'],
  ['address_text', 'text'],
  ['content', 'text'],
  ['leaf_code', 'text'],
  ['urgency', 'text'],
  ['disposition', 'text'],
  ['dispatched_unit_code', 'text'],
  ['unit_code', 'text'],
  ['kb_article_id', 'text'],
  ['linked_ticket_id', 'uuid'],
  ['unreasonable_reason', 'text'],
  ['names', 'jsonb'],
  ['status', 'text'],
  ['deadlines', 'jsonb'],
  ['received_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['pushed_by', 'uuid'],
  ['intake_unreasonable', 'boolean'],
  ['operator_verified', 'boolean'],
];
const PUSH_COLUMN_LIST = PUSH_COLUMNS.map(([c]) => c).join(', ');
const INSERT_TICKETS = statement('push_insert_tickets', `INSERT INTO tickets (${PUSH_COLUMN_LIST})
  SELECT ${PUSH_COLUMN_LIST} FROM jsonb_to_recordset($1::jsonb) AS r(${PUSH_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})
  ON CONFLICT (id) DO NOTHING
  RETURNING id`);

/**
 * Desk-side events carry no deadline snapshot: pull never reports them, and the ticket row has the
 * ladder. The statement takes EVENTS_LOCK ($2) itself, in the same round trip: no row leaves the
 * join, and so no seq is drawn, before the materialized lock has been read.
 */
const INSERT_EVENTS = statement(
  'push_insert_events',
  `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock($2))
   INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
   SELECT ticket_id, desk_id, 'desk', kind, at, actor, note, status, unit_code, '[]'::jsonb, NULL
     FROM locked CROSS JOIN jsonb_to_recordset($1::jsonb)
       AS r(ord int, ticket_id uuid, desk_id text, kind text, at timestamptz, actor text, note text, status text, unit_code text)
    ORDER BY ord`,
);

interface PreparedTicket {
  ticket: PushedTicket;
  day: string;
  status: TicketStatus;
  unitCode: string | null;
  deadlines: TicketDeadline[];
}

interface StoredSummary {
  id: string;
  number: string;
  status: TicketStatus;
  deadlines: TicketDeadline[];
}

const STORED_SUMMARIES = statement('push_stored', 'SELECT id::text AS id, number, status, deadlines FROM tickets WHERE id = ANY($1::uuid[])');
/** Takes the counter rows of the batch's dates, in date order (see pushTickets). */
const LOCK_DAY_COUNTERS = statement(
  'push_lock_days',
  `INSERT INTO day_counters (day, last_seq) SELECT d, 0 FROM unnest($1::date[]) AS u(d) ORDER BY d
   ON CONFLICT (day) DO UPDATE SET last_seq = day_counters.last_seq`,
);
const TAKE_SEQUENCES = statement(
  'push_take_seqs',
  `UPDATE day_counters AS c SET last_seq = c.last_seq + u.n
     FROM unnest($1::date[], $2::int[]) AS u(d, n)
    WHERE c.day = u.d
   RETURNING c.day, c.last_seq`,
);

async function storedSummaries(tx: Sql, ids: readonly string[]): Promise<Map<string, StoredSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<StoredSummary>(STORED_SUMMARIES, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * `pushedBy`: the id of the hub account that pushed the batch (desk-access.ts), recorded on each new
 * ticket; `operatorVerified`: whether that account is the ticket's operator (operatorOfPush).
 */
export async function pushTickets(db: Database, policy: SlaPolicy, tickets: readonly PushedTicket[], now: Date, pushedBy: string | null = null, operatorVerified = false): Promise<PushResult[]> {
  // zod's uuid check accepts either case; PostgreSQL prints uuids in lower case.
  const prepared = new Map<string, PreparedTicket>();
  for (const raw of tickets) {
    const ticket = { ...raw, id: raw.id.toLowerCase(), linkedTicketId: raw.linkedTicketId?.toLowerCase() ?? null };
    if (prepared.has(ticket.id)) continue;
    prepared.set(ticket.id, {
      ticket,
      day: centerDate(new Date(ticket.submittedAt)),
      status: statusOnSubmit(ticket.disposition),
      unitCode: isDispatching(ticket.disposition) ? ticket.unitCode : null,
      deadlines: deadlinesOnSubmit(policy, ticket),
    });
  }
  const receivedAt = now.toISOString();

  const { stored, created } = await db.transaction(async (tx) => {
    const created = new Set<string>();
    // Lock the counter row of each date in the batch, in date order (a fixed lock order, so two
    // batches can never deadlock). A concurrent push of the same tickets holds the same rows until
    // it commits, so once we have them its tickets are visible: look only then for what is stored
    // already, and number only what is still missing, which keeps the gaps to the rare ticket whose
    // date a desk changed between pushes. (A desk's retry of tickets stored already takes the
    // counter rows too, for a moment: one look-up fewer for every new ticket, the common case.)
    const days = [...new Set([...prepared.values()].map((p) => p.day))].sort();
    await tx.query(LOCK_DAY_COUNTERS, [days]);
    const stored = await storedSummaries(tx, [...prepared.keys()]);
    const fresh = [...prepared.values()].filter((p) => !stored.has(p.ticket.id));
    if (fresh.length === 0) return { stored, created };

    // One range of sequence numbers per date.
    const perDay = new Map<string, number>();
    for (const p of fresh) perDay.set(p.day, (perDay.get(p.day) ?? 0) + 1);
    const ranges = await tx.query<{ day: string; last_seq: number }>(TAKE_SEQUENCES, [[...perDay.keys()], [...perDay.values()]]);
    const next = new Map(ranges.map((r) => [r.day, r.last_seq - perDay.get(r.day)! + 1]));

    const rows = fresh.map((p) => {
      const t = p.ticket;
      const seq = next.get(p.day)!;
      next.set(p.day, seq + 1);
      return {
        id: t.id,
        number: officialNumber(p.day, seq),
        provisional_number: t.provisionalNumber,
        desk_id: t.deskId,
        operator_id: t.operatorId,
        operator_name: t.operatorName,
        shift_code: t.shiftCode,
        shift_date: t.shiftDate,
        call_started_at: t.callStartedAt,
        submitted_at: t.submittedAt,
        submitted_date: p.day,
        channel: t.channel,
        caller_name: t.callerName,
        caller_phone: t.callerPhone,
        callback_phone: t.callbackPhone,
        request_type: t.requestType,
        district_code: t.address.districtCode,
        street_code: t.address.streetCode,
        village_code: t.address.villageCode,
        address_text: t.address.text,
        content: t.content,
        leaf_code: t.leafCode,
        urgency: t.urgency,
        disposition: t.disposition,
        dispatched_unit_code: p.unitCode,
        unit_code: p.unitCode,
        kb_article_id: t.kbArticleId,
        linked_ticket_id: t.linkedTicketId,
        unreasonable_reason: t.unreasonableReason,
        names: t.names,
        status: p.status,
        deadlines: p.deadlines,
        received_at: receivedAt,
        updated_at: receivedAt,
        pushed_by: pushedBy,
        // The call-taker's 不合理诉求 is a suggestion kept for the unit it is later sent to (workspace.ts).
        intake_unreasonable: t.disposition === '不合理诉求',
        operator_verified: operatorVerified,
      };
    });
    const inserted = await tx.query<{ id: string }>(INSERT_TICKETS, [JSON.stringify(rows)]);
    for (const row of inserted) created.add(row.id);
    const numbers = new Map(rows.map((r) => [r.id, r.number]));

    // Ids another push committed while this one waited: answer with what that push stored.
    const lost = fresh.filter((p) => !created.has(p.ticket.id)).map((p) => p.ticket.id);
    // (Only a push of the same id under another date can get here; see above.)
    for (const [id, summary] of await storedSummaries(tx, lost)) stored.set(id, summary);
    for (const p of fresh) {
      if (created.has(p.ticket.id)) stored.set(p.ticket.id, { id: p.ticket.id, number: numbers.get(p.ticket.id)!, status: p.status, deadlines: p.deadlines });
    }

    if (created.size > 0) {
      const events = fresh
        .filter((p) => created.has(p.ticket.id))
        .flatMap((p) =>
          p.ticket.events.map((e) => ({
            ord: 0,
            ticket_id: p.ticket.id,
            desk_id: p.ticket.deskId,
            kind: e.kind,
            at: e.at,
            actor: e.actor,
            note: e.note,
            status: p.status,
            unit_code: p.unitCode,
          })),
        );
      events.forEach((e, i) => (e.ord = i));
      await tx.query(INSERT_EVENTS, [JSON.stringify(events), EVENTS_LOCK]);
      // A ticket taken from an Open311 submission (网络渠道待受理) links it, in this transaction.
      const links = fresh.filter((p) => created.has(p.ticket.id) && p.ticket.open311RequestId).map((p) => ({ ticketId: p.ticket.id, requestId: p.ticket.open311RequestId!, actor: p.ticket.operatorName }));
      await linkPushedSubmissions(tx, links, now);
    }
    return { stored, created };
  });

  const answered = new Set<string>();
  return tickets.map((raw) => {
    const id = raw.id.toLowerCase();
    const summary = stored.get(id)!;
    const outcome = created.has(id) && !answered.has(id) ? 'created' : 'duplicate';
    answered.add(id);
    return { id, number: summary.number, outcome, status: summary.status, deadlines: summary.deadlines };
  });
}

// ---- Pull -------------------------------------------------------------------------------------

export const DEFAULT_PULL_LIMIT = 500;

interface EventRow {
  seq: number;
  ticket_id: string;
  number: string;
  kind: HubEvent['kind'];
  at: string;
  actor: string;
  note: string;
  status: TicketStatus;
  unit_code: string | null;
  deadlines: TicketDeadline[];
  callback: HubEvent['callback'];
}

export const EVENT_COLUMNS = `e.seq, e.ticket_id::text AS ticket_id, t.number, e.kind, e.at, e.actor, e.note, e.status, e.unit_code, e.deadlines, e.callback`;

export function toHubEvent(row: EventRow): HubEvent {
  return {
    seq: row.seq,
    ticketId: row.ticket_id,
    number: row.number,
    kind: row.kind,
    at: row.at,
    actor: row.actor,
    note: row.note,
    status: row.status,
    unitCode: row.unit_code,
    deadlines: row.deadlines,
    callback: row.callback,
  };
}

export async function pullEvents(db: Sql, input: { since: number; deskId: string; limit?: number | undefined }): Promise<{ events: HubEvent[]; cursor: number; more: boolean }> {
  const limit = input.limit ?? DEFAULT_PULL_LIMIT;
  const rows = await db.query<EventRow>(PULL_EVENTS, [input.deskId, input.since, limit + 1]);
  return pageOf(rows, limit, input.since);
}

const PULL_EVENTS = statement('pull_events', deskEventsSql('$1', '$2', '$3'));

/** The hub's events for a desk after a cursor, in order: the pull's one query, with its parameters' placeholders (and a further condition). */
function deskEventsSql(deskId: string, since: string, limit: string, also = 'true'): string {
  return `SELECT ${EVENT_COLUMNS}
            FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
           WHERE ${also} AND e.desk_id = ${deskId} AND e.source = 'hub' AND e.seq > ${since}
           ORDER BY e.seq
           LIMIT ${limit}`;
}

/** A pull's answer from up to limit + 1 event rows read after `since`: the first `limit`, and whether there is more. */
function pageOf(rows: readonly EventRow[], limit: number, since: number): { events: HubEvent[]; cursor: number; more: boolean } {
  const events = rows.slice(0, limit).map(toHubEvent);
  return { events, cursor: events.at(-1)?.seq ?? since, more: rows.length > limit };
}

const PULL_FOR_SESSION = statement(
  'pull_for_session',
  `WITH u AS (
     SELECT u.id, u.username, u.name, u.role, u.unit_code, u.desk_account,
            EXISTS (SELECT 1 FROM desk_bindings b WHERE b.desk_id = $3 AND b.user_id = u.id) AS bound
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_sha256 = $1 AND s.expires_at > $2)
   SELECT u.id AS user_id, u.username AS user_username, u.name AS user_name, u.role AS user_role, u.unit_code AS user_unit_code,
          u.desk_account AS user_desk_account, u.bound AS user_bound, ev.*
     FROM u LEFT JOIN LATERAL (${deskEventsSql('$3', '$4', '$5', 'u.bound')}) ev ON true`,
);

/**
 * A desk's pull and its session check in one statement (server/http.ts lets tickets.pull check its
 * own bearer token): the session's user, whether the desk id is bound to that user, and — only then
 * — the events. With 2,000 desks pulling every 5 seconds the pull is most of a hub's work, and one
 * round trip to PostgreSQL instead of two is what it costs (docs/scale.md). `user` null: no live
 * session for the token; `bound` false: nothing was read, the caller claims the desk id first
 * (server/desk-access.ts) and pulls with pullEvents.
 */
export async function pullForSession(
  db: Sql,
  input: { tokenSha256: string; now: Date; since: number; deskId: string; limit?: number | undefined },
): Promise<{ user: SessionUserRow | null; bound: boolean; pull: { events: HubEvent[]; cursor: number; more: boolean } }> {
  const limit = input.limit ?? DEFAULT_PULL_LIMIT;
  const rows = await db.query<EventRow & { seq: number | null } & { user_id: string; user_username: string; user_name: string; user_role: SessionUserRow['role']; user_unit_code: string | null; user_desk_account: boolean; user_bound: boolean }>(
    PULL_FOR_SESSION,
    [input.tokenSha256, input.now.toISOString(), input.deskId, input.since, limit + 1],
  );
  const first = rows[0];
  const empty = { events: [], cursor: input.since, more: false };
  if (!first) return { user: null, bound: false, pull: empty };
  const user: SessionUserRow = { id: first.user_id, username: first.user_username, name: first.user_name, role: first.user_role, unit_code: first.user_unit_code, desk_account: first.user_desk_account };
  if (!first.user_bound) return { user, bound: false, pull: empty };
  return { user, bound: true, pull: pageOf(rows.filter((r) => r.seq !== null), limit, input.since) };
}
