// workloads.csv on its own: the AvailabilityTracker driven by hand with the changes a run makes
// (workload objects, pod phases, deletions, node readiness), checked against the definitions in
// availability.ts: which pods belong to which workload, when a workload is whole, and what its
// available_min_ratio and unavailable_s count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { AvailabilityTracker } from './availability.js';

const S = 1_000_000;

function obj(kind: string, name: string, replicas: number | undefined, owner?: { kind: string; name: string }): WorkloadObject {
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, namespace: 'default', ...(owner === undefined ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.name, controller: true }] }) },
    spec: replicas === undefined ? {} : { replicas },
  };
}

/** Nodes n1, n2; pods of a Deployment (via ReplicaSet web-1), a StatefulSet db, an unowned
 * ReplicaSet solo, a Job and a bare pod, all on n1; the tracker has heard of the objects. */
function harness() {
  const sim = new Simulation();
  const cluster = buildCluster(
    [makeNode('n1').capacity({ cpu: '8', pods: 110 }).obj(), makeNode('n2').capacity({ cpu: '8', pods: 110 }).obj()],
    [
      makePod('web-a').owner('ReplicaSet', 'web-1').node('n1').obj(),
      makePod('web-b').owner('ReplicaSet', 'web-1').node('n1').obj(),
      makePod('db-0').owner('StatefulSet', 'db').node('n1').obj(),
      makePod('solo-x').owner('ReplicaSet', 'solo').node('n1').obj(),
      makePod('job-x').owner('Job', 'batch').node('n1').obj(),
      makePod('bare').node('n1').obj(),
    ],
  );
  const t = new AvailabilityTracker(sim, cluster);
  for (const o of [obj('Deployment', 'web', 2), obj('ReplicaSet', 'web-1', 2, { kind: 'Deployment', name: 'web' }), obj('StatefulSet', 'db', undefined), obj('ReplicaSet', 'solo', 1), obj('Job', 'batch', undefined)]) {
    t.watcher.objectAdded?.(o);
  }
  const pod = (name: string) => cluster.pods.get(`default/${name}`) as PodInfo;
  const at = (s: number, fn: () => void) => sim.scheduleAt(s * S, 'test.step', '', fn);
  const running = (name: string) => {
    const p = pod(name);
    const from = p.phase;
    cluster.setPhase(p, 'Running');
    t.watcher.podPhaseChanged?.(p, from);
  };
  const ready = (node: string, r: boolean) => { const n = cluster.updateNode(node, { ready: r }); t.watcher.nodeUpdated?.(n, n, n); };
  return { sim, cluster, t, pod, at, running, ready };
}

const row = (h: ReturnType<typeof harness>, endS: number) => h.t.table(endS * S).rows.map((r) => `${String(r['kind'])} ${String(r['name'])}: desired ${String(r['desired'])} ready ${String(r['ready'])} min ${String(r['available_min_ratio'])} unavailable ${String(r['unavailable_s'])}`);

test('workloads are Deployments (through their ReplicaSets), StatefulSets and unowned ReplicaSets; Jobs and bare pods are not', () => {
  const h = harness();
  h.at(1, () => ['web-a', 'web-b', 'db-0', 'solo-x', 'job-x', 'bare'].forEach(h.running));
  h.sim.run(100 * S);
  assert.equal(h.t.workloadOf(h.pod('web-a'))?.name, 'web');
  assert.equal(h.t.workloadOf(h.pod('db-0'))?.name, 'db');
  assert.equal(h.t.workloadOf(h.pod('solo-x'))?.name, 'solo');
  assert.equal(h.t.workloadOf(h.pod('job-x')), null);
  assert.equal(h.t.workloadOf(h.pod('bare')), null);
  // A StatefulSet without spec.replicas wants 1 (the API default).
  assert.deepEqual(row(h, 100), [
    'Deployment web: desired 2 ready 2 min 1 unavailable 0',
    'ReplicaSet solo: desired 1 ready 1 min 1 unavailable 0',
    'StatefulSet db: desired 1 ready 1 min 1 unavailable 0',
  ]);
});

test('unavailability counts from the first time whole: NotReady node, pods back, a pod deleted', () => {
  const h = harness();
  h.at(5, () => h.running('web-a')); // web 1 of 2: not yet whole, so not counted
  h.at(10, () => ['web-b', 'db-0', 'solo-x'].forEach(h.running)); // everything whole from 10 s
  h.at(30, () => h.ready('n1', false)); // all unavailable: web 0/2, db 0/1, solo 0/1
  h.at(40, () => h.ready('n1', true)); // back: 10 s of unavailability each
  h.at(50, () => {
    const p = h.pod('web-b');
    h.cluster.deletePod(p);
    h.t.watcher.podDeleted?.(p, 'test'); // web 1/2 until the end (100 s): 50 s more
  });
  h.sim.run(100 * S);
  assert.deepEqual(row(h, 100), [
    'Deployment web: desired 2 ready 1 min 0 unavailable 60',
    'ReplicaSet solo: desired 1 ready 1 min 0 unavailable 10',
    'StatefulSet db: desired 1 ready 1 min 0 unavailable 10',
  ]);
});

test('a workload never whole has empty ratio and time; a deleted workload has no row, and one created again under its name starts anew', () => {
  const h = harness();
  h.at(10, () => h.running('web-a'));
  h.at(20, () => {
    h.running('db-0');
    h.running('solo-x');
  });
  h.at(30, () => h.ready('n1', false)); // db and solo unavailable from 30 s
  h.at(60, () => h.t.watcher.objectDeleted?.(obj('StatefulSet', 'db', 1))); // db wants 0: whole again
  h.at(70, () => h.t.watcher.objectUpdated?.(obj('ReplicaSet', 'solo', 0), obj('ReplicaSet', 'solo', 1))); // scaled to 0
  h.sim.run(75 * S);
  // db, deleted at 60 s (short 30 s before), is no workload at the end: no row.
  assert.deepEqual(row(h, 75), [
    'Deployment web: desired 2 ready 0 min  unavailable ',
    'ReplicaSet solo: desired 0 ready 0 min 0 unavailable 40',
  ]);
  // Created again at 80 s (db-0 is on n1, NotReady: not available): a new workload, held to
  // nothing until its first rollout completes, without the deleted one's 30 s.
  h.at(80, () => h.t.watcher.objectAdded?.(obj('StatefulSet', 'db', 1)));
  h.sim.run(100 * S);
  assert.deepEqual(row(h, 100), [
    'Deployment web: desired 2 ready 0 min  unavailable ',
    'ReplicaSet solo: desired 0 ready 0 min 0 unavailable 40',
    'StatefulSet db: desired 1 ready 0 min  unavailable ',
  ]);
});

test('listeners hear each change of a workload\'s available count with the count before it', () => {
  const h = harness();
  const heard: string[] = [];
  h.t.listener = (w, before) => heard.push(`${h.sim.now / S} ${w.name} ${before}->${w.available}`);
  h.at(1, () => ['web-a', 'web-b', 'job-x'].forEach(h.running));
  h.at(2, () => h.ready('n1', false));
  h.sim.run(10 * S);
  assert.deepEqual(heard, ['1 web 0->1', '1 web 1->2', '2 web 2->1', '2 web 1->0']);
});

test('an update that keeps spec.replicas (a status write) is no change: listeners hear nothing', () => {
  // Controllers write a workload's status after every pod change; each arrives as objectUpdated
  // with the same spec.replicas and must not reach the listener (recovery.ts recounts on each).
  const h = harness();
  const heard: string[] = [];
  h.t.listener = (w, before, targetBefore) => heard.push(`${h.sim.now / S} ${w.name} ${before}->${w.available} target ${targetBefore}->${w.target}`);
  h.at(1, () => ['web-a', 'web-b'].forEach(h.running));
  h.at(2, () => h.t.watcher.objectUpdated?.(obj('Deployment', 'web', 2), obj('Deployment', 'web', 2)));
  h.at(3, () => h.t.watcher.objectUpdated?.(obj('Deployment', 'web', 3), obj('Deployment', 'web', 2)));
  h.sim.run(10 * S);
  assert.deepEqual(heard, ['1 web 0->1 target 0->0', '1 web 1->2 target 0->2', '3 web 2->2 target 2->2']);
});

test('workloads.csv sorts by namespace, then kind, then name, whatever order the objects arrive in', () => {
  const h = harness();
  const inNs = (ns: string, o: WorkloadObject): WorkloadObject => ({ ...o, metadata: { ...o.metadata, namespace: ns } });
  // a-ns/StatefulSet/queue comes first in namespace order though its kind sorts after every
  // Deployment's.
  for (const o of [inNs('a-ns', obj('StatefulSet', 'queue', 1)), obj('Deployment', 'zeta', 1), obj('Deployment', 'alpha', 1), inNs('a-ns', obj('Deployment', 'alpha', 1)), obj('StatefulSet', 'cache', 1)]) h.t.watcher.objectAdded?.(o);
  assert.deepEqual(h.t.table(0).rows.map((r) => `${String(r['namespace'])}/${String(r['kind'])}/${String(r['name'])}`), [
    'a-ns/Deployment/alpha',
    'a-ns/StatefulSet/queue',
    'default/Deployment/alpha',
    'default/Deployment/web',
    'default/Deployment/zeta',
    'default/ReplicaSet/solo',
    'default/StatefulSet/cache',
    'default/StatefulSet/db',
  ]);
});

test('deleting an object that is not a workload (a Job) changes nothing', () => {
  const h = harness();
  h.at(1, () => ['web-a', 'web-b', 'db-0', 'solo-x'].forEach(h.running));
  h.at(2, () => h.t.watcher.objectDeleted?.(obj('Job', 'batch', undefined)));
  h.sim.run(10 * S);
  assert.deepEqual(row(h, 10), [
    'Deployment web: desired 2 ready 2 min 1 unavailable 0',
    'ReplicaSet solo: desired 1 ready 1 min 1 unavailable 0',
    'StatefulSet db: desired 1 ready 1 min 1 unavailable 0',
  ]);
});

test('a workload short from time 0 counts its unavailability from 0 to the end', () => {
  const h = harness();
  // At 0 s: solo-x Running (solo whole, target 1), then n1 NotReady: short from 0 s.
  h.at(0, () => {
    h.running('solo-x');
    h.ready('n1', false);
  });
  h.sim.run(100 * S);
  const solo = h.t.table(100 * S).rows.find((r) => r['name'] === 'solo');
  assert.deepEqual([solo?.['available_min_ratio'], solo?.['unavailable_s']], ['0', '100']);
});

test('a workload short from time 0 stays short from 0 through later changes until whole again', () => {
  // solo short from 0 s (as above); scaled to 2 at 10 s while still short (target stays 1: a
  // scale-up counts only once met); n1 Ready at 30 s: 1 available of target 1, whole. Short
  // from 0 s to 30 s: 30 s, not 20 s from the scale-up.
  const h = harness();
  h.at(0, () => {
    h.running('solo-x');
    h.ready('n1', false);
  });
  h.at(10, () => h.t.watcher.objectUpdated?.(obj('ReplicaSet', 'solo', 2), obj('ReplicaSet', 'solo', 1)));
  h.at(30, () => h.ready('n1', true));
  h.sim.run(100 * S);
  const solo = h.t.table(100 * S).rows.find((r) => r['name'] === 'solo');
  assert.deepEqual([solo?.['desired'], solo?.['ready'], solo?.['available_min_ratio'], solo?.['unavailable_s']], [2, 1, '0', '30']);
});

test('only a ReplicaSet is folded into the Deployment that controls it; a StatefulSet stays its own workload', () => {
  // A StatefulSet carrying a controller ownerReference of kind Deployment (as a hand-written
  // manifest may) is still a workload (availability.ts: Deployments, unowned ReplicaSets,
  // StatefulSets), with a row of its own.
  const h = harness();
  h.t.watcher.objectAdded?.(obj('StatefulSet', 'cache', 3, { kind: 'Deployment', name: 'web' }));
  assert.deepEqual(row(h, 0), [
    'Deployment web: desired 2 ready 0 min  unavailable ',
    'ReplicaSet solo: desired 1 ready 0 min  unavailable ',
    'StatefulSet cache: desired 3 ready 0 min  unavailable ',
    'StatefulSet db: desired 1 ready 0 min  unavailable ',
  ]);
});

/** `o` with spec.minReadySeconds `s`. */
const withMinReady = (o: WorkloadObject, s: number): WorkloadObject => ({ ...o, spec: { ...(o.spec as object), minReadySeconds: s } } as WorkloadObject);

/** The harness with web's Deployment at minReadySeconds 20 and db at 30 (solo none); n1 back
 * Ready stamps readySinceUs as the API server does. */
function minReadyHarness() {
  const h = harness();
  h.t.watcher.objectUpdated?.(withMinReady(obj('Deployment', 'web', 2), 20), obj('Deployment', 'web', 2));
  h.t.watcher.objectUpdated?.(withMinReady(obj('StatefulSet', 'db', undefined), 30), obj('StatefulSet', 'db', undefined));
  const ready = (node: string, r: boolean) => {
    const n = h.cluster.updateNode(node, { ready: r });
    if (r) n.readySinceUs = h.sim.now;
    h.t.watcher.nodeUpdated?.(n, n, n);
  };
  // The kubelet stamps when it started (where its Ready condition counts from).
  const running = (name: string) => {
    h.pod(name).startedUs = h.sim.now;
    h.running(name);
  };
  return { ...h, ready, running };
}

test('with minReadySeconds a pod is available once Ready that long, from its start and again from its node back Ready (upstream IsPodAvailable)', () => {
  // Running at 10 s: solo available at 10 s, web (20 s) at 30 s, db (30 s) at 40 s. n1 NotReady
  // 50-60 s: solo short 10 s; web Ready again at 60 s, available at 80 s: short 30 s; db at 90 s:
  // short 40 s. Without minReadySeconds all three were short 10 s.
  const h = minReadyHarness();
  const heard: string[] = [];
  h.t.listener = (w, before) => heard.push(`${h.sim.now / S} ${w.name} ${before}->${w.available}`);
  h.at(10, () => ['web-a', 'web-b', 'db-0', 'solo-x'].forEach(h.running));
  h.at(50, () => h.ready('n1', false));
  h.at(60, () => h.ready('n1', true));
  h.at(70, () => assert.deepEqual(row(h, 70), [
    'Deployment web: desired 2 ready 0 min 0 unavailable 20',
    'ReplicaSet solo: desired 1 ready 1 min 0 unavailable 10',
    'StatefulSet db: desired 1 ready 0 min 0 unavailable 20',
  ]));
  h.sim.run(100 * S);
  assert.deepEqual(row(h, 100), [
    'Deployment web: desired 2 ready 2 min 0 unavailable 30',
    'ReplicaSet solo: desired 1 ready 1 min 0 unavailable 10',
    'StatefulSet db: desired 1 ready 1 min 0 unavailable 40',
  ]);
  assert.deepEqual(heard, [
    '10 solo 0->1',
    '30 web 0->1', '30 web 1->2',
    '40 db 0->1',
    '50 web 2->1', '50 web 1->0', '50 db 1->0', '50 solo 1->0',
    '60 solo 0->1',
    '80 web 0->1', '80 web 1->2',
    '90 db 0->1',
  ]);
  assert.equal(h.t.warming.size, 0);
});

test('a pod that stops being Ready while it waits for minReadySeconds starts its wait again; a DaemonSet\'s pods wait too', () => {
  const h = minReadyHarness();
  h.t.watcher.objectAdded?.(withMinReady(obj('DaemonSet', 'agent', undefined), 15));
  const ds = podInfo(makePod('agent-n1').owner('DaemonSet', 'agent').node('n1').obj());
  h.cluster.addPod(ds);
  h.cluster.assume(ds, h.cluster.mustNode('n1'));
  ds.bound = true;
  const heard: string[] = [];
  h.t.listener = (w, before) => heard.push(`${h.sim.now / S} ${w.name} ${before}->${w.available}`);
  h.at(10, () => ['web-a', 'agent-n1'].forEach(h.running));
  // Not Ready 20-25 s, inside web-a's 20 s: available at 45 s, not 30 s.
  h.at(20, () => h.ready('n1', false));
  h.at(25, () => h.ready('n1', true));
  const warming: string[] = [];
  for (const s of [12, 22, 30, 39, 41, 46]) h.at(s, () => warming.push(`${s}: ${[...h.t.warming].map(([p, from]) => `${p.name}@${from / S}`).join(' ')}`));
  h.sim.run(60 * S);
  assert.deepEqual(warming, ['12: web-a@30 agent-n1@25', '22: ', '30: web-a@45 agent-n1@40', '39: web-a@45 agent-n1@40', '41: web-a@45', '46: ']);
  assert.deepEqual(heard, ['45 web 0->1']);
});

test('a changed minReadySeconds counts again: raised, an available pod Ready for less waits until it is', () => {
  const h = minReadyHarness();
  const heard: string[] = [];
  h.t.listener = (w, before) => heard.push(`${h.sim.now / S} ${w.name} ${before}->${w.available}`);
  h.at(10, () => h.running('solo-x'));
  // Ready since 10 s: with 40 s it is available again only at 50 s; lowered to 5 s at 45 s,
  // it is at once.
  h.at(30, () => h.t.watcher.objectUpdated?.(withMinReady(obj('ReplicaSet', 'solo', 1), 40), obj('ReplicaSet', 'solo', 1)));
  h.at(35, () => h.t.watcher.objectUpdated?.(withMinReady(obj('ReplicaSet', 'solo', 1), 60), withMinReady(obj('ReplicaSet', 'solo', 1), 40)));
  h.at(45, () => h.t.watcher.objectUpdated?.(withMinReady(obj('ReplicaSet', 'solo', 1), 5), withMinReady(obj('ReplicaSet', 'solo', 1), 60)));
  h.sim.run(100 * S);
  assert.deepEqual(heard, ['10 solo 0->1', '30 solo 1->0', '45 solo 0->1']);
  const solo = h.t.table(100 * S).rows.find((r) => r['name'] === 'solo');
  assert.deepEqual([solo?.['ready'], solo?.['unavailable_s']], [1, '15']);
});
