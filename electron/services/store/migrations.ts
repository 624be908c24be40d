/**
 * Numbered, append-only schema migrations for the desk database. Never edit a shipped migration:
 * add the next number. test/unit/migrations.test.ts pins each migration's text by hash.
 */
import type { Db } from './database';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  up: (db: Db) => void;
}

function sqlMigration(version: number, name: string, sql: string): Migration {
  return { version, name, sql, up: (db) => db.exec(sql) };
}

/** How many checkpoints of a ticket's deadline ladder the shift log index looks at (the policy has at most 5). */
export const SHIFT_LOG_LADDER_SLOTS = 12;

/**
 * The earliest deadline of a ticket not yet met, as a Julian day (9e9 when every one is met), in an
 * expression SQLite can index (no subquery): the minimum over the ladder's first
 * SHIFT_LOG_LADDER_SLOTS entries of dueAt where doneAt is null. Migration 4 indexes it; the lead
 * repository selects the very same text so the value comes out of the index. A ladder longer than
 * that is read from the row itself (see lead-repo.ts).
 */
export const SHIFT_LOG_OPEN_DUE = `min(${Array.from(
  { length: SHIFT_LOG_LADDER_SLOTS },
  (_, i) => `coalesce(CASE WHEN deadlines ->> '$[${i}].doneAt' IS NULL THEN julianday(deadlines ->> '$[${i}].dueAt') END, 9e9)`,
).join(', ')})`;

/**
 * The shift log's per-ticket numbers, as migration 5 indexes them (the lead repository selects the
 * very same text, so the values come out of the index, worked out once when the row was written).
 * Each list and offset is written out here, not taken from the domain: a shipped migration's text
 * never changes, and test/unit/lead-tally.test.ts checks they still match the domain's lists.
 */
export const TALLY_DISPOSITIONS = ['咨询办结', '直派', '派分中心', '派市中心', '重复诉求', '不合理诉求'] as const;
export const TALLY_STATUSES = ['已办结', '已派单', '待审核', '已关联', '已接单', '已退单', '已回复', '已回访'] as const;
/** Beijing's offset from UTC in minutes, as the index's hour of submit uses it. */
export const TALLY_UTC_OFFSET_MINUTES = 480;
/** A Julian day as epoch milliseconds, rounded to the millisecond. */
const msOfJulianSql = (jd: string) => `CAST(round((${jd} - 2440587.5) * 86400000) AS INTEGER)`;
/** The submit instant in epoch ms. */
export const TALLY_SUBMITTED_MS = msOfJulianSql('julianday(submitted_at)');
/**
 * The handling time in ms (call start to submit; negative when a clock was wrong) and the hour of
 * the submit in Beijing (0–23) in one integer: handling × 24 + hour.
 */
export const TALLY_HANDLING_HOUR = `(${TALLY_SUBMITTED_MS} - ${msOfJulianSql('julianday(call_started_at)')}) * 24 + (${TALLY_SUBMITTED_MS} / 60000 + ${TALLY_UTC_OFFSET_MINUTES}) % 1440 / 60`;
/** Multiplies the disposition's position in TALLY_KINDS. */
export const TALLY_KIND_BASE = 16;
/** Disposition and status in one small integer: position in TALLY_DISPOSITIONS × 16 + position in TALLY_STATUSES. */
export const TALLY_KINDS = `CASE disposition ${TALLY_DISPOSITIONS.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END * ${TALLY_KIND_BASE} + CASE status ${TALLY_STATUSES.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;
/**
 * A category or place code as a number: its digits × 16 + its length (leading zeros survive:
 * 0101001 → 101001 × 16 + 7); NULL for none, -1 for a code that is not all digits (the reference
 * data allows none such; the lead repository then reads the text instead).
 */
export const tallyCodeSql = (column: string) =>
  `CASE WHEN ${column} IS NULL THEN NULL WHEN ${column} <> '' AND ${column} NOT GLOB '*[^0-9]*' AND length(${column}) <= 12 THEN CAST(${column} AS INTEGER) * 16 + length(${column}) ELSE -1 END`;
export const TALLY_LEAF = tallyCodeSql('leaf_code');
export const TALLY_STREET = tallyCodeSql('street_code');
/** The earliest deadline not yet met, in epoch ms (of the first SHIFT_LOG_LADDER_SLOTS); NULL when every one is met. */
export const TALLY_OPEN_DUE_MS = `CASE WHEN ${SHIFT_LOG_OPEN_DUE} < 9e9 THEN ${msOfJulianSql(SHIFT_LOG_OPEN_DUE)} END`;

export const MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    1,
    'settings',
    `CREATE TABLE settings (
       key TEXT PRIMARY KEY NOT NULL,
       value TEXT NOT NULL,
       updated_at TEXT NOT NULL
     ) STRICT;`,
  ),
  sqlMigration(
    2,
    'reference data: catalogue, places, units, knowledge base',
    `CREATE TABLE ref_versions (
       kind TEXT PRIMARY KEY NOT NULL CHECK (kind IN ('catalogue', 'places', 'units', 'kb')),
       version TEXT NOT NULL,
       source TEXT NOT NULL,
       item_count INTEGER NOT NULL,
       imported_at TEXT NOT NULL
     ) STRICT;

     CREATE TABLE catalogue_nodes (
       code TEXT PRIMARY KEY NOT NULL,
       level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
       name TEXT NOT NULL CHECK (name <> ''),
       parent_code TEXT REFERENCES catalogue_nodes (code) DEFERRABLE INITIALLY DEFERRED,
       keywords TEXT NOT NULL,
       synonyms TEXT NOT NULL,
       request_types TEXT NOT NULL,
       urgency TEXT NOT NULL CHECK (urgency IN ('一般', '紧急', '即时')),
       owner_unit TEXT,
       coordination INTEGER NOT NULL CHECK (coordination IN (0, 1)),
       search_terms TEXT
     ) STRICT;
     CREATE INDEX catalogue_nodes_parent ON catalogue_nodes (parent_code);

     CREATE TABLE places (
       code TEXT PRIMARY KEY NOT NULL,
       level TEXT NOT NULL CHECK (level IN ('district', 'street', 'village')),
       name TEXT NOT NULL,
       short_name TEXT NOT NULL,
       parent_code TEXT
     ) STRICT;
     CREATE INDEX places_parent ON places (parent_code);

     CREATE TABLE units (
       code TEXT PRIMARY KEY NOT NULL,
       name TEXT NOT NULL,
       kind TEXT NOT NULL CHECK (kind IN ('city_center', 'subcenter', 'street', 'department', 'utility')),
       district_code TEXT,
       place_code TEXT,
       duties TEXT NOT NULL
     ) STRICT;
     CREATE INDEX units_place ON units (place_code);
     CREATE INDEX units_district ON units (district_code, kind);

     CREATE TABLE kb_articles (
       id TEXT PRIMARY KEY NOT NULL,
       title TEXT NOT NULL,
       questions TEXT NOT NULL,
       answer TEXT NOT NULL,
       source_unit TEXT NOT NULL,
       valid_until TEXT NOT NULL
     ) STRICT;
     CREATE TABLE kb_article_leaves (
       article_id TEXT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
       leaf_code TEXT NOT NULL,
       PRIMARY KEY (article_id, leaf_code)
     ) STRICT, WITHOUT ROWID;
     CREATE INDEX kb_article_leaves_leaf ON kb_article_leaves (leaf_code, article_id);
     -- Trigram tokens make any 3+ character substring searchable in Chinese text; shorter queries take
     -- the fallback path in kb-repo.ts. External content: the article table is the only copy of the text.
     CREATE VIRTUAL TABLE kb_fts USING fts5 (
       title, questions, answer,
       content = 'kb_articles', content_rowid = 'rowid', tokenize = 'trigram'
     );
     -- Character pairs of titles (field 0) and questions (field 1), for 1–2 character queries that the
     -- trigram index cannot answer. The second character of a field's last pair is U+0001.
     CREATE TABLE kb_bigrams (
       bigram TEXT NOT NULL,
       field INTEGER NOT NULL,
       article_rowid INTEGER NOT NULL,
       PRIMARY KEY (bigram, field, article_rowid)
     ) STRICT, WITHOUT ROWID;`,
  ),
  sqlMigration(
    3,
    'tickets, their events, the outbox and the intake draft',
    `-- One row per ticket taken on this desk (and, later, tickets pulled from the hub). The id is the
     -- client UUID made when the call started: the idempotency key of the push to the hub.
     CREATE TABLE tickets (
       id TEXT PRIMARY KEY NOT NULL,
       provisional_number TEXT NOT NULL UNIQUE,
       official_number TEXT UNIQUE,
       operator_id TEXT NOT NULL,
       operator_name TEXT NOT NULL,
       shift_code TEXT NOT NULL,
       shift_date TEXT NOT NULL,
       call_started_at TEXT NOT NULL,
       submitted_at TEXT NOT NULL,
       channel TEXT NOT NULL CHECK (channel IN ('电话', '网络', '微信', '微博', 'APP')),
       caller_name TEXT NOT NULL,
       caller_phone TEXT NOT NULL,
       callback_phone TEXT NOT NULL,
       request_type TEXT NOT NULL CHECK (request_type IN ('咨询', '求助', '投诉', '举报', '建议', '表扬')),
       district_code TEXT,
       street_code TEXT,
       village_code TEXT,
       address_text TEXT NOT NULL,
       content TEXT NOT NULL,
       leaf_code TEXT,
       urgency TEXT NOT NULL CHECK (urgency IN ('一般', '紧急', '即时')),
       disposition TEXT NOT NULL CHECK (disposition IN ('咨询办结', '直派', '派分中心', '派市中心', '重复诉求', '不合理诉求')),
       unit_code TEXT,
       kb_article_id TEXT,
       -- Not a foreign key: the earlier ticket may be one the hub knows and this desk has not cached.
       linked_ticket_id TEXT,
       unreasonable_reason TEXT NOT NULL,
       status TEXT NOT NULL CHECK (status IN ('已办结', '已派单', '待审核', '已关联', '已接单', '已退单', '已回复', '已回访')),
       deadlines TEXT NOT NULL CHECK (json_valid(deadlines)),
       updated_at TEXT NOT NULL
     ) STRICT;
     -- 来电历史 and 疑似重复 by number: the caller's number and the callback number.
     CREATE INDEX tickets_caller_phone ON tickets (caller_phone, submitted_at);
     CREATE INDEX tickets_callback_phone ON tickets (callback_phone, submitted_at);
     -- 疑似重复 by place: same community/village and leaf, recent first.
     CREATE INDEX tickets_village_leaf ON tickets (village_code, leaf_code, submitted_at) WHERE village_code IS NOT NULL;
     -- 我的工单: this operator, this shift.
     CREATE INDEX tickets_operator_shift ON tickets (operator_id, shift_date, shift_code, submitted_at);

     CREATE TABLE ticket_events (
       id INTEGER PRIMARY KEY,
       ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
       kind TEXT NOT NULL CHECK (kind IN ('受理', '派单', '接单', '退单', '回复', '回访', '办结', '督办', '关联')),
       at TEXT NOT NULL,
       actor TEXT NOT NULL,
       note TEXT NOT NULL
     ) STRICT;
     CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, at, id);

     -- What the sync client must still tell the hub, in order. Written in the same transaction as the
     -- ticket it is about; sent_at is set once the hub has accepted it.
     CREATE TABLE outbox (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       ticket_id TEXT NOT NULL REFERENCES tickets (id),
       kind TEXT NOT NULL,
       payload TEXT NOT NULL CHECK (json_valid(payload)),
       created_at TEXT NOT NULL,
       attempts INTEGER NOT NULL DEFAULT 0,
       last_error TEXT,
       sent_at TEXT
     ) STRICT;
     CREATE INDEX outbox_ticket ON outbox (ticket_id, sent_at);
     CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
     -- A ticket is created at the hub once: a second create row for one ticket is a bug, refused here.
     CREATE UNIQUE INDEX outbox_one_create ON outbox (ticket_id) WHERE kind = 'ticket.create';

     -- The intake form being typed, saved as the call goes on so a crash or power cut loses nothing.
     -- The draft is kept as text, not checked JSON: a damaged one must be readable enough to skip.
     CREATE TABLE drafts (
       slot TEXT PRIMARY KEY NOT NULL,
       draft_id TEXT NOT NULL,
       draft TEXT NOT NULL,
       saved_at TEXT NOT NULL
     ) STRICT;`,
  ),
  sqlMigration(
    4,
    'operator sign-ins and the shift log index',
    `-- Who signed in on this desk and when (签到/签退): the team lead's shift log shows them next to
     -- what each operator took. Written by electron/services/lead/sessions-repo.ts only.
     CREATE TABLE operator_sessions (
       id INTEGER PRIMARY KEY,
       operator_id TEXT NOT NULL,
       operator_name TEXT NOT NULL,
       role TEXT NOT NULL CHECK (role IN ('call_taker', 'team_lead', 'admin')),
       signed_in_at TEXT NOT NULL,
       signed_out_at TEXT,
       CHECK (signed_out_at IS NULL OR signed_out_at >= signed_in_at)
     ) STRICT;
     CREATE INDEX operator_sessions_time ON operator_sessions (signed_in_at);
     -- One seat, one operator: at most one session is open at a time.
     CREATE UNIQUE INDEX operator_sessions_one_open ON operator_sessions ((1)) WHERE signed_out_at IS NULL;
     -- The shift log reads every figure from this index alone, never from the wide ticket rows:
     -- by shift date, shift and operator, with the instants as Julian days and the earliest
     -- deadline not yet met (see SHIFT_LOG_OPEN_DUE) worked out once, when the row is written.
     CREATE INDEX tickets_shift_log ON tickets (
       shift_date, shift_code, operator_id, operator_name,
       julianday(submitted_at), julianday(call_started_at),
       leaf_code, street_code, disposition, status,
       ${SHIFT_LOG_OPEN_DUE},
       json_array_length(deadlines)
     );
     -- Callbacks (回访) since an instant, for the tickets of a shift log.
     CREATE INDEX ticket_events_kind_at ON ticket_events (kind, at, ticket_id);`,
  ),
  sqlMigration(
    5,
    'shift log indexes: per-ticket numbers, callbacks with their notes',
    `-- In place of migration 4's tickets_shift_log: the same leading columns (shift date, shift,
     -- operator and name), then each ticket's numbers ready to count, worked out when the row is
     -- written (see TALLY_* in migrations.ts): submit in epoch ms, handling time and hour of submit
     -- packed in one integer, disposition and status in one small integer, the earliest open
     -- deadline in epoch ms, category and street codes as numbers, the ladder's length. A month's
     -- report reads these instead of converting 50,000 instants, ladders and codes each time.
     DROP INDEX tickets_shift_log;
     CREATE INDEX tickets_tally ON tickets (
       shift_date, shift_code, operator_id, operator_name,
       ${TALLY_SUBMITTED_MS},
       ${TALLY_HANDLING_HOUR},
       ${TALLY_KINDS},
       ${TALLY_OPEN_DUE_MS},
       ${TALLY_LEAF},
       ${TALLY_STREET},
       json_array_length(deadlines)
     );
     -- The shift log's callbacks (回访), oldest first, notes and all, from an index of just those
     -- events (in place of migration 4's ticket_events_kind_at, which left notes in the rows); and
     -- the scope of the ticket each belongs to, by its id, without reading the wide ticket row.
     DROP INDEX ticket_events_kind_at;
     CREATE INDEX ticket_events_callbacks ON ticket_events (at, id, ticket_id, note) WHERE kind = '回访';
     CREATE INDEX tickets_id_scope ON tickets (id, shift_date, shift_code, operator_id, status);`,
  ),
  sqlMigration(
    6,
    'ticket_events: every kind of the lifecycle (延期, 不合理, 协办回复, 催办, 重办)',
    `-- The hub now writes the after-dispatch kinds of shared/lifecycle/ticket-lifecycle.ts
     -- (TICKET_EVENT_KINDS) and the desk pulls them into this table: SQLite cannot change a CHECK in
     -- place, so the table is rebuilt with every row (ids kept) and its indexes made again. The list
     -- is written out here, not taken from the domain: a shipped migration's text never changes.
     CREATE TABLE ticket_events_v6 (
       id INTEGER PRIMARY KEY,
       ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
       kind TEXT NOT NULL CHECK (kind IN ('受理', '派单', '接单', '退单', '回复', '回访', '办结', '督办', '关联',
         '延期申请', '延期审核', '不合理申请', '不合理审核', '协办回复', '催办', '重办')),
       at TEXT NOT NULL,
       actor TEXT NOT NULL,
       note TEXT NOT NULL
     ) STRICT;
     INSERT INTO ticket_events_v6 (id, ticket_id, kind, at, actor, note)
       SELECT id, ticket_id, kind, at, actor, note FROM ticket_events ORDER BY id;
     DROP TABLE ticket_events;
     ALTER TABLE ticket_events_v6 RENAME TO ticket_events;
     CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, at, id);
     CREATE INDEX ticket_events_callbacks ON ticket_events (at, id, ticket_id, note) WHERE kind = '回访';`,
  ),
  sqlMigration(
    7,
    'tickets: the shift log counts 受理渠道 other than 电话 from an index',
    `-- The team lead's figures split by channel (electron/services/lead/lead-repo.ts LEAD_QUERIES.channels):
     -- the tickets not taken by phone, in the shift log's scope columns, so the count never reads the
     -- wide ticket rows; 电话 is the scope's total less these.
     CREATE INDEX tickets_channel_other ON tickets (shift_date, shift_code, operator_id, channel) WHERE channel <> '电话';`,
  ),  sqlMigration(
    8,
    'retired catalogue leaves: stored tickets and drafts move to the leaf that took each one',
    `-- The catalogue retired two 二级 (2110 保障房违规查处, 4306 自助服务终端) for 住房公积金 and
     -- 民族宗教事务; each retired leaf's tickets go to the leaf named in shared/reference/retired-leaves.ts,
     -- written out here because a shipped migration's text never changes. Unsent outbox rows keep the
     -- old code: the hub maps it on push (server/handlers.ts).
     UPDATE tickets SET leaf_code = CASE leaf_code WHEN '2110001' THEN '2107005' WHEN '2110002' THEN '2102003' WHEN '2110003' THEN '2102003' WHEN '2110004' THEN '2102003' WHEN '4306001' THEN '4301006' WHEN '4306002' THEN '4303001' WHEN '4306003' THEN '4304005' WHEN '4306004' THEN '4303005' WHEN '4306005' THEN '4301006' END
       WHERE leaf_code IN ('2110001', '2110002', '2110003', '2110004', '4306001', '4306002', '4306003', '4306004', '4306005');
     UPDATE drafts SET draft = json_set(draft, '$.leafCode', CASE json_extract(draft, '$.leafCode') WHEN '2110001' THEN '2107005' WHEN '2110002' THEN '2102003' WHEN '2110003' THEN '2102003' WHEN '2110004' THEN '2102003' WHEN '4306001' THEN '4301006' WHEN '4306002' THEN '4303001' WHEN '4306003' THEN '4304005' WHEN '4306004' THEN '4303005' WHEN '4306005' THEN '4301006' END)
       WHERE json_extract(draft, '$.leafCode') IN ('2110001', '2110002', '2110003', '2110004', '4306001', '4306002', '4306003', '4306004', '4306005');`,
  ),
];
