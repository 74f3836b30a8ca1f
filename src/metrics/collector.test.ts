// The metrics collector driven by hand (no scheduler): every timeseries.csv value and every
// summary.csv column it computes, against values worked out from the definitions in
// collector.ts.
//
// The story (samples every 10 s, run ends at 40 s): nodes n1 (4 CPU, 8 GiB) and n2 (4 CPU,
// 8 GiB, 2 example.com/gpu); the run's extended resources are example.com/gpu and nvidia.com/gpu
// (a pool that joins later: offered by no node yet). At 5 s pod a (2 CPU, 4 GiB) runs on n1; at
// 15 s pod g (1 CPU, 1 GiB, 1 GPU) runs on n2; at 25 s n2 goes NotReady; at 35 s n1 does too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { extendedResourcesOffered, MetricsCollector, NO_GROUP, RequestedPeaks } from './collector.js';
import { ZONE_LABEL } from '../cluster/node-info.js';
import { MicrosSamples } from './samples.js';

const S = 1_000_000;
const MS = 1_000;

function samplesOf(values: readonly number[]): MicrosSamples {
  const s = new MicrosSamples();
  for (const v of values) s.push(v);
  return s;
}

function story() {
  const cluster = buildCluster([
    makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(),
    makeNode('n2').capacity({ cpu: '4', memory: '8Gi', pods: 110, 'example.com/gpu': 2 }).obj(),
  ]);
  const sim = new Simulation();
  const metrics = new MetricsCollector(sim, cluster, 10 * S, 40 * S, ['example.com/gpu', 'nvidia.com/gpu']);
  // etcd commit latencies drained by each sample: none, 1..10 ms, none, 5 ms, none.
  const drains = [[], Array.from({ length: 10 }, (_, i) => (i + 1) * MS), [], [5 * MS], []];
  metrics.watchApi({ inFlight: 3, drainCommitLatencies: () => samplesOf(drains.shift() ?? []) });
  const run = (p: PodInfo, node: string) => {
    cluster.addPod(p);
    p.bound = true;
    cluster.assume(p, cluster.mustNode(node));
    cluster.setPhase(p, 'Running');
  };
  sim.scheduleAt(5 * S, 'test', 'a', () => run(podInfo(makePod('a').req({ cpu: '2', memory: '4Gi' }).obj()), 'n1'));
  sim.scheduleAt(15 * S, 'test', 'g', () => run(podInfo(makePod('g').req({ cpu: '1', memory: '1Gi', 'example.com/gpu': 1 }).obj()), 'n2'));
  sim.scheduleAt(25 * S, 'test', 'n2', () => cluster.updateNode('n2', { ready: false }));
  sim.scheduleAt(35 * S, 'test', 'n1', () => cluster.updateNode('n1', { ready: false }));
  sim.run(40 * S);
  metrics.finish();
  return metrics;
}

test('timeseries.csv: pods_available and requested ratios over Ready nodes, NotReady capacity, every extended resource, etcd p99', () => {
  const m = story();
  assert.deepEqual(m.timeseriesColumns(), [
    'time_s', 'nodes_ready', 'nodes_not_ready', 'pods_pending', 'pods_running', 'pods_available', 'pods_succeeded', 'pods_failed', 'pods_terminating',
    'cpu_requested_ratio', 'memory_requested_ratio', 'example.com/gpu_requested_ratio', 'nvidia.com/gpu_requested_ratio',
    'cpu_allocatable_not_ready_milli', 'memory_allocatable_not_ready_bytes', 'etcd_write_p99_ms', 'api_queue_depth',
  ]);
  const cols = m.timeseriesColumns();
  const GI = 1024 ** 3;
  assert.deepEqual(m.timeseries.map((r) => cols.map((c) => r[c])), [
    // Nothing placed: ratios 0 (nvidia.com/gpu: no node offers it, empty); no commit, no p99.
    ['0', 2, 0, 0, 0, 0, 0, 0, 0, '0', '0', '0', '', 0, 0, '', 3],
    // a: 2 of 8 CPUs, 4 of 16 GiB; p99 of 1, 2, ..., 10 ms is the 10th (p90 would be 9).
    ['10', 2, 0, 0, 1, 1, 0, 0, 0, '0.25', '0.25', '0', '', 0, 0, '10', 3],
    // + g: 3 of 8 CPUs, 5 of 16 GiB, 1 of 2 GPUs.
    ['20', 2, 0, 0, 2, 2, 0, 0, 0, '0.375', '0.3125', '0.5', '', 0, 0, '', 3],
    // n2 NotReady: g is Running but not available; Ready capacity is n1's alone (a: 2 of 4 CPUs,
    // 4 of 8 GiB) and no Ready node offers a GPU; n2's 4 CPUs and 8 GiB are NotReady capacity.
    ['30', 1, 1, 0, 2, 1, 0, 0, 0, '0.5', '0.5', '', '', 4000, 8 * GI, '5', 3],
    // Both NotReady: no Ready capacity, every ratio empty.
    ['40', 0, 2, 0, 2, 0, 0, 0, 0, '', '', '', '', 8000, 16 * GI, '', 3],
  ]);
});

test('summary.csv: latency percentiles by nearest rank and requested ratios as time-weighted means over Ready nodes', () => {
  const m = story();
  // Scheduling latency 1, 2, ..., 10 ms (creation at 0 → bound), plus a failed attempt that does
  // not count; startup latency 100, 200, ..., 1000 ms.
  for (let k = 1; k <= 10; k++) {
    const p = podInfo(makePod(`p${k}`).obj(), 0);
    m.attempt({ timeUs: k * MS, pod: p, attempt: 1, result: 'bound', node: 'n1', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: 0 });
    p.phase = 'Running';
    p.startedUs = k * 100 * MS;
    m.watcher.podPhaseChanged?.(p, 'Pending');
  }
  // The 1000 ms pod then succeeds: a phase change that is not to Running adds no startup latency.
  const done = podInfo(makePod('p10').obj(), 0);
  done.startedUs = 1000 * MS;
  done.phase = 'Succeeded';
  m.watcher.podPhaseChanged?.(done, 'Running');
  m.attempt({ timeUs: 50 * MS, pod: podInfo(makePod('late').obj(), 0), attempt: 1, result: 'unschedulable', node: '', reason: '0/2 nodes are available: 2 Insufficient cpu.', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  assert.deepEqual(m.summaryColumns(), {
    sched_latency_p50_ms: '5',
    sched_latency_p99_ms: '10',
    startup_latency_p50_ms: '500',
    startup_latency_p99_ms: '1000',
    // CPU: 0 for 5 s, 0.25 for 10 s, 0.375 for 10 s, 0.5 for 10 s, then no Ready capacity (left
    // out): (2.5 + 3.75 + 5) / 35 = 0.321429. Memory: (0.25·10 + 0.3125·10 + 0.5·10) / 35.
    cpu_requested_mean_ratio: '0.321429',
    memory_requested_mean_ratio: '0.303571',
  });
  assert.equal(m.podsBound, 10);
});

test('the latest failed attempt of each unbound pod is kept until it binds or is deleted', () => {
  const m = story();
  const p = podInfo(makePod('p').obj(), 0);
  const q = podInfo(makePod('q').obj(), 0);
  const attempt = (pod: PodInfo, result: 'bound' | 'unschedulable', reason: string) =>
    m.attempt({ timeUs: 0, pod, attempt: 1, result, node: result === 'bound' ? 'n1' : '', reason, queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  attempt(p, 'unschedulable', 'first');
  attempt(p, 'unschedulable', 'second');
  attempt(q, 'unschedulable', 'q reason');
  assert.deepEqual([...m.lastFailure.values()], [{ error: false, reason: 'second' }, { error: false, reason: 'q reason' }]);
  attempt(p, 'bound', '');
  m.watcher.podDeleted?.(q, 'deleted');
  assert.equal(m.lastFailure.size, 0);
});

test('extendedResourcesOffered: every extended resource any node offers, by allocatable or else capacity, sorted', () => {
  const nodes = [
    makeNode('cpu').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(),
    makeNode('gpu').capacity({ cpu: '4', 'nvidia.com/gpu': 8 }).obj(),
    { ...makeNode('fpga').obj(), status: { capacity: { cpu: '4', 'example.com/fpga': '2', 'hugepages-2Mi': '1Gi' } } },
  ];
  assert.deepEqual(extendedResourcesOffered(nodes), ['example.com/fpga', 'hugepages-2Mi', 'nvidia.com/gpu']);
});

test('extendedResourcesOffered and nodes.csv\'s columns leave out a hugepages size no node has any of (a native resource the kubelet reports as "0"), not an extended resource at 0', () => {
  const nodes = [
    { ...makeNode('a').obj(), status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', 'example.com/fpga': '0' } } },
    { ...makeNode('b').obj(), status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '512Mi' } } },
  ];
  assert.deepEqual(extendedResourcesOffered(nodes), ['example.com/fpga', 'hugepages-2Mi']);
  assert.deepEqual(buildCluster(nodes, []).extendedResourceNames(), ['example.com/fpga', 'hugepages-2Mi']);
});

test('summary.csv peaks of the story: 0.5 of the Ready CPU and memory, first reached at 25 s', () => {
  // CPU 0 → 0.25 (5 s) → 0.375 (15 s) → 0.5 (25 s: n1 alone, a's 2 of 4 CPUs) → none (35 s);
  // memory 0 → 0.25 → 0.3125 → 0.5 (4 of 8 GiB) → none. A ratio with no Ready node never counts.
  assert.deepEqual(story().peakValues(), { cpu_requested_peak_ratio: 0.5, memory_requested_peak_ratio: 0.5, requested_peak_s: 25 });
});

test('RequestedPeaks: each ratio\'s highest value, and when the larger of the two first reached its highest', () => {
  const p = new RequestedPeaks();
  const steps: [number, number, number][] = [[0, NaN, NaN], [10, 0.4, 0.7], [20, 0.9, 0.2], [30, 0.9, 0.1], [40, NaN, 0.95], [50, 0.95, NaN], [60, 0.3, 0.3], [70, 0.99, NaN]];
  const seen = steps.map(([t, cpu, mem]) => {
    p.update(t, cpu, mem);
    return [p.cpu, p.memory, p.atUs];
  });
  assert.deepEqual(seen, [
    [NaN, NaN, 0], // nothing defined: load 0 counts as the first peak
    [0.4, 0.7, 10], // load 0.7
    [0.9, 0.7, 20], // load 0.9
    [0.9, 0.7, 20], // load 0.9 again: not a new peak
    [0.9, 0.95, 40], // load 0.95 (cpu undefined: its peak stays)
    [0.95, 0.95, 40], // load 0.95 again: still first reached at 40
    [0.95, 0.95, 40],
    [0.99, 0.95, 70], // load 0.99 with memory undefined
  ]);
});

test('the requested peak of a cluster loaded at the start is at 0 s; a pod started at 0 s has startup latency 0', () => {
  // n1 (4 CPUs) holds a (2 CPUs, Running since 0 s) when the collector starts; a is deleted at
  // 10 s: the peak, 0.5, was at 0 s.
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()], [makePod('a').node('n1').req({ cpu: '2', memory: '1Gi' }).obj()]);
  const sim = new Simulation();
  const m = new MetricsCollector(sim, cluster, 10 * S, 20 * S, []);
  const a = cluster.pods.get('default/a') as PodInfo;
  a.startedUs = 0;
  cluster.setPhase(a, 'Running');
  m.watcher.podPhaseChanged?.(a, 'Pending');
  sim.scheduleAt(10 * S, 'test', 'a', () => cluster.deletePod(a));
  sim.run(20 * S);
  m.finish();
  assert.deepEqual(m.peakValues(), { cpu_requested_peak_ratio: 0.5, memory_requested_peak_ratio: 0.125, requested_peak_s: 0 });
  assert.deepEqual([m.summaryColumns()['startup_latency_p50_ms'], m.summaryColumns()['cpu_requested_mean_ratio']], ['0', '0.25']);
});

test('timeseries.csv by zone: each group\'s nodes, pods and ratios over its Ready nodes; a node NotReady from the start counts as such', () => {
  const node = (name: string, zone?: string, gpus = 0, fpgas = 0) => {
    const b = makeNode(name).capacity({ cpu: '4', memory: '8Gi', pods: 110, ...(gpus > 0 ? { 'example.com/gpu': gpus } : {}), ...(fpgas > 0 ? { 'example.com/fpga': fpgas } : {}) });
    return (zone === undefined ? b : b.label(ZONE_LABEL, zone)).obj();
  };
  const cluster = buildCluster([node('n1', 'za', 2), node('n2', 'zb', 2), node('n3', undefined, 0, 4)]);
  cluster.updateNode('n2', { ready: false });
  const run = (p: PodInfo, n: string) => {
    cluster.addPod(p);
    p.bound = true;
    cluster.assume(p, cluster.mustNode(n));
    cluster.setPhase(p, 'Running');
  };
  run(podInfo(makePod('a').req({ cpu: '1', memory: '2Gi', 'example.com/gpu': 1 }).obj()), 'n1');
  run(podInfo(makePod('b').req({ cpu: '2', memory: '1Gi' }).obj()), 'n2');
  run(podInfo(makePod('c').req({ cpu: '3', memory: '1Gi', 'example.com/fpga': 1 }).obj()), 'n3');
  // b2 is bound to n2 but not Running (its kubelet is unreachable): not running, not available.
  const b2 = podInfo(makePod('b2').req({ cpu: '1' }).obj());
  cluster.addPod(b2);
  b2.bound = true;
  cluster.assume(b2, cluster.mustNode('n2'));
  const sim = new Simulation();
  const m = new MetricsCollector(sim, cluster, 10 * S, 5 * S, ['example.com/fpga', 'example.com/gpu'], { groupBy: { key: 'zone', names: [NO_GROUP, 'za', 'zb'] } });
  sim.run(5 * S);
  m.finish();
  const [row] = m.timeseries;
  const cols = m.timeseriesColumns();
  const pick = (prefix: string) => Object.fromEntries(cols.filter((c) => c.startsWith(prefix)).map((c) => [c.slice(prefix.length), row?.[c]]));
  // The cluster: n2 NotReady (b Running there is not available); Ready CPU 4 + 4, of which 1 + 3
  // requested; Ready GPUs n1's 2, 1 requested.
  assert.deepEqual([row?.['nodes_ready'], row?.['nodes_not_ready'], row?.['pods_pending'], row?.['pods_running'], row?.['pods_available'], row?.['cpu_requested_ratio'], row?.['example.com/gpu_requested_ratio'], row?.['cpu_allocatable_not_ready_milli']], [2, 1, 1, 3, 2, '0.5', '0.5', 4000]);
  // c asks 1 of n3's 4 FPGAs; a 1 of n1's 2 GPUs.
  assert.deepEqual(pick(`zone=${NO_GROUP}:`), { nodes_ready: 1, nodes_not_ready: 0, pods_running: 1, pods_available: 1, cpu_requested_ratio: '0.75', memory_requested_ratio: '0.125', 'example.com/fpga_requested_ratio': '0.25', 'example.com/gpu_requested_ratio': '' });
  assert.deepEqual(pick('zone=za:'), { nodes_ready: 1, nodes_not_ready: 0, pods_running: 1, pods_available: 1, cpu_requested_ratio: '0.25', memory_requested_ratio: '0.25', 'example.com/fpga_requested_ratio': '', 'example.com/gpu_requested_ratio': '0.5' });
  assert.deepEqual(pick('zone=zb:'), { nodes_ready: 0, nodes_not_ready: 1, pods_running: 1, pods_available: 0, cpu_requested_ratio: '', memory_requested_ratio: '', 'example.com/fpga_requested_ratio': '', 'example.com/gpu_requested_ratio': '' });
});

test('placements.csv rows for preemption victims, terminated and evicted pods; refused writes grouped by reason and namespace', () => {
  const m = story();
  const p = podInfo(makePod('v').namespace('shop').owner('ReplicaSet', 'web').obj(), 0);
  m.preempted({ timeUs: 2 * S, victim: p, node: 'n1', reason: 'preempted by shop/high on node n1' });
  p.deletionUs = 2 * S;
  p.deletionReason = 'preempted';
  m.terminated(2.5 * S + 1600, p, 'n1'); // 0.5016 s Terminating: 0.502 at 3 digits
  m.evicted({ timeUs: 3 * S, pod: p, node: 'n1', reason: 'taint node.kubernetes.io/unreachable' });
  // Attempts: a binding that took no time has bind_ms 0; no binding, empty.
  m.attempt({ timeUs: 4 * S, pod: p, attempt: 3, result: 'bound', node: 'n2', reason: '', queueWaitUs: 1500, cycleUs: 250, bindUs: 0 });
  m.attempt({ timeUs: 5 * S, pod: p, attempt: 4, result: 'unschedulable', node: '', reason: 'no', queueWaitUs: 0, cycleUs: 1000, bindUs: -1 });
  const cols = ['time_s', 'pod', 'namespace', 'owner_kind', 'owner', 'attempt', 'result', 'node', 'reason', 'queue_wait_ms', 'cycle_ms', 'bind_ms'];
  assert.deepEqual(m.placements.map((r) => cols.map((c) => r[c])), [
    ['2', 'v', 'shop', 'ReplicaSet', 'web', '', 'preempted', 'n1', 'preempted by shop/high on node n1', '', '', ''],
    ['2.5016', 'v', 'shop', 'ReplicaSet', 'web', '', 'terminated', 'n1', 'terminating for 0.502s after: preempted', '', '', ''],
    ['3', 'v', 'shop', 'ReplicaSet', 'web', '', 'evicted', 'n1', 'taint node.kubernetes.io/unreachable', '', '', ''],
    ['4', 'v', 'shop', 'ReplicaSet', 'web', 3, 'bound', 'n2', '', '1.5', '0.25', '0'],
    ['5', 'v', 'shop', 'ReplicaSet', 'web', 4, 'unschedulable', '', 'no', '0', '1', ''],
  ]);
  m.watcher.writeRejected?.('shop/web-1', 'pods "web-1" is forbidden: exceeded quota', 'create', makePod('web-1').namespace('shop').owner('StatefulSet', 'web').obj());
  m.watcher.writeRejected?.('shop/web-2', 'pods "web-2" is forbidden: exceeded quota', 'create', makePod('web-2').namespace('shop').owner('StatefulSet', 'web').obj());
  m.watcher.writeRejected?.('lab/x', 'admission denied', 'create', makePod('x').namespace('lab').obj());
  // Another object's refused writes (not a pod: no namespace count), creates apart from updates.
  m.watcher.writeRejected?.('PriorityClass d2', 'priorityclasses.scheduling.k8s.io "d2" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist', 'create');
  m.watcher.writeRejected?.('PriorityClass d3', 'priorityclasses.scheduling.k8s.io "d3" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist', 'create');
  m.watcher.writeRejected?.('PriorityClass d1', 'PriorityClass.scheduling.k8s.io "d1" is invalid: value: Forbidden: may not be changed in an update.', 'update');
  assert.deepEqual([...m.rejected.values()], [
    { count: 2, first: 'shop/web-1', reason: 'pods "web-1" is forbidden: exceeded quota', write: 'create' },
    { count: 1, first: 'lab/x', reason: 'admission denied', write: 'create' },
    { count: 2, first: 'PriorityClass d2', reason: 'priorityclasses.scheduling.k8s.io "d2" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist', write: 'create' },
    { count: 1, first: 'PriorityClass d1', reason: 'PriorityClass.scheduling.k8s.io "d1" is invalid: value: Forbidden: may not be changed in an update.', write: 'update' },
  ]);
  // By workload: the bare pod lab/x counts for none.
  assert.deepEqual([...m.refusedByWorkload], [['StatefulSet/shop/web', { count: 2, reason: 'pods "web-1" is forbidden: exceeded quota' }]]);
});

test('refused pod creates count for the workload that asked: a Deployment\'s ReplicaSet\'s for the Deployment, each workload of a namespace apart', () => {
  const cluster = buildCluster([makeNode('n1').obj()]);
  const rs = (name: string, deployment: string | null) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'team-a', ...(deployment === null ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: deployment, controller: true }] }) }, spec: {} });
  cluster.objects.set('ReplicaSet/team-a/api-6b5', rs('api-6b5', 'api') as never);
  cluster.objects.set('ReplicaSet/team-a/ratio-7bd', rs('ratio-7bd', 'ratio') as never);
  cluster.objects.set('ReplicaSet/team-a/bare', rs('bare', null) as never);
  const m = new MetricsCollector(new Simulation(), cluster, 10 * S, 10 * S, []);
  const refuse = (name: string, owner: string, reason: string) => m.watcher.writeRejected?.(`team-a/${name}`, reason, 'create', makePod(name).namespace('team-a').owner('ReplicaSet', owner).obj());
  refuse('ratio-7bd-x', 'ratio-7bd', 'pods "ratio-7bd-x" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000');
  refuse('api-6b5-y', 'api-6b5', 'pods "api-6b5-y" is forbidden: exceeded quota: compute');
  refuse('api-6b5-z', 'api-6b5', 'pods "api-6b5-z" is forbidden: exceeded quota: compute');
  refuse('bare-w', 'bare', 'pods "bare-w" is forbidden: exceeded quota: compute');
  assert.deepEqual([...m.refusedByWorkload], [
    ['Deployment/team-a/ratio', { count: 1, reason: 'pods "ratio-7bd-x" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000' }],
    ['Deployment/team-a/api', { count: 2, reason: 'pods "api-6b5-y" is forbidden: exceeded quota: compute' }],
    ['ReplicaSet/team-a/bare', { count: 1, reason: 'pods "bare-w" is forbidden: exceeded quota: compute' }],
  ]);
});

test('a NotReady node that leaves the cluster no longer counts: the ratios are over the Ready nodes left', () => {
  // n1 (4 CPUs, a asks 1) Ready; n2 (4 CPUs, empty) NotReady, removed at 5 s. At 10 s: 1 of 4 CPUs,
  // 1 node Ready, none NotReady, no NotReady capacity.
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(), makeNode('n2').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()], [makePod('a').node('n1').req({ cpu: '1', memory: '1Gi' }).obj()]);
  const sim = new Simulation();
  const m = new MetricsCollector(sim, cluster, 10 * S, 10 * S, []);
  sim.scheduleAt(1 * S, 'test', 'n2', () => cluster.updateNode('n2', { ready: false }));
  sim.scheduleAt(5 * S, 'test', 'n2', () => cluster.removeNode('n2'));
  sim.run(10 * S);
  m.finish();
  const cols = ['time_s', 'nodes_ready', 'nodes_not_ready', 'cpu_requested_ratio', 'memory_requested_ratio', 'cpu_allocatable_not_ready_milli'];
  assert.deepEqual(m.timeseries.map((r) => cols.map((c) => r[c])), [
    ['0', 2, 0, '0.125', '0.0625', 0],
    ['10', 1, 0, '0.25', '0.125', 0],
  ]);
});

test('requested ratios over Ready nodes stay right as pods come and go on NotReady nodes (sums kept, not rescanned)', () => {
  // n1 NotReady from the start with pod s (1 CPU, 2 GiB) on it; n2, n3 Ready (4 CPU, 8 GiB each).
  // 0–10 s: Ready CPU 0 of 8. At 10 s a (2 CPU, 1 GiB) lands on NotReady n1: still 0 of 8.
  // At 20 s n2 goes NotReady with b (1 CPU, 4 GiB) placed on it at 25 s: Ready is n3 alone, 0 of 4.
  // At 30 s n1 comes back: Ready n1 + n3, CPU 3 of 8 (s and a), memory 3 of 16 GiB.
  // At 35 s a leaves n1: CPU 1 of 8, memory 2 of 16. At 40 s n2 (holding b) comes back: CPU 2 of 12,
  // memory 6 of 24 GiB; the run ends at 50 s.
  // Time-weighted CPU mean: (30·0 + 5·3/8 + 5·1/8 + 10·2/12) / 50 = (2.5 + 10/6) / 50 (n1, NotReady from
  // the start, is not Ready capacity before 30 s).
  const cluster = buildCluster(
    ['n1', 'n2', 'n3'].map((n) => makeNode(n).capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()),
    [makePod('s').node('n1').req({ cpu: '1', memory: '2Gi' }).obj()],
  );
  cluster.updateNode('n1', { ready: false });
  const sim = new Simulation();
  const m = new MetricsCollector(sim, cluster, 5 * S, 50 * S, []);
  const a = podInfo(makePod('a').req({ cpu: '2', memory: '1Gi' }).obj());
  const b = podInfo(makePod('b').req({ cpu: '1', memory: '4Gi' }).obj());
  const place = (p: PodInfo, node: string) => {
    cluster.addPod(p);
    p.bound = true;
    cluster.assume(p, cluster.mustNode(node));
  };
  sim.scheduleAt(10 * S, 'test', 'a', () => place(a, 'n1'));
  sim.scheduleAt(20 * S, 'test', 'n2', () => cluster.updateNode('n2', { ready: false }));
  sim.scheduleAt(25 * S, 'test', 'b', () => place(b, 'n2'));
  // c (1 CPU, 1 GiB) comes and goes on NotReady n2 in between: no trace once n2 is back.
  const c = podInfo(makePod('c').req({ cpu: '1', memory: '1Gi' }).obj());
  sim.scheduleAt(26 * S, 'test', 'c', () => place(c, 'n2'));
  sim.scheduleAt(27 * S, 'test', 'c', () => cluster.unplace(c));
  sim.scheduleAt(30 * S, 'test', 'n1', () => cluster.updateNode('n1', { ready: true }));
  sim.scheduleAt(35 * S, 'test', 'a', () => cluster.unplace(a));
  sim.scheduleAt(40 * S, 'test', 'n2', () => cluster.updateNode('n2', { ready: true }));
  sim.run(50 * S);
  m.finish();
  const cols = ['time_s', 'nodes_ready', 'cpu_requested_ratio', 'memory_requested_ratio', 'cpu_allocatable_not_ready_milli'];
  assert.deepEqual(m.timeseries.map((r) => cols.map((c) => r[c])), [
    ['0', 2, '0', '0', 4000],
    ['5', 2, '0', '0', 4000],
    ['10', 2, '0', '0', 4000],
    ['15', 2, '0', '0', 4000],
    ['20', 1, '0', '0', 8000],
    ['25', 1, '0', '0', 8000],
    ['30', 2, '0.375', '0.1875', 4000],
    ['35', 2, '0.125', '0.125', 4000],
    ['40', 3, '0.166667', '0.25', 0],
    ['45', 3, '0.166667', '0.25', 0],
    ['50', 3, '0.166667', '0.25', 0],
  ]);
  assert.ok(Math.abs(m.cpuRequestedMeanRatio() - (2.5 + 10 / 6) / 50) < 1e-12);
  // Memory: (5·3/16 + 5·2/16 + 10·6/24) / 50 (0 before 30 s).
  assert.ok(Math.abs(m.memoryRequestedMeanRatio() - (15 / 16 + 10 / 16 + 2.5) / 50) < 1e-12);
});

test('pods assumed by the scheduler count in the requested ratios and the peak only from their binding (the API server\'s view), also across a NotReady flip', () => {
  // n1 and n2, 4 CPU / 8 GiB each (8 CPU, 16 GiB). a (2 CPU, 4 GiB) is assumed onto n1 at 0 s and
  // bound at 30 s (a rate-limited scheduler client); b (2 CPU, 2 GiB) is assumed onto n2 at 0 s,
  // n2 goes NotReady at 10 s and Ready at 20 s, and b is bound at 40 s; c is assumed onto n1 at
  // 5 s and its binding fails at 15 s (forgotten: never counted).
  const cluster = buildCluster(['n1', 'n2'].map((n) => makeNode(n).capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()));
  const sim = new Simulation();
  const m = new MetricsCollector(sim, cluster, 10 * S, 60 * S, []);
  const a = podInfo(makePod('a').req({ cpu: '2', memory: '4Gi' }).obj());
  const b = podInfo(makePod('b').req({ cpu: '2', memory: '2Gi' }).obj());
  const c = podInfo(makePod('c').req({ cpu: '1', memory: '1Gi' }).obj());
  const assume = (p: PodInfo, node: string) => {
    cluster.addPod(p);
    cluster.assume(p, cluster.mustNode(node));
  };
  const bind = (p: PodInfo) => {
    p.bound = true;
    m.watcher.podBound?.(p);
  };
  sim.scheduleAt(0, 'test', 'a', () => assume(a, 'n1'));
  sim.scheduleAt(0, 'test', 'b', () => assume(b, 'n2'));
  sim.scheduleAt(5 * S, 'test', 'c', () => assume(c, 'n1'));
  sim.scheduleAt(10 * S, 'test', 'n2', () => cluster.updateNode('n2', { ready: false }));
  sim.scheduleAt(15 * S, 'test', 'c', () => cluster.forget(c));
  sim.scheduleAt(20 * S, 'test', 'n2', () => cluster.updateNode('n2', { ready: true }));
  sim.scheduleAt(30 * S, 'test', 'a', () => bind(a));
  sim.scheduleAt(40 * S, 'test', 'b', () => bind(b));
  sim.run(60 * S);
  m.finish();
  const cols = m.timeseriesColumns();
  const at = (c: string) => m.timeseries.map((r) => r[c]);
  // Samples at 0 … 60 s (after the test's events at 30 and 40 s, scheduled earlier): nothing
  // bound before 30 s, then a's 2 of 8 CPU, from 40 s a and b's 4 of 8.
  assert.ok(cols.includes('cpu_requested_ratio'));
  assert.deepEqual(at('cpu_requested_ratio'), ['0', '0', '0', '0.25', '0.5', '0.5', '0.5']);
  assert.deepEqual(at('memory_requested_ratio'), ['0', '0', '0', '0.25', '0.375', '0.375', '0.375']);
  // Means over 60 s: CPU 0.25 × 10/60 + 0.5 × 20/60 = 0.208333; memory 0.25 × 10/60 + 0.375 × 20/60.
  assert.ok(Math.abs(m.cpuRequestedMeanRatio() - (0.25 * 10 + 0.5 * 20) / 60) < 1e-12, String(m.cpuRequestedMeanRatio()));
  assert.ok(Math.abs(m.memoryRequestedMeanRatio() - (0.25 * 10 + 0.375 * 20) / 60) < 1e-12, String(m.memoryRequestedMeanRatio()));
  assert.deepEqual(m.peakValues(), { cpu_requested_peak_ratio: 0.5, memory_requested_peak_ratio: 0.375, requested_peak_s: 40 });
  assert.equal(m.isAssumed(a) || m.isAssumed(b) || m.isAssumed(c), false);
});

test('pods_available leaves out Terminating pods still Running on Ready nodes, as workloads.csv does', async () => {
  const { runScenario } = await import('../run/run-scenario.js');
  const { parseScenario } = await import('../workload/scenario.js');
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
          spec: { terminationGracePeriodSeconds: 30, containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 2m
cluster:
  nodePools: [{ name: a, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
metrics: { sampleInterval: 10s, groupBy: pool }
workload:
  - name: web
    at: 0s${deployment(4)}  - name: scale-down
    at: 60s${deployment(2)}`;
  const r = runScenario(parseScenario(text, 'terminating.yaml'));
  const ts = r.tables.find((t) => t.file === 'timeseries.csv')?.rows ?? [];
  const at = (s: string) => ts.find((x) => x['time_s'] === s)!;
  const cols = ['pods_running', 'pods_terminating', 'pods_available', 'pool=a:pods_running', 'pool=a:pods_available'];
  // 50 s: 4 Running, all available. 70 s: the 2 removed pods are Terminating (30 s grace), still
  // Running, not available. 100 s: gone.
  assert.deepEqual(cols.map((c) => at('50')[c]), [4, 0, 4, 4, 4]);
  assert.deepEqual(cols.map((c) => at('70')[c]), [4, 2, 2, 4, 2]);
  assert.deepEqual(cols.map((c) => at('100')[c]), [2, 0, 2, 2, 2]);
  const web = r.tables.find((t) => t.file === 'workloads.csv')?.rows[0];
  assert.equal(web?.['ready'], 2);
});

test('timeseries.csv ends with a sample at the end of the run, after its last events, whether or not the interval divides the duration, and only once', () => {
  const runFor = (intervalS: number) => {
    const cluster = buildCluster([makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()]);
    const sim = new Simulation();
    const m = new MetricsCollector(sim, cluster, intervalS * S, 20 * S, []);
    const run = (name: string) => {
      const p = podInfo(makePod(name).req({ cpu: '1', memory: '1Gi' }).obj());
      cluster.addPod(p);
      p.bound = true;
      cluster.assume(p, cluster.mustNode('n1'));
      cluster.setPhase(p, 'Running');
    };
    sim.scheduleAt(3 * S, 'test', 'a', () => run('a'));
    // Queued at 15 s for 20 s: after a sample event of the end's instant would have been.
    sim.scheduleAt(15 * S, 'test', 'later', () => sim.scheduleAt(20 * S, 'test', 'b', () => run('b')));
    sim.run(20 * S);
    m.finish();
    m.finish(); // once
    return m.timeseries.map((r) => [r['time_s'], r['pods_running'], r['cpu_requested_ratio']]);
  };
  // 7 s does not divide 20 s: 0, 7, 14, then the end, 20, with b.
  assert.deepEqual(runFor(7), [['0', 0, '0'], ['7', 1, '0.25'], ['14', 1, '0.25'], ['20', 2, '0.5']]);
  // 10 s does: the end's row is written once, and has b (its event came after the 10 s sample).
  assert.deepEqual(runFor(10), [['0', 0, '0'], ['10', 1, '0.25'], ['20', 2, '0.5']]);
  // Longer than the run: the start and the end.
  assert.deepEqual(runFor(60), [['0', 0, '0'], ['20', 2, '0.5']]);
});

test('waitValues: the longest creation → binding, and the pods that waited unbound over 60 s — bound later, deleted unbound later, or still unbound at the end that long', () => {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()]);
  const sim = new Simulation();
  const m = new MetricsCollector(sim, cluster, 10 * S, 200 * S, []);
  const bind = (name: string, createdS: number, boundS: number) => sim.scheduleAt(boundS * S, 'test', name, () => m.attempt({ timeUs: boundS * S, pod: podInfo(makePod(name).obj(), createdS * S), attempt: 1, result: 'bound', node: 'n1', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: 0 }));
  bind('fast', 0, 1);
  bind('slow', 10, 81.5); // 71.5 s: over
  bind('edge', 0, 60); // 60 s exactly: not over
  // Deleted unbound: after 61 s (over) and after 30 s (not).
  const gone = podInfo(makePod('gone').obj(), 0);
  const quick = podInfo(makePod('quick').obj(), 0);
  cluster.addPod(gone);
  cluster.addPod(quick);
  const del = (p: PodInfo, atS: number) => sim.scheduleAt(atS * S, 'test', p.name, () => {
    cluster.deletePod(p);
    m.watcher.podDeleted?.(p, 'test');
  });
  del(gone, 61);
  del(quick, 30);
  // Unbound at the end (200 s): created at 100 s (100 s: over) and at 150 s (50 s: not).
  cluster.addPod(podInfo(makePod('waiting').obj(), 100 * S));
  cluster.addPod(podInfo(makePod('recent').obj(), 150 * S));
  sim.run(200 * S);
  m.finish();
  assert.deepEqual(m.waitValues(), { sched_latency_max_ms: 71_500, pods_waited_over_60s: 3 });
});
