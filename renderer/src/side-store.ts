/** The second screen's state: what the main window put there for the current call, and a count of ticket changes to reload on. */
import { create } from 'zustand';
import { applySideView, type SideScreen, type SideView } from '../../shared/api/contract';
import { api, type DeskApi } from './bridge';

export interface SideState {
  screen: SideScreen;
  /** Bumped when tickets change, so a shown ticket or history is read again. */
  ticketsVersion: number;
  /** Asks the desk what is on the second screen now (when the window opens). */
  loadCurrent(): Promise<void>;
  show(view: SideView): void;
  ticketsChanged(): void;
}

export function createSideStore(api: DeskApi) {
  return create<SideState>((set, get) => ({
    screen: { kb: null, record: null },
    ticketsVersion: 0,
    async loadCurrent() {
      const current = await api.call('side.current', {});
      if (current.ok) set({ screen: current.value });
    },
    show: (view) => set({ screen: applySideView(get().screen, view) }),
    ticketsChanged: () => set({ ticketsVersion: get().ticketsVersion + 1 }),
  }));
}

export const useSide = createSideStore(api);
