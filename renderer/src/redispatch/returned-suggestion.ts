/**
 * The dispatch suggestion for a ticket of the 待派 queue: intake's own rule (shared/intake/dispatch.ts)
 * over the ticket's leaf and place codes, with this desk's reference data. No live reading of the
 * words: the codes are the ticket's, so the street counts as certain. Pure (no bridge), for tests.
 */
import type { ReturnedTicket } from '../../../shared/api/contract';
import type { DispatchSuggestion } from '../../../shared/dispatch/suggest';
import { suggestForIntake } from '../../../shared/intake/dispatch';
import type { ReferenceState } from '../reference-store';

export function suggestionForReturned(row: Pick<ReturnedTicket, 'leafCode' | 'leaf' | 'address'>, reference: Pick<ReferenceState, 'unitLookup' | 'places'>): DispatchSuggestion | null {
  return suggestForIntake({ leafCode: row.leafCode, leaf: row.leaf, address: row.address, reading: null, places: reference.places, units: reference.unitLookup });
}
