/**
 * The Electron shell's hardening that can be checked without Electron (issue 16 item 16): only listed
 * https hosts go to the system browser; the hub beside the desk is started through a launcher (a
 * utility process under Electron) and never asks for ELECTRON_RUN_AS_NODE; the packaged binary has
 * its RunAsNode fuse off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startEmbeddedHub, type HubChild } from '../../electron/services/embedded-hub';
import { isAllowedExternal } from '../../electron/services/external-links';
import { HUB_READY_PREFIX, readyLine } from '../../shared/ready-line';
import { freshDataDir, ROOT } from '../support/host-process';

describe('links handed to the system browser', () => {
  it.each([
    ['https://12345.beijing.gov.cn/notice/1', true],
    ['https://www.beijing.gov.cn/zhengce/', true],
    ['http://12345.beijing.gov.cn/', false],
    ['https://12345.beijing.gov.cn.evil.example/', false],
    ['https://user:pw@12345.beijing.gov.cn/', false],
    ['https://12345.beijing.gov.cn:8443/', false],
    ['https://evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['smb://10.0.0.1/share', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternal(url)).toBe(allowed);
  });

  it('the window code asks the allow-list, not a pattern of its own', () => {
    const windows = readFileSync(join(ROOT, 'electron', 'main', 'windows.ts'), 'utf8');
    expect(windows).toMatch(/if \(isAllowedExternal\(url\)\) void shell\.openExternal\(url\)/);
    expect(windows.match(/openExternal/g)).toHaveLength(1);
  });
});

describe('the hub beside the desk', () => {
  it('starts through the given launcher without ELECTRON_RUN_AS_NODE', async () => {
    const dataDir = freshDataDir();
    const launched: Array<{ script: string; args: string[]; env: NodeJS.ProcessEnv }> = [];
    const hub = await startEmbeddedHub({
      hubScript: join(ROOT, 'package.json'), // exists; the fake launcher never runs it
      dataDir,
      resourcesDir: join(ROOT, 'resources'),
      env: { ELECTRON_RUN_AS_NODE: undefined },
      launcher: (script, args, env) => {
        launched.push({ script, args, env });
        const events = new EventEmitter();
        const stdout = new PassThrough();
        let exitCode: number | null = null;
        const child: HubChild = {
          stdout,
          stderr: new PassThrough(),
          get exitCode() {
            return exitCode;
          },
          kill: () => {
            exitCode = 0;
            events.emit('exit', 0);
            return true;
          },
          once: (event, listener) => events.once(event, listener),
        };
        setTimeout(() => stdout.write(`${readyLine(HUB_READY_PREFIX, { url: 'http://127.0.0.1:4999/' })}\n`), 10);
        return child;
      },
    });
    expect(hub.url).toBe('http://127.0.0.1:4999/');
    expect(launched).toHaveLength(1);
    expect(launched[0]!.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(launched[0]!.args).toContain('--parent-pid');
    await hub.stop();
  });

  it('the Electron shell launches it as a utility process, and packaging turns the RunAsNode fuse off', () => {
    const main = readFileSync(join(ROOT, 'electron', 'main', 'index.ts'), 'utf8');
    expect(main).toContain('launcher: utilityHubLauncher');
    expect(main).not.toContain('runtime: process.execPath');
    expect(readFileSync(join(ROOT, 'electron', 'main', 'hub-process.ts'), 'utf8')).toContain('utilityProcess.fork(');
    const builder = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(builder).toMatch(/^electronFuses:\n(?: {2}\w+: (?:true|false)\n)*? {2}runAsNode: false$/m);
  });
});
