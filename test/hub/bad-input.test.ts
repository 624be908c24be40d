/**
 * Inputs that once got a 500 with the database's own words from the hub, or were taken when they
 * should not have been (issue 16), on PGlite and on PostgreSQL: text no database can store, call
 * times years away, dates that are no calendar day, malformed addresses, and reference files that
 * are empty, much smaller than the version in force, or broken. Each is refused with a named error
 * and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { useHubWithUsers } from './fixture';
import { DRIVERS, expectOk, pushedTicket, rawPost, RESOURCES_DIR } from './support';

/** A GET with the path exactly as given (fetch would re-encode it). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const bundled = (file: string) => readFileSync(join(RESOURCES_DIR, file), 'utf8');

describe.each(DRIVERS)('bad input at the hub on %s', (driver) => {
  const on = useHubWithUsers(driver);

  describe('text no database can store', () => {
    it.each([
      ['a NUL in the content', { content: '楼下商户夜间施工\u0000噪音扰民' }, 'tickets.0.content'],
      ['a lone surrogate in the caller name', { callerName: '张\uD800' }, 'tickets.0.callerName'],
      ['a lone low surrogate in the address', { address: { districtCode: 'D1', streetCode: 'S-A', villageCode: null, text: '3号楼\uDC00' } }, 'tickets.0.address.text'],
    ])('a push with %s is a 400 naming the field, and nothing is written', async (_what, over, path) => {
      const before = await on.hub.counts();
      const body = JSON.stringify({ tickets: [pushedTicket(over)] });
      const token = on.taker.token!;
      const reply = await rawPost(on.hub.url, '/v1/tickets.push', body, { authorization: `Bearer ${token}` });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
      expect(JSON.stringify(reply.body)).toContain(path);
      expect(await on.hub.counts()).toEqual(before);
    });

    it('refuses a reply note with a NUL the same way', async () => {
      const reply = await on.opA.call('ticket.reply', { ticketId: '00000000-0000-4000-8000-000000000000', reply: '已经处理\u0000完毕' });
      expect(reply.ok || reply.error.kind).toBe('bad_request');
    });
  });

  describe('call times and dates', () => {
    it.each([
      ['year 0001', { callStartedAt: '0001-01-01T00:00:00.000Z' }, 'tickets.0.callStartedAt'],
      ['year 9999', { callStartedAt: '9999-12-31T23:59:59.000Z' }, 'tickets.0.callStartedAt'],
      ['submitted in year 0001', { submittedAt: '0001-01-01T00:05:00.000Z', callStartedAt: '0001-01-01T00:00:00.000Z' }, 'tickets.0.submittedAt'],
      ['a shift date that is no day', { shiftDate: '2026-02-30' }, 'tickets.0.shiftDate'],
    ])('a push with a call time or date of %s is refused, and nothing is written', async (_what, over, path) => {
      const before = await on.hub.counts();
      const reply = await on.taker.call('tickets.push', { tickets: [pushedTicket(over)] });
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.kind).toBe('bad_request');
      expect(reply.error.message).toContain(path);
      expect(await on.hub.counts()).toEqual(before);
    });

    it('says in Chinese why a call time cannot be this ticket’s', async () => {
      const reply = await on.taker.call('tickets.push', { tickets: [pushedTicket({ callStartedAt: '2026-11-28T01:00:00.000Z' })] });
      expect(reply.ok || reply.error.message).toMatch(/来电时间（2026-11-28 09:00）早于提交时间一天以上/);
    });

    it.each([
      ['stats.rates', { from: '2030-02-30', to: '2030-03-01', groupBy: 'unit' }],
      ['stats.rates', { from: '2026-11-01', to: '2026-13-01', groupBy: 'street' }],
      ['stats.shiftTickets', { from: '2026-02-29', to: '2026-03-01', shiftCode: null, operatorIds: [] }],
    ] as const)('%s over a day that does not exist is a 400, not a 500 with the database’s words', async (name, input) => {
      const reply = await rawPost(on.hub.url, `/v1/${name}`, JSON.stringify(input), { authorization: `Bearer ${on.lead.token!}` });
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.body)).not.toMatch(/out of range|date\/time|invalid input syntax/i);
    });
  });

  describe('malformed addresses', () => {
    it.each(['/v1/%E0%A4%A', '/v1/tickets.%ZZpush', '/%C0%AF'])('GET %s is a 4xx with a Result, never a 500', async (path) => {
      const reply = await rawGet(on.hub.url, path);
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false });
    });
  });

  describe('reference files the hub must not publish', () => {
    const places = bundled('places/beijing-places.csv');
    const units = bundled('units/departments.csv');
    const catalogue = bundled('catalogue/catalogue.csv');
    const kb = bundled('kb/knowledge-base.csv');
    const kbHeader = kb.split('\n')[0]!;

    it('publishes the bundled files, each checked against the ones before it', async () => {
      for (const [kind, content] of [['places', places], ['units', units], ['catalogue', catalogue], ['kb', kb]] as const) {
        expectOk(await on.admin.call('reference.publish', { kind, fileName: `${kind}.csv`, content }));
      }
    });

    it.each([
      ['an empty knowledge base (header only)', `${kbHeader}\n`, false],
      ['an empty knowledge base, even when forced', `${kbHeader}\n\n`, true],
      ['one article for the hundreds in force', `${kbHeader}\nKB9101,社保卡补办,社保卡丢了,携带身份证到社保卡服务网点办理补换卡。,D05,2027-12-31,\n`, false],
      ['an article with a review date of 2030-02-30', kb.replace(/\d{4}-\d{2}-\d{2}/, '2030-02-30'), false],
      ['an article whose source unit the hub’s directory lacks', kb.replace(/,D0\d,/, ',X77,'), false],
    ])('refuses %s, and desks keep the version in force', async (_what, content, force) => {
      const before = await on.hub.counts();
      const current = expectOk(await on.taker.call('reference.pull', { have: { places: null, units: null, catalogue: null, kb: null } }));
      const reply = await on.admin.call('reference.publish', { kind: 'kb', fileName: 'kb-bad.csv', content, force });
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.kind).toBe('rejected');
        expect(reply.error.message).toContain('知识库未发布');
      }
      expect(await on.hub.counts()).toEqual(before);
      expect(expectOk(await on.taker.call('reference.pull', { have: { places: null, units: null, catalogue: null, kb: null } }))).toEqual(current);
    });

    it('publishes a much smaller file when the admin forces it', async () => {
      const small = `${kbHeader}\n${kb.split('\n')[1]}\n`;
      const refused = await on.admin.call('reference.publish', { kind: 'kb', fileName: 'kb-small.csv', content: small });
      expect(refused.ok || refused.error.message).toMatch(/文件只有 1 条，不到现有 \d+ 条的一半/);
      expectOk(await on.admin.call('reference.publish', { kind: 'kb', fileName: 'kb-small.csv', content: small, force: true }));
    });
  });
});
