/**
 * 考核's per-day summary (server/rank-summary.ts, hub migration 16) against the same figures counted
 * from the tickets and their events (server/rankings.ts liveFigureRows), on PGlite and PostgreSQL:
 * a random month-end of pushed tickets, then random writes straight to the tables as any hub path
 * makes them — 接单, 退单 by one or two units and 重新派单, 回访 with each satisfaction, 重办, an
 * approved 不合理诉求, a 重复诉求 linked, moved to another original and deleted, a reclassified
 * ticket — after each round every grouping, range and scope must agree. A changed SLA policy
 * counts the summary again at the next start.
 */
import { describe, expect, it } from 'vitest';
import type { PushedTicket } from '../../shared/api/hub-contract';
import type { RankGroup } from '../../shared/stats/rankings-schema';
import { ensureRankSettings, rankSettingsOf, summaryChannels, summaryFigureRows, type RankSettings } from '../../server/rank-summary';
import { liveChannels, liveFigureRows, type FigureRow } from '../../server/rankings';
import { seededRandom } from '../../shared/random';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, pushedTicket, RESOURCES_DIR, startTestHub, type TestHub } from './support';
import { loadSlaPolicy } from '../../server/hub';

const PLACES = [
  { unit: 'U-A', unitName: '甲街道办事处', district: 'D1', districtName: '甲区', street: 'S-A', streetName: '甲街道' },
  { unit: 'U-B', unitName: '乙街道办事处', district: 'D1', districtName: '甲区', street: 'S-B', streetName: '乙街道' },
  { unit: 'U-C', unitName: '丙镇人民政府', district: 'D2', districtName: '乙区', street: 'S-C', streetName: '丙镇' },
];
const LEAVES: Array<{ code: string; path: string[] }> = [
  { code: '0101', path: ['城乡建设', '施工管理', '施工扰民'] },
  { code: '0203', path: ['市场管理', '价格监管', '明码标价'] },
  { code: '0305', path: ['公共服务', '供水', '停水'] },
];
const GROUPS: RankGroup[] = ['unit', 'street', 'district', 'category'];
const RANGES = [
  { from: '2026-11-01', to: '2026-11-30' },
  { from: '2026-11-03', to: '2026-11-03' },
  { from: '2026-11-02', to: '2026-11-04' },
];

/** Rows in a comparable order and shape (sums as numbers; rows with nothing in them dropped). */
function normal(rows: FigureRow[]): unknown[] {
  return rows
    .filter((r) => r.tickets + r.away > 0)
    // A name is read for a group only (server/rankings.ts nameOf), not for a day or the total.
    .map((r) => ({ ...r, name: r.grouping_key === 0 ? r.name : null, satisfaction_sum: r.satisfaction_sum === null ? null : Math.round(Number(r.satisfaction_sum) * 1000) / 1000 }))
    .sort((a, b) => `${a.grouping_key}${a.grouping_day}${a.key}${a.day}`.localeCompare(`${b.grouping_key}${b.grouping_day}${b.key}${b.day}`));
}

describe.each(DRIVERS)('考核 per-day summary on %s', (driver) => {
  let hub!: TestHub;
  // Seeded, so a failure repeats.
  const rnd = seededRandom(20261201);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    setupOnce(
    async () => {
      hub = await startTestHub(driver);
    },
    async () => {
      await hub?.close();
    },
  );

  /** What the hub wrote at start (server/hub.ts: rankSettingsOf its SLA policy). */
  const settings = async (): Promise<RankSettings> => {
    const [row] = await hub.db.query<RankSettings>(`SELECT limits, dispositions, weights FROM rank_settings`);
    return row!;
  };
  async function expectSame(limits: Record<string, number>, round: string): Promise<void> {
    for (const groupBy of GROUPS) {
      for (const range of RANGES) {
        for (const district of [null, 'D1']) {
          const scope = { districtCode: district, label: district ?? '全市' };
          const live = await liveFigureRows(hub.db, limits, groupBy, range.from, range.to, scope, true);
          const summary = await summaryFigureRows(hub.db, groupBy, range.from, range.to, district, true);
          expect(normal(summary), `${round}: ${groupBy} ${range.from}–${range.to} ${district ?? '全市'}`).toEqual(normal(live));
          if (groupBy === 'unit') {
            const byChannel = (rows: Array<{ channel: string; tickets: number }>) => [...rows].sort((a, b) => a.channel.localeCompare(b.channel));
            expect(byChannel(await summaryChannels(hub.db, range.from, range.to, district)), `${round}: 受理渠道`).toEqual(byChannel(await liveChannels(hub.db, range.from, range.to, scope)));
          }
        }
      }
    }
  }

  setupOnce(async () => {
    const taker = await hub.as('taker');
    const tickets: PushedTicket[] = [];
    for (let i = 0; i < 80; i++) {
      const place = pick(PLACES);
      const leaf = pick(LEAVES);
      const day = 1 + Math.floor(rnd() * 5);
      const r = rnd();
      const disposition = r < 0.1 ? '咨询办结' : r < 0.2 && tickets.length > 0 ? '重复诉求' : r < 0.35 ? '派分中心' : '直派';
      // A 重复诉求 comes after its original (within two days), as a caller rings again.
      const original = disposition === '重复诉求' ? pick(tickets) : null;
      const submittedAt = original
        ? new Date(Date.parse(original.submittedAt) + Math.floor(rnd() * 48 * 3_600_000)).toISOString()
        : new Date(Date.parse(`2026-11-0${day}T00:00:00.000Z`) + Math.floor(rnd() * 14 * 3_600_000)).toISOString();
      const unitCode = disposition === '直派' ? (rnd() < 0.1 ? 'DEP-W' : place.unit) : disposition === '派分中心' ? (place.district === 'D1' ? 'SC-A' : 'SC-B') : null;
      tickets.push(
        pushedTicket({
          submittedAt,
          urgency: rnd() < 0.2 ? '紧急' : '一般',
          channel: pick(['电话', '电话', '微信', '网络'] as const),
          disposition,
          unitCode,
          leafCode: leaf.code,
          kbArticleId: disposition === '咨询办结' ? 'KB-1' : null,
          linkedTicketId: original?.id ?? null,
          address: { districtCode: place.district, streetCode: place.street, villageCode: null, text: '' },
          names: { unit: unitCode ? place.unitName : '', district: place.districtName, street: place.streetName, leafPath: leaf.path },
        }),
      );
    }
    // In two pushes: a push's new tickets are summed per key (hub migration 19), both into rows of
    // their own and into rows the first push made; a 重复诉求 may link to a ticket of its own push.
    expectOk(await taker.call('tickets.push', { tickets: tickets.slice(0, 40) }));
    expectOk(await taker.call('tickets.push', { tickets: tickets.slice(40) }));
  });

  const event = (id: string, kind: string, at: string, extra: { callback?: object; from?: string } = {}) =>
    hub.db.query(
      `INSERT INTO ticket_events (ticket_id, desk_id, source, kind, at, actor, note, status, unit_code, deadlines, callback, from_unit_code)
       VALUES ($1::uuid, 'desk-1', 'hub', $2, $3::timestamptz, '测试', '', '已派单', NULL, '[]'::jsonb, $4::jsonb, $5)`,
      [id, kind, at, extra.callback ? JSON.stringify(extra.callback) : null, extra.from ?? null],
    );

  async function round(): Promise<void> {
    const rows = await hub.db.query<{ id: string; submitted_at: Date | string; unit: string | null; disposition: string }>(
      `SELECT id::text AS id, submitted_at, COALESCE(unit_code, dispatched_unit_code) AS unit, disposition FROM tickets ORDER BY number`,
    );
    for (const t of rows) {
      const at = (hours: number) => new Date(new Date(t.submitted_at).getTime() + hours * 3_600_000).toISOString();
      const r = rnd();
      if (t.disposition === '重复诉求') {
        if (r < 0.2) {
          // Linked to another original taken before it.
          const earlier = rows.filter((o) => o.disposition !== '重复诉求' && new Date(o.submitted_at) < new Date(t.submitted_at));
          if (earlier.length > 0) await hub.db.query(`UPDATE tickets SET linked_ticket_id = $2::uuid WHERE id = $1::uuid`, [t.id, pick(earlier).id]);
        }
        else if (r < 0.3) await hub.db.query(`DELETE FROM tickets WHERE id = $1::uuid AND NOT EXISTS (SELECT 1 FROM ticket_events WHERE ticket_id = $1::uuid)`, [t.id]);
        continue;
      }
      if (r < 0.3) await hub.db.query(`UPDATE tickets SET accepted_at = $2::timestamptz WHERE id = $1::uuid AND accepted_at IS NULL`, [t.id, at(rnd() * 4)]);
      else if (r < 0.4 && t.unit) {
        // 退单, then the center sends it to another unit (or the same one again).
        await event(t.id, '退单', at(1), { from: t.unit });
        await hub.db.query(`UPDATE tickets SET unit_code = NULL, status = '已退单' WHERE id = $1::uuid`, [t.id]);
        if (rnd() < 0.7) await hub.db.query(`UPDATE tickets SET unit_code = $2, status = '已派单' WHERE id = $1::uuid`, [t.id, pick(['U-A', 'U-B', 'U-C', t.unit])]);
      } else if (r < 0.6) {
        const satisfaction = pick(['满意', '基本满意', '不满意']);
        const resolved = satisfaction !== '不满意' || rnd() < 0.3;
        await event(t.id, '回访', at(30), { callback: { resolved, satisfaction } });
        await hub.db.query(`UPDATE tickets SET callback_at = $2::timestamptz, callback_resolved = $3, callback_satisfaction = $4, unit_resolved = $5 WHERE id = $1::uuid`, [
          t.id,
          at(30),
          resolved,
          satisfaction,
          rnd() < 0.8,
        ]);
        if (!resolved || satisfaction === '不满意') await event(t.id, '重办', at(30.1));
      } else if (r < 0.65) await hub.db.query(`UPDATE tickets SET unreasonable_at = $2::timestamptz WHERE id = $1::uuid`, [t.id, at(20)]);
      else if (r < 0.7) await hub.db.query(`UPDATE tickets SET leaf_code = $2, names = jsonb_set(names, '{leafPath}', $3::jsonb) WHERE id = $1::uuid`, [t.id, ...(() => {
        const leaf = pick(LEAVES);
        return [leaf.code, JSON.stringify(leaf.path)];
      })()]);
      else if (r < 0.75) await hub.db.query(`UPDATE tickets SET unit_resolved = $2 WHERE id = $1::uuid`, [t.id, rnd() < 0.5]);
    }
  }

  it('equals the figures counted from the tickets after every round of writes, by every grouping, range and scope', async () => {
    const limits = (await settings()).limits;
    await expectSame(limits, 'pushed');
    const [counted] = await hub.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rank_day WHERE kind = 'unit' AND tickets > 0`);
    expect(counted!.n).toBeGreaterThan(10);
    for (let i = 1; i <= 3; i++) {
      await round();
      await expectSame(limits, `round ${i}`);
    }
    // The rounds made each kind of figure the summary keeps.
    const [made] = await hub.db.query<{ returned: number; away: number; reopened: number; repeated: number; rated: number }>(
      `SELECT sum(returned)::int AS returned, sum(away)::int AS away, sum(reopened)::int AS reopened, sum(repeated)::int AS repeated, sum(rated)::int AS rated
         FROM rank_day WHERE kind = 'unit'`,
    );
    for (const n of Object.values(made!)) expect(n).toBeGreaterThan(0);
  });

  it('is counted again when the response limits change, and left alone when they do not', async () => {
    const current = await settings();
    expect(current).toEqual(rankSettingsOf(loadSlaPolicy(RESOURCES_DIR)));
    expect(await ensureRankSettings(hub.db, current)).toBe(false);
    // A center that gives every 一般 ticket ten minutes to 接单: fewer responded.
    const strict = { ...current, limits: Object.fromEntries(Object.entries(current.limits).map(([k, v]) => [k, Math.min(v, 10)])) };
    const before = await summaryFigureRows(hub.db, 'unit', '2026-11-01', '2026-11-30', null, true);
    expect(await ensureRankSettings(hub.db, strict)).toBe(true);
    await expectSame(strict.limits, 'strict limits');
    const after = await summaryFigureRows(hub.db, 'unit', '2026-11-01', '2026-11-30', null, true);
    const responded = (rows: FigureRow[]) => rows.find((r) => r.grouping_key === 1 && r.grouping_day === 1)!.responded;
    expect(responded(after)).toBeLessThan(responded(before));
    // Back to the policy's limits at the next start.
    await hub.restart();
    await expectSame(current.limits, 'after restart');
    expect(responded(await summaryFigureRows(hub.db, 'unit', '2026-11-01', '2026-11-30', null, true))).toBe(responded(before));
  });
});
