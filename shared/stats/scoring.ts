/**
 * 综合得分 and 排名 over the 考核 rates (server/rankings.ts computes the rates in SQL): the weights
 * come from resources/policy/scoring.json, whose `comment` gives the defaults and their reasoning.
 *
 * score = 100 × Σ(weight × credit) / Σ(weights of the rates that have a denominator), where a rate
 * that is better high (响应率, 解决率, 满意率, 初次满意率) is its own credit and one that is better low
 * (重办率, 退单率, 重复诉求率) credits 1 − rate. A rate with nothing under it (null) is left out with its
 * weight, so a unit without callbacks yet is scored on what it has. Groups with fewer than
 * `minTickets` tickets are listed but not ranked. Pure: the hub ranks, the workspace only shows.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result';

export const SCORED_RATES = ['responseRate', 'resolutionRate', 'satisfactionRate', 'firstSatisfactionRate', 'reopenRate', 'returnRate', 'repeatRate'] as const;
export type ScoredRate = (typeof SCORED_RATES)[number];

export const RATE_LABEL: Record<ScoredRate, string> = {
  responseRate: '响应率',
  resolutionRate: '解决率',
  satisfactionRate: '满意率',
  firstSatisfactionRate: '初次满意率',
  reopenRate: '重办率',
  returnRate: '退单率',
  repeatRate: '重复诉求率',
};

/** Rates where lower is better: they credit 1 − rate. */
export const LOWER_IS_BETTER: ReadonlySet<ScoredRate> = new Set(['reopenRate', 'returnRate', 'repeatRate']);

/** Where the policy lives, under the resources folder. */
export const SCORING_POLICY_FILE = ['policy', 'scoring.json'] as const;

const ScoringSchema = z.object({
  version: z.literal(1),
  name: z.string().min(1),
  comment: z.array(z.string()).optional(),
  weights: z.object(Object.fromEntries(SCORED_RATES.map((r) => [r, z.number().min(0).max(100)])) as Record<ScoredRate, z.ZodNumber>).strict(),
  minTickets: z.number().int().min(0).max(100_000),
});
export type ScoringPolicy = z.infer<typeof ScoringSchema>;

/** The same as resources/policy/scoring.json: 三率 10/45/45, the others shown but not scored. */
export const DEFAULT_SCORING: ScoringPolicy = {
  version: 1,
  name: '承办单位考核综合得分（默认）',
  weights: { responseRate: 0.1, resolutionRate: 0.45, satisfactionRate: 0.45, firstSatisfactionRate: 0, reopenRate: 0, returnRate: 0, repeatRate: 0 },
  minTickets: 5,
};

export function parseScoringPolicy(text: string): Result<ScoringPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('bad_request', '考核得分策略不是有效的 JSON');
  }
  const parsed = ScoringSchema.safeParse(json);
  if (!parsed.success) return fail('bad_request', `考核得分策略格式不对：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  if (SCORED_RATES.every((r) => parsed.data.weights[r] === 0)) return fail('bad_request', '考核得分策略至少要有一项权重大于 0');
  return ok(parsed.data);
}

export type RateValues = Record<ScoredRate, number | null>;

/** The 综合得分 (0–100) of one group's rates; null when no weighted rate has a denominator. */
export function compositeScore(rates: RateValues, policy: ScoringPolicy): number | null {
  let sum = 0;
  let weights = 0;
  for (const r of SCORED_RATES) {
    const w = policy.weights[r];
    const v = rates[r];
    if (w === 0 || v === null) continue;
    sum += w * (LOWER_IS_BETTER.has(r) ? 1 - v : v);
    weights += w;
  }
  return weights === 0 ? null : (100 * sum) / weights;
}

/**
 * Ranks (1 = best) by score, ties sharing a rank (1, 1, 3); groups under minTickets or without a
 * score get null. Returns ranks in the order of the input.
 */
export function rankScores(rows: ReadonlyArray<{ tickets: number; score: number | null }>, policy: ScoringPolicy): Array<number | null> {
  const ranked = rows
    .map((r, i) => ({ i, score: r.score, eligible: r.score !== null && r.tickets >= policy.minTickets }))
    .filter((r) => r.eligible)
    .sort((a, b) => b.score! - a.score!);
  const out: Array<number | null> = rows.map(() => null);
  ranked.forEach((r, n) => {
    const prev = ranked[n - 1];
    out[r.i] = prev && Math.abs(prev.score! - r.score!) < 1e-9 ? out[prev.i]! : n + 1;
  });
  return out;
}

/** The period of the same length just before [from, to] (ISO dates, inclusive). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const day = 86_400_000;
  const f = Date.parse(`${from}T00:00:00Z`);
  const t = Date.parse(`${to}T00:00:00Z`);
  const days = Math.round((t - f) / day) + 1;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(f - days * day), to: iso(f - day) };
}
