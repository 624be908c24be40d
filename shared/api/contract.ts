/**
 * The one API contract. Every call is named once here with its input and output schema.
 * - `deskCalls` are what the renderer asks of the desk's main side (Electron IPC or the browser host).
 * - `deskEvents` are what the desk's main side pushes to every open window.
 * Transports and the hub are generated from or checked against these maps; nothing else names a call.
 */
import { z } from 'zod';

// Validation messages are read by call-takers and operators: Chinese everywhere.
z.config(z.locales.zhCN());

export interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
  /** Plain-language purpose, shown in error messages and docs. */
  doc: string;
}
export type CallMap = Record<string, CallSpec>;

const empty = z.object({}).strict();

export const RunMode = z.enum(['electron', 'browser-host']);
export type RunMode = z.infer<typeof RunMode>;

export const Operator = z.object({ id: z.string(), name: z.string(), role: z.enum(['call_taker', 'team_lead', 'admin']) });
export type Operator = z.infer<typeof Operator>;

export const ShiftNow = z.object({ code: z.string(), name: z.string(), start: z.string(), end: z.string() });
export type ShiftNow = z.infer<typeof ShiftNow>;

export const AppInfo = z.object({
  productName: z.string(),
  version: z.string(),
  mode: RunMode,
  platform: z.string(),
  startedAt: z.string(),
  dataDir: z.string(),
  operator: Operator,
  shift: ShiftNow,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const HealthCheck = z.object({ ok: z.boolean(), message: z.string() });
export const AppHealth = z.object({
  dataDir: z.object({ path: z.string(), writable: z.boolean(), freeBytes: z.number().nullable(), check: HealthCheck }),
  database: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    sizeBytes: z.number().int(),
    journalMode: z.string(),
    check: HealthCheck,
  }),
  hub: z.object({ configured: z.boolean(), url: z.string().nullable(), online: z.boolean(), check: HealthCheck }),
});
export type AppHealth = z.infer<typeof AppHealth>;

export const SecondScreenResult = z.object({
  /** Electron opened the window itself; the browser host tells the page which URL to open. */
  opened: z.boolean(),
  url: z.string().nullable(),
});

export const deskCalls = {
  'app.info': { input: empty, output: AppInfo, doc: '应用版本、运行方式、数据目录、当前坐席与班次' },
  'app.health': { input: empty, output: AppHealth, doc: '数据目录、本地数据库与中心连接的健康状况' },
  'window.openSecondScreen': { input: empty, output: SecondScreenResult, doc: '在副屏打开辅助窗口' },
} as const satisfies CallMap;

export type DeskCalls = typeof deskCalls;

export const deskEvents = {
  'app.health': AppHealth,
} as const satisfies Record<string, z.ZodType>;
export type DeskEvents = typeof deskEvents;
export type DeskEventName = keyof DeskEvents;
export type DeskEvent = { [N in DeskEventName]: { name: N; payload: z.output<DeskEvents[N]> } }[DeskEventName];

export type CallName<C extends CallMap> = Extract<keyof C, string>;
export type CallInput<C extends CallMap, N extends keyof C> = z.input<C[N]['input']>;
export type CallInputParsed<C extends CallMap, N extends keyof C> = z.output<C[N]['input']>;
export type CallOutput<C extends CallMap, N extends keyof C> = z.output<C[N]['output']>;

/** What travels on the wire for one call, on every transport. */
export const CallMessage = z.object({ name: z.string().min(1).max(100), input: z.unknown() }).strict();
export type CallMessage = z.infer<typeof CallMessage>;
