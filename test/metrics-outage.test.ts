// The metrics collector's outputs through a node outage, row by row: a one-replica Deployment
// on a-0 (4 CPU, 8Gi), b-0 (2 CPU, 4Gi) joining at 2m, a-0 down from 3m to 10m. Expected values
// follow from the definitions in the README's Outputs section:
//  - a-0 is NotReady by 240 s (lease grace after the crash at 180 s): its capacity moves to the
//    *_not_ready columns, its Running pod stops being available, the requested ratios count
//    Ready nodes only (b-0, empty: 0);
//  - the pod is evicted at 540.004 s (NotReady at ~235 s, the NoExecute taint at the next 5 s
//    pass, + the default 300 s toleration), its replacement binds to b-0 and runs 2 s later: at
//    600 s Running 2 (the evicted one still Running as far as the API knows, Terminating on the
//    unreachable node), available 1, ratios 1 CPU / 2 CPU and 1Gi / 4Gi;
//  - a-0 returns at 600 s, its kubelet confirms the deletion: a "terminated" row after 59.997 s
//    of Terminating, and the ratios are over both nodes again (1 / 6 CPU, 1 / 12 GiB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario } from '../src/index.js';
import type { Row } from '../src/metrics/collector.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 12m
cluster:
  nodePools:
    - { name: a, count: 1, allocatable: { cpu: "4", memory: 8Gi } }
    - { name: b, count: 1, joinAt: 2m, allocatable: { cpu: "2", memory: 4Gi } }
kubelet: { startupLatency: 2s }
metrics: { sampleInterval: 1m }
faults: [{ nodeDown: { nodes: [a-0], at: 3m, for: 7m } }]
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 1
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }] }
`;

const run = runScenario(parseScenario(SCENARIO, 'metrics-outage.yaml'), { checkInvariants: true });
const rows = (file: string): readonly Row[] => run.tables.find((t) => t.file === file)?.rows ?? [];

const COLUMNS = ['nodes_ready', 'nodes_not_ready', 'pods_running', 'pods_available', 'pods_terminating', 'cpu_requested_ratio', 'memory_requested_ratio', 'cpu_allocatable_not_ready_milli', 'memory_allocatable_not_ready_bytes'];

test('timeseries.csv through an outage: readiness, availability, Terminating pods, ratios over Ready nodes, NotReady capacity', () => {
  const at = (s: number) => {
    const row = rows('timeseries.csv').find((r) => r['time_s'] === String(s));
    assert.ok(row !== undefined, `no row at ${s} s`);
    return COLUMNS.map((c) => row[c]);
  };
  assert.deepEqual(at(60), [1, 0, 1, 1, 0, '0.25', '0.125', 0, 0]);
  assert.deepEqual(at(180), [2, 0, 1, 1, 0, '0.166667', '0.083333', 0, 0]);
  assert.deepEqual(at(240), [1, 1, 1, 0, 0, '0', '0', 4000, 8589934592]);
  assert.deepEqual(at(540), [1, 1, 1, 0, 0, '0', '0', 4000, 8589934592]); // the sample comes before the eviction's commit
  assert.deepEqual(at(600), [1, 1, 2, 1, 1, '0.5', '0.25', 4000, 8589934592]);
  assert.deepEqual(at(660), [2, 0, 1, 1, 0, '0.166667', '0.083333', 0, 0]);
});

test('placements.csv through an outage: the binding, the eviction, the replacement and the end of Terminating, with the columns that apply', () => {
  const pick = (r: Row) => [r['result'], r['node'], r['attempt'], r['reason'], r['bind_ms'] === '' ? 'no bind_ms' : 'bind_ms', r['cycle_ms'] === '' ? 'no cycle_ms' : 'cycle_ms'];
  assert.deepEqual(rows('placements.csv').map(pick), [
    ['bound', 'a-0', 1, '', 'bind_ms', 'cycle_ms'],
    ['evicted', 'a-0', '', 'taint node.kubernetes.io/unreachable:NoExecute, tolerated for 300s', 'no bind_ms', 'no cycle_ms'],
    ['bound', 'b-0', 1, '', 'bind_ms', 'cycle_ms'],
    ['terminated', 'a-0', '', 'terminating for 59.997s after: evicted: taint node.kubernetes.io/unreachable:NoExecute, tolerated for 300s', 'no bind_ms', 'no cycle_ms'],
  ]);
  assert.deepEqual(rows('placements.csv').map((r) => r['time_s']), ['0.013798', '540.004339', '540.012119', '600.004744']);
});

test('summary.csv latencies: scheduling within milliseconds of creation, startup 2 s (the kubelet startup latency) plus the binding', () => {
  const s = run.summary;
  for (const c of ['sched_latency_p50_ms', 'sched_latency_p99_ms']) assert.ok(Number(s[c]) > 0 && Number(s[c]) < 20, `${c} ${String(s[c])}`);
  for (const c of ['startup_latency_p50_ms', 'startup_latency_p99_ms']) assert.ok(Number(s[c]) >= 2000 && Number(s[c]) < 2020, `${c} ${String(s[c])}`);
  assert.deepEqual([s['pods_submitted'], s['pods_bound'], s['node_failures'], s['pods_evicted'], s['reschedule_p50_s']], [2, 2, 1, 1, 0.00778]);
});
