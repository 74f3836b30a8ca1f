// Placement invariants: a placement made by calling ClusterState.assume directly (as the
// scheduler does at the end of a cycle) is checked against the pod's hard constraints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodAffinityTerm, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { makeNode, makePod, podInfo } from '../testing/builders.js';
import { inTerm, requiredAffinity, requiredAntiAffinity } from '../testing/affinity-builders.js';
import type { ProfileFacts } from './checker.js';
import { assertViolation, fakeEvent, place, setup } from './testing.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

/** n1, n2 in zone a; n3 in zone b; n4 in zone c. */
function zonedNodes() {
  return [
    makeNode('n1').capacity({ cpu: '8', memory: '16Gi', pods: 110 }).zone('a').obj(),
    makeNode('n2').capacity({ cpu: '8', memory: '16Gi', pods: 110 }).zone('a').obj(),
    makeNode('n3').capacity({ cpu: '8', memory: '16Gi', pods: 110 }).zone('b').obj(),
    makeNode('n4').capacity({ cpu: '8', memory: '16Gi', pods: 110 }).zone('c').obj(),
  ];
}

function profile(filters: readonly string[]): ProfileFacts {
  return { schedulerName: 'default-scheduler', filters: new Set(filters), pluginArgs: new Map() };
}

function withSpread(pod: Pod, ...cs: TopologySpreadConstraint[]): Pod {
  (pod.spec!.topologySpreadConstraints ??= []).push(...cs);
  return pod;
}

const webZoneSpread = (maxSkew: number, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey: ZONE,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});

// ---------------------------------------------------------------------------------------------
// Resources (cpu and memory re-derived from the spec, pod-level resources included)

test('placement-resources: a pod asking 8 CPU at pod level placed on a 4-CPU node fires', () => {
  const { cluster } = setup([makeNode('small').capacity({ cpu: '4', memory: '16Gi', pods: 110 }).obj()]);
  assertViolation(() => place(cluster, makePod('big').podRes({ cpu: '8' }).container().obj(), 'small'), 'placement-resources',
    'pod default/big placed on node small, which lacks room for it: cpu 0m + 8000m > 4000m allocatable');
});

test('placement-resources: the pods already on the node count with their pod-level, container, init and overhead requests', () => {
  const { cluster } = setup([makeNode('n').capacity({ cpu: '8', memory: '8Gi', pods: 110 }).obj()]);
  place(cluster, makePod('a').podRes({ cpu: '2' }).req({ cpu: '1' }).obj(), 'n'); // 2000m
  place(cluster, makePod('b').podRes({}, { cpu: '1', memory: '1Gi' }).container().obj(), 'n'); // limits default the requests: 1000m, 1Gi
  place(cluster, makePod('c').initReq({ cpu: '3' }).req({ cpu: '1' }).overhead({ cpu: '500m' }).obj(), 'n'); // max(1, 3) + 0.5 = 3500m
  assertViolation(() => place(cluster, makePod('d').req({ cpu: '2', memory: '1Gi' }).obj(), 'n'), 'placement-resources',
    'pod default/d placed on node n, which lacks room for it: cpu 6500m + 2000m > 8000m allocatable');
});

test('placement-resources: a pod that fits exactly passes; profiles without NodeResourcesFit are not held to it', () => {
  const node = makeNode('n').capacity({ cpu: '4', memory: '4Gi', pods: 110 }).obj();
  const { cluster } = setup([node]);
  place(cluster, makePod('a').podRes({ cpu: '4', memory: '4Gi' }).req({ cpu: '1' }).obj(), 'n');
  const unchecked = setup([node], [], { profiles: [profile(['TaintToleration'])] });
  place(unchecked.cluster, makePod('b').podRes({ cpu: '8' }).container().obj(), 'n');
  assert.equal(unchecked.checker.placementsChecked, 1);
});

// ---------------------------------------------------------------------------------------------
// Taints

test('placement-taints: a NoSchedule taint the pod does not tolerate fires', () => {
  const tainted = makeNode('t1').capacity({ cpu: '4', pods: 110 }).taint('dedicated', 'batch', 'NoSchedule').obj();
  const { cluster } = setup([tainted]);
  assertViolation(() => place(cluster, makePod('a').obj(), 't1'), 'placement-taints', 'pod default/a placed on node t1, whose taint dedicated=batch:NoSchedule it does not tolerate (tolerations [])');
});

test('placement-taints: tolerated taints, PreferNoSchedule taints, and profiles without TaintToleration pass', () => {
  const node = makeNode('t1').capacity({ cpu: '4', pods: 110 }).taint('dedicated', 'batch', 'NoExecute').taint('soft', '', 'PreferNoSchedule').obj();
  const { cluster } = setup([node]);
  place(cluster, makePod('a').toleration({ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoExecute' }).obj(), 't1');
  place(cluster, makePod('b').toleration({ operator: 'Exists' }).obj(), 't1');
  assertViolation(() => place(cluster, makePod('c').toleration({ key: 'dedicated', operator: 'Equal', value: 'other' }).obj(), 't1'), 'placement-taints', 'taint dedicated=batch:NoExecute');
  const unchecked = setup([node], [], { profiles: [profile(['NodeResourcesFit'])] });
  place(unchecked.cluster, makePod('d').obj(), 't1');
  assert.equal(unchecked.checker.placementsChecked, 1);
});

// ---------------------------------------------------------------------------------------------
// Node affinity

test('placement-node-affinity: a nodeSelector the node does not match fires', () => {
  const { cluster } = setup(zonedNodes());
  place(cluster, makePod('ok').nodeSelector({ [ZONE]: 'b' }).obj(), 'n3');
  assertViolation(() => place(cluster, makePod('a').nodeSelector({ [ZONE]: 'b' }).obj(), 'n1'), 'placement-node-affinity', 'pod default/a placed on node n1 (labels {"kubernetes.io/hostname":"n1","topology.kubernetes.io/zone":"a"}), which does not match its nodeSelector {"topology.kubernetes.io/zone":"b"}');
});

test('placement-node-affinity: required node affinity is checked (terms ORed, matchFields on the name)', () => {
  const { cluster } = setup(zonedNodes());
  const affinity = (p: Pod) => {
    p.spec!.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: ZONE, operator: 'In', values: ['c'] }] },
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
          ],
        },
      },
    };
  };
  place(cluster, makePod('a').with(affinity).obj(), 'n4');
  place(cluster, makePod('b').with(affinity).obj(), 'n2');
  assertViolation(() => place(cluster, makePod('c').with(affinity).obj(), 'n1'), 'placement-node-affinity', 'pod default/c placed on node n1 (labels {"kubernetes.io/hostname":"n1","topology.kubernetes.io/zone":"a"}), which does not match its required node affinity');
});

// ---------------------------------------------------------------------------------------------
// Inter-pod affinity

const dbAffinity = requiredAffinity(inTerm('app', ZONE, ['db']));

test('placement-pod-affinity: a pod placed outside the domain of the pods it needs fires', () => {
  const { cluster } = setup(zonedNodes(), [makePod('db').label('app', 'db').node('n3').obj()]);
  place(cluster, makePod('near').with(dbAffinity).obj(), 'n3');
  assertViolation(() => place(cluster, makePod('far').with(dbAffinity).obj(), 'n1'), 'placement-pod-affinity', 'pod default/far placed on node n1: no pod matching all its required affinity terms is in the domain topology.kubernetes.io/zone=a of term [0]');
});

test('placement-pod-affinity: the first pod of a self-affine group may go anywhere, a pod not matching its own terms may not', () => {
  const { cluster } = setup(zonedNodes());
  place(cluster, makePod('db-0').label('app', 'db').with(dbAffinity).obj(), 'n1');
  place(cluster, makePod('db-1').label('app', 'db').with(dbAffinity).obj(), 'n2');
  assertViolation(() => place(cluster, makePod('db-2').label('app', 'db').with(dbAffinity).obj(), 'n4'), 'placement-pod-affinity', 'other pods match all its terms elsewhere');
  const empty = setup(zonedNodes());
  assertViolation(() => place(empty.cluster, makePod('web').with(dbAffinity).obj(), 'n1'), 'placement-pod-affinity', 'the pod does not match its own terms');
});

test('placement-pod-affinity: a node lacking the term\'s topology key fires', () => {
  const bare = makeNode('bare').capacity({ cpu: '4', pods: 110 }).obj();
  const { cluster } = setup([...zonedNodes(), bare]);
  assertViolation(() => place(cluster, makePod('db-0').label('app', 'db').with(dbAffinity).obj(), 'bare'), 'placement-pod-affinity', 'pod default/db-0 placed on node bare, which lacks the topology key of its required pod affinity term [0]');
});

test('placement-pod-affinity: namespaces — by default only the pod\'s own namespace matches', () => {
  const { cluster } = setup(zonedNodes(), [makePod('db').namespace('data').label('app', 'db').node('n3').obj()]);
  // The only db pod is in namespace data: for a pod in default, no pod matches at all, and the
  // pod does not match its own term, so it may not be placed anywhere.
  assertViolation(() => place(cluster, makePod('a').with(dbAffinity).obj(), 'n3'), 'placement-pod-affinity', 'the pod does not match its own terms');
  const inData = requiredAffinity(inTerm('app', ZONE, ['db'], { namespaces: ['data'] }));
  place(cluster, makePod('b').with(inData).obj(), 'n3');
  const anyNs = requiredAffinity(inTerm('app', ZONE, ['db'], { namespaceSelector: {} }));
  place(cluster, makePod('c').with(anyNs).obj(), 'n3');
  assertViolation(() => place(cluster, makePod('d').with(anyNs).obj(), 'n4'), 'placement-pod-affinity', 'domain topology.kubernetes.io/zone=c');
});

test('placement-pod-affinity: matchLabelKeys narrow the selector to the pod\'s own label value', () => {
  const term: PodAffinityTerm = { ...inTerm('app', ZONE, ['web']), matchLabelKeys: ['version'] };
  const { cluster } = setup(zonedNodes(), [makePod('v1').labels({ app: 'web', version: 'v1' }).node('n3').obj()]);
  place(cluster, makePod('a').labels({ app: 'web', version: 'v1' }).with(requiredAffinity(term)).obj(), 'n3');
  // A v2 pod matches no existing pod (v1 ones do not count) but matches itself: first of its group.
  place(cluster, makePod('b').labels({ app: 'web', version: 'v2' }).with(requiredAffinity(term)).obj(), 'n4');
  assertViolation(() => place(cluster, makePod('c').labels({ app: 'web', version: 'v2' }).with(requiredAffinity(term)).obj(), 'n1'), 'placement-pod-affinity', 'other pods match all its terms elsewhere');
});

// ---------------------------------------------------------------------------------------------
// Inter-pod anti-affinity

const webAnti = requiredAntiAffinity(inTerm('app', HOST, ['web']));

test('placement-pod-anti-affinity: a pod placed next to a pod its anti-affinity excludes fires', () => {
  const { cluster } = setup(zonedNodes(), [makePod('web-0').label('app', 'web').node('n1').obj()]);
  place(cluster, makePod('web-1').label('app', 'web').with(webAnti).obj(), 'n2');
  assertViolation(() => place(cluster, makePod('web-2').label('app', 'web').with(webAnti).obj(), 'n1'), 'placement-pod-anti-affinity', 'pod default/web-2 placed on node n1, but its required anti-affinity term [0] (topologyKey kubernetes.io/hostname, labelSelector {"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]}, namespaces ["default"]) matches pod default/web-0 on node n1 in the same domain kubernetes.io/hostname=n1');
});

test('placement-pod-anti-affinity: pods in other namespaces do not count unless the term selects them', () => {
  const { cluster } = setup(zonedNodes(), [makePod('web-0').namespace('other').label('app', 'web').node('n1').obj()]);
  place(cluster, makePod('web-1').label('app', 'web').with(webAnti).obj(), 'n1');
  const allNs = requiredAntiAffinity(inTerm('app', HOST, ['web'], { namespaceSelector: {} }));
  assertViolation(() => place(cluster, makePod('web-2').with(allNs).obj(), 'n1'), 'placement-pod-anti-affinity', 'matches pod other/web-0 on node n1');
});

test('placement-existing-anti-affinity: an existing pod\'s anti-affinity excluding the newcomer fires (symmetry)', () => {
  const loner = makePod('loner').label('app', 'loner').with(requiredAntiAffinity(inTerm('app', ZONE, ['web']))).node('n1').obj();
  const { cluster } = setup(zonedNodes(), [loner]);
  place(cluster, makePod('web-0').label('app', 'web').obj(), 'n3');
  assertViolation(() => place(cluster, makePod('web-1').label('app', 'web').obj(), 'n2'), 'placement-existing-anti-affinity', 'pod default/web-1 placed on node n2, but pod default/loner on node n1 has a required anti-affinity term [0]');
});

test('inter-pod checks apply only to profiles that filter with InterPodAffinity', () => {
  const { cluster, checker } = setup(zonedNodes(), [makePod('web-0').label('app', 'web').node('n1').obj()], { profiles: [profile(['NodeAffinity'])] });
  place(cluster, makePod('web-1').label('app', 'web').with(webAnti).obj(), 'n1');
  assert.equal(checker.placementsChecked, 1);
});

// ---------------------------------------------------------------------------------------------
// Topology spread

function webPods(perNode: Readonly<Record<string, number>>): Pod[] {
  const out: Pod[] = [];
  for (const [node, k] of Object.entries(perNode)) for (let i = 0; i < k; i++) out.push(makePod(`web-${node}-${i}`).label('app', 'web').node(node).obj());
  return out;
}

test('placement-topology-spread: a placement that makes the skew exceed maxSkew fires, with the numbers', () => {
  // zone a: 2 matching pods, zone b: 0, zone c: 1.
  const { cluster } = setup(zonedNodes(), webPods({ n1: 1, n2: 1, n4: 1 }));
  place(cluster, withSpread(makePod('ok').label('app', 'web').obj(), webZoneSpread(1)), 'n3');
  // Now a: 2, b: 1, c: 1 — another in zone a makes 3 − 1 = 2 > 1.
  assertViolation(
    () => place(cluster, withSpread(makePod('bad').label('app', 'web').obj(), webZoneSpread(1)), 'n2'),
    'placement-topology-spread',
    'pod default/bad placed on node n2: constraint [0] (topologyKey topology.kubernetes.io/zone, maxSkew 1, labelSelector {"matchLabels":{"app":"web"}}): domain topology.kubernetes.io/zone=a had 2 matching pod(s) + 1 (itself) − minimum 1 over 3 eligible domain(s) = skew 2 > maxSkew 1',
  );
});

test('placement-topology-spread: a pod the selector does not match adds nothing; other namespaces do not count', () => {
  const { cluster } = setup(zonedNodes(), [...webPods({ n1: 2 }), makePod('x').namespace('other').label('app', 'web').node('n3').obj()]);
  // a: 2, b: 0 (the other-namespace pod does not count), c: 0. A non-matching pod in a: 2 + 0 − 0 = 2 ≤ 2.
  place(cluster, withSpread(makePod('db').label('app', 'db').obj(), webZoneSpread(2)), 'n1');
  assertViolation(() => place(cluster, withSpread(makePod('web').label('app', 'web').obj(), webZoneSpread(2)), 'n1'), 'placement-topology-spread', 'skew 3 > maxSkew 2');
});

test('placement-topology-spread: nodes lacking the topology key must not be chosen', () => {
  const bare = makeNode('bare').capacity({ cpu: '4', pods: 110 }).obj();
  const { cluster } = setup([...zonedNodes(), bare]);
  assertViolation(() => place(cluster, withSpread(makePod('a').label('app', 'web').obj(), webZoneSpread(5)), 'bare'), 'placement-topology-spread', 'pod default/a placed on node bare, which lacks the topology key topology.kubernetes.io/zone of its DoNotSchedule constraint [0]');
});

test('placement-topology-spread: minDomains makes the minimum 0 while fewer domains are eligible', () => {
  // a: 1, b: 1, c: 1; with minDomains 4 (only 3 domains) the minimum is 0: 1 + 1 − 0 = 2 > 1.
  const { cluster } = setup(zonedNodes(), webPods({ n1: 1, n3: 1, n4: 1 }));
  place(cluster, withSpread(makePod('ok').label('app', 'web').obj(), webZoneSpread(1)), 'n2');
  assertViolation(() => place(cluster, withSpread(makePod('bad').label('app', 'web').obj(), webZoneSpread(1, { minDomains: 4 })), 'n3'), 'placement-topology-spread', 'minimum 0 over 3 eligible domain(s) (fewer than minDomains 4) = skew 2 > maxSkew 1');
});

test('placement-topology-spread: nodeAffinityPolicy Honor (default) counts only nodes the pod may use; Ignore counts all', () => {
  // a: 1, b: 0, c: 1. The pod may only use zones a and c: with Honor the minimum is 1.
  const nodes = zonedNodes().map((n) => {
    if (n.metadata!.labels![ZONE] !== 'b') n.metadata!.labels!['tier'] = 'front';
    return n;
  });
  const { cluster } = setup(nodes, webPods({ n1: 1, n4: 1 }));
  place(cluster, withSpread(makePod('honor').label('app', 'web').nodeSelector({ tier: 'front' }).obj(), webZoneSpread(1)), 'n2');
  assertViolation(
    () => place(cluster, withSpread(makePod('ignore').label('app', 'web').nodeSelector({ tier: 'front' }).obj(), webZoneSpread(1, { nodeAffinityPolicy: 'Ignore' })), 'n4'),
    'placement-topology-spread',
    'domain topology.kubernetes.io/zone=c had 1 matching pod(s) + 1 (itself) − minimum 0 over 3 eligible domain(s) = skew 2 > maxSkew 1',
  );
});

test('placement-topology-spread: nodeTaintsPolicy Honor leaves out nodes with untolerated taints', () => {
  const nodes = zonedNodes();
  nodes[2]!.spec!.taints = [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]; // n3, zone b
  const { cluster } = setup(nodes, webPods({ n1: 1, n4: 1 }));
  // Honor: zone b is not eligible, the minimum is 1: 1 + 1 − 1 = 1 ≤ 1.
  place(cluster, withSpread(makePod('honor').label('app', 'web').obj(), webZoneSpread(1, { nodeTaintsPolicy: 'Honor' })), 'n4');
  // Ignore (default): zone b counts with 0: 2 + 1 − 0 = 3 > 1.
  assertViolation(() => place(cluster, withSpread(makePod('ignore').label('app', 'web').obj(), webZoneSpread(1)), 'n4'), 'placement-topology-spread', 'skew 3 > maxSkew 1');
});

test('placement-topology-spread: matchLabelKeys count only pods with the pod\'s own value; ScheduleAnyway is not checked', () => {
  const { cluster } = setup(zonedNodes(), [
    makePod('v1-a').labels({ app: 'web', version: 'v1' }).node('n1').obj(),
    makePod('v1-b').labels({ app: 'web', version: 'v1' }).node('n2').obj(),
  ]);
  const keyed = webZoneSpread(1, { matchLabelKeys: ['version'] });
  // A v2 pod in zone a: v1 pods do not count, 0 + 1 − 0 = 1.
  place(cluster, withSpread(makePod('v2-a').labels({ app: 'web', version: 'v2' }).obj(), keyed), 'n1');
  place(cluster, withSpread(makePod('soft').labels({ app: 'web' }).obj(), { ...webZoneSpread(1), whenUnsatisfiable: 'ScheduleAnyway' }), 'n1');
  assertViolation(() => place(cluster, withSpread(makePod('v1-c').labels({ app: 'web', version: 'v1' }).obj(), keyed), 'n2'), 'placement-topology-spread', 'domain topology.kubernetes.io/zone=a had 2 matching pod(s)');
});

test('placement-topology-spread: terminating pods (deletionTimestamp set) do not count', () => {
  // Two web pods in zone a: live, a third there makes 2 + 1 − 0 = 3 > 1; terminating, 0 + 1 − 0 = 1.
  const live = setup(zonedNodes(), webPods({ n1: 2 }));
  assertViolation(() => place(live.cluster, withSpread(makePod('a').label('app', 'web').obj(), webZoneSpread(1)), 'n1'), 'placement-topology-spread', 'domain topology.kubernetes.io/zone=a had 2 matching pod(s) + 1 (itself) − minimum 0 over 3 eligible domain(s) = skew 3 > maxSkew 1');
  const pods = webPods({ n1: 2 });
  for (const p of pods) (p.metadata as { deletionTimestamp?: string }).deletionTimestamp = '2025-01-01T00:00:00Z';
  const { cluster, checker } = setup(zonedNodes(), pods);
  place(cluster, withSpread(makePod('a').label('app', 'web').obj(), webZoneSpread(1)), 'n1');
  assert.equal(checker.placementsChecked, 1);
});

// ---------------------------------------------------------------------------------------------
// The decision window: the scheduler decides at the start of a cycle and assumes at its end

test('a placement is judged against the cluster as it was when the cycle started', () => {
  const { cluster, checker } = setup(zonedNodes(), [makePod('db').label('app', 'db').node('n3').obj(), ...webPods({ n1: 1, n3: 1, n4: 1 })]);
  checker.afterEvent(fakeEvent(0, 1, 'scheduler.next'));
  // During the cycle the db pod goes away and a node joins a new zone.
  const db = cluster.pods.get('default/db')!;
  cluster.deletePod(db);
  cluster.addNode(makeNode('n5').capacity({ cpu: '8', pods: 110 }).zone('d').obj(), 'default');
  const a = podInfo(makePod('near').with(dbAffinity).obj());
  cluster.addPod(a);
  cluster.assume(a, cluster.mustNode('n3'));
  // Spread: at cycle start zones a, b, c had 1 web pod each: 1 + 1 − 1 = 1. Zone d (added since,
  // 0 pods) would make it 2.
  place(cluster, withSpread(makePod('w').label('app', 'web').obj(), webZoneSpread(1)), 'n1');
  // A new cycle sees the present: the db pod is gone, so affinity to it cannot be satisfied.
  checker.afterEvent(fakeEvent(0, 2, 'scheduler.next'));
  assertViolation(() => place(cluster, makePod('late').with(dbAffinity).obj(), 'n3'), 'placement-pod-affinity', 'the pod does not match its own terms');
});

test('a violation inside an event names the event; outside one, none', () => {
  const { cluster, checker } = setup([makeNode('t1').capacity({ cpu: '4', pods: 110 }).taint('k', 'v', 'NoSchedule').obj()]);
  checker.beforeEvent(fakeEvent(0, 42, 'scheduler.cycle-end', 'default/a'));
  const v = assertViolation(() => place(cluster, makePod('a').obj(), 't1'), 'placement-taints', 'k=v:NoSchedule');
  assert.equal(v.event, 'scheduler.cycle-end default/a #42');
  checker.afterEvent(fakeEvent(0, 42, 'scheduler.cycle-end', 'default/a'));
  const w = assertViolation(() => place(cluster, makePod('b').obj(), 't1'), 'placement-taints', 'k=v:NoSchedule');
  assert.equal(w.event, '');
});

test('a node updated during the cycle (ClusterState.updateNode) is not judged by what it became', () => {
  const { cluster, checker } = setup(zonedNodes(), [makePod('web-0').label('app', 'web').node('n1').obj()]);
  checker.afterEvent(fakeEvent(0, 1, 'scheduler.next'));
  cluster.updateNode('n2', { taints: [{ key: 'gone', value: 'soon', effect: 'NoExecute' }] });
  place(cluster, makePod('a').obj(), 'n2');
  // The update re-announces nothing: pods already on the updated node are not re-judged.
  cluster.updateNode('n1', { taints: [{ key: 'gone', value: 'soon', effect: 'NoExecute' }] });
  checker.checkAll();
  // The next cycle decides on the updated node.
  checker.afterEvent(fakeEvent(0, 2, 'scheduler.next'));
  assertViolation(() => place(cluster, makePod('b').obj(), 'n2'), 'placement-taints', 'pod default/b placed on node n2, whose taint gone=soon:NoExecute it does not tolerate');
});
