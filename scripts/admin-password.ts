/**
 * The admin password for the hub's command-line tools (scripts/unit-accounts.ts,
 * scripts/open311-keys.ts, scripts/hub-train.ts): HOTLINE_ADMIN_PASSWORD when set (scripts, CI),
 * else asked for on the terminal.
 */
import { createInterface } from 'node:readline/promises';

export async function askAdminPassword(): Promise<string> {
  const env = process.env.HOTLINE_ADMIN_PASSWORD;
  if (env) return env;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question('管理员密码：');
  } finally {
    rl.close();
  }
}
