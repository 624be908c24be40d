/**
 * 查询工单 and 催办 on the desk (F5): a caller rings about a ticket — the call-taker types its number,
 * a 临… number or the caller's phone, reads out status, unit, deadlines and trail, and records a
 * 催办 on that same ticket. Answers come from the hub across every desk (全中心) or, when it cannot
 * be reached in time, from this desk's own tickets (本机); an offline 催办 waits in the outbox
 * (shared/api/contract.ts centerIntakeCalls).
 */
import { create } from 'zustand';
import type { LookupTicket } from '../../../shared/api/contract';
import { api, type DeskApi } from '../bridge';

export interface LookupState {
  open: boolean;
  key: string;
  searching: boolean;
  scope: 'center' | 'local' | null;
  tickets: LookupTicket[];
  active: number;
  error: string | null;
  /** What the last 催办 did. */
  notice: { ok: boolean; text: string } | null;
  urging: boolean;
  show(key?: string): void;
  hide(): void;
  setKey(key: string): void;
  setActive(index: number): void;
  search(): Promise<void>;
  urge(note: string): Promise<boolean>;
}

export function createLookupStore(api: DeskApi) {
  return create<LookupState>((set, get) => ({
    open: false,
    key: '',
    searching: false,
    scope: null,
    tickets: [],
    active: 0,
    error: null,
    notice: null,
    urging: false,
    show(key = '') {
      set({ open: true, key: key || get().key, notice: null, error: null });
      if (get().key.trim()) void get().search();
    },
    hide: () => set({ open: false }),
    setKey: (key) => set({ key }),
    setActive: (index) => set({ active: Math.max(0, Math.min(index, get().tickets.length - 1)) }),
    async search() {
      const key = get().key.trim();
      if (!key) return set({ error: '请输入工单编号、临时编号或来电号码' });
      set({ searching: true, error: null, notice: null });
      const result = await api.call('tickets.lookup', { key });
      if (!result.ok) return set({ searching: false, error: result.error.message, tickets: [], scope: null });
      set({
        searching: false,
        scope: result.value.scope,
        tickets: result.value.tickets,
        active: 0,
        error: result.value.tickets.length ? null : `没有找到“${key}”对应的工单${result.value.scope === 'local' ? '（中心不可达，只查了本机）' : ''}`,
      });
    },
    async urge(note) {
      const ticket = get().tickets[get().active];
      if (!ticket || get().urging) return false;
      set({ urging: true });
      const result = await api.call('tickets.urge', { ticketId: ticket.id, note });
      if (!result.ok) {
        set({ urging: false, notice: { ok: false, text: result.error.message } });
        return false;
      }
      const v = result.value;
      const text = v.queued
        ? `中心暂不可达：工单 ${v.number} 的催办已排入待同步，恢复连接后发送`
        : `已在工单 ${v.number} 上记录催办（共 ${v.urgeCount} 次）${v.suggestion ? `；${v.suggestion}` : ''}`;
      set({ urging: false, notice: { ok: true, text } });
      if (!v.queued) await get().search().then(() => set({ notice: { ok: true, text } }));
      return true;
    },
  }));
}

export const useLookup = createLookupStore(api);
