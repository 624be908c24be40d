/**
 * `npm run desk:pin -- --id 工号 [--pin 6–12位数字] [--remove] [--list] [--data-dir DIR]`
 *
 * An administrator's tool on the desk's machine: sets the PIN with which this 工号 signs in as 班长
 * at this desk (electron/services/lead/lead-credentials.ts), removes it, or lists who holds one.
 * Without --pin a random six-digit PIN is made and printed once. The data folder is the desk's
 * (HOTLINE_DESK_DATA_DIR or the default, electron/services/data-dir.ts); the desk may be running.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveDataDir, ensureDataDir } from '../electron/services/data-dir';
import { LeadCredentials, newPin } from '../electron/services/lead/lead-credentials';
import { openDatabase } from '../electron/services/store/database';
import { MIGRATIONS } from '../electron/services/store/migrations';
import { SettingsRepo } from '../electron/services/store/settings-repo';

export function runDeskPin(argv: string[], env: NodeJS.ProcessEnv = process.env): { code: number; lines: string[] } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        id: { type: 'string' },
        pin: { type: 'string' },
        remove: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
    }));
  } catch (error) {
    return { code: 2, lines: [`参数不正确：${error instanceof Error ? error.message : String(error)}`, USAGE] };
  }
  if (!values.list && !values.id) return { code: 2, lines: ['请用 --id 指定工号', USAGE] };
  const dataDir = values['data-dir'] ?? resolveDataDir(env);
  ensureDataDir(dataDir);
  const opened = openDatabase({ path: join(dataDir, 'desk.sqlite'), migrations: MIGRATIONS, now: () => new Date() });
  if (!opened.ok) return { code: 1, lines: [`无法打开坐席数据库：${opened.error.message}`] };
  const { db } = opened.value;
  try {
    const credentials = new LeadCredentials({ settings: new SettingsRepo(db), now: () => new Date(), hubUrl: () => null });
    if (values.list) {
      const holders = credentials.pinHolders();
      return { code: 0, lines: [holders.length ? `设有班长 PIN 的工号：${holders.join('、')}` : '本机还没有设置班长 PIN'] };
    }
    const id = values.id!.trim();
    if (values.remove) {
      return credentials.removePin(id) ? { code: 0, lines: [`已删除工号 ${id} 的班长 PIN`] } : { code: 1, lines: [`工号 ${id} 没有班长 PIN`] };
    }
    const pin = values.pin ?? newPin();
    const set = credentials.setPin(id, pin);
    if (!set.ok) return { code: 2, lines: [set.error.message] };
    return {
      code: 0,
      lines: [`已为工号 ${id} 设置班长 PIN${values.pin ? '' : `：${pin}（只显示这一次）`}`, `数据目录：${dataDir}`, '签到时角色选“班长”，在“密码或 PIN”中输入。'],
    };
  } finally {
    db.close();
  }
}

const USAGE = '用法：npm run desk:pin -- --id 工号 [--pin 6–12位数字] [--remove] [--list] [--data-dir 目录]';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { code, lines } = runDeskPin(process.argv.slice(2));
  for (const line of lines) (code === 0 ? console.log : console.error)(line);
  process.exit(code);
}
