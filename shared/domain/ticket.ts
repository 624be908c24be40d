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

// Statuses, trail events and what each disposition leads to are the lifecycle's (shared/lifecycle/).
export { TICKET_EVENT_KINDS, TICKET_STATUSES, type TicketEventKind, type TicketStatus } from '../lifecycle/ticket-lifecycle';

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
