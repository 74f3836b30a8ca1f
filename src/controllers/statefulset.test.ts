// The StatefulSet controller: ordinal names, OrderedReady's one-at-a-time creation and scale
// down, Parallel, and recreation of finished or deleted pods under the same name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi, withSpec } from '../controlplane/object-api.js';
import { makeNode } from '../testing/builders.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { StatefulSetController, invalidPodLabels, longSetNameHint } from './statefulset.js';
import { createSends } from '../testing/create-sends.js';
import { controllerRevisionName } from './names.js';

const MS = 1000;

function harness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(MS), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  const sts = new StatefulSetController(sim, api, objects);
  const pod = (name: string) => cluster.pods.get(`default/${name}`);
  return { sim, cluster, api, objects, sts, pod, pods: () => sts.podsOf('default', 'db') };
}

function statefulSet(replicas: number, policy?: string): WorkloadObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas, serviceName: 'db', selector: { matchLabels: { app: 'db' } },
      ...(policy !== undefined ? { podManagementPolicy: policy } : {}),
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  };
}

test('OrderedReady creates db-0, then db-1 only once db-0 is Running, then db-2', () => {
  const h = harness();
  h.api.createObject(statefulSet(3));
  h.sim.run(100 * MS);
  assert.deepEqual(h.pods(), ['db-0:Pending'], 'one pod while db-0 is not Running');
  const p0 = h.pod('db-0')!;
  assert.equal(p0.labels['statefulset.kubernetes.io/pod-name'], 'db-0');
  assert.equal(p0.labels['apps.kubernetes.io/pod-index'], '0');
  assert.equal(p0.pod.spec?.hostname, 'db-0');
  assert.equal(p0.pod.spec?.subdomain, 'db');
  assert.equal(p0.ownerKind, 'StatefulSet');
  h.api.setPodPhase(p0, 'Running'); // commits at 101 ms
  h.sim.run(200 * MS);
  assert.deepEqual(h.pods(), ['db-0:Running', 'db-1:Pending']);
  assert.equal(h.pod('db-1')!.createdUs, 102 * MS, 'created one write after db-0 became Running');
  h.api.setPodPhase(h.pod('db-1')!, 'Running');
  h.sim.run(300 * MS);
  assert.deepEqual(h.pods(), ['db-0:Running', 'db-1:Running', 'db-2:Pending']);
  assert.equal(h.pod('db-2')!.createdUs, 202 * MS);
});

test('OrderedReady scales down from the highest ordinal, one deletion at a time', () => {
  const h = harness();
  h.api.createObject(statefulSet(3, 'Parallel'));
  h.sim.run(10 * MS);
  for (const n of ['db-0', 'db-1', 'db-2']) h.api.setPodPhase(h.pod(n)!, 'Running');
  h.sim.run(20 * MS);
  const stored = h.objects.get('StatefulSet', 'default', 'db')!;
  h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), replicas: 1, podManagementPolicy: 'OrderedReady' }));
  const deletions: string[] = [];
  h.api.watch({ podDeleted: (p) => deletions.push(`${p.name}@${h.sim.now / MS}ms`) });
  h.sim.run(100 * MS);
  // Update commits at 21 ms; db-2 deleted at 22 ms, then (observed) db-1 at 23 ms.
  assert.deepEqual(deletions, ['db-2@22ms', 'db-1@23ms']);
  assert.deepEqual(h.pods(), ['db-0:Running']);
});

test('OrderedReady scale-down 3 → 1 with db-1 and db-2 not Ready: no deletion until one is Ready (upstream processCondemned: a condemned pod not Running and Ready blocks unless it is the first unhealthy pod)', () => {
  const h = harness();
  h.api.createObject(statefulSet(3, 'Parallel'));
  h.sim.run(10 * MS);
  h.api.setPodPhase(h.pod('db-0')!, 'Running'); // db-1 and db-2 stay Pending (starting)
  h.sim.run(20 * MS);
  const stored = h.objects.get('StatefulSet', 'default', 'db')!;
  h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), replicas: 1, podManagementPolicy: 'OrderedReady' })); // commits at 21 ms
  const deletions: string[] = [];
  h.api.watch({ podDeleted: (p) => deletions.push(`${p.name}@${h.sim.now / MS}ms`) });
  h.sim.run(100 * MS);
  // db-1 is the first unhealthy pod; db-2 (not Ready, not the first) blocks the scale-down.
  assert.deepEqual(deletions, []);
  assert.deepEqual(h.pods(), ['db-0:Running', 'db-1:Pending', 'db-2:Pending']);
  h.api.setPodPhase(h.pod('db-2')!, 'Running'); // commits at 101 ms
  h.sim.run(200 * MS);
  // db-2 is Ready: deleted at 102 ms; then db-1, the first unhealthy pod, at 103 ms.
  assert.deepEqual(deletions, ['db-2@102ms', 'db-1@103ms']);
  assert.deepEqual(h.pods(), ['db-0:Running']);
});

test('scale-down 3 → 1: OrderedReady with only db-2 not Ready deletes it at once (the first unhealthy pod), then db-1; Parallel with db-1 and db-2 not Ready does not wait', () => {
  const cases = [['OrderedReady', ['db-0', 'db-1'], ['db-2@22ms', 'db-1@23ms']], ['Parallel', ['db-0'], ['db-2@22ms', 'db-1@22ms']]] as const;
  for (const [policy, running, expected] of cases) {
    const h = harness();
    h.api.createObject(statefulSet(3, 'Parallel'));
    h.sim.run(10 * MS);
    for (const n of running) h.api.setPodPhase(h.pod(n)!, 'Running');
    h.sim.run(20 * MS);
    const stored = h.objects.get('StatefulSet', 'default', 'db')!;
    h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), replicas: 1, podManagementPolicy: policy }));
    const deletions: string[] = [];
    h.api.watch({ podDeleted: (p) => deletions.push(`${p.name}@${h.sim.now / MS}ms`) });
    h.sim.run(100 * MS);
    assert.deepEqual(deletions, expected, policy);
  }
});

test('Parallel creates every ordinal in one sync (slow-start batches) and deletes every surplus pod at once', () => {
  const h = harness();
  h.api.createObject(statefulSet(3, 'Parallel'));
  h.sim.run(10 * MS);
  assert.deepEqual(h.pods(), ['db-0:Pending', 'db-1:Pending', 'db-2:Pending']);
  // The set commits at 1 ms; db-0 (a batch of 1) at 2 ms, then db-1 and db-2 (a batch of 2) at 3 ms.
  assert.deepEqual(['db-0', 'db-1', 'db-2'].map((n) => h.pod(n)!.createdUs), [2 * MS, 3 * MS, 3 * MS]);
  const stored = h.objects.get('StatefulSet', 'default', 'db')!;
  const deletedAt: number[] = [];
  h.api.watch({ podDeleted: () => deletedAt.push(h.sim.now) });
  h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), replicas: 0 })); // commits at 11 ms
  h.sim.run(20 * MS);
  assert.deepEqual(h.pods(), []);
  assert.equal(h.cluster.pods.size, 0);
  assert.deepEqual(deletedAt, [12 * MS, 12 * MS, 12 * MS], 'the three deletions sent in one sync');
});

test('a finished pod is deleted and created again under the same name; so is a deleted one', () => {
  const h = harness();
  h.api.createObject(statefulSet(2, 'Parallel'));
  h.sim.run(10 * MS);
  const old = h.pod('db-1')!;
  h.api.setPodPhase(old, 'Failed'); // 11 ms; deleted at 12 ms; recreated at 13 ms
  h.sim.run(20 * MS);
  const fresh = h.pod('db-1')!;
  assert.notEqual(fresh, old);
  assert.equal(old.deleted, true);
  assert.equal(fresh.createdUs, 13 * MS);
  assert.equal(fresh.phase, 'Pending');
  h.api.deletePod(h.pod('db-0')!, 'test'); // 21 ms; recreated at 22 ms
  h.sim.run(30 * MS);
  assert.equal(h.pod('db-0')!.createdUs, 22 * MS);
  assert.deepEqual(h.pods(), ['db-0:Pending', 'db-1:Pending']);
});

test('in a whole run, OrderedReady starts db-1 after db-0 runs: creation times 2 s apart', () => {
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "8", memory: 32Gi } }]
controlPlane: { apiWriteLatency: 1ms, watchDelay: 0s, etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 } }
kubelet: { startupLatency: 2s }
workload:
  - name: db
    manifest:
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db }
      spec:
        replicas: 3
        serviceName: db
        selector: { matchLabels: { app: db } }
        template:
          metadata: { labels: { app: db } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`, 'sts.yaml'), { events: true });
  const events = result.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  const creates = events.filter((e) => e['kind'] === 'api.create-pod').map((e) => `${e['object']}@${e['time_s']}`);
  // db-0's create commits at 2 ms (the StatefulSet at 1 ms); a 104 µs scheduling cycle and a
  // 1 ms binding bind it at 3.104 ms; Running 2 s later plus a 1 ms status write (2.004104 s);
  // the next ordinal's create commits 1 ms after that: 2.005104 s, and so on.
  assert.deepEqual(creates, EXPECTED_CREATES);
  assert.equal(result.summary['pods_bound'], 3);
  const placements = result.tables.find((t) => t.file === 'placements.csv')!.rows;
  assert.deepEqual(placements.map((r) => `${r['pod']}:${r['owner_kind']}/${r['owner']}`), ['db-0:StatefulSet/db', 'db-1:StatefulSet/db', 'db-2:StatefulSet/db']);
});

const EXPECTED_CREATES = ['default/db-0@0.002', 'default/db-1@2.005104', 'default/db-2@4.008208'];

test('OrderedReady with minReadySeconds 20 creates the next ordinal only once the previous pod has been Ready 20 s (upstream isRunningAndAvailable), and deletes a condemned pod not yet available at once: it is the first unavailable pod (processCondemned with firstUnavailablePod by isUnavailable, since kubernetes PR #130909 in v1.34)', () => {
  const set = (replicas: number) => `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {replicas: ${replicas}, minReadySeconds: 20, serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 100m}}}]}}}}`;
  const result = runScenario(parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "8", memory: 32Gi } }]
controlPlane: { apiWriteLatency: 1ms, watchDelay: 0s, etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 } }
kubelet: { startupLatency: 2s }
workload:
  - {name: db, manifest: ${set(3)}}
  - {name: db-down, at: 50s, manifest: ${set(2)}}
`, 'sts.yaml'), { events: true });
  const events = result.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  const creates = events.filter((e) => e['kind'] === 'api.create-pod').map((e) => `${e['object']}@${e['time_s']}`);
  // As above, each next create 20 s later: db-0 Running (its status written) at 2.004104 s is
  // available at 22.004104 s, when the set syncs again; its create commits 1 ms later.
  assert.deepEqual(creates, ['default/db-0@0.002', 'default/db-1@22.005104', 'default/db-2@44.008208']);
  // The scale to 2 at 50 s: the condemned db-2, Ready since 46.01 s, is not available until
  // 66.01 s, so it is the first unavailable pod (isUnavailable counts minReadySeconds) and
  // processCondemned deletes it at once (before v1.34, firstUnhealthyPod ignored
  // minReadySeconds and the scale-down waited until 66 s).
  const deletes = events.filter((e) => e['kind'] === 'api.delete-pod').map((e) => `${e['object']}@${Math.floor(Number(e['time_s']))}`);
  assert.deepEqual(deletes.slice(0, 1), ['default/db-2@50']);
});

test('OrderedReady does not scale up while a pod of the set is on a NotReady node (upstream: the node lifecycle controller marks it not Ready); it goes on once the node is back', () => {
  const set = (replicas: number) => `      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db }
      spec:
        replicas: ${replicas}
        serviceName: db
        selector: { matchLabels: { app: db } }
        template:
          metadata: { labels: { app: db } }
          spec:
            affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: db } }, topologyKey: kubernetes.io/hostname }] } }
            containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }]`;
  const run = (faultFor: string) => runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
seed: 3
duration: 20m
cluster:
  nodePools: [{ name: n, count: 5, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: db
    manifest:
${set(3)}
  - name: db-scale
    at: 7m
    manifest:
${set(4)}
faults:
  - nodeDown: { nodes: [NODE_OF_DB1], at: 5m${faultFor} }
`.replace('NODE_OF_DB1', nodeOfDb1()), 'sts-notready.yaml'));
  // Where db-1 runs (the same every run: same seed, same first 5 minutes).
  function nodeOfDb1(): string {
    const probe = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
seed: 3
duration: 1m
cluster:
  nodePools: [{ name: n, count: 5, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: db
    manifest:
${set(3)}
`, 'probe.yaml'));
    return String(probe.tables.find((t) => t.file === 'pods.csv')?.rows.find((r) => r['name'] === 'db-1')?.['node']);
  }
  const created = (r: ReturnType<typeof runScenario>, name: string) => r.tables.find((t) => t.file === 'pods.csv')?.rows.find((x) => x['name'] === name)?.['created_s'];
  // Down for good: NotReady from ~355 s, db-1 evicted at ~655 s and Terminating ever after; the
  // scale to 4 at 420 s never creates db-3 (db-1 is not Ready, then not gone).
  assert.equal(created(run(''), 'db-3'), undefined);
  // Down 10 minutes (300–900 s): the node is Ready again at ~900 s, db-1 (Terminating since
  // ~655 s) goes, is created again and runs; then db-3 follows.
  const back = run(', for: 10m');
  const db3 = Number(created(back, 'db-3'));
  assert.ok(db3 > 900 && db3 < 920, `db-3 created at ${db3} s`);
  assert.ok(Number(created(back, 'db-1')) < db3);
});

test('in a whole run, OrderedReady scaled 3 → 1 while the nodes of db-1 and db-2 are partitioned (NotReady) deletes nothing until they are Ready again', () => {
  const set = (replicas: number) => `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {replicas: ${replicas}, serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}]}}, containers: [{name: c, image: x, resources: {requests: {cpu: "1"}}}]}}}}`;
  const head = 'apiVersion: ksim/v1alpha1\nkind: Scenario\nseed: 3\nduration: DURATION\ncluster:\n  nodePools: [{name: n, count: 5, allocatable: {cpu: "8", memory: 32Gi}}]\nworkload:\n  - {name: db, manifest: SET3}\n'.replace('SET3', set(3));
  const probe = runScenario(parseScenario(head.replace('DURATION', '1m'), 'probe.yaml'));
  const nodeOf = (name: string) => String(probe.tables.find((t) => t.file === 'pods.csv')!.rows.find((r) => r['name'] === name)!['node']);
  // Partitioned 300–480 s: NotReady from ~350 s; the scale to 1 commits at 390 s.
  const result = runScenario(parseScenario(`${head.replace('DURATION', '15m')}  - {name: db-scale, at: 6m30s, manifest: ${set(1)}}\nfaults:\n  - partition: { nodes: [${nodeOf('db-1')}, ${nodeOf('db-2')}], at: 5m, for: 3m }\n`, 's.yaml'));
  const ends = result.tables.find((t) => t.file === 'placements.csv')!.rows.filter((r) => r['result'] === 'terminated');
  // When each deletion was sent: the row's time less the "terminating for N s" it reports.
  const sent = ends.map((r) => `${r['pod']}@${Math.round(Number(r['time_s']) - Number(/terminating for ([\d.]+)s/.exec(String(r['reason']))![1]))}s`);
  // Upstream: db-2, not Ready and not the first unhealthy pod (db-1), blocks the scale-down until
  // the nodes are Ready again (~485 s); then db-2 goes (30 s grace), then db-1. ksim used to
  // delete db-2 at 390 s, on its partitioned node (Terminating for 120 s).
  assert.deepEqual(sent, ['db-2@485s', 'db-1@515s']);
});

test('a StatefulSet pod: template labels plus pod-name, pod-index and controller-revision-hash, hostname, subdomain from serviceName (none when empty), owned as controller', () => {
  for (const serviceName of ['db', '', undefined]) {
    const h = harness();
    const o = statefulSet(1);
    const spec = o.spec as { serviceName?: string; template: { metadata: object } };
    if (serviceName === undefined) delete spec.serviceName;
    else spec.serviceName = serviceName;
    spec.template.metadata = { labels: { app: 'db' }, annotations: { a: '1' } };
    h.api.createObject({ ...o, metadata: { ...o.metadata, uid: 'u-db' } });
    h.sim.run(100 * MS);
    const p = h.pod('db-0')!.pod;
    // controller-revision-hash: the revision's name, <set>-<hash> (upstream setPodRevision,
    // ControllerRevisionName); the hash is ksim's of the template with its annotation (names.ts
    // templateRevisionHash).
    assert.deepEqual(p.metadata?.labels, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': 'db-969fd8649' });
    assert.deepEqual(p.metadata?.annotations, { a: '1' });
    assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u-db', controller: true, blockOwnerDeletion: true }]);
    assert.equal(p.spec?.hostname, 'db-0');
    assert.deepEqual(p.spec?.containers, [{ name: 'c', image: 'x' }]);
    assert.equal(p.spec?.subdomain, serviceName === 'db' ? 'db' : undefined, `serviceName ${String(serviceName)}`);
  }
});

test('pods of the StatefulSet in the start state keep their ordinals: none is created again, a name without an ordinal is not one', () => {
  const h = harness();
  const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'db', controller: true }] }, spec: { nodeName: 'a', containers: [{ name: 'c', image: 'x' }] } });
  h.api.commitStartState({ nodes: [], objects: [statefulSet(2)], pods: [pod('db-0'), pod('db-1'), pod('db-01'), pod('dx-1')] });
  h.sim.run(100 * MS);
  assert.deepEqual(h.pods(), ['db-0:Running', 'db-1:Running']);
  assert.equal(h.api.writes, 0, 'db-01 and dx-1 take no ordinal: nothing to delete, nothing to create');
});

for (const policy of ['OrderedReady', 'Parallel']) {
  test(`${policy}: a condemned pod stuck Terminating (its node unreachable) does not stop the set replacing a lost replica (upstream processReplica runs before processCondemned)`, () => {
    const h = harness();
    const pod = (name: string, terminating: boolean): Pod => ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name, namespace: 'default', labels: { app: 'db' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'db', controller: true }],
        // Being deleted when the snapshot was taken, with an hour's grace: no kubelet here ends it.
        ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 3600 } : {}),
      },
      spec: { nodeName: 'a', containers: [{ name: 'c', image: 'x' }] },
    });
    h.api.commitStartState({ nodes: [], objects: [statefulSet(2, policy)], pods: [pod('db-0', false), pod('db-1', false), pod('db-2', true)] });
    h.sim.run(10 * MS);
    assert.equal(h.api.writes, 0, 'db-2 is Terminating already: no second deletion, nothing to create');
    const lost = h.pod('db-1')!;
    h.api.deletePod(lost, 'test', true); // forced, commits at 11 ms; db-1 created again at 12 ms
    h.sim.run(20 * MS);
    assert.equal(lost.deleted, true);
    assert.equal(h.pod('db-1')!.createdUs, 12 * MS, 'the lost replica is replaced while db-2 is still Terminating');
    assert.deepEqual(h.pods(), ['db-0:Running', 'db-1:Pending', 'db-2:Running']);
    assert.equal(h.pod('db-2')!.terminating, true);
  });
}

test('Parallel: a finished pod\'s deletion does not end the sync: a missing ordinal after it is created in the same sync (upstream runForAll ignores processReplica\'s exit outside monotonic mode)', () => {
  const h = harness();
  h.api.createObject(statefulSet(3, 'Parallel'));
  h.sim.run(10 * MS);
  // db-0 fails (commits at 11 ms) and db-2 is deleted (forced, 11 ms): one sync at 11 ms
  // deletes db-0 and creates db-2, both at 12 ms; db-0 is created again at 13 ms.
  h.api.setPodPhase(h.pod('db-0')!, 'Failed');
  h.api.deletePod(h.pod('db-2')!, 'test', true);
  h.sim.run(20 * MS);
  assert.equal(h.pod('db-2')!.createdUs, 12 * MS);
  assert.equal(h.pod('db-0')!.createdUs, 13 * MS);
  assert.deepEqual(h.pods(), ['db-0:Pending', 'db-1:Pending', 'db-2:Pending']);
});

test('a scale up heard while a create is in flight is acted on once the create commits', () => {
  const h = harness();
  h.api.createObject(statefulSet(1, 'Parallel')); // commits at 1 ms; db-0 sent then, commits at 2 ms
  h.sim.scheduleAt(MS / 2, 'test.scale', '', () => h.objects.updateObject(withSpec(statefulSet(1, 'Parallel'), { ...(statefulSet(2, 'Parallel').spec as object) }))); // commits at 1.5 ms
  h.sim.run(100 * MS);
  assert.deepEqual(h.pods(), ['db-0:Pending', 'db-1:Pending']);
  assert.equal(h.pod('db-1')!.createdUs, 3 * MS);
});

test('a pod of the same name that is not the StatefulSet\'s blocks its ordinal: the create fails and is retried with exponential backoff (upstream AddRateLimited)', () => {
  const h = harness();
  const refused: number[] = [];
  h.api.watch({ writeRejected: () => refused.push(h.sim.now) });
  h.api.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  h.api.createObject(statefulSet(1, 'Parallel'));
  h.sim.run(100 * MS);
  assert.deepEqual(h.pods(), []);
  assert.equal(h.pod('db-0')?.ownerKind, '');
  // Refused (AlreadyExists) at 2 ms; the n-th failure is retried 5 ms · 2^(n−1) later.
  assert.deepEqual(refused, [2 * MS, 8 * MS, 19 * MS, 40 * MS, 81 * MS]);
  // The other pod is deleted at 100 ms: not the set's, so nothing queues it (upstream deletePod
  // ignores a pod without its controllerRef); the retry due at 161 ms creates db-0.
  h.api.deletePod(h.pod('db-0')!, 'test');
  h.sim.run(300 * MS);
  assert.deepEqual(h.pods(), ['db-0:Pending']);
  assert.equal(h.pod('db-0')?.createdUs, 162 * MS);
});

test('a StatefulSet deleted at the instant it was created gets no pod', () => {
  // Both writes commit at 1 ms: the deletion is heard before the sync the creation queued.
  const h = harness();
  h.api.createObject(statefulSet(2, 'Parallel'));
  h.objects.deleteObject('StatefulSet', 'default', 'db');
  h.sim.run(100 * MS);
  assert.equal(h.cluster.podsCreated, 0);
});

test('Parallel: 7 ordinals in slow-start batches of 1, 2, 4, each sent when the previous batch was answered (upstream slowStartBatch)', () => {
  const h = harness();
  const sent = createSends(h.sim, h.api);
  h.api.createObject(statefulSet(7, 'Parallel'));
  h.sim.run(100 * MS);
  assert.deepEqual(sent, [1, 2, 2, 3, 3, 3, 3].map((t) => t * MS));
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => h.pod(`db-${i}`)!.createdUs / MS), [2, 3, 3, 4, 4, 4, 4]);
});

test('Parallel: the batches count ordinals, not creates: with db-0..db-2 present, db-3..db-6 form one batch of 4', () => {
  const h = harness();
  const sent = createSends(h.sim, h.api);
  const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'db', controller: true }] }, spec: { nodeName: 'a', containers: [{ name: 'c', image: 'x' }] } });
  h.api.commitStartState({ nodes: [], objects: [statefulSet(7, 'Parallel')], pods: [pod('db-0'), pod('db-1'), pod('db-2')] });
  h.sim.run(100 * MS);
  // Upstream processReplica of an existing healthy pod sends nothing: batches {0} and {1, 2}
  // pass at once, and {3, 4, 5, 6} goes out in the same instant.
  assert.deepEqual(sent, [0, 0, 0, 0]);
  assert.deepEqual([3, 4, 5, 6].map((i) => h.pod(`db-${i}`)!.createdUs / MS), [1, 1, 1, 1]);
});

test('Parallel: a sync stops at the batch with a refused create: 3 creates sent of the 7', () => {
  const h = harness();
  const sent = createSends(h.sim, h.api);
  h.api.createObject({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: '2' } } } as WorkloadObject);
  h.api.createObject(statefulSet(7, 'Parallel'));
  h.sim.run(3 * MS - 1);
  // db-0 commits at 2 ms; the batch db-1, db-2 at 3 ms: db-1 created, db-2 refused, and db-3 ..
  // db-6 are not sent. The pod created syncs the set again at 3 ms: db-2 alone (batch {0} and
  // {1, 2} hold db-0, db-1 and db-2: only db-2 is missing).
  assert.deepEqual(sent, [1 * MS, 2 * MS, 2 * MS]);
  h.sim.run(4 * MS - 1);
  assert.deepEqual(sent, [1 * MS, 2 * MS, 2 * MS, 3 * MS]);
  assert.deepEqual(h.pods(), ['db-0:Pending', 'db-1:Pending']);
});

test('OrderedReady still creates one pod per sync, whatever the replicas', () => {
  const h = harness();
  const sent = createSends(h.sim, h.api);
  h.api.createObject(statefulSet(7));
  h.sim.run(100 * MS);
  assert.deepEqual(sent, [1 * MS]);
  assert.deepEqual(h.pods(), ['db-0:Pending']);
});

test('a workload entry that brings a StatefulSet again later scales it (an update, as kubectl apply); a Job brought again may change only its mutable fields', () => {
  const sts = (replicas: number) =>
    `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {replicas: ${replicas}, serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: db, resources: {requests: {cpu: 100m}}}]}}}}`;
  const head = 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 10m\ncluster:\n  nodePools: [{name: p, count: 2, allocatable: {cpu: "4", memory: 8Gi}}]\nworkload:\n';
  const result = runScenario(parseScenario(`${head}  - {name: db, manifest: ${sts(1)}}\n  - {name: db-up, at: 5m, manifest: ${sts(3)}}\n`, 's.yaml'), { checkInvariants: true });
  const placements = result.tables.find((t) => t.file === 'placements.csv')!.rows;
  assert.deepEqual(placements.map((r) => `${r['pod']} ${Math.floor(Number(r['time_s']) / 60)}m`), ['db-0 0m', 'db-1 5m', 'db-2 5m']);
  const job = '{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}}}';
  // The same Job again is an update that changes nothing (kubectl apply); another template is
  // refused, a Job's template being immutable (upstream ValidateJobSpecUpdate).
  assert.doesNotThrow(() => parseScenario(`${head}  - {name: a, manifest: ${job}}\n  - {name: b, at: 5m, manifest: ${job}}\n`, 's.yaml'));
  assert.throws(() => parseScenario(`${head}  - {name: a, manifest: ${job}}\n  - {name: b, at: 5m, manifest: ${job.replace('image: x', 'image: y')}}\n`, 's.yaml'), /workload\[1\]\.manifest\.spec\.template: expected the same template as workload entry "a"/);
});

/** statefulSet(...) with spec.ordinals.start. */
function startingAt(start: number, replicas: number, policy?: string): WorkloadObject {
  const o = statefulSet(replicas, policy);
  return { ...o, spec: { ...(o.spec as object), ordinals: { start } } };
}

test('ordinals.start 5 (upstream getStartOrdinal, KEP-3335): OrderedReady creates db-5 (pod-index 5), then db-6 once db-5 is Running', () => {
  const h = harness();
  h.api.createObject(startingAt(5, 2));
  h.sim.run(100 * MS);
  assert.deepEqual(h.pods(), ['db-5:Pending']);
  const p5 = h.pod('db-5')!;
  assert.equal(p5.labels['statefulset.kubernetes.io/pod-name'], 'db-5');
  assert.equal(p5.labels['apps.kubernetes.io/pod-index'], '5');
  assert.equal(p5.pod.spec?.hostname, 'db-5');
  h.api.setPodPhase(p5, 'Running'); // commits at 101 ms
  h.sim.run(200 * MS);
  assert.deepEqual(h.pods(), ['db-5:Running', 'db-6:Pending']);
  assert.equal(h.pod('db-6')!.createdUs, 102 * MS);
  assert.equal(h.pod('db-0'), undefined);
});

test('ordinals.start: OrderedReady scales 3 → 1 from db-7 down to db-5; Parallel creates db-2..db-4', () => {
  const h = harness();
  h.api.createObject(startingAt(5, 3, 'Parallel'));
  h.sim.run(10 * MS);
  assert.deepEqual(h.pods(), ['db-5:Pending', 'db-6:Pending', 'db-7:Pending']);
  for (const n of ['db-5', 'db-6', 'db-7']) h.api.setPodPhase(h.pod(n)!, 'Running');
  h.sim.run(20 * MS);
  const stored = h.objects.get('StatefulSet', 'default', 'db')!;
  h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), replicas: 1, podManagementPolicy: 'OrderedReady' }));
  const deletions: string[] = [];
  h.api.watch({ podDeleted: (p) => deletions.push(`${p.name}@${h.sim.now / MS}ms`) });
  h.sim.run(100 * MS);
  assert.deepEqual(deletions, ['db-7@22ms', 'db-6@23ms']);
  assert.deepEqual(h.pods(), ['db-5:Running']);
  const p = harness();
  p.api.createObject(startingAt(2, 3, 'Parallel'));
  p.sim.run(10 * MS);
  assert.deepEqual(p.pods(), ['db-2:Pending', 'db-3:Pending', 'db-4:Pending']);
});

test('ordinals.start changed 0 → 2 on a set of 2 (upstream podInOrdinalRange): db-2, db-3 are made and db-1, db-0 condemned, highest first', () => {
  const h = harness();
  h.api.createObject(statefulSet(2, 'Parallel'));
  h.sim.run(10 * MS);
  for (const n of ['db-0', 'db-1']) h.api.setPodPhase(h.pod(n)!, 'Running');
  h.sim.run(20 * MS);
  const stored = h.objects.get('StatefulSet', 'default', 'db')!;
  h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), ordinals: { start: 2 } }));
  const deletions: string[] = [];
  h.api.watch({ podDeleted: (p) => deletions.push(p.name) });
  h.sim.run(100 * MS);
  // Parallel: both new ordinals created and both condemned ones deleted in the same sync.
  assert.deepEqual(deletions, ['db-1', 'db-0']);
  assert.deepEqual(h.pods(), ['db-2:Pending', 'db-3:Pending']);
});

test('ordinals.start: a negative start is bad input (upstream ValidateStatefulSetSpec: non-negative)', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
cluster:
  nodePools: [{ name: p, count: 1, allocatable: { cpu: "4", memory: 8Gi } }]
workload:
  - name: s
    manifest: { apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { replicas: 2, ordinals: { start: -1 }, serviceName: s, selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: x }] } } } }
`;
  assert.throws(() => parseScenario(text, 's.yaml'), /s\.yaml:7:.*workload\[0\]\.manifest\.spec\.ordinals\.start: expected .*got -1/);
});

/** The image of the live pod `name`. */
function imageOf(h: ReturnType<typeof harness>, name: string): string | undefined {
  return h.pod(name)?.pod.spec?.containers[0]?.image;
}

/** The set's stored spec changed by `change` (an update as kubectl apply makes it). */
function updateSpec(h: ReturnType<typeof harness>, change: Record<string, unknown>): void {
  const stored = h.objects.get('StatefulSet', 'default', 'db')!;
  h.objects.updateObject(withSpec(stored, { ...(stored.spec as object), ...change }));
}

/** The controller-revision-hash label of the live pod `name`. */
function revisionOf(h: ReturnType<typeof harness>, name: string): string | undefined {
  return h.pod(name)?.labels['controller-revision-hash'];
}

function template(image: string): unknown {
  return { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image }] } };
}

test('rollingUpdate.partition 2 on 3 pods, template x → y: db-0 and db-1 recreated get x (the current revision), db-2 gets y (upstream newVersionedStatefulSetPod); partition 0 then: y everywhere, and once all are y and Ready y is the current revision', () => {
  const h = harness();
  h.api.createObject(statefulSet(3, 'Parallel'));
  h.sim.run(10 * MS);
  for (const n of ['db-0', 'db-1', 'db-2']) h.api.setPodPhase(h.pod(n)!, 'Running');
  h.sim.run(20 * MS);
  updateSpec(h, { template: template('y'), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  h.sim.run(30 * MS);
  for (const n of ['db-0', 'db-2']) h.api.deletePod(h.pod(n)!, 'test');
  h.sim.run(40 * MS);
  assert.deepEqual(['db-0', 'db-1', 'db-2'].map((n) => imageOf(h, n)), ['x', 'x', 'y']);
  // Partition 0: pods recreated now are of the update revision y, whatever their ordinal.
  updateSpec(h, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } });
  h.sim.run(50 * MS);
  for (const n of ['db-0', 'db-1']) h.api.deletePod(h.pod(n)!, 'test');
  h.sim.run(60 * MS);
  assert.deepEqual(['db-0', 'db-1', 'db-2'].map((n) => imageOf(h, n)), ['y', 'y', 'y']);
  for (const n of ['db-0', 'db-1', 'db-2']) if (h.pod(n)!.phase !== 'Running') h.api.setPodPhase(h.pod(n)!, 'Running');
  h.sim.run(70 * MS);
  // Every pod y and Ready: y became the current revision (completeRollingUpdate), so with
  // template z and partition 3 a pod recreated at db-1 is y again, not x.
  updateSpec(h, { template: template('z'), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3 } } });
  h.sim.run(80 * MS);
  h.api.deletePod(h.pod('db-1')!, 'test');
  h.sim.run(90 * MS);
  assert.deepEqual(['db-0', 'db-1', 'db-2'].map((n) => imageOf(h, n)), ['y', 'y', 'y']);
});

test('template changed with partition 3 and the set then scaled to 5: db-3 and db-4 get the new template; back to the first template, every pod recreated gets it (a rollback: the update revision is the current one again)', () => {
  const h = harness();
  h.api.createObject(statefulSet(3, 'Parallel'));
  h.sim.run(10 * MS);
  for (const n of ['db-0', 'db-1', 'db-2']) h.api.setPodPhase(h.pod(n)!, 'Running');
  h.sim.run(20 * MS);
  updateSpec(h, { template: template('y'), updateStrategy: { rollingUpdate: { partition: 3 } } });
  h.sim.run(30 * MS);
  updateSpec(h, { replicas: 5 });
  h.api.deletePod(h.pod('db-2')!, 'test');
  h.sim.run(40 * MS);
  assert.deepEqual(['db-0', 'db-1', 'db-2', 'db-3', 'db-4'].map((n) => imageOf(h, n)), ['x', 'x', 'x', 'y', 'y']);
  // Each pod is labelled with the name of the revision it was made from (upstream
  // newVersionedStatefulSetPod → setPodRevision): db-2, recreated below the partition, the
  // current revision's.
  assert.deepEqual(['db-0', 'db-1', 'db-2', 'db-3', 'db-4'].map((n) => revisionOf(h, n)), ['db-74c4988ddf', 'db-74c4988ddf', 'db-74c4988ddf', 'db-6bd77c788b', 'db-6bd77c788b']);
  updateSpec(h, { template: template('x'), updateStrategy: { rollingUpdate: { partition: 0 } } });
  h.sim.run(50 * MS);
  h.api.deletePod(h.pod('db-4')!, 'test');
  h.sim.run(60 * MS);
  assert.equal(imageOf(h, 'db-4'), 'x');
  assert.equal(revisionOf(h, 'db-4'), 'db-74c4988ddf', 'a rollback: the first revision again, under its name');
});

test('a snapshot\'s set keeps its revision names: a pod it makes again carries status.updateRevision, or status.currentRevision below the partition of a rollout the snapshot caught (upstream getStatefulSetRevisions finds the ControllerRevisions the names are of)', () => {
  const pod = (name: string, rev: string, image: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'db', 'controller-revision-hash': rev }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'db', controller: true }] }, spec: { nodeName: 'a', containers: [{ name: 'c', image }] } });
  // Not mid-rollout: both revisions db-5c8b7d9f4.
  const h = harness();
  const settled = { ...statefulSet(2, 'Parallel'), status: { currentRevision: 'db-5c8b7d9f4', updateRevision: 'db-5c8b7d9f4' } } as WorkloadObject;
  h.api.commitStartState({ nodes: [], objects: [settled], pods: [pod('db-0', 'db-5c8b7d9f4', 'x'), pod('db-1', 'db-5c8b7d9f4', 'x')] });
  h.sim.run(10 * MS);
  h.api.deletePod(h.pod('db-1')!, 'test', true);
  h.sim.run(20 * MS);
  assert.equal(revisionOf(h, 'db-1'), 'db-5c8b7d9f4');
  // Mid-rollout (partition 1): db-1 is of the update revision (spec.template, y), db-0 of the
  // current one (x); each made again keeps its revision's name.
  const m = harness();
  const rolling = withSpec(statefulSet(2, 'Parallel'), { ...(statefulSet(2, 'Parallel').spec as object), template: template('y'), updateStrategy: { rollingUpdate: { partition: 1 } } });
  m.api.commitStartState({ nodes: [], objects: [{ ...rolling, status: { currentRevision: 'db-old4c5d6', updateRevision: 'db-new7f8b9', currentReplicas: 1 } } as WorkloadObject], pods: [pod('db-0', 'db-old4c5d6', 'x'), pod('db-1', 'db-new7f8b9', 'y')] });
  m.sim.run(10 * MS);
  for (const n of ['db-0', 'db-1']) m.api.deletePod(m.pod(n)!, 'test', true);
  m.sim.run(20 * MS);
  assert.deepEqual(['db-0', 'db-1'].map((n) => `${imageOf(m, n)} ${revisionOf(m, n)}`), ['x db-old4c5d6', 'y db-new7f8b9']);
});

test('updateStrategy type RollingUpdate without rollingUpdate (kept nil by upstream defaulting): the rolling update replaces from the top (updateMin 0), and a pod recreated below start + status.currentReplicas gets the current revision; OnDelete: nothing replaced, a pod recreated gets the new template', () => {
  for (const [strategy, afterUpdate, expected] of [[{ type: 'RollingUpdate' }, ['x', 'y'], ['x', 'y']], [{ type: 'OnDelete' }, ['x', 'x'], ['y', 'y']]] as const) {
    const h = harness();
    h.api.createObject(statefulSet(2, 'Parallel'));
    h.sim.run(10 * MS);
    for (const n of ['db-0', 'db-1']) h.api.setPodPhase(h.pod(n)!, 'Running');
    h.sim.run(20 * MS);
    updateSpec(h, { template: template('y'), updateStrategy: strategy }); // commits at 21 ms
    h.sim.run(30 * MS);
    // RollingUpdate: db-1 deleted at 22 ms (nothing here runs it: gone at once), and
    // status.currentReplicas dropped to 1 with it (upstream status.CurrentReplicas--), so db-1
    // is made again at 23 ms from y, the update revision.
    assert.deepEqual(['db-0', 'db-1'].map((n) => imageOf(h, n)), afterUpdate, strategy.type);
    if (strategy.type === 'RollingUpdate') assert.equal(h.pod('db-1')!.createdUs, 23 * MS);
    // db-0 deleted by hand while db-1 (y) is not Ready (the harness starts nothing), so the
    // rolling update waits: db-0 comes back below currentReplicas 1, x. OnDelete: y.
    h.api.deletePod(h.pod('db-0')!, 'test');
    h.sim.run(40 * MS);
    if (strategy.type === 'OnDelete') h.api.deletePod(h.pod('db-1')!, 'test');
    h.sim.run(50 * MS);
    assert.deepEqual(['db-0', 'db-1'].map((n) => imageOf(h, n)), expected, strategy.type);
  }
});

test('updateStrategy.rollingUpdate: a negative partition or rollingUpdate with OnDelete is bad input (upstream validateRollingUpdateStatefulSet, ValidateStatefulSetSpec); maxUnavailable is dropped before validation (MaxUnavailableStatefulSet off in v1.36)', () => {
  const text = (strategy: string) => `apiVersion: ksim/v1alpha1
kind: Scenario
cluster:
  nodePools: [{ name: p, count: 1, allocatable: { cpu: "4", memory: 8Gi } }]
workload:
  - name: s
    manifest: { apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { replicas: 2, updateStrategy: ${strategy}, serviceName: s, selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: x }] } } } }
`;
  assert.throws(() => parseScenario(text('{ rollingUpdate: { partition: -1 } }'), 's.yaml'), /spec\.updateStrategy\.rollingUpdate\.partition: expected an integer >= 0, got -1/);
  assert.doesNotThrow(() => parseScenario(text('{ rollingUpdate: { maxUnavailable: 0 } }'), 's.yaml'));
  assert.doesNotThrow(() => parseScenario(text('{ rollingUpdate: { maxUnavailable: "150%" } }'), 's.yaml'));
  assert.throws(() => parseScenario(text('{ type: OnDelete, rollingUpdate: { partition: 1 } }'), 's.yaml'), /spec\.updateStrategy\.rollingUpdate: expected no rollingUpdate when the updateStrategy type is OnDelete/);
  assert.doesNotThrow(() => parseScenario(text('{ type: RollingUpdate, rollingUpdate: { partition: 1, maxUnavailable: "50%" } }'), 's.yaml'));
});

test('a set named over 52 characters gets its pod creates refused when its controller-revision-hash label <set>-<hash> is over 63 characters (upstream pod validation, kubernetes/kubernetes#64023; ControllerRevisionName cuts only past 223): 53 characters with a 10-character hash refused, with a 9-character one created; 60 characters refused; 52 created', () => {
  const n53 = 'my-company-production-analytics-clickhouse-shard0-rep'; // 53
  const n60 = 'my-company-production-analytics-clickhouse-shard0-replica-01'; // 60
  const n52 = 'a'.repeat(52);
  assert.deepEqual([n53.length, n60.length], [53, 60]);
  // Image x: ksim's template hash 74c4988ddf (10 characters); img3: 5f7bdfcb5 (9).
  const cases: [string, string][] = [[n53, 'x'], [`${n53.slice(0, 52)}z`, 'img3'], [n60, 'x'], [`${n60.slice(0, 59)}z`, 'img3'], [n52, 'x']];
  const h = harness();
  const refused: string[] = [];
  h.api.watch({ writeRejected: (_o, reason) => refused.push(reason) });
  for (const [name, image] of cases) {
    const s = statefulSet(2, 'Parallel');
    s.metadata.name = name;
    (s.spec as { template: unknown }).template = template(image);
    h.api.createObject(s);
  }
  h.sim.run(3 * MS);
  assert.deepEqual(cases.map(([name]) => h.sts.podsOf('default', name).length), [0, 2, 0, 0, 2]);
  assert.equal(h.pod(`${n53.slice(0, 52)}z-1`)!.labels['controller-revision-hash'], `${n53.slice(0, 52)}z-5f7bdfcb5`, '63 characters: valid');
  assert.equal(h.pod(`${n52}-0`)!.labels['controller-revision-hash'], `${n52}-74c4988ddf`);
  // Each refused set's first batch (its -0) refused: the sync ends there, retried later.
  assert.deepEqual(refused, [
    `Pod "${n53}-0" is invalid: metadata.labels: Invalid value: "${n53}-74c4988ddf": must be no more than 63 characters`,
    `Pod "${n60}-0" is invalid: metadata.labels: Invalid value: "${n60}-74c4988ddf": must be no more than 63 characters`,
    `Pod "${n60.slice(0, 59)}z-0" is invalid: metadata.labels: Invalid value: "${n60.slice(0, 59)}z-5f7bdfcb5": must be no more than 63 characters`,
  ]);
  h.sim.run(100 * MS);
  assert.deepEqual(h.sts.podsOf('default', n53), []);
  assert.ok(refused.length > 9, `retried with backoff: ${refused.length}`);
});

test('a StatefulSet pod name over 63 characters: its pod-name label and spec.hostname are refused too; a revision name is cut past 223 characters (upstream ControllerRevisionName)', () => {
  const set = 'x'.repeat(62);
  assert.equal(invalidPodLabels('x'.repeat(52) + '-0', 'x'.repeat(52) + '-74c4988ddf'), null);
  assert.equal(invalidPodLabels(`${set}-1`, `${set}-74c4988ddf`), `Pod "${set}-1" is invalid: [metadata.labels: Invalid value: "${set}-74c4988ddf": must be no more than 63 characters, metadata.labels: Invalid value: "${set}-1": must be no more than 63 characters, spec.hostname: Invalid value: "${set}-1": must be no more than 63 characters]`);
  assert.equal(controllerRevisionName('y'.repeat(230), '5f7bdfcb5'), `${'y'.repeat(223)}-5f7bdfcb5`);
  assert.equal(controllerRevisionName('y'.repeat(223), '5f7bdfcb5'), `${'y'.repeat(223)}-5f7bdfcb5`);
});

test('the run warning of a set\'s refused pod creates says the cause, its name\'s length plus the revision hash, and suggests names of at most 52 characters', () => {
  const n53 = 'my-company-production-analytics-clickhouse-shard0-rep'; // 53
  const hint = ` (the StatefulSet ${n53}'s pods carry the label controller-revision-hash: <set>-<revision hash>, here 53 + 1 + 10 = 64 characters, over a label value's 63: the set's name is too long for its template's hash; name it with at most 52 characters, which leaves room for the longest hash, 10)`;
  assert.equal(longSetNameHint(invalidPodLabels(`${n53}-0`, `${n53}-74c4988ddf`)!), hint);
  // A pod name over 63 too: the same cause, the same advice.
  const set = 'x'.repeat(62);
  assert.match(longSetNameHint(invalidPodLabels(`${set}-1`, `${set}-74c4988ddf`)!), /here 62 \+ 1 \+ 10 = 73 characters, .* at most 52 characters/);
  assert.equal(longSetNameHint('pods "web-x" is forbidden: exceeded quota: compute'), '');
});
