/**
 * The ticket lifecycle (shared/lifecycle/): who may move a ticket and from where, what each
 * disposition allows, which checkpoints a move meets, the deadline a ticket shows next, and the
 * table docs/architecture.md prints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TicketDeadline } from '../../shared/api/contract';
import { URGENCIES } from '../../shared/domain/catalogue';
import { deadlinesAfterMove, deadlinesOnSubmit, earliestOpenDeadline, nextDue } from '../../shared/lifecycle/deadlines';
import { submitEvents } from '../../shared/lifecycle/events';
import { lifecycleTables, withLifecycleTables } from '../../shared/lifecycle/table';
import {
  checkpointOf,
  checkpointsMet,
  DISPATCHING_DISPOSITIONS,
  dispositionForUnitKind,
  MOVE_RULES,
  MOVES,
  moveRefusal,
  statusAfter,
  unitKindProblem,
  type MoveTicket,
} from '../../shared/lifecycle/ticket-lifecycle';
import { parseSlaPolicy } from '../../shared/sla/policy';

const ROOT = join(import.meta.dirname, '..', '..');
const policyResult = parseSlaPolicy(JSON.parse(readFileSync(join(ROOT, 'resources', 'policy', 'sla.json'), 'utf8')));
if (!policyResult.ok) throw new Error(policyResult.error.message);
const policy = policyResult.value;
const SUBMITTED = '2026-11-24T02:00:00.000Z'; // Tuesday 10:00 Beijing

const ticket = (over: Partial<MoveTicket> = {}): MoveTicket => ({
  number: '20261124000001',
  status: '已派单',
  disposition: '直派',
  urgency: '一般',
  unitCode: 'U-A',
  ...over,
});

describe('who may move a ticket, and from where', () => {
  it('lets the unit holding it accept, and nobody else', () => {
    expect(moveRefusal('accept', ticket(), { role: 'unit_operator', unitCode: 'U-A' })).toBeNull();
    expect(moveRefusal('accept', ticket(), { role: 'unit_operator', unitCode: 'U-B' })).toEqual({
      kind: 'forbidden',
      message: '工单 20261124000001 不属于本单位（U-B），不能接单',
    });
    expect(moveRefusal('accept', ticket(), { role: 'call_taker', unitCode: null })?.kind).toBe('forbidden');
    expect(moveRefusal('accept', ticket(), { role: 'admin', unitCode: null })).toBeNull();
  });

  it('says a returned ticket is back with the center', () => {
    expect(moveRefusal('reply', ticket({ status: '已退单', unitCode: null }), { role: 'unit_operator', unitCode: 'U-A' })?.message).toBe(
      '工单 20261124000001 已退回中心，不再由本单位办理',
    );
  });

  it('refuses a move from the wrong status with the statuses it needs', () => {
    expect(moveRefusal('reply', ticket(), { role: 'admin', unitCode: null })).toEqual({
      kind: 'conflict',
      message: '工单 20261124000001 当前为“已派单”，不能答复（只有“已接单”的工单可以）',
    });
  });

  it('forwards only tickets sent to a sub-center or the city center', () => {
    expect(moveRefusal('forward', ticket(), { role: 'unit_operator', unitCode: 'U-A' })?.kind).toBe('conflict');
    expect(moveRefusal('forward', ticket({ disposition: '派分中心', unitCode: 'SC' }), { role: 'unit_operator', unitCode: 'SC' })).toBeNull();
  });

  it('takes no move on a ticket finished at the desk', () => {
    expect(moveRefusal('callback', ticket({ disposition: '咨询办结', status: '已办结', unitCode: null }), { role: 'call_taker', unitCode: null })?.message).toBe(
      '工单 20261124000001 为“咨询办结”，坐席当场了结，不需回访',
    );
  });

  it('gives each move the status that follows', () => {
    expect(statusAfter('submit', { status: null, disposition: '不合理诉求' })).toBe('待审核');
    expect(statusAfter('forward', { status: '已派单', disposition: '派分中心' })).toBe('已派单');
    expect(statusAfter('callback', { status: '已回复', disposition: '直派' })).toBe('已回访');
  });
});

describe('what a disposition allows', () => {
  it('sends each dispatching disposition to its own kind of unit, and says what to pick instead', () => {
    expect(unitKindProblem('直派', { kind: 'street', name: '西长安街街道' })).toBeNull();
    expect(unitKindProblem('派分中心', { kind: 'street', name: '西长安街街道' })).toBe('派分中心不能派给街乡镇“西长安街街道”，应选区分中心');
    expect(unitKindProblem('直派', { kind: 'subcenter', name: '西城区分中心' })).toBe('直派不能派给区分中心“西城区分中心”，应选街乡镇、委办局、公共服务企业');
    expect(dispositionForUnitKind('subcenter')).toBe('派分中心');
    expect(dispositionForUnitKind('city_center')).toBe('派市中心');
    expect(dispositionForUnitKind('utility')).toBe('直派');
  });
});

describe('deadline checkpoints', () => {
  it('can meet every rule of the policy: each names a checkpoint some move meets on each ticket it applies to', () => {
    for (const disposition of DISPATCHING_DISPOSITIONS) {
      for (const urgency of URGENCIES) {
        const ladder = deadlinesOnSubmit(policy, { submittedAt: SUBMITTED, urgency, disposition });
        expect(ladder.length, `${disposition} ${urgency}`).toBeGreaterThan(0);
        const meetable = new Set(MOVES.flatMap((m) => checkpointsMet(m, { disposition, urgency })));
        for (const d of ladder) expect(meetable.has(checkpointOf(d.ruleId)!), `${d.ruleId} on ${disposition} ${urgency}`).toBe(true);
      }
    }
  });

  it('meets 派单 at submit only for a 一般 ticket sent 直派', () => {
    const done = (urgency: '一般' | '即时', disposition: '直派' | '派分中心') =>
      deadlinesOnSubmit(policy, { submittedAt: SUBMITTED, urgency, disposition }).filter((d) => d.doneAt).map((d) => d.ruleId);
    expect(done('一般', '直派')).toEqual(['dispatch_general']);
    expect(done('即时', '直派')).toEqual([]);
    expect(done('一般', '派分中心')).toEqual([]);
  });

  it('keeps the time a checkpoint was first met when a later move meets it again', () => {
    const ladder = deadlinesOnSubmit(policy, { submittedAt: SUBMITTED, urgency: '一般', disposition: '派分中心' });
    const forwarded = deadlinesAfterMove(ladder, 'forward', { disposition: '派分中心', urgency: '一般' }, '2026-11-24T03:00:00.000Z');
    const accepted = deadlinesAfterMove(forwarded, 'accept', { disposition: '派分中心', urgency: '一般' }, '2026-11-24T05:00:00.000Z');
    expect(accepted.find((d) => d.ruleId === 'dispatch_general')?.doneAt).toBe('2026-11-24T03:00:00.000Z');
    expect(accepted.find((d) => d.ruleId === 'contact_day1')?.doneAt).toBe('2026-11-24T05:00:00.000Z');
  });

  it('every deadline rule of the policy file is one of the lifecycle’s checkpoints', () => {
    for (const rule of policy.rules) expect(checkpointOf(rule.id), rule.id).not.toBeNull();
  });
});

describe('the deadline a ticket shows next', () => {
  const ladder = deadlinesOnSubmit(policy, { submittedAt: SUBMITTED, urgency: '一般', disposition: '派分中心' });
  const at = (iso: string) => new Date(iso);

  it('is the earliest one not yet met, with its state and time left', () => {
    expect(nextDue(ladder, at('2026-11-24T03:00:00Z'))).toMatchObject({ deadline: { ruleId: 'dispatch_general' }, state: 'ok', text: '剩余 1 小时 00 分' });
    const dispatched = deadlinesAfterMove(ladder, 'forward', { disposition: '派分中心', urgency: '一般' }, '2026-11-24T03:00:00.000Z');
    expect(earliestOpenDeadline(dispatched)?.ruleId).toBe('contact_day1');
  });

  it('stays on an overdue deadline until it is met', () => {
    expect(nextDue(ladder, at('2026-11-24T04:12:00Z'))).toMatchObject({ deadline: { ruleId: 'dispatch_general' }, state: 'overdue', text: '已超时 12 分钟' });
  });

  it('is null when every deadline is met, or there are none', () => {
    const all: TicketDeadline[] = ladder.map((d) => ({ ...d, doneAt: SUBMITTED }));
    expect(nextDue(all, at('2026-11-26T02:00:00Z'))).toBeNull();
    expect(nextDue([], at('2026-11-26T02:00:00Z'))).toBeNull();
  });
});

describe('the trail a submit writes', () => {
  const facts = { channel: '电话' as const, unitName: null, kbArticleTitle: null, linkedNumber: null, unreasonableReason: '' };

  it('names the unit, the article, the original ticket and the reason, in one wording for desk and hub', () => {
    expect(submitEvents({ ...facts, disposition: '直派', unitName: '西长安街街道办事处' }, SUBMITTED, '王芳').map((e) => [e.kind, e.note])).toEqual([
      ['受理', '电话受理'],
      ['派单', '直派：西长安街街道办事处'],
    ]);
    expect(submitEvents({ ...facts, disposition: '咨询办结', kbArticleTitle: '社保卡补办' }, SUBMITTED, '王芳').map((e) => e.note)).toEqual([
      '电话受理',
      '依据知识库《社保卡补办》当场答复办结',
    ]);
    expect(submitEvents({ ...facts, disposition: '重复诉求', linkedNumber: '20261124000001' }, SUBMITTED, '王芳').map((e) => e.note)).toEqual([
      '电话受理',
      '重复诉求，关联原工单 20261124000001',
    ]);
    expect(submitEvents({ ...facts, disposition: '不合理诉求', unreasonableReason: '反复来电无实际诉求' }, SUBMITTED, '王芳')[0]!.note).toBe(
      '电话受理，标记为不合理诉求待审核：反复来电无实际诉求',
    );
  });
});

describe('docs/architecture.md', () => {
  it('prints the lifecycle tables as the module defines them (npx tsx scripts/lifecycle-table.ts --write)', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    expect(withLifecycleTables(doc), 'the document has no lifecycle-table markers').not.toBeNull();
    expect(doc).toContain(lifecycleTables());
    for (const move of MOVES) expect(doc).toContain(`\`${move}\``);
    expect(MOVE_RULES.forward.meets.map((m) => m.checkpoint)).toEqual(['dispatch']);
  });
});
