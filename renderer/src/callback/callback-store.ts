/**
 * 回访 on the desk (Alt+H): the queue of tickets waiting for a callback, from the hub through the desk
 * (shared/api/callback-contract.ts) — center-wide online, this desk's own tickets offline — and the
 * form for one callback call, driven by keys (CallbackQueue.tsx). A callback the hub cannot take now
 * waits in the outbox and is sent once later (the desk says 已排入待同步).
 */
import { create } from 'zustand';
import type { CallbackQueueItem } from '../../../shared/api/callback-contract';
import type { CallbackOutcome } from '../../../shared/lifecycle/callback';
import type { Satisfaction } from '../../../shared/lifecycle/ticket-lifecycle';
import { api, type DeskApi } from '../bridge';
import type { AppError } from '../notice';

/** The form's steps: which question the number keys answer now. */
export type CallbackStep = 'outcome' | 'resolved' | 'satisfaction' | 'words' | 'reason';

export interface CallbackForm {
  outcome: CallbackOutcome | null;
  resolved: boolean | null;
  satisfaction: Satisfaction | null;
  words: string;
  reason: string;
}

export const EMPTY_FORM: CallbackForm = { outcome: null, resolved: null, satisfaction: null, words: '', reason: '' };

const DECISION_TEXT = {
  attempt: '已记录未联系上，请换个时段再拨',
  unreachable: '回访结束：无法联系',
  ended: '回访完成，工单已回访',
  reopen: '市民不满意或未解决，工单已退回原承办单位重办',
  to_center: '已超过重办上限，工单转市中心审核督办',
} as const;

export interface CallbacksState {
  open: boolean;
  loading: boolean;
  scope: 'center' | 'local';
  items: CallbackQueueItem[];
  error: AppError | null;
  notice: { ok: boolean; text: string } | null;
  form: CallbackForm;
  step: CallbackStep;
  saving: boolean;
  /** The outgoing call's answer for the ticket being called (calls.outgoing). */
  dialed: { ticketId: string; text: string } | null;
  show(): Promise<void>;
  hide(): void;
  load(): Promise<void>;
  setForm(patch: Partial<CallbackForm>): void;
  setStep(step: CallbackStep): void;
  resetForm(): void;
  dial(item: CallbackQueueItem): Promise<void>;
  record(item: CallbackQueueItem): Promise<boolean>;
}

export function createCallbacksStore(api: DeskApi) {
  return create<CallbacksState>((set, get) => ({
    open: false,
    loading: false,
    scope: 'center',
    items: [],
    error: null,
    notice: null,
    form: EMPTY_FORM,
    step: 'outcome',
    saving: false,
    dialed: null,
    async show() {
      set({ open: true, notice: null, form: EMPTY_FORM, step: 'outcome', dialed: null });
      await get().load();
    },
    hide: () => set({ open: false }),
    async load() {
      set({ loading: true });
      const result = await api.call('callbacks.queue', {});
      if (!result.ok) return set({ loading: false, error: result.error, items: [] });
      set({ loading: false, error: null, items: result.value.items, scope: result.value.scope });
    },
    setForm: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
    setStep: (step) => set({ step }),
    resetForm: () => set({ form: EMPTY_FORM, step: 'outcome', dialed: null }),
    async dial(item) {
      const result = await api.call('calls.outgoing', { ticketId: item.id, phone: item.callbackPhone || item.callerPhone });
      set({
        dialed: {
          ticketId: item.id,
          text: result.ok ? (result.value.dialed ? '正在拨号…' : `${result.value.reason ?? '未拨号'}：${item.callbackPhone || item.callerPhone}`) : result.error.message,
        },
      });
    },
    async record(item) {
      const { form } = get();
      if (get().saving || !form.outcome) return false;
      set({ saving: true });
      const result = await api.call('callbacks.record', {
        ticketId: item.id,
        ...(get().scope === 'center' ? { version: item.version } : {}),
        outcome: form.outcome,
        ...(form.outcome === '联系上' ? { resolved: form.resolved ?? undefined, satisfaction: form.satisfaction ?? undefined, words: form.words } : {}),
        ...(form.outcome !== '联系上' && form.reason.trim() ? { reason: form.reason.trim() } : {}),
      });
      set({
        saving: false,
        notice: result.ok
          ? { ok: true, text: `工单 ${result.value.number}：${result.value.queued ? '中心不可达，回访已排入待同步，恢复后发送一次' : DECISION_TEXT[result.value.decision!]}` }
          : { ok: false, text: result.error.message },
      });
      if (!result.ok) return false;
      get().resetForm();
      await get().load();
      return true;
    },
  }));
}

export const useCallbacks = createCallbacksStore(api);
