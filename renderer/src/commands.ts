/**
 * The keyboard commands of each screen as data: which key does what, by name, and what the person
 * reads for it. The help overlay (F1) and the status-bar hints are drawn from these tables, so what
 * the screen says is what the keys do. A screen binds a table to its handlers (one per command id);
 * shortcuts.ts listens for the keys. No React here.
 */

export interface KeyCombo {
  /** KeyboardEvent.key, e.g. 'F1', 'Enter', 'u'. */
  key: string;
  ctrl?: boolean;
  alt?: boolean;
}

export interface Command<Id extends string = string> extends KeyCombo {
  id: Id;
  /** What a call-taker reads. */
  label: string;
  /** Listed in the help overlay but not in the status bar's hints. */
  helpOnly?: boolean;
  /** The help overlay's longer text, when the label alone does not say enough. */
  help?: string;
}

/** A command bound to what it does. */
export interface Shortcut extends KeyCombo {
  label: string;
  helpOnly?: boolean;
  help?: string;
  run: () => void;
}

const HELP = { id: 'help', key: 'F1', label: '快捷键帮助' } as const;

export const DESK_COMMANDS = [
  HELP,
  { id: 'newCall', key: 'F2', label: '新来电' },
  { id: 'searchCatalogue', key: 'F3', label: '分类检索' },
  { id: 'searchKb', key: 'F4', label: '知识库' },
  {
    id: 'lookup',
    key: 'F5',
    helpOnly: true,
    label: '查询/催办',
    help: '查询工单/催办：按工单编号、临时编号（临…）或来电号码查询（联网时查全中心，否则查本机），读出状态、承办单位、时限和轨迹，在原工单上记录催办（不新建工单）',
  },
  { id: 'linkDuplicate', key: 'F6', label: '关联重复' },
  { id: 'closeWithArticle', key: 'F7', label: '咨询办结' },
  { id: 'dispatchAsSuggested', key: 'F8', label: '按建议派单' },
  { id: 'dispatchToSubcenter', key: 'F9', label: '派分中心' },
  { id: 'openSecondScreen', key: 'F10', label: '打开副屏' },
  {
    id: 'submit',
    key: 'Enter',
    ctrl: true,
    label: '按建议提交',
    help: '按建议提交：咨询且已打开知识库答复时咨询办结（同 F7），否则按派单建议（同 F8）；标记了不合理诉求时提交审核。提交后提示栏写明按哪种方式提交',
  },
  { id: 'pickUnit', key: 'u', alt: true, helpOnly: true, label: '另选单位' },
  { id: 'takeEarlierCaller', key: 'c', alt: true, helpOnly: true, label: '取用早先工单（同一号码）的来电人姓名和地址' },
  { id: 'markUnreasonable', key: 'b', alt: true, helpOnly: true, label: '标记不合理诉求（填写理由后 Ctrl+Enter 提交）' },
  { id: 'pickSuggestion1', key: '1', alt: true, helpOnly: true, label: '选用第 1 个推荐分类' },
  { id: 'pickSuggestion2', key: '2', alt: true, helpOnly: true, label: '选用第 2 个推荐分类' },
  { id: 'pickSuggestion3', key: '3', alt: true, helpOnly: true, label: '选用第 3 个推荐分类' },
  { id: 'nextRelated', key: 'ArrowDown', alt: true, helpOnly: true, label: '相关工单：下一张' },
  { id: 'previousRelated', key: 'ArrowUp', alt: true, helpOnly: true, label: '相关工单：上一张' },
  { id: 'myTickets', key: 'm', alt: true, helpOnly: true, label: '本班工单（↑↓ 选择，Enter 查看轨迹）' },
  { id: 'signIn', key: 'S', alt: true, helpOnly: true, label: '坐席签到 / 签退（工号、姓名、话务员/班长）' },
  { id: 'openLead', key: 'L', alt: true, helpOnly: true, label: '班长视图：班次统计、图表、下钻与导出' },
  {
    id: 'redispatchQueue',
    key: 'R',
    alt: true,
    helpOnly: true,
    label: '待派工单（班长，需联网）：退回中心的工单，Enter 按建议重新派单，Alt+U 另选单位',
  },
  {
    id: 'callbackQueue',
    key: 'H',
    alt: true,
    helpOnly: true,
    label: '回访：待回访工单（按回访时限），Enter 拨打，1–3 记录结果，Ctrl+Enter 保存',
    help: '回访：待回访工单按回访时限排列（联网时全中心，否则本机），左右对照市民诉求与办理结果。Enter 拨打；1 联系上 2 未联系上 3 无法联系；联系上后 1 已解决 2 未解决，再 1 满意 2 基本满意 3 不满意，记下市民原话；Ctrl+Enter 保存。不满意或未解决即退回原承办单位重办',
  },
  {
    id: 'webIntakeQueue',
    key: 'W',
    alt: true,
    helpOnly: true,
    label: '网络渠道待受理（需联网）：Enter 受理并填入表单，Delete 不予受理',
    help: '网络渠道待受理：网站、微信、微博、APP 等渠道（Open311）提交的诉求，附分类建议与地址识别。Enter 领取并填入受理表单（渠道、内容、地址、联系人），核实、分类、派单后提交；Delete 不予受理：1 垃圾信息 2 不属本中心受理范围 3 重复（填原工单编号）。提交方查询时看到的状态随工单变化',
  },
] as const satisfies readonly Command[];

/** Keys every window of the desk has besides its own table: 本机状态 (Alt+I). */
export const SHELL_COMMANDS = [
  { id: 'health', key: 'I', alt: true, helpOnly: true, label: '本机状态：数据目录、本地数据库、中心连接、基础数据' },
] as const satisfies readonly Command[];

export const SIDE_COMMANDS = [HELP, ...SHELL_COMMANDS] as const satisfies readonly Command[];

/** Keys that work inside a field rather than on the whole screen: listed in F1 after the commands. */
export const DESK_FIELD_KEYS: ReadonlyArray<{ keys: string; label: string }> = [
  { keys: 'Tab / Shift+Tab', label: '下一项 / 上一项' },
  { keys: '1–6', label: '在诉求类型处：1 咨询 2 求助 3 投诉 4 举报 5 建议 6 表扬' },
  { keys: '↑ ↓ / Enter', label: '在诉求地址处：选择识别结果 / 确认并转到诉求内容' },
  { keys: '↑ ↓ / Enter', label: '在诉求分类（F3）、知识库（F4）、本班工单（Alt+M）列表中：选择 / 选定或打开' },
  { keys: 'Esc', label: '关闭对话框；在列表中返回' },
];

/** The lead view's charts and their titles, in the order Alt+1…5 reaches them. */
const CHARTS = [
  ['hourly', '每小时受理量'],
  ['categories', '诉求分类前十'],
  ['dispositions', '处理方式'],
  ['hotspots', '热点：街乡镇 × 一级分类'],
  ['trend', '按日趋势'],
] as const;
export type ChartName = (typeof CHARTS)[number][0];
export const CHART_NAMES: readonly ChartName[] = CHARTS.map(([name]) => name);
export const CHART_TITLE = Object.fromEntries(CHARTS) as Record<ChartName, string>;

export const LEAD_COMMANDS = [
  HELP,
  { id: 'backToDesk', key: 'L', alt: true, label: '返回受理' },
  { id: 'signIn', key: 'S', alt: true, label: '签到/签退' },
  ...CHARTS.map(([name, title], i) => ({ id: `chart:${name}` as const, key: String(i + 1), alt: true, helpOnly: true, label: `转到图表：${title}` })),
  { id: 'operatorTable', key: 'T', alt: true, helpOnly: true, label: '转到坐席明细表（↑↓ 选择，Enter 下钻）' },
] as const satisfies readonly Command[];

/** One handler per command of a table, by id. */
export type Handlers<T extends readonly Command[]> = Record<T[number]['id'], () => unknown>;

/** The table's commands bound to their handlers, in the table's order. */
export function bindCommands<const T extends readonly Command[]>(table: T, handlers: Handlers<T>): Shortcut[] {
  return table.map(({ id, ...combo }) => {
    const handler = handlers[id as T[number]['id']];
    return { ...combo, run: () => void handler() };
  });
}

const KEY_TEXT: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓' };

/** How a key reads on screen: "Ctrl+Enter", "Alt+L", "Alt+↓"; letters always in capitals, as on the keycaps. */
export function keyLabel(s: KeyCombo): string {
  const key = KEY_TEXT[s.key] ?? (s.key.length === 1 ? s.key.toUpperCase() : s.key);
  return `${s.ctrl ? 'Ctrl+' : ''}${s.alt ? 'Alt+' : ''}${key}`;
}

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The command a key press means, if any. Letters match case-blind (Alt+U arrives as 'u'); ⌘ counts as Ctrl. */
export function commandFor<T extends KeyCombo>(table: readonly T[], press: KeyPress): T | undefined {
  const fold = (key: string) => (key.length === 1 ? key.toLowerCase() : key);
  const key = fold(press.key);
  const ctrl = press.ctrlKey || press.metaKey;
  return table.find((c) => fold(c.key) === key && !!c.ctrl === ctrl && !!c.alt === press.altKey);
}
