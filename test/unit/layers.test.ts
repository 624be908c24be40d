import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { checkLayers } from '../../scripts/check-layers.mjs';

type Violation = { file: string; import: string; problem: string; chain: string[] };
const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'layers');
const fixtureViolations = () => checkLayers(FIXTURE) as Violation[];

describe('layer rules', () => {
  it('the product tree has no layer violations', () => {
    expect(checkLayers(ROOT) as Violation[]).toEqual([]);
  });

  it('reports every direct violation in a fixture tree that breaks the rules', () => {
    const direct = fixtureViolations()
      .filter((v) => v.chain.length === 2)
      .map((v) => `${v.file} -> ${v.import}`);
    expect(direct.sort()).toEqual(
      [
        'renderer/bad.ts -> node:fs', // renderer imports Node
        'renderer/bad.ts -> electron', // renderer imports Electron
        'renderer/bad.ts -> ../electron/services/desk', // renderer reaches into the main side
        'shared/bad.ts -> better-sqlite3', // shared imports a platform-bound package
        'shared/bad.ts -> path', // shared imports Node
        'shared/io.ts -> node:fs',
        'shared/cycle-b.ts -> ../electron/main/ok', // shared imports the Electron shell
        'electron/services/bad.ts -> electron', // a service imports Electron
        'electron/services/bad.ts -> ../../renderer/App',
        'electron/services/uses-host.ts -> ../host/server', // a service imports the browser host
        'server/bad.ts -> ../electron/services/desk', // the hub imports desk code
        'server/bad.ts -> ../renderer/App', // also through a dynamic import
        'web/bad.ts -> node:fs', // the hub's workspace imports Node
        'web/bad.ts -> ../renderer/list', // the workspace reaches into the desk's renderer
        'web/bad.ts -> ../server/bad', // the workspace imports the hub's code
      ].sort(),
    );
  });

  it('refuses a service importing the browser host, and says why', () => {
    const found = fixtureViolations().filter((v) => v.file === 'electron/services/uses-host.ts');
    expect(found).toEqual([
      {
        file: 'electron/services/uses-host.ts',
        import: '../host/server',
        problem: 'electron-services may not import from electron/host/',
        chain: ['electron/services/uses-host.ts', 'electron/host/server.ts'],
      },
    ]);
  });

  it('follows imports through allowed files and reports each forbidden one reached once, with its chain', () => {
    const transitive = fixtureViolations().filter((v) => v.chain.length > 2);
    expect(transitive).toEqual([
      // renderer/view.ts reaches shared/io.ts twice (directly as io.js and through shared/fmt/index.ts): one report, shortest chain
      {
        file: 'renderer/view.ts',
        import: 'node:fs',
        problem: 'renderer may not import the Node module node:fs',
        chain: ['renderer/view.ts', 'shared/io.ts', 'node:fs'],
      },
      // through the cycle shared/cycle-a.ts ⇄ shared/cycle-b.ts to the Electron shell
      {
        file: 'electron/services/notify.ts',
        import: 'electron/main/ok.ts',
        problem: 'electron-services may not import from electron/main/',
        chain: ['electron/services/notify.ts', 'shared/cycle-a.ts', 'shared/cycle-b.ts', 'electron/main/ok.ts'],
      },
    ]);
  });

  it('leaves files alone whose imports are all allowed, including the entry points importing electron', () => {
    const files = new Set(fixtureViolations().map((v) => v.file));
    for (const clean of ['renderer/list.ts', 'shared/fmt/index.ts', 'shared/cycle-a.ts', 'electron/main/ok.ts', 'electron/preload/bridge.ts', 'electron/host/server.ts']) {
      expect(files.has(clean), clean).toBe(false);
    }
  });
});
