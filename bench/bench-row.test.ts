import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shown, targetsLine, type BenchRow } from './bench-row.js';

const ROWS: BenchRow[] = [
  { name: 'SchedulingBasic', metric: 'measured_pods_bound_per_s', value: 11_600, unit: 'pods/s', target: { op: '>=', value: 15_000 } },
  { name: 'failures', metric: 'wall_s', value: 27.5, unit: 's', target: { op: '<=', value: 60 } },
  { name: 'engine', metric: 'events_per_s', value: 3_000_000, unit: 'events/s' },
];

test('each figure is shown with its target and whether it is met', () => {
  assert.deepEqual(ROWS.map((r) => [shown(r).target, shown(r).met]), [['≥ 15000', 'NO'], ['≤ 60', 'yes'], ['', '']]);
});

test('the closing line counts the targets met and names the missed ones', () => {
  assert.equal(targetsLine(ROWS), '1 of 2 targets met; missed: SchedulingBasic measured_pods_bound_per_s 11600 (target ≥ 15000)');
  assert.equal(targetsLine(ROWS.slice(1)), '1 of 1 targets met');
});
