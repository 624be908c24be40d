/**
 * The 网络渠道待受理 queue on the desk (shared/api/web-intake-contract.ts): Open311 submissions the
 * hub holds (server/open311.ts), listed, taken (claimed at the hub, so two call-takers never take the
 * same one), released or rejected — each through the sync client's hub session. Without a hub, or
 * with one that does not answer, every call answers `unavailable` (需联网（中心不可达）). The
 * suggested category and the address reading are made by the renderer from this desk's reference
 * data (renderer/src/web-intake/web-intake-store.ts), as intake makes them for a call.
 */
import { fail, ok, type Result } from '../../../shared/result';
import type { SyncClient } from '../sync/sync-client';
import type { DeskContext, DeskHandlers } from './context';
import { hubFailure, OFFLINE_PREFIX } from './redispatch';

/** How many submissions the desk lists at once (the oldest first, as the hub orders them). */
export const WEB_INTAKE_PAGE = 100;

export function webIntakeHandlers({ ready }: DeskContext, deps: { sync: () => SyncClient | null }): DeskHandlers<'webIntake.queue' | 'webIntake.take' | 'webIntake.release' | 'webIntake.reject'> {
  const noHub = <T>(): Result<T> => fail('unavailable', `${OFFLINE_PREFIX}：本机模式，未配置中心`);
  return {
    'webIntake.queue': async () => {
      const client = deps.sync();
      if (!client) return noHub();
      await ready;
      const page = await client.callHub('open311.pending', { limit: WEB_INTAKE_PAGE });
      return page.ok ? ok(page.value) : hubFailure(page);
    },
    'webIntake.take': async ({ id }) => {
      const client = deps.sync();
      if (!client) return noHub();
      const claimed = await client.callHub('open311.claim', { id });
      return claimed.ok ? ok(claimed.value) : hubFailure(claimed);
    },
    'webIntake.release': async ({ id }) => {
      const client = deps.sync();
      if (!client) return noHub();
      const released = await client.callHub('open311.release', { id });
      return released.ok ? ok(released.value) : hubFailure(released);
    },
    'webIntake.reject': async (input) => {
      const client = deps.sync();
      if (!client) return noHub();
      const rejected = await client.callHub('open311.reject', input);
      return rejected.ok ? ok(rejected.value) : hubFailure(rejected);
    },
  };
}
