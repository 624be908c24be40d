/**
 * The 网络渠道待受理 queue on the desk (electron/services/handlers/web-intake.ts): submissions that came
 * in through Open311 (server/open311.ts) from the 网站, 微信, 微博, APP … partners, which a call-taker
 * checks, completes in the intake form and submits as a ticket (`tickets.submit` with its
 * `open311RequestId`), or rejects with a reason. Through the hub, so online only — offline every
 * call answers `unavailable` (需联网（中心不可达）).
 */
import { z } from 'zod';
import { OPEN311_REJECT_KINDS, Open311PendingSchema } from './open311-contract';
export { OPEN311_REJECT_KINDS, Open311PendingSchema, type Open311Pending } from './open311-contract';

export const webIntakeCalls = {
  'webIntake.queue': {
    input: z.object({}).strict(),
    output: z.object({ rows: z.array(Open311PendingSchema), total: z.number().int() }),
    doc: '网络渠道待受理：各渠道提交、等待话务员受理的诉求（需联网）',
  },
  'webIntake.take': {
    input: z.object({ id: z.uuid() }).strict(),
    output: Open311PendingSchema,
    doc: '受理一件网络渠道诉求：领取后在受理表单中补全、分类、派单（同一件只能一人受理；需联网）',
  },
  'webIntake.release': {
    input: z.object({ id: z.uuid() }).strict(),
    output: z.object({ released: z.boolean() }),
    doc: '放回领取的网络渠道诉求（需联网）',
  },
  'webIntake.reject': {
    input: z
      .object({ id: z.uuid(), kind: z.enum(OPEN311_REJECT_KINDS), note: z.string().trim().max(500).optional(), duplicateNumber: z.string().trim().min(1).max(40).optional() })
      .strict(),
    output: z.object({ id: z.string(), kind: z.enum(OPEN311_REJECT_KINDS), duplicateNumber: z.string().nullable() }),
    doc: '网络渠道诉求不予受理（垃圾信息、不属本中心受理范围、重复——注明原工单编号；需联网）',
  },
} as const;
