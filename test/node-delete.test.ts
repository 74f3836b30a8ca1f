// A ksim-events delete of a Node (a cluster-autoscaler scale-down, a node pool upgrade deleting
// old nodes): the API server deletes the Node object; its pods stay bound to it, running
// nowhere, until the pod garbage collector's gcOrphaned (upstream pkg/controller/podgc/
// gc_controller.go) finds the node missing at a check (every 20 s), quarantines the name for
// 40 s, checks again and marks the pods Failed (DisruptionTarget, DeletionByPodGC) and deletes
// them; their owners replace them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario, toCsv, type RunResult } from '../src/index.js';
import { tempDir } from '../src/testing/temp-dir.js';

const NODE = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'ksim.io/pool': 'n' } }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } });
const del = (at: number, name: string) => `{"at": ${at}, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "${name}"}}}`;
const add = (at: number, name: string) => `{"at": ${at}, "op": "apply", "object": ${NODE(name)}}`;

const APPS = `  - { apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { replicas: 3, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] } } } }
  - { apiVersion: apps/v1, kind: DaemonSet, metadata: { name: agent }, spec: { selector: { matchLabels: { app: agent } }, template: { metadata: { labels: { app: agent } }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "100m" } } }] } } } }
  - { apiVersion: apps/v1, kind: StatefulSet, metadata: { name: db }, spec: { replicas: 3, serviceName: db, selector: { matchLabels: { app: db } }, template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "500m" } } }] } } } }
  - { apiVersion: batch/v1, kind: Job, metadata: { name: batch }, spec: { backoffLimit: 0, podFailurePolicy: { rules: [{ action: Ignore, onPodConditions: [{ type: DisruptionTarget }] }] }, template: { spec: { restartPolicy: Never, nodeSelector: { kubernetes.io/hostname: n-1 }, containers: [{ name: c, image: x, resources: { requests: { cpu: "100m" } } }] } } } }
`;

/** Three 4-CPU nodes (n-0, n-1, n-2), a 3-replica Deployment, a DaemonSet, a 3-replica
 * StatefulSet and a Job pinned to n-1, with `events` as a ksim-events trace; API writes and
 * watches take (next to) no time. */
function scenario(events: string[]): string {
  const dir = tempDir('ksim-node-delete-');
  writeFileSync(join(dir, 'e.jsonl'), `${events.join('\n')}\n`);
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
kubelet: { startupLatency: 0s }
controlPlane: { apiWriteLatency: 0s, watchDelay: 0s, etcd: { fsync: 0s, followerRtt: 0s } }
cluster:
  nodePools: [{ name: n, count: 3, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
- name: apps
  manifests:
${APPS}- name: ev
  trace: { format: ksim-events, file: e.jsonl }
`);
  return join(dir, 's.yaml');
}

type Row = Record<string, unknown>;
const table = (r: RunResult, file: string): Row[] => r.tables.find((t) => t.file === file)!.rows as Row[];
const s = (v: unknown) => (v === null || v === '' || v === undefined ? '' : String(Math.floor(Number(v))));

test('a Node deleted at 60 s: its pods are Failed (DisruptionTarget) and deleted by the pod GC at 120 s (checks at 80 s: quarantined 40 s; 120 s: still gone), then replaced', () => {
  const r = runScenario(loadScenario(scenario([del(60, 'n-1')])), { checkInvariants: 1 });
  const pods = table(r, 'pods.csv');
  const onN1 = pods.filter((p) => p['node'] === 'n-1').map((p) => [p['owner'], s(p['bound_s']), s(p['finished_s']), s(p['deleted_s']), p['phase']]);
  // The pod GC hears the deletion at 60 s; its next check (80 s) finds pods bound to the missing
  // node and quarantines the name until 120 s; the check at 100 s has nothing ready; at 120 s
  // the node is still gone (informer and GET): each pod is patched Failed, then deleted.
  assert.deepEqual(onN1.sort(), [
    ['agent', '0', '120', '120', 'Failed'],
    ['batch', '0', '120', '120', 'Failed'],
    ['db', '0', '120', '120', 'Failed'],
    ['web-5fd7f5c68d', '0', '120', '120', 'Failed'],
  ]);
  // The Deployment's replacement and the StatefulSet's db-2 (made again only once the old one is
  // gone) are bound right after; the DaemonSet makes nothing for the missing node (3 pods made
  // in all); the Job ignores the failure (podFailurePolicy Ignore on DisruptionTarget) and
  // makes a new pod, which waits: its node is gone.
  const made = (owner: string) => pods.filter((p) => String(p['owner']).startsWith(owner)).map((p) => [p['name'], s(p['created_s']), s(p['bound_s']), p['node']]);
  assert.equal(made('web').filter((x) => x[1] === '120').length, 1);
  assert.deepEqual(made('web').filter((x) => x[1] === '120').map((x) => x[2]), ['120']);
  const db2 = pods.filter((p) => p['name'] === 'db-2');
  assert.equal(db2.length, 2);
  assert.ok(Number(db2[1]!['created_s']) >= Number(db2[0]!['deleted_s']), 'db-2 is made again only once the old one is gone');
  assert.equal(s(db2[1]!['bound_s']), '120');
  assert.equal(made('agent').length, 3);
  const batch = pods.filter((p) => p['owner'] === 'batch');
  assert.deepEqual(batch.map((p) => [s(p['bound_s']), p['phase']]), [['0', 'Failed'], ['', 'Pending']]);
  assert.ok(Number(batch[1]!['created_s']) >= 120);
  const job = table(r, 'jobs.csv').find((j) => j['name'] === 'batch')!;
  assert.deepEqual([job['failed'], job['condition']], [0, 'Running']);
  // nodes.csv: the deleted node's row, with when; the others have no deleted_s.
  assert.deepEqual(table(r, 'nodes.csv').map((n) => [n['node'], n['ready'], s(n['deleted_s']), n['pods']]), [['n-1', 'false', '60', 0], ['n-0', 'true', '', 4], ['n-2', 'true', '', 4]]);
  // The time series: from the deletion 2 Ready nodes; at 120 s (before the pod GC's check) the
  // three Running pods of n-1 are not available.
  const ts = table(r, 'timeseries.csv');
  const at = (t: number) => ts.find((x) => Number(x['time_s']) === t)!;
  const cols = (t: number) => ['nodes_ready', 'pods_running', 'pods_available'].map((c) => Number(at(t)[c]));
  assert.deepEqual(cols(60), [3, 10, 10]);
  assert.deepEqual(cols(120), [2, 10, 6]);
  // The workloads are short from the deletion to the replacement: 60 s.
  const w = table(r, 'workloads.csv');
  assert.deepEqual(w.map((x) => [x['name'], s(x['unavailable_s']), String(x['available_min_ratio'])]), [['web', '60', '0.666667'], ['db', '60', '0.666667']]);
});

test('a deleted node joining again with the same name: before the pod GC, its new kubelet runs the pods still bound to it; later, as a new node (the DaemonSet makes its pod)', () => {
  const r = runScenario(loadScenario(scenario([del(60, 'n-1'), add(90, 'n-1'), del(150, 'n-1'), add(240, 'n-1')])), { checkInvariants: 1 });
  const pods = table(r, 'pods.csv');
  // Back at 90 s: the pods bound to n-1 run again there, and the pod GC's quarantine (until
  // 120 s) finds the node present. Deleted again at 150 s: quarantined at 160 s, gone at 200 s.
  assert.deepEqual(pods.filter((p) => p['node'] === 'n-1' && p['phase'] === 'Failed').map((p) => s(p['deleted_s'])), ['200', '200', '200', '200']);
  // At 240 s a new n-1 joins: the DaemonSet makes its pod there.
  assert.deepEqual(pods.filter((p) => p['owner'] === 'agent' && p['node'] === 'n-1').map((p) => [s(p['created_s']), s(p['bound_s']), p['phase']]), [['0', '0', 'Failed'], ['240', '240', 'Running']]);
  assert.deepEqual(table(r, 'nodes.csv').map((n) => [n['node'], s(n['deleted_s'])]), [['n-1', '60'], ['n-1', '150'], ['n-0', ''], ['n-2', ''], ['n-1', '']]);
  const w = table(r, 'workloads.csv');
  // Unavailable 60-90 s (node gone), then 150-200 s.
  assert.deepEqual(w.map((x) => [x['name'], s(x['unavailable_s'])]), [['web', '80'], ['db', '80']]);
});

test('a run with Node deletes is deterministic', () => {
  const path = scenario([del(60, 'n-1'), add(90, 'n-1'), del(150, 'n-2')]);
  const a = runScenario(loadScenario(path));
  const b = runScenario(loadScenario(path));
  for (const t of a.tables) assert.equal(toCsv(t), toCsv(b.tables.find((x) => x.file === t.file)!), t.file);
});

test('a delete of a Node that does not exist is counted as NotFound', () => {
  const r = runScenario(loadScenario(scenario([del(30, 'nope')])));
  assert.match(r.warnings.join('\n'), /1 delete\(s\) of objects that did not exist.*Node nope/);
});
