/**
 * `npm run hub:open311-key -- issue --partner 市政府网站 --channel 网络 [--per-minute 60]`
 * `npm run hub:open311-key -- list`
 * `npm run hub:open311-key -- revoke --id <key id>`
 *
 * The channel partners' Open311 API keys (docs/open311.md), through the running hub's admin calls
 * (open311.keys.issue / list / revoke, so the hub checks them as any call). `issue` prints the key
 * this once — the hub keeps only its SHA-256; hand it to the partner. Options as for
 * `npm run hub:accounts` (scripts/unit-accounts.ts): --url (default HOTLINE_HUB_URL or
 * http://127.0.0.1:8787/), --user (default admin); the password from HOTLINE_ADMIN_PASSWORD, else asked.
 */
import { pathToFileURL } from 'node:url';
import { createHubClient } from '../shared/api/hub-client';
import { OPEN311_CHANNELS } from '../shared/api/open311-contract';
import { askAdminPassword } from './admin-password';

export type KeysArgs =
  | { action: 'issue'; url: string; user: string; partner: string; channel: string; perMinute?: number }
  | { action: 'list'; url: string; user: string }
  | { action: 'revoke'; url: string; user: string; id: string };

export function parseKeysArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): KeysArgs | string {
  const [action, ...rest] = argv;
  if (action !== 'issue' && action !== 'list' && action !== 'revoke') return '第一个参数须为 issue、list 或 revoke';
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (!['--url', '--user', '--partner', '--channel', '--per-minute', '--id'].includes(flag)) return `不认识的参数“${flag}”`;
    if (value === undefined || value.startsWith('--')) return `${flag} 后面要写值`;
    values[flag.slice(2)] = value;
  }
  const base = { url: values.url ?? (env.HOTLINE_HUB_URL?.trim() || 'http://127.0.0.1:8787/'), user: values.user ?? 'admin' };
  if (action === 'list') return { action, ...base };
  if (action === 'revoke') return values.id ? { action, ...base, id: values.id } : 'revoke 须给出 --id';
  if (!values.partner) return 'issue 须给出 --partner（渠道合作方名称）';
  if (!values.channel || !(OPEN311_CHANNELS as readonly string[]).includes(values.channel)) return `--channel 须为 ${OPEN311_CHANNELS.join('、')} 之一`;
  const perMinute = values['per-minute'] === undefined ? undefined : Number(values['per-minute']);
  if (perMinute !== undefined && !(Number.isInteger(perMinute) && perMinute >= 1)) return '--per-minute 须为正整数';
  return { action, ...base, partner: values.partner, channel: values.channel, ...(perMinute ? { perMinute } : {}) };
}

export async function runKeys(args: KeysArgs, password: string, out: (line: string) => void): Promise<number> {
  const hub = createHubClient({ url: args.url });
  const login = await hub.login(args.user, password);
  if (!login.ok) {
    out(`登录中心失败（${args.url}）：${login.error.message}`);
    return 1;
  }
  if (args.action === 'issue') {
    const issued = await hub.call('open311.keys.issue', { partner: args.partner, channel: args.channel, ...(args.perMinute ? { perMinute: args.perMinute } : {}) });
    if (!issued.ok) return out(`签发失败：${issued.error.message}`), 1;
    out(`已为“${issued.value.info.partner}”（${issued.value.info.channel}）签发 API 密钥，每分钟至多 ${issued.value.info.perMinute} 次提交。密钥只显示这一次：`);
    out(issued.value.key);
    out(`密钥编号（吊销时用）：${issued.value.info.id}`);
    return 0;
  }
  if (args.action === 'revoke') {
    const revoked = await hub.call('open311.keys.revoke', { id: args.id });
    if (!revoked.ok) return out(`吊销失败：${revoked.error.message}`), 1;
    out(`已吊销“${revoked.value.partner}”的密钥（${revoked.value.prefix}…）`);
    return 0;
  }
  const keys = await hub.call('open311.keys.list', {});
  if (!keys.ok) return out(`读取失败：${keys.error.message}`), 1;
  out(['编号', '前缀', '合作方', '渠道', '每分钟', '签发时间', '状态'].join('\t'));
  for (const k of keys.value) out([k.id, `${k.prefix}…`, k.partner, k.channel, k.perMinute, k.issuedAt, k.revokedAt ? `已吊销 ${k.revokedAt}` : '有效'].join('\t'));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseKeysArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    process.exit(2);
  }
  process.exitCode = await runKeys(args, await askAdminPassword(), (line) => console.log(line));
}
