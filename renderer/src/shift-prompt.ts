/**
 * The sign-in prompt at the start of a shift: when a shift begins (or the desk opens into one) and
 * nobody is signed in, the sign-in dialog opens once for that shift. It is a prompt, not a gate: any
 * desk key but F1 (help) and Alt+S (sign-in itself) closes it and does what it says, and the
 * tickets taken then stay in 本班工单 as 值班坐席（签到前）. Plain functions; the screen wires them.
 */
import { isDutyOperator } from '../../shared/roles';

/** The shift a prompt belongs to: its date and code, as 本班工单 reports them. */
export function shiftKey(shiftDate: string, shiftCode: string): string {
  return `${shiftDate}/${shiftCode}`;
}

/** Whether to prompt now: nobody signed in, a shift known, and not yet prompted for this shift. */
export function shouldPromptSignIn(operatorId: string | null | undefined, currentShift: string | null, promptedShift: string | null): boolean {
  return !!operatorId && isDutyOperator(operatorId) && !!currentShift && currentShift !== promptedShift;
}

/** Commands that leave the prompt open: help, and sign-in itself. */
const KEEPS_PROMPT: ReadonlySet<string> = new Set(['help', 'signIn']);

/** The handlers with the prompt dismissed first by every command but help and sign-in. */
export function dismissingPrompt<H extends Record<string, () => unknown>>(handlers: H, dismiss: () => void): H {
  return Object.fromEntries(
    Object.entries(handlers).map(([id, run]) => [id, KEEPS_PROMPT.has(id) ? run : () => (dismiss(), run())]),
  ) as H;
}

const PROMPTED_KEY = 'hotline.signInPrompted';

/** The shift last prompted for, kept across reloads of the window. */
export const promptMemory = {
  get(): string | null {
    try {
      return window.localStorage.getItem(PROMPTED_KEY);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    try {
      window.localStorage.setItem(PROMPTED_KEY, key);
    } catch {
      // private mode: the prompt may come again after a reload
    }
  },
};
