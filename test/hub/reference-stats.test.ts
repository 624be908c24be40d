/**
 * Reference publishing and pulling, and stats.rates on a small hand-counted fixture, on both drivers.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PushedTicket } from '../../shared/api/hub-contract';
import type { HubClient } from '../../shared/api/hub-client';
import { setupOnce, useHubWithUsers } from './fixture';
import { DRIVERS, expectOk, pushedTicket } from './support';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const NONE = { places: null, units: null, catalogue: null, kb: null };

describe.each(DRIVERS)('reference versions and rates on %s', (driver) => {
  const on = useHubWithUsers(driver);

  describe('reference.publish and reference.pull', () => {
    const unitsV1 = 'code,name,kind,duties\nD-A,甲区住建委,department,住房保障\n';
    const unitsV2 = 'code,name,kind,duties\nD-A,甲区住建委,department,住房保障\nD-B,甲区城管委,department,环境卫生\n';
    const kb = 'id,title,questions,answer,source,valid_until,leaf_codes\nKB-1,居住证办理,居住证怎么办,携带身份证到社区服务站办理,D-A,2027-12-31,\n';

    it('starts with nothing to pull', async () => {
      expect(expectOk(await on.taker.call('reference.pull', { have: NONE }))).toEqual({ updates: [] });
    });

    it('versions each kind by the sha256 of its content and hands a desk only what it lacks', async () => {
      expect(expectOk(await on.admin.call('reference.publish', { kind: 'units', fileName: 'units.csv', content: unitsV1 }))).toEqual({ kind: 'units', version: sha(unitsV1) });
      expect(expectOk(await on.admin.call('reference.publish', { kind: 'kb', fileName: 'kb.csv', content: kb }))).toEqual({ kind: 'kb', version: sha(kb) });
      const all = expectOk(await on.opA.call('reference.pull', { have: NONE }));
      expect(all.updates).toEqual([
        { kind: 'units', version: sha(unitsV1), fileName: 'units.csv', content: unitsV1 },
        { kind: 'kb', version: sha(kb), fileName: 'kb.csv', content: kb },
      ]);
      const upToDate = expectOk(await on.taker.call('reference.pull', { have: { ...NONE, units: sha(unitsV1), kb: sha(kb) } }));
      expect(upToDate.updates).toEqual([]);
      const stale = expectOk(await on.taker.call('reference.pull', { have: { ...NONE, units: 'an-old-version', kb: sha(kb) } }));
      expect(stale.updates.map((u) => u.kind)).toEqual(['units']);
    });

    it('makes a new version current, keeps one row per content, and rolls back by re-publishing', async () => {
      const v2 = expectOk(await on.admin.call('reference.publish', { kind: 'units', fileName: 'units-v2.csv', content: unitsV2 }));
      expect(v2.version).toBe(sha(unitsV2));
      const pulled = expectOk(await on.taker.call('reference.pull', { have: { ...NONE, units: sha(unitsV1), kb: sha(kb) } }));
      expect(pulled.updates).toEqual([{ kind: 'units', version: sha(unitsV2), fileName: 'units-v2.csv', content: unitsV2 }]);
      const versions = await on.hub.count('reference_versions');
      expectOk(await on.admin.call('reference.publish', { kind: 'units', fileName: 'units-again.csv', content: unitsV2 }));
      expect(await on.hub.count('reference_versions')).toBe(versions);
      // Publishing the first file again makes it current again.
      expectOk(await on.admin.call('reference.publish', { kind: 'units', fileName: 'units.csv', content: unitsV1 }));
      const back = expectOk(await on.taker.call('reference.pull', { have: { ...NONE, units: sha(unitsV2), kb: sha(kb) } }));
      expect(back.updates.map((u) => u.version)).toEqual([sha(unitsV1)]);
      expect(await on.hub.count('reference_versions')).toBe(versions);
    });

    it('lets only admins publish, and refuses a malformed publish, writing nothing', async () => {
      const before = await on.hub.counts();
      const byLead = await on.lead.call('reference.publish', { kind: 'kb', fileName: 'kb.csv', content: 'x' });
      expect(byLead.ok || byLead.error.kind).toBe('forbidden');
      const empty = await on.admin.call('reference.publish', { kind: 'kb', fileName: 'kb.csv', content: '' });
      expect(empty.ok || empty.error.kind).toBe('bad_request');
      const wrongKind = await on.admin.call('reference.publish', { kind: 'streets' as 'kb', fileName: 'x.csv', content: 'x' });
      expect(wrongKind.ok || wrongKind.error.kind).toBe('bad_request');
      expect(await on.hub.counts()).toEqual(before);
    });
  });

  describe('stats.rates', () => {
    const at = '2026-11-10T01:00:00.000Z'; // 09:00 Beijing; first contact due 2026-11-11 24:00 Beijing = 16:00Z
    const namesA = { unit: '甲街道办事处', district: '甲区', street: '甲街道', leafPath: [] };
    const namesB = { unit: '乙街道办事处', district: '甲区', street: '乙街道', leafPath: [] };
    const onA = (extra: Partial<PushedTicket> = {}) =>
      pushedTicket({ submittedAt: at, unitCode: 'U-A', address: { districtCode: 'D1', streetCode: 'S-A', villageCode: null, text: '' }, names: namesA, ...extra });
    const onB = (extra: Partial<PushedTicket> = {}) =>
      pushedTicket({ submittedAt: at, unitCode: 'U-B', address: { districtCode: 'D1', streetCode: 'S-B', villageCode: null, text: '' }, names: namesB, ...extra });
    const fixture = {
      t1: onA(), // accepted in time, callback resolved 满意
      t2: onA(), // accepted late, callback not resolved 不满意
      t3: onA(), // never accepted
      t4: onB({ urgency: '紧急' }), // 紧急: response due by its 2-hour close; accepted after 1 h; callback resolved 基本满意
      t5: onB(), // returned without accepting
      t6: pushedTicket({
        submittedAt: at,
        disposition: '派分中心',
        unitCode: 'SC-B',
        address: { districtCode: 'D2', streetCode: null, villageCode: null, text: '' },
        names: { unit: '乙区分中心', district: '乙区', street: null, leafPath: [] },
      }), // accepted in time, no callback
      t7: onA({ disposition: '咨询办结', unitCode: null }), // finished at the desk: not counted
      t8: onA({ submittedAt: '2026-11-12T01:00:00.000Z' }), // outside 11-10..11-11; accepted in time
    };

    setupOnce(async () => {
      expectOk(await on.taker.call('tickets.push', { tickets: Object.values(fixture) }));
      const step = async (when: string, run: () => Promise<{ ok: boolean }>) => {
        on.hub.clock.set(when);
        const result = await run();
        expect(result.ok, when).toBe(true);
      };
      const walk = async (operator: HubClient, id: string, acceptAt: string, callback: { resolved: boolean; satisfaction: '满意' | '基本满意' | '不满意' } | null) => {
        await step(acceptAt, () => operator.call('ticket.accept', { ticketId: id }));
        if (!callback) return;
        await step('2026-11-12T02:00:00.000Z', () => operator.call('ticket.close', { ticketId: id }));
        await step('2026-11-13T02:00:00.000Z', () => on.taker.call('ticket.callback', { ticketId: id, ...callback }));
      };
      await walk(on.opA, fixture.t1.id, '2026-11-10T02:00:00.000Z', { resolved: true, satisfaction: '满意' });
      await walk(on.opA, fixture.t2.id, '2026-11-11T16:00:01.000Z', { resolved: false, satisfaction: '不满意' });
      await walk(on.opB, fixture.t4.id, '2026-11-10T02:00:00.000Z', { resolved: true, satisfaction: '基本满意' });
      await step('2026-11-10T03:00:00.000Z', () => on.opB.call('ticket.return', { ticketId: fixture.t5.id, reason: '不属于本街道辖区' }));
      await walk(on.admin, fixture.t6.id, '2026-11-11T15:59:59.000Z', null);
      await walk(on.opA, fixture.t8.id, '2026-11-12T02:00:00.000Z', null);
      on.hub.clock.set('2026-12-01T02:00:00.000Z');
    });

    it('by unit', async () => {
      const rows = expectOk(await on.lead.call('stats.rates', { from: '2026-11-10', to: '2026-11-11', groupBy: 'unit' }));
      expect(rows).toEqual([
        { key: 'SC-B', name: '乙区分中心', tickets: 1, responded: 1, responseRate: 1, callbacks: 0, resolved: 0, resolutionRate: null, satisfactionRate: null, urges: 0 },
        { key: 'U-A', name: '甲街道办事处', tickets: 3, responded: 1, responseRate: 1 / 3, callbacks: 2, resolved: 1, resolutionRate: 0.5, satisfactionRate: 0.5, urges: 0 },
        { key: 'U-B', name: '乙街道办事处', tickets: 2, responded: 1, responseRate: 0.5, callbacks: 1, resolved: 1, resolutionRate: 1, satisfactionRate: 0.8, urges: 0 },
      ]);
    });

    it('by street, with tickets of no street under 未明确', async () => {
      const rows = expectOk(await on.lead.call('stats.rates', { from: '2026-11-10', to: '2026-11-11', groupBy: 'street' }));
      expect(rows.map((r) => [r.key, r.name, r.tickets, r.responded, r.callbacks, r.resolved])).toEqual([
        ['', '未明确', 1, 1, 0, 0],
        ['S-A', '甲街道', 3, 1, 2, 1],
        ['S-B', '乙街道', 2, 1, 1, 1],
      ]);
    });

    it('by district', async () => {
      const rows = expectOk(await on.admin.call('stats.rates', { from: '2026-11-10', to: '2026-11-11', groupBy: 'district' }));
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ key: 'D1', name: '甲区', tickets: 5, responded: 2, responseRate: 0.4, callbacks: 3, resolved: 2 });
      expect(rows[0]!.resolutionRate).toBeCloseTo(2 / 3, 10);
      expect(rows[0]!.satisfactionRate).toBeCloseTo(0.6, 10);
      expect(rows[1]).toMatchObject({ key: 'D2', name: '乙区', tickets: 1, responded: 1, responseRate: 1, callbacks: 0, satisfactionRate: null });
    });

    it('over the date range asked for, by Beijing date', async () => {
      const wider = expectOk(await on.lead.call('stats.rates', { from: '2026-11-10', to: '2026-11-12', groupBy: 'unit' }));
      expect(wider.find((r) => r.key === 'U-A')).toMatchObject({ tickets: 4, responded: 2 });
      expect(expectOk(await on.lead.call('stats.rates', { from: '2026-11-13', to: '2026-11-30', groupBy: 'unit' }))).toEqual([]);
      const backwards = await on.lead.call('stats.rates', { from: '2026-11-12', to: '2026-11-10', groupBy: 'unit' });
      expect(backwards.ok || backwards.error.kind).toBe('bad_request');
    });
  });
});
