// Preemption end to end: a full cluster of low-priority pods, a high-priority pod arrives, the
// scheduler evicts the cheapest victims on the best node (a PDB-protected pod is spared while
// another choice exists), nominates the node, and binds the pod there once the victims are gone.
// The pods have terminationGracePeriodSeconds 0, so a victim is gone as soon as its kubelet hears
// of its deletion (test/terminating.test.ts covers the grace period).
//
// Three 4-CPU nodes, each pod pinned with a hostname nodeSelector (priorities from
// PriorityClasses through priority admission):
//   node-0: a1, a2   (class low, 100; 2 CPU each)
//   node-1: b1       (class lowest, 10; 4 CPU; labelled app=guarded)
//   node-2: c1 (class lower, 50; 2 CPU), c2 (class mid, 500; 2 CPU)
// At 5 s high-1 (class high, 1000; 2 CPU) fits nowhere: 3 Insufficient cpu. The dry run:
//   node-0: a1 started before a2, so a1 is reprieved; victims [a2] (highest victim priority 100)
//   node-1: victims [b1] (10) — but with the PDB (minAvailable 1, b1 is its only healthy pod)
//           evicting b1 is a PDB violation
//   node-2: c2 (500) is reprieved first and still fits; victims [c1] (50)
// With the PDB the non-violating candidates win and node-2 has the lowest highest-victim
// priority (50 < 100): c1 is preempted. Without the PDB node-1 wins (10): b1 is preempted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario, type ProfileConfig, type Table } from '../src/index.js';
import { newDefaultPreemption } from '../src/scheduler/plugins/default-preemption/plugin.js';

const PDB = `  - { name: pdb, at: 0s, manifest: { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: guarded }, spec: { minAvailable: 1, selector: { matchLabels: { app: guarded } } } } }`;

function pod(name: string, at: string, cls: string, cpu: string, node: string | null, labels = '{}'): string {
  const sel = node === null ? '' : `, nodeSelector: { kubernetes.io/hostname: ${node} }`;
  return `  - { name: ${name}, at: ${at}, manifest: { apiVersion: v1, kind: Pod, metadata: { name: ${name}, labels: ${labels} }, spec: { priorityClassName: ${cls}${sel}, terminationGracePeriodSeconds: 0, containers: [{ name: c, image: x, resources: { requests: { cpu: "${cpu}" } } }] } } }`;
}

function priorityClass(name: string, value: number): string {
  return `  - { name: pc-${name}, at: 0s, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: ${name} }, value: ${value} } }`;
}

function scenarioText(withPdb: boolean, extra: readonly string[] = []): string {
  return [
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    'metadata: { name: preemption }',
    'seed: 3',
    'duration: 30s',
    'cluster:',
    '  nodePools:',
    '    - { name: node, count: 3, allocatable: { cpu: "4", memory: 8Gi } }',
    'controlPlane:',
    '  apiWriteLatency: 1ms',
    '  watchDelay: 0s',
    '  etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 }',
    'kubelet:',
    '  startupLatency: 1s',
    'workload:',
    priorityClass('lowest', 10),
    priorityClass('lower', 50),
    priorityClass('low', 100),
    priorityClass('mid', 500),
    priorityClass('high', 1000),
    ...(withPdb ? [PDB] : []),
    pod('a1', '0s', 'low', '2', 'node-0'),
    pod('a2', '100ms', 'low', '2', 'node-0'),
    pod('b1', '200ms', 'lowest', '4', 'node-1', '{ app: guarded }'),
    pod('c1', '300ms', 'lower', '2', 'node-2'),
    pod('c2', '400ms', 'mid', '2', 'node-2'),
    pod('high-1', '5s', 'high', '2', null),
    ...extra,
    '',
  ].join('\n');
}

const PROFILE: ProfileConfig = {
  schedulerName: 'default-scheduler',
  plugins: [
    { name: 'PrioritySort', weight: 0 },
    { name: 'NodeUnschedulable', weight: 0 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'DefaultPreemption', weight: 0 },
    { name: 'DefaultBinder', weight: 0 },
  ],
  pluginArgs: new Map(),
  percentageOfNodesToScore: 0,
};

function run(withPdb: boolean, extra: readonly string[] = []): { placements: Table; nodes: Table } {
  const scenario = parseScenario(scenarioText(withPdb, extra), 'preemption.yaml');
  const result = runScenario(scenario, { profiles: [PROFILE], plugins: new Map([['DefaultPreemption', newDefaultPreemption]]) });
  const placements = result.tables.find((t) => t.file === 'placements.csv');
  const nodes = result.tables.find((t) => t.file === 'nodes.csv');
  assert.ok(placements !== undefined && nodes !== undefined);
  return { placements, nodes };
}

const rows = (t: Table): Array<[unknown, unknown, unknown, unknown, unknown]> =>
  t.rows.map((r) => [r['pod'], r['attempt'], r['result'], r['node'], r['reason']]);

const SETUP = [
  ['a1', 1, 'bound', 'node-0', ''],
  ['a2', 1, 'bound', 'node-0', ''],
  ['b1', 1, 'bound', 'node-1', ''],
  ['c1', 1, 'bound', 'node-2', ''],
  ['c2', 1, 'bound', 'node-2', ''],
];

test('a high-priority pod preempts the cheapest victims, spares the PDB-protected pod and binds on the nominated node', () => {
  const { placements, nodes } = run(true);
  assert.deepEqual(rows(placements), [
    ...SETUP,
    ['c1', '', 'preempted', 'node-2', 'preempted by default/high-1 on node node-2'],
    ['high-1', 1, 'unschedulable', '', '0/3 nodes are available: 3 Insufficient cpu.'],
    ['c1', '', 'terminated', 'node-2', 'terminating for 0.001s after: preempted by default/high-1 on node node-2'],
    ['high-1', 2, 'bound', 'node-2', ''],
  ]);
  // The victim row comes at the end of the preemptor's cycle: created at 5 s + 1 ms, then a
  // cycle of 100 µs + 0.1 µs × 3 filters × 11 node evaluations (3 in the search, 3 + 2 + 3 in
  // the dry runs of node-0, node-1 and node-2) = 103 µs. The deletion commits 1 ms later and
  // makes c1 Terminating; its kubelet (grace period 0 here) deletes it for good 1 ms after that;
  // the binding (1 ms) comes after that.
  const t = (i: number): number => Number(placements.rows[i]?.['time_s']);
  assert.deepEqual([placements.rows[5]?.['time_s'], placements.rows[6]?.['time_s'], placements.rows[6]?.['cycle_ms']], ['5.001103', '5.001103', '0.103']);
  assert.equal(placements.rows[7]?.['time_s'], '5.003103');
  assert.ok(t(8) >= 5.004103, `bound at ${t(8)}, before c1 was gone (5.003103) and a binding could commit`);
  assert.deepEqual([placements.rows[5]?.['queue_wait_ms'], placements.rows[5]?.['cycle_ms'], placements.rows[5]?.['bind_ms']], ['', '', '']);
  assert.deepEqual(
    nodes.rows.map((r) => [r['node'], r['pods'], r['cpu_requested_milli']]),
    [['node-0', 2, 4000], ['node-1', 1, 4000], ['node-2', 2, 4000]],
  );
});

test('without the PDB the lowest-priority pod is the victim instead', () => {
  const { placements, nodes } = run(false);
  assert.deepEqual(rows(placements), [
    ...SETUP,
    ['b1', '', 'preempted', 'node-1', 'preempted by default/high-1 on node node-1'],
    ['high-1', 1, 'unschedulable', '', '0/3 nodes are available: 3 Insufficient cpu.'],
    ['b1', '', 'terminated', 'node-1', 'terminating for 0.001s after: preempted by default/high-1 on node node-1'],
    ['high-1', 2, 'bound', 'node-1', ''],
  ]);
  assert.deepEqual(
    nodes.rows.map((r) => [r['node'], r['pods'], r['cpu_requested_milli']]),
    [['node-0', 2, 4000], ['node-1', 1, 2000], ['node-2', 2, 4000]],
  );
});

test('a second high-priority pod treats the first one\'s nomination as taken and waits for its own victim', () => {
  // high-2 arrives at 5.0005 s, while c1's deletion (for high-1) is in flight. On node-2, high-1
  // (nominated, same priority) counts as placed, so evicting c1 again would not help; node-0 with
  // victim a2 (100) is the best non-violating choice. high-2's next attempt comes when c1 is
  // gone but a2 is still terminating: it may not preempt again and keeps its nomination.
  const { placements } = run(true, [pod('high-2', '5.0005s', 'high', '2', null)]);
  assert.deepEqual(rows(placements), [
    ...SETUP,
    ['c1', '', 'preempted', 'node-2', 'preempted by default/high-1 on node node-2'],
    ['high-1', 1, 'unschedulable', '', '0/3 nodes are available: 3 Insufficient cpu.'],
    ['a2', '', 'preempted', 'node-0', 'preempted by default/high-2 on node node-0'],
    ['high-2', 1, 'unschedulable', '', '0/3 nodes are available: 3 Insufficient cpu.'],
    ['c1', '', 'terminated', 'node-2', 'terminating for 0.001s after: preempted by default/high-1 on node node-2'],
    ['high-2', 2, 'unschedulable', '', '0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.'],
    ['a2', '', 'terminated', 'node-0', 'terminating for 0.001s after: preempted by default/high-2 on node node-0'],
    ['high-1', 2, 'bound', 'node-2', ''],
    ['high-2', 3, 'bound', 'node-0', ''],
  ]);
});
