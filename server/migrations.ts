/**
 * Numbered, append-only schema migrations for the hub's PostgreSQL (the same SQL on PGlite and on a
 * real server). Never edit a shipped migration: add the next number. test/hub/migrations.test.ts
 * pins each one's text by sha256 in test/hub/migrations.lock.json, and the hub refuses a database
 * whose recorded hash of an applied migration differs from the code's (someone edited history), or
 * that has a version this hub does not know (written by a newer hub).
 *
 * Applied versions live in `hub_migrations`. All pending migrations run in one transaction under a
 * transaction-level advisory lock, so two hubs starting at once against one server cannot both
 * apply them, and a failed upgrade leaves the database as it was.
 */
import { createHash } from 'node:crypto';
import { statement, type Database, type Sql } from './db';

export interface HubMigration {
  version: number;
  name: string;
  sql: string;
}

/** Advisory lock keys (database-wide). */
export const MIGRATION_LOCK = 0x48554201; // "HUB" 01
/** Every transaction that inserts into ticket_events holds this lock until it commits: see tickets.ts. */
export const EVENTS_LOCK = 0x48554202;

const LOCK_EVENTS = statement('events_lock', 'SELECT pg_advisory_xact_lock($1)');

/** Takes EVENTS_LOCK until the transaction ends. */
export async function lockEvents(tx: Sql): Promise<void> {
  await tx.query(LOCK_EVENTS, [EVENTS_LOCK]);
}

export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 1,
    name: 'users, sessions, tickets, ticket events, day counters, reference versions',
    sql: `
CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('call_taker', 'team_lead', 'unit_operator', 'admin')),
  unit_code text,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK (role <> 'unit_operator' OR unit_code IS NOT NULL)
);

CREATE TABLE sessions (
  token_sha256 text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE day_counters (
  day date PRIMARY KEY,
  last_seq integer NOT NULL CHECK (last_seq >= 0)
);

CREATE TABLE tickets (
  id uuid PRIMARY KEY,
  number text NOT NULL UNIQUE,
  provisional_number text NOT NULL,
  desk_id text NOT NULL,
  operator_id text NOT NULL,
  operator_name text NOT NULL,
  shift_code text NOT NULL,
  shift_date date NOT NULL,
  call_started_at timestamptz NOT NULL,
  submitted_at timestamptz NOT NULL,
  submitted_date date NOT NULL,
  channel text NOT NULL,
  caller_name text NOT NULL,
  caller_phone text NOT NULL,
  callback_phone text NOT NULL,
  request_type text NOT NULL,
  district_code text,
  street_code text,
  village_code text,
  address_text text NOT NULL,
  content text NOT NULL,
  leaf_code text,
  urgency text NOT NULL,
  disposition text NOT NULL,
  dispatched_unit_code text,
  unit_code text,
  kb_article_id text,
  linked_ticket_id uuid,
  unreasonable_reason text NOT NULL,
  names jsonb NOT NULL,
  status text NOT NULL,
  deadlines jsonb NOT NULL,
  accepted_at timestamptz,
  callback_resolved boolean,
  callback_satisfaction text CHECK (callback_satisfaction IN ('满意', '基本满意', '不满意')),
  callback_at timestamptz,
  received_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX tickets_queue ON tickets (unit_code, status, submitted_at);
CREATE INDEX tickets_status ON tickets (status, submitted_at);
CREATE INDEX tickets_submitted_date ON tickets (submitted_date);

CREATE TABLE ticket_events (
  seq bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id),
  desk_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('desk', 'hub')),
  kind text NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  note text NOT NULL,
  status text NOT NULL,
  unit_code text,
  deadlines jsonb NOT NULL,
  callback jsonb
);
CREATE INDEX ticket_events_pull ON ticket_events (desk_id, seq) WHERE source = 'hub';
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, seq);

CREATE TABLE reference_versions (
  kind text NOT NULL CHECK (kind IN ('places', 'units', 'catalogue', 'kb')),
  version text NOT NULL,
  file_name text NOT NULL,
  content text NOT NULL,
  published_at timestamptz NOT NULL,
  published_by text NOT NULL,
  PRIMARY KEY (kind, version)
);

CREATE TABLE reference_current (
  kind text PRIMARY KEY,
  version text NOT NULL,
  FOREIGN KEY (kind, version) REFERENCES reference_versions (kind, version)
);
`,
  },
  {
    version: 2,
    name: 'workspace: ticket versions, return counts, unit result, web sessions with CSRF, caller-reveal log',
    sql: `
ALTER TABLE tickets ADD COLUMN version integer NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN return_count integer NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN unit_resolved boolean;
CREATE INDEX tickets_dispatched ON tickets (dispatched_unit_code, status);

ALTER TABLE ticket_events ADD COLUMN from_unit_code text;
CREATE INDEX ticket_events_returns ON ticket_events (from_unit_code) WHERE kind = '退单';

ALTER TABLE sessions ADD COLUMN csrf_sha256 text;

CREATE TABLE ticket_access (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id),
  at timestamptz NOT NULL,
  actor text NOT NULL,
  user_id uuid NOT NULL,
  action text NOT NULL,
  note text NOT NULL
);
CREATE INDEX ticket_access_ticket ON ticket_access (ticket_id, id);
`,
  },
  {
    version: 3,
    name: 'access: session order for the per-user cap, desk ids bound to the account that first used them, who pushed each ticket',
    sql: `
ALTER TABLE sessions ADD COLUMN seq bigserial;
CREATE INDEX sessions_user ON sessions (user_id, seq);

CREATE TABLE desk_bindings (
  desk_id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  bound_at timestamptz NOT NULL
);

ALTER TABLE tickets ADD COLUMN pushed_by uuid;
`,
  },
  {
    version: 4,
    name: 'workspace: requests to the center (extension, unreasonable claim) and the supervision banner',
    sql: `
ALTER TABLE tickets ADD COLUMN supervision jsonb;
ALTER TABLE tickets ADD COLUMN reminded_rules text[] NOT NULL DEFAULT '{}';
CREATE TABLE ticket_requests (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id),
  kind text NOT NULL CHECK (kind IN ('extension', 'unreasonable')),
  unit_code text NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  user_id uuid NOT NULL,
  reason text NOT NULL,
  new_date text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
  decided_at timestamptz,
  decided_by text,
  decision_note text
);
CREATE UNIQUE INDEX ticket_requests_one_pending ON ticket_requests (ticket_id, kind) WHERE status = 'pending';
CREATE INDEX ticket_requests_ticket ON ticket_requests (ticket_id, id);
`,
  },
  {
    version: 5,
    name: 'workspace: 双派单, the 协办 units of a forwarded ticket and their replies',
    sql: `
CREATE TABLE ticket_assists (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id),
  unit_code text NOT NULL,
  unit_name text NOT NULL,
  assigned_at timestamptz NOT NULL,
  assigned_by text NOT NULL,
  reply text,
  replied_at timestamptz,
  replied_by text,
  ended_at timestamptz
);
CREATE UNIQUE INDEX ticket_assists_one_open ON ticket_assists (ticket_id, unit_code) WHERE ended_at IS NULL;
CREATE INDEX ticket_assists_unit ON ticket_assists (unit_code, ticket_id) WHERE ended_at IS NULL;
`,
  },
  {
    version: 6,
    name: 'workspace: 不合理诉求 (intake flag, approved mark, evidence); requests and decisions as trail events',
    sql: `
ALTER TABLE tickets ADD COLUMN intake_unreasonable boolean NOT NULL DEFAULT false;
UPDATE tickets SET intake_unreasonable = true WHERE disposition = '不合理诉求';
ALTER TABLE tickets ADD COLUMN unreasonable_at timestamptz;
ALTER TABLE ticket_requests ADD COLUMN evidence text;

-- Requests and decisions made before they were written as ticket_events (server/requests.ts now
-- writes both): one event each, so the trail and the desks' pull have them.
INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
SELECT x.ticket_id, t.desk_id, 'hub', x.kind, x.at, x.actor, x.note, t.status, t.unit_code, t.deadlines, NULL, x.unit_code
  FROM (
    SELECT q.ticket_id, CASE q.kind WHEN 'extension' THEN '延期申请' ELSE '不合理申请' END AS kind, q.at, q.actor,
           CASE WHEN q.kind = 'extension' THEN '申请延期至 ' || q.new_date || '：' || q.reason
                ELSE '申请认定不合理诉求：' || q.reason || COALESCE('；证据：' || q.evidence, '') END AS note,
           q.unit_code, q.id, 0 AS part
      FROM ticket_requests q
    UNION ALL
    SELECT q.ticket_id, CASE q.kind WHEN 'extension' THEN '延期审核' ELSE '不合理审核' END, q.decided_at, q.decided_by,
           CASE WHEN q.status = 'approved' THEN '批准' ELSE '不予批准' END
             || CASE WHEN q.kind = 'extension' THEN '延期至 ' || q.new_date
                     WHEN q.status = 'approved' THEN '认定不合理诉求，工单办结' ELSE '认定不合理诉求，请承办单位继续办理' END
             || CASE WHEN q.decision_note <> '' THEN '：' || q.decision_note ELSE '' END,
           q.unit_code, q.id, 1
      FROM ticket_requests q WHERE q.status <> 'pending'
  ) x JOIN tickets t ON t.id = x.ticket_id
 ORDER BY x.at, x.part, x.id;
`,
  },
  {
    version: 7,
    name: 'workspace: a waiting request is withdrawn when its unit no longer holds the ticket',
    sql: `
ALTER TABLE ticket_requests DROP CONSTRAINT ticket_requests_status_check;
ALTER TABLE ticket_requests ADD CONSTRAINT ticket_requests_status_check CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn'));

-- Requests left waiting on tickets their unit returned, closed or lost before server/loop.ts withdrew
-- them with the move: withdrawn now, each with its trail event (the desks pull it).
WITH gone AS (
  UPDATE ticket_requests q
     SET status = 'withdrawn', decided_at = now(), decided_by = '中心（自动）',
         decision_note = '工单已不由申请单位办理，' || CASE q.kind WHEN 'extension' THEN '延期' ELSE '认定不合理诉求' END || '申请自动撤销'
    FROM tickets t
   WHERE t.id = q.ticket_id AND q.status = 'pending'
     AND (t.unit_code IS DISTINCT FROM q.unit_code OR t.status NOT IN ('已派单', '已接单', '已回复'))
  RETURNING q.id, q.ticket_id, q.kind, q.decided_at, q.decided_by, q.decision_note, q.unit_code
)
INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
SELECT g.ticket_id, t.desk_id, 'hub', CASE g.kind WHEN 'extension' THEN '延期审核' ELSE '不合理审核' END, g.decided_at, g.decided_by,
       g.decision_note, t.status, t.unit_code, t.deadlines, NULL, g.unit_code
  FROM gone g JOIN tickets t ON t.id = g.ticket_id
 ORDER BY g.id;
`,
  },
  {
    version: 8,
    name: '回访: every callback call once by its id (attempts, 无法联系, outcomes), 重办 count',
    sql: `
ALTER TABLE tickets ADD COLUMN reopen_count integer NOT NULL DEFAULT 0;

-- One row per callback call (server/callbacks.ts), idempotent by the desk's id for it; round is the
-- ticket's reopen_count when it was made, so failed attempts count per round of callbacks.
CREATE TABLE ticket_callbacks (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets(id),
  round integer NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('联系上', '未联系上', '无法联系')),
  resolved boolean,
  satisfaction text CHECK (satisfaction IN ('满意', '基本满意', '不满意')),
  words text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  decision text NOT NULL CHECK (decision IN ('attempt', 'unreachable', 'ended', 'reopen', 'to_center')),
  event_seq bigint NOT NULL
);
CREATE INDEX ticket_callbacks_ticket ON ticket_callbacks (ticket_id, round, at);
`,
  },
  {
    version: 9,
    name: 'center-wide intake: caller history, related tickets (content bigrams) and look-up indexes; 催办 on a ticket',
    sql: `
-- The character pairs of a content (server/lookup.ts probes them with shared/search/ngram.ts).
CREATE FUNCTION ticket_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}'::text[]) FROM generate_series(1, char_length(t) - 1) AS i
$fn$;
CREATE INDEX tickets_caller_phone ON tickets (caller_phone, submitted_at);
CREATE INDEX tickets_callback_phone ON tickets (callback_phone, submitted_at);
CREATE INDEX tickets_place_leaf ON tickets (village_code, leaf_code, submitted_at);
CREATE INDEX tickets_provisional ON tickets (provisional_number);
CREATE INDEX tickets_linked ON tickets (linked_ticket_id) WHERE linked_ticket_id IS NOT NULL;
CREATE INDEX tickets_content_bigrams ON tickets USING gin (ticket_bigrams(content));

-- One row per 催办 a desk recorded (its id is the desk's, so a resent one is stored once).
CREATE TABLE ticket_urges (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id),
  desk_id text NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  note text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX ticket_urges_ticket ON ticket_urges (ticket_id, at);
CREATE INDEX ticket_urges_at ON ticket_urges (at);
`,
  },
  {
    version: 10,
    name: 'Open311 GeoReport v2: channel partners\' API keys (hashed, revocable, token bucket) and the 网络渠道待受理 queue',
    sql: `
-- One key per channel partner (server/open311.ts). Only the key's SHA-256 is kept; the token bucket
-- lives on the row so every hub process behind one database counts the same requests.
CREATE TABLE open311_keys (
  id uuid PRIMARY KEY,
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  partner text NOT NULL,
  channel text NOT NULL,
  per_minute integer NOT NULL CHECK (per_minute > 0),
  tokens double precision NOT NULL,
  refilled_at timestamptz NOT NULL,
  issued_at timestamptz NOT NULL,
  issued_by text NOT NULL,
  revoked_at timestamptz
);

-- A submission waits here until a call-taker takes it into a ticket or rejects it.
CREATE TABLE open311_requests (
  id uuid PRIMARY KEY,
  key_id uuid NOT NULL REFERENCES open311_keys (id),
  channel text NOT NULL,
  partner text NOT NULL,
  service_code text NOT NULL,
  service_name text NOT NULL,
  description text NOT NULL,
  address_string text NOT NULL,
  lat double precision,
  long double precision,
  email text NOT NULL,
  first_name text NOT NULL,
  last_name text NOT NULL,
  phone text NOT NULL,
  media_url text NOT NULL,
  device_id text NOT NULL,
  account_id text NOT NULL,
  requested_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'claimed', 'rejected', 'accepted')),
  claimed_by text,
  claimed_by_name text,
  claimed_at timestamptz,
  reject_kind text,
  reject_note text NOT NULL DEFAULT '',
  duplicate_ticket_id uuid REFERENCES tickets (id),
  ticket_id uuid UNIQUE REFERENCES tickets (id),
  decided_by text,
  decided_at timestamptz
);
CREATE INDEX open311_requests_queue ON open311_requests (state, requested_at);
CREATE INDEX open311_requests_key ON open311_requests (key_id, requested_at);
`,
  },
  {
    version: 11,
    name: 'access: desk accounts (they may push tickets their signed-in operators took, unverified) and whether a ticket\'s operator was verified by the hub',
    sql: `
-- A desk account (server/desk-access.ts) pushes for whoever is signed in at the desk; any other
-- account is a person and pushes only their own tickets. Before this, only desks pushed or pulled.
ALTER TABLE users ADD COLUMN desk_account boolean NOT NULL DEFAULT false;
UPDATE users SET desk_account = true
 WHERE id IN (SELECT user_id FROM desk_bindings) OR id IN (SELECT DISTINCT pushed_by FROM tickets WHERE pushed_by IS NOT NULL);
-- True when the operator on the ticket is the hub account whose session pushed it.
ALTER TABLE tickets ADD COLUMN operator_verified boolean NOT NULL DEFAULT false;
`,
  },
  {
    version: 12,
    name: 'learned category suggester: model versions trained on the center\'s tickets, the one in force, the training lease',
    sql: `
-- server/learned.ts: every model ever trained (version = sha256 of the file), like reference_versions.
CREATE TABLE learned_models (
  version text PRIMARY KEY,
  content text NOT NULL,
  trained_at timestamptz NOT NULL,
  trained_by text NOT NULL,
  rows integer NOT NULL,
  labels integer NOT NULL,
  train_ms integer NOT NULL
);
CREATE TABLE learned_model_current (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version text NOT NULL REFERENCES learned_models (version)
);
-- One training at a time across hub processes: the holder until it finishes or the lease runs out.
CREATE TABLE learned_model_lease (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  holder text NOT NULL,
  until timestamptz NOT NULL
);
`,
  },
  {
    version: 13,
    name: '考核 at volume: a ticket\'s first 回访 and 重办 count kept by the database, its earliest open due time, covering indexes for the month\'s rankings and the team lead\'s tally',
    sql: `
-- server/rankings.ts reads a ticket's first 回访 (its satisfaction) and how many 重办 it had from these
-- columns instead of aggregating ticket_events on every ranking. The trigger keeps them in the
-- transaction that writes the event, whichever hub process (or migration) writes it; events are never
-- updated or deleted. docs/decisions/0006-rankings-at-volume.md.
ALTER TABLE tickets ADD COLUMN first_callback_seq bigint;
ALTER TABLE tickets ADD COLUMN first_callback_satisfaction text;
ALTER TABLE tickets ADD COLUMN reopen_events integer NOT NULL DEFAULT 0;
UPDATE tickets t SET first_callback_seq = f.seq, first_callback_satisfaction = f.satisfaction, reopen_events = f.reopens
  FROM (SELECT ticket_id, min(seq) FILTER (WHERE kind = '回访') AS seq,
               (array_agg(callback->>'satisfaction' ORDER BY seq) FILTER (WHERE kind = '回访'))[1] AS satisfaction,
               count(*) FILTER (WHERE kind = '重办')::int AS reopens
          FROM ticket_events WHERE kind IN ('回访', '重办') GROUP BY ticket_id) f
 WHERE f.ticket_id = t.id;
CREATE FUNCTION ticket_events_rank_facts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.kind = '回访' THEN
    UPDATE tickets SET first_callback_seq = NEW.seq, first_callback_satisfaction = NEW.callback->>'satisfaction'
     WHERE id = NEW.ticket_id AND (first_callback_seq IS NULL OR first_callback_seq > NEW.seq);
  ELSE
    UPDATE tickets SET reopen_events = reopen_events + 1 WHERE id = NEW.ticket_id;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER ticket_events_rank_facts AFTER INSERT ON ticket_events
  FOR EACH ROW WHEN (NEW.kind IN ('回访', '重办')) EXECUTE FUNCTION ticket_events_rank_facts();

-- The earliest due time among the open checkpoints of deadlines (server/stats.ts: overdue is this
-- before the report's instant), computed by the database whenever deadlines change.
CREATE FUNCTION ticket_open_due(d jsonb) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT min((x->>'dueAt')::timestamptz) FROM jsonb_array_elements(d) AS x WHERE x->>'doneAt' IS NULL
$fn$;
ALTER TABLE tickets ADD COLUMN open_due_at timestamptz GENERATED ALWAYS AS (ticket_open_due(deadlines)) STORED;

-- Narrow copies of what a month's ranking and a team lead's tally read, so both scan an index
-- (index-only once vacuumed) instead of the wide rows.
CREATE INDEX tickets_rank_month ON tickets (submitted_date) INCLUDE (id, disposition, unreasonable_at, district_code, submitted_at,
  unit_code, dispatched_unit_code, street_code, leaf_code, village_code, urgency, accepted_at, callback_at, callback_resolved,
  callback_satisfaction, unit_resolved, first_callback_satisfaction, reopen_events, channel);
CREATE INDEX tickets_shift_tally ON tickets (shift_date, operator_id) INCLUDE (shift_code, operator_name, submitted_at, call_started_at,
  disposition, status, open_due_at, callback_at, callback_satisfaction, leaf_code, street_code, channel);
-- 退单 events since a range's start (server/rankings.ts retagg), not every 退单 ever, without the rows.
CREATE INDEX ticket_events_returns_at ON ticket_events (at) INCLUDE (ticket_id, from_unit_code) WHERE kind = '退单';
`,
  },
  {
    version: 14,
    name: 'related tickets at volume: a street\'s recent tickets newest first',
    sql: `
-- server/lookup.ts: similar content in the same street within 30 days reads that street's newest
-- tickets through this index and tests their character pairs (a city's year: a few thousand rows).
CREATE INDEX tickets_street_recent ON tickets (street_code, submitted_at);
`,
  },
  {
    version: 15,
    name: 'retired catalogue leaves: stored tickets and web submissions move to the leaf that took each one',
    sql: `
-- The catalogue retired two 二级 (2110 保障房违规查处, 4306 自助服务终端) for 住房公积金 and
-- 民族宗教事务; each retired leaf's tickets go to the leaf named in shared/reference/retired-leaves.ts,
-- written out here because a shipped migration's text never changes. Pushes from desks that still
-- hold the old catalogue are mapped the same way (server/handlers.ts).
UPDATE tickets SET leaf_code = CASE leaf_code
  WHEN '2110001' THEN '2107005'
  WHEN '2110002' THEN '2102003'
  WHEN '2110003' THEN '2102003'
  WHEN '2110004' THEN '2102003'
  WHEN '4306001' THEN '4301006'
  WHEN '4306002' THEN '4303001'
  WHEN '4306003' THEN '4304005'
  WHEN '4306004' THEN '4303005'
  WHEN '4306005' THEN '4301006'
END
WHERE leaf_code IN ('2110001', '2110002', '2110003', '2110004', '4306001', '4306002', '4306003', '4306004', '4306005');
UPDATE open311_requests SET service_code = CASE service_code
  WHEN '2110001' THEN '2107005'
  WHEN '2110002' THEN '2102003'
  WHEN '2110003' THEN '2102003'
  WHEN '2110004' THEN '2102003'
  WHEN '4306001' THEN '4301006'
  WHEN '4306002' THEN '4303001'
  WHEN '4306003' THEN '4304005'
  WHEN '4306004' THEN '4303005'
  WHEN '4306005' THEN '4301006'
END
WHERE service_code IN ('2110001', '2110002', '2110003', '2110004', '4306001', '4306002', '4306003', '4306004', '4306005');
`,
  },
  {
    version: 16,
    name: '考核 summary: per-day counts by unit, street, district and 一级 category kept by the database with every ticket write; a ticket\'s 退单 units and 重复诉求 count on the ticket',
    sql: `
-- server/rank-summary.ts reads a range's rankings from rank_day instead of every ticket of the range.
-- docs/decisions/0006-rankings-at-volume.md says why and how it stays right.

-- Facts kept on the ticket, like hub migration 13's: which units returned it (退单 events'
-- from_unit_code, distinct, sorted), how many 退单 events, how many 重复诉求 tickets link to it.
ALTER TABLE tickets ADD COLUMN returned_units text[] NOT NULL DEFAULT '{}';
ALTER TABLE tickets ADD COLUMN return_events integer NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN repeat_count integer NOT NULL DEFAULT 0;

-- Recounts the three from the events and the links (this migration; bench/city-year.ts after a COPY
-- with the triggers off).
CREATE FUNCTION rank_facts_fill() RETURNS void LANGUAGE sql AS $fn$
  UPDATE tickets t SET returned_units = r.units, return_events = r.n
    FROM (SELECT ticket_id, array_agg(DISTINCT from_unit_code ORDER BY from_unit_code) AS units, count(*)::int AS n
            FROM ticket_events WHERE kind = '退单' AND from_unit_code IS NOT NULL GROUP BY ticket_id) r
   WHERE r.ticket_id = t.id AND (t.returned_units IS DISTINCT FROM r.units OR t.return_events <> r.n);
  UPDATE tickets t SET repeat_count = r.n
    FROM (SELECT linked_ticket_id AS id, count(*)::int AS n FROM tickets
           WHERE disposition = '重复诉求' AND linked_ticket_id IS NOT NULL GROUP BY linked_ticket_id) r
   WHERE r.id = t.id AND t.repeat_count <> r.n;
$fn$;
SELECT rank_facts_fill();

-- 退单 joins 回访 and 重办 in hub migration 13's event trigger.
CREATE OR REPLACE FUNCTION ticket_events_rank_facts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.kind = '回访' THEN
    UPDATE tickets SET first_callback_seq = NEW.seq, first_callback_satisfaction = NEW.callback->>'satisfaction'
     WHERE id = NEW.ticket_id AND (first_callback_seq IS NULL OR first_callback_seq > NEW.seq);
  ELSIF NEW.kind = '重办' THEN
    UPDATE tickets SET reopen_events = reopen_events + 1 WHERE id = NEW.ticket_id;
  ELSIF NEW.kind = '退单' AND NEW.from_unit_code IS NOT NULL THEN
    UPDATE tickets SET return_events = return_events + 1,
           returned_units = ARRAY(SELECT DISTINCT u FROM unnest(returned_units || NEW.from_unit_code) AS u ORDER BY u)
     WHERE id = NEW.ticket_id;
  END IF;
  RETURN NULL;
END
$fn$;
DROP TRIGGER ticket_events_rank_facts ON ticket_events;
CREATE TRIGGER ticket_events_rank_facts AFTER INSERT ON ticket_events
  FOR EACH ROW WHEN (NEW.kind IN ('回访', '重办', '退单')) EXECUTE FUNCTION ticket_events_rank_facts();

-- A 重复诉求 counts on the ticket it links to: on insert, delete, or a change of link or disposition
-- (the hub refuses a 重复诉求 whose original it does not hold, server/tickets.ts).
CREATE FUNCTION tickets_repeat_count() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.disposition = '重复诉求' AND OLD.linked_ticket_id IS NOT NULL THEN
    UPDATE tickets SET repeat_count = repeat_count - 1 WHERE id = OLD.linked_ticket_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.disposition = '重复诉求' AND NEW.linked_ticket_id IS NOT NULL THEN
    UPDATE tickets SET repeat_count = repeat_count + 1 WHERE id = NEW.linked_ticket_id;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tickets_repeat_count AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_repeat_count();
CREATE TRIGGER tickets_repeat_count_update AFTER UPDATE OF disposition, linked_ticket_id ON tickets FOR EACH ROW
  WHEN (OLD.disposition IS DISTINCT FROM NEW.disposition OR OLD.linked_ticket_id IS DISTINCT FROM NEW.linked_ticket_id)
  EXECUTE FUNCTION tickets_repeat_count();

-- What the counts depend on besides the ticket: the minutes to 接单 by urgency|disposition (the SLA
-- policy's), the dispatching dispositions and the satisfaction weights. The hub writes them at start
-- and rebuilds rank_day when they changed (server/rank-summary.ts); no row: nothing is counted yet.
CREATE TABLE rank_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  limits jsonb NOT NULL,
  dispositions text[] NOT NULL,
  weights jsonb NOT NULL
);

-- One row per submission day (Beijing), kind of group, group key and district: the sums the rates
-- are made of (server/rankings.ts FIGURE_SQL); kind 'channel' (受理渠道) is the rankings' channel
-- split, not a grouping of its own. kind 'unit' also holds, for each unit that returned a
-- ticket now credited elsewhere, away = 1 and returned = 1 (its 退单率). kind 'district' is the
-- whole scope's trend and total: there returned counts tickets returned by anyone.
CREATE TABLE rank_day (
  kind text NOT NULL,
  day date NOT NULL,
  key text NOT NULL,
  district_code text NOT NULL,
  name text,
  tickets integer NOT NULL,
  responded integer NOT NULL,
  answered integer NOT NULL,
  resolved integer NOT NULL,
  callbacks integer NOT NULL,
  rated integer NOT NULL,
  satisfaction_sum numeric NOT NULL,
  first_rated integer NOT NULL,
  first_satisfied integer NOT NULL,
  reopened integer NOT NULL,
  returned integer NOT NULL,
  away integer NOT NULL,
  repeated integer NOT NULL,
  PRIMARY KEY (kind, day, key, district_code)
);

-- One ticket's contribution: nothing unless it is dispatched and not an approved 不合理诉求.
CREATE FUNCTION rank_parts(t tickets, lim jsonb, disp text[], w jsonb)
RETURNS TABLE (kind text, key text, name text, tickets integer, responded integer, answered integer, resolved integer, callbacks integer,
               rated integer, satisfaction_sum numeric, first_rated integer, first_satisfied integer, reopened integer, returned integer,
               away integer, repeated integer)
LANGUAGE sql STABLE AS $fn$
  WITH f AS (
    SELECT COALESCE(t.unit_code, t.dispatched_unit_code) AS unit_key,
           (t.accepted_at IS NOT NULL AND (lim->>(t.urgency || '|' || t.disposition) IS NULL
             OR t.accepted_at <= t.submitted_at + make_interval(mins => (lim->>(t.urgency || '|' || t.disposition))::int)))::int AS responded,
           (t.callback_at IS NOT NULL OR t.unit_resolved IS NOT NULL)::int AS answered,
           COALESCE(CASE WHEN t.callback_at IS NOT NULL THEN t.callback_resolved ELSE t.unit_resolved END, false)::int AS resolved,
           (t.callback_at IS NOT NULL)::int AS callbacks,
           COALESCE(t.callback_at IS NOT NULL AND w ? t.callback_satisfaction, false)::int AS rated,
           CASE WHEN t.callback_at IS NOT NULL THEN COALESCE((w->>t.callback_satisfaction)::numeric, 0) ELSE 0 END AS satisfaction,
           (t.first_callback_satisfaction IS NOT NULL)::int AS first_rated,
           COALESCE(t.first_callback_satisfaction IN ('满意', '基本满意'), false)::int AS first_satisfied,
           (t.reopen_events > 0)::int AS reopened,
           (cardinality(t.returned_units) > 0)::int AS returned_any,
           (t.repeat_count > 0)::int AS repeated
     WHERE t.disposition = ANY(disp) AND t.unreasonable_at IS NULL
  )
  SELECT g.kind, g.key, g.name, 1, f.responded, f.answered, f.resolved, f.callbacks, f.rated, f.satisfaction, f.first_rated,
         f.first_satisfied, f.reopened, g.returned, 0, f.repeated
    FROM f CROSS JOIN LATERAL (VALUES
      ('unit', COALESCE(f.unit_key, ''), NULL::text, COALESCE(f.unit_key = ANY(t.returned_units), false)::int),
      ('street', COALESCE(t.street_code, ''), t.names->>'street', f.returned_any),
      ('district', COALESCE(t.district_code, ''), t.names->>'district', f.returned_any),
      ('category', COALESCE(substr(t.leaf_code, 1, 2), ''), t.names->'leafPath'->>0, f.returned_any),
      ('channel', COALESCE(t.channel, ''), NULL::text, f.returned_any)
    ) AS g(kind, key, name, returned)
  UNION ALL
  SELECT 'unit', r.unit, NULL::text, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 1, 1, 0
    FROM f CROSS JOIN LATERAL unnest(t.returned_units) AS r(unit)
   WHERE r.unit IS DISTINCT FROM f.unit_key
$fn$;

-- Adds (s = 1) or takes away (s = -1) one ticket's contribution, in key order.
CREATE FUNCTION rank_apply(t tickets, s integer) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO rank_day AS r (kind, day, key, district_code, name, tickets, responded, answered, resolved, callbacks, rated,
                             satisfaction_sum, first_rated, first_satisfied, reopened, returned, away, repeated)
  SELECT p.kind, t.submitted_date, p.key, COALESCE(t.district_code, ''), p.name, s * p.tickets, s * p.responded, s * p.answered,
         s * p.resolved, s * p.callbacks, s * p.rated, s * p.satisfaction_sum, s * p.first_rated, s * p.first_satisfied,
         s * p.reopened, s * p.returned, s * p.away, s * p.repeated
    FROM rank_settings c CROSS JOIN LATERAL rank_parts(t, c.limits, c.dispositions, c.weights) AS p
   ORDER BY p.kind, p.key
  ON CONFLICT (kind, day, key, district_code) DO UPDATE SET
    name = LEAST(r.name, EXCLUDED.name),
    tickets = r.tickets + EXCLUDED.tickets, responded = r.responded + EXCLUDED.responded, answered = r.answered + EXCLUDED.answered,
    resolved = r.resolved + EXCLUDED.resolved, callbacks = r.callbacks + EXCLUDED.callbacks, rated = r.rated + EXCLUDED.rated,
    satisfaction_sum = r.satisfaction_sum + EXCLUDED.satisfaction_sum, first_rated = r.first_rated + EXCLUDED.first_rated,
    first_satisfied = r.first_satisfied + EXCLUDED.first_satisfied, reopened = r.reopened + EXCLUDED.reopened,
    returned = r.returned + EXCLUDED.returned, away = r.away + EXCLUDED.away, repeated = r.repeated + EXCLUDED.repeated;
$fn$;

-- Every ticket write moves the sums in its own transaction: the old row's contribution out, the
-- new one's in. Writers take EVENTS_LOCK (server/migrations.ts, 0x48554202) first; the trigger takes
-- it too, so two writers never update rank_day rows in opposite orders.
CREATE FUNCTION tickets_rank_day() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(1213547010);
  IF TG_OP <> 'INSERT' THEN PERFORM rank_apply(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM rank_apply(NEW, 1); END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tickets_rank_day AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_rank_day();
CREATE TRIGGER tickets_rank_day_update AFTER UPDATE ON tickets FOR EACH ROW
  WHEN ((OLD.submitted_date, OLD.submitted_at, OLD.disposition, OLD.unreasonable_at, OLD.district_code, OLD.street_code, OLD.leaf_code,
         OLD.unit_code, OLD.dispatched_unit_code, OLD.urgency, OLD.accepted_at, OLD.callback_at, OLD.callback_resolved,
         OLD.callback_satisfaction, OLD.unit_resolved, OLD.first_callback_satisfaction, OLD.reopen_events, OLD.returned_units,
         OLD.repeat_count, OLD.channel, OLD.names->>'street', OLD.names->>'district', OLD.names->'leafPath'->>0)
        IS DISTINCT FROM
        (NEW.submitted_date, NEW.submitted_at, NEW.disposition, NEW.unreasonable_at, NEW.district_code, NEW.street_code, NEW.leaf_code,
         NEW.unit_code, NEW.dispatched_unit_code, NEW.urgency, NEW.accepted_at, NEW.callback_at, NEW.callback_resolved,
         NEW.callback_satisfaction, NEW.unit_resolved, NEW.first_callback_satisfaction, NEW.reopen_events, NEW.returned_units,
         NEW.repeat_count, NEW.channel, NEW.names->>'street', NEW.names->>'district', NEW.names->'leafPath'->>0))
  EXECUTE FUNCTION tickets_rank_day();

-- Counts rank_day again from every ticket (the hub when the settings changed; a bench after COPY).
CREATE FUNCTION rank_rebuild() RETURNS void LANGUAGE sql AS $fn$
  DELETE FROM rank_day;
  INSERT INTO rank_day (kind, day, key, district_code, name, tickets, responded, answered, resolved, callbacks, rated,
                        satisfaction_sum, first_rated, first_satisfied, reopened, returned, away, repeated)
  SELECT p.kind, t.submitted_date, p.key, COALESCE(t.district_code, ''), min(p.name), sum(p.tickets), sum(p.responded), sum(p.answered),
         sum(p.resolved), sum(p.callbacks), sum(p.rated), sum(p.satisfaction_sum), sum(p.first_rated), sum(p.first_satisfied),
         sum(p.reopened), sum(p.returned), sum(p.away), sum(p.repeated)
    FROM rank_settings c
    JOIN tickets t ON t.disposition = ANY(c.dispositions) AND t.unreasonable_at IS NULL
    CROSS JOIN LATERAL rank_parts(t, c.limits, c.dispositions, c.weights) AS p
   GROUP BY 1, 2, 3, 4;
$fn$;
`,
  },
  {
    version: 17,
    name: 'the team lead\'s tally at volume: 未核验 (operator_verified) in its covering index',
    sql: `
-- 未核验 (tickets.operator_verified, hub migration 11) joined the team lead's tally (server/stats.ts
-- shiftTally) after hub migration 13 built tickets_shift_tally without it, so a month's tally read the
-- wide rows again instead of the index. The index is built again with the column.
CREATE INDEX tickets_shift_tally_17 ON tickets (shift_date, operator_id) INCLUDE (shift_code, operator_name, submitted_at, call_started_at,
  disposition, status, open_due_at, callback_at, callback_satisfaction, leaf_code, street_code, channel, operator_verified);
DROP INDEX tickets_shift_tally;
ALTER INDEX tickets_shift_tally_17 RENAME TO tickets_shift_tally;
`,
  },
  {
    version: 18,
    name: 'the team lead\'s tally from per-day summaries: per operator and shift day, and the hours, leaves, hot spots and channels',
    sql: `
-- The team lead's center-wide tally (server/stats.ts shiftTally) read a month of tickets (~500,000)
-- for every report. These two tables hold it per shift day, kept by the tickets' trigger in the
-- writer's own transaction (docs/decisions/0006-rankings-at-volume.md).
--
-- tally_day: one row per shift day, shift and operator. A new ticket adds its counts and appends its
-- handling time; a later write that keeps the ticket's day, operator, name and times moves its
-- counts; any other write (rare: a corrected operator or time, a deleted ticket) counts the day
-- again from the covering index tickets_shift_tally (a few dozen entries). handling_us: the measured
-- handling times (submit − call start, when not negative) in microseconds, whose median and p90 the
-- hub computes; dispositions: count per 处置方式; latest_name: the name on the operator's latest
-- ticket of the day.
CREATE TABLE tally_day (
  shift_date date NOT NULL,
  shift_code text NOT NULL,
  operator_id text NOT NULL,
  taken integer NOT NULL,
  measured integer NOT NULL,
  handling_us bigint[] NOT NULL,
  dispositions jsonb NOT NULL,
  returned integer NOT NULL,
  callbacks integer NOT NULL,
  satisfied integer NOT NULL,
  basic integer NOT NULL,
  unsatisfied integer NOT NULL,
  unverified integer NOT NULL,
  latest_at timestamptz NOT NULL,
  latest_name text NOT NULL,
  PRIMARY KEY (shift_date, shift_code, operator_id)
);

-- tally_dim: tickets per shift and period by hour of submission (dim 'h', Beijing time), leaf ('l',
-- '' unclassified; the levels above are its prefixes), street × 一级 category ('p', '' for none)
-- and 受理渠道 ('c'); moved by one for each ticket's old and new values. Each ticket is counted in
-- its shift day (span 'd', period = the day) and in its month (span 'm', period = the month's first
-- day): a month's hot spots are as many streets × categories as a month's tickets when read day by
-- day, so a range reads its whole months from the month rows and only its partial months' days.
CREATE TABLE tally_dim (
  span text NOT NULL CHECK (span IN ('d', 'm')),
  period date NOT NULL,
  shift_code text NOT NULL,
  dim text NOT NULL,
  key text NOT NULL,
  top text NOT NULL,
  taken integer NOT NULL,
  PRIMARY KEY (span, period, shift_code, dim, key, top)
);

-- 超期 depends on the report's instant, so it is counted from the tickets still open: this index
-- holds only those.
CREATE INDEX tickets_open_due_shift ON tickets (shift_date) INCLUDE (open_due_at, shift_code, operator_id) WHERE open_due_at IS NOT NULL;

-- What one ticket adds to its operator's day besides itself: 已退单, 回访, 满意, 基本满意, 不满意, 未核验.
CREATE FUNCTION tally_flags(t tickets) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $fn$
  SELECT ARRAY[(t.status = '已退单')::int, (t.callback_at IS NOT NULL)::int,
               COALESCE(t.callback_at IS NOT NULL AND t.callback_satisfaction = '满意', false)::int,
               COALESCE(t.callback_at IS NOT NULL AND t.callback_satisfaction = '基本满意', false)::int,
               COALESCE(t.callback_at IS NOT NULL AND t.callback_satisfaction = '不满意', false)::int,
               (NOT t.operator_verified)::int]
$fn$;

-- Its measured handling time in microseconds (submit − call start); none when negative.
CREATE FUNCTION tally_handling_us(t tickets) RETURNS bigint LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN t.submitted_at >= t.call_started_at THEN (extract(epoch FROM t.submitted_at - t.call_started_at) * 1000000)::bigint END
$fn$;

-- Orders tickets by submission, then name: the greatest is the one whose name the day shows.
CREATE FUNCTION tally_latest(at timestamptz, name text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || name
$fn$;

-- One shift day's row of an operator, from the tickets (none when the operator has none that day).
CREATE FUNCTION tally_day_of(d date, s text, o text) RETURNS SETOF tally_day LANGUAGE sql STABLE AS $fn$
  SELECT d, s, o, count(*)::int, count(v.us)::int, COALESCE(array_agg(v.us) FILTER (WHERE v.us IS NOT NULL), '{}'),
         (SELECT COALESCE(jsonb_object_agg(x.disposition, x.n), '{}'::jsonb)
            FROM (SELECT disposition, count(*)::int AS n FROM tickets WHERE shift_date = d AND operator_id = o AND shift_code = s GROUP BY disposition) AS x),
         sum(v.f[1])::int, sum(v.f[2])::int, sum(v.f[3])::int, sum(v.f[4])::int, sum(v.f[5])::int, sum(v.f[6])::int,
         max(t.submitted_at), substr(max(tally_latest(t.submitted_at, t.operator_name)), 21)
    FROM tickets t CROSS JOIN LATERAL (SELECT tally_handling_us(t) AS us, tally_flags(t) AS f) AS v
   WHERE t.shift_date = d AND t.operator_id = o AND t.shift_code = s
  HAVING count(*) > 0
$fn$;

CREATE FUNCTION tally_day_count(d date, s text, o text) RETURNS void LANGUAGE sql AS $fn$
  DELETE FROM tally_day WHERE shift_date = d AND shift_code = s AND operator_id = o;
  INSERT INTO tally_day SELECT * FROM tally_day_of(d, s, o);
$fn$;

-- A new ticket: its counts added to its operator's day, its handling time appended.
CREATE FUNCTION tally_day_insert(t tickets) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO tally_day AS x (shift_date, shift_code, operator_id, taken, measured, handling_us, dispositions,
                              returned, callbacks, satisfied, basic, unsatisfied, unverified, latest_at, latest_name)
  SELECT t.shift_date, t.shift_code, t.operator_id, 1, (v.us IS NOT NULL)::int, CASE WHEN v.us IS NULL THEN '{}'::bigint[] ELSE ARRAY[v.us] END,
         jsonb_build_object(t.disposition, 1), v.f[1], v.f[2], v.f[3], v.f[4], v.f[5], v.f[6], t.submitted_at, t.operator_name
    FROM (SELECT tally_handling_us(t) AS us, tally_flags(t) AS f) AS v
  ON CONFLICT (shift_date, shift_code, operator_id) DO UPDATE SET
    taken = x.taken + 1, measured = x.measured + EXCLUDED.measured, handling_us = x.handling_us || EXCLUDED.handling_us,
    dispositions = jsonb_set(x.dispositions, ARRAY[t.disposition], to_jsonb(COALESCE((x.dispositions->>t.disposition)::int, 0) + 1)),
    returned = x.returned + EXCLUDED.returned, callbacks = x.callbacks + EXCLUDED.callbacks, satisfied = x.satisfied + EXCLUDED.satisfied,
    basic = x.basic + EXCLUDED.basic, unsatisfied = x.unsatisfied + EXCLUDED.unsatisfied, unverified = x.unverified + EXCLUDED.unverified,
    latest_at = CASE WHEN tally_latest(EXCLUDED.latest_at, EXCLUDED.latest_name) > tally_latest(x.latest_at, x.latest_name) THEN EXCLUDED.latest_at ELSE x.latest_at END,
    latest_name = CASE WHEN tally_latest(EXCLUDED.latest_at, EXCLUDED.latest_name) > tally_latest(x.latest_at, x.latest_name) THEN EXCLUDED.latest_name ELSE x.latest_name END;
$fn$;

-- A ticket whose day, operator, name and times stay: its counts moved from the old row's to the new one's.
CREATE FUNCTION tally_day_move(o tickets, n tickets) RETURNS void LANGUAGE sql AS $fn$
  UPDATE tally_day AS x SET
    dispositions = CASE WHEN o.disposition = n.disposition THEN x.dispositions
                        ELSE jsonb_set(jsonb_set(x.dispositions, ARRAY[o.disposition], to_jsonb(COALESCE((x.dispositions->>o.disposition)::int, 0) - 1)),
                                       ARRAY[n.disposition], to_jsonb(COALESCE((x.dispositions->>n.disposition)::int, 0) + 1)) END,
    returned = x.returned + d.f[1], callbacks = x.callbacks + d.f[2], satisfied = x.satisfied + d.f[3],
    basic = x.basic + d.f[4], unsatisfied = x.unsatisfied + d.f[5], unverified = x.unverified + d.f[6]
    FROM (SELECT ARRAY(SELECT b - a FROM unnest(tally_flags(o), tally_flags(n)) AS u(a, b)) AS f) AS d
   WHERE x.shift_date = n.shift_date AND x.shift_code = n.shift_code AND x.operator_id = n.operator_id;
$fn$;

-- One ticket's places in tally_dim; the hour is Beijing's (shared/time.ts CENTER_UTC_OFFSET_MINUTES).
CREATE FUNCTION tally_dim_parts(t tickets) RETURNS TABLE (dim text, key text, top text) LANGUAGE sql STABLE AS $fn$
  VALUES ('h', date_part('hour', (t.submitted_at + interval '480 minutes') AT TIME ZONE 'UTC')::int::text, ''),
         ('l', COALESCE(t.leaf_code, ''), ''),
         ('p', COALESCE(t.street_code, ''), COALESCE(left(t.leaf_code, 2), '')),
         ('c', t.channel, '')
$fn$;

CREATE FUNCTION tally_dim_apply(t tickets, s integer) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO tally_dim AS x (span, period, shift_code, dim, key, top, taken)
  SELECT v.span, v.period, t.shift_code, p.dim, p.key, p.top, s
    FROM tally_dim_parts(t) AS p
    CROSS JOIN (VALUES ('d', t.shift_date), ('m', date_trunc('month', t.shift_date)::date)) AS v(span, period)
   ORDER BY v.span, v.period, p.dim, p.key, p.top
  ON CONFLICT (span, period, shift_code, dim, key, top) DO UPDATE SET taken = x.taken + EXCLUDED.taken;
$fn$;

-- Every ticket write moves the tally in its own transaction, under the lock the 考核 summary's
-- trigger takes (hub migration 16), so two writers never update the rows in opposite orders and a
-- day counted again sees every ticket committed before it.
CREATE FUNCTION tickets_tally() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(1213547010);
  IF TG_OP = 'UPDATE' AND (OLD.shift_date, OLD.shift_code, OLD.submitted_at, OLD.leaf_code, OLD.street_code, OLD.channel)
                          IS NOT DISTINCT FROM (NEW.shift_date, NEW.shift_code, NEW.submitted_at, NEW.leaf_code, NEW.street_code, NEW.channel) THEN
    NULL;
  ELSE
    IF TG_OP <> 'INSERT' THEN PERFORM tally_dim_apply(OLD, -1); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM tally_dim_apply(NEW, 1); END IF;
  END IF;
  -- Counts move by delta; a changed day, operator, name or time counts the day(s) again.
  IF TG_OP = 'INSERT' THEN
    PERFORM tally_day_insert(NEW);
  ELSIF TG_OP = 'UPDATE' AND (OLD.shift_date, OLD.shift_code, OLD.operator_id, OLD.operator_name, OLD.submitted_at, OLD.call_started_at)
                             IS NOT DISTINCT FROM (NEW.shift_date, NEW.shift_code, NEW.operator_id, NEW.operator_name, NEW.submitted_at, NEW.call_started_at) THEN
    PERFORM tally_day_move(OLD, NEW);
  ELSE
    PERFORM tally_day_count(OLD.shift_date, OLD.shift_code, OLD.operator_id);
    IF TG_OP = 'UPDATE' AND (OLD.shift_date, OLD.shift_code, OLD.operator_id) IS DISTINCT FROM (NEW.shift_date, NEW.shift_code, NEW.operator_id) THEN
      PERFORM tally_day_count(NEW.shift_date, NEW.shift_code, NEW.operator_id);
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tickets_tally AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_tally();
CREATE TRIGGER tickets_tally_update AFTER UPDATE ON tickets FOR EACH ROW
  WHEN ((OLD.shift_date, OLD.shift_code, OLD.operator_id, OLD.operator_name, OLD.operator_verified, OLD.submitted_at, OLD.call_started_at,
         OLD.disposition, OLD.status, OLD.callback_at, OLD.callback_satisfaction, OLD.leaf_code, OLD.street_code, OLD.channel)
        IS DISTINCT FROM
        (NEW.shift_date, NEW.shift_code, NEW.operator_id, NEW.operator_name, NEW.operator_verified, NEW.submitted_at, NEW.call_started_at,
         NEW.disposition, NEW.status, NEW.callback_at, NEW.callback_satisfaction, NEW.leaf_code, NEW.street_code, NEW.channel))
  EXECUTE FUNCTION tickets_tally();

-- Counts both tables again from every ticket (at this migration; a bench after COPY).
CREATE FUNCTION tally_rebuild() RETURNS void LANGUAGE sql AS $fn$
  DELETE FROM tally_dim;
  DELETE FROM tally_day;
  INSERT INTO tally_dim (span, period, shift_code, dim, key, top, taken)
  SELECT v.span, v.period, t.shift_code, p.dim, p.key, p.top, count(*)::int
    FROM tickets t CROSS JOIN LATERAL tally_dim_parts(t) AS p
    CROSS JOIN LATERAL (VALUES ('d', t.shift_date), ('m', date_trunc('month', t.shift_date)::date)) AS v(span, period)
   GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO tally_day SELECT r.* FROM (SELECT DISTINCT shift_date, shift_code, operator_id FROM tickets) AS k CROSS JOIN LATERAL tally_day_of(k.shift_date, k.shift_code, k.operator_id) AS r;
$fn$;
SELECT tally_rebuild();
`,
  },
  {
    version: 19,
    name: 'ticket intake at volume: a statement of new tickets moves the 考核 and tally summaries once per key, not once per ticket',
    sql: `
-- Hub migrations 16 and 18 moved rank_day, tally_day and tally_dim once per inserted ticket: a push
-- of 500 tickets ran 500 trigger calls upserting the same few dozen hot rows some 7,000 times, and
-- ingest fell to ~600 tickets a second. A new ticket now counts once per INSERT statement: the
-- statement's new rows (a transition table) are summed per key and each key is upserted once.
-- Updates and deletes keep the row triggers: the workspace changes one ticket at a time.
-- The sums are the same whatever the order: a 重复诉求 linked to a ticket of the same statement
-- moves that ticket's row (its update trigger) before the statement's sum adds it as inserted.

DROP TRIGGER tickets_rank_day ON tickets;
CREATE TRIGGER tickets_rank_day_delete AFTER DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_rank_day();

CREATE FUNCTION tickets_rank_day_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(1213547010);
  INSERT INTO rank_day AS r (kind, day, key, district_code, name, tickets, responded, answered, resolved, callbacks, rated,
                             satisfaction_sum, first_rated, first_satisfied, reopened, returned, away, repeated)
  SELECT p.kind, t.submitted_date, p.key, COALESCE(t.district_code, ''), min(p.name), sum(p.tickets), sum(p.responded), sum(p.answered),
         sum(p.resolved), sum(p.callbacks), sum(p.rated), sum(p.satisfaction_sum), sum(p.first_rated), sum(p.first_satisfied),
         sum(p.reopened), sum(p.returned), sum(p.away), sum(p.repeated)
    FROM rank_settings c
    JOIN inserted t ON t.disposition = ANY(c.dispositions) AND t.unreasonable_at IS NULL
    CROSS JOIN LATERAL rank_parts(t::tickets, c.limits, c.dispositions, c.weights) AS p
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (kind, day, key, district_code) DO UPDATE SET
    name = LEAST(r.name, EXCLUDED.name),
    tickets = r.tickets + EXCLUDED.tickets, responded = r.responded + EXCLUDED.responded, answered = r.answered + EXCLUDED.answered,
    resolved = r.resolved + EXCLUDED.resolved, callbacks = r.callbacks + EXCLUDED.callbacks, rated = r.rated + EXCLUDED.rated,
    satisfaction_sum = r.satisfaction_sum + EXCLUDED.satisfaction_sum, first_rated = r.first_rated + EXCLUDED.first_rated,
    first_satisfied = r.first_satisfied + EXCLUDED.first_satisfied, reopened = r.reopened + EXCLUDED.reopened,
    returned = r.returned + EXCLUDED.returned, away = r.away + EXCLUDED.away, repeated = r.repeated + EXCLUDED.repeated;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tickets_rank_day_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION tickets_rank_day_inserted();

DROP TRIGGER tickets_tally ON tickets;
CREATE TRIGGER tickets_tally_delete AFTER DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_tally();

-- Two dispositions counts (tally_day.dispositions) added key by key.
CREATE FUNCTION tally_dispositions_add(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $fn$
  SELECT COALESCE(jsonb_object_agg(k, n), '{}'::jsonb)
    FROM (SELECT k, sum(v::int) AS n FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS e(k, v) GROUP BY k) AS s
$fn$;

CREATE FUNCTION tickets_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(1213547010);
  INSERT INTO tally_dim AS x (span, period, shift_code, dim, key, top, taken)
  SELECT v.span, v.period, t.shift_code, p.dim, p.key, p.top, count(*)::int
    FROM inserted t CROSS JOIN LATERAL tally_dim_parts(t::tickets) AS p
    CROSS JOIN LATERAL (VALUES ('d', t.shift_date), ('m', date_trunc('month', t.shift_date)::date)) AS v(span, period)
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (span, period, shift_code, dim, key, top) DO UPDATE SET taken = x.taken + EXCLUDED.taken;

  INSERT INTO tally_day AS x (shift_date, shift_code, operator_id, taken, measured, handling_us, dispositions,
                              returned, callbacks, satisfied, basic, unsatisfied, unverified, latest_at, latest_name)
  SELECT g.shift_date, g.shift_code, g.operator_id, count(*)::int, count(v.us)::int,
         COALESCE(array_agg(v.us) FILTER (WHERE v.us IS NOT NULL), '{}'),
         (SELECT jsonb_object_agg(d.disposition, d.n)
            FROM (SELECT i.disposition, count(*)::int AS n FROM inserted i
                   WHERE (i.shift_date, i.shift_code, i.operator_id) = (g.shift_date, g.shift_code, g.operator_id) GROUP BY i.disposition) AS d),
         sum(v.f[1])::int, sum(v.f[2])::int, sum(v.f[3])::int, sum(v.f[4])::int, sum(v.f[5])::int, sum(v.f[6])::int,
         max(g.submitted_at), substr(max(tally_latest(g.submitted_at, g.operator_name)), 21)
    FROM inserted g CROSS JOIN LATERAL (SELECT tally_handling_us(g::tickets) AS us, tally_flags(g::tickets) AS f) AS v
   GROUP BY g.shift_date, g.shift_code, g.operator_id
   ORDER BY g.shift_date, g.shift_code, g.operator_id
  ON CONFLICT (shift_date, shift_code, operator_id) DO UPDATE SET
    taken = x.taken + EXCLUDED.taken, measured = x.measured + EXCLUDED.measured, handling_us = x.handling_us || EXCLUDED.handling_us,
    dispositions = tally_dispositions_add(x.dispositions, EXCLUDED.dispositions),
    returned = x.returned + EXCLUDED.returned, callbacks = x.callbacks + EXCLUDED.callbacks, satisfied = x.satisfied + EXCLUDED.satisfied,
    basic = x.basic + EXCLUDED.basic, unsatisfied = x.unsatisfied + EXCLUDED.unsatisfied, unverified = x.unverified + EXCLUDED.unverified,
    latest_at = CASE WHEN tally_latest(EXCLUDED.latest_at, EXCLUDED.latest_name) > tally_latest(x.latest_at, x.latest_name) THEN EXCLUDED.latest_at ELSE x.latest_at END,
    latest_name = CASE WHEN tally_latest(EXCLUDED.latest_at, EXCLUDED.latest_name) > tally_latest(x.latest_at, x.latest_name) THEN EXCLUDED.latest_name ELSE x.latest_name END;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER tickets_tally_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION tickets_tally_inserted();
`,
  },
  {
    version: 20,
    name: 'a push in one statement: hub_push_tickets numbers, stores and links a batch inside the database',
    sql: `
-- A push was a transaction of seven round trips (BEGIN, lock the day counters, read what is stored,
-- take the numbers, insert the tickets, insert the events, COMMIT), each one a moment in which a busy
-- machine could stall it; 2,000 desks measured push p99 well above its 200 ms target while the
-- one-statement pull met its own. The same steps now run here, called as one autocommit statement
-- (server/tickets.ts pushTickets; why each step is as it is: docs/decisions/0002-hub-push-and-pull.md).
-- Each statement of a plpgsql function takes a fresh READ COMMITTED snapshot, so the look-up after
-- the counter locks still sees a concurrent push of the same tickets that committed meanwhile.
--
-- p_rows: one object per ticket of the batch (distinct ids), the tickets columns below plus ord,
--         the batch order; number is left out and drawn here.
-- p_events: the desk's events of those tickets (ord, ticket_id, desk_id, kind, at, actor, note,
--         status, unit_code); only the tickets this call creates get theirs stored.
-- p_links: (ticket_id, request_id, actor) of tickets taken from an Open311 submission.
-- Returns every ticket of the batch as stored now, and whether this call created it.
CREATE FUNCTION hub_push_tickets(p_rows jsonb, p_events jsonb, p_links jsonb, p_at timestamptz, p_events_lock bigint)
RETURNS TABLE (pushed_id text, pushed_number text, pushed_status text, pushed_deadlines jsonb, pushed_created boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  created uuid[];
BEGIN
  -- The counter row of each date in the batch, in date order: two pushes never deadlock, and a
  -- concurrent push of the same tickets holds the same rows until it commits.
  INSERT INTO day_counters (day, last_seq)
  SELECT DISTINCT (r ->> 'submitted_date')::date, 0 FROM jsonb_array_elements(p_rows) AS r ORDER BY 1
  ON CONFLICT (day) DO UPDATE SET last_seq = day_counters.last_seq;

  -- What is not stored yet is numbered, one range per date in batch order, and inserted.
  WITH fresh AS (
    SELECT r.* FROM jsonb_to_recordset(p_rows) AS r(
      ord int, id uuid, provisional_number text, desk_id text, operator_id text, operator_name text, shift_code text,
      shift_date date, call_started_at timestamptz, submitted_at timestamptz, submitted_date date, channel text,
      caller_name text, caller_phone text, callback_phone text, request_type text, district_code text, street_code text,
      village_code text, address_text text, content text, leaf_code text, urgency text, disposition text,
      dispatched_unit_code text, unit_code text, kb_article_id text, linked_ticket_id uuid, unreasonable_reason text,
      names jsonb, status text, deadlines jsonb, received_at timestamptz, updated_at timestamptz, pushed_by uuid,
      intake_unreasonable boolean, operator_verified boolean)
     WHERE NOT EXISTS (SELECT 1 FROM tickets AS t WHERE t.id = r.id)
  ), per_day AS (
    SELECT submitted_date AS day, count(*)::int AS n FROM fresh GROUP BY submitted_date
  ), taken AS (
    UPDATE day_counters AS c SET last_seq = c.last_seq + p.n FROM per_day AS p WHERE c.day = p.day
    RETURNING c.day, c.last_seq - p.n AS before
  ), numbered AS (
    SELECT f.*, k.before + row_number() OVER (PARTITION BY f.submitted_date ORDER BY f.ord) AS seq
      FROM fresh AS f JOIN taken AS k ON k.day = f.submitted_date
  ), inserted AS (
    INSERT INTO tickets (id, number, provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at,
    submitted_date, channel, caller_name, caller_phone, callback_phone, request_type, district_code, street_code, village_code,
    address_text, content, leaf_code, urgency, disposition, dispatched_unit_code, unit_code, kb_article_id, linked_ticket_id,
    unreasonable_reason, names, status, deadlines, received_at, updated_at, pushed_by, intake_unreasonable, operator_verified)
    SELECT id, to_char(submitted_date, 'YYYYMMDD') || CASE WHEN seq < 1000000 THEN lpad(seq::text, 6, '0') ELSE seq::text END,
           provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at,
           submitted_date, channel, caller_name, caller_phone, callback_phone, request_type, district_code, street_code, village_code,
           address_text, content, leaf_code, urgency, disposition, dispatched_unit_code, unit_code, kb_article_id, linked_ticket_id,
           unreasonable_reason, names, status, deadlines, received_at, updated_at, pushed_by, intake_unreasonable, operator_verified
      FROM numbered ORDER BY ord
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  SELECT array_agg(id) INTO created FROM inserted;

  IF created IS NOT NULL THEN
    -- Event seqs are drawn and committed one writer at a time (EVENTS_LOCK, server/migrations.ts).
    PERFORM pg_advisory_xact_lock(p_events_lock);
    INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback)
    SELECT e.ticket_id, e.desk_id, 'desk', e.kind, e.at, e.actor, e.note, e.status, e.unit_code, '[]'::jsonb, NULL
      FROM jsonb_to_recordset(p_events) AS e(ord int, ticket_id uuid, desk_id text, kind text, at timestamptz, actor text, note text, status text, unit_code text)
     WHERE e.ticket_id = ANY (created)
     ORDER BY e.ord;
    -- A ticket taken from an Open311 submission (网络渠道待受理) links it.
    UPDATE open311_requests AS q SET state = 'accepted', ticket_id = l.ticket_id, decided_by = l.actor, decided_at = p_at, updated_at = p_at
      FROM jsonb_to_recordset(p_links) AS l(ticket_id uuid, request_id uuid, actor text)
     WHERE q.id = l.request_id AND l.ticket_id = ANY (created) AND q.ticket_id IS NULL AND q.state IN ('pending', 'claimed');
  END IF;

  -- Tickets another push stored (before this one, or while it waited) answer with what that push stored.
  RETURN QUERY
  SELECT t.id::text, t.number, t.status, t.deadlines, t.id = ANY (COALESCE(created, '{}'))
    FROM tickets AS t
   WHERE t.id IN (SELECT (r ->> 'id')::uuid FROM jsonb_array_elements(p_rows) AS r);
END
$fn$;
`,
  },
];

export function migrationHash(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export interface MigrationReport {
  applied: number[];
  version: number;
}

export async function migrate(db: Database, migrations: readonly HubMigration[] = HUB_MIGRATIONS): Promise<MigrationReport> {
  const latest = migrations.at(-1)?.version ?? 0;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS hub_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const rows = await tx.query<{ version: number; sha256: string }>('SELECT version, sha256 FROM hub_migrations ORDER BY version');
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of rows) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new Error(`数据库由更新版本的中心程序写入（结构版本 ${rows.at(-1)!.version}，本程序只到 ${latest}），未做任何改动；请升级中心程序`);
      }
      if (migrationHash(migration.sql) !== row.sha256) {
        throw new Error(`数据库已执行的第 ${row.version} 号结构升级与本程序记录的不一致，未做任何改动；请检查程序版本`);
      }
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO hub_migrations (version, name, sha256, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        migrationHash(migration.sql),
        new Date().toISOString(),
      ]);
      applied.push(migration.version);
    }
    return { applied, version: latest };
  });
}
