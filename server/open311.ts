/**
 * Open311 GeoReport v2 under `/open311/v2/` (docs/open311.md has the mapping to tickets), and the
 * 网络渠道待受理 queue behind it (hub migration 10 of server/migrations.ts).
 *
 * - `discovery`, `services`, `services/{code}`: public. The services are the leaves of the catalogue
 *   in force (the published version, reference.publish, else resources/catalogue/catalogue.csv),
 *   with their 一级/二级 names as the group.
 * - `POST requests`: a channel partner's api_key (open311.keys.issue; only its SHA-256 is stored),
 *   checked before the body is read; then the body (form-encoded as the specification has it, or
 *   JSON), every field, then one transaction that takes a token from the key's bucket and stores the
 *   submission. A refusal (403, 400, 413, 429) stores nothing. The submission is not dispatched: it
 *   waits for a call-taker (open311.pending / claim / reject); a ticket pushed with its id
 *   (`open311RequestId`) links it (hub_push_tickets, hub migration 20, in the push's statement).
 * - `GET requests` and `requests/{id}`: the key's own submissions, with the status following the
 *   ticket (open until 已办结/已回访; a rejected one is closed with its reason). Unlike the
 *   specification's public listing, a key is required: these are citizens' complaints.
 * - Format by extension (`.json`, `.xml`; none reads as JSON). Errors are the specification's list of
 *   {code, description} (XML `<errors><error>`), with 400, 403, 404, 413 and 429.
 *
 * The rate limit is a token bucket per key kept on its open311_keys row and taken in the same
 * UPDATE that checks it: several hub processes behind one database share it, and no process holds
 * state another would need.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubUser } from '../shared/api/hub-contract';
import {
  OPEN311_CLAIM_MINUTES,
  OPEN311_DEFAULT_PER_MINUTE,
  OPEN311_MAX_BODY_BYTES,
  OPEN311_MAX_DESCRIPTION,
  type Open311Key,
  type Open311Pending,
  type Open311RejectKind,
} from '../shared/api/open311-contract';
import { isSafeText } from '../shared/api/safe-input';
import type { CatalogueNode } from '../shared/domain/catalogue';
import type { TicketStatus } from '../shared/lifecycle/ticket-lifecycle';
import { checkCatalogue } from '../shared/reference/validate';
import { csvTable } from '../shared/reference/csv-table';
import { fail, ok, type Result } from '../shared/result';
import { CENTER_UTC_OFFSET_MINUTES } from '../shared/time';
import type { Database, Sql } from './db';
import type { UnitDirectory } from './units';

export const OPEN311_JURISDICTION = '12345.beijing';
/** At most this many requests in one GET answer (the specification's own cap). */
export const OPEN311_MAX_RESULTS = 1000;
/** Without start_date, GET requests covers this many days back (as the specification suggests). */
const DEFAULT_WINDOW_DAYS = 90;
/** Beijing's area, with a margin: a point outside it is no matter for this center. */
const AREA = { latMin: 39.3, latMax: 41.2, longMin: 115.3, longMax: 117.6 };
const MAX_FIELD = { address: 500, name: 50, email: 254, phone: 30, media: 1000, device: 100, account: 100 };

/** Ticket statuses after which the submitter's request is closed. */
const CLOSED_STATUSES: ReadonlySet<TicketStatus> = new Set(['已办结', '已回访']);

// ---- Keys ---------------------------------------------------------------------------------------

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

interface KeyRow {
  id: string;
  key_prefix: string;
  partner: string;
  channel: string;
  per_minute: number;
  issued_at: string;
  issued_by: string;
  revoked_at: string | null;
}
const KEY_COLUMNS = 'id, key_prefix, partner, channel, per_minute, issued_at, issued_by, revoked_at';
const keyOf = (r: KeyRow): Open311Key => ({
  id: r.id,
  prefix: r.key_prefix,
  partner: r.partner,
  channel: r.channel,
  perMinute: Number(r.per_minute),
  issuedAt: r.issued_at,
  issuedBy: r.issued_by,
  revokedAt: r.revoked_at,
});

export async function issueKey(db: Sql, user: HubUser, input: { partner: string; channel: string; perMinute?: number | undefined }, now: Date): Promise<Result<{ key: string; info: Open311Key }>> {
  const key = `o311_${randomBytes(24).toString('base64url')}`;
  const perMinute = input.perMinute ?? OPEN311_DEFAULT_PER_MINUTE;
  const rows = await db.query<KeyRow>(
    `INSERT INTO open311_keys (id, key_hash, key_prefix, partner, channel, per_minute, tokens, refilled_at, issued_at, issued_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${KEY_COLUMNS}`,
    [randomUUID(), hashKey(key), key.slice(0, 9), input.partner, input.channel, perMinute, perMinute, now.toISOString(), now.toISOString(), user.name],
  );
  return ok({ key, info: keyOf(rows[0]!) });
}

export async function listKeys(db: Sql): Promise<Open311Key[]> {
  return (await db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM open311_keys ORDER BY issued_at, id`)).map(keyOf);
}

export async function revokeKey(db: Sql, id: string, now: Date): Promise<Result<Open311Key>> {
  const rows = await db.query<KeyRow>(
    `UPDATE open311_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${KEY_COLUMNS}`,
    [id, now.toISOString()],
  );
  return rows[0] ? ok(keyOf(rows[0])) : fail('not_found', '没有这个 API 密钥');
}

/** The live key a client sent, or null (missing, unknown or revoked). */
async function keyFor(db: Sql, key: string | null): Promise<{ id: string; channel: string; partner: string } | null> {
  if (!key || key.length > 200) return null;
  const rows = await db.query<{ id: string; channel: string; partner: string }>(
    'SELECT id, channel, partner FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hashKey(key)],
  );
  return rows[0] ?? null;
}

// ---- The catalogue as services ------------------------------------------------------------------

export interface Open311Service {
  code: string;
  name: string;
  description: string;
  group: string;
  keywords: string[];
}

let catalogueCache: { version: string; services: Open311Service[]; byCode: Map<string, Open311Service> } | null = null;

function servicesOf(nodes: readonly CatalogueNode[]): Open311Service[] {
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  return nodes
    .filter((n) => n.level === 3)
    .map((leaf) => {
      const second = leaf.parentCode ? byCode.get(leaf.parentCode) : undefined;
      const first = second?.parentCode ? byCode.get(second.parentCode) : undefined;
      const group = [first?.name, second?.name].filter(Boolean).join('/');
      return { code: leaf.code, name: leaf.name, description: [group, leaf.name].filter(Boolean).join('/'), group, keywords: [...leaf.keywords, ...leaf.synonyms] };
    });
}

/** The leaves of the catalogue in force: the published version, else the repository's file. */
export async function open311Services(db: Sql, resourcesDir: string | null): Promise<{ services: Open311Service[]; byCode: Map<string, Open311Service> }> {
  const rows = await db.query<{ version: string; content: string }>(
    `SELECT v.version, v.content FROM reference_current c JOIN reference_versions v ON v.kind = c.kind AND v.version = c.version WHERE c.kind = 'catalogue'`,
  );
  const file = resourcesDir ? join(resourcesDir, 'catalogue', 'catalogue.csv') : null;
  const version = rows[0]?.version ?? `file:${file ?? ''}`;
  if (catalogueCache?.version === version) return catalogueCache;
  const content = rows[0]?.content ?? (file && existsSync(file) ? readFileSync(file, 'utf8') : '');
  const table = csvTable(content);
  const checked = table.ok ? checkCatalogue(table.value, null) : null;
  const services = checked?.ok ? servicesOf(checked.items) : [];
  catalogueCache = { version, services, byCode: new Map(services.map((s) => [s.code, s])) };
  return catalogueCache;
}

// ---- Submissions --------------------------------------------------------------------------------

export interface SubmitFields {
  serviceCode: string;
  description: string;
  addressString: string;
  lat: number | null;
  long: number | null;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  mediaUrl: string;
  deviceId: string;
  accountId: string;
}

type Problem = { status: 400 | 404; description: string };

/** The submission's fields from the body, or the first thing wrong with them. */
export function readSubmission(params: Record<string, string>, services: ReadonlyMap<string, Open311Service>): Result<SubmitFields> | { problem: Problem } {
  const text = (name: string) => (params[name] ?? '').trim();
  for (const [name, value] of Object.entries(params)) {
    if (!isSafeText(value)) return { problem: { status: 400, description: `${name}: 含有无法保存的字符` } };
  }
  const serviceCode = text('service_code');
  if (!serviceCode) return { problem: { status: 400, description: 'service_code: 必填' } };
  if (!services.has(serviceCode)) return { problem: { status: 400, description: `service_code: 没有这个服务（${serviceCode.slice(0, 40)}）` } };
  const description = text('description');
  if (!description) return { problem: { status: 400, description: 'description: 必填（诉求内容）' } };
  if ([...description].length > OPEN311_MAX_DESCRIPTION) return { problem: { status: 400, description: `description: 超过 ${OPEN311_MAX_DESCRIPTION} 字` } };
  const addressString = text('address_string');
  const latText = text('lat');
  const longText = text('long');
  let lat: number | null = null;
  let long: number | null = null;
  if (latText || longText) {
    const number = /^[+-]?\d{1,3}(\.\d{1,12})?$/;
    if (!number.test(latText) || !number.test(longText)) return { problem: { status: 400, description: 'lat/long: 须同时给出，且为十进制度数（WGS84）' } };
    lat = Number(latText);
    long = Number(longText);
    if (Math.abs(lat) > 90 || Math.abs(long) > 180) return { problem: { status: 400, description: 'lat/long: 超出经纬度范围' } };
    if (lat < AREA.latMin || lat > AREA.latMax || long < AREA.longMin || long > AREA.longMax) {
      return { problem: { status: 400, description: 'lat/long: 位置不在本中心受理范围（北京市）内' } };
    }
  }
  if (!addressString && lat === null) return { problem: { status: 400, description: 'address_string 或 lat/long: 须给出诉求地点' } };
  const limits: Array<[string, number]> = [
    ['address_string', MAX_FIELD.address],
    ['email', MAX_FIELD.email],
    ['first_name', MAX_FIELD.name],
    ['last_name', MAX_FIELD.name],
    ['phone', MAX_FIELD.phone],
    ['media_url', MAX_FIELD.media],
    ['device_id', MAX_FIELD.device],
    ['account_id', MAX_FIELD.account],
  ];
  for (const [name, max] of limits) if ([...text(name)].length > max) return { problem: { status: 400, description: `${name}: 超过 ${max} 字` } };
  const email = text('email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { problem: { status: 400, description: 'email: 格式不正确' } };
  const phone = text('phone');
  if (phone && !/^[+\d][\d\s-]{2,29}$/.test(phone)) return { problem: { status: 400, description: 'phone: 格式不正确' } };
  const mediaUrl = text('media_url');
  if (mediaUrl && !/^https?:\/\/\S+$/i.test(mediaUrl)) return { problem: { status: 400, description: 'media_url: 须为 http(s) 地址' } };
  return ok({
    serviceCode,
    description,
    addressString,
    lat,
    long,
    email,
    firstName: text('first_name'),
    lastName: text('last_name'),
    phone,
    mediaUrl,
    deviceId: text('device_id'),
    accountId: text('account_id'),
  });
}

/**
 * Stores one submission after taking a token from the key's bucket; null when the bucket is empty.
 * One statement: the key's row is locked only while it runs and commits, so a channel partner's
 * submissions at once queue for a single round trip each, not for a transaction's three.
 */
async function storeSubmission(db: Sql, key: { id: string; channel: string; partner: string }, service: Open311Service, f: SubmitFields, now: Date): Promise<{ id: string; accountId: string } | null> {
  const at = now.toISOString();
  const id = randomUUID();
  const stored = await db.query<{ id: string }>(
    `WITH taken AS (
       UPDATE open311_keys
          SET tokens = least(per_minute::double precision, tokens + greatest(0, extract(epoch FROM ($2::timestamptz - refilled_at))) * per_minute / 60.0) - 1,
              refilled_at = greatest(refilled_at, $2::timestamptz)
        WHERE id = $1 AND revoked_at IS NULL
          AND least(per_minute::double precision, tokens + greatest(0, extract(epoch FROM ($2::timestamptz - refilled_at))) * per_minute / 60.0) >= 1
       RETURNING id
     )
     INSERT INTO open311_requests (id, key_id, channel, partner, service_code, service_name, description, address_string, lat, long,
       email, first_name, last_name, phone, media_url, device_id, account_id, requested_at, updated_at, state)
     SELECT $3, taken.id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $2, $2, 'pending' FROM taken
     RETURNING id`,
    [key.id, at, id, key.channel, key.partner, service.code, service.name, f.description, f.addressString, f.lat, f.long, f.email, f.firstName, f.lastName, f.phone, f.mediaUrl, f.deviceId, f.accountId],
  );
  return stored[0] ? { id, accountId: f.accountId } : null;
}

// ---- Status, as the submitter reads it ----------------------------------------------------------

interface RequestRow {
  id: string;
  service_code: string;
  service_name: string;
  description: string;
  address_string: string;
  lat: number | null;
  long: number | null;
  media_url: string;
  requested_at: string;
  updated_at: string;
  state: 'pending' | 'claimed' | 'rejected' | 'accepted';
  reject_kind: string | null;
  reject_note: string;
  duplicate_ticket_id: string | null;
  ticket_id: string | null;
  decided_at: string | null;
}

interface FollowedTicket {
  id: string;
  number: string;
  status: TicketStatus;
  unit_code: string | null;
  unit_name: string | null;
  linked_ticket_id: string | null;
  updated_at: string;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string;
  address_id: string;
  zipcode: string;
  lat: number | null;
  long: number | null;
  media_url: string;
}

/** An ISO instant in the center's time with its offset (W3C), as the specification writes times. */
export function w3c(iso: string): string {
  const shifted = new Date(Date.parse(iso) + CENTER_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19);
  const h = String(Math.floor(CENTER_UTC_OFFSET_MINUTES / 60)).padStart(2, '0');
  const m = String(CENTER_UTC_OFFSET_MINUTES % 60).padStart(2, '0');
  return `${shifted}+${h}:${m}`;
}

const later = (a: string, b: string | null | undefined) => (b && Date.parse(b) > Date.parse(a) ? b : a);

async function ticketsById(db: Sql, ids: readonly string[]): Promise<Map<string, FollowedTicket>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<FollowedTicket>(
    `SELECT id, number, status, unit_code, names->>'unit' AS unit_name, linked_ticket_id, updated_at FROM tickets WHERE id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The latest word on a ticket: the unit's reply or close note when there is one, else its latest step. */
async function latestNotes(db: Sql, ids: readonly string[]): Promise<Map<string, { kind: string; note: string; at: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ ticket_id: string; kind: string; note: string; at: string }>(
    `SELECT DISTINCT ON (ticket_id) ticket_id, kind, note, at FROM ticket_events
      WHERE ticket_id = ANY($1::uuid[]) ORDER BY ticket_id, (kind IN ('回复', '办结')) DESC, seq DESC`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.ticket_id, { kind: r.kind, note: r.note, at: r.at }]));
}

async function describeRequests(db: Sql, rows: readonly RequestRow[], directory: UnitDirectory): Promise<Open311Request[]> {
  const firstIds = rows.flatMap((r) => [r.ticket_id, r.duplicate_ticket_id].filter((x): x is string => !!x));
  const tickets = await ticketsById(db, firstIds);
  // A ticket linked as 重复诉求 follows the ticket it repeats.
  const linked = await ticketsById(db, [...tickets.values()].filter((t) => t.status === '已关联' && t.linked_ticket_id).map((t) => t.linked_ticket_id!));
  const follow = (id: string | null): FollowedTicket | null => {
    const t = id ? tickets.get(id) : undefined;
    if (!t) return null;
    return t.status === '已关联' && t.linked_ticket_id ? (linked.get(t.linked_ticket_id) ?? t) : t;
  };
  const followedIds = rows.map((r) => follow(r.ticket_id ?? r.duplicate_ticket_id)?.id).filter((x): x is string => !!x);
  const notes = await latestNotes(db, followedIds);
  return rows.map((r) => {
    const ticket = follow(r.state === 'accepted' ? r.ticket_id : r.state === 'rejected' ? r.duplicate_ticket_id : null);
    const note = ticket ? notes.get(ticket.id) : undefined;
    const unitName = ticket?.unit_code ? (directory.units.get(ticket.unit_code)?.name ?? ticket.unit_name ?? ticket.unit_code) : '';
    let status: 'open' | 'closed' = 'open';
    let statusNotes = '';
    let agency = '北京12345市民服务热线';
    let updated = r.updated_at;
    if (r.state === 'pending') statusNotes = '已收到，等待话务员审核受理';
    else if (r.state === 'claimed') statusNotes = '话务员正在审核受理';
    else if (r.state === 'rejected' && r.reject_kind === '重复' && ticket) {
      status = CLOSED_STATUSES.has(ticket.status) ? 'closed' : 'open';
      statusNotes = `与工单 ${ticket.number} 为重复诉求，随该工单办理（${ticket.status}）${note?.note ? `：${note.note}` : ''}`;
      agency = unitName || agency;
      updated = later(later(updated, ticket.updated_at), note?.at);
    } else if (r.state === 'rejected') {
      status = 'closed';
      statusNotes = `不予受理：${r.reject_kind ?? ''}${r.reject_note ? `（${r.reject_note}）` : ''}`;
    } else if (ticket) {
      status = CLOSED_STATUSES.has(ticket.status) ? 'closed' : 'open';
      statusNotes = `工单 ${ticket.number}，${ticket.status}${note?.note ? `：${note.note}` : ''}`;
      agency = unitName || agency;
      updated = later(later(updated, ticket.updated_at), note?.at);
    }
    return {
      service_request_id: r.id,
      status,
      status_notes: statusNotes,
      service_name: r.service_name,
      service_code: r.service_code,
      description: r.description,
      agency_responsible: agency,
      service_notice: '',
      requested_datetime: w3c(r.requested_at),
      updated_datetime: w3c(updated),
      expected_datetime: '',
      address: r.address_string,
      address_id: '',
      zipcode: '',
      lat: r.lat === null ? null : Number(r.lat),
      long: r.long === null ? null : Number(r.long),
      media_url: r.media_url,
    };
  });
}

const REQUEST_COLUMNS = `id, service_code, service_name, description, address_string, lat, long, media_url, requested_at, updated_at,
  state, reject_kind, reject_note, duplicate_ticket_id, ticket_id, decided_at`;

export interface RequestFilter {
  ids: string[] | null;
  serviceCodes: string[] | null;
  start: string | null;
  end: string | null;
  statuses: Array<'open' | 'closed'> | null;
}

export async function findRequests(db: Sql, keyId: string, filter: RequestFilter, directory: UnitDirectory, now: Date): Promise<Open311Request[]> {
  const params: unknown[] = [keyId];
  const where = ['key_id = $1'];
  if (filter.ids) {
    params.push(filter.ids);
    where.push(`id = ANY($${params.length}::uuid[])`);
  } else {
    // Without ids: the window the specification suggests (90 days back) unless dates are given.
    params.push(filter.start ?? new Date(now.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000).toISOString());
    where.push(`requested_at >= $${params.length}`);
    if (filter.end) {
      params.push(filter.end);
      where.push(`requested_at <= $${params.length}`);
    }
  }
  if (filter.serviceCodes) {
    params.push(filter.serviceCodes);
    where.push(`service_code = ANY($${params.length}::text[])`);
  }
  const rows = await db.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM open311_requests WHERE ${where.join(' AND ')} ORDER BY requested_at DESC, id LIMIT ${OPEN311_MAX_RESULTS}`,
    params as never,
  );
  const described = await describeRequests(db, rows, directory);
  return filter.statuses ? described.filter((r) => filter.statuses!.includes(r.status)) : described;
}

// ---- The desks' queue ---------------------------------------------------------------------------

interface PendingRow {
  id: string;
  channel: string;
  partner: string;
  service_code: string;
  service_name: string;
  description: string;
  address_string: string;
  lat: number | null;
  long: number | null;
  first_name: string;
  last_name: string;
  phone: string;
  email: string;
  media_url: string;
  requested_at: string;
  claimed_by: string | null;
  claimed_by_name: string | null;
  claimed_at: string | null;
  state: string;
}
const PENDING_COLUMNS = `id, channel, partner, service_code, service_name, description, address_string, lat, long, first_name, last_name,
  phone, email, media_url, requested_at, claimed_by, claimed_by_name, claimed_at, state`;

const claimLapsed = (now: Date) => new Date(now.getTime() - OPEN311_CLAIM_MINUTES * 60_000).toISOString();

function pendingOf(r: PendingRow, now: Date): Open311Pending {
  const live = r.state === 'claimed' && r.claimed_at !== null && Date.parse(r.claimed_at) > Date.parse(claimLapsed(now));
  // 中文姓名 last name first; a single field as given.
  const name = [r.last_name, r.first_name].filter(Boolean).join('');
  return {
    id: r.id,
    channel: r.channel,
    partner: r.partner,
    serviceCode: r.service_code,
    serviceName: r.service_name,
    description: r.description,
    addressString: r.address_string,
    lat: r.lat === null ? null : Number(r.lat),
    long: r.long === null ? null : Number(r.long),
    name,
    phone: r.phone,
    email: r.email,
    mediaUrl: r.media_url,
    requestedAt: r.requested_at,
    claimedBy: live ? r.claimed_by : null,
    claimedByName: live ? r.claimed_by_name : null,
  };
}

export async function pendingSubmissions(db: Sql, limit: number, now: Date): Promise<{ rows: Open311Pending[]; total: number }> {
  const rows = await db.query<PendingRow>(
    `SELECT ${PENDING_COLUMNS} FROM open311_requests WHERE state IN ('pending', 'claimed') ORDER BY requested_at, id LIMIT $1`,
    [limit],
  );
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM open311_requests WHERE state IN ('pending', 'claimed')`);
  return { rows: rows.map((r) => pendingOf(r, now)), total: Number(count[0]?.n ?? 0) };
}

/** Takes a submission for this call-taker: free, lapsed, or already theirs; else `conflict` naming who holds it. */
export async function claimSubmission(db: Sql, user: HubUser, id: string, now: Date): Promise<Result<Open311Pending>> {
  const rows = await db.query<PendingRow>(
    `UPDATE open311_requests SET state = 'claimed', claimed_by = $2, claimed_by_name = $3, claimed_at = $4
      WHERE id = $1 AND (state = 'pending' OR (state = 'claimed' AND (claimed_by = $2 OR claimed_at <= $5)))
     RETURNING ${PENDING_COLUMNS}`,
    [id, user.id, user.name, now.toISOString(), claimLapsed(now)],
  );
  if (rows[0]) return ok(pendingOf(rows[0], now));
  const current = await db.query<PendingRow>(`SELECT ${PENDING_COLUMNS} FROM open311_requests WHERE id = $1`, [id]);
  const row = current[0];
  if (!row) return fail('not_found', '没有这件网络渠道诉求');
  if (row.state === 'claimed') return fail('conflict', `这件诉求已由${row.claimed_by_name ?? '其他话务员'}受理中`);
  return fail('conflict', row.state === 'accepted' ? '这件诉求已受理为工单' : '这件诉求已不予受理');
}

export async function releaseSubmission(db: Sql, user: HubUser, id: string): Promise<Result<{ released: boolean }>> {
  const rows = await db.query<{ id: string }>(
    `UPDATE open311_requests SET state = 'pending', claimed_by = NULL, claimed_by_name = NULL, claimed_at = NULL
      WHERE id = $1 AND state = 'claimed' AND claimed_by = $2 RETURNING id`,
    [id, user.id],
  );
  return ok({ released: rows.length > 0 });
}

export async function rejectSubmission(
  db: Database,
  user: HubUser,
  input: { id: string; kind: Open311RejectKind; note?: string | undefined; duplicateNumber?: string | undefined },
  now: Date,
): Promise<Result<{ id: string; kind: Open311RejectKind; duplicateNumber: string | null }>> {
  return db.transaction(async (tx) => {
    let duplicate: { id: string; number: string } | null = null;
    if (input.kind === '重复') {
      const found = await tx.query<{ id: string; number: string }>('SELECT id, number FROM tickets WHERE number = $1', [input.duplicateNumber ?? '']);
      if (!found[0]) return fail('not_found', `没有编号为 ${input.duplicateNumber} 的工单`);
      duplicate = found[0];
    }
    const rows = await tx.query<{ id: string }>(
      `UPDATE open311_requests SET state = 'rejected', reject_kind = $3, reject_note = $4, duplicate_ticket_id = $5,
              decided_by = $6, decided_at = $7, updated_at = $7, claimed_at = NULL
        WHERE id = $1 AND (state = 'pending' OR (state = 'claimed' AND (claimed_by = $2 OR claimed_at <= $8)))
       RETURNING id`,
      [input.id, user.id, input.kind, input.note?.trim() ?? '', duplicate?.id ?? null, user.name, now.toISOString(), claimLapsed(now)],
    );
    if (!rows[0]) {
      const current = await tx.query<{ state: string; claimed_by_name: string | null }>('SELECT state, claimed_by_name FROM open311_requests WHERE id = $1', [input.id]);
      if (!current[0]) return fail('not_found', '没有这件网络渠道诉求');
      if (current[0].state === 'claimed') return fail('conflict', `这件诉求已由${current[0].claimed_by_name ?? '其他话务员'}受理中`);
      return fail('conflict', current[0].state === 'accepted' ? '这件诉求已受理为工单' : '这件诉求已不予受理');
    }
    return ok({ id: input.id, kind: input.kind, duplicateNumber: duplicate?.number ?? null });
  });
}

// ---- HTTP ---------------------------------------------------------------------------------------

type Format = 'json' | 'xml';

function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are left out rather than making the document unreadable.
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** XML of a value: arrays as repeated `item` elements (the specification's names), objects as children. */
function xmlOf(name: string, value: unknown, items: Record<string, string>): string {
  if (Array.isArray(value)) return `<${name}>${value.map((v) => xmlOf(items[name] ?? 'item', v, items)).join('')}</${name}>`;
  if (value !== null && typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => xmlOf(k, v, items)).join('')}</${name}>`;
  }
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const XML_ITEMS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  keywords: 'keyword',
  values: 'value',
};

function sendOpen311(reply: FastifyReply, format: Format, status: number, root: string, value: unknown): FastifyReply {
  reply.code(status).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  if (format === 'xml') {
    return reply.header('content-type', 'text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>${xmlOf(root, value, XML_ITEMS)}`);
  }
  return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value));
}

function sendErrors(reply: FastifyReply, format: Format, status: number, description: string): FastifyReply {
  return sendOpen311(reply, format, status, 'errors', [{ code: status, description }]);
}

/** The path's last part without its format extension, and the format (none reads as JSON; another is refused). */
function splitFormat(name: string): { base: string; format: Format | null } {
  const match = /^(.*?)(?:\.([A-Za-z]+))?$/.exec(name)!;
  const ext = match[2]?.toLowerCase();
  if (!ext) return { base: match[1]!, format: 'json' };
  return { base: match[1]!, format: ext === 'json' || ext === 'xml' ? ext : null };
}

function queryOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = request.url.split('?')[1] ?? '';
  for (const [k, v] of new URLSearchParams(raw)) if (!(k in out)) out[k] = v;
  return out;
}

function bodyOf(request: FastifyRequest): Record<string, string> | null {
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'string') return null;
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
      return out;
    } catch {
      return null;
    }
  }
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) if (!(k in out)) out[k] = v;
  return out;
}

function w3cParam(text: string | undefined): string | null | 'bad' {
  if (!text) return null;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return 'bad';
  const at = Date.parse(/T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}+08:00` : /T/.test(text) ? text : `${text}T00:00:00+08:00`);
  return Number.isNaN(at) ? 'bad' : new Date(at).toISOString();
}

const listParam = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Open311Options {
  db: Database;
  now: () => Date;
  log: (line: string) => void;
  directory: UnitDirectory;
  /** Where resources/catalogue/catalogue.csv lives, when no catalogue has been published. */
  resourcesDir: string | null;
  /** The hub's own address as partners reach it, for discovery (default: from the request's Host). */
  baseUrl?: string | null;
}

/** Registers `/open311/v2/…` in its own scope: its own body parsers (form and JSON) and body limit. */
export function registerOpen311(app: FastifyInstance, options: Open311Options): void {
  const { db, now, log, directory } = options;
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json', 'text/plain'], { parseAs: 'string', bodyLimit: OPEN311_MAX_BODY_BYTES }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: { code?: string; statusCode?: number; message?: string }, request, reply) => {
      const format = splitFormat(request.url.split('?')[0]!.split('/').pop() ?? '').format ?? 'json';
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendErrors(reply, format, 413, `请求过大（超过 ${OPEN311_MAX_BODY_BYTES / 1024} KB），未处理`);
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendErrors(reply, format, 400, '请求体须为 application/x-www-form-urlencoded');
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return sendErrors(reply, format, error.statusCode, '请求无效');
      log(`Open311 请求出错：${error.message ?? String(error)}`);
      return sendErrors(reply, format, 500, '中心内部错误');
    });

    const guarded = async (reply: FastifyReply, format: Format, run: () => Promise<FastifyReply>): Promise<FastifyReply> => {
      try {
        return await run();
      } catch (error) {
        log(`Open311 请求出错：${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return sendErrors(reply, format, 503, '中心暂不可用，请稍后重试');
      }
    };
    const jurisdictionProblem = (q: Record<string, string>) => (q.jurisdiction_id && q.jurisdiction_id !== OPEN311_JURISDICTION ? `jurisdiction_id: 本中心为 ${OPEN311_JURISDICTION}` : null);

    scope.get('/open311/v2/:name', async (request, reply) => {
      const { base, format } = splitFormat((request.params as { name: string }).name);
      if (!format) return sendErrors(reply, 'json', 400, '格式只支持 .json 与 .xml');
      const q = queryOf(request);
      const wrongPlace = jurisdictionProblem(q);
      if (wrongPlace) return sendErrors(reply, format, 404, wrongPlace);
      return guarded(reply, format, async () => {
        if (base === 'discovery') {
          const url = options.baseUrl ?? `${request.protocol}://${request.headers.host ?? 'localhost'}/open311/v2/`;
          return sendOpen311(reply, format, 200, 'discovery', {
            changeset: '2026-12-01T00:00:00+08:00',
            contact: '北京12345市民服务热线 网络渠道接入',
            key_service: '由中心管理员签发（每个渠道合作方一个）',
            endpoints: [
              {
                specification: 'http://wiki.open311.org/GeoReport_v2',
                url,
                changeset: '2026-12-01T00:00:00+08:00',
                type: 'production',
                formats: ['application/json', 'text/xml'],
              },
            ],
          });
        }
        if (base === 'services') {
          const { services } = await open311Services(db, options.resourcesDir);
          return sendOpen311(
            reply,
            format,
            200,
            'services',
            services.map((s) => ({ service_code: s.code, service_name: s.name, description: s.description, metadata: false, type: 'realtime', keywords: s.keywords.join(','), group: s.group })),
          );
        }
        if (base === 'requests') {
          const key = await keyFor(db, q.api_key ?? null);
          if (!key) return sendErrors(reply, format, 403, 'api_key 缺失、无效或已吊销');
          const ids = listParam(q.service_request_id);
          if (ids && (ids.length > OPEN311_MAX_RESULTS || ids.some((id) => !UUID.test(id)))) return sendErrors(reply, format, 400, 'service_request_id: 格式不正确');
          const start = w3cParam(q.start_date);
          const end = w3cParam(q.end_date);
          if (start === 'bad' || end === 'bad') return sendErrors(reply, format, 400, 'start_date/end_date: 须为 W3C 日期时间（如 2026-12-01T08:00:00+08:00）');
          const statuses = listParam(q.status);
          if (statuses && statuses.some((s) => s !== 'open' && s !== 'closed')) return sendErrors(reply, format, 400, 'status: 只能是 open 或 closed');
          const found = await findRequests(db, key.id, { ids, serviceCodes: listParam(q.service_code), start, end, statuses: statuses as Array<'open' | 'closed'> | null }, directory, now());
          return sendOpen311(reply, format, 200, 'service_requests', found);
        }
        return sendErrors(reply, format, 404, `没有这个地址：/open311/v2/${base.slice(0, 60)}`);
      });
    });

    scope.get('/open311/v2/:kind/:name', async (request, reply) => {
      const { kind } = request.params as { kind: string; name: string };
      const { base, format } = splitFormat((request.params as { name: string }).name);
      if (!format) return sendErrors(reply, 'json', 400, '格式只支持 .json 与 .xml');
      const q = queryOf(request);
      const wrongPlace = jurisdictionProblem(q);
      if (wrongPlace) return sendErrors(reply, format, 404, wrongPlace);
      return guarded(reply, format, async () => {
        if (kind === 'services') {
          const { byCode } = await open311Services(db, options.resourcesDir);
          if (!byCode.has(base)) return sendErrors(reply, format, 404, `没有这个服务：${base.slice(0, 40)}`);
          return sendOpen311(reply, format, 200, 'service_definition', { service_code: base, attributes: [] });
        }
        if (kind === 'requests') {
          const key = await keyFor(db, q.api_key ?? null);
          if (!key) return sendErrors(reply, format, 403, 'api_key 缺失、无效或已吊销');
          if (!UUID.test(base)) return sendErrors(reply, format, 404, '没有这件诉求');
          const found = await findRequests(db, key.id, { ids: [base], serviceCodes: null, start: null, end: null, statuses: null }, directory, now());
          if (found.length === 0) return sendErrors(reply, format, 404, '没有这件诉求');
          return sendOpen311(reply, format, 200, 'service_requests', found);
        }
        return sendErrors(reply, format, 404, `没有这个地址：/open311/v2/${kind.slice(0, 40)}`);
      });
    });

    scope.post(
      '/open311/v2/:name',
      {
        // The key is checked before the body is read: an unknown client cannot make the hub parse a body.
        onRequest: async (request, reply) => {
          const { base, format } = splitFormat((request.params as { name: string }).name);
          if (base !== 'requests' || !format) return sendErrors(reply, format ?? 'json', 404, '只能向 /open311/v2/requests 提交');
          const q = queryOf(request);
          const wrongPlace = jurisdictionProblem(q);
          if (wrongPlace) return sendErrors(reply, format, 404, wrongPlace);
          const length = Number(request.headers['content-length'] ?? 0);
          if (length > OPEN311_MAX_BODY_BYTES) return sendErrors(reply, format, 413, `请求过大（超过 ${OPEN311_MAX_BODY_BYTES / 1024} KB），未处理`);
          // The key may also come in the body (form field api_key); then it is checked once the body is read.
          if (q.api_key === undefined) return;
          try {
            if (!(await keyFor(db, q.api_key))) return sendErrors(reply, format, 403, 'api_key 无效或已吊销');
          } catch (error) {
            log(`Open311 请求出错：${error instanceof Error ? error.message : String(error)}`);
            return sendErrors(reply, format, 503, '中心暂不可用，请稍后重试');
          }
        },
      },
      async (request, reply) => {
        const { format } = splitFormat((request.params as { name: string }).name);
        const fmt = format ?? 'json';
        const body = bodyOf(request);
        if (!body) return sendErrors(reply, fmt, 400, '请求体无法读取');
        const params = { ...queryOf(request), ...body };
        const wrongPlace = jurisdictionProblem(params);
        if (wrongPlace) return sendErrors(reply, fmt, 404, wrongPlace);
        return guarded(reply, fmt, async () => {
          const key = await keyFor(db, params.api_key ?? null);
          if (!key) return sendErrors(reply, fmt, 403, 'api_key 缺失、无效或已吊销');
          const { byCode } = await open311Services(db, options.resourcesDir);
          const read = readSubmission(params, byCode);
          if ('problem' in read) return sendErrors(reply, fmt, read.problem.status, read.problem.description);
          if (!read.ok) return sendErrors(reply, fmt, 400, read.error.message);
          const stored = await storeSubmission(db, key, byCode.get(read.value.serviceCode)!, read.value, now());
          if (!stored) return sendErrors(reply, fmt, 429, '提交过于频繁（超过该 API 密钥的每分钟限额），请稍后重试');
          return sendOpen311(reply, fmt, 201, 'service_requests', [
            { service_request_id: stored.id, service_notice: '已收到，将由12345话务员审核受理后派往承办单位', account_id: stored.accountId },
          ]);
        });
      },
    );
  });
}
