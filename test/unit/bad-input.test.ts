/**
 * Inputs that once broke the desk (issue 16): text no database can store (NUL, lone surrogates), call
 * times years away, dates that are no calendar day, control characters in search terms, malformed
 * addresses on the browser host, and a throw whose database text reached the caller. Each is refused
 * with a named error before anything is written, or answered without the raw text.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { deskCalls } from '../../shared/api/contract';
import { createDispatcher } from '../../shared/api/dispatch';
import { isSafeText, unsafeTextPaths } from '../../shared/api/safe-input';
import { searchTokens } from '../../shared/domain/kb';
import { isCalendarDate } from '../../shared/time';
import { startHost, type RunningHost } from '../../electron/host/server';
import { openClockedDesk, refusal, value, type ClockedDesk } from '../support/desk';
import { bundledFixtures, draftFor, type Fixtures } from '../support/desk-fixtures';
import { ROOT } from '../support/host-process';
import { forSuite } from '../support/suite';

/** Tuesday 1 December 2026, 10:00 Beijing time. */
const T0 = new Date('2026-12-01T02:00:00.000Z');
const HOUR = 3_600_000;

const h = forSuite<ClockedDesk>(() => openClockedDesk(T0), (opened) => opened.desk.dispose());
const fx = forSuite<Fixtures>(() => bundledFixtures(h.desk.reference));
const count = (table: string) => (h.desk.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('text no database can store', () => {
  it('knows a NUL and a lone surrogate from a real character pair', () => {
    expect(isSafeText('社保卡😀补办')).toBe(true);
    for (const bad of ['a\u0000b', 'a\uD800b', 'a\uDC00', '\uD83D']) expect(isSafeText(bad)).toBe(false);
    expect(unsafeTextPaths({ a: ['ok', { b: 'x\u0000' }], ['k\uDFFF']: 1 })).toEqual([['a', 1, 'b'], ['k\uDFFF']]);
  });

  it.each([
    ['a NUL in the content', { content: '小区门口的路面塌了一个大坑\u0000，晚上看不清。' }, 'draft.content'],
    ['a lone surrogate in the caller name', { callerName: '张\uD800女士' }, 'draft.callerName'],
    ['a NUL in the address text', { address: { districtCode: null, streetCode: null, villageCode: null, text: '3号楼\u0000' } }, 'draft.address.text'],
  ])('a submit with %s is bad_request naming the field, and nothing is written', async (_what, over, path) => {
    const before = [count('tickets'), count('outbox'), count('drafts')];
    const draft = { ...draftFor(fx, T0), ...over };
    for (const name of ['tickets.submit', 'drafts.save'] as const) {
      const error = refusal(await h.api.call(name, { draft }));
      expect(error.kind).toBe('bad_request');
      expect(error.message).toContain(path);
      expect(error.message).toContain('无法保存的字符');
    }
    expect([count('tickets'), count('outbox'), count('drafts')]).toEqual(before);
  });
});

describe('call times', () => {
  it.each([
    ['year 0001', '0001-01-01T00:00:00.000Z', '早于提交时间一天以上'],
    ['year 9999', '9999-12-31T00:00:00.000Z', '晚于提交时间'],
    ['two days before', new Date(T0.getTime() - 48 * HOUR).toISOString(), '早于提交时间一天以上'],
  ])('a call started in %s is refused with a Chinese message and nothing is written', async (_what, callStartedAt, words) => {
    const before = [count('tickets'), count('outbox')];
    const error = refusal(await h.api.call('tickets.submit', { draft: draftFor(fx, T0, { callStartedAt }) }));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('来电时间');
    expect(error.message).toContain(words);
    expect([count('tickets'), count('outbox')]).toEqual(before);
  });

  it('takes a call that started within the day before submission', async () => {
    const draft = draftFor(fx, new Date(T0.getTime() - 23 * HOUR));
    expect(value(await h.api.call('tickets.submit', { draft })).id).toBe(draft.id);
  });
});

describe('dates and search terms', () => {
  it('knows a calendar day from a string of the same shape', () => {
    for (const good of ['2030-02-28', '2028-02-29', '2026-12-31']) expect(isCalendarDate(good)).toBe(true);
    for (const bad of ['2030-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-4-1', '']) expect(isCalendarDate(bad)).toBe(false);
  });

  it('refuses a shift-log range with a day that does not exist, as bad_request', async () => {
    const scope = { from: '2030-02-30', to: '2030-03-01', shiftCode: null, operatorIds: [], categoryLevel: 1 as const };
    const error = refusal(await h.api.call('lead.shiftLog', { scope }));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('scope.from');
  });

  it('drops control and format characters from search terms, so a search with them answers like one without', async () => {
    expect(searchTokens('社保\u0001卡\u200F补办\u0007')).toEqual(['社保', '卡', '补办']);
    const plain = value(await h.api.call('kb.search', { query: '社保卡 补办' })).map((hit) => hit.id);
    const noisy = value(await h.api.call('kb.search', { query: '\u0002社保卡\u200E\u0008补办\u001F' })).map((hit) => hit.id);
    expect(plain.length).toBeGreaterThan(0);
    expect(noisy).toEqual(plain);
  });
});

describe('errors never carry what a database said', () => {
  it('answers a throwing handler with a generic message and logs the detail', async () => {
    const logged: unknown[] = [];
    const dispatch = createDispatcher(
      deskCalls,
      {
        ...h.desk.handlers,
        'kb.search': () => {
          throw new Error('SQLITE_ERROR: no such table: kb_fts_secret_name');
        },
      },
      (_name, error) => logged.push(error),
    );
    const result = await dispatch({ name: 'kb.search', input: { query: '社保' } }, { transport: 'ipc' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|kb_fts_secret_name/);
    expect(String(logged[0])).toContain('kb_fts_secret_name');
  });
});

describe('malformed addresses on the browser host', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost({ desk: h.desk, rendererDir: join(ROOT, 'dist', 'renderer') });
  });
  afterAll(async () => {
    await host?.close();
  });

  /** A GET with the path exactly as given (fetch would re-encode it). */
  const rawGet = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path, method: 'GET', headers: { host: `127.0.0.1:${host.port}` } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each(['/%E0%A4%A', '/assets/%', '/%ZZ.js', '/side/%C0%AF'])('%s is a 400, not a 500', async (path) => {
    const reply = await rawGet(path);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
  });
});
