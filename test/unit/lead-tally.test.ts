/**
 * The desk counts a shift log in SQLite (LeadRepo.tally) instead of folding a row object per ticket
 * (computeShiftReport over statTickets, the path the hub's rows take). The two must give the same
 * report, figure for figure, on tickets that exercise every corner: several days and shifts, an
 * operator who changed name, negative and zero handling times, tickets without a category or a
 * street, returned and called-back tickets (two callbacks on one, a 已回访 status without its event),
 * open, met and long deadline ladders, and every category level and filter.
 */
import { seededRandom } from '../../shared/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDeadline } from '../../shared/api/contract';
import { DISPOSITIONS, type TicketStatus } from '../../shared/domain/ticket';
import { statusOnSubmit } from '../../shared/lifecycle/ticket-lifecycle';
import { computeShiftReport, reportFromTally, addEarlierDays, type CategoryLevel, type ReportScope } from '../../shared/stats/shift-report';
import { decodeCode, LeadRepo, unpackHandlingHour } from '../../electron/services/lead/lead-repo';
import { storedTicket } from '../support/stored-ticket';
import { TALLY_DISPOSITIONS, TALLY_STATUSES, TALLY_UTC_OFFSET_MINUTES } from '../../electron/services/store/migrations';
import { CENTER_UTC_OFFSET_MINUTES } from '../../shared/time';
import { TICKET_STATUSES } from '../../shared/domain/ticket';
import { openDatabase } from '../../electron/services/store/database';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { join } from 'node:path';
import { openTestDesk } from '../support/desk';
import { freshDataDir } from '../support/host-process';

type TestDesk = ReturnType<typeof openTestDesk>;

const REPORT_AT = new Date('2026-10-06T04:00:00.000Z');
const FIRST_DAY = Date.parse('2026-09-29T16:00:00.000Z'); // 2026-09-30 00:00 in Beijing

/** 600 tickets over a week around 国庆节, written through the tickets repository. */
function fill(desk: TestDesk): void {
  const random = seededRandom(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const leaves = desk.reference.catalogue.all().filter((n) => n.level === 3).slice(0, 60);
  const streets = desk.reference.places.all().filter((p) => p.level === 'street').slice(0, 12);
  const repo = desk.tickets.tickets;
  desk.db.transaction(() => {
    for (let i = 0; i < 600; i++) {
      const submitted = new Date(FIRST_DAY + Math.floor(random() * 7 * 86_400_000));
      const operator = pick(['1001', '1002', '1003', '1004']);
      // 1003 was renamed during the week: the report shows the name on the latest ticket.
      const name = operator === '1003' ? (submitted.getTime() < FIRST_DAY + 3 * 86_400_000 ? '李娜' : '李娜（二组）') : `坐席${operator}`;
      const disposition = pick(DISPOSITIONS);
      const roll = random();
      const seconds = roll < 0.03 ? -40 : roll < 0.05 ? 0 : 30 + random() * 900; // a clock set wrong, a zero, the rest
      const ladderLength = random() < 0.05 ? 14 : disposition === '直派' || disposition === '派分中心' ? 3 : 0;
      const deadlines: TicketDeadline[] = Array.from({ length: ladderLength }, (_, k) => ({
        ruleId: `r${k}`,
        label: `第${k + 1}步`,
        startsAt: submitted.toISOString(),
        dueAt: new Date(submitted.getTime() + (k + 1) * random() * 2 * 86_400_000).toISOString(),
        doneAt: random() < 0.5 ? submitted.toISOString() : null,
      }));
      let status: TicketStatus = statusOnSubmit(disposition);
      if (random() < 0.08) status = '已退单';
      else if (random() < 0.05) status = '已回访';
      const leaf = random() < 0.06 ? null : pick(leaves);
      const street = random() < 0.1 ? null : pick(streets);
      // A few codes from before the reference data was checked: not all digits.
      const legacy = i % 150 === 7;
      const ticket = storedTicket(submitted, seconds, {
        provisionalNumber: `临20261001-${String(i + 1).padStart(4, '0')}`,
        operatorId: operator,
        operatorName: name,
        districtCode: street?.parentCode ?? null,
        streetCode: legacy ? 'BJ-DC-01' : (street?.code ?? null),
        leafCode: legacy ? '旧类12' : (leaf?.code ?? null),
        urgency: leaf?.urgency ?? '一般',
        disposition,
        status,
        deadlines,
        // Letters and messages typed up at the desk: every 7th by 微信, some by 网络 (by index, so the random draws stay as they were).
        channel: i % 7 === 3 ? '微信' : i % 11 === 5 ? '网络' : '电话',
      });
      repo.insert(ticket);
      if (random() < 0.2) {
        const at = (hours: number) => new Date(submitted.getTime() + hours * 3_600_000).toISOString();
        repo.addEvent(ticket.id, { kind: '回访', at: at(30), actor: '回访组', note: `回访：${pick(['满意', '基本满意', '不满意', '未接通'])}` });
        // A second callback on some: the later one is the one that counts.
        if (random() < 0.3) repo.addEvent(ticket.id, { kind: '回访', at: at(50), actor: '回访组', note: '二次回访：不满意' });
      }
    }
  })();
}

describe('the SQL tally gives the same shift log as folding the rows', () => {
  let desk: TestDesk;
  let repo: LeadRepo;
  beforeAll(async () => {
    desk = openTestDesk();
    await desk.ready;
    fill(desk);
    repo = new LeadRepo(desk.db);
  }, 60_000);
  afterAll(() => desk.dispose());

  const names = { categoryPath: (code: string) => [`类${code}`], placeName: (code: string) => `街${code}` };
  const reportAtMs = REPORT_AT.getTime();
  const callbacksSince = '2026-09-28T16:00:00.000Z';

  function both(scope: ReportScope, trendFrom: string) {
    const earlier = trendFrom < scope.from ? repo.dayCounts({ from: trendFrom, to: '2026-09-30', shiftCode: scope.shiftCode, operatorIds: scope.operatorIds }) : [];
    const fromRows = computeShiftReport({
      tickets: repo.statTickets({ ...scope, callbacksSince }),
      earlierDays: earlier,
      scope,
      shift: null,
      reportAtMs,
      trendFrom,
      names,
    });
    const tally = repo.tally({ ...scope, callbacksSince, reportAtMs });
    addEarlierDays(tally, earlier, trendFrom, scope.from);
    return { fromRows, fromSql: reportFromTally(tally, { scope, shift: null, trendFrom, names }) };
  }

  const scopes: Array<[string, ReportScope]> = [
    ...([1, 2, 3] as CategoryLevel[]).map((level): [string, ReportScope] => [`the whole week, 分类 level ${level}`, { from: '2026-09-30', to: '2026-10-06', shiftCode: null, operatorIds: [], categoryLevel: level }]),
    ['one 夜班', { from: '2026-10-03', to: '2026-10-03', shiftCode: 'night', operatorIds: [], categoryLevel: 3 }],
    ['two operators, 早班 over three days', { from: '2026-10-01', to: '2026-10-03', shiftCode: 'early', operatorIds: ['1003', '1004'], categoryLevel: 2 }],
    ['a day nobody worked', { from: '2026-09-01', to: '2026-09-01', shiftCode: null, operatorIds: [], categoryLevel: 1 }],
  ];

  for (const [label, scope] of scopes) {
    it(`agrees on ${label}`, () => {
      const { fromRows, fromSql } = both(scope, scope.from === '2026-10-03' ? '2026-09-27' : scope.from);
      expect(fromSql).toEqual(fromRows);
    });
  }

  it('is about real counts: the week has every kind of ticket the comparison needs', () => {
    const { fromSql } = both(scopes[0]![1], '2026-09-30');
    const t = fromSql.totals;
    expect(t.taken).toBe(600);
    expect(t.handling.measured).toBeLessThan(600); // the clocks set wrong are left out
    expect([t.returned, t.overdue, t.callbacks, t.satisfaction.rated, fromSql.categories.unclassified, fromSql.hotspots.withoutStreet].every((n) => n > 0)).toBe(true);
    expect(fromSql.operators.find((o) => o.operatorId === '1003')?.operatorName).toBe('李娜（二组）');
    // 受理渠道: 86 by 微信 (i % 7 = 3), 47 by 网络, the rest by phone; shares of the 600.
    expect(fromSql.channels).toEqual([
      { channel: '电话', count: 467, share: 467 / 600 },
      { channel: '网络', count: 47, share: 47 / 600 },
      { channel: '微信', count: 86, share: 86 / 600 },
    ]);
  });

  it('a desk whose tickets were written before migration 5 builds its indexes on upgrade and reports the same', async () => {
    const dataDir = freshDataDir();
    const old = openDatabase({ path: join(dataDir, 'desk.sqlite'), migrations: MIGRATIONS.slice(0, 4) });
    if (!old.ok) throw new Error(old.error.message);
    old.value.db.exec(`ATTACH '${join(desk.dataDir, 'desk.sqlite')}' AS fresh;
                       INSERT INTO tickets SELECT * FROM fresh.tickets;
                       INSERT INTO ticket_events SELECT * FROM fresh.ticket_events;
                       DETACH fresh;`);
    old.value.db.close();
    const upgraded = openTestDesk({ dataDir });
    try {
      await upgraded.ready;
      const indexes = upgraded.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('tickets', 'ticket_events')").pluck().all();
      expect(indexes).toEqual(expect.arrayContaining(['tickets_tally', 'ticket_events_callbacks', 'tickets_id_scope']));
      expect(indexes).not.toContain('tickets_shift_log');
      const scope = scopes[0]![1];
      const report = (r: LeadRepo) => reportFromTally(r.tally({ ...scope, callbacksSince, reportAtMs }), { scope, shift: null, trendFrom: scope.from, names });
      expect(report(new LeadRepo(upgraded.db))).toEqual(report(repo));
    } finally {
      upgraded.dispose();
    }
  });

  it('indexes with the domain’s own lists and offset (a change there needs a new migration)', () => {
    expect([...TALLY_DISPOSITIONS]).toEqual([...DISPOSITIONS]);
    expect([...TALLY_STATUSES]).toEqual([...TICKET_STATUSES]);
    expect(TALLY_UTC_OFFSET_MINUTES).toBe(CENTER_UTC_OFFSET_MINUTES);
  });

  it('keeps a code that is not all digits as it is, in the figures and in the drill-down', () => {
    const tally = repo.tally({ ...scopes[2]![1], callbacksSince, reportAtMs });
    expect(tally.categories.get('旧类12')).toBe(4);
    expect(tally.streets.get('BJ-DC-01')).toEqual({ count: 4, categories: new Map([['旧类', 4]]) });
    const rows = repo.statTickets({ ...scopes[2]![1], callbacksSince });
    expect(rows.filter((t) => t.leafCode === '旧类12' && t.streetCode === 'BJ-DC-01')).toHaveLength(4);
    for (const code of ['0101001', '110101001', '01', '0000', '7']) expect(decodeCode(Number(code) * 16 + code.length)).toBe(code);
  });

  it('packs a handling time and an hour into one number and takes them apart again', () => {
    for (const [handlingMs, hour] of [
      [0, 0],
      [183_250, 23],
      [-40_000, 7],
      [86_400_000, 12],
    ] as const) {
      expect(unpackHandlingHour(handlingMs * 24 + hour)).toEqual({ handlingMs, hour });
    }
  });
});
