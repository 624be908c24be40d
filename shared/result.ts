/**
 * The result envelope every boundary speaks: IPC, the browser host, the hub, the services.
 * `kind` is a stable English name a program can branch on; `message` is Chinese text a person reads.
 */
export const ERROR_KINDS = [
  'bad_request', // the message or its input does not have the declared shape
  'unknown_call', // no call of that name in the contract
  'unauthorized', // missing or wrong secret / token
  'forbidden', // a caller that may not make this call (wrong frame, wrong role)
  'not_found',
  'conflict',
  'too_large',
  'rejected', // a well-formed request the rules refuse (an import that breaks the tree, a ticket that fails validation)
  'unavailable', // a dependency is down (hub offline, database closed)
  'internal', // a bug: logged, never a crash
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface AppError {
  kind: ErrorKind;
  message: string;
  /** Structured detail, e.g. field errors or import line errors. */
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: ErrorKind, message: string, details?: unknown): Result<T> {
  return details === undefined ? { ok: false, error: { kind, message } } : { ok: false, error: { kind, message, details } };
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}
