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
