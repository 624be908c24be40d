/** The draft being typed: saved as the call-taker types, offered again after a restart, discarded. */
import { ok } from '../../../shared/result';
import type { TicketService } from '../tickets/ticket-service';
import type { DeskHandlers } from './context';

export function draftHandlers(tickets: TicketService): DeskHandlers<'drafts.save' | 'drafts.current' | 'drafts.discard'> {
  return {
    'drafts.save': ({ draft, open311RequestId }) => tickets.saveDraft(draft, open311RequestId),
    'drafts.current': () => ok(tickets.currentDraft()),
    'drafts.discard': ({ id }) => ok(tickets.discardDraft(id)),
  };
}
