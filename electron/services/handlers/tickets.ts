/**
 * The call-taker's ticket calls: an incoming call, submitting a ticket (then the lists refresh and
 * the sync client is nudged to push it), and the reads behind history, related tickets and 我的工单.
 */
import { ok } from '../../../shared/result';
import { normalisePhone } from '../../../shared/validation/ticket';
import type { TicketService } from '../tickets/ticket-service';
import type { DeskContext, DeskHandlers } from './context';

export interface TicketDeps {
  tickets: TicketService;
  /** After a ticket write has committed: lists and the 待同步 count refresh. */
  ticketsChanged: (ids: string[]) => void;
  /** Push soon: a new ticket waits in the outbox (nothing to do in 本机模式). */
  nudgeSync: () => void;
}

export function ticketHandlers(
  { now, emit, whenReady }: DeskContext,
  { tickets, ticketsChanged, nudgeSync }: TicketDeps,
): DeskHandlers<'calls.incoming' | 'tickets.submit' | 'tickets.history' | 'tickets.related' | 'tickets.mine' | 'tickets.get'> {
  return {
    'calls.incoming': ({ phone, at }) => {
      const call = { phone: normalisePhone(phone), startedAt: (at ? new Date(at) : now()).toISOString() };
      emit({ name: 'call.incoming', payload: call });
      return ok(call);
    },
    'tickets.submit': ({ draft, open311RequestId }) =>
      whenReady(() => {
        const submitted = tickets.submit(draft, { open311RequestId });
        if (!submitted.ok) return submitted;
        if (submitted.value.created) {
          ticketsChanged([submitted.value.summary.id]);
          nudgeSync();
        }
        return ok(submitted.value.summary);
      }),
    'tickets.history': ({ phone }) => whenReady(() => ok(tickets.history(phone))),
    'tickets.related': (query) => whenReady(() => ok(tickets.related(query))),
    'tickets.mine': () => whenReady(() => ok(tickets.mine())),
    'tickets.get': ({ id }) => whenReady(() => tickets.get(id)),
  };
}
