import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { makePod } from '../testing/builders.js';
import { ApiServer, fixedLatencyApiConfig } from './api-server.js';
import type { Distribution } from '../engine/distributions.js';

test('drainCommitLatencies: the etcd latencies of the writes committed since the last drain, exactly', () => {
  const sim = new Simulation();
  const config = fixedLatencyApiConfig(1000);
  // etcd proposes 1,000 writes a second (1 ms each, one after another), no fsync time, no
  // followers: the k-th of writes that all reach it at 1 ms commits k ms later.
  const api = new ApiServer(sim, new ClusterState(), { ...config, etcd: { ...config.etcd, maxWritesPerSecond: 1000 } }, new RandomStreams(1).stream('api'));
  for (let i = 0; i < 1000; i++) api.createPod(makePod(`p-${i}`).obj());
  sim.run();
  const first = api.drainCommitLatencies();
  assert.equal(first.length, 1000);
  // Nearest rank: the 990th smallest of 1, 2, ..., 1000 ms; the median the 500th.
  assert.deepEqual(first.quantiles([0.5, 0.99, 1]), [500_000, 990_000, 1_000_000]);
  assert.equal(api.drainCommitLatencies().length, 0);
  api.createPod(makePod('late').obj());
  sim.run();
  // The late write reaches an idle etcd: 1 ms to propose.
  assert.deepEqual(api.drainCommitLatencies().quantiles([0.99]), [1000]);
});

test('a write its client rate limit held reaches etcd in arrival order: it does not wait for writes sent after it, and etcd latency is etcd\'s alone', () => {
  // The API server takes 1 s per write; etcd 1 ms per proposal. The scheduler may write once a
  // second (burst 1); a user writes every 100 ms, unlimited.
  const run = (latency: Distribution) => {
    const sim = new Simulation();
    const base = fixedLatencyApiConfig(1_000_000);
    const config = { ...base, requestLatency: latency, etcd: { ...base.etcd, maxWritesPerSecond: 1000 }, clients: new Map([['scheduler', { qps: 1, burst: 1 }]]) };
    const user = new ApiServer(sim, new ClusterState(), config, new RandomStreams(1).stream('api'));
    const scheduler = user.forClient('scheduler');
    const committed = new Map<string, number>();
    const watch = { podAdded: (p: { name: string }) => void committed.set(p.name, sim.now) };
    user.observe(watch);
    // Three scheduler writes at 0: they leave at 0, 1 s and 2 s (the limit), reach etcd 1 s later.
    for (let i = 0; i < 3; i++) scheduler.createPod(makePod(`s-${i}`).obj());
    for (let k = 0; k < 30; k++) sim.scheduleAt(k * 100_000, 'user', '', () => user.createPod(makePod(`u-${k}`).obj()));
    sim.run();
    return { committed, latencies: user.drainCommitLatencies() };
  };
  const { committed, latencies } = run({ kind: 'constant', value: 1_000_000 });
  // s-1 leaves at 1 s and reaches etcd at 2 s, with u-10 (sent at 1 s, after it): it is proposed
  // first (1 ms); before the fix it was asked at 2 s, behind u-10..u-19 (which reach etcd up to
  // 2.9 s), and committed at 2.901 s.
  assert.equal(committed.get('s-0'), 1_001_000);
  assert.equal(committed.get('s-1'), 2_001_000);
  assert.equal(committed.get('u-10'), 2_002_000);
  assert.equal(committed.get('s-2'), 3_001_000);
  // Each write's etcd part: 1 ms, or 2 ms behind a write that reached etcd in the same µs.
  assert.deepEqual(latencies.quantiles([0.5, 1]), [1000, 2000]);
  // A random handling time: etcd is asked at each arrival, still in arrival order.
  const random = run({ kind: 'uniform', min: 500_000, max: 1_500_000 });
  assert.equal(random.committed.size, 33);
  assert.ok(random.latencies.quantiles([1])[0]! <= 3000, `etcd part at most a few proposals, got ${random.latencies.quantiles([1])[0]} µs`);
});

test('rate-limit holds count a write as sent when its limit lets it go by the run\'s end; one still waiting then is queued, with its wait up to the end', () => {
  // The scheduler may write once a second (burst 1); 10 writes at 0 leave at 0, 1, ..., 9 s. The
  // run ends at 5 s: 6 sent (0..5 s), 5 of them held, the longest 5 s; 4 still waiting, the
  // first since 0: 5 s so far. (Counted at the reservation, all 12 were sent and one held 9 s.)
  const sim = new Simulation();
  const config = { ...fixedLatencyApiConfig(1000), clients: new Map([['scheduler', { qps: 1, burst: 1 }]]) };
  const user = new ApiServer(sim, new ClusterState(), config, new RandomStreams(1).stream('api'));
  user.runsUntil(5_000_000);
  const scheduler = user.forClient('scheduler');
  for (let i = 0; i < 10; i++) scheduler.createPod(makePod(`s-${i}`).obj());
  // Two more at 3 s: their tokens come at 10 s and 11 s, waiting 2 s by the end (6 in all).
  sim.scheduleAt(3_000_000, 'late', '', () => {
    for (let i = 0; i < 2; i++) scheduler.createPod(makePod(`t-${i}`).obj());
  });
  let committed = 0;
  user.observe({ podAdded: () => void committed++ });
  sim.run(5_000_000);
  // s-5 leaves at 5 s and commits 1 ms later, after the end.
  assert.equal(committed, 5);
  assert.deepEqual(user.rateLimitHolds(), [{ client: 'scheduler', writes: 6, held: 5, maxWaitUs: 5_000_000, queued: 6, maxQueuedWaitUs: 5_000_000 }]);
});

test('PriorityClass writes: value and preemptionPolicy are immutable, and a second globalDefault class is refused (upstream ValidatePriorityClassUpdate, Priority admission)', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const refused: Array<[string, string, string | undefined]> = [];
  api.watch({ writeRejected: (object, reason, write) => void refused.push([object, reason, write]) });
  const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, namespace: '' }, value, ...extra }) as unknown as Parameters<ApiServer['createObject']>[0];
  const results: boolean[] = [];
  const done = (ok: boolean) => void results.push(ok);
  api.createObject(pc('d1', 10, { globalDefault: true }), done);
  sim.run();
  api.createObject(pc('d2', 20, { globalDefault: true }), done); // a second default
  api.updateObject(pc('d1', 99, { globalDefault: true }), done); // a new value
  api.updateObject(pc('d1', 10, { globalDefault: true, preemptionPolicy: 'Never' }), done);
  api.updateObject(pc('d1', 11, { preemptionPolicy: 'Never' }), done);
  api.createObject(pc('other', 5), done);
  sim.run();
  api.updateObject(pc('other', 5, { globalDefault: true }), done); // marked default while d1 is
  api.updateObject(pc('d1', 10, { globalDefault: true, description: 'the default' }), done); // d1 itself: allowed
  sim.run();
  assert.deepEqual(results, [true, false, false, false, false, true, false, true]);
  assert.deepEqual(refused, [
    ['PriorityClass d2', 'priorityclasses.scheduling.k8s.io "d2" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist', 'create'],
    ['PriorityClass d1', 'PriorityClass.scheduling.k8s.io "d1" is invalid: value: Forbidden: may not be changed in an update.', 'update'],
    ['PriorityClass d1', 'PriorityClass.scheduling.k8s.io "d1" is invalid: preemptionPolicy: Invalid value: "Never": field is immutable', 'update'],
    ['PriorityClass d1', 'PriorityClass.scheduling.k8s.io "d1" is invalid: [value: Forbidden: may not be changed in an update., preemptionPolicy: Invalid value: "Never": field is immutable]', 'update'],
    ['PriorityClass other', 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist', 'update'],
  ]);
  assert.equal(cluster.objects.get('PriorityClass//d1')?.['value'], 10);
  assert.equal(cluster.objects.has('PriorityClass//d2'), false);
});

test('NamespaceLifecycle: once Namespaces are declared, a create in a namespace that does not exist is NotFound and one in a Terminating namespace Forbidden; built-in namespaces and the start state\'s always exist (upstream plugin/namespace/lifecycle/admission.go)', () => {
  const ns = (name: string, phase?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, namespace: '' }, ...(phase === undefined ? {} : { status: { phase } }) }) as unknown as Parameters<ApiServer['createObject']>[0];
  const deployment = (namespace: string, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [] } } } }) as unknown as Parameters<ApiServer['createObject']>[0];
  const setup = () => {
    const sim = new Simulation();
    const cluster = new ClusterState();
    const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
    const refused: Array<[string, string]> = [];
    api.watch({ writeRejected: (object, reason) => void refused.push([object, reason]) });
    return { sim, cluster, api, refused };
  };
  // No Namespace declared: objects are created where they say.
  {
    const { sim, cluster, api, refused } = setup();
    api.createPod(makePod('a').namespace('nowhere').obj());
    api.createObject(deployment('nowhere', 'web'));
    sim.run();
    assert.deepEqual(refused, []);
    assert.equal(cluster.pods.size, 1);
  }
  // A snapshot with Namespace shop (Active) and gone (Terminating), and a pod in legacy, whose
  // Namespace the dump lacks.
  const { sim, cluster, api, refused } = setup();
  api.commitStartState({ nodes: [], objects: [ns('shop'), ns('gone', 'Terminating')], pods: [makePod('old').namespace('legacy').obj()] });
  api.createPod(makePod('a').namespace('shop').obj());
  api.createPod(makePod('b').namespace('shopp').obj());
  api.createPod(makePod('c').namespace('kube-system').obj());
  api.createPod(makePod('d').namespace('legacy').obj());
  const e = makePod('gone-7f9c-x2').namespace('gone').obj();
  e.metadata!.generateName = 'gone-7f9c-';
  api.createPod(e);
  api.createObject(deployment('gone', 'web'));
  api.createObject(deployment('nowhere', 'web'));
  api.createObject(ns('later'));
  sim.run();
  api.createObject(deployment('later', 'web'));
  sim.run();
  assert.deepEqual(refused, [
    ['shopp/b', 'namespaces "shopp" not found'],
    ['gone/gone-7f9c-x2', 'pods "gone-7f9c-" is forbidden: unable to create new content in namespace gone because it is being terminated'],
    ['Deployment web', 'deployments.apps "web" is forbidden: unable to create new content in namespace gone because it is being terminated'],
    ['Deployment web', 'namespaces "nowhere" not found'],
  ]);
  assert.deepEqual([...cluster.pods.keys()].sort(), ['kube-system/c', 'legacy/d', 'legacy/old', 'shop/a']);
  assert.equal(cluster.objects.has('Deployment/later/web'), true);
});

test('NamespaceLifecycle: declareNamespaces refuses creates in undeclared namespaces before any Namespace is stored (a scenario whose Namespace entry arrives later)', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const refused: string[] = [];
  api.watch({ writeRejected: (_o, reason) => void refused.push(reason) });
  api.declareNamespaces();
  api.createPod(makePod('a').namespace('batch').obj());
  api.createPod(makePod('b').obj());
  sim.run();
  assert.deepEqual(refused, ['namespaces "batch" not found']);
  assert.deepEqual([...cluster.pods.keys()], ['default/b']);
});
