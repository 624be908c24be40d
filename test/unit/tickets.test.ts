/**
 * Ticket intake on the desk, through the contract (dispatcher + typed client with output checks) on
 * a real SQLite file: submit, deadlines, provisional numbers, history and duplicates, my tickets,
 * the detail trail, drafts, the pending-sync count and the hot queries' plans.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TicketDraft } from '../../shared/domain/ticket';
import type { TicketField } from '../../shared/validation/ticket';
import { openDatabase } from '../../electron/services/store/database';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { SettingsRepo } from '../../electron/services/store/settings-repo';
import { OUTBOX_QUERIES } from '../../electron/services/tickets/outbox-repo';
import { TICKET_QUERIES } from '../../electron/services/tickets/tickets-repo';
import { openClockedDesk, openTestDesk, refusal as rejection, value, type ClockedDesk } from '../support/desk';
import { bundledFixtures, draftFor, newPhone, type Fixtures } from '../support/desk-fixtures';
import { forSuite } from '../support/suite';
import { freshDataDir, ROOT } from '../support/host-process';
import { DUTY_OPERATOR } from '../../shared/roles';

type TestDesk = ReturnType<typeof openTestDesk>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Tuesday 1 December 2026, 10:00 Beijing time: the 早班. */
const T0 = new Date('2026-12-01T02:00:00.000Z');

/** A desk on a fresh data folder with its clock at T0, called the way the transports call it. */
const harness = (overrides: Parameters<typeof openTestDesk>[0] = {}) => openClockedDesk(T0, overrides);
/** The fixtures of the desk a describe block shares. */
const fixtures = (desk: TestDesk) => bundledFixtures(desk.reference);

/** One desk and its fixtures for the tests of a describe block. */
function deskForBlock(): { h: ClockedDesk; fx: Fixtures } {
  const h = forSuite(harness, (opened) => opened.desk.dispose());
  return { h, fx: forSuite(() => fixtures(h.desk)) };
}

const count = (desk: TestDesk, sql: string, ...params: unknown[]) => (desk.db.prepare(sql).get(...params) as { n: number }).n;

// ---------------------------------------------------------------------------------------------

describe('submitting a ticket', () => {
  const { h, fx } = deskForBlock();

  it('writes the ticket, its trail and its outbox row, removes its draft, then tells every window', async () => {
    const draft = draftFor(fx, T0, { callerPhone: '+86 139 1234 5678', callbackPhone: '13912345678' });
    value(await h.api.call('drafts.save', { draft }));
    h.events.length = 0;

    const summary = value(await h.api.call('tickets.submit', { draft }));
    expect(summary).toMatchObject({
      id: draft.id,
      official: false,
      submittedAt: T0.toISOString(),
      operatorName: '值班坐席',
      callerPhone: '13912345678',
      disposition: '直派',
      status: '已派单',
      urgency: '一般',
      unitName: fx.streetUnit.name,
      leafCode: fx.localLeaf.code,
      leafPath: h.desk.reference.catalogue.path(fx.localLeaf.code),
      pendingSync: true,
    });
    expect(summary.number).toMatch(/^临20261201-\d{4}$/);
    expect(summary.leafPath).toHaveLength(3);
    expect(summary.addressText).toBe(`${fx.district.shortName}${fx.street.shortName}${fx.village.shortName} 3号楼东侧路口`);
    expect(summary.contentPreview).toBe(draft.content);

    const outbox = h.desk.tickets.outbox.forTicket(draft.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ kind: 'ticket.create', sentAt: null, attempts: 0 });
    const payload = outbox[0]!.payload as { ticket: Record<string, unknown>; events: Array<{ kind: string }> };
    expect(payload.ticket).toMatchObject({
      id: draft.id,
      provisionalNumber: summary.number,
      operatorId: 'local',
      shiftCode: 'early',
      shiftDate: '2026-12-01',
      callerPhone: '13912345678',
      content: draft.content,
      unitCode: fx.streetUnit.code,
      deadlines: summary.deadlines,
    });
    expect(payload.events.map((e) => e.kind)).toEqual(['受理', '派单']);

    const detail = value(await h.api.call('tickets.get', { id: draft.id }));
    expect(detail.events.map((e) => [e.kind, e.actor])).toEqual([
      ['受理', '值班坐席'],
      ['派单', '值班坐席'],
    ]);
    expect(detail.events[1]!.note).toContain(fx.streetUnit.name);
    expect(value(await h.api.call('drafts.current', {}))).toBeNull();

    expect(h.events.map((e) => e.name)).toEqual(['tickets.changed', 'app.health']);
    expect(h.events[0]!.payload).toEqual({ ids: [draft.id] });
    const health = h.events[1]!.payload as { sync: { pending: number } };
    expect(health.sync.pending).toBe(count(h.desk, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'));
  });

  it('keeps the current draft when the submitted ticket is a different one', async () => {
    const next = draftFor(fx, T0);
    value(await h.api.call('drafts.save', { draft: next }));
    value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0) }));
    expect(value(await h.api.call('drafts.current', {}))?.draft.id).toBe(next.id);
  });

  it('saves a ticket submitted twice only once, and the second answer is the first ticket', async () => {
    const draft = draftFor(fx, T0);
    const first = value(await h.api.call('tickets.submit', { draft }));
    const eventsBefore = count(h.desk, 'SELECT count(*) AS n FROM ticket_events');
    h.events.length = 0;
    h.clock.at = new Date(T0.getTime() + 5 * 60_000);
    try {
      // A retry after a lost reply, even with the form edited since, is the same ticket.
      const again = value(await h.api.call('tickets.submit', { draft: { ...draft, content: `${draft.content}（补充）` } }));
      expect(again).toEqual(first);
    } finally {
      h.clock.at = T0;
    }
    expect(count(h.desk, 'SELECT count(*) AS n FROM tickets WHERE id = ?', draft.id)).toBe(1);
    expect(count(h.desk, 'SELECT count(*) AS n FROM outbox WHERE ticket_id = ?', draft.id)).toBe(1);
    expect(count(h.desk, 'SELECT count(*) AS n FROM ticket_events')).toBe(eventsBefore);
    expect(h.events).toEqual([]);
  });

  it.each(['outbox', 'ticket_events'])('writes nothing at all when the %s write fails inside the transaction', async (table) => {
    const draft = draftFor(fx, T0);
    value(await h.api.call('drafts.save', { draft }));
    const before = {
      tickets: count(h.desk, 'SELECT count(*) AS n FROM tickets'),
      events: count(h.desk, 'SELECT count(*) AS n FROM ticket_events'),
      outbox: count(h.desk, 'SELECT count(*) AS n FROM outbox'),
    };
    // The ticket row goes in first; a failure after it (a full disk, say) must take it back out.
    h.desk.db.exec(`CREATE TEMP TRIGGER fail_write BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, '磁盘已满'); END`);
    h.events.length = 0;
    try {
      const error = rejection(await h.api.call('tickets.submit', { draft }));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('磁盘已满');
      expect(error.message).toContain('没有写入任何内容');
    } finally {
      h.desk.db.exec('DROP TRIGGER fail_write');
    }
    expect({
      tickets: count(h.desk, 'SELECT count(*) AS n FROM tickets'),
      events: count(h.desk, 'SELECT count(*) AS n FROM ticket_events'),
      outbox: count(h.desk, 'SELECT count(*) AS n FROM outbox'),
    }).toEqual(before);
    expect(rejection(await h.api.call('tickets.get', { id: draft.id })).kind).toBe('not_found');
    expect(value(await h.api.call('drafts.current', {}))?.draft.id).toBe(draft.id);
    expect(h.events).toEqual([]);
    // Once the fault is gone the same draft goes through, with the number the failed attempt did not use.
    const summary = value(await h.api.call('tickets.submit', { draft }));
    expect(count(h.desk, 'SELECT count(*) AS n FROM tickets WHERE provisional_number = ?', summary.number)).toBe(1);
  });

  it('refuses a draft that does not have the declared shape before any rule runs', async () => {
    const draft = { ...draftFor(fx, T0), id: 'not-a-uuid' };
    expect(rejection(await h.api.call('tickets.submit', { draft })).kind).toBe('bad_request');
  });
});

describe('the rules a ticket must meet', () => {
  const { h, fx } = deskForBlock();

  type Case = [string, TicketField, (fx: Fixtures) => Partial<TicketDraft>, RegExp];
  const fieldsOf = (details: unknown) => (details as { fields?: Record<string, string> }).fields;
  const cases: Case[] = [
    ['no caller name', 'callerName', () => ({ callerName: '  ' }), /来电人姓名/],
    ['a mobile number one digit short', 'callerPhone', () => ({ callerPhone: '1391234567' }), /11 位手机号/],
    ['a landline without enough digits', 'callbackPhone', () => ({ callbackPhone: '010-1234' }), /带区号的固定电话/],
    ['no request type', 'requestType', () => ({ requestType: '' }), /诉求类型/],
    ['content too short', 'content', () => ({ content: '路上有坑' }), /至少 10 个字/],
    ['no address for a dispatched ticket', 'address', () => ({ address: { districtCode: null, streetCode: null, villageCode: null, text: '' } }), /至少到区/],
    ['a complaint without a leaf', 'leafCode', () => ({ leafCode: null }), /诉求分类/],
    ['no disposition', 'disposition', () => ({ disposition: null }), /处理方式/],
    ['直派 without a unit', 'unitCode', () => ({ unitCode: null }), /承办单位/],
    ['咨询办结 without an article', 'kbArticleId', () => ({ disposition: '咨询办结', requestType: '咨询', kbArticleId: null }), /知识库文章/],
    ['重复诉求 without the earlier ticket', 'linkedTicketId', () => ({ disposition: '重复诉求', unitCode: null, linkedTicketId: null }), /原工单/],
    ['不合理诉求 without a reason', 'unreasonableReason', () => ({ disposition: '不合理诉求', unitCode: null, unreasonableReason: '无理' }), /理由/],
    // What only the desk's data can tell.
    ['a 二级 code as the leaf', 'leafCode', (fx) => ({ leafCode: fx.level2Code }), /不是现行派单目录中的三级分类/],
    ['a leaf code the catalogue does not have', 'leafCode', () => ({ leafCode: '9999999' }), /不是现行派单目录中的三级分类/],
    ['a unit the directory does not have', 'unitCode', () => ({ unitCode: 'X99' }), /不在单位名录中/],
    ['派分中心 to a street unit', 'unitCode', (fx) => ({ disposition: '派分中心', unitCode: fx.streetUnit.code }), /派分中心不能派给街乡镇/],
    ['直派 to the city center', 'unitCode', (fx) => ({ unitCode: fx.cityCenter.code }), /直派不能派给市中心/],
    ['an article the knowledge base does not have', 'kbArticleId', () => ({ disposition: '咨询办结', requestType: '咨询', kbArticleId: 'KB9999' }), /没有编号为“KB9999”的文章/],
    ['an earlier ticket this desk does not have', 'linkedTicketId', () => ({ disposition: '重复诉求', unitCode: null, linkedTicketId: randomUUID() }), /在本机找不到/],
    [
      'a street of another district',
      'address',
      (fx) => ({ address: { districtCode: fx.district.code, streetCode: fx.foreignStreet.code, villageCode: null, text: '' } }),
      /不在所选的区内/,
    ],
    ['a district code that does not exist', 'address', (fx) => ({ address: { districtCode: '119999', streetCode: null, villageCode: null, text: fx.district.name } }), /不在行政区划中/],
  ];

  it.each(cases)('refuses %s at the field it concerns, and writes nothing', async (_what, field, change, message) => {
    const draft = draftFor(fx, T0, change(fx));
    const error = rejection(await h.api.call('tickets.submit', { draft }));
    expect(error.kind).toBe('rejected');
    expect(error.message).toMatch(/^工单还有 1 处需要补充：/);
    expect(fieldsOf(error.details)).toEqual({ [field]: expect.stringMatching(message) });
    expect(error.message).toContain(fieldsOf(error.details)![field]);
    expect(rejection(await h.api.call('tickets.get', { id: draft.id })).kind).toBe('not_found');
  });

  it('names every problem at once, so the call-taker can fix them in one go', async () => {
    const draft = draftFor(fx, T0, { callerName: '', content: '太短', unitCode: 'X99' });
    const error = rejection(await h.api.call('tickets.submit', { draft }));
    expect(error.message).toMatch(/^工单还有 3 处需要补充/);
    expect(Object.keys(fieldsOf(error.details)!).sort()).toEqual(['callerName', 'content', 'unitCode']);
  });

  it('ignores a unit left in the form after switching to 咨询办结, and stores none', async () => {
    const draft = draftFor(fx, T0, { disposition: '咨询办结', requestType: '咨询', kbArticleId: fx.article.id, unitCode: 'X99' });
    const summary = value(await h.api.call('tickets.submit', { draft }));
    expect(summary.unitName).toBeNull();
  });
});

describe('deadlines and status at submit', () => {
  const { h, fx } = deskForBlock();

  const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();
  /** The end of a Beijing date (24:00 there) in UTC. */
  const endOfBeijing = (date: string) => new Date(`${date}T16:00:00.000Z`).toISOString();

  it('gives a 直派 一般 ticket 2 hours to dispatch, already met, and the 1-3-5-7 days', async () => {
    const summary = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0) }));
    const start = T0.toISOString();
    expect(summary.deadlines).toEqual([
      { ruleId: 'dispatch_general', label: '派单时限', startsAt: start, dueAt: at(2 * HOUR), doneAt: start },
      { ruleId: 'contact_day1', label: '首次联系', startsAt: start, dueAt: endOfBeijing('2026-12-02'), doneAt: null },
      { ruleId: 'qualify_day3', label: '定性', startsAt: start, dueAt: endOfBeijing('2026-12-04'), doneAt: null },
      { ruleId: 'review_day5', label: '回访', startsAt: start, dueAt: endOfBeijing('2026-12-06'), doneAt: null },
      { ruleId: 'close_day7', label: '办结', startsAt: start, dueAt: endOfBeijing('2026-12-08'), doneAt: null },
    ]);
  });

  it('gives an 即时 ticket 15 minutes to dispatch and 24 hours to close, left open for the unit (直派) or the sub-center to meet', async () => {
    const viaSubcenter = value(
      await h.api.call('tickets.submit', { draft: draftFor(fx, T0, { leafCode: fx.instantLeaf.code, disposition: '派分中心', unitCode: fx.subcenter.code }) }),
    );
    expect(viaSubcenter).toMatchObject({ urgency: '即时', status: '已派单', unitName: fx.subcenter.name });
    expect(viaSubcenter.deadlines.map(({ ruleId, dueAt, doneAt }) => ({ ruleId, dueAt, doneAt }))).toEqual([
      { ruleId: 'dispatch_instant', dueAt: at(15 * 60_000), doneAt: null },
      { ruleId: 'close_instant', dueAt: at(24 * HOUR), doneAt: null },
    ]);
    const direct = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0, { leafCode: fx.instantLeaf.code }) }));
    // Sent straight to the unit, the 15 minutes are the unit's 落实: only its 接单 meets them, never the submit.
    expect(direct.deadlines[0]).toMatchObject({ ruleId: 'dispatch_instant', doneAt: null });
  });

  it('finishes 咨询办结, 重复诉求 and 不合理诉求 at the desk with no deadlines and the status each one means', async () => {
    const earlier = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0) }));
    const consult = value(
      await h.api.call('tickets.submit', {
        draft: draftFor(fx, T0, { disposition: '咨询办结', requestType: '咨询', leafCode: null, unitCode: null, kbArticleId: fx.article.id }),
      }),
    );
    const repeat = value(
      await h.api.call('tickets.submit', { draft: draftFor(fx, T0, { disposition: '重复诉求', unitCode: null, linkedTicketId: earlier.id }) }),
    );
    const unreasonable = value(
      await h.api.call('tickets.submit', {
        draft: draftFor(fx, T0, { disposition: '不合理诉求', unitCode: null, unreasonableReason: '要求为私家车位免费安装充电桩' }),
      }),
    );
    expect([consult, repeat, unreasonable].map((t) => [t.status, t.deadlines, t.urgency])).toEqual([
      ['已办结', [], '一般'],
      ['已关联', [], '一般'],
      ['待审核', [], '一般'],
    ]);
  });
});

describe('a deadline policy file that cannot be used', () => {
  /** The bundled resources, with sla.json replaced. */
  function resourcesWithPolicy(text: string): string {
    const dir = freshDataDir('hotline-resources-');
    for (const kind of ['places', 'units', 'catalogue', 'kb']) cpSync(join(ROOT, 'resources', kind), join(dir, kind), { recursive: true });
    mkdirSync(join(dir, 'policy'));
    writeFileSync(join(dir, 'policy', 'sla.json'), text);
    return dir;
  }

  it.each([
    ['breaks a rule of the policy', '{ "version": 1, "name": "测试", "rules": [] }', /时限策略文件有误，未采用：规则列表（rules）不能为空/],
    ['is not JSON', '{ "version": 1, ', /不是有效的 JSON/],
  ])('that %s refuses dispatched tickets with a message naming it, and the desk keeps working', async (_what, text, message) => {
    const resourcesDir = resourcesWithPolicy(text);
    const h = await harness({ resourcesDir });
    try {
      const fx = fixtures(h.desk);
      const draft = draftFor(fx, T0);
      const error = rejection(await h.api.call('tickets.submit', { draft }));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toMatch(message);
      expect(error.message).toContain(join(resourcesDir, 'policy', 'sla.json'));
      expect(rejection(await h.api.call('tickets.get', { id: draft.id })).kind).toBe('not_found');
      // A question answered from the knowledge base has no deadlines and still goes through.
      const consult = draftFor(fx, T0, { disposition: '咨询办结', requestType: '咨询', unitCode: null, kbArticleId: fx.article.id });
      expect(value(await h.api.call('tickets.submit', { draft: consult })).status).toBe('已办结');
      expect(value(await h.api.call('drafts.save', { draft })).savedAt).toBe(T0.toISOString());
    } finally {
      h.desk.dispose();
      rmSync(resourcesDir, { recursive: true, force: true });
    }
  });
});

describe('provisional numbers', () => {
  it('count up through a Beijing day and start again at 0001 the next day', async () => {
    const h = await harness();
    try {
      const fx = fixtures(h.desk);
      const submitAt = async (at: Date) => {
        h.clock.at = at;
        return value(await h.api.call('tickets.submit', { draft: draftFor(fx, at) })).number;
      };
      expect(await submitAt(T0)).toBe('临20261201-0001');
      expect(await submitAt(new Date(T0.getTime() + HOUR))).toBe('临20261201-0002');
      // 23:59 Beijing is still the first of December…
      expect(await submitAt(new Date('2026-12-01T15:59:00.000Z'))).toBe('临20261201-0003');
      // …and 00:30 Beijing is the second, even though it is still the first in UTC.
      expect(await submitAt(new Date('2026-12-01T16:30:00.000Z'))).toBe('临20261202-0001');
      expect(await submitAt(new Date('2026-12-02T03:00:00.000Z'))).toBe('临20261202-0002');
    } finally {
      h.desk.dispose();
    }
  });
});

describe('call history and possible duplicates', () => {
  const { h, fx } = deskForBlock();

  const submitAt = async (at: Date, over: Partial<TicketDraft>) => {
    h.clock.at = at;
    try {
      return value(await h.api.call('tickets.submit', { draft: draftFor(fx, at, over) }));
    } finally {
      h.clock.at = T0;
    }
  };
  const ago = (ms: number) => new Date(T0.getTime() - ms);

  it('finds tickets from the number as caller or as callback number, newest first, however it is written', async () => {
    const phone = newPhone();
    const asCaller = await submitAt(ago(3 * DAY), { callerPhone: phone, callbackPhone: phone });
    const asCallback = await submitAt(ago(1 * DAY), { callbackPhone: phone });
    await submitAt(ago(2 * DAY), {}); // someone else
    const history = value(await h.api.call('tickets.history', { phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` }));
    expect(history.map((t) => t.id)).toEqual([asCallback.id, asCaller.id]);
    expect(value(await h.api.call('tickets.history', { phone: '' }))).toEqual([]);
  });

  it('shows at most the 20 newest', async () => {
    const phone = newPhone();
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) ids.push((await submitAt(ago((30 - i) * HOUR), { callerPhone: phone })).id);
    const history = value(await h.api.call('tickets.history', { phone }));
    expect(history.map((t) => t.id)).toEqual(ids.slice(2).reverse());
  });

  it('finds the same number at any age, and the same village and leaf within 30 days but not 31', async () => {
    const phone = newPhone();
    const place = { address: { districtCode: fx.district.code, streetCode: fx.street.code, villageCode: fx.otherVillage.code, text: '' }, leafCode: fx.otherLocalLeaf.code };
    const tooOld = await submitAt(ago(31 * DAY), place);
    const recentPlace = await submitAt(ago(30 * DAY - HOUR), place);
    const oldPhone = await submitAt(ago(90 * DAY), { callerPhone: phone });
    const both = await submitAt(ago(1 * DAY), { ...place, callerPhone: phone });
    // The same village with another leaf, or the same leaf in another village, is not a duplicate.
    await submitAt(ago(2 * DAY), { ...place, leafCode: fx.localLeaf.code });
    await submitAt(ago(2 * DAY), { leafCode: fx.otherLocalLeaf.code });

    const related = value(await h.api.call('tickets.related', { phone, villageCode: fx.otherVillage.code, leafCode: fx.otherLocalLeaf.code }));
    expect(related.map((t) => [t.id, t.reasons])).toEqual([
      [both.id, ['same_phone', 'same_place_leaf']],
      [recentPlace.id, ['same_place_leaf']],
      [oldPhone.id, ['same_phone']],
    ]);
    expect(related.map((t) => t.id)).not.toContain(tooOld.id);

    const withoutCurrent = value(
      await h.api.call('tickets.related', { phone, villageCode: fx.otherVillage.code, leafCode: fx.otherLocalLeaf.code, excludeId: both.id }),
    );
    expect(withoutCurrent.map((t) => t.id)).toEqual([recentPlace.id, oldPhone.id]);

    // No number and no place: nothing of either kind.
    expect(value(await h.api.call('tickets.related', { phone: '', villageCode: null, leafCode: fx.otherLocalLeaf.code }))).toEqual([]);
    expect(value(await h.api.call('tickets.related', { phone: '', villageCode: fx.otherVillage.code, leafCode: null }))).toEqual([]);
    expect(value(await h.api.call('tickets.related', { phone, villageCode: null, leafCode: null })).map((t) => t.id)).toEqual([both.id, oldPhone.id]);
  });

  it('links a third call to the original, not to the duplicate it was offered, and offers the original first', async () => {
    const phone = newPhone();
    const original = await submitAt(ago(3 * HOUR), { callerPhone: phone });
    const second = await submitAt(ago(2 * HOUR), { callerPhone: phone, disposition: '重复诉求', unitCode: null, linkedTicketId: original.id });
    expect(second.linkedTicket).toEqual({ id: original.id, number: original.number });
    const related = value(await h.api.call('tickets.related', { phone, villageCode: null, leafCode: null }));
    expect(related.map((t) => t.id)).toEqual([original.id, second.id]);
    // Offered the duplicate anyway, the desk links to its original.
    const third = await submitAt(ago(1 * HOUR), { callerPhone: phone, disposition: '重复诉求', unitCode: null, linkedTicketId: second.id });
    expect(third.linkedTicket).toEqual({ id: original.id, number: original.number });
    expect(third.address).toEqual(draftFor(fx, T0).address);
  });

  it('lists at most 10', async () => {
    const phone = newPhone();
    for (let i = 0; i < 12; i++) await submitAt(ago((12 - i) * HOUR), { callerPhone: phone });
    expect(value(await h.api.call('tickets.related', { phone, villageCode: null, leafCode: null }))).toHaveLength(10);
  });
});

describe('my tickets of this shift', () => {
  it('lists only this operator’s tickets of the current shift and its date, newest first', async () => {
    const h = await harness();
    try {
      const fx = fixtures(h.desk);
      const settings = new SettingsRepo(h.desk.db);
      const as = (id: string, name: string) => settings.set('operator', { id, name, role: 'call_taker' });
      const submitAt = async (iso: string) => {
        h.clock.at = new Date(iso);
        return value(await h.api.call('tickets.submit', { draft: draftFor(fx, h.clock.at) })).id;
      };
      as('w001', '王芳');
      const early1 = await submitAt('2026-12-01T01:00:00.000Z'); // 09:00 Beijing, 早班
      const early2 = await submitAt('2026-12-01T07:59:00.000Z'); // 15:59
      const middle = await submitAt('2026-12-01T08:00:00.000Z'); // 16:00, 中班
      as('l002', '李强');
      const other = await submitAt('2026-12-01T09:00:00.000Z');

      const mine = value(await h.api.call('tickets.mine', {}));
      expect(mine.shift).toEqual({ code: 'middle', name: '中班', start: '16:00', end: '24:00' });
      expect(mine.shiftDate).toBe('2026-12-01');
      expect(mine.tickets.map((t) => t.id)).toEqual([other]);
      expect(mine.tickets[0]!.operatorName).toBe('李强');

      as('w001', '王芳');
      expect(value(await h.api.call('tickets.mine', {})).tickets.map((t) => t.id)).toEqual([middle]);
      h.clock.at = new Date('2026-12-01T05:00:00.000Z'); // back in the 早班 of the same day
      expect(value(await h.api.call('tickets.mine', {})).tickets.map((t) => t.id)).toEqual([early2, early1]);
      h.clock.at = new Date('2026-12-02T05:00:00.000Z'); // the 早班 of the next day
      const nextDay = value(await h.api.call('tickets.mine', {}));
      expect(nextDay).toMatchObject({ shiftDate: '2026-12-02', tickets: [] });
    } finally {
      h.desk.dispose();
    }
  });

  it('keeps the tickets taken before anyone signed in: the duty seat’s, listed with the signed-in operator’s own', async () => {
    const h = await harness();
    try {
      const fx = fixtures(h.desk);
      const submitAt = async (iso: string) => {
        h.clock.at = new Date(iso);
        return value(await h.api.call('tickets.submit', { draft: draftFor(fx, h.clock.at) })).id;
      };
      // Nobody signed in yet: the ticket is the duty seat's.
      const before = await submitAt('2026-12-01T08:05:00.000Z'); // 16:05, 中班
      const dutyRow = value(await h.api.call('tickets.mine', {})).tickets[0]!;
      expect(dutyRow).toMatchObject({ id: before, operatorId: DUTY_OPERATOR.id, operatorName: DUTY_OPERATOR.name });

      value(await h.api.call('operator.signIn', { id: '1001', name: '李娜', role: 'call_taker' }));
      const after = await submitAt('2026-12-01T08:30:00.000Z');
      const mine = value(await h.api.call('tickets.mine', {})).tickets;
      expect(mine.map((t) => [t.id, t.operatorId])).toEqual([
        [after, '1001'],
        [before, DUTY_OPERATOR.id],
      ]);
      // Another operator's tickets stay theirs.
      value(await h.api.call('operator.signIn', { id: '1002', name: '张伟', role: 'call_taker' }));
      expect(value(await h.api.call('tickets.mine', {})).tickets.map((t) => t.id)).toEqual([before]);
    } finally {
      h.desk.dispose();
    }
  });
});

describe('one ticket in full', () => {
  const { h, fx } = deskForBlock();

  it('shows the address as people say it, the linked ticket and the trail in time order', async () => {
    const earlier = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0) }));
    h.clock.at = new Date(T0.getTime() + HOUR);
    const draft = draftFor(fx, h.clock.at, { disposition: '重复诉求', unitCode: null, linkedTicketId: earlier.id, callbackPhone: '010-62345678' });
    value(await h.api.call('tickets.submit', { draft }));
    h.clock.at = T0;

    const detail = value(await h.api.call('tickets.get', { id: draft.id }));
    expect(detail).toMatchObject({
      status: '已关联',
      callbackPhone: '010-62345678',
      content: draft.content,
      channel: '电话',
      callStartedAt: draft.callStartedAt,
      address: draft.address,
      placeNames: [fx.district.shortName, fx.street.shortName, fx.village.shortName],
      linkedTicket: { id: earlier.id, number: earlier.number },
      kbArticle: null,
      unitName: null,
    });
    expect(detail.events.map((e) => e.kind)).toEqual(['受理', '关联']);
    expect(detail.events[1]!.note).toContain(earlier.number);
    expect(detail.events.every((e) => e.at === new Date(T0.getTime() + HOUR).toISOString())).toBe(true);
  });

  it('records the article a question was answered from', async () => {
    const draft = draftFor(fx, T0, {
      disposition: '咨询办结',
      requestType: '咨询',
      unitCode: null,
      kbArticleId: fx.article.id,
      address: { districtCode: null, streetCode: null, villageCode: null, text: '' },
    });
    value(await h.api.call('tickets.submit', { draft }));
    const detail = value(await h.api.call('tickets.get', { id: draft.id }));
    expect(detail.kbArticle).toEqual(fx.article);
    expect(detail.placeNames).toEqual([]);
    expect(detail.addressText).toBe('');
    expect(detail.events.map((e) => [e.kind, e.note.includes(fx.article.title)])).toEqual([
      ['受理', false],
      ['办结', true],
    ]);
  });

  it('answers not_found for a ticket this desk does not have', async () => {
    const error = rejection(await h.api.call('tickets.get', { id: randomUUID() }));
    expect(error.kind).toBe('not_found');
    expect(error.message).toContain('没有编号为');
  });

  it('cuts a long content to a preview of 60 characters', async () => {
    const content = '楼上住户每天夜里十二点以后还在装修，电钻声音很大，'.repeat(5);
    const summary = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0, { content }) }));
    expect(summary.contentPreview).toBe(`${[...content].slice(0, 60).join('')}…`);
  });
});

describe('the intake draft', () => {
  const { h, fx } = deskForBlock();

  it('saves, reloads, replaces and discards the one current draft', async () => {
    expect(value(await h.api.call('drafts.current', {}))).toBeNull();
    const draft = draftFor(fx, T0, { content: '写到一半' });
    h.clock.at = new Date(T0.getTime() + 30_000);
    expect(value(await h.api.call('drafts.save', { draft }))).toEqual({ savedAt: h.clock.at.toISOString() });
    expect(value(await h.api.call('drafts.current', {}))).toEqual({ draft, savedAt: h.clock.at.toISOString() });

    const longer = { ...draft, content: '写到一半，又补充了一些' };
    value(await h.api.call('drafts.save', { draft: longer }));
    expect(value(await h.api.call('drafts.current', {}))?.draft).toEqual(longer);

    expect(value(await h.api.call('drafts.discard', { id: randomUUID() }))).toEqual({ discarded: false });
    expect(value(await h.api.call('drafts.current', {}))?.draft.id).toBe(draft.id);
    expect(value(await h.api.call('drafts.discard', { id: draft.id }))).toEqual({ discarded: true });
    expect(value(await h.api.call('drafts.current', {}))).toBeNull();
    h.clock.at = T0;
  });

  it.each([
    ['cut off mid-write', '{"id":"6b0f1c9e-1a63-4a39-9b0e-2f1d7c1a8e55","callStartedAt":"2026-12'],
    ['from an older form', JSON.stringify({ id: '6b0f1c9e-1a63-4a39-9b0e-2f1d7c1a8e55', phone: '13900000000' })],
  ])('offers no draft, rather than failing, when the stored one is %s, and can still save and discard', async (_what, stored) => {
    const draft = draftFor(fx, T0);
    value(await h.api.call('drafts.save', { draft }));
    h.desk.db.prepare('UPDATE drafts SET draft = ?').run(stored);
    expect(value(await h.api.call('drafts.current', {}))).toBeNull();
    expect(value(await h.api.call('drafts.discard', { id: draft.id }))).toEqual({ discarded: true });
    value(await h.api.call('drafts.save', { draft }));
    expect(value(await h.api.call('drafts.current', {}))?.draft).toEqual(draft);
  });

  it('never offers or saves again the draft of a ticket already submitted', async () => {
    value(await h.api.call('drafts.save', { draft: draftFor(fx, T0, { content: '下一通电话正在记录的内容' }) }));
    const draft = draftFor(fx, T0);
    const summary = value(await h.api.call('tickets.submit', { draft }));
    const error = rejection(await h.api.call('drafts.save', { draft }));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain(summary.number);
    // The draft that was current before is still there, untouched by the late save.
    const current = value(await h.api.call('drafts.current', {}));
    expect(current?.draft.id).not.toBe(draft.id);
    // A submitted ticket's draft left in the slot (as a desk without this check could leave it) is not offered.
    h.desk.db.prepare('UPDATE drafts SET draft_id = ?, draft = ?').run(draft.id, JSON.stringify(draft));
    expect(value(await h.api.call('drafts.current', {}))).toBeNull();
  });

  it('keeps tickets and the draft across a restart of the desk', async () => {
    const dataDir = freshDataDir();
    const first = await harness({ dataDir });
    const f = fixtures(first.desk);
    const ticket = draftFor(f, T0);
    value(await first.api.call('tickets.submit', { draft: ticket }));
    const draft = draftFor(f, T0, { content: '重启前还没写完的工单内容' });
    value(await first.api.call('drafts.save', { draft }));
    first.desk.close();

    const second = await harness({ dataDir });
    try {
      expect(value(await second.api.call('tickets.get', { id: ticket.id })).pendingSync).toBe(true);
      expect(value(await second.api.call('drafts.current', {}))?.draft).toEqual(draft);
      expect(value(await second.api.call('app.health', {})).sync.pending).toBe(1);
    } finally {
      second.desk.dispose();
    }
  });
  it('keeps the 网络渠道 submission a draft was taken from across a restart, and its ticket still carries it to the hub', async () => {
    const dataDir = freshDataDir();
    const first = await harness({ dataDir });
    const f = fixtures(first.desk);
    const submission = randomUUID();
    const draft = draftFor(f, T0, { channel: '网络', content: '网站留言：小区门口垃圾三天没人清运，气味很大' });
    value(await first.api.call('drafts.save', { draft, open311RequestId: submission }));
    first.desk.close();

    const second = await harness({ dataDir });
    try {
      const restored = value(await second.api.call('drafts.current', {}));
      expect(restored).toEqual({ draft, savedAt: T0.toISOString(), open311RequestId: submission });
      // What the restored form submits: the outbox row names the submission, so the hub links the two.
      value(await second.api.call('tickets.submit', { draft: restored!.draft, open311RequestId: restored!.open311RequestId }));
      expect(second.desk.tickets.outbox.forTicket(draft.id)[0]!.payload).toMatchObject({ open311RequestId: submission });
      // A damaged id is dropped; the draft itself is still offered.
      const next = draftFor(f, T0);
      value(await second.api.call('drafts.save', { draft: next }));
      second.desk.db.prepare('UPDATE drafts SET draft = ?').run(JSON.stringify({ ...next, open311RequestId: 'not-an-id' }));
      expect(value(await second.api.call('drafts.current', {}))).toEqual({ draft: next, savedAt: T0.toISOString() });
    } finally {
      second.desk.dispose();
    }
  });
});

describe('pending sync, incoming calls, the second screen and units', () => {
  const { h, fx } = deskForBlock();

  it('counts tickets the hub has not accepted, and a ticket stops being pending once its row is sent', async () => {
    expect(value(await h.api.call('app.health', {})).sync).toMatchObject({ pending: 0, state: 'local' });
    const a = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0) }));
    const b = value(await h.api.call('tickets.submit', { draft: draftFor(fx, T0) }));
    expect(value(await h.api.call('app.health', {})).sync).toMatchObject({ pending: 2, state: 'local' });
    // What the sync client will do when the hub accepts a ticket.
    h.desk.db.prepare('UPDATE outbox SET sent_at = ? WHERE ticket_id = ?').run(T0.toISOString(), a.id);
    expect(value(await h.api.call('app.health', {})).sync).toMatchObject({ pending: 1, state: 'local' });
    expect(value(await h.api.call('tickets.get', { id: a.id })).pendingSync).toBe(false);
    expect(value(await h.api.call('tickets.get', { id: b.id })).pendingSync).toBe(true);
  });

  it('announces an incoming call with the number normalised and the time it started', async () => {
    h.events.length = 0;
    h.clock.at = new Date(T0.getTime() + 42_000);
    const now = value(await h.api.call('calls.incoming', { phone: '+86 139 0000 1111' }));
    expect(now).toEqual({ phone: '13900001111', startedAt: h.clock.at.toISOString() });
    h.clock.at = T0;
    const given = value(await h.api.call('calls.incoming', { phone: '(010)62345678', at: '2026-12-01T10:00:05+08:00' }));
    expect(given).toEqual({ phone: '01062345678', startedAt: '2026-12-01T02:00:05.000Z' });
    expect(h.events).toEqual([
      { name: 'call.incoming', payload: now },
      { name: 'call.incoming', payload: given },
    ]);
  });

  it('keeps what the second screen shows, answer and history side by side, and tells every window when it changes', async () => {
    value(await h.api.call('side.show', { view: { kind: 'none' } }));
    expect(value(await h.api.call('side.current', {}))).toEqual({ kb: null, record: null });
    h.events.length = 0;
    const view = { kind: 'kb', articleId: fx.article.id } as const;
    expect(value(await h.api.call('side.show', { view }))).toEqual(view);
    expect(value(await h.api.call('side.current', {}))).toEqual({ kb: fx.article.id, record: null });
    expect(h.events).toEqual([{ name: 'side.view', payload: view }]);
    expect(rejection(await h.api.call('side.show', { view: { kind: 'ticket', id: 'x' } })).kind).toBe('bad_request');
    const history = { kind: 'history', phone: '13912345678' } as const;
    value(await h.api.call('side.show', { view: history }));
    expect(value(await h.api.call('side.current', {}))).toEqual({ kb: fx.article.id, record: history });
    // A new call clears both: the screen never shows the last caller's answer or tickets.
    value(await h.api.call('side.show', { view: { kind: 'none' } }));
    expect(value(await h.api.call('side.current', {}))).toEqual({ kb: null, record: null });
  });

  it('lists every unit a ticket can go to', async () => {
    const units = value(await h.api.call('units.list', {}));
    expect(units).toHaveLength(h.desk.reference.units.all().length);
    expect(new Set(units.map((u) => u.kind))).toEqual(new Set(['city_center', 'subcenter', 'street', 'department', 'utility']));
    expect(units.map((u) => u.code)).toContain(fx.department.code);
  });
});

describe('hot queries use their indexes', () => {
  const h = forSuite(harness, (opened) => opened.desk.dispose());

  const plan = (sql: string, params: Record<string, unknown> | string) =>
    (h.desk.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

  it('history searches both phone indexes and never scans the tickets table', () => {
    const detail = plan(TICKET_QUERIES.history, { phone: '13900000000', limit: 20 });
    expect(detail).toMatch(/SEARCH tickets USING INDEX tickets_caller_phone/);
    expect(detail).toMatch(/SEARCH tickets USING INDEX tickets_callback_phone/);
    expect(detail).not.toMatch(/SCAN tickets/);
  });

  it('related searches by phone and by village and leaf, and reads tickets by key', () => {
    const detail = plan(TICKET_QUERIES.related, { phone: '13900000000', village: '110101001001', leaf: '0101001', since: T0.toISOString(), exclude: '', limit: 10 });
    expect(detail).toMatch(/SEARCH tickets USING INDEX tickets_caller_phone/);
    expect(detail).toMatch(/SEARCH tickets USING INDEX tickets_callback_phone/);
    expect(detail).toMatch(/SEARCH tickets USING INDEX tickets_village_leaf \(village_code=\? AND leaf_code=\? AND submitted_at>\?\)/);
    expect(detail).toMatch(/SEARCH t USING INDEX sqlite_autoindex_tickets_1 \(id=\?\)/);
    expect(detail).not.toMatch(/SCAN (tickets|t)\b/);
  });

  it('my tickets searches by operator, shift date and shift', () => {
    const detail = plan(TICKET_QUERIES.mine, { operatorId: '1001', dutyId: 'local', shiftDate: '2026-12-01', shiftCode: 'early' });
    // Two operators (the signed-in one and the duty seat, whose tickets stay listed): an index search on both, never a scan.
    expect(detail).toMatch(/SEARCH tickets USING INDEX \w+ \((?=[^)]*operator_id=\?)(?=[^)]*shift_date=\?)(?=[^)]*shift_code=\?)[^)]*\)/);
    expect(detail).not.toMatch(/SCAN tickets/);
  });

  it('the next provisional number and the pending count read only their indexes', () => {
    expect(plan(TICKET_QUERIES.lastNumberOfDay, { prefix: '临20261201' })).toMatch(/SEARCH tickets USING COVERING INDEX sqlite_autoindex_tickets_2/);
    // The partial index holds only unsent rows: its scan is the pending rows, not the whole outbox.
    expect(plan(OUTBOX_QUERIES.pendingCount, {})).toMatch(/outbox USING (COVERING )?INDEX outbox_unsent/);
    expect(plan(OUTBOX_QUERIES.pendingAmong, '["a"]')).toMatch(/SEARCH outbox USING COVERING INDEX outbox_ticket/);
  });
});

describe('upgrading a desk from before tickets', () => {
  it('adds the ticket tables to a version-2 database and keeps what it held', () => {
    const path = join(freshDataDir(), 'desk.sqlite');
    const old = openDatabase({ path, migrations: MIGRATIONS.slice(0, 2) });
    if (!old.ok) throw new Error(old.error.message);
    old.value.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('operator', ?, ?)").run(JSON.stringify({ id: 'w001', name: '王芳', role: 'call_taker' }), T0.toISOString());
    old.value.db.prepare("INSERT INTO places (code, level, name, short_name, parent_code) VALUES ('110117', 'district', '平谷区', '平谷区', NULL)").run();
    old.value.db.close();

    const upgraded = openDatabase({ path, migrations: MIGRATIONS });
    if (!upgraded.ok) throw new Error(upgraded.error.message);
    const db = upgraded.value.db;
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      expect(upgraded.value.backupPath).not.toBeNull();
      expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('operator')).toEqual({ value: JSON.stringify({ id: 'w001', name: '王芳', role: 'call_taker' }) });
      expect(db.prepare('SELECT count(*) AS n FROM places').get()).toEqual({ n: 1 });
      for (const table of ['tickets', 'ticket_events', 'outbox', 'drafts']) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
      }
      const backup = new Database(upgraded.value.backupPath!, { readonly: true });
      expect(backup.pragma('user_version', { simple: true })).toBe(2);
      backup.close();
    } finally {
      db.close();
    }
  });
});
