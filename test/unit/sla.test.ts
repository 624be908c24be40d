/**
 * Deadlines (SLA): the bundled policy file, the ladder per kind of ticket, working days over real
 * 2026 holidays and 调休 weekends (from chinese-days' data), Beijing-midnight edges, countdown text
 * and colour states at their boundaries.
 *
 * Instants are written in UTC with the Beijing time beside them: Beijing = UTC + 8.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  deadlineLadder,
  deadlineState,
  formatCountdown,
  hasHolidayData,
  isCenterWorkday,
  type Deadline,
  type LadderInput,
} from '../../shared/sla/deadlines';
import { parseSlaPolicy, type SlaPolicy } from '../../shared/sla/policy';

const POLICY_PATH = fileURLToPath(new URL('../../resources/policy/sla.json', import.meta.url));
const DEADLINES_MODULE = fileURLToPath(new URL('../../shared/sla/deadlines.ts', import.meta.url));

function bundledPolicy(): SlaPolicy {
  const parsed = parseSlaPolicy(JSON.parse(readFileSync(POLICY_PATH, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const policy = bundledPolicy();
const at = (iso: string) => new Date(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** The ladder as [ruleId, label, dueAt ISO] rows, easy to read in a failure. */
function ladderRows(input: LadderInput): Array<[string, string, string]> {
  return deadlineLadder(policy, input).map((d) => [d.ruleId, d.label, d.dueAt.toISOString()]);
}

describe('the bundled policy file', () => {
  it('parses and covers dispatch, the 1-3-5-7 ladder, 即时, 紧急 and department answers', () => {
    expect(policy.rules.map((r) => r.id)).toEqual([
      'dispatch_general',
      'dispatch_instant',
      'dispatch_emergency',
      'contact_day1',
      'qualify_day3',
      'review_day5',
      'close_day7',
      'close_instant',
      'close_emergency',
      'consult_answer',
    ]);
    expect(new Set(policy.rules.map((r) => r.label))).toEqual(new Set(['派单时限', '首次联系', '定性', '回访', '办结', '部门答复']));
  });
});

describe('deadline ladders', () => {
  it('一般 direct dispatch on an ordinary weekday: 2 h, then the ends of days 1, 3, 5 and 7', () => {
    // Tuesday 2026-11-24 10:00 Beijing. Day 5 is Sunday 11-29: natural days run through weekends.
    expect(ladderRows({ acceptedAt: at('2026-11-24T02:00:00Z'), urgency: '一般', disposition: '直派' })).toEqual([
      ['dispatch_general', '派单时限', '2026-11-24T04:00:00.000Z'], // 12:00
      ['contact_day1', '首次联系', '2026-11-25T16:00:00.000Z'], // Wed 11-25 24:00
      ['qualify_day3', '定性', '2026-11-27T16:00:00.000Z'], // Fri 11-27 24:00
      ['review_day5', '回访', '2026-11-29T16:00:00.000Z'], // Sun 11-29 24:00
      ['close_day7', '办结', '2026-12-01T16:00:00.000Z'], // Tue 12-01 24:00
    ]);
  });

  it('the same ladder for tickets sent to the sub-center or the city center', () => {
    const direct = ladderRows({ acceptedAt: at('2026-11-24T02:00:00Z'), urgency: '一般', disposition: '直派' });
    expect(ladderRows({ acceptedAt: at('2026-11-24T02:00:00Z'), urgency: '一般', disposition: '派分中心' })).toEqual(direct);
    expect(ladderRows({ acceptedAt: at('2026-11-24T02:00:00Z'), urgency: '一般', disposition: '派市中心' })).toEqual(direct);
  });

  it('即时 水电气热 repair: dispatch in 15 minutes, closed in 24 hours (elapsed, across midnight)', () => {
    // Tuesday 21:50 Beijing.
    expect(ladderRows({ acceptedAt: at('2026-11-24T13:50:00Z'), urgency: '即时', disposition: '直派' })).toEqual([
      ['dispatch_instant', '派单时限', '2026-11-24T14:05:00.000Z'], // 22:05
      ['close_instant', '办结', '2026-11-25T13:50:00.000Z'], // Wed 21:50
    ]);
  });

  it('紧急: dispatch in 15 minutes, closed in 2 hours', () => {
    expect(ladderRows({ acceptedAt: at('2026-11-24T07:30:00Z'), urgency: '紧急', disposition: '直派' })).toEqual([
      ['dispatch_emergency', '派单时限', '2026-11-24T07:45:00.000Z'],
      ['close_emergency', '办结', '2026-11-24T09:30:00.000Z'],
    ]);
  });

  it('a consultation needing a department is answered by the end of the next working day, over a weekend', () => {
    // Friday 2026-11-20 10:00 Beijing → Monday 11-23 24:00.
    expect(ladderRows({ acceptedAt: at('2026-11-20T02:00:00Z'), urgency: '一般', disposition: '咨询需部门答复' })).toEqual([
      ['dispatch_general', '派单时限', '2026-11-20T04:00:00.000Z'],
      ['consult_answer', '部门答复', '2026-11-23T16:00:00.000Z'],
    ]);
  });

  it('the ladder is sorted by due time whatever the order of the rules in the file', () => {
    const reversed: SlaPolicy = { ...policy, rules: [...policy.rules].reverse() };
    const due = deadlineLadder(reversed, { acceptedAt: at('2026-11-24T02:00:00Z'), urgency: '一般', disposition: '直派' }).map((d) => d.dueAt.getTime());
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(due).toHaveLength(5);
  });

  it('tickets finished at the desk or not named by any rule get no deadlines', () => {
    const onlyConsult: SlaPolicy = { ...policy, rules: policy.rules.filter((r) => r.id === 'consult_answer') };
    expect(deadlineLadder(onlyConsult, { acceptedAt: at('2026-11-24T02:00:00Z'), urgency: '一般', disposition: '直派' })).toEqual([]);
  });
});

describe('working days from chinese-days (real 2026 arrangement)', () => {
  it('reads the 2026 National Day holiday, Mid-Autumn and the adjusted working weekends', () => {
    // The package's own data for these dates, so the test says where the facts come from.
    expect(chineseDays.getDayDetail('2026-10-01').name).toContain('国庆节');
    expect(chineseDays.getDayDetail('2026-10-10')).toMatchObject({ work: true }); // Saturday, 调休上班
    expect(chineseDays.getDayDetail('2026-09-20')).toMatchObject({ work: true }); // Sunday, 调休上班
    expect(chineseDays.getDayDetail('2026-09-25').name).toContain('中秋');

    for (const holiday of ['2026-09-25', '2026-10-01', '2026-10-04', '2026-10-07']) expect(isCenterWorkday(holiday), holiday).toBe(false);
    for (const weekend of ['2026-09-19', '2026-10-11', '2026-11-21', '2026-11-22']) expect(isCenterWorkday(weekend), weekend).toBe(false);
    for (const worked of ['2026-09-20', '2026-10-08', '2026-10-09', '2026-10-10', '2026-11-23']) expect(isCenterWorkday(worked), worked).toBe(true);
  });

  it('counts working days past holidays and onto 调休 weekends', () => {
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08'); // over the whole National Day week
    expect(addWorkingDays('2026-10-09', 1)).toBe('2026-10-10'); // Friday → the adjusted working Saturday
    expect(addWorkingDays('2026-09-19', 1)).toBe('2026-09-20'); // Saturday → the adjusted working Sunday
    expect(addWorkingDays('2026-09-24', 1)).toBe('2026-09-28'); // Thursday → over Mid-Autumn and the weekend
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
  });

  it('a department answer over the National Day holiday is due the evening of 10-08', () => {
    // Wednesday 2026-09-30 15:00 Beijing.
    const ladder = deadlineLadder(policy, { acceptedAt: at('2026-09-30T07:00:00Z'), urgency: '一般', disposition: '咨询需部门答复' });
    expect(ladder.find((d) => d.ruleId === 'consult_answer')?.dueAt.toISOString()).toBe('2026-10-08T16:00:00.000Z');
  });

  it('a department answer asked on the Friday after the holiday is due on the adjusted working Saturday', () => {
    // Friday 2026-10-09 11:00 Beijing → Saturday 10-10 24:00.
    const ladder = deadlineLadder(policy, { acceptedAt: at('2026-10-09T03:00:00Z'), urgency: '一般', disposition: '咨询需部门答复' });
    expect(ladder.find((d) => d.ruleId === 'consult_answer')?.dueAt.toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });

  it('flags a working-day deadline in a year the package has no holiday data for', () => {
    expect(hasHolidayData(2026)).toBe(true);
    expect(hasHolidayData(2099)).toBe(false);
    const [answer] = deadlineLadder(policy, { acceptedAt: at('2099-06-01T02:00:00Z'), urgency: '紧急', disposition: '咨询需部门答复' });
    expect(answer).toMatchObject({ ruleId: 'consult_answer', holidaysUnknown: true });
    const [known] = deadlineLadder(policy, { acceptedAt: at('2026-06-01T02:00:00Z'), urgency: '紧急', disposition: '咨询需部门答复' });
    expect(known?.holidaysUnknown).toBeUndefined();
  });
});

describe('Beijing midnight, given as UTC instants', () => {
  const contactDue = (acceptedAt: string) =>
    deadlineLadder(policy, { acceptedAt: at(acceptedAt), urgency: '一般', disposition: '直派' }).find((d) => d.ruleId === 'contact_day1')?.dueAt.toISOString();
  const answerDue = (acceptedAt: string) =>
    deadlineLadder(policy, { acceptedAt: at(acceptedAt), urgency: '一般', disposition: '咨询需部门答复' }).find((d) => d.ruleId === 'consult_answer')?.dueAt.toISOString();

  it('day 1 is the day after the Beijing date of acceptance, not the UTC date', () => {
    // Both instants fall on 2026-11-23 in UTC; in Beijing the first is Monday 23:59, the second Tuesday 00:00.
    expect(contactDue('2026-11-23T15:59:00Z')).toBe('2026-11-24T16:00:00.000Z'); // Tue 24:00
    expect(contactDue('2026-11-23T16:00:00Z')).toBe('2026-11-25T16:00:00.000Z'); // Wed 24:00
  });

  it('a consultation taken just after midnight on the adjusted Saturday counts from Saturday', () => {
    // 2026-10-09T16:30Z is Saturday 10-10 00:30 in Beijing: the next working day is Monday 10-12.
    // Reading the UTC date (Friday 10-09) would wrongly give Saturday 10-10.
    expect(answerDue('2026-10-09T16:30:00Z')).toBe('2026-10-12T16:00:00.000Z');
    // One hour earlier it is still Friday 23:30 in Beijing: due the adjusted Saturday.
    expect(answerDue('2026-10-09T15:30:00Z')).toBe('2026-10-10T16:00:00.000Z');
  });

  it('gives the same ladder whatever zone the machine is set to', () => {
    const script = `
      import { deadlineLadder } from ${JSON.stringify(DEADLINES_MODULE)};
      const policy = ${JSON.stringify(policy)};
      const cases = [
        ['2026-10-09T16:30:00Z', '一般', '咨询需部门答复'],
        ['2026-09-30T07:00:00Z', '一般', '咨询需部门答复'],
        ['2026-09-18T20:00:00Z', '一般', '咨询需部门答复'],
        ['2026-11-23T15:59:00Z', '一般', '直派'],
      ];
      const out = cases.map(([a, urgency, disposition]) =>
        deadlineLadder(policy, { acceptedAt: new Date(a), urgency, disposition }).map((d) => d.ruleId + '@' + d.dueAt.toISOString()));
      process.stdout.write(JSON.stringify(out));
    `;
    const run = (tz: string) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }));
    const beijing = run('Asia/Shanghai');
    expect(beijing[0]).toContain('consult_answer@2026-10-12T16:00:00.000Z');
    expect(beijing[2]).toContain('consult_answer@2026-09-20T16:00:00.000Z'); // Sat 09-19 04:00 → the adjusted Sunday
    // West of UTC chinese-days' own table is shifted a day; the result must not be.
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) expect(run(tz), tz).toEqual(beijing);
  }, 60_000);
});

describe('deadline states at their boundaries', () => {
  const start = at('2026-11-24T02:00:00Z');
  const plus = (ms: number) => new Date(start.getTime() + ms);

  it('2-hour dispatch: ok until 30 minutes are left, due soon after, overdue at the due instant', () => {
    const due = plus(2 * HOUR);
    expect(deadlineState(due, plus(90 * MIN - 1), start)).toBe('ok');
    expect(deadlineState(due, plus(90 * MIN), start)).toBe('ok'); // exactly 30 min (= 25 %) left
    expect(deadlineState(due, plus(90 * MIN + 1), start)).toBe('due_soon');
    expect(deadlineState(due, plus(2 * HOUR - 1), start)).toBe('due_soon');
    expect(deadlineState(due, due, start)).toBe('overdue');
    expect(deadlineState(due, plus(3 * HOUR), start)).toBe('overdue');
  });

  it('7-day close: due soon once less than 25 % of the span is left', () => {
    const [close] = deadlineLadder(policy, { acceptedAt: start, urgency: '一般', disposition: '直派' }).filter((d) => d.ruleId === 'close_day7') as [Deadline];
    const span = close.dueAt.getTime() - start.getTime();
    const quarterLeft = new Date(close.dueAt.getTime() - span / 4);
    expect(deadlineState(close.dueAt, quarterLeft, close.startsAt)).toBe('ok');
    expect(deadlineState(close.dueAt, new Date(quarterLeft.getTime() + 1), close.startsAt)).toBe('due_soon');
  });

  it('15-minute dispatch is due soon from the start', () => {
    expect(deadlineState(plus(15 * MIN), start, start)).toBe('due_soon');
  });

  it('without a start only the 30-minute rule applies', () => {
    const due = plus(10 * HOUR);
    expect(deadlineState(due, new Date(due.getTime() - 30 * MIN), undefined)).toBe('ok');
    expect(deadlineState(due, new Date(due.getTime() - 30 * MIN + 1))).toBe('due_soon');
  });
});

describe('countdown text', () => {
  it.each([
    [65 * MIN, '剩余 1 小时 05 分'],
    [HOUR, '剩余 1 小时 00 分'],
    [25 * MIN + 59_999, '剩余 25 分钟'],
    [59_999, '剩余不足 1 分钟'],
    [(2 * 24 + 3) * HOUR, '剩余 2 天 3 小时'],
    [(2 * 24 + 3) * HOUR + 59 * MIN, '剩余 2 天 3 小时'],
    [24 * HOUR, '剩余 1 天 0 小时'],
    [0, '已超时不足 1 分钟'],
    [-12 * MIN, '已超时 12 分钟'],
    [-(12 * MIN + 59_000), '已超时 12 分钟'],
    [-65 * MIN, '已超时 1 小时 05 分'],
    [-(3 * 24 + 2) * HOUR, '已超时 3 天 2 小时'],
    [Number.NaN, '时限未知'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('a malformed policy file', () => {
  const rule = { id: 'close_day7', label: '办结', appliesTo: { urgencies: ['一般'] }, clock: 'calendar', unit: 'days', amount: 7 };
  const file = (rules: unknown[]) => ({ version: 1, name: '测试', rules });

  function rejected(json: unknown): string {
    const result = parseSlaPolicy(json);
    expect(result.ok).toBe(false);
    if (result.ok) return '';
    expect(result.error.kind).toBe('rejected');
    expect(result.error.message).toMatch(/^时限策略文件有误，未采用：/);
    return result.error.message;
  }

  it('accepts a minimal good file', () => {
    expect(parseSlaPolicy(file([rule])).ok).toBe(true);
  });

  it('refuses a file that is not a policy at all', () => {
    expect(rejected(null)).toContain('时限策略应为 JSON 对象');
    expect(rejected(file([]))).toContain('规则列表（rules）不能为空');
  });

  it('names the rule and the field at fault, in Chinese', () => {
    const message = rejected(file([rule, { ...rule, id: 'contact_day1', appliesTo: { urgencies: ['特急'] } }]));
    expect(message).toContain('第 2 条规则“contact_day1”');
    expect(message).toContain('紧急程度只能是 一般、紧急、即时');
  });

  it('refuses working clocks counted in hours, bad amounts and duplicate ids', () => {
    expect(rejected(file([{ ...rule, clock: 'working', unit: 'hours', amount: 8 }]))).toContain('按工作日计时（clock=working）时单位只能是天（days）');
    expect(rejected(file([{ ...rule, amount: 0 }]))).toContain('时限数值（amount）应大于 0');
    expect(rejected(file([{ ...rule, amount: '7' }]))).toContain('时限数值（amount）应为数字');
    expect(rejected(file([{ ...rule, amount: 1.5 }]))).toContain('时限数值（amount）应为整数');
    expect(rejected(file([{ ...rule, unit: 'days', amount: 400 }]))).toContain('时限不能超过 366 天');
    expect(rejected(file([rule, { ...rule }]))).toContain('规则编号“close_day7”与第 1 条重复');
  });

  it('refuses a rule no move of the lifecycle can meet (its id names no checkpoint)', () => {
    const message = rejected(file([{ ...rule, id: 'visit_day2', label: '上门' }]));
    expect(message).toContain('规则编号（id）须以节点前缀开头');
    expect(message).toContain('contact_（首次联系）');
  });

  it('refuses a misspelt key instead of silently widening a rule to every ticket', () => {
    const message = rejected(file([{ ...rule, appliesTo: { urgency: ['一般'] } }]));
    expect(message).toContain('urgency');
    expect(message).toContain('适用范围至少要写紧急程度（urgencies）或处理方式（dispositions）之一');
  });

  it('lists every problem at once', () => {
    const message = rejected({ version: 2, name: '', rules: [{ ...rule, clock: 'lunar' }] });
    expect(message).toContain('版本（version）应为 1');
    expect(message).toContain('策略名称（name）不能为空');
    expect(message).toContain('计时方式（clock）只能是 calendar（自然时间）或 working（工作日）');
  });
});
