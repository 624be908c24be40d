/**
 * Browser-host entry: `node dist/host/main.mjs [--port N] [--data-dir DIR] [--open] [--embedded-hub]`.
 * Runs the same desk services as the Electron main process, serves the renderer on 127.0.0.1,
 * and prints one readiness line (`HOTLINE_DESK_READY {json}`) that scripts and tests wait for.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeError } from '../../shared/errors';
import { DESK_READY_PREFIX, readyLine } from '../../shared/ready-line';
import { resolveDataDir } from '../services/data-dir';
import { openDesk } from '../services/desk';
import { FIRST_LEAD_FILE } from '../services/lead/lead-credentials';
import { planHub, type HubConfig } from '../services/embedded-hub';
import { APP_VERSION } from '../services/version';
import { startHost } from './server';

function openInBrowser(url: string): void {
  const command = process.platform === 'win32' ? 'cmd' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => console.log(`未找到系统浏览器，请手动打开：${url}`));
    child.unref();
  } catch {
    console.log(`未找到系统浏览器，请手动打开：${url}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.HOTLINE_DESK_PORT ?? '0' },
      'data-dir': { type: 'string' },
      open: { type: 'boolean', default: false },
      'renderer-dir': { type: 'string' },
      'resources-dir': { type: 'string' },
      // `npm start` asks for a hub beside the desk when none is configured; tests run without one.
      'embedded-hub': { type: 'boolean', default: false },
    },
  });
  const here = dirname(fileURLToPath(import.meta.url));
  const rendererDir = values['renderer-dir'] ?? resolve(here, '..', 'renderer');
  const dataDir = values['data-dir'] ?? resolveDataDir();
  const resourcesDir = values['resources-dir'] ?? resolve(here, '..', '..', 'resources');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`端口无效：${values.port}`);
    process.exit(2);
  }
  if (!existsSync(rendererDir)) {
    console.error(`找不到界面文件目录 ${rendererDir}，请先运行 npm run build`);
    process.exit(2);
  }

  // The desk opens at once; a hub started beside it (--embedded-hub) connects when it is up.
  const hub = planHub({ embedded: values['embedded-hub'], dataDir, resourcesDir, hubScript: resolve(here, '..', 'hub', 'main.mjs') });
  console.log(hub.now.note);
  const stopHub = async () => (await (hub.later ?? Promise.resolve<HubConfig | null>(null)))?.embedded?.stop();
  const opened = openDesk({
    dataDir,
    mode: 'browser-host',
    version: APP_VERSION,
    resourcesDir,
    hubUrl: hub.now.hubUrl,
    hubCredentials: hub.now.hubCredentials,
    hubStarting: hub.later !== null,
    openSecondScreen: () => ({ opened: false, url: '/?window=side' }),
  });
  if (!opened.ok) {
    await stopHub();
    console.error(`坐席服务无法启动：${opened.error.message}`);
    process.exit(1);
  }
  const desk = opened.value;
  if (desk.recoveredFrom) console.warn(`警告：本地数据库已损坏，已移至 ${desk.recoveredFrom} 并新建（找回情况见 本机状态）。`);
  const host = await startHost({ desk, rendererDir, port, log: (line) => console.error(`[host] ${line}`) });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`收到 ${signal}，正在关闭坐席服务…`);
    await host.close();
    desk.close();
    await stopHub();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // `url` is the launch URL (it carries the launch token); `origin` is the bare page address.
  console.log(readyLine(DESK_READY_PREFIX, { url: host.launchUrl, origin: host.url, dataDir, pid: process.pid }));
  console.log(`坐席工作台已在浏览器模式启动，请用此地址打开（含启动凭据，勿外传）：${host.launchUrl}`);
  console.log(`数据目录：${dataDir}`);
  const firstLead = join(dataDir, FIRST_LEAD_FILE);
  if (existsSync(firstLead)) console.log(readFileSync(firstLead, 'utf8').trim());
  if (values.open) openInBrowser(host.launchUrl);
  void hub.later?.then((later) => {
    console.log(later.note);
    desk.connectHub(later);
  });
}

main().catch((error: unknown) => {
  console.error(`坐席服务启动失败：${describeError(error)}`);
  process.exit(1);
});
