// One-time authoring check for resources/kb/parts/*.tsv (see resources/kb/AUTHORING.md).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const file = process.argv[2];
const res = join(process.cwd(), 'resources');
const units = new Set(readFileSync(join(res, 'units', 'departments.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
const paths = new Set();
for (const f of readdirSync(join(res, 'catalogue', 'parts')).filter((f) => f.endsWith('.tsv'))) {
  for (const l of readFileSync(join(res, 'catalogue', 'parts', f), 'utf8').split('\n').slice(1)) {
    const c = l.split('\t'); if (c.length >= 3) paths.add(`${c[0]}/${c[1]}/${c[2]}`);
  }
}
const lines = readFileSync(file, 'utf8').replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
const errors = [];
if (lines[0] !== 'title\tquestions\tanswer\tsource\tvalid_until\tleaves') errors.push('line 1: bad header');
const titles = new Set();
lines.slice(1).forEach((line, i) => {
  const n = i + 2; const f = line.split('\t');
  if (f.length !== 6) { errors.push(`line ${n}: ${f.length} columns, want 6`); return; }
  const [title, q, answer, source, until, leaves] = f.map((s) => s.trim());
  const len = (s) => [...s].length;
  if (len(title) < 6 || len(title) > 30) errors.push(`line ${n}: title length ${len(title)}`);
  if (titles.has(title)) errors.push(`line ${n}: duplicate title`); titles.add(title);
  const qs = q.split('|').filter(Boolean); if (qs.length < 2 || qs.length > 5) errors.push(`line ${n}: ${qs.length} questions`);
  if (len(answer) < 80 || len(answer) > 600) errors.push(`line ${n}: answer length ${len(answer)}`);
  if (!units.has(source)) errors.push(`line ${n}: unknown source ${source}`);
  if (!/^202[78]-\d\d-\d\d$/.test(until)) errors.push(`line ${n}: valid_until ${until}`);
  const ls = leaves.split('|').filter(Boolean);
  if (ls.length < 1 || ls.length > 3) errors.push(`line ${n}: ${ls.length} leaves`);
  for (const p of ls) if (!paths.has(p)) errors.push(`line ${n}: leaf path not in catalogue: ${p}`);
});
if (errors.length) { console.log(errors.join('\n')); process.exit(1); }
console.log(`OK ${lines.length - 1} articles`);
