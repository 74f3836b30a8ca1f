import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultNormalizeScore } from './normalize-score.js';

describe('DefaultNormalizeScore', () => {
  // Upstream pkg/scheduler/framework/plugins/helper/normalize_score_test.go
  // (TestDefaultNormalizeScore), then ksim cases for Go's truncating int64 division.
  const cases: Array<[name: string, reverse: boolean, scores: number[], want: number[]]> = [
    ['case_0', false, [1, 2, 3, 4], [25, 50, 75, 100]],
    ['case_1', true, [1, 2, 3, 4], [75, 50, 25, 0]],
    ['case_2', false, [1000, 10, 20, 30], [100, 1, 2, 3]],
    ['case_3', true, [1000, 10, 20, 30], [0, 99, 98, 97]],
    ['case_4', false, [1, 1, 1, 1], [100, 100, 100, 100]],
    ['case_5', false, [1000, 1, 1, 1], [100, 0, 0, 0]],
    ['case_6', true, [0, 1, 1, 1], [100, 0, 0, 0]],
    ['ksim case: 100 × 2 / 3 truncates to 66, not 67', false, [2, 3], [66, 100]],
    ['ksim case: reversed, 100 − ⌊100 × 1 / 3⌋ = 67', true, [1, 3], [67, 0]],
    ['ksim case: all zero stays zero', false, [0, 0], [0, 0]],
    ['ksim case: all zero reversed is the maximum', true, [0, 0], [100, 100]],
  ];
  for (const [name, reverse, scores, want] of cases) {
    it(`${name}: ${reverse ? 'reversed ' : ''}[${scores.join(', ')}] → [${want.join(', ')}]`, () => {
      const s = Float64Array.from(scores);
      defaultNormalizeScore(100, reverse, s);
      assert.deepEqual([...s], want);
    });
  }
});
