/**
 * The desk's 回访 mode (shared/lifecycle/callback.ts): the queue of tickets waiting for a callback,
 * recording one callback call, and the outgoing-call hook a telephony adapter would implement.
 * Spread into `deskCalls` (shared/api/contract.ts); the desk's side is
 * electron/services/handlers/callbacks.ts.
 */
import { z } from 'zod';
import { CALLBACK_OUTCOMES, callbackRecordProblem, MAX_CITIZEN_WORDS } from '../lifecycle/callback';
import { SATISFACTIONS, TICKET_STATUSES } from '../lifecycle/ticket-lifecycle';
import { URGENCIES } from '../domain/catalogue';

/** Where the queue came from: the hub (center-wide) or, while it cannot be reached, this desk's own tickets. */
export const CALLBACK_SCOPES = ['center', 'local'] as const;

export const CALLBACK_DECISIONS = ['attempt', 'unreachable', 'ended', 'reopen', 'to_center'] as const;

export const MAX_CALLBACK_QUEUE = 500;

export const CallbackQueueItemSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(TICKET_STATUSES),
  version: z.number().int(),
  urgency: z.enum(URGENCIES),
  submittedAt: z.string(),
  content: z.string(),
  callerName: z.string(),
  callerPhone: z.string(),
  callbackPhone: z.string(),
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  /** The unit's 办理结果: its latest 办结 or 回复 note. */
  result: z.string(),
  resultAt: z.string().nullable(),
  /** The open 回访 checkpoint's due (the queue's order). */
  reviewDueAt: z.string().nullable(),
  /** Failed attempts in this round, the last one's time, and when to try again (another time of day). */
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  retryAfter: z.string().nullable(),
  reopenCount: z.number().int(),
  /** The caller's earlier tickets (same number), newest first. */
  earlier: z.array(z.object({ number: z.string(), submittedAt: z.string(), status: z.enum(TICKET_STATUSES), content: z.string() })),
});
export type CallbackQueueItem = z.infer<typeof CallbackQueueItemSchema>;

export const callbackCalls = {
  'callbacks.queue': {
    input: z.object({}).strict(),
    output: z.object({ scope: z.enum(CALLBACK_SCOPES), items: z.array(CallbackQueueItemSchema) }),
    doc: '待回访队列：联网时为全中心（按回访时限），中心不可达时为本机受理的工单',
  },
  'callbacks.record': {
    input: z
      .object({
        ticketId: z.uuid(),
        /** The version the queue showed (online only: another desk's callback meanwhile is `conflict`). */
        version: z.number().int().min(0).optional(),
        outcome: z.enum(CALLBACK_OUTCOMES),
        resolved: z.boolean().optional(),
        satisfaction: z.enum(SATISFACTIONS).optional(),
        words: z.string().max(MAX_CITIZEN_WORDS).optional(),
        reason: z.string().max(200).optional(),
      })
      .strict()
      .superRefine((i, ctx) => {
        const problem = callbackRecordProblem(i, { requireWords: true });
        if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
      }),
    output: z.object({
      number: z.string(),
      /** True when the hub could not be reached: it waits in the outbox and is sent once. */
      queued: z.boolean(),
      decision: z.enum(CALLBACK_DECISIONS).nullable(),
      status: z.enum(TICKET_STATUSES).nullable(),
      reopenCount: z.number().int().nullable(),
    }),
    doc: '记录一次回访：联系上（是否解决、满意度、市民原话）、未联系上、无法联系；不满意或未解决即重办；中心不可达时排入待同步，恢复后只发送一次',
  },
  'calls.outgoing': {
    input: z.object({ ticketId: z.uuid(), phone: z.string().min(1).max(30) }).strict(),
    output: z.object({ dialed: z.boolean(), at: z.string(), reason: z.string().nullable() }),
    doc: '外呼：交给电话系统拨号（未接入电话系统时只记录拨打时间，由坐席手动拨打）',
  },
} as const;
