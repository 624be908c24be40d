/**
 * The desk's services, assembled once per process and shared by both transports
 * (Electron IPC in electron/main, HTTP/WebSocket in electron/host). Plain Node, no Electron.
 * The calls are answered by one handler file per area (./handlers/), composed here.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { deskCalls, type AppHealth, type DeskEvent, type Operator, type ReferenceStatus, type RunMode } from '../../shared/api/contract';
import type { Handlers } from '../../shared/api/dispatch';
import { createHubClient } from '../../shared/api/hub-client';
import { describeError } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import { appHandlers } from './handlers/app';
import type { CallContext, DeskContext } from './handlers/context';
import { draftHandlers } from './handlers/drafts';
import { leadHandlers } from './handlers/lead';
import { referenceHandlers } from './handlers/reference';
import { ticketHandlers } from './handlers/tickets';
import { loadLandmarks } from './reference/landmarks-file';
import { ReferenceData } from './reference/reference-data';
import { LearnedModelFile } from './reference/learned-model-file';
import { checkDataDir, ensureDataDir } from './data-dir';
import { databaseNotice, databaseSize, openDatabase, type Db } from './store/database';
import { MIGRATIONS } from './store/migrations';
import { SettingsRepo } from './store/settings-repo';
import { loadSlaPolicy, slaPolicyPath } from './tickets/policy-file';
import { TicketService } from './tickets/ticket-service';
import { OutboxRepo } from './tickets/outbox-repo';
import { TicketsRepo } from './tickets/tickets-repo';
import { SyncClient } from './sync/sync-client';
import { redispatchHandlers } from './handlers/redispatch';
import { webIntakeHandlers } from './handlers/web-intake';
import { lookupHandlers } from './handlers/lookup';
import { callbackHandlers } from './handlers/callbacks';
import { hubCenterFigures } from './lead/center-figures';
import { FIRST_LEAD_FILE, LeadCredentials } from './lead/lead-credentials';
import { LeadService } from './lead/lead-service';
import { ShiftSettings } from './lead/shift-settings';
import { DUTY_OPERATOR } from '../../shared/roles';

export interface DeskOptions {
  dataDir: string;
  mode: RunMode;
  version: string;
  /** Folder with the bundled reference data (resources/ in the repo, resources/data when packaged). */
  resourcesDir: string;
  /** Path of an Electron-ABI better-sqlite3 addon; unset under plain Node. */
  nativeBinding?: string | undefined;
  /** The hub this desk syncs with; none: tickets stay on this machine (本机模式). */
  hubUrl?: string | null;
  /** The desk's account at the hub. */
  hubCredentials?: { username: string; password: string } | null;
  /** A hub is being started beside the desk: the desk opens at once and `connectHub` follows. */
  hubStarting?: boolean;
  /** Sync timing, for tests: backoff and how often to pull when idle. */
  syncTiming?: { pullEveryMs?: number; backoff?: { minMs: number; maxMs: number }; batchSize?: number };
  /** False: no background sync loop (tests drive `desk.sync.syncOnce()` themselves). */
  syncAutoStart?: boolean;
  /** The fetch the sync client uses (tests put a faulty network in between). */
  hubFetch?: typeof fetch;
  now?: () => Date;
  /** How the transport opens the side window; the browser host answers with a URL instead. */
  openSecondScreen: () => { opened: boolean; url: string | null };
}

export interface Desk {
  handlers: Handlers<typeof deskCalls, CallContext>;
  db: Db;
  reference: ReferenceData;
  tickets: TicketService;
  /** Null in 本机模式 (no hub configured), and until `connectHub` for a hub still starting. */
  readonly sync: SyncClient | null;
  /**
   * The hub that was still starting when the desk opened (options.hubStarting), or why there is
   * none after all: from here on the desk syncs with it, or stays in 本机模式 saying why.
   */
  connectHub(hub: { hubUrl: string | null; hubCredentials: { username: string; password: string } | null; note: string }): void;
  /** Settles when the bundled reference data is loaded (or failed to load). */
  ready: Promise<ReferenceStatus>;
  /** Non-null when a damaged database was moved aside at start-up. */
  recoveredFrom: string | null;
  subscribe(listener: (event: DeskEvent) => void): () => void;
  /** A finished streamed export (lead.exportStart) by its id, for the hosts to hand over at exports/<id>; null otherwise. */
  exportFile(jobId: string): { path: string; fileName: string } | null;
  close(): void;
}

const DEFAULT_OPERATOR: Operator = { ...DUTY_OPERATOR, role: 'call_taker' };

export function openDesk(options: DeskOptions): Result<Desk> {
  const now = options.now ?? (() => new Date());
  try {
    ensureDataDir(options.dataDir);
  } catch (error) {
    return fail('unavailable', `无法创建数据目录 ${options.dataDir}：${describeError(error)}`);
  }
  const opened = openDatabase({
    path: join(options.dataDir, 'desk.sqlite'),
    migrations: MIGRATIONS,
    nativeBinding: options.nativeBinding,
    now,
  });
  if (!opened.ok) return opened;
  const { db, path: dbPath, schemaVersion } = opened.value;
  const settings = new SettingsRepo(db, now);
  const startedAt = now().toISOString();
  const listeners = new Set<(event: DeskEvent) => void>();
  const emit = (event: DeskEvent) => {
    for (const listener of listeners) listener(event);
  };
  const reference = new ReferenceData(db, now);
  // The landmark gazetteer goes to the renderer with the places; without it addresses still resolve.
  const { landmarks, problems: landmarkProblems } = loadLandmarks(options.resourcesDir);
  for (const problem of landmarkProblems) console.warn(problem);
  let status: ReferenceStatus = { state: 'loading', message: '正在载入基础数据…', versions: reference.versions.all() };
  const setStatus = (next: ReferenceStatus) => {
    status = next;
    emit({ name: 'reference.status', payload: next });
  };
  const ready = reference
    .loadBundled(options.resourcesDir, (message) => setStatus({ ...status, message }))
    .then((loaded) => {
      const versions = reference.versions.all();
      setStatus(
        loaded.ok
          ? { state: 'ready', message: '基础数据已就绪', versions }
          : { state: 'failed', message: loaded.error.message, versions },
      );
      return status;
    })
    .catch((error: unknown) => {
      setStatus({ state: 'failed', message: `基础数据载入失败：${describeError(error)}`, versions: reference.versions.all() });
      return status;
    });
  const context: DeskContext = {
    now,
    emit,
    ready,
    async whenReady(read) {
      await ready;
      return read();
    },
  };

  const operator = (): Operator => settings.get<Operator>('operator', DEFAULT_OPERATOR);
  // Read once per run; a bad file refuses only the tickets that need deadlines (see policy-file.ts).
  // Shift definitions are the center's data (班次设置), read as each ticket is stamped.
  const shifts = new ShiftSettings(settings);
  const tickets = new TicketService({ db, reference, policy: loadSlaPolicy(slaPolicyPath(options.resourcesDir)), operator, now, shifts: () => shifts.all() });
  // Center-wide figures come from the hub while connected (the sync client is made further down).
  const leadCredentials = new LeadCredentials({
    settings,
    now,
    hubUrl: () => hubUrl,
    hubFetch: options.hubFetch,
    // A lead checked at the hub keeps that session: their tickets are pushed with it (verified).
    keepHubSession: (operatorId, token) => sync?.adoptOperatorSession(operatorId, token) ?? false,
  });
  leadCredentials.bootstrap(join(options.dataDir, FIRST_LEAD_FILE));
  const lead: LeadService = new LeadService({
    db,
    reference,
    settings,
    shifts,
    operator,
    defaultOperator: DEFAULT_OPERATOR,
    now,
    center: hubCenterFigures(() => sync, () => lead),
    credentials: leadCredentials,
    hubSessions: () => sync,
    // Streamed center-wide exports (center-export.ts), served by the hosts at exports/<id>.
    exportDir: join(options.dataDir, 'exports'),
    onExportProgress: (progress) => emit({ name: 'lead.exportProgress', payload: progress }),
  });

  // ---- Sync with the hub (none configured: 本机模式, tickets wait in the outbox) -------------------
  const outbox = new OutboxRepo(db);
  const learnedModel = new LearnedModelFile(options.dataDir);
  const savedDeskId = settings.get<string | null>('desk.id', null);
  const deskId = savedDeskId ?? randomUUID();
  if (!savedDeskId) settings.set('desk.id', deskId);
  let hubUrl = options.hubUrl ?? null;
  let hubStarting = options.hubStarting === true;
  /** Why there is no hub, when a hub beside the desk could not start. */
  let localNote: string | null = null;
  let closed = false;
  const syncWith = (url: string, credentials: { username: string; password: string }) =>
    new SyncClient({
      db,
      hub: createHubClient({ url, ...(options.hubFetch ? { fetch: options.hubFetch } : {}) }),
      // Call-takers and leads who sign in with their own hub account push with their own session.
      operatorClient: () => createHubClient({ url, ...(options.hubFetch ? { fetch: options.hubFetch } : {}) }),
      tickets: new TicketsRepo(db),
      outbox,
      reference,
      learnedModel,
      settings,
      credentials,
      deskId,
      now,
      ...(options.syncTiming ?? {}),
      onTickets: (ids) => ticketsChanged(ids),
      onState: () => emit({ name: 'app.health', payload: health() }),
      onReference: () => setStatus({ state: 'ready', message: '已从中心更新基础数据', versions: reference.versions.all() }),
    });
  let sync: SyncClient | null = hubUrl && options.hubCredentials ? syncWith(hubUrl, options.hubCredentials) : null;
  const hubHealth = (): AppHealth['hub'] => {
    if (hubStarting) return { configured: true, starting: true, url: null, online: false, check: { ok: true, message: '正在启动本机中心…' } };
    if (!hubUrl) return { configured: false, starting: false, url: null, online: false, check: { ok: localNote === null, message: localNote ?? '未配置中心，工单保存在本机' } };
    if (!sync) return { configured: true, starting: false, url: hubUrl, online: false, check: { ok: false, message: '未配置本坐席在中心的账号' } };
    const state = sync.status();
    if (state.online) return { configured: true, starting: false, url: hubUrl, online: true, check: { ok: true, message: '已连接' } };
    return { configured: true, starting: false, url: hubUrl, online: false, check: { ok: false, message: state.lastError ?? '正在连接中心…' } };
  };

  const health = (): AppHealth => {
    const dir = checkDataDir(options.dataDir);
    const journalMode = String(db.pragma('journal_mode', { simple: true }));
    return {
      dataDir: dir,
      database: {
        path: dbPath,
        schemaVersion,
        sizeBytes: databaseSize(dbPath),
        journalMode,
        check: databaseNotice(opened.value),
      },
      hub: hubHealth(),
      sync: {
        pending: tickets.pendingSyncCount(),
        refused: outbox.refusedCount(),
        state: sync ? sync.status().state : 'local',
        progress: sync?.status().progress ?? null,
        lastSyncAt: sync?.status().lastSyncAt ?? null,
        lastError: sync?.status().lastError ?? null,
      },
    };
  };
  /** After a ticket write has committed: lists refresh, and the status bar's 待同步 count with them. */
  function ticketsChanged(ids: string[]) {
    emit({ name: 'tickets.changed', payload: { ids } });
    emit({ name: 'app.health', payload: health() });
  }

  const handlers: Desk['handlers'] = {
    // Per-operator hub accounts for call-takers (server/desk-access.ts) when the center says so: HOTLINE_OPERATOR_ACCOUNTS=1.
    ...appHandlers(context, { options, startedAt, operator, shifts, health, operatorAccounts: () => sync !== null && process.env.HOTLINE_OPERATOR_ACCOUNTS === '1' }),
    ...referenceHandlers(context, { reference, landmarks, status: () => status, setStatus, operator, learnedModel }),
    ...ticketHandlers(context, { tickets, ticketsChanged, nudgeSync: () => sync?.nudge() }),
    ...draftHandlers(tickets),
    ...leadHandlers(context, lead, shifts),
    ...redispatchHandlers(context, { sync: () => sync, reference, tickets, operator }),
    ...webIntakeHandlers(context, { sync: () => sync }),
    ...lookupHandlers(context, { sync: () => sync, tickets, reference, deskId, operatorName: () => operator().name, now, ticketsChanged }),
    ...callbackHandlers(context, {
      sync: () => sync,
      tickets,
      operatorName: () => operator().name,
      now,
      ticketsChanged,
      unitName: (code) => (code ? (reference.units.get(code)?.name ?? code) : null),
    }),
  };

  // Reference data first: a pull may replace a version while the bundled load is still writing.
  const startSync = (client: SyncClient) => {
    if (options.syncAutoStart !== false) void ready.then(() => !closed && client.start());
  };
  if (sync) startSync(sync);

  return ok({
    handlers,
    db,
    reference,
    tickets,
    get sync() {
      return sync;
    },
    connectHub(hub) {
      if (closed || sync) return;
      hubStarting = false;
      hubUrl = hub.hubUrl;
      if (hub.hubUrl && hub.hubCredentials) startSync((sync = syncWith(hub.hubUrl, hub.hubCredentials)));
      else localNote = hub.note;
      emit({ name: 'app.health', payload: health() });
    },
    ready,
    recoveredFrom: opened.value.movedAsideTo,
    subscribe(listener: (event: DeskEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exportFile: (jobId: string) => lead.exportFile(jobId),
    close() {
      closed = true;
      sync?.stop();
      listeners.clear();
      // A bundled load still running finishes against a closed handle harmlessly; wait for it first when possible.
      if (db.open) db.close();
    },
  });
}
