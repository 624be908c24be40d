/**
 * How the renderer reaches the desk: the preload's `window.hotline` under Electron, or the same
 * bridge over HTTP/WebSocket when the page is served by the browser host. Either way the rest of the
 * renderer sees one typed client from the shared contract and never touches a transport.
 */
import type { DeskBridge } from '../../shared/api/bridge';
import { createClient, type Client } from '../../shared/api/client';
import { deskCalls, type DeskCalls, type DeskEvent } from '../../shared/api/contract';

declare global {
  interface Window {
    hotline?: DeskBridge;
  }
}


function browserHostBridge(): DeskBridge {
  // The browser host's session cookie (HttpOnly, set by the launch URL) goes with every same-origin
  // call and the event socket; the page never sees the secret.
  const listeners = new Set<(event: DeskEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 0;

  const connect = () => {
    const url = new URL('/events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => {
      retry = 0;
    };
    socket.onmessage = (message) => {
      try {
        const event = JSON.parse(String(message.data)) as DeskEvent;
        for (const listener of listeners) listener(event);
      } catch {
        // A malformed event is dropped; the next one still arrives.
      }
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(connect, Math.min(10_000, 250 * 2 ** retry++));
    };
  };

  return {
    async call(message) {
      const response = await fetch('/api', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      return response.json();
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  };
}

/** What a store needs of the desk: its calls (a fake in unit tests). */
export type DeskApi = Pick<Client<DeskCalls>, 'call'>;

export const bridge: DeskBridge = window.hotline ?? browserHostBridge();
export const api: Client<DeskCalls> = createClient(deskCalls, bridge, { validateOutput: import.meta.env.DEV });
export const isSideWindow = new URLSearchParams(window.location.search).get('window') === 'side';
