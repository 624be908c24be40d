/**
 * Per-file setup for the hub tests that makes a failed setup fail EVERY test of its block, with the
 * setup's own message (e.g. "PostgreSQL 不可达…"), instead of vitest's default of failing the file
 * and reporting the tests as skipped: the PostgreSQL half must never look skipped.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
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

/** The hub of a block and a logged-in client for each user of test/hub/support.ts the closed loop involves. */
export interface HubWithUsers {
  hub: TestHub;
  admin: HubClient;
  lead: HubClient;
  taker: HubClient;
  /** 甲街道操作员, unit U-A. */
  opA: HubClient;
  /** 乙街道操作员, unit U-B. */
  opB: HubClient;
}

/**
 * useHub with every user signed in once. The returned object is filled in place when the hub is up,
 * so a block names it up front (`const on = useHubWithUsers(driver)`) and its tests use `on.taker`.
 */
export function useHubWithUsers(driver: Driver): HubWithUsers {
  const users = {} as HubWithUsers;
  useHub(driver, async (hub) => {
    const [admin, lead, taker, opA, opB] = await Promise.all(['admin', 'lead', 'taker', 'op_a', 'op_b'].map((name) => hub.as(name)));
    Object.assign(users, { hub, admin: admin!, lead: lead!, taker: taker!, opA: opA!, opB: opB! });
  });
  return users;
}
