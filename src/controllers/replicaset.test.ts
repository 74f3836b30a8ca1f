// The ReplicaSet controller's slow start and replacement, through a whole (small) run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { ReplicaSetController } from './replicaset.js';
import { makeNode } from '../testing/builders.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

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

test('a ReplicaSet sync costs its live pods, not every pod it ever had', () => {
  // 5 replicas whose pods all finish, generation after generation, driven through the API (no
  // kubelet): after 20 generations the controller holds the 5 live pods, and syncs that only
  // create examined no pod at all (it counts, it does not list).
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const rsc = new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  api.createObject({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  const rows: { generation: number; created: number; tracked: number; examined: number }[] = [];
  for (let g = 1; g <= 20; g++) {
    sim.run(g * 1_000_000);
    for (const p of cluster.pods.values()) if (!p.terminal) api.setPodPhase(p, 'Succeeded');
    sim.run(g * 1_000_000 + 500_000);
    if (g % 10 === 0) rows.push({ generation: g, created: cluster.podsCreated, tracked: rsc.trackedPods('default', 'web'), examined: rsc.podsExamined });
  }
  assert.deepEqual(rows, [
    { generation: 10, created: 55, tracked: 5, examined: 0 },
    { generation: 20, created: 105, tracked: 5, examined: 0 },
  ]);
  assert.equal(rsc.activePods('default', 'web'), 5);
});

test("a ReplicaSet's pods share its template's frozen containers and one requests object", () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '250m', memory: '1Gi' } } }] } };
  api.createObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template } });
  sim.run(1_000_000);
  const pods = [...cluster.pods.values()];
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.equal(p.pod.spec?.containers, pods[0]!.pod.spec?.containers);
    assert.equal(p.requests, pods[0]!.requests);
  }
  assert.deepEqual([pods[0]!.requests.milliCpu, pods[0]!.requests.memory], [250, 2 ** 30]);
  // Their labels, annotations and owner references too, frozen.
  for (const p of pods) {
    assert.equal(p.pod.metadata?.labels, pods[0]!.pod.metadata?.labels);
    assert.equal(p.pod.metadata?.annotations, pods[0]!.pod.metadata?.annotations);
    assert.equal(p.pod.metadata?.ownerReferences, pods[0]!.pod.metadata?.ownerReferences);
  }
  assert.equal(Object.isFrozen(pods[0]!.pod.metadata?.labels), true);
  assert.deepEqual(pods.map((p) => p.pod.metadata?.labels), [{ app: 'web' }, { app: 'web' }, { app: 'web' }]);
  // Frozen: code that wrote into one pod's containers would change them all, and fails instead.
  const stored = api.cluster.objects.get(objectKey('ReplicaSet', 'default', 'web')) as unknown as { spec: { template: typeof template } };
  assert.equal(Object.isFrozen(stored.spec.template.spec.containers[0]!.resources.requests), true);
  assert.throws(() => {
    (pods[0]!.pod.spec!.containers[0] as { image: string }).image = 'y';
  }, TypeError);
});

test('scaling a ReplicaSet down examines its live pods only', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  const rsc = new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), objects);
  const rs = (replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  api.createObject(rs(4));
  sim.run(1_000_000);
  // Three generations finish and are replaced: 12 pods created, 4 live.
  for (let g = 1; g <= 2; g++) {
    for (const p of cluster.pods.values()) if (!p.terminal) api.setPodPhase(p, 'Succeeded');
    sim.run((g + 1) * 1_000_000);
  }
  api.updateObject(rs(1));
  sim.run(5_000_000);
  assert.equal(cluster.podsCreated, 12);
  assert.equal(rsc.activePods('default', 'web'), 1);
  assert.equal(rsc.podsExamined, 4);
});

test('scaling down deletes unassigned pods first, then pending ones, then the newest running; pods created together go by name', () => {
  // Four pods made in slow-start batches of 1, 2 and 1: created at 1, 2, 2 and 3 ms.
  const run = (states: ('running' | 'bound' | 'unbound')[], steps: number[]) => {
    const sim = new Simulation();
    const cluster = new ClusterState();
    cluster.addNode(makeNode('n').obj(), 'p');
    const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
    const objects = new ObjectApi(api);
    new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), objects);
    const rs = (replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    api.createObject(rs(4));
    sim.run(100_000);
    const pods = [...cluster.pods.values()].sort((a, b) => a.createdUs - b.createdUs || (a.key < b.key ? -1 : 1));
    assert.deepEqual(pods.map((p) => p.createdUs), [2000, 3000, 3000, 4000]);
    states.forEach((s, i) => {
      const p = pods[i]!;
      if (s === 'unbound') return;
      cluster.assume(p, cluster.mustNode('n')); // as the scheduler does before binding
      api.bindPod(p, 'n', () => { if (s === 'running') api.setPodPhase(p, 'Running'); });
    });
    sim.run(200_000);
    const left: number[][] = [];
    steps.forEach((replicas, i) => {
      objects.updateObject(rs(replicas));
      sim.run(300_000 + i * 100_000);
      left.push(pods.map((p, j) => (p.deleted || p.terminating ? -1 : j)).filter((j) => j >= 0));
    });
    return left;
  };
  // 1 and 2 (same time) unbound: 1 goes first by name, then 2, then the newer running 3.
  assert.deepEqual(run(['running', 'unbound', 'unbound', 'running'], [3, 1]), [[0, 2, 3], [0]]);
  // A bound pod still pending goes before a newer running one.
  assert.deepEqual(run(['running', 'bound', 'running', 'running'], [3, 2]), [[0, 2, 3], [0, 2]]);
  // An unassigned pod goes before newer pending ones bound to a node.
  assert.deepEqual(run(['unbound', 'bound', 'bound', 'running'], [3]), [[1, 2, 3]]);
});

test('a ReplicaSet pod copies the template labels and annotations and is owned by the ReplicaSet as controller', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  api.createObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'u-web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, annotations: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  sim.run(100_000);
  const [p] = [...cluster.pods.values()];
  assert.deepEqual(p?.pod.metadata?.labels, { app: 'web' });
  assert.deepEqual(p?.pod.metadata?.annotations, { a: '1' });
  assert.deepEqual(p?.pod.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u-web', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(p?.pod.spec?.containers, [{ name: 'c', image: 'x' }]);
});

test('a deleted ReplicaSet does not replace the pods deleted after it', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  api.createObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  sim.run(100_000);
  assert.equal(cluster.pods.size, 2);
  api.deleteObject('ReplicaSet', 'default', 'web');
  sim.run(200_000);
  for (const p of [...cluster.pods.values()]) api.deletePod(p, 'garbage collected');
  sim.run(300_000);
  assert.equal(cluster.pods.size, 0);
});

function rsHarness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), objects);
  const rs = (replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  /** Pod deletions sent, "<pod> at <µs>". */
  const deletes: string[] = [];
  const deletePod = api.deletePod.bind(api);
  api.deletePod = (p, reason, force) => {
    deletes.push(`${p.name} at ${sim.now}`);
    deletePod(p, reason, force);
  };
  return { sim, cluster, api, objects, rs, deletes };
}

test('a ReplicaSet deleted at the instant it was created gets no pod', () => {
  // Both writes commit at 1 ms: the deletion is heard before the sync the creation queued.
  const h = rsHarness();
  h.api.createObject(h.rs(3));
  h.objects.deleteObject('ReplicaSet', 'default', 'web');
  h.sim.run(100_000);
  assert.equal(h.cluster.podsCreated, 0);
});

test('a sync while the deletions of a scale down are in flight deletes nothing more (upstream expectations)', () => {
  const h = rsHarness();
  h.api.createObject(h.rs(3));
  h.sim.run(100_000);
  const names = [...h.cluster.pods.values()].map((p) => p.name);
  assert.equal(names.length, 3);
  // Scaled to 1 (committing at 101 ms, deletions sent then, committing at 102 ms); a second
  // update commits at 101.5 ms, before they do.
  h.objects.updateObject(h.rs(1));
  h.sim.run(100_500);
  h.objects.updateObject({ ...h.rs(1), metadata: { name: 'web', namespace: 'default', labels: { touched: 'yes' } } });
  h.sim.run(200_000);
  assert.equal(h.deletes.length, 2);
  assert.ok(h.deletes.every((d) => d.endsWith(' at 101000')));
  assert.equal([...h.cluster.pods.values()].length, 1);
});

test('scaling down between pods created in the same instant deletes the first by name, whatever order they were heard in', () => {
  for (const order of [['web-b', 'web-a'], ['web-a', 'web-b']]) {
    const h = rsHarness();
    const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'web', controller: true }] }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    assert.deepEqual(h.api.commitStartState({ nodes: [], objects: [h.rs(1)], pods: order.map(pod) }), []);
    h.sim.run(100_000);
    assert.deepEqual(h.deletes, ['web-a at 0'], order.join(','));
    assert.deepEqual([...h.cluster.pods.values()].map((p) => p.name), ['web-b'], order.join(','));
  }
});

test('a pod a user makes with the ReplicaSet as its controller is a surplus deleted at once (upstream addPod queues a sync for every pod)', () => {
  const h = rsHarness();
  h.api.createObject(h.rs(1));
  h.sim.run(100_000);
  assert.equal(h.cluster.pods.size, 1);
  const extra: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-extra', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'web', controller: true }] }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  h.sim.scheduleAt(200_000, 'test.create', 'web-extra', () => h.api.createPod(extra));
  h.sim.run(300_000);
  // Two pending pods: the newer goes (upstream ActivePodsWithRanks).
  assert.deepEqual(h.deletes, ['web-extra at 201000']);
  assert.equal(h.cluster.pods.size, 1);
});

/** A ReplicaSet of `replicas` under a ResourceQuota of `quotaPods` pods in its namespace, every
 * write taking 1 ms; refused creates are logged with their commit times (µs). */
function quotaHarness(replicas: number, quotaPods: number) {
  const h = rsHarness();
  const refused: number[] = [];
  h.api.watch({ writeRejected: () => refused.push(h.sim.now) });
  const quota = (pods: number): WorkloadObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: String(pods) } } });
  h.api.createObject(quota(quotaPods));
  h.api.createObject(h.rs(replicas));
  return { ...h, refused, quota };
}

test('creates refused by a ResourceQuota are retried with exponential backoff, 5 ms doubling (upstream slowStartBatch + AddRateLimited)', () => {
  const h = quotaHarness(12, 10);
  h.sim.run(300_000_000);
  assert.equal(h.cluster.pods.size, 10);
  // Quota and ReplicaSet commit at 1 ms; batches of 1, 2, 4 pods commit at 2, 3, 4 ms; the batch
  // of 5 at 5 ms: 3 created, 2 refused, and no further batch. The sync failed: a retry is due
  // 5 ms later (10 ms); the 3 pods created queue a sync at once (upstream addPod), whose single
  // create is refused at 6 ms (failure 2: its 10 ms retry would come after the pending one, so
  // 10 ms stays). Then each retry sends one create, refused 1 ms later, and the n-th failure
  // waits 5 ms · 2^(n−1): retries at 10, 10+1+20 = 31, 31+1+40 = 72, ... ms.
  const expected = [5_000, 5_000, 6_000];
  let retryAt = 10_000;
  for (let failures = 3; retryAt + 1_000 <= 300_000_000; failures++) {
    expected.push(retryAt + 1_000);
    retryAt += 1_000 + 5_000 * 2 ** (failures - 1);
  }
  assert.deepEqual(h.refused, expected);
  assert.deepEqual(h.refused.slice(0, 8), [5_000, 5_000, 6_000, 11_000, 32_000, 73_000, 154_000, 315_000]);
  // 17 refused creates in 5 minutes (before: one every 1 ms, the controller's own hot loop); the
  // last at 163.844 s, the next retry due at 327.684 s.
  assert.equal(h.refused.length, 17);
  assert.equal(h.refused.at(-1), 163_844_000);
});

test('a ResourceQuota raised during the backoff is acted on at the next retry: the controller does not watch quotas', () => {
  // Upstream's ReplicaSet controller has informers for ReplicaSets and Pods only
  // (NewBaseController), so a quota update queues nothing: the missing pods wait for the
  // pending AddRateLimited retry. Retries (previous test) at 40.961 s and 81.922 s.
  const h = quotaHarness(12, 10);
  h.sim.run(60_000_000);
  h.objects.updateObject(h.quota(12));
  h.sim.run(81_900_000);
  assert.equal(h.cluster.pods.size, 10);
  h.sim.run(300_000_000);
  const created = [...h.cluster.pods.values()].map((p) => p.createdUs).filter((t) => t > 60_000_000);
  assert.deepEqual(created, [81_923_000, 81_924_000]); // slow start again: 1, then 1
  assert.equal(h.refused.length, 15); // none after the raise
});

test('a pod of the set deleted during the backoff syncs it at once (upstream deletePod: queue.Add), and the failure count goes on', () => {
  const h = quotaHarness(12, 10);
  h.sim.run(60_000_000);
  const before = h.refused.length;
  const victim = [...h.cluster.pods.values()][0]!;
  h.api.deletePod(victim, 'test'); // unbound: deleted at once, committing at 60.001 s
  h.sim.run(61_000_000);
  // The sync at 60.001 s creates 1 pod (60.002 s), then a batch of 2 is refused (60.003 s);
  // the pod it created queues one more sync, refused at 60.004 s.
  assert.equal(h.cluster.pods.size, 10);
  assert.deepEqual(h.refused.slice(before), [60_003_000, 60_003_000, 60_004_000]);
  h.sim.run(420_000_000);
  // The retry pending since the 14th failure (40.962 s, due at 81.922 s) stays; these two syncs
  // were failures 15 and 16 (not forgotten), so the retry at 81.922 s, the 17th, waits
  // 5 ms · 2^16 = 327.68 s: the next create is sent at 409.603 s.
  assert.deepEqual(h.refused.slice(before + 3), [81_923_000, 409_604_000]);
});

test('a whole run: a Deployment of 12 under a 10-pod quota sends 18 refused creates in 5 minutes, not one per client token', () => {
  const yaml = scenario(12, 'forever', '5m').replace('workload:\n', `workload:
  - name: quota
    manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: pods }, spec: { hard: { pods: "10" } } }
`);
  const result = runScenario(parseScenario(yaml, 'quota.yaml'), { events: true });
  assert.match(result.warnings.join('\n'), /\b18 create\(s\) refused by the API server\b/);
  // Creates committed after the first second (all refused): a retry (sent at 1.215 s); while the
  // set is failing each of its pods' events syncs it at once (upstream updatePod → queue.Add),
  // so the 10 pods turning Running at ~2 s bring 5 syncs (one per create in flight, 1 ms each);
  // then retries only, the failure count never reset: after 1.28 s, 81.92 s, 163.84 s.
  const events = result.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  const late = events.filter((e) => e['kind'] === 'api.create-pod' && Number(e['time_s']) > 1).map((e) => e['time_s']);
  assert.deepEqual(late, ['1.216', '2.006104', '2.007104', '2.008104', '2.009104', '2.010104', '2.497', '84.418', '248.259']);
  assert.equal(result.summary['pods_submitted'], 10);
});

test('scale-down deletes from the node with the most related pods first (upstream getPodsRankedByRelatedPodsOnSameNode), not the newest pod', () => {
  // a-0 (3 CPUs) holds the first three 1-CPU replicas, b-0 (joining at 30 s) the fourth; scaled
  // from 4 to 3, upstream deletes a doubled-up pod on a-0, not the lone (newest) one on b-0.
  const deployment = (replicas: number) => `
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: c, image: web, resources: { requests: { cpu: "1" } } }]`;
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: rs-scale-down }
seed: 1
duration: 4m
cluster:
  nodePools:
    - { name: a, count: 1, allocatable: { cpu: "3", memory: 16Gi } }
    - { name: b, count: 1, joinAt: 30s, allocatable: { cpu: "3", memory: 16Gi } }
workload:
  - name: web${deployment(3)}
  - name: up
    at: 60s${deployment(4)}
  - name: down
    at: 120s${deployment(3)}
`;
  const r = runScenario(parseScenario(text, 'rs.yaml'), { checkInvariants: true });
  const rows = r.tables.find((t) => t.file === 'placements.csv')!.rows;
  assert.deepEqual(rows.filter((x) => x['result'] === 'terminated').map((x) => x['node']), ['a-0']);
  assert.deepEqual(r.tables.find((t) => t.file === 'nodes.csv')!.rows.map((x) => `${x['node']} ${x['pods']}`), ['a-0 2', 'b-0 1']);
});

test('a ReplicaSet whose template changes gives its next pods the new labels (the shared metadata is made again)', () => {
  const h = rsHarness();
  h.api.createObject(h.rs(1));
  h.sim.run(100_000);
  const changed = h.rs(2) as WorkloadObject & { spec: { template: { metadata: { labels: Record<string, string> } } } };
  changed.spec.template.metadata.labels = { app: 'web', tier: 'front' };
  h.objects.updateObject(changed);
  h.sim.run(200_000);
  const labels = [...h.cluster.pods.values()].map((p) => p.pod.metadata?.labels);
  assert.deepEqual(labels, [{ app: 'web' }, { app: 'web', tier: 'front' }]);
});
