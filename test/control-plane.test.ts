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

test('a 1,000-pod pool loss recovers in (pods − burst) / controller-manager QPS: the evictions and the creates pace in parallel; a slow etcd disk adds commits to every slow-start batch', () => {
  const base = poolLoss('{}');
  assert.equal(base.affected, 1008);
  // The taint-eviction controller's deletes and the ReplicaSet controller's creates each have a
  // token bucket of their own (20 QPS, burst 30): 1008 writes each, 30 from the burst, in
  // parallel: (1008 − 30) / 20 = 48.9 s, plus the last pod's bind, start (1 s) and status writes.
  assert.ok(base.recoverS > 48.9 && base.recoverS < 51.9, `default: ${base.recoverS} s`);
  // Half the QPS: (1008 − 30) / 10 = 97.8 s, twice as long.
  const lowQps = poolLoss('{ clients: { controllerManager: { qps: 10, burst: 30 } } }');
  assert.ok(lowQps.recoverS > 97.8 && lowQps.recoverS < 100.8, `qps 10: ${lowQps.recoverS} s`);
  assert.ok(lowQps.p99 > 1.9 * base.p99 && lowQps.p99 < 2.2 * base.p99, `p99 ${base.p99} → ${lowQps.p99}`);
  // fsync 500 ms: a commit waits for one or two 500 ms fsyncs, and the ReplicaSet creates in
  // slow-start batches (1, 2, 4, ...), each sent once the previous one has committed; the
  // evictions reach it a few at a time, and each sync that hears some starts its batches at 1
  // again, so the creates fall behind the deletes: 15 to 30 s more in all (22 s on this seed).
  const slowDisk = poolLoss('{ etcd: { fsync: 500ms } }');
  const extra = slowDisk.recoverS - base.recoverS;
  assert.ok(extra > 15 && extra < 30, `fsync 500 ms: +${extra} s`);
  assert.ok(slowDisk.p99 > base.p99 + 15 && slowDisk.p99 < base.p99 + 30, `p99 ${base.p99} → ${slowDisk.p99}`);
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

test("each controller has its own client rate limit, as upstream: a Deployment's 1,500 creates do not hold up the node lifecycle controller's taint of a lost node", () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 4m
cluster:
  nodePools: [{ name: general, count: 20, zones: [zone-a, zone-b], allocatable: { cpu: "64", memory: 256Gi } }]
workload:
  - name: api
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: api }
      spec:
        replicas: 20
        selector: { matchLabels: { app: api } }
        template:
          metadata: { labels: { app: api } }
          spec:
            tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 10 }]
            containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }]
  - name: big
    at: 100s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: big }
      spec:
        replicas: 1500
        selector: { matchLabels: { app: big } }
        template:
          metadata: { labels: { app: big } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 10m } } }] }
faults:
  - nodeDown: { nodes: [general-0], at: 60s }
`;
  const r = runScenario(parseScenario(text, 'cm.yaml'), { events: true });
  const events = r.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  // The ReplicaSet controller sends big's creates from 100 s on: (1,500 − 30) / 20 QPS ≈ 73 s of
  // them. The node goes Unknown at the first 5-s monitor tick more than 50 s after its last
  // renewal (before 60 s): at 115 s here, and the update commits milliseconds later (with one
  // shared bucket it waited behind the creates until 123.7 s).
  const taint = events.find((e) => e['kind'] === 'api.update-node' && e['object'] === 'general-0');
  assert.ok(Number(taint?.['time_s']) > 115 && Number(taint?.['time_s']) < 115.1, `taint write at ${String(taint?.['time_s'])} s`);
  const creates = events.filter((e) => e['kind'] === 'api.create-pod' && String(e['object']).includes('/big-'));
  assert.equal(creates.length, 1500);
  assert.ok(Number(creates.at(-1)?.['time_s']) > 173, `the last create at ${String(creates.at(-1)?.['time_s'])} s`);
  // The NoExecute taint comes at the next tick (120 s) and the api pod on general-0 tolerates it
  // 10 s: evicted at 130 s.
  const evicted = (r.tables.find((t) => t.file === 'placements.csv')?.rows ?? []).filter((p) => p['result'] === 'evicted');
  assert.equal(evicted.length, 1);
  assert.ok(Number(evicted[0]?.['time_s']) > 130 && Number(evicted[0]?.['time_s']) < 130.1, String(evicted[0]?.['time_s']));
});
