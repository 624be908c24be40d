// `npm start`: build what is stale, then run the desk as an Electron app where the Electron binary
// and its SQLite addon exist; otherwise run the browser host and open it in the system browser,
// saying why. No configuration is needed: data goes to the user's app-data folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll, isStale } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const forceHost = args.includes('--browser') || process.env.HOTLINE_DESK_MODE === 'browser';

if (isStale()) {
  console.log('正在构建坐席程序…');
  await buildAll({ quiet: true });
}

function electronBinary() {
  try {
    const path = require('electron'); // the package's index.js returns the binary path, or throws
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function tryFetchElectron() {
  // package.json denies electron's install script (it downloads ~100 MB and fails offline), so the
  // binary is fetched here, once, on a machine that can reach the download host.
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer) || process.env.CI) return false;
  console.log('正在尝试下载 Electron 运行时（仅首次）…');
  const result = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, cwd: dirname(installer) });
  return result.status === 0;
}

function electronAddonReady() {
  const abiFile = join(root, 'node_modules', 'electron', 'abi_version');
  if (!existsSync(abiFile)) return false;
  const abi = readFileSync(abiFile, 'utf8').trim();
  const addon = join(root, '.native', `electron-abi${abi}`, 'better_sqlite3.node');
  if (existsSync(addon)) return true;
  console.log('正在为 Electron 构建 SQLite 模块（仅首次）…');
  return spawnSync(process.execPath, [join(root, 'scripts', 'build-electron-native.mjs')], { stdio: 'inherit' }).status === 0 && existsSync(addon);
}

let reason = '';
let binary = null;
if (forceHost) {
  reason = '按要求以浏览器模式运行';
} else {
  binary = electronBinary() ?? (tryFetchElectron() ? electronBinary() : null);
  if (!binary) reason = '本机没有 Electron 运行时（无法下载），改用浏览器模式';
  else if (!electronAddonReady()) {
    reason = '无法为 Electron 构建 SQLite 模块，改用浏览器模式';
    binary = null;
  }
}

if (binary) {
  console.log('以桌面程序（Electron）方式启动坐席工作台…');
  const child = spawn(binary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`${reason}。`);
  // With no hub configured the host starts one beside the desk, so tickets get official numbers and status comes back.
  const hostArgs = [join(root, 'dist', 'host', 'main.mjs'), '--embedded-hub', ...(process.env.CI || args.includes('--no-open') ? [] : ['--open'])];
  const child = spawn(process.execPath, hostArgs, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
