/**
 * What the desk's handler files (one per area, composed by electron/services/desk.ts) are given: the
 * clock, the event push to every window, and the wait for the bundled reference data.
 */
import type { DeskCalls, DeskEvent } from '../../../shared/api/contract';
import type { Handlers } from '../../../shared/api/dispatch';

/** Who is calling, as the transport knows it. */
export interface CallContext {
  transport: 'ipc' | 'http';
}

/** The handlers of some of the desk's calls. */
export type DeskHandlers<N extends keyof DeskCalls> = Pick<Handlers<DeskCalls, CallContext>, N>;

export interface DeskContext {
  now: () => Date;
  emit(event: DeskEvent): void;
  /** Settles when the bundled reference data is loaded (or failed to load). */
  ready: Promise<unknown>;
  /** Calls that read reference data wait for the first load, so a fresh desk never answers with nothing. */
  whenReady<T>(read: () => T): Promise<T>;
}
