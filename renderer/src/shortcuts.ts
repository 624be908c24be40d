/**
 * Keyboard shortcuts are declared once here; the help overlay (F1) and the on-screen hints are
 * generated from this list, so what the screen says is always what the keys do.
 */
import { useEffect } from 'react';

export interface Shortcut {
  key: string; // KeyboardEvent.key, e.g. 'F1'
  ctrl?: boolean;
  label: string; // what a call-taker reads
  run: () => void;
}

export function keyLabel(s: Pick<Shortcut, 'key' | 'ctrl'>): string {
  return `${s.ctrl ? 'Ctrl+' : ''}${s.key}`;
}

export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const match = shortcuts.find((s) => s.key === event.key && !!s.ctrl === (event.ctrlKey || event.metaKey));
      if (!match) return;
      event.preventDefault();
      match.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}
