// Builds everything the desk runs: the renderer (Vite), the Electron main and preload, the
// browser host and the hub (esbuild), and the hub's web workspace (web/, Vite, to dist/web). `node scripts/build.mjs --if-stale` skips the work when dist
// is newer than every source file, so `npm start` stays quick; `--hub` builds (or, with
// --if-stale, checks) only the hub bundle and its workspace, which is what `npm run hub` needs.
import { build as esbuild } from 'esbuild';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const SOURCES = ['shared', 'renderer', 'electron', 'server', 'web', 'package.json', 'vite.config.ts', 'vite.web.config.ts'];
const OUTPUTS = ['dist/renderer/index.html', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/host/main.mjs', 'dist/hub/main.mjs', 'dist/web/index.html'];
const WEB_SOURCES = ['shared', 'web', 'package.json', 'vite.web.config.ts'];
const WEB_OUTPUT = 'dist/web/index.html';
const HUB_SOURCES = ['shared', 'server', 'package.json'];
const HUB_OUTPUT = 'dist/hub/main.mjs';
// CommonJS packages bundled into an ES module (exceljs, csv-parse, fastify's dependencies) still call require() for Node built-ins.
const ESM_REQUIRE_BANNER = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function staleAgainst(outputs, sources) {
  const paths = outputs.map((p) => join(root, p));
  if (paths.some((p) => !existsSync(p))) return true;
  const builtAt = Math.min(...paths.map((p) => statSync(p).mtimeMs));
  return Math.max(...sources.map((p) => newest(join(root, p)))) > builtAt;
}

export function isStale() {
  return staleAgainst(OUTPUTS, SOURCES);
}

export function isHubStale() {
  return staleAgainst([HUB_OUTPUT], HUB_SOURCES);
}

export function isWebStale() {
  return staleAgainst([WEB_OUTPUT], WEB_SOURCES);
}

/** The hub's web workspace (web/) to dist/web, served by the hub at `/` (server/web.ts). */
export async function buildWeb({ quiet = false } = {}) {
  await viteBuild({ configFile: join(root, 'vite.web.config.ts'), logLevel: quiet ? 'warn' : 'info' });
}

const commonOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  external: ['electron', 'better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
};

/**
 * The hub (server/main.ts) as one ES module. PGlite stays outside the bundle: it loads its
 * WebAssembly and data files from its own package folder. pg stays outside too (its optional
 * pg-native binding is a require() esbuild cannot resolve).
 */
export async function buildHub() {
  await esbuild({
    ...commonOptions,
    external: [...commonOptions.external, '@electric-sql/pglite', 'pg', 'pg-native'],
    entryPoints: [join(root, 'server/main.ts')],
    outfile: join(root, HUB_OUTPUT),
    format: 'esm',
    banner: ESM_REQUIRE_BANNER,
  });
  await buildPgliteTemplate();
  // The learned suggester's training thread (server/learned.ts starts it beside main.mjs).
  await esbuild({
    ...commonOptions,
    external: [...commonOptions.external, '@electric-sql/pglite', 'pg', 'pg-native'],
    entryPoints: [join(root, 'server/train-worker.ts')],
    outfile: join(root, 'dist/hub/train-worker.mjs'),
    format: 'esm',
    banner: ESM_REQUIRE_BANNER,
  });
}

/**
 * A database made by PGlite's initdb, beside the hub bundle (dist/hub/pgdata-template, the name is
 * server/db.ts PGLITE_TEMPLATE): the hub starts a new data folder as a copy of it instead of running
 * initdb, seconds faster and without initdb's memory (docs/scale.md). Made again only when the
 * installed PGlite's version is not the one that made it (pgdata-template.version).
 */
async function buildPgliteTemplate() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
  const dir = join(root, 'dist/hub/pgdata-template');
  const marker = `${dir}.version`;
  if (existsSync(join(dir, 'PG_VERSION')) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === version) return;
  const making = `${dir}.making`;
  rmSync(making, { recursive: true, force: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(making);
  await db.query('SELECT 1');
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(making, dir);
  writeFileSync(marker, `${version}\n`);
}

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now();
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  await buildWeb({ quiet });
  const common = commonOptions;
  await Promise.all([
    esbuild({ ...common, entryPoints: [join(root, 'electron/main/index.ts')], outfile: join(root, 'dist/electron/main.cjs'), format: 'cjs' }),
    // A sandboxed preload may require only 'electron': everything else is bundled in.
    esbuild({ ...common, external: ['electron'], entryPoints: [join(root, 'electron/preload/index.ts')], outfile: join(root, 'dist/electron/preload.cjs'), format: 'cjs' }),
    esbuild({
      ...common,
      entryPoints: [join(root, 'electron/host/main.ts')],
      outfile: join(root, 'dist/host/main.mjs'),
      format: 'esm',
      banner: ESM_REQUIRE_BANNER,
    }),
    buildHub(),
  ]);
  if (!quiet) console.log(`构建完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--hub')) {
    const ifStale = process.argv.includes('--if-stale');
    if (ifStale && !isHubStale()) {
      console.log('中心程序已是最新构建，跳过构建');
    } else {
      const started = Date.now();
      await buildHub();
      console.log(`中心程序构建完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    }
    if (ifStale && !isWebStale()) {
      console.log('工作台已是最新构建，跳过构建');
    } else {
      const started = Date.now();
      await buildWeb({ quiet: true });
      console.log(`工作台构建完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    }
  } else if (process.argv.includes('--if-stale') && !isStale()) {
    console.log('界面与服务已是最新构建，跳过构建');
  } else {
    await buildAll();
  }
}
