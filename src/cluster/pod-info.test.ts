// PodInfo's derived fields, and what pods share instead of each holding a copy (a pile of a
// million pending pods is the memory of a large run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodInfo } from './pod-info.js';
import { makePod } from '../testing/builders.js';

test('owner keys: a bare pod keys by its namespace alone (the same keys for every bare pod of it), an owned pod by its owner', () => {
  const a = new PodInfo(makePod('a').obj(), 0);
  const b = new PodInfo(makePod('b').obj(), 0);
  const shop = new PodInfo({ ...makePod('c').obj(), metadata: { name: 'c', namespace: 'shop' } }, 0);
  const owned = new PodInfo({ ...makePod('d').obj(), metadata: { name: 'd', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true }] } }, 0);
  assert.deepEqual([a.ownerKind, a.ownerName, a.ownerKey, a.ownerObjectKey], ['', '', 'default/', '/default/']);
  assert.deepEqual([shop.ownerKey, shop.ownerObjectKey], ['shop/', '/shop/']);
  assert.deepEqual([owned.ownerKind, owned.ownerName, owned.ownerKey, owned.ownerObjectKey], ['ReplicaSet', 'web-1', 'shop/web-1', 'ReplicaSet/shop/web-1']);
  assert.equal(a.ownerKey, b.ownerKey);
  assert.equal(a.ownerObjectKey, b.ownerObjectKey);
});

test('host ports and labels: none is one shared, frozen value; a pod with some has its own', () => {
  const plain = new PodInfo(makePod('a').obj(), 0);
  const other = new PodInfo(makePod('b').obj(), 0);
  assert.equal(plain.hostPorts, other.hostPorts);
  assert.equal(plain.hostPorts.length, 0);
  assert.ok(Object.isFrozen(plain.hostPorts));
  assert.equal(plain.labels, other.labels);
  assert.deepEqual(plain.labels, {});
  assert.ok(Object.isFrozen(plain.labels));
  const w = new PodInfo({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'w', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }] }] },
  }, 0);
  assert.deepEqual(w.labels, { app: 'web' });
  assert.deepEqual(w.hostPorts, [{ hostIP: '0.0.0.0', protocol: 'TCP', port: 8080 }]);
  assert.notEqual(w.hostPorts, plain.hostPorts);
});
