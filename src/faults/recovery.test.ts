// recovery.csv and summary.csv's failure columns, driven by hand through the trackers' hooks
// (no scheduler, no controllers), with every expected value worked out from the definitions in
// recovery.ts.
//
// The story: ReplicaSet "web" (13 replicas, no Deployment) has 11 Running pods on n1 and 2 on n2;
// a bare pod also runs on n1. n1 goes down at 10 s (fault f1, 600 s long); it is NotReady at 60 s;
// at 100 s 10 of its web pods and the bare pod are evicted (web-10 stays, e.g. it tolerates the
// taint); the 10 replacements, created at 100 s, are bound and Running on n2 at 101, 102, ...,
// 110 s; n1 is Ready again at 610 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { AvailabilityTracker } from './availability.js';
import { RecoveryTracker } from './recovery.js';

const S = 1_000_000;

function replicaSet(replicas: number): WorkloadObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { replicas } };
}

/** Runs the story; `scaleTo` scales web at 200 s. Returns recovery.csv's row and the summary's
 * failure columns. */
function story(scaleTo?: number) {
  const node = (name: string) => makeNode(name).capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj();
  const web = (i: number, on: string) => makePod(`web-${i}`).owner('ReplicaSet', 'web').node(on).obj();
  const pods = [...Array.from({ length: 11 }, (_, i) => web(i, 'n1')), web(11, 'n2'), web(12, 'n2'), makePod('bare').node('n1').obj()];
  const cluster = buildCluster([node('n1'), node('n2')], pods);
  const sim = new Simulation();
  const availability = new AvailabilityTracker(sim, cluster);
  availability.watcher.objectAdded?.(replicaSet(13));
  for (const p of cluster.pods.values()) {
    cluster.setPhase(p, 'Running');
    availability.watcher.podPhaseChanged?.(p, 'Pending');
  }
  const recovery = new RecoveryTracker([{ id: 'f1', kind: 'nodeDown', target: 'n1', nodes: ['n1'], atUs: 10 * S, forUs: 600 * S }], cluster, availability);
  const setReady = (ready: boolean) => {
    const n = cluster.updateNode('n1', { ready });
    availability.watcher.nodeUpdated?.(n, n, n);
  };
  sim.scheduleAt(10 * S, 'fault.start', 'f1', () => recovery.faultStarted('f1', sim.now));
  sim.scheduleAt(60 * S, 'node.not-ready', 'n1', () => {
    setReady(false);
    recovery.nodeNotReady('n1', sim.now);
  });
  sim.scheduleAt(100 * S, 'evict', 'n1', () => {
    const victims = [...Array.from({ length: 10 }, (_, i) => `default/web-${i}`), 'default/bare'].map((k) => cluster.pods.get(k) as PodInfo);
    for (const p of victims) {
      recovery.evicted(p, sim.now);
      cluster.deletePod(p);
      availability.watcher.podDeleted?.(p, 'evicted');
    }
    for (let k = 1; k <= 10; k++) {
      const r = podInfo(makePod(`web-r${k}`).owner('ReplicaSet', 'web').obj(), sim.now);
      cluster.addPod(r);
      recovery.watcher.podAdded?.(r);
      sim.scheduleAt((100 + k) * S, 'bind', r.key, () => {
        cluster.assume(r, cluster.mustNode('n2'));
        r.bound = true;
        r.boundUs = sim.now;
        recovery.watcher.podBound?.(r);
        cluster.setPhase(r, 'Running');
        availability.watcher.podPhaseChanged?.(r, 'Pending');
      });
    }
  });
  if (scaleTo !== undefined) sim.scheduleAt(200 * S, 'scale', 'web', () => availability.watcher.objectUpdated?.(replicaSet(scaleTo), replicaSet(13)));
  sim.scheduleAt(610 * S, 'node.ready', 'n1', () => {
    setReady(true);
    recovery.faultEnded('f1', sim.now);
  });
  sim.run(900 * S);
  const rows = recovery.rows();
  assert.equal(rows.length, 1);
  return { row: rows[0] as Record<string, string | number>, summary: recovery.summaryColumns() };
}

test('recovery.csv: affected, rescheduled and lost pods, reschedule percentiles and availability, by their definitions', () => {
  const { row, summary } = story();
  assert.deepEqual(row, {
    fault_id: 'f1', kind: 'nodeDown', target: 'n1', start_s: '10', end_s: '610', detected_s: '60', first_eviction_s: '100',
    // 11 web pods + the bare pod were on n1 at the start.
    pods_affected: 12,
    // 10 evicted web pods replaced; lost = evicted (11) − rescheduled (10): the bare pod. web-10
    // was affected but never evicted, so it is not lost.
    pods_rescheduled: 10,
    pods_lost: 1,
    // Reschedule times 1, 2, ..., 10 s: nearest rank p50 = 5th, p99 = 10th (p90 would be 9).
    reschedule_p50_s: '5', reschedule_p99_s: '10', reschedule_max_s: '10',
    // 2 of 13 available while n1 is NotReady (60 s); 12 of 13 from 110 s; 13 when n1 is Ready at
    // 610 s, 600 s after the start.
    min_available_ratio: '0.153846',
    time_to_full_availability_s: '600',
  });
  // One fault: its time to full availability and its lowest ratio.
  assert.deepEqual(summary, { node_failures: 1, pods_evicted: 11, reschedule_p50_s: '5', reschedule_p99_s: '10', time_to_full_availability_max_s: '600', available_min_ratio: '0.153846' });
});

test('recovery.csv: a scale-down during the fault counts at once (web scaled to 12 at 200 s is whole then)', () => {
  const { row } = story(12);
  assert.equal(row['min_available_ratio'], '0.153846');
  assert.equal(row['time_to_full_availability_s'], '190');
});

test('recovery.csv: pods bound to the hit node after the start, before it is seen NotReady, are affected (and lost when evicted); bound elsewhere or after the end, not', () => {
  // n1 dies at 10 s (f1, until 610 s), NotReady at 60 s: the scheduler, still seeing it Ready,
  // binds bare pod late-1 there at 30 s and late-2 at 59 s; other-1 goes to n2 at 30 s. All three
  // and the 2 pods on n1 at the start are bare; the 4 on n1 are evicted at 100 s. after-1 is bound
  // to n1 at 700 s, after the end.
  const node = (name: string) => makeNode(name).capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj();
  const cluster = buildCluster([node('n1'), node('n2')], [makePod('a').node('n1').obj(), makePod('b').node('n1').obj()]);
  const sim = new Simulation();
  const recovery = new RecoveryTracker([{ id: 'f1', kind: 'nodeDown', target: 'n1', nodes: ['n1'], atUs: 10 * S, forUs: 600 * S }], cluster, null);
  const bind = (name: string, on: string, atS: number) => sim.scheduleAt(atS * S, 'bind', name, () => {
    const p = podInfo(makePod(name).obj(), sim.now);
    cluster.addPod(p);
    recovery.watcher.podAdded?.(p);
    cluster.assume(p, cluster.mustNode(on));
    p.bound = true;
    p.boundUs = sim.now;
    recovery.watcher.podBound?.(p);
  });
  sim.scheduleAt(10 * S, 'fault.start', 'f1', () => recovery.faultStarted('f1', sim.now));
  bind('late-1', 'n1', 30);
  bind('other-1', 'n2', 30);
  bind('late-2', 'n1', 59);
  sim.scheduleAt(60 * S, 'node.not-ready', 'n1', () => recovery.nodeNotReady('n1', sim.now));
  sim.scheduleAt(100 * S, 'evict', 'n1', () => {
    for (const p of [...(cluster.mustNode('n1').pods)]) {
      recovery.evicted(p, sim.now);
      cluster.deletePod(p);
    }
  });
  sim.scheduleAt(610 * S, 'node.ready', 'n1', () => {
    recovery.nodeReady('n1');
    recovery.faultEnded('f1', sim.now);
  });
  bind('after-1', 'n1', 700);
  sim.run(900 * S);
  const row = recovery.rows()[0] as Record<string, string | number>;
  assert.deepEqual([row['pods_affected'], row['pods_rescheduled'], row['pods_lost'], row['first_eviction_s']], [4, 0, 4, '100']);
  assert.equal(recovery.summaryValues()['pods_evicted'], 4);
});
