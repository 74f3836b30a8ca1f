// The garbage collector on its own: deleting an owner deletes its dependents (pods and objects
// whose controller ownerReference names it), in cascade, and a dependent whose create was in
// flight when its owner went is deleted when it appears (upstream
// pkg/controller/garbagecollector: attemptToDeleteItem deletes a dependent whose owners are all
// absent). Every write takes 1 ms; the assertions are on the delete requests the collector sends
// (what a delete then does to a pod — graceful termination — is not the collector's business).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { makePod } from '../testing/builders.js';
import { GarbageCollector } from './garbage-collector.js';

const MS = 1000;

function ref(kind: string, name: string, controller = true): OwnerReference {
  return { apiVersion: kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'batch/v1', kind, name, uid: `uid-${name}`, controller };
}

function object(kind: string, name: string, namespace = 'default', owner?: OwnerReference): WorkloadObject {
  return {
    apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, namespace, ...(owner === undefined ? {} : { ownerReferences: [owner] }) },
    spec: {},
  };
}

function pod(name: string, namespace = 'default', ...owners: OwnerReference[]): Pod {
  return makePod(name).namespace(namespace).with((p) => {
    if (owners.length > 0) p.metadata!.ownerReferences = owners;
  }).obj();
}

/** An API with the garbage collector; `deletes` logs every delete request sent after `start()`
 * as "<ms> Kind ns/name" (the test's own deletes included). */
function harness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(MS), new RandomStreams(1).stream('api'));
  new GarbageCollector(api);
  const deletes: string[] = [];
  const deletePod = api.deletePod.bind(api);
  api.deletePod = (p, reason) => {
    deletes.push(`${sim.now / MS} Pod ${p.key} (${reason})`);
    deletePod(p, reason);
  };
  const deleteObject = api.deleteObject.bind(api);
  api.deleteObject = (kind, ns, name, done) => {
    deletes.push(`${sim.now / MS} ${kind} ${ns}/${name}`);
    deleteObject(kind, ns, name, done);
  };
  const at = (ms: number, fn: () => void) => sim.scheduleAt(ms * MS, 'test.step', '', fn);
  return { sim, cluster, api, deletes, at };
}

test('deleting a ReplicaSet deletes the pods it controls, and only those', () => {
  const h = harness();
  h.at(0, () => {
    h.api.createObject(object('ReplicaSet', 'web'));
    h.api.createObject(object('ReplicaSet', 'web', 'other'));
    h.api.createPod(pod('web-a', 'default', ref('ReplicaSet', 'web')));
    h.api.createPod(pod('web-b', 'default', ref('ReplicaSet', 'web')));
    h.api.createPod(pod('web-c', 'other', ref('ReplicaSet', 'web'))); // same owner name, other namespace
    h.api.createPod(pod('loose', 'default', ref('ReplicaSet', 'web', false))); // a reference, not the controller
    h.api.createPod(pod('db-0', 'default', ref('StatefulSet', 'web'))); // same name, other kind
    h.api.createPod(pod('bare'));
  });
  h.at(10, () => h.api.deleteObject('ReplicaSet', 'default', 'web'));
  h.sim.run(1000 * MS);
  // The ReplicaSet's delete commits at 11 ms; the collector asks for its pods at once.
  assert.deepEqual(h.deletes, [
    '10 ReplicaSet default/web',
    '11 Pod default/web-a (owner ReplicaSet/default/web deleted)',
    '11 Pod default/web-b (owner ReplicaSet/default/web deleted)',
  ]);
});

test('deleting a Deployment cascades: its ReplicaSets, then their pods', () => {
  const h = harness();
  h.at(0, () => {
    h.api.createObject(object('Deployment', 'web'));
    h.api.createObject(object('ReplicaSet', 'web-1', 'default', ref('Deployment', 'web')));
    h.api.createObject(object('ReplicaSet', 'web-2', 'default', ref('Deployment', 'web')));
    h.api.createObject(object('ReplicaSet', 'api-1', 'default', ref('Deployment', 'api')));
    h.api.createPod(pod('web-1-a', 'default', ref('ReplicaSet', 'web-1')));
    h.api.createPod(pod('web-2-a', 'default', ref('ReplicaSet', 'web-2')));
    h.api.createPod(pod('api-1-a', 'default', ref('ReplicaSet', 'api-1')));
  });
  h.at(10, () => h.api.deleteObject('Deployment', 'default', 'web'));
  h.sim.run(1000 * MS);
  assert.deepEqual(h.deletes, [
    '10 Deployment default/web',
    '11 ReplicaSet default/web-1',
    '11 ReplicaSet default/web-2',
    '12 Pod default/web-1-a (owner ReplicaSet/default/web-1 deleted)',
    '12 Pod default/web-2-a (owner ReplicaSet/default/web-2 deleted)',
  ]);
  assert.deepEqual([...h.cluster.objects.keys()], ['ReplicaSet/default/api-1']);
});

test('a pod or object whose create was in flight when its owner was deleted is deleted when it appears', () => {
  const h = harness();
  h.at(0, () => h.api.createObject(object('Job', 'batch')));
  // The delete is sent first and commits at 11 ms; the creates commit after it, at 11 ms too,
  // in the order sent: the collector has seen the owner go when they appear.
  h.at(10, () => {
    h.api.deleteObject('Job', 'default', 'batch');
    h.api.createPod(pod('batch-x', 'default', ref('Job', 'batch')));
    h.api.createObject(object('ReplicaSet', 'child', 'default', ref('Job', 'batch')));
  });
  h.sim.run(1000 * MS);
  assert.deepEqual(h.deletes, [
    '10 Job default/batch',
    '11 Pod default/batch-x (owner Job/default/batch deleted)',
    '11 ReplicaSet default/child',
  ]);
});

test('an owner created again under the same name adopts nothing gone: new dependents are kept', () => {
  const h = harness();
  h.at(0, () => h.api.createObject(object('ReplicaSet', 'web')));
  h.at(10, () => h.api.deleteObject('ReplicaSet', 'default', 'web'));
  h.at(20, () => h.api.createObject(object('ReplicaSet', 'web')));
  h.at(30, () => h.api.createPod(pod('web-new', 'default', ref('ReplicaSet', 'web'))));
  h.sim.run(1000 * MS);
  assert.deepEqual(h.deletes, ['10 ReplicaSet default/web']);
  assert.ok(h.cluster.pods.has('default/web-new'));
});

test('a pod deleted before its owner is not deleted again', () => {
  const h = harness();
  h.at(0, () => {
    h.api.createObject(object('ReplicaSet', 'web'));
    h.api.createPod(pod('web-a', 'default', ref('ReplicaSet', 'web')));
    h.api.createPod(pod('web-b', 'default', ref('ReplicaSet', 'web')));
  });
  h.at(5, () => h.api.deletePod(h.cluster.pods.get('default/web-a')!, 'test'));
  h.at(10, () => h.api.deleteObject('ReplicaSet', 'default', 'web'));
  h.sim.run(1000 * MS);
  assert.deepEqual(h.deletes, [
    '5 Pod default/web-a (test)',
    '10 ReplicaSet default/web',
    '11 Pod default/web-b (owner ReplicaSet/default/web deleted)',
  ]);
});

test('an owner\'s dependents are deleted in the order they were created, after most of them went one by one', () => {
  // 200 pods created in descending name order; two in three deleted first (the collector drops
  // deleted pods from its list in batches, here more than once), then their owner.
  const h = harness();
  const name = (i: number) => `w-${String(199 - i).padStart(3, '0')}`;
  h.at(0, () => {
    h.api.createObject(object('ReplicaSet', 'web'));
    for (let i = 0; i < 200; i++) h.api.createPod(pod(name(i), 'default', ref('ReplicaSet', 'web')));
  });
  h.at(5, () => {
    for (let i = 0; i < 200; i++) if (i % 3 !== 0) h.api.deletePod(h.cluster.pods.get(`default/${name(i)}`)!, 'test');
  });
  h.at(10, () => h.api.deleteObject('ReplicaSet', 'default', 'web'));
  h.sim.run(1000 * MS);
  const byOwner = h.deletes.filter((d) => d.endsWith('(owner ReplicaSet/default/web deleted)'));
  assert.equal(h.deletes.length, 133 + 1 + 67);
  assert.deepEqual(byOwner.slice(0, 3), [
    '11 Pod default/w-199 (owner ReplicaSet/default/web deleted)',
    '11 Pod default/w-196 (owner ReplicaSet/default/web deleted)',
    '11 Pod default/w-193 (owner ReplicaSet/default/web deleted)',
  ]);
  assert.deepEqual(byOwner, Array.from({ length: 67 }, (_, k) => `11 Pod default/${name(3 * k)} (owner ReplicaSet/default/web deleted)`));
});

test('a deleted Node\'s Lease, which its kubelet made the Node the owner of (upstream SetNodeOwnerFunc), is deleted by the collector; a node joining again under the name creates a new one', async () => {
  const { Kubelets } = await import('../kubelet/kubelet.js');
  const { makeNode } = await import('../testing/builders.js');
  const S = 1_000_000;
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(MS), new RandomStreams(1).stream('api'));
  new GarbageCollector(api);
  new Kubelets(sim, api, { startupLatencyUs: () => S, runDurationUs: () => null, leaseRng: new RandomStreams(1).stream('lease') }, cluster);
  const heard: string[] = [];
  api.watch({
    objectAdded: (o) => o.kind === 'Lease' && heard.push(`added@${sim.now / S}`),
    objectDeleted: (o) => o.kind === 'Lease' && heard.push(`deleted@${sim.now / S}`),
  });
  const KEY = 'Lease/kube-node-lease/n';
  sim.scheduleAt(5 * S, 'test', 'join', () => api.addNode(makeNode('n').obj(), 'p'));
  sim.run(30 * S);
  assert.deepEqual(cluster.objects.get(KEY)?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n' }]);
  // Deleted at 40 s (committed 40.001 s): the collector's delete of its Lease commits at 40.002 s.
  sim.scheduleAt(40 * S, 'test', 'delete', () => api.deleteNode('n'));
  sim.run(100 * S);
  assert.equal(cluster.objects.has(KEY), false);
  // Was: the Lease stayed (renewed last at 35 s) and a node joining again reused it.
  sim.scheduleAt(120 * S, 'test', 'join', () => api.addNode(makeNode('n').obj(), 'p'));
  sim.run(135 * S);
  assert.equal((cluster.objects.get(KEY)?.spec as { renewTime: number }).renewTime, 130.001 * S);
  assert.deepEqual(heard, ['added@5.002', 'deleted@40.002', 'added@120.002']);
});

test('a node\'s Lease deleted under its live kubelet is created again by its next renewal (upstream lease controller: the update fails NotFound, ensureLease creates it)', async () => {
  const { Kubelets } = await import('../kubelet/kubelet.js');
  const { makeNode } = await import('../testing/builders.js');
  const S = 1_000_000;
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(MS), new RandomStreams(1).stream('api'));
  new Kubelets(sim, api, { startupLatencyUs: () => S, runDurationUs: () => null, leaseRng: new RandomStreams(1).stream('lease') }, cluster);
  const KEY = 'Lease/kube-node-lease/n';
  sim.scheduleAt(5 * S, 'test', 'join', () => api.addNode(makeNode('n').obj(), 'p'));
  sim.scheduleAt(20 * S, 'test', 'delete-lease', () => api.deleteObject('Lease', 'kube-node-lease', 'n'));
  sim.run(24 * S);
  assert.equal(cluster.objects.has(KEY), false);
  // Joined at 5.001 s (the commit), renewals every 10 s from then: the one sent at 25.001 s is
  // answered NotFound at 25.002 s, the create sent then commits at 25.003 s, and renewals go on
  // (35.001 s). Was: no Lease from 20 s on (the node would go NotReady).
  sim.run(40 * S);
  const renew = () => (cluster.objects.get(KEY)?.spec as { renewTime: number } | undefined)?.renewTime;
  assert.equal(renew(), 35.001 * S);
  assert.deepEqual(cluster.objects.get(KEY)?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n' }]);
});
