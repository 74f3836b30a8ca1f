import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeResults } from './results-file.js';

const COLUMNS = ['workload', 'pods_per_s', 'met'];

test('a filtered run replaces its workloads\' rows in place and keeps the others', () => {
  const existing = 'workload,pods_per_s,met\nA,100,yes\nB,200,NO\nC,300,yes\n';
  const merged = mergeResults(existing, [{ workload: 'B', pods_per_s: 250, met: 'yes' }, { workload: 'D', pods_per_s: 50, met: '' }], COLUMNS);
  assert.equal(merged, 'workload,pods_per_s,met\nA,100,yes\nB,250,yes\nC,300,yes\nD,50,\n');
});

test('no file, an empty file, or a file of another layout: the fresh rows alone', () => {
  const fresh = [{ workload: 'A', pods_per_s: 1, met: 'yes' }];
  const want = 'workload,pods_per_s,met\nA,1,yes\n';
  assert.equal(mergeResults(null, fresh, COLUMNS), want);
  assert.equal(mergeResults('', fresh, COLUMNS), want);
  assert.equal(mergeResults('workload,old_column\nZ,9\n', fresh, COLUMNS), want);
});
