/** Whether the lead view is up instead of the desk, whether sign-in is open, and who signed in last. */
import { create } from 'zustand';
import { restoreFocus } from '../Overlay';
import { useShell } from '../shell-store';
import { useTickets } from '../tickets/tickets-store';

export interface LeadUiState {
  open: boolean;
  signInOpen: boolean;
  /** The sign-in was opened as the shift-start prompt (shift-prompt.ts): any desk key but F1 dismisses it. */
  signInPrompt: boolean;
  /** Bumped after a sign-in or sign-out, so an open lead view reloads for the new role. */
  operatorRevision: number;
  toggle(open?: boolean): void;
  openSignIn(open?: boolean, prompt?: boolean): void;
  /** Closes the sign-in only if it is the shift-start prompt. */
  dismissPrompt(): void;
  signedInOrOut(): Promise<void>;
}

/** The desk's element that had the focus when the lead view opened (Alt+L), to return to. */
let deskFocusId = '';

export const useLeadUi = create<LeadUiState>((set, get) => ({
  open: false,
  signInOpen: false,
  signInPrompt: false,
  operatorRevision: 0,
  toggle(open) {
    const next = open ?? !get().open;
    if (next === get().open) return;
    if (next) deskFocusId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    set({ open: next });
    // Back on the desk: the focus returns where it was when the lead view opened (the desk was redrawn).
    if (!next) requestAnimationFrame(() => restoreFocus(null, deskFocusId));
  },
  openSignIn: (open = true, prompt = false) => set({ signInOpen: open, signInPrompt: open && prompt }),
  dismissPrompt() {
    if (get().signInPrompt) set({ signInOpen: false, signInPrompt: false });
  },
  async signedInOrOut() {
    set({ operatorRevision: get().operatorRevision + 1 });
    // The header shows who is on duty; 本班工单 are that person's.
    await Promise.all([useShell.getState().load(), useTickets.getState().load()]);
  },
}));
