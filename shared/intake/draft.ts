/** Rules about the ticket being typed that hold whoever shows the form. */
import type { TicketDraft } from '../domain/ticket';

/** Whether anything worth keeping has been typed: a new call asks before replacing it. */
export function hasTypedContent(draft: TicketDraft): boolean {
  return !!(draft.callerName.trim() || draft.content.trim() || draft.address.text.trim() || draft.leafCode);
}

/** The callback number follows the caller's number until the call-taker gives another one. */
export function withCallerPhone(draft: Pick<TicketDraft, 'callerPhone' | 'callbackPhone'>, phone: string): Pick<TicketDraft, 'callerPhone' | 'callbackPhone'> {
  return { callerPhone: phone, callbackPhone: draft.callbackPhone === draft.callerPhone ? phone : draft.callbackPhone };
}
