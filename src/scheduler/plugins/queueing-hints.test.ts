// The queueing hints of the in-tree plugins: which node and pod events are worth retrying a pod
// the plugin rejected. The cases follow upstream's tables (pkg/scheduler/framework/plugins/
// noderesources/fit_test.go Test_isSchedulableAfterNodeChange and TestIsSchedulableAfterPodEvent,
// nodeaffinity/node_affinity_test.go Test_isSchedulableAfterNodeChange,
// nodeunschedulable/node_unschedulable_test.go TestIsSchedulableAfterNodeChange,
// tainttoleration/taint_toleration_test.go Test_isSchedulableAfterNodeChange,
// nodeports/node_ports_test.go Test_isSchedulableAfterPodDeleted,
// interpodaffinity/plugin_test.go Test_isSchedulableAfterPodChange / _NodeChange,
// podtopologyspread/plugin_test.go Test_isSchedulableAfterNodeChange / _PodChange), driven
// through each plugin's eventsToRegister as the scheduling queue drives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../../testing/builders.js';
import type { ClusterState } from '../../cluster/cluster-state.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { snapshotNode, type ClusterEventWithHint, type EnqueueExtensions, type NodeView, type QueueingHint } from '../framework/events.js';
import type { FrameworkHandle, Plugin } from '../framework/interfaces.js';
import type { Framework } from '../framework/framework.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeAffinity } from './node-affinity.js';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { newTaintToleration } from './taint-toleration.js';
import { newNodePorts } from './node-ports.js';
import { newNodeName } from './node-name.js';
import { newInterPodAffinity } from './inter-pod-affinity/plugin.js';
import { newPodTopologySpread } from './pod-topology-spread/plugin.js';

const handleOf = (cluster: ClusterState): FrameworkHandle => ({ ...fakeHandle(cluster), framework: null as unknown as Framework });

type Hint = (pod: PodInfo, before: NodeView | PodInfo | undefined, after: NodeView | PodInfo | undefined) => QueueingHint;

/** The hint a plugin registers for `resource` events (Node or Pod). */
function hintOf(plugin: Plugin, resource: 'Node' | 'Pod'): Hint {
  const events = (plugin as unknown as EnqueueExtensions).eventsToRegister() as readonly ClusterEventWithHint[];
  const e = events.find((x) => x.event.resource === resource);
  assert.ok(e?.hint !== undefined, `${plugin.name} has a ${resource} hint`);
  return e.hint;
}

/** A node as the queue shows it (a snapshot of its NodeInfo). */
function view(node: Node): NodeView {
  const c = buildCluster([node]);
  return snapshotNode(c.mustNode(node.metadata?.name ?? ''));
}

function pod(p: Pod, node: string | null = null): PodInfo {
  const pi = podInfo(p);
  pi.nodeName = node;
  return pi;
}

type Case = [name: string, pod: PodInfo, before: NodeView | PodInfo | undefined, after: NodeView | PodInfo | undefined, want: QueueingHint];

function check(hint: Hint, cases: readonly Case[]): void {
  for (const [name, p, before, after, want] of cases) assert.equal(hint(p, before, after), want, name);
}

test('NodeResourcesFit: a node the pod fits when empty, added or grown in something the pod requests; an assigned or nominated pod deleted', () => {
  const hint = hintOf(newNodeResourcesFit(undefined), 'Node');
  const cpu1 = pod(makePod('p').req({ cpu: '1' }).obj());
  const gpu1 = pod(makePod('g').req({ 'nvidia.com/gpu': 1 }).obj());
  const eph = pod(makePod('e').req({ 'ephemeral-storage': '1Gi' }).obj());
  const node = (cpu: string, more: Record<string, string | number> = {}) => view(makeNode('n').capacity({ cpu, memory: '4Gi', pods: 10, ...more }).obj());
  check(hint, [
    ['no node after the event', cpu1, node('2'), undefined, 'QueueSkip'],
    ['queue on a node added that fits', cpu1, undefined, node('2'), 'Queue'],
    ['skip a node added with too little CPU', cpu1, undefined, node('0.5'), 'QueueSkip'],
    ['skip a node added with no pod room', cpu1, undefined, node('2', { pods: 0 }), 'QueueSkip'],
    ['skip a node added without the extended resource', gpu1, undefined, node('2'), 'QueueSkip'],
    ['skip a node added without the ephemeral storage', eph, undefined, node('2', { 'ephemeral-storage': '512Mi' }), 'QueueSkip'],
    ['queue a node added with the extended resource', gpu1, undefined, node('2', { 'nvidia.com/gpu': 2 }), 'Queue'],
    ['queue a node added with exactly the CPU asked', cpu1, undefined, node('1'), 'Queue'],
    ['queue a node added with exactly the extended resource asked', gpu1, undefined, node('2', { 'nvidia.com/gpu': 1 }), 'Queue'],
    ['skip a node whose ephemeral storage grew when the pod asks for none', cpu1, node('2', { 'ephemeral-storage': '1Gi' }), node('2', { 'ephemeral-storage': '2Gi' }), 'QueueSkip'],
    ['skip a node whose allocatable did not change', cpu1, node('2'), node('2'), 'QueueSkip'],
    ['skip a node whose allocatable did not change, the pod asking memory', pod(makePod('m').req({ memory: '1Gi' }).obj()), node('2'), node('2'), 'QueueSkip'],
    ['skip a node whose allocatable did not change, the pod asking ephemeral storage', eph, node('2', { 'ephemeral-storage': '2Gi' }), node('2', { 'ephemeral-storage': '2Gi' }), 'QueueSkip'],
    ['skip a node whose allocatable did not change, the pod asking an extended resource', gpu1, node('2', { 'nvidia.com/gpu': 2 }), node('2', { 'nvidia.com/gpu': 2 }), 'QueueSkip'],
    ['queue a node whose CPU grew', cpu1, node('1'), node('2'), 'Queue'],
    ['skip a node whose CPU shrank though it still fits', cpu1, node('4'), node('2'), 'QueueSkip'],
    ['skip a node whose CPU grew when the pod asks for none', gpu1, node('1', { 'nvidia.com/gpu': 1 }), node('2', { 'nvidia.com/gpu': 1 }), 'QueueSkip'],
    ['queue a node whose pod room grew', cpu1, node('2'), node('2', { pods: 20 }), 'Queue'],
    ['queue a node whose requested extended resource grew', gpu1, node('2', { 'nvidia.com/gpu': 1 }), node('2', { 'nvidia.com/gpu': 2 }), 'Queue'],
    ['queue a node whose ephemeral storage grew', eph, node('2', { 'ephemeral-storage': '1Gi' }), node('2', { 'ephemeral-storage': '2Gi' }), 'Queue'],
    ['skip a node whose memory grew when the pod asks for CPU only', cpu1, node('2'), view(makeNode('n').capacity({ cpu: '2', memory: '8Gi', pods: 10 }).obj()), 'QueueSkip'],
    ['queue a node whose memory grew when the pod asks for memory', pod(makePod('m').req({ memory: '1Gi' }).obj()), node('2'), view(makeNode('n').capacity({ cpu: '2', memory: '8Gi', pods: 10 }).obj()), 'Queue'],
  ]);
  const deleted = hintOf(newNodeResourcesFit(undefined), 'Pod');
  const nominated = pod(makePod('nom').obj());
  nominated.nominatedNodeName = 'n';
  check(deleted, [
    ['an assigned pod deleted', cpu1, pod(makePod('x').obj(), 'n'), undefined, 'Queue'],
    ['a nominated pod deleted', cpu1, nominated, undefined, 'Queue'],
    ['an unassigned pod deleted', cpu1, pod(makePod('x').obj()), undefined, 'QueueSkip'],
    ['no pod object', cpu1, undefined, undefined, 'Queue'],
  ]);
});

test('NodeAffinity: a node that now matches the required affinity (and the profile\'s addedAffinity), or was added matching', () => {
  const hint = hintOf(newNodeAffinity(undefined), 'Node');
  const zoneA = pod(makePod('p').with((p) => { p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } }; }).obj());
  const inA = view(makeNode('n').label('zone', 'a').obj());
  const inB = view(makeNode('n').label('zone', 'b').obj());
  check(hint, [
    ['no node after the event', zoneA, inA, undefined, 'QueueSkip'],
    ['a matching node added', zoneA, undefined, inA, 'Queue'],
    ['a node added that does not match', zoneA, undefined, inB, 'QueueSkip'],
    ['a node that now matches', zoneA, inB, inA, 'Queue'],
    ['a node that matched already', zoneA, inA, inA, 'QueueSkip'],
    ['a node that stopped matching', zoneA, inA, inB, 'QueueSkip'],
  ]);
  const added = hintOf(newNodeAffinity({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['x'] }] }] } } }), 'Node');
  check(added, [
    ['a node outside the profile\'s addedAffinity', zoneA, undefined, inA, 'QueueSkip'],
    ['a node inside it', zoneA, undefined, view(makeNode('n').label('zone', 'a').label('pool', 'x').obj()), 'Queue'],
  ]);
});

test('NodeUnschedulable and TaintToleration: a schedulable node added, or a node that became schedulable / tolerated', () => {
  const unsched = hintOf(newNodeUnschedulable(), 'Node');
  const p = pod(makePod('p').obj());
  const on = view(makeNode('n').unschedulable().obj());
  const off = view(makeNode('n').obj());
  check(unsched, [
    ['no node after the event', p, off, undefined, 'QueueSkip'],
    ['an unschedulable node and no node after', p, on, undefined, 'QueueSkip'],
    ['an unschedulable node added', p, undefined, on, 'QueueSkip'],
    ['a schedulable node added', p, undefined, off, 'Queue'],
    ['a node uncordoned', p, on, off, 'Queue'],
    ['a node cordoned', p, off, on, 'QueueSkip'],
    ['a node that stays schedulable', p, off, off, 'QueueSkip'],
  ]);
  const taints = hintOf(newTaintToleration(), 'Node');
  const tolerates = pod(makePod('t').toleration({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }).obj());
  const tainted = view(makeNode('n').taint('k', 'v', 'NoSchedule').obj());
  const other = view(makeNode('n').taint('other', 'v', 'NoSchedule').obj());
  const preferNo = view(makeNode('n').taint('other', 'v', 'PreferNoSchedule').obj());
  check(taints, [
    ['no node after the event', p, off, undefined, 'QueueSkip'],
    ['a node added with a taint the pod does not tolerate', p, undefined, tainted, 'QueueSkip'],
    ['a node added with a tolerated taint', tolerates, undefined, tainted, 'Queue'],
    ['a node added with only a PreferNoSchedule taint', p, undefined, preferNo, 'Queue'],
    ['an untolerated taint removed', p, tainted, off, 'Queue'],
    ['an untolerated taint replaced by a tolerated one', tolerates, other, tainted, 'Queue'],
    ['a tolerated taint replaced by an untolerated one', tolerates, tainted, other, 'QueueSkip'],
    ['nothing untolerated before or after', tolerates, tainted, off, 'QueueSkip'],
  ]);
});

test('NodeName: only the node the pod names, when it is added', () => {
  const hint = hintOf(newNodeName(), 'Node');
  const named = pod(makePod('p').node('n').obj());
  check(hint, [
    ['the named node added', named, undefined, view(makeNode('n').obj()), 'Queue'],
    ['another node added', named, undefined, view(makeNode('m').obj()), 'QueueSkip'],
  ]);
});

test('NodePorts: an assigned pod deleted that held a host port the pod wants (same protocol and port; any IP against a wildcard)', () => {
  const hint = hintOf(newNodePorts(), 'Pod');
  const wants = pod(makePod('p').hostPort(8080).obj());
  const wantsIp = pod(makePod('p').hostPort(8080, 'TCP', '127.0.0.1').obj());
  const held = (port: number, protocol = 'TCP', ip?: string, node: string | null = 'n') => pod(makePod('h').hostPort(port, protocol, ip).obj(), node);
  check(hint, [
    ['it held the port', wants, held(8080), undefined, 'Queue'],
    ['it held another port', wants, held(8081), undefined, 'QueueSkip'],
    ['it held the port over UDP', wants, held(8080, 'UDP'), undefined, 'QueueSkip'],
    ['it was not assigned', wants, held(8080, 'TCP', undefined, null), undefined, 'QueueSkip'],
    ['the pod wants no port', pod(makePod('q').obj()), held(8080), undefined, 'QueueSkip'],
    ['no pod object', wants, undefined, undefined, 'QueueSkip'],
    ['a wildcard port held, one IP wanted', wantsIp, held(8080), undefined, 'Queue'],
    ['one IP held, a wildcard wanted', wants, held(8080, 'TCP', '127.0.0.2'), undefined, 'Queue'],
    ['the same IP held', wantsIp, held(8080, 'TCP', '127.0.0.1'), undefined, 'Queue'],
    ['another IP held', wantsIp, held(8080, 'TCP', '127.0.0.2'), undefined, 'QueueSkip'],
  ]);
});

function withAffinity(name: string, kind: 'podAffinity' | 'podAntiAffinity', topologyKey: string, expr: { key: string; operator: string; values?: string[] } = { key: 'app', operator: 'In', values: ['db'] }): PodInfo {
  return pod(makePod(name).with((p) => { p.spec!.affinity = { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [expr] }, topologyKey }] } }; }).obj());
}

test('InterPodAffinity: an assigned pod matching every affinity term added, or one matching every anti-affinity term deleted; a node with a term\'s topology key', () => {
  const cluster: ClusterState = buildCluster([makeNode('n').obj()]);
  const plugin = newInterPodAffinity(undefined, handleOf(cluster));
  const podHint = hintOf(plugin, 'Pod');
  const nodeHint = hintOf(plugin, 'Node');
  const affinity = withAffinity('a', 'podAffinity', 'zone');
  const anti = withAffinity('b', 'podAntiAffinity', 'zone');
  const invalid = withAffinity('c', 'podAffinity', 'zone', { key: 'app', operator: 'Bogus', values: ['db'] });
  const plain = pod(makePod('plain').obj());
  const db = (node: string | null = 'n', ns = 'default') => pod(makePod('db').namespace(ns).label('app', 'db').obj(), node);
  const web = pod(makePod('web').label('app', 'web').obj(), 'n');
  check(podHint, [
    ['an unassigned pod added', affinity, undefined, db(null), 'QueueSkip'],
    ['an unassigned pod deleted', anti, db(null), undefined, 'QueueSkip'],
    ['an assigned pod matching the affinity added', affinity, undefined, db(), 'Queue'],
    ['an assigned pod of another namespace added', affinity, undefined, db('n', 'other'), 'QueueSkip'],
    ['an assigned pod not matching added', affinity, undefined, web, 'QueueSkip'],
    ['an assigned pod added, the pod has no affinity term', plain, undefined, db(), 'QueueSkip'],
    ['an assigned pod matching the anti-affinity deleted', anti, db(), undefined, 'Queue'],
    ['an assigned pod not matching the anti-affinity deleted', anti, web, undefined, 'QueueSkip'],
    ['an assigned pod matching only an affinity term deleted', affinity, db(), undefined, 'QueueSkip'],
    ['no pod object', affinity, undefined, undefined, 'QueueSkip'],
    ['terms that do not parse: Queue', invalid, undefined, db(), 'Queue'],
    // An assigned pod's labels changed (a pod update: upstream's update branch).
    ['relabelled to match every affinity term', affinity, web, db(), 'Queue'],
    ['relabelled away from the anti-affinity', anti, db(), web, 'Queue'],
    ['relabelled into the anti-affinity', anti, web, db(), 'QueueSkip'],
    ['relabelled, matching the affinity before and after', affinity, db(), db(), 'QueueSkip'],
  ]);
  const zoned = view(makeNode('n').label('zone', 'a').obj());
  const bare = view(makeNode('n').obj());
  check(nodeHint, [
    ['no node after the event', affinity, zoned, undefined, 'QueueSkip'],
    ['a node with the affinity topology key', affinity, undefined, zoned, 'Queue'],
    ['a node with the anti-affinity topology key', anti, bare, zoned, 'Queue'],
    ['a node without the key', affinity, undefined, bare, 'QueueSkip'],
    ['a pod without terms', plain, undefined, zoned, 'QueueSkip'],
    ['terms that do not parse: Queue', invalid, undefined, bare, 'Queue'],
  ]);
});

test('PodTopologySpread: an assigned pod of the namespace selected by a hard constraint added or deleted; a node with every topology key added, deleted, relabelled or retainted', () => {
  const cluster = buildCluster([makeNode('n').obj()]);
  const plugin = newPodTopologySpread(undefined, handleOf(cluster));
  const podHint = hintOf(plugin, 'Pod');
  const nodeHint = hintOf(plugin, 'Node');
  const spread = (c: Partial<TopologySpreadConstraint>[]) => pod(makePod('s').label('app', 'web').with((p) => { p.spec!.topologySpreadConstraints = c.map((x) => ({ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...x }) as TopologySpreadConstraint); }).obj());
  const s = spread([{}]);
  const two = spread([{}, { topologyKey: 'rack' }]);
  const invalid = spread([{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['x'] }] } }]);
  const web = (node: string | null = 'n', ns = 'default') => pod(makePod('w').namespace(ns).label('app', 'web').obj(), node);
  check(podHint, [
    ['an assigned selected pod added', s, undefined, web(), 'Queue'],
    ['an assigned selected pod deleted', s, web(), undefined, 'Queue'],
    ['an unassigned pod added', s, undefined, web(null), 'QueueSkip'],
    ['a pod of another namespace', s, undefined, web('n', 'other'), 'QueueSkip'],
    ['an assigned pod not selected', s, undefined, pod(makePod('d').label('app', 'db').obj(), 'n'), 'QueueSkip'],
    ['no pod object', s, undefined, undefined, 'QueueSkip'],
    ['constraints that do not parse: Queue', invalid, undefined, web(), 'Queue'],
    // An assigned pod's labels changed (a pod update: upstream's update branch).
    ['relabelled into a selector', s, pod(makePod('w').label('app', 'db').obj(), 'n'), web(), 'Queue'],
    ['relabelled out of a selector', s, web(), pod(makePod('w').label('app', 'db').obj(), 'n'), 'Queue'],
    ['relabelled, selected before and after', s, web(), pod(makePod('w').label('app', 'web').label('v', '2').obj(), 'n'), 'QueueSkip'],
  ]);
  const node = (labels: Record<string, string>, taint?: string) => {
    const w = makeNode('n').labels(labels);
    if (taint !== undefined) w.taint(taint, '', 'NoSchedule');
    return view(w.obj());
  };
  check(nodeHint, [
    ['a node with the key added', s, undefined, node({ zone: 'a' }), 'Queue'],
    ['a node without the key added', s, undefined, node({}), 'QueueSkip'],
    ['a node with only one of two keys added', two, undefined, node({ zone: 'a' }), 'QueueSkip'],
    ['a node with the key deleted', s, node({ zone: 'a' }), undefined, 'Queue'],
    ['a node without the key deleted', s, node({}), undefined, 'QueueSkip'],
    ['the key added to a node', s, node({}), node({ zone: 'a' }), 'Queue'],
    ['the key removed from a node', s, node({ zone: 'a' }), node({}), 'Queue'],
    ['neither before nor after has the key', s, node({}, 'x'), node({ other: '1' }), 'QueueSkip'],
    ['the key\'s value changed', s, node({ zone: 'a' }), node({ zone: 'b' }), 'Queue'],
    ['another label changed', s, node({ zone: 'a' }), node({ zone: 'a', other: '1' }), 'QueueSkip'],
    ['a taint added', s, node({ zone: 'a' }), node({ zone: 'a' }, 'x'), 'Queue'],
    ['constraints that do not parse: Queue', invalid, undefined, node({}), 'Queue'],
  ]);
});
