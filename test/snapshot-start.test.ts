// A cluster snapshot (test/snapshots/shop/: a NodeList and a PodList with kindless items, as
// the API returns them, and a List of owners, all with status and managedFields) is the start
// state: its bound pods are Running on their nodes at t = 0, their owners keep them (nothing is
// recreated), a pod with nodeName "" is scheduled, and a Deployment scale-up adds pods to the
// snapshot's own ReplicaSet beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, runScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';
import type { Row } from '../src/metrics/collector.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '../src/testing/temp-dir.js';

const SCENARIO = repoPath('test/snapshots/snapshot-start.yaml');

function table(result: ReturnType<typeof runScenario>, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t !== undefined, file);
  return t.rows;
}

/** Writes `items` (YAML lines of List items) as snapshot.yaml and a scenario of `duration`
 * starting from it; returns the scenario's path. */
function snapshotScenario(prefix: string, duration: string, items: readonly string[]): string {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'snapshot.yaml'), ['apiVersion: v1', 'kind: List', 'items:', ...items, ''].join('\n'));
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: ${duration}\ncluster:\n  file: snapshot.yaml\n`);
  return join(dir, 's.yaml');
}

/** A Node item: `cpu` CPUs, 8Gi, 110 pods; `taints` a flow list; `ready` its Ready condition;
 * `heartbeat` a Ready "True" condition last posted then (the snapshot's own time). */
function nodeItem(name: string, cpu: string, opts: { taints?: string; ready?: string; heartbeat?: string } = {}): string[] {
  return [
    '- apiVersion: v1',
    '  kind: Node',
    `  metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}`,
    ...(opts.taints === undefined ? [] : [`  spec: {taints: ${opts.taints}}`]),
    '  status:',
    `    allocatable: {cpu: "${cpu}", memory: 8Gi, pods: "110"}`,
    ...(opts.ready === undefined ? [] : [`    conditions: [{type: Ready, status: "${opts.ready}"}]`]),
    ...(opts.heartbeat === undefined ? [] : [`    conditions: [{type: Ready, status: "True", lastHeartbeatTime: "${opts.heartbeat}"}]`]),
  ];
}

test('a snapshot is read as the start state: skipped kinds and pods on missing nodes are warned about; finished pods are kept apart with their phase', () => {
  const s = loadScenario(SCENARIO);
  assert.deepEqual(s.nodes.map((n) => n.node.metadata?.name), ['node-a', 'node-b']);
  assert.deepEqual((s.startPods ?? []).map((p) => `${p.metadata?.name}@${p.spec?.nodeName ?? '-'}`), ['web-7d9f8c6b5-abcde@node-a', 'web-7d9f8c6b5-fghij@node-b', 'db-0@node-a', 'waiting@-']);
  assert.deepEqual((s.startObjects ?? []).map((o) => `${o.kind}/${o.metadata.name}`), ['Deployment/web', 'ReplicaSet/web-7d9f8c6b5', 'StatefulSet/db', 'Namespace/shop']);
  // status and managedFields are dropped.
  assert.equal((s.startPods ?? [])[0]?.status, undefined);
  assert.equal((s.startPods ?? [])[0]?.metadata?.managedFields, undefined);
  assert.deepEqual((s.startFinishedPods ?? []).map((p) => `${p.metadata?.name}@${p.spec?.nodeName ?? '-'}:${p.status?.phase}`), ['report-28848000-x7k2p@node-b:Succeeded']);
  assert.deepEqual(s.warnings, [
    'test/snapshots/shop/workloads.json: skipped 1 ConfigMap: not simulated',
    'cluster.file: pod shop/ghost is bound to node "node-gone", which is not in the snapshot: skipped',
  ].map((w) => (w.startsWith('test/') ? repoPath(w) : w)));
});

test('every bound pod of the snapshot is Running on its node at t = 0, before any event', () => {
  const run = prepareRun(loadScenario(SCENARIO), { checkInvariants: true });
  const placed = [...run.cluster.pods.values()].map((p) => `${p.name}@${p.nodeName ?? '-'}:${p.phase}`).sort();
  assert.deepEqual(placed, ['db-0@node-a:Running', 'waiting@-:Pending', 'web-7d9f8c6b5-abcde@node-a:Running', 'web-7d9f8c6b5-fghij@node-b:Running']);
  assert.deepEqual(run.cluster.nodes.map((n) => `${n.name} ${n.requested.milliCpu}m`), ['node-a 3000m', 'node-b 1000m']);
});

test('the snapshot\'s owners keep its pods (none recreated) and a scale-up adds pods to its ReplicaSet beside them', () => {
  const result = runScenario(loadScenario(SCENARIO), { checkInvariants: true });
  const ts = table(result, 'timeseries.csv');
  // t = 0: 3 Running (web ×2, db-0: 1 + 1 + 2 of 8 CPUs), the unbound pod pending.
  assert.deepEqual(['time_s', 'pods_running', 'pods_pending', 'cpu_requested_ratio'].map((c) => String(ts[0]?.[c])), ['0', '3', '1', '0.5']);
  const placements = table(result, 'placements.csv').map((r) => `${r['pod']} ${r['result']} ${r['node']}`);
  // Only the pending pod and the two pods of the scale-up are scheduled; nothing is deleted.
  assert.deepEqual(placements.map((p) => p.replace(/-[b-z2-9]{5} /, '-xxxxx ')), ['waiting bound node-b', 'web-7d9f8c6b5-xxxxx bound node-b', 'web-7d9f8c6b5-xxxxx bound node-a']);
  // pods_submitted counts the pods created during the run only (not the snapshot's).
  assert.deepEqual(['pods_submitted', 'pods_bound', 'replicas_desired_end', 'replicas_ready_end'].map((c) => String(result.summary[c])), ['2', '3', '5', '5']);
  const nodes = table(result, 'nodes.csv').map((r) => `${r['node']} ${r['pods']} ${r['cpu_requested_milli']}`);
  assert.deepEqual(nodes, ['node-a 3 4000', 'node-b 3 2500']);
  const workloads = table(result, 'workloads.csv').map((r) => `${r['kind']}/${r['name']} ${r['desired']} ${r['ready']} ${r['available_min_ratio']}`);
  assert.deepEqual(workloads, ['Deployment/web 4 4 1', 'StatefulSet/db 1 1 1']);
  // pods.csv: the snapshot's pods carry their node's zone (node-a in zone-a, node-b in zone-b)
  // and no creation or binding time of this run.
  const pods = table(result, 'pods.csv').filter((r) => ['db-0', 'web-7d9f8c6b5-abcde', 'web-7d9f8c6b5-fghij'].includes(String(r['name'])));
  assert.deepEqual(pods.map((r) => `${r['name']} ${r['node']} ${r['zone']} ${r['phase']}`), ['db-0 node-a zone-a Running', 'web-7d9f8c6b5-abcde node-a zone-a Running', 'web-7d9f8c6b5-fghij node-b zone-b Running']);
});

test('a snapshot read as kubectl reads files: empty documents are skipped, a file of nothing but empty documents is refused', () => {
  const dir = tempDir('ksim-snap-empty-');
  const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}\n';
  writeFileSync(join(dir, 'nodes.yaml'), `---\n# rendered by a chart\n---\n${node}---\n`);
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: 1m\ncluster:\n  file: nodes.yaml\n');
  assert.deepEqual(loadScenario(join(dir, 's.yaml')).nodes.map((n) => n.node.metadata?.name), ['n1']);
  writeFileSync(join(dir, 'nodes.yaml'), '---\n# nothing rendered\n---\n');
  assert.throws(() => loadScenario(join(dir, 's.yaml')), { message: `${join(dir, 'nodes.yaml')}: expected at least one Kubernetes object, got an empty file` });
  assert.throws(() => loadScenario(join(dir, 'missing.yaml')), /expected a readable file/);
  writeFileSync(join(dir, 's2.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: 1m\ncluster:\n  file: gone/\n');
  assert.throws(() => loadScenario(join(dir, 's2.yaml')), { message: /s2\.yaml:6:9: cluster\.file: expected a readable file or directory \(paths are relative to the scenario\), got "gone\/": no such file$/ });
});

test('a snapshot pod being deleted (deletionTimestamp) is Terminating from t = 0: its ReplicaSet keeps the replacement, its kubelet stops it after deletionGracePeriodSeconds', () => {
  const pod = (name: string, node: string | null, deleting: boolean) => [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    `    name: ${name}`,
    '    namespace: default',
    '    labels: {app: web}',
    ...(deleting ? ['    deletionTimestamp: "2024-05-01T10:06:00Z"', '    deletionGracePeriodSeconds: 20'] : []),
    '    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7c5ddbdf54, uid: rs-uid, controller: true}]',
    '  spec:',
    ...(node === null ? [] : [`    nodeName: ${node}`]),
    '    containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m, memory: 256Mi}}}]',
    `  status: {phase: ${node === null ? 'Pending' : 'Running'}}`,
  ];
  const scenario = snapshotScenario('ksim-snap-terminating-', '10m', [
    ...nodeItem('node-a', '4'),
    ...nodeItem('node-b', '4'),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: web-7c5ddbdf54, namespace: default, uid: rs-uid}',
    '  spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}',
    ...pod('web-7c5ddbdf54-old01', 'node-a', true),
    ...pod('web-7c5ddbdf54-keep1', 'node-b', false),
    ...pod('web-7c5ddbdf54-new01', null, false),
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  const placements = table(result, 'placements.csv').map((r) => `${r['pod']} ${r['result']} ${r['node']} ${r['reason']}`);
  // The replacement is scheduled (not deleted as a surplus replica); the old pod leaves after its
  // 20 s deletion grace period.
  assert.deepEqual(placements, ['web-7c5ddbdf54-new01 bound node-a ', 'web-7c5ddbdf54-old01 terminated node-a terminating for 20.001s after: being deleted in the snapshot']);
  // A snapshot's workload is held to its replicas from t = 0: one of two was available until the
  // replacement started.
  assert.deepEqual(table(result, 'workloads.csv').map((r) => `${r['kind']}/${r['name']} ${r['desired']} ${r['ready']} ${r['available_min_ratio']}`), ['ReplicaSet/web-7c5ddbdf54 2 2 0.5']);
  const started = Number(table(result, 'pods.csv').find((r) => r['name'] === 'web-7c5ddbdf54-new01')?.['started_s']);
  assert.equal(Number(table(result, 'workloads.csv')[0]?.['unavailable_s']), started);
  assert.equal(String(table(result, 'timeseries.csv')[0]?.['pods_terminating']), '1');
});

test('a snapshot pod running on a node tainted NoSchedule since is not a placement violation (--check-invariants)', () => {
  const scenario = snapshotScenario('ksim-snap-tainted-', '1m', [
    ...nodeItem('node-a', '4', { taints: '[{key: dedicated, value: db, effect: NoSchedule}]' }),
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: app-0, namespace: default}',
    '  spec: {nodeName: node-a, containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m, memory: 256Mi}}}]}',
    '  status: {phase: Running}',
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  assert.deepEqual(table(result, 'nodes.csv').map((r) => `${r['node']} ${r['pods']} ${r['cpu_requested_milli']}`), ['node-a 1 500']);
});

test('a snapshot node that is not Ready stays down and NotReady from t = 0 (its pods evicted after their toleration); a Ready node\'s leftover unreachable taint goes at the first pass', () => {
  const podItem = (name: string, node: string | null) => [
    '- apiVersion: v1',
    '  kind: Pod',
    `  metadata: {name: ${name}, namespace: default}`,
    `  spec: {${node === null ? '' : `nodeName: ${node}, `}containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m}}}]}`,
    `  status: {phase: ${node === null ? 'Pending' : 'Running'}}`,
  ];
  const scenario = snapshotScenario('ksim-snap-notready-', '10m', [
    // Its NotReady condition comes with the controller's taints, as a dump shows them.
    ...nodeItem('lost', '2', { taints: '[{key: node.kubernetes.io/unreachable, effect: NoSchedule}, {key: node.kubernetes.io/unreachable, effect: NoExecute}]', ready: 'Unknown' }),
    ...nodeItem('stale', '2', { taints: '[{key: node.kubernetes.io/unreachable, effect: NoSchedule}]', ready: 'True' }),
    ...podItem('stuck', 'lost'),
    ...podItem('waiting', null),
  ]);
  const s = loadScenario(scenario);
  assert.deepEqual(s.warnings, [`${join(dirname(scenario), 'snapshot.yaml')}: node lost is not Ready in the snapshot (Ready Unknown): simulated as down for the whole run (its kubelet renews no lease), NotReady from t = 0; its pods are evicted once they stop tolerating its taints`]);
  const result = runScenario(s, { checkInvariants: true });
  const ts = table(result, 'timeseries.csv');
  assert.deepEqual(['time_s', 'nodes_ready', 'nodes_not_ready'].map((c) => String(ts[0]?.[c])), ['0', '1', '1']);
  assert.deepEqual(['nodes_ready', 'nodes_not_ready'].map((c) => String(ts[ts.length - 1]?.[c])), ['1', '1']);
  assert.deepEqual(table(result, 'nodes.csv').map((r) => `${r['node']} ${r['ready']}`), ['lost false', 'stale true']);
  const placements = table(result, 'placements.csv').map((r) => `${r['pod']} ${r['result']} ${r['node']} ${Math.floor(Number(r['time_s']))}`);
  // waiting: unschedulable while stale keeps its leftover taint, bound once the controller's
  // first pass (5 s) takes it off; stuck: evicted 300 s (its default toleration) after t = 0,
  // when the taint-eviction controller first handles the node already carrying unreachable:NoExecute
  // (upstream's node AddFunc), not after the lifecycle controller's first pass re-writes it (305 s).
  assert.deepEqual(placements, ['waiting unschedulable  0', 'waiting bound stale 5', 'stuck evicted lost 300']);
});

test('a snapshot node that is not Ready without the controller\'s taint gets it at t = 0: neither a DaemonSet\'s pod nor a pending pod binds to it', () => {
  // Before: the DaemonSet created a pod for "down" and both it and "waiting" could bind there
  // in the 5 s before the controller's first pass tainted it.
  const scenario = snapshotScenario('ksim-snap-notready-untainted-', '1m', [
    ...nodeItem('down', '8', { ready: 'False' }),
    ...nodeItem('gone', '8', { ready: 'Unknown' }),
    ...nodeItem('up', '2', { ready: 'True' }),
    '- apiVersion: apps/v1',
    '  kind: DaemonSet',
    '  metadata: {name: agent, namespace: default}',
    '  spec:',
    '    selector: {matchLabels: {app: agent}}',
    '    template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: agent, resources: {requests: {cpu: 100m}}}]}}',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: waiting, namespace: default}',
    '  spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m}}}]}',
    '  status: {phase: Pending}',
  ]);
  const s = loadScenario(scenario);
  const file = join(dirname(scenario), 'snapshot.yaml');
  assert.deepEqual(s.warnings, [
    `${file}: node down is not Ready in the snapshot (Ready False): simulated as down for the whole run (its kubelet renews no lease), NotReady from t = 0 (given the taint node.kubernetes.io/not-ready:NoSchedule the node lifecycle controller puts on it at once, which the snapshot lacks); its pods are evicted once they stop tolerating its taints`,
    `${file}: node gone is not Ready in the snapshot (Ready Unknown): simulated as down for the whole run (its kubelet renews no lease), NotReady from t = 0 (given the taint node.kubernetes.io/unreachable:NoSchedule the node lifecycle controller puts on it at once, which the snapshot lacks); its pods are evicted once they stop tolerating its taints`,
  ]);
  assert.deepEqual(s.nodes.map((n) => `${n.node.metadata?.name} ${JSON.stringify(n.node.spec?.taints ?? [])}`), [
    'down [{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]',
    'gone [{"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"}]',
    'up []',
  ]);
  const result = runScenario(s, { checkInvariants: true });
  const placements = table(result, 'placements.csv').map((r) => `${r['owner_kind'] === 'DaemonSet' ? 'agent' : r['pod']} ${r['result']} ${r['node']}`);
  assert.deepEqual(placements.sort(), ['agent bound up', 'waiting bound up']);
});

test('a workload Job named as a Job of the snapshot is refused at load (upstream: a Job\'s template is immutable); a Pod of a snapshot pod\'s name is refused by the API server at run time', () => {
  // Before: the workload's Job (3 completions, another image) was dropped without a word.
  const scenario = snapshotScenario('ksim-snap-job-name-', '5m', [
    ...nodeItem('n1', '4'),
    '- apiVersion: batch/v1',
    '  kind: Job',
    '  metadata: {name: backup, namespace: default, uid: j1}',
    '  spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: b, resources: {requests: {cpu: 100m}}}]}}}',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: solo, namespace: default}',
    '  spec: {nodeName: n1, containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]}',
    '  status: {phase: Running}',
  ]);
  const job = '{apiVersion: batch/v1, kind: Job, metadata: {name: backup}, spec: {completions: 3, template: {spec: {restartPolicy: Never, containers: [{name: c, image: b2}]}}}}';
  const pod = '{apiVersion: v1, kind: Pod, metadata: {name: solo}, spec: {containers: [{name: c, image: x}]}}';
  const base = readFileSync(scenario, 'utf8');
  writeFileSync(scenario, `${base}workload:\n  - name: again\n    at: 10s\n    manifests:\n      - ${job}\n`);
  assert.throws(() => loadScenario(scenario), {
    message: `${scenario}:11:60: workload[0].manifests[0].metadata.name: expected a name not used by a Job of the cluster snapshot (a Job's spec is immutable; the snapshot has Job default/backup), got "backup"`,
  });
  writeFileSync(scenario, `${base}workload:\n  - name: again\n    at: 10s\n    manifests:\n      - ${pod}\n`);
  const result = runScenario(loadScenario(scenario), {});
  assert.deepEqual(result.warnings.filter((w) => w.includes('refused')), ['1 create(s) refused by the API server, first default/solo: pods "solo" already exists']);
});

test('a snapshot workload that never reaches its replicas counts as short from t = 0 (available_min_ratio, unavailable_s)', () => {
  // Before: both columns were empty, as for a workload just created that had not yet reached its
  // count, though this one was 1 of 3 when the snapshot was taken and only reached 2.
  const scenario = snapshotScenario('ksim-snap-short-', '5m', [
    ...nodeItem('n1', '1'),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: web, namespace: default, uid: rs-uid}',
    '  spec: {replicas: 3, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 400m}}}]}}}',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: web-a, namespace: default, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: rs-uid, controller: true}]}',
    '  spec: {nodeName: n1, containers: [{name: c, image: nginx, resources: {requests: {cpu: 400m}}}]}',
    '  status: {phase: Running}',
  ]);
  const result = runScenario(loadScenario(scenario), {});
  assert.deepEqual(table(result, 'workloads.csv').map((r) => `${r['kind']}/${r['name']} ${r['desired']} ${r['ready']} ${r['available_min_ratio']} ${r['unavailable_s']}`), ['ReplicaSet/web 3 2 0.333333 300']);
});

test('a snapshot StatefulSet with volumeClaimTemplates is warned about once, as a workload entry is: volume topology is not simulated', () => {
  const scenario = snapshotScenario('ksim-snap-claims-', '1m', [
    ...nodeItem('n1', '4'),
    '- apiVersion: apps/v1',
    '  kind: StatefulSet',
    '  metadata: {name: db, namespace: default}',
    '  spec:',
    '    serviceName: db',
    '    replicas: 1',
    '    selector: {matchLabels: {app: db}}',
    '    template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: postgres}]}}',
    '    volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: db-0, namespace: default, labels: {app: db}}',
    '  spec: {nodeName: n1, containers: [{name: c, image: postgres}], volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-0}}]}',
  ]);
  assert.deepEqual(loadScenario(scenario).warnings, [
    `${join(dirname(scenario), 'snapshot.yaml')}:17:27: items[1].spec.volumeClaimTemplates: mounts a PersistentVolumeClaim: volume topology (VolumeBinding, VolumeZone) is not simulated; pods go where their other constraints allow (warned once)`,
  ]);
  // Once per snapshot, not once per file: the StatefulSet and its pod in files of their own.
  const dir = dirname(scenario);
  const [head, ...lines] = readFileSync(join(dir, 'snapshot.yaml'), 'utf8').split('\n');
  const podAt = lines.findIndex((l) => l.includes('kind: Pod')) - 1;
  mkdirSync(join(dir, 'split'));
  writeFileSync(join(dir, 'split', 'a.yaml'), [head, ...lines.slice(0, podAt)].join('\n'));
  writeFileSync(join(dir, 'split', 'b.yaml'), [head, lines[0], lines[1], ...lines.slice(podAt)].join('\n'));
  writeFileSync(join(dir, 'split.yaml'), readFileSync(scenario, 'utf8').replace('file: snapshot.yaml', 'file: split'));
  assert.equal(loadScenario(join(dir, 'split.yaml')).warnings.filter((w) => w.includes('PersistentVolumeClaim')).length, 1);
});

test('a snapshot\'s apps objects as a v1.36 API server stores them (every update strategy field defaulted) load without a warning; one it could not have stored is bad input naming its line', () => {
  const items = (template: string) => [
    ...nodeItem('n1', '4'),
    '- apiVersion: apps/v1',
    '  kind: DaemonSet',
    '  metadata: {name: agent, namespace: default}',
    '  spec:',
    '    revisionHistoryLimit: 10',
    '    selector: {matchLabels: {app: agent}}',
    '    template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: agent}]}}',
    '    updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}',
    '- apiVersion: apps/v1',
    '  kind: StatefulSet',
    '  metadata: {name: db, namespace: default}',
    '  spec:',
    '    serviceName: db',
    '    replicas: 1',
    '    podManagementPolicy: OrderedReady',
    '    revisionHistoryLimit: 10',
    '    persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}',
    '    selector: {matchLabels: {app: db}}',
    `    template: {metadata: {labels: {app: db}}, spec: ${template}}`,
    '    updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: 1}}',
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: web, namespace: default}',
    '  spec:',
    '    replicas: 1',
    '    progressDeadlineSeconds: 600',
    '    revisionHistoryLimit: 10',
    '    selector: {matchLabels: {app: web}}',
    '    strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}',
    '    template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: web}]}}',
  ];
  assert.deepEqual(loadScenario(snapshotScenario('ksim-snap-apps-', '1m', items('{containers: [{name: c, image: postgres}]}'))).warnings, []);
  const bad = snapshotScenario('ksim-snap-apps-bad-', '1m', items('{activeDeadlineSeconds: 60, containers: [{name: c, image: postgres}]}'));
  assert.throws(() => loadScenario(bad), (e: Error) => {
    assert.equal(e.message, `${join(dirname(bad), 'snapshot.yaml')}:27:77: items[2].spec.template.spec.activeDeadlineSeconds: expected no activeDeadlineSeconds (activeDeadlineSeconds in StatefulSet is not Supported: a StatefulSet's pods run until it replaces them), got 60`);
    return true;
  });
});

/** Node n-0 with DaemonSet agent (its template's grace period `templateGrace` s, or the
 * default) and two of its pods Running on n-0 (grace `podGrace` s; `created` their
 * creationTimestamps, when given). */
function agentDaemonSetItems(templateGrace: number | null, podGrace: number, pods: ReadonlyArray<{ name: string; created?: string }>): string[] {
  const grace = templateGrace === null ? '' : `terminationGracePeriodSeconds: ${templateGrace}, `;
  return [
    ...nodeItem('n-0', '4'),
    '- apiVersion: apps/v1',
    '  kind: DaemonSet',
    '  metadata: {name: agent, namespace: default, uid: ds-uid}',
    `  spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {${grace}containers: [{name: c, image: agent, resources: {requests: {cpu: 100m}}}]}}}`,
    ...pods.flatMap((p) => [
      '- apiVersion: v1',
      '  kind: Pod',
      `  metadata: {name: ${p.name}, namespace: default, ${p.created === undefined ? '' : `creationTimestamp: "${p.created}", `}labels: {app: agent}, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: ds-uid, controller: true}]}`,
      `  spec: {nodeName: n-0, terminationGracePeriodSeconds: ${podGrace}, containers: [{name: c, image: agent, resources: {requests: {cpu: 100m}}}]}`,
      '  status: {phase: Running}',
    ]),
  ];
}

test('a DaemonSet whose surplus pod is Terminating (600 s grace) still gives a joining node its pod at once; --check-invariants accepts the snapshot\'s two pods on one node', () => {
  const scenario = snapshotScenario('ksim-snap-daemonset-', '15m', agentDaemonSetItems(600, 600, [{ name: 'agent-a' }, { name: 'agent-b' }]));
  const text = readFileSync(scenario, 'utf8').replace('cluster:\n  file: snapshot.yaml\n', 'cluster:\n  file: snapshot.yaml\n  nodePools: [{name: late, count: 1, joinAt: 60s, allocatable: {cpu: "4", memory: 8Gi}}]\n');
  writeFileSync(scenario, text);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  const rows = table(result, 'placements.csv').map((r) => `${Math.floor(Number(r['time_s']))} ${String(r['pod']).replace(/-[b-z2-9]{5}$/, '-xxxxx')} ${r['result']} ${r['node']}`);
  // The surplus (agent-b: the tie between the two is broken by name) leaves after its 600 s;
  // the node joining at 60 s gets its pod then, not after the surplus is gone.
  assert.deepEqual(rows, ['60 agent-xxxxx bound late-0', '600 agent-b terminated n-0']);
});

test('a ReplicaSet with more pods than replicas deletes the one with the lowest pod-deletion-cost (upstream ActivePodsWithRanks)', () => {
  const pod = (name: string, cost: string | null) => [
    '- apiVersion: v1',
    '  kind: Pod',
    `  metadata: {name: ${name}, namespace: default, labels: {app: web}${cost === null ? '' : `, annotations: {controller.kubernetes.io/pod-deletion-cost: "${cost}"}`}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: rs-uid, controller: true}]}`,
    '  spec: {nodeName: n-0, containers: [{name: c, image: web, resources: {requests: {cpu: 100m}}}]}',
    '  status: {phase: Running}',
  ];
  const scenario = snapshotScenario('ksim-snap-deletion-cost-', '2m', [
    ...nodeItem('n-0', '4'),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: web, namespace: default, uid: rs-uid}',
    '  spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: web, resources: {requests: {cpu: 100m}}}]}}}',
    ...pod('web-a', '1000'),
    ...pod('web-b', '50'),
    ...pod('web-c', null),
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  assert.deepEqual(table(result, 'placements.csv').map((r) => `${r['pod']} ${r['result']}`), ['web-c terminated']);
});

/** A snapshot of node n-0 (its last heartbeat at 12:00:00, the snapshot's now), ReplicaSet web
 * with `replicas`, and Running pods of it, each with its own metadata and status lines. */
function rankedPodsScenario(prefix: string, replicas: number, pods: ReadonlyArray<{ name: string; md?: string; status?: string }>): string {
  return snapshotScenario(prefix, '1m', [
    ...nodeItem('n-0', '4', { heartbeat: '2024-05-01T12:00:00Z' }),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: web, namespace: default, uid: rs-uid}',
    `  spec: {replicas: ${replicas}, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: web, resources: {requests: {cpu: 100m}}}]}}}`,
    ...pods.flatMap((p) => [
      '- apiVersion: v1',
      '  kind: Pod',
      `  metadata: {name: ${p.name}, namespace: default, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: rs-uid, controller: true}]${p.md === undefined ? '' : `, ${p.md}`}}`,
      '  spec: {nodeName: n-0, containers: [{name: c, image: web, resources: {requests: {cpu: 100m}}}]}',
      `  status: {phase: Running${p.status === undefined ? '' : `, ${p.status}`}}`,
    ]),
  ]);
}

const terminated = (scenario: string) =>
  table(runScenario(loadScenario(scenario), { checkInvariants: true }), 'placements.csv')
    .filter((r) => r['result'] === 'terminated')
    .map((r) => r['pod']);

test("a snapshot's ReplicaSet scaling down deletes its newest pods by their creationTimestamp, ages compared by power of two (upstream LogarithmicScaleDown)", () => {
  // Ages at the snapshot's now: web-a 2 h (2^42.7 ns), web-b 1 h 10 min (2^41.9), web-c 1 h (2^41.7).
  // b and c share the power of two, so they tie and go by name; a is older. Before the snapshot's
  // times were read every pod was created at t = 0 and the first two names went: web-a, web-b.
  const scenario = rankedPodsScenario('ksim-snap-creation-', 1, [
    { name: 'web-a', md: 'creationTimestamp: "2024-05-01T10:00:00Z"' },
    { name: 'web-b', md: 'creationTimestamp: "2024-05-01T10:50:00Z"' },
    { name: 'web-c', md: 'creationTimestamp: "2024-05-01T11:00:00Z"' },
  ]);
  assert.deepEqual(terminated(scenario), ['web-b', 'web-c']);
});

test("a snapshot's ReplicaSet scaling down deletes the pod Ready for the least time first, then the one whose containers restarted most", () => {
  const created = 'creationTimestamp: "2024-05-01T09:00:00Z"';
  const ready = (at: string) => `conditions: [{type: Ready, status: "True", lastTransitionTime: "${at}"}]`;
  // Ready for 2 h, 10 s and 1 h: web-b goes.
  const byReady = rankedPodsScenario('ksim-snap-ready-', 2, [
    { name: 'web-a', md: created, status: ready('2024-05-01T10:00:00Z') },
    { name: 'web-b', md: created, status: ready('2024-05-01T11:59:50Z') },
    { name: 'web-c', md: created, status: ready('2024-05-01T11:00:00Z') },
  ]);
  assert.deepEqual(terminated(byReady), ['web-b']);
  // Same times; web-c's container restarted most (upstream maxContainerRestarts): it goes.
  const restarts = (n: number) => `containerStatuses: [{name: c, restartCount: ${n}, ready: true}]`;
  const byRestarts = rankedPodsScenario('ksim-snap-restarts-', 2, [
    { name: 'web-a', md: created, status: restarts(0) },
    { name: 'web-b', md: created, status: restarts(1) },
    { name: 'web-c', md: created, status: restarts(5) },
  ]);
  assert.deepEqual(terminated(byRestarts), ['web-c']);
});

test("a snapshot pod Running but not Ready (Ready False: a crash loop, a failing probe) stays not ready: a scale-down deletes it first, and it is not counted ready or available", () => {
  const created = 'creationTimestamp: "2024-05-01T09:00:00Z"';
  const notReady = 'conditions: [{type: Ready, status: "False", lastTransitionTime: "2024-05-01T11:59:00Z", reason: ContainersNotReady}], containerStatuses: [{name: c, restartCount: 0, ready: false}]';
  const pods = [
    { name: 'web-a', md: created, status: notReady },
    { name: 'web-b', md: created },
    // Restarted most: the one the old code (every Running pod Ready) deleted.
    { name: 'web-c', md: created, status: 'containerStatuses: [{name: c, restartCount: 5, ready: true}]' },
  ];
  assert.deepEqual(terminated(rankedPodsScenario('ksim-snap-not-ready-', 2, pods)), ['web-a']);

  const s = loadScenario(rankedPodsScenario('ksim-snap-not-ready-kept-', 3, pods));
  assert.deepEqual(s.warnings.filter((w) => w.includes('not Ready')), [
    'cluster.file: 1 pod(s) Running but not Ready (first: default/web-a): ksim keeps them not ready (it simulates no readiness probes)',
  ]);
  const result = runScenario(s, { checkInvariants: true });
  assert.deepEqual(table(result, 'workloads.csv').map((r) => `${r['kind']}/${r['name']} ${r['desired']} ${r['ready']}`), ['ReplicaSet/web 3 2']);
  const ts = table(result, 'timeseries.csv');
  assert.deepEqual(['pods_running', 'pods_available'].map((c) => String(ts[ts.length - 1]?.[c])), ['3', '2']);
  assert.equal(String(result.summary['replicas_ready_end']), '2');
  assert.deepEqual(result.warnings.filter((w) => w.startsWith('ReplicaSet')), [
    'ReplicaSet default/web ends with 2 of 3 replicas ready: 1 Running but not Ready since the snapshot (no readiness probes are simulated)',
  ]);
});

test("a DaemonSet with two pods on one node keeps the older by the snapshot's creationTimestamp, whatever their names", () => {
  // agent-a came a day after agent-b: the surplus. (By name, agent-b would go.)
  const scenario = snapshotScenario('ksim-snap-daemonset-oldest-', '1m', agentDaemonSetItems(null, 5, [
    { name: 'agent-a', created: '2024-05-02T08:00:00Z' },
    { name: 'agent-b', created: '2024-05-01T08:00:00Z' },
  ]));
  assert.deepEqual(terminated(scenario), ['agent-a']);
});

test("a Deployment caught mid-rollout in a snapshot scales its old ReplicaSets down oldest first, by their creationTimestamp (upstream ReplicaSetsByCreationTimestamp), not in file order", () => {
  // web: 3 replicas of image v3 (maxSurge 1, maxUnavailable 0). kubectl lists ReplicaSets by
  // name: web-aaa (image v2, created 10:00) before web-bbb (image v1, created 09:00, the oldest).
  const rs = (hash: string, image: string, created: string) => [
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    `  metadata: {name: web-${hash}, namespace: default, uid: rs-${hash}, creationTimestamp: "${created}", labels: {app: web, pod-template-hash: ${hash}}, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]}`,
    `  spec: {replicas: 1, selector: {matchLabels: {app: web, pod-template-hash: ${hash}}}, template: {metadata: {labels: {app: web, pod-template-hash: ${hash}}}, spec: {containers: [{name: c, image: "${image}", resources: {requests: {cpu: 100m}}}]}}}`,
    '- apiVersion: v1',
    '  kind: Pod',
    `  metadata: {name: web-${hash}-x, namespace: default, labels: {app: web, pod-template-hash: ${hash}}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-${hash}, uid: rs-${hash}, controller: true}]}`,
    `  spec: {nodeName: n-0, containers: [{name: c, image: "${image}", resources: {requests: {cpu: 100m}}}]}`,
    '  status: {phase: Running}',
  ];
  const scenario = snapshotScenario('ksim-snap-old-rs-', '2m', [
    ...nodeItem('n-0', '4'),
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: web, namespace: default, uid: d-web}',
    '  spec: {replicas: 3, strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: "web:v3", resources: {requests: {cpu: 100m}}}]}}}',
    ...rs('aaa', 'web:v2', '2024-05-01T10:00:00Z'),
    ...rs('bbb', 'web:v1', '2024-05-01T09:00:00Z'),
    ...rs('ccc', 'web:v3', '2024-05-01T11:00:00Z'),
  ]);
  assert.deepEqual(terminated(scenario), ['web-bbb-x', 'web-aaa-x']);
});

test("a snapshot ReplicaSet's creationTimestamp that is not RFC 3339 is bad input naming its line and field", () => {
  const scenario = snapshotScenario('ksim-snap-bad-rs-time-', '1m', [
    ...nodeItem('n-0', '4'),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: web, namespace: default, creationTimestamp: "May 1st"}',
    '  spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: web}]}}}',
  ]);
  assert.throws(() => loadScenario(scenario), {
    message: `${join(dirname(scenario), 'snapshot.yaml')}:11:64: items[1].metadata.creationTimestamp: expected an RFC 3339 time such as 2024-05-01T12:00:00Z, got "May 1st"`,
  });
});

test("a snapshot's Jobs go on from their status: a finished one creates no pod (its TTL counts from its finish), a half-done one only the completions left, and a CronJob's finished Jobs beyond its history limit are deleted at the start", () => {
  const job = (name: string, spec: string, status: string, owner = '') => [
    '- apiVersion: batch/v1',
    '  kind: Job',
    `  metadata: {name: ${name}, namespace: default, uid: uid-${name}${owner}}`,
    `  spec: {${spec}template: {spec: {restartPolicy: Never, containers: [{name: c, image: j, resources: {requests: {cpu: 100m}}}]}}}`,
    `  status: ${status}`,
  ];
  const done = (start: string, end: string) =>
    `{startTime: "${start}", completionTime: "${end}", succeeded: 1, conditions: [{type: SuccessCriteriaMet, status: "True", lastTransitionTime: "${end}"}, {type: Complete, status: "True", reason: CompletionsReached, lastTransitionTime: "${end}"}]}`;
  const ofCron = ', ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, uid: uid-report, controller: true}]';
  const scenario = snapshotScenario('ksim-snap-jobs-', '3m', [
    // The snapshot's now: n-0's last heartbeat, 12:00:00.
    ...nodeItem('n-0', '4', { heartbeat: '2024-05-01T12:00:00Z' }),
    // Finished an hour ago: nothing to run.
    ...job('backfill', 'completions: 1, ', done('2024-05-01T10:50:00Z', '2024-05-01T11:00:00Z')),
    // Finished a minute ago with a 2-minute TTL: deleted at t = 60 s.
    ...job('cleanup', 'ttlSecondsAfterFinished: 120, ', done('2024-05-01T11:58:30Z', '2024-05-01T11:59:00Z')),
    // 3 of 5 done (one of them not yet counted): 2 more pods, 2 at a time.
    ...job('migrate', 'completions: 5, parallelism: 2, ', '{startTime: "2024-05-01T11:00:00Z", succeeded: 2, uncountedTerminatedPods: {succeeded: [uid-m3]}}'),
    // A CronJob keeping 2 successful Jobs has 4: the 2 that started first go.
    '- apiVersion: batch/v1',
    '  kind: CronJob',
    '  metadata: {name: report, namespace: default, uid: uid-report}',
    '  spec: {schedule: "0 0 1 1 *", successfulJobsHistoryLimit: 2, jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: r}]}}}}}',
    ...job('report-1', '', done('2024-05-01T09:00:00Z', '2024-05-01T09:01:00Z'), ofCron),
    ...job('report-4', '', done('2024-05-01T11:00:00Z', '2024-05-01T11:01:00Z'), ofCron),
    ...job('report-2', '', done('2024-05-01T09:30:00Z', '2024-05-01T09:31:00Z'), ofCron),
    ...job('report-3', '', done('2024-05-01T10:00:00Z', '2024-05-01T10:01:00Z'), ofCron),
  ]);
  const run = prepareRun(loadScenario(scenario), { checkInvariants: true });
  const jobs = () => [...run.cluster.objects.values()].filter((o) => o.kind === 'Job').map((o) => o.metadata.name).sort();
  run.sim.run(59_000_000);
  assert.deepEqual(jobs(), ['backfill', 'cleanup', 'migrate', 'report-3', 'report-4']);
  run.sim.run(61_000_000);
  assert.deepEqual(jobs(), ['backfill', 'migrate', 'report-3', 'report-4']);
  run.sim.run(run.endUs);
  const result = run.finish();
  assert.deepEqual(
    table(result, 'placements.csv').map((r) => `${r['owner']} ${r['result']}`),
    ['migrate bound', 'migrate bound'],
  );
  const rows = table(result, 'jobs.csv').map((r) => `${r['name']} ${r['condition']} ${r['succeeded']}`);
  assert.deepEqual(rows, ['backfill Complete 1', 'cleanup Complete 1', 'migrate Running 3', 'report-1 Complete 1', 'report-2 Complete 1', 'report-3 Complete 1', 'report-4 Complete 1']);
});

test("a snapshot's CronJob runs on the cluster's wall clock: t = 0 is the snapshot's own time, so an hourly schedule fires at the next full hour after it", () => {
  const scenario = snapshotScenario('ksim-snap-cron-clock-', '30m', [
    ...nodeItem('n-0', '4', { heartbeat: '2024-05-01T10:37:23Z' }),
    '- apiVersion: batch/v1',
    '  kind: CronJob',
    '  metadata: {name: report, namespace: default, uid: uid-report}',
    '  spec: {schedule: "0 * * * *", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: r, resources: {requests: {cpu: 100m}}}]}}}}}',
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  // 11:00:00 is 22 min 37 s after 10:37:23; the Job is named by its Unix minute, as upstream.
  // (created_s: when the create committed, a few ms later).
  assert.deepEqual(table(result, 'jobs.csv').map((r) => `${r['name']} ${Math.floor(Number(r['created_s']))}`), [`report-${Date.parse('2024-05-01T11:00:00Z') / 60_000} 1357`]);
});

test("a workload entry that brings a snapshot's object again applies it (an update, the stored status kept): a StatefulSet is scaled, a CronJob's Jobs get the entry's runDuration", () => {
  const dir = dirname(snapshotScenario('ksim-snap-apply-', '1h', [
    ...nodeItem('n-0', '8', { heartbeat: '2024-05-01T10:00:00Z' }),
    '- apiVersion: apps/v1',
    '  kind: StatefulSet',
    '  metadata: {name: db, namespace: default, uid: uid-db}',
    '  spec: {replicas: 1, serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: db, resources: {requests: {cpu: 100m}}}]}}}',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: db-0, namespace: default, labels: {app: db}, ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: uid-db, controller: true}]}',
    '  spec: {nodeName: n-0, containers: [{name: c, image: db, resources: {requests: {cpu: 100m}}}]}',
    '  status: {phase: Running}',
    '- apiVersion: batch/v1',
    '  kind: CronJob',
    '  metadata: {name: report, namespace: default, uid: uid-report}',
    '  spec: {schedule: "*/20 * * * *", concurrencyPolicy: Forbid, jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: r, resources: {requests: {cpu: 100m}}}]}}}}}',
  ]));
  const cronJob = '{apiVersion: batch/v1, kind: CronJob, metadata: {name: report, namespace: default}, spec: {schedule: "*/20 * * * *", concurrencyPolicy: Forbid, jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: r, resources: {requests: {cpu: 100m}}}]}}}}}}';
  const statefulSet = '{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db, namespace: default}, spec: {replicas: 3, serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: db, resources: {requests: {cpu: 100m}}}]}}}}';
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: 1h\ncluster:\n  file: snapshot.yaml\nworkload:\n  - {name: report, at: 0s, runDuration: 2m, manifest: ${cronJob}}\n  - {name: db, at: 1m, manifest: ${statefulSet}}\n`);
  const result = runScenario(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
  // Before, both entries were refused as creates of existing objects, silently: the Jobs' pods
  // ran to the end (Forbid then skipped every later time) and db stayed at one replica.
  // Each Job runs its pod's 2 minutes (plus its startup), at 10:20 and 10:40 (t = 0 is 10:00).
  const jobs = table(result, 'jobs.csv').map((r) => `${r['name']} ${r['workload']} at ${Math.round(Number(r['created_s']))} s for ${Math.floor((Number(r['finished_s']) - Number(r['created_s'])) / 60)} min ${r['condition']}`);
  const minute = (at: string) => Date.parse(at) / 60_000;
  assert.deepEqual(jobs, [
    `report-${minute('2024-05-01T10:20:00Z')} report at 1200 s for 2 min Complete`,
    `report-${minute('2024-05-01T10:40:00Z')} report at 2400 s for 2 min Complete`,
  ]);
  assert.deepEqual(table(result, 'placements.csv').filter((r) => r['owner'] === 'db').map((r) => `${r['pod']} ${r['result']}`), ['db-1 bound', 'db-2 bound']);
});

test("a snapshot CronJob that missed a time since its status.lastScheduleTime starts it late at t = 0 (upstream's first sync), within startingDeadlineSeconds", () => {
  const cron = (name: string, extra: string) => [
    '- apiVersion: batch/v1',
    '  kind: CronJob',
    `  metadata: {name: ${name}, namespace: default, uid: uid-${name}}`,
    `  spec: {schedule: "*/30 * * * *"${extra}, jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: r, resources: {requests: {cpu: 100m}}}]}}}}}`,
    '  status: {lastScheduleTime: "2024-05-01T10:00:00Z"}',
  ];
  const scenario = snapshotScenario('ksim-snap-cron-missed-', '30m', [
    ...nodeItem('n-0', '4', { heartbeat: '2024-05-01T10:37:20Z' }),
    // 10:30 was missed (10:00 is the last started): started at t = 0, then 11:00 at t = 1360 s.
    ...cron('late', ''),
    // The same, but 10:30 is more than 300 s before t = 0: too late to start.
    ...cron('strict', ', startingDeadlineSeconds: 300'),
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  const minute = (at: string) => Date.parse(at) / 60_000;
  assert.deepEqual(table(result, 'jobs.csv').map((r) => `${r['name']} ${Math.floor(Number(r['created_s']))}`), [
    `late-${minute('2024-05-01T10:30:00Z')} 0`,
    `late-${minute('2024-05-01T11:00:00Z')} 1360`,
    `strict-${minute('2024-05-01T11:00:00Z')} 1360`,
  ]);
});

test("a snapshot CronJob's status.lastScheduleTime that is not RFC 3339 is bad input", () => {
  const scenario = snapshotScenario('ksim-snap-cron-bad-', '1m', [
    ...nodeItem('n-0', '4'),
    '- apiVersion: batch/v1',
    '  kind: CronJob',
    '  metadata: {name: report, namespace: default}',
    '  spec: {schedule: "*/30 * * * *", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: r}]}}}}}',
    '  status: {lastScheduleTime: 10:00}',
  ]);
  assert.throws(() => loadScenario(scenario), { message: /snapshot\.yaml:\d+:\d+: items\[1\]\.status\.lastScheduleTime: expected an RFC 3339 time such as 2024-05-01T12:00:00Z, got "?10:00"?$/ });
});

test('a snapshot pod being deleted has what is left of its grace period at t = 0: its deletionTimestamp (the end of the period) less the snapshot\'s time, never more than the period', () => {
  // The snapshot's time is node-a's heartbeat, 09:59:50. gone-10s: deleted at 09:50:00 with 600 s
  // of grace, so its deletionTimestamp is 10:00:00: 10 s left (it was terminated at 600 s, the
  // whole period, as if the deletion had just been asked for). gone-now: its grace ended before
  // the snapshot (09:59:00): stopped at once. late-clock: a deletionTimestamp 700 s on with 30 s of
  // grace (the snapshot's time lags the deletion): 30 s at most.
  const deleting = (name: string, at: string, grace: number) => podItem(name, '100m', 'nodeName: node-a', [`deletionTimestamp: "${at}"`, `deletionGracePeriodSeconds: ${grace}`], ['phase: Running']);
  const scenario = snapshotScenario('ksim-snap-grace-left-', '15m', [
    ...nodeItem('node-a', '4', { heartbeat: '2026-12-01T09:59:50Z' }),
    ...deleting('gone-10s', '2026-12-01T10:00:00Z', 600),
    ...deleting('gone-now', '2026-12-01T09:59:00Z', 600),
    ...deleting('late-clock', '2026-12-01T10:11:30Z', 30),
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  const deleted = table(result, 'pods.csv').map((r) => `${r['name']} ${Math.round(Number(r['deleted_s']))}`).sort();
  assert.deepEqual(deleted, ['gone-10s 10', 'gone-now 0', 'late-clock 30']);
});

/** A Pod item in namespace default asking `cpu` CPUs: `spec` one more spec line (or ''),
 * `metadata` and `status` lines of those fields. */
function podItem(name: string, cpu: string, spec: string, metadata: readonly string[], status: readonly string[]): string[] {
  return [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    `    name: ${name}`,
    '    namespace: default',
    ...metadata.map((l) => `    ${l}`),
    '  spec:',
    ...(spec === '' ? [] : [`    ${spec}`]),
    `    containers: [{name: c, image: app, resources: {requests: {cpu: "${cpu}", memory: 1Gi}}}]`,
    '  status:',
    ...status.map((l) => `    ${l}`),
  ];
}

test("a dump caught mid-preemption: the preemptor keeps its status.nominatedNodeName and waits for its victim (deletionTimestamp, DisruptionTarget PreemptionByScheduler) instead of preempting again (upstream PodEligibleToPreemptOthers)", () => {
  const scenario = snapshotScenario('ksim-snap-preempting-', '5m', [
    ...nodeItem('node-a', '4', { heartbeat: '2024-05-01T12:00:00Z' }),
    ...nodeItem('node-b', '4', { heartbeat: '2024-05-01T12:00:00Z' }),
    // Deleted at the snapshot's time with 30 s of grace: its deletionTimestamp is 30 s later.
    ...podItem('batch-old', '3', 'nodeName: node-a', ['deletionTimestamp: "2024-05-01T12:00:30Z"', 'deletionGracePeriodSeconds: 30'], [
      'phase: Running',
      'startTime: "2024-05-01T10:00:00Z"',
      'conditions: [{type: DisruptionTarget, status: "True", reason: PreemptionByScheduler}]',
    ]),
    // Started later than batch-old: a new preemption would choose its node (upstream
    // pickOneNodeForPreemption: the latest start time among equal victims).
    ...podItem('batch-new', '3', 'nodeName: node-b', [], ['phase: Running', 'startTime: "2024-05-01T11:00:00Z"']),
    ...podItem('urgent', '3', 'priority: 1000', [], ['phase: Pending', 'nominatedNodeName: node-a']),
  ]);
  const run = prepareRun(loadScenario(scenario), {});
  assert.equal(run.cluster.pods.get('default/urgent')?.nominatedNodeName, 'node-a', 'nominated from the start');
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  const placements = table(result, 'placements.csv').map((r) => `${r['time_s']} ${r['pod']} ${r['result']} ${r['node']} ${r['reason']}`);
  // The old code preempted batch-new at t = 0 as well (a second victim for one pod).
  assert.deepEqual(placements, [
    '0.000102 urgent unschedulable  0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.',
    '30.00123 batch-old terminated node-a terminating for 30.001s after: being deleted in the snapshot',
    '30.003713 urgent bound node-a ',
  ]);
});

test("a pending pod's status.nominatedNodeName is tried first (upstream evaluateNominatedNode), though another node scores higher", () => {
  const scenario = snapshotScenario('ksim-snap-nominated-', '1m', [
    ...nodeItem('node-a', '4'),
    ...nodeItem('node-b', '4'),
    ...podItem('web', '1', 'nodeName: node-a', [], ['phase: Running']),
    ...podItem('urgent', '3', 'priority: 1000', [], ['phase: Pending', 'nominatedNodeName: node-a']),
    // A bound pod's nomination is stale: it is not read.
    ...podItem('small', '100m', 'nodeName: node-b', [], ['phase: Running', 'nominatedNodeName: node-a']),
  ]);
  const s = loadScenario(scenario);
  const run = prepareRun(s, {});
  assert.deepEqual([...run.cluster.pods.values()].map((p) => `${p.name} ${p.nominatedNodeName ?? '-'}`), ['web -', 'urgent node-a', 'small -']);
  const result = runScenario(s, { checkInvariants: true });
  // Without the nomination the search scores node-b higher (0.1 of its 4 CPUs used against 1)
  // and the pod went there.
  const placements = table(result, 'placements.csv').map((r) => `${r['pod']} ${r['result']} ${r['node']}`);
  assert.deepEqual(placements, ['urgent bound node-a']);
});

test("a snapshot pod naming a PriorityClass the dump lacks keeps its spec.priority and runs (upstream never admits a stored pod again); one warning per class, and new pods naming it are refused", () => {
  const pod = (name: string, node: string | null) => [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    `    name: ${name}`,
    '    namespace: shop',
    '    labels: {app: api}',
    '    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-5c9d, uid: rs-uid, controller: true}]',
    '  spec:',
    ...(node === null ? [] : [`    nodeName: ${node}`]),
    '    priorityClassName: shop-critical',
    '    priority: 100000',
    '    preemptionPolicy: PreemptLowerPriority',
    '    containers: [{name: c, image: api, resources: {requests: {cpu: "1", memory: 1Gi}}}]',
    `  status: {phase: ${node === null ? 'Pending' : 'Running'}}`,
  ];
  const scenario = snapshotScenario('ksim-snap-missing-class-', '2m', [
    ...nodeItem('node-a', '4'),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: api-5c9d, namespace: shop, uid: rs-uid}',
    '  spec: {replicas: 3, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {priorityClassName: shop-critical, containers: [{name: c, image: api, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}}',
    ...pod('api-5c9d-aaaaa', 'node-a'),
    ...pod('api-5c9d-bbbbb', 'node-a'),
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  // Both snapshot pods hold their CPU on node-a (they used to be refused by admission at t = 0).
  assert.deepEqual(table(result, 'nodes.csv').map((r) => `${r['node']} ${r['pods']} ${r['cpu_requested_milli']}`), ['node-a 2 2000']);
  assert.deepEqual(table(result, 'pods.csv').map((r) => `${r['name']} ${r['node']} ${r['phase']}`), ['api-5c9d-aaaaa node-a Running', 'api-5c9d-bbbbb node-a Running']);
  assert.ok(result.warnings.includes('2 pods (first shop/api-5c9d-aaaaa) name PriorityClass shop-critical, which the snapshot lacks: they keep their spec.priority, but new pods naming it (replacements too) are refused, as an API server without it would; add priorityclasses to the dump (kubectl get priorityclasses -o json)'), result.warnings.join('\n'));
  // The third replica is refused, as an API server without the class would refuse it.
  assert.ok(result.warnings.some((w) => w.includes('no PriorityClass with name shop-critical was found')), result.warnings.join('\n'));
});

test('a snapshot pod not on a node and being deleted (deletionTimestamp, held by a finalizer) is left out with a warning, not scheduled', () => {
  const scenario = snapshotScenario('ksim-snap-deleted-pending-', '1m', [
    ...nodeItem('node-a', '4'),
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: stuck, namespace: default, finalizers: [example.com/cleanup], deletionTimestamp: "2026-03-14T10:36:00Z", deletionGracePeriodSeconds: 0}',
    '  spec: {containers: [{name: c, image: x, resources: {requests: {cpu: "1"}}}]}',
    '  status: {phase: Pending}',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata: {name: waiting, namespace: default}',
    '  spec: {containers: [{name: c, image: x, resources: {requests: {cpu: "1"}}}]}',
    '  status: {phase: Pending}',
  ]);
  const result = runScenario(loadScenario(scenario), { checkInvariants: true });
  assert.deepEqual(table(result, 'placements.csv').map((r) => `${r['pod']} ${r['result']} ${r['node']}`), ['waiting bound node-a']);
  assert.ok(result.warnings.includes('pod default/stuck not on a node and being deleted (deletionTimestamp): left out, as the API server deletes an unscheduled pod at once and the scheduler never places one being deleted'), result.warnings.join('\n'));
});

test('an object or pod twice in a snapshot (two overlapping dumps) is bad input naming both places, as a repeated node is', () => {
  const deployment = (replicas: number) => [
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: grafana, namespace: monitoring}',
    `  spec: {replicas: ${replicas}, selector: {matchLabels: {app: grafana}}, template: {metadata: {labels: {app: grafana}}, spec: {containers: [{name: c, image: grafana}]}}}`,
  ];
  const twice = snapshotScenario('ksim-snap-dup-', '1m', [...nodeItem('node-a', '4'), ...deployment(1), ...deployment(5)]);
  assert.throws(() => loadScenario(twice), (e: Error) => {
    assert.match(e.message, /snapshot\.yaml:15:20: items\[2\]\.metadata\.name: expected a Deployment not in the snapshot before \(monitoring\/grafana is also .*snapshot\.yaml:11 \(items\[1\]\)\), got "grafana"$/);
    return true;
  });
  const pod = ['- apiVersion: v1', '  kind: Pod', '  metadata: {name: p, namespace: default}', '  spec: {nodeName: node-a, containers: [{name: c, image: x}]}', '  status: {phase: Running}'];
  assert.throws(() => loadScenario(snapshotScenario('ksim-snap-dup-pod-', '1m', [...nodeItem('node-a', '4'), ...pod, ...pod])), /items\[2\]\.metadata\.name: expected a Pod not in the snapshot before \(default\/p is also .*snapshot\.yaml:11 \(items\[1\]\)\)/);
});
