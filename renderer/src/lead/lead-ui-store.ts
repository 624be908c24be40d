/** Whether the lead view is up instead of the desk, whether sign-in is open, and who signed in last. */
import { create } from 'zustand';
import { useShell } from '../shell-store';
import { useTickets } from '../tickets/tickets-store';

export interface LeadUiState {
  open: boolean;
  signInOpen: boolean;
  /** Bumped after a sign-in or sign-out, so an open lead view reloads for the new role. */
  operatorRevision: number;
  toggle(open?: boolean): void;
  openSignIn(open?: boolean): void;
  signedInOrOut(): Promise<void>;
}

export const useLeadUi = create<LeadUiState>((set, get) => ({
  open: false,
  signInOpen: false,
  operatorRevision: 0,
  toggle: (open) => set({ open: open ?? !get().open }),
  openSignIn: (open = true) => set({ signInOpen: open }),
  async signedInOrOut() {
    set({ operatorRevision: get().operatorRevision + 1 });
    // The header shows who is on duty; 本班工单 are that person's.
    await Promise.all([useShell.getState().load(), useTickets.getState().load()]);
  },
}));
