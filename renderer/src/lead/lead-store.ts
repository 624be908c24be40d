/**
 * The lead view's state: where it starts (lead.context), the scope being looked at, the report for
 * it, the drill-down open over it, and what the last export did. A reply to an older query never
 * overwrites a newer one.
 */
import { create } from 'zustand';
import type { TicketDetail } from '../../../shared/api/contract';
import type { DrillFilterInput, DrillRow, ExportProgress, LeadContext, LeadScope, ShiftReport } from '../../../shared/api/lead-contract';
import { addCalendarDays } from '../../../shared/sla/deadlines';
import { api, type DeskApi } from '../bridge';
import { errorNotice, okNotice, type AppError, type Notice } from '../notice';
import { download, downloadUrl } from './format';

export type LeadStatus = 'loading' | 'ready' | 'forbidden' | 'error';

export interface DrillState {
  filter: DrillFilterInput;
  scope: LeadScope;
  title: string;
  rows: DrillRow[];
  total: number;
  truncated: boolean;
  loading: boolean;
  active: number;
  detail: TicketDetail | null;
  /** The page shown (from 0), of `pageSize` rows; the rows come from the hub (`center`) or this desk. */
  page: number;
  pageSize: number;
  source: ShiftReport['source'] | null;
}

export interface LeadState {
  status: LeadStatus;
  /** Why the view cannot show figures (refused, or the desk failed). */
  error: AppError | null;
  context: LeadContext | null;
  scope: LeadScope | null;
  report: ShiftReport | null;
  querying: boolean;
  drill: DrillState | null;
  notice: Notice | null;
  exporting: boolean;
  /** A center-wide CSV being streamed to a file (lead.exportStart): how far it is. */
  exportJob: ExportProgress | null;
  init(): Promise<void>;
  setScope(patch: Partial<LeadScope>): void;
  query(): Promise<void>;
  openDrill(filter: DrillFilterInput): Promise<void>;
  /** Next (+1) or previous (−1) page of the open drill-down. */
  turnDrillPage(delta: number): Promise<void>;
  moveDrill(delta: number): void;
  openTicket(index: number): Promise<void>;
  closeTicket(): void;
  closeDrill(): void;
  exportFile(table: 'operators' | 'tickets', format: 'csv' | 'xlsx', fullPhones?: boolean): Promise<void>;
  /** The desk's `lead.exportProgress` event (renderer/src/wiring.ts). */
  exportProgress(progress: ExportProgress): void;
  /** Stops the streamed export under way (Esc while it runs). */
  cancelExport(): Promise<void>;
}

/** The quick scopes the toolbar offers, from the context. */
export function quickScopes(context: LeadContext, base: Pick<LeadScope, 'operatorIds' | 'categoryLevel'>): Array<{ key: string; label: string; scope: LeadScope }> {
  const one = (date: string, shiftCode: string | null): LeadScope => ({ from: date, to: date, shiftCode, ...base });
  return [
    { key: 'current', label: '本班', scope: one(context.current.shiftDate, context.current.shiftCode) },
    { key: 'previous', label: '上一班', scope: one(context.previous.shiftDate, context.previous.shiftCode) },
    { key: 'today', label: '今日', scope: one(context.today, null) },
    { key: 'week', label: '近7日', scope: { from: addCalendarDays(context.today, -6), to: context.today, shiftCode: null, ...base } },
  ];
}

export function createLeadStore(api: DeskApi) {
  /** Counts queries: a reply to an older one is dropped. */
  let querySeq = 0;
  /** Streamed exports already over (their last event may come before lead.exportStart's answer). */
  const exportsOver = new Set<string>();
  return create<LeadState>((set, get) => ({
    status: 'loading',
    error: null,
    context: null,
    scope: null,
    report: null,
    querying: false,
    drill: null,
    notice: null,
    exporting: false,
    exportJob: null,

    async init() {
      set({ status: 'loading', error: null, drill: null, notice: null });
      const context = await api.call('lead.context', {});
      if (!context.ok) {
        return set({ status: context.error.kind === 'forbidden' ? 'forbidden' : 'error', error: context.error, context: null, report: null });
      }
      // Keep the scope the lead was looking at when the view comes back; else where the context suggests.
      const scope = get().scope ?? context.value.suggested;
      set({ context: context.value, scope });
      await get().query();
    },

    setScope(patch) {
      const scope = get().scope;
      if (!scope) return;
      const next = { ...scope, ...patch };
      if (next.from > next.to) next.to = next.from;
      set({ scope: next });
      void get().query();
    },

    async query() {
      const scope = get().scope;
      if (!scope) return;
      const seq = ++querySeq;
      set({ querying: true });
      const result = await api.call('lead.shiftLog', { scope });
      if (seq !== querySeq) return;
      if (!result.ok) {
        return set({
          querying: false,
          status: result.error.kind === 'forbidden' ? 'forbidden' : get().report ? 'ready' : 'error',
          error: result.error,
        });
      }
      set({ querying: false, status: 'ready', error: null, report: result.value });
    },

    async openDrill(filter) {
      const scope = get().report?.scope ?? get().scope;
      if (!scope) return;
      set({ drill: { filter, scope, title: '', rows: [], total: 0, truncated: false, loading: true, active: 0, detail: null, page: 0, pageSize: 0, source: null }, notice: null });
      const result = await api.call('lead.drilldown', { scope, filter, page: 0 });
      if (get().drill?.filter !== filter) return;
      if (!result.ok) {
        set({ drill: null, notice: errorNotice(result.error.message) });
        return;
      }
      set({ drill: { filter, scope, ...result.value, loading: false, active: 0, detail: null } });
    },

    async turnDrillPage(delta) {
      const drill = get().drill;
      if (!drill || drill.loading || drill.pageSize === 0) return;
      const last = Math.max(0, Math.ceil(drill.total / drill.pageSize) - 1);
      const page = Math.max(0, Math.min(last, drill.page + delta));
      if (page === drill.page) return;
      set({ drill: { ...drill, loading: true, detail: null } });
      const result = await api.call('lead.drilldown', { scope: drill.scope, filter: drill.filter, page });
      const now = get().drill;
      if (!now || now.filter !== drill.filter) return;
      if (!result.ok) return set({ drill: { ...now, loading: false }, notice: errorNotice(result.error.message) });
      set({ drill: { ...now, ...result.value, loading: false, active: 0, detail: null } });
    },

    moveDrill(delta) {
      const drill = get().drill;
      if (!drill || drill.rows.length === 0) return;
      set({ drill: { ...drill, active: Math.max(0, Math.min(drill.rows.length - 1, drill.active + delta)) } });
    },

    async openTicket(index) {
      const drill = get().drill;
      const row = drill?.rows[index];
      if (!drill || !row) return;
      set({ drill: { ...drill, active: index } });
      const result = await api.call('tickets.get', { id: row.id });
      const now = get().drill;
      if (!now || now.filter !== drill.filter) return;
      if (!result.ok) {
        // A center-wide row may be another desk's ticket: its trail is at the hub, not here.
        const elsewhere = now.source?.kind === 'center' && result.error.kind === 'not_found';
        return set({ notice: errorNotice(elsewhere ? `${row.number} 由其他坐席受理，本机没有它的处理轨迹；请在中心工作台查看` : result.error.message) });
      }
      set({ drill: { ...now, detail: result.value } });
    },

    closeTicket() {
      const drill = get().drill;
      if (drill) set({ drill: { ...drill, detail: null } });
    },

    closeDrill: () => set({ drill: null }),

    async exportFile(table, format, fullPhones = false) {
      const drill = get().drill;
      const scope = table === 'tickets' ? (drill?.scope ?? null) : (get().report?.scope ?? get().scope);
      if (!scope) return;
      if (table === 'tickets' && format === 'csv' && drill?.source?.kind === 'center') {
        // Center-wide CSV: no cap, streamed to a file by the desk page by page, with progress.
        set({ exporting: true, notice: null, exportJob: null });
        const started = await api.call('lead.exportStart', { scope, filter: drill.filter, fullPhones });
        if (!started.ok) return set({ exporting: false, notice: errorNotice(`导出失败：${started.error.message}`) });
        const job = get().exportJob;
        // Progress may have arrived before the answer; else it starts at 0 of the list's total.
        if (exportsOver.has(started.value.jobId)) return;
        if (!job || job.jobId !== started.value.jobId) {
          set({ exportJob: { jobId: started.value.jobId, fileName: started.value.fileName, state: 'running', done: 0, total: drill.total, masked: !fullPhones, url: null, message: null } });
        }
        return;
      }
      // A center-wide export walks the hub's pages: say how many tickets it is fetching meanwhile.
      const fetching = table === 'tickets' && drill?.source?.kind === 'center' ? `正在从中心导出 ${drill.total} 张工单…` : null;
      set({ exporting: true, notice: fetching ? okNotice(fetching) : null });
      const result = await api.call('lead.export', {
        scope,
        table,
        format,
        ...(table === 'tickets' ? { filter: drill?.filter ?? { kind: 'all' as const }, fullPhones } : {}),
      });
      set({ exporting: false });
      if (!result.ok) return set({ notice: errorNotice(`导出失败：${result.error.message}`) });
      download(result.value);
      const phones = table === 'tickets' ? (result.value.masked ? '，号码已脱敏' : '，含完整号码') : '';
      set({ notice: okNotice(`已导出 ${result.value.fileName}（${result.value.rows} 行${phones}）`) });
    },

    exportProgress(progress) {
      const job = get().exportJob;
      // Only the export this window started (or whose answer is still on its way).
      if (job && job.jobId !== progress.jobId) return;
      if (!job && !get().exporting) return;
      if (progress.state === 'running') return set({ exportJob: progress });
      exportsOver.add(progress.jobId);
      set({ exportJob: null, exporting: false });
      if (progress.state === 'done' && progress.url) {
        downloadUrl(progress.url, progress.fileName);
        const phones = progress.masked ? '，号码已脱敏' : '，含完整号码';
        return set({ notice: okNotice(`已导出 ${progress.fileName}（${progress.done} 行${phones}）`) });
      }
      if (progress.state === 'cancelled') return set({ notice: okNotice(`已取消导出（已读取 ${progress.done} / 共 ${progress.total} 张，未保存文件）`) });
      set({ notice: errorNotice(`导出失败：${progress.message ?? '未知原因'}`) });
    },

    async cancelExport() {
      const job = get().exportJob;
      if (!job) return;
      await api.call('lead.exportCancel', { jobId: job.jobId });
    },
  }));
}

export const useLead = createLeadStore(api);
