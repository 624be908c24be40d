// One-time merge of the authoring parts into the importable files the desk loads:
//   resources/catalogue/parts/NN.tsv  → resources/catalogue/catalogue.csv (stable codes assigned here)
//   resources/kb/parts/*.tsv          → resources/kb/knowledge-base.csv  (leaf paths turned into codes)
// Codes follow the order of the parts, so re-running on unchanged parts gives the same codes. A 二级
// that was retired (shared/reference/retired-leaves.ts) keeps its serial: the 二级 after it keep
// their codes and a new 二级 takes the next serial never used. Run: npx tsx scripts/merge-authoring.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { RETIRED_LEVEL2 } from '../shared/reference/retired-leaves';

type Row = { code: string; level: number; name: string; parent_code: string; [column: string]: string | number };

const res = join(process.cwd(), 'resources');
const alloc = readFileSync(join(res, 'catalogue', 'allocation.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const catalogueCsv = join(res, 'catalogue', 'catalogue.csv');

const rows: Row[] = [];
const pathToCode = new Map<string, string>();
for (const [code1, name1] of alloc) {
  const file = join(res, 'catalogue', 'parts', `${code1}.tsv`);
  const lines = readFileSync(file, 'utf8').replace(/\r/g, '').split('\n').filter((l) => l.trim()).slice(1);
  rows.push({ code: code1!, level: 1, name: name1!, parent_code: '' });
  pathToCode.set(name1!, code1!);
  const level2 = new Map<string, { code: string; leaves: number }>();
  let serial = 0;
  for (const line of lines) {
    const [, l2, l3, kw, syn, types, urgency, owner, coord] = line.split('\t').map((s) => s.trim()) as string[];
    if (!level2.has(l2!)) {
      let code2: string;
      do code2 = code1 + String(++serial).padStart(2, '0');
      while (RETIRED_LEVEL2[code2]);
      level2.set(l2!, { code: code2, leaves: 0 });
      rows.push({ code: code2, level: 2, name: l2!, parent_code: code1! });
      pathToCode.set(`${name1}/${l2}`, code2);
    }
    const parent = level2.get(l2!)!;
    parent.leaves += 1;
    const code3 = parent.code + String(parent.leaves).padStart(3, '0');
    rows.push({ code: code3, level: 3, name: l3!, parent_code: parent.code, keywords: kw!, synonyms: syn!, request_types: types!, urgency: urgency!, owner: owner!, coordination: coord! });
    pathToCode.set(`${name1}/${l2}/${l3}`, code3);
  }
}
const columns = ['code', 'level', 'name', 'parent_code', 'keywords', 'synonyms', 'request_types', 'urgency', 'owner', 'coordination'];
writeFileSync(catalogueCsv, stringify(rows, { header: true, columns }));
console.log(`catalogue.csv: ${rows.length} rows (${rows.filter((r) => r.level === 1).length}/${rows.filter((r) => r.level === 2).length}/${rows.filter((r) => r.level === 3).length})`);

const kbDir = join(res, 'kb', 'parts');
const articles: Record<string, string>[] = [];
for (const file of readdirSync(kbDir).filter((f) => f.endsWith('.tsv')).sort()) {
  const lines = readFileSync(join(kbDir, file), 'utf8').replace(/\r/g, '').split('\n').filter((l) => l.trim()).slice(1);
  for (const line of lines) {
    const [title, questions, answer, source, validUntil, leaves] = line.split('\t').map((s) => s.trim());
    const codes = leaves!.split('|').filter(Boolean).map((p) => {
      const code = pathToCode.get(p);
      if (!code) throw new Error(`${file}: unknown leaf ${p}`);
      return code;
    });
    articles.push({ id: `KB${String(articles.length + 1).padStart(4, '0')}`, title: title!, questions: questions!, answer: answer!, source: source!, valid_until: validUntil!, leaf_codes: codes.join('|') });
  }
}
writeFileSync(join(res, 'kb', 'knowledge-base.csv'), stringify(articles, { header: true, columns: ['id', 'title', 'questions', 'answer', 'source', 'valid_until', 'leaf_codes'] }));
console.log(`knowledge-base.csv: ${articles.length} articles`);
