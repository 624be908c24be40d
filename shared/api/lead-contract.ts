/**
 * The team lead's calls (班长视图) and operator sign-in, spread into `deskCalls` (contract.ts).
 * This module imports no values from contract.ts (contract.ts imports this one), only types.
 *
 * Roles: `lead.*` and `shifts.update` answer only a signed-in 班长 (team_lead) or admin; anyone else
 * gets `forbidden` from the main side. Sign-in, sign-out and the shift list are open to every
 * operator: that is how a lead becomes one on this desk, and every desk stamps tickets with a shift.
 */
import { z } from 'zod';
import { DESK_ROLES } from '../roles';
import { DISPOSITIONS, TICKET_STATUSES } from '../domain/ticket';
import { DRILL_METRICS } from '../stats/shift-report';
import { isCalendarDate } from '../time';
import type { CallMap } from './contract';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD 格式').refine(isCalendarDate, '日期不存在（如 2 月 30 日）');
const CODE = z.string().min(1).max(20);

/** The widest range one report covers; a quarter is what a lead compares. */
export const MAX_RANGE_DAYS = 92;
/**
 * Rows an export built in memory may hold (XLSX, and this desk's own tickets; the base64 reply stays
 * well under what a window handles comfortably). A center-wide CSV has no cap: it is streamed to a
 * file page by page (`lead.exportStart`, electron/services/lead/center-export.ts).
 */
export const MAX_EXPORT_ROWS = 50_000;

/** Progress of a streamed center-wide export (`lead.exportStart`), pushed as the `lead.exportProgress` event. */
export const ExportProgressSchema = z.object({
  jobId: z.string(),
  fileName: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Rows written so far, of `total`. */
  done: z.number().int(),
  total: z.number().int(),
  masked: z.boolean(),
  /** Where the finished file is fetched from (a download in the browser host, a save dialog in Electron). */
  url: z.string().nullable(),
  /** Why it failed. */
  message: z.string().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;
/** Rows one page of a drill-down shows (PageDown/PageUp turn pages; the total is always given). */
export const DRILL_PAGE_SIZE = 100;
/** What a drill-down from this desk's own tickets says while the hub does not answer. */
export const LOCAL_DRILL_NOTE = '仅显示本机工单（未连接中心）';

/** The roles of shared/roles.ts, under the names this contract's users import. */
export { DESK_ROLES as OPERATOR_ROLES, ROLE_LABEL } from '../roles';
export const LeadOperatorSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(DESK_ROLES) });

export const ShiftDefinitionSchema = z
  .object({ code: z.string().max(20), name: z.string().max(20), start: z.string().max(5), end: z.string().max(5) })
  .strict();

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / 86_400_000;
}

export const LeadScopeSchema = z
  .object({
    from: DATE,
    to: DATE,
    /** One shift, or every shift. */
    shiftCode: CODE.nullable(),
    /** Empty: every operator. */
    operatorIds: z.array(z.string().min(1).max(64)).max(200),
    /** Which level of the catalogue the top-10 ranks: 一级, 二级 or 三级. */
    categoryLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  })
  .strict()
  .refine((s) => s.from <= s.to, { message: '开始日期不能晚于结束日期', path: ['to'] })
  .refine((s) => dayNumber(s.to) - dayNumber(s.from) < MAX_RANGE_DAYS, { message: `一次最多统计 ${MAX_RANGE_DAYS} 天`, path: ['to'] });
export type LeadScope = z.infer<typeof LeadScopeSchema>;

export const DrillFilterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('hour'), hour: z.number().int().min(0).max(23) }).strict(),
  z.object({ kind: z.literal('category'), code: CODE }).strict(),
  z.object({ kind: z.literal('disposition'), disposition: z.enum(DISPOSITIONS) }).strict(),
  z.object({ kind: z.literal('hotspot'), streetCode: CODE, categoryCode: CODE }).strict(),
  z.object({ kind: z.literal('day'), date: DATE }).strict(),
  z.object({ kind: z.literal('operator'), operatorId: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('metric'), metric: z.enum(DRILL_METRICS), operatorId: z.string().min(1).max(64).nullable().optional() }).strict(),
]);
export type DrillFilterInput = z.infer<typeof DrillFilterSchema>;

const Rate = z.number().min(0).max(1).nullable();
export const FiguresSchema = z.object({
  taken: z.number().int(),
  handling: z.object({ measured: z.number().int(), medianSeconds: z.number().nullable(), p90Seconds: z.number().nullable() }),
  kbClosed: z.number().int(),
  kbClosedRate: Rate,
  direct: z.number().int(),
  subcenter: z.number().int(),
  cityCenter: z.number().int(),
  duplicates: z.number().int(),
  unreasonable: z.number().int(),
  returned: z.number().int(),
  overdue: z.number().int(),
  callbacks: z.number().int(),
  satisfaction: z.object({ rated: z.number().int(), satisfied: z.number().int(), basic: z.number().int(), unsatisfied: z.number().int(), rate: Rate }),
  /** 未核验: tickets whose operator is the taking desk's word (hub only; null for this desk's own figures). */
  unverified: z.number().int().nullable(),
});

const OperatorFiguresSchema = FiguresSchema.extend({
  operatorId: z.string(),
  operatorName: z.string(),
  sessions: z.array(z.object({ signedInAt: z.string(), signedOutAt: z.string().nullable() })),
});

export const ReportSourceSchema = z.object({
  /** `local`: this desk's own tickets; `center`: the hub's figures for the whole center (later). */
  kind: z.enum(['local', 'center']),
  partial: z.boolean(),
  /** What the screen says about where the figures come from. */
  note: z.string(),
});

export const ShiftReportSchema = z.object({
  scope: LeadScopeSchema,
  /** "2026-12-01 早班 08:00–16:00 · 全部坐席". */
  scopeLabel: z.string(),
  shift: ShiftDefinitionSchema.nullable(),
  /** Set when the scope is one shift of one date: when it began and ends. */
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  generatedAt: z.string(),
  source: ReportSourceSchema,
  totals: FiguresSchema,
  operators: z.array(OperatorFiguresSchema),
  hourly: z.array(z.object({ hour: z.number().int(), count: z.number().int() })),
  categories: z.object({
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    items: z.array(z.object({ code: z.string(), name: z.string(), path: z.array(z.string()), count: z.number().int(), share: z.number() })),
    topShare: z.number(),
    unclassified: z.number().int(),
  }),
  dispositions: z.array(z.object({ disposition: z.enum(DISPOSITIONS), count: z.number().int(), share: z.number() })),
  /** 受理渠道: tickets by channel with their share (channels with none left out). */
  channels: z.array(z.object({ channel: z.string(), count: z.number().int(), share: z.number() })),
  hotspots: z.object({
    streets: z.array(z.object({ code: z.string(), name: z.string() })),
    categories: z.array(z.object({ code: z.string(), name: z.string() })),
    cells: z.array(z.object({ street: z.number().int(), category: z.number().int(), count: z.number().int() })),
    max: z.number().int(),
    withoutStreet: z.number().int(),
  }),
  trend: z.array(z.object({ date: z.string(), count: z.number().int(), kind: z.enum(['workday', 'weekend', 'holiday', 'adjusted_workday']), label: z.string() })),
});
export type ShiftReport = z.infer<typeof ShiftReportSchema>;

export const DrillRowSchema = z.object({
  id: z.string(),
  number: z.string(),
  submittedAt: z.string(),
  shiftDate: z.string(),
  shiftName: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  callerName: z.string(),
  /** Always masked on screen (139****5678). */
  callerPhone: z.string(),
  requestType: z.string(),
  categoryPath: z.string(),
  place: z.string(),
  disposition: z.enum(DISPOSITIONS),
  unitName: z.string().nullable(),
  status: z.enum(TICKET_STATUSES),
  handlingSeconds: z.number().nullable(),
  /** The earliest deadline not met, and whether it is past due at the report time. */
  nextDue: z.object({ label: z.string(), dueAt: z.string(), overdue: z.boolean() }).nullable(),
  callback: z.string().nullable(),
  contentPreview: z.string(),
});
export type DrillRow = z.infer<typeof DrillRowSchema>;

export const LeadContextSchema = z.object({
  operator: LeadOperatorSchema,
  shifts: z.array(ShiftDefinitionSchema),
  today: z.string(),
  current: z.object({ shiftCode: z.string(), shiftDate: z.string() }),
  previous: z.object({ shiftCode: z.string(), shiftDate: z.string() }),
  /** What the view opens on: this shift when it has tickets here, else the latest shift that has. */
  suggested: LeadScopeSchema,
  /** Everyone who took tickets or signed in on this desk in the last MAX_RANGE_DAYS days. */
  operators: z.array(z.object({ id: z.string(), name: z.string() })),
  /** False: only this desk's tickets are here (no hub figures yet). */
  centerAvailable: z.boolean(),
});
export type LeadContext = z.infer<typeof LeadContextSchema>;

export const ExportFileSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  contentBase64: z.string(),
  rows: z.number().int(),
  /** False only when full phone numbers were asked for and allowed. */
  masked: z.boolean(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

const empty = z.object({}).strict();

/** Rows the 退单/督办 list shows (the counts cover every ticket of the scope). */
export const ATTENTION_ROW_LIMIT = 200;

/** The lead's 退单/督办 list: this desk's tickets of the scope whose trail has a 退单 or 督办/催办. */
export const AttentionSchema = z.object({
  /** Tickets with at least one 退单, and with at least one 督办/催办. */
  returned: z.number().int(),
  supervised: z.number().int(),
  rows: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      status: z.enum(TICKET_STATUSES),
      categoryPath: z.string(),
      unitName: z.string().nullable(),
      operatorName: z.string(),
      returns: z.number().int(),
      supervisions: z.number().int(),
      last: z.object({ kind: z.enum(['退单', '督办', '催办']), at: z.string(), actor: z.string(), note: z.string() }),
    }),
  ),
});
export type Attention = z.infer<typeof AttentionSchema>;

export const leadCalls = {
  'operator.signIn': {
    input: z
      .object({
        id: z.string().trim().regex(/^[A-Za-z0-9]{2,16}$/, '工号应为 2–16 位字母或数字'),
        name: z.string().trim().min(1, '请填写姓名').max(20, '姓名最多 20 个字'),
        role: z.enum(['call_taker', 'team_lead']),
        /** 班长: the hub account's password or the PIN an administrator set (electron/services/lead/lead-credentials.ts). */
        secret: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ operator: LeadOperatorSchema, signedInAt: z.string() }),
    doc: '坐席签到：记录工号、姓名、角色（话务员/班长）与签到时间；此后受理的工单记在此人名下。班长须输入中心账号密码或管理员设置的 PIN',
  },
  'operator.signOut': {
    input: empty,
    output: z.object({ operator: LeadOperatorSchema, signedOutAt: z.string().nullable() }),
    doc: '坐席签退：记录签退时间，本机回到未签到的值班坐席',
  },
  'shifts.list': { input: empty, output: z.array(ShiftDefinitionSchema), doc: '本中心的班次设置（名称、开始与结束时间）' },
  'shifts.update': {
    input: z.object({ shifts: z.array(ShiftDefinitionSchema).min(1).max(6) }).strict(),
    output: z.array(ShiftDefinitionSchema),
    doc: '修改班次设置（班长）：须覆盖全天且不重叠；只影响此后受理的工单',
  },
  'lead.context': { input: empty, output: LeadContextSchema, doc: '班长视图的起点：班次、当前与上一班、本机出现过的坐席' },
  'lead.shiftLog': {
    input: z.object({ scope: LeadScopeSchema }).strict(),
    output: ShiftReportSchema,
    doc: '班次日志（班长）：按班次或日期范围、坐席统计受理、办理时长、处理方式、超期、退单、回访与热点',
  },
  'lead.drilldown': {
    input: z.object({ scope: LeadScopeSchema, filter: DrillFilterSchema, page: z.number().int().min(0).max(1_000_000).optional() }).strict(),
    output: z.object({
      title: z.string(),
      total: z.number().int(),
      rows: z.array(DrillRowSchema),
      truncated: z.boolean(),
      /** Which page of DRILL_PAGE_SIZE rows this is (from 0). */
      page: z.number().int(),
      pageSize: z.number().int(),
      /** `center`: the hub's tickets of the whole center (stats.shiftDrill); `local`: this desk's, while the hub does not answer. */
      source: ReportSourceSchema,
    }),
    doc: '统计下钻（班长）：某小时、分类、处理方式、热点或指标对应的工单；接入中心时为全中心工单（分页），否则仅本机工单',
  },
  'lead.attention': {
    input: z.object({ scope: LeadScopeSchema }).strict(),
    output: AttentionSchema,
    doc: '退单与督办（班长）：范围内本机受理、被退单或被督办的工单，最近的在前',
  },
  'lead.export': {
    input: z
      .object({
        scope: LeadScopeSchema,
        /** `operators`: the shift log table; `tickets`: the drill-down's tickets. */
        table: z.enum(['operators', 'tickets']),
        filter: DrillFilterSchema.optional(),
        format: z.enum(['csv', 'xlsx']),
        /** Full phone numbers instead of 139****5678; only a 班长 or admin may ask. */
        fullPhones: z.boolean().optional(),
      })
      .strict(),
    output: ExportFileSchema,
    doc: '导出班次日志或下钻工单（班长）：CSV（UTF-8 带 BOM）或 XLSX，中文表头，号码默认脱敏',
  },
  'lead.exportStart': {
    input: z
      .object({
        scope: LeadScopeSchema,
        filter: DrillFilterSchema,
        /** Full phone numbers instead of 139****5678; only a 班长 or admin may ask. */
        fullPhones: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ jobId: z.string(), fileName: z.string() }),
    doc: '导出全中心下钻工单为 CSV（班长）：从中心逐页读取并写入文件，不限行数；进度以 lead.exportProgress 事件报告',
  },
  'lead.exportCancel': {
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    doc: '取消正在进行的全中心导出（班长）：已写入的部分文件随即删除',
  },
} as const satisfies CallMap;

export type LeadCalls = typeof leadCalls;
