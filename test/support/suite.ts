/**
 * Something the tests of one describe block share (a desk, its fixtures): opened before the block's
 * first test and closed after its last.
 */
import { afterAll, beforeAll } from 'vitest';

/**
 * Registers the block's beforeAll/afterAll and returns an object that `open`'s result is copied into
 * before the first test, so the block can name it up front: `const h = forSuite(harness, (h) => h.desk.dispose())`.
 * Hooks run in the order they are registered, so a later `forSuite` may read an earlier one.
 * `close` runs only if `open` succeeded.
 */
export function forSuite<T extends object>(open: () => T | Promise<T>, close?: (value: T) => unknown, timeoutMs = 60_000): T {
  const shared = {} as T;
  let opened = false;
  beforeAll(async () => {
    Object.assign(shared, await open());
    opened = true;
  }, timeoutMs);
  afterAll(async () => {
    if (opened) await close?.(shared);
  });
  return shared;
}
