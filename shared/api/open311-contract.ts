/**
 * Open311 GeoReport v2 on the hub (server/open311.ts, docs/open311.md): the hub calls around it.
 * Spread into `hubCalls` (shared/api/hub-contract.ts). An admin issues, lists and revokes the channel
 * partners' API keys; desks work the 网络渠道待受理 queue — list, take (one call-taker at a time),
 * reject with a reason. A taken submission becomes a ticket through the ordinary push, which carries
 * its id (`open311RequestId` on PushedTicketSchema) so the hub links the two.
 */
import { z } from 'zod';
import { CHANNELS } from '../domain/ticket';
import { DESK_ROLES } from '../roles';

/** The channels a partner's key may name: every channel but the telephone. */
export const OPEN311_CHANNELS = CHANNELS.filter((c) => c !== '电话');
/** Requests per minute a key may make, unless the admin says otherwise (the bucket holds as many). */
export const OPEN311_DEFAULT_PER_MINUTE = 60;
/** The longest description a submission may carry (the ticket's content holds as much). */
export const OPEN311_MAX_DESCRIPTION = 4000;
/** A POST body larger than this is refused before it is read (413). */
export const OPEN311_MAX_BODY_BYTES = 64 * 1024;
/** A call-taker's claim on a submission lapses after this long, so a closed desk does not hold it. */
export const OPEN311_CLAIM_MINUTES = 30;

export const OPEN311_REJECT_KINDS = ['垃圾信息', '不属本中心受理范围', '重复'] as const;
export type Open311RejectKind = (typeof OPEN311_REJECT_KINDS)[number];

export const Open311KeySchema = z.object({
  id: z.string(),
  /** The first characters of the key, to tell keys apart in a list (the key itself is never stored). */
  prefix: z.string(),
  partner: z.string(),
  channel: z.string(),
  perMinute: z.number().int(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  revokedAt: z.string().nullable(),
});
export type Open311Key = z.infer<typeof Open311KeySchema>;

/** One submission waiting in the 网络渠道待受理 queue, as the desk lists it. */
export const Open311PendingSchema = z.object({
  id: z.string(),
  channel: z.string(),
  partner: z.string(),
  serviceCode: z.string(),
  serviceName: z.string(),
  description: z.string(),
  addressString: z.string(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  mediaUrl: z.string(),
  requestedAt: z.string(),
  /** Who holds it now (a claim not yet lapsed); null when free. */
  claimedBy: z.string().nullable(),
  claimedByName: z.string().nullable(),
});
export type Open311Pending = z.infer<typeof Open311PendingSchema>;

const ID = z.uuid();

export const open311Calls = {
  'open311.keys.issue': {
    input: z
      .object({
        partner: z.string().trim().min(2).max(60),
        channel: z.enum(OPEN311_CHANNELS as [string, ...string[]]),
        perMinute: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    output: z.object({ key: z.string(), info: Open311KeySchema }),
    doc: 'Open311：为渠道合作方签发 API 密钥（一方一个，注明渠道；密钥只在此时返回一次，中心只存其散列）',
    roles: ['admin'],
  },
  'open311.keys.list': {
    input: z.object({}).strict(),
    output: z.array(Open311KeySchema),
    doc: 'Open311：已签发的 API 密钥（不含密钥本身）',
    roles: ['admin'],
  },
  'open311.keys.revoke': {
    input: z.object({ id: ID }).strict(),
    output: Open311KeySchema,
    doc: 'Open311：吊销 API 密钥（此后用它提交一律拒绝）',
    roles: ['admin'],
  },
  'open311.pending': {
    input: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(),
    output: z.object({ rows: z.array(Open311PendingSchema), total: z.number().int() }),
    doc: '网络渠道待受理：网站、微信、微博、APP 等渠道提交的诉求，最早的在前',
    roles: DESK_ROLES,
  },
  'open311.claim': {
    input: z.object({ id: ID }).strict(),
    output: Open311PendingSchema,
    doc: '网络渠道待受理：领取一件（同一件只能由一位话务员受理；领取 30 分钟未提交即可由他人领取）',
    roles: DESK_ROLES,
  },
  'open311.release': {
    input: z.object({ id: ID }).strict(),
    output: z.object({ released: z.boolean() }),
    doc: '网络渠道待受理：放回本人领取的一件',
    roles: DESK_ROLES,
  },
  'open311.reject': {
    input: z
      .object({
        id: ID,
        kind: z.enum(OPEN311_REJECT_KINDS),
        note: z.string().trim().max(500).optional(),
        /** 重复: the ticket it repeats (official number); its status is then the submitter's. */
        duplicateNumber: z.string().trim().min(1).max(40).optional(),
      })
      .strict()
      .refine((i) => i.kind !== '重复' || !!i.duplicateNumber, { message: '重复须注明原工单编号', path: ['duplicateNumber'] }),
    output: z.object({ id: z.string(), kind: z.enum(OPEN311_REJECT_KINDS), duplicateNumber: z.string().nullable() }),
    doc: '网络渠道待受理：不予受理（垃圾信息、不属本中心受理范围、重复——关联原工单），提交方查询时显示为已关闭及原因',
    roles: DESK_ROLES,
  },
} as const;
