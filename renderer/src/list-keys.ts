/**
 * The keys every pick list on the desk answers the same way: ↑/↓ move the highlight (kept inside
 * the list), Enter takes the highlighted item, Esc backs out. One handler so a call-taker's fingers
 * never meet a list that behaves differently.
 */
import type { KeyboardEvent } from 'react';

export interface ListKeys<T> {
  items: readonly T[];
  active: number;
  setActive: (update: (active: number) => number) => void;
  onEnter: (item: T) => void;
  /** Esc; the event stops here so an overlay behind does not close too. */
  onEscape?: () => void;
}

export function handleListKeys<T>(event: KeyboardEvent, keys: ListKeys<T>): void {
  const { items, active } = keys;
  // Alt+↓, Ctrl+Enter … are desk commands (next related ticket, submit), not the list's keys.
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === 'ArrowDown' && items.length) {
    event.preventDefault();
    keys.setActive((a) => Math.min(a + 1, items.length - 1));
  } else if (event.key === 'ArrowUp' && items.length) {
    event.preventDefault();
    keys.setActive((a) => Math.max(a - 1, 0));
  } else if (event.key === 'Enter' && items[active] !== undefined) {
    event.preventDefault();
    keys.onEnter(items[active]);
  } else if (event.key === 'Escape' && keys.onEscape) {
    event.stopPropagation();
    keys.onEscape();
  }
}
