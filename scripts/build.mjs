// Builds everything the desk runs: the renderer (Vite), the Electron main and preload, and the
// browser host (esbuild). `node scripts/build.mjs --if-stale` skips the work when dist is newer
// than every source file, so `npm start` stays quick.
import { build as esbuild } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const SOURCES = ['shared', 'renderer', 'electron', 'server', 'package.json', 'vite.config.ts'];
const OUTPUTS = ['dist/renderer/index.html', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/host/main.mjs'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function isStale() {
  const outputs = OUTPUTS.map((p) => join(root, p));
  if (outputs.some((p) => !existsSync(p))) return true;
  const builtAt = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return Math.max(...SOURCES.map((p) => newest(join(root, p)))) > builtAt;
}

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now();
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    external: ['electron', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
  };
  await Promise.all([
    esbuild({ ...common, entryPoints: [join(root, 'electron/main/index.ts')], outfile: join(root, 'dist/electron/main.cjs'), format: 'cjs' }),
    // A sandboxed preload may require only 'electron': everything else is bundled in.
    esbuild({ ...common, external: ['electron'], entryPoints: [join(root, 'electron/preload/index.ts')], outfile: join(root, 'dist/electron/preload.cjs'), format: 'cjs' }),
    esbuild({
      ...common,
      entryPoints: [join(root, 'electron/host/main.ts')],
      outfile: join(root, 'dist/host/main.mjs'),
      format: 'esm',
      // CommonJS packages bundled into an ES module (exceljs, csv-parse) still call require() for Node built-ins.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    }),
  ]);
  if (!quiet) console.log(`构建完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && !isStale()) {
    console.log('界面与服务已是最新构建，跳过构建');
  } else {
    await buildAll();
  }
}
