/**
 * A CSV text as a reference file is read, on the desk (electron/services/import/table.ts) and at the
 * hub (server/reference.ts) alike: header on line 1, each row keyed by header with the line number a
 * person sees in a spreadsheet program. csv-parse handles the BOM and quoting; a file that cannot be
 * read at all is one error, not a crash.
 */
import { parse } from 'csv-parse/sync';
import { describeError } from '../errors';
import { fail, ok, type Result } from '../result';
import type { Table } from './validate';

export function csvTable(content: string): Result<Table> {
  try {
    const records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    const [head, ...body] = records;
    if (!head) return fail('rejected', '文件为空');
    const columns = head.record.map((c) => c.trim());
    const rows = body.map(({ record, info }) => ({ line: info.lines, values: Object.fromEntries(columns.map((c, i) => [c, (record[i] ?? '').trim()])) }));
    return ok({ columns, rows });
  } catch (error) {
    return fail('rejected', `无法读取 CSV 文件：${describeError(error)}`);
  }
}
