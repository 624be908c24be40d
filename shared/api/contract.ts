/**
 * The one API contract. Every call is named once here with its input and output schema.
 * - `deskCalls` are what the renderer asks of the desk's main side (Electron IPC or the browser host).
 * - `deskEvents` are what the desk's main side pushes to every open window.
 * Transports and the hub are generated from or checked against these maps; nothing else names a call.
 */
import { z } from 'zod';
import { LANDMARK_KINDS } from '../address/landmarks';
import { REQUEST_TYPES, URGENCIES } from '../domain/catalogue';
import { CHANNELS, DISPOSITIONS, TICKET_EVENT_KINDS, TICKET_STATUSES, type TicketDraft } from '../domain/ticket';
import { DESK_ROLES } from '../roles';
import { ExportProgressSchema, leadCalls } from './lead-contract';
import { callbackCalls } from './callback-contract';
import { webIntakeCalls } from './web-intake-contract';

// Validation messages are read by call-takers and operators: Chinese everywhere.
z.config(z.locales.zhCN());

export interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
  /** Plain-language purpose, shown in error messages and docs. */
  doc: string;
}
export type CallMap = Record<string, CallSpec>;

const empty = z.object({}).strict();

export const RunMode = z.enum(['electron', 'browser-host']);
export type RunMode = z.infer<typeof RunMode>;

export const Operator = z.object({ id: z.string(), name: z.string(), role: z.enum(DESK_ROLES) });
export type Operator = z.infer<typeof Operator>;

export const ShiftNow = z.object({ code: z.string(), name: z.string(), start: z.string(), end: z.string() });
export type ShiftNow = z.infer<typeof ShiftNow>;

export const AppInfo = z.object({
  productName: z.string(),
  version: z.string(),
  mode: RunMode,
  platform: z.string(),
  startedAt: z.string(),
  dataDir: z.string(),
  operator: Operator,
  shift: ShiftNow,
  /** Call-takers may sign in with their own hub account (HOTLINE_OPERATOR_ACCOUNTS=1 and a hub): the sign-in asks for its password. */
  operatorAccounts: z.boolean().optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const HealthCheck = z.object({ ok: z.boolean(), message: z.string() });
export const AppHealth = z.object({
  dataDir: z.object({ path: z.string(), writable: z.boolean(), freeBytes: z.number().nullable(), check: HealthCheck }),
  database: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    sizeBytes: z.number().int(),
    journalMode: z.string(),
    check: HealthCheck,
  }),
  /** `starting`: a hub beside the desk is still starting (the desk opened without waiting for it). */
  hub: z.object({ configured: z.boolean(), starting: z.boolean(), url: z.string().nullable(), online: z.boolean(), check: HealthCheck }),
  /** Tickets written on this desk and not yet accepted by the hub (the outbox), and how sending goes. */
  sync: z.object({
    pending: z.number().int(),
    /** Set aside because the hub refused their content; kept, never dropped. */
    refused: z.number().int(),
    state: z.enum(['local', 'idle', 'syncing', 'offline', 'unauthorized']),
    progress: z.object({ sent: z.number().int(), total: z.number().int() }).nullable(),
    lastSyncAt: z.string().nullable(),
    lastError: z.string().nullable(),
  }),
});
export type AppHealth = z.infer<typeof AppHealth>;

export const SecondScreenResult = z.object({
  /** Electron opened the window itself; the browser host tells the page which URL to open. */
  opened: z.boolean(),
  url: z.string().nullable(),
});

// ---- Reference data ------------------------------------------------------------------------

export const RefKind = z.enum(['places', 'units', 'catalogue', 'kb']);
export const RefVersion = z.object({ kind: RefKind, version: z.string(), source: z.string(), itemCount: z.number().int(), importedAt: z.string() });

const SearchTerm = z.object({ kind: z.enum(['name', 'path', 'keyword', 'synonym']), text: z.string(), pinyin: z.string(), initials: z.string() });
export const CatalogueIndexData = z.object({
  version: z.string().nullable(),
  counts: z.object({ level1: z.number().int(), level2: z.number().int(), level3: z.number().int() }),
  entries: z.array(z.object({ code: z.string(), path: z.array(z.string()), terms: z.array(SearchTerm) })),
});

export const UnitSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['city_center', 'subcenter', 'street', 'department', 'utility']),
  districtCode: z.string().nullable(),
  placeCode: z.string().nullable(),
  duties: z.string(),
});

export const CatalogueLeaf = z.object({
  code: z.string(),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  name: z.string(),
  parentCode: z.string().nullable(),
  path: z.array(z.string()),
  keywords: z.array(z.string()),
  synonyms: z.array(z.string()),
  requestTypes: z.array(z.enum(['咨询', '求助', '投诉', '举报', '建议', '表扬'])),
  urgency: z.enum(['一般', '紧急', '即时']),
  owner: z.discriminatedUnion('kind', [z.object({ kind: z.literal('local') }), z.object({ kind: z.literal('unit'), unitCode: z.string() })]),
  ownerUnit: UnitSchema.nullable(),
  coordination: z.boolean(),
});

export const PlaceSchema = z.object({
  code: z.string(),
  level: z.enum(['district', 'street', 'village']),
  name: z.string(),
  shortName: z.string(),
  parentCode: z.string().nullable(),
});

/** A landmark of resources/places/landmarks.tsv (shared/address/landmarks.ts). */
export const LandmarkSchema = z.object({
  name: z.string(),
  aliases: z.array(z.string()),
  district: z.string(),
  street: z.string().nullable(),
  kind: z.enum(LANDMARK_KINDS),
  note: z.string(),
});

export const KbHitSchema = z.object({
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  matchedIn: z.enum(['title', 'questions', 'answer', 'leaf']),
  sourceUnit: z.string(),
  validUntil: z.string(),
  expired: z.boolean(),
  leafCodes: z.array(z.string()),
});

export const KbArticleSchema = z.object({
  id: z.string(),
  title: z.string(),
  questions: z.array(z.string()),
  answer: z.string(),
  sourceUnit: z.string(),
  sourceUnitName: z.string(),
  validUntil: z.string(),
  expired: z.boolean(),
  leafCodes: z.array(z.string()),
});

function ReferenceStatusSchema() {
  return z.object({
    state: z.enum(['loading', 'ready', 'failed']),
    message: z.string(),
    versions: z.array(RefVersion),
  });
}

/** Import files travel as base64; 12 MB covers the full catalogue as XLSX several times over. */
export const MAX_IMPORT_BASE64 = 12 * 1024 * 1024;
export const ImportReportSchema = z.object({ kind: RefKind, version: z.string(), itemCount: z.number().int() });


export const ReferenceStatus = ReferenceStatusSchema();
export type ReferenceStatus = z.infer<typeof ReferenceStatus>;

export type CallName<C extends CallMap> = Extract<keyof C, string>;
export type CallInput<C extends CallMap, N extends keyof C> = z.input<C[N]['input']>;
export type CallInputParsed<C extends CallMap, N extends keyof C> = z.output<C[N]['input']>;
export type CallOutput<C extends CallMap, N extends keyof C> = z.output<C[N]['output']>;

/** What travels on the wire for one call, on every transport. */
export const CallMessage = z.object({ name: z.string().min(1).max(100), input: z.unknown() }).strict();
export type CallMessage = z.infer<typeof CallMessage>;

// ---- Tickets (intake, my tickets, drafts, the second screen) --------------------------------

const PHONE_TEXT = z.string().max(30);
const CODE = z.string().min(1).max(20);

export const TicketAddressSchema = z
  .object({ districtCode: CODE.nullable(), streetCode: CODE.nullable(), villageCode: CODE.nullable(), text: z.string().max(200) })
  .strict();

/** The intake form as it is typed: every field may still be wrong; `tickets.submit` checks it. */
export const TicketDraftSchema = z
  .object({
    id: z.uuid(),
    callStartedAt: z.iso.datetime({ offset: true }),
    channel: z.enum(CHANNELS),
    callerName: z.string().max(50),
    callerPhone: PHONE_TEXT,
    callbackPhone: PHONE_TEXT,
    requestType: z.enum([...REQUEST_TYPES, '']),
    address: TicketAddressSchema,
    content: z.string().max(4000),
    leafCode: CODE.nullable(),
    disposition: z.enum(DISPOSITIONS).nullable(),
    unitCode: CODE.nullable(),
    kbArticleId: z.string().min(1).max(40).nullable(),
    linkedTicketId: z.uuid().nullable(),
    unreasonableReason: z.string().max(500),
  })
  .strict() satisfies z.ZodType<TicketDraft>;

export const DeadlineSchema = z.object({
  ruleId: z.string(),
  label: z.string(),
  dueAt: z.string(),
  startsAt: z.string(),
  /** Set once the checkpoint is met (派单 at submit; later ones as the hub reports them). */
  doneAt: z.string().nullable(),
});
export type TicketDeadline = z.infer<typeof DeadlineSchema>;

/**
 * Why a ticket wants attention after dispatch, from its trail (electron/services/tickets/ticket-flag.ts):
 * 督办/催办 while it is the latest word on the ticket (until the unit acts), 延期 once the center
 * approved a later 办结 date (text names the new due), 退单 while it waits in the 待派 queue.
 */
export const TICKET_FLAG_KINDS = ['督办', '催办', '延期', '退单'] as const;
export const TicketFlagSchema = z.object({ kind: z.enum(TICKET_FLAG_KINDS), text: z.string(), at: z.string() });
export type TicketFlag = z.infer<typeof TicketFlagSchema>;

export const TicketSummarySchema = z.object({
  id: z.string(),
  /** The official number once the hub assigned it, else the provisional one (临…). */
  number: z.string(),
  official: z.boolean(),
  submittedAt: z.string(),
  operatorName: z.string(),
  /** Who took it; the duty seat's id (shared/roles.ts DUTY_OPERATOR) means before anyone signed in. */
  operatorId: z.string(),
  callerName: z.string(),
  callerPhone: z.string(),
  requestType: z.enum(REQUEST_TYPES),
  leafCode: z.string().nullable(),
  leafPath: z.array(z.string()),
  disposition: z.enum(DISPOSITIONS),
  unitName: z.string().nullable(),
  status: z.enum(TICKET_STATUSES),
  urgency: z.enum(URGENCIES),
  deadlines: z.array(DeadlineSchema),
  contentPreview: z.string(),
  addressText: z.string(),
  /** The place codes and words as recorded (a repeat caller's address is taken from here, Alt+C). */
  address: TicketAddressSchema,
  /** For 重复诉求: the original ticket it is linked to. */
  linkedTicket: z.object({ id: z.string(), number: z.string() }).nullable(),
  /** Waiting in the outbox for the hub. */
  pendingSync: z.boolean(),
  /** What the hub's pull says wants attention now (督办, 延期, 退单); see TicketFlagSchema. */
  flag: TicketFlagSchema.nullable(),
});
export type TicketSummary = z.infer<typeof TicketSummarySchema>;

export const TicketEventSchema = z.object({ kind: z.enum(TICKET_EVENT_KINDS), at: z.string(), actor: z.string(), note: z.string() });

export const TicketDetailSchema = TicketSummarySchema.extend({
  callStartedAt: z.string(),
  channel: z.enum(CHANNELS),
  callbackPhone: z.string(),
  content: z.string(),
  address: TicketAddressSchema,
  /** 区 / 街乡镇 / 社区村 as people say them. */
  placeNames: z.array(z.string()),
  kbArticle: z.object({ id: z.string(), title: z.string() }).nullable(),
  linkedTicket: z.object({ id: z.string(), number: z.string() }).nullable(),
  unreasonableReason: z.string(),
  events: z.array(TicketEventSchema),
});
export type TicketDetail = z.infer<typeof TicketDetailSchema>;

export const RelatedTicketSchema = TicketSummarySchema.extend({
  /** Why it is shown: the same caller number, the same community/village and leaf within 30 days, or
   *  (from the hub, server/lookup.ts) similar content in the same street within 30 days. */
  reasons: z.array(z.enum(['same_phone', 'same_place_leaf', 'similar_content'])),
});
export type RelatedTicket = z.infer<typeof RelatedTicketSchema>;

export const SideViewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('kb'), articleId: z.string().min(1).max(40) }).strict(),
  z.object({ kind: z.literal('history'), phone: PHONE_TEXT }).strict(),
  z.object({ kind: z.literal('ticket'), id: z.uuid() }).strict(),
]);
export type SideView = z.infer<typeof SideViewSchema>;

/**
 * What the second screen holds for the current call, side by side: the knowledge-base answer read
 * last, and the caller's history or the ticket opened last. A `none` view (a new call) clears both.
 */
export const SideScreenSchema = z.object({
  kb: z.string().nullable(),
  record: z.union([SideViewSchema.options[2], SideViewSchema.options[3]]).nullable(),
});
export type SideScreen = z.infer<typeof SideScreenSchema>;

/** The second screen after one more view shown on it. */
export function applySideView(screen: SideScreen, view: SideView): SideScreen {
  switch (view.kind) {
    case 'none':
      return { kb: null, record: null };
    case 'kb':
      return { ...screen, kb: view.articleId };
    default:
      return { ...screen, record: view };
  }
}

export const IncomingCallSchema = z.object({ phone: z.string(), startedAt: z.string() });
/** open311RequestId: the 网络渠道 submission the draft was taken from, kept so a restored draft still links to it. */
export const SavedDraftSchema = z.object({ draft: TicketDraftSchema, savedAt: z.string(), open311RequestId: z.uuid().optional() });

export const ticketCalls = {
  'calls.incoming': {
    input: z.object({ phone: PHONE_TEXT, at: z.iso.datetime({ offset: true }).optional() }).strict(),
    output: IncomingCallSchema,
    doc: '来电接入（话务系统调用）：在坐席上打开新工单并弹出来电历史',
  },
  'tickets.submit': {
    /** open311RequestId: the 网络渠道 submission the ticket was taken from (shared/api/web-intake-contract.ts). */
    input: z.object({ draft: TicketDraftSchema, open311RequestId: z.uuid().optional() }).strict(),
    output: TicketSummarySchema,
    doc: '提交工单：本地保存并排入待同步队列，计算办理时限；同一工单重复提交只保存一次',
  },
  'tickets.history': {
    input: z.object({ phone: PHONE_TEXT }).strict(),
    output: z.array(TicketSummarySchema),
    doc: '同一来电号码（来电或回访号码）的历史工单，最新在前',
  },
  'tickets.related': {
    input: z
      .object({ phone: PHONE_TEXT, villageCode: CODE.nullable(), leafCode: CODE.nullable(), excludeId: z.uuid().nullable().optional() })
      .strict(),
    output: z.array(RelatedTicketSchema),
    doc: '疑似重复：同一号码，或 30 天内同一社区村、同一分类的工单',
  },
  'tickets.mine': {
    input: empty,
    output: z.object({ shift: ShiftNow, shiftDate: z.string(), tickets: z.array(TicketSummarySchema) }),
    doc: '本班次本坐席受理的工单，最新在前',
  },
  'tickets.get': { input: z.object({ id: z.uuid() }).strict(), output: TicketDetailSchema, doc: '一张工单的全部信息与处理轨迹' },
  'drafts.save': {
    input: z.object({ draft: TicketDraftSchema, open311RequestId: z.uuid().optional() }).strict(),
    output: z.object({ savedAt: z.string() }),
    doc: '保存正在填写的工单草稿（崩溃或断电后可恢复）',
  },
  'drafts.current': { input: empty, output: SavedDraftSchema.nullable(), doc: '上次未提交的工单草稿' },
  'drafts.discard': { input: z.object({ id: z.uuid() }).strict(), output: z.object({ discarded: z.boolean() }), doc: '丢弃一份草稿' },
  'units.list': { input: empty, output: z.array(UnitSchema), doc: '全部承办单位（分中心、街乡镇、委办局、公共服务企业）' },
  'side.show': { input: z.object({ view: SideViewSchema }).strict(), output: SideViewSchema, doc: '让副屏显示知识库文章、来电历史或工单详情' },
  'side.current': { input: empty, output: SideScreenSchema, doc: '副屏当前应显示的内容：知识库答复与来电历史（或工单详情）' },
} as const satisfies CallMap;

/**
 * One ticket of the 待派 queue (tickets returned to the center), as the hub reports it, with what
 * the desk adds from its own reference data: the place codes and the leaf's owner that the dispatch
 * rule reads (shared/intake/dispatch.ts), so the suggestion is the one intake would make.
 */
export const ReturnedTicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  /** The hub's version of the ticket: a re-dispatch made on an older one is a conflict. */
  version: z.number().int(),
  urgency: z.enum(URGENCIES),
  submittedAt: z.string(),
  content: z.string(),
  addressText: z.string(),
  address: TicketAddressSchema,
  placeNames: z.array(z.string()),
  leafCode: z.string().nullable(),
  leafPath: z.array(z.string()),
  leaf: z
    .object({ code: z.string(), owner: z.discriminatedUnion('kind', [z.object({ kind: z.literal('local') }), z.object({ kind: z.literal('unit'), unitCode: z.string() })]), coordination: z.boolean() })
    .nullable(),
  returnCount: z.number().int(),
  /** The last 退单: who returned it, why, and when (null when the hub's trail does not say). */
  returnedBy: z.string().nullable(),
  returnReason: z.string().nullable(),
  returnedAt: z.string().nullable(),
  /** Every unit that returned it (退单), once each in the order of its last 退单, with that one's reason from the list: the suggestion avoids them. */
  returnedUnits: z.array(z.object({ code: z.string(), reasonKind: z.string().nullable() })),
});
export type ReturnedTicket = z.infer<typeof ReturnedTicketSchema>;

/** The 待派 queue on the desk (班长 only; through the hub, so online only — offline: `unavailable`). */
export const redispatchCalls = {
  'redispatch.queue': {
    input: empty,
    output: z.object({ rows: z.array(ReturnedTicketSchema), total: z.number().int() }),
    doc: '待派：退回中心、等待重新派单的工单（班长，需联网）',
  },
  'redispatch.send': {
    input: z.object({ ticketId: z.uuid(), version: z.number().int().min(0), unitCode: CODE, note: z.string().max(500).optional() }).strict(),
    output: z.object({ number: z.string(), unitName: z.string().nullable(), status: z.enum(TICKET_STATUSES) }),
    doc: '重新派单：把待派工单派给一个单位（班长，需联网）',
  },
} as const satisfies CallMap;

/**
 * Center-wide intake on the desk (electron/services/handlers/lookup.ts): history and 疑似重复 for the
 * call on the screen, a look-up by number or phone, and 催办 — from the hub across every desk while it
 * answers (scope 'center', 全中心), else from this desk's own tickets (scope 'local', 本机).
 */
export const LOOKUP_SCOPES = ['center', 'local'] as const;
export const LookupTicketSchema = TicketSummarySchema.extend({
  content: z.string(),
  trail: z.array(z.object({ at: z.string(), kind: z.string(), actor: z.string(), note: z.string() })),
  urgeCount: z.number().int(),
  /** resources/policy/urging.json: repeated 催办 suggest 督办 to the center (hub only). */
  urgeSuggestion: z.object({ ruleId: z.string(), level: z.string(), note: z.string() }).nullable(),
  /** Taken at this desk (so an offline 催办 can wait in its outbox). */
  here: z.boolean(),
});
export type LookupTicket = z.infer<typeof LookupTicketSchema>;

export const centerIntakeCalls = {
  'tickets.around': {
    input: z
      .object({
        phone: PHONE_TEXT,
        address: TicketAddressSchema.omit({ text: true }),
        leafCode: CODE.nullable(),
        content: z.string().max(4000),
        excludeId: z.uuid().nullable().optional(),
      })
      .strict(),
    output: z.object({ scope: z.enum(LOOKUP_SCOPES), history: z.array(TicketSummarySchema), related: z.array(RelatedTicketSchema) }),
    doc: '来电历史与疑似重复：联网时查全中心（所有坐席），中心不可达时查本机',
  },
  'tickets.lookup': {
    input: z.object({ key: z.string().trim().min(1).max(40) }).strict(),
    output: z.object({ scope: z.enum(LOOKUP_SCOPES), tickets: z.array(LookupTicketSchema) }),
    doc: '查询工单：按正式编号、临时编号（临…）或来电号码，含状态、承办单位、时限与处理轨迹',
  },
  'tickets.urge': {
    input: z.object({ ticketId: z.uuid(), note: z.string().max(500) }).strict(),
    output: z.object({ number: z.string(), queued: z.boolean(), urgeCount: z.number().int().nullable(), suggestion: z.string().nullable() }),
    doc: '催办：在原工单上记录市民催办（不新建工单）；中心不可达时排入待同步，恢复后只发送一次',
  },
} as const satisfies CallMap;

export const deskCalls = {
  'app.info': { input: empty, output: AppInfo, doc: '应用版本、运行方式、数据目录、当前坐席与班次' },
  'app.health': { input: empty, output: AppHealth, doc: '数据目录、本地数据库与中心连接的健康状况' },
  'window.openSecondScreen': { input: empty, output: SecondScreenResult, doc: '在副屏打开辅助窗口' },
  'reference.status': { input: empty, output: ReferenceStatusSchema(), doc: '基础数据是否已载入，以及各类数据的版本' },
  'reference.import': {
    input: z
      .object({
        kind: RefKind,
        fileName: z.string().min(1).max(260).regex(/\.(csv|xlsx)$/i, '只支持 .csv 或 .xlsx 文件'),
        contentBase64: z.string().min(1).max(MAX_IMPORT_BASE64),
        /** Replace even when the file holds less than half of what the desk has now (never when it holds nothing). */
        force: z.boolean().optional(),
      })
      .strict(),
    output: ImportReportSchema,
    doc: '从 CSV 或 XLSX 导入一类基础数据（整体校验，有错则整体拒绝；空文件一律拒绝，条目不足现有一半需确认强制导入）',
  },
  'catalogue.index': { input: empty, output: CatalogueIndexData, doc: '派单目录全部三级分类及其检索词（含拼音）' },
  'suggest.model': {
    input: z.object({ have: z.string().max(64).nullable() }).strict(),
    output: z.object({ version: z.string().nullable(), content: z.string().nullable() }),
    doc: '中心发布的分类推荐模型（本机保存的最新版本；与 have 相同时不再传内容；没有模型时 version 为 null）',
  },
  'catalogue.leaf': { input: z.object({ code: z.string().min(1).max(20) }).strict(), output: CatalogueLeaf, doc: '一个分类的完整信息' },
  'places.list': {
    input: empty,
    output: z.object({ version: z.string().nullable(), places: z.array(PlaceSchema), landmarks: z.array(LandmarkSchema) }),
    doc: '全部行政区划（区、街乡镇、社区村）及常用地标（商圈、交通枢纽、医院、高校等）',
  },
  'kb.search': {
    input: z
      .object({
        query: z.string().max(200),
        leafCode: z.string().max(20).nullable().optional(),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    output: z.array(KbHitSchema),
    doc: '知识库检索：标题、问法、正文依次排序，可按分类筛选',
  },
  'kb.article': { input: z.object({ id: z.string().min(1).max(40) }).strict(), output: KbArticleSchema, doc: '一篇知识库文章' },
  ...ticketCalls,
  ...leadCalls,
  ...redispatchCalls,
  ...centerIntakeCalls,
  ...callbackCalls,
  ...webIntakeCalls,
} as const satisfies CallMap;

export type DeskCalls = typeof deskCalls;

export const deskEvents = {
  'app.health': AppHealth,
  'reference.status': ReferenceStatus,
  /** A call came in through `calls.incoming`: the main window opens a fresh ticket for it. */
  'call.incoming': IncomingCallSchema,
  /** What the second screen shows now. */
  'side.view': SideViewSchema,
  /** A ticket was written or its status changed: lists and the side screen refresh. */
  'tickets.changed': z.object({ ids: z.array(z.string()) }),
  /** A streamed center-wide export advanced, finished, failed or was cancelled (lead.exportStart). */
  'lead.exportProgress': ExportProgressSchema,
} as const satisfies Record<string, z.ZodType>;
export type DeskEvents = typeof deskEvents;
export type DeskEventName = keyof DeskEvents;
export type DeskEvent = { [N in DeskEventName]: { name: N; payload: z.output<DeskEvents[N]> } }[DeskEventName];

