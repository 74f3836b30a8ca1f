// The StatefulSet rolling update (upstream stateful_set_control.go updateStatefulSet, with the
// MaxUnavailableStatefulSet feature gate off, as v1.36 has it by default): a changed template
// replaces the pods of an old revision at ordinals ≥ start + partition, highest first, one at a
// time, each once the one above is Running, Ready and available; OnDelete replaces none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi, withSpec } from '../controlplane/object-api.js';
import { makeNode } from '../testing/builders.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { toCsv } from '../metrics/csv-output.js';
import { StatefulSetController } from './statefulset.js';

const MS = 1000;

/** A StatefulSet `db` of `replicas` with image `image`; `extra` goes into its spec. */
function set(replicas: number, image: string, extra = ''): string {
  return `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {replicas: ${replicas}, ${extra}serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {terminationGracePeriodSeconds: 10, containers: [{name: c, image: ${image}, resources: {requests: {cpu: 100m}}}]}}}}`;
}

/** A run with 1 ms API writes, no watch delay and a 2 s start: `entries` are the workload
 * entries ({name, at, manifest}). */
function run(entries: string[], duration = '3m') {
  return runScenario(parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: ${duration}
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "8", memory: 32Gi } }]
controlPlane: { apiWriteLatency: 1ms, watchDelay: 0s, etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 } }
kubelet: { startupLatency: 2s }
workload:
${entries.map((e) => `  - ${e}\n`).join('')}`, 'sts-rollout.yaml'), { events: true });
}

type Result = ReturnType<typeof run>;

/** The pod writes after `fromS`: "<kind> <pod>@<time>" for creates and deletions (a Running
 * pod's deletion appears twice: the controller's, and the kubelet's once its grace is over). */
function podWrites(r: Result, fromS = 30): string[] {
  const events = r.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  return events
    .filter((e) => (e['kind'] === 'api.create-pod' || e['kind'] === 'api.delete-pod') && Number(e['time_s']) >= fromS)
    .map((e) => `${String(e['kind']).slice(4)} ${String(e['object']).slice(8)}@${String(e['time_s'])}`);
}

/** The live pods at the end, by name, and the workload entry whose template made them. */
function livePods(r: Result): string[] {
  const rows = r.tables.find((t) => t.file === 'pods.csv')!.rows.filter((p) => p['deleted_s'] === '');
  return rows.map((p) => `${String(p['name'])}:${String(p['workload'])}`).sort();
}

function workloadsRow(r: Result) {
  return r.tables.find((t) => t.file === 'workloads.csv')!.rows[0];
}

// Each step of a 3-replica rollout: the deletion commits 1 ms after the sync (60.002 s for the
// first, the update committing at 60.001 s); the pod is Terminating for its 10 s grace and the
// kubelet's deletion commits at +10.001 s; the set creates the pod again under its name (+1 ms),
// the scheduler binds it 1.104 ms later (a 104 µs cycle and a 1 ms binding), it runs 2 s after
// that and its status write commits 1 ms later; the next deletion commits 1 ms after that.
const ROLLOUT = [
  'delete-pod db-2@60.002', 'delete-pod db-2@70.003', 'create-pod db-2@70.004',
  'delete-pod db-1@72.007104', 'delete-pod db-1@82.008104', 'create-pod db-1@82.009104',
  'delete-pod db-0@84.012208', 'delete-pod db-0@94.013208', 'create-pod db-0@94.014208',
];

for (const policy of ['OrderedReady', 'Parallel']) {
  test(`${policy}: a template changed at 60 s replaces db-2, db-1, db-0 in that order, each once the one above runs again (upstream updateStatefulSet, maxUnavailable 1); workloads.csv shows one pod down at a time`, () => {
    const p = `podManagementPolicy: ${policy}, `;
    const r = run([`{name: db, manifest: ${set(3, 'x', p)}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y', p)}}`]);
    assert.deepEqual(podWrites(r), ROLLOUT);
    assert.deepEqual(livePods(r), ['db-0:db-v2', 'db-1:db-v2', 'db-2:db-v2']);
    // Each pod is unavailable from its deletion to its replacement's Running (its status write):
    // 60.002 → 72.006104, 72.007104 → 84.011208, 84.012208 → 96.016312: 3 × 12.004104 s.
    assert.deepEqual(workloadsRow(r), { kind: 'StatefulSet', namespace: 'default', name: 'db', desired: 3, ready: 3, available_min_ratio: '0.666667', unavailable_s: '36.012312' });
    assert.deepEqual(r.warnings.filter((w) => w.includes('template')), [], 'rolled out: no warning');
    // The deletions' reason in placements.csv.
    const ends = r.tables.find((t) => t.file === 'placements.csv')!.rows.filter((x) => x['result'] === 'terminated');
    assert.deepEqual(ends.map((x) => `${String(x['pod'])} ${String(x['reason'])}`), ['db-2', 'db-1', 'db-0'].map((n) => `${n} terminating for 10.001s after: statefulset rolling update`));
  });
}

test('rollingUpdate.partition 2 replaces only db-2 (upstream updateMin); OnDelete replaces none; a partition lowered later starts the rollout then', () => {
  const part = 'updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}, ';
  const r = run([`{name: db, manifest: ${set(3, 'x', part)}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y', part)}}`]);
  assert.deepEqual(podWrites(r), ROLLOUT.slice(0, 3));
  assert.deepEqual(livePods(r), ['db-0:db', 'db-1:db', 'db-2:db-v2']);
  const onDelete = 'updateStrategy: {type: OnDelete}, ';
  const o = run([`{name: db, manifest: ${set(3, 'x', onDelete)}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y', onDelete)}}`]);
  assert.deepEqual(podWrites(o), []);
  assert.deepEqual(livePods(o), ['db-0:db', 'db-1:db', 'db-2:db']);
  assert.equal(workloadsRow(o)!['available_min_ratio'], '1');
  // A staged rollout: the template changed at 60 s with partition 3 (nothing replaced), the
  // partition lowered to 0 at 90 s: the rollout starts then, 30 s after ROLLOUT's.
  const staged = run([`{name: db, manifest: ${set(3, 'x')}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y', 'updateStrategy: {rollingUpdate: {partition: 3}}, ')}}`, `{name: db-go, at: 90s, manifest: ${set(3, 'y')}}`]);
  assert.deepEqual(podWrites(staged), ROLLOUT.map((w) => w.replace(/@([\d.]+)$/, (_, t: string) => `@${Number((Number(t) + 30).toFixed(6))}`)));
  assert.deepEqual(livePods(staged), ['db-0:db-v2', 'db-1:db-v2', 'db-2:db-v2']);
});

test('minReadySeconds 5 delays each step by 5 s: the next deletion waits until the replacement has been Ready 5 s (upstream isUnavailable)', () => {
  const m = 'minReadySeconds: 5, ';
  const r = run([`{name: db, manifest: ${set(3, 'x', m)}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y', m)}}`]);
  // db-2 runs again at 72.006104 s, is available at 77.006104 s, and db-1's deletion commits
  // 1 ms later; and so on.
  assert.deepEqual(podWrites(r), [
    'delete-pod db-2@60.002', 'delete-pod db-2@70.003', 'create-pod db-2@70.004',
    'delete-pod db-1@77.007104', 'delete-pod db-1@87.008104', 'create-pod db-1@87.009104',
    'delete-pod db-0@94.012208', 'delete-pod db-0@104.013208', 'create-pod db-0@104.014208',
  ]);
});

test('a rollback in the middle of a rollout (back to the first template at 75 s): the pod already made from the second template is replaced, the others are not (upstream: the update revision is the first one again)', () => {
  const r = run([`{name: db, manifest: ${set(3, 'x')}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y')}}`, `{name: db-back, at: 75s, manifest: ${set(3, 'x')}}`]);
  // db-1 was Terminating at 75 s (since 72.007104 s): it is made again from x, the update
  // revision now, at 82.009104 s; then db-2 (of y) is replaced; db-0 is never touched.
  assert.deepEqual(podWrites(r), [
    'delete-pod db-2@60.002', 'delete-pod db-2@70.003', 'create-pod db-2@70.004',
    'delete-pod db-1@72.007104', 'delete-pod db-1@82.008104', 'create-pod db-1@82.009104',
    'delete-pod db-2@84.012208', 'delete-pod db-2@94.013208', 'create-pod db-2@94.014208',
  ]);
  // A rollback takes the name of the entry that brought the template first.
  assert.deepEqual(livePods(r), ['db-0:db', 'db-1:db', 'db-2:db']);
});

// Upstream stateful_set_control_test.go TestStatefulSetControlRollingUpdate (every pod updated
// in the end), TestStatefulSetControlRollingUpdateWithPartition (partition 2 of 3: ordinals 0
// and 1 keep the original image, the others, new or scaled up, get the new one) and
// TestStatefulSetControlOnDeleteUpdate (the pods there keep the original image, new ones get the
// new one, and all have it once restarted), for monotonic and burst sets, with the update
// alone, with a scale up to 5 and with a scale down from 5 to 3.
for (const policy of ['OrderedReady', 'Parallel']) {
  const cases: [string, string, number, number, string[]][] = [
    ['rolling update', '', 3, 3, ['db-0:v2', 'db-1:v2', 'db-2:v2']],
    ['rolling update and scale up', '', 3, 5, ['db-0:v2', 'db-1:v2', 'db-2:v2', 'db-3:v2', 'db-4:v2']],
    ['rolling update and scale down', '', 5, 3, ['db-0:v2', 'db-1:v2', 'db-2:v2']],
    ['partition 2', 'updateStrategy: {rollingUpdate: {partition: 2}}, ', 3, 3, ['db-0:v1', 'db-1:v1', 'db-2:v2']],
    ['partition 2 and scale up', 'updateStrategy: {rollingUpdate: {partition: 2}}, ', 3, 5, ['db-0:v1', 'db-1:v1', 'db-2:v2', 'db-3:v2', 'db-4:v2']],
    ['OnDelete', 'updateStrategy: {type: OnDelete}, ', 3, 3, ['db-0:v1', 'db-1:v1', 'db-2:v1']],
    ['OnDelete and scale up', 'updateStrategy: {type: OnDelete}, ', 3, 5, ['db-0:v1', 'db-1:v1', 'db-2:v1', 'db-3:v2', 'db-4:v2']],
    ['OnDelete and scale down', 'updateStrategy: {type: OnDelete}, ', 5, 3, ['db-0:v1', 'db-1:v1', 'db-2:v1']],
  ];
  for (const [name, strategy, from, to, expected] of cases) {
    test(`${policy}: ${name} (upstream's table tests): ${expected.join(' ')}`, () => {
      const p = `podManagementPolicy: ${policy}, ${strategy}`;
      const entries = [`{name: v1, manifest: ${set(from, 'x', p)}}`, `{name: v2, at: 60s, manifest: ${set(to, 'y', p)}}`];
      assert.deepEqual(livePods(run(entries, '5m')), expected);
      if (strategy.includes('OnDelete')) {
        // validateRestart: scaled to 0 and back, every pod has the new image.
        const restart = [...entries, `{name: v3, at: 3m, manifest: ${set(0, 'y', p)}}`, `{name: v4, at: 4m, manifest: ${set(to, 'y', p)}}`];
        assert.deepEqual(livePods(run(restart, '6m')), expected.map((e) => e.replace(/:v\d$/, ':v2')));
      }
    });
  }
}

function harness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(MS), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  new StatefulSetController(sim, api, objects);
  const deletions: string[] = [];
  api.watch({ podDeleted: (p) => deletions.push(`${p.name}@${sim.now / MS}ms`) });
  return { sim, api, objects, pod: (name: string) => cluster.pods.get(`default/${name}`), deletions };
}

function harnessSet(policy: string): WorkloadObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 3, podManagementPolicy: policy, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  };
}

test('an unhealthy pod of the old revision: Parallel replaces it when the rolling update reaches it (upstream deletes a pod of an old revision whatever its health); OrderedReady replaces nothing while it is not Ready (processReplica ends the sync first)', () => {
  for (const policy of ['Parallel', 'OrderedReady']) {
    const h = harness();
    h.api.createObject(harnessSet('Parallel'));
    h.sim.run(10 * MS);
    for (const n of ['db-1', 'db-2']) h.api.setPodPhase(h.pod(n)!, 'Running'); // db-0 stays Pending
    h.sim.run(20 * MS);
    const stored = h.objects.get('StatefulSet', 'default', 'db')!;
    const spec = stored.spec as { template: { spec: object } };
    // The new template (and the policy under test: it is immutable upstream, but the harness's
    // API takes it) commits at 21 ms.
    h.objects.updateObject(withSpec(stored, { ...spec, podManagementPolicy: policy, template: { ...spec.template, spec: { containers: [{ name: 'c', image: 'y' }] } } }));
    h.sim.run(30 * MS);
    if (policy === 'OrderedReady') {
      assert.deepEqual(h.deletions, [], policy);
      continue;
    }
    // db-2 deleted at 22 ms (nothing runs here: it goes at once) and made again at 23 ms; the
    // rolling update waits for it to be Running.
    assert.deepEqual(h.deletions, ['db-2@22ms']);
    h.api.setPodPhase(h.pod('db-2')!, 'Running'); // 31 ms: db-1 deleted at 32 ms, made at 33 ms
    h.sim.run(40 * MS);
    h.api.setPodPhase(h.pod('db-1')!, 'Running'); // 41 ms: db-0, Pending, deleted at 42 ms
    h.sim.run(50 * MS);
    assert.deepEqual(h.deletions, ['db-2@22ms', 'db-1@32ms', 'db-0@42ms']);
    assert.deepEqual(['db-0', 'db-1', 'db-2'].map((n) => h.pod(n)?.pod.spec?.containers[0]?.image), ['y', 'y', 'y']);
  }
});

test('an STS rollout is deterministic: two runs give the same bytes in every table', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 11
duration: 20m
cluster:
  nodePools: [{ name: n, count: 4, zones: [a, b], allocatable: { cpu: "4", memory: 16Gi } }]
kubelet: { startupLatency: { lognormal: { p50: 3s, p99: 20s } } }
workload:
  - {name: db, manifest: ${set(6, 'x', 'minReadySeconds: 10, ')}}
  - {name: web, manifest: ${set(4, 'x', 'podManagementPolicy: Parallel, ').replace('name: db}', 'name: web}').replaceAll('app: db', 'app: web').replace('serviceName: db', 'serviceName: web')}}
  - {name: db-v2, at: 5m, manifest: ${set(6, 'y', 'minReadySeconds: 10, updateStrategy: {rollingUpdate: {partition: 1}}, ')}}
  - {name: web-v2, at: 6m, manifest: ${set(5, 'y', 'podManagementPolicy: Parallel, ').replace('name: db}', 'name: web}').replaceAll('app: db', 'app: web').replace('serviceName: db', 'serviceName: web')}}
faults:
  - nodeDown: { nodes: [n-1], at: 7m, for: 5m }
`;
  const bytes = () => runScenario(parseScenario(text, 'det.yaml'), { events: true }).tables.map((t) => `${t.file}\n${toCsv(t)}`).join('\n');
  const a = bytes();
  assert.equal(a, bytes());
  // The rollout happened: db-1..db-5 and every web pod were made again from y.
  assert.match(a, /statefulset rolling update/);
});

test('Parallel with minReadySeconds waits as OrderedReady does: the update step stops at a replacement not yet Ready for minReadySeconds (upstream isUnavailable, whatever the policy, since kubernetes PR #130909 in v1.34)', () => {
  const m = 'minReadySeconds: 5, podManagementPolicy: Parallel, ';
  const r = run([`{name: db, manifest: ${set(3, 'x', m)}}`, `{name: db-v2, at: 60s, manifest: ${set(3, 'y', m)}}`]);
  assert.deepEqual(podWrites(r), [
    'delete-pod db-2@60.002', 'delete-pod db-2@70.003', 'create-pod db-2@70.004',
    'delete-pod db-1@77.007104', 'delete-pod db-1@87.008104', 'create-pod db-1@87.009104',
    'delete-pod db-0@94.012208', 'delete-pod db-0@104.013208', 'create-pod db-0@104.014208',
  ]);
});

