/**
 * A desk's steady pull wait (shared/api/hub-client.ts nextPullDelay, used by the desk's sync client):
 * desks whose pulls a stalled hub held all end at the same instant must not come back together.
 */
import { describe, expect, it } from 'vitest';
import { nextPullDelay, PULL_EVERY_MS } from '../../shared/api/hub-client';
import { seededRandom } from '../../shared/random';

/** The most pulls that start within any 100 ms. */
function busiest(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 100) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('the wait before a desk’s next pull', () => {
  it('stays within 10 % of five seconds', () => {
    const random = seededRandom(7);
    const waits = Array.from({ length: 10_000 }, () => nextPullDelay(PULL_EVERY_MS, random));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(4_500);
    expect(Math.max(...waits)).toBeLessThanOrEqual(5_500);
    expect(waits.reduce((a, b) => a + b, 0) / waits.length).toBeCloseTo(5_000, -2);
  });

  it('spreads 2,000 desks released at one instant by a stalled hub over the next rounds', () => {
    const random = seededRandom(18);
    let starts = Array.from({ length: 2_000 }, () => 0); // every pull ended when the hub came back
    starts = starts.map((t) => t + nextPullDelay(PULL_EVERY_MS, random));
    // A fixed five seconds would bring all 2,000 back in the same 100 ms; spread over a second, at
    // most about a tenth of them start together.
    const first = busiest(starts);
    expect(first).toBeLessThan(2_000 / 8);
    for (let round = 0; round < 4; round++) starts = starts.map((t) => t + 5 + nextPullDelay(PULL_EVERY_MS, random));
    // Each round spreads them further.
    expect(busiest(starts)).toBeLessThan(first * 0.75);
  });
});
