/**
 * Per-file setup for the hub tests that makes a failed setup fail EVERY test of its block, with the
 * setup's own message (e.g. "PostgreSQL 不可达…"), instead of vitest's default of failing the file
 * and reporting the tests as skipped: the PostgreSQL half must never look skipped.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTestHub, type Driver, type TestHub } from './support';

export function setupOnce(setup: () => Promise<void>, teardown?: () => Promise<void>): void {
  let failure: unknown = null;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = error;
    }
  }, 60_000);
  beforeEach(() => {
    if (failure) throw failure;
  });
  afterAll(async () => {
    await teardown?.();
  });
}

/** One hub for the block (PGlite is slow to create); `ready` receives it once it is up. */
export function useHub(driver: Driver, ready: (hub: TestHub) => void | Promise<void>): void {
  let hub: TestHub | null = null;
  setupOnce(
    async () => {
      hub = await startTestHub(driver);
      await ready(hub);
    },
    async () => {
      await hub?.close();
    },
  );
}
