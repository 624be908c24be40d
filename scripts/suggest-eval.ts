/**
 * `npm run suggest:eval -- --file F --folds 5 [--seed 17]`: k-fold cross-validation of the learned
 * suggester on a labelled CSV (shared/learn/evaluate.ts). Prints each fold and the pooled result,
 * with the keyword suggester (shared/search/suggest.ts over the bundled catalogue) on the same
 * held-out rows when every label is a leaf code or a full path of that catalogue. The last line is
 * always `top1=0.xxx top3=0.xxx` (the learned suggester's, pooled over the folds). Writes nothing.
 */
import { crossValidate, type Accuracy } from '../shared/learn/evaluate';
import { argsOf, catalogueKeywordGuesser, readTrainingFile } from './suggest-common';

const args = argsOf(process.argv.slice(2));
const file = args.get('file');
const folds = Number(args.get('folds') ?? '5');
const seed = Number(args.get('seed') ?? '17');
if (!file || file === 'true') {
  console.error('用法：npm run suggest:eval -- --file 文件.csv --folds 5（CSV 表头为 text,label）');
  process.exit(1);
}
if (!Number.isInteger(folds) || folds < 2 || folds > 50) {
  console.error('评估失败：--folds 应为 2 到 50 之间的整数');
  process.exit(1);
}
if (!Number.isInteger(seed)) {
  console.error('评估失败：--seed 应为整数');
  process.exit(1);
}
const rows = readTrainingFile(file);
if (!rows.ok) {
  console.error(`评估失败：${rows.error.message}`);
  process.exit(1);
}
if (rows.value.length < folds) {
  console.error(`评估失败：只有 ${rows.value.length} 行，少于折数 ${folds}`);
  process.exit(1);
}
const labels = new Set(rows.value.map((r) => r.label));
const keyword = catalogueKeywordGuesser(labels);
const pct = (a: Accuracy) => `top1=${a.top1.toFixed(3)} top3=${a.top3.toFixed(3)}`;
console.log(`${rows.value.length} 行，${labels.size} 个分类，${folds} 折交叉验证（种子 ${seed}）`);
console.log(keyword ? '分类均为内置目录的三级编码或路径：同时测量关键词建议' : '分类不是内置目录的编码或路径：只测量学习模型');
const result = crossValidate(rows.value, {
  folds,
  seed,
  ...(keyword ? { keyword } : {}),
  onFold: (f) =>
    console.log(`第 ${f.fold} 折：训练 ${f.trainRows} 行 ${f.trainMs} ms，测试 ${f.learned.count} 行 | 学习模型 ${pct(f.learned)}${f.keyword ? ` | 关键词 ${pct(f.keyword)}` : ''}`),
});
if (result.keyword) console.log(`关键词建议（合计）：${pct(result.keyword)}`);
console.log(`学习模型（合计）：`);
console.log(pct(result.learned));
