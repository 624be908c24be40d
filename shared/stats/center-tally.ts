/**
 * The team lead's center-wide shift log as the hub counts it in SQL (`stats.shiftTally`,
 * server/stats.ts): the counts of a ReportTally (shared/stats/shift-report.ts) with no ticket row in
 * them — per operator the figures and the handling time's median and p90 computed by the database,
 * the same for the whole scope, and the hours, categories, hot spots and trend days. The desk turns
 * it into a ReportTally (tallyFromCenter) and reports it with the same code as its own tickets, so
 * a Beijing month (~500,000 tickets) is counted whole: no rows shipped, no cap.
 */
import { z } from 'zod';
import { DISPOSITIONS } from '../domain/ticket';
import { emptyTally, FigureTally, type ReportTally } from './shift-report';

/** What 未核验 means, for the lead's figures (renderer/src/lead/Figures.tsx tooltips). */
export const UNVERIFIED_NOTE =
  '未核验：话务员只是受理坐席自报的工号和姓名（坐席用共用的坐席账号上传、本人未用中心账号签到），中心无法确认由谁受理；这些工单仍计入受理量及各项指标，此列只说明其中有多少张的受理人未经核实。仅全中心数据有此数。';

const Handling = z.object({ measured: z.number().int(), medianSeconds: z.number().nullable(), p90Seconds: z.number().nullable() });

const Counts = z.object({
  taken: z.number().int(),
  unmeasured: z.number().int(),
  handling: Handling,
  /** In the order of DISPOSITIONS. */
  dispositions: z.array(z.number().int()).length(DISPOSITIONS.length),
  returned: z.number().int(),
  overdue: z.number().int(),
  callbacks: z.number().int(),
  satisfied: z.number().int(),
  basic: z.number().int(),
  unsatisfied: z.number().int(),
  /** 未核验: tickets whose operator is the desk's word (tickets.operator_verified false, server/desk-access.ts). */
  unverified: z.number().int(),
});

export const CenterTallySchema = z.object({
  operators: z.array(Counts.extend({ operatorId: z.string(), operatorName: z.string(), latestMs: z.number() })),
  totals: Counts,
  hours: z.array(z.number().int()).length(24),
  categories: z.array(z.tuple([z.string(), z.number().int()])),
  unclassified: z.number().int(),
  streets: z.array(z.object({ code: z.string(), count: z.number().int(), categories: z.array(z.tuple([z.string(), z.number().int()])) })),
  withoutStreet: z.number().int(),
  days: z.array(z.tuple([z.string(), z.number().int()])),
  /** Tickets in scope by 受理渠道. */
  channels: z.array(z.tuple([z.string(), z.number().int()])),
});
export type CenterTally = z.infer<typeof CenterTallySchema>;
type CountsValue = z.infer<typeof Counts>;

function figureTally(c: CountsValue): FigureTally {
  const f = new FigureTally();
  f.taken = c.taken;
  f.unmeasured = c.unmeasured;
  f.handlingSummary = c.handling;
  f.dispositions = [...c.dispositions];
  f.returned = c.returned;
  f.overdue = c.overdue;
  f.callbacks = c.callbacks;
  f.satisfied = c.satisfied;
  f.basic = c.basic;
  f.unsatisfied = c.unsatisfied;
  f.unverified = c.unverified;
  return f;
}

/** The hub's counts as the tally reportFromTally reads; the totals' handling is the database's, not a merge. */
export function tallyFromCenter(center: CenterTally): ReportTally {
  const tally = emptyTally();
  for (const o of center.operators) tally.operators.set(o.operatorId, { name: o.operatorName, latestMs: o.latestMs, tally: figureTally(o) });
  tally.totalsHandling = center.totals.handling;
  tally.totalsUnverified = center.totals.unverified;
  tally.hours = [...center.hours];
  tally.categories = new Map(center.categories);
  tally.unclassified = center.unclassified;
  tally.streets = new Map(center.streets.map((s) => [s.code, { count: s.count, categories: new Map(s.categories) }]));
  tally.withoutStreet = center.withoutStreet;
  tally.days = new Map(center.days);
  tally.channels = new Map(center.channels);
  return tally;
}
