// The object store's per-kind views: made at a kind's first query and kept up to date from then
// on, so that kinds nobody asks about (Leases) pay for one map per write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from './cluster-state.js';
import { objectKey, type WorkloadObject } from './workload-object.js';

function obj(kind: string, namespace: string, name: string, extra: Record<string, unknown> = {}): WorkloadObject {
  return { kind, metadata: { name, namespace }, ...extra };
}

function put(s: ObjectStore, o: WorkloadObject): void {
  s.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
}

const names = (m: ReadonlyMap<string, WorkloadObject>) => [...m.values()].map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

test('ofKind: the objects of a kind in the order they were first stored, whether asked before or after they were stored', () => {
  const s = new ObjectStore();
  put(s, obj('PodDisruptionBudget', 'shop', 'web'));
  put(s, obj('Lease', 'kube-node-lease', 'n1'));
  put(s, obj('PodDisruptionBudget', 'db', 'redis'));
  // First query: the view is made from the store.
  assert.deepEqual(names(s.ofKind('PodDisruptionBudget')), ['shop/web', 'db/redis']);
  // Later writes reach it: a new object, a replaced one (same place, new value), a deleted one.
  put(s, obj('PodDisruptionBudget', 'shop', 'api'));
  put(s, obj('PodDisruptionBudget', 'shop', 'web', { spec: { maxUnavailable: 2 } }));
  s.delete(objectKey('PodDisruptionBudget', 'db', 'redis'));
  const pdbs = s.ofKind('PodDisruptionBudget');
  assert.deepEqual(names(pdbs), ['shop/web', 'shop/api']);
  assert.deepEqual(pdbs.get(objectKey('PodDisruptionBudget', 'shop', 'web'))?.spec, { maxUnavailable: 2 });
  // A kind with no objects: empty, and filled once one is stored.
  assert.equal(s.ofKind('PriorityClass').size, 0);
  put(s, obj('PriorityClass', '', 'high', { value: 1000 }));
  assert.deepEqual(names(s.ofKind('PriorityClass')), ['/high']);
  // The Leases were never asked about, yet answer right when they are.
  put(s, obj('Lease', 'kube-node-lease', 'n2'));
  assert.deepEqual(names(s.ofKind('Lease')), ['kube-node-lease/n1', 'kube-node-lease/n2']);
});

test('a key whose object changes kind leaves the old kind\'s view; clear empties every view', () => {
  const s = new ObjectStore();
  const key = 'x/ns/a';
  s.set(key, obj('Service', 'ns', 'a'));
  assert.equal(s.ofKind('Service').size, 1);
  const before = s.kindVersion('Service');
  s.set(key, obj('ResourceQuota', 'ns', 'a'));
  assert.equal(s.ofKind('Service').size, 0);
  assert.deepEqual(names(s.ofKind('ResourceQuota')), ['ns/a']);
  assert.ok(s.kindVersion('Service') > before, 'the old kind changed too');
  s.clear();
  assert.equal(s.ofKind('ResourceQuota').size, 0);
  assert.equal(s.ofKind('Service').size, 0);
});

test('inNamespace and kindVersion follow writes made before and after the first query', () => {
  const s = new ObjectStore();
  put(s, obj('Service', 'shop', 'web'));
  put(s, obj('Service', 'shop', 'api'));
  const v0 = s.kindVersion('Service');
  assert.deepEqual(s.inNamespace('Service', 'shop').map((o) => o.metadata.name), ['api', 'web']);
  put(s, obj('Service', 'shop', 'cart'));
  put(s, obj('Service', 'other', 'web'));
  assert.ok(s.kindVersion('Service') > v0);
  assert.deepEqual(s.inNamespace('Service', 'shop').map((o) => o.metadata.name), ['api', 'cart', 'web']);
  // An update of another kind leaves Service's version alone.
  const v1 = s.kindVersion('Service');
  put(s, obj('Lease', 'kube-node-lease', 'n1'));
  put(s, obj('Lease', 'kube-node-lease', 'n1', { spec: { renewTime: 10 } }));
  assert.equal(s.kindVersion('Service'), v1);
  assert.equal(s.inNamespace('Service', 'nowhere').length, 0);
});
