/**
 * Every overlay on the desk and in the lead view: a modal dialog over a dimmed backdrop. Esc closes
 * the top one wherever the focus is (an overlay may ask for its own Esc, e.g. the drill-down closes
 * its trail first); a click on the backdrop closes it; on close the focus goes back to the element
 * that had it when the overlay opened — or, when that element has been redrawn, to the one with its
 * id, or else to the screen's home field (setFocusHome) — unless the key that closed it has already
 * put the focus somewhere else. A field inside that handles Esc itself stops the key there.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface OpenOverlay {
  escape(): void;
}

/** Open overlays, the top one last: Esc is for the top one only. */
const open: OpenOverlay[] = [];

/** Where the focus goes when an overlay closes and what opened it is gone (the desk: the first field). */
let focusHome: () => void = () => {};
export function setFocusHome(home: () => void): void {
  focusHome = home;
}

/** After an overlay closed: back to what opened it, its redrawn twin, or home. */
export function restoreFocus(opener: HTMLElement | null, openerId: string): void {
  const now = document.activeElement;
  // A key that closed the overlay and moved on (F2, F3…) has put the focus where it wants it.
  if (now && now !== document.body) return;
  const target = opener?.isConnected ? opener : openerId ? document.getElementById(openerId) : null;
  if (target) target.focus();
  else focusHome();
}

function onWindowKey(event: KeyboardEvent): void {
  const top = open.at(-1);
  if (event.key !== 'Escape' || !top) return;
  event.preventDefault();
  top.escape();
}

export interface OverlayProps {
  onClose(): void;
  /** What Esc does; closing unless given. */
  onEscape?(): void;
  /** The id of the dialog's heading, or else a label. */
  labelledBy?: string;
  label?: string;
  /** Extra classes of the box, e.g. "wide". */
  boxClassName?: string;
  testId?: string;
  /** data-state on the dialog, for tests waiting on it. */
  state?: string;
  children: ReactNode;
}

export function Overlay({ onClose, onEscape, labelledBy, label, boxClassName, testId, state, children }: OverlayProps) {
  const box = useRef<HTMLDivElement>(null);
  // Read while rendering, before anything inside takes the focus (autoFocus).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null));
  const [openerId] = useState(() => opener?.id ?? '');
  const escape = useRef(onEscape ?? onClose);
  useEffect(() => {
    escape.current = onEscape ?? onClose;
  });

  useEffect(() => {
    const me: OpenOverlay = { escape: () => escape.current() };
    open.push(me);
    if (open.length === 1) window.addEventListener('keydown', onWindowKey);
    if (!box.current?.contains(document.activeElement)) box.current?.focus();
    return () => {
      open.splice(open.indexOf(me), 1);
      if (open.length === 0) window.removeEventListener('keydown', onWindowKey);
      restoreFocus(opener, openerId);
    };
  }, [opener, openerId]);

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby={labelledBy} aria-label={label} data-testid={testId} data-state={state} onClick={onClose}>
      <div ref={box} className={`overlay-box ${boxClassName ?? ''}`} tabIndex={-1} onClick={(e) => e.stopPropagation()}>
        {children}
      </div>
    </div>
  );
}
