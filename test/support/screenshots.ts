/** Where end-to-end tests write screenshots: test-results/screenshots, or SCREENSHOT_DIR (docs/screenshots to refresh the docs). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './host-process';

export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOT_DIR ? join(ROOT, process.env.SCREENSHOT_DIR) : join(ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
