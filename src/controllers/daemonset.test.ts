// The DaemonSet controller: one pod per eligible node, pinned by node affinity, with the daemon
// tolerations; node joins, deleted and completed pods, and a whole scenario run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { makeNode, makePod, podInfo } from '../testing/builders.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { compareDaemonPods, CONTROLLER_REVISION_HASH, DaemonSetController, FAILED_POD_BACKOFF_INITIAL_US, FAILED_POD_BACKOFF_MAX_US, daemonPodTolerations, daemonSetRevisionHash, nodeShouldRunDaemonPod, withNodeNameAffinity } from './daemonset.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import { loadScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { createSends } from '../testing/create-sends.js';
import { Kubelets } from '../kubelet/kubelet.js';

function harness(nodes: Node[]) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  for (const n of nodes) cluster.addNode(n, 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DaemonSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  return { sim, cluster, api };
}

function ds(spec: Record<string, unknown> = {}): WorkloadObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } } },
  };
}

function podsByNode(cluster: ClusterState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of cluster.pods.values()) {
    const node = p.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? '?';
    (out[node] ??= []).push(p.name);
  }
  return out;
}

test('a DaemonSet gets one pod per eligible node, named <ds>-<5 chars>, pinned with matchFields metadata.name', () => {
  const { sim, cluster, api } = harness([
    makeNode('a').label('role', 'worker').obj(),
    makeNode('b').label('role', 'worker').obj(),
    makeNode('c').label('role', 'infra').obj(),
    makeNode('d').label('role', 'worker').taint('dedicated', 'gpu', 'NoSchedule').obj(),
    makeNode('e').label('role', 'worker').unschedulable().taint('node.kubernetes.io/unschedulable', '', 'NoSchedule').obj(),
  ]);
  api.createObject(ds({ nodeSelector: { role: 'worker' } }));
  sim.run(1_000_000);
  const by = podsByNode(cluster);
  assert.deepEqual(Object.keys(by).sort(), ['a', 'b', 'e']); // c: selector; d: untolerated taint
  for (const names of Object.values(by)) {
    assert.equal(names.length, 1);
    assert.match(names[0]!, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
  const p = [...cluster.pods.values()][0]!;
  assert.equal(p.ownerKind, 'DaemonSet');
  assert.equal(p.ownerName, 'agent');
  assert.deepEqual(p.pod.spec?.tolerations, daemonPodTolerations(false));
});

test('a node that joins later gets a daemon pod; a deleted or completed pod is replaced', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  api.createObject(ds());
  sim.run(1_000_000);
  assert.deepEqual(Object.keys(podsByNode(cluster)), ['a']);
  api.addNode(makeNode('b').obj(), 'p');
  sim.run(2_000_000);
  assert.deepEqual(Object.keys(podsByNode(cluster)).sort(), ['a', 'b']);
  const onB = [...cluster.pods.values()].find((p) => podsByNode(cluster)['b']?.includes(p.name))!;
  api.deletePod(onB, 'test');
  sim.run(3_000_000);
  const b = podsByNode(cluster)['b'] ?? [];
  assert.equal(b.length, 1);
  assert.notEqual(b[0], onB.name);
  const onA = [...cluster.pods.values()].find((p) => podsByNode(cluster)['a']?.includes(p.name))!;
  api.setPodPhase(onA, 'Failed');
  sim.run(4_000_000);
  const a = podsByNode(cluster)['a'] ?? [];
  assert.equal(a.length, 1, 'the failed pod is deleted and one new pod made');
  assert.notEqual(a[0], onA.name);
  assert.equal(onA.deleted, true);
  assert.equal(cluster.pods.size, 2);
});

test('hostNetwork pods also tolerate network-unavailable; NoExecute taints stop a pod from continuing', () => {
  assert.deepEqual(daemonPodTolerations(true).map((t) => `${t.key}:${t.effect}`), [
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
    'node.kubernetes.io/network-unavailable:NoSchedule',
  ]);
  const pod: Pod = { spec: { containers: [], tolerations: daemonPodTolerations(false) } };
  const cluster = new ClusterState();
  const noSched = cluster.addNode(makeNode('x').taint('k', 'v', 'NoSchedule').obj(), 'p');
  const noExec = cluster.addNode(makeNode('y').taint('k', 'v', 'NoExecute').obj(), 'p');
  const notReady = cluster.addNode(makeNode('z').taint('node.kubernetes.io/not-ready', '', 'NoExecute').obj(), 'p');
  assert.deepEqual(nodeShouldRunDaemonPod(pod, noSched), { shouldRun: false, shouldContinueRunning: true, reason: 'untolerated taint k=v:NoSchedule' });
  assert.deepEqual(nodeShouldRunDaemonPod(pod, noExec), { shouldRun: false, shouldContinueRunning: false, reason: 'untolerated taint k=v:NoExecute' });
  assert.deepEqual(nodeShouldRunDaemonPod(pod, notReady), { shouldRun: true, shouldContinueRunning: true });
});

test('the node-name affinity replaces the required terms and keeps preferred ones', () => {
  const a = withNodeNameAffinity({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Exists' }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'z', operator: 'Exists' }] } }],
    },
  }, 'n1');
  assert.deepEqual(a.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] });
  assert.equal(a.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1);
});

test('scenarios/daemonset.yaml: every eligible node, also the ones that join at 5m, runs exactly one agent pod', () => {
  const file = fileURLToPath(new URL('../../../scenarios/daemonset.yaml', import.meta.url));
  const result = runScenario(loadScenario(file), { checkInvariants: true });
  const placements = result.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  const agents = placements.filter((r) => r['owner_kind'] === 'DaemonSet' && r['result'] === 'bound');
  const nodes = agents.map((r) => String(r['node'])).sort();
  assert.equal(nodes.length, 9);
  assert.deepEqual([...new Set(nodes)].length, 9);
  assert.ok(nodes.every((n) => n.startsWith('workers-') || n.startsWith('late-workers-')), nodes.join(','));
  // The three late workers join at 300 s; their agents bind after that.
  const late = agents.filter((r) => String(r['node']).startsWith('late-workers-'));
  assert.equal(late.length, 3);
  assert.ok(late.every((r) => Number(r['time_s']) > 300), late.map((r) => r['time_s']).join(','));
});

test('daemon pods copy the template: containers, labels, annotations and its own tolerations (a daemon toleration it already has is not added twice)', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  const o = ds({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] });
  const template = (o.spec as { template: { metadata: Record<string, unknown> } }).template;
  template.metadata = { labels: { app: 'agent', tier: 'node' }, annotations: { 'example.com/owner': 'ops' } };
  api.createObject(o);
  sim.run(1_000_000);
  const [p] = [...cluster.pods.values()];
  assert.ok(p !== undefined);
  assert.deepEqual(p.pod.spec?.containers, [{ name: 'c', image: 'x' }]);
  // Upstream CreatePodTemplate adds the revision's controller-revision-hash label.
  assert.deepEqual(p.pod.metadata?.labels, { app: 'agent', tier: 'node', [CONTROLLER_REVISION_HASH]: daemonSetRevisionHash(o as ObjectOf<'DaemonSet'>) });
  assert.deepEqual(p.pod.metadata?.annotations, { 'example.com/owner': 'ops' });
  assert.deepEqual(p.pod.spec?.tolerations?.map((t) => `${t.key}:${t.effect}`), [
    'node.kubernetes.io/not-ready:NoExecute',
    'dedicated:NoSchedule',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
});

test('a network-unavailable node gets a daemon pod only when the template uses hostNetwork', () => {
  for (const hostNetwork of [false, true]) {
    const { sim, cluster, api } = harness([makeNode('a').taint('node.kubernetes.io/network-unavailable', '', 'NoSchedule').obj(), makeNode('b').obj()]);
    api.createObject(ds(hostNetwork ? { hostNetwork: true } : {}));
    sim.run(1_000_000);
    assert.deepEqual(Object.keys(podsByNode(cluster)).sort(), hostNetwork ? ['a', 'b'] : ['b'], `hostNetwork ${hostNetwork}`);
  }
});

/** A pod of the DaemonSet `agent`, pinned to `node`, as a user (not the controller) makes it. */
function strayDaemonPod(name: string, node: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'agent' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'agent', controller: true }] },
    spec: { containers: [{ name: 'c', image: 'x' }], affinity: withNodeNameAffinity(undefined, node) },
  };
}

test('surplus daemon pods on one node: the oldest stays; between pods created in the same instant, the first by name', () => {
  for (const order of [['agent-extra-b', 'agent-extra-a'], ['agent-extra-a', 'agent-extra-b']]) {
    const { sim, cluster, api } = harness([makeNode('a').obj()]);
    api.createObject(ds());
    // Created with the DaemonSet (one commit time), before its first sync: it makes no pod of
    // its own, and keeps the first of the two by key whatever the order they were heard of.
    for (const name of order) api.createPod(strayDaemonPod(name, 'a'));
    sim.run(1_000_000);
    assert.deepEqual(podsByNode(cluster), { a: ['agent-extra-a'] }, order.join(','));
  }
});

test('surplus daemon pods created in the same second: the first by name stays, as creationTimestamp has whole seconds (upstream podByCreationTimestampAndPhase)', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  // The DaemonSet's own pod (agent-xxxxx) is created first, then agent-extra-b at 0.1 s and
  // agent-extra-a at 0.6 s: all in second 0, so the first by name stays, not the oldest by µs.
  api.createObject(ds());
  sim.scheduleAt(100_000, 'test.create', '', () => api.createPod(strayDaemonPod('agent-extra-b', 'a')));
  sim.scheduleAt(600_000, 'test.create', '', () => api.createPod(strayDaemonPod('agent-extra-a', 'a')));
  sim.run(2_000_000);
  assert.deepEqual(podsByNode(cluster), { a: ['agent-extra-a'] });
});

test('compareDaemonPods: a scheduled pod before an unscheduled one, then the creation second, then the name', () => {
  const pod = (name: string, createdUs: number, bound: boolean) => {
    const p = podInfo(makePod(name).obj(), createdUs);
    p.bound = bound;
    return p;
  };
  assert.equal(compareDaemonPods(pod('z', 5_000_000, true), pod('a', 1_000_000, false)), -1, 'scheduled first, though newer');
  assert.equal(compareDaemonPods(pod('a', 1_000_000, false), pod('z', 5_000_000, true)), 1);
  assert.ok(compareDaemonPods(pod('z', 1_000_000, true), pod('a', 2_000_000, true)) < 0, 'an earlier second first');
  assert.equal(compareDaemonPods(pod('b', 1_100_000, true), pod('a', 1_900_000, true)), 1, 'the same second: by name');
});

test('a daemon pod is deleted when its node stops matching the nodeSelector or gets an untolerated NoExecute taint, and kept on a new NoSchedule taint', () => {
  const { sim, cluster, api } = harness([makeNode('a').label('role', 'worker').obj(), makeNode('b').label('role', 'worker').obj(), makeNode('c').label('role', 'worker').obj()]);
  api.createObject(ds({ nodeSelector: { role: 'worker' } }));
  sim.run(1_000_000);
  assert.deepEqual(Object.keys(podsByNode(cluster)).sort(), ['a', 'b', 'c']);
  api.updateNode('a', { labels: { role: 'infra' } });
  api.updateNode('b', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] });
  api.updateNode('c', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
  sim.run(2_000_000);
  assert.deepEqual(Object.keys(podsByNode(cluster)), ['c']);
});

test('a daemon pod is owned by its DaemonSet as controller, and a hostNetwork one tolerates network-unavailable', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  api.createObject(ds({ hostNetwork: true }));
  sim.run(1_000_000);
  const [p] = [...cluster.pods.values()];
  assert.deepEqual(p?.pod.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'agent', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(p?.pod.spec?.tolerations, daemonPodTolerations(true));
});

test('the node-name affinity keeps the pod (anti-)affinity; a PreferNoSchedule taint does not stop a daemon pod', () => {
  const anti = { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'agent' } }, topologyKey: 'kubernetes.io/hostname' }] };
  assert.deepEqual(withNodeNameAffinity({ podAntiAffinity: anti }, 'n1').podAntiAffinity, anti);
  const cluster = new ClusterState();
  const prefer = cluster.addNode(makeNode('p').taint('k', 'v', 'PreferNoSchedule').obj(), 'p');
  assert.deepEqual(nodeShouldRunDaemonPod({ spec: { containers: [] } }, prefer), { shouldRun: true, shouldContinueRunning: true });
});

test('daemon tolerations replace a template toleration they match (upstream AddOrUpdateTolerationInPodSpec): not-ready NoExecute loses its tolerationSeconds', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  const dedicated = { key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' };
  api.createObject(
    ds({
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        dedicated,
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
        // Same key and effect but another operator: does not match, stays, and the daemon one is added.
        { key: 'node.kubernetes.io/disk-pressure', operator: 'Equal', value: 'x', effect: 'NoSchedule' },
      ],
    }),
  );
  sim.run(1_000_000);
  const p = [...cluster.pods.values()][0]!;
  assert.deepEqual(p.pod.spec?.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, // replaced in place
    dedicated,
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }, // equal: kept
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Equal', value: 'x', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  ]);
});

test('a required node affinity in the template limits the daemon pods to the nodes it matches, and a node that stops matching loses its pod (upstream NodeShouldRunDaemonPod: false, false)', () => {
  const { sim, cluster, api } = harness([makeNode('a').label('zone', 'z1').obj(), makeNode('b').label('zone', 'z2').obj()]);
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } };
  api.createObject(ds({ affinity }));
  sim.run(1_000_000);
  assert.deepEqual(Object.keys(podsByNode(cluster)), ['a']);
  api.updateNode('a', { labels: { zone: 'z2' } });
  sim.run(2_000_000);
  assert.deepEqual(podsByNode(cluster), {});
});

test('an update of the DaemonSet is acted on: a nodeSelector no node matches any more removes every daemon pod', () => {
  const { sim, cluster, api } = harness([makeNode('a').label('role', 'worker').obj(), makeNode('b').label('role', 'worker').obj()]);
  api.createObject(ds({ nodeSelector: { role: 'worker' } }));
  sim.run(1_000_000);
  assert.deepEqual(Object.keys(podsByNode(cluster)).sort(), ['a', 'b']);
  api.updateObject(ds({ nodeSelector: { role: 'infra' } }));
  sim.run(2_000_000);
  assert.deepEqual(podsByNode(cluster), {});
});

test('a DaemonSet deleted at the instant it was created gets no pod', () => {
  // Both writes commit at 1 ms: the deletion is heard before the sync the creation queued.
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  api.createObject(ds());
  api.deleteObject('DaemonSet', 'default', 'agent');
  sim.run(1_000_000);
  assert.equal(cluster.podsCreated, 0);
});

test('an unscheduled daemon pod pinned to a node that does not exist is deleted (upstream getUnscheduledPodsWithoutNode)', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  assert.deepEqual(api.commitStartState({ nodes: [], objects: [ds()], pods: [strayDaemonPod('agent-ghost', 'gone')] }), []);
  const ghost = cluster.pods.get('default/agent-ghost')!;
  sim.run(1_000_000);
  assert.equal(ghost.deleted, true);
  assert.deepEqual(Object.keys(podsByNode(cluster)), ['a']);
});

test('a daemon pod the API refuses is retried with exponential backoff (upstream syncNodes error → AddRateLimited), and created once admission allows it', () => {
  // No PriorityClass "missing": admission forbids every create (the create's answer is no pod).
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  const refused: number[] = [];
  const reasons: string[] = [];
  api.watch({ writeRejected: (_key, reason) => { refused.push(sim.now); reasons.push(reason); } });
  api.createObject(ds({ priorityClassName: 'missing' }));
  sim.run(100_000);
  assert.equal(cluster.pods.size, 0);
  // The DaemonSet commits at 1 ms; its create is refused at 2 ms; the n-th failure is retried
  // 5 ms · 2^(n−1) later (sent then, refused 1 ms after): 2 + 5 + 1 = 8, 8 + 10 + 1 = 19, ...
  assert.deepEqual(refused, [2_000, 8_000, 19_000, 40_000, 81_000]);
  // Priority admission is mutating: upstream names the pod by its generateName (the name is made later, rest.BeforeCreate).
  assert.equal(reasons[0], 'pods "agent-" is forbidden: no PriorityClass with name missing was found');
  // The PriorityClass appears at 100 ms (committing at 101 ms): the controller does not watch
  // PriorityClasses, so the pod is created by the retry due at 81 + 80 = 161 ms.
  api.createObject({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'missing', namespace: '' }, value: 1000 } as unknown as WorkloadObject);
  sim.run(1_000_000);
  assert.equal(refused.length, 5);
  assert.deepEqual([...cluster.pods.values()].map((p) => p.createdUs), [162_000]);
});

test('a daemon pod with no target node (no spec.nodeName, no node-name affinity) is skipped, not deleted (upstream getNodesToDaemonPods)', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  const unpinned: Pod = { ...strayDaemonPod('agent-unpinned', 'x'), spec: { containers: [{ name: 'c', image: 'x' }] } };
  assert.deepEqual(api.commitStartState({ nodes: [], objects: [ds()], pods: [unpinned] }), []);
  sim.run(1_000_000);
  assert.equal(cluster.pods.get('default/agent-unpinned')?.deleted, false);
  // It is no node's daemon pod: node a gets its own.
  assert.equal([...cluster.pods.values()].filter((p) => p.name !== 'agent-unpinned').length, 1);
});

test('a bound daemon pod belongs to its spec.nodeName, whatever node its affinity names (upstream GetTargetNodeName), and is never deleted as a pod of a missing node', () => {
  // Bound to a, pinned to "gone": upstream counts it as a's daemon pod and keeps it; only an
  // unscheduled pod of a node that does not exist is deleted (getUnscheduledPodsWithoutNode).
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  const bound: Pod = { ...strayDaemonPod('agent-bound', 'gone') };
  bound.spec = { ...bound.spec!, nodeName: 'a' };
  assert.deepEqual(api.commitStartState({ nodes: [], objects: [ds()], pods: [bound, strayDaemonPod('agent-ghost', 'gone')] }), []);
  const ghost = cluster.pods.get('default/agent-ghost')!;
  sim.run(1_000_000);
  assert.equal(cluster.pods.get('default/agent-bound')?.deleted, false);
  assert.equal(ghost.deleted, true);
  assert.deepEqual([...cluster.pods.values()].map((p) => p.name), ['agent-bound']);
});

const nodes = (n: number) => Array.from({ length: n }, (_, i) => makeNode(`n${String(i).padStart(3, '0')}`).obj());

test('a DaemonSet creates its pods in slow-start batches of 1, 2, 4, each sent when the previous batch was answered (upstream syncNodes)', () => {
  const { sim, cluster, api } = harness(nodes(7));
  const sent = createSends(sim, api);
  api.createObject(ds());
  sim.run(100_000);
  // The DaemonSet commits at 1 ms; every write takes 1 ms: 1 create sent at 1 ms, 2 at 2 ms, 4 at 3 ms.
  assert.deepEqual(sent, [1_000, 2_000, 2_000, 3_000, 3_000, 3_000, 3_000]);
  assert.deepEqual([...cluster.pods.values()].map((p) => p.createdUs), [2_000, 3_000, 3_000, 4_000, 4_000, 4_000, 4_000]);
  assert.equal(Object.keys(podsByNode(cluster)).length, 7);
});

test('a DaemonSet sync stops at the batch with a refused create: 3 creates sent of the 7 (upstream skippedPods, break)', () => {
  const { sim, cluster, api } = harness(nodes(7));
  const sent = createSends(sim, api);
  const refused: number[] = [];
  api.watch({ writeRejected: () => refused.push(sim.now) });
  api.createObject({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: '2' } } } as WorkloadObject);
  api.createObject(ds());
  sim.run(2_999);
  // Batch 1 (1 create at 1 ms) is created at 2 ms; batch 2 (2 creates at 2 ms) commits at 3 ms:
  // 1 pod, 1 refused, and the 4 nodes left get no create in this sync.
  assert.deepEqual(sent, [1_000, 2_000, 2_000]);
  sim.run(3_000);
  assert.deepEqual(refused, [3_000]);
  assert.equal(cluster.pods.size, 2);
  // The next sync (the pod it created, upstream addPod) starts a slow start again: 1 create.
  sim.run(3_999);
  assert.deepEqual(sent, [1_000, 2_000, 2_000, 3_000]);
});

test('at most BurstReplicas (250) creates per sync: 300 nodes get 250 pods in batches 1, 2, ... 64, 123, then 50 in a second sync', () => {
  const { sim, cluster, api } = harness(nodes(300));
  api.createObject(ds());
  sim.run(1_000_000);
  const perMs = new Map<number, number>();
  for (const p of cluster.pods.values()) perMs.set(p.createdUs / 1000, (perMs.get(p.createdUs / 1000) ?? 0) + 1);
  assert.deepEqual([...perMs.entries()], [
    [2, 1], [3, 2], [4, 4], [5, 8], [6, 16], [7, 32], [8, 64], [9, 123], // 250
    [10, 1], [11, 2], [12, 4], [13, 8], [14, 16], [15, 19], // 50
  ]);
});

test('at most BurstReplicas (250) deletes per sync: 300 pods leaving their nodes go as 250, then 50 once those are observed', () => {
  const { sim, cluster, api } = harness(nodes(300));
  api.createObject(ds());
  sim.run(1_000_000);
  assert.equal(cluster.pods.size, 300);
  const deletedAt = new Map<number, number>();
  api.watch({ podDeleted: () => deletedAt.set(sim.now, (deletedAt.get(sim.now) ?? 0) + 1) });
  api.updateObject(ds({ nodeSelector: { role: 'none' } })); // commits at 1.001 s
  sim.run(2_000_000);
  // Unbound pods go at once: 250 deletes sent at 1.001 s commit at 1.002 s; the sync their
  // observation queues sends the other 50, committing at 1.003 s.
  assert.deepEqual([...deletedAt.entries()], [[1_002_000, 250], [1_003_000, 50]]);
  assert.equal(cluster.pods.size, 0);
});

test('nodeShouldRunDaemonPod says why a node gets no daemon pod: template nodeName, nodeSelector, required affinity, first untolerated taint', () => {
  const cluster = new ClusterState();
  const n = cluster.addNode(makeNode('n').label('role', 'worker').taint('a', '', 'NoSchedule').taint('b', 'x', 'NoSchedule').obj(), 'p');
  const spec = (s: Record<string, unknown>): Pod => ({ spec: { containers: [], ...s } });
  assert.deepEqual(nodeShouldRunDaemonPod(spec({ nodeName: 'other' }), n), { shouldRun: false, shouldContinueRunning: false, reason: "the template's nodeName is other" });
  assert.deepEqual(nodeShouldRunDaemonPod(spec({ nodeSelector: { role: 'infra' } }), n), { shouldRun: false, shouldContinueRunning: false, reason: "the node doesn't match the template's nodeSelector" });
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['worker'] }] }] } } };
  assert.deepEqual(nodeShouldRunDaemonPod(spec({ affinity }), n), { shouldRun: false, shouldContinueRunning: false, reason: "the node doesn't match the template's required node affinity" });
  assert.deepEqual(nodeShouldRunDaemonPod(spec({}), n), { shouldRun: false, shouldContinueRunning: true, reason: 'untolerated taint a:NoSchedule' });
  assert.deepEqual(nodeShouldRunDaemonPod(spec({ nodeName: 'n', tolerations: [{ operator: 'Exists' }] }), n), { shouldRun: true, shouldContinueRunning: true });
});

test('upstream failedPodsBackoff constants: 1 s initial, 15 min cap (kube-controller-manager flowcontrol.NewBackOff(1*time.Second, 15*time.Minute))', () => {
  assert.equal(FAILED_POD_BACKOFF_INITIAL_US, 1_000_000);
  assert.equal(FAILED_POD_BACKOFF_MAX_US, 900_000_000);
});

test('a failed daemon pod is deleted and replaced, the deletions of a node held by its backoff: 1 s, then 2 s, from the last deletion; reset after 30 min; a Succeeded pod goes at once (upstream podsShouldBeOnNode)', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj(), makeNode('b').obj()]);
  const deleted: string[] = [];
  api.watch({ podDeleted: (p) => deleted.push(`${p.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0]}@${sim.now / 1000}ms`) });
  api.createObject(ds());
  sim.run(1_000_000);
  // No scheduler here: a pod's node is the one its node-name affinity pins it to.
  const on = (node: string) => [...cluster.pods.values()].find((p) => !p.terminal && podsByNode(cluster)[node]?.includes(p.name))!;
  const failAt = (us: number, node: string) => sim.scheduleAt(us, 'test', node, () => api.setPodPhase(on(node), 'Failed'));
  // API writes take 1 ms, watches are instant. The pod on a fails at 1 s (committed 1.001 s):
  // deleted at once (no backoff yet; it moves to 1 s from 1.001 s), committed 1.002 s.
  failAt(1_000_000, 'a');
  // Its replacement fails at 1.5 s: 0.5 s since the last deletion, within 1 s: the set syncs
  // again 1 s later (the whole delay, upstream enqueueDaemonSetAfter(Get)), 2.501 s, and deletes
  // it (the backoff now 2 s from 2.501 s).
  failAt(1_500_000, 'a');
  // The pod on b fails at 1.6 s: b's own backoff, none yet: deleted at once.
  failAt(1_600_000, 'b');
  // a's third pod fails at 2.6 s: within 2 s of 2.501 s: deleted at 4.601 s.
  failAt(2_600_000, 'a');
  sim.run(10_000_000);
  assert.deepEqual(deleted, ['a@1002ms', 'b@1602ms', 'a@2502ms', 'a@4602ms']);
  // 40 min later (more than 2 × 15 min since the last deletion): the backoff starts again at
  // 1 s, so a failure is deleted at once; one 0.5 s after it waits the 1 s.
  failAt(2_404_600_000, 'a');
  failAt(2_405_100_000, 'a');
  // A Succeeded pod is deleted at once, whatever the backoff (0.5 s after a's last deletion).
  sim.scheduleAt(2_406_600_000, 'test', 'a', () => api.setPodPhase(on('a'), 'Succeeded'));
  sim.run(2_420_000_000);
  assert.deepEqual(deleted.slice(4), ['a@2404602ms', 'a@2406102ms', 'a@2406602ms']);
  assert.deepEqual(Object.keys(podsByNode(cluster)).sort(), ['a', 'b']);
  assert.equal(cluster.pods.size, 2);
});

test("a DaemonSet's backoff is keyed by the generation its sync records: a spec change lets the next failed pod go at once", () => {
  const { sim, cluster, api } = harness([makeNode('a').obj()]);
  const deleted: number[] = [];
  api.watch({ podDeleted: () => deleted.push(sim.now / 1000) });
  api.createObject(ds());
  sim.run(1_000_000);
  const on = () => [...cluster.pods.values()].find((p) => !p.terminal)!;
  sim.scheduleAt(1_000_000, 'test', 'fail', () => api.setPodPhase(on(), 'Failed'));
  sim.run(1_100_000);
  // A new spec (a new generation; the template as it was, so no rollout) at 1.1 s: its sync
  // records it, and the pod fails at 1.5 s, within the old key's 1 s, but is deleted at once.
  const changed = ds();
  api.updateObject({ ...changed, spec: { ...(changed.spec as object), minReadySeconds: 5 } } as WorkloadObject);
  sim.scheduleAt(1_500_000, 'test', 'fail', () => api.setPodPhase(on(), 'Failed'));
  sim.run(3_000_000);
  assert.deepEqual(deleted, [1002, 1502]);
});

test('a daemon pod its template binds to a node it does not fit is refused by the kubelet: Failed, OutOfcpu, "Pod was rejected: Node didn\'t have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"; made again after the backoff', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').capacity({ cpu: '4', memory: '8Gi', pods: '110' }).obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DaemonSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  new Kubelets(sim, api, { startupLatencyUs: () => 1_000_000, runDurationUs: () => null }, cluster);
  const created: number[] = [];
  const failed: string[] = [];
  api.watch({
    podAdded: () => created.push(sim.now / 1000),
    podPhaseChanged: (p) => failed.push(`${sim.now / 1000}ms ${p.phase} ${p.pod.status?.reason} ${p.pod.status?.message}`),
  });
  api.createObject(ds({ nodeName: 'a', containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '5' } } }] }));
  sim.run(8_000_000);
  // The set commits at 1 ms; its pod at 2 ms, bound to a and on no node's books; the kubelet
  // refuses it (committed 3 ms); deleted at once (4 ms), made again (5 ms), refused (6 ms), then
  // deleted 1 s after that refusal's sync (1.006 s: committed 1.007 s), made at 1.008 s, refused
  // at 1.009 s, deleted 2 s later (3.010 s), made at 3.011 s ...
  assert.deepEqual(created, [2, 5, 1008, 3011, 7014]);
  assert.equal(failed[0], "3ms Failed OutOfcpu Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000");
  assert.deepEqual(failed.map((f) => f.split(' ')[0]), ['3ms', '6ms', '1009ms', '3012ms', '7015ms']);
  assert.equal(cluster.nodeByName.get('a')!.pods.length, 0, 'a refused pod holds nothing on its node');
});

test('a cluster snapshot\'s finished daemon pods are the set\'s: a Failed or Succeeded one is deleted at the first sync and its node, left with none, gets a new pod; one of a node the cluster lacks is left to the pod garbage collector', () => {
  const { sim, cluster, api } = harness([makeNode('a').obj(), makeNode('b').obj(), makeNode('c').obj()]);
  const finished = (name: string, node: string, phase: 'Failed' | 'Succeeded'): Pod => {
    const p = strayDaemonPod(name, node);
    return { ...p, spec: { ...p.spec!, nodeName: node }, status: { phase, ...(phase === 'Failed' ? { reason: 'OutOfcpu' } : {}) } };
  };
  const running: Pod = { ...strayDaemonPod('agent-running-c', 'c'), spec: { ...strayDaemonPod('x', 'c').spec!, nodeName: 'c' } };
  const gone: string[] = [];
  api.watch({ finishedAtStartDeleted: (p) => gone.push(`${p.name}@${sim.now / 1000}ms`) });
  assert.deepEqual(api.commitStartState({
    nodes: [],
    objects: [ds()],
    pods: [running],
    finishedPods: [finished('agent-failed-a', 'a', 'Failed'), finished('agent-done-b', 'b', 'Succeeded'), finished('agent-failed-c', 'c', 'Failed'), finished('agent-failed-gone', 'gone', 'Failed')],
  }), []);
  sim.run(1_000_000);
  // Deleted by the first sync (committed at 1 ms); a and b then get a pod each, in slow-start
  // batches of one (2 and 3 ms); c keeps its running one.
  assert.deepEqual(gone.sort(), ['agent-done-b@1ms', 'agent-failed-a@1ms', 'agent-failed-c@1ms']);
  assert.deepEqual([...cluster.finishedAtStart.keys()], ['default/agent-failed-gone']);
  const by = podsByNode(cluster);
  assert.deepEqual(Object.keys(by).sort(), ['a', 'b', 'c']);
  assert.deepEqual(by['c'], ['agent-running-c']);
  assert.deepEqual([...cluster.pods.values()].filter((p) => p.name !== 'agent-running-c').map((p) => p.createdUs), [2000, 3000]);
});
