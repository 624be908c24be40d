/**
 * Export files for the shift log: CSV (UTF-8 with a byte-order mark and CRLF line ends, so Excel on
 * a Chinese Windows opens it with the characters right) and XLSX (a sheet for the table, and a
 * 说明 sheet saying what the figures cover and whether phone numbers are masked). Headers are Chinese.
 *
 * CSV cells that begin with = + - @ (or a tab/CR) get a leading apostrophe: a caller's name or
 * words typed into a ticket must never run as a spreadsheet formula. Numbers are written as numbers.
 * XLSX cells are written as typed values (never formulas), so they need no such guard.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

export interface Table {
  /** The sheet name in XLSX (≤ 31 characters, none of : \ / ? * [ ]). */
  sheet: string;
  columns: Array<{ header: string; width?: number }>;
  rows: Cell[][];
}

export interface ExportMeta {
  title: string;
  /** Lines for the 说明 sheet: [label, value]. */
  notes: Array<[string, string]>;
}

const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: Cell): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function toCsv(table: Table): Buffer {
  const text = stringify([table.columns.map((c) => c.header), ...table.rows.map((row) => row.map(csvCell))], {
    bom: true,
    record_delimiter: 'windows',
  });
  return Buffer.from(text, 'utf8');
}

/** The byte-order mark a streamed CSV file begins with (Excel reads UTF-8 by it). */
export const CSV_BOM = '\ufeff';

/** Rows as CSV text, CRLF after each, no BOM: the pieces of a CSV streamed page by page (center-export.ts). */
export function csvRecords(rows: Cell[][]): string {
  return rows.length === 0 ? '' : stringify(rows.map((row) => row.map(csvCell)), { record_delimiter: 'windows' });
}

export async function toXlsx(table: Table, meta: ExportMeta): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '12345接诉即办坐席';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? Math.max(10, [...c.header].length * 2 + 2) }));
  for (const row of table.rows) sheet.addRow(row.map((v) => (v === null ? '' : v)));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE3ECFA' } };
  if (table.rows.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };

  const about = workbook.addWorksheet('说明');
  about.columns = [
    { header: meta.title, key: 'k', width: 18 },
    { header: '', key: 'v', width: 90 },
  ];
  about.getRow(1).font = { bold: true, size: 13 };
  for (const [label, value] of meta.notes) about.addRow([label, value]);
  about.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A file name safe on Windows, Linux and macOS: no path or reserved characters, no spaces. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/_+/g, '_').slice(0, 120);
}
