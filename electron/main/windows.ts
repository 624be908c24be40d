/**
 * The one window factory. Every window the desk opens is sandboxed, context-isolated, without Node,
 * may not navigate away from the app, may not open windows of its own, and gets no permissions.
 */
import { BrowserWindow, screen, shell, type Rectangle, type WebContents } from 'electron';
import { join } from 'node:path';
import { planWindow, type SavedPlacement } from '../services/window-bounds';
import { isAllowedExternal } from '../services/external-links';

export const APP_ORIGIN = 'app://desk';

export type WindowKind = 'main' | 'side';

const DEFAULT_SIZE: Record<WindowKind, { width: number; height: number }> = {
  main: { width: 1600, height: 960 },
  side: { width: 1200, height: 900 },
};

export function isAppUrl(url: string): boolean {
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  // The side window is opened by the main process through the API, never by the page itself.
  contents.setWindowOpenHandler(({ url }) => {
    // Only listed https hosts reach the system browser (external-links.ts); everything else is dropped.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface WindowFactoryOptions {
  preloadPath: string;
  /** Where the window was last, and whether it was maximised (window-bounds.ts). */
  savedPlacement: (kind: WindowKind) => SavedPlacement | null;
  savePlacement: (kind: WindowKind, placement: SavedPlacement) => void;
}

export function createWindowFactory(options: WindowFactoryOptions) {
  const open = new Map<WindowKind, BrowserWindow>();

  function create(kind: WindowKind): BrowserWindow {
    const existing = open.get(kind);
    if (existing && !existing.isDestroyed()) {
      existing.show();
      existing.focus();
      return existing;
    }
    const displays = screen.getAllDisplays().map((d) => ({
      id: d.id,
      workArea: d.workArea,
      primary: d.id === screen.getPrimaryDisplay().id,
    }));
    // The second screen opens maximised on the second monitor, or where it was last (planWindow).
    const plan = planWindow(options.savedPlacement(kind), displays, DEFAULT_SIZE[kind], kind);
    const win = new BrowserWindow({
      ...plan.bounds,
      minWidth: 1024,
      minHeight: 700,
      show: false,
      title: kind === 'main' ? '12345接诉即办坐席' : '12345接诉即办坐席 — 副屏',
      backgroundColor: '#f4f6f9',
      autoHideMenuBar: true,
      webPreferences: {
        preload: options.preloadPath,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webviewTag: false,
        spellcheck: false,
        devTools: process.env.HOTLINE_DESK_DEVTOOLS === '1',
      },
    });
    harden(win.webContents);
    win.once('ready-to-show', () => {
      if (plan.maximize) win.maximize();
      win.show();
    });
    const remember = () => {
      if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
      options.savePlacement(kind, { bounds: win.getNormalBounds() as Rectangle, maximized: win.isMaximized() });
    };
    win.on('moved', remember);
    win.on('resized', remember);
    win.on('maximize', remember);
    win.on('unmaximize', remember);
    win.on('close', remember);
    win.on('closed', () => open.delete(kind));
    void win.loadURL(`${APP_ORIGIN}/index.html${kind === 'side' ? '?window=side' : ''}`);
    open.set(kind, win);
    return win;
  }

  return {
    create,
    all: () => [...open.values()].filter((w) => !w.isDestroyed()),
    get: (kind: WindowKind) => open.get(kind),
  };
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, 'preload.cjs');
}
