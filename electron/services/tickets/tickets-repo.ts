/**
 * The only writer of `tickets` and `ticket_events` (one table family: a ticket and its trail).
 * The SQL of the hot reads is exported so test/unit/tickets.test.ts can check their query plans.
 */
import type { TicketDeadline } from '../../../shared/api/contract';
import type { Urgency } from '../../../shared/domain/catalogue';
import type { RequestType } from '../../../shared/domain/catalogue';
import type { Channel, Disposition, TicketEventKind, TicketStatus } from '../../../shared/domain/ticket';
import type { Db } from '../store/database';
import { DUTY_OPERATOR } from '../../../shared/roles';

/** A ticket as the desk stores it. Phones are normalised (normalisePhone); times are ISO UTC strings. */
export interface StoredTicket {
  id: string;
  provisionalNumber: string;
  officialNumber: string | null;
  operatorId: string;
  operatorName: string;
  shiftCode: string;
  /** YYYY-MM-DD (Beijing): the date the shift started. */
  shiftDate: string;
  callStartedAt: string;
  submittedAt: string;
  channel: Channel;
  callerName: string;
  callerPhone: string;
  callbackPhone: string;
  requestType: RequestType;
  districtCode: string | null;
  streetCode: string | null;
  villageCode: string | null;
  addressText: string;
  content: string;
  leafCode: string | null;
  urgency: Urgency;
  disposition: Disposition;
  unitCode: string | null;
  kbArticleId: string | null;
  linkedTicketId: string | null;
  unreasonableReason: string;
  status: TicketStatus;
  deadlines: TicketDeadline[];
  updatedAt: string;
}

export interface StoredEvent {
  kind: TicketEventKind;
  at: string;
  actor: string;
  note: string;
}

interface TicketRow {
  id: string;
  provisional_number: string;
  official_number: string | null;
  operator_id: string;
  operator_name: string;
  shift_code: string;
  shift_date: string;
  call_started_at: string;
  submitted_at: string;
  channel: Channel;
  caller_name: string;
  caller_phone: string;
  callback_phone: string;
  request_type: RequestType;
  district_code: string | null;
  street_code: string | null;
  village_code: string | null;
  address_text: string;
  content: string;
  leaf_code: string | null;
  urgency: Urgency;
  disposition: Disposition;
  unit_code: string | null;
  kb_article_id: string | null;
  linked_ticket_id: string | null;
  unreasonable_reason: string;
  status: TicketStatus;
  deadlines: string;
  updated_at: string;
}

function toTicket(r: TicketRow): StoredTicket {
  return {
    id: r.id,
    provisionalNumber: r.provisional_number,
    officialNumber: r.official_number,
    operatorId: r.operator_id,
    operatorName: r.operator_name,
    shiftCode: r.shift_code,
    shiftDate: r.shift_date,
    callStartedAt: r.call_started_at,
    submittedAt: r.submitted_at,
    channel: r.channel,
    callerName: r.caller_name,
    callerPhone: r.caller_phone,
    callbackPhone: r.callback_phone,
    requestType: r.request_type,
    districtCode: r.district_code,
    streetCode: r.street_code,
    villageCode: r.village_code,
    addressText: r.address_text,
    content: r.content,
    leafCode: r.leaf_code,
    urgency: r.urgency,
    disposition: r.disposition,
    unitCode: r.unit_code,
    kbArticleId: r.kb_article_id,
    linkedTicketId: r.linked_ticket_id,
    unreasonableReason: r.unreasonable_reason,
    status: r.status,
    deadlines: JSON.parse(r.deadlines) as TicketDeadline[],
    updatedAt: r.updated_at,
  };
}

/** The hot reads. Each branch of an OR is its own indexed search; see the EXPLAIN QUERY PLAN tests. */
export const TICKET_QUERIES = {
  /** 来电历史: the number as the caller's or as the callback number, newest first. */
  history: `SELECT * FROM tickets
             WHERE caller_phone = @phone OR callback_phone = @phone
             ORDER BY submitted_at DESC, id DESC
             LIMIT @limit`,
  /**
   * 疑似重复: the same number (caller or callback, any age), or the same community/village and leaf
   * since @since. One row per ticket with the reasons it matched.
   */
  related: `WITH matches (id, same_phone, same_place) AS (
              SELECT id, 1, 0 FROM tickets WHERE @phone <> '' AND caller_phone = @phone
              UNION ALL
              SELECT id, 1, 0 FROM tickets WHERE @phone <> '' AND callback_phone = @phone
              UNION ALL
              SELECT id, 0, 1 FROM tickets WHERE village_code = @village AND leaf_code = @leaf AND submitted_at >= @since
            ), reasons (id, same_phone, same_place) AS (
              SELECT id, max(same_phone), max(same_place) FROM matches WHERE id <> @exclude GROUP BY id
            )
            SELECT t.*, r.same_phone, r.same_place
              FROM reasons r JOIN tickets t ON t.id = r.id
             ORDER BY t.submitted_at DESC, t.id DESC
             LIMIT @limit`,
  /** 查询工单 on this desk (offline): by official or provisional number, or a caller/callback number. */
  lookup: `SELECT * FROM tickets
            WHERE official_number = @key OR provisional_number = @key OR (@phone <> '' AND (caller_phone = @phone OR callback_phone = @phone))
            ORDER BY submitted_at DESC, id DESC
            LIMIT @limit`,
  /**
   * 本班工单: one operator's tickets of one shift, newest first, with those the desk took for the
   * shift before anyone signed in (the duty seat's): signing in never hides them.
   */
  mine: `SELECT * FROM tickets
          WHERE operator_id IN (@operatorId, @dutyId) AND shift_date = @shiftDate AND shift_code = @shiftCode
          ORDER BY submitted_at DESC, id DESC`,
  /** The highest provisional number of one day's prefix (临YYYYMMDD-); '-' + 1 is '.', so the range is the prefix. */
  lastNumberOfDay: `SELECT provisional_number AS number FROM tickets
                     WHERE provisional_number >= @prefix || '-' AND provisional_number < @prefix || '.'
                     ORDER BY length(provisional_number) DESC, provisional_number DESC
                     LIMIT 1`,
} as const;

export interface RelatedRow {
  ticket: StoredTicket;
  samePhone: boolean;
  samePlaceLeaf: boolean;
}

export class TicketsRepo {
  private readonly insertTicket;
  private readonly insertEventStmt;
  private readonly getStmt;
  private readonly eventsStmt;
  private readonly historyStmt;
  private readonly relatedStmt;
  private readonly mineStmt;
  private readonly lookupStmt;
  private readonly lastNumberStmt;
  private readonly officialStmt;
  private readonly hubStateStmt;

  constructor(private readonly db: Db) {
    this.insertTicket = db.prepare(
      `INSERT INTO tickets (
         id, provisional_number, official_number, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at,
         channel, caller_name, caller_phone, callback_phone, request_type, district_code, street_code, village_code, address_text,
         content, leaf_code, urgency, disposition, unit_code, kb_article_id, linked_ticket_id, unreasonable_reason, status, deadlines, updated_at
       ) VALUES (
         @id, @provisionalNumber, @officialNumber, @operatorId, @operatorName, @shiftCode, @shiftDate, @callStartedAt, @submittedAt,
         @channel, @callerName, @callerPhone, @callbackPhone, @requestType, @districtCode, @streetCode, @villageCode, @addressText,
         @content, @leafCode, @urgency, @disposition, @unitCode, @kbArticleId, @linkedTicketId, @unreasonableReason, @status, @deadlines, @updatedAt
       )`,
    );
    this.insertEventStmt = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO ticket_events (ticket_id, kind, at, actor, note) VALUES (?, ?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?');
    this.eventsStmt = db.prepare<[string], StoredEvent>('SELECT kind, at, actor, note FROM ticket_events WHERE ticket_id = ? ORDER BY at, id');
    this.historyStmt = db.prepare<{ phone: string; limit: number }, TicketRow>(TICKET_QUERIES.history);
    this.relatedStmt = db.prepare<
      { phone: string; village: string | null; leaf: string | null; since: string; exclude: string; limit: number },
      TicketRow & { same_phone: 0 | 1; same_place: 0 | 1 }
    >(TICKET_QUERIES.related);
    this.lookupStmt = db.prepare<{ key: string; phone: string; limit: number }, TicketRow>(TICKET_QUERIES.lookup);
    this.mineStmt = db.prepare<{ operatorId: string; dutyId: string; shiftDate: string; shiftCode: string }, TicketRow>(TICKET_QUERIES.mine);
    this.lastNumberStmt = db.prepare<{ prefix: string }, { number: string }>(TICKET_QUERIES.lastNumberOfDay);
    this.officialStmt = db.prepare<{ id: string; number: string; deadlines: string; at: string }>(
      'UPDATE tickets SET official_number = @number, deadlines = @deadlines, updated_at = @at WHERE id = @id',
    );
    this.hubStateStmt = db.prepare<{ id: string; status: TicketStatus; unitCode: string | null; deadlines: string; at: string }>(
      'UPDATE tickets SET status = @status, unit_code = @unitCode, deadlines = @deadlines, updated_at = @at WHERE id = @id',
    );
  }

  /** The hub accepted the ticket: its official number and the deadlines the hub reckoned. */
  setOfficial(id: string, number: string, deadlines: readonly TicketDeadline[], at: string): boolean {
    return this.officialStmt.run({ id, number, deadlines: JSON.stringify(deadlines), at }).changes > 0;
  }

  /** After dispatch the hub owns status, unit and deadlines; the desk takes them as reported. */
  setHubState(id: string, state: { status: TicketStatus; unitCode: string | null; deadlines: readonly TicketDeadline[] }, at: string): boolean {
    return this.hubStateStmt.run({ id, status: state.status, unitCode: state.unitCode, deadlines: JSON.stringify(state.deadlines), at }).changes > 0;
  }

  /** Call inside the submit transaction, with the ticket's events. */
  insert(ticket: StoredTicket): void {
    this.insertTicket.run({ ...ticket, deadlines: JSON.stringify(ticket.deadlines) });
  }

  addEvent(ticketId: string, event: StoredEvent): void {
    this.insertEventStmt.run(ticketId, event.kind, event.at, event.actor, event.note);
  }

  get(id: string): StoredTicket | null {
    const row = this.getStmt.get(id);
    return row ? toTicket(row) : null;
  }

  /** The trail in time order (events at the same instant in the order they were written). */
  events(id: string): StoredEvent[] {
    return this.eventsStmt.all(id);
  }

  history(phone: string, limit: number): StoredTicket[] {
    if (!phone) return [];
    return this.historyStmt.all({ phone, limit }).map(toTicket);
  }

  related(query: { phone: string; villageCode: string | null; leafCode: string | null; since: string; excludeId: string | null; limit: number }): RelatedRow[] {
    return this.relatedStmt
      .all({
        phone: query.phone,
        village: query.villageCode,
        leaf: query.leafCode,
        since: query.since,
        exclude: query.excludeId ?? '',
        limit: query.limit,
      })
      .map((row) => ({ ticket: toTicket(row), samePhone: row.same_phone === 1, samePlaceLeaf: row.same_place === 1 }));
  }

  lookup(key: string, phone: string, limit: number): StoredTicket[] {
    return this.lookupStmt.all({ key, phone, limit }).map(toTicket);
  }

  /** Tickets 已回复/已办结 with an open 回访 (review_) deadline, earliest due first (the desk's 回访 queue offline). */
  awaitingCallback(limit: number): StoredTicket[] {
    return this.db
      .prepare<{ limit: number }, TicketRow & { due: string }>(
        `SELECT t.*, min(json_extract(d.value, '$.dueAt')) AS due
           FROM tickets t, json_each(t.deadlines) d
          WHERE t.status IN ('已回复', '已办结')
            AND json_extract(d.value, '$.ruleId') LIKE 'review\\_%' ESCAPE '\\' AND json_extract(d.value, '$.doneAt') IS NULL
          GROUP BY t.id
          ORDER BY due, t.id
          LIMIT @limit`,
      )
      .all({ limit })
      .map(toTicket);
  }

  mine(operatorId: string, shiftDate: string, shiftCode: string): StoredTicket[] {
    return this.mineStmt.all({ operatorId, dutyId: DUTY_OPERATOR.id, shiftDate, shiftCode }).map(toTicket);
  }

  /** The highest provisional number issued under a day's prefix ("临20261201"), or null. */
  lastNumberOfDay(prefix: string): string | null {
    return this.lastNumberStmt.get({ prefix })?.number ?? null;
  }
}
