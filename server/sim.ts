/**
 * `npm run hub:sim -- --hub URL --username U --password P [--max N] [--seconds S] [--pause MS] [--seed N]`
 *
 * Plays the units and the callback desk against a running hub, through the same typed client a desk
 * uses: logs in (an admin account sees every unit's queue), takes dispatched tickets (已派单) and
 * moves each along the loop — 接单 → 答复 → 办结 → 回访 — or, about one time in ten, returns it
 * (退单) with a reason. Every step is printed in Chinese. It stops after --max tickets (default 50)
 * or --seconds (default 300), whichever comes first; with an empty queue it looks again every
 * couple of seconds until then.
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../shared/random';
import { createHubClient } from '../shared/api/hub-client';
import type { HubTicket } from '../shared/api/hub-contract';
import { describeError } from '../shared/errors';

const RETURN_REASONS = ['诉求地址不在本单位辖区，请重新派单', '诉求内容属于其他部门职责，请转派', '诉求人联系电话无法接通，地址信息不全'];
const REPLIES = ['已联系诉求人，现场核实情况属实，正在协调处理', '已安排工作人员上门处理，问题已解决', '已向诉求人解释相关政策，诉求人表示理解'];
const SATISFACTION = ['满意', '满意', '满意', '基本满意', '基本满意', '不满意'] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      hub: { type: 'string', default: process.env.HOTLINE_HUB_URL },
      username: { type: 'string' },
      password: { type: 'string' },
      max: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '300' },
      pause: { type: 'string', default: '200' },
      seed: { type: 'string', default: String(Date.now() % 100000) },
    },
  });
  if (!values.hub || !values.username || !values.password) {
    console.error('用法：npm run hub:sim -- --hub http://127.0.0.1:12345/ --username admin --password 密码 [--max 50] [--seconds 300]');
    return 2;
  }
  const max = Math.max(1, Number(values.max) || 50);
  const deadline = Date.now() + Math.max(1, Number(values.seconds) || 300) * 1000;
  const pause = Math.max(0, Number(values.pause) || 0);
  const rand = seededRandom(Number(values.seed) || 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

  const hub = createHubClient({ url: values.hub, timeoutMs: 30_000 });
  const login = await hub.login(values.username, values.password);
  if (!login.ok) {
    console.error(`登录失败：${login.error.message}`);
    return 1;
  }
  console.log(`已登录中心 ${values.hub}：${login.value.user.name}（${login.value.user.role}）`);

  let handled = 0;
  let returned = 0;
  let idleSaid = false;
  while (handled < max && Date.now() < deadline) {
    const queue = await hub.call('unit.queue', { status: '已派单', limit: Math.min(50, max - handled) });
    if (!queue.ok) {
      console.error(`读取待办工单失败：${queue.error.message}`);
      return 1;
    }
    if (queue.value.length === 0) {
      if (!idleSaid) console.log('暂无待接单工单，稍后再看…');
      idleSaid = true;
      await sleep(Math.min(2000, Math.max(0, deadline - Date.now())));
      continue;
    }
    idleSaid = false;
    for (const ticket of queue.value) {
      if (handled >= max || Date.now() >= deadline) break;
      const ok = await walk(ticket);
      if (ok) handled++;
    }
  }
  console.log(`模拟结束：处理 ${handled} 张工单，其中退单 ${returned} 张`);
  return 0;

  async function step(label: string, ticket: HubTicket, run: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>): Promise<boolean> {
    if (pause) await sleep(pause);
    const result = await run();
    if (!result.ok) {
      console.log(`  ${ticket.number} ${label}未成功：${result.error.message}`);
      return false;
    }
    console.log(`  ${ticket.number} ${label}`);
    return true;
  }

  async function walk(ticket: HubTicket): Promise<boolean> {
    console.log(`工单 ${ticket.number}（${ticket.unitCode ?? '无单位'}）：${ticket.content.slice(0, 30)}`);
    if (rand() < 0.1) {
      const reason = pick(RETURN_REASONS);
      const done = await step(`退单：${reason}`, ticket, () => hub.call('ticket.return', { ticketId: ticket.id, reason }));
      if (done) returned++;
      return done;
    }
    if (!(await step('接单', ticket, () => hub.call('ticket.accept', { ticketId: ticket.id })))) return false;
    const reply = pick(REPLIES);
    if (!(await step(`答复：${reply}`, ticket, () => hub.call('ticket.reply', { ticketId: ticket.id, reply })))) return false;
    if (!(await step('办结', ticket, () => hub.call('ticket.close', { ticketId: ticket.id, note: '承办单位办结' })))) return false;
    const resolved = rand() < 0.85;
    const satisfaction = resolved ? pick(SATISFACTION) : '不满意';
    return step(`回访：${resolved ? '已解决' : '未解决'}，${satisfaction}`, ticket, () =>
      hub.call('ticket.callback', { ticketId: ticket.id, resolved, satisfaction }),
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`模拟出错：${describeError(error)}`);
    process.exit(1);
  },
);
