/**
 * The hub's API: what desks, unit operators and team leads ask of the hub (server/). Every call is
 * named once here with its input, its output and the roles that may make it. The hub serves each as
 * `POST /v1/<name>` with the input as the JSON body and a Result envelope as the reply; the desk's
 * sync client and `npm run hub:sim` use the same names through `createClient`.
 *
 * Ownership (docs/architecture.md, "Who owns a ticket"): the desk owns a ticket's content until the hub has
 * accepted it (push); from then on the hub owns its status and trail, and a desk only applies what
 * `tickets.pull` reports. A ticket returned by a unit (退单) goes back to the center's queue on the
 * hub (status 已退单, no unit) for a call-taker or the center to dispatch again.
 */
import { z } from 'zod';
import { REQUEST_TYPES, URGENCIES } from '../domain/catalogue';
import { CHANNELS, DISPOSITIONS, TICKET_EVENT_KINDS, TICKET_STATUSES } from '../domain/ticket';
import { MOVE_RULES, MOVES, RETURN_REASONS, SATISFACTIONS } from '../lifecycle/ticket-lifecycle';
import { CALLBACK_OUTCOMES, callbackRecordProblem, callbackRecordShape } from '../lifecycle/callback';
import { CALLBACK_DECISIONS, CallbackQueueItemSchema, MAX_CALLBACK_QUEUE } from './callback-contract';
export { CALLBACK_DECISIONS, CallbackQueueItemSchema, type CallbackQueueItem } from './callback-contract';
import { DESK_ROLES, LEAD_ROLES, ROLES, type Role } from '../roles';
import { DeadlineSchema, TicketAddressSchema, type CallMap } from './contract';
import { callStartProblem } from '../validation/ticket';
import { IsoDate } from './safe-input';
import { RANK_FIGURES, RANK_GROUPS, RankingsSchema, RankingTicketSchema } from '../stats/rankings-schema';
import { CenterTallySchema } from '../stats/center-tally';
import { centerCalls } from './center-contract';
import { centerDrillCalls } from './center-drill-contract';
import { open311Calls } from './open311-contract';

/** Every role signs in at the hub: the one list in shared/roles.ts. */
export const HUB_ROLES = ROLES;
export type HubRole = Role;

export interface HubCallSpec {
  input: z.ZodType;
  output: z.ZodType;
  doc: string;
  /** Who may make the call; `public` calls need no token (only auth.login). */
  roles: readonly HubRole[] | 'public';
}

/** One push carries at most this many tickets; the desk sends its outbox in batches of this size. */
export const MAX_PUSH_BATCH = 500;
/** The hub refuses a request body larger than this (a full batch is well under it). */
export const MAX_HUB_BODY_BYTES = 4 * 1024 * 1024;

export const HubUser = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(HUB_ROLES),
  /** For unit operators: the unit whose tickets they handle. */
  unitCode: z.string().nullable(),
});
export type HubUser = z.infer<typeof HubUser>;

const ID = z.uuid();
const CODE = z.string().min(1).max(20);
const ISO = z.iso.datetime({ offset: true });
/** Instants before this are no ticket's (a desk clock at year 0001, a damaged row). */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

/** A ticket as a desk pushes it: everything the desk recorded, in the desk's words and codes. */
export const PushedTicketSchema = z
  .object({
    id: ID,
    provisionalNumber: z.string().min(1).max(40),
    deskId: z.string().min(1).max(64),
    operatorId: z.string().min(1).max(64),
    operatorName: z.string().max(50),
    shiftCode: z.string().max(20),
    shiftDate: IsoDate,
    callStartedAt: ISO,
    submittedAt: ISO,
    channel: z.enum(CHANNELS),
    callerName: z.string().max(50),
    callerPhone: z.string().max(30),
    callbackPhone: z.string().max(30),
    requestType: z.enum(REQUEST_TYPES),
    address: TicketAddressSchema,
    content: z.string().min(1).max(4000),
    leafCode: CODE.nullable(),
    urgency: z.enum(URGENCIES),
    disposition: z.enum(DISPOSITIONS),
    unitCode: CODE.nullable(),
    kbArticleId: z.string().max(40).nullable(),
    linkedTicketId: ID.nullable(),
    unreasonableReason: z.string().max(500),
    /** The Open311 submission (网络渠道待受理) this ticket was taken from: the hub links the two (server/open311.ts). */
    open311RequestId: ID.optional(),
    /** Names as the desk showed them when the ticket was taken, so the hub's reports can name units
     *  and places without holding a copy of every directory version. */
    names: z
      .object({
        unit: z.string().max(100).nullable(),
        district: z.string().max(50).nullable(),
        street: z.string().max(50).nullable(),
        leafPath: z.array(z.string().max(50)).max(3),
      })
      .strict(),
    /** The desk's own trail at submit (shared/lifecycle/events.ts): the hub stores it as sent. */
    events: z
      .array(z.object({ kind: z.enum(TICKET_EVENT_KINDS), at: ISO, actor: z.string().max(50), note: z.string().max(1000) }).strict())
      .min(1)
      .max(10),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (Date.parse(t.submittedAt) < EARLIEST) ctx.addIssue({ code: 'custom', path: ['submittedAt'], message: `提交时间 ${t.submittedAt} 不可能是真实工单的时间` });
    const callProblem = callStartProblem(t.callStartedAt, t.submittedAt);
    if (callProblem) ctx.addIssue({ code: 'custom', path: ['callStartedAt'], message: callProblem });
  });
export type PushedTicket = z.infer<typeof PushedTicketSchema>;

export const PushResultSchema = z.object({
  id: z.string(),
  /** The official number (date + sequence), the same on every push of this id. */
  number: z.string(),
  /** `created` the first time the hub saw this id, `duplicate` on any later push. */
  outcome: z.enum(['created', 'duplicate']),
  status: z.enum(TICKET_STATUSES),
  /** Deadlines as the hub computed them from the shared SLA rules; the desk shows these from now on. */
  deadlines: z.array(DeadlineSchema),
});
export type PushResult = z.infer<typeof PushResultSchema>;

export const HubEventSchema = z.object({
  /** The hub's change cursor: strictly increasing, the order the desk applies changes in. */
  seq: z.number().int(),
  ticketId: z.string(),
  number: z.string(),
  kind: z.enum(TICKET_EVENT_KINDS),
  at: z.string(),
  actor: z.string(),
  note: z.string(),
  /** The ticket's status after this change, and its unit (null once returned to the center). */
  status: z.enum(TICKET_STATUSES),
  unitCode: z.string().nullable(),
  deadlines: z.array(DeadlineSchema),
  callback: z
    .object({ resolved: z.boolean(), satisfaction: z.enum(SATISFACTIONS) })
    .nullable(),
});
export type HubEvent = z.infer<typeof HubEventSchema>;

export const REF_KINDS = ['places', 'units', 'catalogue', 'kb'] as const;
export const RefKindSchema = z.enum(REF_KINDS);

export const HubTicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(TICKET_STATUSES),
  disposition: z.enum(DISPOSITIONS),
  unitCode: z.string().nullable(),
  leafCode: z.string().nullable(),
  urgency: z.enum(URGENCIES),
  districtCode: z.string().nullable(),
  streetCode: z.string().nullable(),
  submittedAt: z.string(),
  content: z.string(),
  callerName: z.string(),
  deadlines: z.array(DeadlineSchema),
});
export type HubTicket = z.infer<typeof HubTicketSchema>;

const RateRow = z.object({
  key: z.string(),
  name: z.string(),
  tickets: z.number().int(),
  /** Contacted the caller (接单) by the first-contact deadline. */
  responded: z.number().int(),
  responseRate: z.number().nullable(),
  /** Callbacks that said 已解决, of callbacks done. */
  callbacks: z.number().int(),
  resolved: z.number().int(),
  resolutionRate: z.number().nullable(),
  /** 满意 counts 1, 基本满意 0.8, 不满意 0, over callbacks done. */
  satisfactionRate: z.number().nullable(),
  /** 催办 recorded on these tickets (server/lookup.ts): callers who rang again about an open ticket. */
  urges: z.number().int().optional(),
});
export type RateRow = z.infer<typeof RateRow>;

/** One ticket as the team lead's shift log reads it (shared/stats/shift-report.ts StatTicket), center-wide. */
export const StatTicketRowSchema = z.object({
  id: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  shiftCode: z.string(),
  shiftDate: z.string(),
  callStartedAt: z.string(),
  submittedAt: z.string(),
  leafCode: z.string().nullable(),
  streetCode: z.string().nullable(),
  disposition: z.enum(DISPOSITIONS),
  status: z.enum(TICKET_STATUSES),
  deadlines: z.array(DeadlineSchema),
  /** Null when no callback is recorded. */
  callbackSatisfaction: z.enum(SATISFACTIONS).nullable(),
  callbackDone: z.boolean(),
  channel: z.enum(CHANNELS),
});
export type StatTicketRow = z.infer<typeof StatTicketRowSchema>;
/** The most rows one shift-log request returns; a longer range is answered partially and says so. */
export const MAX_STAT_ROWS = 100_000;

/**
 * Every move names its ticket and may say which version of it the person saw (the workspace always
 * does): a ticket moved since answers `conflict` with its current state in `details.current`, and
 * nothing is written — two operators on one ticket never both apply.
 */
const ticketAction = <T extends z.ZodRawShape>(extra: T) => z.object({ ticketId: ID, version: z.number().int().min(0).optional(), ...extra }).strict();

/**
 * One 回访 call (shared/lifecycle/callback.ts). `callbackId` makes it idempotent (a desk resending
 * it after an outage gets the first answer back); without `outcome` it is 联系上, as older callers
 * sent it, with `note` as the citizen's words.
 */
export const CallbackInputSchema = ticketAction({ ...callbackRecordShape, callbackId: ID.optional(), outcome: z.enum(CALLBACK_OUTCOMES).optional(), note: z.string().max(500).optional() }).superRefine((i, ctx) => {
  const problem = callbackRecordProblem({ ...i, outcome: i.outcome ?? '联系上' });
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
});
export type CallbackInput = z.infer<typeof CallbackInputSchema>;

/** The 回访 event, plus what followed: the 重办 event when it reopened the ticket or sent it to the center. */
export const CallbackResultSchema = HubEventSchema.extend({
  callbackId: z.string(),
  decision: z.enum(CALLBACK_DECISIONS),
  reopened: HubEventSchema.nullable(),
  /** True when this callback id was recorded before: the answer is the first one's. */
  duplicate: z.boolean(),
  version: z.number().int(),
  reopenCount: z.number().int(),
});
export type CallbackResult = z.infer<typeof CallbackResultSchema>;



/** 双派单: at most this many 协办 units on one ticket, and the longest 协办回复. */
export const MAX_ASSISTS = 10;
export const MAX_ASSIST_REPLY = 2000;

/** Who works in the hub's web workspace (web/): every hub role but the call-taker, who works at a desk. */
export const WORKSPACE_ROLES = ['unit_operator', 'team_lead', 'admin'] as const satisfies readonly HubRole[];

/** One ticket in a workspace queue: what the list shows and sorts by. */
export const WorkRowSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(TICKET_STATUSES),
  disposition: z.enum(DISPOSITIONS),
  urgency: z.enum(URGENCIES),
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  districtName: z.string().nullable(),
  streetName: z.string().nullable(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  leafPath: z.array(z.string()),
  content: z.string(),
  submittedAt: z.string(),
  deadlines: z.array(DeadlineSchema),
  /** The earliest open checkpoint's due time: the queue's order. */
  nextDueAt: z.string().nullable(),
  version: z.number().int(),
  returnCount: z.number().int(),
  /** The 督办 banner, shown until the unit holding the ticket acts on it (shared/lifecycle/supervision.ts). */
  supervision: z
    .object({ level: z.string(), label: z.string(), note: z.string(), at: z.string(), actor: z.string(), auto: z.boolean(), ruleId: z.string().optional() })
    .nullable(),
  /** A request waiting for the center's decision (申请延期, 申请认定不合理诉求). */
  pending: z
    .object({
      kind: z.enum(['extension', 'unreasonable']),
      reason: z.string(),
      newDate: z.string().nullable(),
      /** 申请认定不合理诉求: the unit's evidence (null for 延期). */
      evidence: z.string().nullable(),
      at: z.string(),
      actor: z.string(),
    })
    .nullable(),
  /**
   * The call-taker flagged it 不合理诉求 at intake (its reason, possibly empty): only a suggestion —
   * the ticket waits in the center's 待派 queue, and the unit it is sent to decides whether to apply.
   */
  intakeFlag: z.object({ reason: z.string() }).nullable(),
  /** When the center approved the unit's 申请认定不合理诉求: the ticket ended so (已办结), out of the unit's rates. */
  unreasonableAt: z.string().nullable(),
  /** 双派单 (server/assists.ts): how many 协办 units the ticket has now, and — when the viewer's unit is
   *  one of them — that it is theirs as 协办 and whether they have replied. */
  assistCount: z.number().int(),
  assist: z.object({ replied: z.boolean() }).nullable(),
  /** 催办 callers recorded on it (server/lookup.ts); for the center, the 督办 suggestion they make (resources/policy/urging.json). */
  urgeCount: z.number().int().optional(),
  urgeSuggestion: z.object({ ruleId: z.string(), level: z.string(), note: z.string() }).nullable().optional(),
});
export type WorkRow = z.infer<typeof WorkRowSchema>;

/** 申请认定不合理诉求: the longest reason and evidence a unit may give. */
export const MAX_UNREASONABLE_REASON = 500;
export const MAX_UNREASONABLE_EVIDENCE = 2000;

/** What a unit asks the center to decide on a ticket. */
export const REQUEST_KINDS = ['extension', 'unreasonable'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
/** The actions besides the lifecycle's moves that the workspace offers. */
export const WORK_ACTIONS = ['extend', 'decide', 'supervise', 'assistReply', 'unreasonable'] as const;
export type WorkAction = (typeof WORK_ACTIONS)[number];

/**
 * mine: my open tickets (a 协办 unit's include those it assists); returned: the center's 待派; review:
 * the center's 待审 (pending requests); closed; all: the center's 全部在办 (every open ticket, to supervise).
 */
export const QUEUE_VIEWS = ['mine', 'returned', 'review', 'closed', 'all'] as const;
export const MAX_QUEUE_PAGE = 200;

export const WorkQueueSchema = z.object({
  rows: z.array(WorkRowSchema),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  facets: z.object({
    statuses: z.array(z.object({ status: z.enum(TICKET_STATUSES), count: z.number().int() })),
    categories: z.array(z.object({ name: z.string(), count: z.number().int() })),
    communities: z.array(z.object({ code: z.string(), name: z.string(), count: z.number().int() })),
  }),
});
export type WorkQueue = z.infer<typeof WorkQueueSchema>;

export const TrailItemSchema = z.object({
  at: z.string(),
  kind: z.string(),
  actor: z.string(),
  note: z.string(),
  /** desk: written at the desk; hub: a move at the hub; access: a logged look at the caller's number. */
  source: z.enum(['desk', 'hub', 'access']),
  /** A hub row: the unit holding the ticket when it was written (ticket_events.from_unit_code) — for a 退单, the unit that returned it. */
  unitCode: z.string().nullable().optional(),
});

export const WorkTicketSchema = WorkRowSchema.extend({
  channel: z.string(),
  requestType: z.string(),
  addressText: z.string(),
  leafCode: z.string().nullable(),
  callerName: z.string(),
  /** Masked (139****5678); the full number only through workspace.revealCaller, which is logged. */
  callerPhoneMasked: z.string(),
  callbackPhoneMasked: z.string(),
  dispatchedUnitCode: z.string().nullable(),
  dispatchedUnitName: z.string().nullable(),
  operatorName: z.string(),
  /** False: the operator is the desk's word (pushed with the desk's account, server/desk-access.ts), shown 未核验. */
  operatorVerified: z.boolean().optional(),
  unitResolved: z.boolean().nullable(),
  /** The 协办 units of a 双派单 (server/assists.ts) and their replies; the 主办 closes the ticket. */
  assists: z.array(
    z.object({
      unitCode: z.string(),
      unitName: z.string(),
      assignedAt: z.string(),
      assignedBy: z.string(),
      replied: z.boolean(),
      reply: z.string().nullable(),
      repliedAt: z.string().nullable(),
      repliedBy: z.string().nullable(),
    }),
  ),
  trail: z.array(TrailItemSchema),
  /** 关联诉求: tickets a desk linked to this one as 重复诉求 — their callers (masked) and content. */
  linkedRequests: z
    .array(z.object({ id: z.string(), number: z.string(), submittedAt: z.string(), callerName: z.string(), callerPhone: z.string(), content: z.string() }))
    .optional(),
  /** The moves this person may make on it now (the hub checks every move again when it is made). */
  moves: z.array(z.enum(MOVES)),
  /** The other actions this person may take now (申请延期, 审核, 督办); checked again by the hub. */
  actions: z.array(z.enum(WORK_ACTIONS)),
});
export type WorkTicket = z.infer<typeof WorkTicketSchema>;

export const WorkUnitSchema = z.object({ code: z.string(), name: z.string(), kind: z.string(), districtCode: z.string().nullable() });
export type WorkUnit = z.infer<typeof WorkUnitSchema>;

export const WorkMeSchema = HubUser.extend({
  workRole: z.enum(['unit', 'subcenter', 'center', 'admin']),
  unitName: z.string().nullable(),
  districtCode: z.string().nullable(),
  /** The 督办 levels of resources/policy/supervision.json, lightest first. */
  supervisionLevels: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type WorkMe = z.infer<typeof WorkMeSchema>;

/** A learned model version as the hub publishes it (server/learned.ts); `content` is the file of shared/learn/serialize.ts. */
export const LearnedModelVersionSchema = z.object({ version: z.string(), trainedAt: z.string(), rows: z.number().int(), labels: z.number().int(), content: z.string() });
export const TrainReportSchema = z.object({
  version: z.string(),
  trainedAt: z.string(),
  rows: z.number().int(),
  labels: z.number().int(),
  bytes: z.number().int(),
  trainMs: z.number().int(),
});

export const hubCalls = {
  'auth.login': {
    input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict(),
    output: z.object({ token: z.string(), user: HubUser, expiresAt: z.string() }),
    doc: '登录，取得会话令牌',
    roles: 'public',
  },
  'auth.me': { input: z.object({}).strict(), output: HubUser, doc: '当前令牌对应的用户', roles: HUB_ROLES },
  'auth.logout': { input: z.object({}).strict(), output: z.object({ signedOut: z.literal(true) }), doc: '退出登录（当前令牌作废）', roles: HUB_ROLES },
  'auth.changePassword': {
    input: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(8, '新密码至少 8 位').max(200) }).strict(),
    output: z.object({ revoked: z.number().int() }),
    doc: '修改本人密码（本人其他会话全部作废）',
    roles: HUB_ROLES,
  },
  'admin.revokeSessions': {
    input: z.object({ username: z.string().min(1).max(64) }).strict(),
    output: z.object({ revoked: z.number().int() }),
    doc: '让某个账号的全部会话作废（账号须重新登录）',
    roles: ['admin'],
  },
  'tickets.push': {
    input: z.object({ tickets: z.array(PushedTicketSchema).min(1).max(MAX_PUSH_BATCH) }).strict(),
    output: z.object({ results: z.array(PushResultSchema) }),
    doc: '坐席上传工单（按工单 ID 幂等：同一工单无论上传几次只保存一次），返回正式编号与办理时限',
    roles: MOVE_RULES.submit.roles,
  },
  'tickets.pull': {
    input: z.object({ since: z.number().int().min(0), deskId: z.string().min(1).max(64), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.object({ events: z.array(HubEventSchema), cursor: z.number().int(), more: z.boolean() }),
    doc: '本坐席上传的工单在中心发生的变化（转派、接单、退单、回复、办结、回访），按变化顺序',
    roles: DESK_ROLES,
  },
  'reference.publish': {
    input: z
      .object({
        kind: RefKindSchema,
        fileName: z.string().min(1).max(260),
        content: z.string().min(1).max(3 * 1024 * 1024),
        /** Publish even when the file holds less than half the rows of the version in force (never an empty one). */
        force: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ kind: RefKindSchema, version: z.string() }),
    doc: '发布新版基础数据（CSV 文本，先按坐席的导入规则校验；空文件拒绝，条目不足现有一半需强制），各坐席下次同步时整体替换',
    roles: ['admin'],
  },
  'reference.pull': {
    input: z.object({ have: z.record(RefKindSchema, z.string().nullable()) }).strict(),
    output: z.object({ updates: z.array(z.object({ kind: RefKindSchema, version: z.string(), fileName: z.string(), content: z.string() })) }),
    doc: '坐席已有版本之外的新版基础数据',
    roles: HUB_ROLES,
  },
  'model.pull': {
    input: z.object({ have: z.string().max(64).nullable() }).strict(),
    output: z.object({ model: LearnedModelVersionSchema.nullable() }),
    doc: '坐席已有版本之外的分类推荐模型（由中心按本中心工单训练，server/learned.ts）',
    roles: HUB_ROLES,
  },
  'admin.trainModel': {
    input: z.object({}).strict(),
    output: TrainReportSchema,
    doc: '立即用本中心的工单（以最终分类为准，不含认定的不合理诉求和测试坐席的数据）训练分类推荐模型并发布给各坐席',
    roles: ['admin'],
  },
  'unit.queue': {
    input: z
      .object({
        unitCode: CODE.optional(),
        status: z.enum(TICKET_STATUSES).optional(),
        limit: z.number().int().min(1).max(500).optional(),
        /** The id of the last ticket of the page before: the next page starts after it (oldest first). */
        after: ID.optional(),
      })
      .strict(),
    output: z.array(HubTicketSchema),
    doc: '承办单位待办工单，按受理时间从早到晚，一页至多 500 件，用 after（上一页最后一件的 ID）翻页（单位操作员只能看本单位；工单内容中的电话号码对承办单位打码）',
    roles: ['unit_operator', 'team_lead', 'admin'],
  },
  'ticket.forward': {
    input: ticketAction({
      unitCode: CODE,
      unitName: z.string().trim().min(1).max(100).optional(),
      note: z.string().max(500).optional(),
      /** 双派单: the 协办 units besides the 主办 (unitCode); at most MAX_ASSISTS, checked by the hub. */
      assistUnitCodes: z.array(CODE).max(50).optional(),
    }),
    output: HubEventSchema,
    doc: '分中心或市中心把工单转派给承办单位（可同时指定协办单位：双派单，主办办结即办结）',
    roles: MOVE_RULES.forward.roles,
  },
  'ticket.assistReply': {
    input: ticketAction({ reply: z.string().trim().min(4).max(MAX_ASSIST_REPLY) }),
    output: HubEventSchema,
    doc: '协办单位回复办理情况（每个协办单位一次，主办单位与市中心可见）',
    roles: ['unit_operator'],
  },
  'ticket.accept': { input: ticketAction({}), output: HubEventSchema, doc: '承办单位接单', roles: MOVE_RULES.accept.roles },
  'ticket.return': {
    input: ticketAction({ reason: z.string().trim().min(4).max(500), reasonKind: z.enum(RETURN_REASONS).optional() }),
    output: HubEventSchema,
    doc: '退单：说明理由，工单回到中心重新派单',
    roles: MOVE_RULES.return.roles,
  },
  'ticket.reply': {
    input: ticketAction({ reply: z.string().trim().min(4).max(2000) }),
    output: HubEventSchema,
    doc: '承办单位答复办理情况',
    roles: MOVE_RULES.reply.roles,
  },
  'ticket.close': {
    input: ticketAction({ note: z.string().max(500).optional(), resolved: z.boolean().optional() }).refine(
      (i) => i.resolved === undefined || (i.note?.trim().length ?? 0) >= 4,
      { message: '办结须写明办理结果（至少 4 字）', path: ['note'] },
    ),
    output: HubEventSchema,
    doc: '办结（办理结果、是否解决）',
    roles: MOVE_RULES.close.roles,
  },
  'ticket.redispatch': {
    input: ticketAction({ unitCode: CODE, note: z.string().max(500).optional() }),
    output: HubEventSchema,
    doc: '市中心把退回的工单（待派）重新派出',
    roles: MOVE_RULES.redispatch.roles,
  },
  'ticket.extend': {
    input: ticketAction({ reason: z.string().trim().min(4).max(500), newDate: IsoDate }),
    output: z.object({ number: z.string(), version: z.number().int() }),
    doc: '承办单位申请延期（理由与新的办结日期），由市中心审核',
    roles: ['unit_operator'],
  },
  'ticket.requestUnreasonable': {
    input: ticketAction({ reason: z.string().trim().min(4).max(MAX_UNREASONABLE_REASON), evidence: z.string().trim().min(4).max(MAX_UNREASONABLE_EVIDENCE) }),
    output: z.object({ number: z.string(), version: z.number().int() }),
    doc: '承办单位申请认定不合理诉求（理由与证据），由市中心审核；批准后工单办结，不计入承办单位的考核率',
    roles: ['unit_operator'],
  },
  'ticket.decide': {
    input: ticketAction({ kind: z.enum(REQUEST_KINDS), approve: z.boolean(), reason: z.string().trim().max(500) }).refine(
      (i) => i.approve || i.reason.length >= 4,
      { message: '不予批准须写明理由（至少 4 字）', path: ['reason'] },
    ),
    output: z.object({ number: z.string(), version: z.number().int() }),
    doc: '市中心审核承办单位的申请（延期、认定不合理诉求）：批准或不予批准并说明理由',
    roles: WORKSPACE_ROLES,
  },
  'ticket.supervise': {
    input: ticketAction({ level: z.string().min(1).max(32), note: z.string().trim().min(4).max(500) }),
    output: HubEventSchema,
    doc: '市中心督办（按督办等级，写明督办意见）',
    roles: WORKSPACE_ROLES,
  },
  'workspace.me': { input: z.object({}).strict(), output: WorkMeSchema, doc: '工作台：当前账号、角色与单位', roles: WORKSPACE_ROLES },
  'workspace.queue': {
    input: z
      .object({
        view: z.enum(QUEUE_VIEWS).optional(),
        status: z.enum(TICKET_STATUSES).optional(),
        category: z.string().min(1).max(50).optional(),
        villageCode: z.string().min(1).max(20).optional(),
        number: z.string().trim().min(1).max(40).optional(),
        offset: z.number().int().min(0).max(1_000_000).optional(),
        limit: z.number().int().min(1).max(MAX_QUEUE_PAGE).optional(),
      })
      .strict(),
    output: WorkQueueSchema,
    doc: '工作台：本人可办的工单（按最早到期排序，可按状态、分类、社区筛选，按编号查找，分页）',
    roles: WORKSPACE_ROLES,
  },
  'workspace.ticket': {
    input: z.object({ ticketId: ID }).strict(),
    output: WorkTicketSchema,
    doc: '工作台：一张工单的内容、地址、分类、来电人（号码隐去）、全程记录与时限',
    roles: WORKSPACE_ROLES,
  },
  'workspace.revealCaller': {
    input: z.object({ ticketId: ID }).strict(),
    output: z.object({ callerName: z.string(), callerPhone: z.string(), callbackPhone: z.string() }),
    doc: '联系市民：查看完整来电号码（记入工单记录）',
    roles: WORKSPACE_ROLES,
  },
  'workspace.units': {
    input: z.object({ purpose: z.enum(['forward', 'redispatch']) }).strict(),
    output: z.array(WorkUnitSchema),
    doc: '工作台：本人可转派或重新派单的单位',
    roles: WORKSPACE_ROLES,
  },
  'admin.unitAccounts': {
    input: z
      .object({
        unitCodes: z.array(CODE).max(1000).optional(),
        kinds: z.array(z.enum(['city_center', 'subcenter', 'street', 'department', 'utility'])).max(5).optional(),
        districtCode: z.string().min(1).max(20).optional(),
      })
      .strict(),
    output: z.object({
      created: z.array(z.object({ username: z.string(), password: z.string(), name: z.string(), unitCode: z.string(), unitName: z.string() })),
      existing: z.number().int(),
    }),
    doc: '按单位名录为承办单位、分中心、市中心开账号（已有账号的单位跳过；初始密码只返回这一次）',
    roles: ['admin'],
  },
  'ticket.callback': {
    input: CallbackInputSchema,
    output: CallbackResultSchema,
    doc: '回访：一次回访电话（联系上：是否解决、满意度、市民原话；未联系上；无法联系及原因）；未解决或不满意即重办，超过重办上限转市中心；同一回访编号只记一次',
    roles: MOVE_RULES.callback.roles,
  },
  'callback.queue': {
    input: z.object({ limit: z.number().int().min(1).max(MAX_CALLBACK_QUEUE).optional() }).strict(),
    output: z.array(CallbackQueueItemSchema),
    doc: '待回访：全中心已回复、已办结且回访时限未完成的工单（按回访时限排序），附承办单位的办理结果与来电人此前的工单',
    roles: ['call_taker', 'team_lead', 'admin'],
  },
  'stats.shiftTickets': {
    input: z
      .object({
        from: IsoDate,
        to: IsoDate,
        shiftCode: z.string().min(1).max(20).nullable(),
        operatorIds: z.array(z.string().min(1).max(64)).max(200),
      })
      .strict(),
    output: z.object({ rows: z.array(StatTicketRowSchema), truncated: z.boolean() }),
    doc: '全中心班次统计所用的工单（按班次日期、班次、坐席），坐席端按同一口径计算',
    roles: LEAD_ROLES,
  },
  'stats.rates': {
    input: z
      .object({
        from: IsoDate,
        to: IsoDate,
        groupBy: z.enum(['unit', 'street', 'district']),
      })
      .strict(),
    output: z.array(RateRow),
    doc: '响应率、解决率、满意率（按承办单位、街乡镇或区，按受理日期范围）',
    roles: LEAD_ROLES,
  },
  'stats.shiftTally': {
    input: z
      .object({
        from: IsoDate,
        to: IsoDate,
        trendFrom: IsoDate,
        shiftCode: z.string().min(1).max(20).nullable(),
        operatorIds: z.array(z.string().min(1).max(64)).max(200),
        categoryLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        reportAt: ISO,
      })
      .strict(),
    output: CenterTallySchema,
    doc: '全中心班次统计（在中心数据库中汇总：各坐席、时段、分类、热点、趋势，不传工单明细、不设上限）',
    roles: LEAD_ROLES,
  },
  'stats.rankings': {
    input: z.object({ from: IsoDate, to: IsoDate, groupBy: z.enum(RANK_GROUPS) }).strict(),
    output: RankingsSchema,
    doc: '考核排名：响应率、解决率、满意率、初次满意率、重办率、退单率、重复诉求率与综合得分（按承办单位、街乡镇、区或一级分类，与上一同长周期对比；分中心只看本区）',
    roles: WORKSPACE_ROLES,
  },
  'stats.rankingTickets': {
    input: z
      .object({ from: IsoDate, to: IsoDate, groupBy: z.enum(RANK_GROUPS), key: z.string().max(20).nullable(), figure: z.enum(RANK_FIGURES) })
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(RankingTicketSchema) }),
    doc: '考核下钻：某单位（或全部）某项指标背后的工单',
    roles: WORKSPACE_ROLES,
  },
  'stats.rankingsXlsx': {
    input: z.object({ from: IsoDate, to: IsoDate, groupBy: z.enum(RANK_GROUPS) }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
    doc: '考核排名导出 XLSX（排名、受理渠道、说明三张表；由中心生成，base64 编码）',
    roles: WORKSPACE_ROLES,
  },
  // Center-wide intake and 催办 (shared/api/center-contract.ts, server/lookup.ts).
  ...centerCalls,
  // The tickets behind the team lead's center-wide figures, paged (shared/api/center-drill-contract.ts, server/shift-drill.ts).
  ...centerDrillCalls,
  // Open311 keys and the 网络渠道待受理 queue (shared/api/open311-contract.ts, server/open311.ts).
  ...open311Calls,
} as const satisfies Record<string, HubCallSpec> & CallMap;

export type HubCalls = typeof hubCalls;
