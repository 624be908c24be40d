/**
 * The tickets behind one of the team lead's center-wide figures (`stats.shiftDrill`, server/shift-drill.ts):
 * the same scope and drill filter as the desk's own drill-down (shared/api/lead-contract.ts,
 * shared/stats/shift-metrics.ts drillTest), answered by the hub page by page, newest first, with the
 * total — no cap: the desk's screen asks 100 a page, an export walks every page by its cursor (`after`,
 * keyset paging) and streams them to a file (electron/services/lead/center-export.ts). Phone numbers come
 * masked (139****5678), in the content too, unless a 班长 or admin asks for them in full (exports).
 * Spread into `hubCalls` (shared/api/hub-contract.ts).
 */
import { z } from 'zod';
import { REQUEST_TYPES } from '../domain/catalogue';
import { CHANNELS, DISPOSITIONS, TICKET_STATUSES } from '../domain/ticket';
import { LEAD_ROLES } from '../roles';
import { SATISFACTIONS } from '../lifecycle/ticket-lifecycle';
import { DeadlineSchema } from './contract';
import { DrillFilterSchema } from './lead-contract';
import { IsoDate } from './safe-input';

/** The most rows one page of `stats.shiftDrill` holds (an export's pages). */
export const MAX_SHIFT_DRILL_PAGE = 5_000;

export const ShiftDrillRowSchema = z.object({
  id: z.string(),
  number: z.string(),
  submittedAt: z.string(),
  callStartedAt: z.string(),
  shiftDate: z.string(),
  shiftCode: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  channel: z.enum(CHANNELS),
  callerName: z.string(),
  /** Masked unless full numbers were asked for and allowed (`masked` of the answer). */
  callerPhone: z.string(),
  callbackPhone: z.string(),
  requestType: z.enum(REQUEST_TYPES),
  leafCode: z.string().nullable(),
  districtCode: z.string().nullable(),
  streetCode: z.string().nullable(),
  villageCode: z.string().nullable(),
  addressText: z.string(),
  disposition: z.enum(DISPOSITIONS),
  unitCode: z.string().nullable(),
  /** The unit's name as the desk that took it showed it. */
  unitName: z.string().nullable(),
  status: z.enum(TICKET_STATUSES),
  deadlines: z.array(DeadlineSchema),
  callbackDone: z.boolean(),
  callbackSatisfaction: z.enum(SATISFACTIONS).nullable(),
  content: z.string(),
});
export type ShiftDrillRow = z.infer<typeof ShiftDrillRowSchema>;

/**
 * Where the next page starts (keyset paging, never OFFSET, for exports that walk a month): the last
 * row's submission instant to the microsecond, as the hub wrote it, and its id — newest first.
 */
export const ShiftDrillCursorSchema = z
  .object({ submittedAt: z.iso.datetime({ offset: true }), id: z.string().regex(/^[0-9a-fA-F-]{36}$/, '工单编号格式不正确') })
  .strict();
export type ShiftDrillCursor = z.infer<typeof ShiftDrillCursorSchema>;

export const ShiftDrillInputSchema = z
  .object({
    from: IsoDate,
    to: IsoDate,
    shiftCode: z.string().min(1).max(20).nullable(),
    operatorIds: z.array(z.string().min(1).max(64)).max(200),
    filter: DrillFilterSchema,
    /** The report's instant: 超期 is an open deadline due before it. */
    reportAt: z.iso.datetime({ offset: true }),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(MAX_SHIFT_DRILL_PAGE),
    fullPhones: z.boolean().optional(),
    /** The rows after this one (the `next` of the page before); with it `offset` must be 0. */
    after: ShiftDrillCursorSchema.optional(),
    /** false: skip counting the total (an export's later pages); `total` is then null. */
    count: z.boolean().optional(),
  })
  .strict()
  .refine((i) => i.after === undefined || i.offset === 0, { message: '按游标翻页时 offset 应为 0', path: ['offset'] });
export type ShiftDrillInput = z.infer<typeof ShiftDrillInputSchema>;

export const centerDrillCalls = {
  'stats.shiftDrill': {
    input: ShiftDrillInputSchema,
    output: z.object({
      /** Null when `count: false` was asked. */
      total: z.number().int().nullable(),
      rows: z.array(ShiftDrillRowSchema),
      masked: z.boolean(),
      /** The cursor of the page after this one; null on the last page. */
      next: ShiftDrillCursorSchema.nullable(),
    }),
    doc: '全中心班次统计下钻：某指标背后的工单（分页，最新的在前，附总数）；号码默认脱敏，班长导出时可要完整号码',
    roles: LEAD_ROLES,
  },
} as const;
