/**
 * A center-wide export of any size: the tickets behind a figure are read from the hub page by page
 * by cursor (`stats.shiftDrill` with `after`, keyset paging in server/shift-drill.ts) and written to
 * a CSV file on disk as each page arrives — UTF-8 with a BOM and CRLF line ends, the columns of
 * export-files.ts — so a Beijing month (~500,000 tickets) never sits in memory: one page at a time.
 *
 * The file is written as `<name>.part` and renamed when the last page is in; a failed or cancelled
 * export leaves nothing behind. Progress is reported after each page (done of total). The hosts
 * hand the finished file to the person: the browser host at `/exports/<id>` (electron/host/server.ts),
 * Electron through the app:// protocol (electron/main/index.ts), both as a download the renderer
 * starts (renderer/src/lead/format.ts downloadUrl), which Electron turns into its save dialog.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ShiftDrillCursor, ShiftDrillRow } from '../../../shared/api/center-drill-contract';
import { describeError } from '../../../shared/errors';
import { fail, ok, type Result } from '../../../shared/result';
import { CSV_BOM, csvRecords, type Cell } from './export-files';

export const EXPORT_CANCELLED = '导出已取消';

/** One page of the hub's rows after a cursor (null: from the newest); `count` asks for the total too. */
export type CenterPageSource = (page: { after: ShiftDrillCursor | null; limit: number; count: boolean }) => Promise<
  Result<{ total: number | null; rows: ShiftDrillRow[]; masked: boolean; next: ShiftDrillCursor | null }>
>;

export interface StreamCsvOptions {
  source: CenterPageSource;
  headers: string[];
  /** One hub row as the file's cells. */
  toCells: (row: ShiftDrillRow) => Cell[];
  path: string;
  pageSize: number;
  signal?: AbortSignal;
  /** After the header and after each page: rows written so far, of the total the first page gave. */
  onProgress?: (done: number, total: number) => void;
}

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    const flushed = stream.write(text, 'utf8');
    const done = () => {
      stream.off('error', onError);
      resolve();
    };
    if (flushed) done();
    else stream.once('drain', done);
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Streams every page of `source` into a CSV file at `path`: resolves with the rows written, or a
 * failure (EXPORT_CANCELLED when the signal aborted) with no file left.
 */
export async function streamCenterCsv(options: StreamCsvOptions): Promise<Result<{ rows: number; total: number; masked: boolean }>> {
  const part = `${options.path}.part`;
  let stream: WriteStream | null = null;
  const discard = async () => {
    if (stream) await close(stream).catch(() => undefined);
    rmSync(part, { force: true });
  };
  try {
    stream = createWriteStream(part, { flags: 'w', mode: 0o600 });
    await write(stream, CSV_BOM + csvRecords([options.headers]));
    let after: ShiftDrillCursor | null = null;
    let total = 0;
    let done = 0;
    let masked = true;
    for (let first = true; ; first = false) {
      if (options.signal?.aborted) {
        await discard();
        return fail('rejected', EXPORT_CANCELLED);
      }
      const page = await options.source({ after, limit: options.pageSize, count: first });
      if (!page.ok) {
        await discard();
        return page;
      }
      if (first) {
        total = page.value.total ?? 0;
        masked = page.value.masked;
        options.onProgress?.(0, total);
      }
      if (page.value.rows.length > 0) await write(stream, csvRecords(page.value.rows.map(options.toCells)));
      done += page.value.rows.length;
      // Tickets taken while the export runs are newer than its first row: the total may only grow by none.
      options.onProgress?.(done, Math.max(total, done));
      if (!page.value.next || page.value.rows.length === 0) break;
      after = page.value.next;
    }
    if (options.signal?.aborted) {
      await discard();
      return fail('rejected', EXPORT_CANCELLED);
    }
    await close(stream);
    stream = null;
    renameSync(part, options.path);
    return ok({ rows: done, total: Math.max(total, done), masked });
  } catch (error) {
    await discard();
    return fail('internal', `写入导出文件失败：${describeError(error)}`);
  }
}

/** `attachment` with the file's name, ASCII fallback and RFC 5987 UTF-8 (Chinese names survive). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export type ExportJobState = 'running' | 'done' | 'failed' | 'cancelled';

interface Job {
  id: string;
  fileName: string;
  path: string;
  state: ExportJobState;
  abort: AbortController;
}

/** Finished export files older than this are removed when the next export starts. */
const KEEP_MS = 24 * 3_600_000;

/**
 * The export files of this desk run, by id (random, unguessable): where each is written, and
 * whether it is finished — the hosts serve only finished ones (`file`).
 */
export class ExportJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly dir: string) {}

  /** A new job's id and file path; old finished files in the folder are cleared first. */
  create(fileName: string): Job {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.sweep();
    const id = randomUUID();
    const job: Job = { id, fileName, path: join(this.dir, `${id}.csv`), state: 'running', abort: new AbortController() };
    this.jobs.set(id, job);
    return job;
  }

  finish(id: string, state: Exclude<ExportJobState, 'running'>): void {
    const job = this.jobs.get(id);
    if (job) job.state = state;
    if (job && state !== 'done') this.jobs.delete(id);
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running') return false;
    job.abort.abort();
    return true;
  }

  /** A finished export's file and the name to save it under; null for an unknown or unfinished id. */
  file(id: string): { path: string; fileName: string } | null {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'done' || !existsSync(job.path)) return null;
    return { path: job.path, fileName: job.fileName };
  }

  private sweep(): void {
    const now = Date.now();
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      try {
        const id = name.replace(/\.csv(\.part)?$/, '');
        const running = this.jobs.get(id)?.state === 'running';
        if (!running && now - statSync(path).mtimeMs > KEEP_MS) {
          rmSync(path, { force: true });
          this.jobs.delete(id);
        }
      } catch {
        // A file removed meanwhile is already gone.
      }
    }
  }
}
