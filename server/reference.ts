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
 * - The hub does not parse the CSV: the desk's importer checks it and refuses a file that breaks
 *   the tree, keeping its current version (an admin should import a file on a desk first).
 */
import { createHash } from 'node:crypto';
import { REF_KINDS } from '../shared/api/hub-contract';
import type { Database, Sql } from './db';

export type RefKind = (typeof REF_KINDS)[number];

export function contentVersion(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export async function publishReference(
  db: Database,
  input: { kind: RefKind; fileName: string; content: string },
  publishedBy: string,
  now: Date,
): Promise<{ kind: RefKind; version: string }> {
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
  return { kind: input.kind, version };
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
