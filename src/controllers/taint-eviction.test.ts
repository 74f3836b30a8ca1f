// The taint-eviction controller on its own: which pods on a NoExecute-tainted node are deleted,
// and when. The cases and their expectations are upstream's
// (pkg/controller/tainteviction/taint_eviction_test.go: TestCreatePod, TestUpdateNode,
// TestUpdateNodeWithMultipleTaints, TestUpdateNodeWithMultiplePods, TestGetMinTolerationTime),
// with upstream's "is the delete sent within the wait" turned into the simulated second the
// controller decides to evict. The API takes 0 µs per write, so a change made at t is seen at t.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { TaintEvictionController } from './taint-eviction.js';
import { ClusterState } from '../cluster/cluster-state.js';

const S = 1_000_000;

/** Upstream createNoExecuteTaint(i). */
const taint = (i: number): Taint => ({ key: `testTaint${i}`, value: `test${i}`, effect: 'NoExecute' });

/** Upstream addToleration(pod, i, seconds): seconds < 0 means no tolerationSeconds (forever). */
const toleration = (i: number, seconds: number): Toleration => ({
  key: `testTaint${i}`,
  value: `test${i}`,
  effect: 'NoExecute',
  ...(seconds < 0 ? {} : { tolerationSeconds: seconds }),
});

function pod(name: string, tolerations: readonly Toleration[] = [], node = 'node1'): Pod {
  const w = makePod(name);
  for (const t of tolerations) w.toleration(t);
  return (node === '' ? w : w.node(node)).obj();
}

/** node1 (with `taints`) holding the bound pods among `pods`, an API and the controller; each
 * eviction is logged as "<pod> at <s> s: <reason>". */
function harness(pods: readonly Pod[], taints: readonly Taint[] = []) {
  const sim = new Simulation();
  const node = makeNode('node1').capacity({ cpu: '8', pods: 110 });
  for (const t of taints) node.taint(t);
  const cluster = buildCluster([node.obj()], pods);
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const evictions: string[] = [];
  // The delete requests the controller sends (what happens to the pod afterwards is the API's
  // and the kubelet's business, not this controller's).
  const deletes: string[] = [];
  const deletePod = api.deletePod.bind(api);
  api.deletePod = (p, reason) => {
    deletes.push(`${p.name} at ${sim.now / S} s: ${reason}`);
    deletePod(p, reason);
  };
  const controller = new TaintEvictionController(sim, api, cluster, (r) => evictions.push(`${r.pod.name} at ${r.timeUs / S} s: ${r.reason}`));
  /** Sets node1's taints at simulated second `atS`. */
  const setTaints = (atS: number, ts: readonly Taint[]) => sim.scheduleAt(atS * S, 'test.taint', 'node1', () => api.updateNode('node1', { taints: [...ts] }));
  return { sim, cluster, api, evictions, deletes, controller, setTaints };
}

const notTolerated = (p: string, i: number, atS = 0) => `${p} at ${atS} s: taint testTaint${i}:NoExecute, not tolerated`;
const tolerated = (p: string, i: number, seconds: number, fromS = 0) => `${p} at ${fromS + seconds} s: taint testTaint${i}:NoExecute, tolerated for ${seconds}s`;

// ------------------------------------------------------------------------------------------
// TestCreatePod: a pod bound to a node that already has the taints.

const createPodCases: { name: string; tolerations: Toleration[]; taints: Taint[]; expected: string[] }[] = [
  { name: 'scheduled on an untainted node: kept', tolerations: [], taints: [], expected: [] },
  { name: 'scheduled on a tainted node: evicted at once', tolerations: [], taints: [taint(1)], expected: [notTolerated('pod1', 1)] },
  { name: 'scheduled on a tainted node with a finite toleration: evicted when it runs out (100 s)', tolerations: [toleration(1, 100)], taints: [taint(1)], expected: [tolerated('pod1', 1, 100)] },
  { name: 'scheduled on a tainted node with an infinite toleration: kept', tolerations: [toleration(1, -1)], taints: [taint(1)], expected: [] },
  { name: 'scheduled on a tainted node with an infinite toleration of another taint: evicted at once', tolerations: [toleration(2, -1)], taints: [taint(1)], expected: [notTolerated('pod1', 1)] },
];

for (const c of createPodCases) {
  test(`TestCreatePod: ${c.name}`, () => {
    const h = harness([], c.taints);
    const p = podInfo(pod('pod1', c.tolerations, ''));
    h.cluster.addPod(p);
    h.cluster.assume(p, h.cluster.mustNode('node1'));
    h.api.bindPod(p, 'node1', (ok) => assert.ok(ok));
    h.sim.run(1000 * S);
    assert.deepEqual(h.evictions, c.expected);
  });
}

test('TestCreatePod: a pod that is not scheduled is ignored', () => {
  const h = harness([pod('pod1', [], '')], [taint(1)]);
  h.setTaints(1, [taint(1), taint(2)]);
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, []);
});

// ------------------------------------------------------------------------------------------
// TestUpdateNode: taints added to (or removed from) the node of a bound pod.

const updateNodeCases: { name: string; tolerations: Toleration[]; before: Taint[]; after: Taint[]; expected: string[] }[] = [
  { name: 'added taint, not tolerated: evicted at once', tolerations: [], before: [], after: [taint(1)], expected: [notTolerated('pod1', 1, 1)] },
  { name: 'added tolerated taint (100 s): evicted 100 s later', tolerations: [toleration(1, 100)], before: [], after: [taint(1)], expected: [tolerated('pod1', 1, 100, 1)] },
  { name: 'only one of two added taints tolerated: evicted at once', tolerations: [toleration(1, 100)], before: [], after: [taint(1), taint(2)], expected: [notTolerated('pod1', 2, 1)] },
  { name: 'taint removed before the 1 s toleration runs out: kept', tolerations: [toleration(1, 1)], before: [taint(1)], after: [], expected: [] },
  {
    name: 'a pod with multiple tolerations is evicted when the first one runs out (1 s, not 100 s)',
    tolerations: [toleration(1, 1), toleration(2, 100)],
    before: [],
    after: [taint(1), taint(2)],
    expected: [tolerated('pod1', 1, 1, 1)],
  },
  {
    name: 'the same with the tolerations and taints in the other order: still the shortest (1 s)',
    tolerations: [toleration(2, 100), toleration(1, 1)],
    before: [],
    after: [taint(2), taint(1)],
    expected: [tolerated('pod1', 1, 1, 1)],
  },
];

for (const c of updateNodeCases) {
  test(`TestUpdateNode: ${c.name}`, () => {
    const h = harness([pod('pod1', c.tolerations)]);
    if (c.before.length > 0) h.setTaints(0.5, c.before);
    h.setTaints(1, c.after);
    h.sim.run(1000 * S);
    assert.deepEqual(h.evictions, c.expected);
  });
}

test('TestUpdateNodeWithMultipleTaints: none → infinitely tolerated → temporarily tolerated → infinitely tolerated never deletes', () => {
  // Upstream: Exists tolerations, the first without seconds, the second 60 s.
  const h = harness([pod('pod1', [
    { key: 'testTaint1', operator: 'Exists', effect: 'NoExecute' },
    { key: 'testTaint2', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
  ])]);
  h.setTaints(10, [taint(1)]);
  h.setTaints(20, [taint(1), taint(2)]); // queued for deletion at 80 s
  h.setTaints(50, [taint(1)]); // the queued deletion is cancelled
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, []);
  // And without the last step the 60 s toleration runs out.
  const k = harness([pod('pod1', [{ key: 'testTaint1', operator: 'Exists', effect: 'NoExecute' }, { key: 'testTaint2', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }])]);
  k.setTaints(20, [taint(1), taint(2)]);
  k.sim.run(1000 * S);
  assert.deepEqual(k.evictions, ['pod1 at 80 s: taint testTaint2:NoExecute, tolerated for 60s']);
});

const multiplePodsCases: { name: string; taints: Taint[]; expected: string[] }[] = [
  {
    name: 'pods with different toleration times are evicted appropriately (pod1 at once, pod2 after 1 s, pod3 never)',
    taints: [taint(1)],
    expected: [notTolerated('pod1', 1), tolerated('pod2', 1, 1)],
  },
  {
    name: 'all pods not tolerating every taint are evicted at once',
    taints: [taint(1), taint(2)],
    expected: [notTolerated('pod1', 1), notTolerated('pod2', 2), notTolerated('pod3', 2)],
  },
];

for (const c of multiplePodsCases) {
  test(`TestUpdateNodeWithMultiplePods: ${c.name}`, () => {
    const h = harness([pod('pod1'), pod('pod2', [toleration(1, 1)]), pod('pod3', [toleration(1, -1)])]);
    h.setTaints(0, c.taints);
    h.sim.run(1000 * S);
    assert.deepEqual(h.evictions, c.expected);
  });
}

// ------------------------------------------------------------------------------------------
// TestGetMinTolerationTime, through the controller: each taint is tolerated by one toleration
// (the one upstream's GetMatchingTolerations picks); the shortest seconds among them decide.

const minTimeCases: { name: string; seconds: [number, number]; expected: string[] }[] = [
  { name: '1 s and 2 s: 1 s', seconds: [1, 2], expected: [tolerated('pod1', 1, 1)] },
  { name: '2 s and 1 s: 1 s', seconds: [2, 1], expected: [tolerated('pod1', 2, 1)] },
  { name: '1 s and forever: 1 s', seconds: [1, -1], expected: [tolerated('pod1', 1, 1)] },
  { name: 'forever and 1 s: 1 s', seconds: [-1, 1], expected: [tolerated('pod1', 2, 1)] },
  { name: 'forever and forever: never', seconds: [-1, -1], expected: [] },
  { name: '0 s and 5 s: at once (seconds ≤ 0 mean now)', seconds: [0, 5], expected: [tolerated('pod1', 1, 0)] },
];

for (const c of minTimeCases) {
  test(`TestGetMinTolerationTime: ${c.name}`, () => {
    const h = harness([pod('pod1', [toleration(1, c.seconds[0]), toleration(2, c.seconds[1])])]);
    h.setTaints(0, [taint(1), taint(2)]);
    h.sim.run(1000 * S);
    assert.deepEqual(h.evictions, c.expected);
  });
}

test('the toleration used for a taint is the first one that tolerates it (upstream GetMatchingTolerations), not the shortest', () => {
  const forever: Toleration = { key: 'testTaint1', operator: 'Exists', effect: 'NoExecute' };
  const cases: { tolerations: Toleration[]; expected: string[] }[] = [
    { tolerations: [forever, toleration(1, 10)], expected: [] },
    { tolerations: [toleration(1, 10), forever], expected: [tolerated('pod1', 1, 10)] },
    { tolerations: [toleration(1, 30), toleration(1, 10)], expected: [tolerated('pod1', 1, 30)] },
  ];
  for (const c of cases) {
    const h = harness([pod('pod1', c.tolerations)]);
    h.setTaints(0, [taint(1)]);
    h.sim.run(1000 * S);
    assert.deepEqual(h.evictions, c.expected, JSON.stringify(c.tolerations));
  }
});

test('a second taint arriving later does not move a scheduled eviction later', () => {
  // 300 s from the first taint (t = 0), not from the second (t = 100 s): the earlier deadline stays.
  const h = harness([pod('pod1', [toleration(1, 300), toleration(2, 300)])]);
  h.setTaints(0, [taint(1)]);
  h.setTaints(100, [taint(1), taint(2)]);
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, [tolerated('pod1', 1, 300)]);
});

test('a scheduled eviction is not moved by a later taint tolerated for fewer seconds (upstream processPodOnNode keeps work created before now)', () => {
  // Taint A at 10 s, tolerated 300 s: eviction at 310 s, created at 10 s. Taint B at 60 s,
  // tolerated 100 s: minTolerationTime 100 s, startTime = CreatedAt = 10 s, and 10 + 100 = 110 s
  // is before now + 100 = 160 s, so processPodOnNode returns: the eviction stays at 310 s.
  const h = harness([pod('pod1', [toleration(1, 300), toleration(2, 100)])]);
  h.setTaints(10, [taint(1)]);
  h.setTaints(60, [taint(1), taint(2)]);
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, [tolerated('pod1', 1, 300, 10)]);
  // Nor by one tolerated 0 s (getMinTolerationTime 0: trigger = now, still kept), nor by taint A
  // leaving with B (100 s) left.
  const z = harness([pod('pod1', [toleration(1, 300), toleration(2, 0)])]);
  z.setTaints(10, [taint(1)]);
  z.setTaints(60, [taint(1), taint(2)]);
  z.sim.run(1000 * S);
  assert.deepEqual(z.evictions, [tolerated('pod1', 1, 300, 10)]);
  const r = harness([pod('pod1', [toleration(1, 300), toleration(2, 100)])]);
  r.setTaints(10, [taint(1)]);
  r.setTaints(60, [taint(1), taint(2)]);
  r.setTaints(200, [taint(2)]);
  r.sim.run(1000 * S);
  assert.deepEqual(r.evictions, [tolerated('pod1', 1, 300, 10)]);
});

test('a scheduled eviction is cancelled when the taints left are all tolerated forever, and a new one counts from then', () => {
  // A (forever) at 10 s; B (100 s) at 60 s: eviction at 160 s; B removed at 100 s: A alone is
  // tolerated forever, so the eviction is cancelled (upstream: minTolerationTime < 0 → CancelWork).
  const h = harness([pod('pod1', [toleration(1, -1), toleration(2, 100)])]);
  h.setTaints(10, [taint(1)]);
  h.setTaints(60, [taint(1), taint(2)]);
  h.setTaints(100, [taint(1)]);
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, []);
  // B back at 150 s: a new eviction, created then, at 250 s.
  const k = harness([pod('pod1', [toleration(1, -1), toleration(2, 100)])]);
  k.setTaints(10, [taint(1)]);
  k.setTaints(60, [taint(1), taint(2)]);
  k.setTaints(100, [taint(1)]);
  k.setTaints(150, [taint(1), taint(2)]);
  k.sim.run(1000 * S);
  assert.deepEqual(k.evictions, [tolerated('pod1', 2, 100, 150)]);
});

test('an eviction scheduled at this very instant is replaced by the newer state, later or earlier (CreatedAt not before now)', () => {
  // Two node updates at 1 s: [A] (300 s), then [A, B] (min 100 s): 101 s.
  const h = harness([pod('pod1', [toleration(1, 300), toleration(2, 100)])]);
  h.setTaints(1, [taint(1)]);
  h.setTaints(1, [taint(1), taint(2)]);
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, [tolerated('pod1', 2, 100, 1)]);
  // [A, B] then [A] at 1 s: the latest state, A alone, decides: 301 s.
  const k = harness([pod('pod1', [toleration(1, 300), toleration(2, 100)])]);
  k.setTaints(1, [taint(1), taint(2)]);
  k.setTaints(1, [taint(1)]);
  k.sim.run(1000 * S);
  assert.deepEqual(k.evictions, [tolerated('pod1', 1, 300, 1)]);
});

test('an eviction is a delete request through the API, sent once, with the reason', () => {
  const h = harness([pod('pod1', [toleration(1, 100)]), pod('pod2')]);
  h.setTaints(0, [taint(1)]);
  h.setTaints(10, [taint(1), { key: 'other', value: '', effect: 'NoSchedule' }]); // re-checks both pods
  h.sim.run(1000 * S);
  assert.deepEqual(h.deletes, [
    'pod2 at 0 s: evicted: taint testTaint1:NoExecute, not tolerated',
    'pod1 at 100 s: evicted: taint testTaint1:NoExecute, tolerated for 100s',
  ]);
  assert.equal(h.controller.evictions, 2);
});

test('NoSchedule and PreferNoSchedule taints never evict', () => {
  const h = harness([pod('pod1')]);
  h.setTaints(0, [{ key: 'a', value: 'x', effect: 'NoSchedule' }, { key: 'b', value: 'y', effect: 'PreferNoSchedule' }]);
  h.sim.run(1000 * S);
  assert.deepEqual(h.evictions, []);
});

test('a taint removed and added again schedules the eviction again; a terminating pod is not evicted', () => {
  const h = harness([pod('p1', [toleration(1, 10)]), pod('p2')]);
  h.api.deletePod(h.cluster.pods.get('default/p2')!, 'by hand'); // Terminating (grace period)
  h.sim.run(S / 2);
  h.api.updateNode('node1', { taints: [taint(1)] });
  h.sim.scheduleAt(5 * S, 'test.untaint', '', () => h.api.updateNode('node1', { taints: [] }));
  h.sim.scheduleAt(6 * S, 'test.taint', '', () => h.api.updateNode('node1', { taints: [taint(1)] }));
  h.sim.run(60 * S);
  assert.deepEqual(h.evictions, ['p1 at 16 s: taint testTaint1:NoExecute, tolerated for 10s']);
});

test('a pod that has finished is not evicted', () => {
  const h = harness([pod('done'), pod('running')]);
  h.cluster.setPhase(h.cluster.pods.get('default/done')!, 'Succeeded');
  h.setTaints(1, [taint(1)]);
  h.sim.run(10 * S);
  assert.deepEqual(h.evictions, [notTolerated('running', 1, 1)]);
});

test('a pod that finishes while its eviction waits is not evicted, whether or not the taint leaves', () => {
  for (const untaintAtS of [45, null]) {
    const h = harness([pod('p1', [toleration(1, 300)]), pod('p2', [toleration(1, 300)])]);
    h.setTaints(1, [taint(1)]);
    h.sim.scheduleAt(40 * S, 'test.finish', '', () => h.api.setPodPhase(h.cluster.pods.get('default/p1')!, 'Succeeded'));
    if (untaintAtS !== null) h.setTaints(untaintAtS, []);
    h.sim.run(400 * S);
    assert.deepEqual(h.evictions, untaintAtS === null ? [tolerated('p2', 1, 300, 1)] : [], `untainted at ${untaintAtS}`);
  }
});

test('two taint updates in one instant send one delete', () => {
  const h = harness([pod('p1')]);
  h.setTaints(1, [taint(1)]);
  h.setTaints(1, [taint(1), taint(2)]);
  h.sim.run(10 * S);
  assert.deepEqual(h.deletes, ['p1 at 1 s: evicted: taint testTaint1:NoExecute, not tolerated']);
});

test('a pod assumed on a node and not yet bound is not evicted by a taint; once bound it is', () => {
  // Upstream's controller sees pods by spec.nodeName: the scheduler's assumption is not in the API.
  const h = harness([], []);
  const p = podInfo(pod('pod1', [], ''));
  h.cluster.addPod(p);
  h.cluster.assume(p, h.cluster.mustNode('node1'));
  h.setTaints(1, [taint(1)]);
  h.sim.run(2 * S);
  assert.deepEqual(h.evictions, []);
  h.api.bindPod(p, 'node1', (ok) => assert.ok(ok));
  h.sim.run(10 * S);
  assert.deepEqual(h.evictions, [notTolerated('pod1', 1, 2)]);
});

test('an evicted pod is deleted gracefully: Terminating from its eviction, still on its node (its kubelet removes it after its grace period; none runs here)', () => {
  const h = harness([pod('pod1', [toleration(1, 100)])]);
  h.setTaints(0, [taint(1)]);
  h.sim.run(1000 * S);
  const p = h.cluster.pods.get('default/pod1');
  assert.ok(p !== undefined && !p.deleted);
  assert.equal(p.deletionUs, 100 * S);
  assert.equal(p.nodeName, 'node1');
});

// ------------------------------------------------------------------------------------------
// A start state (a snapshot) whose nodes already carry NoExecute taints: upstream's informers
// tell the controller of every node and pod there (AddFunc: NodeUpdated(nil, node),
// PodUpdated(nil, pod)) and processPodOnNode counts from when it handles them (time.Now()), not
// from the taint's timeAdded.

test('a snapshot node already carrying a NoExecute taint: an untolerating pod is evicted at 0 s, one tolerating it 60 s at 60 s; timeAdded does not count', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const evictions: string[] = [];
  new TaintEvictionController(sim, api, cluster, (r) => evictions.push(`${r.pod.name} at ${r.timeUs / S} s: ${r.reason}`));
  const n1 = makeNode('n1').capacity({ cpu: '8', pods: 110 }).taint({ key: 'maintenance', effect: 'NoExecute', timeAdded: '2026-03-01T09:59:00Z' }).obj();
  const n2 = makeNode('n2').capacity({ cpu: '8', pods: 110 }).obj();
  const maintenance = (seconds: number): Toleration => ({ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  const warnings = api.commitStartState({
    nodes: [{ node: n1, pool: '' }, { node: n2, pool: '' }],
    objects: [],
    pods: [pod('untolerating', [], 'n1'), pod('tol60', [maintenance(60)], 'n1'), pod('elsewhere', [], 'n2'), pod('forever', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute' }], 'n1')],
  });
  assert.deepEqual(warnings, []);
  sim.run(1000 * S);
  assert.deepEqual(evictions, ['untolerating at 0 s: taint maintenance:NoExecute, not tolerated', 'tol60 at 60 s: taint maintenance:NoExecute, tolerated for 60s']);
});
