// Enforces the layers, described in docs/architecture.md, by reading every import in the tree:
//   shared/            pure TypeScript: only shared/ and a few pure packages; no Node, DOM-only or Electron code
//   renderer/          React: only renderer/, shared/ and browser packages; never Node, electron/ or server/
//   web/               the hub's web workspace, as renderer: only web/, shared/ and browser packages; never Node, electron/, server/ or renderer/
//   electron/main, electron/preload, electron/host
//                      the entry points: their own folder, electron/services and shared/; only main and preload import 'electron'
//   electron/services  plain Node: electron/services and shared/; never main, preload, host, renderer or server
//   server/            the hub: only server/ and shared/; never desk code
// Imports are followed transitively: a file whose import leaves its own layer and, directly or further
// down, reaches something its layer forbids is reported with the chain (a → b → c) that gets there.
// `node scripts/check-layers.mjs [root]` prints each violation and exits 1 when there is any.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const SHARED_PACKAGES = ['zod', 'fuse.js', 'chinese-days', 'csv-parse'];
const RENDERER_PACKAGES = [
  ...SHARED_PACKAGES,
  'react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', 'zustand',
  'echarts', 'echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers',
];
const entry = (name, dir, electron) => ({ name, dir, folders: [dir, 'electron/services', 'shared'], packages: '*', node: true, electron });

/** Most specific first: a file belongs to the first layer whose `dir` holds it; `folders` are the tree paths it may import. */
const LAYERS = [
  { name: 'shared', dir: 'shared', folders: ['shared'], packages: SHARED_PACKAGES, node: false, electron: false },
  { name: 'renderer', dir: 'renderer', folders: ['renderer', 'shared'], packages: RENDERER_PACKAGES, node: false, electron: false },
  { name: 'web', dir: 'web', folders: ['web', 'shared'], packages: RENDERER_PACKAGES, node: false, electron: false },
  entry('electron-main', 'electron/main', true),
  entry('electron-preload', 'electron/preload', true),
  entry('electron-host', 'electron/host', false),
  { name: 'electron-services', dir: 'electron/services', folders: ['electron/services', 'shared'], packages: '*', node: true, electron: false },
  { name: 'electron', dir: 'electron', folders: ['electron', 'shared'], packages: '*', node: true, electron: false },
  { name: 'server', dir: 'server', folders: ['server', 'shared'], packages: '*', node: true, electron: false },
];

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.mjs', '.js', '.cjs', '.jsx'];
/** `./x.js` in TypeScript source names `./x.ts`. */
const TS_FOR_JS = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(walk(full));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const posix = (p) => p.split(sep).join('/');
const within = (rel, dir) => rel === dir || rel.startsWith(dir + '/');

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function layerOf(root, file) {
  const rel = posix(relative(root, file));
  return LAYERS.find((l) => within(rel, l.dir)) ?? null;
}

function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0];
}

/** The tree area a path falls in, as the messages name it: `electron/services`, `renderer`, … */
function areaOf(rel) {
  const parts = rel.split('/');
  return parts[0] === 'electron' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

export function importsOf(file) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return [...new Set(info.importedFiles.map((f) => f.fileName))];
}

/** The source file a relative specifier names (`./x`, `./x.js`, `./dir` → `./dir/index.ts`), or null. */
export function resolveImport(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [];
  if (SOURCE.test(base)) {
    candidates.push(base);
    const ext = base.slice(base.lastIndexOf('.'));
    for (const tsExt of TS_FOR_JS[ext] ?? []) candidates.push(base.slice(0, -ext.length) + tsExt);
  }
  for (const ext of EXTENSIONS) candidates.push(base + ext);
  for (const ext of EXTENSIONS) candidates.push(join(base, 'index' + ext));
  return candidates.find(isFile) ?? null;
}

export function checkLayers(root) {
  root = resolve(root);
  const rel = (file) => posix(relative(root, file));
  const edgesCache = new Map();
  /** A file's imports, relative ones resolved to real files where they exist. */
  const edges = (file) => {
    let list = edgesCache.get(file);
    if (!list) {
      list = importsOf(file).map((spec) => ({ spec, file: spec.startsWith('.') ? resolveImport(file, spec) : null }));
      edgesCache.set(file, list);
    }
    return list;
  };

  /** What `layer` makes of importing `edge` from `from`: the import's name in a chain, and the problem if forbidden. */
  const judge = (layer, from, { spec, file }) => {
    if (spec.startsWith('.')) {
      const target = rel(file ?? resolve(dirname(from), spec));
      const allowed = !target.startsWith('..') && layer.folders.some((f) => within(target, f));
      return { target, problem: allowed ? null : `${layer.name} may not import from ${areaOf(target)}/` };
    }
    let problem = null;
    if (spec === 'electron' || spec.startsWith('electron/')) {
      if (!layer.electron) problem = `only electron/main and electron/preload may import electron`;
    } else if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) {
      if (!layer.node) problem = `${layer.name} may not import the Node module ${spec}`;
    } else if (layer.packages !== '*' && !layer.packages.includes(spec) && !layer.packages.includes(packageName(spec))) {
      problem = `${layer.name} may not import the package ${spec}`;
    }
    return { target: spec, problem };
  };

  const violations = [];
  for (const top of ['shared', 'renderer', 'web', 'electron', 'server']) {
    let files = [];
    try {
      files = walk(join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const layer = layerOf(root, file);
      if (!layer) continue;
      const start = rel(file);
      // Direct imports; the allowed ones that leave this layer are followed below.
      const queue = [];
      const seen = new Set([file]);
      for (const edge of edges(file)) {
        const { target, problem } = judge(layer, file, edge);
        if (problem) violations.push({ file: start, import: edge.spec, problem, chain: [start, target] });
        else if (edge.file && !seen.has(edge.file) && layerOf(root, edge.file) !== layer) {
          seen.add(edge.file);
          queue.push({ file: edge.file, chain: [start, rel(edge.file)] });
        }
      }
      // Everything reachable through files of other layers, judged by this file's layer. Files of this
      // layer are not entered: their own imports are reported from there, so each problem is named once.
      for (let i = 0; i < queue.length; i++) {
        const { file: via, chain } = queue[i];
        for (const edge of edges(via)) {
          const { target, problem } = judge(layer, via, edge);
          if (problem) violations.push({ file: start, import: target, problem, chain: [...chain, target] });
          else if (edge.file && !seen.has(edge.file) && layerOf(root, edge.file) !== layer) {
            seen.add(edge.file);
            queue.push({ file: edge.file, chain: [...chain, rel(edge.file)] });
          }
        }
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const violations = checkLayers(root);
  for (const v of violations) {
    const how = v.chain.length > 2 ? `reaches '${v.import}' through ${v.chain.join(' → ')}` : `imports '${v.import}'`;
    console.log(`${v.file}: ${how}: ${v.problem}`);
  }
  if (violations.length) {
    console.log(`layer check: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log('layer check: ok');
}
