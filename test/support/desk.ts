/** Opens real desk services on a fresh temporary data directory, for tests. */
import { rmSync } from 'node:fs';
import { openDesk, type Desk, type DeskOptions } from '../../electron/services/desk';
import { LeadCredentials } from '../../electron/services/lead/lead-credentials';
import { SettingsRepo } from '../../electron/services/store/settings-repo';
import { join } from 'node:path';
import { createClient, type Client } from '../../shared/api/client';
import { deskCalls, type DeskCalls, type DeskEvent } from '../../shared/api/contract';
import { createDispatcher } from '../../shared/api/dispatch';
import type { AppError, Result } from '../../shared/result';
import { freshDataDir, ROOT } from './host-process';

export function openTestDesk(overrides: Partial<DeskOptions> = {}): Desk & { dataDir: string; dispose(): void } {
  const dataDir = overrides.dataDir ?? freshDataDir();
  const opened = openDesk({
    dataDir,
    mode: 'browser-host',
    version: 'test',
    resourcesDir: join(ROOT, 'resources'),
    openSecondScreen: () => ({ opened: false, url: '/?window=side' }),
    ...overrides,
  });
  if (!opened.ok) throw new Error(opened.error.message);
  return Object.assign(opened.value, {
    dataDir,
    dispose() {
      opened.value.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * A test desk once its bundled reference data is loaded, with a typed client that goes through the
 * same dispatcher the transports use (so every input is validated as in the app).
 */
export async function openReadyDesk(overrides: Partial<DeskOptions> = {}) {
  const desk = openTestDesk(overrides);
  const status = await desk.ready;
  if (status.state !== 'ready') {
    desk.dispose();
    throw new Error(status.message);
  }
  const dispatch = createDispatcher(deskCalls, desk.handlers);
  const api: Client<DeskCalls> = createClient(deskCalls, { call: (message) => dispatch(message, { transport: 'ipc' }) }, { validateOutput: true });
  return { desk, api };
}

/** A ready desk (see openReadyDesk) on a clock the test sets by `clock.at`, with every event it sends kept in `events`. */
export interface ClockedDesk {
  desk: ReturnType<typeof openTestDesk>;
  api: Client<DeskCalls>;
  events: DeskEvent[];
  clock: { at: Date };
}

export async function openClockedDesk(start: Date, overrides: Partial<DeskOptions> = {}): Promise<ClockedDesk> {
  const clock = { at: start };
  const { desk, api } = await openReadyDesk({ now: () => clock.at, ...overrides });
  const events: DeskEvent[] = [];
  desk.subscribe((event) => events.push(event));
  return { desk, api, events, clock };
}

/** The value of a call that must succeed; a failure throws with its kind and message. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

/** The error of a call that must be refused. */
export function refusal<T>(result: Result<T>): AppError {
  if (result.ok) throw new Error('expected the call to be refused');
  return result.error;
}

/** The PIN tests give their team lead (as `npm run desk:pin` would); see electron/services/lead/lead-credentials.ts. */
export const TEST_LEAD_PIN = '246810';

/** Sets a 班长 PIN for this 工号 on the desk's own database, as an administrator would. */
export function setLeadPin(desk: Pick<Desk, 'db'>, operatorId: string, pin: string = TEST_LEAD_PIN): void {
  const set = new LeadCredentials({ settings: new SettingsRepo(desk.db), now: () => new Date(), hubUrl: () => null }).setPin(operatorId, pin);
  if (!set.ok) throw new Error(set.error.message);
}
