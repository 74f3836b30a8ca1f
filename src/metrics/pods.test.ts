// pods.csv on its own: the PodsCollector hearing pods bound, attempted, evicted, preempted and
// deleted as a run delivers them, checked against the definitions in pods.ts (a row when the pod
// leaves the store, in that order; then the pods still present by namespace and name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { ZONE_LABEL } from '../cluster/node-info.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { TypedRow } from './schema.js';
import { PodsCollector } from './pods.js';

const S = 1_000_000;

test('pods.csv: gone pods in the order they left, then the rest by namespace and name, with their attempts, zone, times and flags', () => {
  const node = (name: string, zone: string) => makeNode(name).capacity({ cpu: '8', memory: '16Gi', pods: 110 }).label(ZONE_LABEL, zone).obj();
  // `old` is bound in the start state (no podBound heard: its node's zone now).
  const cluster = buildCluster([node('n1', 'za'), node('n2', 'zb')], [makePod('old').namespace('b').node('n2').req({ cpu: '1', memory: '1Gi' }).obj()]);
  (cluster.pods.get('b/old') as PodInfo).boundUs = 0; // as the API server commits the start state
  const sim = new Simulation();
  const rows: TypedRow[] = [];
  const pods = new PodsCollector(sim, cluster, { add: (r) => rows.push(r) });
  const at = (s: number, fn: () => void) => sim.scheduleAt(s * S, 'test', '', fn);
  const made = new Map<string, PodInfo>();
  const create = (ns: string, name: string) => {
    const p = podInfo(makePod(name).namespace(ns).owner('ReplicaSet', 'web').req({ cpu: '500m', memory: '256Mi' }).obj(), sim.now);
    cluster.addPod(p);
    made.set(name, p);
    return p;
  };
  const attempt = (p: PodInfo, result: 'bound' | 'unschedulable') => pods.attempt({ timeUs: sim.now, pod: p, attempt: 1, result, node: '', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  const bind = (p: PodInfo, n: string) => {
    cluster.assume(p, cluster.mustNode(n));
    p.bound = true;
    p.boundUs = sim.now;
    attempt(p, 'bound');
    pods.watcher.podBound?.(p);
  };
  const remove = (p: PodInfo) => {
    cluster.deletePod(p);
    pods.watcher.podDeleted?.(p, 'test');
  };
  // Created after b/old in the order z/a9, a/w2, a/w1, b/w0 (store order): the pods left are
  // listed by namespace then name. early is created at 0 s and attempted at 0 s and 5 s.
  at(0, () => {
    const p = create('a', 'early');
    attempt(p, 'unschedulable');
  });
  at(5, () => attempt(made.get('early')!, 'unschedulable'));
  at(1, () => ['z:a9', 'a:w2', 'a:w1', 'b:w0', 'a:gone', 'a:evicted'].forEach((k) => create(...(k.split(':') as [string, string]))));
  // w2 is in its binding cycle at the end (assumed on n1, the bind not committed): no node yet.
  at(9, () => cluster.assume(made.get('w2')!, cluster.mustNode('n1')));
  // n1 is relabelled into zone zc after w1 was bound there: w1 keeps the zone it was bound in.
  at(8, () => cluster.updateNode('n1', { labels: { ...cluster.mustNode('n1').labels, [ZONE_LABEL]: 'zc' } }));
  at(2, () => attempt(made.get('w1')!, 'unschedulable'));
  at(3, () => bind(made.get('w1')!, 'n1'));
  at(4, () => {
    made.get('w1')!.startedUs = sim.now;
    made.get('w1')!.restarts = 2; // as its kubelet counts them
    cluster.setPhase(made.get('w1')!, 'Running');
  });
  at(2, () => bind(made.get('evicted')!, 'n2'));
  at(2, () => bind(made.get('a9')!, 'n2'));
  at(5, () => pods.preempted(made.get('a9')!));
  at(6, () => {
    pods.evicted(made.get('evicted')!);
    remove(made.get('evicted')!);
  });
  at(7, () => remove(made.get('gone')!)); // never attempted
  sim.run(10 * S);
  pods.finish();
  const cols = ['namespace', 'name', 'created_s', 'first_attempt_s', 'bound_s', 'started_s', 'deleted_s', 'node', 'zone', 'phase', 'attempts', 'restarts', 'evicted', 'preempted', 'cpu_requested_milli'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [
    ['a', 'evicted', 1, 2, 2, null, 6, 'n2', 'zb', 'Pending', 1, 0, true, false, 500],
    ['a', 'gone', 1, null, null, null, 7, null, null, 'Pending', 0, 0, false, false, 500],
    // Still present at the end, by namespace and name:
    ['a', 'early', 0, 0, null, null, null, null, null, 'Pending', 2, 0, false, false, 500],
    ['a', 'w1', 1, 2, 3, 4, null, 'n1', 'za', 'Running', 2, 2, false, false, 500],
    ['a', 'w2', 1, null, null, null, null, null, null, 'Pending', 0, 0, false, false, 500],
    ['b', 'old', 0, null, 0, null, null, 'n2', 'zb', 'Pending', 0, 0, false, false, 1000],
    ['b', 'w0', 1, null, null, null, null, null, null, 'Pending', 0, 0, false, false, 500],
    ['z', 'a9', 1, 2, 2, null, null, 'n2', 'zb', 'Pending', 1, 0, false, true, 500],
  ]);
});

test('pods.csv deletion_requested_s: when the deletion was requested, for a pod still Terminating at the end, one gone after its grace period, one deleted at once, and none for a pod never deleted', () => {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '8', memory: '16Gi', pods: 110 }).obj()], []);
  const sim = new Simulation();
  const rows: TypedRow[] = [];
  const pods = new PodsCollector(sim, cluster, { add: (r) => rows.push(r) });
  const at = (s: number, fn: () => void) => sim.scheduleAt(s * S, 'test', '', fn);
  const made = new Map<string, PodInfo>();
  at(0, () => {
    for (const name of ['live', 'stuck', 'graceful', 'unbound']) {
      const p = podInfo(makePod(name).namespace('shop').owner('ReplicaSet', 'api').req({ cpu: '1', memory: '1Gi' }).obj(), sim.now);
      cluster.addPod(p);
      made.set(name, p);
    }
  });
  at(1, () => {
    for (const name of ['live', 'stuck', 'graceful']) {
      const p = made.get(name)!;
      cluster.assume(p, cluster.mustNode('n1'));
      p.bound = true;
      p.boundUs = sim.now;
      pods.watcher.podBound?.(p);
    }
  });
  // Graceful deletions (as the API server makes them: Terminating, gone when the kubelet confirms).
  at(600, () => cluster.markTerminating(made.get('stuck')!, sim.now, 'scaled down'));
  at(100, () => cluster.markTerminating(made.get('graceful')!, sim.now, 'scaled down'));
  at(130, () => {
    cluster.deletePod(made.get('graceful')!);
    pods.watcher.podDeleted?.(made.get('graceful')!, 'scaled down');
  });
  // An unbound pod goes at once (no Terminating state): requested when deleted.
  at(200.5, () => {
    cluster.deletePod(made.get('unbound')!);
    pods.watcher.podDeleted?.(made.get('unbound')!, 'scaled down');
  });
  sim.run(720 * S);
  pods.finish();
  const cols = ['name', 'bound_s', 'deletion_requested_s', 'deleted_s'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [
    ['graceful', 1, 100, 130],
    ['unbound', null, 200.5, 200.5],
    ['live', 1, null, null],
    ['stuck', 1, 600, null],
  ]);
});

test('pods.csv <resource>_requested: each extended resource of the run, as nodes.csv counts it (0 for a pod asking none); no such column without one', () => {
  const node = makeNode('g1').capacity({ cpu: '8', memory: '16Gi', pods: 110, 'nvidia.com/gpu': '8', 'example.com/fpga': '2' }).obj();
  const run = (resources: readonly string[]) => {
    const cluster = buildCluster([node], [
      makePod('train').namespace('ml').node('g1').req({ cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '3' }).obj(),
      makePod('web').namespace('ml').node('g1').req({ cpu: '1', memory: '1Gi' }).obj(),
    ]);
    const rows: TypedRow[] = [];
    new PodsCollector(new Simulation(), cluster, { add: (r) => rows.push(r) }, resources).finish();
    return rows;
  };
  const rows = run(['example.com/fpga', 'nvidia.com/gpu']);
  assert.deepEqual(rows.map((r) => [r['name'], r['cpu_requested_milli'], r['example.com/fpga_requested'], r['nvidia.com/gpu_requested']]), [
    ['train', 2000, 0, 3],
    ['web', 1000, 0, 0],
  ]);
  assert.equal(Object.keys(run([])[0]!).some((c) => c.includes('/')), false);
});
