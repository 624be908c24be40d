// Prints the lifecycle tables generated from shared/lifecycle/ticket-lifecycle.ts; with --write,
// replaces the copy in docs/architecture.md (test/unit/lifecycle.test.ts fails while they differ).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleTables, withLifecycleTables } from '../shared/lifecycle/table';

const file = join(import.meta.dirname, '..', 'docs', 'architecture.md');
if (process.argv.includes('--write')) {
  const updated = withLifecycleTables(readFileSync(file, 'utf8'));
  if (updated === null) {
    console.error(`${file} 中没有生命周期表的标记`);
    process.exit(1);
  }
  writeFileSync(file, updated);
  console.log(`已更新 ${file}`);
} else {
  console.log(lifecycleTables());
}
