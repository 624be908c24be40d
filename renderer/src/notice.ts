/**
 * The two shapes every store uses to say how things went: a Notice the person reads after an action
 * (a banner, a line in the lead view), and the AppError a failed call came back with (its `message`
 * is the Chinese text to show). Stores keep `error: AppError | null` and `notice: Notice | null`.
 */
import type { AppError } from '../../shared/result';

export type { AppError };

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
  /** When it was said: the same text said twice is still news. */
  at: number;
}

export function okNotice(text: string): Notice {
  return { kind: 'ok', text, at: Date.now() };
}

export function errorNotice(text: string): Notice {
  return { kind: 'error', text, at: Date.now() };
}

/** How a notice is announced: good news politely, a failure at once. */
export function noticeRole(notice: Notice): 'status' | 'alert' {
  return notice.kind === 'ok' ? 'status' : 'alert';
}
