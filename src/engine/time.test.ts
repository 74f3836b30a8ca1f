import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RUN_DURATION_US, MAX_SIM_TIME_US, US_PER_MS, US_PER_S, addTimeUs, fromMillis, fromSeconds, toMillis, toSeconds } from './time.js';

describe('time', () => {
  it('has the expected unit constants', () => {
    assert.equal(US_PER_MS, 1000);
    assert.equal(US_PER_S, 1_000_000);
  });

  const cases: Array<[seconds: number, micros: number]> = [
    [0, 0],
    [1, 1_000_000],
    [0.5, 500_000],
    [1.5e-6, 2], // rounds to nearest
    [0.1 + 0.2, 300_000], // float noise is rounded away
    [3600, 3_600_000_000],
  ];
  for (const [s, us] of cases) {
    it(`converts ${s} s to ${us} µs`, () => {
      assert.equal(fromSeconds(s), us);
    });
  }

  it('converts microseconds back to seconds and milliseconds', () => {
    assert.equal(toSeconds(2_500_000), 2.5);
    assert.equal(toMillis(2_500_000), 2500);
    assert.equal(toMillis(1), 0.001);
  });

  it('converts milliseconds to microseconds', () => {
    assert.equal(fromMillis(250), 250_000);
    assert.equal(fromMillis(0.0015), 2);
  });

  const sums: Array<[what: string, a: number, b: number, sum: number]> = [
    ['small times add exactly', 5, 7, 12],
    ['a sum of exactly the maximum is kept', MAX_SIM_TIME_US - 1, 1, MAX_SIM_TIME_US],
    ['a sum past the maximum saturates', MAX_SIM_TIME_US, 1, MAX_SIM_TIME_US],
    ['two maximal durations saturate', MAX_SIM_TIME_US, MAX_SIM_TIME_US, MAX_SIM_TIME_US],
    ['an infinite duration saturates', 10, Number.POSITIVE_INFINITY, MAX_SIM_TIME_US],
    ['a NaN duration is never', 10, Number.NaN, MAX_SIM_TIME_US],
  ];
  for (const [what, a, b, sum] of sums) {
    it(`addTimeUs: ${what}`, () => {
      assert.equal(addTimeUs(a, b), sum);
    });
  }

  it('bounds a run far below the end of the clock (100 years)', () => {
    assert.equal(MAX_SIM_TIME_US, 9_007_199_254_740_991);
    assert.equal(MAX_RUN_DURATION_US, 3_153_600_000_000_000);
  });
});
