/**
 * The hub as it ships: the bundle dist/hub/main.mjs started as a process (built here when stale),
 * on both drivers — readiness line, first-run admin, users from a file or the environment, the
 * data-directory lock, a clean exit on SIGTERM — and `hub:sim` walking tickets along the loop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createHubClient } from '../../shared/api/hub-client';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, makeStore, PASSWORD, pushedTicket, ROOT, startTestHub, USERS, type TestStore } from './support';

const HUB = join(ROOT, 'dist', 'hub', 'main.mjs');
const READY = 'HOTLINE_HUB_READY ';

interface HubProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Every hub process a test started and that has not exited: a failed test must not leave one running. */
const running = new Set<ChildProcess>();
afterAll(async () => {
  await Promise.all(
    [...running].map((child) => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    })),
  );
});

function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [HUB, '--port', '0', ...args], {
    env: { ...process.env, DATABASE_URL: '', HOTLINE_HUB_USERS: '', HOTLINE_HUB_DB_SCHEMA: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

function startHubProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HubProcess> {
  const { child, output, exited } = run(args, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not become ready:\n${output()}`));
    }, 90_000); // a first start creates the database in a child process first (server/db.ts)
    const check = () => {
      const line = output().split('\n').find((l) => l.startsWith(READY));
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        child,
        url: (JSON.parse(line.slice(READY.length)) as { url: string }).url,
        output,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before it was ready:\n${output()}`));
    });
  });
}

setupOnce(async () => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--hub', '--if-stale'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the hub failed:\n${built.stdout}${built.stderr}`);
});

describe.each(DRIVERS)('the hub process on %s', (driver) => {
  let store: TestStore;
  let args: string[];
  let env: NodeJS.ProcessEnv;
  setupOnce(
    async () => {
      store = await makeStore(driver);
      args = store.options.dataDir ? ['--data-dir', store.options.dataDir] : [];
      env = store.options.databaseUrl ? { DATABASE_URL: store.options.databaseUrl, HOTLINE_HUB_DB_SCHEMA: store.options.databaseSchema } : {};
    },
    async () => {
      await store?.drop();
    },
  );

  it('first run: prints its readiness line, creates an admin with a password shown once, exits 0 on SIGTERM', async () => {
    const hub = await startHubProcess(args, env);
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const password = /初始密码 (\S+)（只显示这一次/.exec(hub.output())?.[1];
    expect(password, hub.output()).toBeTruthy();
    const health = await fetch(new URL('/health', hub.url));
    expect(await health.json()).toEqual({ ok: true, value: { db: driver, version: expect.any(String) } });
    const client = createHubClient({ url: hub.url });
    expect(expectOk(await client.login('admin', password!)).user.role).toBe('admin');
    expect(await hub.stop()).toBe(0);
    expect(hub.output()).toContain('中心已关闭');
    if (store.options.dataDir) expect(existsSync(join(store.options.dataDir, 'hub.lock'))).toBe(false);

    // Second run: the admin exists, so no new password; users from HOTLINE_HUB_USERS are added.
    const again = await startHubProcess(args, { ...env, HOTLINE_HUB_USERS: JSON.stringify(USERS) });
    expect(again.output()).not.toContain('初始密码');
    expect(again.output()).toContain('已创建账号：');
    expect((await createHubClient({ url: again.url }).login('admin', password!)).ok).toBe(true);
    expect((await createHubClient({ url: again.url }).login('op_a', PASSWORD)).ok).toBe(true);
    if (driver === 'pglite') {
      // One process per data folder: PGlite takes no lock of its own.
      const second = run(args);
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/正被另一个中心进程（pid \d+）使用/);
    }
    expect(await again.stop()).toBe(0);
  }, 180_000);

  it('reads users from --users FILE and refuses a bad file with a Chinese message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-hub-users-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const good = join(dir, 'users.json');
    writeFileSync(good, JSON.stringify([{ username: 'filed', password: 'from-a-file-1', name: '文件用户', role: 'team_lead', unitCode: null }]));
    const hub = await startHubProcess([...args, '--users', good], env);
    expect((await createHubClient({ url: hub.url }).login('filed', 'from-a-file-1')).ok).toBe(true);
    expect(await hub.stop()).toBe(0);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ username: 'x', password: 'short', name: '', role: 'boss' }]));
    const refused = run([...args, '--users', bad], env);
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toContain('中心无法启动：用户文件');
  }, 150_000);
});

describe('hub:sim', () => {
  it('walks dispatched tickets along the loop, bounded, printing each step', async () => {
    const t = await startTestHub('pglite');
    try {
      const taker = await t.as('taker');
      const tickets = Array.from({ length: 12 }, () => pushedTicket());
      expectOk(await taker.call('tickets.push', { tickets }));
      // Not spawnSync: the hub answering the simulator runs in this process.
      const sim = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(ROOT, 'server', 'sim.ts'), '--hub', t.url, '--username', 'admin', '--password', PASSWORD, '--max', '10', '--seconds', '30', '--pause', '0', '--seed', '7'],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', (status) => {
          clearTimeout(timer);
          resolve({ status, stdout, stderr });
        });
      });
      expect(sim.status, sim.stdout + sim.stderr).toBe(0);
      expect(sim.stdout).toContain('已登录中心');
      expect(sim.stdout).toMatch(/接单/);
      expect(sim.stdout).toMatch(/模拟结束：处理 10 张工单/);
      const rows = await t.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM tickets GROUP BY status');
      const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      expect(by['已派单']).toBe(2); // bounded: 10 of 12 handled
      expect((by['已回访'] ?? 0) + (by['已办结'] ?? 0) + (by['已退单'] ?? 0)).toBe(10);
      expect(sim.stdout).toContain('中心拒绝的操作：0');
    } finally {
      await t.close();
    }
  }, 180_000);
});
