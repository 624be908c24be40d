/**
 * Open311 GeoReport v2 on the hub (server/open311.ts) against a real HTTP listener on PGlite and
 * PostgreSQL: discovery, services and a service definition in JSON and XML; POST requests with a
 * channel partner's key (missing or revoked → 403, unknown service, bad lat/long, oversized
 * description and body refused with nothing stored), the per-key rate limit; GET requests and
 * requests/{id}; and a submission's status following its ticket — taken from the 网络渠道待受理
 * queue by one call-taker only, pushed with its id, dispatched, closed by the unit — or closed with
 * the reason when a call-taker rejects it. A real desk takes one through its 网络渠道待受理 calls,
 * submits it through its outbox (the push carries the submission's id), and offline says 需联网.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { value } from '../support/desk';
import { DRIVERS, expectOk, pushedTicket, startTestHub, type TestHub } from './support';
import { syncingDesk } from './syncing-desk';

const LEAF = '0109001'; // 城乡建设 / … / 路灯不亮 in resources/catalogue/catalogue.csv

interface Reply {
  status: number;
  type: string;
  text: string;
  json: unknown;
}

async function http(url: string, path: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(new URL(path, url), init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // XML or empty
  }
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, json };
}

const withoutKey = ({ api_key: _key, ...rest }: Record<string, string>) => rest;
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

for (const driver of DRIVERS) {
  describe(`Open311 GeoReport v2 on ${driver}`, () => {
    let hub: TestHub;
    let key: string;
    let keyId: string;
    const submission = (extra: Record<string, string> = {}) => ({
      api_key: key,
      service_code: LEAF,
      description: '幸福路 12 号门口的路灯一连三天晚上都不亮，老人出门不方便',
      address_string: '朝阳区幸福路 12 号',
      first_name: '明',
      last_name: '王',
      phone: '13912345678',
      email: 'wang@example.com',
      media_url: 'https://example.com/photo/1.jpg',
      ...extra,
    });
    const stored = () => hub.count('open311_requests');

    beforeAll(async () => {
      hub = await startTestHub(driver);
      const admin = await hub.as('admin');
      const issued = expectOk(await admin.call('open311.keys.issue', { partner: '市政府网站', channel: '网络' }));
      key = issued.key;
      keyId = issued.info.id;
    }, 60_000);
    afterAll(async () => {
      await hub?.close();
    });

    it('discovery and services answer in JSON and XML; services are the catalogue leaves with their group', async () => {
      const discovery = await http(hub.url, '/open311/v2/discovery.json');
      expect(discovery.status).toBe(200);
      expect((discovery.json as { endpoints: Array<{ formats: string[] }> }).endpoints[0]!.formats).toEqual(['application/json', 'text/xml']);
      const discoveryXml = await http(hub.url, '/open311/v2/discovery.xml');
      expect(discoveryXml.type).toContain('text/xml');
      expect(discoveryXml.text).toContain('<discovery><changeset>');

      const services = await http(hub.url, '/open311/v2/services.json');
      expect(services.status).toBe(200);
      const list = services.json as Array<{ service_code: string; service_name: string; group: string; metadata: boolean; type: string }>;
      const lamp = list.find((s) => s.service_code === LEAF);
      expect(lamp).toMatchObject({ service_name: '路灯不亮', metadata: false, type: 'realtime' });
      expect(lamp!.group).toMatch(/^城乡建设\//);
      expect(list.every((s) => /^\d{7}$/.test(s.service_code))).toBe(true); // leaves only
      const xml = await http(hub.url, '/open311/v2/services.xml');
      expect(xml.text).toContain(`<service><service_code>${LEAF}</service_code><service_name>路灯不亮</service_name>`);

      const definition = await http(hub.url, `/open311/v2/services/${LEAF}.json`);
      expect(definition.json).toEqual({ service_code: LEAF, attributes: [] });
      const definitionXml = await http(hub.url, `/open311/v2/services/${LEAF}.xml`);
      expect(definitionXml.text).toContain(`<service_definition><service_code>${LEAF}</service_code><attributes></attributes></service_definition>`);

      const unknown = await http(hub.url, '/open311/v2/services/9999999.json');
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual([{ code: 404, description: expect.stringContaining('9999999') }]);
      const unknownXml = await http(hub.url, '/open311/v2/services/9999999.xml');
      expect(unknownXml.status).toBe(404);
      expect(unknownXml.text).toMatch(/<errors><error><code>404<\/code><description>.*<\/description><\/error><\/errors>/);
      expect((await http(hub.url, '/open311/v2/services.csv')).status).toBe(400);
      expect((await http(hub.url, '/open311/v2/services.json?jurisdiction_id=elsewhere')).status).toBe(404);
    });

    it('refuses a submission without a valid key (403), with an unknown service, bad lat/long or too much text (400, 413), storing nothing', async () => {
      const cases: Array<[Record<string, string>, number, RegExp]> = [
        [{ api_key: '' }, 403, /api_key/],
        [{ api_key: 'o311_not-a-key' }, 403, /api_key/],
        [{ service_code: '9999999' }, 400, /service_code/],
        [{ service_code: '' }, 400, /service_code/],
        [{ description: '' }, 400, /description/],
        [{ description: '灯'.repeat(4001) }, 400, /description/],
        [{ address_string: '', lat: 'north', long: '116.4' }, 400, /lat\/long/],
        [{ address_string: '', lat: '95', long: '116.4' }, 400, /lat\/long/],
        [{ address_string: '', lat: '31.23', long: '121.47' }, 400, /受理范围/], // Shanghai
        [{ address_string: '', lat: '39.9' }, 400, /lat\/long/],
        [{ address_string: '' }, 400, /address_string/],
        [{ email: 'not-an-address' }, 400, /email/],
        [{ media_url: 'javascript:alert(1)' }, 400, /media_url/],
      ];
      for (const [patch, status, message] of cases) {
        const reply = await http(hub.url, '/open311/v2/requests.json', form(submission(patch)));
        expect(reply.status, JSON.stringify(patch).slice(0, 80)).toBe(status);
        const errors = reply.json as Array<{ code: number; description: string }>;
        expect(errors).toHaveLength(1);
        expect(errors[0]!.code).toBe(status);
        expect(errors[0]!.description).toMatch(message);
      }
      const xml = await http(hub.url, '/open311/v2/requests.xml', form(submission({ service_code: '9999999' })));
      expect(xml.status).toBe(400);
      expect(xml.text).toMatch(/^<\?xml[^>]*\?><errors><error><code>400<\/code>/);
      const huge = await http(hub.url, '/open311/v2/requests.json', form(submission({ description: '灯'.repeat(30_000) })));
      expect(huge.status).toBe(413);
      expect((huge.json as Array<{ code: number }>)[0]!.code).toBe(413);
      expect(await stored()).toBe(0);
    });

    it('accepts a submission (form or JSON, lat/long or address) into the 待受理 queue, not dispatched', async () => {
      const ticketsBefore = await hub.count('tickets');
      const reply = await http(hub.url, '/open311/v2/requests.json', form(submission({ account_id: 'web-7' })));
      expect(reply.status).toBe(201);
      const [answer] = reply.json as Array<{ service_request_id: string; service_notice: string; account_id: string }>;
      expect(answer!.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer!.account_id).toBe('web-7');
      expect(answer!.service_notice).toContain('审核受理');

      const xml = await http(hub.url, `/open311/v2/requests.xml?api_key=${key}`, form(withoutKey(submission({ address_string: '', lat: '39.9087', long: '116.3975' }))));
      expect(xml.status).toBe(201);
      expect(xml.text).toMatch(/<service_requests><request><service_request_id>[0-9a-f-]{36}<\/service_request_id>/);
      const json = await http(hub.url, '/open311/v2/requests.json', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(submission({ description: '小区门口路灯不亮' })),
      });
      expect(json.status).toBe(201);
      expect(await hub.count('tickets')).toBe(ticketsBefore);

      const taker = await hub.as('taker');
      const queue = expectOk(await taker.call('open311.pending', {}));
      const row = queue.rows.find((r) => r.id === answer!.service_request_id);
      expect(row).toMatchObject({ channel: '网络', partner: '市政府网站', serviceName: '路灯不亮', name: '王明', phone: '13912345678', claimedBy: null });
      expect(queue.rows.some((r) => r.lat === 39.9087 && r.long === 116.3975)).toBe(true);

      const one = await http(hub.url, `/open311/v2/requests/${answer!.service_request_id}.json?api_key=${key}`);
      expect(one.status).toBe(200);
      expect((one.json as Array<Record<string, unknown>>)[0]).toMatchObject({
        service_request_id: answer!.service_request_id,
        status: 'open',
        service_name: '路灯不亮',
        address: '朝阳区幸福路 12 号',
        status_notes: expect.stringContaining('等待话务员审核受理'),
        requested_datetime: expect.stringMatching(/\+08:00$/),
      });
      // Contact details never come back out.
      expect(one.text).not.toContain('13912345678');
    });

    it('GET requests needs the key, filters by id, service, dates and status, and answers XML', async () => {
      expect((await http(hub.url, '/open311/v2/requests.json')).status).toBe(403);
      const all = (await http(hub.url, `/open311/v2/requests.json?api_key=${key}`)).json as Array<{ service_request_id: string }>;
      expect(all.length).toBe(await stored());
      const ids = all.slice(0, 2).map((r) => r.service_request_id);
      const some = (await http(hub.url, `/open311/v2/requests.json?api_key=${key}&service_request_id=${ids.join(',')}`)).json as unknown[];
      expect(some).toHaveLength(2);
      expect((await http(hub.url, `/open311/v2/requests.json?api_key=${key}&service_code=0101001`)).json).toEqual([]);
      expect((await http(hub.url, `/open311/v2/requests.json?api_key=${key}&status=closed`)).json).toEqual([]);
      expect((await http(hub.url, `/open311/v2/requests.json?api_key=${key}&start_date=2030-01-01T00:00:00Z`)).json).toEqual([]);
      expect((await http(hub.url, `/open311/v2/requests.json?api_key=${key}&start_date=yesterday`)).status).toBe(400);
      expect((await http(hub.url, `/open311/v2/requests.json?api_key=${key}&status=pending`)).status).toBe(400);
      expect((await http(hub.url, `/open311/v2/requests/00000000-0000-4000-8000-000000000000.json?api_key=${key}`)).status).toBe(404);
      const xml = await http(hub.url, `/open311/v2/requests.xml?api_key=${key}&service_request_id=${ids[0]}`);
      expect(xml.text).toContain(`<request><service_request_id>${ids[0]}</service_request_id><status>open</status>`);
      // Another partner sees only its own.
      const admin = await hub.as('admin');
      const other = expectOk(await admin.call('open311.keys.issue', { partner: '微信公众号', channel: '微信' }));
      expect((await http(hub.url, `/open311/v2/requests.json?api_key=${other.key}`)).json).toEqual([]);
    });

    it('limits each key to its rate, per key, and a revoked key is refused with 403', async () => {
      const admin = await hub.as('admin');
      const slow = expectOk(await admin.call('open311.keys.issue', { partner: '微博', channel: '微博', perMinute: 2 }));
      const post = () => http(hub.url, '/open311/v2/requests.json', form(submission({ api_key: slow.key })));
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(201);
      const before = await stored();
      const limited = await post();
      expect(limited.status).toBe(429);
      expect((limited.json as Array<{ code: number }>)[0]!.code).toBe(429);
      expect(await stored()).toBe(before);
      // The main key is not affected; 30 seconds later the slow key has one more.
      expect((await http(hub.url, '/open311/v2/requests.json', form(submission()))).status).toBe(201);
      hub.clock.advance(30_000);
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(429);

      const keys = expectOk(await admin.call('open311.keys.list', {}));
      expect(keys.find((k) => k.id === slow.info.id)).toMatchObject({ partner: '微博', channel: '微博', perMinute: 2, revokedAt: null });
      expect(JSON.stringify(keys)).not.toContain(slow.key);
      const [row] = await hub.db.query<{ key_hash: string }>('SELECT key_hash FROM open311_keys WHERE id = $1', [slow.info.id]);
      expect(row!.key_hash).not.toContain(slow.key);
      expectOk(await admin.call('open311.keys.revoke', { id: slow.info.id }));
      hub.clock.advance(60_000);
      const afterRevoke = await stored();
      const refused = await post();
      expect(refused.status).toBe(403);
      expect(await stored()).toBe(afterRevoke);
      // Only an admin issues keys.
      const taker = await hub.as('taker');
      expect((await taker.call('open311.keys.issue', { partner: '某 APP', channel: 'APP' })).ok).toBe(false);
    });

    it("a submission's status follows its ticket: taken by one call-taker, pushed, dispatched, accepted, replied, closed", async () => {
      const reply = await http(hub.url, '/open311/v2/requests.json', form(submission({ description: '和平里 3 号院的路灯坏了一周' })));
      const id = (reply.json as Array<{ service_request_id: string }>)[0]!.service_request_id;
      const status = async () => (await http(hub.url, `/open311/v2/requests/${id}.json?api_key=${key}`)).json as Array<{ status: string; status_notes: string; agency_responsible: string; updated_datetime: string }>;

      const taker = await hub.as('taker');
      const taker2 = await hub.as('taker2');
      const claimed = expectOk(await taker.call('open311.claim', { id }));
      expect(claimed.claimedByName).toBe('李话务');
      const second = await taker2.call('open311.claim', { id });
      expect(second.ok ? null : second.error).toMatchObject({ kind: 'conflict', message: expect.stringContaining('李话务') });
      expect((await status())[0]!.status_notes).toContain('正在审核受理');

      const ticket = pushedTicket({ channel: '网络', content: '和平里 3 号院的路灯坏了一周', open311RequestId: id });
      const pushed = expectOk(await taker.call('tickets.push', { tickets: [ticket] }));
      expect(pushed.results[0]!.outcome).toBe('created');
      // The push linked it: the queue no longer lists it, the status names the ticket and the unit.
      expect(expectOk(await taker.call('open311.pending', {})).rows.map((r) => r.id)).not.toContain(id);
      let now = (await status())[0]!;
      expect(now).toMatchObject({ status: 'open', agency_responsible: '甲街道办事处' });
      expect(now.status_notes).toContain(pushed.results[0]!.number);
      // Another ticket naming the same submission does not take it over.
      const stray = pushedTicket({ open311RequestId: id });
      expectOk(await taker.call('tickets.push', { tickets: [stray] }));
      expect((await status())[0]!.status_notes).toContain(pushed.results[0]!.number);

      const unit = await hub.as('op_a');
      hub.clock.advance(60_000);
      expectOk(await unit.call('ticket.accept', { ticketId: ticket.id }));
      hub.clock.advance(60_000);
      expectOk(await unit.call('ticket.reply', { ticketId: ticket.id, reply: '已派电工更换灯泡，今晚恢复照明' }));
      now = (await status())[0]!;
      expect(now.status).toBe('open');
      expect(now.status_notes).toContain('已派电工更换灯泡');
      hub.clock.advance(60_000);
      expectOk(await unit.call('ticket.close', { ticketId: ticket.id, note: '路灯已修复，照明恢复', resolved: true }));
      now = (await status())[0]!;
      expect(now.status).toBe('closed');
      expect(now.status_notes).toContain('路灯已修复');
      expect(Date.parse(now.updated_datetime)).toBe(hub.clock.now().getTime() - (hub.clock.now().getTime() % 1000));
      const closed = (await http(hub.url, `/open311/v2/requests.json?api_key=${key}&status=closed`)).json as Array<{ service_request_id: string }>;
      expect(closed.map((r) => r.service_request_id)).toEqual([id]);
    });

    it('a rejected submission is closed with its reason; a duplicate follows the ticket it repeats', async () => {
      const post = async (description: string) => ((await http(hub.url, '/open311/v2/requests.json', form(submission({ description })))).json as Array<{ service_request_id: string }>)[0]!.service_request_id;
      const spam = await post('加微信领红包');
      const dup = await post('幸福路路灯还是不亮');
      const taker = await hub.as('taker');
      const refusedNoNumber = await taker.call('open311.reject', { id: dup, kind: '重复' });
      expect(refusedNoNumber.ok).toBe(false);
      const unknownNumber = await taker.call('open311.reject', { id: dup, kind: '重复', duplicateNumber: '20991231000001' });
      expect(unknownNumber.ok ? null : unknownNumber.error.kind).toBe('not_found');

      expectOk(await taker.call('open311.reject', { id: spam, kind: '垃圾信息', note: '广告' }));
      const [spamStatus] = (await http(hub.url, `/open311/v2/requests/${spam}.json?api_key=${key}`)).json as Array<{ status: string; status_notes: string }>;
      expect(spamStatus).toMatchObject({ status: 'closed', status_notes: '不予受理：垃圾信息（广告）' });
      const again = await taker.call('open311.reject', { id: spam, kind: '垃圾信息' });
      expect(again.ok ? null : again.error.kind).toBe('conflict');

      const original = pushedTicket({ content: '幸福路路灯不亮' });
      const [result] = expectOk(await taker.call('tickets.push', { tickets: [original] })).results;
      expectOk(await taker.call('open311.reject', { id: dup, kind: '重复', duplicateNumber: result!.number }));
      const dupStatus = async () => ((await http(hub.url, `/open311/v2/requests/${dup}.json?api_key=${key}`)).json as Array<{ status: string; status_notes: string }>)[0]!;
      expect(await dupStatus()).toMatchObject({ status: 'open', status_notes: expect.stringContaining(result!.number) });
      const unit = await hub.as('op_a');
      expectOk(await unit.call('ticket.accept', { ticketId: original.id }));
      expectOk(await unit.call('ticket.close', { ticketId: original.id, note: '路灯已经修复', resolved: true }));
      expect((await dupStatus()).status).toBe('closed');
      expect(expectOk(await taker.call('open311.pending', {})).rows.map((r) => r.id)).not.toContain(dup);
      // keyId is the main key's: every submission above is stored under it.
      const [count] = await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM open311_requests WHERE key_id = $1', [keyId]);
      expect(count!.n).toBeGreaterThan(5);
    });
  });
}

for (const driver of DRIVERS) {
  describe(`the desk's 网络渠道待受理 on ${driver}`, () => {
    let hub: TestHub;
    let desk: Awaited<ReturnType<typeof syncingDesk>>;
    const net = { down: false };
    const fetchImpl: typeof fetch = async (input, init) => {
      if (net.down) throw new TypeError('fetch failed');
      return fetch(input, init);
    };

    beforeAll(async () => {
      hub = await startTestHub(driver, { units: undefined });
      desk = await syncingDesk(hub.url, { username: 'taker', fetchImpl });
    }, 60_000);
    afterAll(async () => {
      desk?.desk.dispose();
      await hub?.close();
    });

    it('a desk takes a submission, submits it as a ticket through its outbox, and the hub links the two; offline the queue says 需联网', async () => {
      const admin = await hub.as('admin');
      const { key } = expectOk(await admin.call('open311.keys.issue', { partner: '12345 APP', channel: 'APP' }));
      const reply = await http(hub.url, '/open311/v2/requests.json', form({ api_key: key, service_code: LEAF, description: '小区门口的路面塌了一个大坑', address_string: '5号楼北侧', phone: '13700001111' }));
      const id = (reply.json as Array<{ service_request_id: string }>)[0]!.service_request_id;

      const queue = value(await desk.api.call('webIntake.queue', {}));
      expect(queue.rows.map((r) => r.id)).toContain(id);
      const taken = value(await desk.api.call('webIntake.take', { id }));
      expect(taken).toMatchObject({ id, channel: 'APP', phone: '13700001111' });
      const ticket = value(await desk.api.call('tickets.submit', { draft: { ...desk.draft(), channel: 'APP' }, open311RequestId: id }));
      expectOk(await desk.desk.sync!.syncOnce());
      const number = value(await desk.api.call('tickets.get', { id: ticket.id })).number;
      const [status] = (await http(hub.url, `/open311/v2/requests/${id}.json?api_key=${key}`)).json as Array<{ status: string; status_notes: string; agency_responsible: string }>;
      expect(status!.status).toBe('open');
      expect(status!.status_notes).toContain(number);
      expect(status!.agency_responsible).toBe(desk.unit.name);
      expect(value(await desk.api.call('webIntake.queue', {})).rows.map((r) => r.id)).not.toContain(id);

      net.down = true;
      const offline = await desk.api.call('webIntake.queue', {});
      expect(offline.ok ? null : offline.error).toMatchObject({ kind: 'unavailable', message: expect.stringContaining('需联网') });
      net.down = false;
    });
  });
}
