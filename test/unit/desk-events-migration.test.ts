/**
 * Migration 6 of the desk database (electron/services/store/migrations.ts): ticket_events is rebuilt
 * to take every kind of the lifecycle. A database of the version before keeps its tickets, trail
 * and indexes, and what the hub now writes after dispatch (督办, 延期审核, …) is stored when pulled.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/services/store/database';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import type { HubEvent } from '../../shared/api/hub-contract';
import { openTestDesk, value } from '../support/desk';
import { freshDataDir } from '../support/host-process';
import { createClient } from '../../shared/api/client';
import { deskCalls } from '../../shared/api/contract';
import { createDispatcher } from '../../shared/api/dispatch';

const TICKET = '5b0c7f0e-6c3e-4a55-9a43-0d6f1d1f0a01';
const SUBMITTED = '2026-12-01T02:00:00.000Z';

/** A database as a desk of migration 5 left it: one 直派 ticket with its trail and a 回访. */
function oldDatabase(dataDir: string): void {
  const opened = openDatabase({ path: join(dataDir, 'desk.sqlite'), migrations: MIGRATIONS.slice(0, 5) });
  if (!opened.ok) throw new Error(opened.error.message);
  const db = opened.value.db;
  db.prepare(
    `INSERT INTO tickets (id, provisional_number, official_number, operator_id, operator_name, shift_code, shift_date,
       call_started_at, submitted_at, channel, caller_name, caller_phone, callback_phone, request_type, district_code,
       street_code, village_code, address_text, content, leaf_code, urgency, disposition, unit_code, kb_article_id,
       linked_ticket_id, unreasonable_reason, status, deadlines, updated_at)
     VALUES (?, '临202612010001', '202612010001', 'op1', '张敏', 'day', '2026-12-01', ?, ?, '电话', '王先生', '13912345678',
       '13912345678', '投诉', NULL, NULL, NULL, '幸福路 12 号', '路灯不亮已经一周', NULL, '一般', '直派', 'U1', NULL, NULL, '',
       '已派单', '[]', ?)`,
  ).run(TICKET, SUBMITTED, SUBMITTED, SUBMITTED);
  const event = db.prepare('INSERT INTO ticket_events (ticket_id, kind, at, actor, note) VALUES (?, ?, ?, ?, ?)');
  event.run(TICKET, '受理', SUBMITTED, '张敏', '投诉');
  event.run(TICKET, '派单', SUBMITTED, '张敏', '直派：甲街道办事处');
  event.run(TICKET, '回访', '2026-12-03T02:00:00.000Z', '张敏', '已解决，满意');
  db.close();
}

function hubEvent(seq: number, kind: HubEvent['kind'], at: string, note: string): HubEvent {
  return { seq, ticketId: TICKET, number: '202612010001', kind, at, actor: '市中心 李督办', note, status: '已派单', unitCode: 'U1', deadlines: [], callback: null };
}

/** A hub that answers the sign-in, one page of events, and no new reference data. */
function fakeHub(events: HubEvent[]) {
  let served = false;
  return async (url: string) => {
    const name = url.split('/v1/')[1];
    const body = (value: unknown) => ({ status: 200, json: async () => ({ ok: true, value }) });
    if (name === 'auth.login') return body({ token: 't', user: { id: '1', username: 'desk', name: '坐席', role: 'team_lead', unitCode: null }, expiresAt: '2099-01-01T00:00:00.000Z' });
    if (name === 'tickets.pull') {
      const page = served ? [] : events;
      served = true;
      return body({ events: page, cursor: page.at(-1)?.seq ?? 0, more: false });
    }
    if (name === 'reference.pull') return body({ updates: [] });
    return { status: 404, json: async () => ({ ok: false, error: { kind: 'unknown_call', message: name } }) };
  };
}

describe('desk migration 6: every kind of trail event', () => {
  it('keeps an old database’s trail and indexes, and stores pulled 督办 and 延期审核 events', async () => {
    const dataDir = freshDataDir();
    oldDatabase(dataDir);
    const desk = openTestDesk({
      dataDir,
      hubUrl: 'http://hub.test/',
      hubCredentials: { username: 'desk', password: 'secret-pass' },
      hubFetch: fakeHub([
        hubEvent(1, '督办', '2026-12-02T02:00:00.000Z', '督办：请尽快处理'),
        hubEvent(2, '延期审核', '2026-12-02T03:00:00.000Z', '同意延期至 2026-12-12'),
      ]) as unknown as typeof fetch,
      syncAutoStart: false,
    });
    try {
      await desk.ready;
      expect(desk.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      const indexes = (desk.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticket_events' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      expect(indexes).toEqual(['ticket_events_callbacks', 'ticket_events_ticket']);

      const dispatch = createDispatcher(deskCalls, desk.handlers);
      const api = createClient(deskCalls, { call: (message) => dispatch(message, { transport: 'ipc' }) }, { validateOutput: true });
      const before = value(await api.call('tickets.get', { id: TICKET }));
      expect(before.events.map((e) => [e.kind, e.note])).toEqual([
        ['受理', '投诉'],
        ['派单', '直派：甲街道办事处'],
        ['回访', '已解决，满意'],
      ]);

      value(await desk.sync!.syncOnce());
      const after = value(await api.call('tickets.get', { id: TICKET }));
      expect(after.events.map((e) => e.kind)).toEqual(['受理', '派单', '督办', '延期审核', '回访']);
      expect(after.events.find((e) => e.kind === '延期审核')?.note).toBe('同意延期至 2026-12-12');
      // A kind outside the lifecycle's list is still refused by the table.
      expect(() => desk.db.prepare("INSERT INTO ticket_events (ticket_id, kind, at, actor, note) VALUES (?, '乱写', ?, 'x', '')").run(TICKET, SUBMITTED)).toThrow(/CHECK/);
    } finally {
      desk.dispose();
    }
  });
});
