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
  assert.equal(plain.columns.at(-1), 'cost_per_hour');
});

test('compare: one run a side is never significant; three a side that all differ are', () => {
  const dir = tempDir('ksim-sweep-table-');
  // A sweep folder as `ksim sweep` leaves it, as far as compare reads it: its sweep.csv.
  const sweepDir = (name: string, bound: number[]) => {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(join(d, 'sweep.csv'), toCsv(sweepTable([], bound.map((b, i) => ({ run: run(i + 1, i + 1), status: 'ok' as const, summary: { scenario: 's', pods_bound: b } })))));
    return d;
  };
  const one = compare(sweepDir('a1', [10]), sweepDir('b1', [20]));
  const m1 = one.metrics.find((m) => m.metric === 'pods_bound');
  assert.deepEqual([m1?.difference, m1?.significant], [10, false]);
  const three = compare(sweepDir('a3', [10, 11, 12]), sweepDir('b3', [20, 21, 22]));
  const m3 = three.metrics.find((m) => m.metric === 'pods_bound');
  assert.deepEqual([m3?.difference, m3?.significant], [10, true]);
});

