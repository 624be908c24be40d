/**
 * The 待派 queue on the desk (electron/services/handlers/redispatch.ts) against a stand-in hub: a
 * 班长 only; offline (or 本机模式) it answers `unavailable` saying 需联网; it maps the hub's queue and
 * each ticket's trail to who returned it and why, with the place codes and leaf the desk's dispatch
 * rule reads; a re-dispatch passes the version and answers the hub's conflict as it is. The view's
 * suggestion is intake's rule over those (renderer/src/redispatch/returned-suggestion.ts), never
 * the unit that returned the ticket: then the district's 分中心 coordinates, and the reason says why.
 */
import { describe, expect, it } from 'vitest';
import type { WorkRow, WorkTicket } from '../../shared/api/hub-contract';
import { suggestForIntake } from '../../shared/intake/dispatch';
import { suggestionForReturned } from '../../renderer/src/redispatch/returned-suggestion';
import { openReadyDesk, refusal, setLeadPin, TEST_LEAD_PIN, value } from '../support/desk';
import { bundledFixtures } from '../support/desk-fixtures';

const ID = '7d1f3b8a-2c4e-4f6a-9b1c-3e5d7f9a1b2c';

type Answer = { ok: true; value: unknown } | { ok: false; error: { kind: string; message: string } };

/** A hub answering each call name with what the test says, recording every call made. */
function stubHub(answers: Record<string, (input: any) => Answer>, calls: Array<{ name: string; input: any }> = []) {
  const fetch = async (url: string, init: { body: string }) => {
    const name = url.split('/v1/')[1]!;
    const input = JSON.parse(init.body);
    calls.push({ name, input });
    if (name === 'auth.login') return { status: 200, json: async () => ({ ok: true, value: { token: 't', user: { id: '1', username: 'desk', name: '坐席', role: 'team_lead', unitCode: null }, expiresAt: '2099-01-01T00:00:00.000Z' } }) };
    const answer = answers[name]?.(input) ?? { ok: false, error: { kind: 'unknown_call', message: name } };
    return { status: answer.ok ? 200 : 409, json: async () => answer };
  };
  return { fetch, calls };
}

async function deskWith(hubFetch: ((url: string, init: any) => Promise<unknown>) | null, role: 'team_lead' | 'call_taker' = 'team_lead') {
  const opened = await openReadyDesk(
    hubFetch ? { hubUrl: 'http://hub.test/', hubCredentials: { username: 'desk', password: 'secret-pass' }, hubFetch: hubFetch as typeof fetch, syncAutoStart: false } : {},
  );
  if (role === 'team_lead') {
    setLeadPin(opened.desk, '9001');
    value(await opened.api.call('operator.signIn', { id: '9001', name: '孙敏', role: 'team_lead', secret: TEST_LEAD_PIN }));
  }
  return opened;
}

describe('the 待派 queue on the desk', () => {
  it('is refused to a call-taker, and says 需联网 in 本机模式 and when the hub cannot be reached', async () => {
    const taker = await deskWith(stubHub({}).fetch, 'call_taker');
    try {
      const refused = refusal(await taker.api.call('redispatch.queue', {}));
      expect(refused.kind).toBe('forbidden');
      expect(refused.message).toContain('班长');
    } finally {
      taker.desk.dispose();
    }
    const local = await deskWith(null);
    try {
      const offline = refusal(await local.api.call('redispatch.queue', {}));
      expect(offline).toMatchObject({ kind: 'unavailable' });
      expect(offline.message).toContain('需联网（中心不可达）');
    } finally {
      local.desk.dispose();
    }
    const down = await deskWith(async () => {
      throw new TypeError('fetch failed');
    });
    try {
      const offline = refusal(await down.api.call('redispatch.send', { ticketId: ID, version: 3, unitCode: 'X' }));
      expect(offline.kind).toBe('unavailable');
      expect(offline.message).toMatch(/^需联网（中心不可达）：.*无法连接中心/);
    } finally {
      down.desk.dispose();
    }
  });

  it('lists returned tickets with who returned them and why, the place codes and leaf for the suggestion, and re-dispatches with the version', async () => {
    // The fixtures are read from a desk with the bundled reference data.
    const probe = await openReadyDesk();
    const fx = bundledFixtures(probe.desk.reference);
    probe.desk.dispose();
    const village = fx.village;
    // The fields the desk reads; the hub's row carries more (it grows with the workspace).
    const row = {
      id: ID,
      number: '202612010007',
      status: '已退单',
      disposition: '直派',
      urgency: '一般',
      unitCode: null,
      unitName: null,
      districtName: '某区',
      streetName: '某街道',
      villageCode: village.code,
      villageName: village.name,
      leafPath: ['城乡建设', '市政设施', '路灯'],
      content: '小区门口路灯坏了一周',
      submittedAt: '2026-12-01T02:00:00.000Z',
      deadlines: [],
      nextDueAt: null,
      version: 4,
      returnCount: 2,
      supervision: null,
      pending: null,
    } as unknown as WorkRow;
    const detail = {
      ...row,
      addressText: '幸福路 12 号门口',
      leafCode: fx.localLeaf.code,
      trail: [
        { at: '2026-12-01T02:00:00.000Z', kind: '受理', actor: '张敏', note: '电话受理', source: 'desk' },
        { at: '2026-12-01T03:00:00.000Z', kind: '退单', actor: '甲街道 王五', note: '退单（非本单位职责）：该路段属市政道路', source: 'hub', unitCode: fx.department.code },
      ],
    } as unknown as WorkTicket;
    const { fetch, calls } = stubHub({
      'workspace.queue': () => ({ ok: true, value: { rows: [row], total: 1, offset: 0, limit: 100, facets: { statuses: [], categories: [], communities: [] } } }),
      'workspace.ticket': () => ({ ok: true, value: detail }),
      'ticket.redispatch': (input) =>
        input.version === 4
          ? { ok: true, value: { seq: 9, ticketId: ID, number: row.number, kind: '派单', at: '2026-12-01T04:00:00.000Z', actor: '孙敏', note: '重新派单', status: '已派单', unitCode: fx.streetUnit.code, deadlines: [], callback: null } }
          : { ok: false, error: { kind: 'conflict', message: '工单 202612010007 已被他人重新派单（当前：已派单）' } },
    });
    const { desk, api } = await deskWith(fetch);
    try {
      const queue = value(await api.call('redispatch.queue', {}));
      expect(queue.total).toBe(1);
      const [returned] = queue.rows;
      expect(calls.find((c) => c.name === 'workspace.queue')?.input).toMatchObject({ view: 'returned' });
      expect(returned).toMatchObject({
        number: '202612010007',
        version: 4,
        returnCount: 2,
        returnedBy: '甲街道 王五',
        returnReason: '（非本单位职责）：该路段属市政道路',
        leafCode: fx.localLeaf.code,
        leaf: { code: fx.localLeaf.code, coordination: fx.localLeaf.coordination },
        address: { villageCode: village.code, streetCode: village.parentCode, text: '幸福路 12 号门口' },
        returnedUnits: [{ code: fx.department.code, reasonKind: '非本单位职责' }],
      });
      expect(returned!.address.districtCode).toBe(desk.reference.places.get(village.parentCode!)!.parentCode);
      expect(returned!.addressText).toContain('幸福路 12 号门口');

      // The view's suggestion is intake's, over the same leaf and codes.
      const units = { streetUnit: (c: string) => desk.reference.units.streetUnit(c), subcenter: (c: string) => desk.reference.units.subcenter(c), get: (c: string) => desk.reference.units.get(c), cityCenter: () => fx.cityCenter };
      const places = new Map(desk.reference.places.all().map((p) => [p.code, p]));
      const suggestion = suggestionForReturned(returned!, { unitLookup: units, places });
      expect(suggestion).toEqual(suggestForIntake({ leafCode: fx.localLeaf.code, leaf: returned!.leaf, address: returned!.address, reading: null, places, units }));
      expect(suggestion).toMatchObject({ kind: 'direct', unit: { code: fx.streetUnit.code } });

      const sent = value(await api.call('redispatch.send', { ticketId: ID, version: 4, unitCode: fx.streetUnit.code }));
      expect(sent).toEqual({ number: '202612010007', unitName: fx.streetUnit.name, status: '已派单' });
      expect(calls.find((c) => c.name === 'ticket.redispatch')?.input).toEqual({ ticketId: ID, version: 4, unitCode: fx.streetUnit.code });

      const late = refusal(await api.call('redispatch.send', { ticketId: ID, version: 3, unitCode: fx.streetUnit.code }));
      expect(late).toMatchObject({ kind: 'conflict', message: '工单 202612010007 已被他人重新派单（当前：已派单）' });
    } finally {
      desk.dispose();
    }
  });
  it('never suggests the unit that returned the ticket: the district’s 分中心 coordinates instead, and the reason says why', async () => {
    const probe = await openReadyDesk();
    const fx = bundledFixtures(probe.desk.reference);
    probe.desk.dispose();
    const village = fx.village;
    const row = {
      id: ID, number: '202612010008', status: '已退单', disposition: '直派', urgency: '一般', unitCode: null, unitName: null,
      districtName: fx.district.name, streetName: fx.street.name, villageCode: village.code, villageName: village.name,
      leafPath: [], content: '楼道灯坏了', submittedAt: '2026-12-01T02:00:00.000Z', deadlines: [], nextDueAt: null, version: 6, returnCount: 2,
      supervision: null, pending: null,
    } as unknown as WorkRow;
    const trail = [
      { at: '2026-12-01T02:00:00.000Z', kind: '受理', actor: '张敏', note: '电话受理', source: 'desk' },
      { at: '2026-12-01T02:30:00.000Z', kind: '退单', actor: '某委办局 赵六', note: '退单（其他）：请属地处理', source: 'hub', unitCode: fx.department.code },
      { at: '2026-12-01T03:00:00.000Z', kind: '派单', actor: '孙敏', note: `重新派单：${fx.streetUnit.name}`, source: 'hub', unitCode: null },
      { at: '2026-12-01T04:00:00.000Z', kind: '退单', actor: `${fx.streetUnit.name} 王五`, note: '退单（非本单位职责）：该设施属物业管理', source: 'hub', unitCode: fx.streetUnit.code },
    ];
    const detail = { ...row, addressText: '3号楼', leafCode: fx.localLeaf.code, trail } as unknown as WorkTicket;
    const { fetch } = stubHub({
      'workspace.queue': () => ({ ok: true, value: { rows: [row], total: 1, offset: 0, limit: 100, facets: { statuses: [], categories: [], communities: [] } } }),
      'workspace.ticket': () => ({ ok: true, value: detail }),
    });
    const { desk, api } = await deskWith(fetch);
    try {
      const [returned] = value(await api.call('redispatch.queue', {})).rows;
      expect(returned!.returnedUnits).toEqual([
        { code: fx.department.code, reasonKind: '其他' },
        { code: fx.streetUnit.code, reasonKind: '非本单位职责' },
      ]);
      const units = { streetUnit: (c: string) => desk.reference.units.streetUnit(c), subcenter: (c: string) => desk.reference.units.subcenter(c), get: (c: string) => desk.reference.units.get(c), cityCenter: () => fx.cityCenter };
      const places = new Map(desk.reference.places.all().map((p) => [p.code, p]));
      // Intake's rule alone would send it straight back to the street that returned it.
      expect(suggestForIntake({ leafCode: fx.localLeaf.code, leaf: returned!.leaf, address: returned!.address, reading: null, places, units })).toMatchObject({ unit: { code: fx.streetUnit.code } });
      const suggestion = suggestionForReturned(returned!, { unitLookup: units, places })!;
      expect(suggestion).toMatchObject({ kind: 'subcenter', unit: { code: fx.subcenter.code } });
      expect(suggestion.reason).toBe(`${fx.streetUnit.name}已退回（非本单位职责），改派${fx.subcenter.name.replace('接诉即办分中心', '分中心')}协调`);
      expect(suggestion.alternatives.map((u) => u.code)).not.toContain(fx.streetUnit.code);
      expect(suggestion.alternatives.map((u) => u.code)).not.toContain(fx.subcenter.code);

      // Returned by another unit only: intake's suggestion as it is.
      const elsewhere = { ...returned!, returnedUnits: [{ code: fx.department.code, reasonKind: '其他' }] };
      expect(suggestionForReturned(elsewhere, { unitLookup: units, places })).toEqual(suggestForIntake({ leafCode: fx.localLeaf.code, leaf: returned!.leaf, address: returned!.address, reading: null, places, units }));
    } finally {
      desk.dispose();
    }
  });
});
