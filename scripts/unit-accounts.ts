/**
 * `npm run hub:accounts -- [--url URL] [--user admin] [--district CODE] [--kinds street,department] [--units A,B]`
 *
 * Creates workspace accounts for the units of the hub's unit directory that have none yet, through
 * the running hub's own admin call (admin.unitAccounts, so the hub checks it as for any call), and
 * prints where units sign in and each new account's username and initial password (shown this
 * once; hand them over and have each unit change it). The admin password comes from
 * HOTLINE_ADMIN_PASSWORD, else it is asked for on the terminal. The URL defaults to
 * HOTLINE_HUB_URL or http://127.0.0.1:8787/.
 */
import { pathToFileURL } from 'node:url';
import { createHubClient } from '../shared/api/hub-client';
import { askAdminPassword } from './admin-password';

const KINDS = ['city_center', 'subcenter', 'street', 'department', 'utility'] as const;
type Kind = (typeof KINDS)[number];

export interface AccountsArgs {
  url: string;
  user: string;
  districtCode?: string;
  kinds?: Kind[];
  unitCodes?: string[];
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AccountsArgs | string {
  const args: AccountsArgs = { url: env.HOTLINE_HUB_URL?.trim() || 'http://127.0.0.1:8787/', user: 'admin' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (!['--url', '--user', '--district', '--kinds', '--units'].includes(flag)) return `不认识的参数“${flag}”`;
    if (value === undefined || value.startsWith('--')) return `${flag} 后面要写值`;
    i++;
    if (flag === '--url') args.url = value;
    else if (flag === '--user') args.user = value;
    else if (flag === '--district') args.districtCode = value;
    else if (flag === '--units') args.unitCodes = value.split(',').map((c) => c.trim()).filter(Boolean);
    else {
      const kinds = value.split(',').map((k) => k.trim());
      const bad = kinds.find((k) => !(KINDS as readonly string[]).includes(k));
      if (bad) return `单位类别只能是 ${KINDS.join('、')}，不是“${bad}”`;
      args.kinds = kinds as Kind[];
    }
  }
  return args;
}

/** Creates the accounts and writes what to hand out; answers the exit code. */
export async function createAccounts(args: AccountsArgs, password: string, out: (line: string) => void): Promise<number> {
  const hub = createHubClient({ url: args.url });
  const login = await hub.login(args.user, password);
  if (!login.ok) {
    out(`登录中心失败（${args.url}）：${login.error.message}`);
    return 1;
  }
  const made = await hub.call('admin.unitAccounts', {
    ...(args.districtCode ? { districtCode: args.districtCode } : {}),
    ...(args.kinds ? { kinds: args.kinds } : {}),
    ...(args.unitCodes ? { unitCodes: args.unitCodes } : {}),
  });
  if (!made.ok) {
    out(`开账号失败：${made.error.message}`);
    return 1;
  }
  const signIn = new URL('/', args.url).toString();
  out(`工作台登录地址：${signIn}`);
  out(`新开账号 ${made.value.created.length} 个，已有账号的单位 ${made.value.existing} 个（未改动）。初始密码只显示这一次，请交给各单位并提醒修改。`);
  if (made.value.created.length) {
    out(['单位编码', '单位名称', '用户名', '初始密码'].join('\t'));
    for (const a of made.value.created) out([a.unitCode, a.unitName, a.username, a.password].join('\t'));
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    process.exit(2);
  }
  process.exitCode = await createAccounts(args, await askAdminPassword(), (line) => console.log(line));
}
