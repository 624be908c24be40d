/**
 * Where the browser host opens the second screen (F10): a popup window of the same app. It goes where
 * it was last (the side window remembers its own place), else maximised on a screen other than the
 * desk's when the browser tells which screens there are, else filling the desk's screen. Plain
 * functions over numbers, tested in test/unit/shell-logic.test.ts; the window calls are at the end.
 */

export interface ScreenRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const SIDE_PLACEMENT_KEY = 'hotline.side.placement';
const MIN_WIDTH = 640;
const MIN_HEIGHT = 480;

function overlapArea(a: ScreenRect, b: ScreenRect): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** A remembered place read back, or null when it is not one. */
export function readSidePlacement(text: string | null): ScreenRect | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<ScreenRect>;
    if ([v.left, v.top, v.width, v.height].every((n) => typeof n === 'number' && Number.isFinite(n)) && v.width! >= MIN_WIDTH && v.height! >= MIN_HEIGHT) {
      return { left: v.left!, top: v.top!, width: v.width!, height: v.height! };
    }
  } catch {
    // an unreadable value is as good as none
  }
  return null;
}

/**
 * The popup's place.
 * @param saved where the side window was last
 * @param current the work area of the screen the desk is on
 * @param others the work areas of the other screens, when the browser lets the page know them
 */
export function sidePopupPlace(saved: ScreenRect | null, current: ScreenRect, others: readonly ScreenRect[]): ScreenRect {
  const screens = [current, ...others];
  // Half of it on a screen that is still there: keep it.
  if (saved && screens.some((s) => overlapArea(saved, s) >= (saved.width * saved.height) / 2)) return saved;
  return { ...(others[0] ?? current) };
}

/** window.open's features for a place. */
export function popupFeatures(place: ScreenRect): string {
  return `popup,left=${Math.round(place.left)},top=${Math.round(place.top)},width=${Math.round(place.width)},height=${Math.round(place.height)}`;
}

interface ScreenDetailed {
  availLeft: number;
  availTop: number;
  availWidth: number;
  availHeight: number;
}

function rectOf(s: ScreenDetailed): ScreenRect {
  return { left: s.availLeft, top: s.availTop, width: s.availWidth, height: s.availHeight };
}

/** The other screens, only when the call-taker has already allowed the page to know them (no prompt mid-call). */
async function otherScreens(): Promise<ScreenRect[]> {
  try {
    const status = await navigator.permissions.query({ name: 'window-management' as PermissionName });
    const details = (window as unknown as { getScreenDetails?: () => Promise<{ screens: ScreenDetailed[]; currentScreen: ScreenDetailed }> }).getScreenDetails;
    if (status.state !== 'granted' || !details) return [];
    const { screens, currentScreen } = await details.call(window);
    return screens.filter((s) => s !== currentScreen).map(rectOf);
  } catch {
    return [];
  }
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Opens (or brings forward) the second screen's popup at its place. */
export async function openSidePopup(url: string): Promise<void> {
  const current = rectOf(window.screen as unknown as ScreenDetailed);
  const place = sidePopupPlace(readSidePlacement(storage()?.getItem(SIDE_PLACEMENT_KEY) ?? null), current, await otherScreens());
  const popup = window.open(url, 'hotline-side', popupFeatures(place));
  popup?.focus();
}

/** In the side window: remember where it is whenever it moves or changes size, for the next F10. */
export function rememberSidePlace(): () => void {
  let last = '';
  const save = () => {
    const place = JSON.stringify({ left: window.screenX, top: window.screenY, width: window.outerWidth, height: window.outerHeight });
    if (place === last) return;
    last = place;
    storage()?.setItem(SIDE_PLACEMENT_KEY, place);
  };
  // Moving a window fires no event: look every few seconds, and on resize and close.
  const timer = setInterval(save, 3000);
  window.addEventListener('resize', save);
  window.addEventListener('beforeunload', save);
  return () => {
    clearInterval(timer);
    window.removeEventListener('resize', save);
    window.removeEventListener('beforeunload', save);
  };
}
