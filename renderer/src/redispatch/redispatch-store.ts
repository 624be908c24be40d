/**
 * 待派 on the desk (班长): the tickets returned to the center, from the hub through the desk
 * (shared/api/contract.ts redispatchCalls), each with the dispatch suggestion intake would make from
 * this desk's own reference data (shared/intake/dispatch.ts) — Enter sends it there, Alt+U to a unit
 * picked instead. Online only: offline the desk answers `unavailable` and the view says 需联网.
 */
import { create } from 'zustand';
import type { ReturnedTicket } from '../../../shared/api/contract';
import { api, type DeskApi } from '../bridge';
import type { AppError } from '../notice';

export interface RedispatchState {
  open: boolean;
  loading: boolean;
  rows: ReturnedTicket[];
  total: number;
  /** Why the queue could not be read (offline: 需联网（中心不可达）…). */
  error: AppError | null;
  /** What the last re-dispatch did, or why the hub refused it. */
  notice: { ok: boolean; text: string } | null;
  /** The ticket being sent, while the hub answers. */
  sending: string | null;
  show(): Promise<void>;
  hide(): void;
  load(): Promise<void>;
  /** Re-dispatches one ticket to a unit; a conflict (someone was first) says so and reloads. */
  send(row: ReturnedTicket, unit: { code: string; name: string }): Promise<boolean>;
}

export function createRedispatchStore(api: DeskApi) {
  return create<RedispatchState>((set, get) => ({
    open: false,
    loading: false,
    rows: [],
    total: 0,
    error: null,
    notice: null,
    sending: null,
    async show() {
      set({ open: true, notice: null });
      await get().load();
    },
    hide: () => set({ open: false }),
    async load() {
      set({ loading: true });
      const result = await api.call('redispatch.queue', {});
      if (!result.ok) return set({ loading: false, error: result.error, rows: [], total: 0 });
      set({ loading: false, error: null, rows: result.value.rows, total: result.value.total });
    },
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
