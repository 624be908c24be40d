/**
 * Fuzz (issue 16): every call of the desk contract (shared/api/contract.ts with
 * shared/api/lead-contract.ts), taken from `deskCalls` so a new call is covered without editing this
 * file, is sent arbitrary and mutated inputs (test/fuzz/inputs.ts) through the desk's real dispatcher
 * (shared/api/dispatch.ts over electron/services/desk.ts) on a real SQLite database, signed in as a 班长
 * so the lead's calls run too. Every answer must be a Result — ok, or refused with a named kind other
 * than `internal`, never a throw — an ok value must match the call's declared output, and a refused
 * call must leave the database as it was (each table's row count and largest rowid, and SQLite's own
 * count of changed rows). Prints "desk: N calls, M inputs, 0 failures" and a line per call.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deskCalls, type CallSpec } from '../../shared/api/contract';
import { createDispatcher } from '../../shared/api/dispatch';
import { emptyDraft, type TicketDraft } from '../../shared/domain/ticket';
import { readFirstLead } from '../../electron/services/lead/lead-credentials';
import { openReadyDesk, value } from '../support/desk';
import { ROOT } from '../support/host-process';
import { inputsFor, onlyCalls, TIMEOUT_MS, newTally, resultProblem, RUNS_PER_CALL, sampleOf, show, summary, type CallTally } from './inputs';

let opened: Awaited<ReturnType<typeof openReadyDesk>>;
const tallies: CallTally[] = [];

beforeAll(async () => {
  opened = await openReadyDesk();
}, 60_000);
afterAll(() => {
  if (tallies.length) console.log(summary('desk', tallies));
  opened?.desk.dispose();
});

/**
 * Row count and largest rowid of every table, and the connection's count of changed rows (the desk
 * has one connection). Counted again only when that count moved: nothing else can change them.
 */
let cached: { changes: number; print: string } | null = null;
function fingerprint(): string {
  const db = opened.desk.db;
  const changes = db.prepare('SELECT total_changes()').pluck().get() as number;
  if (cached?.changes === changes) return cached.print;
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  const parts = tables.map((t) => {
    const quoted = `"${t.replaceAll('"', '""')}"`;
    try {
      return `${t}:${JSON.stringify(db.prepare(`SELECT count(*), max(rowid) FROM ${quoted}`).raw().get())}`;
    } catch {
      return `${t}:${JSON.stringify(db.prepare(`SELECT count(*) FROM ${quoted}`).raw().get())}`;
    }
  });
  parts.push(`changes:${changes}`);
  cached = { changes, print: parts.join(' ') };
  return cached.print;
}

it(`every desk call answers arbitrary and mutated input with a Result, and a refusal writes nothing (${RUNS_PER_CALL} runs a call)`, async () => {
  const { desk } = opened;
  const internalErrors: string[] = [];
  const dispatch = createDispatcher(deskCalls, desk.handlers, (name, error) => internalErrors.push(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  const call = (name: string, input: unknown) => dispatch({ name, input }, { transport: 'ipc' });

  // Real data for the valid inputs: a leaf, a street and its unit, an article, a ticket on this desk.
  const ref = desk.reference;
  const leaf = ref.catalogue.all().find((n) => n.level === 3 && n.owner.kind === 'local' && !n.coordination && n.urgency === '一般')!;
  const street = ref.places.all().find((p) => p.level === 'street' && ref.units.streetUnit(p.code))!;
  const unit = ref.units.streetUnit(street.code)!;
  const kbHits = value(await opened.api.call('kb.search', { query: '社保' }));
  const articleId = kbHits[0]?.id ?? 'KB0001';
  const draft = (): TicketDraft => ({
    ...emptyDraft(randomUUID(), new Date().toISOString(), '13912345678'),
    callerName: '王先生',
    requestType: '投诉',
    address: { districtCode: street.parentCode, streetCode: street.code, villageCode: null, text: '5号楼北侧' },
    content: '小区门口的路面塌了一个大坑，晚上看不清，已经有人摔倒了，请尽快修复。',
    leafCode: leaf.code,
    disposition: '直派',
    unitCode: unit.code,
  });
  // The PIN the first start gives 工号 0001 (electron/services/lead/lead-credentials.ts, bootstrap).
  const first = readFirstLead(desk.dataDir)!;
  const signIn = { id: first.operatorId, name: '王班长', role: 'team_lead' as const, secret: first.pin };
  value((await call('operator.signIn', signIn)) as never);
  const submitted = await call('tickets.submit', { draft: draft() });
  if (!submitted.ok) throw new Error(`a valid submit was refused: ${submitted.error.message}\n${internalErrors.join('\n')}`);
  const ticket = submitted.value as { id: string };
  const today = new Date().toISOString().slice(0, 10);
  const scope = { from: today, to: today, shiftCode: null, operatorIds: [], categoryLevel: 1 };
  const shifts = value((await call('shifts.list', {})) as never);
  const csv = (file: string) => Buffer.from(readFileSync(join(ROOT, 'resources', file))).toString('base64');

  /** Valid inputs where the schema's own sample would not reach the handler's logic. */
  const seeds: Record<string, () => unknown> = {
    'reference.import': () => ({ kind: 'kb', fileName: 'knowledge-base.csv', contentBase64: csv('kb/knowledge-base.csv') }),
    'catalogue.leaf': () => ({ code: leaf.code }),
    'kb.search': () => ({ query: '噪音', leafCode: leaf.code, limit: 10 }),
    'kb.article': () => ({ id: articleId }),
    'calls.incoming': () => ({ phone: '13912345678', at: new Date().toISOString() }),
    'tickets.submit': () => ({ draft: draft() }),
    'tickets.history': () => ({ phone: '13912345678' }),
    'tickets.related': () => ({ phone: '13912345678', villageCode: null, leafCode: leaf.code, excludeId: ticket.id }),
    'tickets.get': () => ({ id: ticket.id }),
    'drafts.save': () => ({ draft: draft() }),
    'drafts.discard': () => ({ id: ticket.id }),
    'side.show': () => ({ view: { kind: 'kb', articleId } }),
    'operator.signIn': () => signIn,
    'shifts.update': () => ({ shifts }),
    'lead.shiftLog': () => ({ scope }),
    'lead.drilldown': () => ({ scope, filter: { kind: 'hour', hour: 9 } }),
    'lead.export': () => ({ scope, table: 'tickets', filter: { kind: 'all' }, format: 'xlsx', fullPhones: true }),
  };

  /** Real values by field name, for calls without a seed. */
  const known: Record<string, () => unknown> = {
    scope: () => scope,
    draft,
    id: () => ticket.id,
    ticketId: () => ticket.id,
    phone: () => '13912345678',
    leafCode: () => leaf.code,
    unitCode: () => unit.code,
    articleId: () => articleId,
  };

  // Signing in and out last: wrong secrets lock the lead's 工号 for a while (lead-credentials.ts).
  const last = ['operator.signOut', 'operator.signIn'];
  const names = [...Object.keys(deskCalls).filter((n) => !last.includes(n)), ...last.filter((n) => Object.hasOwn(deskCalls, n))];
  for (const name of names.filter(onlyCalls)) {
    const spec = (deskCalls as Record<string, CallSpec>)[name]!;
    const valid = seeds[name] ?? (() => sampleOf(spec.input, known));
    const tally = newTally(name);
    tallies.push(tally);
    // Each call's run starts signed in as a lead (an earlier call may have signed out or in as someone else).
    const signedIn = await call('operator.signIn', signIn);
    if (!signedIn.ok) tally.failures.push(`could not sign in as the lead before this call: ${signedIn.error.message}`);
    // The big reference file is valid but slow to import: a tenth of the runs for that call.
    const runs = name === 'reference.import' ? Math.max(5, Math.ceil(RUNS_PER_CALL / 10)) : RUNS_PER_CALL;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(inputsFor(valid), async (input) => {
        tally.inputs++;
        const t0 = Date.now();
        const before = fingerprint();
        let answer: unknown;
        try {
          answer = await call(name, input);
        } catch (error) {
          tally.failures.push(`threw ${String(error)} on ${show(input)}`);
          return true;
        }
        const problem = resultProblem(answer);
        if (problem) {
          tally.failures.push(`${problem} on ${show(input)}`);
          return true;
        }
        const result = answer as { ok: boolean; value?: unknown; error?: { kind: string } };
        if (result.ok) {
          tally.ok++;
          const output = spec.output.safeParse(result.value);
          if (!output.success) tally.failures.push(`ok value does not match the contract: ${output.error.issues[0]?.message} on ${show(input)}`);
        } else {
          tally.refused[result.error!.kind] = (tally.refused[result.error!.kind] ?? 0) + 1;
          const after = fingerprint();
          if (after !== before) tally.failures.push(`refused (${result.error!.kind}) but wrote: ${before} → ${after} on ${show(input)}`);
        }
        if (process.env.FUZZ_SLOW && Date.now() - t0 > Number(process.env.FUZZ_SLOW)) console.log(`slow ${name} ${Date.now() - t0} ms: ${show(input).slice(0, 200)}`);
        return true;
      }),
      { numRuns: runs },
    );
    tally.ms = Date.now() - started;
  }

  // The envelope itself: names that are no call, and messages of any shape.
  const envelope = newTally('(envelope)');
  tallies.push(envelope);
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ name: fc.string({ maxLength: 120 }), input: fc.jsonValue({ maxDepth: 2 }) })), async (message) => {
      envelope.inputs++;
      const before = fingerprint();
      const answer = await dispatch(message, { transport: 'http' }).catch((error: unknown) => ({ threw: String(error) }));
      const problem = resultProblem(answer);
      if (problem) envelope.failures.push(`${problem} on ${show(message)}`);
      else if ((answer as { ok: boolean }).ok) envelope.ok++;
      else if (fingerprint() !== before) envelope.failures.push(`refused but wrote on ${show(message)}`);
      return true;
    }),
    { numRuns: RUNS_PER_CALL },
  );

  expect(names.length).toBeGreaterThanOrEqual(30);
  // Every call was reached with an input its handler ran on, or at least refused for a named reason.
  expect(tallies.filter((t) => t.inputs === 0)).toEqual([]);
  if (internalErrors.length) console.log(`desk: what the handlers threw (first 3 of ${internalErrors.length}):\n${internalErrors.slice(0, 3).join('\n')}`);
  expect(tallies.flatMap((t) => t.failures.slice(0, 3).map((f) => `${t.call}: ${f}`))).toEqual([]);
}, TIMEOUT_MS);
