/**
 * What both HTTP servers say the same way: the desk's browser host (electron/host/server.ts) and the
 * hub (server/http.ts) answer every Result with the status that fits its error kind, and the desk's
 * two shells (electron/host/server.ts, electron/main/index.ts) serve the built renderer's files with
 * these content types.
 */
import type { ErrorKind, Result } from '../result';

export const HTTP_STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unknown_call: 404,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rejected: 422,
  unavailable: 503,
  internal: 500,
};

/** 200 for a value, else the status of the error's kind. */
export function statusOf(result: Result<unknown>): number {
  return result.ok ? 200 : HTTP_STATUS[result.error.kind];
}

/** Content type by file extension (with the dot) of the files the renderer build produces. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function mimeTypeOf(extension: string): string {
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}
