/** Knowledge-base search over a generated 10,000-article set, against a plain LIKE scan baseline. */
import { join } from 'node:path';
import { openDatabase } from '../electron/services/store/database';
import { MIGRATIONS } from '../electron/services/store/migrations';
import { KbRepo } from '../electron/services/reference/kb-repo';
import { freshDataDir, ROOT } from '../test/support/host-process';
import { latency, timeEach, type Bench } from './harness';
import { generateKb, kbQueries } from './kb-generator';

export const kbBench: Bench = {
  title: '知识库检索（10,000 篇生成数据）',
  async run() {
    const opened = openDatabase({ path: join(freshDataDir(), 'desk.sqlite'), migrations: MIGRATIONS });
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.value.db;
    const kb = new KbRepo(db);
    db.transaction(() => kb.replaceAll(generateKb(ROOT)))();
    const queries = kbQueries(ROOT);
    for (const q of queries.slice(0, 50)) kb.search(q, { today: '2026-11-24' }); // warm the page cache
    const ours = await timeEach(queries.length, (i) => kb.search(queries[i]!, { today: '2026-11-24', limit: 10 }));
    const short = queries.filter((q) => [...q].length < 3);
    const oursShort = await timeEach(short.length, (i) => kb.search(short[i]!, { today: '2026-11-24', limit: 10 }));
    const like = db.prepare(
      "SELECT id FROM kb_articles WHERE title LIKE @q OR questions LIKE @q OR answer LIKE @q ORDER BY (title LIKE @q) DESC LIMIT 10",
    );
    const baseline = await timeEach(queries.length, (i) => like.all({ q: `%${queries[i]}%` }));
    db.close();
    const likeScan = (p: number) => ({ label: `LIKE 全表扫描 p${p}`, samples: baseline });
    return [
      latency('知识库检索 p99（2–6 字查询）', 99, ours, { targetMs: 5, baseline: likeScan(99) }),
      latency('知识库检索 p50', 50, ours, { baseline: likeScan(50) }),
      latency('1–2 字查询 p99（回退路径）', 99, oursShort, { targetMs: 5, baseline: likeScan(99), note: `${short.length} 条` }),
    ];
  },
};
