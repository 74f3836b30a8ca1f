// recovery.csv on its own: the RecoveryTracker and the AvailabilityTracker driven by hand with
// the calls a run makes (fault start, NotReady, evictions, replacement pods added and bound, pod
// phases, node readiness), checked column by column against the definitions in recovery.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Simulation } from '../engine/simulation.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { AvailabilityTracker } from './availability.js';
import { RecoveryTracker } from './recovery.js';
import type { FaultSpec } from './spec.js';

const S = 1_000_000;

function nodeDown(id: string, nodes: string[], atS: number, forS: number | null = null): FaultSpec {
  return { id, kind: 'nodeDown', target: nodes.join(';'), nodes, atUs: atS * S, forUs: forS === null ? null : forS * S };
}

const owned = (name: string, rs: string, node?: string): Pod => {
  const w = makePod(name).owner('ReplicaSet', rs);
  return (node === undefined ? w : w.node(node)).obj();
};

function objects(): WorkloadObject[] {
  const deploy = (name: string, replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas } });
  const rs = (name: string, owner: string): WorkloadObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner, uid: owner, controller: true }] },
    spec: { replicas: 0 },
  });
  return [deploy('web', 3), rs('web-1', 'web'), deploy('db', 1), rs('db-1', 'db')];
}

/** n1, n2; web (3 replicas: a, b on n1, c on n2), db (1: d on n2), a bare pod e on n1 and a
 * completed pod f on n1; every pod Running except f (Succeeded). */
function harness(faults: FaultSpec[]) {
  const sim = new Simulation();
  const cluster = buildCluster(
    [makeNode('n1').capacity({ cpu: '8', pods: 110 }).obj(), makeNode('n2').capacity({ cpu: '8', pods: 110 }).obj()],
    [owned('a', 'web-1', 'n1'), owned('b', 'web-1', 'n1'), owned('c', 'web-1', 'n2'), owned('d', 'db-1', 'n2'), makePod('e').node('n1').obj(), owned('f', 'web-1', 'n1')],
  );
  const availability = new AvailabilityTracker(sim, cluster);
  const recovery = new RecoveryTracker(faults, cluster, availability);
  for (const o of objects()) {
    cluster.objects.set(`${o.kind}/default/${o.metadata.name}`, o);
    availability.watcher.objectAdded?.(o);
  }
  const pod = (name: string) => cluster.pods.get(`default/${name}`) as PodInfo;
  const phase = (p: PodInfo, ph: 'Running' | 'Succeeded') => {
    const from = p.phase;
    cluster.setPhase(p, ph);
    availability.watcher.podPhaseChanged?.(p, from);
  };
  for (const n of ['a', 'b', 'c', 'd', 'e']) phase(pod(n), 'Running');
  phase(pod('f'), 'Succeeded');
  const at = (s: number, fn: () => void) => sim.scheduleAt(s * S, 'test.step', '', fn);
  const setReady = (node: string, ready: boolean) => {
    const n = cluster.updateNode(node, { ready });
    availability.watcher.nodeUpdated?.(n, n, n);
  };
  /** The eviction of `p` at `s` and its deletion. */
  const evict = (p: PodInfo, s: number) => {
    recovery.evicted(p, s * S);
    cluster.deletePod(p);
    availability.watcher.podDeleted?.(p, 'evicted');
  };
  /** A replacement created at `createdS`, bound to n2 at `boundS`, Running at `runningS`. */
  const replace = (name: string, rs: string, createdS: number, boundS: number, runningS: number) => {
    at(createdS, () => {
      const p = podInfo(owned(name, rs), createdS * S);
      cluster.addPod(p);
      recovery.watcher.podAdded?.(p);
      at(boundS, () => {
        cluster.assume(p, cluster.mustNode('n2'));
        p.bound = true;
        p.boundUs = boundS * S;
        recovery.watcher.podBound?.(p);
      });
      at(runningS, () => phase(p, 'Running'));
    });
  };
  return { sim, cluster, recovery, availability, pod, at, setReady, evict, replace };
}

test('a node down: affected, detected, evictions, reschedule times, lost pods and availability, column by column', () => {
  const h = harness([nodeDown('f1', ['n1'], 100), nodeDown('f2', ['n2'], 5000)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(140, () => h.recovery.nodeNotReady('n2', 140 * S)); // not a node of f1
  h.at(150, () => {
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false); // a and b unavailable: web 1 of 3
  });
  h.at(155, () => h.recovery.nodeNotReady('n1', 155 * S)); // detected stays 150
  h.at(450, () => h.evict(h.pod('a'), 450));
  h.at(451, () => h.evict(h.pod('b'), 451));
  h.at(452, () => h.evict(h.pod('e'), 452)); // bare: never replaced
  h.at(460, () => h.evict(h.pod('c'), 460)); // not affected (n2): counted in the summary only
  h.replace('a2', 'web-1', 450.5, 450.75, 452); // replaces a: 0.75 s
  h.replace('b2', 'web-1', 451.5, 453, 455); // replaces b: 2 s; web whole again at 455 s
  h.replace('c2', 'web-1', 461, 461.25, 462); // replaces c: 1.25 s (not f1's)
  h.at(600, () => h.setReady('n2', false)); // after f1's window closed (455 s): not f1's business
  h.sim.run(1000 * S);
  assert.deepEqual(h.recovery.rows(), [{
    fault_id: 'f1',
    kind: 'nodeDown',
    target: 'n1',
    start_s: '100',
    end_s: '',
    detected_s: '150',
    first_eviction_s: '450',
    pods_affected: 3, // a, b, e (f had completed)
    pods_rescheduled: 2,
    pods_lost: 1, // e
    reschedule_p50_s: '0.75', // of [0.75, 2]: the first at rank ceil(0.5 × 2) = 1
    reschedule_p99_s: '2',
    reschedule_max_s: '2',
    min_available_ratio: '0.333333', // web 1 of 3 (db on n2 was not affected)
    time_to_full_availability_s: '355', // whole at 455 s (b2 Running), from 100 s
  }]);
  assert.equal(h.recovery.podsEvicted, 4);
  assert.equal(h.recovery.nodeFailures, 1);
  assert.deepEqual(h.recovery.allRescheduleUs, [0.75 * S, 2 * S, 1.25 * S]);
});

test('a fault that never makes an affected workload fall below whole: ratio 1, whole at once (0)', () => {
  // n2 down for 60 s: c (web) and d (db) are affected, but n2 stays Ready (a kubelet flap too
  // short to be noticed) and nothing is evicted.
  const h = harness([nodeDown('f1', ['n2'], 100, 60)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(160, () => h.recovery.faultEnded('f1', 160 * S));
  h.at(165, () => h.recovery.leaseSeen('n2')); // the controller sees n2's lease again: f1 is over
  h.at(200, () => h.setReady('n2', false)); // after the fault ended, its window closed: not counted
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['end_s'], row?.['detected_s'], row?.['first_eviction_s'], row?.['pods_affected'], row?.['pods_rescheduled'], row?.['pods_lost'], row?.['reschedule_p50_s'], row?.['reschedule_p99_s'], row?.['reschedule_max_s'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['160', '', '', 2, 0, 0, '', '', '', '1', '0']);
});

test('availability that falls and is not whole again by the end leaves time_to_full_availability_s empty', () => {
  const h = harness([nodeDown('f1', ['n2'], 100)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => h.setReady('n2', false)); // c (web) and d (db) unavailable: (2 + 0) / (3 + 1)
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['0.5', '']);
  // workloads.csv: web lost 1 of 3 from 150 s to the end (1000 s), db 1 of 1.
  assert.deepEqual(h.availability.table(1000 * S).rows, [
    { kind: 'Deployment', namespace: 'default', name: 'db', desired: 1, ready: 0, available_min_ratio: '0', unavailable_s: '850' },
    { kind: 'Deployment', namespace: 'default', name: 'web', desired: 3, ready: 2, available_min_ratio: '0.666667', unavailable_s: '850' },
  ]);
});

test('two overlapping faults: each counts its own nodes\' pods; a NotReady node detects only the faults that hit it and have started', () => {
  const h = harness([nodeDown('f1', ['n1'], 100), nodeDown('f2', ['n1', 'n2'], 120), nodeDown('f3', ['n2'], 9000)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(110, () => h.recovery.nodeNotReady('n2', 110 * S)); // f2 has not started yet
  h.at(120, () => h.recovery.faultStarted('f2', 120 * S));
  h.at(150, () => h.recovery.nodeNotReady('n1', 150 * S));
  h.at(450, () => h.evict(h.pod('a'), 450));
  h.sim.run(1000 * S);
  const rows = h.recovery.rows();
  assert.deepEqual(rows.map((r) => [r['fault_id'], r['detected_s'], r['first_eviction_s'], r['pods_affected'], r['pods_rescheduled'], r['pods_lost']]), [
    ['f1', '150', '450', 3, 0, 1],
    ['f2', '150', '450', 5, 0, 1],
  ]);
  assert.equal(h.recovery.nodeFailures, 3); // f1's node, f2's two
});

test('a workload with more pods available than its target at the start (a scale-down under way) counts only its target', () => {
  // web scaled from 3 to 2 at 50 s: its target drops at once, its 3 pods stay available, so at
  // f1's start it counts min(3, 2) = 2 of 2. n1 (a, b) NotReady at 150 s: web has 1 available,
  // min(1, 2) = 1 of 2.
  const h = harness([nodeDown('f1', ['n1'], 100)]);
  const web = (replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas } });
  h.at(50, () => h.availability.watcher.objectUpdated?.(web(2), web(3)));
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => h.setReady('n1', false));
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['pods_affected'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], [3, '0.5', '']);
});

test('two faults over one workload: each is charged only with the losses of its own pods', () => {
  // f1 (n1: a, b of web) from 100 s, f2 (n2: c of web, d of db) from 120 s, both for ever. n1
  // NotReady at 150 s: web 1 of 3, f1 = 1/3; n1 Ready at 200 s: whole again 100 s after f1's
  // start. f2's ratio fell to (1 + 1) / (3 + 1) too, but by f1's pods: n2 stayed Ready, none of
  // its pods was lost, so f2 caused no drop (1, 0 s).
  const h = harness([nodeDown('f1', ['n1'], 100), nodeDown('f2', ['n2'], 120)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(120, () => h.recovery.faultStarted('f2', 120 * S));
  h.at(150, () => h.setReady('n1', false));
  h.at(200, () => h.setReady('n1', true));
  h.sim.run(1000 * S);
  assert.deepEqual(h.recovery.rows().map((r) => [r['fault_id'], r['min_available_ratio'], r['time_to_full_availability_s']]), [
    ['f1', '0.333333', '100'],
    ['f2', '1', '0'],
  ]);
});

test('a fault that starts while its workloads are already short starts below whole, but the shortfall is not its drop', () => {
  // n1 NotReady at 150 s (web 1 of 3); f2 on n2 (c of web, d of db) starts at 160 s: (1 + 1) / 4,
  // its min_available_ratio; it loses no pod, so it caused no drop: 0 s.
  const h = harness([nodeDown('f1', ['n1'], 100), nodeDown('f2', ['n2'], 160)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => h.setReady('n1', false));
  h.at(160, () => h.recovery.faultStarted('f2', 160 * S));
  h.at(200, () => h.setReady('n1', true));
  h.sim.run(1000 * S);
  const f2 = h.recovery.rows().find((r) => r['fault_id'] === 'f2');
  assert.deepEqual([f2?.['min_available_ratio'], f2?.['time_to_full_availability_s']], ['0.5', '0']);
});

test('a fault still open keeps following a workload another fault was whole again over', () => {
  // f1 (n1: a, b of web) from 100 s for 55 s; f2 (n2: c of web, d of db) from 120 s. 150 s: n1
  // NotReady, f1 = 1/3. 155 s: d evicted, f2's drop: (1 + 0)/4 = 0.25. 160 s: n1 Ready, web
  // whole: f1's drop ends (60 s) and f1, over and its node back, lets go of web; f2 = (3 + 0)/4
  // stays open. 170 s: n1 and n2 NotReady: web 0 of 3, 0/4 in all, f2's minimum (it must still
  // hear web after f1 let go of it; a's and b's loss counts though not its own).
  const h = harness([nodeDown('f1', ['n1'], 100, 55), nodeDown('f2', ['n2'], 120)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(120, () => h.recovery.faultStarted('f2', 120 * S));
  h.at(150, () => {
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false);
  });
  h.at(155, () => {
    h.recovery.faultEnded('f1', 155 * S);
    h.recovery.leaseSeen('n1');
    h.evict(h.pod('d'), 155);
  });
  h.at(160, () => {
    h.recovery.nodeReady('n1');
    h.setReady('n1', true);
  });
  h.at(170, () => {
    h.setReady('n1', false);
    h.setReady('n2', false);
  });
  h.sim.run(1000 * S);
  assert.deepEqual(h.recovery.rows().map((r) => [r['fault_id'], r['min_available_ratio'], r['time_to_full_availability_s']]), [
    ['f1', '0.333333', '60'], // its window closed at 160 s
    ['f2', '0', ''],
  ]);
});

test('without an availability tracker, recovery.csv leaves the availability columns empty', () => {
  const sim = new Simulation();
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '8', pods: 110 }).obj()], [owned('a', 'web-1', 'n1')]);
  const recovery = new RecoveryTracker([nodeDown('f1', ['n1'], 10)], cluster);
  sim.scheduleAt(10 * S, 'test.step', '', () => recovery.faultStarted('f1', 10 * S));
  sim.run(100 * S);
  const [row] = recovery.rows();
  assert.deepEqual([row?.['pods_affected'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], [1, '', '']);
});

test('a bare pod evicted is lost even if another bare pod is created and bound after it', () => {
  const h = harness([nodeDown('f1', ['n1'], 100)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => h.recovery.nodeNotReady('n1', 150 * S));
  h.at(450, () => h.evict(h.pod('e'), 450));
  h.at(460, () => {
    const p = podInfo(makePod('other').node('n2').obj(), 460 * S);
    h.cluster.addPod(p);
    h.recovery.watcher.podAdded?.(p);
    p.bound = true;
    p.boundUs = 461 * S;
    h.recovery.watcher.podBound?.(p);
  });
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['pods_rescheduled'], row?.['pods_lost']], [0, 1]);
});

test('a pod assumed on a node but not yet bound when the fault starts is not affected', () => {
  // g is in its binding cycle on n1 (assumed, the bind not committed) at f1's start: only a, b
  // and e were bound there (f had completed), so pods_affected stays 3; g bound later changes
  // nothing.
  const h = harness([nodeDown('f1', ['n1'], 100)]);
  const g = podInfo(makePod('g').obj(), 90 * S);
  h.at(90, () => {
    h.cluster.addPod(g);
    h.cluster.assume(g, h.cluster.mustNode('n1'));
  });
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(101, () => {
    g.bound = true;
  });
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.equal(row?.['pods_affected'], 3);
});

test('a fault that ends while its workloads are still short stays open until they are whole', () => {
  // f1 (n1: a, b of web) from 100 s for 60 s. n1 NotReady at 150 s: web 1 of 3. The kubelet is
  // back at 160 s (the fault ends) but the node is seen Ready only at its next status update, at
  // 165 s (upstream: nodeStatusUpdateFrequency, pkg/kubelet/apis/config/v1beta1/defaults.go):
  // whole again at 165 s, 65 s after the start, not at the fault's end.
  const h = harness([nodeDown('f1', ['n1'], 100, 60)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => h.setReady('n1', false));
  h.at(160, () => h.recovery.faultEnded('f1', 160 * S));
  h.at(165, () => h.setReady('n1', true));
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['end_s'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['160', '0.333333', '65']);
});

test('a fault that starts short and loses nothing recovers in 0 s: the shortfall was not its doing', () => {
  // a (web) evicted at 150 s: web 2 of 3. f1 on n2 (c of web, d of db) starts at 160 s short:
  // (2 + 1) / (3 + 1) = 0.75, its min_available_ratio. a's replacement a2 Running at 170 s makes
  // web whole; f1 lost no pod, so it caused no drop: 0 s.
  const h = harness([nodeDown('f1', ['n2'], 160)]);
  h.at(150, () => h.evict(h.pod('a'), 150));
  h.replace('a2', 'web-1', 151, 152, 170);
  h.at(160, () => h.recovery.faultStarted('f1', 160 * S));
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['0.75', '0']);
});

test('a fault hitting only a workload whose first rollout is not complete affects no workload', () => {
  // ReplicaSet api-1 (2 replicas, no Deployment) has 1 pod, g, Running on n1: it was never
  // whole, so it is held to nothing (target 0, availability.ts) and f1 on n1 has no workload to
  // follow.
  const sim = new Simulation();
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '8', pods: 110 }).obj()], [owned('g', 'api-1', 'n1')]);
  const availability = new AvailabilityTracker(sim, cluster);
  const recovery = new RecoveryTracker([nodeDown('f1', ['n1'], 10, 20)], cluster, availability);
  availability.watcher.objectAdded?.({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-1', namespace: 'default' }, spec: { replicas: 2 } });
  const g = cluster.pods.get('default/g') as PodInfo;
  cluster.setPhase(g, 'Running');
  availability.watcher.podPhaseChanged?.(g, 'Pending');
  sim.scheduleAt(10 * S, 'test.step', '', () => recovery.faultStarted('f1', 10 * S));
  sim.scheduleAt(30 * S, 'test.step', '', () => recovery.faultEnded('f1', 30 * S));
  sim.run(100 * S);
  const [row] = recovery.rows();
  assert.deepEqual([row?.['pods_affected'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], [1, '', '']);
});

test('a workload with several affected pods counts once in the fault\'s ratio', () => {
  // f1 hits n1 and n2: a, b, c (web, target 3) and d (db, target 1); web counts once, so when n1
  // is NotReady (a, b unavailable) the ratio is (1 + 1) / (3 + 1) = 0.5, not weighted by pods.
  const h = harness([nodeDown('f1', ['n1', 'n2'], 100)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => h.setReady('n1', false));
  h.at(200, () => h.setReady('n1', true));
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['pods_affected'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], [5, '0.5', '100']);
});

test('a churning workload\'s own dip before the fault bites does not end its window: the drop starts with the first affected pod lost', () => {
  // f1 on n1 (a, b of web) from 100 s. 120 s: c (web, on n2) ends its run: web 2 of 3, not f1's
  // drop; its replacement c2 Running at 125 s. 150 s: n1 NotReady, web 1 of 3: f1's drop. a, b
  // evicted at 450 / 451 s, replaced Running at 452 / 455 s: whole at 455 s, 355 s after the
  // start (the dip at 120 s closed the window at 125 s before: 25 s, and ratio 0.667).
  const h = harness([nodeDown('f1', ['n1'], 100)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(120, () => {
    const c = h.pod('c');
    h.cluster.setPhase(c, 'Succeeded');
    h.availability.watcher.podPhaseChanged?.(c, 'Running');
  });
  h.replace('c2', 'web-1', 121, 122, 125);
  h.at(150, () => {
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false);
  });
  h.at(450, () => h.evict(h.pod('a'), 450));
  h.at(451, () => h.evict(h.pod('b'), 451));
  h.replace('a2', 'web-1', 450.5, 450.75, 452);
  h.replace('b2', 'web-1', 451.5, 453, 455);
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['detected_s'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['150', '0.333333', '355']);
});

test('a later fault on the same node is not charged to an earlier one that is over: detections and evictions belong to the fault in force', () => {
  // f1: n1 down 100–200 s, NotReady at 150 s, Ready again at 205 s (over, its node back). f2: n1
  // down again from 1000 s, NotReady at 1050 s, a evicted at 1350 s and replaced at 1351 s. f1
  // keeps its own detection and no eviction; f2 gets the 1050 s detection and the eviction.
  const h = harness([nodeDown('f1', ['n1'], 100, 100), nodeDown('f2', ['n1'], 1000)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => {
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false);
  });
  h.at(200, () => h.recovery.faultEnded('f1', 200 * S));
  h.at(205, () => h.recovery.leaseSeen('n1'));
  h.at(205, () => {
    h.recovery.nodeReady('n1');
    h.setReady('n1', true);
  });
  h.at(1000, () => h.recovery.faultStarted('f2', 1000 * S));
  h.at(1050, () => {
    h.recovery.nodeNotReady('n1', 1050 * S);
    h.setReady('n1', false);
  });
  h.at(1350, () => h.evict(h.pod('a'), 1350));
  h.replace('a2', 'web-1', 1350.5, 1351, 1352);
  h.sim.run(2000 * S);
  const cols = ['fault_id', 'detected_s', 'first_eviction_s', 'pods_rescheduled', 'min_available_ratio', 'time_to_full_availability_s'];
  assert.deepEqual(h.recovery.rows().map((r) => cols.map((c) => r[c])), [
    ['f1', '150', '', 0, '0.333333', '105'], // whole again when n1 is Ready at 205 s
    ['f2', '1050', '1350', 1, '0.333333', ''], // b stays on NotReady n1 to the end
  ]);
});

test('a fault inside another on the same node: the node was already NotReady, so the inner one detects nothing and evicts nothing after its end', () => {
  // f3: n1 down 100–1100 s, NotReady at 150 s; f4: n1 down 200–300 s, inside it. a evicted at
  // 450 s: f3's (f4 was over at 300 s and took no node NotReady). f4 starts short (web 1 of 3)
  // and loses nothing itself.
  const h = harness([nodeDown('f3', ['n1'], 100, 1000), nodeDown('f4', ['n1'], 200, 100)]);
  h.at(100, () => h.recovery.faultStarted('f3', 100 * S));
  h.at(150, () => {
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false);
  });
  h.at(200, () => h.recovery.faultStarted('f4', 200 * S));
  h.at(300, () => h.recovery.faultEnded('f4', 300 * S)); // n1 NotReady already (f3's): f4 waits for nothing
  h.at(450, () => h.evict(h.pod('a'), 450));
  h.sim.run(1000 * S);
  const cols = ['fault_id', 'detected_s', 'first_eviction_s', 'pods_affected', 'min_available_ratio', 'time_to_full_availability_s'];
  assert.deepEqual(h.recovery.rows().map((r) => cols.map((c) => r[c])), [
    ['f3', '150', '450', 3, '0.333333', ''],
    ['f4', '', '', 3, '0.333333', '0'],
  ]);
});

test('a node that flaps while the fault lasts: time to full availability runs to the end of the last drop', () => {
  // f1 on n1 from 100 s for 300 s: NotReady 150–200 s and again 300–350 s (a kubelet flapping):
  // two drops to 1/3, the last ending at 350 s: 250 s (the first alone gave 100 s).
  const h = harness([nodeDown('f1', ['n1'], 100, 300)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  for (const [down, up] of [[150, 200], [300, 350]] as const) {
    h.at(down, () => {
      h.recovery.nodeNotReady('n1', down * S);
      h.setReady('n1', false);
    });
    h.at(up, () => {
      h.recovery.nodeReady('n1');
      h.setReady('n1', true);
    });
  }
  h.at(400, () => h.recovery.faultEnded('f1', 400 * S));
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['detected_s'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['150', '0.333333', '250']);
});

test('a node marked NotReady just after the fault ended (its first renewals not yet seen) is the fault\'s: it stays in force until the controller sees the lease again', () => {
  // f1: n1 down 100–150 s. The controller has not seen a renewal by its 150 s pass: n1 NotReady
  // at 150 s (web 1 of 3), its renewal seen and n1 Ready at 155 s. Detected, a drop of 5 s.
  const h = harness([nodeDown('f1', ['n1'], 100, 50)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => {
    h.recovery.faultEnded('f1', 150 * S);
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false);
  });
  h.at(155, () => {
    h.recovery.leaseSeen('n1');
    h.recovery.nodeReady('n1');
    h.setReady('n1', true);
  });
  h.at(300, () => h.setReady('n1', false)); // long after: not f1's
  h.sim.run(1000 * S);
  const [row] = h.recovery.rows();
  assert.deepEqual([row?.['end_s'], row?.['detected_s'], row?.['min_available_ratio'], row?.['time_to_full_availability_s']], ['150', '150', '0.333333', '55']);
});

test('a fault\'s drop ends when its own losses are made good, though another fault still holds the shared workload short; its ratio counts the other\'s losses meanwhile', () => {
  // f1 (n1: a, b of web) and f2 (n2: c of web, d of db) from 100 s. n1 NotReady at 150 s (f1
  // loses a, b: web 1 of 3), n2 at 160 s (f2 loses c, d): web 0 of 3, db 0 of 1, during both
  // drops. n1 Ready at 200 s: a, b available again, f1's losses made good: its drop ends (100 s)
  // while web is 2 of 3 by f2's doing. n2 Ready at 300 s: f2's end (200 s). Both ratios are the
  // joint dip, 0 (they were 1/3 and 2/4 when each counted only its own pods: summary 0.333333).
  const h = harness([nodeDown('f1', ['n1'], 100), nodeDown('f2', ['n2'], 100)]);
  h.at(100, () => {
    h.recovery.faultStarted('f1', 100 * S);
    h.recovery.faultStarted('f2', 100 * S);
  });
  for (const [node, down, up] of [['n1', 150, 200], ['n2', 160, 300]] as const) {
    h.at(down, () => {
      h.recovery.nodeNotReady(node, down * S);
      h.setReady(node, false);
    });
    h.at(up, () => {
      h.recovery.nodeReady(node);
      h.setReady(node, true);
    });
  }
  h.sim.run(1000 * S);
  assert.deepEqual(h.recovery.rows().map((r) => [r['fault_id'], r['min_available_ratio'], r['time_to_full_availability_s']]), [
    ['f1', '0', '100'],
    ['f2', '0', '200'],
  ]);
  assert.equal(h.recovery.summaryValues()['available_min_ratio'], 0);
});

test('a node a fault took NotReady that a later fault still holds down at its end is the later one\'s from then: its evictions and its pods\' losses, which a replacement makes good', () => {
  // f1: n1 down 100–300 s; f2: n1 down again from 240 s, for ever, so n1 stays NotReady (f1
  // detected it at 150 s: web 1 of 3). At 300 s f1 is over and n1 would have come back: n1,
  // and the losses of a and b, are f2's, and f1's drop ends (200 s). a evicted at 450 s (f2's),
  // its replacement a2 Running at 452 s makes a's loss good; b is still lost (n1 never returns),
  // so f2's drop lasts to the end (empty). f2 started short (1/3) and its ratio stays there.
  const h = harness([nodeDown('f1', ['n1'], 100, 200), nodeDown('f2', ['n1'], 240)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => {
    h.recovery.nodeNotReady('n1', 150 * S);
    h.setReady('n1', false);
  });
  h.at(240, () => h.recovery.faultStarted('f2', 240 * S));
  h.at(300, () => h.recovery.faultEnded('f1', 300 * S));
  h.at(450, () => h.evict(h.pod('a'), 450));
  h.replace('a2', 'web-1', 450.5, 451, 452);
  h.sim.run(1000 * S);
  const cols = ['fault_id', 'detected_s', 'first_eviction_s', 'pods_rescheduled', 'min_available_ratio', 'time_to_full_availability_s'];
  assert.deepEqual(h.recovery.rows().map((r) => cols.map((c) => r[c])), [
    ['f1', '150', '', 0, '0.333333', '200'],
    ['f2', '', '450', 1, '0.333333', ''],
  ]);
});

test('a fault is not charged with a later fault\'s outage of one of its nodes after its own are back, though another node of its stays down by a third fault', () => {
  // f1 (a zone: n1, n2) 100–700 s takes both NotReady at 150 s (web 0 of 3); f2 holds n2 down
  // from 600 s for ever; f3 takes n1 down 1000–1300 s. At 700 s n2 is f2's; n1 Ready and its
  // lease seen at 705 s: a, b available again, f1 is over (605 s). f3: n1 NotReady 1050 s, a and
  // b lost (c is on n2, still down, by f2: web 0 of 3, f3's minimum), back at 1305 s (305 s). Before, f1 stayed in force while n2 was down and took f3's drop: 1205 s.
  const h = harness([nodeDown('f1', ['n1', 'n2'], 100, 600), nodeDown('f2', ['n2'], 600), nodeDown('f3', ['n1'], 1000, 300)]);
  h.at(100, () => h.recovery.faultStarted('f1', 100 * S));
  h.at(150, () => {
    for (const n of ['n1', 'n2']) {
      h.recovery.nodeNotReady(n, 150 * S);
      h.setReady(n, false);
    }
  });
  h.at(600, () => h.recovery.faultStarted('f2', 600 * S));
  h.at(700, () => h.recovery.faultEnded('f1', 700 * S));
  const back = (node: string, s: number) => h.at(s, () => {
    h.recovery.leaseSeen(node);
    h.recovery.nodeReady(node);
    h.setReady(node, true);
  });
  back('n1', 705);
  h.at(1000, () => h.recovery.faultStarted('f3', 1000 * S));
  h.at(1050, () => {
    h.recovery.nodeNotReady('n1', 1050 * S);
    h.setReady('n1', false);
  });
  h.at(1300, () => h.recovery.faultEnded('f3', 1300 * S));
  back('n1', 1305);
  h.sim.run(2000 * S);
  const cols = ['fault_id', 'detected_s', 'min_available_ratio', 'time_to_full_availability_s'];
  assert.deepEqual(h.recovery.rows().map((r) => cols.map((c) => r[c])), [
    ['f1', '150', '0', '605'],
    ['f2', '', '0', ''], // it starts with web and db all down (0 of 4): its start
    ['f3', '1050', '0', '305'],
  ]);
});
