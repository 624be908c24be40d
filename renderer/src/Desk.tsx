/** The call-taker's screen: the intake form, what happens to the ticket, the knowledge base, and the keys that drive them. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { HealthPanel } from './chrome/HealthPanel';
import { HelpOverlay } from './chrome/HelpOverlay';
import { Notices } from './chrome/Notices';
import { StatusBar } from './chrome/StatusBar';
import { bindCommands, DESK_COMMANDS, SIDE_COMMANDS, type Shortcut } from './commands';
import { deskHandlers } from './desk-commands';
import { focusElement } from './desk-ids';
import { DispositionPanel, suggestionFor, UnitPicker, useDispatchSuggestion } from './intake/DispositionPanel';
import { IntakeForm, useContentSuggestions } from './intake/IntakeForm';
import { useIntake } from './intake/intake-store';
import { useKb } from './kb/kb-store';
import { KbPanel } from './kb/KbPanel';
import { useLeadUi } from './lead/lead-ui-store';
import { useReference } from './reference-store';
import { useShell } from './shell-store';
import { useShortcuts } from './shortcuts';
import { SideScreen } from './SideScreen';
import { MyTickets, TicketDetailOverlay } from './tickets/MyTickets';

export function Desk() {
  const suggestions = useContentSuggestions();
  const suggestion = useDispatchSuggestion();
  const leafCode = useIntake((s) => s.draft.leafCode);
  const [unitPickerOpen, setUnitPickerOpen] = useState(false);
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
        deskHandlers({
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
        }),
      ),
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
          <HealthPanel />
        </aside>
      </main>
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} />
      <TicketDetailOverlay />
      {unitPickerOpen && <UnitPicker onClose={() => setUnitPickerOpen(false)} />}
    </>
  );
}

/** The second window: what the desk shows there, and the desk's health. */
export function SideWindow() {
  const shortcuts = useMemo<Shortcut[]>(() => bindCommands(SIDE_COMMANDS, { help: () => useShell.getState().toggleHelp() }), []);
  useShortcuts(shortcuts);
  return (
    <>
      <main className="side-layout">
        <SideScreen />
        <HealthPanel />
      </main>
      <StatusBar shortcuts={shortcuts} />
      <HelpOverlay shortcuts={shortcuts} />
    </>
  );
}
