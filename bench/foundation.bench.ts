/** Foundation figures: one contract call through the browser host, and opening the desk database. */
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startHost } from '../electron/host/server';
import { openDatabase } from '../electron/services/store/database';
import { MIGRATIONS } from '../electron/services/store/migrations';
import { openTestDesk } from '../test/support/desk';
import { freshDataDir, ROOT } from '../test/support/host-process';
import { latency, timeEach, type Bench } from './harness';

const CALLS = 2000;

export const foundationBench: Bench = {
  title: '基础：接口调用与本地数据库',
  async run() {
    const desk = openTestDesk();
    const host = await startHost({ desk, rendererDir: join(ROOT, 'dist', 'renderer') });
    const body = JSON.stringify({ name: 'app.health', input: {} });
    const viaHost = await timeEach(CALLS, () =>
      fetch(`${host.url}api`, { method: 'POST', body, headers: { cookie: `${host.cookieName}=${host.secret}` } }).then((r) => r.json()),
    );
    await host.close();
    desk.dispose();

    // Baseline: a bare node:http server answering a fixed JSON body, same client, same machine.
    const bare = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ok":true,"value":{}}'));
    });
    await new Promise<void>((done) => bare.listen(0, '127.0.0.1', done));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const viaBare = await timeEach(CALLS, () => fetch(bareUrl, { method: 'POST', body }).then((r) => r.json()));
    bare.close();

    const opens = await timeEach(20, () => {
      const result = openDatabase({ path: join(freshDataDir(), 'desk.sqlite'), migrations: MIGRATIONS });
      if (result.ok) result.value.db.close();
    });
    const rawOpens = await timeEach(20, () => new Database(join(freshDataDir(), 'raw.sqlite')).close());

    return [
      latency('浏览器模式接口调用 app.health p99', 99, viaHost, { targetMs: 10, baseline: { label: '裸 node:http 回声 p99', samples: viaBare } }),
      latency('浏览器模式接口调用 app.health p50', 50, viaHost, { targetMs: 2, baseline: { label: '裸 node:http 回声 p50', samples: viaBare } }),
      latency('新建本地数据库（含迁移）p50', 50, opens, { targetMs: 50, baseline: { label: '仅 new Database() p50', samples: rawOpens } }),
    ];
  },
};
