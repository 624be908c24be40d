/** Opens real desk services on a fresh temporary data directory, for tests. */
import { rmSync } from 'node:fs';
import { openDesk, type Desk, type DeskOptions } from '../../electron/services/desk';
import { join } from 'node:path';
import { freshDataDir, ROOT } from './host-process';

export function openTestDesk(overrides: Partial<DeskOptions> = {}): Desk & { dataDir: string; dispose(): void } {
  const dataDir = overrides.dataDir ?? freshDataDir();
  const opened = openDesk({
    dataDir,
    mode: 'browser-host',
    version: 'test',
    resourcesDir: join(ROOT, 'resources'),
    openSecondScreen: () => ({ opened: false, url: '/?window=side' }),
    ...overrides,
  });
  if (!opened.ok) throw new Error(opened.error.message);
  return Object.assign(opened.value, {
    dataDir,
    dispose() {
      opened.value.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
