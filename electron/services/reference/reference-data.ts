/**
 * Reference data on the desk: places, units, the catalogue and the knowledge base. Imports read a
 * CSV or XLSX file, check every rule (shared/reference/validate.ts), and only then replace the stored
 * version in one transaction — a rejected file leaves the current data exactly as it was. A file with
 * no rows is always refused, one with less than half the rows in force unless `force` is given
 * (`sizeProblem`). Pinyin for catalogue search is computed here, at import, and stored; start-up
 * never computes it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SearchTerm } from '../../../shared/domain/catalogue';
import { fail, ok, type Result } from '../../../shared/result';
import { buildSearchEntries } from '../catalogue/search-terms';
import { readTable, type ImportFormat, type ImportProblem } from '../import/table';
import type { Db } from '../store/database';
import { CatalogueRepo } from './catalogue-repo';
import { KbRepo } from './kb-repo';
import { PlacesRepo, UnitsRepo } from './places-units-repo';
import { checkCatalogue, checkKb, checkPlaces, checkUnits, sizeProblem, type Checked } from '../../../shared/reference/validate';
import { VersionsRepo, type RefKind, type RefVersion } from './versions-repo';

export const REF_KIND_LABEL: Record<RefKind, string> = { places: '行政区划', units: '承办单位', catalogue: '派单目录', kb: '知识库' };

/** Bundled files, in the order they must load (each kind is checked against the ones before it). */
export const BUNDLED_FILES: ReadonlyArray<[RefKind, string]> = [
  ['places', join('places', 'beijing-places.csv')],
  ['units', join('units', 'departments.csv')],
  ['catalogue', join('catalogue', 'catalogue.csv')],
  ['kb', join('kb', 'knowledge-base.csv')],
];

export interface ImportReport {
  kind: RefKind;
  version: string;
  itemCount: number;
}

export interface ImportOptions {
  /** The version to record (the hub's, for data pulled from it); else the content's hash. */
  version?: string;
  /** Replace even when the file holds less than half of the current rows (never when it holds none). */
  force?: boolean;
}

export function contentVersion(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

export class ReferenceData {
  readonly catalogue: CatalogueRepo;
  readonly places: PlacesRepo;
  readonly units: UnitsRepo;
  readonly kb: KbRepo;
  readonly versions: VersionsRepo;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.catalogue = new CatalogueRepo(db);
    this.places = new PlacesRepo(db);
    this.units = new UnitsRepo(db);
    this.kb = new KbRepo(db);
    this.versions = new VersionsRepo(db);
  }

  /** How many rows of its file the kind in force holds (units: the departments and utilities, not the ones places make). */
  fileRowCount(kind: RefKind): number {
    switch (kind) {
      case 'places':
        return this.places.all().length;
      case 'units':
        return this.units.all().filter((u) => u.kind === 'department' || u.kind === 'utility').length;
      case 'catalogue':
        return this.catalogue.all().length;
      case 'kb':
        return this.kb.count();
    }
  }

  async importFile(kind: RefKind, content: Uint8Array, format: ImportFormat, source: string, options: ImportOptions = {}): Promise<Result<ImportReport>> {
    const version = options.version ?? contentVersion(content);
    const table = await readTable(content, format);
    if (!table.ok) return table;
    const rejected = (problems: ImportProblem[]) =>
      fail<ImportReport>('rejected', `${REF_KIND_LABEL[kind]}导入被拒绝：共 ${problems.length} 处问题，现有数据未改动`, { problems });
    const rows = table.value.rows.length;
    const stamp = (itemCount: number): RefVersion => ({ kind, version, source, itemCount, importedAt: this.now().toISOString() });
    const commit = <T>(checked: Checked<T>, write: (items: T[]) => void): Result<ImportReport> => {
      if (!checked.ok) return rejected(checked.problems);
      // A file that passes every rule may still hold nothing, or far less than what it replaces.
      const current = this.fileRowCount(kind);
      const size = sizeProblem(rows, current, options.force ?? false);
      if (size) {
        return fail<ImportReport>('rejected', `${REF_KIND_LABEL[kind]}导入被拒绝：${size.message}，现有数据未改动`, {
          problems: [size],
          size: { rows, current, forceable: rows > 0 },
        });
      }
      this.db.transaction(() => {
        write(checked.items);
        this.versions.set(stamp(checked.items.length));
      })();
      return ok({ kind, version, itemCount: checked.items.length });
    };

    switch (kind) {
      case 'places':
        return commit(checkPlaces(table.value), (items) => this.places.replaceAll(items));
      case 'units': {
        const places = this.places.all();
        if (places.length === 0) return fail('rejected', '请先导入行政区划，再导入承办单位');
        const checked = checkUnits(table.value, places);
        if (!checked.ok) return rejected(checked.problems);
        // A directory that drops a unit the catalogue or the knowledge base still names would leave
        // tickets with nowhere to go: name every such reference instead.
        const kept = new Set(checked.items.map((u) => u.code));
        const dangling = [...this.catalogue.ownerUnitCodes(), ...this.kb.sourceUnitCodes()].filter((code) => !kept.has(code));
        if (dangling.length) {
          return rejected([...new Set(dangling)].map((code) => ({ line: 0, message: `单位“${code}”仍被派单目录或知识库引用，不能删除` })));
        }
        return commit(checked, (items) => this.units.replaceAll(items));
      }
      case 'catalogue': {
        const checked = checkCatalogue(table.value, this.units.codes());
        if (!checked.ok) return rejected(checked.problems);
        const terms = new Map<string, SearchTerm[]>(buildSearchEntries(checked.items).map((e) => [e.code, e.terms]));
        return commit(checked, (items) => this.catalogue.replaceAll(items, terms));
      }
      case 'kb':
        return commit(checkKb(table.value, this.catalogue.leafCodes(), this.units.codes()), (items) => this.kb.replaceAll(items));
    }
  }

  /**
   * Loads the bundled files that differ from what the desk holds. Data that came from the hub is
   * newer than what shipped and is never replaced by the bundle.
   */
  async loadBundled(resourcesDir: string, onProgress: (message: string) => void = () => {}): Promise<Result<ImportReport[]>> {
    const reports: ImportReport[] = [];
    for (const [kind, file] of BUNDLED_FILES) {
      const path = join(resourcesDir, file);
      if (!existsSync(path)) return fail('unavailable', `找不到随程序提供的${REF_KIND_LABEL[kind]}文件 ${path}`);
      const content = readFileSync(path);
      const version = contentVersion(content);
      const current = this.versions.get(kind);
      if (current && (current.version === version || current.source !== 'bundled')) continue;
      onProgress(`正在载入${REF_KIND_LABEL[kind]}…`);
      // A newer build may ship fewer rows on purpose; an empty file is still refused.
      const result = await this.importFile(kind, content, 'csv', 'bundled', { version, force: true });
      if (!result.ok) return result;
      reports.push(result.value);
    }
    return ok(reports);
  }
}
