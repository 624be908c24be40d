/**
 * The IPC side of the contract: one channel, every message checked for its sender and its shape.
 * Only frames showing the app's own pages may call; anything else gets `forbidden`.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CALL_CHANNEL } from '../../shared/api/bridge';
import type { Dispatcher } from '../../shared/api/dispatch';
import { fail } from '../../shared/result';
import type { CallContext } from '../services/handlers/context';

export function registerDeskIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatcher<CallContext>, isAppUrl: (url: string) => boolean): void {
  ipcMain.handle(IPC_CALL_CHANNEL, (event: IpcMainInvokeEvent, message: unknown) => {
    const frame = event.senderFrame;
    if (!frame || !isAppUrl(frame.url)) return fail('forbidden', '拒绝来自非本应用页面的调用');
    return dispatch(message, { transport: 'ipc' });
  });
}
