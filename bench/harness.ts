/**
 * The benchmark harness: every figure is printed next to its target and a baseline measured in the
 * same run on the same machine, so a reader can tell the code from the hardware.
 */
export interface Figure {
  name: string;
  unit: string;
  value: number;
  target: { op: '<=' | '>='; value: number } | null;
  baseline: { label: string; value: number } | null;
  note?: string;
}

export interface Bench {
  title: string;
  run(): Promise<Figure[]>;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export async function timeEach(count: number, fn: (i: number) => unknown | Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

/** timeEach for synchronous work: an await per sample would be measured too. */
export function timeSync(count: number, fn: (i: number) => unknown): number[] {
  return Array.from({ length: count }, (_, i) => {
    const start = process.hrtime.bigint();
    fn(i);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
}

/**
 * A time in ms: the `p`th percentile of `samples`, with its target (at most `targetMs`) and the same
 * percentile of a baseline timed in the same run.
 */
export function latency(
  name: string,
  p: number,
  samples: number[],
  against: { targetMs?: number; baseline?: { label: string; samples: number[] }; note?: string },
): Figure {
  const { targetMs, baseline, note } = against;
  return {
    name,
    unit: 'ms',
    value: percentile(samples, p),
    target: targetMs === undefined ? null : { op: '<=', value: targetMs },
    baseline: baseline ? { label: baseline.label, value: percentile(baseline.samples, p) } : null,
    ...(note === undefined ? {} : { note }),
  };
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

export function verdict(f: Figure): string {
  if (!f.target) return '—';
  const pass = f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value;
  return pass ? '达标' : '未达标';
}

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n## ${title}`);
  for (const f of figures) {
    const target = f.target ? `目标 ${f.target.op} ${fmt(f.target.value)} ${f.unit}` : '目标 —';
    const baseline = f.baseline ? `基线（${f.baseline.label}）${fmt(f.baseline.value)} ${f.unit}` : '基线 —';
    console.log(`- ${f.name}: ${fmt(f.value)} ${f.unit} | ${target} | ${baseline} | ${verdict(f)}${f.note ? ` | ${f.note}` : ''}`);
  }
}
