// A scenario whose every placement is worked out by hand from NodeUnschedulable and
// NodeResourcesFit's LeastAllocated score (per resource: (allocatable − requested) × 100 /
// allocatable, integer division; node score = mean of cpu and memory, integer division).
//
// t=0 p1 1cpu/1Gi:  small (2000−1000)/2000=50, mem 3/4=75 → 62; medium 75, 87 → 81;
//                   large 87, 93 → 90; cordoned filtered          → large
// t=1 p2 2cpu/1Gi:  small 0, 75 → 37; medium 50, 87 → 68; large (8000−3000)/8000=62, 14/16=87 → 74 → large
// t=2 p3 4cpu/1Gi:  small 4000 > 2000 allocatable (unresolvable); medium 0, 87 → 43;
//                   large (8000−7000)/8000=12, 13/16=81 → 46      → large
// t=3 p4 3cpu/6Gi:  large 7000+3000 > 8000; small too small; medium is the only feasible node → medium
// t=4 p5 2cpu/1Gi:  medium 3000+2000 > 4000; large 7000+2000 > 8000; small fits exactly → small
// t=5 p6 1cpu/1Gi:  small full; medium 0, (8−7)/8=12 → 6; large 0, (16−4)/16=75 → 37 → large
// t=6 p7 1cpu/1Gi:  small, large full; medium fits exactly       → medium
// t=7 p8 1cpu/1Gi:  nothing fits → "0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu."
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, runScenario } from '../src/index.js';
import { repoPath } from '../src/testing/repo-paths.js';

test('the known-placements scenario places every pod where the hand-worked scores say', () => {
  const result = runScenario(loadScenario(repoPath('test/scenarios/known-placements.yaml')));
  const placements = result.tables.find((t) => t.file === 'placements.csv');
  assert.ok(placements);
  const got = placements.rows.map((r) => [r['pod'], r['result'], r['node'], r['reason']]);
  assert.deepEqual(got, [
    ['p1', 'bound', 'large-0', ''],
    ['p2', 'bound', 'large-0', ''],
    ['p3', 'bound', 'large-0', ''],
    ['p4', 'bound', 'medium-0', ''],
    ['p5', 'bound', 'small-0', ''],
    ['p6', 'bound', 'large-0', ''],
    ['p7', 'bound', 'medium-0', ''],
    ['p8', 'unschedulable', '', '0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu.'],
  ]);
  // Timing chain of p1: created after one 1 ms API write, a cycle of 100 µs + 0.1 µs × 8 filter
  // calls + 0.2 µs × 3 score calls = 101 µs, then a 1 ms binding write.
  const first = placements.rows[0];
  assert.equal(first?.['time_s'], '0.002101');
  assert.equal(first?.['cycle_ms'], '0.101');
  assert.equal(first?.['bind_ms'], '1');
  assert.equal(result.summary['pods_bound'], 7);
  assert.equal(result.summary['pods_unbound_end'], 1);
  // Creation → Running: 0.101 ms cycle + 1 ms binding + 1 s startup + 1 ms status write.
  assert.equal(result.summary['startup_latency_p50_ms'], 1002.101);
  const nodes = result.tables.find((t) => t.file === 'nodes.csv');
  assert.deepEqual(
    nodes?.rows.map((r) => [r['node'], r['pods'], r['cpu_requested_milli']]),
    [['small-0', 1, 2000], ['medium-0', 2, 4000], ['large-0', 4, 8000], ['cordoned-0', 0, 0]],
  );
});
