/**
 * Fuzz (issue 16): every call of the hub contract (shared/api/hub-contract.ts), taken from `hubCalls`
 * so a new call is covered without editing this file, is posted arbitrary and mutated inputs
 * (test/fuzz/inputs.ts) over HTTP to a real hub (server/http.ts) on PGlite, signed in as a user the
 * call allows (an admin where admins may make it). Every answer must be a Result envelope whose HTTP
 * status fits its kind (shared/api/http.ts) — never a 500 or `internal`, never a dropped connection —
 * an ok value must match the call's declared output, and a refused call must leave every table as it
 * was (row count and largest id). Prints "hub: N calls, M inputs, 0 failures" and a line per call.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { statusOf } from '../../shared/api/http';
import { hubCalls, type HubCallSpec } from '../../shared/api/hub-contract';
import type { Result } from '../../shared/result';
import { expectOk, PASSWORD, pushedTicket, RESOURCES_DIR, startTestHub, USERS, type TestHub } from '../hub/support';
import { inputsFor, onlyCalls, TIMEOUT_MS, newTally, resultProblem, RUNS_PER_CALL, sampleOf, show, summary, type CallTally } from './inputs';

let hub: TestHub;
const tallies: CallTally[] = [];

beforeAll(async () => {
  hub = await startTestHub('pglite');
}, 60_000);
afterAll(async () => {
  if (tallies.length) console.log(summary('hub', tallies));
  await hub?.close();
});

let fingerprintSql: string | null = null;
let walCache: { lsn: string; print: string } | null = null;
/** The fingerprint after the last refused call, while nothing may have written since (else null). */
let lastPrint: string | null = null;
/** Row count and largest id (or seq) of every table of the hub's schema. */
async function fingerprint(): Promise<string> {
  if (!fingerprintSql) {
    const columns = await hub.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name IN ('id', 'seq', 'token_sha256', 'desk_id', 'version')`,
    );
    const tables = await hub.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    fingerprintSql = tables
      .map(({ table_name: t }) => {
        const key = columns.find((c) => c.table_name === t && c.column_name === 'seq') ?? columns.find((c) => c.table_name === t);
        return `SELECT '${t}' AS t, count(*)::text AS n, ${key ? `max("${key.column_name}"::text)` : 'NULL'} AS m FROM "${t}"`;
      })
      .join(' UNION ALL ');
  }
  // Nothing is written without moving the write-ahead log: the counts are taken again only when it
  // moved (it moves for more than writes too — a row lock, a rolled-back transaction — so it is no
  // part of the fingerprint itself).
  const [wal] = await hub.db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  if (walCache && walCache.lsn === wal!.lsn) return walCache.print;
  const rows = await hub.db.query<{ t: string; n: string; m: string | null }>(fingerprintSql);
  const print = rows.map((r) => `${r.t}:${r.n}/${r.m ?? '-'}`).join(' ');
  walCache = { lsn: wal!.lsn, print };
  return print;
}

interface Reply {
  status: number;
  body: unknown;
}

async function post(name: string, input: unknown, token: string | null): Promise<Reply> {
  const response = await fetch(new URL(`/v1/${name}`, hub.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: input === undefined ? '' : JSON.stringify(input),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text: a failure below says so
  }
  return { status: response.status, body };
}

/** The test user a call is made as: an admin where admins may make it, else one of the call's roles. */
const PREFERRED: Record<string, string> = { 'tickets.push': 'taker', 'tickets.pull': 'taker', 'auth.logout': 'taker2', 'auth.changePassword': 'taker2', 'auth.me': 'lead' };
function userFor(name: string, spec: HubCallSpec): string | null {
  if (spec.roles === 'public') return null;
  if (PREFERRED[name]) return PREFERRED[name]!;
  if (spec.roles.includes('admin')) return 'admin';
  const user = USERS.find((u) => (spec.roles as readonly string[]).includes(u.role) && u.username !== 'taker2');
  return user ? user.username : 'admin';
}

it(`every hub call answers arbitrary and mutated input with a Result and a fitting status, and a refusal writes nothing (${RUNS_PER_CALL} runs a call)`, async () => {
  // Tickets to move: pushed by the call-taker, dispatched to 甲街道 (U-A, op_a's unit).
  const taker = await hub.as('taker');
  const pushed = Array.from({ length: 6 }, () => pushedTicket());
  expectOk(await taker.call('tickets.push', { tickets: pushed }));
  const ids = pushed.map((t) => t.id);
  const anyId = () => ids[Math.floor(Math.random() * ids.length)]!;
  const tokens = new Map<string, string>();
  const passwords = new Map<string, string>(USERS.map((u) => [u.username, u.password]));
  const login = async (username: string) => {
    const reply = await post('auth.login', { username, password: passwords.get(username) }, null);
    const result = reply.body as Result<{ token: string }>;
    if (result.ok) tokens.set(username, result.value.token);
    lastPrint = null;
    return result.ok;
  };
  for (const u of USERS) expect(await login(u.username)).toBe(true);
  const kb = readFileSync(join(RESOURCES_DIR, 'kb', 'knowledge-base.csv'), 'utf8');

  /** Valid inputs where the schema's own sample would not reach the handler's logic. */
  const seeds: Record<string, () => unknown> = {
    'auth.login': () => ({ username: 'taker2', password: passwords.get('taker2') }),
    'auth.changePassword': () => ({ currentPassword: passwords.get('taker2'), newPassword: `horse-${Math.random().toString(36).slice(2, 10)}` }),
    'admin.revokeSessions': () => ({ username: 'op_b' }),
    'tickets.push': () => ({ tickets: [pushedTicket()] }),
    'tickets.pull': () => ({ since: 0, deskId: 'desk-1', limit: 50 }),
    'reference.publish': () => ({ kind: 'kb', fileName: 'knowledge-base.csv', content: kb }),
    'reference.pull': () => ({ have: { places: null, units: 'x', catalogue: null, kb: null } }),
    'unit.queue': () => ({ unitCode: 'U-A', limit: 20 }),
    'ticket.forward': () => ({ ticketId: anyId(), unitCode: 'U-B', note: '请协助办理' }),
    'ticket.accept': () => ({ ticketId: anyId() }),
    'ticket.return': () => ({ ticketId: anyId(), reason: '不属于本单位职责范围' }),
    'ticket.reply': () => ({ ticketId: anyId(), reply: '已经联系施工方停止夜间施工' }),
    'ticket.close': () => ({ ticketId: anyId(), note: '已办结，施工已停止', resolved: true }),
    'ticket.redispatch': () => ({ ticketId: anyId(), unitCode: 'U-B' }),
    'ticket.extend': () => ({ ticketId: anyId(), reason: '需要协调多个部门', newDate: '2026-12-20' }),
    'ticket.decide': () => ({ ticketId: anyId(), kind: 'extension', approve: true, reason: '' }),
    'ticket.supervise': () => ({ ticketId: anyId(), level: 'yellow', note: '请尽快办理此件' }),
    'ticket.callback': () => ({ ticketId: anyId(), resolved: true, satisfaction: '满意' }),
    'workspace.queue': () => ({ view: 'mine', limit: 20 }),
    'workspace.ticket': () => ({ ticketId: anyId() }),
    'workspace.revealCaller': () => ({ ticketId: anyId() }),
    'admin.unitAccounts': () => ({ unitCodes: ['U-C'] }),
    'stats.shiftTickets': () => ({ from: '2026-12-01', to: '2026-12-01', shiftCode: null, operatorIds: [] }),
    'stats.rates': () => ({ from: '2026-11-01', to: '2026-12-01', groupBy: 'unit' }),
  };

  /** Real values by field name, for calls without a seed. */
  const known: Record<string, () => unknown> = {
    ticketId: anyId,
    unitCode: () => 'U-B',
    deskId: () => 'desk-1',
    from: () => '2026-11-01',
    to: () => '2026-12-01',
    reason: () => '需要协调多个部门处理',
    note: () => '请尽快办理此件',
  };

  // Session-ending calls and login (whose failures back off per account and address) come last.
  const last = ['auth.logout', 'auth.changePassword', 'auth.login'];
  const names = [...Object.keys(hubCalls).filter((n) => !last.includes(n)), ...last.filter((n) => Object.hasOwn(hubCalls, n))];
  for (const name of names.filter(onlyCalls)) {
    const spec = (hubCalls as Record<string, HubCallSpec>)[name]!;
    const valid = seeds[name] ?? (() => sampleOf(spec.input, known));
    const user = userFor(name, spec);
    const tally = newTally(name);
    tallies.push(tally);
    // A whole reference file is valid but slow to check, a training starts a worker thread: a tenth of the runs for those calls.
    const runs = name === 'reference.publish' || name === 'admin.trainModel' ? Math.max(5, Math.ceil(RUNS_PER_CALL / 10)) : RUNS_PER_CALL;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(inputsFor(valid), async (input) => {
        tally.inputs++;
        const t0 = Date.now();
        const before = lastPrint ?? (await fingerprint());
        lastPrint = null;
        let reply: Reply;
        try {
          reply = await post(name, input, user ? (tokens.get(user) ?? null) : null);
        } catch (error) {
          tally.failures.push(`no answer (${String(error)}) on ${show(input)}`);
          return true;
        }
        const problem = resultProblem(reply.body);
        if (problem) {
          tally.failures.push(`HTTP ${reply.status}, ${problem} on ${show(input)}`);
          return true;
        }
        const result = reply.body as Result<unknown>;
        // 415 is the hub's answer to a wrong content type, which this suite never sends.
        if (reply.status === 500 || reply.status !== statusOf(result)) tally.failures.push(`HTTP ${reply.status} for ${result.ok ? 'ok' : result.error.kind} on ${show(input)}`);
        if (result.ok) {
          tally.ok++;
          const output = spec.output.safeParse(result.value);
          if (!output.success) tally.failures.push(`ok value does not match the contract: ${output.error.issues[0]?.message} on ${show(input)}`);
          // Calls that end a session or change the password: sign in again so later inputs reach the handler.
          if (name === 'auth.changePassword') passwords.set('taker2', (input as { newPassword: string }).newPassword);
          if (user && (name === 'auth.logout' || name === 'auth.changePassword')) await login(user);
        } else {
          tally.refused[result.error.kind] = (tally.refused[result.error.kind] ?? 0) + 1;
          const after = await fingerprint();
          if (after !== before) tally.failures.push(`refused (${result.error.kind}) but wrote: ${before} → ${after} on ${show(input)}`);
          lastPrint = after;
        }
        if (process.env.FUZZ_SLOW && Date.now() - t0 > Number(process.env.FUZZ_SLOW)) console.log(`slow ${name} ${Date.now() - t0} ms: ${show(input).slice(0, 200)}`);
        return true;
      }),
      { numRuns: runs },
    );
    tally.ms = Date.now() - started;
  }

  // Anonymous: every non-public call refuses without a token and writes nothing.
  const anonymous = newTally('(no token, every call)');
  tallies.push(anonymous);
  for (const name of Object.keys(hubCalls)) {
    const spec = (hubCalls as Record<string, HubCallSpec>)[name]!;
    if (spec.roles === 'public') continue;
    anonymous.inputs++;
    const before = await fingerprint();
    const reply = await post(name, seeds[name]?.() ?? sampleOf(spec.input, known), null);
    const result = reply.body as Result<unknown>;
    if (resultProblem(result) || result.ok || result.error.kind !== 'unauthorized' || reply.status !== 401) anonymous.failures.push(`${name}: HTTP ${reply.status} ${show(result)}`);
    else anonymous.refused.unauthorized = (anonymous.refused.unauthorized ?? 0) + 1;
    if ((await fingerprint()) !== before) anonymous.failures.push(`${name}: wrote without a token`);
  }

  expect(names.length).toBeGreaterThanOrEqual(25);
  expect(tallies.flatMap((t) => t.failures.slice(0, 3).map((f) => `${t.call}: ${f}`))).toEqual([]);
}, TIMEOUT_MS);
