// The disruption controller's arithmetic (upstream pkg/controller/disruption/disruption.go
// getExpectedScale and its finders), on clusters built by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { computePdbStatus } from './disruption-budget.js';
import { objectKey, type ObjectOf, type WorkloadObject } from './workload-object.js';

function setup(objects: WorkloadObject[], pods: { name: string; kind: string; owner: string }[]) {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj()]);
  for (const o of objects) cluster.objects.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
  for (const p of pods) {
    const pi = podInfo(makePod(p.name).label('app', 'web').owner(p.kind, p.owner).obj());
    cluster.addPod(pi);
    cluster.assume(pi, cluster.mustNode('n1'));
    pi.bound = true;
    cluster.setPhase(pi, 'Running');
  }
  return cluster;
}

const pdb = (spec: Record<string, unknown>): ObjectOf<'PodDisruptionBudget'> =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { ...spec, selector: { matchLabels: { app: 'web' } } } }) as ObjectOf<'PodDisruptionBudget'>;

test('a Deployment mid-rollout (two ReplicaSets) counts its replicas once: expected 4, desired 2, 3 healthy allow 1', () => {
  const owned = (name: string, replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: { replicas } });
  const cluster = setup(
    [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4 } }, owned('web-v1', 3), owned('web-v2', 2)],
    [{ name: 'a', kind: 'ReplicaSet', owner: 'web-v1' }, { name: 'b', kind: 'ReplicaSet', owner: 'web-v1' }, { name: 'c', kind: 'ReplicaSet', owner: 'web-v2' }],
  );
  assert.deepEqual(computePdbStatus(cluster, pdb({ maxUnavailable: 2 }), () => false), { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 4 });
});

test('pods of a Job (no scale subresource) fail safe to 0 allowed with a percentage or maxUnavailable, as upstream\'s getScaleController errors', () => {
  const cluster = setup([{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'batch', namespace: 'default' }, spec: { parallelism: 3 } }], ['x', 'y', 'z'].map((name) => ({ name, kind: 'Job', owner: 'batch' })));
  assert.equal(computePdbStatus(cluster, pdb({ minAvailable: '50%' }), () => false).disruptionsAllowed, 0);
  assert.equal(computePdbStatus(cluster, pdb({ maxUnavailable: 1 }), () => false).disruptionsAllowed, 0);
  // An integer minAvailable counts the pods themselves: 3 healthy − 2 = 1.
  assert.equal(computePdbStatus(cluster, pdb({ minAvailable: 2 }), () => false).disruptionsAllowed, 1);
});

test('a snapshot pod Running but not Ready is not healthy (upstream countHealthyPods reads the Ready condition): 2 of 3 healthy with minAvailable 2 allow 0', () => {
  const cluster = setup(
    [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3 } }],
    ['a', 'b', 'c'].map((name) => ({ name, kind: 'ReplicaSet', owner: 'web' })),
  );
  const pdbOf = pdb({ minAvailable: 2 });
  assert.equal(computePdbStatus(cluster, pdbOf, () => false).disruptionsAllowed, 1);
  const c = cluster.pods.get('default/c');
  assert.ok(c !== undefined);
  c.past = { restarts: 0, notReady: true };
  assert.deepEqual(computePdbStatus(cluster, pdbOf, () => false), { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 });
});
