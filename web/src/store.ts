/**
 * The workspace's state (one zustand store): who is signed in, the queue with its filters and page,
 * the selected row, the open ticket, the move being made and the last notice. Every change of data
 * goes through the hub (api.ts); the page only shows what the hub answered, and after a move it
 * reads the ticket and the queue again.
 */
import { create } from 'zustand';
import type { RequestKind, WorkAction, WorkMe, WorkQueue, WorkTicket, WorkUnit } from '../../shared/api/hub-contract';
import type { Move, TicketStatus } from '../../shared/lifecycle/ticket-lifecycle';
import type { AppError } from '../../shared/result';
import { call, signIn, signOut } from './api';

export type View = 'mine' | 'returned' | 'review' | 'closed' | 'all';
export const PAGE_SIZE = 50;
/** The lifecycle's moves the workspace makes, and its other actions (申请延期, 审核, 督办). */
export type WorkMove = Exclude<Move, 'submit' | 'callback' | 'reopen'> | WorkAction;

export interface Filters {
  status: TicketStatus | '';
  category: string;
  villageCode: string;
  number: string;
}

export interface Notice {
  tone: 'ok' | 'error';
  text: string;
}

export type MoveInputs =
  | { move: 'accept' }
  | { move: 'forward' | 'redispatch'; unitCode: string; note: string; assistUnitCodes?: string[] }
  | { move: 'assistReply'; reply: string }
  | { move: 'return'; reasonKind: string; reason: string }
  | { move: 'reply'; reply: string }
  | { move: 'close'; note: string; resolved: boolean }
  | { move: 'extend'; newDate: string; reason: string }
  | { move: 'decide'; kind: RequestKind; approve: boolean; reason: string }
  | { move: 'unreasonable'; reason: string; evidence: string }
  | { move: 'supervise'; level: string; note: string };

interface State {
  phase: 'loading' | 'signin' | 'ready';
  me: WorkMe | null;
  signInError: string | null;
  view: View;
  filters: Filters;
  offset: number;
  queue: WorkQueue | null;
  queueError: string | null;
  selected: number;
  ticketId: string | null;
  ticket: WorkTicket | null;
  ticketError: AppError | null;
  dialog: WorkMove | null;
  moveError: string | null;
  busy: boolean;
  units: Partial<Record<'forward' | 'redispatch', WorkUnit[]>>;
  revealed: { callerName: string; callerPhone: string; callbackPhone: string } | null;
  notice: Notice | null;

  boot(): Promise<void>;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  setView(view: View): Promise<void>;
  setFilter(patch: Partial<Filters>): Promise<void>;
  page(delta: 1 | -1): Promise<void>;
  loadQueue(): Promise<void>;
  select(delta: number): void;
  selectIndex(index: number): void;
  open(ticketId: string): Promise<void>;
  back(): void;
  loadTicket(): Promise<void>;
  startMove(move: WorkMove): Promise<void>;
  cancelMove(): void;
  loadUnits(purpose: 'forward' | 'redispatch'): Promise<void>;
  submitMove(input: MoveInputs): Promise<boolean>;
  reveal(): Promise<void>;
  say(notice: Notice | null): void;
}

export const MOVE_LABEL: Record<WorkMove, string> = {
  accept: '接单',
  forward: '转派',
  return: '退单',
  reply: '阶段回复',
  close: '办结',
  redispatch: '重新派单',
  extend: '申请延期',
  decide: '审核申请',
  supervise: '督办',
  assistReply: '协办回复',
  unreasonable: '申请认定不合理诉求',
};

const EMPTY_FILTERS: Filters = { status: '', category: '', villageCode: '', number: '' };

function hashTicket(): string | null {
  const match = /^#\/t\/([0-9a-fA-F-]{36})$/.exec(window.location.hash);
  return match ? match[1]! : null;
}

export const useWork = create<State>((set, get) => ({
  phase: 'loading',
  me: null,
  signInError: null,
  view: 'mine',
  filters: EMPTY_FILTERS,
  offset: 0,
  queue: null,
  queueError: null,
  selected: 0,
  ticketId: null,
  ticket: null,
  ticketError: null,
  dialog: null,
  moveError: null,
  busy: false,
  units: {},
  revealed: null,
  notice: null,

  async boot() {
    const me = await call('workspace.me', {});
    if (!me.ok) {
      set({ phase: 'signin', me: null, signInError: me.error.kind === 'forbidden' ? me.error.message : null });
      return;
    }
    set({ phase: 'ready', me: me.value });
    await get().loadQueue();
    const id = hashTicket();
    if (id) await get().open(id);
  },

  async signIn(username, password) {
    set({ busy: true, signInError: null });
    const result = await signIn(username, password);
    set({ busy: false });
    if (!result.ok) {
      set({ signInError: result.error.message });
      return;
    }
    await get().boot();
  },

  async signOut() {
    await signOut();
    window.location.hash = '';
    set({ phase: 'signin', me: null, queue: null, ticket: null, ticketId: null, dialog: null, units: {}, revealed: null, notice: null, filters: EMPTY_FILTERS, offset: 0, view: 'mine' });
  },

  async setView(view) {
    set({ view, offset: 0, selected: 0, filters: EMPTY_FILTERS });
    await get().loadQueue();
  },

  async setFilter(patch) {
    set({ filters: { ...get().filters, ...patch }, offset: 0, selected: 0 });
    await get().loadQueue();
  },

  async page(delta) {
    const { queue, offset } = get();
    const next = offset + delta * PAGE_SIZE;
    if (!queue || next < 0 || next >= queue.total) return;
    set({ offset: next, selected: 0 });
    await get().loadQueue();
  },

  async loadQueue() {
    const { view, filters, offset } = get();
    const result = await call('workspace.queue', {
      view,
      offset,
      limit: PAGE_SIZE,
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.category ? { category: filters.category } : {}),
      ...(filters.villageCode ? { villageCode: filters.villageCode } : {}),
      ...(filters.number.trim() ? { number: filters.number.trim() } : {}),
    });
    if (!result.ok) {
      if (result.error.kind === 'unauthorized') return set({ phase: 'signin', signInError: result.error.message });
      return set({ queueError: result.error.message });
    }
    const rows = result.value.rows.length;
    set({ queue: result.value, queueError: null, selected: Math.min(get().selected, Math.max(0, rows - 1)) });
  },

  select(delta) {
    const rows = get().queue?.rows.length ?? 0;
    if (!rows) return;
    set({ selected: Math.max(0, Math.min(rows - 1, get().selected + delta)) });
  },

  selectIndex(index) {
    set({ selected: index });
  },

  async open(ticketId) {
    if (window.location.hash !== `#/t/${ticketId}`) window.location.hash = `#/t/${ticketId}`;
    set({ ticketId, ticket: null, ticketError: null, revealed: null });
    await get().loadTicket();
  },

  back() {
    window.location.hash = '';
    set({ ticketId: null, ticket: null, ticketError: null, dialog: null, revealed: null });
    void get().loadQueue();
  },

  async loadTicket() {
    const id = get().ticketId;
    if (!id) return;
    const result = await call('workspace.ticket', { ticketId: id });
    if (get().ticketId !== id) return;
    set(result.ok ? { ticket: result.value, ticketError: null } : { ticket: null, ticketError: result.error });
  },

  async startMove(move) {
    let ticket = get().ticket;
    if (!get().ticketId) {
      const row = get().queue?.rows[get().selected];
      if (!row) return;
      await get().open(row.id);
      ticket = get().ticket;
    }
    if (!ticket) return;
    if (!(ticket.moves as string[]).includes(move) && !(ticket.actions as string[]).includes(move)) {
      const why = ticket.assist ? `本单位是协办单位（主办：${ticket.unitName ?? '—'}），不能${MOVE_LABEL[move]}` : `当前为“${ticket.status}”，不能${MOVE_LABEL[move]}`;
      set({ notice: { tone: 'error', text: `工单 ${ticket.number} ${why}` } });
      return;
    }
    set({ dialog: move, moveError: null });
    if (move === 'forward' || move === 'redispatch') await get().loadUnits(move);
  },

  cancelMove() {
    set({ dialog: null, moveError: null });
  },

  async loadUnits(purpose) {
    if (get().units[purpose]) return;
    const result = await call('workspace.units', { purpose });
    if (result.ok) set({ units: { ...get().units, [purpose]: result.value } });
    else set({ moveError: result.error.message });
  },

  async submitMove(input) {
    const ticket = get().ticket;
    if (!ticket || get().busy) return false;
    const base = { ticketId: ticket.id, version: ticket.version };
    set({ busy: true, moveError: null });
    const result =
      input.move === 'accept'
        ? await call('ticket.accept', base)
        : input.move === 'forward'
          ? await call('ticket.forward', {
              ...base,
              unitCode: input.unitCode,
              ...(input.note.trim() ? { note: input.note.trim() } : {}),
              ...(input.assistUnitCodes?.length ? { assistUnitCodes: input.assistUnitCodes } : {}),
            })
          : input.move === 'assistReply'
            ? await call('ticket.assistReply', { ...base, reply: input.reply })
          : input.move === 'redispatch'
            ? await call('ticket.redispatch', { ...base, unitCode: input.unitCode, ...(input.note.trim() ? { note: input.note.trim() } : {}) })
            : input.move === 'return'
              ? await call('ticket.return', { ...base, reason: input.reason, reasonKind: input.reasonKind as never })
              : input.move === 'reply'
                ? await call('ticket.reply', { ...base, reply: input.reply })
                : input.move === 'close'
                  ? await call('ticket.close', { ...base, note: input.note, resolved: input.resolved })
                  : input.move === 'extend'
                    ? await call('ticket.extend', { ...base, newDate: input.newDate, reason: input.reason })
                    : input.move === 'decide'
                      ? await call('ticket.decide', { ...base, kind: input.kind, approve: input.approve, reason: input.reason })
                      : input.move === 'supervise'
                        ? await call('ticket.supervise', { ...base, level: input.level, note: input.note })
                        : input.move === 'unreasonable'
                          ? await call('ticket.requestUnreasonable', { ...base, reason: input.reason, evidence: input.evidence })
                        : await call('ticket.forward', { ...base, unitCode: input.unitCode });
    set({ busy: false });
    if (!result.ok) {
      if (result.error.kind === 'conflict') {
        // Someone else moved it: show what it is now.
        set({ dialog: null, notice: { tone: 'error', text: result.error.message } });
        await get().loadTicket();
      } else set({ moveError: result.error.message });
      return false;
    }
    const done =
      input.move === 'extend'
        ? '已申请延期，等待市中心审核'
        : input.move === 'decide'
          ? input.approve
            ? input.kind === 'unreasonable'
              ? '已认定为不合理诉求，工单办结'
              : '已批准申请'
            : '已不予批准申请'
          : input.move === 'supervise'
            ? '已督办'
            : input.move === 'unreasonable'
              ? '已申请认定不合理诉求，等待市中心审核'
            : `已${MOVE_LABEL[input.move]}：${'status' in result.value ? result.value.status : ''}`;
    set({ dialog: null, notice: { tone: 'ok', text: `工单 ${ticket.number} ${done}` } });
    await Promise.all([get().loadTicket(), get().loadQueue()]);
    return true;
  },

  async reveal() {
    const ticket = get().ticket;
    if (!ticket) return;
    const result = await call('workspace.revealCaller', { ticketId: ticket.id });
    if (!result.ok) return set({ notice: { tone: 'error', text: result.error.message } });
    set({ revealed: result.value });
    await get().loadTicket();
  },

  say(notice) {
    set({ notice });
  },
}));
