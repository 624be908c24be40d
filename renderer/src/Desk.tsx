/** The call-taker's screen: the intake form, what happens to the ticket, the knowledge base, and the keys that drive them. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { HelpOverlay } from './chrome/HelpOverlay';
import { Notices } from './chrome/Notices';
import { StatusBar } from './chrome/StatusBar';
import { bindCommands, DESK_COMMANDS, DESK_FIELD_KEYS, SHELL_COMMANDS, SIDE_COMMANDS, type Shortcut } from './commands';
import { deskHandlers, type LinkOffer } from './desk-commands';
import { focusElement } from './desk-ids';
import { DispositionPanel, LinkConfirm, suggestionFor, UnitPicker, useDispatchSuggestion } from './intake/DispositionPanel';
import { IntakeForm, useContentSuggestions } from './intake/IntakeForm';
import { useIntake } from './intake/intake-store';
import { useKb } from './kb/kb-store';
import { KbPanel } from './kb/KbPanel';
import { useLeadUi } from './lead/lead-ui-store';
import { RedispatchQueue } from './redispatch/RedispatchQueue';
import { CallbackQueue } from './callback/CallbackQueue';
import { useCallbacks } from './callback/callback-store';
import { LookupView } from './lookup/LookupView';
import { useLookup } from './lookup/lookup-store';
import { useRedispatch } from './redispatch/redispatch-store';
import { WebIntakeQueue } from './web-intake/WebIntakeQueue';
import { useWebIntake } from './web-intake/web-intake-store';
import { useReference } from './reference-store';
import { useShell } from './shell-store';
import { dismissingPrompt } from './shift-prompt';
import { useShortcuts } from './shortcuts';
import { SideScreen } from './SideScreen';
import { MyTickets, TicketDetailOverlay } from './tickets/MyTickets';

export function Desk() {
  const suggestions = useContentSuggestions();
  const suggestion = useDispatchSuggestion();
  const leafCode = useIntake((s) => s.draft.leafCode);
  const [unitPickerOpen, setUnitPickerOpen] = useState(false);
  const [linkOffer, setLinkOffer] = useState<LinkOffer | null>(null);
  const contextTerm = suggestions[0]?.terms[0]?.text ?? null;
  // The keys read the suggestions on screen when pressed, not when the table was bound.
  const shown = useRef(suggestions);
  useEffect(() => {
    shown.current = suggestions;
  }, [suggestions]);

  const shortcuts = useMemo<Shortcut[]>(
    () =>
      bindCommands(
        DESK_COMMANDS,
        // The shift-start sign-in prompt gives way to any desk key but F1 and Alt+S (shift-prompt.ts).
        dismissingPrompt(deskHandlers({
          intake: () => useIntake.getState(),
          suggestion: () => suggestionFor(useIntake.getState(), useReference.getState()),
          kbArticleId: () => useKb.getState().chosenId(),
          resetKb: () => useKb.getState().reset(),
          contentSuggestions: () => shown.current,
          focus: focusElement,
          afterRender: (run) => setTimeout(run, 0),
          toggleHelp: () => useShell.getState().toggleHelp(),
          openSecondScreen: () => void useShell.getState().openSecondScreen(),
          openUnitPicker: () => setUnitPickerOpen(true),
          openSignIn: () => useLeadUi.getState().openSignIn(),
          openLead: () => useLeadUi.getState().toggle(true),
          openRedispatch: () => void useRedispatch.getState().show(),
          openCallbacks: () => void useCallbacks.getState().show(),
          openWebIntake: () => void useWebIntake.getState().show(),
          openLinkConfirm: setLinkOffer,
          openLookup: () => useLookup.getState().show(useIntake.getState().draft.callerPhone),
        }), () => useLeadUi.getState().dismissPrompt()),
      ).concat(bindCommands(SHELL_COMMANDS, { health: () => useShell.getState().toggleHealth() })),
    [],
  );
  useShortcuts(shortcuts);

  return (
    <>
      <Notices />
      <main className="layout">
        <section className="card intake" aria-labelledby="intake-title">
          <h2 id="intake-title">受理工单</h2>
          <IntakeForm suggestions={suggestions} />
        </section>
        <section className="card handling" aria-labelledby="handling-title">
          <h2 id="handling-title">处理方式</h2>
          <DispositionPanel suggestion={suggestion} />
          <MyTickets />
        </section>
        <aside className="sidepanel">
          <section className="card grow" aria-labelledby="kb-title">
            <h2 id="kb-title">
              知识库 <span className="hint"><kbd>F4</kbd> 检索 <kbd>F7</kbd> 咨询办结</span>
            </h2>
            <KbPanel leafCode={leafCode} contextTerm={contextTerm} />
          </section>
        </aside>
      </main>
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} fieldKeys={DESK_FIELD_KEYS} />
      <TicketDetailOverlay />
      {unitPickerOpen && <UnitPicker onClose={() => setUnitPickerOpen(false)} />}
      {linkOffer && <LinkConfirm offer={linkOffer} onClose={() => setLinkOffer(null)} />}
      <RedispatchQueue />
      <CallbackQueue />
      <WebIntakeQueue />
      <LookupView />
    </>
  );
}

/** The second window: the current call's answer and history side by side (本机状态 behind Alt+I, as on the desk). */
export function SideWindow() {
  const shortcuts = useMemo<Shortcut[]>(
    () => bindCommands(SIDE_COMMANDS, { help: () => useShell.getState().toggleHelp(), health: () => useShell.getState().toggleHealth() }),
    [],
  );
  useShortcuts(shortcuts);
  return (
    <>
      <main className="side-layout">
        <SideScreen />
      </main>
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} />
    </>
  );
}
