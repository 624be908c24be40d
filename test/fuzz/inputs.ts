/**
 * What the fuzz suites (test/fuzz/desk-fuzz.test.ts, test/fuzz/hub-fuzz.test.ts) throw at every call:
 * arbitrary JSON values, and valid inputs mutated the ways an attacker or a broken client would —
 * wrong types, huge strings, NUL, lone surrogates, RTL marks, deep nesting, unknown keys, negative
 * and huge numbers, impossible dates, missing keys. A valid input comes from the call's own zod schema
 * (`sampleOf`), unless the suite gives a better one (a real ticket id, a draft that passes the rules).
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isErrorKind } from '../../shared/result';

/** Runs per call: FUZZ_RUNS for deeper runs (e.g. FUZZ_RUNS=2000 npx vitest run test/fuzz). */
export const RUNS_PER_CALL = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : 50;

/** Time for one side's run: four minutes at the default runs, more for deeper runs. */
export const TIMEOUT_MS = 240_000 * Math.max(1, RUNS_PER_CALL / 50);

/** FUZZ_ONLY=tickets.push,ticket.close: fuzz just these calls (a deeper run on one area). */
export const onlyCalls = (name: string): boolean => !process.env.FUZZ_ONLY || process.env.FUZZ_ONLY.split(',').includes(name);

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/**
 * A value of the schema's shape, valid as far as the shape goes (refinements may still refuse it).
 * `known` gives real values for fields by name (a ticket id, a date range): a new call with such a
 * field reaches its handler without a seed of its own.
 */
export function sampleOf(schema: z.ZodType, known: Record<string, () => unknown> = {}, depth = 0): unknown {
  const def = defOf(schema);
  if (depth > 12) return null;
  const sample = (inner: z.ZodType) => sampleOf(inner, known, depth + 1);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        if (Object.hasOwn(known, key)) out[key] = known[key]!();
        else if (defOf(field).type !== 'optional') out[key] = sample(field);
      }
      return out;
    }
    case 'string': {
      if (def.format === 'uuid' || def.format === 'guid') return randomUUID();
      if (def.format === 'datetime') return '2026-12-01T01:00:00.000Z';
      const checks = (def.checks as Array<{ _zod: { def: { check: string; minimum?: number } } }> | undefined) ?? [];
      const min = Math.max(1, ...checks.filter((c) => c._zod.def.check === 'min_length').map((c) => c._zod.def.minimum ?? 0));
      return 'a'.repeat(Math.min(min, 16));
    }
    case 'number': {
      const checks = (def.checks as Array<{ _zod: { def: { check: string; value?: number } } }> | undefined) ?? [];
      const lower = checks.find((c) => c._zod.def.check === 'greater_than')?._zod.def.value;
      return lower ?? 1;
    }
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)[0];
    case 'literal':
      return (def.values as unknown[])[0];
    case 'nullable':
      return null;
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return sample(def.innerType as z.ZodType);
    case 'pipe':
      return sample(def.in as z.ZodType);
    case 'array':
      return [];
    case 'record':
      return {};
    case 'union':
      return sample((def.options as z.ZodType[])[0]!);
    default:
      return null;
  }
}

const nest = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const nastyChar = fc.oneof(
  fc.constantFrom('\u0000', '\u202e', '\u200f', '\ufeff', '\u2028', '\u0007', '\u001b', '%', '"', "'", '\\', '*', '(', '<', '\n', '字'),
  loneSurrogate,
);
/** Strings a form would never send: mostly ordinary text with something wrong inside. */
const nastyString = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), nastyChar, fc.string({ maxLength: 20 })).map(([a, c, b]) => a + c + b),
  fc.string({ unit: fc.oneof(nastyChar, fc.constantFrom('a', '1', '-', ':', 'T', 'Z', '.')), maxLength: 40 }),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => '字'.repeat(n)),
  fc.constant('x'.repeat(100_000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '   ',
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '2030-02-30',
    '2026-13-01',
    '2026-02-29',
    '2026-00-10',
    '0000-00-00',
    '2026-12-01T25:61:00Z',
    '2026-12-01T01:00:00+99:00',
    '+275760-09-13T00:00:00.000Z',
    'Invalid Date',
    '__proto__',
    'constructor',
    'toString',
    '../../../etc/passwd',
    "'; DROP TABLE tickets; --",
    '" OR 1=1 --',
    'NEAR(a b)',
    'a* OR b*',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '<img src=x onerror=alert(1)>',
    '%00',
    '%E4%B8',
    'javascript:alert(1)',
  ),
);
const nastyNumber = fc.oneof(
  fc.constantFrom(-1, -0, 0, 0.5, -0.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 31, -(2 ** 31) - 1, 1e-300, 23.999),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** One value to put where a valid one stood. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[[]]], [null], { '': '' }) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 1500 }).chain((depth) => nastyString.map((leaf) => nest(depth, leaf))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constant('a'), { minLength: 600, maxLength: 2000 }) },
);

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length > 8) return out;
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

type Mutation =
  | { op: 'replace'; at: number; with: unknown }
  | { op: 'addKey'; at: number; key: string; with: unknown }
  | { op: 'remove'; at: number }
  | { op: 'wrap'; at: number }
  | { op: 'repeat'; at: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), with: nastyValue }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'operatorId', 'deskId', '\u0000', '\ud800')),
      with: nastyValue,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), times: fc.integer({ min: 2, max: 1200 }) }) },
);

function applyMutation(root: unknown, given: Mutation): unknown {
  // A value of its own: fc.constantFrom hands out the same {} to every run, and two mutations that
  // put it in one input and then a key into it would make the input circular (not JSON).
  const m: Mutation = 'with' in given ? { ...given, with: clone(given.with) } : given;
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length]!;
  const get = (p: Path) => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
  const set = (p: Path, value: unknown): unknown => {
    if (p.length === 0) return value;
    const parent = get(p.slice(0, -1)) as Record<string | number, unknown>;
    Object.defineProperty(parent, p[p.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
    return root;
  };
  const here = get(path);
  switch (m.op) {
    case 'replace':
      return set(path, m.with);
    case 'addKey':
      if (here && typeof here === 'object' && !Array.isArray(here)) {
        // defineProperty: a key named __proto__ becomes an own key, as JSON.parse would make it.
        Object.defineProperty(here, m.key, { value: m.with, enumerable: true, writable: true, configurable: true });
        return root;
      }
      return set(path, { [m.key]: m.with });
    case 'remove': {
      if (path.length === 0) return undefined;
      const parent = get(path.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
      else delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
      return root;
    }
    case 'wrap':
      return set(path, [here]);
    case 'repeat': {
      // At most ~2 MB in all (a big body, under the hub's limit of 4 MB); test/hub/bad-input.test.ts covers larger ones.
      let size: number;
      try {
        size = Buffer.byteLength(JSON.stringify(here) ?? 'null') + 1;
      } catch {
        size = 1_000_000; // nested too deep to measure: twice is enough
      }
      if (size > 1_000_000) return root;
      const times = Math.max(2, Math.min(m.times, Math.floor(1_000_000 / size)));
      return set(path, Array.from({ length: times }, () => here));
    }
  }
}

function bytesOf(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return Infinity;
  }
}

/** A valid input with one to three mutations applied. */
export function mutatedInput(valid: () => unknown): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    let value = clone(valid());
    for (const m of mutations) {
      value = applyMutation(value, m);
      if (bytesOf(value) > 1_500_000) break; // big enough; more would only slow the run
    }
    return value;
  });
}

/** Everything one call is tried with: arbitrary JSON, arbitrary nasty values, mutated valid inputs, and the valid one itself. */
export function inputsFor(valid: () => unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: nastyValue },
    { weight: 8, arbitrary: mutatedInput(valid) },
    { weight: 1, arbitrary: fc.constant(null).map(() => clone(valid())) },
  );
}

/** Why an answer breaks the rule (a Result, ok or a named kind other than `internal`), or null. */
export function resultProblem(answer: unknown): string | null {
  if (!answer || typeof answer !== 'object') return `not a Result: ${String(answer)}`;
  const r = answer as { ok?: unknown; error?: { kind?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in r ? null : 'ok without a value';
  if (r.ok !== false) return 'not a Result (no boolean ok)';
  if (!r.error || !isErrorKind(r.error.kind)) return `error without a named kind: ${JSON.stringify(r.error)?.slice(0, 200)}`;
  if (typeof r.error.message !== 'string') return 'error without a message';
  if (r.error.kind === 'internal') return `internal: ${r.error.message}`;
  return null;
}

/** A short printable form of an input for a failure report. */
export function show(input: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text;
}

export interface CallTally {
  call: string;
  inputs: number;
  ok: number;
  refused: Record<string, number>;
  failures: string[];
  ms: number;
}

export function newTally(call: string): CallTally {
  return { call, inputs: 0, ok: 0, refused: {}, failures: [], ms: 0 };
}

/** "desk: 57 calls, 11,400 inputs, 0 failures" and, per call, how many passed and how many were refused. */
export function summary(side: string, tallies: CallTally[]): string {
  const inputs = tallies.reduce((n, t) => n + t.inputs, 0);
  const failures = tallies.reduce((n, t) => n + t.failures.length, 0);
  const calls = tallies.filter((t) => !t.call.startsWith('(')).length;
  const lines = [`${side}: ${calls} calls, ${inputs.toLocaleString('en-US')} inputs, ${failures} failures`];
  for (const t of tallies) {
    const refused = Object.entries(t.refused)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  ${t.call.padEnd(26)} ${String(t.inputs).padStart(5)} inputs, ${String(t.ms).padStart(6)} ms, ok ${t.ok}${refused ? `, ${refused}` : ''}${t.failures.length ? `, FAILURES ${t.failures.length}` : ''}`);
  }
  return lines.join('\n');
}
