/**
 * The hub started beside the desk (electron/services/embedded-hub.ts with the built dist/hub/main.mjs,
 * built here when stale) — issue 16: it starts on a data folder that does not exist yet (a
 * newcomer's first `npm start`), it exits when the desk dies even by kill -9, and a hub left running
 * on the same folder is stopped so the next start gets a hub rather than 本机模式.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, startEmbeddedHub, type EmbeddedHub } from '../../electron/services/embedded-hub';
import { ROOT } from '../support/host-process';

const HUB = join(ROOT, 'dist', 'hub', 'main.mjs');
const RESOURCES = join(ROOT, 'resources');
const started: ChildProcess[] = [];
const folders: string[] = [];

beforeAll(() => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--hub', '--if-stale'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the hub failed:\n${built.stdout}${built.stderr}`);
}, 120_000);
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-embedded-'));
  folders.push(dir);
  return dir;
}


async function until(test: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (test()) return true;
  return test();
}

const lockPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'hub', 'hub.lock'), 'utf8').trim());

async function healthy(hub: EmbeddedHub): Promise<boolean> {
  const reply = (await (await fetch(new URL('health', hub.url))).json()) as { ok: boolean };
  return reply.ok;
}

describe('the hub beside the desk', () => {
  it('starts on a data folder that does not exist yet', async () => {
    const dataDir = join(tempDir(), 'first-start', 'HotlineDesk');
    const hub = await startEmbeddedHub({ hubScript: HUB, dataDir, resourcesDir: RESOURCES });
    try {
      expect(await healthy(hub)).toBe(true);
      expect(existsSync(join(dataDir, 'hub-account.json'))).toBe(true);
    } finally {
      await hub.stop();
    }
  }, 120_000);

  it('exits when the desk that started it is killed with -9, so the next start has a hub again', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'HotlineDesk');
    mkdirSync(dataDir); // not a first start: this case is only about the desk dying
    const script = join(dir, 'desk-stand-in.mts');
    writeFileSync(
      script,
      [
        `import { startEmbeddedHub } from ${JSON.stringify(join(ROOT, 'electron', 'services', 'embedded-hub.ts'))};`,
        `const hub = await startEmbeddedHub({ hubScript: ${JSON.stringify(HUB)}, dataDir: ${JSON.stringify(dataDir)}, resourcesDir: ${JSON.stringify(RESOURCES)} });`,
        `console.log('STAND_IN_READY ' + hub.url);`,
        `setInterval(() => {}, 1000);`,
      ].join('\n'),
    );
    const desk = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(desk);
    let out = '';
    desk.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    desk.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect(await until(() => out.includes('STAND_IN_READY '), 90_000)).toBe(true);
    const hubPid = lockPid(dataDir);
    expect(alive(hubPid)).toBe(true);

    desk.kill('SIGKILL');
    expect(await until(() => !alive(hubPid), 10_000)).toBe(true);
    const next = await startEmbeddedHub({ hubScript: HUB, dataDir, resourcesDir: RESOURCES });
    try {
      expect(await healthy(next)).toBe(true);
    } finally {
      await next.stop();
    }
  }, 180_000);

  it('stops a hub an earlier desk left running on the same data folder, and starts its own', async () => {
    const dataDir = join(tempDir(), 'HotlineDesk');
    // An earlier build's hub, started without any tie to its desk, still holding the folder.
    const stale = spawn(process.execPath, [HUB, '--data-dir', join(dataDir, 'hub'), '--port', '0', '--resources-dir', RESOURCES], {
      env: { ...process.env, DATABASE_URL: '', HOTLINE_HUB_USERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(stale);
    let out = '';
    stale.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect(await until(() => out.includes('HOTLINE_HUB_READY'), 90_000)).toBe(true);
    expect(lockPid(dataDir)).toBe(stale.pid);

    const hub = await startEmbeddedHub({ hubScript: HUB, dataDir, resourcesDir: RESOURCES });
    try {
      expect(alive(stale.pid!)).toBe(false);
      expect(await healthy(hub)).toBe(true);
      expect(lockPid(dataDir)).not.toBe(stale.pid);
    } finally {
      await hub.stop();
    }
  }, 180_000);
});
