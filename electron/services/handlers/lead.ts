/**
 * The lead calls of the contract (shared/api/lead-contract.ts) on the lead service. Every `lead.*`
 * call and `shifts.update` is refused with `forbidden` unless a 班长 or admin is signed in; the
 * check is here, on the main side, whatever the screen shows.
 */
import type { Handlers } from '../../../shared/api/dispatch';
import type { LeadCalls } from '../../../shared/api/lead-contract';
import { ok } from '../../../shared/result';
import type { LeadService } from '../lead/lead-service';
import type { ShiftSettings } from '../lead/shift-settings';
import type { CallContext, DeskContext } from './context';

export function leadHandlers({ ready }: DeskContext, lead: LeadService, shifts: ShiftSettings): Handlers<LeadCalls, CallContext> {
  /** Names come from the reference data: wait for its first load, as the desk's other reads do. */
  const guarded = async <T>(run: () => T | Promise<T>) => {
    const refused = lead.guard();
    if (refused) return refused;
    await ready;
    return run();
  };
  return {
    'operator.signIn': (input) => lead.signIn(input),
    'operator.signOut': () => ok(lead.signOut()),
    'shifts.list': () => ok([...shifts.all()]),
    'shifts.update': async ({ shifts: next }) => {
      const refused = lead.guard();
      if (refused) return refused;
      return shifts.update(next);
    },
    'lead.context': () => guarded(() => ok(lead.context())),
    'lead.shiftLog': ({ scope }) => guarded(async () => ok(await lead.shiftLog(scope))),
    'lead.drilldown': ({ scope, filter, page }) => guarded(async () => ok(await lead.drillPage(scope, filter, page ?? 0))),
    'lead.attention': ({ scope }) => guarded(() => ok(lead.attention(scope))),
    'lead.export': (input) => guarded(() => lead.export(input)),
    'lead.exportStart': (input) => guarded(() => lead.startCenterExport(input)),
    'lead.exportCancel': ({ jobId }) => guarded(() => ok(lead.cancelExport(jobId))),
  };
}
