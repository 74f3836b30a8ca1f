// The fault injector (src/faults/injector.ts) end to end: what each fault kind does to a run,
// with expected values worked out from the scenario's timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario } from '../src/index.js';
import type { Row } from '../src/metrics/collector.js';

function scenario(extra: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "32", memory: 128Gi } }]
kubelet: { startupLatency: 1s }
${extra}
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x }] }
`;
}

function recoveryRows(text: string): readonly Row[] {
  const r = runScenario(parseScenario(text, 'faults.yaml'), { checkInvariants: true });
  const t = r.tables.find((x) => x.file === 'recovery.csv');
  assert.ok(t !== undefined);
  return t.rows;
}

test('an etcd leader loss ends when the election does: at + electionTimeout (1 s by default, 7 s here); it hits every node, and a short one takes none NotReady', () => {
  for (const [extra, end] of [
    ['faults: [{ etcdLeaderLoss: { at: 30s } }]', '31'],
    ['controlPlane: { etcd: { electionTimeout: 7s } }\nfaults: [{ etcdLeaderLoss: { at: 30s } }]', '37'],
  ] as const) {
    const [row] = recoveryRows(scenario(extra));
    // The Deployment's 2 pods are on the hit nodes; no node went NotReady: nothing lost.
    assert.deepEqual([row?.['fault_id'], row?.['kind'], row?.['target'], row?.['start_s'], row?.['end_s'], row?.['detected_s'], row?.['pods_affected'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['f1', 'etcdLeaderLoss', 'etcd', '30', end, '', 2, '1', '0'], extra);
  }
});

test('an election longer than the node monitor grace period takes every node NotReady: the fault detects it, its workloads drop to 0 and it says when they are whole again', () => {
  const r = runScenario(parseScenario(scenario('controlPlane: { etcd: { electionTimeout: 70s } }\nfaults: [{ etcdLeaderLoss: { at: 30s } }]'), 'faults.yaml'), { checkInvariants: true });
  const [row] = r.tables.find((x) => x.file === 'recovery.csv')?.rows ?? [];
  // The nodes' last renewals committed by 30 s are 50 s old at 80 s: the node lifecycle
  // controller sends both NotReady updates then (detected), which commit when the election ends
  // at 100 s; the pods are available again once the nodes' renewals are seen and they are Ready,
  // about 105 s.
  assert.equal(row?.['end_s'], '100');
  assert.equal(row?.['detected_s'], '80');
  assert.equal(row?.['pods_affected'], 2);
  assert.equal(row?.['min_available_ratio'], '0');
  assert.equal(row?.['time_to_full_availability_s'], '75.006776');
  assert.equal(r.summary['node_failures'], 0, 'a control-plane fault fails no node');
});

test('a fault lasting 0 s is refused at load, naming the field', () => {
  assert.throws(() => parseScenario(scenario('faults: [{ nodeDown: { nodes: [n-0], at: 30s, for: 0s } }]'), 'faults.yaml'), /faults\.yaml:\d+:\d+: faults\[0\]\.nodeDown\.for: expected a positive duration or "forever", got "0s"/);
});

test('a fault starting at or after the end of the run is warned about at load, naming the field; one before the end is not', () => {
  const warnings = (extra: string) => parseScenario(scenario(extra), 'faults.yaml').warnings;
  // scenario() puts faults: on line 7; the at values are at columns 83 and 34.
  assert.deepEqual(warnings('faults: [{ nodeDown: { nodes: [n-0], at: 30s } }, { nodeDown: { nodes: [n-1], at: 10m } }]'), [
    'faults.yaml:7:83: faults[1].nodeDown.at: starts at 10m0s, at or after the end of the run (duration 2m0s); it never happens',
  ]);
  assert.deepEqual(warnings('faults: [{ etcdLeaderLoss: { at: 2m } }]'), [
    'faults.yaml:7:34: faults[0].etcdLeaderLoss.at: starts at 2m0s, at or after the end of the run (duration 2m0s); it never happens',
  ]);
  assert.deepEqual(warnings('faults: [{ etcdLeaderLoss: { at: 119s } }]'), []);
});

test('a fault starting at the end never happens (no row, no node failure), and an election outlasting the run has no end in it', () => {
  const r = runScenario(parseScenario(scenario('controlPlane: { etcd: { electionTimeout: 90s } }\nfaults: [{ etcdLeaderLoss: { at: 100s } }, { nodeDown: { nodes: [n-0], at: 2m } }]'), 'faults.yaml'));
  const rows = r.tables.find((x) => x.file === 'recovery.csv')?.rows ?? [];
  // The election would end at 190 s, after the run's 120 s; the nodeDown at 120 s is the end.
  assert.deepEqual(rows.map((x) => [x['fault_id'], x['start_s'], x['end_s']]), [['f1', '100', '']]);
  assert.equal(r.summary['node_failures'], 0);
});

test('random failures with constant MTBF 4m and MTTR 2m: each node fails at 4m and 10m, ordered by time then node; none at the end itself', () => {
  const text = (duration: string) => scenario('faults: [{ random: { pool: n, mtbf: 4m, mttr: 2m } }]').replace('duration: 2m', `duration: ${duration}`);
  // 10m: the second failure of each node would fall on the end (600 s): not a failure.
  assert.deepEqual(recoveryRows(text('10m')).map((r) => [r['fault_id'], r['target'], r['start_s'], r['end_s']]), [
    ['f1.1', 'n-0', '240', '360'],
    ['f1.2', 'n-1', '240', '360'],
  ]);
  // 11m: both nodes fail again at 600 s (4m after their repair at 6m); by time, then node.
  assert.deepEqual(recoveryRows(text('11m')).map((r) => [r['fault_id'], r['target'], r['start_s']]), [
    ['f1.1', 'n-0', '240'],
    ['f1.2', 'n-1', '240'],
    ['f1.3', 'n-0', '600'],
    ['f1.4', 'n-1', '600'],
  ]);
});
