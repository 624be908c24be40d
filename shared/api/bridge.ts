/**
 * The shape the preload exposes on `window.hotline` (and that the browser host client imitates):
 * one call function carrying contract messages, and one event subscription. Nothing else crosses.
 */
import type { DeskEvent } from './contract';

export const IPC_CALL_CHANNEL = 'hotline:call';
export const IPC_EVENT_CHANNEL = 'hotline:event';

/**
 * The browser host's per-launch secret (electron/host/server.ts) never appears in a page: the launch
 * URL's `?launch=` token is exchanged once for an HttpOnly, SameSite=Strict cookie, which the browser
 * then sends with every call and on the event socket (renderer/src/bridge.ts sends nothing itself).
 */
export const LAUNCH_PARAM = 'launch';
/** Named per port: cookies ignore ports, and two desks on one machine must not overwrite each other's. */
export const sessionCookieName = (port: number) => `hotline_desk_${port}`;

export interface DeskBridge {
  call(message: { name: string; input: unknown }): Promise<unknown>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}
