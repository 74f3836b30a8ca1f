import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownedPodMetadata, podMetadataWith, sharedPodMetadataParts } from './pod-metadata.js';

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

test('sharedPodMetadataParts: one frozen set of labels, annotations and owner references for every pod of a template', () => {
  const tmd = { generateName: 'web-', labels: { app: 'web', 'pod-template-hash': 'abc' }, annotations: { a: '1' } };
  const parts = sharedPodMetadataParts(tmd, owner, 'web-1-');
  const one = podMetadataWith(tmd, 'web-1-aaaaa', 'shop', parts);
  const two = podMetadataWith(tmd, 'web-1-bbbbb', 'shop', parts);
  // What ownedPodMetadata gives, keys in the same order; the generateName is the controller's
  // (upstream GetPodFromTemplate sets it to "<owner>-" over the template's).
  assert.deepEqual(one, ownedPodMetadata(tmd, 'web-1-aaaaa', 'shop', { app: 'web', 'pod-template-hash': 'abc' }, owner, 'web-1-'));
  assert.deepEqual(Object.keys(one), Object.keys(ownedPodMetadata(tmd, 'x', 'shop', {}, owner, 'web-1-')));
  assert.equal(one.generateName, 'web-1-');
  assert.equal(one.generateName, two.generateName);
  assert.equal(two.name, 'web-1-bbbbb');
  assert.equal(one.labels, two.labels);
  assert.equal(one.annotations, two.annotations);
  assert.equal(one.ownerReferences, two.ownerReferences);
  // Copies of the template's, frozen: a write into one pod's would have changed them all.
  assert.notEqual(one.labels, tmd.labels);
  assert.notEqual(one.annotations, tmd.annotations);
  assert.ok(Object.isFrozen(one.labels) && Object.isFrozen(one.annotations) && Object.isFrozen(one.ownerReferences) && Object.isFrozen(one.ownerReferences![0]));
  assert.throws(() => {
    (one.labels as Record<string, string>)['extra'] = 'x';
  }, TypeError);
  assert.deepEqual(tmd.labels, { app: 'web', 'pod-template-hash': 'abc' });
});
