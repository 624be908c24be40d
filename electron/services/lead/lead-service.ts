/**
 * The team lead's side of the desk (班长视图): operator sign-in and sign-out, shift definitions, the
 * shift log over this desk's tickets, drill-downs to the tickets behind a figure, and exports.
 * Composes the lead, sessions and shift-settings repositories with the reference data (for names);
 * the figures themselves are shared/stats' pure functions.
 *
 * Decisions recorded here:
 * - Roles: `guard()` lets a 班长 (team_lead) or admin through; a 话务员 gets `forbidden`. The role is
 *   the one the operator signed in with on this desk — there is no password locally; once the desk
 *   signs in to the hub, the hub's account role is the one to trust (server/auth.ts).
 * - The figures are this desk's own tickets (本机数据). Center-wide figures are the hub's to give:
 *   `CenterFigures` is the seam — when a hub answers for a scope its report is used, otherwise the
 *   local one, which always says it is partial. The desk's seam asks the hub's stats.shiftTally, and
 *   stats.shiftDrill page by page for drill-downs and exports (center-figures.ts); without a hub, `NO_CENTER` answers. The local report is counted in SQLite
 *   (LeadRepo.tally); the hub's rows are folded by shared/stats (tallyTickets) — the same report.
 * - Phone numbers leave the desk masked (139****5678), in drill-downs always and in exports unless a
 *   班长 or admin asks for the full numbers; numbers typed into the content are masked as well.
 * - The trend covers at least the 7 days ending at the scope's last date, so a single shift still
 *   shows how it compares with the days before.
 */
import type { Operator } from '../../../shared/api/contract';
import type { ShiftDrillCursor, ShiftDrillRow } from '../../../shared/api/center-drill-contract';
import {
  ATTENTION_ROW_LIMIT,
  DRILL_PAGE_SIZE,
  LOCAL_DRILL_NOTE,
  MAX_EXPORT_ROWS,
  MAX_RANGE_DAYS,
  type Attention,
  type DrillFilterInput,
  type DrillRow,
  type ExportFile,
  type ExportProgress,
  type LeadContext,
  type LeadScope,
  type ShiftReport,
} from '../../../shared/api/lead-contract';
import { formatPath } from '../../../shared/domain/catalogue';
import { fail, ok, type Result } from '../../../shared/result';
import { mayReviewShifts, operatorIdLabel, ROLE_LABEL } from '../../../shared/roles';
import type { ShiftDefinition } from '../../../shared/shifts';
import { addCalendarDays } from '../../../shared/sla/deadlines';
import { datesBetween } from '../../../shared/stats/calendar';
import { maskPhone, maskPhonesIn } from '../../../shared/stats/mask';
import { centerInstant, datesWindow, shiftWindow } from '../../../shared/stats/shift-config';
import {
  addEarlierDays,
  describeDrill,
  FIGURE_NOTES,
  reportFromTally,
  selectDrill,
  tallyTickets,
  type DrillFilter,
  type Figures,
  type Namer,
  type ReportTally,
  type StatSession,
  type StatTicket,
} from '../../../shared/stats/shift-report';
import { centerDate } from '../../../shared/time';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';
import type { SettingsRepo } from '../store/settings-repo';
import { shiftOfInstant } from '../tickets/ticket-service';
import { EXPORT_CANCELLED, ExportJobs, streamCenterCsv } from './center-export';
import { safeFileName, toCsv, toXlsx, type Cell, type Table } from './export-files';
import type { LeadCredentials } from './lead-credentials';
import { LeadRepo, type DrillSource } from './lead-repo';
import { SessionsRepo } from './sessions-repo';
import { ShiftSettings } from './shift-settings';
import { earliestOpenDeadline } from '../../../shared/lifecycle/deadlines';

export const LOCAL_SOURCE_NOTE = '本机数据，仅含本坐席受理的工单';
export const CENTER_DRILL_NOTE = '全中心工单（中心数据库，分页查询）';

export type DrillPage = { title: string; total: number; rows: DrillRow[]; truncated: boolean; page: number; pageSize: number; source: ShiftReport['source'] };
const TREND_MIN_DAYS = 7;
const PREVIEW_CHARS = 50;

/**
 * Center-wide figures for a scope, from the hub. The desk's own report never waits on it: when
 * `available()` is false (no hub, or offline) the local report is the answer, marked partial.
 */
export interface CenterFigures {
  available(): boolean;
  shiftLog(scope: LeadScope, reportAt: Date): Promise<Result<ShiftReport>>;
  /** One page of the tickets behind a center-wide figure, newest first (stats.shiftDrill, center-figures.ts). */
  drill?(
    scope: LeadScope,
    filter: DrillFilterInput,
    page: { reportAt: Date; offset: number; limit: number; fullPhones: boolean; after?: ShiftDrillCursor | null; count?: boolean },
  ): Promise<Result<{ total: number | null; rows: ShiftDrillRow[]; masked: boolean; next: ShiftDrillCursor | null }>>;
}

/** The hub's rows as the desk's drill-down and export read them (already masked by the hub unless full numbers were asked for). */
function centerSource(r: ShiftDrillRow): DrillSource {
  const { channel: _channel, unitName: _unitName, callbackDone, callbackSatisfaction, ...rest } = r;
  return { ...rest, callbackNote: callbackDone ? `已回访（${callbackSatisfaction ?? '结果未记录'}）` : null };
}

/** Rows of one page the hub is asked for while an export walks every page. */
const EXPORT_PAGE = 5_000;

export const NO_CENTER: CenterFigures = {
  available: () => false,
  shiftLog: async () => fail('unavailable', '中心尚未提供全中心统计'),
};

export interface LeadServiceOptions {
  db: Db;
  reference: ReferenceData;
  settings: SettingsRepo;
  shifts: ShiftSettings;
  operator: () => Operator;
  /** Who the desk is when nobody is signed in (desk.ts's default operator). */
  defaultOperator: Operator;
  now: () => Date;
  center?: CenterFigures;
  /** Who may sign in as 班长 (lead-credentials.ts); without it nobody can. */
  credentials?: LeadCredentials;
  /** The sync client's per-operator hub sessions (sync-client.ts), while the desk syncs with a hub. */
  hubSessions?: () => OperatorHubSessions | null;
  /** Where streamed center-wide exports are written (the data folder's exports/, desk.ts); none: no streamed export. */
  exportDir?: string;
  /** Progress of a streamed export, for the renderer (the `lead.exportProgress` event). */
  onExportProgress?: (progress: ExportProgress) => void;
}

/** How a call-taker's own hub account is checked at sign-in (electron/services/sync/sync-client.ts). */
export interface OperatorHubSessions {
  signInOperator(operatorId: string, password: string): Promise<Result<{ verified: boolean }>>;
}

const iso = (d: Date) => d.toISOString();

/** "2026-12-01 09:15:02", Beijing time, for exports. */
export function centerDateTime(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (!Number.isFinite(ms)) return isoTime;
  return new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** The shift log export's figure columns: each header with the cell it shows. */
const FIGURE_COLUMNS: ReadonlyArray<readonly [header: string, cell: (f: Figures) => Cell]> = [
  ['受理量', (f) => f.taken],
  ['办理时长中位数(秒)', (f) => f.handling.medianSeconds],
  ['办理时长九成用时(秒)', (f) => f.handling.p90Seconds],
  ['咨询办结', (f) => f.kbClosed],
  ['咨询办结率(%)', (f) => percent(f.kbClosedRate)],
  ['直派', (f) => f.direct],
  ['派分中心', (f) => f.subcenter],
  ['派市中心', (f) => f.cityCenter],
  ['重复诉求', (f) => f.duplicates],
  ['不合理诉求', (f) => f.unreasonable],
  ['已退单', (f) => f.returned],
  ['超期', (f) => f.overdue],
  ['已回访', (f) => f.callbacks],
  ['满意率(%)', (f) => percent(f.satisfaction.rate)],
];

/** The ticket export's columns (XLSX and CSV, built in memory or streamed). */
const TICKET_COLUMNS: ReadonlyArray<{ header: string; width: number }> = [
  { header: '工单编号', width: 18 },
  { header: '受理时间', width: 20 },
  { header: '班次日期', width: 12 },
  { header: '班次', width: 8 },
  { header: '工号', width: 10 },
  { header: '话务员', width: 10 },
  { header: '来电人', width: 10 },
  { header: '来电号码', width: 15 },
  { header: '回访号码', width: 15 },
  { header: '诉求类型', width: 8 },
  { header: '诉求分类', width: 36 },
  { header: '区', width: 10 },
  { header: '街乡镇', width: 14 },
  { header: '社区村', width: 14 },
  { header: '详细地址', width: 28 },
  { header: '处理方式', width: 10 },
  { header: '承办单位', width: 24 },
  { header: '状态', width: 8 },
  { header: '办理时长(秒)', width: 12 },
  { header: '下一时限', width: 10 },
  { header: '截止时间', width: 20 },
  { header: '是否超期', width: 8 },
  { header: '回访', width: 20 },
  { header: '诉求内容', width: 60 },
];

/**
 * The earliest a callback of a ticket from this shift date can be: the date's 00:00 in Beijing
 * (no shift of the date begins earlier), less a day so a time written with another offset still counts.
 */
const callbacksSince = (fromDate: string) => new Date(centerInstant(fromDate, 0).getTime() - 86_400_000).toISOString();

export class LeadService {
  readonly repo: LeadRepo;
  readonly sessions: SessionsRepo;
  private readonly center: CenterFigures;
  private readonly exports: ExportJobs | null;

  constructor(private readonly options: LeadServiceOptions) {
    this.repo = new LeadRepo(options.db);
    this.sessions = new SessionsRepo(options.db);
    this.center = options.center ?? NO_CENTER;
    this.exports = options.exportDir ? new ExportJobs(options.exportDir) : null;
  }

  // ---- Who is on the desk ---------------------------------------------------------------------

  /** Signs a person in; a 班长 only with a credential (lead-credentials.ts), checked before anything is written. */
  async signIn(input: { id: string; name: string; role: 'call_taker' | 'team_lead'; secret?: string | undefined }): Promise<Result<{ operator: Operator; signedInAt: string }>> {
    if (input.role === 'team_lead') {
      if (!this.options.credentials) return fail('forbidden', '本机未启用班长签到');
      const verified = await this.options.credentials.verify(input.id.trim(), input.secret ?? '');
      if (!verified.ok) return verified;
    } else if (input.secret) {
      // A call-taker with their own hub account: checked at the hub when it answers; their tickets
      // then go with their own session (verified). Without a password, as the desk's word (未核验).
      const sessions = this.options.hubSessions?.();
      if (sessions) {
        const checked = await sessions.signInOperator(input.id.trim(), input.secret);
        if (!checked.ok) return checked;
      }
    }
    return ok(this.record(input));
  }

  private record(input: { id: string; name: string; role: 'call_taker' | 'team_lead' }): { operator: Operator; signedInAt: string } {
    const at = iso(this.options.now());
    const operator: Operator = { id: input.id.trim(), name: input.name.trim(), role: input.role };
    this.options.db.transaction(() => {
      this.sessions.signIn(operator, at);
      this.options.settings.set('operator', operator);
    })();
    return { operator, signedInAt: at };
  }

  signOut(): { operator: Operator; signedOutAt: string | null } {
    const at = iso(this.options.now());
    const closed = this.options.db.transaction(() => {
      const session = this.sessions.signOut(at);
      this.options.settings.set('operator', this.options.defaultOperator);
      return session;
    })();
    return { operator: this.options.defaultOperator, signedOutAt: closed?.signedOutAt ?? null };
  }

  /** Null when the current operator may use the lead view; else the `forbidden` to answer with. */
  guard(): Result<never> | null {
    const operator = this.options.operator();
    if (mayReviewShifts(operator.role)) return null;
    return fail('forbidden', `当前坐席“${operator.name}”的角色是${ROLE_LABEL[operator.role]}，无权查看班次统计；请以班长身份签到后再打开`);
  }

  mayExportFullPhones(): boolean {
    return mayReviewShifts(this.options.operator().role);
  }

  // ---- Where the view starts --------------------------------------------------------------------

  context(): LeadContext {
    const now = this.options.now();
    const shifts = this.options.shifts.all();
    const current = shiftOfInstant(now, shifts);
    const currentShift = shifts.find((s) => s.code === current.shift.code) ?? shifts[0]!;
    const previous = shiftOfInstant(new Date(shiftWindow(currentShift, current.shiftDate).start.getTime() - 1), shifts);
    const today = centerDate(now);
    const here = { shiftCode: current.shift.code, shiftDate: current.shiftDate };
    const latest = this.repo.hasTickets(here.shiftDate, here.shiftCode) ? here : (this.repo.latestShift() ?? here);
    const since = addCalendarDays(today, -MAX_RANGE_DAYS);
    const operators = this.repo.operatorsSince(since);
    for (const [id, name] of this.sessions.operatorsSince(iso(new Date(now.getTime() - MAX_RANGE_DAYS * 86_400_000)))) {
      if (!operators.has(id)) operators.set(id, name);
    }
    return {
      operator: this.options.operator(),
      shifts: [...shifts],
      today,
      current: here,
      previous: { shiftCode: previous.shift.code, shiftDate: previous.shiftDate },
      suggested: { from: latest.shiftDate, to: latest.shiftDate, shiftCode: latest.shiftCode, operatorIds: [], categoryLevel: 1 },
      operators: [...operators.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.id.localeCompare(b.id)),
      centerAvailable: this.center.available(),
    };
  }

  // ---- The shift log ----------------------------------------------------------------------------

  async shiftLog(scope: LeadScope): Promise<ShiftReport> {
    return this.shiftLogAt(scope, this.options.now());
  }

  private async shiftLogAt(scope: LeadScope, reportAt: Date): Promise<ShiftReport> {
    if (this.center.available()) {
      const center = await this.center.shiftLog(scope, reportAt);
      if (center.ok) return center.value;
    }
    return this.localShiftLog(scope, reportAt);
  }

  localShiftLog(scope: LeadScope, reportAt: Date = this.options.now()): ShiftReport {
    const trendFrom = this.trendFrom(scope);
    // Counted in SQLite as far as counts go: 50,000 tickets never become objects here.
    const tally = this.repo.tally({ ...scope, callbacksSince: callbacksSince(scope.from), reportAtMs: reportAt.getTime() });
    // The trend's days before the scope need only their counts.
    if (trendFrom < scope.from) {
      const earlier = this.repo.dayCounts({ from: trendFrom, to: addCalendarDays(scope.from, -1), shiftCode: scope.shiftCode, operatorIds: scope.operatorIds });
      addEarlierDays(tally, earlier, trendFrom, scope.from);
    }
    return this.report(scope, reportAt, tally, { kind: 'local', partial: true, note: LOCAL_SOURCE_NOTE });
  }

  /** First date of the trend: at least TREND_MIN_DAYS days, ending with the scope. */
  trendFrom(scope: LeadScope): string {
    return [scope.from, addCalendarDays(scope.to, -(TREND_MIN_DAYS - 1))].sort()[0]!;
  }

  /**
   * The report over given rows — the center's from the hub, which carry the trend's earlier days
   * themselves — with the same figures, names and sign-ins as the local one.
   */
  reportFrom(
    scope: LeadScope,
    reportAt: Date,
    tickets: readonly StatTicket[],
    earlierDays: ReadonlyArray<{ date: string; count: number }>,
    source: ShiftReport['source'],
  ): ShiftReport {
    const tally = tallyTickets({ tickets, earlierDays, scope, reportAtMs: reportAt.getTime(), trendFrom: this.trendFrom(scope) });
    return this.report(scope, reportAt, tally, source);
  }

  /** The report over counts made elsewhere (the hub's SQL, electron/services/lead/center-figures.ts), with the same names and sign-ins. */
  reportFromCounts(scope: LeadScope, reportAt: Date, tally: ReportTally, source: ShiftReport['source']): ShiftReport {
    return this.report(scope, reportAt, tally, source);
  }

  private report(scope: LeadScope, reportAt: Date, tally: ReportTally, source: ShiftReport['source']): ShiftReport {
    const shift = scope.shiftCode ? this.options.shifts.get(scope.shiftCode) : null;
    const body = reportFromTally(tally, {
      sessions: this.sessionsFor(scope, shift),
      scope,
      shift,
      trendFrom: this.trendFrom(scope),
      names: this.namer(),
    });
    const window = shift && scope.from === scope.to ? shiftWindow(shift, scope.from) : null;
    return {
      scope,
      scopeLabel: this.scopeLabel(scope, shift, new Map(body.operators.map((o) => [o.operatorId, o.operatorName]))),
      shift,
      window: window ? { start: iso(window.start), end: iso(window.end) } : null,
      generatedAt: iso(reportAt),
      source,
      ...body,
    };
  }

  /** Sign-ins that overlap the scope: the shift's windows on each date, or the whole dates. */
  private sessionsFor(scope: LeadScope, shift: ShiftDefinition | null): StatSession[] {
    const windows = shift
      ? datesBetween(scope.from, scope.to).map((date) => shiftWindow(shift, date))
      : [datesWindow(scope.from, scope.to, this.options.shifts.all())];
    const start = iso(windows[0]!.start);
    const end = iso(windows[windows.length - 1]!.end);
    return this.sessions
      .overlapping(start, end)
      .filter((s) => {
        const from = Date.parse(s.signedInAt);
        const to = s.signedOutAt ? Date.parse(s.signedOutAt) : Number.POSITIVE_INFINITY;
        return windows.some((w) => from < w.end.getTime() && to > w.start.getTime());
      })
      .map((s) => ({ operatorId: s.operatorId, operatorName: s.operatorName, signedInAt: s.signedInAt, signedOutAt: s.signedOutAt }));
  }

  private scopeLabel(scope: LeadScope, shift: ShiftDefinition | null, names: Map<string, string>): string {
    const dates = scope.from === scope.to ? scope.from : `${scope.from} 至 ${scope.to}`;
    const shiftPart = shift ? `${shift.name} ${shift.start}–${shift.end}` : scope.shiftCode ? `班次 ${scope.shiftCode}` : '全部班次';
    // Names of operators chosen but without tickets here come from the wider list (only then).
    const known = scope.operatorIds.some((id) => !names.has(id)) ? this.operatorNames() : new Map<string, string>();
    const who = scope.operatorIds.map((id) => names.get(id) ?? known.get(id) ?? id);
    const operators = who.length === 0 ? '全部坐席' : who.length <= 3 ? who.join('、') : `${who.slice(0, 3).join('、')}等 ${who.length} 人`;
    return `${dates} ${shiftPart} · ${operators}`;
  }

  private operatorNames(): Map<string, string> {
    return this.repo.operatorsSince(addCalendarDays(centerDate(this.options.now()), -MAX_RANGE_DAYS));
  }

  /** Names for codes from the reference data in force, each looked up once per report. */
  namer(): Namer & { unitName(code: string): string } {
    const paths = new Map<string, string[]>();
    const places = new Map<string, string>();
    const units = new Map<string, string>();
    const { catalogue, places: placesRepo, units: unitsRepo } = this.options.reference;
    return {
      unitName(code) {
        let name = units.get(code);
        if (name === undefined) units.set(code, (name = unitsRepo.get(code)?.name ?? code));
        return name;
      },
      categoryPath(code) {
        let path = paths.get(code);
        if (!path) paths.set(code, (path = catalogue.path(code)));
        return path;
      },
      placeName(code) {
        let name = places.get(code);
        if (name === undefined) places.set(code, (name = placesRepo.get(code)?.shortName ?? code));
        return name;
      },
    };
  }

  // ---- Drill-down and export --------------------------------------------------------------------

  private selected(scope: LeadScope, filter: DrillFilter, reportAt: Date) {
    const range = filter.kind === 'day' ? { from: filter.date, to: filter.date } : { from: scope.from, to: scope.to };
    const tickets = this.repo.statTickets({ ...range, shiftCode: scope.shiftCode, operatorIds: scope.operatorIds, callbacksSince: callbacksSince(range.from) });
    const operatorNames = new Map(tickets.map((t) => [t.operatorId, t.operatorName]));
    const chosen = selectDrill(tickets, scope, filter, reportAt.getTime());
    const names = this.namer();
    const title = describeDrill(filter, { ...names, operatorName: (id) => operatorNames.get(id) ?? this.operatorNames().get(id) ?? id });
    return { chosen, title };
  }

  /** One page of this desk's own tickets behind a figure, newest first. */
  drilldown(scope: LeadScope, filter: DrillFilterInput, page = 0): DrillPage {
    const reportAt = this.options.now();
    const { chosen, title } = this.selected(scope, filter, reportAt);
    const names = this.namer();
    const keys = chosen.slice(page * DRILL_PAGE_SIZE, (page + 1) * DRILL_PAGE_SIZE).map((t) => t.id);
    const rows = this.repo.drillSources(keys).map((t) => this.drillRow(t, reportAt, names));
    return { title, total: chosen.length, rows, truncated: false, page, pageSize: DRILL_PAGE_SIZE, source: { kind: 'local', partial: true, note: LOCAL_DRILL_NOTE } };
  }

  /**
   * The tickets behind a figure: while the hub answers, one page of the whole center's
   * (stats.shiftDrill, masked by the hub); otherwise this desk's own, saying so (LOCAL_DRILL_NOTE).
   */
  async drillPage(scope: LeadScope, filter: DrillFilterInput, page = 0): Promise<DrillPage> {
    if (this.center.available() && this.center.drill) {
      const reportAt = this.options.now();
      const answer = await this.center.drill(scope, filter, { reportAt, offset: page * DRILL_PAGE_SIZE, limit: DRILL_PAGE_SIZE, fullPhones: false });
      if (answer.ok) {
        const names = this.namer();
        const rows = answer.value.rows.map((r) => {
          const row = this.drillRow(centerSource(r), reportAt, names);
          // The hub masked the numbers already (masking 139****5678 again would hide its first digits);
          // a unit this desk's reference data does not know keeps the name the taking desk showed.
          return { ...row, callerPhone: r.callerPhone, unitName: row.unitName === r.unitCode && r.unitName ? r.unitName : row.unitName };
        });
        return { title: this.drillTitle(filter), total: answer.value.total ?? 0, rows, truncated: false, page, pageSize: DRILL_PAGE_SIZE, source: { kind: 'center', partial: false, note: CENTER_DRILL_NOTE } };
      }
    }
    return this.drilldown(scope, filter, page);
  }

  private drillTitle(filter: DrillFilterInput): string {
    const names = this.namer();
    return describeDrill(filter, { ...names, operatorName: (id) => this.operatorNames().get(id) ?? id });
  }

  /** Every ticket behind a center-wide figure, page by page from the hub; null when the hub does not answer. */
  private async centerSources(scope: LeadScope, filter: DrillFilterInput, reportAt: Date, fullPhones: boolean): Promise<Result<{ sources: DrillSource[]; masked: boolean }> | null> {
    if (!this.center.available() || !this.center.drill) return null;
    const sources: DrillSource[] = [];
    let masked = true;
    let after: ShiftDrillCursor | null = null;
    for (let first = true; ; first = false) {
      const answer = await this.center.drill(scope, filter, { reportAt, offset: 0, limit: EXPORT_PAGE, fullPhones, after, count: first });
      if (!answer.ok) return first ? null : answer;
      if (first && (answer.value.total ?? 0) > MAX_EXPORT_ROWS) {
        return fail('too_large', `全中心共 ${answer.value.total} 张工单，XLSX 一次最多导出 ${MAX_EXPORT_ROWS} 张；请改用“导出 CSV”（不限行数），或缩小范围`);
      }
      masked = answer.value.masked;
      sources.push(...answer.value.rows.map(centerSource));
      if (!answer.value.next || answer.value.rows.length === 0) break;
      after = answer.value.next;
    }
    return ok({ sources, masked });
  }

  /**
   * A center-wide CSV of any size: the hub's rows behind a figure, page by page by cursor, streamed
   * to a file in the export folder (center-export.ts) with progress as `lead.exportProgress`; the
   * answer comes at once with the job's id. `unavailable` while the hub does not answer (the desk's
   * own tickets export through `export`).
   */
  async startCenterExport(input: { scope: LeadScope; filter: DrillFilterInput; fullPhones?: boolean | undefined }): Promise<Result<{ jobId: string; fileName: string }>> {
    const wantsFull = input.fullPhones === true;
    if (wantsFull && !this.mayExportFullPhones()) return fail('forbidden', '只有班长可以导出完整号码');
    const center = this.center;
    if (!this.exports || !center.available() || !center.drill) return fail('unavailable', '未连接中心：全中心导出需要中心在线；本机工单请用“导出 CSV”');
    const drill = center.drill.bind(center);
    const reportAt = this.options.now();
    const shift = input.scope.shiftCode ? this.options.shifts.get(input.scope.shiftCode) : null;
    const shiftTag = shift?.name ?? (input.scope.shiftCode ? input.scope.shiftCode : '全部班次');
    const dateTag = input.scope.from === input.scope.to ? input.scope.from : `${input.scope.from}至${input.scope.to}`;
    const fileName = `${safeFileName(`工单明细_全中心_${dateTag}_${shiftTag}_${this.drillTitle(input.filter)}`)}.csv`;
    const job = this.exports.create(fileName);
    const jobs = this.exports;
    const names = this.namer();
    const report = (p: Omit<ExportProgress, 'jobId' | 'fileName'>) => this.options.onExportProgress?.({ jobId: job.id, fileName, ...p });
    let masked = !wantsFull;
    let last = { done: 0, total: 0 };
    void streamCenterCsv({
      source: ({ after, limit, count }) => drill(input.scope, input.filter, { reportAt, offset: 0, limit, fullPhones: wantsFull, after, count }),
      headers: TICKET_COLUMNS.map((c) => c.header),
      // The hub masked the numbers (or gave them in full to the 班长 who asked).
      toCells: (r) => this.ticketCells(centerSource(r), reportAt, false, names),
      path: job.path,
      pageSize: EXPORT_PAGE,
      signal: job.abort.signal,
      onProgress: (done, total) => {
        last = { done, total };
        report({ state: 'running', done, total, masked, url: null, message: null });
      },
    }).then((result) => {
      if (result.ok) {
        masked = result.value.masked;
        jobs.finish(job.id, 'done');
        report({ state: 'done', done: result.value.rows, total: result.value.total, masked, url: `exports/${job.id}`, message: null });
      } else {
        const cancelled = result.error.message === EXPORT_CANCELLED;
        jobs.finish(job.id, cancelled ? 'cancelled' : 'failed');
        report({ state: cancelled ? 'cancelled' : 'failed', ...last, masked, url: null, message: result.error.message });
      }
    });
    return ok({ jobId: job.id, fileName });
  }

  cancelExport(jobId: string): { cancelled: boolean } {
    return { cancelled: this.exports?.cancel(jobId) ?? false };
  }

  /** A finished streamed export for the hosts to hand over; null when unknown or unfinished. */
  exportFile(jobId: string): { path: string; fileName: string } | null {
    return this.exports?.file(jobId) ?? null;
  }

  /**
   * 退单 and 督办 on this desk's tickets of the scope (the hub's moves, as pulled): how many tickets
   * had each, and the latest ATTENTION_ROW_LIMIT of them with their latest such event.
   */
  attention(scope: LeadScope): Attention {
    const names = this.namer();
    // The counts need every ticket of the scope; a desk holds at most a quarter's own tickets.
    const all = this.repo.attention(scope, 1_000_000);
    return {
      returned: all.filter((t) => t.returns > 0).length,
      supervised: all.filter((t) => t.supervisions > 0).length,
      rows: all.slice(0, ATTENTION_ROW_LIMIT).map((t) => ({
        id: t.id,
        number: t.number,
        status: t.status,
        categoryPath: t.leafCode ? formatPath(names.categoryPath(t.leafCode)) : '',
        unitName: t.unitCode ? names.unitName(t.unitCode) : null,
        operatorName: t.operatorName,
        returns: t.returns,
        supervisions: t.supervisions,
        last: t.last,
      })),
    };
  }

  private drillRow(t: ReturnType<LeadRepo['drillSources']>[number], reportAt: Date, names: Namer & { unitName(code: string): string }): DrillRow {
    const open = earliestOpenDeadline(t.deadlines);
    const handling = (Date.parse(t.submittedAt) - Date.parse(t.callStartedAt)) / 1000;
    const content = [...t.content.replace(/\s+/g, ' ').trim()];
    return {
      id: t.id,
      number: t.number,
      submittedAt: t.submittedAt,
      shiftDate: t.shiftDate,
      shiftName: this.options.shifts.get(t.shiftCode)?.name ?? t.shiftCode,
      operatorId: t.operatorId,
      operatorName: t.operatorName,
      callerName: t.callerName,
      callerPhone: maskPhone(t.callerPhone),
      requestType: t.requestType,
      categoryPath: t.leafCode ? formatPath(names.categoryPath(t.leafCode)) : '',
      place: [t.districtCode, t.streetCode].filter((c): c is string => !!c).map((c) => names.placeName(c)).join(''),
      disposition: t.disposition,
      unitName: t.unitCode ? names.unitName(t.unitCode) : null,
      status: t.status,
      handlingSeconds: handling >= 0 ? Math.round(handling) : null,
      nextDue: open ? { label: open.label, dueAt: open.dueAt, overdue: Date.parse(open.dueAt) < reportAt.getTime() } : null,
      callback: t.callbackNote ?? (t.status === '已回访' ? '已回访（结果未同步到本机）' : null),
      contentPreview: maskPhonesIn(content.length > PREVIEW_CHARS ? `${content.slice(0, PREVIEW_CHARS).join('')}…` : content.join('')),
    };
  }

  async export(input: {
    scope: LeadScope;
    table: 'operators' | 'tickets';
    filter?: DrillFilterInput | undefined;
    format: 'csv' | 'xlsx';
    fullPhones?: boolean | undefined;
  }): Promise<Result<ExportFile>> {
    const wantsFull = input.fullPhones === true;
    if (wantsFull && !this.mayExportFullPhones()) return fail('forbidden', '只有班长可以导出完整号码');
    const reportAt = this.options.now();
    // The center's figures while the hub answers (stats.shiftTally), as the screen shows them.
    const report = await this.shiftLogAt(input.scope, reportAt);
    const shiftTag = report.shift?.name ?? (input.scope.shiftCode ? input.scope.shiftCode : '全部班次');
    const dateTag = input.scope.from === input.scope.to ? input.scope.from : `${input.scope.from}至${input.scope.to}`;
    let table: Table;
    let title: string;
    let baseName: string;
    let sourceNote = report.source.note;
    if (input.table === 'operators') {
      table = this.operatorsTable(report);
      title = `班次日志 ${report.scopeLabel}`;
      baseName = `班次日志_${dateTag}_${shiftTag}`;
    } else {
      const filter = input.filter ?? { kind: 'all' as const };
      const center = await this.centerSources(input.scope, filter, reportAt, wantsFull);
      let drillTitle: string;
      if (center && !center.ok) return center;
      if (center) {
        // The hub masked them (or gave them in full to the 班长 who asked).
        drillTitle = this.drillTitle(filter);
        table = this.ticketsTable(center.value.sources, reportAt, false);
        sourceNote = `${CENTER_DRILL_NOTE}，共 ${center.value.sources.length} 张`;
      } else {
        const local = this.selected(input.scope, filter, reportAt);
        drillTitle = local.title;
        if (local.chosen.length > MAX_EXPORT_ROWS) {
          return fail('too_large', `共 ${local.chosen.length} 张工单，超过一次导出的上限 ${MAX_EXPORT_ROWS} 张，请缩小范围`);
        }
        table = this.ticketsTable(this.repo.drillSources(local.chosen.map((t) => t.id)), reportAt, !wantsFull);
        sourceNote = LOCAL_SOURCE_NOTE;
      }
      title = `工单明细 ${report.scopeLabel} · ${drillTitle}`;
      baseName = `工单明细_${dateTag}_${shiftTag}_${drillTitle}`;
    }
    const notes: Array<[string, string]> = [
      ['统计范围', report.scopeLabel],
      ['统计时刻', centerDateTime(report.generatedAt)],
      ['数据来源', sourceNote],
      ['行数', String(table.rows.length)],
      ['号码', input.table === 'operators' ? '本表不含号码' : wantsFull ? `完整号码（${this.options.operator().name} 导出）` : '已脱敏（如 139****5678）'],
      ...Object.entries(FIGURE_NOTES),
    ];
    const content = input.format === 'csv' ? toCsv(table) : await toXlsx(table, { title, notes });
    return ok({
      fileName: `${safeFileName(baseName)}.${input.format}`,
      mimeType: input.format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      contentBase64: content.toString('base64'),
      rows: table.rows.length,
      masked: !wantsFull,
    });
  }

  private operatorsTable(report: ShiftReport): Table {
    const figures = (f: Figures): Cell[] => FIGURE_COLUMNS.map(([, cell]) => cell(f));
    const rows: Cell[][] = report.operators.map((o) => {
      const first = o.sessions[0]?.signedInAt ?? null;
      const last = o.sessions[o.sessions.length - 1];
      const out = last ? (last.signedOutAt ? centerDateTime(last.signedOutAt) : '未签退') : null;
      return [operatorIdLabel(o.operatorId), o.operatorName, first ? centerDateTime(first) : null, out, ...figures(o)];
    });
    rows.push(['合计', `${report.operators.length} 人`, null, null, ...figures(report.totals)]);
    return {
      sheet: '班次日志',
      columns: [
        { header: '工号', width: 10 },
        { header: '姓名', width: 10 },
        { header: '签到时间', width: 20 },
        { header: '签退时间', width: 20 },
        ...FIGURE_COLUMNS.map(([header]) => ({ header })),
      ],
      rows,
    };
  }

  /** One ticket's cells in the columns of TICKET_COLUMNS (the XLSX table and the streamed CSV alike). */
  private ticketCells(t: DrillSource, reportAt: Date, masked: boolean, names: Namer & { unitName(code: string): string }): Cell[] {
    const phone = (p: string) => (masked ? maskPhone(p) : p);
    const row = this.drillRow(t, reportAt, names);
    const place = (code: string | null) => (code ? names.placeName(code) : null);
    return [
      t.number,
      centerDateTime(t.submittedAt),
      t.shiftDate,
      row.shiftName,
      t.operatorId,
      t.operatorName,
      t.callerName,
      phone(t.callerPhone),
      phone(t.callbackPhone),
      t.requestType,
      row.categoryPath || null,
      place(t.districtCode),
      place(t.streetCode),
      place(t.villageCode),
      masked ? maskPhonesIn(t.addressText) : t.addressText,
      t.disposition,
      row.unitName,
      t.status,
      row.handlingSeconds,
      row.nextDue?.label ?? null,
      row.nextDue ? centerDateTime(row.nextDue.dueAt) : null,
      row.nextDue ? (row.nextDue.overdue ? '是' : '否') : null,
      row.callback,
      masked ? maskPhonesIn(t.content) : t.content,
    ];
  }

  private ticketsTable(sources: ReturnType<LeadRepo['drillSources']>, reportAt: Date, masked: boolean): Table {
    const names = this.namer();
    return { sheet: '工单明细', columns: TICKET_COLUMNS.map((c) => ({ ...c })), rows: sources.map((t) => this.ticketCells(t, reportAt, masked, names)) };
  }
}

