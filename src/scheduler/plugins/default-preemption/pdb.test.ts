import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { objectKey, type ObjectOf, type WorkloadObject } from '../../../cluster/workload-object.js';
import { buildCluster, makeNode, makePod, podInfo } from '../../../testing/builders.js';
import { computePdbStatus, scaledValue } from '../../../cluster/disruption-budget.js';
import { filterPodsWithPDBViolation, fixedPdb, listPdbs } from './pdb.js';

function pdb(name: string, spec: Record<string, unknown>, namespace = 'default', status?: Record<string, unknown>): ObjectOf<'PodDisruptionBudget'> {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec, ...(status === undefined ? {} : { status }) };
}

/** A cluster with `pods` on node n1, the listed ones Running, and `objects` stored. */
function setup(pods: Pod[], running: string[], objects: WorkloadObject[] = []) {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj()], pods.map((p) => ({ ...p, spec: { ...p.spec!, nodeName: 'n1' } })));
  for (const name of running) cluster.setPhase(cluster.pods.get(name.includes('/') ? name : `default/${name}`) as PodInfo, 'Running');
  for (const o of objects) cluster.objects.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
  return cluster;
}

const app = (name: string, value = 'web'): ReturnType<typeof makePod> => makePod(name).label('app', value);
const never = (): boolean => false;
const computeDisruptionsAllowed = (c: ReturnType<typeof setup>, o: ObjectOf<'PodDisruptionBudget'>, terminating: (p: PodInfo) => boolean): number => computePdbStatus(c, o, terminating).disruptionsAllowed;

describe('PDB budget as the disruption controller computes it', () => {
  // Rules from upstream pkg/controller/disruption/disruption.go (getExpectedPodCount,
  // getExpectedScale, countHealthyPods, updatePdbStatus).
  const sel = { matchLabels: { app: 'web' } };

  it('minAvailable N: healthy (Running) matching pods minus N, never below 0', () => {
    const c = setup([app('a').obj(), app('b').obj(), app('c').obj(), app('d', 'db').obj()], ['a', 'b', 'c', 'd']);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, minAvailable: 1 }), never), 2);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, minAvailable: 3 }), never), 0);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, minAvailable: 5 }), never), 0);
  });

  it('pending pods and pods being deleted are not healthy; other namespaces do not count', () => {
    const c = setup([app('a').obj(), app('b').obj(), app('c').obj(), app('o').namespace('other').obj()], ['a', 'b', 'other/o']);
    const a = c.pods.get('default/a') as PodInfo;
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, minAvailable: 0 }), never), 2);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, minAvailable: 0 }), (p) => p === a), 1);
  });

  it('pods on a NotReady node are not healthy (upstream MarkPodsNotReady: their Ready condition is False), Running or not', () => {
    const c = setup([app('a').obj(), app('b').obj(), app('c').obj()], ['a', 'b', 'c']);
    assert.deepEqual(computePdbStatus(c, pdb('x', { selector: sel, minAvailable: 2 }), never), { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 });
    c.nodeByName.get('n1')!.ready = false;
    assert.deepEqual(computePdbStatus(c, pdb('x', { selector: sel, minAvailable: 2 }), never), { currentHealthy: 0, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 });
  });

  it('percentages and maxUnavailable scale over the controllers\' replicas (a ReplicaSet, or its Deployment)', () => {
    const owned = (name: string, rs: string) => app(name).owner('ReplicaSet', rs).obj();
    const rs: WorkloadObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] },
      spec: { replicas: 4 },
    };
    const dep: WorkloadObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 5 } };
    const c = setup([owned('a', 'web-1'), owned('b', 'web-1'), owned('c', 'web-1'), owned('d', 'web-1')], ['a', 'b', 'c', 'd'], [rs, dep]);
    // Expected 5 (the Deployment's replicas): minAvailable 50% → ceil(2.5) = 3 desired; 4 healthy.
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, minAvailable: '50%' }), never), 1);
    // maxUnavailable 1 → desired 4; maxUnavailable 40% → ceil(2) = 2 → desired 3.
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, maxUnavailable: 1 }), never), 0);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, maxUnavailable: '40%' }), never), 1);
  });

  it('a controller that cannot be found fails safe to 0; pods without controllers expect nothing', () => {
    const c = setup([app('a').owner('ReplicaSet', 'gone').obj(), app('b').obj()], ['a', 'b']);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: sel, maxUnavailable: 1 }), never), 0);
    const bare = setup([app('a').obj(), app('b').obj()], ['a', 'b']);
    assert.equal(computeDisruptionsAllowed(bare, pdb('x', { selector: sel, maxUnavailable: 1 }), never), 0);
  });

  it('an empty selector selects the whole namespace, a missing one nothing (policy/v1)', () => {
    const c = setup([app('a').obj(), makePod('b').obj()], ['a', 'b']);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { selector: {}, minAvailable: 0 }), never), 2);
    assert.equal(computeDisruptionsAllowed(c, pdb('x', { minAvailable: 0 }), never), 0);
  });

  it('listPdbs reads the objects in key order with their stored status (disruptionsAllowed, disruptedPods), not the pods: a status never written allows nothing', () => {
    // The pods would give 1 allowed for each (minAvailable 0, one healthy pod); upstream's
    // preemption reads what the disruption controller last wrote: 3 (zeta), nothing (alpha).
    const c = setup([app('a').obj()], ['a'], [
      pdb('zeta', { selector: sel, minAvailable: 0 }, 'default', { disruptionsAllowed: 3, currentHealthy: 4, desiredHealthy: 0, expectedPods: 4, disruptedPods: { a: '2024-01-01T00:00:00Z' } }),
      pdb('alpha', { selector: sel, minAvailable: 0 }),
    ]);
    const got = listPdbs(c);
    assert.deepEqual(got.map((p) => [p.name, [...p.disruptedPods], p.disruptionsAllowed]), [['alpha', [], 0], ['zeta', ['a'], 3]]);
    assert.equal(scaledValue('33%', 10), 4);
  });
});

describe('filterPodsWithPDBViolation', () => {
  // Upstream default_preemption.go (filterPodsWithPDBViolation) semantics.
  const pi = (p: ReturnType<typeof makePod>): PodInfo => podInfo(p.obj());
  const names = (ps: readonly PodInfo[]): string[] => ps.map((p) => p.name);

  it('a shared budget is spent pod by pod, in order; pods without labels never match', () => {
    const pods = [pi(app('a')), pi(app('b')), pi(makePod('c')), pi(app('d'))];
    const [v, nv] = filterPodsWithPDBViolation(pods, [fixedPdb('default', 'x', { matchLabels: { app: 'web' } }, 1)]);
    assert.deepEqual([names(v), names(nv)], [['b', 'd'], ['a', 'c']]);
  });

  it('other namespaces, empty or missing selectors and pods in disruptedPods do not count', () => {
    const pods = [pi(app('a')), pi(app('b').namespace('other'))];
    const cases: Array<[string, ReturnType<typeof fixedPdb>, string[]]> = [
      ['other namespace', fixedPdb('elsewhere', 'x', { matchLabels: { app: 'web' } }, 0), []],
      ['empty selector', fixedPdb('default', 'x', {}, 0), []],
      ['missing selector', fixedPdb('default', 'x', null, 0), []],
      ['disrupted pod', fixedPdb('default', 'x', { matchLabels: { app: 'web' } }, 0, ['a']), []],
      ['matching', fixedPdb('default', 'x', { matchLabels: { app: 'web' } }, 0), ['a']],
    ];
    for (const [name, p, want] of cases) assert.deepEqual(names(filterPodsWithPDBViolation(pods, [p])[0]), want, name);
  });
});
