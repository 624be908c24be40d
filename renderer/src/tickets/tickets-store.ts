/** 本班工单: this shift's tickets on this desk, and the one whose trail is open. */
import { create } from 'zustand';
import type { TicketDetail, TicketSummary } from '../../../shared/api/contract';
import { api, type DeskApi } from '../bridge';
import type { AppError } from '../notice';
import { shiftKey } from '../shift-prompt';

export interface TicketsState {
  tickets: TicketSummary[];
  shiftLabel: string;
  /** The shift 本班工单 is of (shift-prompt.ts shiftKey), once loaded. */
  shiftKey: string | null;
  detail: TicketDetail | null;
  error: AppError | null;
  load(): Promise<void>;
  /** Opens a ticket's trail here and on the second screen. */
  open(id: string): Promise<void>;
  close(): void;
}

export function createTicketsStore(api: DeskApi) {
  return create<TicketsState>((set, get) => ({
    tickets: [],
    shiftLabel: '',
    shiftKey: null,
    detail: null,
    error: null,
    async load() {
      const result = await api.call('tickets.mine', {});
      if (!result.ok) return set({ error: result.error });
      const { shift, shiftDate, tickets } = result.value;
      set({ tickets, shiftLabel: `${shiftDate} ${shift.name}`, shiftKey: shiftKey(shiftDate, shift.code), error: null });
      // The open trail is read again; the second screen stays on what it shows now.
      const open = get().detail;
      if (open && tickets.some((t) => t.id === open.id)) {
        const again = await api.call('tickets.get', { id: open.id });
        if (again.ok && get().detail?.id === open.id) set({ detail: again.value });
      }
    },
    async open(id) {
      const result = await api.call('tickets.get', { id });
      if (!result.ok) return set({ error: result.error });
      set({ detail: result.value });
      void api.call('side.show', { view: { kind: 'ticket', id } });
    },
    close: () => set({ detail: null }),
  }));
}

export const useTickets = createTicketsStore(api);
