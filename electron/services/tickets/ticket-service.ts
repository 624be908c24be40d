/**
 * Ticket intake on the desk: submit a checked draft as a ticket (with its deadlines, its trail and
 * its outbox row, in one transaction), read tickets back as the contract's summaries and details,
 * and keep the intake draft. Composes the ticket, outbox and draft repositories with the reference
 * data; owns no SQL itself.
 *
 * Decisions recorded here:
 * - Idempotent submit: the draft id is the ticket id. A second submit of an id already stored
 *   returns that ticket and writes nothing, even if the draft changed since, and is checked before
 *   validation so a retry never fails on reference data that changed after the first submit.
 * - Only what the chosen disposition uses is stored: the unit for 直派/派分中心/派市中心, the
 *   linked ticket for 重复诉求, the reason for 不合理诉求. A value left in the form from a
 *   disposition the call-taker switched away from is neither checked nor kept. A knowledge-base
 *   article is kept (and checked) whatever the disposition: it is what the call-taker answered from.
 * - Status, the unit kinds a disposition may go to, the deadlines and their checkpoints met at
 *   submit, and the wording of the trail all come from the lifecycle (shared/lifecycle/); the hub
 *   stores the same trail as the desk wrote it.
 * - 疑似重复 by number has no age limit (a caller's earlier tickets are always worth seeing); by
 *   place and leaf it looks back 30 × 24 hours from now. Both the caller's and the callback number
 *   count as "the same number", as in 来电历史.
 * - A submitted ticket's draft is never offered again: drafts.current hides a stored draft whose id
 *   is already a ticket, and drafts.save refuses one, so a late autosave of the ticket just submitted
 *   cannot overwrite the draft of the next call.
 */
import {
  TicketDraftSchema,
  type Operator,
  type LookupTicket,
  type RelatedTicket,
  type ShiftNow,
  type TicketDetail,
  type TicketSummary,
} from '../../../shared/api/contract';
import { z } from 'zod';
import type { Urgency } from '../../../shared/domain/catalogue';
import type { Disposition, TicketDraft } from '../../../shared/domain/ticket';
import { deadlinesOnSubmit } from '../../../shared/lifecycle/deadlines';
import { submitEvents } from '../../../shared/lifecycle/events';
import { isDispatching, statusOnSubmit, unitKindProblem } from '../../../shared/lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../../../shared/result';
import { describeError } from '../../../shared/errors';
import { DEFAULT_SHIFTS, minutesOfTime, shiftAt, type ShiftDefinition } from '../../../shared/shifts';
import { addCalendarDays } from '../../../shared/sla/deadlines';
import { isSlaDisposition, type SlaPolicy } from '../../../shared/sla/policy';
import { centerDate, centerMinutesOfDay } from '../../../shared/time';
import { callStartProblem, normalisePhone, validateDraft, type FieldErrors, type TicketField } from '../../../shared/validation/ticket';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';
import { CURRENT_DRAFT_SLOT, DraftsRepo } from './drafts-repo';
import { CALLBACK_PAYLOAD_VERSION, OUTBOX_PAYLOAD_VERSION, URGE_PAYLOAD_VERSION, type CallbackPayload, type TicketCreatePayload, type UrgePayload } from './outbox-payload';
import { OutboxRepo } from './outbox-repo';
import { ticketFlag } from './ticket-flag';
import { TicketsRepo, type StoredTicket } from './tickets-repo';

export type { TicketCreatePayload } from './outbox-payload';

export const HISTORY_LIMIT = 20;
export const RELATED_LIMIT = 10;
export const RELATED_WINDOW_DAYS = 30;
export const PREVIEW_CHARS = 60;
/** How many tickets of other desks (shown by the hub) a duplicate may be linked to. */
export const HUB_TICKETS_KEPT = 500;

export interface TicketServiceOptions {
  db: Db;
  reference: ReferenceData;
  /** The parsed policy, or why it could not be used (the message names the file). */
  policy: Result<SlaPolicy>;
  operator: () => Operator;
  now: () => Date;
  /** The shift definitions in force; a function when a center edits them while the desk runs. */
  shifts?: readonly ShiftDefinition[] | (() => readonly ShiftDefinition[]);
}

export interface SubmitOutcome {
  summary: TicketSummary;
  /** False when the id had been submitted before and nothing was written. */
  created: boolean;
}

export interface ShiftOfDay {
  shift: ShiftNow;
  /** YYYY-MM-DD (Beijing) the shift started on: a shift past midnight belongs to the day it began. */
  shiftDate: string;
}

export function shiftOfInstant(at: Date, shifts: readonly ShiftDefinition[] = DEFAULT_SHIFTS): ShiftOfDay {
  const minutes = centerMinutesOfDay(at);
  const shift = shiftAt(minutes, shifts);
  const start = minutesOfTime(shift.start) ?? 0;
  const crossesMidnight = (minutesOfTime(shift.end) ?? 0) <= start;
  const date = centerDate(at);
  return {
    shift: { code: shift.code, name: shift.name, start: shift.start, end: shift.end },
    shiftDate: crossesMidnight && minutes < start ? addCalendarDays(date, -1) : date,
  };
}

function preview(content: string): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : chars.join('');
}

export class TicketService {
  readonly tickets: TicketsRepo;
  readonly outbox: OutboxRepo;
  readonly drafts: DraftsRepo;
  private readonly db: Db;
  private readonly reference: ReferenceData;

  constructor(private readonly options: TicketServiceOptions) {
    this.db = options.db;
    this.reference = options.reference;
    this.tickets = new TicketsRepo(options.db);
    this.outbox = new OutboxRepo(options.db);
    this.drafts = new DraftsRepo(options.db);
  }

  private get shifts(): readonly ShiftDefinition[] {
    const shifts = this.options.shifts;
    return typeof shifts === 'function' ? shifts() : (shifts ?? DEFAULT_SHIFTS);
  }

  currentShift(): ShiftOfDay {
    return shiftOfInstant(this.options.now(), this.shifts);
  }

  pendingSyncCount(): number {
    return this.outbox.pendingCount();
  }

  // ---- Submit ---------------------------------------------------------------------------------

  /** `from.open311RequestId`: the 网络渠道 submission it was taken from; the outbox row carries it to the hub. */
  submit(draft: TicketDraft, from: { open311RequestId?: string | undefined } = {}): Result<SubmitOutcome> {
    const existing = this.tickets.get(draft.id);
    if (existing) return ok({ summary: this.summarize([existing])[0]!, created: false });
    // A call start a day or more away from now is a wrong clock or a stale draft, never this call's.
    const callProblem = callStartProblem(draft.callStartedAt, this.options.now());
    if (callProblem) return fail('rejected', callProblem, { fields: {} });

    const fields = this.check(draft);
    const problems = Object.values(fields);
    if (problems.length > 0) {
      return fail('rejected', `工单还有 ${problems.length} 处需要补充：${problems.slice(0, 3).join('；')}${problems.length > 3 ? '……' : ''}`, { fields });
    }
    // validateDraft has made these present; the casts only tell the compiler.
    const disposition = draft.disposition as Disposition;
    const requestType = draft.requestType as Exclude<TicketDraft['requestType'], ''>;
    const leaf = draft.leafCode ? this.reference.catalogue.node(draft.leafCode) : null;
    const urgency: Urgency = leaf?.urgency ?? '一般';

    const submittedAtDate = this.options.now();
    const submittedAt = submittedAtDate.toISOString();
    if (isSlaDisposition(disposition) && !this.options.policy.ok) {
      return fail('unavailable', `${this.options.policy.error.message}。派单需要按时限策略计算办理时限，本工单暂未提交，请联系管理员修正后再提交`);
    }
    const deadlines = this.options.policy.ok ? deadlinesOnSubmit(this.options.policy.value, { submittedAt, urgency, disposition }) : [];

    const operator = this.options.operator();
    const { shift, shiftDate } = shiftOfInstant(submittedAtDate, this.shifts);
    const unit = isDispatching(disposition) && draft.unitCode ? this.reference.units.get(draft.unitCode) : null;
    const linked = disposition === '重复诉求' && draft.linkedTicketId ? this.originalOf(draft.linkedTicketId) : null;
    const article = draft.kbArticleId ? this.reference.kb.get(draft.kbArticleId) : null;

    const base: Omit<StoredTicket, 'provisionalNumber'> = {
      id: draft.id,
      officialNumber: null,
      operatorId: operator.id,
      operatorName: operator.name,
      shiftCode: shift.code,
      shiftDate,
      callStartedAt: new Date(draft.callStartedAt).toISOString(),
      submittedAt,
      channel: draft.channel,
      callerName: draft.callerName.trim(),
      callerPhone: normalisePhone(draft.callerPhone),
      callbackPhone: normalisePhone(draft.callbackPhone),
      requestType,
      districtCode: draft.address.districtCode,
      streetCode: draft.address.streetCode,
      villageCode: draft.address.villageCode,
      addressText: draft.address.text.trim(),
      content: draft.content.trim(),
      leafCode: draft.leafCode,
      urgency,
      disposition,
      unitCode: unit?.code ?? null,
      kbArticleId: article?.id ?? null,
      linkedTicketId: linked?.id ?? null,
      unreasonableReason: disposition === '不合理诉求' ? draft.unreasonableReason.trim() : '',
      status: statusOnSubmit(disposition),
      deadlines,
      updatedAt: submittedAt,
    };

    const events = submitEvents(
      {
        channel: draft.channel,
        disposition,
        unitName: unit?.name ?? null,
        kbArticleTitle: article?.title ?? null,
        linkedNumber: linked ? (linked.officialNumber ?? linked.provisionalNumber) : null,
        unreasonableReason: base.unreasonableReason,
      },
      submittedAt,
      operator.name,
    );

    // Names as the call-taker saw them, for the hub's reports (it keeps no copy of every directory version).
    const names = {
      unit: unit?.name ?? null,
      district: base.districtCode ? (this.reference.places.get(base.districtCode)?.shortName ?? null) : null,
      street: base.streetCode ? (this.reference.places.get(base.streetCode)?.shortName ?? null) : null,
      leafPath: base.leafCode ? this.reference.catalogue.path(base.leafCode) : [],
    };
    let stored: StoredTicket;
    try {
      stored = this.db.transaction((): StoredTicket => {
        const ticket: StoredTicket = { ...base, provisionalNumber: this.nextProvisionalNumber(submittedAtDate) };
        this.tickets.insert(ticket);
        for (const event of events) this.tickets.addEvent(ticket.id, event);
        // Everything the hub needs to take the ticket over, so the sync client never reads other tables.
        this.outbox.enqueue(ticket.id, 'ticket.create', { version: OUTBOX_PAYLOAD_VERSION, ticket, events, names, ...(from.open311RequestId ? { open311RequestId: from.open311RequestId } : {}) } satisfies TicketCreatePayload, submittedAt);
        this.drafts.deleteIf(CURRENT_DRAFT_SLOT, ticket.id);
        return ticket;
      })();
    } catch (error) {
      return fail('unavailable', `工单未能保存到本机数据库（${describeError(error)}），没有写入任何内容，请重试`);
    }
    return ok({ summary: this.summarize([stored])[0]!, created: true });
  }

  /**
   * The ticket a duplicate is linked to: the original itself, never another duplicate of it (a third
   * call about the same problem joins the first ticket, not the second).
   */
  private originalOf(id: string): Pick<StoredTicket, 'id' | 'officialNumber' | 'provisionalNumber'> | null {
    let ticket = this.tickets.get(id);
    // A ticket of another desk the hub showed (疑似重复, 查询): the original it names, else itself.
    const seenAtHub = this.hubTickets.get(id);
    if (!ticket && seenAtHub) {
      const original = seenAtHub.linkedTicket ?? { id, number: seenAtHub.number };
      return { id: original.id, officialNumber: original.number, provisionalNumber: original.number };
    }
    const seen = new Set<string>();
    while (ticket && ticket.disposition === '重复诉求' && ticket.linkedTicketId && !seen.has(ticket.id)) {
      seen.add(ticket.id);
      const next = this.tickets.get(ticket.linkedTicketId);
      if (!next) break;
      ticket = next;
    }
    return ticket;
  }

  /** 临 + Beijing date + '-' + the next 4-digit sequence of that day on this desk. Call inside the write transaction. */
  private nextProvisionalNumber(at: Date): string {
    const prefix = `临${centerDate(at).replace(/-/g, '')}`;
    const last = this.tickets.lastNumberOfDay(prefix);
    const seq = last ? Number(last.slice(prefix.length + 1)) + 1 : 1;
    return `${prefix}-${String(seq).padStart(4, '0')}`;
  }

  /** The form's own rules (validateDraft), then what only the desk's data can tell: do the codes exist. */
  private check(draft: TicketDraft): FieldErrors {
    const errors: FieldErrors = validateDraft(draft);
    const set = (field: TicketField, message: string | null) => {
      if (message && !errors[field]) errors[field] = message;
    };
    const ref = this.reference;
    const disposition = draft.disposition;

    if (draft.leafCode) {
      const node = ref.catalogue.node(draft.leafCode);
      set('leafCode', node && node.level === 3 ? null : `分类“${draft.leafCode}”不是现行派单目录中的三级分类，请重新选择`);
    }
    if (disposition && isDispatching(disposition) && draft.unitCode) {
      const unit = ref.units.get(draft.unitCode);
      set('unitCode', unit ? unitKindProblem(disposition, unit) : `承办单位“${draft.unitCode}”不在单位名录中，请重新选择`);
    }
    if (draft.kbArticleId && !ref.kb.get(draft.kbArticleId)) {
      set('kbArticleId', `知识库中没有编号为“${draft.kbArticleId}”的文章（可能已下架），请重新选择`);
    }
    if (disposition === '重复诉求' && draft.linkedTicketId && !this.tickets.get(draft.linkedTicketId) && !this.hubTickets.has(draft.linkedTicketId)) {
      set('linkedTicketId', '要关联的原工单在本机找不到，请从来电历史或疑似重复中重新选择');
    }
    set('address', this.addressProblem(draft.address));
    return errors;
  }

  private addressProblem(address: TicketDraft['address']): string | null {
    const places = this.reference.places;
    const district = address.districtCode ? places.get(address.districtCode) : null;
    const street = address.streetCode ? places.get(address.streetCode) : null;
    const village = address.villageCode ? places.get(address.villageCode) : null;
    if (address.districtCode && district?.level !== 'district') return `区编码“${address.districtCode}”不在行政区划中，请重新选择地址`;
    if (address.streetCode && street?.level !== 'street') return `街乡镇编码“${address.streetCode}”不在行政区划中，请重新选择地址`;
    if (address.villageCode && village?.level !== 'village') return `社区村编码“${address.villageCode}”不在行政区划中，请重新选择地址`;
    if (street && street.parentCode !== address.districtCode) return `${street.shortName}不在所选的区内，请重新选择地址`;
    if (village && village.parentCode !== address.streetCode) return `${village.shortName}不在所选的街乡镇内，请重新选择地址`;
    return null;
  }

  // ---- Reads ----------------------------------------------------------------------------------

  history(phone: string): TicketSummary[] {
    return this.summarize(this.tickets.history(normalisePhone(phone), HISTORY_LIMIT));
  }

  related(query: { phone: string; villageCode: string | null; leafCode: string | null; excludeId?: string | null | undefined }): RelatedTicket[] {
    const since = new Date(this.options.now().getTime() - RELATED_WINDOW_DAYS * 86_400_000).toISOString();
    const rows = this.tickets.related({
      phone: normalisePhone(query.phone),
      villageCode: query.villageCode,
      leafCode: query.leafCode,
      since,
      excludeId: query.excludeId ?? null,
      limit: RELATED_LIMIT,
    });
    const summaries = this.summarize(rows.map((r) => r.ticket));
    const related = summaries.map((summary, i) => {
      const row = rows[i]!;
      const reasons: RelatedTicket['reasons'] = [];
      if (row.samePhone) reasons.push('same_phone');
      if (row.samePlaceLeaf) reasons.push('same_place_leaf');
      return { ...summary, reasons };
    });
    // Originals before tickets already linked to one: F6 offers the ticket the problem is handled under.
    return [...related.filter((t) => !t.linkedTicket), ...related.filter((t) => t.linkedTicket)];
  }

  /**
   * Tickets of other desks the hub just showed this desk (center-wide history, 疑似重复, 查询;
   * electron/services/handlers/lookup.ts): a duplicate may be linked to one (重复诉求), which the
   * hub then links for its unit (server/lookup.ts linkedRequests). The latest HUB_TICKETS_KEPT.
   */
  private readonly hubTickets = new Map<string, { number: string; linkedTicket: { id: string; number: string } | null }>();

  rememberHubTickets(tickets: ReadonlyArray<{ id: string; number: string; linkedTicket: { id: string; number: string } | null }>): void {
    for (const t of tickets) {
      this.hubTickets.delete(t.id);
      this.hubTickets.set(t.id, { number: t.number, linkedTicket: t.linkedTicket });
    }
    for (const id of this.hubTickets.keys()) {
      if (this.hubTickets.size <= HUB_TICKETS_KEPT) break;
      this.hubTickets.delete(id);
    }
  }

  /** 查询工单 on this desk alone (the hub unreachable): by number, 临… number or phone, with the trail. */
  lookupLocal(key: string): LookupTicket[] {
    const rows = this.tickets.lookup(key.trim(), normalisePhone(key.trim()), HISTORY_LIMIT);
    return this.summarize(rows).map((summary, i) => {
      const trail = this.tickets.events(rows[i]!.id);
      return { ...summary, content: rows[i]!.content, trail, urgeCount: trail.filter((e) => e.kind === '催办').length, urgeSuggestion: null, here: true };
    });
  }

  /** A 催办 recorded while the hub is unreachable: waits in the outbox, sent once when it answers (sync-client.ts). */
  queueUrge(ticketId: string, urge: UrgePayload['urge']): Result<{ number: string }> {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return fail('not_found', '本机没有这张工单；中心不可达时只能催办本坐席受理的工单');
    this.outbox.enqueue(ticketId, 'ticket.urge', { version: URGE_PAYLOAD_VERSION, urge } satisfies UrgePayload, urge.at);
    return ok({ number: ticket.officialNumber ?? ticket.provisionalNumber });
  }

  /** A 回访 recorded while the hub is unreachable: an outbox row (CallbackPayloadSchema), sent once later. */
  queueCallback(ticketId: string, callback: CallbackPayload['callback']): Result<{ number: string }> {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return fail('not_found', '本机没有这张工单；中心不可达时只能回访本坐席受理的工单');
    this.outbox.enqueue(ticketId, 'ticket.callback', { version: CALLBACK_PAYLOAD_VERSION, callback } satisfies CallbackPayload, callback.at);
    return ok({ number: ticket.officialNumber ?? ticket.provisionalNumber });
  }

  /** This desk's own tickets waiting for a callback (回访 while the hub is unreachable), earliest review due first. */
  awaitingCallback(limit: number): StoredTicket[] {
    return this.tickets.awaitingCallback(limit);
  }

  mine(): ShiftOfDay & { tickets: TicketSummary[] } {
    const current = this.currentShift();
    const operator = this.options.operator();
    return { ...current, tickets: this.summarize(this.tickets.mine(operator.id, current.shiftDate, current.shift.code)) };
  }

  get(id: string): Result<TicketDetail> {
    const ticket = this.tickets.get(id);
    if (!ticket) return fail('not_found', `没有编号为“${id}”的工单`);
    const summary = this.summarize([ticket])[0]!;
    const article = ticket.kbArticleId ? this.reference.kb.get(ticket.kbArticleId) : null;
    const linked = ticket.linkedTicketId ? this.tickets.get(ticket.linkedTicketId) : null;
    return ok({
      ...summary,
      callStartedAt: ticket.callStartedAt,
      channel: ticket.channel,
      callbackPhone: ticket.callbackPhone,
      content: ticket.content,
      address: { districtCode: ticket.districtCode, streetCode: ticket.streetCode, villageCode: ticket.villageCode, text: ticket.addressText },
      placeNames: this.placeNames(ticket),
      kbArticle: ticket.kbArticleId ? { id: ticket.kbArticleId, title: article?.title ?? `知识库文章 ${ticket.kbArticleId}（已不在知识库中）` } : null,
      linkedTicket: ticket.linkedTicketId
        ? { id: ticket.linkedTicketId, number: linked ? (linked.officialNumber ?? linked.provisionalNumber) : (this.hubTickets.get(ticket.linkedTicketId)?.number ?? ticket.linkedTicketId) }
        : null,
      unreasonableReason: ticket.unreasonableReason,
      events: this.tickets.events(ticket.id),
    });
  }

  private placeNames(ticket: Pick<StoredTicket, 'districtCode' | 'streetCode' | 'villageCode'>): string[] {
    return [ticket.districtCode, ticket.streetCode, ticket.villageCode]
      .filter((code): code is string => !!code)
      .map((code) => this.reference.places.get(code)?.shortName ?? code);
  }

  /** The contract's summaries, in the given order; names come from the current reference data. */
  summarize(tickets: readonly StoredTicket[]): TicketSummary[] {
    const pending = this.outbox.pendingAmong(tickets.map((t) => t.id));
    const leafPaths = new Map<string, string[]>();
    const unitNames = new Map<string, string | null>();
    const leafPath = (code: string) => {
      let path = leafPaths.get(code);
      if (!path) leafPaths.set(code, (path = this.reference.catalogue.path(code)));
      return path;
    };
    const unitName = (code: string) => {
      if (!unitNames.has(code)) unitNames.set(code, this.reference.units.get(code)?.name ?? code);
      return unitNames.get(code) ?? null;
    };
    const linkedNumbers = new Map<string, string>();
    const linkedNumber = (id: string) => {
      if (!linkedNumbers.has(id)) {
        const linked = this.tickets.get(id);
        linkedNumbers.set(id, linked ? (linked.officialNumber ?? linked.provisionalNumber) : (this.hubTickets.get(id)?.number ?? id));
      }
      return linkedNumbers.get(id)!;
    };
    return tickets.map((t) => {
      const places = this.placeNames(t).join('');
      return {
        id: t.id,
        number: t.officialNumber ?? t.provisionalNumber,
        official: t.officialNumber !== null,
        submittedAt: t.submittedAt,
        operatorName: t.operatorName,
        operatorId: t.operatorId,
        callerName: t.callerName,
        callerPhone: t.callerPhone,
        requestType: t.requestType,
        leafCode: t.leafCode,
        leafPath: t.leafCode ? leafPath(t.leafCode) : [],
        disposition: t.disposition,
        unitName: t.unitCode ? unitName(t.unitCode) : null,
        status: t.status,
        urgency: t.urgency,
        deadlines: t.deadlines,
        contentPreview: preview(t.content),
        addressText: [places, t.addressText].filter(Boolean).join(' '),
        address: { districtCode: t.districtCode, streetCode: t.streetCode, villageCode: t.villageCode, text: t.addressText },
        linkedTicket: t.linkedTicketId ? { id: t.linkedTicketId, number: linkedNumber(t.linkedTicketId) } : null,
        pendingSync: pending.has(t.id),
        // Only a dispatched ticket the hub moved on can want attention; the rest read no trail.
        flag: isDispatching(t.disposition) && t.officialNumber !== null ? ticketFlag(this.tickets.events(t.id), t.status, t.deadlines) : null,
      };
    });
  }

  // ---- Drafts ---------------------------------------------------------------------------------

  /**
   * open311RequestId, the 网络渠道 submission the form was taken from, is kept inside the draft's JSON
   * (a key beside the draft's own, no migration), so a draft restored after a restart still submits
   * as that submission's ticket and the submission leaves the 待受理 queue.
   */
  saveDraft(draft: TicketDraft, open311RequestId?: string): Result<{ savedAt: string }> {
    const submitted = this.tickets.get(draft.id);
    if (submitted) {
      return fail('conflict', `这张工单已提交（${submitted.officialNumber ?? submitted.provisionalNumber}），草稿不再保存`);
    }
    const savedAt = this.options.now().toISOString();
    this.drafts.save(CURRENT_DRAFT_SLOT, draft.id, open311RequestId ? { ...draft, open311RequestId } : draft, savedAt);
    return ok({ savedAt });
  }

  /** The saved draft, or null when there is none, it no longer reads as a draft, or it was submitted since. */
  currentDraft(): { draft: TicketDraft; savedAt: string; open311RequestId?: string } | null {
    const stored = this.drafts.get(CURRENT_DRAFT_SLOT);
    if (!stored) return null;
    let json: unknown;
    try {
      json = JSON.parse(stored.json);
    } catch {
      return null;
    }
    // The submission id rides beside the draft's fields (saveDraft); a damaged one is dropped, not the draft.
    let open311RequestId: string | undefined;
    if (json !== null && typeof json === 'object' && 'open311RequestId' in json) {
      const { open311RequestId: request, ...rest } = json as Record<string, unknown>;
      const id = z.uuid().safeParse(request);
      if (id.success) open311RequestId = id.data;
      json = rest;
    }
    const parsed = TicketDraftSchema.safeParse(json);
    if (!parsed.success || this.tickets.get(parsed.data.id)) return null;
    return { draft: parsed.data, savedAt: stored.savedAt, ...(open311RequestId ? { open311RequestId } : {}) };
  }

  discardDraft(id: string): { discarded: boolean } {
    return { discarded: this.drafts.deleteIf(CURRENT_DRAFT_SLOT, id) };
  }
}
