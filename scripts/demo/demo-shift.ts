/**
 * A realistic shift for a newcomer (`npm run demo:shift -- --data-dir DIR`): real catalogue leaves,
 * Beijing places and units from the bundled data, operators taking turns on the seat with sign-ins
 * and sign-outs, every disposition, varied handling times, and the days before for the trend. Every
 * ticket goes through the desk's own services (tickets.submit with a clock set to the call), so
 * numbers, deadlines, trails and the outbox are exactly what a real shift leaves.
 *
 * What a hub would have reported since (转派, 接单, 退单, 回复, 办结, 回访 with satisfaction) is applied
 * as the sync client applies it (TicketsRepo.setHubState + addEvent), so overdue, returned and callback
 * figures have something to show; some dispatched tickets are left unattended so they run overdue.
 * Each of those steps is a move the hub would take: it passes the hub's own checks (moveRefusal as the
 * account whose move it is, forwardProblem, a return going where returnGoesTo sends it, as
 * server/loop.ts applies them) or the generator stops with the reason — it never writes a status the
 * moves cannot reach. `npm run hub:sim` (server/sim.ts) makes the same moves on a running hub.
 * Nothing happens after `now`: a shift still running is filled only up to the present.
 *
 * It is not part of the desk: only scripts/demo-shift.ts and test/e2e/lead.spec.ts call it, on a folder
 * they name.
 */
import { randomUUID } from 'node:crypto';
import { seededRandom, type Random } from '../../shared/random';
import type { TicketDeadline } from '../../shared/api/contract';
import type { CatalogueNode, RequestType } from '../../shared/domain/catalogue';
import type { Place, Unit } from '../../shared/domain/places';
import { emptyDraft, type Disposition, type TicketDraft } from '../../shared/domain/ticket';
import { DISPOSITION_OF_KIND, suggestDispatch, type UnitLookup } from '../../shared/dispatch/suggest';
import { DEFAULT_SHIFTS, type ShiftDefinition } from '../../shared/shifts';
import { addCalendarDays } from '../../shared/sla/deadlines';
import { shiftWindow } from '../../shared/stats/shift-config';
import { centerDate } from '../../shared/time';
import { openDesk, type Desk } from '../../electron/services/desk';
import { LeadCredentials } from '../../electron/services/lead/lead-credentials';
import { SettingsRepo } from '../../electron/services/store/settings-repo';
import type { StoredEvent, TicketsRepo } from '../../electron/services/tickets/tickets-repo';
import { deadlinesAfterMove } from '../../shared/lifecycle/deadlines';
import { moveNote, type MoveInput } from '../../shared/lifecycle/events';
import { isDispatching, MOVE_RULES, moveRefusal, returnGoesTo, SATISFACTIONS, statusAfter, type MoveActor } from '../../shared/lifecycle/ticket-lifecycle';
import { forwardProblem } from '../../shared/workspace/roles';

export interface DemoOptions {
  dataDir: string;
  resourcesDir: string;
  /** The shift to fill richly; default: the last 早班 (day shift) that has ended by `now`. */
  shiftDate?: string;
  shiftCode?: string;
  /** Tickets in that shift (as many as one seat can take: the shift may end first). */
  tickets?: number;
  /** Days before it with lighter traffic in every shift, for the trend. */
  historyDays?: number;
  seed?: number;
  /** The present: nothing is written after it. */
  now?: Date;
  /** Who is signed in when the generator finishes: the team lead (so the lead view opens at once) or nobody. */
  leaveSignedIn?: 'lead' | 'none';
  /** Add to a folder that already has tickets. */
  append?: boolean;
  log?: (line: string) => void;
}

export interface DemoResult {
  shiftDate: string;
  shiftCode: string;
  shiftTickets: number;
  totalTickets: number;
  /** The lead the demo signs in (or may): 工号, name and the PIN it set for them. */
  lead: { id: string; name: string; pin: string };
}

export const DEMO_LEAD = { id: '9001', name: '孙敏', role: 'team_lead' as const };
const CALL_TAKERS = [
  { id: '1001', name: '王丽' },
  { id: '1002', name: '张伟' },
  { id: '1003', name: '李娜' },
  { id: '1004', name: '刘洋' },
  { id: '1005', name: '陈静' },
  { id: '1006', name: '赵磊' },
  { id: '1007', name: '周婷' },
  { id: '1008', name: '吴昊' },
];

/** How busy each hour is (calls per hour on one seat at full stretch ≈ 1). */
const HOUR_WEIGHT = [0.15, 0.1, 0.08, 0.06, 0.06, 0.1, 0.3, 0.6, 0.85, 1, 1, 0.95, 0.7, 0.8, 0.95, 0.95, 0.9, 0.85, 0.75, 0.8, 0.7, 0.55, 0.4, 0.25];

/** The categories monthly reports name most (物业管理、市容环卫、交通管理…), weighted up. */
const LEVEL1_WEIGHT: Record<string, number> = {
  '02': 30, '03': 26, '04': 22, '05': 12, '06': 16, '07': 12, '08': 12, '09': 6, '10': 8, '11': 10,
  '13': 6, '14': 5, '16': 10, '17': 8, '18': 6, '23': 6, '25': 4, '36': 6, '37': 3,
};
const level1Weight = (code: string) => LEVEL1_WEIGHT[code.slice(0, 2)] ?? 1;
/** Districts with most of the traffic (东城、西城、朝阳、海淀、丰台、平谷). */
const HOT_DISTRICTS = ['110101', '110102', '110105', '110108', '110106', '110117'];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const UNREASONABLE = [
  '来电人要求热线出面催讨其个人借款，属民事纠纷，不属政府职责范围',
  '来电人要求对邻居家庭私事进行调查处理，诉求超出行政职能',
  '来电人反复要求撤销已生效的法院判决，应通过司法途径解决',
  '来电人要求提供他人的住址和联系方式，涉及个人隐私',
];
const PLACE_DETAIL = ['号楼', '号院', '号楼东侧', '号楼门口', '号院南门', '号楼底商'];
const TAILS = ['希望尽快处理', '麻烦尽快派人来看看', '已经反映过一次了，还没解决', '影响正常生活，请相关部门处理', '请给个答复'];

type Rng = Random;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function weighted<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let r = rng() * total;
  for (const item of items) {
    r -= weight(item);
    if (r <= 0) return item;
  }
  return items[items.length - 1]!;
}

/** Log-normal seconds around a median, clamped to what a call can take. */
function handlingSeconds(rng: Rng, medianSeconds: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.round(Math.min(900, Math.max(45, medianSeconds * Math.exp(0.45 * normal))));
}

function phone(rng: Rng): string {
  if (rng() < 0.12) return `010-${String(Math.floor(60_000_000 + rng() * 29_999_999))}`;
  return `1${pick(rng, ['3', '5', '7', '8', '9'])}${String(Math.floor(rng() * 1e9)).padStart(9, '0')}`;
}

/** The last 早班 (or the first defined shift) that has ended by `now`. */
export function lastEndedShift(now: Date, shifts: readonly ShiftDefinition[] = DEFAULT_SHIFTS, code = 'early'): { shiftDate: string; shift: ShiftDefinition } {
  const shift = shifts.find((s) => s.code === code) ?? shifts[0]!;
  let date = centerDate(now);
  while (shiftWindow(shift, date).end.getTime() > now.getTime()) date = addCalendarDays(date, -1);
  return { shiftDate: date, shift };
}

interface World {
  desk: Desk;
  rng: Rng;
  leaves: CatalogueNode[];
  kbByLeaf: Map<string, string>;
  kbLeaves: CatalogueNode[];
  hotStreets: Place[];
  streets: Place[];
  villagesOf: Map<string, Place[]>;
  places: Map<string, Place>;
  units: UnitLookup;
  submitted: Array<{ id: string; villageCode: string | null; leafCode: string | null; disposition: Disposition; submittedAt: number }>;
}

function buildWorld(desk: Desk, rng: Rng): World {
  const ref = desk.reference;
  const nodes = ref.catalogue.all();
  const leaves = nodes.filter((n) => n.level === 3);
  const kbRows = desk.db.prepare<[], { article_id: string; leaf_code: string }>('SELECT article_id, leaf_code FROM kb_article_leaves ORDER BY article_id').all();
  const kbByLeaf = new Map<string, string>();
  for (const row of kbRows) if (!kbByLeaf.has(row.leaf_code)) kbByLeaf.set(row.leaf_code, row.article_id);
  const byCode = new Map(leaves.map((l) => [l.code, l]));
  const kbLeaves = [...kbByLeaf.keys()].map((code) => byCode.get(code)).filter((l): l is CatalogueNode => !!l);
  const allPlaces = ref.places.all();
  const places = new Map(allPlaces.map((p) => [p.code, p]));
  const villagesOf = new Map<string, Place[]>();
  for (const p of allPlaces) {
    if (p.level !== 'village' || !p.parentCode) continue;
    const list = villagesOf.get(p.parentCode) ?? [];
    list.push(p);
    villagesOf.set(p.parentCode, list);
  }
  const allUnits = ref.units.all();
  const streetUnits = new Map(allUnits.filter((u) => u.kind === 'street' && u.placeCode).map((u) => [u.placeCode!, u]));
  const streets = allPlaces.filter((p) => p.level === 'street' && streetUnits.has(p.code) && (villagesOf.get(p.code)?.length ?? 0) > 0);
  const hotPool = streets.filter((s) => HOT_DISTRICTS.includes(s.parentCode ?? ''));
  const hotStreets: Place[] = [];
  while (hotStreets.length < 12 && hotPool.length > 0) hotStreets.push(hotPool.splice(Math.floor(rng() * hotPool.length), 1)[0]!);
  const byUnitCode = new Map(allUnits.map((u) => [u.code, u]));
  const subcenters = new Map(allUnits.filter((u) => u.kind === 'subcenter' && u.districtCode).map((u) => [u.districtCode!, u]));
  const city = allUnits.find((u) => u.kind === 'city_center')!;
  const units: UnitLookup = {
    streetUnit: (code) => streetUnits.get(code) ?? null,
    subcenter: (code) => subcenters.get(code) ?? null,
    get: (code) => byUnitCode.get(code) ?? null,
    cityCenter: () => city,
  };
  return { desk, rng, leaves, kbByLeaf, kbLeaves, hotStreets, streets, villagesOf, places, units, submitted: [] };
}

function pickLeaf(world: World): CatalogueNode {
  const { rng } = world;
  const level1 = weighted(rng, [...new Set(world.leaves.map((l) => l.code.slice(0, 2)))], level1Weight);
  return pick(rng, world.leaves.filter((l) => l.code.startsWith(level1)));
}

function pickPlace(world: World): { district: Place; street: Place; village: Place } {
  const street = world.rng() < 0.7 ? pick(world.rng, world.hotStreets) : pick(world.rng, world.streets);
  const village = pick(world.rng, world.villagesOf.get(street.code)!);
  return { district: world.places.get(street.parentCode!)!, street, village };
}

function contentFor(rng: Rng, leaf: CatalogueNode, place: string): string {
  const said = leaf.synonyms.length ? pick(rng, leaf.synonyms) : leaf.keywords.length ? pick(rng, leaf.keywords) : leaf.name;
  const text = `${said}，地点在${place}，${pick(rng, TAILS)}。`;
  return [...text].length >= 12 ? text : `${text}问题反映的是${leaf.name}。`;
}

interface Call {
  draft: TicketDraft;
  seconds: number;
}

/** One call as a caller would make it, and how the call-taker finishes it. */
function makeCall(world: World, startedAt: Date): Call {
  const { rng } = world;
  const roll = rng();
  const surname = pick(rng, [...SURNAMES]);
  const callerPhone = phone(rng);
  const draft = emptyDraft(randomUUID(), startedAt.toISOString(), callerPhone);
  draft.callerName = rng() < 0.08 ? '匿名' : `${surname}${rng() < 0.5 ? '先生' : '女士'}`;
  const { district, street, village } = pickPlace(world);
  const detail = `${1 + Math.floor(rng() * 30)}${pick(rng, PLACE_DETAIL)}`;
  draft.address = { districtCode: district.code, streetCode: street.code, villageCode: village.code, text: detail };
  const placeText = `${district.shortName}${street.shortName}${village.shortName}${detail}`;

  // 咨询办结: about a third of calls are questions the knowledge base answers.
  if (roll < 0.3 && world.kbLeaves.length > 0) {
    const leaf = weighted(rng, world.kbLeaves, (l) => level1Weight(l.code));
    draft.requestType = '咨询';
    draft.leafCode = leaf.code;
    draft.content = `想咨询一下${leaf.synonyms[0] ?? leaf.name}的问题，${leaf.keywords[0] ?? '具体怎么办理'}需要注意什么？`;
    draft.disposition = '咨询办结';
    draft.kbArticleId = world.kbByLeaf.get(leaf.code)!;
    return { draft, seconds: handlingSeconds(rng, 150) };
  }
  // 重复诉求: someone else about a problem already dispatched from the same place.
  const earlier = world.submitted.filter((t) => t.villageCode && t.leafCode && (t.disposition === '直派' || t.disposition === '派分中心'));
  if (roll < 0.36 && earlier.length > 0) {
    const original = pick(rng, earlier.slice(-40));
    const village = world.places.get(original.villageCode!)!;
    const street = world.places.get(village.parentCode!)!;
    const leaf = world.leaves.find((l) => l.code === original.leafCode)!;
    draft.address = { districtCode: street.parentCode, streetCode: street.code, villageCode: village.code, text: detail };
    draft.requestType = '投诉';
    draft.leafCode = leaf.code;
    draft.content = contentFor(rng, leaf, `${street.shortName}${village.shortName}`) + '邻居已经打过电话了。';
    draft.disposition = '重复诉求';
    draft.linkedTicketId = original.id;
    return { draft, seconds: handlingSeconds(rng, 130) };
  }
  const leaf = pickLeaf(world);
  draft.leafCode = leaf.code;
  draft.requestType = (leaf.requestTypes.find((t) => t !== '咨询') ?? leaf.requestTypes[0] ?? '投诉') as RequestType;
  draft.content = contentFor(rng, leaf, placeText);
  // 不合理诉求: flagged for review with the reason.
  if (roll >= 0.36 && roll < 0.4) {
    draft.requestType = '求助';
    draft.disposition = '不合理诉求';
    draft.unreasonableReason = pick(rng, UNREASONABLE);
    return { draft, seconds: handlingSeconds(rng, 260) };
  }
  const suggestion = suggestDispatch({
    owner: leaf.owner,
    coordination: leaf.coordination,
    address: { district, street, confidence: rng() < 0.9 ? 1 : 0.5 },
    units: world.units,
  });
  let unit: Unit = suggestion.unit;
  let disposition: Disposition = DISPOSITION_OF_KIND[suggestion.kind];
  // F9: now and then the call-taker sends a direct one to the sub-center instead.
  const subcenter = suggestion.alternatives.find((u) => u.kind === 'subcenter');
  if (disposition === '直派' && subcenter && rng() < 0.12) {
    unit = subcenter;
    disposition = '派分中心';
  }
  if (rng() < 0.03) {
    unit = world.units.cityCenter();
    disposition = '派市中心';
  }
  draft.disposition = disposition;
  draft.unitCode = unit.code;
  return { draft, seconds: handlingSeconds(rng, 210) };
}

async function submitAt(world: World, clock: { at: Date }, call: Call, submitAtMs: number): Promise<string> {
  clock.at = new Date(submitAtMs);
  const result = await world.desk.handlers['tickets.submit']({ draft: call.draft }, { transport: 'ipc' });
  if (!result.ok) throw new Error(`演示工单提交失败：${result.error.message}`);
  const t = call.draft;
  world.submitted.push({ id: result.value.id, villageCode: t.address.villageCode, leafCode: t.leafCode, disposition: t.disposition!, submittedAt: submitAtMs });
  return result.value.id;
}

/**
 * One shift on one seat: operators take turns (轮岗) and calls come as the hour's weight says, one
 * after another — a call starts only after the previous ticket is submitted and a short wrap-up.
 */
async function fillShift(world: World, clock: { at: Date }, shift: ShiftDefinition, shiftDate: string, target: number, nowMs: number, crew: Array<{ id: string; name: string }>): Promise<number> {
  const { rng, desk } = world;
  const window = shiftWindow(shift, shiftDate);
  const start = window.start.getTime();
  const end = Math.min(window.end.getTime(), nowMs);
  if (end <= start) return 0;
  const turn = (window.end.getTime() - start) / crew.length;
  const hourOf = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCHours();
  const weightSum = Array.from({ length: Math.ceil((end - start) / 3_600_000) }, (_, i) => HOUR_WEIGHT[hourOf(start + i * 3_600_000)]!).reduce((a, b) => a + b, 0);
  const meanGap = (end - start) / Math.max(1, target);
  let at = start + 60_000 + rng() * 120_000;
  let count = 0;
  let onSeat = -1;
  while (at < end && count < target) {
    const who = Math.min(crew.length - 1, Math.floor((at - start) / turn));
    if (who !== onSeat) {
      clock.at = new Date(Math.max(at - 30_000, start + who * turn));
      const signedIn = await desk.handlers['operator.signIn']({ ...crew[who]!, role: 'call_taker' }, { transport: 'ipc' });
      if (!signedIn.ok) throw new Error(signedIn.error.message);
      onSeat = who;
    }
    const call = makeCall(world, new Date(at));
    const submit = at + call.seconds * 1000;
    if (submit >= end) break;
    await submitAt(world, clock, call, submit);
    count++;
    // Quiet hours leave longer gaps between calls.
    const weight = HOUR_WEIGHT[hourOf(submit)]! / (weightSum / Math.max(1, (end - start) / 3_600_000));
    at = submit + 15_000 + rng() * 45_000 + (-Math.log(1 - rng()) * meanGap * 0.4) / Math.max(0.15, weight);
  }
  clock.at = new Date(Math.min(window.end.getTime(), nowMs));
  await desk.handlers['operator.signOut']({}, { transport: 'ipc' });
  return count;
}

/** What the hub would have reported by now about the dispatched tickets (see the file comment). */
function simulateHub(world: World, nowMs: number): void {
  const { desk, rng } = world;
  const repo: TicketsRepo = desk.tickets.tickets;
  const MIN = 60_000;
  const unitName = (code: string | null) => (code ? (desk.reference.units.get(code)?.name ?? code) : '承办单位');
  desk.db.transaction(() => {
    for (const t of world.submitted) {
      if (!isDispatching(t.disposition)) continue;
      const stored = repo.get(t.id);
      if (!stored) continue;
      let { status, unitCode, deadlines } = stored;
      const events: StoredEvent[] = [];
      // One move of the lifecycle (shared/lifecycle/), made only if its time has come, and only as the hub would take it.
      const step = (input: MoveInput, at: number): boolean => {
        if (at > nowMs) return false;
        const holder = unitCode ? (desk.reference.units.get(unitCode) ?? null) : null;
        const actor: MoveActor = input.move === 'callback' ? { role: 'call_taker', unitCode: null } : { role: 'unit_operator', unitCode, unitKind: holder?.kind ?? null };
        const number = stored.officialNumber ?? stored.provisionalNumber;
        const refusal =
          moveRefusal(input.move, { status, unitCode, number, disposition: stored.disposition, urgency: stored.urgency }, actor)?.message ??
          (input.move === 'forward' ? forwardProblem(holder, desk.reference.units.get(input.unitCode) ?? null, input.unitCode) : null);
        if (refusal) throw new Error(`演示数据有一步中心不会接受（${number} ${MOVE_RULES[input.move].label}）：${refusal}`);
        const iso = new Date(at).toISOString();
        const rule = MOVE_RULES[input.move];
        events.push({ kind: rule.event, at: iso, actor: input.move === 'callback' ? '回访组' : unitName(unitCode), note: moveNote(input, unitName(unitCode)) });
        deadlines = deadlinesAfterMove(deadlines, input.move, stored, iso);
        status = statusAfter(input.move, { status, disposition: stored.disposition });
        if (input.move === 'return') ({ status, unitCode } = returnGoesTo({ unitCode, dispatchedUnitCode: stored.unitCode }));
        else if (rule.unit === 'clear') unitCode = null;
        if (input.move === 'forward') unitCode = input.unitCode;
        return true;
      };
      const roll = rng();
      // The sub-center or city center passes it on to the street's unit within the dispatch clock, mostly.
      if (t.disposition !== '直派') {
        const street = stored.streetCode ? desk.reference.units.streetUnit(stored.streetCode) : null;
        const forwarded = roll < 0.85 && street && step({ move: 'forward', unitCode: street.code, unitName: street.name }, t.submittedAt + (10 + rng() * 100) * MIN);
        if (!forwarded) continue; // left waiting: its 派单时限 runs out
      }
      const accepted = t.submittedAt + (15 + rng() * 150) * MIN;
      if (roll > 0.9) step({ move: 'return', reason: '经核实不属于本单位职责范围，请中心重新派单' }, accepted);
      else if (roll < 0.8 && step({ move: 'accept' }, accepted)) {
        const replied = accepted + (6 + rng() * 60) * 60 * MIN;
        if (rng() < 0.75 && step({ move: 'reply', reply: '已到现场处理，问题已解决' }, replied)) {
          const closed = replied + (1 + rng() * 6) * 60 * MIN;
          if (step({ move: 'close', note: '已办结' }, closed)) {
            const called = closed + (2 + rng() * 20) * 60 * MIN;
            const satisfaction = weighted(rng, SATISFACTIONS, (s) => ({ 满意: 7, 基本满意: 2, 不满意: 1 })[s]);
            if (rng() < 0.8) step({ move: 'callback', resolved: satisfaction !== '不满意', satisfaction }, called);
          }
        }
      }
      if (events.length === 0) continue;
      repo.setHubState(t.id, { status, unitCode, deadlines }, events[events.length - 1]!.at);
      for (const e of events) repo.addEvent(t.id, e);
    }
  })();
}

export async function generateDemoShift(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const rng = seededRandom(options.seed ?? 12345);
  const clock = { at: now };
  const opened = openDesk({
    dataDir: options.dataDir,
    mode: 'browser-host',
    version: 'demo',
    resourcesDir: options.resourcesDir,
    now: () => clock.at,
    openSecondScreen: () => ({ opened: false, url: null }),
  });
  if (!opened.ok) throw new Error(opened.error.message);
  const desk = opened.value;
  try {
    const status = await desk.ready;
    if (status.state !== 'ready') throw new Error(`基础数据未就绪：${status.message}`);
    const existing = (desk.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    if (existing > 0 && !options.append) {
      throw new Error(`数据目录 ${options.dataDir} 里已有 ${existing} 张工单；要在其上追加演示数据请加 --append`);
    }
    const shiftsResult = await desk.handlers['shifts.list']({}, { transport: 'ipc' });
    const shifts = shiftsResult.ok ? shiftsResult.value : [...DEFAULT_SHIFTS];
    const main = options.shiftDate
      ? { shiftDate: options.shiftDate, shift: shifts.find((s) => s.code === (options.shiftCode ?? 'early')) ?? shifts[0]! }
      : lastEndedShift(now, shifts, options.shiftCode ?? 'early');
    const world = buildWorld(desk, rng);
    const historyDays = options.historyDays ?? 6;
    let total = 0;

    // The days before, every shift, lighter: the trend has something to compare with.
    for (let back = historyDays; back >= 1; back--) {
      const date = addCalendarDays(main.shiftDate, -back);
      for (const shift of shifts) {
        const crew = [pick(rng, CALL_TAKERS), pick(rng, CALL_TAKERS)];
        const busy = shift.code === 'night' ? 0.25 : 1;
        total += await fillShift(world, clock, shift, date, Math.round((30 + rng() * 40) * busy), nowMs, crew);
      }
      log(`已生成 ${date} 的工单（累计 ${total} 张）`);
    }
    // Between the history and the main shift: the earlier shifts of its own date.
    for (const shift of shifts) {
      if (shiftWindow(shift, main.shiftDate).start >= shiftWindow(main.shift, main.shiftDate).start) continue;
      total += await fillShift(world, clock, shift, main.shiftDate, shift.code === 'night' ? 12 : 40, nowMs, [pick(rng, CALL_TAKERS)]);
    }
    // The shift itself: four call-takers in turn, and the lead at the peak.
    const crew = [CALL_TAKERS[0]!, CALL_TAKERS[1]!, CALL_TAKERS[2]!, CALL_TAKERS[3]!];
    const shiftTickets = await fillShift(world, clock, main.shift, main.shiftDate, options.tickets ?? 110, nowMs, crew);
    total += shiftTickets;
    log(`已生成 ${main.shiftDate} ${main.shift.name}：${shiftTickets} 张工单`);

    simulateHub(world, nowMs);
    clock.at = now;
    // The demo's lead signs in like any lead: with a PIN, set here as an administrator would (npm run desk:pin).
    const pin = String(100000 + Math.floor(rng() * 900000));
    const pinSet = new LeadCredentials({ settings: new SettingsRepo(desk.db), now: () => clock.at, hubUrl: () => null }).setPin(DEMO_LEAD.id, pin);
    if (!pinSet.ok) throw new Error(pinSet.error.message);
    if ((options.leaveSignedIn ?? 'lead') === 'lead') {
      const signed = await desk.handlers['operator.signIn']({ id: DEMO_LEAD.id, name: DEMO_LEAD.name, role: 'team_lead', secret: pin }, { transport: 'ipc' });
      if (!signed.ok) throw new Error(signed.error.message);
    }
    return { shiftDate: main.shiftDate, shiftCode: main.shift.code, shiftTickets, totalTickets: total, lead: { id: DEMO_LEAD.id, name: DEMO_LEAD.name, pin } };
  } finally {
    desk.close();
  }
}
