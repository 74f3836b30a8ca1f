// The scheduler's node order (upstream nodeTree). Expectations from upstream
// pkg/scheduler/backend/cache/node_tree_test.go (TestNodeTree_List, TestNodeTree_UpdateNode,
// TestNodeTreeMultiOperations), on its nodes: node-0 unlabelled, node-1 region only, node-2
// zone only, node-3 and node-4 in region-1/zone-2, node-5 in region-1/zone-3, node-6..8 in
// region-2/zone-2 (the beta failure-domain labels, as upstream's test writes them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo } from './node-info.js';
import { NodeTree, zoneKey } from './node-tree.js';

const R = 'failure-domain.beta.kubernetes.io/region';
const Z = 'failure-domain.beta.kubernetes.io/zone';
const LABELS: Record<string, string>[] = [
  {},
  { [R]: 'region-1' },
  { [Z]: 'zone-2' },
  { [R]: 'region-1', [Z]: 'zone-2' },
  { [R]: 'region-1', [Z]: 'zone-2' },
  { [R]: 'region-1', [Z]: 'zone-3' },
  { [R]: 'region-2', [Z]: 'zone-2' },
  { [R]: 'region-2', [Z]: 'zone-2' },
  { [R]: 'region-2', [Z]: 'zone-2' },
];
const all = LABELS.map((labels, i) => new NodeInfo({ metadata: { name: `node-${i}`, labels } }, '', i));
const names = (t: NodeTree) => t.nodes().map((n) => n.name);
const tree = (...ops: [('add' | 'remove'), number][]) => {
  const t = new NodeTree();
  for (const [op, i] of ops) (op === 'add' ? t.add(all[i] as NodeInfo) : t.remove(all[i] as NodeInfo));
  return t;
};
const adds = (...is: number[]) => is.map((i): ['add', number] => ['add', i]);

test('zone keys: region and zone, GA labels first, then the beta ones; "" without either', () => {
  assert.equal(zoneKey({}), '');
  assert.equal(zoneKey({ [R]: 'region-1' }), 'region-1:\u0000:');
  assert.equal(zoneKey({ [Z]: 'zone-2' }), ':\u0000:zone-2');
  assert.equal(zoneKey({ 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'z', [R]: 'old', [Z]: 'old' }), 'r:\u0000:z');
});

test('the list takes one node of each zone in turn, zones in the order they first got a node (TestNodeTree_List)', () => {
  assert.deepEqual(names(tree()), []);
  assert.deepEqual(names(tree(...adds(0))), ['node-0']);
  assert.deepEqual(names(tree(...adds(0, 1, 2, 3))), ['node-0', 'node-1', 'node-2', 'node-3']);
  assert.deepEqual(names(tree(...adds(0, 1, 2, 3, 4, 5, 6, 7, 8))), ['node-0', 'node-1', 'node-2', 'node-3', 'node-5', 'node-6', 'node-4', 'node-7', 'node-8']);
});

test('adds and removes (TestNodeTreeMultiOperations): an emptied zone leaves and comes back at the end', () => {
  assert.deepEqual(names(tree(...adds(2, 3, 4), ['remove', 2], ['remove', 3], ['remove', 4])), []);
  assert.deepEqual(names(tree(...adds(2, 3, 4), ['remove', 2])), ['node-3', 'node-4']);
  assert.deepEqual(names(tree(...adds(2, 3, 4), ['remove', 2], ['remove', 3], ['remove', 4], ['add', 5])), ['node-5']);
  assert.deepEqual(names(tree(...adds(4, 5, 6, 7, 8, 3))), ['node-4', 'node-5', 'node-6', 'node-3', 'node-7', 'node-8']);
  assert.deepEqual(names(tree(...adds(3, 4), ['remove', 3], ...adds(6, 7), ['remove', 4])), ['node-6', 'node-7']);
});

test('a node whose zone labels change moves to the end of its new zone (TestNodeTree_UpdateNode); treePos follows the list', () => {
  const n0 = new NodeInfo({ metadata: { name: 'node-0' } }, '', 0);
  const t = new NodeTree();
  t.add(n0);
  for (const n of all.slice(1, 7)) t.add(n);
  n0.labels = { [R]: 'region-1', [Z]: 'zone-2' };
  t.update(n0);
  // Zones: region-1 (1), zone-2 (2), region-1/zone-2 (3, 4, 0), region-1/zone-3 (5), region-2/zone-2 (6).
  assert.deepEqual(names(t), ['node-1', 'node-2', 'node-3', 'node-5', 'node-6', 'node-4', 'node-0']);
  assert.deepEqual(t.nodes().map((n) => n.treePos), [0, 1, 2, 3, 4, 5, 6]);
});
