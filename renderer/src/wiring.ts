/**
 * Where the desk's pushes land: one subscription to the bridge's events, each routed to store
 * actions, and what every window loads when it starts. A window is the desk (the call-taker's
 * screen, or the lead view over it) or the second screen (?window=side).
 */
import type { DeskEvent } from '../../shared/api/contract';
import { bridge, isSideWindow } from './bridge';
import { focusField } from './desk-ids';
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

/** Loads what the window starts with and routes the desk's events; the returned function stops both. */
export function wireWindow(): () => void {
  void useShell.getState().load();
  void useReference.getState().loadStatus();
  if (!isSideWindow) {
    void useTickets.getState().load();
    void useIntake.getState().restoreSaved();
  }
  const unsubscribe = bridge.onEvent(route);
  return () => {
    unsubscribe();
    useIntake.getState().dispose();
  };
}
