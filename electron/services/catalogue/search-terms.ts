/**
 * Search terms for the catalogue, with their pinyin, computed once when a catalogue is imported and
 * stored with it (catalogue_nodes.search_terms). Start-up never runs this: pinyin-pro's dictionary
 * is large and converting ~25,000 terms takes a noticeable fraction of a second, which the desk
 * must not spend while a call is ringing. The renderer builds its index from the stored result
 * (shared/search/catalogue-index.ts).
 */
import { parse } from 'csv-parse/sync';
import { pinyin } from 'pinyin-pro';
import {
  REQUEST_TYPES,
  URGENCIES,
  type CatalogueNode,
  type CatalogueSearchEntry,
  type Owner,
  type RequestType,
  type SearchTerm,
  type Urgency,
} from '../../../shared/domain/catalogue';

const HAN = /\p{Script=Han}/u;

/**
 * One syllable (or one literal character) per UTF-16 unit of `text`, lower case, toneless, with
 * ü written as v — the way every pinyin IME types it ("lvhua" for 绿化). Contextual readings come
 * from pinyin-pro converting the whole term at once (银行 → yin hang, 行长 → hang zhang).
 */
export function syllablesOf(text: string): string[] {
  const raw = pinyin(text, { toneType: 'none', type: 'array' });
  // pinyin-pro yields one item per character; if it ever groups differently (astral characters),
  // fall back to one character at a time so positions still line up with the text.
  const items = raw.length === text.length ? raw : [...text].flatMap((ch) => {
    const one = pinyin(ch, { toneType: 'none', type: 'array' }).join('');
    return ch.length === 2 ? [one, ''] : [one];
  });
  return items.map((item, i) => {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) return '';
    const lower = item.toLowerCase().replace(/ü/g, 'v');
    // Characters without a reading (punctuation, rare glyphs) stay themselves, so "PM2.5" reads "pm2.5".
    return HAN.test(ch) && /^[a-z]+$/.test(lower) ? lower : ch.toLowerCase();
  });
}

/** A term with its pinyin and initials; `cache` shares the work across leaves (ancestor names repeat). */
export function searchTerm(kind: SearchTerm['kind'], text: string, cache?: Map<string, { pinyin: string; initials: string }>): SearchTerm {
  let reading = cache?.get(text);
  if (!reading) {
    const syllables = syllablesOf(text);
    reading = { pinyin: syllables.join(''), initials: syllables.map((s) => s.charAt(0)).join('') };
    cache?.set(text, reading);
  }
  return { kind, text, pinyin: reading.pinyin, initials: reading.initials };
}

/**
 * One entry per leaf (三级): its path 一级 → 三级 and every term a call-taker might type — the leaf
 * name, its two ancestors (kind 'path'), each keyword and each synonym. A text that appears twice
 * on one leaf is kept once, under its strongest kind (name > path > keyword > synonym).
 */
export function buildSearchEntries(nodes: readonly CatalogueNode[]): CatalogueSearchEntry[] {
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  const cache = new Map<string, { pinyin: string; initials: string }>();
  const entries: CatalogueSearchEntry[] = [];
  for (const leaf of nodes) {
    if (leaf.level !== 3) continue;
    const ancestors: CatalogueNode[] = [];
    for (let at = leaf.parentCode ? byCode.get(leaf.parentCode) : undefined; at; at = at.parentCode ? byCode.get(at.parentCode) : undefined) {
      ancestors.unshift(at);
      if (ancestors.length > 3) break; // a cycle in bad data must not hang the import
    }
    const path = [...ancestors.map((a) => a.name), leaf.name];
    const seen = new Set<string>();
    const terms: SearchTerm[] = [];
    const add = (kind: SearchTerm['kind'], raw: string) => {
      const text = raw.trim();
      if (!text || seen.has(text)) return;
      seen.add(text);
      terms.push(searchTerm(kind, text, cache));
    };
    add('name', leaf.name);
    for (const a of [...ancestors].reverse()) add('path', a.name); // 二级 before 一级: the nearer ancestor is the more telling one
    for (const k of leaf.keywords) add('keyword', k);
    for (const s of leaf.synonyms) add('synonym', s);
    entries.push({ code: leaf.code, path, terms });
  }
  return entries;
}

/**
 * Reads catalogue.csv into nodes FOR TESTS AND BENCHMARKS ONLY. It checks nothing: the desk's real
 * importer (shared/reference/validate.ts) rejects a broken tree with line numbers; this
 * one just maps columns so tests and benches can build entries straight from the bundled file.
 */
export function parseCatalogueCsv(text: string): CatalogueNode[] {
  const rows = parse(text, { columns: true, bom: true, trim: true, skip_empty_lines: true }) as Array<Record<string, string | undefined>>;
  const list = (value: string | undefined) => (value ?? '').split('|').map((s) => s.trim()).filter(Boolean);
  return rows.map((r) => {
    const ownerText = r.owner ?? '';
    const owner: Owner = ownerText === '' || ownerText === '属地' ? { kind: 'local' } : { kind: 'unit', unitCode: ownerText };
    const level = Number(r.level);
    return {
      code: r.code ?? '',
      level: level === 1 || level === 2 ? level : 3,
      name: r.name ?? '',
      parentCode: r.parent_code || null,
      keywords: list(r.keywords),
      synonyms: list(r.synonyms),
      requestTypes: list(r.request_types).filter((t): t is RequestType => (REQUEST_TYPES as readonly string[]).includes(t)),
      urgency: (URGENCIES as readonly string[]).includes(r.urgency ?? '') ? (r.urgency as Urgency) : '一般',
      owner,
      coordination: r.coordination === '是',
    };
  });
}
