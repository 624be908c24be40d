/**
 * What every call of both contracts (contract.ts for the desk, hub-contract.ts for the hub) refuses
 * before a handler runs, whatever the field: text no database can store — a NUL character, or a lone
 * UTF-16 surrogate (half of a character, which no UTF-8 file or column can hold). `createDispatcher`
 * (dispatch.ts) applies `withSafeText` to every call's input, so such text is `bad_request` naming
 * the field, never a database error. Also strict calendar dates (`IsoDate`: 2030-02-30 is no date).
 */
import { z } from 'zod';
import { isCalendarDate } from '../time';

export const UNSAFE_TEXT_MESSAGE = '含有无法保存的字符（空字符或残缺的 Unicode 字符），请删除后重试';

/** A NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isSafeText(text: string): boolean {
  return !UNSAFE.test(text);
}

/** The paths of every unsafe string in a value (strings, object keys, arrays, nested), at most `limit`. */
export function unsafeTextPaths(value: unknown, limit = 5): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [];
  const walk = (v: unknown, path: Array<string | number>, depth: number) => {
    if (found.length >= limit || depth > 64) return;
    if (typeof v === 'string') {
      if (!isSafeText(v)) found.push(path);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i], depth + 1));
    } else if (v && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (!isSafeText(key)) found.push([...path, key]);
        walk(item, [...path, key], depth + 1);
      }
    }
  };
  walk(value, [], 0);
  return found;
}

/** The shared refinement: `schema`, refusing any unsafe string anywhere in the value, with its path. */
export function withSafeText<T extends z.ZodType>(schema: T): z.ZodType<z.output<T>, z.input<T>> {
  return schema.superRefine((value, ctx) => {
    for (const path of unsafeTextPaths(value)) ctx.addIssue({ code: 'custom', message: UNSAFE_TEXT_MESSAGE, path });
  }) as unknown as z.ZodType<z.output<T>, z.input<T>>;
}

/** YYYY-MM-DD that names a real day of the calendar (2030-02-30 and 2026-13-01 are refused). */
export const IsoDate = z.string().refine(isCalendarDate, { message: '日期应为有效的 YYYY-MM-DD 日期' });
