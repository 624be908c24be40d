/**
 * A labelled file for the learned suggester (scripts/suggest-train.ts, scripts/suggest-eval.ts, and
 * later the hub): CSV with the header `text,label`, one ticket a row. The label is whatever the
 * center classifies by — a leaf code, a full path 一级—二级—三级, or a label of its own system.
 * Every problem is one Chinese message naming the line, and nothing is trained from a bad file.
 * The caller decodes the bytes (strictly, as UTF-8) before this; `decodeUtf8Strict` says how.
 */
import { parse } from 'csv-parse/sync';
import { describeError } from '../errors';
import { fail, ok, type Result } from '../result';

export interface LabelledText {
  text: string;
  label: string;
}

/** How many bad lines a message names before it says "等". */
const SHOWN = 5;

export function parseTrainingCsv(content: string): Result<LabelledText[]> {
  if (content.replace(/^\uFEFF/, '').trim() === '') return fail('rejected', '文件为空：需要表头 text,label 和至少两个分类的数据行');
  if (content.includes('\uFFFD')) return fail('rejected', '文件含有无法识别的字符（\uFFFD）：请另存为 UTF-8 编码的 CSV');
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    return fail('rejected', `无法读取 CSV 文件：${describeError(error)}`);
  }
  const head = (records[0] ?? []).map((c) => c.trim().toLowerCase());
  if (head.length !== 2 || head[0] !== 'text' || head[1] !== 'label') {
    return fail('rejected', `第 1 行应为表头 text,label（先文本、后分类），实际为「${(records[0] ?? []).join(',').slice(0, 60)}」`);
  }
  const rows: LabelledText[] = [];
  const emptyText: number[] = [];
  const emptyLabel: number[] = [];
  const wrongColumns: number[] = [];
  const labels = new Set<string>();
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!;
    // Line numbers count the header as line 1 (a quoted text may span lines; this is the record's ordinal).
    if (record.length !== 2) {
      wrongColumns.push(i + 1);
      continue;
    }
    const text = record[0]!.trim();
    const label = record[1]!.trim();
    if (text === '') emptyText.push(i + 1);
    if (label === '') emptyLabel.push(i + 1);
    if (text === '' || label === '') continue;
    rows.push({ text, label });
    labels.add(label);
  }
  const lines = (list: number[]) => list.slice(0, SHOWN).join('、') + (list.length > SHOWN ? ` 等 ${list.length} 行` : '');
  if (wrongColumns.length > 0) return fail('rejected', `第 ${lines(wrongColumns)} 行不是两列（text,label）：文本中有逗号时请用双引号括起来`);
  if (emptyText.length > 0) return fail('rejected', `第 ${lines(emptyText)} 行的文本为空`);
  if (emptyLabel.length > 0) return fail('rejected', `第 ${lines(emptyLabel)} 行的分类为空`);
  if (rows.length === 0) return fail('rejected', '文件只有表头，没有数据行');
  if (labels.size < 2) return fail('rejected', `文件中只有一个分类（${[...labels][0]}）：至少需要两个分类才能训练`);
  return ok(rows);
}
