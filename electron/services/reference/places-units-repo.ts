/** The only writers of `places` and `units`. */
import type { Place, PlaceLevel, Unit, UnitKind } from '../../../shared/domain/places';
import type { Db } from '../store/database';

export class PlacesRepo {
  constructor(private readonly db: Db) {}

  replaceAll(places: readonly Place[]): void {
    this.db.prepare('DELETE FROM places').run();
    const insert = this.db.prepare('INSERT INTO places (code, level, name, short_name, parent_code) VALUES (?, ?, ?, ?, ?)');
    for (const p of places) insert.run(p.code, p.level, p.name, p.shortName, p.parentCode);
  }

  all(): Place[] {
    return this.db
      .prepare<[], { code: string; level: PlaceLevel; name: string; short_name: string; parent_code: string | null }>(
        'SELECT code, level, name, short_name, parent_code FROM places ORDER BY code',
      )
      .all()
      .map((r) => ({ code: r.code, level: r.level, name: r.name, shortName: r.short_name, parentCode: r.parent_code }));
  }

  get(code: string): Place | null {
    const r = this.db
      .prepare<[string], { code: string; level: PlaceLevel; name: string; short_name: string; parent_code: string | null }>(
        'SELECT code, level, name, short_name, parent_code FROM places WHERE code = ?',
      )
      .get(code);
    return r ? { code: r.code, level: r.level, name: r.name, shortName: r.short_name, parentCode: r.parent_code } : null;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM places').get() as { n: number }).n;
  }
}

interface UnitRow {
  code: string;
  name: string;
  kind: UnitKind;
  district_code: string | null;
  place_code: string | null;
  duties: string;
}

const toUnit = (r: UnitRow): Unit => ({ code: r.code, name: r.name, kind: r.kind, districtCode: r.district_code, placeCode: r.place_code, duties: r.duties });

export class UnitsRepo {
  constructor(private readonly db: Db) {}

  replaceAll(units: readonly Unit[]): void {
    this.db.prepare('DELETE FROM units').run();
    const insert = this.db.prepare('INSERT INTO units (code, name, kind, district_code, place_code, duties) VALUES (?, ?, ?, ?, ?, ?)');
    for (const u of units) insert.run(u.code, u.name, u.kind, u.districtCode, u.placeCode, u.duties);
  }

  get(code: string): Unit | null {
    const row = this.db.prepare<[string], UnitRow>('SELECT * FROM units WHERE code = ?').get(code);
    return row ? toUnit(row) : null;
  }

  all(): Unit[] {
    return this.db.prepare<[], UnitRow>('SELECT * FROM units ORDER BY code').all().map(toUnit);
  }

  codes(): Set<string> {
    return new Set(this.db.prepare<[], { code: string }>('SELECT code FROM units').all().map((r) => r.code));
  }

  /** The street-level unit for a street/township place code. */
  streetUnit(placeCode: string): Unit | null {
    const row = this.db.prepare<[string], UnitRow>("SELECT * FROM units WHERE place_code = ? AND kind = 'street'").get(placeCode);
    return row ? toUnit(row) : null;
  }

  subcenter(districtCode: string): Unit | null {
    const row = this.db.prepare<[string], UnitRow>("SELECT * FROM units WHERE district_code = ? AND kind = 'subcenter'").get(districtCode);
    return row ? toUnit(row) : null;
  }
}
