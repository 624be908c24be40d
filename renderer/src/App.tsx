/**
 * The window: its chrome (chrome/), then the desk (Desk.tsx), the lead view over it (lead/entry.tsx)
 * or the second screen. What the window loads and the events it follows are wired in wiring.ts.
 */
import { useEffect } from 'react';
import { isSideWindow } from './bridge';
import { HealthOverlay } from './chrome/HealthPanel';
import { Header } from './chrome/Header';
import { Desk, SideWindow } from './Desk';
import { LeadScreen, SignInDialog } from './lead/entry';
import { useLeadUi } from './lead/lead-ui-store';
import { useShell } from './shell-store';
import { wireWindow } from './wiring';

export function App() {
  const leadOpen = useLeadUi((s) => s.open);
  const error = useShell((s) => s.error);
  const info = useShell((s) => s.info);

  useEffect(() => wireWindow(), []);

  useEffect(() => {
    // The app's own readiness signal: tests and scripts wait for this, never for a timer.
    if (info) document.documentElement.dataset.appReady = 'true';
  }, [info]);

  return (
    <div className={`app ${isSideWindow ? 'app-side' : ''}`}>
      <Header />
      {error && (
        <div className="banner banner-error" role="alert">
          {error.message}
        </div>
      )}
      {isSideWindow ? <SideWindow /> : leadOpen ? <LeadScreen /> : <Desk />}
      {!isSideWindow && <SignInDialog />}
      <HealthOverlay />
    </div>
  );
}
