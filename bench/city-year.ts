/**
 * The one ticket generator of the PostgreSQL benches (issue 18, item 3): fills a hub's schema with
 * tickets and their hub events by COPY, realistic enough for the queries the hub runs at volume —
 * 三级 categories of resources/catalogue/catalogue.csv (their owner decides 属地 street or 委办局),
 * communities of resources/places/beijing-places.csv with their street and district, write-ups
 * made from the category's own citizen phrasings, dispositions, statuses, 接单 / 退单 / 办结 / 回访 /
 * 重办 events and their times, 1,700 seats, and phone numbers with repeat and frequent callers.
 * bench/city-year.bench.ts loads a Beijing year (6,000,000 by default) and bench/rankings.bench.ts a
 * month (500,000); both call `fillTickets`.
 *
 * Deterministic for a seed. The secondary indexes are dropped during the load and built again after
 * it (`withoutIndexes`), and triggers (foreign keys, hub migration 13's) are off for the load session,
 * so the columns they would keep are written here (first_callback_satisfaction, reopen_events).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { csvTable } from '../shared/reference/csv-table';

/** A COPY … FROM STDIN for node-postgres: the Submittable protocol its client drives (lib/client.js). */
export class CopyIn {
  private error: Error | null = null;
  private settled = false;
  constructor(
    private readonly text: string,
    private readonly data: string,
    private readonly done: (error: Error | null) => void,
  ) {}
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }): void {
    const bytes = Buffer.from(this.data, 'utf8');
    for (let at = 0; at < bytes.length; at += 1 << 20) connection.sendCopyFromChunk(bytes.subarray(at, at + (1 << 20)));
    connection.endCopyFrom();
  }
  handleError(error: Error): void {
    // node-postgres does not always hand a failed COPY its ReadyForQuery: settle here.
    this.error = error;
    this.settle();
  }
  handleReadyForQuery(): void {
    this.settle();
  }
  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this.error);
  }
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

export function copyIn(client: pg.Client, text: string, data: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    client.query(new CopyIn(text, data, (error) => (error ? reject(error) : resolve())) as never);
  });
}

const esc = (v: string | null) => (v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

interface Leaf {
  code: string;
  path: string[];
  phrases: string[];
  owner: string;
}
interface Village {
  code: string;
  name: string;
  street: string;
  streetName: string;
  district: string;
  districtName: string;
}

/** The catalogue's leaves and the city's communities (read once). */
export function cityReference(resourcesDir: string): { leaves: Leaf[]; villages: Village[]; departments: string[] } {
  const records = (file: string): Array<Record<string, string>> => {
    const t = csvTable(readFileSync(file, 'utf8'));
    if (!t.ok) throw new Error(`${file}: ${t.error.message}`);
    return t.value.rows.map((r) => r.values);
  };
  const cat = records(join(resourcesDir, 'catalogue', 'catalogue.csv'));
  const names = new Map(cat.map((r) => [r.code!, r.name!]));
  const leaves = cat
    .filter((r) => r.level === '3')
    .map((r) => ({
      code: r.code!,
      path: [names.get(r.code!.slice(0, 2)) ?? '', names.get(r.code!.slice(0, 4)) ?? '', r.name!],
      phrases: [...(r.synonyms ?? '').split('|'), ...(r.keywords ?? '').split('|')].filter(Boolean),
      owner: r.owner ?? '属地',
    }))
    .filter((l) => l.phrases.length > 0);
  const places = records(join(resourcesDir, 'places', 'beijing-places.csv'));
  const byCode = new Map(places.map((p) => [p.code!, p]));
  const villages = places
    .filter((p) => p.level === 'village')
    .map((p) => {
      const street = byCode.get(p.parent_code!);
      const district = street ? byCode.get(street.parent_code!) : undefined;
      return { code: p.code!, name: p.short_name || p.name!, street: street?.code ?? '', streetName: street?.name ?? '', district: district?.code ?? '', districtName: district?.name ?? '' };
    })
    .filter((v) => v.street && v.district);
  const departments = records(join(resourcesDir, 'units', 'departments.csv')).map((r) => r.code!);
  return { leaves, villages, departments };
}

export interface FillOptions {
  tickets: number;
  /** The first ticket's instant and the span the tickets spread over (by day and hour of a call centre). */
  fromMs: number;
  days: number;
  resourcesDir: string;
  seed?: number;
  /** Units to dispatch to instead of the places' streets and the departments (rankings.bench's fixed set). */
  units?: readonly string[];
  operators?: number;
  desks?: number;
  /** Called after each chunk. */
  progress?: (done: number) => void;
}

const TICKET_COLUMNS = `id, number, provisional_number, desk_id, operator_id, operator_name, shift_code, shift_date, call_started_at, submitted_at, submitted_date,
  channel, caller_name, caller_phone, callback_phone, request_type, district_code, street_code, village_code, address_text, content, leaf_code,
  urgency, disposition, dispatched_unit_code, unit_code, linked_ticket_id, unreasonable_reason, unreasonable_at, names, status, deadlines, accepted_at,
  callback_resolved, callback_satisfaction, callback_at, received_at, updated_at, return_count, unit_resolved, reopen_count,
  first_callback_satisfaction, reopen_events`;
const EVENT_COLUMNS = 'ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code';
const SATISFACTION = ['满意', '满意', '满意', '满意', '基本满意', '基本满意', '不满意'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const TAILS = ['', '，已经好几天了', '，多次反映没有解决', '，影响居民正常生活', '，希望相关部门尽快处理', '，晚上尤其严重', '，老人孩子出行不便', '，物业不管'];
// Hours of the day by share of calls (a 12345 day: busy mornings and afternoons, quiet nights).
const HOUR_WEIGHTS = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3.5, 7, 9, 9, 8, 6, 6, 7.5, 8, 7.5, 6.5, 5, 4.5, 4, 3.5, 2.5, 1.5];
const HOUR_CDF = (() => {
  const total = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  let run = 0;
  return HOUR_WEIGHTS.map((w) => (run += w / total));
})();

/**
 * Appends `options.tickets` tickets and their hub events to the tickets and ticket_events of the
 * client's schema (search_path), in chunks of 50,000 by COPY. Returns the counts written.
 */
export async function fillTickets(client: pg.Client, options: FillOptions): Promise<{ tickets: number; events: number }> {
  const { leaves, villages, departments } = cityReference(options.resourcesDir);
  const operators = options.operators ?? 600;
  const desks = options.desks ?? 1700;
  // mulberry32: 32-bit integer arithmetic throughout (a float LCG loses its low bits and cycles early).
  let seed = (options.seed ?? 12345) >>> 0;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const iso = (ms: number) => new Date(ms).toISOString();
  const CHUNK = 50_000;
  const recent: string[] = []; // ids of recent tickets, for 重复诉求 links
  let events = 0;
  // Phones: 0.5% of calls from 500 frequent callers, 30% from 300,000 who call a few times a year, the rest once.
  const phone = (i: number) => {
    const r = rnd();
    const n = r < 0.005 ? Math.floor(rnd() * 500) : r < 0.305 ? 500 + Math.floor(rnd() * 300_000) : 1_000_000 + i;
    return `1${['38', '39', '58', '86', '35'][n % 5]}${String((n * 7919) % 100_000_000).padStart(8, '0')}`;
  };
  let pending: Promise<unknown> = Promise.resolve();
  for (let base = 0; base < options.tickets; base += CHUNK) {
    const tickets: string[] = [];
    const rows: string[] = [];
    for (let i = base; i < Math.min(options.tickets, base + CHUNK); i++) {
      const id = randomUUID();
      const day = Math.floor((i / options.tickets) * options.days);
      const h = rnd();
      const hour = HOUR_CDF.findIndex((c) => h <= c);
      const submitted = options.fromMs + day * 86_400_000 + hour * 3_600_000 + Math.floor(rnd() * 3_600_000);
      const handling = 60_000 + Math.floor(rnd() * rnd() * 900_000);
      const beijing = new Date(submitted + 8 * 3_600_000);
      const date = beijing.toISOString().slice(0, 10);
      const beijingHour = beijing.getUTCHours();
      const shift = beijingHour < 8 ? 'night' : beijingHour < 16 ? 'day' : 'evening';
      const op = Math.floor(rnd() * operators);
      const desk = `desk-${String(op % desks).padStart(4, '0')}`;
      const leaf = pick(leaves);
      const village = pick(villages);
      const r = rnd();
      const disposition = r < 0.12 ? '咨询办结' : r < 0.14 ? '重复诉求' : r < 0.145 ? '不合理诉求' : r < 0.72 ? '直派' : '派分中心';
      const dispatched = disposition === '直派' || disposition === '派分中心';
      const unit = options.units ? pick(options.units) : leaf.owner === '属地' || !departments.includes(leaf.owner) ? village.street : leaf.owner;
      const urgency = rnd() < 0.03 ? '紧急' : rnd() < 0.02 ? '即时' : '一般';
      const age = options.fromMs + options.days * 86_400_000 - submitted; // how long before the data set's end
      const accepted = dispatched && rnd() < 0.96 && age > 3_600_000 ? submitted + Math.floor(rnd() * rnd() * 6 * 3_600_000) : null;
      const returned = dispatched && rnd() < 0.04;
      const closedAt = accepted !== null && !returned && age > 5 * 86_400_000 * rnd() * 2 ? accepted + Math.floor((1 + rnd() * 9) * 86_400_000 * rnd()) + 3_600_000 : null;
      const closed = closedAt !== null && closedAt < submitted + age;
      const called = closed && rnd() < 0.85 && closedAt! + 2 * 86_400_000 < submitted + age;
      const satisfaction = called ? pick(SATISFACTION) : null;
      const resolved = called ? satisfaction !== '不满意' || rnd() < 0.3 : null;
      const reopened = called && (!resolved || satisfaction === '不满意');
      const callbackAt = called ? closedAt! + Math.floor((0.5 + rnd() * 1.5) * 86_400_000) : null;
      const status = !dispatched
        ? disposition === '重复诉求'
          ? '已关联'
          : disposition === '不合理诉求'
            ? '待审核'
            : '已办结'
        : returned
          ? '已退单'
          : reopened
            ? '已派单'
            : called
              ? '已回访'
              : closed
                ? '已办结'
                : accepted !== null
                  ? '已接单'
                  : '已派单';
      const unitCode = dispatched && !returned ? unit : null;
      const content = `市民来电反映：${village.name}${pick(leaf.phrases)}${pick(TAILS)}。请尽快处理。`;
      const phoneNo = phone(i);
      const linked = disposition === '重复诉求' && recent.length > 0 ? pick(recent) : null;
      const names = JSON.stringify({ unit: unitCode ?? undefined, district: village.districtName, street: village.streetName, leafPath: leaf.path });
      const open = dispatched && !closed && !called;
      const deadlines = open
        ? JSON.stringify([
            { ruleId: 'contact_general', label: '首次联系', dueAt: iso(submitted + 2 * 3_600_000), doneAt: accepted === null ? null : iso(accepted) },
            { ruleId: 'close_general', label: '办结', dueAt: iso(submitted + 15 * 86_400_000), doneAt: null },
          ])
        : '[]';
      tickets.push(
        [
          id, `${date.replaceAll('-', '')}${String(i).padStart(8, '0')}`, `临${desk}-${i}`, desk, `op-${op}`, `${SURNAMES[op % SURNAMES.length]}坐席${op}`, shift, date,
          iso(submitted - handling), iso(submitted), date, rnd() < 0.9 ? '电话' : '网站', `${pick([...SURNAMES])}先生`, phoneNo, rnd() < 0.9 ? phoneNo : phone(i + 7),
          pick(['投诉', '求助', '咨询', '建议']), village.district, village.street, village.code, `${village.districtName}${village.streetName}${village.name}`, content, leaf.code,
          urgency, disposition, dispatched ? unit : null, unitCode, linked, '', null, names, status, deadlines,
          accepted === null ? null : iso(accepted), resolved === null ? null : String(resolved), satisfaction, callbackAt === null ? null : iso(callbackAt),
          iso(submitted), iso(callbackAt ?? closedAt ?? accepted ?? submitted), returned ? '1' : '0', closed ? String(rnd() < 0.9) : null, reopened ? '1' : '0',
          satisfaction, reopened ? '1' : '0',
        ]
          .map(esc)
          .join('\t'),
      );
      if (rnd() < 0.01) {
        if (recent.length >= 2000) recent[Math.floor(rnd() * recent.length)] = id;
        else recent.push(id);
      }
      const event = (kind: string, at: number, callback: string | null, from: string | null) => {
        rows.push([id, desk, 'hub', kind, iso(at), '系统', '', status, unitCode ?? unit, '[]', callback, from].map(esc).join('\t'));
        events++;
      };
      if (accepted !== null) event('接单', accepted, null, null);
      if (returned) event('退单', (accepted ?? submitted) + 3_600_000, null, unit);
      if (closed) event('办结', closedAt!, null, null);
      if (called) {
        event('回访', callbackAt!, JSON.stringify({ resolved, satisfaction }), null);
        if (reopened) event('重办', callbackAt! + 1000, null, null);
      }
    }
    // The database copies one chunk while the next is made.
    await pending;
    const ticketText = tickets.join('\n') + '\n';
    const eventText = rows.join('\n') + '\n';
    const done = Math.min(options.tickets, base + CHUNK);
    pending = copyIn(client, `COPY tickets (${TICKET_COLUMNS}) FROM STDIN`, ticketText)
      .then(() => (rows.length > 0 ? copyIn(client, `COPY ticket_events (${EVENT_COLUMNS}) FROM STDIN`, eventText) : undefined))
      .then(() => options.progress?.(done));
    // Let the client start the COPY and hand the data over before the next chunk keeps the thread busy.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await pending;
  return { tickets: options.tickets, events };
}

/**
 * Runs `load` with the secondary indexes of tickets and ticket_events dropped and the session's
 * triggers (foreign keys included) off, then builds the indexes again and analyzes (VACUUM, so the
 * covering indexes are read without the rows). Building an index once is many times faster than
 * keeping it up to date row by row.
 */
export async function withoutIndexes<T>(client: pg.Client, load: () => Promise<T>): Promise<T> {
  const defs = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename IN ('tickets', 'ticket_events')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))`,
  );
  for (const d of defs.rows) await client.query(`DROP INDEX ${d.indexname}`);
  await client.query(`SET session_replication_role = replica`);
  try {
    return await load();
  } finally {
    await client.query(`SET session_replication_role = DEFAULT`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    for (const d of defs.rows) await client.query(d.indexdef);
    await client.query('VACUUM ANALYZE tickets');
    await client.query('VACUUM ANALYZE ticket_events');
  }
}

/**
 * After a fill with the triggers off: the facts they keep, the 考核 summary (server/rank-summary.ts)
 * and the team lead's tally (server/stats.ts, hub migration 18) counted once, as a hub does when its
 * settings change, then vacuumed so the covering indexes are read without the rows, as autovacuum
 * leaves a past month on a running hub. Returns the seconds it took.
 */
export async function countSummaries(client: pg.Client): Promise<{ rankSeconds: number; tallySeconds: number }> {
  const started = performance.now();
  // With the triggers still off: the rebuilds below count each summary once for every ticket.
  await client.query('SET session_replication_role = replica');
  await client.query('SELECT rank_facts_fill()');
  await client.query('SET session_replication_role = DEFAULT');
  await client.query('SELECT rank_rebuild()');
  const tallyStart = performance.now();
  await client.query('SELECT tally_rebuild()');
  const tallySeconds = (performance.now() - tallyStart) / 1000;
  // The fill rewrote the returned and repeated tickets' rows.
  for (const table of ['tickets', 'rank_day', 'tally_day', 'tally_dim']) await client.query(`VACUUM ANALYZE ${table}`);
  return { rankSeconds: (performance.now() - started) / 1000 - tallySeconds, tallySeconds };
}
