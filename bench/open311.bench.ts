/**
 * Open311 `POST requests` throughput (issue 15: ≥ 500/s) against a real hub on PostgreSQL: four
 * channel partners' keys (server/open311.ts issueKey, each allowed 100,000 a minute so the per-key
 * limit is not what is measured), 50 submissions in flight over loopback, every one answered 200 with
 * a service_request_id or counted as an error. Baseline: `GET discovery.json` (the same HTTP stack, no
 * database write) at the same concurrency in the same run. A fresh schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { HubUser } from '../shared/api/hub-contract';
import { startHub } from '../server/hub';
import { issueKey } from '../server/open311';
import { PG_URL, RESOURCES_DIR, TEST_UNITS } from '../test/hub/support';
import type { Bench, Figure } from './harness';

const BENCH_PG_URL = process.env.HUB_BENCH_DATABASE_URL?.trim() || PG_URL;
const REQUESTS = Number(process.env.OPEN311_BENCH_REQUESTS) || 3000;
const IN_FLIGHT = 50;

let thrown = '';

async function drive(count: number, one: (i: number) => Promise<boolean>): Promise<{ perSecond: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const i = next++;
        const good = await one(i).catch((error: unknown) => {
          thrown ||= error instanceof Error ? error.message : String(error);
          return false;
        });
        if (!good) errors++;
      }
    }),
  );
  return { perSecond: count / ((performance.now() - start) / 1000), errors };
}

async function open311Figures(): Promise<Figure[]> {
  const schema = `hub_bench_o311_${randomBytes(5).toString('hex')}`;
  const name = 'Open311 POST requests 吞吐（PostgreSQL，经 HTTP，50 并发）';
  let hub;
  try {
    hub = await startHub({ databaseUrl: BENCH_PG_URL, databaseSchema: schema, resourcesDir: RESOURCES_DIR, units: TEST_UNITS, remindTimer: false, webDir: null });
  } catch (error) {
    return [{ name, unit: '次/s', value: Number.NaN, target: { op: '>=', value: 500 }, baseline: null, note: `PostgreSQL 不可达：${error instanceof Error ? error.message : String(error)}` }];
  }
  try {
    const admin = { id: '00000000-0000-4000-8000-000000000311', username: 'bench', name: '性能测量', role: 'admin', unitCode: null } as unknown as HubUser;
    const keys: string[] = [];
    for (const partner of ['网站', '微信', '微博', '市长信箱']) {
      const issued = await issueKey(hub.database, admin, { partner, channel: partner, perMinute: 100_000 }, new Date());
      if (!issued.ok) throw new Error(issued.error.message);
      keys.push(issued.value.key);
    }
    const services = (await (await fetch(new URL('open311/v2/services.json', hub.url))).json()) as Array<{ service_code: string }>;
    if (!Array.isArray(services) || services.length === 0) {
      return [{ name, unit: '次/s', value: Number.NaN, target: { op: '>=', value: 500 }, baseline: null, note: '中心的 services.json 为空（没有可提交的服务），无法测量' }];
    }
    let firstError = '';
    const post = async (i: number) => {
      const body = new URLSearchParams({
        api_key: keys[i % keys.length]!,
        service_code: services[i % services.length]!.service_code,
        description: `小区门口路灯不亮已经一周了，晚上出行不便，请尽快维修（第 ${i} 条）`,
        address_string: '北京市东城区东华门街道多福巷社区',
        phone: `138${String(i).padStart(8, '0')}`,
        first_name: '张',
      });
      const response = await fetch(new URL('open311/v2/requests.json', hub.url), { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const answer = (await response.json()) as Array<{ service_request_id?: string; token?: string; description?: string }>;
      const good = (response.status === 200 || response.status === 201) && Boolean(answer[0]?.service_request_id ?? answer[0]?.token);
      if (!good && !firstError) firstError = `${response.status} ${JSON.stringify(answer).slice(0, 200)}`;
      return good;
    };
    await drive(100, post); // warm-up
    const posted = await drive(REQUESTS, post);
    const discovery = await drive(REQUESTS, async () => (await fetch(new URL('open311/v2/discovery.json', hub.url))).status === 200);
    const [stored] = await hub.database.query<{ n: number }>('SELECT count(*)::int AS n FROM open311_requests');
    return [
      {
        name,
        unit: '次/s',
        // A refused submission is no throughput: any error makes the figure miss.
        value: posted.errors === 0 ? posted.perSecond : Number.NaN,
        target: { op: '>=', value: 500 },
        baseline: { label: '同并发 GET discovery.json', value: discovery.perSecond },
        note: `${REQUESTS} 次提交，出错 ${posted.errors} 次${firstError || thrown ? `（首个：${firstError || thrown}）` : ''}，入库 ${stored!.n} 条（含预热 100）；4 个渠道密钥；负载 ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`,
      },
    ];
  } finally {
    await hub.database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await hub.close();
  }
}

export const open311Bench: Bench = { title: 'Open311 网络渠道提交吞吐（PostgreSQL）', run: open311Figures };
