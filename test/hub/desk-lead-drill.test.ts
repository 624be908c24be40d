/**
 * The team lead's drill-down and export of center-wide figures from a real desk against the hub
 * (electron/services/lead/lead-service.ts drillPage, center-figures.ts, server/shift-drill.ts), on
 * PGlite and PostgreSQL: online the tickets behind a figure are the whole center's — other desks'
 * too — 100 a page with the total, phone numbers masked; the export walks every page from the hub
 * (full numbers only when the 班长 asks); offline the desk lists its own tickets and says so.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ExportProgress, LeadScope } from '../../shared/api/lead-contract';
import { setLeadPin, TEST_LEAD_PIN, value } from '../support/desk';
import { DRIVERS, expectOk, pushedTicket, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

type Desk = Awaited<ReturnType<typeof syncingDesk>>;

const DAY = '2026-12-01';
const SCOPE: LeadScope = { from: DAY, to: DAY, shiftCode: null, operatorIds: [], categoryLevel: 1 };

for (const driver of DRIVERS) {
  describe(`center-wide drill-down and export from the desk on ${driver}`, () => {
    let hub: TestHub;
    let desk: Desk;
    const net = { down: false };
    const fetchImpl: typeof fetch = async (input, init) => {
      if (net.down) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    // 130 tickets another desk took: more than one page.
    const others = Array.from({ length: 130 }, (_, i) =>
      pushedTicket({
        deskId: 'desk-other',
        submittedAt: new Date(Date.parse(`${DAY}T01:00:00.000Z`) + i * 60_000).toISOString(),
        callerPhone: '13912345678',
        callbackPhone: '13912345678',
        content: `其他坐席受理的第 ${i} 张：回电 13912345678`,
      }),
    );

    beforeAll(async () => {
      hub = await startTestHub(driver);
      const taker = await hub.as('taker');
      expectOk(await taker.call('tickets.push', { tickets: others }));
      // The desk syncs with the 班长's desk account; the lead signs in on it with a PIN.
      desk = await syncingDesk(hub.url, { username: 'lead', fetchImpl });
      expectOk(await desk.desk.sync!.syncOnce());
      setLeadPin(desk.desk, 'L01');
      value(await desk.api.call('operator.signIn', { id: 'L01', name: '王班长', role: 'team_lead', secret: TEST_LEAD_PIN }));
    }, 120_000);
    afterAll(async () => {
      desk?.desk.dispose();
      await hub?.close();
    });

    it('lists the whole center’s tickets behind a figure from the hub, 100 a page, masked', async () => {
      const first = value(await desk.api.call('lead.drilldown', { scope: SCOPE, filter: { kind: 'metric', metric: 'taken' }, page: 0 }));
      expect(first.source.kind).toBe('center');
      expect(first.total).toBe(130);
      expect(first.rows).toHaveLength(100);
      expect(first.rows[0]!.id).toBe(others[129]!.id); // newest first
      expect(first.rows[0]!.callerPhone).toBe('139****5678');
      expect(first.rows.some((r) => r.contentPreview.includes('13912345678'))).toBe(false);
      const second = value(await desk.api.call('lead.drilldown', { scope: SCOPE, filter: { kind: 'metric', metric: 'taken' }, page: 1 }));
      expect(second.rows).toHaveLength(30);
      expect(new Set([...first.rows, ...second.rows].map((r) => r.id))).toEqual(new Set(others.map((t) => t.id)));
    });

    it('exports every ticket of a center-wide figure from the hub, masked unless the 班长 asks for full numbers', async () => {
      const file = value(await desk.api.call('lead.export', { scope: SCOPE, table: 'tickets', filter: { kind: 'all' }, format: 'csv' }));
      expect(file.rows).toBe(130);
      expect(file.masked).toBe(true);
      const rows = parse(Buffer.from(file.contentBase64, 'base64').toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(130);
      expect(rows[0]!['来电号码']).toBe('139****5678');
      expect(rows.every((r) => !r['诉求内容']!.includes('13912345678'))).toBe(true);
      const full = value(await desk.api.call('lead.export', { scope: SCOPE, table: 'tickets', filter: { kind: 'all' }, format: 'csv', fullPhones: true }));
      expect(full.masked).toBe(false);
      expect(Buffer.from(full.contentBase64, 'base64').toString('utf8')).toContain('13912345678');
      // The shift log table is the center's too.
      const log = value(await desk.api.call('lead.export', { scope: SCOPE, table: 'operators', format: 'csv' }));
      const table = parse(Buffer.from(log.contentBase64, 'base64').toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(table.at(-1)!['受理量']).toBe('130');
    });

    it('streams a center-wide CSV to a file page by page (lead.exportStart), the same rows as the in-memory export, with progress', async () => {
      const events: ExportProgress[] = [];
      const over = new Promise<ExportProgress>((resolve) => {
        const stop = desk.desk.subscribe((event) => {
          if (event.name !== 'lead.exportProgress') return;
          events.push(event.payload);
          if (event.payload.state !== 'running') {
            stop();
            resolve(event.payload);
          }
        });
      });
      const started = value(await desk.api.call('lead.exportStart', { scope: SCOPE, filter: { kind: 'all' } }));
      const last = await over;
      expect(last).toMatchObject({ jobId: started.jobId, state: 'done', done: 130, total: 130, masked: true, url: `exports/${started.jobId}` });
      expect(events[0]).toMatchObject({ state: 'running', done: 0, total: 130 });
      const saved = desk.desk.exportFile(started.jobId)!;
      expect(saved.fileName).toBe(started.fileName);
      const bytes = readFileSync(saved.path);
      expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // UTF-8 BOM for Excel
      const inMemory = value(await desk.api.call('lead.export', { scope: SCOPE, table: 'tickets', filter: { kind: 'all' }, format: 'csv' }));
      // Same columns, same rows, newest first — only the handling of the numbers' instant may differ, and it does not here.
      expect(bytes.toString('utf8')).toBe(Buffer.from(inMemory.contentBase64, 'base64').toString('utf8'));
      const rows = parse(bytes.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(rows.map((r) => r['工单编号'])).toHaveLength(130);
      // Offline there is no center-wide export to stream: the desk says so.
      net.down = true;
      try {
        await desk.desk.sync!.syncOnce();
        const refused = await desk.api.call('lead.exportStart', { scope: SCOPE, filter: { kind: 'all' } });
        expect(refused.ok || refused.error.kind).toBe('unavailable');
      } finally {
        net.down = false;
        await desk.desk.sync!.syncOnce();
      }
    });

    it('offline lists this desk’s own tickets only and says so', async () => {
      net.down = true;
      try {
        const offline = value(await desk.api.call('lead.drilldown', { scope: SCOPE, filter: { kind: 'metric', metric: 'taken' }, page: 0 }));
        expect(offline.source.kind).toBe('local');
        expect(offline.source.note).toContain('仅显示本机工单');
        expect(offline.total).toBe(0); // the other desk's tickets are not here
        const file = value(await desk.api.call('lead.export', { scope: SCOPE, table: 'tickets', filter: { kind: 'all' }, format: 'csv' }));
        expect(file.rows).toBe(0);
      } finally {
        net.down = false;
      }
    });
  });
}
