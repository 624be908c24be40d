/**
 * Electron main process: a thin shell. It serves the built renderer over the app:// protocol with
 * a strict CSP, opens hardened windows, and carries the desk contract over one IPC channel after
 * checking that the sender is one of the app's own frames. All logic lives in ../services.
 */
import { app, dialog, ipcMain, protocol, session } from 'electron';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { IPC_EVENT_CHANNEL } from '../../shared/api/bridge';
import { deskCalls } from '../../shared/api/contract';
import { createDispatcher } from '../../shared/api/dispatch';
import { mimeTypeOf } from '../../shared/api/http';
import { describeError } from '../../shared/errors';
import { APP_FOLDER, DATA_DIR_ENV } from '../services/data-dir';
import { planHub, type HubConfig } from '../services/embedded-hub';
import { openDesk, type Desk } from '../services/desk';
import { contentDisposition } from '../services/lead/center-export';
import { FIRST_LEAD_FILE } from '../services/lead/lead-credentials';
import { CONTENT_SECURITY_POLICY } from '../services/security';
import { readPlacement, type SavedPlacement } from '../services/window-bounds';
import { SettingsRepo } from '../services/store/settings-repo';
import { utilityHubLauncher } from './hub-process';
import { registerDeskIpc } from './ipc';
import { electronNativeBinding } from './native';
import { APP_ORIGIN, createWindowFactory, isAppUrl, preloadPath, type WindowKind } from './windows';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  const dataDir = process.env[DATA_DIR_ENV]?.trim() || join(app.getPath('appData'), APP_FOLDER);
  app.setPath('userData', dataDir);
  await app.whenReady();

  const rendererDir = resolve(__dirname, '..', 'renderer');
  // The desk once opened: its finished exports are served below.
  let openedDesk: Desk | null = null;
  protocol.handle('app', (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/exports/')) {
      // A finished center-wide export (lead.exportStart): the renderer's download of it opens the save dialog.
      const file = openedDesk?.exportFile(pathname.slice('/exports/'.length)) ?? null;
      if (!file) return new Response('导出文件不存在或尚未完成', { status: 404 });
      return new Response(Readable.toWeb(createReadStream(file.path)) as ReadableStream, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': contentDisposition(file.fileName), 'cache-control': 'no-store' },
      });
    }
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) return new Response('未找到', { status: 404 });
    return new Response(readFileSync(file), {
      headers: {
        'content-type': mimeTypeOf(extname(file)),
        'content-security-policy': CONTENT_SECURITY_POLICY,
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  let windows: ReturnType<typeof createWindowFactory> | null = null;
  let nativeBinding: string;
  try {
    nativeBinding = electronNativeBinding(app.isPackaged, process.resourcesPath, resolve(__dirname, '..', '..'));
  } catch (error) {
    dialog.showErrorBox('坐席程序无法启动', describeError(error));
    app.exit(1);
    return;
  }
  // No hub configured: one starts beside the desk (the hub bundle in an Electron utility process, hub-process.ts).
  const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'data') : resolve(__dirname, '..', '..', 'resources');
  // The desk opens at once; the hub started beside it connects when it is up.
  const hub = planHub({ embedded: true, dataDir, resourcesDir, hubScript: resolve(__dirname, '..', 'hub', 'main.mjs'), launcher: utilityHubLauncher });
  console.log(hub.now.note);
  const stopHub = async () => (await (hub.later ?? Promise.resolve<HubConfig | null>(null)))?.embedded?.stop();
  const opened = openDesk({
    dataDir,
    mode: 'electron',
    version: app.getVersion(),
    resourcesDir,
    nativeBinding,
    hubUrl: hub.now.hubUrl,
    hubCredentials: hub.now.hubCredentials,
    hubStarting: hub.later !== null,
    openSecondScreen: () => {
      windows?.create('side');
      return { opened: true, url: null };
    },
  });
  if (!opened.ok) {
    await stopHub();
    dialog.showErrorBox('坐席程序无法启动', opened.error.message);
    app.exit(1);
    return;
  }
  const desk: Desk = opened.value;
  openedDesk = desk;
  const firstLead = join(dataDir, FIRST_LEAD_FILE);
  if (existsSync(firstLead)) console.log(readFileSync(firstLead, 'utf8').trim());
  const settings = new SettingsRepo(desk.db);
  windows = createWindowFactory({
    preloadPath: preloadPath(__dirname),
    savedPlacement: (kind: WindowKind) => readPlacement(settings.get<unknown>(`window.${kind}.bounds`, null)),
    savePlacement: (kind: WindowKind, placement: SavedPlacement) => settings.set(`window.${kind}.bounds`, placement),
  });

  const dispatch = createDispatcher(deskCalls, desk.handlers, (name, error) => console.error(`[desk] ${name}`, error));
  registerDeskIpc(ipcMain, dispatch, isAppUrl);
  desk.subscribe((event) => {
    for (const win of windows?.all() ?? []) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });

  app.on('second-instance', () => {
    const win = windows?.get('main');
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
    });
  });
  app.on('window-all-closed', () => {
    desk.close();
    void stopHub().finally(() => app.quit());
  });

  windows.create('main');
  void hub.later?.then((later) => {
    console.log(later.note);
    desk.connectHub(later);
  });
}
