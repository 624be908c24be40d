/**
 * Keyboard shortcuts are declared once here; the help overlay (F1) and the on-screen hints are
 * generated from this list, so what the screen says is always what the keys do.
 */
import { useEffect } from 'react';

export interface Shortcut {
  key: string; // KeyboardEvent.key, e.g. 'F1'
  ctrl?: boolean;
  alt?: boolean;
  /** Listed in the help overlay but not in the status bar's hints. */
  helpOnly?: boolean;
  label: string; // what a call-taker reads
  run: () => void;
}

const KEY_TEXT: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓' };

export function keyLabel(s: Pick<Shortcut, 'key' | 'ctrl' | 'alt'>): string {
  return `${s.ctrl ? 'Ctrl+' : ''}${s.alt ? 'Alt+' : ''}${KEY_TEXT[s.key] ?? s.key}`;
}

export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Alt+digit arrives as the digit on Windows and Linux; compare keys case-blind (Alt+U is 'u').
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const match = shortcuts.find(
        (s) => (s.key.length === 1 ? s.key.toLowerCase() : s.key) === key && !!s.ctrl === (event.ctrlKey || event.metaKey) && !!s.alt === event.altKey,
      );
      if (!match) return;
      event.preventDefault();
      match.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}
