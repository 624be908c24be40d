/**
 * A desk for the kill -9 suite (test/hub/kill9.test.ts): the real desk services on a SQLite file in
 * `dataDir` (kept across restarts), syncing by hand with the hub at `hubUrl`, with a ticket every
 * submit takes (a complaint dispatched straight to a street). Used in the test's own process and by
 * the desk worker (test/support/desk-worker.ts) that the test kills.
 */
import { randomUUID } from 'node:crypto';
import { emptyDraft, type TicketDraft } from '../../shared/domain/ticket';
import { openReadyDesk, value } from './desk';

export async function openKillDesk(options: { dataDir: string; hubUrl: string; username: string; password: string; hubFetch?: typeof fetch; resourcesDir?: string }) {
  const { desk, api } = await openReadyDesk({
    dataDir: options.dataDir,
    hubUrl: options.hubUrl,
    hubCredentials: { username: options.username, password: options.password },
    syncAutoStart: false,
    syncTiming: { batchSize: 25 },
    ...(options.hubFetch ? { hubFetch: options.hubFetch } : {}),
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
  });
  const ref = desk.reference;
  const leaf = ref.catalogue.all().find((n) => n.level === 3 && n.owner.kind === 'local' && !n.coordination && n.urgency === '一般')!;
  const street = ref.places.all().find((p) => p.level === 'street' && ref.units.streetUnit(p.code))!;
  const unit = ref.units.streetUnit(street.code)!;
  let n = 0;
  const draft = (): TicketDraft => ({
    ...emptyDraft(randomUUID(), new Date().toISOString(), `137${String(10_000_000 + (n++ % 9_000_000)).slice(-8)}`),
    callerName: '周女士',
    requestType: '投诉',
    address: { districtCode: street.parentCode, streetCode: street.code, villageCode: null, text: '3号楼东侧' },
    content: '小区供暖温度不达标，室内只有十二度，已经持续一周，请尽快处理。',
    leafCode: leaf.code,
    disposition: '直派',
    unitCode: unit.code,
  });
  return {
    desk,
    api,
    /** Submits one ticket; its id once the desk has it. */
    async submit(): Promise<string> {
      return value(await api.call('tickets.submit', { draft: draft() })).id;
    },
    async syncOnce() {
      return desk.sync!.syncOnce();
    },
    /** Every ticket on this desk with its number and whether it is official, and the unsent outbox rows. */
    async state() {
      const ids = desk.db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all() as string[];
      const tickets: Array<{ id: string; number: string; official: boolean }> = [];
      for (const id of ids) {
        const t = value(await api.call('tickets.get', { id }));
        tickets.push({ id, number: t.number, official: t.official });
      }
      const unsent = desk.db.prepare('SELECT count(*) FROM outbox WHERE sent_at IS NULL').pluck().get() as number;
      // Rows pushed more than once: a push the hub may have stored while its answer never came back.
      const retried = desk.db.prepare('SELECT count(*) FROM outbox WHERE attempts > 1').pluck().get() as number;
      return { tickets, unsent, retried };
    },
  };
}
