/**
 * The learned model as a JSON file (what `npm run suggest:train` writes and a desk loads): the
 * typed arrays of shared/learn/model.ts as base64, so loading is one JSON.parse and a decode per
 * array — no per-entry objects. Pure TypeScript (no Buffer, no atob): the renderer loads it too.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import type { LearnedModel } from './model';

export const MODEL_FORMAT = 'hotline-learned-suggester';
export const MODEL_VERSION = 1;

const fileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  kind: z.enum(['complement-nb', 'multinomial-nb']),
  features: z.object({ buckets: z.number().int().positive(), maxN: z.number().int().min(1).max(4), words: z.boolean().optional() }),
  labels: z.array(z.string()),
  trained: z.number().int().nonnegative(),
  scale: z.number().positive(),
  temperature: z.number().positive(),
  prior: z.array(z.number()),
  perFeature: z.array(z.number()),
  rowStart: z.string(),
  labelBits: z.union([z.literal(16), z.literal(32)]),
  rowLabel: z.string(),
  rowWeight: z.string(),
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    const codes: number[] = [];
    for (let i = start; i < end; i += 3) {
      const a = bytes[i]!;
      const b = i + 1 < end ? bytes[i + 1]! : 0;
      const c = i + 2 < end ? bytes[i + 2]! : 0;
      codes.push(ALPHABET.charCodeAt(a >> 2), ALPHABET.charCodeAt(((a & 3) << 4) | (b >> 4)));
      codes.push(i + 1 < end ? ALPHABET.charCodeAt(((b & 15) << 2) | (c >> 6)) : 61, i + 2 < end ? ALPHABET.charCodeAt(c & 63) : 61);
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

export function fromBase64(text: string): Uint8Array {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 61) length--;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  for (let i = 0; i < length; i += 4) {
    const a = DECODE[text.charCodeAt(i)]!;
    const b = DECODE[text.charCodeAt(i + 1)]!;
    const c = i + 2 < length ? DECODE[text.charCodeAt(i + 2)]! : 0;
    const d = i + 3 < length ? DECODE[text.charCodeAt(i + 3)]! : 0;
    out[o++] = (a << 2) | (b >> 4);
    if (o < out.length) out[o++] = ((b & 15) << 4) | (c >> 2);
    if (o < out.length) out[o++] = ((c & 3) << 6) | d;
  }
  return out;
}

/** Little-endian bytes of a Uint32Array (the platforms the desk runs on are all little-endian). */
const bytesOf = (a: Uint32Array | Uint16Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const u32 = (bytes: Uint8Array) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
const u16 = (bytes: Uint8Array) => new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);

export function serializeModel(model: LearnedModel): string {
  return JSON.stringify({
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    kind: model.kind,
    features: model.features,
    labels: model.labels,
    trained: model.trained,
    scale: model.scale,
    temperature: model.temperature,
    prior: Array.from(model.prior),
    perFeature: Array.from(model.perFeature),
    rowStart: toBase64(bytesOf(model.rowStart)),
    labelBits: model.rowLabel instanceof Uint16Array ? 16 : 32,
    rowLabel: toBase64(bytesOf(model.rowLabel)),
    rowWeight: toBase64(model.rowWeight),
  });
}

export function loadModel(json: string): Result<LearnedModel> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return fail('rejected', '模型文件不是有效的 JSON');
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) return fail('rejected', '模型文件格式不对或版本不支持');
  const f = parsed.data;
  const rowStart = u32(fromBase64(f.rowStart));
  const rowLabel = f.labelBits === 16 ? u16(fromBase64(f.rowLabel)) : u32(fromBase64(f.rowLabel));
  const rowWeight = fromBase64(f.rowWeight);
  const C = f.labels.length;
  if (
    rowStart.length !== f.features.buckets + 1 ||
    rowLabel.length !== rowWeight.length ||
    rowStart[f.features.buckets] !== rowLabel.length ||
    f.prior.length !== C ||
    f.perFeature.length !== C ||
    (f.features.buckets & (f.features.buckets - 1)) !== 0
  ) {
    return fail('rejected', '模型文件已损坏（数组长度不一致）');
  }
  for (let i = 0; i < rowLabel.length; i++) if (rowLabel[i]! >= C) return fail('rejected', '模型文件已损坏（分类编号越界）');
  return ok({
    kind: f.kind,
    features: f.features,
    labels: f.labels,
    prior: Float64Array.from(f.prior),
    perFeature: Float64Array.from(f.perFeature),
    rowStart,
    rowLabel,
    rowWeight,
    scale: f.scale,
    trained: f.trained,
    temperature: f.temperature,
  });
}
