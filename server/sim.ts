/**
 * `npm run hub:sim -- --hub URL --username ADMIN --password P [--accounts FILE] [--max N] [--seconds S] [--pause MS] [--seed N]`
 *
 * Plays the sub-centers, the units, the city center and the callback desk against a running hub,
 * through the one typed client a desk uses (shared/api/hub-client.ts) and the same calls the web
 * workspace makes, each as the account whose move it is, so the hub's checks (role, ownership,
 * status, version) are exercised as for a person:
 * - 分中心 (a sub-center's account): 转派 a 派分中心 ticket to a street of its district, from its
 *   unit directory (workspace.units, purpose forward); a ticket a street returned to it is
 *   forwarded to another street, or returned to the center; some forwards are 双派单 (one or two
 *   协办 units, assistUnitCodes), and each 协办 unit then answers with 协办回复 (ticket.assistReply)
 *   as its own account;
 * - 承办单位 (the street's or department's account): 接单, sometimes 退单 (with a reason from the
 *   list), 阶段回复, 申请延期 (ticket.extend), 申请认定不合理诉求 (ticket.requestUnreasonable; always
 *   for a ticket the call-taker flagged so), 办结 with 办理结果 and 是否解决;
 * - 市中心 (the city center's account): 督办 (ticket.supervise), 审核 the extension and the
 *   unreasonable claim (ticket.decide: 批准 or 不予批准), 重新派单 (ticket.redispatch) from the 待派
 *   queue of returned tickets and of tickets flagged 不合理诉求 at intake (待审核);
 * - 回访 by the callback account (a call-taker or team lead; the admin when none is given).
 * Before each move the acting account opens the ticket (workspace.ticket), as the page does, and
 * sends the version it saw. Units without a known password get an account through
 * admin.unitAccounts (saved to --accounts FILE when given); a unit whose account exists but whose
 * password is not known is played by the admin, which the hub allows for every move but 申请延期.
 *
 * Every step is printed in Chinese; at the end a tally per move and the number of moves the hub
 * refused, which for a consistent run is 0 (the exit code is 1 otherwise). It stops after --max
 * tickets (default 50) or --seconds (default 300); with nothing to do it looks again every couple
 * of seconds until then. runSim is the loop itself (test/hub/sim-parity.test.ts runs it in-process).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createHubClient, type HubClient, type HubFetch } from '../shared/api/hub-client';
import type { WorkMe, WorkTicket, WorkUnit } from '../shared/api/hub-contract';
import { describeError } from '../shared/errors';
import { extendableDeadlines, extensionDueAt, MAX_EXTENSION_DAYS } from '../shared/lifecycle/deadlines';
import { RETURN_REASONS, type ReturnReason } from '../shared/lifecycle/ticket-lifecycle';
import { seededRandom } from '../shared/random';
import type { Result } from '../shared/result';
import { addCalendarDays } from '../shared/sla/deadlines';
import { centerDate } from '../shared/time';

/** Every kind of step the simulator takes, in the order the tally prints them. */
export const SIM_MOVES = [
  'forward',
  'dualForward',
  'assistReply',
  'accept',
  'reply',
  'extend',
  'approve',
  'refuse',
  'unreasonable',
  'approveUnreasonable',
  'refuseUnreasonable',
  'supervise',
  'return',
  'redispatch',
  'redispatchFlagged',
  'close',
  'callback',
] as const;
export type SimMove = (typeof SIM_MOVES)[number];
export const SIM_MOVE_LABEL: Record<SimMove, string> = {
  forward: '转派',
  dualForward: '双派单',
  assistReply: '协办回复',
  accept: '接单',
  reply: '阶段回复',
  extend: '申请延期',
  approve: '批准延期',
  refuse: '不予批准延期',
  unreasonable: '申请认定不合理诉求',
  approveUnreasonable: '批准认定不合理诉求',
  refuseUnreasonable: '不予批准认定不合理诉求',
  supervise: '督办',
  return: '退单',
  redispatch: '重新派单',
  redispatchFlagged: '重新派单（坐席标注不合理诉求）',
  close: '办结',
  callback: '回访',
};

export interface Credentials {
  username: string;
  password: string;
}

export interface SimOptions {
  url: string;
  admin: Credentials;
  /** Known unit accounts by unit code; accounts the simulator creates are added here. */
  accounts?: Record<string, Credentials>;
  /** Who makes the 回访 (a call-taker or team lead); the admin when absent. */
  callback?: Credentials | undefined;
  /** Tickets to walk (default 50). */
  max?: number;
  /** Wall-clock milliseconds before it stops (default 300 s). */
  budgetMs?: number;
  /** Stop as soon as nothing is left to do, instead of looking again until the budget runs out. */
  stopWhenIdle?: boolean;
  pauseMs?: number;
  seed?: number;
  log?: (line: string) => void;
  fetch?: HubFetch;
}

export interface SimReport {
  tickets: number;
  moves: Record<SimMove, number>;
  /** Moves the hub refused (and moves the ticket page did not offer): 0 in a consistent run. */
  refused: number;
  refusals: string[];
  /** The tickets walked, by id. */
  walked: string[];
  /** Accounts created on the way (their passwords are shown only once by the hub). */
  created: Array<Credentials & { unitCode: string }>;
}

const REPLIES = ['已联系诉求人，正在现场核实情况', '已安排工作人员上门查看，正在协调相关方处理', '已向诉求人说明办理进度，预计近期办结'];
const RESULTS = ['已到现场处理，问题已解决，诉求人认可', '已协调物业整改完毕，诉求人表示满意', '已向诉求人解释相关政策，诉求人表示理解'];
const RETURN_TEXT: Record<ReturnReason, string> = {
  非本单位职责: '经核实诉求事项不属于本单位职责范围，请重新派单',
  地址不在辖区: '经核实诉求地址不在本单位辖区，请重新派单',
  诉求信息不全无法办理: '诉求人电话无法接通且地址信息不全，无法办理',
  已由其他单位办理: '该诉求已由其他单位受理办理，请核实后重新派单',
  其他: '诉求需多部门协调，本单位无法单独办理，请中心协调',
};
const UNRESOLVED = ['已到现场核实，因产权纠纷暂无法解决，已向诉求人说明', '已向诉求人解释政策，诉求超出本单位处理权限，已告知其他渠道'];
const EXTEND_REASONS = ['需协调产权单位共同处理，施工周期较长', '涉及多个部门，需联合现场踏勘后制定方案', '需等待专项资金审批后实施维修'];
const SUPERVISE_NOTES = ['该诉求反映集中，请尽快接单处理并反馈', '请抓紧办理，按时限要求答复诉求人', '市民多次来电催办，请主要负责人督促办理'];
const ASSIST_REPLIES = ['已派执法队员到现场配合核查，情况已反馈主办单位', '已按职责完成本单位负责部分，相关材料已转主办单位', '已联系产权单位配合处理，进展已告知主办单位'];
const UNREASONABLE = {
  reason: '经上门核实，诉求人要求超出政府职责范围，属于不合理诉求',
  evidence: '已于现场核实并留存照片，社区居委会出具情况说明，诉求人拒绝其他解决方案',
};
const SATISFACTION = ['满意', '满意', '满意', '基本满意', '基本满意', '不满意'] as const;

/** What happens to one ticket: rotated so a short run still shows every move, with chance on top. */
interface Plan {
  /** The handling unit returns it (to the sub-center that forwarded it, or to the center). */
  unitReturns: boolean;
  /** Whoever holds it first (sub-center or unit) returns it to the center's 待派 queue. */
  toCenter: boolean;
  /** A sub-center a street returned it to sends it on to the center instead of forwarding again. */
  sendUp: boolean;
  reply: boolean;
  extend: boolean;
  approve: boolean;
  supervise: boolean;
  callback: boolean;
  /** 双派单: how many 协办 units the sub-center names with the 主办 (0: an ordinary forward). */
  assists: number;
  /** The unit applies to have it found an unreasonable claim (申请认定不合理诉求), and whether the center approves. */
  unreasonable: boolean;
  approveUnreasonable: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSim(options: SimOptions): Promise<SimReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const max = Math.max(1, options.max ?? 50);
  const stopAt = Date.now() + (options.budgetMs ?? 300_000);
  const pause = Math.max(0, options.pauseMs ?? 0);
  const rand = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const accounts = options.accounts ?? {};
  const report: SimReport = { tickets: 0, moves: Object.fromEntries(SIM_MOVES.map((m) => [m, 0])) as Record<SimMove, number>, refused: 0, refusals: [], walked: [], created: [] };
  const client = () => createHubClient({ url: options.url, timeoutMs: 30_000, ...(options.fetch ? { fetch: options.fetch } : {}) });

  const admin = client();
  const login = await admin.login(options.admin.username, options.admin.password);
  if (!login.ok) throw new Error(`管理员登录失败：${login.error.message}`);
  log(`已登录中心 ${admin.url}：${login.value.user.name}（${login.value.user.role}）`);

  // ---- Accounts --------------------------------------------------------------------------------

  interface Player {
    hub: HubClient;
    me: WorkMe | null;
    /** Played by the admin (no password known for the unit's account). */
    proxy: boolean;
  }
  const players = new Map<string, Player>();
  async function signIn(credentials: Credentials, what: string): Promise<HubClient> {
    const hub = client();
    const signed = await hub.login(credentials.username, credentials.password);
    if (!signed.ok) throw new Error(`${what}账号 ${credentials.username} 登录失败：${signed.error.message}`);
    return hub;
  }
  async function playerFor(unitCode: string): Promise<Player> {
    const known = players.get(unitCode);
    if (known) return known;
    let credentials = accounts[unitCode];
    if (!credentials) {
      const made = await admin.call('admin.unitAccounts', { unitCodes: [unitCode] });
      if (!made.ok) throw new Error(`为单位 ${unitCode} 开账号失败：${made.error.message}`);
      const account = made.value.created[0];
      if (account) {
        credentials = { username: account.username, password: account.password };
        accounts[unitCode] = credentials;
        report.created.push({ ...credentials, unitCode });
        log(`为 ${account.unitName} 开通工作台账号 ${account.username}`);
      }
    }
    let player: Player;
    if (credentials) {
      const hub = await signIn(credentials, `单位 ${unitCode} 的`);
      const me = await hub.call('workspace.me', {});
      if (!me.ok) throw new Error(`单位 ${unitCode} 的账号打不开工作台：${me.error.message}`);
      player = { hub, me: me.value, proxy: false };
      log(`${me.value.unitName ?? unitCode} 的 ${me.value.name} 登录工作台`);
    } else {
      player = { hub: admin, me: null, proxy: true };
      log(`单位 ${unitCode} 已有账号但未提供密码，由管理员代为操作（管理员不能申请延期）`);
    }
    players.set(unitCode, player);
    return player;
  }

  // The city center: its unit's account (a unit_operator of the city_center unit) or the admin.
  const allUnits = await admin.call('workspace.units', { purpose: 'redispatch' });
  if (!allUnits.ok) throw new Error(`读取单位名录失败：${allUnits.error.message}`);
  const units = new Map(allUnits.value.map((u) => [u.code, u]));
  const centerMade = await admin.call('admin.unitAccounts', { kinds: ['city_center'] });
  if (!centerMade.ok) throw new Error(`读取市中心账号失败：${centerMade.error.message}`);
  for (const a of centerMade.value.created) {
    accounts[a.unitCode] = { username: a.username, password: a.password };
    report.created.push({ username: a.username, password: a.password, unitCode: a.unitCode });
    log(`为 ${a.unitName} 开通工作台账号 ${a.username}`);
  }
  let center: Player = { hub: admin, me: null, proxy: true };
  for (const [code, credentials] of Object.entries(accounts)) {
    if (units.has(code)) continue; // the redispatch list holds every unit but the city center
    const hub = await signIn(credentials, '市中心');
    const me = await hub.call('workspace.me', {});
    if (me.ok && me.value.workRole === 'center') {
      center = { hub, me: me.value, proxy: false };
      players.set(code, center);
      log(`市中心 ${me.value.unitName ?? ''} 的 ${me.value.name} 登录工作台`);
      break;
    }
  }
  if (center.proxy) log('没有市中心账号的密码，市中心的督办、审核、重新派单由管理员代为操作');
  const centerMe = (center as Player).me;
  const levels: WorkMe['supervisionLevels'] = centerMe ? centerMe.supervisionLevels : await admin.call('workspace.me', {}).then((r) => (r.ok ? r.value.supervisionLevels : []));
  const caller = options.callback ? await signIn(options.callback, '回访') : admin;
  const callerName = options.callback ? options.callback.username : '管理员';

  // ---- One move ----------------------------------------------------------------------------------

  const nameOf = (p: Player) => (p.proxy ? '管理员' : (p.me?.unitName ?? p.me?.name ?? ''));

  async function open(p: Player | HubClient, ticketId: string): Promise<WorkTicket | null> {
    const hub = 'hub' in p ? p.hub : p;
    const seen = await hub.call('workspace.ticket', { ticketId });
    if (!seen.ok) {
      refuse(`打开工单 ${ticketId} 被拒绝：${seen.error.message}`);
      return null;
    }
    return seen.value;
  }
  function refuse(line: string): void {
    report.refused++;
    report.refusals.push(line);
    log(`  ✗ ${line}`);
  }
  /** Makes one move as `who`, checking first that the page offers it; true when the hub took it. */
  async function move(kind: SimMove, who: string, t: WorkTicket, offered: boolean, what: string, run: () => Promise<Result<unknown>>): Promise<boolean> {
    if (pause) await sleep(pause);
    if (!offered) {
      refuse(`${t.number} ${who}${SIM_MOVE_LABEL[kind]}：工单页面没有提供此操作（当前“${t.status}”）`);
      return false;
    }
    const result = await run();
    if (!result.ok) {
      refuse(`${t.number} ${who}${SIM_MOVE_LABEL[kind]}被中心拒绝（${result.error.kind}）：${result.error.message}`);
      return false;
    }
    report.moves[kind]++;
    log(`  ${t.number} ${who}${what}`);
    return true;
  }
  const offers = (t: WorkTicket, m: WorkTicket['moves'][number]) => t.moves.includes(m);
  const allows = (t: WorkTicket, a: WorkTicket['actions'][number]) => t.actions.includes(a);

  /** Where the center sends a returned ticket: the sub-center of its district, as the desk's suggestion would. */
  function redispatchTarget(t: WorkTicket, returnedBy: string | null): WorkUnit | null {
    const list = [...units.values()];
    const street = list.find((u) => u.kind === 'street' && t.streetName && u.name.startsWith(t.streetName));
    const returner = returnedBy ? units.get(returnedBy) : undefined;
    const district = street?.districtCode ?? returner?.districtCode ?? null;
    const sub = list.find((u) => u.kind === 'subcenter' && u.districtCode === district && u.code !== returnedBy);
    return sub ?? list.find((u) => u.kind === 'subcenter' && u.code !== returnedBy) ?? list.find((u) => u.code !== returnedBy) ?? null;
  }

  /** Where a sub-center (or the center) forwards: the ticket's own street when it may, else another of the district. */
  async function forwardTarget(p: Player, t: WorkTicket, avoid: ReadonlySet<string>): Promise<WorkUnit | null> {
    const targets = await p.hub.call('workspace.units', { purpose: 'forward' });
    if (!targets.ok) {
      refuse(`${t.number} ${nameOf(p)}读取可转派单位被拒绝：${targets.error.message}`);
      return null;
    }
    const holder = t.unitCode ? units.get(t.unitCode) : undefined;
    const district = holder?.kind === 'subcenter' ? holder.districtCode : null;
    const streets = targets.value.filter((u) => u.kind === 'street' && (!district || u.districtCode === district) && !avoid.has(u.code));
    return streets.find((u) => t.streetName && u.name.startsWith(t.streetName)) ?? (streets.length ? pick(streets) : null);
  }

  // ---- One ticket ----------------------------------------------------------------------------------

  async function walk(ticketId: string, index: number): Promise<void> {
    const kind = index % 6;
    const plan: Plan = {
      unitReturns: kind === 2 || (kind >= 4 && rand() < 0.1),
      toCenter: kind === 3,
      sendUp: rand() < 0.3,
      reply: kind === 0 || (kind !== 5 && rand() < 0.75),
      extend: kind === 0 || kind === 1 || rand() < 0.1,
      approve: kind === 0 || (kind !== 1 && rand() < 0.7),
      supervise: kind === 4 || rand() < 0.1,
      callback: kind !== 5 || rand() < 0.5,
      assists: kind === 1 ? 2 : kind === 4 ? 1 : 0,
      unreasonable: kind === 5,
      approveUnreasonable: Math.floor(index / 6) % 2 === 1,
    };
    const avoid = new Set<string>();
    let returnedBy: string | null = null;
    let supervised = false;
    let extended = false;
    let replied = false;
    let askedUnreasonable = false;
    let calledBack = 0;
    let hubNow: string | null = null;
    const first = await open(admin, ticketId);
    if (!first) return;
    log(`工单 ${first.number}（${first.disposition}，${first.unitName ?? '待派'}）：${first.content.slice(0, 30)}`);
    // The call-taker flagged it 不合理诉求: the unit it goes to takes the suggestion and applies; the center agrees.
    if (first.intakeFlag) Object.assign(plan, { unreasonable: true, approveUnreasonable: true, unitReturns: false, toCenter: false });

    for (let steps = 0; steps < 24; steps++) {
      const seen = await open(admin, ticketId);
      if (!seen) return;
      if (seen.status === '已回访' || (seen.status === '已办结' && !plan.callback)) return;

      if (seen.status === '已退单' || seen.status === '待审核') {
        // From the center's 待派 queue: a returned ticket, or one the call-taker flagged 不合理诉求 (待审核).
        const p = center;
        const t = await open(p, ticketId);
        if (!t) return;
        const flagged = t.status === '待审核';
        const to = redispatchTarget(t, returnedBy);
        if (!to) return log(`  ${t.number} 没有可重新派给的单位，留在待派队列`);
        const note = flagged ? '坐席标注疑似不合理诉求，请承办单位核实后办理或申请认定' : '退回工单按原派单建议重新派出';
        const done = await move(flagged ? 'redispatchFlagged' : 'redispatch', `市中心（${nameOf(p)}）`, t, offers(t, 'redispatch'), `重新派单至 ${to.name}`, () =>
          p.hub.call('ticket.redispatch', { ticketId, version: t.version, unitCode: to.code, note }),
        );
        if (!done) return;
        continue;
      }

      if (seen.status === '已办结' && seen.unreasonableAt) return log(`  ${seen.number} 经市中心认定为不合理诉求后办结，不需回访`);

      if (seen.status === '已办结') {
        // The callback is made at a desk, which has no workspace page: the version is the one just seen.
        const t = seen;
        // A first callback may hear 未解决 or 不满意 (the hub then reopens it, 重办, to the same unit); the next one is satisfied.
        const resolved = calledBack > 0 || rand() < 0.85;
        const satisfaction = calledBack > 0 ? '满意' : resolved ? pick(SATISFACTION) : '不满意';
        const done = await move('callback', `回访（${callerName}）`, t, true, `回访：${resolved ? '已解决' : '未解决'}，${satisfaction}`, () =>
          caller.call('ticket.callback', { ticketId, version: t.version, resolved, satisfaction }),
        );
        if (!done) return;
        calledBack++;
        continue;
      }

      if (!seen.unitCode) return log(`  ${seen.number} 当前“${seen.status}”，没有承办单位，跳过`);
      const holder = units.get(seen.unitCode);
      const p = await playerFor(seen.unitCode);
      const t = await open(p, ticketId);
      if (!t) return;
      const who = nameOf(p);

      if (t.status === '已派单' && (holder?.kind === 'subcenter' || holder?.kind === 'city_center' || !holder)) {
        // A sub-center (or the center) with the ticket: forward it, or return it to the center.
        if (plan.toCenter || (returnedBy !== null && plan.sendUp)) {
          plan.toCenter = false;
          plan.sendUp = false;
          const reasonKind: ReturnReason = '非本单位职责';
          returnedBy = t.unitCode;
          const done = await move('return', who, t, offers(t, 'return'), `退单（${reasonKind}）：退回市中心`, () =>
            p.hub.call('ticket.return', { ticketId, version: t.version, reasonKind, reason: '经核实诉求事项不属于本区职责，请市中心重新派单' }),
          );
          if (!done) return;
          continue;
        }
        const to = await forwardTarget(p, t, avoid);
        if (!to) return log(`  ${t.number} ${who}没有可转派的街乡镇，留在本单位`);
        // 双派单: one or two 协办 units besides the 主办, once per ticket; ones the hub would take (the same list).
        const helpers = plan.assists > 0 ? await assistTargets(p, t, to, avoid, plan.assists) : [];
        plan.assists = 0;
        const assistUnitCodes = helpers.map((u) => u.code);
        const dual = helpers.length > 0;
        const done = await move(
          dual ? 'dualForward' : 'forward',
          who,
          t,
          offers(t, 'forward'),
          dual ? `双派单：主办 ${to.name}，协办 ${helpers.map((u) => u.name).join('、')}` : `转派至 ${to.name}`,
          () =>
            p.hub.call('ticket.forward', {
              ticketId,
              version: t.version,
              unitCode: to.code,
              unitName: to.name,
              note: dual ? '请主办单位牵头办理，协办单位配合并及时回复' : '请按时限办理并及时回复',
              ...(dual ? { assistUnitCodes } : {}),
            }),
        );
        if (!done) return;
        // Each 协办 unit answers once, as its own account (the admin may not: 协办回复 is a unit's).
        for (const helper of helpers) {
          const h = await playerFor(helper.code);
          if (h.proxy) {
            log(`  ${t.number} ${helper.name}没有可用账号，协办回复留待该单位`);
            continue;
          }
          const a = await open(h, ticketId);
          if (!a) return;
          const reply = pick(ASSIST_REPLIES);
          const answered = await move('assistReply', nameOf(h), a, allows(a, 'assistReply'), `协办回复：${reply}`, () =>
            h.hub.call('ticket.assistReply', { ticketId, version: a.version, reply }),
          );
          if (!answered) return;
        }
        continue;
      }

      if (t.status === '已派单') {
        if (plan.unitReturns || plan.toCenter) {
          plan.unitReturns = false;
          plan.toCenter = false;
          const reasonKind = pick(RETURN_REASONS.filter((r) => r !== '其他'));
          returnedBy = t.unitCode;
          avoid.add(t.unitCode!);
          const done = await move('return', who, t, offers(t, 'return'), `退单（${reasonKind}）：${RETURN_TEXT[reasonKind]}`, () =>
            p.hub.call('ticket.return', { ticketId, version: t.version, reasonKind, reason: RETURN_TEXT[reasonKind] }),
          );
          if (!done) return;
          continue;
        }
        if (plan.supervise && !supervised && levels.length) {
          supervised = await superviseIt(t);
          if (!supervised) return;
          const banner = await open(p, ticketId);
          if (banner?.supervision) log(`  ${t.number} ${who}的工单上显示督办横幅：【${banner.supervision.label}】`);
          continue;
        }
        if (plan.unreasonable && !askedUnreasonable && !p.proxy) {
          askedUnreasonable = true;
          const asked = await move('unreasonable', who, t, allows(t, 'unreasonable'), `申请认定不合理诉求：${UNREASONABLE.reason}`, () =>
            p.hub.call('ticket.requestUnreasonable', { ticketId, version: t.version, ...UNREASONABLE }),
          );
          if (!asked) return;
          const c = await open(center, ticketId);
          if (!c) return;
          const approve = plan.approveUnreasonable;
          const done = await move(
            approve ? 'approveUnreasonable' : 'refuseUnreasonable',
            `市中心（${nameOf(center)}）`,
            c,
            allows(c, 'decide'),
            approve ? '批准认定不合理诉求，工单办结' : '不予批准认定不合理诉求，请承办单位继续办理',
            () =>
              center.hub.call('ticket.decide', {
                ticketId,
                version: c.version,
                kind: 'unreasonable',
                approve,
                reason: approve ? '经核实属不合理诉求，同意认定' : '市民诉求有合理部分，请与相关方协调办理',
              }),
          );
          if (!done) return;
          continue;
        }
        const accepted = await move('accept', who, t, offers(t, 'accept'), '接单', async () => {
          const event = await p.hub.call('ticket.accept', { ticketId, version: t.version });
          if (event.ok) hubNow = event.value.at;
          return event;
        });
        if (!accepted) return;
        continue;
      }

      if (t.status === '已接单' || t.status === '已回复') {
        if (plan.extend && !extended && !p.proxy) {
          extended = true;
          const newDate = extensionDate(t, hubNow);
          if (newDate) {
            const reason = pick(EXTEND_REASONS);
            const applied = await move('extend', who, t, allows(t, 'extend'), `申请延期至 ${newDate}：${reason}`, () =>
              p.hub.call('ticket.extend', { ticketId, version: t.version, reason, newDate }),
            );
            if (!applied) return;
            const c = await open(center, ticketId);
            if (!c) return;
            const approve = plan.approve;
            const done = await move(approve ? 'approve' : 'refuse', `市中心（${nameOf(center)}）`, c, allows(c, 'decide'), approve ? `批准延期至 ${newDate}` : '不予批准延期：请按原时限办结', () =>
              center.hub.call('ticket.decide', { ticketId, version: c.version, kind: 'extension', approve, reason: approve ? '同意延期，请按新时限办结' : '理由不充分，请按原时限办结' }),
            );
            if (!done) return;
            continue;
          }
        }
        if (plan.reply && !replied && t.status === '已接单') {
          replied = true;
          const reply = pick(REPLIES);
          const done = await move('reply', who, t, offers(t, 'reply'), `阶段回复：${reply}`, () => p.hub.call('ticket.reply', { ticketId, version: t.version, reply }));
          if (!done) return;
          continue;
        }
        const resolved = rand() < 0.9;
        const note = resolved ? pick(RESULTS) : pick(UNRESOLVED);
        const closed = await move('close', who, t, offers(t, 'close'), `办结（${resolved ? '已解决' : '未解决'}）：${note}`, () =>
          p.hub.call('ticket.close', { ticketId, version: t.version, note, resolved }),
        );
        if (!closed) return;
        continue;
      }
      return log(`  ${t.number} 当前“${t.status}”，模拟不再处理`);
    }
  }

  /** 协办 units for a 双派单 with `main` as 主办: other streets of the district or departments, as the hub allows. */
  async function assistTargets(p: Player, t: WorkTicket, main: WorkUnit, avoid: ReadonlySet<string>, n: number): Promise<WorkUnit[]> {
    const targets = await p.hub.call('workspace.units', { purpose: 'forward' });
    if (!targets.ok) {
      refuse(`${t.number} ${nameOf(p)}读取可协办单位被拒绝：${targets.error.message}`);
      return [];
    }
    const holder = t.unitCode ? units.get(t.unitCode) : undefined;
    const district = holder?.kind === 'subcenter' ? holder.districtCode : null;
    const fits = (u: WorkUnit) => u.code !== main.code && !avoid.has(u.code) && ((u.kind === 'street' && (!district || u.districtCode === district)) || u.kind === 'department');
    const candidates = targets.value.filter(fits);
    const out: WorkUnit[] = [];
    while (out.length < n && candidates.length) out.push(candidates.splice(Math.floor(rand() * candidates.length), 1)[0]!);
    return out;
  }

  async function superviseIt(seen: WorkTicket): Promise<boolean> {
    const c = await open(center, seen.id);
    if (!c) return false;
    const level = pick(levels.slice(0, 3));
    const note = pick(SUPERVISE_NOTES);
    return move('supervise', `市中心（${nameOf(center)}）`, c, allows(c, 'supervise'), `督办【${level.label}】：${note}`, () =>
      center.hub.call('ticket.supervise', { ticketId: c.id, version: c.version, level: level.id, note }),
    );
  }

  // ---- The run ---------------------------------------------------------------------------------------

  const walked = new Set<string>();
  let idleSaid = false;
  while (report.tickets < max && Date.now() < stopAt) {
    const next = await nextTicket(walked);
    if (!next) {
      if (options.stopWhenIdle) break;
      if (!idleSaid) log('暂无待办工单，稍后再看…');
      idleSaid = true;
      await sleep(Math.min(2000, Math.max(0, stopAt - Date.now())));
      continue;
    }
    idleSaid = false;
    walked.add(next);
    report.walked.push(next);
    await walk(next, report.tickets);
    report.tickets++;
  }
  log(`模拟结束：处理 ${report.tickets} 张工单`);
  log(`各项操作：${SIM_MOVES.map((m) => `${SIM_MOVE_LABEL[m]} ${report.moves[m]}`).join('，')}`);
  log(report.refused === 0 ? '中心拒绝的操作：0（全部操作均被中心接受）' : `中心拒绝的操作：${report.refused}`);
  return report;

  /** The next ticket to walk: one in the center's 待派 queue, else a dispatched one, not walked yet. */
  async function nextTicket(skip: ReadonlySet<string>): Promise<string | null> {
    for (const view of ['returned', 'mine'] as const) {
      for (let offset = 0; ; offset += 200) {
        const page = await admin.call('workspace.queue', { view, offset, limit: 200, ...(view === 'mine' ? { status: '已派单' as const } : {}) });
        if (!page.ok) throw new Error(`读取待办工单失败：${page.error.message}`);
        const found = page.value.rows.find((r) => !skip.has(r.id));
        if (found) return found.id;
        if (page.value.rows.length < 200) break;
      }
    }
    return null;
  }
}

/** A later 办结 date for an extension: a few days past the open 办结 checkpoint (and the hub's present). */
export function extensionDate(t: WorkTicket, hubNow: string | null): string | null {
  const open = extendableDeadlines(t.deadlines);
  if (!open.length) return null;
  const due = Math.max(...open.map((d) => Date.parse(d.dueAt)));
  const from = Math.max(due - 1, hubNow ? Date.parse(hubNow) : 0);
  const date = addCalendarDays(centerDate(new Date(from)), 3);
  return Date.parse(extensionDueAt(date)) - due <= MAX_EXTENSION_DAYS * 24 * 3600_000 ? date : null;
}

// ---- The command ---------------------------------------------------------------------------------

interface AccountsFile {
  units?: Record<string, Credentials>;
  callback?: Credentials;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      hub: { type: 'string', default: process.env.HOTLINE_HUB_URL },
      username: { type: 'string' },
      password: { type: 'string' },
      accounts: { type: 'string' },
      max: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '300' },
      pause: { type: 'string', default: '200' },
      seed: { type: 'string', default: String(Date.now() % 100000) },
    },
  });
  if (!values.hub || !values.username || !values.password) {
    console.error(
      '用法：npm run hub:sim -- --hub http://127.0.0.1:12345/ --username admin --password 密码 [--accounts 账号.json] [--max 50] [--seconds 300]\n' +
        '账号文件：{ "units": { "单位编码": { "username": "…", "password": "…" } }, "callback": { "username": "…", "password": "…" } }，模拟新开的单位账号会写回该文件。',
    );
    return 2;
  }
  const file: AccountsFile = values.accounts && existsSync(values.accounts) ? (JSON.parse(readFileSync(values.accounts, 'utf8')) as AccountsFile) : {};
  const accounts = { ...(file.units ?? {}) };
  const report = await runSim({
    url: values.hub,
    admin: { username: values.username, password: values.password },
    accounts,
    callback: file.callback,
    max: Number(values.max) || 50,
    budgetMs: Math.max(1, Number(values.seconds) || 300) * 1000,
    pauseMs: Math.max(0, Number(values.pause) || 0),
    seed: Number(values.seed) || 1,
  });
  if (values.accounts && report.created.length) {
    writeFileSync(values.accounts, `${JSON.stringify({ ...file, units: accounts }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(values.accounts, 0o600);
    console.log(`新开的 ${report.created.length} 个单位账号已写入 ${values.accounts}`);
  }
  return report.refused === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`模拟出错：${describeError(error)}`);
      process.exit(1);
    },
  );
}
