/**
 * `npm run suggest:train -- --file F [--out model.json]`: trains the learned suggester
 * (shared/learn/model.ts) from a labelled CSV (header `text,label`, shared/learn/training-file.ts)
 * and writes the model file (shared/learn/serialize.ts). A bad file is one Chinese message, exit
 * code 1 and no file written; the model is written to a temporary name and renamed, so a
 * half-written model never replaces a good one.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_TRAIN, train } from '../shared/learn/model';
import { serializeModel } from '../shared/learn/serialize';
import { argsOf, readTrainingFile } from './suggest-common';

const args = argsOf(process.argv.slice(2));
const file = args.get('file');
const out = resolve(args.get('out') ?? 'suggest-model.json');
if (!file || file === 'true') {
  console.error('用法：npm run suggest:train -- --file 文件.csv [--out model.json]（CSV 表头为 text,label）');
  process.exit(1);
}
const started = Date.now();
const rows = readTrainingFile(file);
if (!rows.ok) {
  console.error(`训练失败：${rows.error.message}`);
  process.exit(1);
}
const readMs = Date.now() - started;
const model = train(rows.value, DEFAULT_TRAIN);
const json = serializeModel(model);
const temporary = `${out}.${process.pid}.tmp`;
try {
  writeFileSync(temporary, json);
  renameSync(temporary, out);
} catch (error) {
  rmSync(temporary, { force: true });
  console.error(`训练失败：无法写入 ${out}（${error instanceof Error ? error.message : String(error)}）`);
  process.exit(1);
}
console.log(`读取 ${rows.value.length} 行，${model.labels.length} 个分类（${readMs} ms）`);
console.log(`训练完成：${Date.now() - started - readMs} ms，模型 ${(json.length / 1024 / 1024).toFixed(2)} MB → ${out}`);
