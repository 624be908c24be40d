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

/**
 * The whole push, as one statement: hub migration 20's hub_push_tickets locks the batch's day
 * counters, reads what is stored, numbers and inserts the rest, stores the created tickets' desk
 * events (desk-side events carry no deadline snapshot: pull never reports them, and the ticket row
 * has the ladder) and links their Open311 submissions, all inside PostgreSQL. One round trip instead
 * of a seven-step transaction (docs/scale.md).
 */
const PUSH = statement(
  'push_tickets',
  `SELECT pushed_id AS id, pushed_number AS number, pushed_status AS status, pushed_deadlines AS deadlines, pushed_created AS created
     FROM hub_push_tickets($1::jsonb, $2::jsonb, $3::jsonb, $4::timestamptz, $5::bigint)`,
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
  created: boolean;
}

/** A ticket as hub_push_tickets takes it: the columns of `tickets` a push fills, but the number it draws. */
function pushedRow(p: PreparedTicket, ord: number, receivedAt: string, pushedBy: string | null, operatorVerified: boolean) {
  const t = p.ticket;
  return {
    ord,
    id: t.id,
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
  const batch = [...prepared.values()];
  const rows = batch.map((p, i) => pushedRow(p, i, receivedAt, pushedBy, operatorVerified));
  let ord = 0;
  const events = batch.flatMap((p) =>
    p.ticket.events.map((e) => ({ ord: ord++, ticket_id: p.ticket.id, desk_id: p.ticket.deskId, kind: e.kind, at: e.at, actor: e.actor, note: e.note, status: p.status, unit_code: p.unitCode })),
  );
  const links = batch
    .filter((p) => p.ticket.open311RequestId)
    .map((p) => ({ ticket_id: p.ticket.id, request_id: p.ticket.open311RequestId!.toLowerCase(), actor: p.ticket.operatorName }));
  const stored = new Map(
    (await db.query<StoredSummary>(PUSH, [JSON.stringify(rows), JSON.stringify(events), JSON.stringify(links), receivedAt, EVENTS_LOCK])).map((r) => [r.id, r]),
  );

  const answered = new Set<string>();
  return tickets.map((raw) => {
    const id = raw.id.toLowerCase();
    const summary = stored.get(id)!;
    const outcome = summary.created && !answered.has(id) ? 'created' : 'duplicate';
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
