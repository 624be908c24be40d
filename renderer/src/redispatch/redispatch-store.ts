/**
 * 待派 on the desk (班长): the tickets returned to the center, from the hub through the desk
 * (shared/api/contract.ts redispatchCalls), each with the dispatch suggestion intake would make from
 * this desk's own reference data (shared/intake/dispatch.ts) — Enter sends it there, Alt+U to a unit
 * picked instead. Online only: offline the desk answers `unavailable` and the view says 需联网.
 */
import { create } from 'zustand';
import type { ReturnedTicket } from '../../../shared/api/contract';
import { api, type DeskApi } from '../bridge';
import { hubQueue, type HubQueueState } from '../hub-queue';

export interface RedispatchState extends HubQueueState<ReturnedTicket> {
  /** The ticket being sent, while the hub answers. */
  sending: string | null;
  /** Re-dispatches one ticket to a unit; a conflict (someone was first) says so and reloads. */
  send(row: ReturnedTicket, unit: { code: string; name: string }): Promise<boolean>;
}

export function createRedispatchStore(api: DeskApi) {
  return create<RedispatchState>((set, get) => ({
    ...hubQueue<ReturnedTicket>(set, get, () => api.call('redispatch.queue', {})),
    sending: null,
    async send(row, unit) {
      if (get().sending) return false;
      set({ sending: row.id });
      const result = await api.call('redispatch.send', { ticketId: row.id, version: row.version, unitCode: unit.code });
      set({
        sending: null,
        notice: result.ok
          ? { ok: true, text: `工单 ${result.value.number} 已重新派给${result.value.unitName ?? unit.name}` }
          : { ok: false, text: result.error.message },
      });
      if (!result.ok && result.error.kind === 'unavailable') set({ error: result.error });
      await get().load();
      return result.ok;
    },
  }));
}

export const useRedispatch = createRedispatchStore(api);
