/**
 * `hub:sim` (server/sim.ts) makes the loop's moves as the people whose moves they are — the
 * sub-center forwards (some as 双派单, whose 协办 units reply), the streets accept, reply, apply for
 * extensions and for an unreasonable-claim finding, and close, the city center supervises, decides
 * and re-dispatches (returned tickets and one flagged 不合理诉求 at intake), a call-taker calls back — through the same calls the
 * workspace makes, and the hub refuses none of them. Each ticket ends 已回访/已办结 or in the
 * center's 待派 queue, with a trail that says how it got there. On PGlite and PostgreSQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkTicket } from '../../shared/api/hub-contract';
import { runSim, SIM_MOVE_LABEL, SIM_MOVES, type SimReport } from '../../server/sim';
import { useHub } from './fixture';
import { DRIVERS, expectOk, PASSWORD, pushedTicket, type TestHub } from './support';

const SUBCENTER_NAMES = { unit: '甲区接诉即办分中心', district: '甲区', leafPath: ['城乡建设', '施工管理', '施工扰民'] };

describe.each(DRIVERS)('hub:sim on %s', (driver) => {
  let hub: TestHub;
  let report: SimReport;
  const lines: string[] = [];
  useHub(driver, async (h) => {
    hub = h;
    const taker = await h.as('taker');
    const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 0, 30 + i)).toISOString();
    const tickets = [
      ...Array.from({ length: 7 }, (_, i) =>
        pushedTicket({
          submittedAt: at(i),
          disposition: '派分中心',
          unitCode: 'SC-A',
          address: { districtCode: 'D1', streetCode: i % 2 ? 'S-B' : 'S-A', villageCode: null, text: `某小区 ${i + 1} 号楼` },
          names: { ...SUBCENTER_NAMES, street: i % 2 ? '乙街道' : '甲街道' },
        }),
      ),
      ...Array.from({ length: 4 }, (_, i) => pushedTicket({ submittedAt: at(10 + i) })),
      pushedTicket({ submittedAt: at(20), disposition: '派市中心', unitCode: 'CC', names: { unit: '市民热线服务中心', district: '甲区', street: '甲街道', leafPath: ['城乡建设'] } }),
      pushedTicket({
        submittedAt: at(30),
        disposition: '不合理诉求',
        unitCode: null,
        unreasonableReason: '来电人要求街道出资装修私宅',
        names: { unit: null, district: '甲区', street: '甲街道', leafPath: ['城乡建设', '施工管理', '施工扰民'] },
      }),
    ];
    expectOk(await taker.call('tickets.push', { tickets }));
  });
  // The walk itself, with room for a loaded machine (the hub's setup hook allows 60 s).
  beforeAll(async () => {
    if (!hub) return; // the hub did not start: each test fails with its reason (fixture.ts)
    const h = hub;
    report = await runSim({
      url: h.url,
      admin: { username: 'admin', password: PASSWORD },
      accounts: {
        'SC-A': { username: 'op_sub', password: PASSWORD },
        'U-A': { username: 'op_a', password: PASSWORD },
        'U-B': { username: 'op_b', password: PASSWORD },
        CC: { username: 'op_city', password: PASSWORD },
      },
      callback: { username: 'taker', password: PASSWORD },
      max: 13,
      stopWhenIdle: true,
      budgetMs: 240_000,
      seed: 7,
      log: (line) => lines.push(line),
    });
  }, 300_000);

  it('makes every move through the hub and the hub refuses none', () => {
    expect(report.refusals, lines.join('\n')).toEqual([]);
    expect(report.refused).toBe(0);
    expect(report.tickets).toBe(13);
    for (const move of SIM_MOVES) expect(report.moves[move], `${SIM_MOVE_LABEL[move]}\n${lines.join('\n')}`).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe('中心拒绝的操作：0（全部操作均被中心接受）');
    expect(lines).toContain(`模拟结束：处理 13 张工单`);
  });

  it('acts as the accounts whose moves they are', async () => {
    const admin = await hub.as('admin');
    const actors = new Set<string>();
    for (const id of report.walked) {
      const t = expectOk(await admin.call('workspace.ticket', { ticketId: id }));
      for (const e of t.trail) if (e.source === 'hub') actors.add(`${e.kind}:${e.actor}`);
    }
    expect(actors).toContain('派单:甲区分中心派单员');
    expect(actors).toContain('接单:甲街道操作员');
    expect(actors).toContain('督办:市中心派单员');
    expect(actors).toContain('回访:李话务');
    expect(actors).toContain('不合理申请:甲街道操作员');
    expect(actors).toContain('不合理审核:市中心派单员');
    expect([...actors].filter((a) => a.startsWith('协办回复:')).length).toBeGreaterThan(0);
    // Nobody acted as the admin: every account was a real role's.
    expect([...actors].filter((a) => a.endsWith(':中心管理员'))).toEqual([]);
  });

  it('leaves each ticket finished or in the 待派 queue, with a trail that adds up', async () => {
    const admin = await hub.as('admin');
    const returned = expectOk(await admin.call('workspace.queue', { view: 'returned', limit: 200 })).rows.map((r) => r.id);
    const kinds = (t: WorkTicket) => t.trail.filter((e) => e.source === 'hub').map((e) => e.kind);
    for (const id of report.walked) {
      const t = expectOk(await admin.call('workspace.ticket', { ticketId: id }));
      const trail = kinds(t);
      const where = `${t.number}: ${t.status} ${trail.join('→')}`;
      if (t.status === '已退单') expect(returned, where).toContain(id);
      else expect(['已回访', '已办结'], where).toContain(t.status);
      expect(trail.filter((k) => k === '退单').length, where).toBe(t.returnCount);
      expect(t.pending, where).toBeNull();
      if (t.unreasonableAt) {
        // Found an unreasonable claim by the center: it ended there, no 办结 move, no 回访.
        expect(t.status, where).toBe('已办结');
        expect(trail.at(-1), where).toBe('不合理审核');
        expect(trail, where).toContain('不合理申请');
      } else if (t.status === '已回访' || t.status === '已办结') {
        expect(t.supervision, where).toBeNull();
        const accepted = trail.lastIndexOf('接单');
        expect(accepted, where).toBeGreaterThanOrEqual(0);
        expect(trail.lastIndexOf('办结'), where).toBeGreaterThan(accepted);
        expect(trail.lastIndexOf('退单'), where).toBeLessThan(accepted);
      }
      if (t.status === '已回访') expect(trail.at(-1), where).toBe('回访');
      if (t.disposition === '派分中心' && t.status !== '已退单') expect(trail, where).toContain('派单');
    }
    // 双派单: the 协办 units answered; the flagged ticket went out from the 待派 queue.
    const dual = await hub.db.query<{ n: number; replied: number }>(`SELECT count(*)::int AS n, count(reply)::int AS replied FROM ticket_assists`);
    expect(dual[0]!.n).toBeGreaterThan(0);
    expect(dual[0]!.replied).toBe(report.moves.assistReply);
    const [flagged] = await hub.db.query<{ status: string; unit_code: string | null }>(`SELECT status, unit_code FROM tickets WHERE intake_unreasonable`);
    expect(flagged!.status).not.toBe('待审核');
    // Every ticket pushed was moved at least once.
    const [left] = await hub.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE version = 0`);
    expect(left!.n).toBe(0);
    const [pending] = await hub.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_requests WHERE status = 'pending'`);
    expect(pending!.n).toBe(0);
  });
});
