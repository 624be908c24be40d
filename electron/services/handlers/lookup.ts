/**
 * Center-wide intake on the desk (shared/api/contract.ts centerIntakeCalls): the caller's history and
 * 疑似重复 for the call on the screen, 查询工单 and 催办. Each asks the hub first (server/lookup.ts,
 * through the sync client's hub session) and waits at most HUB_WAIT_MS — a call-taker must not notice
 * — then answers from this desk's own tickets, saying so (scope 'local', 本机). A 催办 the hub
 * cannot take now waits in the outbox (a `ticket.urge` row, electron/services/tickets/outbox-payload.ts)
 * and is sent once when the hub answers.
 */
import { randomUUID } from 'node:crypto';
import type { CenterTicket } from '../../../shared/api/center-contract';
import type { LookupTicket, RelatedTicket, TicketSummary } from '../../../shared/api/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { normalisePhone } from '../../../shared/validation/ticket';
import type { ReferenceData } from '../reference/reference-data';
import type { SyncClient } from '../sync/sync-client';
import type { TicketService } from '../tickets/ticket-service';
import type { DeskContext, DeskHandlers } from './context';

/** How long the desk waits for the hub before it answers from its own tickets. */
export const HUB_WAIT_MS = 800;

export interface LookupDeps {
  sync: () => SyncClient | null;
  tickets: TicketService;
  reference: ReferenceData;
  deskId: string;
  operatorName: () => string;
  now: () => Date;
  /** After a 催办 waits in the outbox: the 待同步 count refreshes. */
  ticketsChanged: (ids: string[]) => void;
}

const TIMED_OUT = Symbol('timed out');

/** The hub's answer, or null when there is no hub, it failed, or it took longer than HUB_WAIT_MS. */
async function fromHub<T>(run: () => Promise<Result<T>>, waitMs: number): Promise<Result<T> | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), waitMs)));
  try {
    const answer = await Promise.race([run(), late]);
    return answer === TIMED_OUT ? null : answer;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export function lookupHandlers({ whenReady }: DeskContext, deps: LookupDeps, waitMs = HUB_WAIT_MS): DeskHandlers<'tickets.around' | 'tickets.lookup' | 'tickets.urge'> {
  const { tickets, reference } = deps;

  /** A hub ticket as the desk's lists show it; this desk's own copy when it took the ticket. */
  const summary = (t: CenterTicket): TicketSummary => {
    const local = tickets.summarize(tickets.tickets.get(t.id) ? [tickets.tickets.get(t.id)!] : [])[0];
    const places = [t.districtCode, t.streetCode, t.villageCode].filter((c): c is string => !!c).map((c) => reference.places.get(c)?.shortName ?? c);
    return {
      id: t.id,
      number: t.number,
      official: true,
      submittedAt: t.submittedAt,
      operatorName: t.operatorName,
      operatorId: t.operatorId,
      callerName: t.callerName,
      callerPhone: t.callerPhone,
      requestType: t.requestType,
      leafCode: t.leafCode,
      leafPath: t.leafCode ? reference.catalogue.path(t.leafCode) : t.leafPath,
      disposition: t.disposition,
      unitName: t.unitCode ? (reference.units.get(t.unitCode)?.name ?? t.unitName) : null,
      status: t.status,
      urgency: t.urgency,
      deadlines: t.deadlines,
      contentPreview: t.content.length > 60 ? `${t.content.slice(0, 60)}…` : t.content,
      // The words usually name the district already (朝阳区望京街道…): then they alone, else the places first.
      addressText: places[0] && t.addressText.includes(places[0]) ? t.addressText : [places.join(''), t.addressText].filter(Boolean).join(' '),
      address: { districtCode: t.districtCode, streetCode: t.streetCode, villageCode: t.villageCode, text: t.addressText },
      linkedTicket: t.linkedTicket,
      pendingSync: false,
      flag: local?.flag ?? null,
    };
  };

  return {
    'tickets.around': async (input) => {
      await whenReady(() => null);
      const phone = normalisePhone(input.phone);
      const client = deps.sync();
      if (client) {
        const [history, related] = await Promise.all([
          phone ? fromHub(() => client.callHub('center.history', { phone }), waitMs) : Promise.resolve(ok([] as CenterTicket[])),
          fromHub(
            () =>
              client.callHub('center.related', {
                phone,
                districtCode: input.address.districtCode,
                streetCode: input.address.streetCode,
                villageCode: input.address.villageCode,
                leafCode: input.leafCode,
                content: input.content,
                excludeId: input.excludeId ?? null,
              }),
            waitMs,
          ),
        ]);
        if (history?.ok && related?.ok) {
          tickets.rememberHubTickets([...history.value, ...related.value]);
          return ok({
            scope: 'center' as const,
            history: history.value.map(summary),
            related: related.value.map((r): RelatedTicket => ({ ...summary(r), reasons: r.reasons })),
          });
        }
      }
      return ok({
        scope: 'local' as const,
        history: phone ? tickets.history(phone) : [],
        related: tickets.related({ phone, villageCode: input.address.villageCode, leafCode: input.leafCode, excludeId: input.excludeId ?? null }),
      });
    },
    'tickets.lookup': async ({ key }) => {
      await whenReady(() => null);
      const client = deps.sync();
      if (client) {
        const found = await fromHub(() => client.callHub('center.lookup', { key, deskId: deps.deskId }), waitMs);
        if (found?.ok) {
          tickets.rememberHubTickets(found.value);
          return ok({
            scope: 'center' as const,
            tickets: found.value.map(
              (t): LookupTicket => ({
                ...summary(t),
                content: t.content,
                trail: t.trail,
                urgeCount: t.urgeCount,
                urgeSuggestion: t.urgeSuggestion,
                here: tickets.tickets.get(t.id) !== null,
              }),
            ),
          });
        }
      }
      return ok({ scope: 'local' as const, tickets: tickets.lookupLocal(key) });
    },
    'tickets.urge': async ({ ticketId, note }) => {
      const urge = { id: randomUUID(), ticketId: ticketId.toLowerCase(), at: deps.now().toISOString(), actor: deps.operatorName(), note: note.trim() };
      const client = deps.sync();
      if (client) {
        const sent = await fromHub(() => client.callHub('ticket.urge', { ...urge, deskId: deps.deskId }), waitMs * 2);
        if (sent?.ok) {
          client.nudge(); // the 催办 event comes back through the next pull
          return ok({ number: sent.value.number, queued: false, urgeCount: sent.value.urgeCount, suggestion: sent.value.urgeSuggestion?.note ?? null });
        }
        // The hub said no for what the 催办 is (a closed ticket, unknown here): as the hub said it.
        if (sent && !sent.ok && sent.error.kind !== 'unavailable' && sent.error.kind !== 'unauthorized') return sent;
      }
      const queued = tickets.queueUrge(urge.ticketId, urge);
      if (!queued.ok) return fail(queued.error.kind, queued.error.message);
      deps.ticketsChanged([urge.ticketId]);
      return ok({ number: queued.value.number, queued: true, urgeCount: null, suggestion: null });
    },
  };
}
