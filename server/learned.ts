/**
 * The learned category suggester at the hub (issue 17 items 1–2; docs/decisions/0004-learned-suggester.md):
 * trained on the center's own tickets, kept as versions and published to desks like reference data.
 *
 * What it learns from — each ticket's final leaf (tickets.leaf_code as it stands now):
 * - The hub records no reclassification yet: no move (forward, return, redispatch) carries a new
 *   leaf, so the final leaf is the one the desk pushed. When a correction is recorded it will be in
 *   tickets.leaf_code, and training takes it as it finds it.
 * - A ticket waiting for a decision is left out: returned and not yet re-dispatched (已退单), or
 *   flagged 不合理诉求 and not yet reviewed (待审核) — its leaf may still change. A returned ticket
 *   teaches once it is dispatched again.
 * - An approved 不合理诉求 (tickets.unreasonable_at, server/requests.ts) is no evidence for any leaf.
 * - Test and demonstration data: the hub has no mark on a ticket for it (npm run hub:sim moves
 *   tickets desks pushed; a demo desk's tickets are ordinary pushes), so the desks that make them are
 *   named: `excludeDesks` (HOTLINE_HUB_TRAIN_EXCLUDE_DESKS, comma-separated desk ids).
 *
 * Training runs in a worker thread (server/train-worker.ts); the hub reads the tickets a page at a
 * time and posts them there, so neither the CPU work nor a million rows in memory hold up requests.
 * Only one training runs at a time across every hub process on the database: a lease row
 * (learned_model_lease) taken atomically, freed when done and expiring by itself after
 * LEASE_MINUTES should a process die mid-way (PGlite holds one connection, so a session advisory
 * lock held for a minute of training would block every other statement).
 *
 * A version is the sha256 of the model file; every version is kept (learned_models) and
 * learned_model_current names the one in force. `model.pull {have}` returns it only to a desk
 * that does not have it.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { centerDate, centerMinutesOfDay } from '../shared/time';
import { fail, ok, type Result } from '../shared/result';
import type { Database, Sql } from './db';
import { contentVersion } from './reference';

/** The model file may be at most this large (issue 17 item 2). */
export const MAX_MODEL_BYTES = 20 * 1024 * 1024;
export const LEASE_MINUTES = 30;
const PAGE = 5_000;

export interface TrainingOptions {
  /** Desks whose tickets are test or demonstration data. */
  excludeDesks: readonly string[];
}

export interface TrainReport {
  version: string;
  trainedAt: string;
  rows: number;
  labels: number;
  bytes: number;
  trainMs: number;
}

/** The tickets training reads, as SQL over $1 (id to start after), $2 (excluded desks), $3 (page size). */
const ELIGIBLE = `
  SELECT id::text AS id, content, leaf_code FROM tickets
   WHERE leaf_code IS NOT NULL
     AND unreasonable_at IS NULL
     AND status NOT IN ('已退单', '待审核')
     AND NOT (desk_id = ANY($2::text[]))
     AND id > $1::uuid
   ORDER BY id
   LIMIT $3`;

/** The worker: from source (tests, tsx) through tsx's loader; in the bundle, dist/hub/train-worker.mjs beside main.mjs. */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = new URL('./train-worker.ts', here).href;
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, { eval: true });
  }
  return new Worker(new URL('./train-worker.mjs', here));
}

async function takeLease(db: Sql, holder: string, now: Date): Promise<boolean> {
  const rows = await db.query<{ holder: string }>(
    `INSERT INTO learned_model_lease (id, holder, until) VALUES (true, $1, $2)
     ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until WHERE learned_model_lease.until < $3
     RETURNING holder`,
    [holder, new Date(now.getTime() + LEASE_MINUTES * 60_000).toISOString(), now.toISOString()],
  );
  return rows.length === 1;
}

/** Trains on the center's tickets in a worker thread and makes the model the current version. */
export async function trainAndPublish(db: Database, options: TrainingOptions & { now: () => Date; by: string }): Promise<Result<TrainReport>> {
  const holder = randomUUID();
  if (!(await takeLease(db, holder, options.now()))) return fail('conflict', '另一个中心进程正在训练分类模型，请稍后再试');
  const worker = startWorker();
  try {
    const started = Date.now();
    const built = new Promise<{ content: string; labels: number; rows: number }>((resolve, reject) => {
      worker.on('message', (m: { content?: string; labels: number; rows: number; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m as { content: string; labels: number; rows: number })));
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`训练进程意外退出（${code}）`)));
    });
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await db.query<{ id: string; content: string; leaf_code: string }>(ELIGIBLE, [after, [...options.excludeDesks], PAGE]);
      if (page.length === 0) break;
      worker.postMessage({ rows: page.map((r) => [r.content, r.leaf_code]) });
      after = page.at(-1)!.id;
      if (page.length < PAGE) break;
    }
    worker.postMessage({ build: true });
    const model = await built;
    const trainMs = Date.now() - started;
    if (model.labels < 2) return fail('rejected', `可用于训练的工单只涉及 ${model.labels} 个分类（共 ${model.rows} 张），至少需要两个分类；模型未更新`);
    const bytes = Buffer.byteLength(model.content, 'utf8');
    if (bytes > MAX_MODEL_BYTES) return fail('too_large', `模型文件 ${(bytes / 1048576).toFixed(1)} MB，超过 20 MB；模型未更新`);
    const version = contentVersion(model.content);
    const trainedAt = options.now().toISOString();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO learned_models (version, content, trained_at, trained_by, rows, labels, train_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version) DO NOTHING`,
        [version, model.content, trainedAt, options.by, model.rows, model.labels, trainMs],
      );
      await tx.query(`INSERT INTO learned_model_current (id, version) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version`, [version]);
    });
    return ok({ version, trainedAt, rows: model.rows, labels: model.labels, bytes, trainMs });
  } finally {
    await worker.terminate();
    await db.query(`DELETE FROM learned_model_lease WHERE holder = $1`, [holder]);
  }
}

export interface PulledModel {
  version: string;
  trainedAt: string;
  rows: number;
  labels: number;
  content: string;
}

/** The version in force, unless the desk already has it. */
export async function pullModel(db: Sql, have: string | null): Promise<{ model: PulledModel | null }> {
  const rows = await db.query<{ version: string; trained_at: Date | string; rows: number; labels: number; content: string }>(
    `SELECT m.version, m.trained_at, m.rows, m.labels, m.content
       FROM learned_model_current c JOIN learned_models m ON m.version = c.version
      WHERE c.version IS DISTINCT FROM $1`,
    [have],
  );
  const r = rows[0];
  return { model: r ? { version: r.version, trainedAt: new Date(r.trained_at).toISOString(), rows: r.rows, labels: r.labels, content: r.content } : null };
}

/** "HH:MM" (center time) → minutes of the day; null for off/none/empty. */
export function parseTrainAt(text: string | undefined): number | null | 'invalid' {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '' || t === 'off' || t === 'none') return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return 'invalid';
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Whether the nightly training is due at `now`: past today's time (center time) and the model in
 * force (if any) was trained before it.
 */
export async function trainingDue(db: Sql, atMinutes: number, now: Date): Promise<boolean> {
  if (centerMinutesOfDay(now) < atMinutes) return false;
  const today = centerDate(now);
  const hh = String(Math.floor(atMinutes / 60)).padStart(2, '0');
  const mm = String(atMinutes % 60).padStart(2, '0');
  const scheduled = new Date(`${today}T${hh}:${mm}:00+08:00`);
  const rows = await db.query<{ trained_at: Date | string }>(
    `SELECT m.trained_at FROM learned_model_current c JOIN learned_models m ON m.version = c.version`,
  );
  return rows.length === 0 || new Date(rows[0]!.trained_at).getTime() < scheduled.getTime();
}

/** The nightly training: looks every minute whether it is due; one hub process trains (the lease). Returns a stop function. */
export function scheduleTraining(db: Database, options: TrainingOptions & { atMinutes: number; now: () => Date; log: (line: string) => void }): () => void {
  let running = false;
  // One attempt a day: a center with too little data is not retried (and logged) every minute.
  let triedOn: string | null = null;
  const timer = setInterval(() => {
    if (running || triedOn === centerDate(options.now())) return;
    running = true;
    trainingDue(db, options.atMinutes, options.now())
      .then(async (due) => {
        if (!due) return;
        triedOn = centerDate(options.now());
        const result = await trainAndPublish(db, { ...options, by: '定时训练' });
        if (result.ok) options.log(`分类模型已训练：${result.value.rows} 张工单，${result.value.labels} 个分类，${(result.value.bytes / 1048576).toFixed(1)} MB，用时 ${(result.value.trainMs / 1000).toFixed(1)} 秒`);
        else if (result.error.kind !== 'conflict') options.log(`分类模型训练未完成：${result.error.message}`);
      })
      .catch((error: unknown) => options.log(`分类模型训练失败：${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (running = false));
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
