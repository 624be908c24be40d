/**
 * Window placement that survives monitors coming and going: a saved rectangle is used only if
 * enough of it is on a display that exists now; otherwise the window goes to the preferred display
 * (the second screen for the side window, when there is one) or the primary one.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayInfo {
  id: number;
  workArea: Rect;
  primary: boolean;
}

const TITLE_BAR_HEIGHT = 32;
const MIN_GRAB_WIDTH = 120;

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Centre a window of the default size inside a work area, shrinking it if the area is smaller. */
export function centredIn(area: Rect, size: { width: number; height: number }): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

export function placeWindow(
  saved: Rect | null,
  displays: readonly DisplayInfo[],
  defaultSize: { width: number; height: number },
  prefer: 'primary' | 'secondary' = 'primary',
): Rect {
  const primary = displays.find((d) => d.primary) ?? displays[0];
  if (!primary) return { x: 0, y: 0, ...defaultSize };
  if (saved && saved.width > 0 && saved.height > 0) {
    // Keep the saved place when at least half of the window, and its title bar, are on some display.
    const best = Math.max(...displays.map((d) => overlap(saved, d.workArea)));
    // The title bar must lie wholly inside one display vertically, with enough of it across to grab.
    const titleVisible = displays.some((d) => {
      const a = d.workArea;
      const inside = saved.y >= a.y && saved.y + TITLE_BAR_HEIGHT <= a.y + a.height;
      const across = Math.min(saved.x + saved.width, a.x + a.width) - Math.max(saved.x, a.x);
      return inside && across >= Math.min(saved.width, MIN_GRAB_WIDTH);
    });
    if (best >= (saved.width * saved.height) / 2 && titleVisible) return saved;
  }
  const target = prefer === 'secondary' ? (displays.find((d) => !d.primary) ?? primary) : primary;
  return centredIn(target.workArea, defaultSize);
}

/** A window's remembered place: its normal (restored) bounds and whether it was maximised. */
export interface SavedPlacement {
  bounds: Rect;
  maximized: boolean;
}

/** Where to open a window and whether to maximise it there. */
export interface WindowPlan {
  bounds: Rect;
  maximize: boolean;
}

/** A stored setting read back: a placement, or an older plain rectangle (taken as not maximised). */
export function readPlacement(stored: unknown): SavedPlacement | null {
  if (!stored || typeof stored !== 'object') return null;
  const value = stored as Partial<SavedPlacement> & Partial<Rect>;
  if (value.bounds && typeof value.bounds === 'object') return { bounds: value.bounds, maximized: value.maximized === true };
  if (typeof value.x === 'number' && typeof value.y === 'number') return { bounds: value as Rect, maximized: false };
  return null;
}

/**
 * The plan for opening a window. A remembered place still on a display is kept as it was (maximised
 * or not). Otherwise the second screen (F10) opens maximised on a display other than the primary
 * one, so it never covers the desk; with one display only it opens centred at its default size. The
 * main window opens centred on the primary display.
 */
export function planWindow(
  saved: SavedPlacement | null,
  displays: readonly DisplayInfo[],
  defaultSize: { width: number; height: number },
  kind: 'main' | 'side',
): WindowPlan {
  const prefer = kind === 'side' ? 'secondary' : 'primary';
  const bounds = placeWindow(saved?.bounds ?? null, displays, defaultSize, prefer);
  if (saved && bounds === saved.bounds) return { bounds, maximize: saved.maximized };
  const second = kind === 'side' ? displays.find((d) => !d.primary) : undefined;
  if (second) return { bounds: { ...second.workArea }, maximize: true };
  return { bounds, maximize: false };
}
