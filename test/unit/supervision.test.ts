/** 督办 policy and 超期自动提醒 (shared/lifecycle/supervision.ts), and 申请延期's dates (deadlines.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TicketDeadline } from '../../shared/api/contract';
import { extendDeadlines, extensionProblem } from '../../shared/lifecycle/deadlines';
import { autoRemindDue, DEFAULT_SUPERVISION_POLICY, parseSupervisionPolicy } from '../../shared/lifecycle/supervision';

const d = (ruleId: string, dueAt: string, doneAt: string | null = null): TicketDeadline => ({ ruleId, label: ruleId, dueAt, startsAt: '2026-12-01T01:00:00.000Z', doneAt });
const NOW = new Date('2026-12-09T02:00:00.000Z');

describe('督办 policy', () => {
  it('ships the documented five levels and refuses a broken file by name', () => {
    const shipped = parseSupervisionPolicy(readFileSync(join(import.meta.dirname, '../../resources/policy/supervision.json'), 'utf8'));
    expect(shipped.ok && shipped.value.levels.map((l) => l.label)).toEqual(['提醒', '催办', '督办', '挂牌督办', '通报']);
    expect(shipped.ok && shipped.value.levels.map((l) => l.id)).toEqual(DEFAULT_SUPERVISION_POLICY.levels.map((l) => l.id));
    const bad = parseSupervisionPolicy(JSON.stringify({ ...DEFAULT_SUPERVISION_POLICY, autoRemind: { ...DEFAULT_SUPERVISION_POLICY.autoRemind, level: 'shout' } }));
    expect(!bad.ok && bad.error.message).toContain('自动提醒等级“shout”不在督办等级中');
    expect(parseSupervisionPolicy('{').ok).toBe(false);
  });

  it('reminds the earliest overdue checkpoint of the unit once, never the center’s 回访, never over a banner', () => {
    const deadlines = [d('review_day5', '2026-12-06T16:00:00.000Z'), d('close_day7', '2026-12-08T16:00:00.000Z'), d('contact_day1', '2026-12-02T16:00:00.000Z', '2026-12-01T03:00:00.000Z')];
    expect(autoRemindDue(deadlines, null, [], DEFAULT_SUPERVISION_POLICY, NOW)?.ruleId).toBe('close_day7');
    expect(autoRemindDue(deadlines, null, ['close_day7'], DEFAULT_SUPERVISION_POLICY, NOW)).toBeNull();
    const banner = { level: 'urge', label: '催办', note: '请尽快办理', at: NOW.toISOString(), actor: '市中心', auto: false };
    expect(autoRemindDue(deadlines, banner, [], DEFAULT_SUPERVISION_POLICY, NOW)).toBeNull();
    const later = { ...DEFAULT_SUPERVISION_POLICY, autoRemind: { ...DEFAULT_SUPERVISION_POLICY.autoRemind, afterOverdueMinutes: 24 * 60 } };
    expect(autoRemindDue(deadlines, null, [], later, NOW)).toBeNull();
  });
});

describe('申请延期 dates', () => {
  const deadlines = [d('qualify_day3', '2026-12-04T16:00:00.000Z'), d('close_day7', '2026-12-08T16:00:00.000Z')];
  it('moves only the open 办结 checkpoint to the new date’s 24:00 (Beijing)', () => {
    expect(extensionProblem(deadlines, '2026-12-12', new Date('2026-12-05T02:00:00.000Z'))).toBeNull();
    const moved = extendDeadlines(deadlines, '2026-12-12');
    expect(moved.map((x) => x.dueAt)).toEqual(['2026-12-04T16:00:00.000Z', '2026-12-12T16:00:00.000Z']);
  });
  it('refuses a date not later than the current due, past, or more than 30 days on, and a ticket with none open', () => {
    const now = new Date('2026-12-05T02:00:00.000Z');
    expect(extensionProblem(deadlines, '2026-12-08', now)).toContain('须晚于现办结时限（2026-12-08 24:00）');
    expect(extensionProblem(deadlines, '2027-01-09', now)).toContain('不能超过 30 天');
    expect(extensionProblem([d('close_day7', '2026-12-08T16:00:00.000Z', '2026-12-07T01:00:00.000Z')], '2026-12-12', now)).toContain('没有未到的办结时限');
  });
});
