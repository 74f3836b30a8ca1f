import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod } from '../testing/builders.js';
import type { ClusterIndex } from './cluster-state.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

test('updateNode replays the node and its pods to indexes that cannot update in place', () => {
  const c = buildCluster([makeNode('n1').label('zone', 'a').obj()], [makePod('p').node('n1').obj()]);
  const log: string[] = [];
  const ix: ClusterIndex = {
    nodeAdded: (n: NodeInfo) => log.push(`+node ${n.name} ${n.labels['zone']}`),
    nodeRemoved: (n: NodeInfo) => log.push(`-node ${n.name} ${n.labels['zone']}`),
    podPlaced: (p: PodInfo, n: NodeInfo) => log.push(`+pod ${p.name}@${n.labels['zone']}`),
    podRemoved: (p: PodInfo, n: NodeInfo) => log.push(`-pod ${p.name}@${n.labels['zone']}`),
  };
  c.addIndex(ix);
  log.length = 0;
  c.updateNode('n1', { labels: { zone: 'b' }, taints: [{ key: 'k', effect: 'NoExecute' }] });
  assert.deepEqual(log, ['-pod p@a', '-node n1 a', '+node n1 b', '+pod p@b']);
  assert.deepEqual(c.mustNode('n1').taints, [{ key: 'k', effect: 'NoExecute' }]);
});

test('an index with nodeUpdated is told once', () => {
  const c = buildCluster([makeNode('n1').obj()], []);
  const seen: boolean[] = [];
  c.addIndex({ nodeUpdated: (n) => seen.push(n.ready) });
  c.updateNode('n1', { ready: false });
  assert.deepEqual(seen, [false]);
});

test('lastKnownNodes: a removed node that pods are still bound to is found as it was removed (Ready or not), until its last orphan goes; nodeByName no longer has it', () => {
  const c = buildCluster([makeNode('n1').obj(), makeNode('n2').obj()], [makePod('a').node('n1').obj(), makePod('b').node('n2').obj()]);
  c.updateNode('n2', { ready: false });
  c.removeNode('n1');
  c.removeNode('n2');
  assert.equal(c.nodeByName.get('n1'), undefined);
  assert.deepEqual(['n1', 'n2', 'n3'].map((n) => c.lastKnownNodes.get(n)?.ready), [true, false, undefined]);
  c.deletePod(c.pods.get('default/a') as PodInfo);
  assert.deepEqual(['n1', 'n2'].map((n) => c.lastKnownNodes.get(n)?.ready), [undefined, false]);
  // A node joining under the name is the one found.
  c.addNode(makeNode('n2').obj(), '');
  assert.equal(c.lastKnownNodes.get('n2'), c.nodeByName.get('n2'));
  assert.equal(c.lastKnownNodes.get('n2')?.ready, true);
});
