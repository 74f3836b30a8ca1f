// The API server / etcd model in whole runs: its parameters move the timings the way the model
// says they should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario } from '../src/index.js';

function scenario(controlPlane: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 50, allocatable: { cpu: "32", memory: 128Gi } }]
controlPlane: ${controlPlane}
kubelet: { startupLatency: 1s }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 1000
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;
}

function lastCreate(controlPlane: string): number {
  const r = runScenario(parseScenario(scenario(controlPlane), 'cp.yaml'), { events: true });
  const creates = (r.tables.find((t) => t.file === 'events.csv')?.rows ?? []).filter((e) => e['kind'] === 'api.create-pod');
  assert.equal(creates.length, 1000);
  return Number(creates.at(-1)?.['time_s']);
}

test('the controller-manager QPS paces a ReplicaSet: 1000 creates at 20 QPS take ~(1000 − 30 burst) / 20 s', () => {
  // Default kube-controller-manager limits 20 QPS / burst 30: the last create is reserved at
  // (1000 − 30) / 20 = 48.5 s, plus a few ms of API and etcd latency (two earlier writes create
  // the Deployment and ReplicaSet).
  const slow = lastCreate('{}');
  assert.ok(slow > 48.5 && slow < 49, `last create at ${slow} s`);
  const fast = lastCreate('{ clients: { controllerManager: { qps: 100, burst: 30 } } }');
  // (1000 − 30) / 100 = 9.7 s.
  assert.ok(fast > 9.7 && fast < 10, `last create at ${fast} s`);
});

test('a slower etcd disk lengthens every write: startup latency grows by two to four fsyncs', () => {
  // Creation (the create's commit) → Running takes two more writes, the binding and the
  // kubelet's status, each waiting for an fsync — and, with group commit, often for the end of
  // the fsync already in progress too: 50 ms more fsync costs 100–200 ms more.
  const p50 = (cp: string) => Number(runScenario(parseScenario(scenario(cp), 'cp.yaml')).summary['startup_latency_p50_ms']);
  const quick = p50('{ etcd: { fsync: 1ms } }');
  const slow = p50('{ etcd: { fsync: 51ms } }');
  assert.ok(slow - quick >= 100 && slow - quick <= 200, `p50 ${quick} ms → ${slow} ms`);
});

// The control-plane test: a pool of 20 nodes holding ~1,000 pods of a Deployment dies.
// Every doomed node is alone in its zone (so each zone's eviction limiter lets its node be
// tainted at once, and the spare zone keeps the cluster out of full disruption): all the pods are
// evicted within a few seconds, 300 s after the taints, and the recovery is then paced by the
// control plane.
function poolLoss(controlPlane: string): { affected: number; recoverS: number; p99: number } {
  const zones = Array.from({ length: 20 }, (_, i) => `d${i}`).join(', ');
  const r = runScenario(parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: 20m
cluster:
  nodePools:
    - { name: doomed, count: 20, zones: [${zones}], allocatable: { cpu: "16", memory: 64Gi } }
    - { name: spare, count: 20, zones: [s], allocatable: { cpu: "16", memory: 64Gi } }
controlPlane: ${controlPlane}
kubelet: { startupLatency: 1s }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 1125
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
faults:
  - nodeDown: { pool: doomed, at: 5m }
`, 'pool-loss.yaml'));
  const row = r.tables.find((t) => t.file === 'recovery.csv')?.rows[0];
  assert.ok(row);
  // From the first eviction to every pod of the Deployment Running again (removes the
  // detection's tick alignment, the same in every variant).
  const recoverS = Number(row['time_to_full_availability_s']) - (Number(row['first_eviction_s']) - Number(row['start_s']));
  return { affected: Number(row['pods_affected']), recoverS, p99: Number(row['reschedule_p99_s']) };
}

test('a 1,000-pod pool loss recovers in (deletes + creates − burst) / controller-manager QPS; a slow etcd disk adds a commit per slow-start batch', () => {
  const base = poolLoss('{}');
  assert.equal(base.affected, 1008);
  // The taint-eviction deletes and the ReplicaSet's creates share kube-controller-manager's
  // token bucket: 2 × 1008 writes, 30 of them from the burst, at 20 QPS: (2016 − 30) / 20 =
  // 99.3 s, plus the last pod's bind, start (1 s) and status writes.
  assert.ok(base.recoverS > 99.3 && base.recoverS < 102.3, `default: ${base.recoverS} s`);
  // Half the QPS: (2016 − 30) / 10 = 198.6 s, twice as long.
  const lowQps = poolLoss('{ clients: { controllerManager: { qps: 10, burst: 30 } } }');
  assert.ok(lowQps.recoverS > 198.6 && lowQps.recoverS < 201.6, `qps 10: ${lowQps.recoverS} s`);
  assert.ok(lowQps.p99 > 1.9 * base.p99 && lowQps.p99 < 2.1 * base.p99, `p99 ${base.p99} → ${lowQps.p99}`);
  // fsync 500 ms: the ReplicaSet creates in slow-start batches of 1, 2, 4, ..., 512 (10 batches
  // for 1,008 pods), each sent once the previous one has committed; a commit now waits for one
  // or two 500 ms fsyncs, so the creates stretch by 10 × (0.5 to 1) s = 5 to 10 s, plus a few
  // fsyncs on the last pod's chain (delete, bind, status): about 5 to 12 s in all.
  const slowDisk = poolLoss('{ etcd: { fsync: 500ms } }');
  const extra = slowDisk.recoverS - base.recoverS;
  assert.ok(extra > 5 && extra < 12, `fsync 500 ms: +${extra} s`);
  assert.ok(slowDisk.p99 > base.p99 + 5 && slowDisk.p99 < base.p99 + 12, `p99 ${base.p99} → ${slowDisk.p99}`);
});

test("a kubelet's tight client rate limit holds its pods' status writes, never its lease: upstream's heartbeat client is not throttled, so no node goes NotReady", () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
metrics: { sampleInterval: 1m }
cluster:
  nodePools: [{ name: n, count: 3, allocatable: { cpu: "32", memory: 128Gi } }]
controlPlane: { clients: { kubelet: { qps: 0.05, burst: 1 } } }
kubelet: { startupLatency: 1s }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 30
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;
  const r = runScenario(parseScenario(text, 'kubelet-qps.yaml'));
  const ts = r.tables.find((t) => t.file === 'timeseries.csv')?.rows ?? [];
  assert.equal(ts.length, 11);
  // 60 lease renewals a node over 10 minutes at 0.05 QPS would take 20 minutes: none are held.
  assert.deepEqual(ts.map((x) => x['nodes_not_ready']), new Array(11).fill(0));
  assert.equal(r.summary['pods_evicted'], 0);
  // Ten pods a node, each Running write 20 s after the one before: the last pods start minutes late.
  assert.ok(Number(r.summary['startup_latency_p99_ms']) > 150_000, String(r.summary['startup_latency_p99_ms']));
  assert.equal(r.summary['replicas_ready_end'], 30);
});
