// Enforces the layers of ../DESIGN.md §4.1 by reading every import in the tree:
//   shared/    pure TypeScript: only shared/ and a few pure packages; no Node, DOM-only or Electron code
//   renderer/  React: only renderer/, shared/ and browser packages; never Node or Electron
//   electron/  only main/ and preload/ may import 'electron'; nothing imports renderer/ or server/
//   server/    the hub: only server/ and shared/; never desk code
// `node scripts/check-layers.mjs [root]` prints each violation and exits 1 when there is any.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Packages each layer may import (besides relative paths into its allowed folders). */
const LAYERS = [
  { name: 'shared', dir: 'shared', folders: ['shared'], packages: ['zod', 'fuse.js', 'chinese-days'], node: false, electron: false },
  {
    name: 'renderer',
    dir: 'renderer',
    folders: ['renderer', 'shared'],
    packages: ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', 'zustand', 'zod', 'fuse.js', 'echarts', 'echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers', 'chinese-days'],
    node: false,
    electron: false,
  },
  { name: 'electron-shell', dir: join('electron', 'main'), folders: ['electron', 'shared'], packages: '*', node: true, electron: true },
  { name: 'electron-shell', dir: join('electron', 'preload'), folders: ['electron', 'shared'], packages: '*', node: true, electron: true },
  { name: 'electron-services', dir: 'electron', folders: ['electron', 'shared'], packages: '*', node: true, electron: false },
  { name: 'server', dir: 'server', folders: ['server', 'shared'], packages: '*', node: true, electron: false },
];

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

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

function layerOf(root, file) {
  const rel = relative(root, file);
  return LAYERS.find((l) => rel === l.dir || rel.startsWith(l.dir + sep)) ?? null;
}

function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec;
}

export function importsOf(file) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

export function checkLayers(root) {
  root = resolve(root);
  const violations = [];
  for (const top of ['shared', 'renderer', 'electron', 'server']) {
    let files = [];
    try {
      files = walk(join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const layer = layerOf(root, file);
      if (!layer) continue;
      const rel = relative(root, file);
      for (const spec of importsOf(file)) {
        let problem = null;
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec));
          const folder = target.split(sep)[0];
          if (target.startsWith('..') || !layer.folders.includes(folder)) problem = `${layer.name} may not import from ${folder}/`;
        } else if (spec === 'electron' || spec.startsWith('electron/')) {
          if (!layer.electron) problem = `only electron/main and electron/preload may import electron`;
        } else if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) {
          if (!layer.node) problem = `${layer.name} may not import the Node module ${spec}`;
        } else if (layer.packages !== '*' && !layer.packages.includes(spec) && !layer.packages.includes(packageName(spec))) {
          problem = `${layer.name} may not import the package ${spec}`;
        }
        if (problem) violations.push({ file: rel.split(sep).join('/'), import: spec, problem });
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const violations = checkLayers(root);
  for (const v of violations) console.log(`${v.file}: imports '${v.import}': ${v.problem}`);
  if (violations.length) {
    console.log(`layer check: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log('layer check: ok');
}
