/**
 * Landmarks callers name instead of an address ("西单附近", "国贸那边", "鸟巢旁边的小区"): the gazetteer
 * resources/places/landmarks.tsv, one landmark a line, mapped to the street or township it lies in,
 * or to its district only where it spans streets or its street is not certain. The address resolver
 * (shared/address/resolve.ts) takes the parsed list beside the places.
 *
 * Pure: whoever holds the file reads it (electron/services/reference/landmarks-file.ts on the desk)
 * and hands the text to `parseLandmarks`.
 */

export const LANDMARK_KINDS = ['商圈', '交通枢纽', '医院', '高校', '公园', '大型社区', '景点'] as const;
export type LandmarkKind = (typeof LANDMARK_KINDS)[number];

export interface Landmark {
  /** What it is usually called: "西单", "北京南站". */
  name: string;
  /** Other names callers use: "国贸大厦", "301医院". */
  aliases: string[];
  /** Official district name, as in the places data: "西城区". */
  district: string;
  /** Official street/township name, as in the places data; null: only the district is known. */
  street: string | null;
  kind: LandmarkKind;
  note: string;
}

/** Where the gazetteer lives, relative to the resources folder, one path segment each. */
export const LANDMARKS_FILE = ['places', 'landmarks.tsv'] as const;

const COLUMNS = ['name', 'aliases', 'district', 'street', 'kind', 'note'] as const;

export interface ParsedLandmarks {
  landmarks: Landmark[];
  /** "第 12 行：…", one per line left out; the other lines are still used. */
  problems: string[];
}

/**
 * Reads landmarks.tsv: a header line with the six columns, then one landmark a line, tab-separated,
 * aliases separated by "|". A line that breaks a rule is left out and named in `problems`.
 */
export function parseLandmarks(text: string): ParsedLandmarks {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((c) => c.trim());
  if (COLUMNS.some((c, i) => header[i] !== c)) {
    return { landmarks: [], problems: [`第 1 行：表头应为 ${COLUMNS.join('、')}`] };
  }
  const landmarks: Landmark[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const [name = '', aliases = '', district = '', street = '', kind = '', note = ''] = line.split('\t').map((c) => c.trim());
    const at = `第 ${i + 1} 行`;
    if (!name || !district) {
      problems.push(`${at}：缺少名称或所在区`);
      continue;
    }
    if (!(LANDMARK_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${at}：类别“${kind}”不在 ${LANDMARK_KINDS.join('、')} 之内`);
      continue;
    }
    const names = [name, ...aliases.split('|').map((a) => a.trim()).filter(Boolean)];
    const repeated = names.find((n) => seen.has(n));
    if (repeated) {
      problems.push(`${at}：名称“${repeated}”已在前面出现`);
      continue;
    }
    for (const n of names) seen.add(n);
    landmarks.push({ name, aliases: names.slice(1), district, street: street || null, kind: kind as LandmarkKind, note });
  }
  return { landmarks, problems };
}
