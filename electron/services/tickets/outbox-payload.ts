/**
 * What an outbox row carries, as a versioned schema: written by the ticket service, parsed by the
 * sync client when it reads the row. A row that does not parse (written by a build whose shape
 * differs, or damaged) is set aside with the reason — never cast and sent.
 *
 * Version 1 is the `ticket.create` payload since migration 3: the ticket as stored, its submit
 * events (shared/lifecycle/events.ts) and the names the call-taker saw. Rows written before the
 * version field existed carry none and are read as version 1. A later shape gets version 2 and a
 * function that upgrades version 1 rows to it, here.
 */
import { z } from 'zod';
import { DeadlineSchema } from '../../../shared/api/contract';
import { REQUEST_TYPES, URGENCIES } from '../../../shared/domain/catalogue';
import { CHANNELS, DISPOSITIONS } from '../../../shared/domain/ticket';
import { TICKET_EVENT_KINDS, TICKET_STATUSES } from '../../../shared/lifecycle/ticket-lifecycle';
import { describeIssues } from '../../../shared/api/dispatch';
import { callbackRecordShape } from '../../../shared/lifecycle/callback';
import { fail, ok, type Result } from '../../../shared/result';
import type { StoredEvent, StoredTicket } from './tickets-repo';

export const OUTBOX_PAYLOAD_VERSION = 1;

const code = z.string().min(1).nullable();

export const StoredTicketSchema = z
  .object({
    id: z.string().min(1),
    provisionalNumber: z.string().min(1),
    officialNumber: z.string().nullable(),
    operatorId: z.string(),
    operatorName: z.string(),
    shiftCode: z.string(),
    shiftDate: z.string(),
    callStartedAt: z.string(),
    submittedAt: z.string(),
    channel: z.enum(CHANNELS),
    callerName: z.string(),
    callerPhone: z.string(),
    callbackPhone: z.string(),
    requestType: z.enum(REQUEST_TYPES),
    districtCode: code,
    streetCode: code,
    villageCode: code,
    addressText: z.string(),
    content: z.string(),
    leafCode: code,
    urgency: z.enum(URGENCIES),
    disposition: z.enum(DISPOSITIONS),
    unitCode: code,
    kbArticleId: code,
    linkedTicketId: code,
    unreasonableReason: z.string(),
    status: z.enum(TICKET_STATUSES),
    deadlines: z.array(DeadlineSchema),
    updatedAt: z.string(),
  })
  .strict() satisfies z.ZodType<StoredTicket>;

export const StoredEventSchema = z
  .object({ kind: z.enum(TICKET_EVENT_KINDS), at: z.string(), actor: z.string(), note: z.string() })
  .strict() satisfies z.ZodType<StoredEvent>;

export const TicketCreatePayloadSchema = z
  .object({
    version: z.literal(OUTBOX_PAYLOAD_VERSION),
    ticket: StoredTicketSchema,
    events: z.array(StoredEventSchema).min(1),
    names: z
      .object({ unit: z.string().nullable(), district: z.string().nullable(), street: z.string().nullable(), leafPath: z.array(z.string()) })
      .strict(),
    /** The Open311 submission (网络渠道待受理) the ticket was taken from; absent on rows written before it existed, and on calls. */
    open311RequestId: z.uuid().optional(),
  })
  .strict();
export type TicketCreatePayload = z.infer<typeof TicketCreatePayloadSchema>;

/**
 * A `ticket.urge` row (version 1): a 催办 the call-taker recorded while the hub was unreachable, sent
 * later as `ticket.urge` with its own id, so a resend is stored once at the hub (server/lookup.ts).
 */
export const URGE_PAYLOAD_VERSION = 1;
export const UrgePayloadSchema = z
  .object({
    version: z.literal(URGE_PAYLOAD_VERSION),
    urge: z.object({ id: z.uuid(), ticketId: z.string().min(1), at: z.string(), actor: z.string().min(1), note: z.string() }).strict(),
  })
  .strict();
export type UrgePayload = z.infer<typeof UrgePayloadSchema>;

/** The payload of a `ticket.urge` row, or why it cannot be sent (kind `rejected`). */
export function readUrgePayload(payload: unknown): Result<UrgePayload> {
  const parsed = UrgePayloadSchema.safeParse(payload);
  if (parsed.success) return ok(parsed.data);
  const version = (payload as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > URGE_PAYLOAD_VERSION) {
    return fail('rejected', `待上传催办由更新版本的坐席程序写入（第 ${version} 版），本程序无法读取，已留存待处理`);
  }
  return fail('rejected', `待上传催办内容无法读取，已留存待处理：${describeIssues(parsed.error)}`);
}

/**
 * A `ticket.callback` row (version 1): a 回访 the call-taker recorded while the hub was unreachable,
 * sent later as `ticket.callback` with its own callbackId, so a resend is recorded once at the hub
 * (server/callbacks.ts). Without the version seen: the hub takes it as it stands then.
 */
export const CALLBACK_PAYLOAD_VERSION = 1;
export const CallbackPayloadSchema = z
  .object({
    version: z.literal(CALLBACK_PAYLOAD_VERSION),
    callback: z
      .object({
        ticketId: z.string().min(1),
        at: z.string(),
        actor: z.string().min(1),
        ...callbackRecordShape,
      })
      .strict(),
  })
  .strict();
export type CallbackPayload = z.infer<typeof CallbackPayloadSchema>;

/** The payload of a `ticket.callback` row, or why it cannot be sent (kind `rejected`). */
export function readCallbackPayload(payload: unknown): Result<CallbackPayload> {
  const parsed = CallbackPayloadSchema.safeParse(payload);
  if (parsed.success) return ok(parsed.data);
  const version = (payload as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CALLBACK_PAYLOAD_VERSION) {
    return fail('rejected', `待上传回访由更新版本的坐席程序写入（第 ${version} 版），本程序无法读取，已留存待处理`);
  }
  return fail('rejected', `待上传回访内容无法读取，已留存待处理：${describeIssues(parsed.error)}`);
}

/** The payload of a `ticket.create` row, or why it cannot be sent (kind `rejected`). */
export function readTicketCreatePayload(payload: unknown): Result<TicketCreatePayload> {
  // Rows written before payloads were versioned are version 1.
  const versioned = payload && typeof payload === 'object' && !('version' in payload) ? { ...payload, version: 1 } : payload;
  const parsed = TicketCreatePayloadSchema.safeParse(versioned);
  if (parsed.success) return ok(parsed.data);
  const version = (versioned as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > OUTBOX_PAYLOAD_VERSION) {
    return fail('rejected', `待上传记录由更新版本的坐席程序写入（第 ${version} 版），本程序无法读取，已留存待处理`);
  }
  return fail('rejected', `待上传记录内容无法读取，已留存待处理：${describeIssues(parsed.error)}`);
}
