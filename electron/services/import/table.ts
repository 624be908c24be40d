/**
 * Reads an import file (CSV or XLSX) into rows keyed by header, each with the line number a person
 * sees in a spreadsheet program (the header is line 1). CSV as shared/reference/csv-table.ts reads it,
 * exceljs for XLSX (first worksheet). A file that cannot be read at all is one error, not a crash.
 * An XLSX archive is checked against the unpacked-size limits first (zip-limits.ts).
 */
import ExcelJS from 'exceljs';
import { describeError } from '../../../shared/errors';
import { fail, ok, type Result } from '../../../shared/result';
import { csvTable } from '../../../shared/reference/csv-table';
import type { Table, TableRow } from '../../../shared/reference/validate';
import { checkXlsxArchive } from './zip-limits';

export type { ImportProblem, Table, TableRow } from '../../../shared/reference/validate';
export type ImportFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): ImportFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value);
}

export async function readTable(content: Uint8Array, format: ImportFormat): Promise<Result<Table>> {
  try {
    if (format === 'csv') return csvTable(new TextDecoder().decode(content));
    const archive = checkXlsxArchive(content);
    if (!archive.ok) return archive;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(content) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) return fail('rejected', '工作簿中没有工作表');
    const columns: string[] = [];
    sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (columns[col - 1] = cellText(cell.value).trim()));
    const rows: TableRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, line) => {
      if (line === 1) return;
      const values = Object.fromEntries(columns.map((c, i) => [c, cellText(row.getCell(i + 1).value).trim()]));
      if (Object.values(values).every((v) => v === '')) return;
      rows.push({ line, values });
    });
    return ok({ columns, rows });
  } catch (error) {
    return fail('rejected', `无法读取${format === 'csv' ? ' CSV' : ' Excel'} 文件：${describeError(error)}`);
  }
}
