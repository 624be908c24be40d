/**
 * Center-wide figures for the team lead's shift log: while the desk is connected, the hub counts
 * the center's tickets for the scope in PostgreSQL (`stats.shiftTally`, server/stats.ts) and sends
 * the counts only — no ticket rows, no cap, so a Beijing month is counted whole — and the desk
 * reports them with the same code as its own (shared/stats/center-tally.ts tallyFromCenter into
 * shared/stats/shift-report.ts reportFromTally), so both mean the same thing. Offline, or when the
 * hub does not answer, the lead service falls back to this desk's tickets, marked partial
 * (LOCAL_SOURCE_NOTE: 本机数据，仅含本坐席受理的工单).
 * The drill-down and the export of the tickets behind a center-wide figure come from the hub too,
 * page by page (`drill`, stats.shiftDrill; an export by cursor, streamed to a file by center-export.ts), masked there; offline they are this desk's own (lead-service.ts drillPage).
 */
import type { LeadScope, ShiftReport } from '../../../shared/api/lead-contract';
import type { StatTicketRow } from '../../../shared/api/hub-contract';
import { fail, ok, type Result } from '../../../shared/result';
import { tallyFromCenter } from '../../../shared/stats/center-tally';
import { earliestOpenDue, type StatTicket } from '../../../shared/stats/shift-report';
import type { SyncClient } from '../sync/sync-client';
import type { CenterFigures, LeadService } from './lead-service';

export const CENTER_SOURCE_NOTE = '全中心数据：各坐席上传至中心的工单（中心数据库汇总）';

/** A row of `stats.shiftTickets` as the statistics read it (kept for callers of that call). */
export function toStatTicket(row: StatTicketRow): StatTicket {
  return {
    id: row.id,
    operatorId: row.operatorId,
    operatorName: row.operatorName,
    shiftCode: row.shiftCode,
    shiftDate: row.shiftDate,
    callStartedMs: Date.parse(row.callStartedAt),
    submittedMs: Date.parse(row.submittedAt),
    leafCode: row.leafCode,
    streetCode: row.streetCode,
    disposition: row.disposition,
    status: row.status,
    openDueMs: earliestOpenDue(row.deadlines),
    callback: row.callbackDone ? { satisfaction: row.callbackSatisfaction } : null,
    channel: row.channel,
  };
}

export function hubCenterFigures(sync: () => SyncClient | null, lead: () => LeadService): CenterFigures {
  return {
    available: () => sync()?.status().online ?? false,
    async shiftLog(scope: LeadScope, reportAt: Date): Promise<Result<ShiftReport>> {
      const client = sync();
      if (!client) return fail('unavailable', '未配置中心');
      const service = lead();
      const answer = await client.callHub('stats.shiftTally', {
        from: scope.from,
        to: scope.to,
        trendFrom: service.trendFrom(scope),
        shiftCode: scope.shiftCode,
        operatorIds: [...scope.operatorIds],
        categoryLevel: scope.categoryLevel,
        reportAt: reportAt.toISOString(),
      });
      if (!answer.ok) return answer;
      return ok(service.reportFromCounts(scope, reportAt, tallyFromCenter(answer.value), { kind: 'center', partial: false, note: CENTER_SOURCE_NOTE }));
    },
    // The tickets behind a figure, one page at a time (stats.shiftDrill, server/shift-drill.ts).
    async drill(scope, filter, page) {
      const client = sync();
      if (!client) return fail('unavailable', '未配置中心');
      return client.callHub('stats.shiftDrill', {
        from: scope.from,
        to: scope.to,
        shiftCode: scope.shiftCode,
        operatorIds: [...scope.operatorIds],
        filter,
        reportAt: page.reportAt.toISOString(),
        offset: page.offset,
        limit: page.limit,
        ...(page.fullPhones ? { fullPhones: true } : {}),
        // An export walks the pages by cursor (keyset, server/shift-drill.ts) and counts only once.
        ...(page.after ? { after: page.after } : {}),
        ...(page.count === false ? { count: false } : {}),
      });
    },
  };
}
