// The ReplicaSet controller's slow start and replacement, through a whole (small) run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';

function scenario(replicas: number, runDuration: string, duration: string): string {
  return `
apiVersion: ksim/v1alpha1
kind: Scenario
duration: ${duration}
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "8", memory: 32Gi } }]
controlPlane: { apiWriteLatency: 1ms, watchDelay: 0s, etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 } } # a fixed 1 ms per write
kubelet: { startupLatency: 2s }
workload:
  - name: web
    runDuration: ${runDuration}
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;
}

test('a ReplicaSet creates its pods in slow-start batches of 1, 2, 4 as each batch is observed', () => {
  const result = runScenario(parseScenario(scenario(7, 'forever', '1m'), 'slow-start.yaml'), { events: true });
  const events = result.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  // Writes: Deployment at 1 ms, its ReplicaSet at 2 ms, then pod creations committing at
  // 3 ms (1 pod), 4 ms (2 pods), 5 ms (4 pods): each batch starts when the previous one committed.
  const creates = events.filter((e) => e['kind'] === 'api.create-pod').map((e) => e['time_s']);
  assert.deepEqual(creates, ['0.003', '0.004', '0.004', '0.005', '0.005', '0.005', '0.005']);
  assert.equal(result.summary['pods_bound'], 7);
});

test('pods that complete are replaced, so a Deployment keeps its replicas running', () => {
  // 3 replicas that each run 10 min, for 25 min: the originals complete at ~10 min, their
  // replacements at ~20 min, and a third generation runs at the end: 9 pods in all.
  const result = runScenario(parseScenario(scenario(3, '10m', '25m'), 'churn.yaml'));
  assert.equal(result.summary['pods_submitted'], 9);
  assert.equal(result.summary['pods_bound'], 9);
  const last = result.tables.find((t) => t.file === 'timeseries.csv')?.rows.at(-1);
  assert.equal(last?.['pods_running'], 3);
  assert.equal(last?.['pods_succeeded'], 6);
});
