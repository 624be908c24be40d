/**
 * `npm run demo:shift -- --data-dir DIR [--date YYYY-MM-DD] [--shift early] [--tickets 110] [--days 6] [--seed 12345] [--append] [--no-lead]`
 *
 * Fills a desk data folder with a realistic shift of tickets (and the days before it) through the
 * desk's own services, so the team lead's view has something to show at once. It runs only when
 * asked, and only on the folder named: never on the default data folder by accident.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../shared/errors';
import { generateDemoShift } from './demo/demo-shift';

const ROOT = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      date: { type: 'string' },
      shift: { type: 'string' },
      tickets: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      append: { type: 'boolean', default: false },
      'no-lead': { type: 'boolean', default: false },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) {
    console.error('请用 --data-dir 指定要写入演示数据的数据目录，例如：npm run demo:shift -- --data-dir /tmp/desk-demo');
    process.exit(2);
  }
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
    console.error(`日期应为 YYYY-MM-DD：${values.date}`);
    process.exit(2);
  }
  const number = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) {
      console.error(`${name} 应为非负整数：${text}`);
      process.exit(2);
    }
    return n;
  };
  const started = Date.now();
  const result = await generateDemoShift({
    dataDir: resolve(dataDir),
    resourcesDir: resolve(ROOT, 'resources'),
    shiftDate: values.date,
    shiftCode: values.shift,
    tickets: number(values.tickets, '--tickets'),
    historyDays: number(values.days, '--days'),
    seed: number(values.seed, '--seed'),
    append: values.append,
    leaveSignedIn: values['no-lead'] ? 'none' : 'lead',
    log: (line) => console.log(line),
  });
  console.log(
    `完成：${result.shiftDate} 班次 ${result.shiftCode} 共 ${result.shiftTickets} 张，连同此前几天共 ${result.totalTickets} 张工单，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒。`,
  );
  console.log(values['no-lead'] ? '当前无人签到。' : `已以班长 ${result.lead.name}（工号 ${result.lead.id}）签到。`);
  console.log(`班长 ${result.lead.name} 的签到 PIN：${result.lead.pin}（工号 ${result.lead.id}；签退后再以班长签到时输入）。`);
  console.log(`查看：HOTLINE_DESK_DATA_DIR=${resolve(dataDir)} npm start -- --browser ，然后按 Alt+L 打开班长视图。`);
}

main().catch((error: unknown) => {
  console.error(`演示数据生成失败：${describeError(error)}`);
  process.exit(1);
});
