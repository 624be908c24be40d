/**
 * Center-wide intake on the hub (server/lookup.ts): caller history, 疑似重复 and look-ups across every
 * desk, and 催办 recorded on the ticket asked about. Spread into `hubCalls` (shared/api/hub-contract.ts);
 * kept apart so the contract file stays readable. Desks make these calls with their hub account
 * (call-takers, team leads, admins); a number that is not the one asked about comes masked.
 */
import { z } from 'zod';
import { REQUEST_TYPES, URGENCIES } from '../domain/catalogue';
import { DISPOSITIONS, TICKET_STATUSES } from '../domain/ticket';
import { DESK_ROLES } from '../roles';
import { DeadlineSchema } from './contract';

const ID = z.uuid();
const CODE = z.string().min(1).max(20);
const PHONE = z.string().max(30);

/** The longest look-up key (an official number, a 临… number or a phone number). */
export const MAX_LOOKUP_KEY = 40;
/** The longest 催办 note. */
export const MAX_URGE_NOTE = 500;
/** At most this many tickets per history, related list or look-up. */
export const CENTER_LIST_LIMIT = 20;

export const CenterTicketSchema = z.object({
  id: z.string(),
  number: z.string(),
  provisionalNumber: z.string(),
  deskId: z.string(),
  submittedAt: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  callerName: z.string(),
  /** In full when it is the number asked about; masked (139****5678) otherwise. */
  callerPhone: z.string(),
  requestType: z.enum(REQUEST_TYPES),
  leafCode: z.string().nullable(),
  leafPath: z.array(z.string()),
  disposition: z.enum(DISPOSITIONS),
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  status: z.enum(TICKET_STATUSES),
  urgency: z.enum(URGENCIES),
  deadlines: z.array(DeadlineSchema),
  content: z.string(),
  addressText: z.string(),
  districtCode: z.string().nullable(),
  streetCode: z.string().nullable(),
  villageCode: z.string().nullable(),
  linkedTicket: z.object({ id: z.string(), number: z.string() }).nullable(),
  /** 催办 recorded on it so far. */
  urgeCount: z.number().int(),
});
export type CenterTicket = z.infer<typeof CenterTicketSchema>;

export const RELATED_REASONS = ['same_phone', 'same_place_leaf', 'similar_content'] as const;
export const CenterRelatedSchema = CenterTicketSchema.extend({
  reasons: z.array(z.enum(RELATED_REASONS)),
  /** shared/search/ngram.ts contentSimilarity, when the content was compared. */
  similarity: z.number().nullable(),
});
export type CenterRelated = z.infer<typeof CenterRelatedSchema>;

export const CenterLookupSchema = CenterTicketSchema.extend({
  trail: z.array(z.object({ at: z.string(), kind: z.string(), actor: z.string(), note: z.string() })),
  /** resources/policy/urging.json: repeated 催办 make a 督办 suggestion for the center. */
  urgeSuggestion: z.object({ ruleId: z.string(), level: z.string(), note: z.string() }).nullable(),
});
export type CenterLookup = z.infer<typeof CenterLookupSchema>;

export const UrgeInputSchema = z
  .object({
    /** The desk's id for this 催办: sent again (an outbox retry), it is stored once. */
    id: ID,
    ticketId: ID,
    deskId: z.string().min(1).max(64),
    at: z.iso.datetime({ offset: true }),
    actor: z.string().min(1).max(40),
    note: z.string().max(MAX_URGE_NOTE),
  })
  .strict();
export type UrgeInput = z.infer<typeof UrgeInputSchema>;

export const UrgeResultSchema = z.object({
  ticketId: z.string(),
  number: z.string(),
  urgeCount: z.number().int(),
  /** False when this 催办 id was already stored (a resend). */
  created: z.boolean(),
  urgeSuggestion: CenterLookupSchema.shape.urgeSuggestion,
});
export type UrgeResult = z.infer<typeof UrgeResultSchema>;

export const centerCalls = {
  'center.history': {
    input: z.object({ phone: PHONE.min(1) }).strict(),
    output: z.array(CenterTicketSchema),
    doc: '全中心来电历史：同一来电或回访号码在所有坐席受理的工单，最新在前',
    roles: DESK_ROLES,
  },
  'center.related': {
    input: z
      .object({
        phone: PHONE,
        districtCode: CODE.nullable(),
        streetCode: CODE.nullable(),
        villageCode: CODE.nullable(),
        leafCode: CODE.nullable(),
        content: z.string().max(4000),
        excludeId: ID.nullable().optional(),
      })
      .strict(),
    output: z.array(CenterRelatedSchema),
    doc: '全中心疑似重复：同一号码，30 天内同一社区村同一分类，或 30 天内同一街乡镇内容相近（字符 n-gram）',
    roles: DESK_ROLES,
  },
  'center.lookup': {
    input: z.object({ key: z.string().trim().min(1).max(MAX_LOOKUP_KEY), deskId: z.string().min(1).max(64).optional() }).strict(),
    output: z.array(CenterLookupSchema),
    doc: '查询工单：按正式编号、坐席临时编号（临…）或来电号码，含处理轨迹、时限与催办次数',
    roles: DESK_ROLES,
  },
  'ticket.urge': {
    input: UrgeInputSchema,
    output: UrgeResultSchema,
    doc: '催办：在原工单上记录市民的催办（承办单位在工作台看到），同一催办只记一次',
    roles: DESK_ROLES,
  },
} as const;
