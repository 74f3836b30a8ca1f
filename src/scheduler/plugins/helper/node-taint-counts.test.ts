import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeInfo } from '../../../cluster/node-info.js';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../../../testing/builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin, ScorePlugin } from '../../framework/interfaces.js';
import type { Verdict } from '../../framework/status.js';
import { newNodeUnschedulable } from '../node-unschedulable.js';
import { newTaintToleration } from '../taint-toleration.js';
import { NodeTaintCounts } from './node-taint-counts.js';

/** The names of the nodes a filter's batch form rejects. */
function rejectedBy(f: FilterPlugin, nodes: readonly NodeInfo[]): string[] {
  const rejected = { at: new Int32Array(nodes.length), verdicts: [] as Verdict[] };
  const r = (f.filterNodes as NonNullable<FilterPlugin['filterNodes']>)(new CycleState(), podInfo(makePod('p').obj()), nodes, 0, nodes.length, rejected);
  return Array.from(rejected.at.subarray(0, r), (i) => (nodes[i] as NodeInfo).name);
}

describe('NodeTaintCounts', () => {
  it('counts cordoned, hard-tainted and soft-tainted nodes as nodes join, change and leave', () => {
    const cluster = buildCluster([
      makeNode('a').unschedulable().obj(),
      makeNode('b').taint('k', 'v', 'NoExecute').taint('s', 'v', 'PreferNoSchedule').obj(),
      makeNode('c').obj(),
    ]);
    const counts = NodeTaintCounts.of(cluster);
    assert.equal(NodeTaintCounts.of(cluster), counts, 'one index per cluster');
    const now = () => [counts.cordoned, counts.hardTainted, counts.softTainted];
    assert.deepEqual(now(), [1, 1, 1]);
    cluster.updateNode('c', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], unschedulable: true });
    assert.deepEqual(now(), [2, 2, 1]);
    cluster.updateNode('b', { taints: [] });
    assert.deepEqual(now(), [2, 1, 0]);
    cluster.removeNode('a');
    assert.deepEqual(now(), [1, 1, 0]);
    cluster.updateNode('c', { taints: [], unschedulable: false });
    assert.deepEqual(now(), [0, 0, 0]);
  });

  it('lets NodeUnschedulable and TaintToleration pass a batch of the cluster\'s nodes only while none is cordoned or tainted', () => {
    const cluster = buildCluster(['a', 'b', 'c'].map((n) => makeNode(n).obj()));
    const handle = { ...fakeHandle(cluster), framework: undefined as never };
    const cordon = newNodeUnschedulable(undefined, handle) as FilterPlugin;
    const taints = newTaintToleration(undefined, handle) as FilterPlugin & ScorePlugin;
    const nodes = cluster.nodes;
    assert.deepEqual([rejectedBy(cordon, nodes), rejectedBy(taints, nodes)], [[], []]);
    cluster.updateNode('b', { unschedulable: true, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
    assert.deepEqual([rejectedBy(cordon, nodes), rejectedBy(taints, nodes)], [['b'], ['b']]);
    cluster.updateNode('b', { unschedulable: false, taints: [{ key: 's', value: 'v', effect: 'PreferNoSchedule' }] });
    assert.deepEqual([rejectedBy(cordon, nodes), rejectedBy(taints, nodes)], [[], []]);
    // The soft taint is scored (1 untolerated) until it goes; then every node scores 0.
    const score = () => {
      const out = new Float64Array(3).fill(-1);
      (taints.scoreNodes as NonNullable<ScorePlugin['scoreNodes']>)(new CycleState(), podInfo(makePod('p').obj()), nodes, out);
      return [...out];
    };
    assert.deepEqual(score(), [0, 1, 0]);
    cluster.updateNode('b', { taints: [] });
    assert.deepEqual(score(), [0, 0, 0]);
    // NormalizeScore after scoreNodes, as prioritize calls them: all untainted nodes score 100;
    // with b tainted again, the counts reversed and scaled (b 0, the others 100).
    const normalized = () => {
      const out = new Float64Array(3).fill(-1);
      const state = new CycleState();
      const pod = podInfo(makePod('p').obj());
      (taints.scoreNodes as NonNullable<ScorePlugin['scoreNodes']>)(state, pod, nodes, out);
      taints.normalizeScore?.(state, pod, nodes, out);
      return [...out];
    };
    assert.deepEqual(normalized(), [100, 100, 100]);
    cluster.updateNode('b', { taints: [{ key: 's', value: 'v', effect: 'PreferNoSchedule' }] });
    assert.deepEqual(normalized(), [100, 0, 100]);
    // Scores that scoreNodes did not make are normalized from what they hold.
    const other = Float64Array.of(0, 2, 1);
    taints.normalizeScore?.(new CycleState(), podInfo(makePod('p').obj()), nodes, other);
    assert.deepEqual([...other], [100, 0, 50]);
    cluster.updateNode('b', { taints: [] });
    // A node that is not the cluster's (a preemption clone, another cluster's) is looked at.
    const clone = (cluster.nodeByName.get('a') as NodeInfo).clone();
    clone.unschedulable = true;
    clone.taints = [{ key: 'k', value: 'v', effect: 'NoExecute' }];
    assert.deepEqual([rejectedBy(cordon, [clone]), rejectedBy(taints, [clone])], [['a'], ['a']]);
  });
});
