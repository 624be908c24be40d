/**
 * An XLSX file is a zip archive: a few hundred kilobytes can unpack to gigabytes. Before exceljs
 * loads one, its central directory is read and every entry inflated into a capped buffer, so an
 * archive over the limits is refused with a clear message and never unpacked in full:
 *  - at most MAX_XLSX_ENTRIES entries (a real reference workbook has a dozen or two);
 *  - at most MAX_XLSX_UNPACKED_BYTES unpacked in all (the full catalogue is a few megabytes);
 *  - an entry that unpacks to more than it declares is refused as damaged (a lying header);
 *  - ZIP64 archives (for entries over 4 GiB) are not needed by any reference file and are refused.
 */
import { inflateRawSync } from 'node:zlib';
import { fail, ok, type Result } from '../../../shared/result';

export const MAX_XLSX_ENTRIES = 2000;
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MIB = 1024 * 1024;

const tooLarge = (detail: string) =>
  fail('rejected', `Excel 文件解压后过大，已拒绝导入（${detail}；上限为 ${MAX_XLSX_UNPACKED_BYTES / MIB} MB、${MAX_XLSX_ENTRIES} 个部件）。请检查文件是否正确，或另存为 CSV 后导入。`);
const damaged = (detail: string) => fail('rejected', `Excel 文件已损坏或不是有效的 .xlsx 文件（${detail}）`);

function findEndOfCentralDirectory(buf: Buffer): number {
  const earliest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= earliest; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** Checks an XLSX archive against the limits before anything unpacks it in full. */
export function checkXlsxArchive(content: Uint8Array): Result<{ entries: number; unpackedBytes: number }> {
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const end = buf.length >= 22 ? findEndOfCentralDirectory(buf) : -1;
  if (end < 0) return damaged('找不到压缩包目录');
  const count = buf.readUInt16LE(end + 10);
  const directoryOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) return tooLarge('使用了 ZIP64 格式');
  if (count > MAX_XLSX_ENTRIES) return tooLarge(`含 ${count} 个部件`);

  // First what the directory declares, so a bomb is refused without inflating a byte.
  const parts: Array<{ method: number; compressedSize: number; size: number; localOffset: number }> = [];
  let declared = 0;
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return damaged('压缩包目录不完整');
    const part = { method: buf.readUInt16LE(at + 10), compressedSize: buf.readUInt32LE(at + 20), size: buf.readUInt32LE(at + 24), localOffset: buf.readUInt32LE(at + 42) };
    if (part.size === 0xffffffff || part.compressedSize === 0xffffffff || part.localOffset === 0xffffffff) return tooLarge('使用了 ZIP64 格式');
    declared += part.size;
    parts.push(part);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  if (declared > MAX_XLSX_UNPACKED_BYTES) return tooLarge(`声明解压后约 ${Math.ceil(declared / MIB)} MB`);

  // Then what each part really unpacks to, inflated into a buffer capped at what it declares.
  let unpacked = 0;
  for (const { method, compressedSize, size, localOffset } of parts) {
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL) return damaged('部件头不完整');
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const data = buf.subarray(dataStart, dataStart + compressedSize);
    if (data.length !== compressedSize) return damaged('部件数据不完整');
    if (method === 8) {
      try {
        unpacked += inflateRawSync(data, { maxOutputLength: Math.max(1, size) }).length;
      } catch (error) {
        if (error instanceof RangeError) return tooLarge('部件实际解压大小超过声明');
        return damaged('部件无法解压');
      }
    } else if (method === 0) {
      unpacked += compressedSize;
    } else {
      return damaged(`不支持的压缩方式 ${method}`);
    }
    if (unpacked > MAX_XLSX_UNPACKED_BYTES) return tooLarge(`解压后超过 ${MAX_XLSX_UNPACKED_BYTES / MIB} MB`);
  }
  return ok({ entries: count, unpackedBytes: unpacked });
}
