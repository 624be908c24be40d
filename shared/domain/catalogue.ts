/**
 * The 派单目录 (classification catalogue): 一级 → 二级 → 三级. Counts are whatever the data holds;
 * nothing in code assumes 48/490/2509. Codes are stable across versions: 一级 "NN", 二级 "NNNN",
 * 三级 "NNNNNNN" (parent code + a 2- or 3-digit serial).
 */
export const REQUEST_TYPES = ['咨询', '求助', '投诉', '举报', '建议', '表扬'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** 一般; 紧急 = life or property at risk; 即时 = 水电气热 repairs dispatched within 15 minutes. */
export const URGENCIES = ['一般', '紧急', '即时'] as const;
export type Urgency = (typeof URGENCIES)[number];

export type Owner = { kind: 'local' } | { kind: 'unit'; unitCode: string };

export interface CatalogueNode {
  code: string;
  level: 1 | 2 | 3;
  name: string;
  parentCode: string | null;
  keywords: string[];
  synonyms: string[];
  requestTypes: RequestType[];
  urgency: Urgency;
  /** Who handles it: the street/township where it happened (属地), or one named unit. */
  owner: Owner;
  /** Several units must coordinate: goes to the district sub-center. */
  coordination: boolean;
}

/** A searchable term with its pinyin, computed once at import time (never at start-up). */
export interface SearchTerm {
  kind: 'name' | 'path' | 'keyword' | 'synonym';
  text: string;
  /** Full pinyin without tones or spaces, lower case: "nuanqibure". */
  pinyin: string;
  /** First letters: "nqbr". */
  initials: string;
}

/** One leaf as the search index needs it: the full path and every term to match. */
export interface CatalogueSearchEntry {
  code: string;
  /** Names from 一级 to this leaf. */
  path: string[];
  terms: SearchTerm[];
}

export function formatPath(path: readonly string[]): string {
  return path.join('—');
}

export function levelOfCode(code: string): 1 | 2 | 3 | null {
  if (/^\d{2}$/.test(code)) return 1;
  if (/^\d{4}$/.test(code)) return 2;
  if (/^\d{7}$/.test(code)) return 3;
  return null;
}
