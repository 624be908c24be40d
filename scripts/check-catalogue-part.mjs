// One-time authoring check for resources/catalogue/parts/NN.tsv (see resources/catalogue/AUTHORING.md).
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const file = process.argv[2];
const root = join(dirname(file), '..');
const alloc = Object.fromEntries(readFileSync(join(root, 'allocation.tsv'), 'utf8').trim().split('\n').slice(1)
  .map((l) => l.split('\t')).map(([code, name, n2, n3]) => [code, { name, n2: +n2, n3: +n3 }]));
const units = new Set(readFileSync(join(root, '..', 'units', 'departments.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
const code = basename(file, '.tsv');
const want = alloc[code];
const errors = [];
if (!want) errors.push(`file name ${code} is not a code in allocation.tsv`);
const lines = readFileSync(file, 'utf8').replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
const header = 'level1\tlevel2\tlevel3\tkeywords\tsynonyms\trequest_types\turgency\towner\tcoordination';
if (lines[0] !== header) errors.push('line 1: header must be exactly: ' + header);
const TYPES = new Set(['咨询', '求助', '投诉', '举报', '建议', '表扬']);
const BANNED = /^(其他|其它|综合|一般问题)|\d/;
const level2 = new Map();
const allTerms = new Map();
lines.slice(1).forEach((line, i) => {
  const n = i + 2;
  const f = line.split('\t');
  if (f.length !== 9) { errors.push(`line ${n}: ${f.length} columns, want 9`); return; }
  const [l1, l2, l3, kw, syn, types, urgency, owner, coord] = f.map((s) => s.trim());
  if (want && l1 !== want.name) errors.push(`line ${n}: level1 "${l1}" should be "${want.name}"`);
  for (const [what, name, min, max] of [['level2', l2, 2, 10], ['level3', l3, 2, 12]]) {
    if ([...name].length < min || [...name].length > max) errors.push(`line ${n}: ${what} "${name}" length must be ${min}-${max}`);
    if (BANNED.test(name)) errors.push(`line ${n}: ${what} "${name}" is a filler or has digits`);
  }
  const leaves = level2.get(l2) ?? new Set();
  if (leaves.has(l3)) errors.push(`line ${n}: duplicate leaf "${l3}" under "${l2}"`);
  leaves.add(l3); level2.set(l2, leaves);
  const k = kw.split('|').map((s) => s.trim()).filter(Boolean);
  const s = syn.split('|').map((x) => x.trim()).filter(Boolean);
  if (k.length < 3 || k.length > 8) errors.push(`line ${n}: ${k.length} keywords, want 3-8`);
  if (s.length < 2 || s.length > 6) errors.push(`line ${n}: ${s.length} synonyms, want 2-6`);
  if (k.concat(s).some((t) => t === l3)) errors.push(`line ${n}: keywords/synonyms repeat the leaf name`);
  const t = types.split('|').map((x) => x.trim());
  if (t.length < 1 || t.length > 4 || t.some((x) => !TYPES.has(x))) errors.push(`line ${n}: request_types "${types}" invalid`);
  if (!['一般', '紧急', '即时'].includes(urgency)) errors.push(`line ${n}: urgency "${urgency}" invalid`);
  if (owner !== '属地' && !units.has(owner)) errors.push(`line ${n}: owner "${owner}" is neither 属地 nor a unit code`);
  if (!['是', '否'].includes(coord)) errors.push(`line ${n}: coordination "${coord}" must be 是 or 否`);
  allTerms.set(l3, (allTerms.get(l3) ?? 0) + 1);
});
if (want) {
  if (level2.size !== want.n2) errors.push(`${level2.size} distinct level2, want ${want.n2}`);
  if (lines.length - 1 !== want.n3) errors.push(`${lines.length - 1} leaves, want ${want.n3}`);
}
for (const [l2, leaves] of level2) if (leaves.size < 3 || leaves.size > 9) errors.push(`level2 "${l2}" has ${leaves.size} leaves, want 3-9`);
if (errors.length) { console.log(errors.join('\n')); process.exit(1); }
console.log(`OK ${code} ${want.name}: ${level2.size} 二级, ${lines.length - 1} 三级`);
