/**
 * What the desk's list, trail and status bar flag on a ticket after dispatch, from the trail the
 * pull brings (electron/services/tickets/ticket-flag.ts): 督办 until the unit acts, the new 办结 due
 * once an extension is approved, and 退单 with the unit's reason while the ticket waits to be re-sent.
 */
import { describe, expect, it } from 'vitest';
import type { TicketDeadline } from '../../shared/api/contract';
import { ticketFlag, type FlagEvent } from '../../electron/services/tickets/ticket-flag';

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h)).toISOString();
const ev = (kind: FlagEvent['kind'], h: number, note = ''): FlagEvent => ({ kind, at: at(h), note });
const closeDue: TicketDeadline = { ruleId: 'close_day7', label: '办结', dueAt: '2026-12-12T10:00:00.000Z', startsAt: at(0), doneAt: null };
const base = [ev('受理', 0), ev('派单', 0, '直派：甲街道')];

describe('a ticket’s flag after dispatch', () => {
  it('shows 督办 with its note while it is the latest word, and drops it once the unit acts', () => {
    const supervised = [...base, ev('督办', 2, '【督办】甲街道：请今日内联系市民')];
    expect(ticketFlag(supervised, '已派单', [])).toEqual({ kind: '督办', text: '【督办】甲街道：请今日内联系市民', at: at(2) });
    expect(ticketFlag([...supervised, ev('接单', 3)], '已接单', [])).toBeNull();
    expect(ticketFlag([...supervised, ev('接单', 3), ev('催办', 4, '市民来电催办')], '已接单', [])).toMatchObject({ kind: '催办' });
    expect(ticketFlag([...supervised, ev('办结', 3)], '已办结', [])).toBeNull();
  });

  it('shows the new 办结 due (Beijing time) once the center approves an extension, not when it refuses', () => {
    const asked = [...base, ev('接单', 1), ev('延期申请', 2, '申请延期至 2026-12-12：需协调管线单位')];
    expect(ticketFlag([...asked, ev('延期审核', 3, '批准延期至 2026-12-12')], '已接单', [closeDue])).toEqual({ kind: '延期', text: '已延期，办结时限 12-12 18:00', at: at(3) });
    expect(ticketFlag([...asked, ev('延期审核', 3, '不予批准延期至 2026-12-12：理由不足')], '已接单', [closeDue])).toBeNull();
  });

  it('shows 退单 with the unit’s reason while the ticket waits in the 待派 queue', () => {
    const returned = [...base, ev('督办', 1, '请处理'), ev('退单', 2, '退单（非本单位职责）：属市政道路')];
    expect(ticketFlag(returned, '已退单', [])).toEqual({ kind: '退单', text: '退单（非本单位职责）：属市政道路', at: at(2) });
    expect(ticketFlag([...returned, ev('派单', 3, '重新派单：乙街道')], '已派单', [])).toBeNull();
  });
});
