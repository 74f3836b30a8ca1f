// Pod-level resources (spec.resources, KEP-2837, on by default in v1.36) end to end: the
// pod-level request is what NodeResourcesFit filters and scores on, what the node's books and
// nodes.csv count, and what `ksim explain` reports.
//
// Cluster: small (4 CPU / 16Gi) and large (16 CPU / 64Gi). Each pod asks 8 CPU at pod level and
// nothing per container, so before pod-level resources were read it requested 0 CPU and bound
// anywhere.
//   big-1: small is refused (8000m > 4000m allocatable: UnschedulableAndUnresolvable,
//          "Insufficient cpu"); large fits → large, which now holds 8000m.
//   big-2: small refused as before; large 8000 + 8000 = 16000 ≤ 16000 fits → large (16000m).
//   big-3: small refused (unresolvable), large full (Insufficient cpu)
//          → "0/2 nodes are available: 2 Insufficient cpu."; DefaultPreemption finds nothing:
//          small cannot be helped (unresolvable), large holds only equal-priority pods.
//
// explain, on the same cluster with big-1 already bound to large, for a pod asking 8 CPU and
// 1Gi at pod level: small fails NodeResourcesFit with "Insufficient cpu"
// (UnschedulableAndUnresolvable); large passes, and LeastAllocated scores it from the non-zero
// requests (pod-level values; a resource nobody names counts 200Mi per container):
//   cpu (16000 − (8000 + 8000))·100/16000 = 0; memory (65536Mi − (200Mi + 1024Mi))·100/65536Mi
//   = 98 (integer division); (0 + 98)/2 = 49.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../src/index.js';
import { explainFiles } from '../src/run/explain-files.js';
import { tempDir } from '../src/testing/temp-dir.js';

const BIG = (name: string, at: string) => `
  - name: ${name}
    at: ${at}
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: ${name} }
      spec:
        resources: { requests: { cpu: "8" } }
        containers: [{ name: app, image: nginx }, { name: sidecar, image: envoy }]`;

const SCENARIO = `
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools:
    - { name: small, count: 1, allocatable: { cpu: "4", memory: 16Gi } }
    - { name: large, count: 1, allocatable: { cpu: "16", memory: 64Gi } }
workload:${BIG('big-1', '1s')}${BIG('big-2', '2s')}${BIG('big-3', '3s')}
`;

test('a pod asking 8 CPU at pod level does not bind on a 4-CPU node and counts 8 CPU where it binds', () => {
  const result = runScenario(parseScenario(SCENARIO, join(tmpdir(), 'pod-level.yaml')));
  const placements = result.tables.find((t) => t.file === 'placements.csv');
  assert.deepEqual(
    placements?.rows.map((r) => [r['pod'], r['result'], r['node'], r['reason']]),
    [
      ['big-1', 'bound', 'large-0', ''],
      ['big-2', 'bound', 'large-0', ''],
      ['big-3', 'unschedulable', '', '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.'],
    ],
  );
  const nodes = result.tables.find((t) => t.file === 'nodes.csv');
  assert.deepEqual(
    nodes?.rows.map((r) => [r['node'], r['pods'], r['cpu_requested_milli'], r['cpu_allocatable_milli']]),
    [['small-0', 0, 0, 4000], ['large-0', 2, 16000, 16000]],
  );
});

test('ksim explain shows the Fit verdict and score from the pod-level request', async () => {
  const dir = tempDir('ksim-pod-level-');
  const cluster = join(dir, 'cluster.yaml');
  const pod = join(dir, 'pod.yaml');
  writeFileSync(cluster, `apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Node, metadata: { name: small }, status: { allocatable: { cpu: "4", memory: 16Gi, pods: "110" } } }
  - { apiVersion: v1, kind: Node, metadata: { name: large }, status: { allocatable: { cpu: "16", memory: 64Gi, pods: "110" } } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: big-1, namespace: default }
    spec: { nodeName: large, resources: { requests: { cpu: "8" } }, containers: [{ name: app, image: nginx }] }
`);
  writeFileSync(pod, `apiVersion: v1
kind: Pod
metadata: { name: big-2, namespace: default }
spec: { resources: { requests: { cpu: "8", memory: 1Gi } }, containers: [{ name: app, image: nginx }] }
`);
  const r = await explainFiles({ cluster, pod });
  assert.deepEqual(r.nodes['small']?.filter['NodeResourcesFit'], { code: 'UnschedulableAndUnresolvable', reason: 'Insufficient cpu' });
  assert.deepEqual(r.nodes['large']?.filter['NodeResourcesFit'], { code: 'Success' });
  assert.equal(r.nodes['large']?.score?.['NodeResourcesFit']?.raw, 49);
  assert.equal(r.selected, 'large');
});
