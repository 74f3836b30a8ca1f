// The disruption controller keeps PodDisruptionBudget status current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { prepareRun } from '../run/run-scenario.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { makeNode, makePod } from '../testing/builders.js';
import { DisruptionController } from './disruption.js';
import { DEFAULT_WALL_CLOCK } from './cron.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 3, allocatable: { cpu: "8", memory: 32Gi } }]
kubelet: { startupLatency: 2s }
workload:
  - name: guard
    manifest: { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: web }, spec: { minAvailable: 4, selector: { matchLabels: { app: web } } } }
  - name: pct
    manifest: { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: web-pct }, spec: { maxUnavailable: "40%", selector: { matchLabels: { app: web } } } }
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 5
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;

test('PDB status follows the pods: nothing allowed while they start, then healthy − desired', () => {
  const run = prepareRun(parseScenario(SCENARIO, 'pdb.yaml'));
  const status = (name: string) => run.cluster.objects.get(objectKey('PodDisruptionBudget', 'default', name))?.['status'];
  run.sim.run(1_000_000); // 1 s: pods created and bound, none Running yet (startup 2 s)
  assert.deepEqual(status('web'), { currentHealthy: 0, desiredHealthy: 4, disruptionsAllowed: 0, expectedPods: 5 });
  run.sim.run(run.endUs);
  // minAvailable 4 of 5 healthy → 1; maxUnavailable 40 % of 5 replicas = 2 (rounded up) → desired 3 → 2.
  assert.deepEqual(status('web'), { currentHealthy: 5, desiredHealthy: 4, disruptionsAllowed: 1, expectedPods: 5 });
  assert.deepEqual(status('web-pct'), { currentHealthy: 5, desiredHealthy: 3, disruptionsAllowed: 2, expectedPods: 5 });
});

/** A DisruptionController alone; `disruption.sync` events counted. */
function harness() {
  let syncs = 0;
  const sim = new Simulation({ onEvent: (ev) => { if (ev.kind === 'disruption.sync') syncs++; } });
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const ctl = new DisruptionController(sim, api);
  const status = () => cluster.objects.get(objectKey('PodDisruptionBudget', 'default', 'web'))?.['status'];
  return { sim, cluster, api, ctl, status, syncs: () => syncs };
}

const rs = (replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'web' } } } });
const pdb: WorkloadObject = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } };
const webPod = (name: string) => makePod(name).label('app', 'web').owner('ReplicaSet', 'web-1').node('n1').obj();
const node = { node: makeNode('n1').capacity({ cpu: '8', pods: 110 }).obj(), pool: 'p' };

test('a PDB status is written when it changes only: a ReplicaSet scaled changes expectedPods; a pod it does not select changes nothing', () => {
  const h = harness();
  h.api.commitStartState({ nodes: [node], objects: [pdb, rs(2)], pods: [webPod('web-1-a'), webPod('web-1-b')] });
  h.sim.run(500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
  h.api.updateObject(rs(4)); // scaled, no pod yet: 3 must stay of 4
  h.sim.run(1_500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 4 });
  h.api.createPod(makePod('other').label('app', 'db').obj());
  h.sim.run(2_500_000);
  assert.equal(h.ctl.statusWrites, 2);
  const syncs = h.syncs();
  h.api.createObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' } });
  h.sim.run(3_500_000);
  assert.equal(h.syncs(), syncs, 'an object that is not a PDB, Deployment or ReplicaSet changes nothing');
});

test('a PDB created after its pods gets its status; without any PDB the controller does nothing', () => {
  const h = harness();
  h.api.commitStartState({ nodes: [node], objects: [rs(2)], pods: [webPod('web-1-a'), webPod('web-1-b')] });
  h.api.createPod(makePod('x').obj());
  h.sim.run(500_000);
  assert.equal(h.syncs(), 0);
  h.api.createObject(pdb);
  h.sim.run(1_500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
});

test('the PDBs of two namespaces changed in one instant are each written once', () => {
  const h = harness();
  const pdbIn = (namespace: string): WorkloadObject => ({ ...pdb, metadata: { name: 'web', namespace } });
  const rsIn = (namespace: string): WorkloadObject => ({ ...rs(2), metadata: { name: 'web-1', namespace } });
  const podIn = (name: string, namespace: string) => makePod(name).namespace(namespace).label('app', 'web').owner('ReplicaSet', 'web-1').node('n1').obj();
  h.api.commitStartState({ nodes: [node], objects: [pdbIn('a'), pdbIn('b'), rsIn('a'), rsIn('b')], pods: [podIn('web-1-x', 'a'), podIn('web-1-y', 'b')] });
  h.sim.run(500_000);
  // A namespace's sync writes its own PDB only: the other namespace's, written by its own sync
  // in the same instant, is not written twice while the first write is in flight.
  assert.equal(h.ctl.statusWrites, 2);
  for (const ns of ['a', 'b']) assert.deepEqual(h.cluster.objects.get(objectKey('PodDisruptionBudget', ns, 'web'))?.['status'], { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 2 });
});

test('a Deployment added later gives the expected pods of its ReplicaSet\'s pods (its replicas, not the ReplicaSet\'s)', () => {
  const h = harness();
  const owned: WorkloadObject = { ...rs(2), metadata: { name: 'web-1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'web', controller: true }] } };
  h.api.commitStartState({ nodes: [node], objects: [pdb, owned], pods: [webPod('web-1-a'), webPod('web-1-b')] });
  h.sim.run(500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
  h.api.createObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 5, selector: { matchLabels: { app: 'web' } } } });
  h.sim.run(1_500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 4, disruptionsAllowed: 0, expectedPods: 5 });
});

test('a PDB whose spec is replaced (kubectl apply) is synced again, as upstream\'s updateDb enqueues it; its own status writes sync nothing more', () => {
  const h = harness();
  h.api.commitStartState({ nodes: [node], objects: [pdb, rs(2)], pods: [webPod('web-1-a'), webPod('web-1-b')] });
  h.sim.run(500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
  const syncs = h.syncs();
  assert.equal(syncs, 1, 'the status write that came back as an update did not sync again');
  // maxUnavailable 1 → 0: both pods must stay. Before, the update was not heard and
  // disruptionsAllowed stayed 1 until some pod of the namespace changed.
  const stored = h.cluster.objects.get(objectKey('PodDisruptionBudget', 'default', 'web')) as WorkloadObject;
  h.api.updateObject({ ...stored, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } } });
  h.sim.run(1_500_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 });
  assert.equal(h.syncs(), syncs + 1);
});

test('a slow API server does not multiply status writes: a status already on its way is not sent again (upstream\'s would be refused as a Conflict before etcd), and the last one wins', () => {
  // Writes take 200 ms. A ReplicaSet of 4 has its 4 pods Running.
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(200_000), new RandomStreams(1).stream('api'));
  const ctl = new DisruptionController(sim, api);
  const status = () => cluster.objects.get(objectKey('PodDisruptionBudget', 'default', 'web'))?.['status'];
  api.commitStartState({ nodes: [node], objects: [pdb, rs(4)], pods: ['a', 'b', 'c', 'd'].map((x) => webPod(`web-1-${x}`)) });
  sim.run(1_000_000);
  assert.deepEqual(status(), { currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1, expectedPods: 4 });
  assert.equal(ctl.statusWrites, 1);
  // Pods c and d are deleted 10 ms apart; pod b's deletion is heard 10 ms later. Each deletion
  // commits 200 ms after it is sent, and every one changes the status: 3 writes, each a new value.
  for (const [k, x] of ['c', 'd', 'b'].entries()) sim.scheduleAt(2_000_000 + k * 10_000, 'delete', x, () => api.deletePod(cluster.pods.get(`default/web-1-${x}`)!, 'test', true));
  // Then creates of pods in the namespace that the PDB does not select, heard from 2.25 s, while
  // the status writes sent at 2.2-2.22 s are in flight (until 2.42 s): each sync computes the
  // status on its way, which is not sent again (it was, once per create: 3 more writes).
  for (let k = 0; k < 3; k++) sim.scheduleAt(2_050_000 + k * 5_000, 'create', 'other', () => api.createPod(makePod(`other-${k}`).label('app', 'db').obj()));
  sim.run(5_000_000);
  assert.deepEqual(status(), { currentHealthy: 1, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 4 });
  assert.equal(ctl.statusWrites, 4);
});

test('status.disruptedPods (a snapshot\'s) ages out as upstream\'s buildDisruptedPodMap: kept until eviction + 2 min for a selected pod not being deleted, which is not healthy meanwhile; entries for other pods or past it are dropped', () => {
  const h = harness();
  const clock = DEFAULT_WALL_CLOCK;
  const S = 1_000_000;
  // The harness's controller reads times with DEFAULT_WALL_CLOCK too (its default).
  const status = {
    currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3,
    // a: evicted 30 s before t = 0 (expected gone at 90 s); b: 200 s before (past); gone: no such pod.
    disruptedPods: { 'web-1-a': clock.text(-30 * S), 'web-1-b': clock.text(-200 * S), 'web-1-gone': clock.text(-10 * S) },
  };
  h.api.commitStartState({ nodes: [node], objects: [{ ...pdb, status }, rs(3)], pods: [webPod('web-1-a'), webPod('web-1-b'), webPod('web-1-c')] });
  h.sim.run(S);
  // maxUnavailable 1 of 3: desired 2; a is not healthy while its deletion is expected.
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3, disruptedPods: { 'web-1-a': clock.text(-30 * S) } });
  h.sim.run(90 * S);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3, disruptedPods: { 'web-1-a': clock.text(-30 * S) } }, 'kept at its expected deletion');
  h.sim.run(91 * S);
  assert.deepEqual(h.status(), { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 }, 'the recheck just after 90 s drops it');
  assert.equal(h.ctl.statusWrites, 2);
});

test('the pods of a NotReady node are not healthy (the node lifecycle controller marks them not Ready: upstream MarkPodsNotReady; countHealthyPods counts IsPodReady), and are again once it is Ready; a node deleted while NotReady leaves them not healthy', () => {
  // minAvailable 3 over 4 pods, 2 on n1 and 2 on n2.
  const h = harness();
  const guard: WorkloadObject = { ...pdb, spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } } };
  const n2 = { node: makeNode('n2').capacity({ cpu: '8', pods: 110 }).obj(), pool: 'p' };
  const on = (name: string, n: string) => makePod(name).label('app', 'web').owner('ReplicaSet', 'web-1').node(n).obj();
  h.api.commitStartState({ nodes: [node, n2], objects: [guard, rs(4)], pods: [on('web-1-a', 'n1'), on('web-1-b', 'n1'), on('web-1-c', 'n2'), on('web-1-d', 'n2')] });
  h.sim.run(1_000_000);
  assert.deepEqual(h.status(), { currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1, expectedPods: 4 });
  h.sim.scheduleAt(2_000_000, 'notready', 'n1', () => h.api.updateNode('n1', { ready: false }));
  h.sim.run(3_000_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 4 });
  h.sim.scheduleAt(4_000_000, 'ready', 'n1', () => h.api.updateNode('n1', { ready: true }));
  h.sim.run(5_000_000);
  assert.deepEqual(h.status(), { currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1, expectedPods: 4 });
  // n2 NotReady, then deleted: its pods keep the Ready condition False they were given (nothing
  // writes them until the pod GC), so they stay not healthy.
  h.sim.scheduleAt(6_000_000, 'notready', 'n2', () => h.api.updateNode('n2', { ready: false }));
  h.sim.scheduleAt(7_000_000, 'delete', 'n2', () => h.api.deleteNode('n2'));
  h.sim.run(8_000_000);
  assert.deepEqual(h.status(), { currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 4 });
  // A Ready node of that name joins (its kubelet runs the pods still bound to it): healthy again.
  h.sim.scheduleAt(9_000_000, 'join', 'n2', () => h.api.addNode(n2.node, 'p'));
  h.sim.run(10_000_000);
  assert.deepEqual(h.status(), { currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1, expectedPods: 4 });
});

test('in a whole run, a node down at 10 s (NotReady at ~65 s) takes its 2 pods out of a minAvailable-3 budget over 4: disruptionsAllowed 1 → 0, and a preemption at 90 s spares the budget (evicts the mid-priority pod instead)', () => {
  // n-0 and n-1 each hold 2 of the 4 web pods (4 cpu each, nodes full); n-2 a priority-100 pod
  // of 8 cpu. `urgent` (priority 1000, 4 cpu) needs a victim: one web pod on n-1, or the
  // priority-100 pod on n-2 (n-0 is tainted unreachable by then). With a disruption allowed
  // both break no budget and the lower-priority victim (web, 0) wins; with none, evicting a web
  // pod violates the PDB and upstream's pickOneNodeForPreemption takes the fewest violations:
  // n-2.
  const scenario = (at: string) => `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 2m
cluster:
  nodePools: [{ name: n, count: 3, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - { name: pc-mid, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: mid }, value: 100 } }
  - { name: pc-high, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: high }, value: 1000 } }
  - name: guard
    manifest: { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: web }, spec: { minAvailable: 3, selector: { matchLabels: { app: web } } } }
${['x', 'y'].map((part, i) => `  - name: web-${part}
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web-${part} }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web, part: ${part} } }
        template:
          metadata: { labels: { app: web, part: ${part} } }
          spec: { nodeSelector: { kubernetes.io/hostname: n-${i} }, containers: [{ name: c, image: x, resources: { requests: { cpu: "4" } } }] }
`).join('')}  - name: batch
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: batch }, spec: { priorityClassName: mid, nodeSelector: { kubernetes.io/hostname: n-2 }, containers: [{ name: c, image: x, resources: { requests: { cpu: "8" } } }] } }
  - name: urgent
    at: ${at}
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: urgent }, spec: { priorityClassName: high, containers: [{ name: c, image: x, resources: { requests: { cpu: "4" } } }] } }
faults:
  - nodeDown: { nodes: [n-0], at: 10s }
`;
  const S = 1_000_000;
  const preempted = (at: string, check?: (run: ReturnType<typeof prepareRun>) => void) => {
    const run = prepareRun(parseScenario(scenario(at), 'pdb-notready.yaml'));
    check?.(run);
    run.sim.run(run.endUs);
    return run.finish().tables.find((t) => t.file === 'placements.csv')!.rows.filter((r) => r['result'] === 'preempted').map((r) => `${String(r['pod']).replace(/-[0-9a-f]+-[0-9a-z]+$/, '')}@${r['node']}`);
  };
  const late = preempted('90s', (run) => {
    const status = () => run.cluster.objects.get(objectKey('PodDisruptionBudget', 'default', 'web'))?.['status'];
    run.sim.run(60 * S);
    assert.deepEqual(status(), { currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1, expectedPods: 4 });
    run.sim.run(80 * S);
    assert.equal(run.cluster.nodeByName.get('n-0')?.ready, false);
    assert.deepEqual(status(), { currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 4 });
  });
  assert.deepEqual(late, ['batch@n-2']);
  // Before the outage is seen, at 30 s, the budget allows one: a web pod goes.
  assert.deepEqual(preempted('30s'), ['web-y@n-1']);
});
