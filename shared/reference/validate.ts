/**
 * The rules a reference file (places, units, catalogue, knowledge base) must pass before anything is
 * written, on the desk (electron/services/reference/reference-data.ts) and at the hub before it
 * publishes a version (server/reference.ts). Every problem is reported with its line number and a
 * reason in Chinese; one problem rejects the whole file and the current data stays. Pure: the file is
 * read into a `Table` by whoever holds it (electron/services/import/table.ts on the desk). A set of
 * codes given as null is not known (the hub may not hold the kind a file names): that check is left
 * to the desks, which hold every kind.
 */
import { levelOfCode, REQUEST_TYPES, URGENCIES, type CatalogueNode, type RequestType, type Urgency } from '../domain/catalogue';
import type { KbArticle } from '../domain/kb';
import type { Place, PlaceLevel, Unit, UnitKind } from '../domain/places';
import { isCalendarDate } from '../time';

export interface TableRow {
  line: number;
  values: Record<string, string>;
}

export interface ImportProblem {
  /** 0 when the problem is the whole file (missing column, unreadable). */
  line: number;
  message: string;
}

export interface Table {
  columns: string[];
  rows: TableRow[];
}

export function missingColumns(table: Table, required: readonly string[]): ImportProblem[] {
  return required.filter((c) => !table.columns.includes(c)).map((c) => ({ line: 1, message: `缺少列“${c}”` }));
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[|｜]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export type Checked<T> = { ok: true; items: T[] } | { ok: false; problems: ImportProblem[] };

const YES = new Set(['是', '1', 'true', 'TRUE', 'Y', 'y']);
const NO = new Set(['否', '0', 'false', 'FALSE', 'N', 'n', '']);

export const CATALOGUE_COLUMNS = ['code', 'level', 'name', 'parent_code', 'keywords', 'synonyms', 'request_types', 'urgency', 'owner', 'coordination'] as const;

export function checkCatalogue(table: Table, unitCodes: ReadonlySet<string> | null): Checked<CatalogueNode> {
  const problems = missingColumns(table, CATALOGUE_COLUMNS);
  if (problems.length) return { ok: false, problems };
  const byCode = new Map<string, { line: number; level: number }>();
  for (const { line, values } of table.rows) {
    const prior = byCode.get(values.code!);
    if (prior) problems.push({ line, message: `编码“${values.code}”重复（第 ${prior.line} 行已使用）` });
    else if (values.code) byCode.set(values.code, { line, level: Number(values.level) });
  }
  const nodes: CatalogueNode[] = [];
  const siblings = new Map<string, Map<string, number>>();
  const childCount = new Map<string, number>();
  for (const { line, values } of table.rows) {
    const code = values.code ?? '';
    const name = values.name ?? '';
    const level = Number(values.level);
    const parent = values.parent_code || null;
    const at = (message: string) => problems.push({ line, message });
    if (!code) at('编码为空');
    if (!name) at('名称为空');
    if (![1, 2, 3].includes(level)) {
      at(`层级“${values.level}”无效，应为 1、2 或 3`);
      continue;
    }
    if (code && levelOfCode(code) !== level) at(`编码“${code}”与层级 ${level} 不符（一级 2 位、二级 4 位、三级 7 位数字）`);
    if (level === 1 && parent) at('一级分类不应有上级编码');
    if (level > 1) {
      const p = parent ? byCode.get(parent) : undefined;
      if (!parent) at(`${level === 2 ? '二级' : '三级'}分类缺少上级编码`);
      else if (!p) at(`上级编码“${parent}”不存在`);
      else if (p.level !== level - 1) at(`层级错误：上级“${parent}”是第 ${p.level} 级，本行是第 ${level} 级`);
      else if (!code.startsWith(parent)) at(`编码“${code}”应以上级编码“${parent}”开头`);
      if (parent) childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
    }
    const key = parent ?? '';
    const names = siblings.get(key) ?? new Map<string, number>();
    if (name && names.has(name)) at(`同一上级下名称“${name}”重复（第 ${names.get(name)} 行）`);
    names.set(name, line);
    siblings.set(key, names);

    const keywords = splitList(values.keywords);
    const synonyms = splitList(values.synonyms);
    const requestTypes = splitList(values.request_types);
    const urgency = (values.urgency || '一般') as Urgency;
    const owner = values.owner ?? '';
    const coordination = values.coordination ?? '';
    if (level === 3) {
      if (keywords.length === 0) at('三级分类至少需要一个关键词');
      if (!owner) at('三级分类缺少承办单位（属地或单位编码）');
    }
    for (const t of requestTypes) if (!(REQUEST_TYPES as readonly string[]).includes(t)) at(`诉求类型“${t}”无效`);
    if (!(URGENCIES as readonly string[]).includes(urgency)) at(`紧急程度“${urgency}”无效，应为 一般、紧急 或 即时`);
    if (owner && owner !== '属地' && unitCodes && !unitCodes.has(owner)) at(`未知单位“${owner}”`);
    if (!YES.has(coordination) && !NO.has(coordination)) at(`是否协调“${coordination}”无效，应为 是 或 否`);
    nodes.push({
      code,
      level: level as 1 | 2 | 3,
      name,
      parentCode: parent,
      keywords,
      synonyms,
      requestTypes: requestTypes as RequestType[],
      urgency,
      owner: owner && owner !== '属地' ? { kind: 'unit', unitCode: owner } : { kind: 'local' },
      coordination: YES.has(coordination),
    });
  }
  for (const { line, values } of table.rows) {
    const level = Number(values.level);
    if ((level === 1 || level === 2) && values.code && !childCount.get(values.code)) {
      problems.push({ line, message: `${level === 1 ? '一级' : '二级'}分类“${values.name}”下没有下级分类` });
    }
  }
  if (table.rows.length === 0) problems.push({ line: 0, message: '文件中没有分类' });
  return problems.length ? { ok: false, problems: sortProblems(problems) } : { ok: true, items: nodes };
}

export const PLACE_COLUMNS = ['code', 'level', 'name', 'short_name', 'parent_code'] as const;

export function checkPlaces(table: Table): Checked<Place> {
  const problems = missingColumns(table, PLACE_COLUMNS);
  if (problems.length) return { ok: false, problems };
  const levels: Record<string, { digits: number; parent: PlaceLevel | null }> = {
    district: { digits: 6, parent: null },
    street: { digits: 9, parent: 'district' },
    village: { digits: 12, parent: 'street' },
  };
  const byCode = new Map<string, { line: number; level: string }>();
  for (const { line, values } of table.rows) {
    if (byCode.has(values.code!)) problems.push({ line, message: `编码“${values.code}”重复（第 ${byCode.get(values.code!)!.line} 行）` });
    else byCode.set(values.code!, { line, level: values.level! });
  }
  const places: Place[] = [];
  for (const { line, values } of table.rows) {
    const rule = levels[values.level ?? ''];
    const at = (message: string) => problems.push({ line, message });
    if (!rule) {
      at(`层级“${values.level}”无效，应为 district、street 或 village`);
      continue;
    }
    if (!new RegExp(`^\\d{${rule.digits}}$`).test(values.code ?? '')) at(`编码“${values.code}”应为 ${rule.digits} 位数字`);
    if (!values.name) at('名称为空');
    const parent = values.parent_code || null;
    if (rule.parent) {
      const p = parent ? byCode.get(parent) : undefined;
      if (!p) at(`上级编码“${parent ?? ''}”不存在`);
      else if (p.level !== rule.parent) at(`上级“${parent}”不是${rule.parent === 'district' ? '区' : '街道乡镇'}`);
    } else if (parent) at('区不应有上级编码');
    places.push({ code: values.code!, level: values.level as PlaceLevel, name: values.name!, shortName: values.short_name || values.name!, parentCode: parent });
  }
  return problems.length ? { ok: false, problems: sortProblems(problems) } : { ok: true, items: places };
}

export const UNIT_COLUMNS = ['code', 'name', 'kind', 'duties'] as const;
const UNIT_KINDS: readonly UnitKind[] = ['department', 'utility'];

/** Departments and utilities from a file; street units, sub-centers and the city center come from places. */
export function checkUnits(table: Table, places: readonly Place[]): Checked<Unit> {
  const problems = missingColumns(table, UNIT_COLUMNS);
  if (problems.length) return { ok: false, problems };
  const units: Unit[] = [{ code: 'CITY', name: '北京市12345市民服务热线中心', kind: 'city_center', districtCode: null, placeCode: null, duties: '跨区、区属不明诉求的协调派单与督办' }];
  for (const p of places) {
    if (p.level === 'district') {
      units.push({ code: `SC${p.code}`, name: `${p.name}接诉即办分中心`, kind: 'subcenter', districtCode: p.code, placeCode: null, duties: `${p.name}范围内需协调诉求的派单、督办与回访` });
    } else if (p.level === 'street') {
      units.push({ code: `ST${p.code}`, name: p.name, kind: 'street', districtCode: p.parentCode, placeCode: p.code, duties: '属地诉求的接单、办理与回复' });
    }
  }
  const seen = new Map(units.map((u) => [u.code, 0]));
  for (const { line, values } of table.rows) {
    const at = (message: string) => problems.push({ line, message });
    const code = values.code ?? '';
    if (!code) at('单位编码为空');
    else if (seen.has(code)) at(`单位编码“${code}”重复${seen.get(code) ? `（第 ${seen.get(code)} 行）` : '（与区划生成的单位冲突）'}`);
    seen.set(code, line);
    if (!values.name) at('单位名称为空');
    if (!(UNIT_KINDS as readonly string[]).includes(values.kind ?? '')) at(`单位类型“${values.kind}”无效，应为 department 或 utility`);
    units.push({ code, name: values.name ?? '', kind: values.kind as UnitKind, districtCode: null, placeCode: null, duties: values.duties ?? '' });
  }
  return problems.length ? { ok: false, problems: sortProblems(problems) } : { ok: true, items: units };
}

export const KB_COLUMNS = ['id', 'title', 'questions', 'answer', 'source', 'valid_until', 'leaf_codes'] as const;

export function checkKb(table: Table, leafCodes: ReadonlySet<string> | null, unitCodes: ReadonlySet<string> | null): Checked<KbArticle> {
  const problems = missingColumns(table, KB_COLUMNS);
  if (problems.length) return { ok: false, problems };
  const ids = new Map<string, number>();
  const articles: KbArticle[] = [];
  for (const { line, values } of table.rows) {
    const at = (message: string) => problems.push({ line, message });
    const id = values.id ?? '';
    if (!id) at('文章编号为空');
    else if (ids.has(id)) at(`文章编号“${id}”重复（第 ${ids.get(id)} 行）`);
    ids.set(id, line);
    if (!values.title) at('标题为空');
    if (!values.answer) at('答复内容为空');
    const source = values.source ?? '';
    if (!source) at('来源单位为空');
    else if (unitCodes && !unitCodes.has(source)) at(`未知来源单位“${source}”`);
    const validUntil = values.valid_until ?? '';
    if (!isCalendarDate(validUntil)) at(`有效期“${validUntil}”不是日期（YYYY-MM-DD）`);
    const leaves = splitList(values.leaf_codes);
    for (const leaf of leaves) if (leafCodes && !leafCodes.has(leaf)) at(`关联分类“${leaf}”不是现有的三级分类`);
    articles.push({ id, title: values.title ?? '', questions: splitList(values.questions), answer: values.answer ?? '', sourceUnit: source, validUntil, leafCodes: leaves });
  }
  return problems.length ? { ok: false, problems: sortProblems(problems) } : { ok: true, items: articles };
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}

/**
 * Why a well-formed file may still not replace the current version: a file with no rows never does
 * (an empty export would wipe every desk's knowledge base), and one with less than half the rows in
 * force only when the person importing or publishing it says so (`force`).
 */
export function sizeProblem(rows: number, current: number, force: boolean): ImportProblem | null {
  if (rows === 0) return { line: 0, message: '文件中没有任何数据行，空文件不能替换现有数据' };
  if (!force && current > 0 && rows * 2 < current) {
    return { line: 0, message: `文件只有 ${rows} 条，不到现有 ${current} 条的一半；确需替换，请选择强制导入` };
  }
  return null;
}
