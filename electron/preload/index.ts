/**
 * The preload runs sandboxed with context isolation: it exposes one typed bridge and nothing else.
 * Validation happens on the main side, which never trusts what arrives here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type DeskBridge } from '../../shared/api/bridge';
import type { DeskEvent } from '../../shared/api/contract';

const bridge: DeskBridge = {
  call: (message) => ipcRenderer.invoke(IPC_CALL_CHANNEL, message),
  onEvent(listener) {
    const wrapped = (_event: IpcRendererEvent, payload: DeskEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('hotline', bridge);
