/**
 * 班长 sign-in at a desk with the lead's hub account (electron/services/lead/lead-credentials.ts):
 * verified at the hub while it is reachable, only for a team lead or admin account; a verifier of
 * the password then lets the same lead in offline for OFFLINE_DAYS, not after; the hub session
 * opened to check the password is given back at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeadCredentials, OFFLINE_DAYS } from '../../electron/services/lead/lead-credentials';
import { openDatabase } from '../../electron/services/store/database';
import { MIGRATIONS } from '../../electron/services/store/migrations';
import { SettingsRepo } from '../../electron/services/store/settings-repo';
import { useHub } from './fixture';
import { DRIVERS, PASSWORD, type TestHub } from './support';

describe.each(DRIVERS)('班长 signs in with the hub account on %s', (driver) => {
  let t: TestHub;
  useHub(driver, async (hub) => {
    t = hub;
  });
  const dir = mkdtempSync(join(tmpdir(), 'lead-signin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks at the hub, then lets the lead in offline for a while with the same password only', async () => {
    const opened = openDatabase({ path: join(dir, `${driver}.sqlite`), migrations: MIGRATIONS });
    if (!opened.ok) throw new Error(opened.error.message);
    const clock = { at: new Date('2026-12-01T08:00:00+08:00') };
    let hubUrl: string | null = t.url;
    const credentials = new LeadCredentials({ settings: new SettingsRepo(opened.value.db), now: () => clock.at, hubUrl: () => hubUrl });

    const sessionsBefore = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions'))[0]!.n;
    expect(await credentials.verify('lead', PASSWORD)).toEqual({ ok: true, value: { via: 'hub' } });
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions'))[0]!.n).toBe(sessionsBefore);

    const wrong = await credentials.verify('lead', 'not-the-password');
    expect(wrong.ok).toBe(false);
    const taker = await credentials.verify('taker', PASSWORD);
    expect(taker.ok || taker.error.message).toContain('不是班长账号');

    // The hub is gone: the verifier from the last check lets the lead in, a wrong password still not.
    hubUrl = 'http://127.0.0.1:9/';
    clock.at = new Date(clock.at.getTime() + 3 * 86_400_000);
    expect(await credentials.verify('lead', PASSWORD)).toEqual({ ok: true, value: { via: 'cached' } });
    expect((await credentials.verify('lead', 'not-the-password')).ok).toBe(false);
    const stranger = await credentials.verify('admin', PASSWORD);
    expect(stranger.ok || stranger.error.message).toContain('中心暂时无法连接');

    clock.at = new Date(clock.at.getTime() + OFFLINE_DAYS * 86_400_000);
    const stale = await credentials.verify('lead', PASSWORD);
    expect(stale.ok || stale.error.message).toContain(`近 ${OFFLINE_DAYS} 天`);
    // A 工号 that names one of Object.prototype's members is refused like any other stranger (the fuzz
    // suite found "toString" crashing the sign-in).
    for (const id of ['toString', 'constructor', 'valueOf']) {
      const odd = await credentials.verify(id, '315144');
      expect(odd.ok || odd.error.kind, id).toBe('forbidden');
    }
    opened.value.db.close();
  });
});
