/**
 * XLSX import refuses an archive that would unpack past the documented limits, before exceljs
 * loads it (issue 16 item 14): a 300 KB zip of zeros, a header that lies about its size, too many
 * parts. A real workbook still reads.
 */
import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../electron/services/import/table';
import { MAX_XLSX_ENTRIES, MAX_XLSX_UNPACKED_BYTES } from '../../electron/services/import/zip-limits';

interface Entry {
  name: string;
  data: Buffer;
  /** Defaults to the real unpacked size. */
  declaredSize?: number;
}

/** A minimal zip writer (deflate, no data descriptors) for crafted archives. */
function zip(entries: Entry[], realSizes: number[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? realSizes[i]!;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length;
  });
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function deflated(raw: Buffer, name: string, declaredSize?: number) {
  return { entry: { name, data: deflateRawSync(raw, { level: 9 }), ...(declaredSize === undefined ? {} : { declaredSize }) }, size: raw.length };
}

function archive(parts: Array<ReturnType<typeof deflated>>): Buffer {
  return zip(
    parts.map((p) => p.entry),
    parts.map((p) => p.size),
  );
}

describe('XLSX unpacked-size limits', () => {
  it('refuses a small archive of zeros that declares more than the limit', async () => {
    const bomb = archive([deflated(Buffer.alloc(MAX_XLSX_UNPACKED_BYTES + 1024 * 1024), 'xl/worksheets/sheet1.xml')]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const result = await readTable(bomb, 'xlsx');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('rejected');
      expect(result.error.message).toContain('Excel 文件解压后过大');
      expect(result.error.message).toContain('上限为 64 MB');
    }
  });

  it('refuses parts that add up past the limit', async () => {
    const quarter = Buffer.alloc(MAX_XLSX_UNPACKED_BYTES / 4 + 1);
    const parts = [1, 2, 3, 4, 5].map((n) => deflated(quarter, `xl/part${n}.xml`));
    const result = await readTable(archive(parts), 'xlsx');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/解压后过大.*声明解压后约 81 MB/);
  });

  it('refuses a header that declares less than the part really unpacks to', async () => {
    const liar = archive([deflated(Buffer.alloc(MAX_XLSX_UNPACKED_BYTES * 2), 'xl/worksheets/sheet1.xml', 1000)]);
    const result = await readTable(liar, 'xlsx');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('部件实际解压大小超过声明');
  });

  it('refuses an archive with too many parts', async () => {
    const parts = Array.from({ length: MAX_XLSX_ENTRIES + 1 }, (_, i) => deflated(Buffer.from('x'), `p${i}.xml`));
    const result = await readTable(archive(parts), 'xlsx');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(`含 ${MAX_XLSX_ENTRIES + 1} 个部件`);
  });

  it('still reads a real workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('目录');
    sheet.addRow(['编码', '名称']);
    sheet.addRow(['01', '市政']);
    const result = await readTable(new Uint8Array(await workbook.xlsx.writeBuffer()), 'xlsx');
    expect(result.ok && result.value.rows).toEqual([{ line: 2, values: { 编码: '01', 名称: '市政' } }]);
  });
});
