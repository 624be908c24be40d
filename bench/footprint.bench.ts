/**
 * The desk's footprint on a call-taker's PC (issue 18): the desk process is the browser host
 * (dist/host/main.mjs), which runs the same services as Electron's main process (SQLite store,
 * reference data, outbox, sync client); the renderer's page is the browser's, not counted here.
 *
 * - Ready with an existing data folder: from spawn to the readiness line, target ≤ 2 s; baseline:
 *   a bare Node process to its first line, spawned the same way.
 * - Memory after a shift: 300 tickets taken through the real HTTP API, each with what a call makes
 *   (draft saves while typing, a knowledge-base search, the caller's history, the submit, the 我的工单
 *   list every tenth), the desk offline so every ticket also waits in the outbox; RSS (from /proc,
 *   Linux) after the shift, target ≤ 200 MB; baseline: the same process's RSS when it became ready.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { emptyDraft } from '../shared/domain/ticket';
import { freshDataDir, ROOT, startHostProcess } from '../test/support/host-process';
import { percentile, type Bench, type Figure } from './harness';

const SHIFT = 300;
const READY_RUNS = 5;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function bareNodeMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', `console.log('READY')`], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => resolve(performance.now() - start));
    child.once('error', reject);
  });
}

/** One call of the desk's API over HTTP, as the renderer's client makes it. */
function caller(url: string, cookie: string) {
  return async (name: string, input: unknown): Promise<unknown> => {
    const response = await fetch(`${url}api`, { method: 'POST', body: JSON.stringify({ name, input }), headers: { cookie, 'content-type': 'application/json' } });
    const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { kind: string; message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.kind} ${body.error?.message}`);
    return body.value;
  };
}

export const footprintBench: Bench = {
  title: '坐席占用：启动与一个班次后的内存',
  async run(): Promise<Figure[]> {
    const dataDir = freshDataDir('hotline-footprint-');
    try {
      // The first start loads the bundled reference data into the new folder.
      await (await startHostProcess({ dataDir, removeDataDir: false })).stop();
      const readyMs: number[] = [];
      const bareMs: number[] = [];
      for (let i = 0; i < READY_RUNS; i++) {
        const start = performance.now();
        const host = await startHostProcess({ dataDir, removeDataDir: false });
        readyMs.push(performance.now() - start);
        await host.stop();
        bareMs.push(await bareNodeMs());
      }

      const host = await startHostProcess({ dataDir, removeDataDir: false });
      try {
        const atReady = rssMb(host.child.pid!);
        const launch = await fetch(host.url, { redirect: 'manual' });
        const cookie = (launch.headers.get('set-cookie') ?? '').split(';')[0]!;
        const call = caller(host.origin, cookie);
        await call('operator.signIn', { id: '1001', name: '王芳', role: 'call_taker' });
        const units = (await call('units.list', {})) as Array<{ code: string; kind: string; districtCode: string | null; placeCode: string | null }>;
        const street = units.find((u) => u.kind === 'street' && u.districtCode && u.placeCode)!;
        const catalogue = parse(readFileSync(join(ROOT, 'resources', 'catalogue', 'catalogue.csv')), { columns: true, bom: true }) as Array<Record<string, string>>;
        const leaves = catalogue.filter((r) => r.level === '3' && r.owner === '属地' && r.coordination === '否' && r.urgency === '一般');
        const phrases = ['楼道灯坏了一个月没人修', '小区门口夜间施工噪音扰民', '共享单车堆在人行道上', '楼下饭馆油烟太大', '路灯不亮晚上走路害怕'];
        for (let i = 0; i < SHIFT; i++) {
          const phone = `139${String(10_000_000 + ((i * 7919) % 9_000_000)).slice(-8)}`;
          const content = `市民来电反映：${phrases[i % phrases.length]}，地点在${street.placeCode}附近，已经持续多日，请尽快处理。（第 ${i + 1} 件）`;
          const draft = {
            ...emptyDraft(randomUUID(), new Date().toISOString(), phone),
            callerName: '李先生',
            requestType: '投诉',
            address: { districtCode: street.districtCode, streetCode: street.placeCode, villageCode: null, text: '3号楼东侧' },
            leafCode: leaves[i % leaves.length]!.code,
            disposition: '直派',
            unitCode: street.code,
          };
          for (const part of [0.3, 0.7, 1]) await call('drafts.save', { draft: { ...draft, content: content.slice(0, Math.ceil(content.length * part)) } });
          await call('kb.search', { query: phrases[i % phrases.length]! });
          await call('tickets.history', { phone });
          await call('tickets.submit', { draft: { ...draft, content } });
          if (i % 10 === 9) await call('tickets.mine', {});
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const afterShift = rssMb(host.child.pid!);
        return [
          {
            name: '坐席再次启动到就绪（已有数据目录，中位数）',
            unit: 'ms',
            value: percentile(readyMs, 50),
            target: { op: '<=', value: 2000 },
            baseline: { label: '空 Node 进程启动到第一行输出', value: percentile(bareMs, 50) },
            note: `${READY_RUNS} 次`,
          },
          {
            name: `坐席进程内存（RSS，受理 ${SHIFT} 张工单后）`,
            unit: 'MB',
            value: afterShift,
            target: { op: '<=', value: 200 },
            baseline: { label: '同一进程就绪时', value: atReady },
            note: '每张：草稿保存 3 次、知识库搜索、来电历史、提交；每 10 张刷新我的工单；离线，工单都在待上传队列',
          },
        ];
      } finally {
        await host.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
