/**
 * The unit directory the hub works to: which units exist, their kind (市中心, 区分中心, 街乡镇,
 * 委办局, 公共服务企业) and district, and the names of places (for the workspace's community
 * filter). It decides what a unit operator is in the workspace (shared/workspace/roles.ts) and where
 * a sub-center may forward a ticket.
 *
 * Read once at start: the units and places versions in force on the hub (reference.publish), else
 * the repository's files (resources/places/beijing-places.csv, resources/units/departments.csv),
 * through the same rules the desks import with (shared/reference/validate.ts). startHub's `units`
 * option replaces it (tests). A new published version takes effect at the hub's next start.
 * The directory also carries the catalogue's leaf codes (the version in force, else
 * resources/catalogue/catalogue.csv) so a push can be checked against them (desk-access.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Place, Unit } from '../shared/domain/places';
import { checkCatalogue, checkPlaces, checkUnits } from '../shared/reference/validate';
import type { Sql } from './db';
import { csvTable } from '../shared/reference/csv-table';

export interface UnitDirectory {
  units: ReadonlyMap<string, Unit>;
  /** Place names by code (districts, streets, communities). */
  placeNames: ReadonlyMap<string, string>;
  /** Where it came from, for the start-up log. */
  source: string;
  /** The catalogue's leaf (三级) codes; absent or empty: the hub holds no catalogue and cannot check them. */
  leaves?: ReadonlySet<string>;
}

/** The leaf codes of a catalogue file, or null when it does not pass the desks' rules. */
function readLeaves(catalogueCsv: string): ReadonlySet<string> | null {
  const table = csvTable(catalogueCsv);
  if (!table.ok) return null;
  const checked = checkCatalogue(table.value, null);
  return checked.ok ? new Set(checked.items.filter((n) => n.level === 3).map((n) => n.code)) : null;
}

/** The catalogue in force at the hub (published, else the repository's file); an empty set when there is none. */
export async function loadCatalogueLeaves(db: Sql, resourcesDir: string): Promise<ReadonlySet<string>> {
  const [published] = await db.query<{ content: string }>(
    `SELECT v.content FROM reference_current c JOIN reference_versions v ON v.kind = c.kind AND v.version = c.version WHERE c.kind = 'catalogue'`,
  );
  const fromHub = published ? readLeaves(published.content) : null;
  if (fromHub) return fromHub;
  const file = join(resourcesDir, 'catalogue', 'catalogue.csv');
  return (existsSync(file) ? readLeaves(readFileSync(file, 'utf8')) : null) ?? new Set();
}

export function directoryOf(units: readonly Unit[], places: readonly Place[] = [], source = '启动参数'): UnitDirectory {
  return { units: new Map(units.map((u) => [u.code, u])), placeNames: new Map(places.map((p) => [p.code, p.shortName])), source };
}

function readDirectory(placesCsv: string, unitsCsv: string, source: string): UnitDirectory | null {
  const placesTable = csvTable(placesCsv);
  const unitsTable = csvTable(unitsCsv);
  if (!placesTable.ok || !unitsTable.ok) return null;
  const places = checkPlaces(placesTable.value);
  if (!places.ok) return null;
  const units = checkUnits(unitsTable.value, places.items);
  if (!units.ok) return null;
  return directoryOf(units.items, places.items, source);
}

export async function loadUnitDirectory(db: Sql, resourcesDir: string): Promise<UnitDirectory> {
  const rows = await db.query<{ kind: string; content: string }>(
    `SELECT v.kind, v.content FROM reference_current c JOIN reference_versions v ON v.kind = c.kind AND v.version = c.version
      WHERE c.kind IN ('places', 'units')`,
  );
  const published = new Map(rows.map((r) => [r.kind, r.content]));
  if (published.has('places') && published.has('units')) {
    const dir = readDirectory(published.get('places')!, published.get('units')!, '中心已发布的行政区划与承办单位');
    if (dir) return dir;
  }
  const placesFile = join(resourcesDir, 'places', 'beijing-places.csv');
  const unitsFile = join(resourcesDir, 'units', 'departments.csv');
  if (existsSync(placesFile) && existsSync(unitsFile)) {
    const dir = readDirectory(readFileSync(placesFile, 'utf8'), readFileSync(unitsFile, 'utf8'), `${resourcesDir} 中的单位名录`);
    if (dir) return dir;
  }
  return directoryOf([], [], '（无单位名录）');
}
