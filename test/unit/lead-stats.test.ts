/**
 * The shift log's pure statistics (shared/stats) against small fixtures counted by hand: a 早班 on
 * 国庆节 (a statutory holiday) with the day before, a 中班 ticket minutes before midnight and a 夜班
 * one just after, callbacks with each satisfaction, an overdue and a returned ticket; plus the
 * percentile rules, phone masking and the checks on shift definitions (夜班 past midnight).
 */
import { describe, expect, it } from 'vitest';
import type { Disposition, TicketStatus } from '../../shared/domain/ticket';
import { DEFAULT_SHIFTS, type ShiftDefinition } from '../../shared/shifts';
import { dayInfo, datesBetween } from '../../shared/stats/calendar';
import { maskPhone, maskPhonesIn, showsFullPhone } from '../../shared/stats/mask';
import { crossesMidnight, shiftHours, shiftProblems, shiftWindow } from '../../shared/stats/shift-config';
import {
  centerHour,
  computeShiftReport,
  describeDrill,
  earliestOpenDue,
  median,
  nearestRank,
  satisfactionIn,
  selectDrill,
  type Namer,
  type ReportScope,
  type Satisfaction,
  type StatTicket,
} from '../../shared/stats/shift-report';

/** A Beijing wall-clock time as epoch ms: bj('2026-10-01 09:03:00'). */
const bj = (text: string) => Date.parse(`${text.replace(' ', 'T')}+08:00`);

let serial = 0;
function ticket(fields: {
  op: '1001' | '1002' | '1003';
  shift: 'night' | 'early' | 'middle';
  date: string;
  call: string;
  submit: string;
  leaf?: string | null;
  street?: string | null;
  disposition: Disposition;
  status: TicketStatus;
  openDue?: string | null;
  callback?: Satisfaction | 'unknown' | null;
}): StatTicket {
  const names = { '1001': '王丽', '1002': '张伟', '1003': '李娜' } as const;
  return {
    id: `t${String(++serial).padStart(2, '0')}`,
    operatorId: fields.op,
    operatorName: names[fields.op],
    shiftCode: fields.shift,
    shiftDate: fields.date,
    callStartedMs: bj(fields.call),
    submittedMs: bj(fields.submit),
    leafCode: fields.leaf ?? null,
    streetCode: fields.street ?? null,
    disposition: fields.disposition,
    status: fields.status,
    openDueMs: fields.openDue ? bj(fields.openDue) : null,
    callback: fields.callback ? { satisfaction: fields.callback === 'unknown' ? null : fields.callback } : null,
  };
}

const S1 = '110105001';
const S2 = '110105002';
const S3 = '110108001';

// 早班 of 2026-10-01 (国庆节), hand-counted below.
const A = ticket({ op: '1001', shift: 'early', date: '2026-10-01', call: '2026-10-01 09:00:00', submit: '2026-10-01 09:03:00', leaf: '0301001', street: S1, disposition: '直派', status: '已派单', openDue: '2026-10-03 00:00:00' });
const B = ticket({ op: '1001', shift: 'early', date: '2026-10-01', call: '2026-10-01 09:10:00', submit: '2026-10-01 09:12:00', leaf: '1701001', disposition: '咨询办结', status: '已办结' });
const C = ticket({ op: '1002', shift: 'early', date: '2026-10-01', call: '2026-10-01 10:00:00', submit: '2026-10-01 10:05:00', leaf: '0201001', street: S1, disposition: '派分中心', status: '已派单', openDue: '2026-10-01 12:05:00' });
const D = ticket({ op: '1002', shift: 'early', date: '2026-10-01', call: '2026-10-01 10:30:00', submit: '2026-10-01 10:31:00', leaf: '0301001', street: S1, disposition: '重复诉求', status: '已关联' });
const E = ticket({ op: '1002', shift: 'early', date: '2026-10-01', call: '2026-10-01 11:00:00', submit: '2026-10-01 11:10:00', street: S2, disposition: '不合理诉求', status: '待审核' });
const F = ticket({ op: '1001', shift: 'early', date: '2026-10-01', call: '2026-10-01 15:55:00', submit: '2026-10-01 15:59:00', leaf: '0301002', street: S2, disposition: '直派', status: '已退单', openDue: '2026-10-03 00:00:00' });
const J = ticket({ op: '1003', shift: 'early', date: '2026-10-01', call: '2026-10-01 12:00:00', submit: '2026-10-01 12:02:30', leaf: '0401001', street: S3, disposition: '派市中心', status: '已回访', callback: '不满意' });
// The day before (a working day), same shift: only in the trend.
const G = ticket({ op: '1001', shift: 'early', date: '2026-09-30', call: '2026-09-30 09:00:00', submit: '2026-09-30 09:04:00', leaf: '0201001', street: S1, disposition: '直派', status: '已回访', callback: '满意' });
// 中班 minutes before midnight; 夜班 of the next date for a call that began before midnight.
const H = ticket({ op: '1002', shift: 'middle', date: '2026-10-01', call: '2026-10-01 23:50:00', submit: '2026-10-01 23:58:00', leaf: '0301001', street: S1, disposition: '直派', status: '已回访', callback: '基本满意' });
const I = ticket({ op: '1003', shift: 'night', date: '2026-10-02', call: '2026-10-01 23:58:00', submit: '2026-10-02 00:05:00', leaf: '0201001', street: S2, disposition: '直派', status: '已派单', openDue: '2026-10-02 00:05:00' });

const ALL = [A, B, C, D, E, F, J, G, H, I];
const REPORT_AT = bj('2026-10-01 17:00:00');

const NAMES: Namer = {
  categoryPath: (code) =>
    ({
      '03': ['市容环卫'],
      '0301001': ['市容环卫', '环境卫生', '垃圾清运'],
      '0301002': ['市容环卫', '环境卫生', '道路清扫'],
      '02': ['物业管理'],
      '0201001': ['物业管理', '物业服务', '收费'],
      '17': ['劳动和社会保障'],
      '1701001': ['劳动和社会保障', '社会保险', '社保卡'],
      '04': ['交通管理'],
      '0401001': ['交通管理', '停车管理', '违章停车'],
    })[code] ?? [],
  placeName: (code) => ({ [S1]: '建外街道', [S2]: '朝外街道', [S3]: '万寿路街道' })[code] ?? code,
};

const EARLY = DEFAULT_SHIFTS.find((s) => s.code === 'early')!;
const scope = (over: Partial<ReportScope> = {}): ReportScope => ({ from: '2026-10-01', to: '2026-10-01', shiftCode: 'early', operatorIds: [], categoryLevel: 1, ...over });

function report(over: Partial<ReportScope> = {}, shift: ShiftDefinition | null = EARLY, sessions: Parameters<typeof computeShiftReport>[0]['sessions'] = []) {
  return computeShiftReport({ tickets: ALL, sessions, scope: scope(over), shift, reportAtMs: REPORT_AT, trendFrom: '2026-09-25', names: NAMES });
}

describe('percentiles as the shift log reads them', () => {
  it('median is the middle value, or the mean of the two middle values', () => {
    expect(median([])).toBeNull();
    expect(median([300])).toBe(300);
    expect(median([600, 60, 180])).toBe(180);
    expect(median([60, 120, 180, 240])).toBe(150);
  });
  it('P90 is the nearest rank: the smallest value at least 90% of the values do not exceed', () => {
    expect(nearestRank([60, 120, 150, 180, 240, 300, 600], 90)).toBe(600); // ceil(6.3) = 7th
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9); // 9th of 10
    expect(nearestRank([5], 90)).toBe(5);
    expect(nearestRank([], 90)).toBeNull();
  });
  it('hours are Beijing hours whatever the machine zone', () => {
    expect(centerHour(bj('2026-10-01 00:05:00'))).toBe(0);
    expect(centerHour(bj('2026-10-01 23:59:59'))).toBe(23);
    expect(centerHour(Date.parse('2026-10-01T16:30:00Z'))).toBe(0);
  });
});

describe('a 早班 on 国庆节, counted by hand', () => {
  const r = report();

  it('takes the seven tickets stamped 早班 2026-10-01 and none of the day before, the 中班 or the next 夜班', () => {
    expect(r.totals.taken).toBe(7);
    // 60 120 150 180 240 300 600 seconds: median the 4th, P90 the 7th.
    expect(r.totals.handling).toEqual({ measured: 7, medianSeconds: 180, p90Seconds: 600 });
  });

  it('counts dispositions, returns, overdue and callbacks by their definitions', () => {
    const t = r.totals;
    expect([t.kbClosed, t.direct, t.subcenter, t.cityCenter, t.duplicates, t.unreasonable]).toEqual([1, 2, 1, 1, 1, 1]);
    expect(t.kbClosedRate).toBeCloseTo(1 / 7);
    expect(t.returned).toBe(1); // F
    expect(t.overdue).toBe(1); // C: 派单时限 12:05 open at 17:00; A and F are due on the 3rd
    expect(t.callbacks).toBe(1); // J
    expect(t.satisfaction).toEqual({ rated: 1, satisfied: 0, basic: 0, unsatisfied: 1, rate: 0 });
  });

  it('gives each operator their own figures, busiest first', () => {
    expect(r.operators.map((o) => [o.operatorName, o.taken])).toEqual([
      ['王丽', 3],
      ['张伟', 3],
      ['李娜', 1],
    ]);
    const wang = r.operators[0]!;
    expect(wang.handling).toEqual({ measured: 3, medianSeconds: 180, p90Seconds: 240 });
    expect([wang.kbClosed, wang.direct, wang.returned]).toEqual([1, 2, 1]);
    const zhang = r.operators[1]!;
    expect([zhang.subcenter, zhang.duplicates, zhang.unreasonable, zhang.overdue]).toEqual([1, 1, 1, 1]);
  });

  it('spreads the shift over its own hours, 08 to 15', () => {
    expect(r.hourly).toEqual([8, 9, 10, 11, 12, 13, 14, 15].map((hour) => ({ hour, count: { 9: 2, 10: 2, 11: 1, 12: 1, 15: 1 }[hour] ?? 0 })));
  });

  it('ranks 一级 categories with their share of all tickets taken, and counts the unclassified', () => {
    expect(r.categories.items.map((c) => [c.code, c.name, c.count])).toEqual([
      ['03', '市容环卫', 3],
      ['02', '物业管理', 1],
      ['04', '交通管理', 1],
      ['17', '劳动和社会保障', 1],
    ]);
    expect(r.categories.items[0]!.share).toBeCloseTo(3 / 7);
    expect(r.categories.topShare).toBeCloseTo(6 / 7);
    expect(r.categories.unclassified).toBe(1); // E
  });

  it('ranks 三级 leaves with their full path when asked', () => {
    const leaves = report({ categoryLevel: 3 }).categories.items;
    expect(leaves[0]).toMatchObject({ code: '0301001', name: '垃圾清运', path: ['市容环卫', '环境卫生', '垃圾清运'], count: 2 });
    expect(leaves).toHaveLength(5);
  });

  it('splits dispositions in the catalogue order', () => {
    expect(r.dispositions.map((d) => [d.disposition, d.count])).toEqual([
      ['咨询办结', 1],
      ['直派', 2],
      ['派分中心', 1],
      ['派市中心', 1],
      ['重复诉求', 1],
      ['不合理诉求', 1],
    ]);
  });

  it('maps hot spots as street × 一级 category', () => {
    expect(r.hotspots.streets).toEqual([
      { code: S1, name: '建外街道' },
      { code: S2, name: '朝外街道' },
      { code: S3, name: '万寿路街道' },
    ]);
    expect(r.hotspots.categories.map((c) => c.code)).toEqual(['03', '02', '04']);
    expect(r.hotspots.cells).toEqual([
      { street: 0, category: 0, count: 2 },
      { street: 0, category: 1, count: 1 },
      { street: 1, category: 0, count: 1 },
      { street: 2, category: 2, count: 1 },
    ]);
    expect(r.hotspots.max).toBe(2);
    expect(r.hotspots.withoutStreet).toBe(1); // B
  });

  it('trends over the week before, saying which days are holidays', () => {
    expect(r.trend.map((d) => d.date)).toEqual(datesBetween('2026-09-25', '2026-10-01'));
    expect(r.trend.find((d) => d.date === '2026-09-30')).toEqual({ date: '2026-09-30', count: 1, kind: 'workday', label: '工作日' });
    expect(r.trend.find((d) => d.date === '2026-10-01')).toEqual({ date: '2026-10-01', count: 7, kind: 'holiday', label: '国庆节' });
    expect(r.trend.find((d) => d.date === '2026-09-27')).toMatchObject({ count: 0, kind: 'holiday', label: '中秋' });
  });
});

describe('across midnight', () => {
  it('a 中班 ticket at 23:58 stays in its date; the call that began then and ended after midnight is the next date’s 夜班', () => {
    const day = report({ shiftCode: null }, null);
    expect(day.totals.taken).toBe(8); // the seven 早班 + H
    expect(day.hourly).toHaveLength(24);
    expect(day.hourly[23]).toEqual({ hour: 23, count: 1 });
    const night = report({ from: '2026-10-02', to: '2026-10-02', shiftCode: 'night' }, DEFAULT_SHIFTS[0]!);
    expect(night.totals.taken).toBe(1);
    expect(night.totals.handling.medianSeconds).toBe(420); // 23:58 → 00:05
    expect(night.hourly[0]).toEqual({ hour: 0, count: 1 });
    // Due at 00:05 and still open at 17:00 on the 1st? Not yet due then: the report time decides.
    expect(night.totals.overdue).toBe(0);
  });

  it('a 夜班 from 22:00 to 06:00 covers 22 … 05 in that order, and ends the next morning', () => {
    const night: ShiftDefinition = { code: 'night', name: '夜班', start: '22:00', end: '06:00' };
    expect(crossesMidnight(night)).toBe(true);
    expect(shiftHours(night)).toEqual([22, 23, 0, 1, 2, 3, 4, 5]);
    const window = shiftWindow(night, '2026-10-01');
    expect(window.start.toISOString()).toBe('2026-10-01T14:00:00.000Z');
    expect(window.end.toISOString()).toBe('2026-10-01T22:00:00.000Z');
  });
});

describe('filters', () => {
  it('one operator, with sign-ins shown even for an operator who took nothing', () => {
    const sessions = [
      { operatorId: '1002', operatorName: '张伟', signedInAt: '2026-10-01T01:58:00.000Z', signedOutAt: '2026-10-01T04:00:00.000Z' },
      { operatorId: '1009', operatorName: '钱多', signedInAt: '2026-10-01T04:00:00.000Z', signedOutAt: null },
    ];
    const one = report({ operatorIds: ['1002'] }, EARLY, sessions);
    expect(one.totals.taken).toBe(3);
    expect(one.operators.map((o) => o.operatorId)).toEqual(['1002']);
    expect(one.operators[0]!.sessions).toEqual([{ signedInAt: '2026-10-01T01:58:00.000Z', signedOutAt: '2026-10-01T04:00:00.000Z' }]);
    const everyone = report({}, EARLY, sessions);
    expect(everyone.operators.at(-1)).toMatchObject({ operatorId: '1009', operatorName: '钱多', taken: 0, handling: { medianSeconds: null } });
  });

  it('an empty scope reports zeros and no rates, never NaN', () => {
    const none = report({ from: '2026-09-01', to: '2026-09-01' });
    expect(none.totals.taken).toBe(0);
    expect(none.totals.kbClosedRate).toBeNull();
    expect(none.totals.satisfaction.rate).toBeNull();
    expect(none.categories.items).toEqual([]);
    expect(none.dispositions.every((d) => d.share === 0)).toBe(true);
  });
});

describe('drill-down: the tickets behind a figure, newest first', () => {
  const ids = (list: StatTicket[]) => list.map((t) => t.id);
  const s = scope();
  it('picks by hour, category, hot spot, disposition, day, operator and metric', () => {
    expect(ids(selectDrill(ALL, s, { kind: 'hour', hour: 9 }, REPORT_AT))).toEqual(ids([B, A]));
    expect(ids(selectDrill(ALL, s, { kind: 'category', code: '03' }, REPORT_AT))).toEqual(ids([F, D, A]));
    expect(ids(selectDrill(ALL, s, { kind: 'category', code: '0301001' }, REPORT_AT))).toEqual(ids([D, A]));
    expect(ids(selectDrill(ALL, s, { kind: 'hotspot', streetCode: S1, categoryCode: '03' }, REPORT_AT))).toEqual(ids([D, A]));
    expect(ids(selectDrill(ALL, s, { kind: 'disposition', disposition: '直派' }, REPORT_AT))).toEqual(ids([F, A]));
    expect(ids(selectDrill(ALL, s, { kind: 'day', date: '2026-09-30' }, REPORT_AT))).toEqual(ids([G]));
    expect(ids(selectDrill(ALL, s, { kind: 'operator', operatorId: '1003' }, REPORT_AT))).toEqual(ids([J]));
    expect(ids(selectDrill(ALL, s, { kind: 'metric', metric: 'overdue' }, REPORT_AT))).toEqual(ids([C]));
    expect(ids(selectDrill(ALL, s, { kind: 'metric', metric: 'returned' }, REPORT_AT))).toEqual(ids([F]));
    expect(ids(selectDrill(ALL, s, { kind: 'metric', metric: 'direct', operatorId: '1001' }, REPORT_AT))).toEqual(ids([F, A]));
    expect(selectDrill(ALL, s, { kind: 'all' }, REPORT_AT)).toHaveLength(7);
  });
  it('says what it shows in Chinese', () => {
    expect(describeDrill({ kind: 'hour', hour: 9 }, NAMES)).toBe('09:00–10:00 受理');
    expect(describeDrill({ kind: 'hour', hour: 23 }, NAMES)).toBe('23:00–00:00 受理');
    expect(describeDrill({ kind: 'category', code: '03' }, NAMES)).toBe('分类：市容环卫');
    expect(describeDrill({ kind: 'hotspot', streetCode: S1, categoryCode: '03' }, NAMES)).toBe('建外街道 · 市容环卫');
    expect(describeDrill({ kind: 'metric', metric: 'overdue' }, NAMES)).toBe('超期');
  });
});

describe('small rules', () => {
  it('reads the satisfaction a callback note states', () => {
    expect(satisfactionIn('回访：已解决，满意')).toBe('满意');
    expect(satisfactionIn('回访：已解决，基本满意')).toBe('基本满意');
    expect(satisfactionIn('回访：未解决，不满意')).toBe('不满意');
    expect(satisfactionIn('回访未接通')).toBeNull();
  });
  it('finds the earliest deadline still open', () => {
    const ladder = [
      { dueAt: '2026-10-01T02:00:00.000Z', doneAt: '2026-10-01T01:00:00.000Z' },
      { dueAt: '2026-10-02T16:00:00.000Z', doneAt: null },
      { dueAt: '2026-10-01T20:00:00.000+08:00', doneAt: null },
    ];
    expect(earliestOpenDue(ladder)).toBe(Date.parse('2026-10-01T12:00:00.000Z'));
    expect(earliestOpenDue([])).toBeNull();
  });
  it('masks phone numbers: mobiles 3+4, landlines keep the area code', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('010-64321234')).toBe('010-****1234');
    expect(maskPhone('01064321234')).toBe('010-****1234');
    expect(maskPhone('0755-88889999')).toBe('0755-****9999');
    expect(maskPhone('12345')).toBe('*2345');
    expect(maskPhone('')).toBe('');
    expect(maskPhonesIn('联系电话13912345678或010-64321234，楼号12345')).toBe('联系电话139****5678或010-****1234，楼号12345');
    expect(showsFullPhone('139****5678')).toBe(false);
    expect(showsFullPhone('来电 13912345678')).toBe(true);
  });
  it('tells holidays, adjusted working weekends and weekends apart', () => {
    expect(dayInfo('2026-10-01')).toEqual({ date: '2026-10-01', kind: 'holiday', label: '国庆节' });
    expect(dayInfo('2026-10-10')).toEqual({ date: '2026-10-10', kind: 'adjusted_workday', label: '调休上班' });
    expect(dayInfo('2026-10-11').kind).toBe('weekend');
    expect(dayInfo('2026-12-01').kind).toBe('workday');
  });
});

describe('shift definitions', () => {
  it('accept the default three shifts and a 夜班 that runs past midnight', () => {
    expect(shiftProblems(DEFAULT_SHIFTS)).toEqual([]);
    expect(
      shiftProblems([
        { code: 'night', name: '夜班', start: '22:00', end: '06:00' },
        { code: 'early', name: '早班', start: '06:00', end: '14:00' },
        { code: 'middle', name: '中班', start: '14:00', end: '22:00' },
      ]),
    ).toEqual([]);
    expect(shiftProblems([{ code: 'all', name: '全天', start: '00:00', end: '24:00' }])).toEqual([]);
  });
  it('refuse gaps, overlaps, duplicates and bad times, saying where', () => {
    expect(
      shiftProblems([
        { code: 'a', name: '早班', start: '08:00', end: '16:00' },
        { code: 'b', name: '中班', start: '16:00', end: '23:00' },
      ]),
    ).toEqual(['00:00–08:00、23:00–24:00 不属于任何班次：班次须覆盖全天']);
    expect(
      shiftProblems([
        { code: 'a', name: '早班', start: '07:00', end: '16:00' },
        { code: 'b', name: '晚班', start: '15:00', end: '07:00' },
      ]),
    ).toEqual(['15:00–16:00 同时属于多个班次：班次不能重叠']);
    expect(shiftProblems([{ code: 'a', name: '早班', start: '8点', end: '16:00' }])[0]).toContain('开始时间应为 00:00–23:59');
    expect(
      shiftProblems([
        { code: 'a', name: '早班', start: '00:00', end: '12:00' },
        { code: 'a', name: '早班', start: '12:00', end: '24:00' },
      ]),
    ).toEqual(['第 2 个班次（早班）的代码“a”重复', '第 2 个班次（早班）的名称“早班”重复']);
    expect(shiftProblems([])).toEqual(['至少需要一个班次']);
  });
});
