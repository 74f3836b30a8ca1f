import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { podInfo } from '../../../testing/builders.js';
import { exists, incoming, node, placed, setup, spread, spreadPod } from '../../../testing/spread-builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import { SpreadIndex } from './spread-index.js';

const HOST = 'kubernetes.io/hostname';
const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const foo = exists('foo');

/** Nodes n0..n3 in zones z1/z1/z2/z2; matching pods 1/2/0/3. */
function fourNodes() {
  const nodes = ['n0', 'n1', 'n2', 'n3'].map((n, i) => node(n, { zone: i < 2 ? 'z1' : 'z2', [HOST]: n }));
  const pods = [
    placed('a0', 'n0', { foo: '' }),
    placed('b0', 'n1', { foo: '' }),
    placed('b1', 'n1', { foo: '' }),
    placed('d0', 'n3', { foo: '' }),
    placed('d1', 'n3', { foo: '' }),
    placed('d2', 'n3', { foo: '' }),
  ];
  return setup(nodes, pods);
}

function perNode(ix: SpreadIndex, names: readonly string[], cluster: ReturnType<typeof fourNodes>['cluster']): number[] {
  const counter = ix.counter('default', JSON.stringify(foo), foo);
  return names.map((n) => counter.countOn(cluster.mustNode(n)));
}

describe('SpreadIndex: node changes', () => {
  // Each case changes nodes and expects the per-node and per-zone matching counts an upstream
  // recount (countPodsMatchSelector over each NodeInfo) gives afterwards.
  const cases: Array<{ name: string; change: (c: ReturnType<typeof fourNodes>['cluster']) => void; nodes: string[]; perNode: number[]; zones: Record<string, number> }> = [
    {
      name: 'a node update (a taint added, as when a node becomes unreachable) keeps every node\'s count',
      change: (c) => c.updateNode('n1', { taints: [UNREACHABLE], ready: false }),
      nodes: ['n0', 'n1', 'n2', 'n3'],
      perNode: [1, 2, 0, 3],
      zones: { z1: 3, z2: 3 },
    },
    {
      name: 'updates of every node, twice, keep every count',
      change: (c) => {
        for (const n of ['n0', 'n1', 'n2', 'n3']) c.updateNode(n, { taints: [UNREACHABLE] });
        for (const n of ['n3', 'n2', 'n1', 'n0']) c.updateNode(n, { taints: [] });
      },
      nodes: ['n0', 'n1', 'n2', 'n3'],
      perNode: [1, 2, 0, 3],
      zones: { z1: 3, z2: 3 },
    },
    {
      name: 'an empty node that leaves moves the later nodes\' counts down with them',
      change: (c) => c.removeNode('n2'),
      nodes: ['n0', 'n1', 'n3'],
      perNode: [1, 2, 3],
      zones: { z1: 3, z2: 3 },
    },
    {
      name: 'a label change moves the node\'s pods to its new zone',
      change: (c) => c.updateNode('n1', { labels: { zone: 'z2', [HOST]: 'n1' } }),
      nodes: ['n0', 'n1', 'n2', 'n3'],
      perNode: [1, 2, 0, 3],
      zones: { z1: 1, z2: 5 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { cluster } = fourNodes();
      const ix = SpreadIndex.of(cluster);
      // The counter and the zone aggregate exist before the change, as in a run.
      const counter = ix.counter('default', JSON.stringify(foo), foo);
      const agg = ix.agg(counter, ['zone'], 'zone', null);
      tc.change(cluster);
      assert.deepEqual(perNode(ix, tc.nodes, cluster), tc.perNode);
      assert.deepEqual(Object.fromEntries([...agg.counts].sort()), tc.zones);
    });
  }

  it('hostname scores after an update stay those of a fresh cluster (no negative count, no score out of [0, 100])', () => {
    // Before the fix, the update shifted n2's and n3's counts down one slot: n2 read 3 pods and,
    // once n3's pods left, n3 read -3, so NormalizeScore gave n3 a score above 100 and n2 one
    // below 0.
    const { cluster, plugin } = fourNodes();
    const pod = podInfo(spreadPod(incoming({ foo: '' }), spread(1, HOST, 'ScheduleAnyway', foo)).obj());
    plugin.preScore(new CycleState(), pod, cluster.nodes); // builds the counter
    cluster.updateNode('n1', { taints: [UNREACHABLE] });
    for (const p of [...cluster.mustNode('n3').pods]) cluster.unplace(p);
    const state = new CycleState();
    assert.equal(plugin.preScore(state, pod, cluster.nodes), null);
    const scores = Float64Array.from(cluster.nodes, (n) => plugin.score(state, pod, n));
    assert.equal(plugin.normalizeScore(state, pod, cluster.nodes, scores), null);
    // Counts 1/2/0/0 over 4 candidates: weight log(6); raw 2/4/0/0; (4 + 0 - s) × 100 / 4.
    assert.deepEqual([...scores], [50, 0, 100, 100]);
  });
});
