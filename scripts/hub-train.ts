/**
 * `npm run hub:train -- [--url URL] [--user admin]`
 *
 * Trains the learned category suggester now on the running hub's tickets and publishes it to the
 * desks (admin.trainModel, server/learned.ts: each ticket's final leaf, without approved 不合理诉求
 * and the test desks' tickets), as the nightly training does; prints the version, rows, labels,
 * size and time. The admin password comes from HOTLINE_ADMIN_PASSWORD, else it is asked for on the
 * terminal. The URL defaults to HOTLINE_HUB_URL or http://127.0.0.1:12345/.
 */
import { pathToFileURL } from 'node:url';
import { createHubClient } from '../shared/api/hub-client';
import { argsOf } from './suggest-common';
import { askAdminPassword } from './admin-password';

export async function trainOnHub(url: string, user: string, password: string, out: (line: string) => void): Promise<number> {
  const hub = createHubClient({ url });
  const login = await hub.login(user, password);
  if (!login.ok) {
    out(`登录中心失败（${url}）：${login.error.message}`);
    return 1;
  }
  out('正在用本中心的工单训练分类推荐模型…');
  const trained = await hub.call('admin.trainModel', {});
  if (!trained.ok) {
    out(`训练未完成：${trained.error.message}`);
    return 1;
  }
  const r = trained.value;
  out(`已发布新版分类推荐模型 ${r.version.slice(0, 12)}：${r.rows} 张工单，${r.labels} 个分类，${(r.bytes / 1048576).toFixed(1)} MB，用时 ${(r.trainMs / 1000).toFixed(1)} 秒；各坐席下次同步时取用`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = argsOf(process.argv.slice(2));
  const url = args.get('url') ?? (process.env.HOTLINE_HUB_URL?.trim() || 'http://127.0.0.1:12345/');
  process.exitCode = await trainOnHub(url, args.get('user') ?? 'admin', await askAdminPassword(), (line) => console.log(line));
}
