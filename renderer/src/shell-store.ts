/** The shell's state: who is on duty, the desk's health, and what the header and status bar show. */
import { create } from 'zustand';
import type { AppHealth, AppInfo } from '../../shared/api/contract';
import { api, type DeskApi } from './bridge';
import type { AppError } from './notice';
import { openSidePopup } from './side-placement';

export interface ShellState {
  info: AppInfo | null;
  health: AppHealth | null;
  error: AppError | null;
  helpOpen: boolean;
  /** 本机状态 (Alt+I): the desk's technical health, over the screen while asked for. */
  healthOpen: boolean;
  load(): Promise<void>;
  setHealth(health: AppHealth): void;
  toggleHelp(open?: boolean): void;
  toggleHealth(open?: boolean): void;
  openSecondScreen(): Promise<void>;
}

export function createShellStore(api: DeskApi) {
  return create<ShellState>((set, get) => ({
    info: null,
    health: null,
    error: null,
    helpOpen: false,
    healthOpen: false,
    async load() {
      const [info, health] = await Promise.all([api.call('app.info', {}), api.call('app.health', {})]);
      if (!info.ok) return set({ error: info.error });
      if (!health.ok) return set({ error: health.error });
      set({ info: info.value, health: health.value, error: null });
    },
    setHealth: (health) => set({ health }),
    toggleHelp: (open) => set({ helpOpen: open ?? !get().helpOpen }),
    toggleHealth: (open) => set({ healthOpen: open ?? !get().healthOpen }),
    async openSecondScreen() {
      const result = await api.call('window.openSecondScreen', {});
      if (!result.ok) return set({ error: result.error });
      // The browser host cannot open a window itself: the page does, at the address it gave, where
      // the side window was last or filling a screen (side-placement.ts).
      if (!result.value.opened && result.value.url) await openSidePopup(result.value.url);
    },
  }));
}

export const useShell = createShellStore(api);
