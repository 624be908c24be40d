/**
 * 回访 and 重办: what one callback call records and what it does to the ticket, by the center's
 * policy (resources/policy/callback.json; the documented defaults below when it is absent).
 *
 * A callback is one call to the citizen, named by the desk with its own id (callbackId) so that a
 * callback recorded offline and sent again is applied once (server/callbacks.ts):
 * - 未联系上: an attempt; the ticket is unchanged and stays in the 回访 queue, retried at another time
 *   of day (retryAfterMinutes). The maxAttempts-th attempt ends the callback as 无法联系.
 * - 无法联系 (with a reason: 空号, 拒接, …): the callback ends; the ticket is 已回访, no satisfaction.
 * - 联系上: 已解决/未解决 and 满意/基本满意/不满意, with the citizen's words. 已解决 and 满意 or
 *   基本满意 ends the ticket (已回访). 未解决 or 不满意 is 重办: the ticket goes back to the same 主办
 *   unit (已派单) with the citizen's words and a new deadline ladder from now (reopenDeadlines in
 *   shared/lifecycle/deadlines.ts); after maxReopens reopenings it goes to the center instead
 *   (已退单, no unit: the center's 待派 queue, where the center reviews it, 督办s or 重新派单s it).
 * A ticket therefore ends only when a callback is satisfied, the callback ends as 无法联系, the
 * center closes it on review, or it is an approved 不合理诉求 (server/requests.ts; no callback).
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { SATISFACTIONS, type Satisfaction } from './ticket-lifecycle';

export const CALLBACK_POLICY_FILE = ['policy', 'callback.json'] as const;

export const CallbackPolicySchema = z
  .object({
    version: z.literal(1),
    name: z.string().optional(),
    comment: z.array(z.string()).optional(),
    maxAttempts: z.number().int().min(1).max(10),
    retryAfterMinutes: z.number().int().min(0).max(7 * 24 * 60),
    maxReopens: z.number().int().min(0).max(10),
  })
  .strict();
export type CallbackPolicy = z.infer<typeof CallbackPolicySchema>;

/** The defaults (resources/policy/callback.json ships them): three tries, three hours apart; 三次之内满意. */
export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { version: 1, maxAttempts: 3, retryAfterMinutes: 180, maxReopens: 3 };

export function parseCallbackPolicy(text: string): Result<CallbackPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('bad_request', '回访策略不是有效的 JSON');
  }
  const parsed = CallbackPolicySchema.safeParse(json);
  if (!parsed.success) return fail('bad_request', `回访策略有误：${parsed.error.issues.map((i) => `${i.path.join('.') || '（根）'} ${i.message}`).join('；')}`);
  return ok(parsed.data);
}

export const CALLBACK_OUTCOMES = ['联系上', '未联系上', '无法联系'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export const MAX_CITIZEN_WORDS = 1000;

/** One callback call as the desk records it. */
export interface CallbackRecord {
  callbackId: string;
  outcome: CallbackOutcome;
  /** 联系上 only. */
  resolved?: boolean | undefined;
  satisfaction?: Satisfaction | undefined;
  /** What the citizen said (联系上), required when it reopens the ticket. */
  words?: string | undefined;
  /** 未联系上: what happened (无人接听, 关机…); 无法联系: why the callback ends. */
  reason?: string | undefined;
}

/** The fields of a callback record as zod checks them (the desk and hub contracts share them). */
export const callbackRecordShape = {
  callbackId: z.uuid(),
  outcome: z.enum(CALLBACK_OUTCOMES),
  resolved: z.boolean().optional(),
  satisfaction: z.enum(SATISFACTIONS).optional(),
  words: z.string().max(MAX_CITIZEN_WORDS).optional(),
  reason: z.string().max(200).optional(),
};

/** Whether a record reopens the ticket when recorded (联系上 with 未解决 or 不满意). */
export function wantsReopen(record: Pick<CallbackRecord, 'outcome' | 'resolved' | 'satisfaction'>): boolean {
  return record.outcome === '联系上' && (record.resolved === false || record.satisfaction === '不满意');
}

/**
 * Null when the record says all its outcome needs, else what is missing, in the form's words. The
 * desk's form also asks for the citizen's words when it reopens the ticket (`requireWords`); the hub
 * takes a callback without them (older callers of ticket.callback sent none).
 */
export function callbackRecordProblem(record: Omit<CallbackRecord, 'callbackId'>, options: { requireWords?: boolean } = {}): { path: string; message: string } | null {
  if (record.outcome === '联系上') {
    if (record.resolved === undefined) return { path: 'resolved', message: '联系上时须记录是否解决' };
    if (!record.satisfaction) return { path: 'satisfaction', message: '联系上时须记录满意度' };
    if (options.requireWords && wantsReopen(record) && (record.words?.trim().length ?? 0) < 4) {
      return { path: 'words', message: '未解决或不满意将重办，须记下市民的原话（至少 4 字）' };
    }
    return null;
  }
  if (record.resolved !== undefined || record.satisfaction) return { path: 'outcome', message: `${record.outcome}时不记录是否解决与满意度` };
  if (record.outcome === '无法联系' && (record.reason?.trim().length ?? 0) < 2) return { path: 'reason', message: '无法联系须写明原因' };
  return null;
}

export type CallbackDecision =
  | { kind: 'attempt'; attempt: number }
  | { kind: 'unreachable'; attempt: number; reason: string }
  | { kind: 'ended' }
  | { kind: 'reopen'; reopenCount: number }
  | { kind: 'to_center'; reopenCount: number };

/**
 * What a (valid) record does, given the failed attempts already made in this round of callbacks and
 * the times the ticket was reopened before.
 */
export function decideCallback(record: CallbackRecord, state: { attempts: number; reopenCount: number }, policy: CallbackPolicy): CallbackDecision {
  if (record.outcome === '无法联系') return { kind: 'unreachable', attempt: state.attempts + 1, reason: record.reason!.trim() };
  if (record.outcome === '未联系上') {
    const attempt = state.attempts + 1;
    if (attempt >= policy.maxAttempts) {
      const why = record.reason?.trim();
      return { kind: 'unreachable', attempt, reason: `${policy.maxAttempts} 次回访均未联系上${why ? `（${why}）` : ''}` };
    }
    return { kind: 'attempt', attempt };
  }
  if (!wantsReopen(record)) return { kind: 'ended' };
  const reopenCount = state.reopenCount + 1;
  return reopenCount > policy.maxReopens ? { kind: 'to_center', reopenCount } : { kind: 'reopen', reopenCount };
}

/** The trail note of a callback. */
export function callbackNote(record: CallbackRecord, decision: CallbackDecision): string {
  const words = record.words?.trim() ? `；市民原话：${record.words.trim()}` : '';
  switch (decision.kind) {
    case 'attempt':
      return `回访未联系上（第 ${decision.attempt} 次）${record.reason?.trim() ? `：${record.reason.trim()}` : ''}，换时段再拨`;
    case 'unreachable':
      return `回访无法联系（第 ${decision.attempt} 次）：${decision.reason}`;
    default:
      return `回访：${record.resolved ? '已解决' : '未解决'}，${record.satisfaction}${words}`;
  }
}

/** The note of the 重办 event that follows a callback reopening the ticket. */
export function reopenNote(record: CallbackRecord, decision: CallbackDecision, unitName: string | null, policy: CallbackPolicy): string {
  const words = record.words?.trim() || '（未记录）';
  if (decision.kind === 'to_center') {
    return `第 ${decision.reopenCount} 次${record.satisfaction === '不满意' ? '不满意' : '未解决'}，已超过重办上限（${policy.maxReopens} 次），转市中心审核督办；市民原话：${words}`;
  }
  return `重办（第 ${decision.kind === 'reopen' ? decision.reopenCount : 0} 次），退回${unitName ?? '原承办单位'}重新办理；市民原话：${words}`;
}
