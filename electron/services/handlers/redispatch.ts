/**
 * The 待派 queue on the desk (shared/api/contract.ts redispatchCalls): tickets returned to the center,
 * which a 班长 re-dispatches from the desk. The hub holds the queue and makes the move, so both calls
 * go through the sync client's hub session (the desk's hub account, electron/services/embedded-hub.ts
 * makes it a team lead) and need the hub: without one, or unreachable, they answer `unavailable`
 * ("需联网（中心不可达）"). The desk adds what its own reference data knows — the place codes and
 * the leaf's owner — so the renderer suggests a unit with intake's own rule (shared/intake/dispatch.ts),
 * and the units that returned it (from the hub trail's 退单 rows), which that suggestion never
 * proposes again (renderer/src/redispatch/returned-suggestion.ts).
 * The hub checks role, status and version again on the move; a ticket someone else re-dispatched
 * first answers the hub's `conflict` as it is.
 */
import type { Operator, ReturnedTicket } from '../../../shared/api/contract';
import type { TicketAddress } from '../../../shared/domain/ticket';
import type { WorkRow, WorkTicket } from '../../../shared/api/hub-contract';
import type { Place } from '../../../shared/domain/places';
import { fail, ok, type Result } from '../../../shared/result';
import { mayReviewShifts, ROLE_LABEL } from '../../../shared/roles';
import type { ReferenceData } from '../reference/reference-data';
import type { SyncClient } from '../sync/sync-client';
import type { TicketService } from '../tickets/ticket-service';
import type { DeskContext, DeskHandlers } from './context';

/** How many returned tickets the desk lists at once (the oldest due first, as the hub orders them). */
export const REDISPATCH_PAGE = 100;
export const OFFLINE_PREFIX = '需联网（中心不可达）';

export interface RedispatchDeps {
  sync: () => SyncClient | null;
  reference: ReferenceData;
  tickets: TicketService;
  /** Who is signed in on this desk: a 班长 (or admin) works the queue. */
  operator: () => Operator;
}

/** Null when the signed-in operator may work the queue; else `forbidden`, saying how to get in. */
function guard(operator: Operator): Result<never> | null {
  if (mayReviewShifts(operator.role)) return null;
  return fail('forbidden', `待派工单由班长重新派单：当前坐席“${operator.name}”是${ROLE_LABEL[operator.role]}，请以班长身份签到（Alt+S）后再打开`);
}

/** A hub failure as the desk says it: unreachable is 需联网; the rest (conflict, forbidden…) as the hub said. */
export function hubFailure<T>(result: Extract<Result<unknown>, { ok: false }>): Result<T> {
  if (result.error.kind === 'unavailable') return fail('unavailable', `${OFFLINE_PREFIX}：${result.error.message}`);
  return result as Result<T>;
}

/** The last 退单 of a hub trail: who, why (the note without its 退单 prefix) and when. */
export function lastReturn(trail: WorkTicket['trail'] | null): Pick<ReturnedTicket, 'returnedBy' | 'returnReason' | 'returnedAt'> {
  const returned = trail ? [...trail].reverse().find((t) => t.kind === '退单') : undefined;
  if (!returned) return { returnedBy: null, returnReason: null, returnedAt: null };
  return { returnedBy: returned.actor, returnReason: returned.note.replace(/^退单[：:]?/, '') || null, returnedAt: returned.at };
}

/** Every unit that returned the ticket (its hub trail's 退单 rows), once each in the order of its last 退单, with that one's reason kind. */
export function returnedUnits(trail: WorkTicket['trail'] | null): ReturnedTicket['returnedUnits'] {
  const out = new Map<string, string | null>();
  for (const e of trail ?? []) {
    if (e.kind !== '退单' || e.source !== 'hub' || !e.unitCode) continue;
    out.delete(e.unitCode);
    out.set(e.unitCode, /^退单（([^）]+)）/.exec(e.note)?.[1] ?? null);
  }
  return [...out].map(([code, reasonKind]) => ({ code, reasonKind }));
}

/**
 * The place codes of a ticket the hub reports: this desk's own record when it took the ticket,
 * else from the community code up through its parents, else by the district and street names.
 */
export function placeCodes(
  row: Pick<WorkRow, 'villageCode' | 'districtName' | 'streetName'>,
  places: { get(code: string): Place | null; all(): Place[] },
): Omit<TicketAddress, 'text'> {
  const village = row.villageCode ? places.get(row.villageCode) : null;
  if (village) {
    const street = village.parentCode ? places.get(village.parentCode) : null;
    return { districtCode: street?.parentCode ?? null, streetCode: street?.code ?? null, villageCode: village.code };
  }
  if (!row.districtName) return { districtCode: null, streetCode: null, villageCode: null };
  const all = places.all();
  const named = (p: Place, name: string) => p.name === name || p.shortName === name;
  const district = all.find((p) => p.level === 'district' && named(p, row.districtName!)) ?? null;
  const street = district && row.streetName ? (all.find((p) => p.level === 'street' && p.parentCode === district.code && named(p, row.streetName!)) ?? null) : null;
  return { districtCode: district?.code ?? null, streetCode: street?.code ?? null, villageCode: null };
}

export function redispatchHandlers({ ready }: DeskContext, deps: RedispatchDeps): DeskHandlers<'redispatch.queue' | 'redispatch.send'> {
  const hub = () => deps.sync() ?? null;
  const noHub = <T>(): Result<T> => fail('unavailable', `${OFFLINE_PREFIX}：本机模式，未配置中心`);

  const toReturned = (row: WorkRow, detail: WorkTicket | null): ReturnedTicket => {
    const { reference } = deps;
    const local = deps.tickets.get(row.id);
    const leafCode = detail?.leafCode ?? (local.ok ? local.value.leafCode : null);
    const node = leafCode ? reference.catalogue.node(leafCode) : null;
    const codes = local.ok ? local.value.address : placeCodes(row, reference.places);
    const placeNames = [codes.districtCode, codes.streetCode, codes.villageCode]
      .filter((c): c is string => !!c)
      .map((c) => reference.places.get(c)?.shortName ?? c);
    const text = detail?.addressText ?? (local.ok ? local.value.address.text : '');
    return {
      id: row.id,
      number: row.number,
      version: row.version,
      urgency: row.urgency,
      submittedAt: row.submittedAt,
      content: detail?.content ?? row.content,
      // The words usually name the district already (朝阳区望京街道…): then they alone, else the places first.
      addressText: placeNames[0] && text.includes(placeNames[0]) ? text : [placeNames.join(''), text].filter(Boolean).join(' '),
      address: { ...codes, text },
      placeNames,
      leafCode,
      leafPath: row.leafPath.length ? row.leafPath : leafCode ? reference.catalogue.path(leafCode) : [],
      leaf: node ? { code: node.code, owner: node.owner, coordination: node.coordination } : null,
      returnCount: row.returnCount,
      ...lastReturn(detail?.trail ?? null),
      returnedUnits: returnedUnits(detail?.trail ?? null),
    };
  };

  return {
    'redispatch.queue': async () => {
      const refused = guard(deps.operator());
      if (refused) return refused;
      const client = hub();
      if (!client) return noHub();
      await ready;
      const page = await client.callHub('workspace.queue', { view: 'returned', limit: REDISPATCH_PAGE });
      if (!page.ok) return hubFailure(page);
      // Who returned it and why is in each ticket's trail; a ticket that will not open is listed without.
      const details = await Promise.all(page.value.rows.map((r) => client.callHub('workspace.ticket', { ticketId: r.id })));
      return ok({ rows: page.value.rows.map((r, i) => toReturned(r, details[i]!.ok ? details[i]!.value : null)), total: page.value.total });
    },
    'redispatch.send': async ({ ticketId, version, unitCode, note }) => {
      const refused = guard(deps.operator());
      if (refused) return refused;
      const client = hub();
      if (!client) return noHub();
      const moved = await client.callHub('ticket.redispatch', { ticketId, version, unitCode, ...(note?.trim() ? { note: note.trim() } : {}) });
      if (!moved.ok) return hubFailure(moved);
      // The desk's own copy (when it took the ticket) follows through the next pull: soon, not in 5 s.
      client.nudge();
      const unit = moved.value.unitCode ? deps.reference.units.get(moved.value.unitCode) : null;
      return ok({ number: moved.value.number, unitName: unit?.name ?? moved.value.unitCode, status: moved.value.status });
    },
  };
}
