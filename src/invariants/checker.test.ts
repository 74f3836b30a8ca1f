// The state invariants each fire on a state that breaks them (built by hand through ClusterState,
// bypassing the scheduler), and stay quiet on the matching healthy state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulation } from '../engine/simulation.js';
import { Simulation as RealSimulation } from '../engine/simulation.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { NODE_FIGURE } from '../cluster/node-info.js';
import { makeNode, makePod, podInfo } from '../testing/builders.js';
import { InvariantChecker, type ProfileFacts } from './checker.js';
import { InvariantViolation } from './violation.js';
import { assertViolation, fakeEvent, place, setup } from './testing.js';
import { invariantCheckPeriod } from '../run/run-scenario.js';

const cpuNode = (name: string, cpu: string, pods = 110) => makeNode(name).capacity({ cpu, memory: '8Gi', pods }).obj();

function profile(filters: readonly string[], pluginArgs: ReadonlyMap<string, unknown> = new Map()): ProfileFacts {
  return { schedulerName: 'default-scheduler', filters: new Set(filters), pluginArgs };
}

function object(kind: string, name: string, spec: unknown): WorkloadObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'default' }, spec };
}

// ---------------------------------------------------------------------------------------------
// node-capacity

test('node-capacity: requests beyond allocatable cpu fire, naming the node, the amounts and the pods', () => {
  const { cluster, checker } = setup([cpuNode('n1', '1')]);
  place(cluster, makePod('a').req({ cpu: '600m' }).obj(), 'n1');
  checker.checkIncremental();
  // The placement check (re-deriving the requests from the spec) fires first; the books then
  // hold both pods, which the node-capacity check reports.
  assertViolation(() => place(cluster, makePod('b').req({ cpu: '600m' }).obj(), 'n1'), 'placement-resources', 'cpu 600m + 600m > 1000m allocatable');
  assertViolation(() => checker.checkIncremental(), 'node-capacity', 'node n1 has cpu 1200m > 1000m allocatable; its pods: default/a, default/b');
});

test('node-capacity: the pod count counts as a resource', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4', 1)]);
  place(cluster, makePod('a').obj(), 'n1');
  place(cluster, makePod('b').obj(), 'n1');
  assertViolation(() => checker.checkIncremental(), 'node-capacity', 'pods 2 > 1');
});

test('node-capacity: extended resources count, unless a profile ignores them in NodeResourcesFit args', () => {
  const gpuNode = makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110, 'example.com/gpu': 1 }).obj();
  const pods = [makePod('a').req({ 'example.com/gpu': 1 }).obj(), makePod('b').req({ 'example.com/gpu': 1 }).obj()];
  const strict = setup([gpuNode]);
  for (const p of pods) place(strict.cluster, p, 'n1');
  assertViolation(() => strict.checker.checkIncremental(), 'node-capacity', 'example.com/gpu 2 > 1');

  const byName = setup([gpuNode], [], { profiles: [profile(['NodeResourcesFit'], new Map([['NodeResourcesFit', { ignoredResources: ['example.com/gpu'] }]]))] });
  for (const p of pods) place(byName.cluster, p, 'n1');
  byName.checker.checkAll();
  const byGroup = setup([gpuNode], [], { profiles: [profile(['NodeResourcesFit'], new Map([['NodeResourcesFit', { ignoredResourceGroups: ['example.com'] }]]))] });
  for (const p of pods) place(byGroup.cluster, p, 'n1');
  byGroup.checker.checkAll();
});

test('node-capacity is not a guarantee when some profile does not filter with NodeResourcesFit', () => {
  const { cluster, checker } = setup([cpuNode('n1', '1')], [], { profiles: [profile(['TaintToleration'])] });
  place(cluster, makePod('a').req({ cpu: '2' }).obj(), 'n1');
  checker.checkAll();
  assert.equal(checker.checks, 1);
});

// ---------------------------------------------------------------------------------------------
// node-accounting

test('node-accounting: a node whose running sum drifted from its pods fires', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  place(cluster, makePod('a').req({ cpu: '500m' }).obj(), 'n1');
  checker.checkIncremental();
  cluster.mustNode('n1').requested.milliCpu += 5;
  assertViolation(() => checker.checkAll(), 'node-accounting', 'node n1 requested cpu 505m vs 500m (recorded vs sum over its 1 pod(s))');
});

test('node-accounting: the copies of a node\'s books and allocatable that the filters read must equal them', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  place(cluster, makePod('a').req({ cpu: '500m' }).obj(), 'n1');
  checker.checkAll();
  const n = cluster.mustNode('n1');
  const f = n.figures();
  f[NODE_FIGURE.reqMemory] = 1;
  assertViolation(() => checker.checkAll(), 'node-accounting', 'node n1 copies of its books (pods 1, cpu 500m, memory 1, ephemeral-storage 0) differ from them (pods 1, cpu 500m, memory 0, ephemeral-storage 0)');
  f[NODE_FIGURE.reqMemory] = 0;
  f[NODE_FIGURE.pods] = 0;
  assertViolation(() => checker.checkAll(), 'node-accounting', 'node n1 copies of its books (pods 0, cpu 500m, memory 0, ephemeral-storage 0) differ from them (pods 1, cpu 500m, memory 0, ephemeral-storage 0)');
  f[NODE_FIGURE.pods] = 1;
  f[NODE_FIGURE.allocMilliCpu] = 1;
  assertViolation(() => checker.checkAll(), 'node-accounting', 'node n1 copies of its allocatable differ from it');
});

test('node-accounting: cluster totals must equal the sums over nodes', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4'), cpuNode('n2', '4')]);
  place(cluster, makePod('a').req({ memory: '1Gi' }).obj(), 'n2');
  checker.checkAll();
  cluster.totalRequested.memory += 1;
  assertViolation(() => checker.checkAll(), 'node-accounting', `cluster requested total memory ${2 ** 30 + 1} vs ${2 ** 30}`);
});

test('node-accounting: host ports held must match the pods holding them', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  place(cluster, makePod('a').hostPort(8080).obj(), 'n1');
  checker.checkIncremental();
  cluster.mustNode('n1').usedPorts.clear();
  assertViolation(() => checker.checkAll(), 'node-accounting', 'node n1 host ports [] but its pods hold [["TCP/0.0.0.0/8080",1]]');
});

// ---------------------------------------------------------------------------------------------
// pod-binding

test('pod-binding: a pod on two nodes\' books fires', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4'), cpuNode('n2', '4')]);
  const p = place(cluster, makePod('a').obj(), 'n1');
  checker.checkAll();
  cluster.mustNode('n2').pods.push(p);
  assertViolation(() => checker.checkAll(), 'pod-binding', "pod default/a is on node n2's books but its node is n1");
});

test('pod-binding: a bound pod whose node does not exist fires', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const p = podInfo(makePod('a').obj());
  cluster.addPod(p);
  checker.checkAll();
  p.nodeName = 'ghost';
  p.bound = true;
  p.pod.spec!.nodeName = 'ghost';
  assertViolation(() => checker.checkAll(), 'pod-binding', 'pod default/a is bound to node ghost, which does not exist');
});

test('pod-binding: the node-loss hook excuses a missing node', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')], [], { nodeLossHandled: (_p, node) => node === 'ghost' });
  const p = podInfo(makePod('a').obj());
  cluster.addPod(p);
  p.nodeName = 'ghost';
  p.bound = true;
  p.pod.spec!.nodeName = 'ghost';
  checker.checkAll();
  assert.equal(checker.checks, 1);
});

test('pod-binding: a terminal pod still on its node\'s books fires', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const p = place(cluster, makePod('a').obj(), 'n1');
  p.bound = true;
  p.pod.spec!.nodeName = 'n1';
  cluster.setPhase(p, 'Running');
  checker.checkAll();
  // A phase change that bypasses ClusterState.setPhase (which would unplace the pod).
  cluster.phaseCounts.Running--;
  cluster.phaseCounts.Succeeded++;
  p.phase = 'Succeeded';
  assertViolation(() => checker.checkAll(), 'pod-binding', "pod default/a is Succeeded but still on node n1's books");
});

test('pod-binding: a Running pod that was never bound fires', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const p = place(cluster, makePod('a').obj(), 'n1');
  cluster.setPhase(p, 'Running');
  assertViolation(() => checker.checkIncremental(), 'pod-binding', 'pod default/a is Running but not bound');
});

// ---------------------------------------------------------------------------------------------
// pod-conservation

test('pod-conservation: phase counters that do not add up to the live pods fire', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')], [makePod('a').obj()]);
  checker.checkIncremental();
  cluster.phaseCounts.Running++;
  assertViolation(() => checker.checkIncremental(), 'pod-conservation', 'pending 1 + running 1 + succeeded 0 + failed 0 = 2, but 1 live pods are stored');
});

test('pod-conservation: created must equal live + deleted', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')], [makePod('a').obj(), makePod('b').obj()]);
  cluster.deletePod(cluster.pods.get('default/b')!);
  checker.checkAll();
  cluster.podsDeleted = 0;
  assertViolation(() => checker.checkIncremental(), 'pod-conservation', '2 pods created but pending 1 + running 0 + succeeded 0 + failed 0 + deleted 0 = 1');
});

test('pod-conservation: the store must agree with the API server\'s notifications', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const a = podInfo(makePod('a').obj());
  cluster.addPod(a);
  checker.watcher.podAdded!(a);
  checker.checkIncremental();
  cluster.addPod(podInfo(makePod('b').obj())); // created without the API server announcing it
  assertViolation(() => checker.checkIncremental(), 'pod-conservation', 'the API server announced 1 pod creations but the store counts 2');
});

test('pod-conservation: a recount of phases must match the store\'s counters', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')], [makePod('a').node('n1').obj()]);
  const p = cluster.pods.get('default/a')!;
  cluster.setPhase(p, 'Running');
  checker.checkAll();
  p.phase = 'Pending'; // counters still say Running
  assertViolation(() => checker.checkAll(), 'pod-conservation', '1 live pod(s) are Pending but the store counts 0');
});

// ---------------------------------------------------------------------------------------------
// output-counts

test('output-counts: a summary row that disagrees with the store fires at finish', () => {
  const { checker } = setup([cpuNode('n1', '4')], [makePod('a').obj(), makePod('b').node('n1').obj()]);
  checker.finish({ pods_submitted: 2, pods_unbound_end: 1, events: 0 });
  assertViolation(() => checker.finish({ pods_submitted: 2, pods_unbound_end: 2, events: 0 }), 'output-counts', 'summary.csv pods_unbound_end is 2 but the store gives 1');
  assertViolation(() => checker.finish({ pods_submitted: 3, pods_unbound_end: 1, events: 0 }), 'output-counts', 'summary.csv pods_submitted is 3 but the store gives 2');
});

test('output-counts: pods_bound must equal the pods ever bound, deleted ones included', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const a = place(cluster, makePod('a').obj(), 'n1');
  checker.watcher.podAdded!(a);
  a.bound = true;
  a.pod.spec!.nodeName = 'n1';
  checker.watcher.podBound!(a);
  cluster.markTerminating(a, 0, 'test');
  checker.watcher.podTerminating!(a, 'test');
  cluster.deletePod(a);
  checker.watcher.podDeleted!(a, 'test');
  checker.finish({ pods_submitted: 1, pods_unbound_end: 0, pods_bound: 1, pods_deleted_unbound: 0, events: 0 });
  assertViolation(() => checker.finish({ pods_submitted: 1, pods_unbound_end: 0, pods_bound: 0, pods_deleted_unbound: 0, events: 0 }), 'output-counts', 'summary.csv pods_bound is 0 but the store gives 1');
});

test('output-counts: pods_deleted_unbound must equal the bare pods deleted before they were bound', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const b = podInfo(makePod('b').obj());
  cluster.addPod(b);
  checker.watcher.podAdded!(b);
  cluster.deletePod(b);
  checker.watcher.podDeleted!(b, 'test');
  checker.finish({ pods_submitted: 1, pods_unbound_end: 0, pods_bound: 0, pods_deleted_unbound: 1, events: 0 });
  assertViolation(() => checker.finish({ pods_submitted: 1, pods_unbound_end: 0, pods_bound: 0, pods_deleted_unbound: 0, events: 0 }), 'output-counts', 'summary.csv pods_deleted_unbound is 0 but the store gives 1');
});

test('output-counts: a timeseries row is recounted when it is sampled', () => {
  const { cluster } = setup([cpuNode('n1', '4')], [makePod('a').obj()]);
  const rows: Array<Record<string, string | number>> = [];
  let checker: InvariantChecker | null = null;
  const sim = new RealSimulation({ afterEvent: (ev) => checker?.afterEvent(ev) });
  checker = new InvariantChecker(sim, cluster, { timeseries: rows });
  const row = { time_s: '0', nodes_ready: 1, nodes_not_ready: 0, pods_pending: 1, pods_running: 0, pods_available: 0, pods_succeeded: 0, pods_failed: 0, cpu_requested_ratio: '0', memory_requested_ratio: '0', cpu_allocatable_not_ready_milli: 0, memory_allocatable_not_ready_bytes: 0 };
  sim.scheduleAt(0, 'metrics.sample', '', () => rows.push({ ...row }));
  sim.scheduleAt(60_000_000, 'metrics.sample', '', () => rows.push({ ...row, time_s: '60', pods_pending: 7 }));
  const v = assertViolation(() => sim.run(), 'output-counts', 'timeseries.csv row at 60 s: pods_pending is 7 but a recount gives 1');
  assert.equal(v.event, 'metrics.sample #1');
  assert.equal(v.timeUs, 60_000_000);
});

test('output-counts: timeseries ratios count Ready nodes only, and each extended resource a Ready node offers needs its column', () => {
  const gpuNode = makeNode('g1').capacity({ cpu: '4', memory: '8Gi', pods: 110, 'example.com/gpu': 2 }).obj();
  const { cluster } = setup([cpuNode('n1', '4'), gpuNode], [makePod('a').node('n1').req({ cpu: '1' }).obj()]);
  cluster.updateNode('g1', { ready: false });
  const rows: Array<Record<string, string | number>> = [];
  let checker: InvariantChecker | null = null;
  const sim = new RealSimulation({ afterEvent: (ev) => checker?.afterEvent(ev) });
  checker = new InvariantChecker(sim, cluster, { timeseries: rows });
  // 1 of the Ready node's 4 CPUs (0.125 over both nodes); g1's 4 CPUs and 8 GiB NotReady; no
  // Ready node offers the GPU: its ratio is empty.
  const row = {
    time_s: '0', nodes_ready: 1, nodes_not_ready: 1, pods_pending: 1, pods_running: 0, pods_available: 0, pods_succeeded: 0, pods_failed: 0,
    cpu_requested_ratio: '0.25', memory_requested_ratio: '0', 'example.com/gpu_requested_ratio': '',
    cpu_allocatable_not_ready_milli: 4000, memory_allocatable_not_ready_bytes: 8589934592,
  };
  sim.scheduleAt(0, 'metrics.sample', '', () => rows.push({ ...row }));
  sim.scheduleAt(30_000_000, 'node.ready', 'g1', () => cluster.updateNode('g1', { ready: true }));
  const { 'example.com/gpu_requested_ratio': _gpu, ...withoutGpu } = row;
  sim.scheduleAt(60_000_000, 'metrics.sample', '', () => rows.push({ ...withoutGpu, time_s: '60', nodes_ready: 2, nodes_not_ready: 0, cpu_requested_ratio: '0.125', cpu_allocatable_not_ready_milli: 0, memory_allocatable_not_ready_bytes: 0 }));
  const v = assertViolation(() => sim.run(), 'output-counts', 'timeseries.csv row at 60 s has no example.com/gpu_requested_ratio column though a Ready node offers example.com/gpu');
  assert.equal(v.timeUs, 60_000_000);
});

test('output-counts: a hugepages size every node reports as "0" (every Linux kubelet) needs no column, as the collector gives it none', () => {
  const node = makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' }).obj();
  const { cluster } = setup([node], []);
  const rows: Array<Record<string, string | number>> = [];
  let checker: InvariantChecker | null = null;
  const sim = new RealSimulation({ afterEvent: (ev) => checker?.afterEvent(ev) });
  checker = new InvariantChecker(sim, cluster, { timeseries: rows });
  sim.scheduleAt(0, 'metrics.sample', '', () => rows.push({
    time_s: '0', nodes_ready: 1, nodes_not_ready: 0, pods_pending: 0, pods_running: 0, pods_available: 0, pods_succeeded: 0, pods_failed: 0,
    cpu_requested_ratio: '0', memory_requested_ratio: '0', cpu_allocatable_not_ready_milli: 0, memory_allocatable_not_ready_bytes: 0,
  }));
  sim.run();
  checker.finish();
});

test('output-counts: pods_available counts Running pods on Ready nodes', () => {
  const { cluster } = setup([cpuNode('n1', '4'), cpuNode('n2', '4')], [makePod('a').node('n1').obj(), makePod('b').node('n2').obj()]);
  for (const p of cluster.pods.values()) cluster.setPhase(p, 'Running');
  cluster.updateNode('n2', { ready: false });
  const rows: Array<Record<string, string | number>> = [];
  let checker: InvariantChecker | null = null;
  const sim = new RealSimulation({ afterEvent: (ev) => checker?.afterEvent(ev) });
  checker = new InvariantChecker(sim, cluster, { timeseries: rows });
  const row = {
    time_s: '0', nodes_ready: 1, nodes_not_ready: 1, pods_pending: 0, pods_running: 2, pods_available: 1, pods_succeeded: 0, pods_failed: 0,
    cpu_requested_ratio: '0', memory_requested_ratio: '0', cpu_allocatable_not_ready_milli: 4000, memory_allocatable_not_ready_bytes: 8589934592,
  };
  sim.scheduleAt(0, 'metrics.sample', '', () => rows.push({ ...row }));
  sim.scheduleAt(60_000_000, 'metrics.sample', '', () => rows.push({ ...row, time_s: '60', pods_available: 2 }));
  assertViolation(() => sim.run(), 'output-counts', 'timeseries.csv row at 60 s: pods_available is 2 but a recount gives 1');
});

// ---------------------------------------------------------------------------------------------
// time-monotonic, event-in-past

test('time-monotonic: an event that runs before an earlier-ordered one fires', () => {
  const { checker } = setup([]);
  checker.afterEvent(fakeEvent(0, 3));
  const v = assertViolation(() => checker.afterEvent(fakeEvent(0, 2, 'kubelet.start', 'default/a')), 'time-monotonic', 'event kubelet.start default/a #2 at 0 µs ran after an event at 0 µs #3');
  assert.equal(v.event, 'kubelet.start default/a #2');
});

test('event-in-past: a queued event earlier than the clock fires', () => {
  const { cluster } = setup([]);
  // An engine whose queue is broken: its next event lies before the clock.
  const broken = { now: 100, eventsProcessed: 1, nextEventTime: () => 50 } as unknown as Simulation;
  const checker = new InvariantChecker(broken, cluster);
  assertViolation(() => checker.afterEvent(fakeEvent(100, 7)), 'event-in-past', 'an event is queued at 50 µs, before the clock (100 µs)');
});

test('time checks pass on a real engine run, and state checks run every N events', () => {
  const { cluster } = setup([cpuNode('n1', '4')]);
  let checker: InvariantChecker | null = null;
  const sim = new RealSimulation({ afterEvent: (ev) => checker?.afterEvent(ev) });
  checker = new InvariantChecker(sim, cluster, { every: 3 });
  for (let i = 0; i < 10; i++) sim.schedule(i % 4, 'test.tick', String(i), () => {});
  sim.run();
  assert.equal(checker.checks, 3);
});

// ---------------------------------------------------------------------------------------------
// replicaset-pods, daemonset-pods

test('replicaset-pods: more active pods than replicas fires; terminal and deleted pods do not count', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  cluster.objects.set(objectKey('ReplicaSet', 'default', 'rs'), object('ReplicaSet', 'rs', { replicas: 2 }));
  const add = (name: string) => {
    const p = podInfo(makePod(name).owner('ReplicaSet', 'rs').obj());
    cluster.addPod(p);
    checker.watcher.podAdded!(p);
    return p;
  };
  const a = add('rs-a');
  add('rs-b');
  cluster.assume(a, cluster.mustNode('n1'));
  a.bound = true;
  a.pod.spec!.nodeName = 'n1';
  cluster.setPhase(a, 'Succeeded');
  checker.watcher.podPhaseChanged!(a, 'Pending');
  const c = add('rs-c');
  cluster.deletePod(c);
  checker.watcher.podDeleted!(c, 'scaled down');
  add('rs-d');
  checker.checkAll();
  assertViolation(() => add('rs-e'), 'replicaset-pods', 'ReplicaSet default/rs has 3 active pods, more than its 2 replicas');
});

test('job-parallelism: more active pods than parallelism fires; a Terminating pod is replaced at once and does not count', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  cluster.objects.set(objectKey('Job', 'default', 'render'), { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'render', namespace: 'default' }, spec: { parallelism: 2 } });
  const add = (name: string) => {
    const p = podInfo(makePod(name).owner('Job', 'render').obj());
    cluster.addPod(p);
    checker.watcher.podAdded!(p);
    return p;
  };
  const a = add('render-a');
  add('render-b');
  cluster.assume(a, cluster.mustNode('n1'));
  a.bound = true;
  a.pod.spec!.nodeName = 'n1';
  cluster.markTerminating(a, 0, 'evicted');
  checker.watcher.podTerminating!(a, 'evicted');
  add('render-c'); // the evicted pod's replacement
  checker.checkAll();
  assertViolation(() => add('render-d'), 'job-parallelism', 'Job default/render has 3 active pods, more than its parallelism 2');
});

test('job-completions: a pod created when Succeeded plus active pods already make completions fires', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  cluster.objects.set(objectKey('Job', 'default', 'j'), { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec: { completions: 2, parallelism: 2 } });
  const add = (name: string) => {
    const p = podInfo(makePod(name).owner('Job', 'j').obj());
    cluster.addPod(p);
    checker.watcher.podAdded!(p);
    return p;
  };
  const a = add('j-a');
  add('j-b');
  cluster.assume(a, cluster.mustNode('n1'));
  a.bound = true;
  a.pod.spec!.nodeName = 'n1';
  cluster.setPhase(a, 'Succeeded');
  checker.watcher.podPhaseChanged!(a, 'Pending');
  assertViolation(() => add('j-c'), 'job-completions', 'Job default/j created pod j-c with 1 pod(s) Succeeded and 2 active (this one included), more than its 2 completions');
});

test('replicaset-pods: a scale-down (replicas lowered, deletes still in flight) is not a violation', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  cluster.objects.set(objectKey('ReplicaSet', 'default', 'rs'), object('ReplicaSet', 'rs', { replicas: 2 }));
  for (const name of ['rs-a', 'rs-b']) {
    const p = podInfo(makePod(name).owner('ReplicaSet', 'rs').obj());
    cluster.addPod(p);
    checker.watcher.podAdded!(p);
  }
  // The Deployment controller scales the ReplicaSet to 1; the delete of one pod has not committed.
  cluster.objects.set(objectKey('ReplicaSet', 'default', 'rs'), object('ReplicaSet', 'rs', { replicas: 1 }));
  checker.checkAll();
});

test('daemonset-pods: two active pods of one DaemonSet on one node fire; other nodes and other owners do not', () => {
  const ds = (name: string, owner = 'agent') => makePod(name).owner('DaemonSet', owner).obj();
  const { cluster } = setup([cpuNode('n1', '4'), cpuNode('n2', '4')]);
  cluster.objects.set(objectKey('DaemonSet', 'default', 'agent'), object('DaemonSet', 'agent', {}));
  cluster.objects.set(objectKey('DaemonSet', 'default', 'other'), object('DaemonSet', 'other', {}));
  const first = place(cluster, ds('agent-1'), 'n1');
  place(cluster, ds('agent-2'), 'n2');
  place(cluster, ds('other-1', 'other'), 'n1');
  // The first pod completes: a replacement on the same node is fine.
  cluster.setPhase(first, 'Succeeded');
  place(cluster, ds('agent-3'), 'n1');
  assertViolation(() => place(cluster, ds('agent-4'), 'n1'), 'daemonset-pods', 'DaemonSet default/agent has 2 active pods on node n1: default/agent-3, default/agent-4');
});

test('daemonset-pods: pods naming a DaemonSet that does not exist are not held to it', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  for (const name of ['x-1', 'x-2']) place(cluster, makePod(name).owner('DaemonSet', 'x').obj(), 'n1');
  checker.checkAll();
  assert.equal(checker.checks, 1);
});

// ---------------------------------------------------------------------------------------------
// The run option

test('checkInvariants: true is every event, N every N events, false off; the default follows KSIM_CHECK_INVARIANTS', () => {
  assert.equal(invariantCheckPeriod(true), 1);
  assert.equal(invariantCheckPeriod(25), 25);
  assert.equal(invariantCheckPeriod(false), 0);
  assert.throws(() => invariantCheckPeriod(0), /checkInvariants: expected true, false or a positive integer number of events, got 0/);
  assert.throws(() => invariantCheckPeriod(1.5), RangeError);
  const saved = process.env['KSIM_CHECK_INVARIANTS'];
  try {
    process.env['KSIM_CHECK_INVARIANTS'] = '1';
    assert.equal(invariantCheckPeriod(undefined), 1);
    assert.equal(invariantCheckPeriod(false), 0);
    process.env['KSIM_CHECK_INVARIANTS'] = '0';
    assert.equal(invariantCheckPeriod(undefined), 0);
    delete process.env['KSIM_CHECK_INVARIANTS'];
    assert.equal(invariantCheckPeriod(undefined), 0);
  } finally {
    if (saved === undefined) delete process.env['KSIM_CHECK_INVARIANTS'];
    else process.env['KSIM_CHECK_INVARIANTS'] = saved;
  }
});

test('InvariantViolation names the invariant, the time and the event in its message', () => {
  const v = new InvariantViolation('node-capacity', 1_500_000, 'scheduler.cycle-end default/a #12', 'node n1 has cpu 2000m > 1000m allocatable');
  assert.equal(v.message, 'invariant node-capacity broken at 1.500000 s after event scheduler.cycle-end default/a #12: node n1 has cpu 2000m > 1000m allocatable');
});

test('graceful-deletion: a running pod removed without being Terminating first is a violation', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const a = place(cluster, makePod('a').obj(), 'n1');
  checker.watcher.podAdded!(a);
  a.bound = true;
  checker.watcher.podBound!(a);
  cluster.deletePod(a);
  assertViolation(() => checker.watcher.podDeleted!(a, 'test'), 'graceful-deletion', 'pod default/a on node n1 was removed without being Terminating first');
});

// ---------------------------------------------------------------------------------------------
// cronjob-concurrency

test('cronjob-concurrency: a second unfinished Job of a Forbid CronJob fires; finished Jobs, Allow CronJobs and other owners do not', () => {
  const { cluster, checker } = setup([cpuNode('n1', '4')]);
  const cronJob = (name: string, concurrencyPolicy: string): WorkloadObject => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' }, spec: { schedule: '*/5 * * * *', concurrencyPolicy } });
  const job = (name: string, owner: string, status?: unknown): WorkloadObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: owner, uid: owner, controller: true }] },
    spec: {},
    ...(status === undefined ? {} : { status }),
  });
  const add = (o: WorkloadObject) => {
    cluster.objects.set(objectKey(o.kind, 'default', o.metadata.name), o);
    checker.watcher.objectAdded!(o);
  };
  add(cronJob('report', 'Forbid'));
  add(cronJob('loose', 'Allow'));
  add(job('report-1', 'report', { conditions: [{ type: 'Complete', status: 'True' }] }));
  add(job('report-2', 'report')); // the first finished: fine
  add(job('loose-1', 'loose'));
  add(job('loose-2', 'loose')); // Allow: concurrent Jobs are fine
  assertViolation(() => add(job('report-3', 'report')), 'cronjob-concurrency', 'CronJob default/report (concurrencyPolicy Forbid) created Job report-3 while its Job report-2 is still active');
});
