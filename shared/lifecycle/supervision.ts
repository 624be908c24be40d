/**
 * 督办: the levels the city center supervises a ticket at (resources/policy/supervision.json, the
 * center's to change; 提醒 → 催办 → 督办 → 挂牌督办 → 通报 by default), and which open tickets the
 * hub reminds by itself when a checkpoint is overdue. A banner shows on the unit's queue row and
 * ticket until the unit acts on the ticket; the trail keeps every 督办.
 */
import { z } from 'zod';
import type { TicketDeadline } from '../api/contract';
import { fail, ok, type Result } from '../result';
import { checkpointOf } from './ticket-lifecycle';

export const SUPERVISION_POLICY_FILE = ['policy', 'supervision.json'] as const;

const LevelSchema = z.object({ id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), label: z.string().trim().min(1).max(10), comment: z.string().optional() }).strict();

export const SupervisionPolicySchema = z
  .object({
    version: z.literal(1),
    name: z.string().optional(),
    comment: z.array(z.string()).optional(),
    levels: z.array(LevelSchema).min(1).max(10),
    autoRemind: z
      .object({
        enabled: z.boolean(),
        level: z.string(),
        afterOverdueMinutes: z.number().int().min(0).max(7 * 24 * 60),
        everyMinutes: z.number().int().min(1).max(24 * 60),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = p.levels.map((l) => l.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: '督办等级 id 重复', path: ['levels'] });
    if (!ids.includes(p.autoRemind.level)) ctx.addIssue({ code: 'custom', message: `自动提醒等级“${p.autoRemind.level}”不在督办等级中`, path: ['autoRemind', 'level'] });
  });
export type SupervisionPolicy = z.infer<typeof SupervisionPolicySchema>;
export type SupervisionLevel = SupervisionPolicy['levels'][number];

/** The documented defaults, used when the file is absent (the hub logs that it is). */
export const DEFAULT_SUPERVISION_POLICY: SupervisionPolicy = {
  version: 1,
  levels: [
    { id: 'remind', label: '提醒' },
    { id: 'urge', label: '催办' },
    { id: 'supervise', label: '督办' },
    { id: 'listed', label: '挂牌督办' },
    { id: 'notify', label: '通报' },
  ],
  autoRemind: { enabled: true, level: 'remind', afterOverdueMinutes: 0, everyMinutes: 5 },
};

export function parseSupervisionPolicy(text: string): Result<SupervisionPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('rejected', '督办策略文件不是有效的 JSON');
  }
  const parsed = SupervisionPolicySchema.safeParse(json);
  if (!parsed.success) return fail('rejected', `督办策略文件有误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  return ok(parsed.data);
}

/** The banner a ticket shows until its unit acts. */
export interface SupervisionBanner {
  level: string;
  label: string;
  note: string;
  at: string;
  actor: string;
  auto: boolean;
  /** For an automatic reminder: the overdue checkpoint's rule id (reminded once per checkpoint). */
  ruleId?: string | undefined;
}

/**
 * The checkpoint an automatic reminder is due for on this ticket at `now`, or null: the earliest
 * open deadline of the unit's (not the center's 回访) overdue by at least `afterOverdueMinutes`, unless the ticket already carries a
 * banner, or was already reminded of that checkpoint.
 */
export function autoRemindDue(
  deadlines: readonly TicketDeadline[],
  banner: SupervisionBanner | null,
  remindedRuleIds: readonly string[],
  policy: SupervisionPolicy,
  now: Date,
): TicketDeadline | null {
  if (!policy.autoRemind.enabled || banner) return null;
  const limit = now.getTime() - policy.autoRemind.afterOverdueMinutes * 60_000;
  const overdue = deadlines
    // 回访 is the center's own checkpoint, not the unit's: never reminded to the unit.
    .filter((d) => !d.doneAt && checkpointOf(d.ruleId) !== 'review' && Date.parse(d.dueAt) <= limit && !remindedRuleIds.includes(d.ruleId))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  return overdue[0] ?? null;
}
