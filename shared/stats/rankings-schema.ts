/**
 * What the hub's 考核 calls answer (`stats.rankings`, `stats.rankingTickets`, `stats.centerFigures`,
 * shared/api/hub-contract.ts): the rates of server/rankings.ts by unit, street, district or 一级
 * category, ranked by the 综合得分 of shared/stats/scoring.ts, and the tickets behind one figure.
 * The definitions are docs/decisions/0005-rates-and-rankings.md.
 */
import { z } from 'zod';

export const RANK_GROUPS = ['unit', 'street', 'district', 'category', 'community'] as const;
export type RankGroup = (typeof RANK_GROUPS)[number];
export const RANK_GROUP_LABEL: Record<RankGroup, string> = { unit: '承办单位', street: '街乡镇', district: '区', category: '一级分类', community: '社区（村）' };

/** The figures one can drill into: which tickets of a group stand behind each. */
export const RANK_FIGURES = ['tickets', 'notResponded', 'unresolved', 'unsatisfied', 'notFirstSatisfied', 'reopened', 'returned', 'repeated', 'overdue'] as const;
export type RankFigure = (typeof RANK_FIGURES)[number];
export const RANK_FIGURE_LABEL: Record<RankFigure, string> = {
  tickets: '全部计入工单',
  notResponded: '未按时响应',
  unresolved: '未解决',
  unsatisfied: '不满意',
  notFirstSatisfied: '初次回访未满意',
  reopened: '重办',
  returned: '退单',
  repeated: '有重复诉求',
  overdue: '超期未办结',
};

const rate = z.number().nullable();

export const RateFiguresSchema = z.object({
  /** Dispatched tickets submitted in the range, without approved 不合理诉求 (the rates' base). */
  tickets: z.number().int(),
  responded: z.number().int(),
  responseRate: rate,
  /** Tickets with a result: a callback, or else the unit's 是否解决 at 办结. */
  answered: z.number().int(),
  resolved: z.number().int(),
  resolutionRate: rate,
  callbacks: z.number().int(),
  /** Σ of 满意 1, 基本满意 0.8, 不满意 0 over the latest callback of each ticket. */
  satisfactionRate: rate,
  /** Tickets whose first callback said 满意 or 基本满意, of those called back. */
  firstSatisfied: z.number().int(),
  firstSatisfactionRate: rate,
  reopened: z.number().int(),
  reopenRate: rate,
  /** Tickets the group returned (退单); for units, those it handed back even if another unit now has them. */
  returned: z.number().int(),
  returnRate: rate,
  /** Tickets that drew at least one 重复诉求 call linked to them. */
  repeated: z.number().int(),
  repeatRate: rate,
});
export type RateFigures = z.infer<typeof RateFiguresSchema>;

export const RankingRowSchema = RateFiguresSchema.extend({
  key: z.string(),
  name: z.string(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  previous: z.object({ tickets: z.number().int(), score: z.number().nullable(), rank: z.number().int().nullable() }).nullable(),
});
export type RankingRow = z.infer<typeof RankingRowSchema>;

export const RankingsSchema = z.object({
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  groupBy: z.enum(RANK_GROUPS),
  /** Whose tickets: 全市, or a sub-center's district. */
  scopeLabel: z.string(),
  weights: z.record(z.string(), z.number()),
  minTickets: z.number().int(),
  rows: z.array(RankingRowSchema),
  totals: RateFiguresSchema,
  /** Per submission date in the range: tickets and the main rates, for the trend chart. */
  trend: z.array(z.object({ date: z.string(), tickets: z.number().int(), responseRate: rate, resolutionRate: rate, satisfactionRate: rate })),
  /** The counted tickets (`totals.tickets`) by 受理渠道 (CHANNELS order, channels with none left out), with their share. */
  channels: z.array(z.object({ channel: z.string(), tickets: z.number().int(), share: z.number() })),
});
export type Rankings = z.infer<typeof RankingsSchema>;

export const RankingTicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  submittedAt: z.string(),
  unitName: z.string(),
  category: z.string(),
  place: z.string(),
  status: z.string(),
  urgency: z.string(),
  acceptedAt: z.string().nullable(),
  callback: z.string(),
  reopens: z.number().int(),
  returns: z.number().int(),
  content: z.string(),
});
export type RankingTicket = z.infer<typeof RankingTicketSchema>;

/** The most ticket rows one drill-down returns; `total` says how many there are. */
export const MAX_RANKING_TICKETS = 2000;
