/**
 * The intake form's state: the ticket being typed (a TicketDraft, saved to the desk's SQLite within
 * 300 ms of each change), what the desk knows around it (the chosen leaf, the address reading, the
 * caller's history and related tickets) and the call-taker's last actions. Components read slices of
 * it; every action that ends a ticket goes through `submit`, which keeps the draft until the desk
 * has written the ticket, then gives a fresh form at once.
 *
 * Lookups around the ticket (history, related) wait AROUND_DELAY_MS after the last change, and a
 * reply to an older lookup never overwrites a newer one. `dispose()` stops every pending timer.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { CatalogueLeaf, RelatedTicket, TicketSummary } from '../../../shared/api/contract';
import type { AddressMatch } from '../../../shared/address/resolve';
import type { RequestType } from '../../../shared/domain/catalogue';
import { emptyDraft, type TicketDraft } from '../../../shared/domain/ticket';
import { hasTypedContent, withCallerPhone } from '../../../shared/intake/draft';
import { normalisePhone, phoneError, validateDraft, type FieldErrors, type TicketField } from '../../../shared/validation/ticket';
import { api, type DeskApi } from '../bridge';
import { errorNotice, type Notice } from '../notice';

export type Leaf = z.infer<typeof CatalogueLeaf>;

/** How long after the last change the draft is written to the desk. */
export const DRAFT_SAVE_DELAY_MS = 300;
/** How long after the phone, place or leaf last changed the caller's history and related tickets are looked up. */
export const AROUND_DELAY_MS = 150;

export interface IntakeState {
  draft: TicketDraft;
  /** False until the first change: an untouched fresh form starts its call clock when typing starts. */
  touched: boolean;
  /** Fields the call-taker has left (blur) — their messages show; all show after a submit attempt. */
  visited: Partial<Record<TicketField, true>>;
  showAllErrors: boolean;
  errors: FieldErrors;
  /**
   * The messages on screen: a field's message appears when the call-taker leaves the field or tries to
   * submit, never while typing; one already shown follows the typing (its count, or gone once fixed).
   */
  shown: FieldErrors;
  /** Set by F2 (or an incoming call, a restored draft, the first keystroke): the call clock runs from draft.callStartedAt. */
  callActive: boolean;
  /** How many knowledge-base articles the chosen leaf has (Ctrl+Enter and the panel lead with F7 for a 咨询 when any). */
  leafArticles: { code: string; count: number } | null;
  /** The ticket just submitted, until the next call starts: its number is what the caller is told. */
  submitted: Submitted | null;
  /** Set when the desk reopened with a draft that had not been submitted. */
  restoredAt: string | null;
  savedAt: string | null;
  saving: boolean;
  /** Counts changes; equal to `savedRevision` once the last one is on disk. */
  revision: number;
  savedRevision: number;
  leaf: Leaf | null;
  /** The address reading the call-taker accepted (or that was clear enough to accept itself). */
  addressMatch: AddressMatch | null;
  history: TicketSummary[];
  related: RelatedTicket[];
  /** Where history and related came from: the hub across every desk (全中心) or this desk alone (本机). */
  aroundScope: 'center' | 'local' | null;
  /** Index into `related` that F6 links to. */
  relatedActive: number;
  submitting: boolean;
  notice: Notice | null;
  /** Pressing F2 over a typed, unsubmitted form asks first; the second press starts anew. */
  confirmNewCall: boolean;
  /** A call that came in over a typed, unsubmitted ticket: taken when the call-taker presses F2. */
  waitingCall: { phone: string; startedAt: string } | null;
  /** The 网络渠道 submission this form was taken from (Alt+W): submit sends it, so the hub links the two. */
  open311RequestId: string | null;

  newCall(phone?: string, startedAt?: string): boolean;
  /** Opens a fresh form filled from a 网络渠道 submission (renderer/src/web-intake/); false (and a notice) over typed work. */
  takeSubmission(id: string, patch: Partial<TicketDraft>, extra: { leafCode: string | null; address: AddressMatch | null }): boolean;
  restore(draft: TicketDraft, savedAt: string, open311RequestId?: string | null): void;
  /** Brings back a draft that was never submitted (a crash, a killed process, a power cut), if there is one. */
  restoreSaved(): Promise<void>;
  setField<K extends keyof TicketDraft>(field: K, value: TicketDraft[K]): void;
  /** The caller's number; the callback number follows it until it is given apart. */
  setCallerPhone(phone: string): void;
  visit(field: TicketField): void;
  setRequestType(type: RequestType): void;
  setAddressText(text: string): void;
  acceptAddress(match: AddressMatch | null): void;
  pickLeaf(code: string | null): Promise<void>;
  /** Settles once the chosen leaf's details (owner, urgency) are here: dispatch keys wait for it. */
  whenLeafReady(): Promise<void>;
  moveRelated(delta: number): void;
  refreshAround(): Promise<void>;
  /**
   * Sets the disposition fields and submits; false when the form still has errors. `how.via` names the
   * key's choice in the notice (Ctrl+Enter), `how.hint` is added to a refusal, `how.original` is the
   * ticket a duplicate is linked to (its unit and deadline are said in the notice).
   */
  submit(patch?: Partial<TicketDraft>, how?: SubmitHow): Promise<boolean>;
  /** Alt+C: the caller's name and the address from the earlier ticket of the same number. */
  takeEarlierCaller(): boolean;
  /** Says why a key did nothing (no related ticket to link, no article read…). */
  showError(text: string): void;
  clearNotice(): void;
  /** Stops the pending save and lookups (the store is being dropped). */
  dispose(): void;
}

export interface SubmitHow {
  via?: string;
  hint?: string;
  original?: TicketSummary;
}

export interface Submitted {
  ticket: TicketSummary;
  /** Which suggestion Ctrl+Enter took ("F8 直派 望京街道"), when it was Ctrl+Enter. */
  via: string | null;
  /** For 重复诉求: the original as the call-taker confirmed it. */
  original: TicketSummary | null;
}

/** The earlier ticket Alt+C takes the caller from: the highlighted related one by the same number, else the newest in the history. */
export function earlierTicketOf(state: Pick<IntakeState, 'related' | 'relatedActive' | 'history'>): TicketSummary | null {
  const active = state.related[state.relatedActive];
  if (active && active.reasons.includes('same_phone')) return active;
  return state.history[0] ?? null;
}

/** The messages to show after a change: those shown stay (with their new text) while still wrong. */
function followShown(shown: FieldErrors, errors: FieldErrors): FieldErrors {
  const next: FieldErrors = {};
  for (const field of Object.keys(shown) as TicketField[]) if (errors[field]) next[field] = errors[field];
  return next;
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

export function createIntakeStore(api: DeskApi) {
  return create<IntakeState>((set, get) => {
    let saveTimer: ReturnType<typeof setTimeout> | null = null;
    let aroundTimer: ReturnType<typeof setTimeout> | null = null;
    /** Counts lookups around the ticket: a reply that is not the latest one is dropped. */
    let aroundSeq = 0;
    let leafLoad: Promise<void> | null = null;
    /** The call (draft id) and number whose history the second screen last popped. */
    let sideShownFor = '';

    const fresh = (phone = '', startedAt = new Date().toISOString()) => {
      // What was pending for the previous ticket no longer applies to this one.
      if (aroundTimer) clearTimeout(aroundTimer);
      aroundSeq++;
      const draft = emptyDraft(newId(), startedAt, phone ? normalisePhone(phone) : '');
      return {
        draft,
        touched: false,
        visited: {},
        showAllErrors: false,
        errors: validateDraft(draft),
        shown: {},
        callActive: false,
        leafArticles: null,
        restoredAt: null,
        savedAt: null,
        leaf: null,
        addressMatch: null,
        history: [],
        related: [],
        aroundScope: null,
        relatedActive: 0,
        confirmNewCall: false,
        waitingCall: null,
        open311RequestId: null,
      } satisfies Partial<IntakeState>;
    };

    const scheduleSave = () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(async () => {
        saveTimer = null;
        const { draft, touched, revision, open311RequestId } = get();
        if (!touched) return;
        set({ saving: true });
        // The submission id is saved with the draft: a draft restored after a restart still links to it.
        const result = await api.call('drafts.save', { draft, ...(open311RequestId ? { open311RequestId } : {}) });
        set({ saving: false, ...(result.ok ? { savedAt: result.value.savedAt, savedRevision: Math.max(get().savedRevision, revision) } : {}) });
      }, DRAFT_SAVE_DELAY_MS);
    };

    /** Caller history and related tickets follow the phone, place and leaf, a moment after they change. */
    const scheduleAround = () => {
      if (aroundTimer) clearTimeout(aroundTimer);
      aroundTimer = setTimeout(() => void get().refreshAround(), AROUND_DELAY_MS);
    };

    const update = (patch: Partial<TicketDraft>, extra: Partial<IntakeState> = {}) => {
      const { draft, touched } = get();
      // The first keystroke on a fresh form is when this call's handling started.
      // (Unless F2 started the call already: its clock runs from the key.)
      const started = touched || get().callActive ? {} : { callStartedAt: new Date().toISOString() };
      const next = { ...draft, ...started, ...patch };
      const errors = validateDraft(next);
      set({ draft: next, touched: true, callActive: true, errors, shown: followShown(get().shown, errors), confirmNewCall: false, revision: get().revision + 1, ...extra });
      scheduleSave();
      if ('callerPhone' in patch || 'address' in patch || 'leafCode' in patch || 'content' in patch) scheduleAround();
    };

    return {
      ...fresh(),
      saving: false,
      revision: 0,
      savedRevision: 0,
      submitting: false,
      notice: null,
      submitted: null,

      newCall(phone, startedAt) {
        const { draft, touched, confirmNewCall, waitingCall } = get();
        // Typed work is never replaced unasked: a second F2 confirms, and a call that came in
        // meanwhile (from the telephony adapter) waits for that F2.
        if (touched && hasTypedContent(draft) && !confirmNewCall) {
          set({ confirmNewCall: true, ...(phone ? { waitingCall: { phone, startedAt: startedAt ?? new Date().toISOString() } } : {}) });
          return false;
        }
        if (!phone && waitingCall) {
          phone = waitingCall.phone;
          startedAt = waitingCall.startedAt;
        }
        if (touched) void api.call('drafts.discard', { id: draft.id });
        set({ ...fresh(phone, startedAt), touched: !!phone, callActive: true, notice: null, submitted: null });
        if (phone) {
          scheduleSave();
          void get().refreshAround();
        }
        return true;
      },

      takeSubmission(id, patch, extra) {
        const { draft, touched } = get();
        if (touched && hasTypedContent(draft)) {
          set({ notice: errorNotice('受理表单中有未提交的工单：先提交或按 F2 清空，再受理网络渠道诉求') });
          return false;
        }
        if (touched) void api.call('drafts.discard', { id: draft.id });
        set({ ...fresh(), callActive: true, notice: null, submitted: null });
        update(patch, { open311RequestId: id });
        if (extra.address) get().acceptAddress(extra.address);
        if (extra.leafCode) void get().pickLeaf(extra.leafCode);
        void get().refreshAround();
        return true;
      },

      restore(draft, savedAt, open311RequestId = null) {
        set({ ...fresh(), draft, touched: true, callActive: true, errors: validateDraft(draft), restoredAt: savedAt, savedAt, open311RequestId });
        if (draft.leafCode) void get().pickLeaf(draft.leafCode);
        void get().refreshAround();
      },

      async restoreSaved() {
        const saved = await api.call('drafts.current', {});
        if (saved.ok && saved.value) get().restore(saved.value.draft, saved.value.savedAt, saved.value.open311RequestId ?? null);
      },

      setField(field, value) {
        update({ [field]: value } as Partial<TicketDraft>);
      },

      setCallerPhone(phone) {
        update(withCallerPhone(get().draft, phone));
      },

      visit(field) {
        const { visited, touched, errors, shown } = get();
        // A fresh, untouched form shows no messages even when the cursor passes through it.
        const message = touched ? errors[field] : undefined;
        set({ visited: { ...visited, [field]: true }, ...(message ? { shown: { ...shown, [field]: message } } : {}) });
      },

      setRequestType(type) {
        update({ requestType: type });
      },

      setAddressText(text) {
        const { address } = get().draft;
        // Typing changes the words; the codes stay until a reading is accepted (or cleared with the text).
        update({ address: { ...address, text, ...(text.trim() ? {} : { districtCode: null, streetCode: null, villageCode: null }) } }, text.trim() ? {} : { addressMatch: null });
      },

      acceptAddress(match) {
        const { address } = get().draft;
        update(
          {
            address: {
              text: address.text,
              districtCode: match?.district.code ?? null,
              streetCode: match?.street?.code ?? null,
              villageCode: match?.village?.code ?? null,
            },
          },
          { addressMatch: match },
        );
      },

      pickLeaf(code) {
        if (get().draft.leafCode !== code) update({ leafCode: code });
        if (!code) {
          set({ leaf: null, leafArticles: null });
          return Promise.resolve();
        }
        if (get().leafArticles?.code !== code) set({ leafArticles: null });
        // Both belong to the leaf: the keys that submit wait for its owner and for its articles.
        const articles = api.call('kb.search', { query: '', leafCode: code, limit: 10 }).then((result) => {
          if (result.ok && get().draft.leafCode === code) set({ leafArticles: { code, count: result.value.length } });
        });
        const details = api.call('catalogue.leaf', { code }).then((result) => {
          if (result.ok && get().draft.leafCode === code) set({ leaf: result.value });
        });
        const load = Promise.all([articles, details]).then(() => undefined);
        leafLoad = load;
        return load;
      },

      async whenLeafReady() {
        const { draft, leaf, leafArticles } = get();
        if (!draft.leafCode || (leaf?.code === draft.leafCode && leafArticles?.code === draft.leafCode)) return;
        await (leafLoad ?? get().pickLeaf(draft.leafCode));
      },

      moveRelated(delta) {
        const { related, relatedActive } = get();
        if (related.length === 0) return;
        set({ relatedActive: (relatedActive + delta + related.length) % related.length });
      },

      async refreshAround() {
        const mine = ++aroundSeq;
        const { draft } = get();
        const phone = normalisePhone(draft.callerPhone);
        const phoneOk = phoneError(phone, '来电号码') === null;
        // One call: the hub across every desk while it answers in time, else this desk's own (本机).
        const { districtCode, streetCode, villageCode } = draft.address;
        const around =
          phoneOk || (villageCode && draft.leafCode) || (streetCode && draft.content.trim().length >= 4)
            ? await api.call('tickets.around', {
                phone: phoneOk ? phone : '',
                address: { districtCode, streetCode, villageCode },
                leafCode: draft.leafCode,
                content: draft.content,
                excludeId: draft.id,
              })
            : null;
        if (mine !== aroundSeq || get().draft.id !== draft.id) return;
        const history = around?.ok ? { ok: true as const, value: around.value.history } : null;
        const related = around?.ok ? { ok: true as const, value: around.value.related } : null;
        // The second screen pops the caller's history once per call and number, when there is any.
        if (phoneOk && history?.ok && history.value.length > 0 && sideShownFor !== `${draft.id}:${phone}`) {
          sideShownFor = `${draft.id}:${phone}`;
          void api.call('side.show', { view: { kind: 'history', phone } });
        }
        // A refreshed list keeps the ticket the call-taker had highlighted (Alt+↑↓) where it is still listed.
        const listed = related?.ok ? related.value : [];
        const { related: before, relatedActive: beforeActive } = get();
        const keptAt = listed.findIndex((t) => t.id === before[beforeActive]?.id);
        set({
          history: history?.ok ? history.value : [],
          aroundScope: around?.ok ? around.value.scope : null,
          related: listed,
          relatedActive: Math.max(0, keptAt),
        });
      },

      async submit(patch = {}, how = {}) {
        if (get().submitting) return false;
        const draft = { ...get().draft, ...patch };
        const errors = validateDraft(draft);
        set({ draft, errors, shown: errors, showAllErrors: true, touched: true, callActive: true });
        if (Object.keys(errors).length > 0) {
          const via = how.via ? `（按建议 ${how.via}）` : '';
          set({ notice: errorNotice(`还有 ${Object.keys(errors).length} 处需要补充或更正，工单未提交${via}${how.hint ? `。${how.hint}` : ''}`) });
          scheduleSave();
          return false;
        }
        set({ submitting: true });
        if (saveTimer) clearTimeout(saveTimer);
        const { open311RequestId } = get();
        const result = await api.call('tickets.submit', { draft, ...(open311RequestId ? { open311RequestId } : {}) });
        if (!result.ok) {
          const fields = (result.error.details as { fields?: FieldErrors } | undefined)?.fields ?? {};
          set({ submitting: false, errors: { ...errors, ...fields }, shown: { ...errors, ...fields }, notice: errorNotice(result.error.message) });
          scheduleSave();
          return false;
        }
        const ticket = result.value;
        const original = how.original && ticket.linkedTicket && how.original.id === ticket.linkedTicket.id ? how.original : null;
        set({ ...fresh(), submitting: false, notice: null, submitted: { ticket, via: how.via ?? null, original } });
        return true;
      },

      takeEarlierCaller() {
        const earlier = earlierTicketOf(get());
        if (!earlier) return false;
        const { address } = earlier;
        update({ callerName: earlier.callerName, address: { ...address } }, { addressMatch: null });
        return true;
      },

      showError(text) {
        set({ notice: errorNotice(text) });
      },

      clearNotice() {
        set({ notice: null });
      },

      dispose() {
        if (saveTimer) clearTimeout(saveTimer);
        if (aroundTimer) clearTimeout(aroundTimer);
        saveTimer = aroundTimer = null;
        aroundSeq++;
      },
    };
  });
}

export const useIntake = createIntakeStore(api);

/** The message to show at a field: after the call-taker left it, or after a submit attempt. */
export function useFieldError(field: TicketField): string | undefined {
  return useIntake((s) => s.shown[field]);
}

