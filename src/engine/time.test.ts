import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { US_PER_MS, US_PER_S, fromMillis, fromSeconds, toMillis, toSeconds } from './time.js';

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
});
