// The outputs count availability as upstream does (pkg/api/v1/pod/util.go IsPodAvailable): a pod
// is available once Ready for its workload's spec.minReadySeconds, counted from when it turned
// Ready (started, or its node came back). The node-failure scenario (test/node-failure.test.ts)
// with the Deployment at minReadySeconds 30 against 0: the pod evicted from n-0 is replaced at
// about 460 s and Running 1 s later, so web is whole 30 s later than Ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { Row } from '../src/metrics/collector.js';

/** `tail`: what follows the Deployment's workload entry (more entries, or the faults). */
const scenario = (minReadySeconds: number, duration = '10m', tail = 'faults:\n  - nodeDown: { nodes: [n-0], at: 100s }\n') => `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: min-ready }
seed: 3
duration: ${duration}
cluster:
  nodePools:
    - { name: n, count: 3, zones: [zone-a], allocatable: { cpu: "4", memory: 16Gi } }
controlPlane:
  apiWriteLatency: 1ms
  watchDelay: 0s
  etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 }
kubelet:
  startupLatency: 1s
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3
        minReadySeconds: ${minReadySeconds}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1", memory: 1Gi } } }]
${tail}`;

function table(tables: readonly { file: string; rows: readonly Row[] }[], file: string): readonly Row[] {
  const t = tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows;
}

test('a nodeDown: with minReadySeconds 30 the Deployment is whole 30 s later than Ready (recovery.csv, workloads.csv, summary.csv)', () => {
  const figures = (m: number) => {
    const r = runScenario(parseScenario(scenario(m), `min-ready-${m}.yaml`));
    const rec = table(r.tables, 'recovery.csv')[0];
    const w = table(r.tables, 'workloads.csv')[0];
    return [rec?.['detected_s'], rec?.['first_eviction_s'], rec?.['min_available_ratio'], rec?.['time_to_full_availability_s'], w?.['ready'], w?.['available_min_ratio'], w?.['unavailable_s'], r.summary['time_to_full_availability_max_s'], r.summary['replicas_ready_end']];
  };
  // Detected at 155 s, evicted at 460.001 s; the replacement Running at 461.005105 s.
  assert.deepEqual(figures(0), ['155', '460.001', '0.666667', '361.005105', 3, '0.666667', '306.004105', 361.005105, 3]);
  assert.deepEqual(figures(30), ['155', '460.001', '0.666667', '391.005105', 3, '0.666667', '336.004105', 391.005105, 3]);
});

test('a run that ends while its pods wait for minReadySeconds: none available, and the warning says why', () => {
  // Running at about 1 s, available at about 31 s: a 20 s run ends before.
  const r = runScenario(parseScenario(scenario(30, '20s', ''), 'min-ready-short.yaml'));
  assert.deepEqual(table(r.tables, 'workloads.csv').map((w) => [w['desired'], w['ready'], w['available_min_ratio'], w['unavailable_s']]), [[3, 0, '', '']]);
  assert.equal(r.summary['replicas_ready_end'], 0);
  assert.ok(r.warnings.includes('Deployment default/web ends with 0 of 3 replicas ready: 3 Ready for less than minReadySeconds (30 s), not available yet'), r.warnings.join('\n'));
  // At 40 s they are.
  const later = runScenario(parseScenario(scenario(30, '40s', ''), 'min-ready-40s.yaml'));
  assert.deepEqual(table(later.tables, 'workloads.csv').map((w) => [w['desired'], w['ready'], w['available_min_ratio'], w['unavailable_s']]), [[3, 3, '1', '0']]);
  assert.equal(later.summary['replicas_ready_end'], 3);
});

test('timeseries.csv pods_available (and per pool) counts a pod once Ready for its owner\'s minReadySeconds: a DaemonSet\'s 10 s, a Deployment\'s 30 s, a Job\'s pod at once', () => {
  // Every pod Running at about 1 s: the Job's available then, the DaemonSet's two at about 11 s,
  // the Deployment's three at about 31 s. Before, every sample from 5 s read 6.
  const yaml = scenario(30, '60s', `  - name: agent
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        minReadySeconds: 10
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec:
            containers: [{ name: agent, image: agent, resources: { requests: { cpu: 100m, memory: 100Mi } } }]
  - name: batch
    at: 0s
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: batch }
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{ name: b, image: busybox, resources: { requests: { cpu: 100m, memory: 100Mi } } }]
`)
    .replace('count: 3,', 'count: 2,')
    .replace('duration: 60s', 'duration: 60s\nmetrics: { sampleInterval: 5s, groupBy: pool }');
  const r = runScenario(parseScenario(yaml, 'min-ready-timeseries.yaml'));
  const ts = table(r.tables, 'timeseries.csv');
  assert.deepEqual(ts.map((row) => row['pods_running']), [0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
  assert.deepEqual(ts.map((row) => row['pods_available']), [0, 1, 1, 3, 3, 3, 3, 6, 6, 6, 6, 6, 6]);
  assert.deepEqual(ts.map((row) => row['pool=n:pods_available']), [0, 1, 1, 3, 3, 3, 3, 6, 6, 6, 6, 6, 6]);
});
