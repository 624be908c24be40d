/**
 * Outage drain: 2,000 tickets queued on a desk while the hub was away, sent to the hub on the real
 * PostgreSQL when it is back — from the first push to an empty outbox with every official number in
 * place. Baseline in the same run: the same 2,000 tickets pushed straight to the hub in the same
 * batches by a bare HTTP client, with no desk bookkeeping (what the network and the hub cost alone).
 */
import { randomUUID } from 'node:crypto';
import { MAX_PUSH_BATCH, type PushedTicket } from '../shared/api/hub-contract';
import { emptyDraft } from '../shared/domain/ticket';
import { toPushedTicket } from '../electron/services/sync/sync-client';
import type { TicketCreatePayload } from '../electron/services/tickets/ticket-service';
import { openReadyDesk } from '../test/support/desk';
import { PASSWORD, startTestHub } from '../test/hub/support';
import type { Bench } from './harness';

const TICKETS = 2000;

export const syncBench: Bench = {
  title: '断网恢复后补传（中心使用 PostgreSQL）',
  async run() {
    const hub = await startTestHub('postgres', { units: undefined }); // the desk's own unit directory: the hub checks pushed codes
    try {
      const { desk, api } = await openReadyDesk({ hubUrl: hub.url, hubCredentials: { username: 'taker', password: PASSWORD }, syncAutoStart: false });
      const ref = desk.reference;
      const leaf = ref.catalogue.all().find((n) => n.level === 3 && n.owner.kind === 'local' && !n.coordination)!;
      const street = ref.places.all().find((p) => p.level === 'street' && ref.units.streetUnit(p.code))!;
      for (let i = 0; i < TICKETS; i++) {
        const result = await api.call('tickets.submit', {
          draft: {
            ...emptyDraft(randomUUID(), new Date().toISOString(), `139${String(10_000_000 + i).slice(-8)}`),
            callerName: '李先生',
            requestType: '投诉',
            address: { districtCode: street.parentCode, streetCode: street.code, villageCode: null, text: '8号院' },
            content: '小区南门外的人行道砖松动翘起，雨天踩上去溅一身泥水，请尽快修复。',
            leafCode: leaf.code,
            disposition: '直派',
            unitCode: ref.units.streetUnit(street.code)!.code,
          },
        });
        if (!result.ok) throw new Error(result.error.message);
      }
      // The baseline's tickets: the same rows under new ids, so both runs insert for real.
      const payloads = desk.db
        .prepare<[], { payload: string }>('SELECT payload FROM outbox ORDER BY seq')
        .all()
        .map((r) => toPushedTicket(JSON.parse(r.payload) as TicketCreatePayload, 'bench-baseline'));
      const copies: PushedTicket[] = payloads.map((t) => ({ ...t, id: randomUUID() }));

      const started = performance.now();
      const drained = await desk.sync!.syncOnce();
      const drainMs = performance.now() - started;
      if (!drained.ok) throw new Error(drained.error.message);
      const left = desk.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets WHERE official_number IS NULL').get()!.n;
      desk.dispose();

      const bare = await hub.as('taker');
      const bareStarted = performance.now();
      for (let i = 0; i < copies.length; i += MAX_PUSH_BATCH) {
        const result = await bare.call('tickets.push', { tickets: copies.slice(i, i + MAX_PUSH_BATCH) });
        if (!result.ok) throw new Error(result.error.message);
      }
      const bareMs = performance.now() - bareStarted;

      return [
        {
          name: `补传 ${TICKETS} 张积压工单（至全部换为正式编号）`,
          unit: 's',
          value: drainMs / 1000,
          target: { op: '<=', value: 10 },
          baseline: { label: '同样工单直接分批上传中心，不含坐席端记账', value: bareMs / 1000 },
          note: `${Math.round(TICKETS / (drainMs / 1000))} 张/秒；未换号 ${left} 张`,
        },
      ];
    } finally {
      await hub.close();
    }
  },
};
