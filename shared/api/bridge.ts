/**
 * The shape the preload exposes on `window.hotline` (and that the browser host client imitates):
 * one call function carrying contract messages, and one event subscription. Nothing else crosses.
 */
import type { DeskEvent } from './contract';

export const IPC_CALL_CHANNEL = 'hotline:call';
export const IPC_EVENT_CHANNEL = 'hotline:event';

/**
 * The browser host's per-launch secret (electron/host/server.ts): written into the page it serves as
 * `<meta name=SECRET_META>`, sent back by the page (renderer/src/bridge.ts) on every call in the
 * SECRET_HEADER header and on the event socket as `?secret=`.
 */
export const SECRET_HEADER = 'x-hotline-secret';
export const SECRET_META = 'hotline-host-secret';

export interface DeskBridge {
  call(message: { name: string; input: unknown }): Promise<unknown>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}
