/**
 * A ticket (工单): one citizen request, recorded once, with everything needed to answer or dispatch
 * it and the trail of what happened to it. The desk's copy carries a provisional number until the
 * hub assigns the official one.
 */
import type { RequestType, Urgency } from './catalogue';

export const CHANNELS = ['电话', '网络', '微信', '微博', 'APP'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How the call-taker finished with the ticket at the desk. */
export const DISPOSITIONS = ['咨询办结', '直派', '派分中心', '派市中心', '重复诉求', '不合理诉求'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const TICKET_EVENT_KINDS = ['受理', '派单', '接单', '退单', '回复', '回访', '办结', '督办', '关联'] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export interface TicketAddress {
  districtCode: string | null;
  streetCode: string | null;
  villageCode: string | null;
  /** What the caller said, as typed. */
  text: string;
}

/** What the intake form holds while the call goes on: everything is text until it is checked. */
export interface TicketDraft {
  /** Client UUID, made when the call starts: the ticket's id on this desk and its idempotency key at the hub. */
  id: string;
  callStartedAt: string;
  channel: Channel;
  callerName: string;
  callerPhone: string;
  callbackPhone: string;
  requestType: RequestType | '';
  address: TicketAddress;
  content: string;
  leafCode: string | null;
  disposition: Disposition | null;
  unitCode: string | null;
  kbArticleId: string | null;
  linkedTicketId: string | null;
  unreasonableReason: string;
}

export function emptyDraft(id: string, callStartedAt: string, callerPhone = ''): TicketDraft {
  return {
    id,
    callStartedAt,
    channel: '电话',
    callerName: '',
    callerPhone,
    callbackPhone: callerPhone,
    requestType: '',
    address: { districtCode: null, streetCode: null, villageCode: null, text: '' },
    content: '',
    leafCode: null,
    disposition: null,
    unitCode: null,
    kbArticleId: null,
    linkedTicketId: null,
    unreasonableReason: '',
  };
}

/** What a ticket's status reads on the desk; the hub owns it once the ticket is dispatched. */
export const TICKET_STATUSES = ['已办结', '已派单', '待审核', '已关联', '已接单', '已退单', '已回复', '已回访'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The status a ticket has when the call-taker submits it, by disposition. */
export const STATUS_ON_SUBMIT: Record<Disposition, TicketStatus> = {
  咨询办结: '已办结',
  直派: '已派单',
  派分中心: '已派单',
  派市中心: '已派单',
  重复诉求: '已关联',
  不合理诉求: '待审核',
};
