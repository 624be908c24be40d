/**
 * Center-wide figures for the team lead's shift log: while the desk is connected, the hub sends the
 * center's rows for the scope (`stats.shiftTickets`) and the desk computes the report with the same
 * shared code as its own (shared/stats/shift-report.ts), so both mean the same thing. Offline, or
 * when the hub does not answer, the lead service falls back to this desk's tickets, marked partial.
 */
import type { LeadScope, ShiftReport } from '../../../shared/api/lead-contract';
import type { StatTicketRow } from '../../../shared/api/hub-contract';
import { fail, ok, type Result } from '../../../shared/result';
import { earliestOpenDue, type StatTicket } from '../../../shared/stats/shift-report';
import type { SyncClient } from '../sync/sync-client';
import type { CenterFigures, LeadService } from './lead-service';

export const CENTER_SOURCE_NOTE = '全中心数据：各坐席上传至中心的工单';

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
  };
}

export function hubCenterFigures(sync: () => SyncClient | null, lead: () => LeadService): CenterFigures {
  return {
    available: () => sync()?.status().online ?? false,
    async shiftLog(scope: LeadScope, reportAt: Date): Promise<Result<ShiftReport>> {
      const client = sync();
      if (!client) return fail('unavailable', '未配置中心');
      const service = lead();
      const answer = await client.callHub('stats.shiftTickets', {
        from: service.trendFrom(scope),
        to: scope.to,
        shiftCode: scope.shiftCode,
        operatorIds: [...scope.operatorIds],
      });
      if (!answer.ok) return answer;
      const note = answer.value.truncated ? `${CENTER_SOURCE_NOTE}（范围过大，只统计了前 10 万张）` : CENTER_SOURCE_NOTE;
      return ok(service.reportFrom(scope, reportAt, answer.value.rows.map(toStatTicket), [], { kind: 'center', partial: answer.value.truncated, note }));
    },
  };
}
