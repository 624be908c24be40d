/**
 * 退单与督办 in the lead view (lead.attention, electron/services/lead/lead-service.ts): this desk's
 * tickets of the scope whose trail has a 退单 or a 督办/催办, counted, latest first, with the latest
 * such event; only for a 班长, and only within the scope's shift.
 */
import { describe, expect, it } from 'vitest';
import type { LeadScope } from '../../shared/api/lead-contract';
import { openClockedDesk, refusal, setLeadPin, TEST_LEAD_PIN, value } from '../support/desk';
import { bundledFixtures, draftFor } from '../support/desk-fixtures';

/** A Beijing wall-clock time. */
const bj = (text: string) => new Date(`${text.replace(' ', 'T')}+08:00`);
const today: LeadScope = { from: '2026-12-01', to: '2026-12-01', shiftCode: null, operatorIds: [], categoryLevel: 1 };

describe('退单与督办 in the lead view', () => {
  it('counts and lists this desk’s returned and supervised tickets of the scope, latest first', async () => {
    const h = await openClockedDesk(bj('2026-12-01 09:00:00'));
    try {
      const fx = bundledFixtures(h.desk.reference);
      expect(refusal(await h.api.call('lead.attention', { scope: today })).kind).toBe('forbidden');
      setLeadPin(h.desk, '9001');
      value(await h.api.call('operator.signIn', { id: '9001', name: '孙敏', role: 'team_lead', secret: TEST_LEAD_PIN }));
      const take = async () => value(await h.api.call('tickets.submit', { draft: draftFor(fx, new Date(h.clock.at.getTime() - 120_000), { disposition: '直派', unitCode: fx.streetUnit.code }) })).id;
      const [quiet, returned, supervised] = [await take(), await take(), await take()];
      // What the hub reports through the pull (the sync client's writes), as plain SQL.
      const event = h.desk.db.prepare('INSERT INTO ticket_events (ticket_id, kind, at, actor, note) VALUES (?, ?, ?, ?, ?)');
      h.desk.db.prepare("UPDATE tickets SET status = '已退单', unit_code = NULL WHERE id = ?").run(returned);
      event.run(returned, '退单', bj('2026-12-01 10:00:00').toISOString(), '望京街道 王五', '退单：属物业管理区域');
      event.run(supervised, '督办', bj('2026-12-01 11:00:00').toISOString(), '市中心 李督办', '【督办】请今日内联系市民');
      event.run(supervised, '催办', bj('2026-12-01 11:30:00').toISOString(), '话务员', '市民来电催办');
      event.run(quiet, '接单', bj('2026-12-01 10:30:00').toISOString(), '望京街道', '接单');

      const attention = value(await h.api.call('lead.attention', { scope: today }));
      expect(attention).toMatchObject({ returned: 1, supervised: 1 });
      expect(attention.rows.map((r) => [r.id, r.returns, r.supervisions, r.last.kind, r.last.note])).toEqual([
        [supervised, 0, 2, '催办', '市民来电催办'],
        [returned, 1, 0, '退单', '退单：属物业管理区域'],
      ]);
      expect(attention.rows[1]).toMatchObject({ status: '已退单', unitName: null, operatorName: '孙敏' });
      expect(attention.rows[0]!.unitName).toBe(fx.streetUnit.name);
      // Another day's scope holds none of them.
      expect(value(await h.api.call('lead.attention', { scope: { ...today, from: '2026-11-30', to: '2026-11-30' } }))).toEqual({ returned: 0, supervised: 0, rows: [] });
    } finally {
      h.desk.dispose();
    }
  });
});
