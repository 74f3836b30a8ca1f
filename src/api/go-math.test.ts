import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { roundHalfAwayFromZero } from './go-math.js';

describe('roundHalfAwayFromZero (Go math.Round)', () => {
  // Go's math.Round: halves go away from zero; anything below a half goes toward zero.
  const cases: Array<[x: number, want: number]> = [
    [2.5, 3],
    [-2.5, -3],
    [0.5, 1],
    [-0.5, -1],
    [1.4999999999999998, 1],
    [0.49999999999999994, 0],
    [-0.49999999999999994, 0],
    [4.5, 5],
    [12.5, 13],
    [-12.5, -13],
    [7, 7],
  ];
  for (const [x, want] of cases) {
    it(`${x} rounds to ${want}`, () => {
      assert.equal(Object.is(roundHalfAwayFromZero(x), want), true, `got ${roundHalfAwayFromZero(x)}`);
    });
  }
});
