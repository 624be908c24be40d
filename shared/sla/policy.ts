/**
 * The center's deadline policy (办理时限) as data: resources/policy/sla.json, which a center edits
 * to match its own rules. This module only checks the file's shape and meaning; deadlines.ts turns
 * a checked policy into due times.
 *
 * How time is counted (also written into the JSON's `comment`, where the people editing it read):
 * - `calendar` + `minutes`/`hours`: elapsed time from acceptance (2 h = 120 minutes after 受理).
 * - `calendar` + `days`: natural days in Beijing. The day of acceptance is not counted and day N
 *   ends at 24:00 Beijing time — the rule the Civil Code uses for periods in days (民法典 第二百零一条、
 *   第二百零三条). N × 24 h was rejected: units plan by date, the 1-3-5-7 checkpoints are "第N天",
 *   and a ticket accepted at 23:50 must not lose its first day. Natural days are not extended over
 *   weekends or holidays: 接诉即办 runs every day of the year.
 * - `working` + `days`: the same, counting only working days (statutory holidays off, 调休 weekends
 *   on). Working clocks in hours would need office hours, which no rule needs yet, so they are refused.
 */
import { z } from 'zod';
import { URGENCIES } from '../domain/catalogue';
import { CHECKPOINT_LABEL, CHECKPOINT_PREFIX, CHECKPOINTS, checkpointOf } from '../lifecycle/ticket-lifecycle';
import { fail, ok, type Result } from '../result';

/**
 * What a rule can be keyed on besides urgency. The first three are the ticket dispositions that send
 * work to a unit (shared/domain/ticket.ts); "咨询需部门答复" is a consultation the knowledge base
 * could not answer, forwarded to a department. Tickets finished at the desk (咨询办结, 重复诉求,
 * 不合理诉求) have no deadlines.
 */
export const SLA_DISPOSITIONS = ['直派', '派分中心', '派市中心', '咨询需部门答复'] as const;
export type SlaDisposition = (typeof SLA_DISPOSITIONS)[number];

export function isSlaDisposition(value: unknown): value is SlaDisposition {
  return typeof value === 'string' && (SLA_DISPOSITIONS as readonly string[]).includes(value);
}

export const SLA_CLOCKS = ['calendar', 'working'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

export const SLA_UNITS = ['minutes', 'hours', 'days'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

const UNIT_MINUTES: Record<SlaUnit, number> = { minutes: 1, hours: 60, days: 1440 };
/** A sanity bound: a span longer than a year is a typo (e.g. minutes written for days). */
const MAX_SPAN_DAYS = 366;

/**
 * An object schema's own message must cover only "this is not an object": unknown keys are reported
 * by the same schema and need zod's own (zh-CN) message naming the key.
 */
function typeError(message: string) {
  return (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined);
}

/** Free text for the people editing the file: one string or several lines. */
const Comment = z.union([z.string(), z.array(z.string())], { error: '说明（comment）应为文字或文字列表' });

const AppliesTo = z
  .strictObject(
    {
      urgencies: z
        .array(z.enum(URGENCIES, { error: `紧急程度只能是 ${URGENCIES.join('、')}` }), { error: '紧急程度（urgencies）应为列表' })
        .min(1, '紧急程度（urgencies）写了就不能为空；不限紧急程度请删去这一项')
        .optional(),
      dispositions: z
        .array(z.enum(SLA_DISPOSITIONS, { error: `处理方式只能是 ${SLA_DISPOSITIONS.join('、')}` }), { error: '处理方式（dispositions）应为列表' })
        .min(1, '处理方式（dispositions）写了就不能为空；不限处理方式请删去这一项')
        .optional(),
    },
    { error: typeError('适用范围（appliesTo）应为对象，只能含 urgencies、dispositions') },
  )
  // A rule with no scope would silently apply to every ticket; make that a deliberate choice instead.
  .refine((a) => a.urgencies !== undefined || a.dispositions !== undefined, '适用范围至少要写紧急程度（urgencies）或处理方式（dispositions）之一');

export const SlaRule = z
  .strictObject(
    {
      id: z
        .string({ error: '规则编号（id）应为文字' })
        .regex(/^[a-z][a-z0-9_]*$/, '规则编号（id）只能用小写英文字母、数字和下划线，并以字母开头'),
      label: z.string({ error: '规则名称（label）应为文字' }).trim().min(1, '规则名称（label）不能为空'),
      appliesTo: AppliesTo,
      clock: z.enum(SLA_CLOCKS, { error: '计时方式（clock）只能是 calendar（自然时间）或 working（工作日）' }),
      unit: z.enum(SLA_UNITS, { error: '单位（unit）只能是 minutes、hours 或 days' }),
      amount: z
        .number({ error: '时限数值（amount）应为数字' })
        .int('时限数值（amount）应为整数')
        .positive('时限数值（amount）应大于 0'),
      comment: Comment.optional(),
    },
    { error: typeError('每条规则应为对象') },
  )
  .superRefine((rule, ctx) => {
    // A rule is met by the move that meets its checkpoint (shared/lifecycle/ticket-lifecycle.ts), named by the id's prefix.
    if (!checkpointOf(rule.id)) {
      const prefixes = CHECKPOINTS.map((c) => `${CHECKPOINT_PREFIX[c]}（${CHECKPOINT_LABEL[c]}）`).join('、');
      ctx.addIssue({ code: 'custom', path: ['id'], message: `规则编号（id）须以节点前缀开头，说明由哪一步完成：${prefixes}` });
    }
    if (rule.clock === 'working' && rule.unit !== 'days') {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: '按工作日计时（clock=working）时单位只能是天（days）' });
    }
    if (rule.amount * UNIT_MINUTES[rule.unit] > MAX_SPAN_DAYS * 1440) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `时限不能超过 ${MAX_SPAN_DAYS} 天` });
    }
  });
export type SlaRule = z.infer<typeof SlaRule>;

export const SlaPolicy = z
  .strictObject(
    {
      version: z.literal(1, { error: '版本（version）应为 1' }),
      name: z.string({ error: '策略名称（name）应为文字' }).trim().min(1, '策略名称（name）不能为空'),
      comment: Comment.optional(),
      rules: z.array(SlaRule, { error: '规则列表（rules）应为列表' }).min(1, '规则列表（rules）不能为空'),
    },
    { error: typeError('时限策略应为 JSON 对象') },
  )
  .superRefine((policy, ctx) => {
    const seen = new Map<string, number>();
    policy.rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      // Progress on a ticket is recorded by rule id, so two rules with one id would be ticked off together.
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `规则编号“${rule.id}”与第 ${first + 1} 条重复` });
      } else seen.set(rule.id, index);
    });
  });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

/** The Chinese name of each field, so an admin can find what to fix in the file. */
const FIELD_NAMES: Record<string, string> = {
  version: '版本',
  name: '策略名称',
  comment: '说明',
  rules: '规则列表',
  id: '编号',
  label: '名称',
  appliesTo: '适用范围',
  urgencies: '紧急程度',
  dispositions: '处理方式',
  clock: '计时方式',
  unit: '单位',
  amount: '时限数值',
};

/** Where an issue is, in words; a field its message already names (“时限数值（amount）…”) is not repeated. */
function describeIssue(issue: { path: readonly PropertyKey[]; message: string }, input: unknown): string {
  const { path, message } = issue;
  const parts: string[] = [];
  let i = 0;
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const index = path[1];
    const rules = (input as { rules?: unknown } | null)?.rules;
    const rule = Array.isArray(rules) ? (rules[index] as { id?: unknown } | undefined) : undefined;
    const id = rule && typeof rule.id === 'string' && rule.id ? `“${rule.id}”` : '';
    parts.push(`第 ${index + 1} 条规则${id}`);
    i = 2;
  }
  for (; i < path.length; i++) {
    const key = path[i];
    const isLast = i === path.length - 1;
    if (typeof key === 'number') parts.push(`第 ${key + 1} 项`);
    else if (typeof key === 'string') {
      if (isLast && message.includes(`（${key}）`)) break;
      parts.push(FIELD_NAMES[key] ? `${FIELD_NAMES[key]}（${key}）` : key);
    }
  }
  return parts.length ? `${parts.join(' · ')}：${message}` : message;
}

/**
 * Checks a parsed sla.json. A bad file is refused whole, with every problem listed in Chinese and
 * where it is, so the center keeps its current policy until the file is fixed.
 */
export function parseSlaPolicy(json: unknown): Result<SlaPolicy> {
  // The per-parse zh-CN map covers the generic messages (unknown keys, wrong types) without touching
  // zod's global configuration, which other modules own.
  const parsed = SlaPolicy.safeParse(json, { error: z.locales.zhCN().localeError });
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, json));
  return fail('rejected', `时限策略文件有误，未采用：${problems.join('；')}`, parsed.error.issues);
}

/** Whether a rule applies to a ticket of this urgency and disposition (both listed scopes must match). */
export function ruleApplies(rule: SlaRule, ticket: { urgency: string; disposition: string }): boolean {
  const { urgencies, dispositions } = rule.appliesTo;
  if (urgencies && !(urgencies as readonly string[]).includes(ticket.urgency)) return false;
  if (dispositions && !(dispositions as readonly string[]).includes(ticket.disposition)) return false;
  return true;
}
