/**
 * The bundled reference files and the phrase fixtures, read as the tests and benches use them:
 * resources/places/beijing-places.csv, resources/places/landmarks.tsv, resources/catalogue/catalogue.csv,
 * test/fixtures/caller-phrasings.tsv, test/fixtures/address-phrasings.tsv and
 * test/fixtures/landmark-phrasings.tsv.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLandmarks, type Landmark } from '../../shared/address/landmarks';
import type { Place } from '../../shared/domain/places';
import { ROOT } from './host-process';

/** What a caller types into the catalogue search, and the leaf it means. */
export interface CallerPhrasing {
  query: string;
  expected_code: string;
  kind: 'typed' | 'pinyin' | 'initials' | 'typo' | 'colloquial';
}

/** How a caller says a place, and the official names it means (street and village may be empty). */
export interface AddressPhrasing {
  phrase: string;
  district: string;
  street: string;
  village: string;
}

/** How a caller names a landmark, and the district and street it lies in (street empty: district only). */
export interface LandmarkPhrasing {
  phrase: string;
  district: string;
  street: string;
}

function readFixtureTsv(name: string): unknown[] {
  return parse(readFileSync(join(ROOT, 'test', 'fixtures', name)), { columns: true, delimiter: '\t', quote: false, bom: true }) as unknown[];
}

export const callerPhrasings = () => readFixtureTsv('caller-phrasings.tsv') as CallerPhrasing[];
export const addressPhrasings = () => readFixtureTsv('address-phrasings.tsv') as AddressPhrasing[];
export const landmarkPhrasings = () => readFixtureTsv('landmark-phrasings.tsv') as LandmarkPhrasing[];

export const catalogueCsv = () => readFileSync(join(ROOT, 'resources', 'catalogue', 'catalogue.csv'), 'utf8');
export const placesCsv = () => readFileSync(join(ROOT, 'resources', 'places', 'beijing-places.csv'));
export const landmarksTsv = () => readFileSync(join(ROOT, 'resources', 'places', 'landmarks.tsv'), 'utf8');
/** The gazetteer as the desk loads it (problems would leave lines out; the tests check there are none). */
export const landmarks = (): Landmark[] => parseLandmarks(landmarksTsv()).landmarks;

/** The places of beijing-places.csv (the bench times this parse as its baseline). */
export function parsePlaces(csv: Buffer | string): Place[] {
  const rows = parse(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
  return rows.map((r) => ({
    code: r.code!,
    level: r.level as Place['level'],
    name: r.name!,
    shortName: r.short_name || r.name!,
    parentCode: r.parent_code || null,
  }));
}
