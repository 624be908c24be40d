/**
 * What scripts/suggest-train.ts and scripts/suggest-eval.ts share: reading a labelled file
 * strictly (UTF-8 only: a GBK export is refused rather than trained on as mojibake), the command
 * line, and the keyword suggester (shared/search/suggest.ts) over the bundled catalogue, built as
 * the desk builds it (entries from electron/services/catalogue/search-terms.ts, index from
 * shared/search/catalogue-index.ts), for comparing with the learned one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSearchEntries, parseCatalogueCsv } from '../electron/services/catalogue/search-terms';
import { fail, ok, type Result } from '../shared/result';
import { parseTrainingCsv, type LabelledText } from '../shared/learn/training-file';
import { createCatalogueIndex } from '../shared/search/catalogue-index';
import { suggestFromContent } from '../shared/search/suggest';

export function readTrainingFile(path: string): Result<LabelledText[]> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return fail('not_found', `无法读取文件：${path}`);
  }
  if (bytes.length === 0) return fail('rejected', '文件为空：需要表头 text,label 和至少两个分类的数据行');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('rejected', '文件不是 UTF-8 编码（可能是 GBK/GB2312 导出的）：请在表格软件中另存为「CSV UTF-8」后再试');
  }
  return parseTrainingCsv(text);
}

/** `--name value` pairs; a bare `--name` is "true". */
export function argsOf(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(a.slice(2), next);
      i++;
    } else args.set(a.slice(2), 'true');
  }
  return args;
}

const PATH_SEPARATORS = /\s*[—–\-/>＞]+\s*/;

/**
 * The keyword suggester as a guesser in the file's own labels, when every label is a leaf code or
 * a full path (一级—二级—三级) of the bundled catalogue; null otherwise (a center's own label set).
 */
export function catalogueKeywordGuesser(labels: Iterable<string>, root = process.cwd()): ((text: string) => string[]) | null {
  const entries = buildSearchEntries(parseCatalogueCsv(readFileSync(join(root, 'resources', 'catalogue', 'catalogue.csv'), 'utf8')));
  const index = createCatalogueIndex(entries);
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const byPath = new Map(entries.map((e) => [e.path.join('—'), e]));
  const labelOfCode = new Map<string, string>();
  for (const label of labels) {
    const entry = byCode.get(label) ?? byPath.get(label.split(PATH_SEPARATORS).join('—'));
    if (!entry) return null;
    labelOfCode.set(entry.code, label);
  }
  // A guess of a leaf no row is labelled with is still a guess (and wrong): keep its place.
  return (text) => suggestFromContent(index, text, 3).map((s) => labelOfCode.get(s.code) ?? `#${s.code}`);
}
