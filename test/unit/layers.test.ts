import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { checkLayers } from '../../scripts/check-layers.mjs';

type Violation = { file: string; import: string; problem: string };
const ROOT = join(import.meta.dirname, '..', '..');

describe('layer rules', () => {
  it('the product tree has no layer violations', () => {
    expect(checkLayers(ROOT) as Violation[]).toEqual([]);
  });

  it('reports every kind of violation in a fixture tree that breaks them', () => {
    const found = (checkLayers(join(ROOT, 'test', 'fixtures', 'layers')) as Violation[]).map((v) => `${v.file} -> ${v.import}`);
    expect(found.sort()).toEqual(
      [
        'renderer/bad.ts -> node:fs', // renderer imports Node
        'renderer/bad.ts -> electron', // renderer imports Electron
        'renderer/bad.ts -> ../electron/services/desk', // renderer reaches into the main side
        'shared/bad.ts -> better-sqlite3', // shared imports a platform-bound package
        'shared/bad.ts -> path', // shared imports Node
        'electron/services/bad.ts -> electron', // a service imports Electron
        'electron/services/bad.ts -> ../../renderer/App',
        'server/bad.ts -> ../electron/services/desk', // the hub imports desk code
        'server/bad.ts -> ../renderer/App', // also through a dynamic import
      ].sort(),
    );
  });
});
