/**
 * 回访 rules (shared/lifecycle/callback.ts): the shipped policy file parses to the documented
 * defaults; what a callback record needs for its outcome; what it does to the ticket — attempts up to
 * the limit, then 无法联系; satisfied ends; 未解决 or 不满意 reopens, past the limit to the center.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callbackRecordProblem, DEFAULT_CALLBACK_POLICY, decideCallback, parseCallbackPolicy } from '../../shared/lifecycle/callback';

const ROOT = join(import.meta.dirname, '..', '..');
const policy = DEFAULT_CALLBACK_POLICY;
const id = '00000000-0000-4000-8000-000000000000';

describe('回访 policy and decisions', () => {
  it('ships resources/policy/callback.json with the documented defaults, and refuses a broken one by name', () => {
    const read = parseCallbackPolicy(readFileSync(join(ROOT, 'resources', 'policy', 'callback.json'), 'utf8'));
    expect(read.ok && { maxAttempts: read.value.maxAttempts, retryAfterMinutes: read.value.retryAfterMinutes, maxReopens: read.value.maxReopens }).toEqual({
      maxAttempts: 3,
      retryAfterMinutes: 180,
      maxReopens: 3,
    });
    const bad = parseCallbackPolicy('{"version":1,"maxAttempts":0,"retryAfterMinutes":60,"maxReopens":3}');
    expect(bad.ok ? null : bad.error.message).toContain('maxAttempts');
  });

  it('asks each outcome for what it needs', () => {
    expect(callbackRecordProblem({ outcome: '联系上', satisfaction: '满意' })?.path).toBe('resolved');
    expect(callbackRecordProblem({ outcome: '联系上', resolved: true })?.path).toBe('satisfaction');
    expect(callbackRecordProblem({ outcome: '联系上', resolved: true, satisfaction: '不满意' })).toBeNull();
    expect(callbackRecordProblem({ outcome: '联系上', resolved: true, satisfaction: '不满意' }, { requireWords: true })?.path).toBe('words');
    expect(callbackRecordProblem({ outcome: '未联系上', satisfaction: '满意' })?.path).toBe('outcome');
    expect(callbackRecordProblem({ outcome: '无法联系', reason: ' ' })?.path).toBe('reason');
    expect(callbackRecordProblem({ outcome: '未联系上' })).toBeNull();
  });

  it('counts attempts up to the limit, then ends as 无法联系; reopens up to the limit, then sends it to the center', () => {
    const missed = { callbackId: id, outcome: '未联系上' as const, reason: '关机' };
    expect(decideCallback(missed, { attempts: 0, reopenCount: 0 }, policy)).toEqual({ kind: 'attempt', attempt: 1 });
    expect(decideCallback(missed, { attempts: 2, reopenCount: 0 }, policy)).toEqual({ kind: 'unreachable', attempt: 3, reason: '3 次回访均未联系上（关机）' });
    const unhappy = { callbackId: id, outcome: '联系上' as const, resolved: true, satisfaction: '不满意' as const };
    const unresolved = { callbackId: id, outcome: '联系上' as const, resolved: false, satisfaction: '基本满意' as const };
    expect(decideCallback(unhappy, { attempts: 0, reopenCount: 0 }, policy)).toEqual({ kind: 'reopen', reopenCount: 1 });
    expect(decideCallback(unresolved, { attempts: 0, reopenCount: 2 }, policy)).toEqual({ kind: 'reopen', reopenCount: 3 });
    expect(decideCallback(unhappy, { attempts: 0, reopenCount: 3 }, policy)).toEqual({ kind: 'to_center', reopenCount: 4 });
    expect(decideCallback({ ...unhappy, satisfaction: '基本满意' }, { attempts: 0, reopenCount: 3 }, policy)).toEqual({ kind: 'ended' });
  });
});
