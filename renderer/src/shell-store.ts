/** The shell's state: who is on duty, the desk's health, and what the header and status bar show. */
import { create } from 'zustand';
import type { AppHealth, AppInfo } from '../../shared/api/contract';
import { api, type DeskApi } from './bridge';
import type { AppError } from './notice';

export interface ShellState {
  info: AppInfo | null;
  health: AppHealth | null;
  error: AppError | null;
  helpOpen: boolean;
  load(): Promise<void>;
  setHealth(health: AppHealth): void;
  toggleHelp(open?: boolean): void;
  openSecondScreen(): Promise<void>;
}

export function createShellStore(api: DeskApi) {
  return create<ShellState>((set, get) => ({
    info: null,
    health: null,
    error: null,
    helpOpen: false,
    async load() {
      const [info, health] = await Promise.all([api.call('app.info', {}), api.call('app.health', {})]);
      if (!info.ok) return set({ error: info.error });
      if (!health.ok) return set({ error: health.error });
      set({ info: info.value, health: health.value, error: null });
    },
    setHealth: (health) => set({ health }),
    toggleHelp: (open) => set({ helpOpen: open ?? !get().helpOpen }),
    async openSecondScreen() {
      const result = await api.call('window.openSecondScreen', {});
      if (!result.ok) return set({ error: result.error });
      // The browser host cannot open a window itself: the page does, at the address it gave.
      if (!result.value.opened && result.value.url) window.open(result.value.url, 'hotline-side', 'popup,width=1200,height=900');
    },
  }));
}

export const useShell = createShellStore(api);
