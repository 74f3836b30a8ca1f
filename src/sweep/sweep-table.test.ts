// sweep.csv's columns follow what the runs wrote: a GPU-sharing scenario's summary columns are
// kept (they were dropped once), and compare finds nothing significant from one run a side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../metrics/csv-output.js';
import { tempDir } from '../testing/temp-dir.js';
import { sweepTable } from './sweep.js';
import { compare } from './compare.js';
import type { PlannedRun } from './plan.js';

const run = (i: number, seed: number): PlannedRun => ({ id: `r${i}`, index: i - 1, seed, matrix: [], set: [] });

test('sweep.csv keeps the GPU summary columns when a run has them, and leaves them out otherwise', () => {
  const gpu = sweepTable([], [{ run: run(1, 42), status: 'ok', summary: { scenario: 'fgd', pods_bound: 8322, gpu_unallocated_at_100_pct: 4.95, gpu_unallocated_at_130_pct: 4.75, gpu_fragmentation_at_100_pct: 98.9 } }]);
  assert.deepEqual(gpu.columns.slice(-3), ['gpu_unallocated_at_100_pct', 'gpu_unallocated_at_130_pct', 'gpu_fragmentation_at_100_pct']);
  assert.equal(gpu.rows[0]!['gpu_unallocated_at_100_pct'], '4.95');
  const plain = sweepTable([], [{ run: run(1, 1), status: 'ok', summary: { scenario: 'q', pods_bound: 3 } }]);
  assert.equal(plain.columns.includes('gpu_unallocated_at_100_pct'), false);
  assert.equal(plain.columns.at(-1), 'pods_waited_over_60s');
});

test('compare: one run a side is never significant; the same +10 on 3 seeds has no interval, on 6 it is significant; +9, +10, +11 on 3 seeds is', () => {
  const dir = tempDir('ksim-sweep-table-');
  // A sweep folder as `ksim sweep` leaves it, as far as compare reads it: its sweep.csv.
  const sweepDir = (name: string, bound: number[]) => {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(join(d, 'sweep.csv'), toCsv(sweepTable([], bound.map((b, i) => ({ run: run(i + 1, i + 1), status: 'ok' as const, summary: { scenario: 's', pods_bound: b } })))));
    return d;
  };
  let cases = 0;
  const podsBound = (a: number[], b: number[]) => {
    cases++;
    const m = compare(sweepDir(`a${cases}`, a), sweepDir(`b${cases}`, b)).metrics.find((x) => x.metric === 'pods_bound');
    return [m?.difference, m?.ciLow, m?.ciHigh, m?.significant];
  };
  assert.deepEqual(podsBound([10], [20]), [10, null, null, false]);
  // This used to expect 3 seeds each exactly +10 to be significant (the bootstrap's interval of
  // three equal differences was the point +10). With no spread there is nothing to build a t
  // interval from, and noise of ±10 gives +10 on all 3 seeds 1 time in 8 (either sign: 2 / 2³ =
  // 25 %): not significant, no interval. From 6 seeds (2 / 2⁶ = 3.1 %) it is [+10, +10].
  assert.deepEqual(podsBound([10, 11, 12], [20, 21, 22]), [10, null, null, false]);
  assert.deepEqual(podsBound([10, 11, 12, 13, 14, 15], [20, 21, 22, 23, 24, 25]), [10, 10, 10, true]);
  // +9, +10, +11: mean +10, sd 1, t(0.975, 2) = 4.303: 10 ± 2.484.
  const [d, low, high, significant] = podsBound([10, 11, 12], [19, 21, 23]);
  assert.equal(d, 10);
  assert.ok(Math.abs((low as number) - 7.51586228824967) < 1e-9 && Math.abs((high as number) - 12.48413771175033) < 1e-9, `${low} ${high}`);
  assert.equal(significant, true);
});
