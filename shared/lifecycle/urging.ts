/**
 * 催办 → 督办: when repeated 催办 on one ticket become a 督办 suggestion for the city center
 * (resources/policy/urging.json, the center's to change). The hub counts a ticket's 催办
 * (server/lookup.ts) and the center's workspace shows the suggestion on the 全部在办 row and the
 * ticket page; whether to supervise stays the center's decision (ticket.supervise).
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result';

export const URGING_POLICY_FILE = ['policy', 'urging.json'] as const;

const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    count: z.number().int().min(1).max(100),
    withinHours: z.number().int().min(1).max(24 * 30),
    suggestLevel: z.string().min(1),
    note: z.string().trim().min(1).max(100),
  })
  .strict();

export const UrgingPolicySchema = z
  .object({ version: z.literal(1), name: z.string().optional(), comment: z.array(z.string()).optional(), rules: z.array(RuleSchema).max(10) })
  .strict();
export type UrgingPolicy = z.infer<typeof UrgingPolicySchema>;

export const DEFAULT_URGING_POLICY: UrgingPolicy = {
  version: 1,
  rules: [{ id: 'urge_twice_24h', count: 2, withinHours: 24, suggestLevel: 'supervise', note: '24 小时内催办 2 次，建议督办' }],
};

export function parseUrgingPolicy(text: string): Result<UrgingPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('rejected', '催办策略文件不是有效的 JSON');
  }
  const parsed = UrgingPolicySchema.safeParse(json);
  if (!parsed.success) return fail('rejected', `催办策略文件有误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  return ok(parsed.data);
}

export interface UrgingSuggestion {
  ruleId: string;
  level: string;
  note: string;
}

/** The first rule the ticket's 催办 times meet (any `count` of them within `withinHours`), or null. */
export function urgingSuggestion(policy: UrgingPolicy, urgedAt: readonly string[]): UrgingSuggestion | null {
  const times = urgedAt.map((t) => new Date(t).getTime()).sort((a, b) => a - b);
  for (const rule of policy.rules) {
    const span = rule.withinHours * 3_600_000;
    for (let i = 0; i + rule.count - 1 < times.length; i++) {
      if (times[i + rule.count - 1]! - times[i]! <= span) return { ruleId: rule.id, level: rule.suggestLevel, note: rule.note };
    }
  }
  return null;
}
