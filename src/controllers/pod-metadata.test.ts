import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownedPodMetadata } from './pod-metadata.js';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true, blockOwnerDeletion: true };

test('ownedPodMetadata: the pod\'s name, namespace, labels and owner replace the template\'s; its other fields carry over', () => {
  const tmd = { name: 'ignored', namespace: 'other', generateName: 'web-', finalizers: ['f'], labels: { app: 'web' }, annotations: { a: '1' }, ownerReferences: [] };
  const labels = { app: 'web', extra: 'x' };
  const md = ownedPodMetadata(tmd, 'web-1-abcde', 'shop', labels, owner);
  assert.deepEqual(md, { labels: { app: 'web', extra: 'x' }, annotations: { a: '1' }, name: 'web-1-abcde', namespace: 'shop', ownerReferences: [owner], generateName: 'web-', finalizers: ['f'] });
  assert.deepEqual(Object.keys(md), ['name', 'namespace', 'generateName', 'finalizers', 'labels', 'annotations', 'ownerReferences']);
  assert.equal(md.labels, labels);
  // The annotations are the pod's own copy: the template's stay as they were.
  assert.notEqual(md.annotations, tmd.annotations);
  (md.annotations as Record<string, string>)['b'] = '2';
  assert.deepEqual(tmd.annotations, { a: '1' });
});

test('ownedPodMetadata: a template without annotations gives the pod an empty set of its own', () => {
  const md = ownedPodMetadata({ labels: { app: 'web' } }, 'p', 'default', { app: 'web' }, owner);
  // The keys in the order `{ ...tmd, name, namespace, labels, annotations, ownerReferences }` has them.
  assert.deepEqual(Object.keys(md), ['labels', 'name', 'namespace', 'annotations', 'ownerReferences']);
  assert.deepEqual(md.annotations, {});
});
