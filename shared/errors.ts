/**
 * How a caught error becomes text for a person or a log line: an Error's message, anything else as
 * String() makes it (a thrown string, a rejected number).
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
