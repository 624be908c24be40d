// Builds better-sqlite3 for Electron's ABI into .native/electron-abi<N>/ without touching the Node
// build in node_modules that npm install made and the tests use. Needs a machine that can download
// Electron's headers (or the prebuilt addon). The packaged app carries the result in resources/native.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronPkg = join(root, 'node_modules', 'electron', 'package.json');
if (!existsSync(electronPkg)) {
  console.error('未安装 electron 依赖，请先运行 npm install');
  process.exit(1);
}
const electronVersion = JSON.parse(readFileSync(electronPkg, 'utf8')).version;
const abi = readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
const outDir = join(root, '.native', `electron-abi${abi}`);
const work = mkdtempSync(join(tmpdir(), 'hotline-native-'));
const pkgCopy = join(work, 'better-sqlite3');
cpSync(join(root, 'node_modules', 'better-sqlite3'), pkgCopy, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });

function run(command, args) {
  const result = spawnSync(command, args, { cwd: pkgCopy, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0;
}

const arch = process.env.npm_config_arch ?? process.arch;
const prebuilt = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'prebuild-install.cmd' : 'prebuild-install');
const nodeGyp = process.env.npm_config_node_gyp;
const ok =
  (existsSync(prebuilt) && run(prebuilt, ['--runtime', 'electron', '--target', electronVersion, '--arch', arch])) ||
  (nodeGyp
    ? run(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'])
    : run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron']));
const built = join(pkgCopy, 'build', 'Release', 'better_sqlite3.node');
if (!ok || !existsSync(built)) {
  rmSync(work, { recursive: true, force: true });
  console.error(`无法为 Electron ${electronVersion}（ABI ${abi}）构建 better-sqlite3：需要能下载 Electron 头文件或预编译模块的网络。`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
copyFileSync(built, join(outDir, 'better_sqlite3.node'));
// electron-builder packs this fixed path into resources/native.
mkdirSync(join(root, '.native', 'package'), { recursive: true });
copyFileSync(built, join(root, '.native', 'package', 'better_sqlite3.node'));
rmSync(work, { recursive: true, force: true });
console.log(`已生成 ${join(outDir, 'better_sqlite3.node')}（Electron ${electronVersion}，ABI ${abi}）`);
