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
import { MOVE_RULES, SATISFACTIONS } from '../lifecycle/ticket-lifecycle';
import { DESK_ROLES, LEAD_ROLES, ROLES, type Role } from '../roles';
import { DeadlineSchema, TicketAddressSchema, type CallMap } from './contract';

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

/** A ticket as a desk pushes it: everything the desk recorded, in the desk's words and codes. */
export const PushedTicketSchema = z
  .object({
    id: ID,
    provisionalNumber: z.string().min(1).max(40),
    deskId: z.string().min(1).max(64),
    operatorId: z.string().min(1).max(64),
    operatorName: z.string().max(50),
    shiftCode: z.string().max(20),
    shiftDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
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
  .strict();
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
});
export type StatTicketRow = z.infer<typeof StatTicketRowSchema>;
/** The most rows one shift-log request returns; a longer range is answered partially and says so. */
export const MAX_STAT_ROWS = 100_000;

const ticketAction = <T extends z.ZodRawShape>(extra: T) => z.object({ ticketId: ID, ...extra }).strict();

export const hubCalls = {
  'auth.login': {
    input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict(),
    output: z.object({ token: z.string(), user: HubUser, expiresAt: z.string() }),
    doc: '登录，取得会话令牌',
    roles: 'public',
  },
  'auth.me': { input: z.object({}).strict(), output: HubUser, doc: '当前令牌对应的用户', roles: HUB_ROLES },
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
    input: z.object({ kind: RefKindSchema, fileName: z.string().min(1).max(260), content: z.string().min(1).max(3 * 1024 * 1024) }).strict(),
    output: z.object({ kind: RefKindSchema, version: z.string() }),
    doc: '发布新版基础数据（CSV 文本），各坐席下次同步时整体替换',
    roles: ['admin'],
  },
  'reference.pull': {
    input: z.object({ have: z.record(RefKindSchema, z.string().nullable()) }).strict(),
    output: z.object({ updates: z.array(z.object({ kind: RefKindSchema, version: z.string(), fileName: z.string(), content: z.string() })) }),
    doc: '坐席已有版本之外的新版基础数据',
    roles: HUB_ROLES,
  },
  'unit.queue': {
    input: z.object({ unitCode: CODE.optional(), status: z.enum(TICKET_STATUSES).optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
    output: z.array(HubTicketSchema),
    doc: '承办单位待办工单（单位操作员只能看本单位）',
    roles: ['unit_operator', 'team_lead', 'admin'],
  },
  'ticket.forward': {
    input: ticketAction({ unitCode: CODE, unitName: z.string().trim().min(1).max(100).optional(), note: z.string().max(500).optional() }),
    output: HubEventSchema,
    doc: '分中心或市中心把工单转派给承办单位',
    roles: MOVE_RULES.forward.roles,
  },
  'ticket.accept': { input: ticketAction({}), output: HubEventSchema, doc: '承办单位接单', roles: MOVE_RULES.accept.roles },
  'ticket.return': {
    input: ticketAction({ reason: z.string().trim().min(4).max(500) }),
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
  'ticket.close': { input: ticketAction({ note: z.string().max(500).optional() }), output: HubEventSchema, doc: '办结', roles: MOVE_RULES.close.roles },
  'ticket.callback': {
    input: ticketAction({ resolved: z.boolean(), satisfaction: z.enum(SATISFACTIONS), note: z.string().max(500).optional() }),
    output: HubEventSchema,
    doc: '回访：记录是否解决与满意度',
    roles: MOVE_RULES.callback.roles,
  },
  'stats.shiftTickets': {
    input: z
      .object({
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
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
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        groupBy: z.enum(['unit', 'street', 'district']),
      })
      .strict(),
    output: z.array(RateRow),
    doc: '响应率、解决率、满意率（按承办单位、街乡镇或区，按受理日期范围）',
    roles: LEAD_ROLES,
  },
} as const satisfies Record<string, HubCallSpec> & CallMap;

export type HubCalls = typeof hubCalls;
