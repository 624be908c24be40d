/**
 * The handling times' median and p90 as the hub computes them for the team lead's tally
 * (server/stats.ts): by selection, the same doubles as PostgreSQL's percentile_cont(0.5) and
 * percentile_disc(0.9) over the sorted values, whatever the order and however many repeat; and
 * the microseconds list read as the seconds PostgreSQL's date_part gives.
 */
import { describe, expect, it } from 'vitest';
import { medianAndP90, microsAsSeconds } from '../../server/stats';
import { seededRandom } from '../../shared/random';

function bySorting(values: number[]): { median: number | null; p90: number | null } {
  if (values.length === 0) return { median: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const position = 0.5 * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return {
    median: sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low),
    p90: sorted[Math.max(Math.ceil(0.9 * sorted.length), 1) - 1]!,
  };
}

describe('the tally’s handling ranks', () => {
  it('equal the sorted values’ median and p90 for lists of every length, with and without repeats', () => {
    const rnd = seededRandom(3);
    for (let n = 0; n <= 60; n++) {
      for (const spread of [3, 1000, 1e9]) {
        const values = Array.from({ length: n }, () => Math.floor(rnd() * spread) / 1e6);
        expect(medianAndP90(Float64Array.from(values)), `${n} values up to ${spread}`).toEqual(bySorting(values));
      }
    }
    const many = Array.from({ length: 100_001 }, () => Math.floor(rnd() * 900e6) / 1e6);
    expect(medianAndP90(Float64Array.from(many))).toEqual(bySorting(many));
    const same = new Array<number>(5000).fill(62.5);
    expect(medianAndP90(Float64Array.from(same))).toEqual({ median: 62.5, p90: 62.5 });
  });

  it('reads whole microseconds as the seconds Number(text) / 10^6 gives', () => {
    const micros = ['0', '1', '999999', '1000000', '1400000', '93600250000', '300123456'];
    expect([...microsAsSeconds(micros.join(','), micros.length)]).toEqual(micros.map((m) => Number(m) / 1e6));
    expect([...microsAsSeconds('', 0)]).toEqual([]);
  });
});
