/**
 * Comments and documents point at files that exist in this repository: every repo path named in
 * source comments, the README and docs/ resolves, and nothing cites a design document outside the
 * repo (the map is docs/architecture.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE_DIRS = ['shared', 'electron', 'renderer', 'server', 'scripts', 'test', 'bench', 'docs'];
const TEXT = /\.(ts|tsx|mjs|cjs|js|md)$/;
/** A path into the repo as comments write it: a top-level folder, then a file with an extension (globs and placeholders are not paths). */
const REPO_PATH = /(?<![\w./-])((?:shared|electron|renderer|server|scripts|test|bench|resources|docs)\/[\w./-]*\w\.(?:ts|tsx|mjs|cjs|json|md|csv|tsv|css|html|yml))(?![\w*<>])/g;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'fixtures') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (TEXT.test(name)) out.push(full);
  }
  return out;
}

const files = [...SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d))), join(ROOT, 'README.md'), join(ROOT, 'resources', 'README.md')].filter(existsSync);

/** The prose of a file: all of a document, the comment lines of code (strings in code are data, e.g. fixture paths). */
function prose(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.md')) return text;
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (/^(\/\/|\/\*|\*)/.test(trimmed)) return trimmed;
      const tail = line.indexOf(' // ');
      return tail >= 0 ? line.slice(tail) : '';
    })
    .join('\n');
}

describe('paths named in comments and docs', () => {
  it('every repo path a comment or document names exists', () => {
    const missing: string[] = [];
    for (const file of files) {
      for (const match of prose(file).matchAll(REPO_PATH)) {
        const path = match[1]!;
        if (/NN|YYYY/.test(path)) continue; // a pattern, e.g. resources/catalogue/parts/NN.tsv
        // The layer check's tests name files of their fixture tree, which mirrors the repo's folders.
        const fixture = file.endsWith('layers.test.ts') && existsSync(join(ROOT, 'test', 'fixtures', 'layers', path));
        if (!existsSync(join(ROOT, path)) && !fixture) missing.push(`${relative(ROOT, file)}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('nothing cites a design document outside the repo', () => {
    const outside = files.filter((f) => !f.endsWith('doc-paths.test.ts') && /\bDESIGN\.md\b/.test(prose(f))).map((f) => relative(ROOT, f));
    expect(outside).toEqual([]);
  });
});
