/**
 * The baseline the catalogue search is measured against (test/unit/catalogue-search.test.ts for
 * recall, bench/catalogue-search.bench.ts for speed): fuse.js as one would first write it, with
 * default options over each leaf's name, path, keywords and synonyms.
 */
import Fuse from 'fuse.js';
import type { CatalogueSearchEntry } from '../../shared/domain/catalogue';

export function fuseBaseline(entries: readonly CatalogueSearchEntry[]) {
  const items = entries.map((e) => ({
    code: e.code,
    name: e.path[e.path.length - 1]!,
    path: e.path.slice(0, -1),
    keywords: e.terms.filter((t) => t.kind === 'keyword').map((t) => t.text),
    synonyms: e.terms.filter((t) => t.kind === 'synonym').map((t) => t.text),
  }));
  return new Fuse(items, { keys: ['name', 'path', 'keywords', 'synonyms'] });
}
