import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePod, podInfo } from '../testing/builders.js';
import { PodList, PodListKind } from './pod-list.js';

const pods = (n: number) => Array.from({ length: n }, (_, i) => podInfo(makePod(`p${i}`).obj()));

test('PodList: add, has, delete and size; a removed pod\'s place is taken by the last one', () => {
  const [a, b, c, d] = pods(4) as [ReturnType<typeof podInfo>, ReturnType<typeof podInfo>, ReturnType<typeof podInfo>, ReturnType<typeof podInfo>];
  const l = new PodList(PodListKind.ReplicaSet);
  assert.equal(l.add(a), true);
  assert.equal(l.add(b), true);
  assert.equal(l.add(c), true);
  assert.equal(l.add(b), false);
  assert.equal(l.size, 3);
  assert.equal(l.has(d), false);
  assert.equal(l.delete(d), false);
  assert.equal(l.delete(a), true);
  assert.deepEqual(l.items.map((p) => p.name), ['p2', 'p1']);
  assert.equal(l.has(a), false);
  assert.equal(l.has(c), true);
  assert.equal(l.delete(b), true); // the last one: nothing moves
  assert.deepEqual([...l].map((p) => p.name), ['p2']);
  assert.equal(l.delete(c), true);
  assert.equal(l.size, 0);
  assert.equal(l.add(a), true);
  assert.deepEqual(l.items.map((p) => p.name), ['p0']);
});

test('PodList: lists of one kind do not see each other\'s pods; lists of two kinds hold the same pod apart', () => {
  const [a, b, c] = pods(3) as [ReturnType<typeof podInfo>, ReturnType<typeof podInfo>, ReturnType<typeof podInfo>];
  const first = new PodList(PodListKind.Deployment);
  const second = new PodList(PodListKind.Deployment);
  first.add(a);
  second.add(b);
  // Both at index 0 of their lists: membership is the pod found there.
  assert.equal(first.has(b), false);
  assert.equal(second.has(a), false);
  assert.equal(second.delete(a), false);
  assert.deepEqual(first.items, [a]);
  const rs = new PodList(PodListKind.ReplicaSet);
  rs.add(c);
  rs.add(a);
  first.add(c);
  assert.deepEqual([rs.has(a), rs.has(c), first.has(a), first.has(c)], [true, true, true, true]);
  rs.delete(c);
  assert.deepEqual([rs.has(a), rs.has(c), first.has(a), first.has(c)], [true, false, true, true]);
  assert.deepEqual(first.items.map((p) => p.name), ['p0', 'p2']);
  assert.deepEqual(rs.items.map((p) => p.name), ['p0']);
});
