/**
 * The shape the preload exposes on `window.hotline` (and that the browser host client imitates):
 * one call function carrying contract messages, and one event subscription. Nothing else crosses.
 */
import type { DeskEvent } from './contract';

export const IPC_CALL_CHANNEL = 'hotline:call';
export const IPC_EVENT_CHANNEL = 'hotline:event';

export interface DeskBridge {
  call(message: { name: string; input: unknown }): Promise<unknown>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}
