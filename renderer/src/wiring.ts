/**
 * Where the desk's pushes land: one subscription to the bridge's events, each routed to store
 * actions, and what every window loads when it starts. A window is the desk (the call-taker's
 * screen, or the lead view over it) or the second screen (?window=side).
 */
import type { DeskEvent } from '../../shared/api/contract';
import { api, bridge, isSideWindow } from './bridge';
import { focusField } from './desk-ids';
import { setFocusHome } from './Overlay';
import { promptMemory, shouldPromptSignIn } from './shift-prompt';
import { rememberSidePlace } from './side-placement';
import { useIntake } from './intake/intake-store';
import { useKb } from './kb/kb-store';
import { useLead } from './lead/lead-store';
import { useLeadUi } from './lead/lead-ui-store';
import { useReference } from './reference-store';
import { useShell } from './shell-store';
import { useSide } from './side-store';
import { useTickets } from './tickets/tickets-store';

function route(event: DeskEvent): void {
  switch (event.name) {
    case 'app.health':
      return useShell.getState().setHealth(event.payload);
    case 'reference.status':
      return useReference.getState().setStatus(event.payload);
    case 'side.view':
      if (isSideWindow) useSide.getState().show(event.payload);
      return;
    case 'tickets.changed':
      if (isSideWindow) return useSide.getState().ticketsChanged();
      void useTickets.getState().load();
      // A ticket written (here, or a status from the hub) refreshes the figures the lead is looking at.
      if (useLeadUi.getState().open && useLead.getState().status === 'ready') void useLead.getState().query();
      return;
    case 'lead.exportProgress':
      if (!isSideWindow) useLead.getState().exportProgress(event.payload);
      return;
    case 'call.incoming': {
      if (isSideWindow) return;
      // A call that comes in while the lead view is open brings the desk back for it.
      const leadWasOpen = useLeadUi.getState().open;
      if (leadWasOpen) useLeadUi.getState().toggle(false);
      if (useIntake.getState().newCall(event.payload.phone, event.payload.startedAt)) {
        useKb.getState().reset();
        focusField('callerName');
      }
      if (leadWasOpen) requestAnimationFrame(() => focusField('callerName'));
      return;
    }
  }
}

/**
 * The sign-in prompt at the start of a shift (shift-prompt.ts). When the window opens, only if the
 * call-taker has not started on anything yet; when a shift begins while the desk runs, once the form
 * is free (never in the middle of a call).
 */
function watchShiftStart(): () => void {
  let windowStart = true;
  const check = () => {
    const operatorId = useShell.getState().info?.operator.id;
    const shift = useTickets.getState().shiftKey;
    if (!operatorId || !shift) return;
    if (!shouldPromptSignIn(operatorId, shift, promptMemory.get())) {
      windowStart = false;
      return;
    }
    if (windowStart) {
      windowStart = false;
      // A draft brought back after a crash is a call in progress: ask once it is done.
      if (useIntake.getState().touched) return;
      promptMemory.set(shift);
      // Already at work (F2 pressed before the desk had loaded who is on duty): no prompt this shift.
      if (document.activeElement && document.activeElement !== document.body) return;
    } else {
      if (useIntake.getState().touched) return; // ask when the call is done
      promptMemory.set(shift);
    }
    if (!useLeadUi.getState().signInOpen) useLeadUi.getState().openSignIn(true, true);
  };
  const stopShell = useShell.subscribe(check);
  const stopTickets = useTickets.subscribe(check);
  const stopIntake = useIntake.subscribe((s, before) => s.touched !== before.touched && check());
  check(); // what has loaded already (the watch may start after the shell and 本班工单 are in)
  // The shift in the header and of 本班工单 moves on by itself.
  const timer = setInterval(() => {
    void useShell.getState().load();
    void useTickets.getState().load();
  }, 60_000);
  return () => {
    stopShell();
    stopTickets();
    stopIntake();
    clearInterval(timer);
  };
}

/** A new call (a fresh draft) clears the second screen, which then follows this call's answer and history. */
function followCallOnSideScreen(): () => void {
  return useIntake.subscribe((s, before) => {
    if (s.draft.id !== before.draft.id) void api.call('side.show', { view: { kind: 'none' } });
  });
}

/**
 * A refused submit's banner ("还有 1 处需要补充…", "请先打开答复文章…") is about the form as it was:
 * once the call-taker changes the form or reads an article into view it is stale, and goes.
 */
function clearStaleRefusal(): () => void {
  const clear = () => {
    if (useIntake.getState().notice?.kind === 'error') useIntake.getState().clearNotice();
  };
  const stopIntake = useIntake.subscribe((s, before) => s.draft !== before.draft && clear());
  const stopKb = useKb.subscribe((s, before) => s.article !== before.article && s.article !== null && clear());
  return () => {
    stopIntake();
    stopKb();
  };
}

/** Loads what the window starts with and routes the desk's events; the returned function stops both. */
export function wireWindow(): () => void {
  void useShell.getState().load();
  void useReference.getState().loadStatus();
  const stops: Array<() => void> = [];
  if (!isSideWindow) {
    void useTickets.getState().load();
    // The shift-start prompt waits for a crashed call's draft to be back, so it never covers that call.
    let stopWatch: (() => void) | null = null;
    let stopped = false;
    void useIntake
      .getState()
      .restoreSaved()
      .finally(() => {
        if (!stopped) stopWatch = watchShiftStart();
      });
    stops.push(() => {
      stopped = true;
      stopWatch?.();
    });
    stops.push(followCallOnSideScreen(), clearStaleRefusal());
    // An overlay whose opener is gone gives the focus back to the first field of the form.
    setFocusHome(() => focusField('callerPhone'));
  } else {
    stops.push(rememberSidePlace());
  }
  const unsubscribe = bridge.onEvent(route);
  return () => {
    unsubscribe();
    for (const stop of stops) stop();
    useIntake.getState().dispose();
  };
}
