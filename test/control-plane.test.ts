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
