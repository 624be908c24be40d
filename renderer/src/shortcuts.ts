/** Listens for a screen's bound commands (commands.ts) while the screen is up. */
import { useEffect } from 'react';
import { commandFor, type Shortcut } from './commands';

export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const match = commandFor(shortcuts, event);
      if (!match) return;
      event.preventDefault();
      match.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}
