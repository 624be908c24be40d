/**
 * Reference data versions the center publishes to every desk (places, units, catalogue, kb), as
 * the CSV text the desk's importer reads.
 *
 * - A version is the sha256 of the content (hex): publishing the same text twice is one version,
 *   and a desk can tell it has the current one without downloading it.
 * - Every version ever published is kept (reference_versions); reference_current names the one in
 *   force per kind, so re-publishing an older file makes it current again (a rollback).
 * - `reference.pull {have}` returns only the kinds whose current version differs from what the desk
 *   says it has; the desk replaces each one whole, in one transaction on its side.
 * - Before publishing, the hub checks the file with the desks' own rules (shared/reference/validate.ts)
 *   against the versions of the other kinds it holds (a kind it holds none of is left to the desks,
 *   which check every file again and keep their current version when one fails). A file with no
 *   rows is refused, and one with less than half the rows of the version in force unless `force`.
 */
import { createHash } from 'node:crypto';
import { REF_KINDS } from '../shared/api/hub-contract';
import {
  checkCatalogue,
  checkKb,
  checkPlaces,
  checkUnits,
  sizeProblem,
  type ImportProblem,
  type Table,
} from '../shared/reference/validate';
import { csvTable } from '../shared/reference/csv-table';
import { fail, ok, type Result } from '../shared/result';
import type { Database, Sql } from './db';

export type RefKind = (typeof REF_KINDS)[number];

export function contentVersion(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

const LABEL: Record<RefKind, string> = { places: '行政区划', units: '承办单位', catalogue: '派单目录', kb: '知识库' };

/** The file rules, with what the hub knows of the other kinds (their current versions). */
async function checkAgainstCurrent(db: Sql, kind: RefKind, table: Table, force: boolean): Promise<ImportProblem[]> {
  const rows = await db.query<{ kind: RefKind; content: string }>(
    `SELECT v.kind, v.content FROM reference_current c JOIN reference_versions v ON v.kind = c.kind AND v.version = c.version`,
  );
  const current = new Map<RefKind, Table>();
  for (const row of rows) {
    const read = csvTable(row.content);
    if (read.ok) current.set(row.kind, read.value);
  }
  const places = current.has('places') ? checkPlaces(current.get('places')!) : null;
  const placeItems = places?.ok ? places.items : null;
  const units = current.has('units') && placeItems ? checkUnits(current.get('units')!, placeItems) : null;
  const unitCodes = units?.ok ? new Set(units.items.map((u) => u.code)) : null;
  const catalogue = current.has('catalogue') ? checkCatalogue(current.get('catalogue')!, null) : null;
  const leafCodes = catalogue?.ok ? new Set(catalogue.items.filter((n) => n.level === 3).map((n) => n.code)) : null;
  const checked =
    kind === 'places'
      ? checkPlaces(table)
      : kind === 'units'
        ? checkUnits(table, placeItems ?? [])
        : kind === 'catalogue'
          ? checkCatalogue(table, unitCodes)
          : checkKb(table, leafCodes, unitCodes);
  if (!checked.ok) return checked.problems;
  const size = sizeProblem(table.rows.length, current.get(kind)?.rows.length ?? 0, force);
  return size ? [size] : [];
}

export async function publishReference(
  db: Database,
  input: { kind: RefKind; fileName: string; content: string; force?: boolean | undefined },
  publishedBy: string,
  now: Date,
): Promise<Result<{ kind: RefKind; version: string }>> {
  const table = csvTable(input.content);
  if (!table.ok) return table;
  const problems = await checkAgainstCurrent(db, input.kind, table.value, input.force ?? false);
  if (problems.length) {
    const first = problems.slice(0, 3).map((p) => (p.line ? `第 ${p.line} 行：${p.message}` : p.message));
    return fail('rejected', `${LABEL[input.kind]}未发布：共 ${problems.length} 处问题（${first.join('；')}），各坐席仍用现有版本`, {
      problems: problems.slice(0, 200),
    });
  }
  const version = contentVersion(input.content);
  await db.transaction(async (tx: Sql) => {
    await tx.query(
      `INSERT INTO reference_versions (kind, version, file_name, content, published_at, published_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, version) DO NOTHING`,
      [input.kind, version, input.fileName, input.content, now.toISOString(), publishedBy],
    );
    await tx.query(
      `INSERT INTO reference_current (kind, version) VALUES ($1, $2)
       ON CONFLICT (kind) DO UPDATE SET version = EXCLUDED.version`,
      [input.kind, version],
    );
  });
  return ok({ kind: input.kind, version });
}

export async function pullReference(
  db: Sql,
  have: Partial<Record<RefKind, string | null>>,
): Promise<{ updates: Array<{ kind: RefKind; version: string; fileName: string; content: string }> }> {
  // One statement, so a publish landing between two reads cannot mix versions.
  const kinds = REF_KINDS.filter((k) => typeof have[k] === 'string');
  const rows = await db.query<{ kind: RefKind; version: string; file_name: string; content: string }>(
    `SELECT v.kind, v.version, v.file_name, v.content
       FROM reference_current c JOIN reference_versions v ON v.kind = c.kind AND v.version = c.version
      WHERE c.version IS DISTINCT FROM (SELECT h.version FROM unnest($1::text[], $2::text[]) AS h(kind, version) WHERE h.kind = c.kind)`,
    [kinds, kinds.map((k) => have[k]!)],
  );
  // The order desks import in: places before units before the catalogue (which names units) before kb.
  const order = new Map(REF_KINDS.map((k, i) => [k, i]));
  rows.sort((a, b) => order.get(a.kind)! - order.get(b.kind)!);
  return { updates: rows.map((r) => ({ kind: r.kind, version: r.version, fileName: r.file_name, content: r.content })) };
}
