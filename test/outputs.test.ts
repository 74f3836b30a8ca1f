// End-to-end checks of output definitions (README "Outputs"): workloads ending short of their
// replicas (summary.csv and the run's warnings) and timeseries columns for nodes joining later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { Row } from '../src/metrics/collector.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { loadScenario } from '../src/workload/scenario.js';

function table(result: { tables: readonly { file: string; rows: readonly Row[]; columns: readonly string[] }[] }, file: string) {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t;
}

const deployment = (replicas: number, cpu: string, memory: string) => `
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: "${cpu}", memory: ${memory} } } }]
`;

test('a Deployment ending short: summary.csv says so and a warning names the unschedulable reason', () => {
  const r = runScenario(loadScenario(repoPath('test/scenarios/short-deployment.yaml')));
  assert.equal(r.summary['pods_unbound_end'], 2);
  assert.equal(r.summary['replicas_desired_end'], 3);
  assert.equal(r.summary['replicas_ready_end'], 1);
  // After a takes one pod: a and b have too little CPU, c too little memory; preemption cannot
  // help (no lower-priority pods; on c removing pods cannot make memory fit).
  assert.deepEqual(r.warnings, [
    'Deployment default/web ends with 1 of 3 replicas ready: 2 unschedulable, by latest reason: 2 "0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."',
  ]);
});

test('a Deployment held back by the controller-manager client rate limit: the warning names it first', () => {
  const r = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: qps }
seed: 1
duration: 1m
cluster:
  nodePools:
    - { name: general, count: 4, allocatable: { cpu: "64", memory: 256Gi, pods: "110" } }
controlPlane:
  clients:
    controllerManager: { qps: 1, burst: 1 }
${deployment(200, '100m', '128Mi')}`, 'qps.yaml'));
  // The shortfall warning, then the rate limit's own (src/metrics/bottlenecks.ts).
  assert.equal(r.warnings.length, 2, r.warnings.join('\n'));
  // Its writes still queued at the end are said to be, and no wait reported outlasts the 60 s run.
  const limit = /^the controller-manager client's rate limit \(controlPlane\.clients\.controllerManager: qps 1, burst 1\) held \d+ of the \d+ writes it sent \(the longest for ([\d.]+)s\), and \d+ more were still waiting at the end \(the longest for ([\d.]+)s by then\): it, not the cluster, set the pace; raise controlPlane\.clients\.controllerManager\.qps/.exec(r.warnings[1] ?? '');
  assert.ok(limit, r.warnings[1]);
  assert.ok(Number(limit[1]) <= 60 && Number(limit[2]) <= 60, r.warnings[1]);
  const m = /^Deployment default\/web ends with (\d+) of 200 replicas ready: (\d+) not created \(controller-manager client QPS 1, burst 1; api_queue_depth (\d+) at the end\)/.exec(r.warnings[0] ?? '');
  assert.ok(m, r.warnings[0]);
  const [ready, notCreated] = [Number(m[1]), Number(m[2])];
  // At 1 write/s after a burst of 1, the controller-manager sends at most 61 writes in 60 s, the
  // Deployment's ReplicaSet and status updates among them: at most 60 pods exist.
  assert.ok(notCreated >= 140, `${notCreated} not created`);
  assert.ok(ready <= 200 - notCreated, `${ready} ready`);
  assert.equal(r.summary['replicas_desired_end'], 200);
  assert.equal(r.summary['replicas_ready_end'], ready);
});

test('timeseries.csv has a column for an extended resource offered only by a pool that joins later', () => {
  const r = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: gpu-joins }
seed: 1
duration: 3m
cluster:
  nodePools:
    - { name: general, count: 2, allocatable: { cpu: "8", memory: 32Gi } }
    - { name: gpu, count: 1, joinAt: 90s, allocatable: { cpu: "8", memory: 32Gi, nvidia.com/gpu: 4 } }
workload:
  - name: train
    at: 100s
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: train }
      spec:
        containers: [{ name: t, image: trainer, resources: { requests: { cpu: "1", memory: 1Gi }, limits: { nvidia.com/gpu: 1 } } }]
`, 'gpu.yaml'));
  const ts = table(r, 'timeseries.csv');
  assert.ok(ts.columns.includes('nvidia.com/gpu_requested_ratio'), ts.columns.join(','));
  // No node offers a GPU at 0 s and 60 s (empty); the pool has joined by 120 s and the pod
  // holds 1 of its 4 GPUs.
  assert.deepEqual(ts.rows.map((row) => [row['time_s'], row['nvidia.com/gpu_requested_ratio']]), [['0', ''], ['60', ''], ['120', '0.25'], ['180', '0.25']]);
});

test('rolling-update.yaml: the rollout dips to 8 of 10 (0.8) and the 15 m scale-up to 14 counts nothing', () => {
  const row = (set: string[]) => table(runScenario(loadScenario(repoPath('scenarios/rolling-update.yaml'), { set })), 'workloads.csv').rows;
  // maxUnavailable 2: the rollout's first step scales the old ReplicaSet from 10 to 8 while the
  // 3 surge pods start, so 8 of 10 are available at the lowest. The scale-up at 15 m is held to
  // 10 until the 14th pod runs, so the whole run gives what the run stopped before it (14 m)
  // gives: the rollout's dip alone (the old definition gave 0.714286 and 10.953641 s).
  assert.deepEqual(row(['duration=14m']), [{ kind: 'Deployment', namespace: 'shop', name: 'web', desired: 10, ready: 10, available_min_ratio: '0.8', unavailable_s: '5.520455' }]);
  assert.deepEqual(row([]), [{ kind: 'Deployment', namespace: 'shop', name: 'web', desired: 14, ready: 14, available_min_ratio: '0.8', unavailable_s: '5.520455' }]);
});
