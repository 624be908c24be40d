/**
 * A queue the desk reads from the hub and shows as an overlay (待派 in renderer/src/redispatch/,
 * 网络渠道待受理 in renderer/src/web-intake/): open and close it, read its rows, and say why they
 * could not be read (offline: 需联网（中心不可达）…). Each store adds its own moves on the rows.
 */
import type { Result } from '../../shared/result';
import type { AppError } from './notice';

export interface HubQueueState<Row> {
  open: boolean;
  loading: boolean;
  rows: Row[];
  total: number;
  /** Why the queue could not be read. */
  error: AppError | null;
  /** What the last move did, or why the hub refused it. */
  notice: { ok: boolean; text: string } | null;
  show(): Promise<void>;
  hide(): void;
  load(): Promise<void>;
}

/** The queue part of a zustand store whose rows come from `read`. */
export function hubQueue<Row>(
  set: (partial: Partial<HubQueueState<Row>>) => void,
  get: () => HubQueueState<Row>,
  read: () => Promise<Result<{ rows: Row[]; total: number }>>,
): HubQueueState<Row> {
  return {
    open: false,
    loading: false,
    rows: [],
    total: 0,
    error: null,
    notice: null,
    async show() {
      set({ open: true, notice: null });
      await get().load();
    },
    hide: () => set({ open: false }),
    async load() {
      set({ loading: true });
      const result = await read();
      if (!result.ok) return set({ loading: false, error: result.error, rows: [], total: 0 });
      set({ loading: false, error: null, rows: result.value.rows, total: result.value.total });
    },
  };
}
