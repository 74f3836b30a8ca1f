import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { makePod, podInfo } from '../../../testing/builders.js';
import { exists, incoming, node, placed, setup, spread, spreadPod } from '../../../testing/spread-builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import { SpreadIndex } from './spread-index.js';
import { DefaultSelectorBuilder, podConstraints } from './common.js';

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

describe('SpreadIndex against a recount after every change', () => {
  // A fixed sequence of cluster changes (pods placed, removed, terminating; nodes added, removed,
  // relabelled); after each, every counter's per-node counts and every aggregate's per-domain
  // counts and minimum must equal a recount from scratch (upstream recounts in every PreFilter:
  // countPodsMatchSelector over each node's pods, skipping terminating ones).
  const app = { matchLabels: { app: 'web' } };
  const selectors: Array<[string, typeof foo]> = [['foo', foo], ['web', app]];
  /** [requiredKeys, key]. */
  const shapes: Array<[string[], string]> = [[['zone'], 'zone'], [[], 'zone'], [['zone', 'rack'], 'rack'], [[HOST], HOST]];

  function recount(cluster: ReturnType<typeof setup>['cluster'], sel: typeof foo, required: string[], key: string) {
    const matches = (labels: Readonly<Record<string, string>>) => ('matchLabels' in sel && sel.matchLabels !== undefined ? Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v) : 'foo' in labels);
    const perNode = cluster.nodes.map((n) => [...n.pods].filter((p) => p.namespace === 'default' && p.deletionUs < 0 && matches(p.labels)).length);
    const counts = new Map<string, number>();
    cluster.nodes.forEach((n, i) => {
      if (!required.every((k) => typeof n.labels[k] === 'string')) return;
      const v = n.labels[key] ?? '';
      counts.set(v, (counts.get(v) ?? 0) + (perNode[i] as number));
    });
    return { perNode, counts: Object.fromEntries([...counts].sort()), min: counts.size === 0 ? 2147483647 : Math.min(...counts.values()) };
  }

  it('stays equal to the recount through 14 changes', () => {
    const { cluster } = setup([
      node('a', { zone: 'z1', rack: 'r1', [HOST]: 'a' }),
      node('b', { zone: 'z1', rack: 'r2', [HOST]: 'b' }),
      node('c', { zone: 'z2', [HOST]: 'c' }),
      node('d', { [HOST]: 'd' }),
    ], [
      placed('p1', 'a', { foo: '', app: 'web' }),
      placed('p2', 'b', { foo: '' }),
      placed('p3', 'c', { app: 'web' }),
      placed('p4', 'd', { foo: '' }),
      placed('other-ns', 'a', { foo: '' }, 'other'),
    ]);
    const ix = SpreadIndex.of(cluster);
    const aggs = selectors.flatMap(([name, sel]) => {
      const counter = ix.counter('default', JSON.stringify(sel), sel);
      return shapes.map(([required, key]) => ({ name: `${name} ${required.join('+')}/${key}`, sel, required, key, counter, agg: ix.agg(counter, required, key, null) }));
    });
    let seq = 0;
    const place = (nodeName: string, labels: Record<string, string>) => {
      const p = podInfo(makePod(`q${seq++}`).labels(labels).obj());
      cluster.addPod(p);
      cluster.assume(p, cluster.mustNode(nodeName));
      return p;
    };
    const pod = (name: string) => cluster.pods.get(`default/${name}`)!;
    const steps: Array<[string, () => void]> = [
      ['a matching pod placed on c', () => void place('c', { foo: '', app: 'web' })],
      ['a non-matching pod placed on a', () => void place('a', { other: '' })],
      ['p2 removed', () => cluster.deletePod(pod('p2'))],
      ['p1 terminating', () => cluster.markTerminating(pod('p1'), 1, 'test')],
      ['p1 removed while terminating', () => cluster.deletePod(pod('p1'))],
      ['node e joins zone z3 with rack r1', () => void cluster.addNode(node('e', { zone: 'z3', rack: 'r1', [HOST]: 'e' }), 'p')],
      ['two matching pods on e', () => { place('e', { foo: '' }); place('e', { app: 'web', foo: '' }); }],
      ['node f joins z3 without a rack', () => void cluster.addNode(node('f', { zone: 'z3', [HOST]: 'f' }), 'p')],
      ['node b relabelled to zone z2 without a rack', () => void cluster.updateNode('b', { labels: { zone: 'z2', [HOST]: 'b' } })],
      ['node d gets a zone', () => void cluster.updateNode('d', { labels: { zone: 'z1', [HOST]: 'd' } })],
      ['empty node f leaves', () => void cluster.removeNode('f')],
      ['the pods of a go, then a leaves (later nodes move down a slot)', () => { for (const p of [...cluster.mustNode('a').pods]) cluster.deletePod(p); cluster.removeNode('a'); }],
      ['a matching pod on the last node', () => void place('e', { foo: '', app: 'web' })],
      ['every pod of c removed: its zone keeps a 0 count', () => { for (const p of [...cluster.mustNode('c').pods]) cluster.deletePod(p); }],
    ];
    for (const [what, change] of steps) {
      change();
      for (const a of aggs) {
        const want = recount(cluster, a.sel, a.required, a.key);
        assert.deepEqual(cluster.nodes.map((n) => a.counter.countOn(n)), want.perNode, `${what}: ${a.name} per node`);
        assert.deepEqual(Object.fromEntries([...a.agg.counts].sort()), want.counts, `${what}: ${a.name} per domain`);
        assert.equal(a.agg.min, want.min, `${what}: ${a.name} minimum`);
        // What Filter and Score read for a node of the cluster: its domain id at its index,
        // and the count by that id, equal to reading its label and the count by value.
        const kd = a.agg.set.domains;
        cluster.nodes.forEach((n, i) => {
          const v = n.labels[a.key];
          const d = kd.nodeDomain[i] as number;
          assert.equal(d, v === undefined ? -1 : kd.idOf(v), `${what}: ${a.name} domain id of ${n.name}`);
          if (v !== undefined) assert.equal(a.agg.countOfId(d), a.agg.counts.get(v) ?? 0, `${what}: ${a.name} count by id on ${n.name}`);
        });
      }
    }
  });
});

describe('podConstraints: built constraints are shared while their counters are live', () => {
  const place = (cluster: ReturnType<typeof fourNodes>['cluster'], name: string, nodeName: string) => {
    const p = podInfo(placed(name, nodeName, { foo: '' }));
    cluster.addPod(p);
    cluster.assume(p, cluster.mustNode(nodeName));
    return p;
  };

  it('pods sharing a constraint list get the same constraints; after the counter is evicted, a new live one', () => {
    const { cluster } = fourNodes();
    const ix = SpreadIndex.of(cluster);
    const selectors = new DefaultSelectorBuilder(cluster);
    // Two pods of one template: their specs share the constraint list, as a ReplicaSet's pods do.
    const shared = [spread(1, 'zone', 'DoNotSchedule', foo)];
    const pod = (name: string) => {
      const p = makePod(name).label('foo', '').obj(); // obj() copies: share the list after it
      p.spec!.topologySpreadConstraints = shared;
      return podInfo(p);
    };
    const first = podConstraints(ix, pod('p1'), 'DoNotSchedule', [], selectors);
    const second = podConstraints(ix, pod('p2'), 'DoNotSchedule', [], selectors);
    assert.equal(second, first);
    assert.equal(first[0]!.counter.countOn(cluster.mustNode('n3')), 3);
    // More counters than the index keeps (512): the least recently used half goes, ours with it.
    for (let i = 0; i < 600; i++) ix.counter('default', `k${i}`, { matchLabels: { k: String(i) } });
    assert.equal(first[0]!.counter.evicted, true);
    const third = podConstraints(ix, pod('p3'), 'DoNotSchedule', [], selectors);
    assert.notEqual(third, first);
    assert.equal(third[0]!.counter.evicted, false);
    // The new counter follows placements made after it was built; the evicted one does not.
    place(cluster, 'x1', 'n2');
    assert.equal(third[0]!.counter.countOn(cluster.mustNode('n2')), 1);
    assert.equal(first[0]!.counter.countOn(cluster.mustNode('n2')), 0);
    // And the shared result is served again while that counter stays.
    assert.equal(podConstraints(ix, pod('p4'), 'DoNotSchedule', [], selectors), third);
  });

  it('matchLabelKeys make each pod\'s selector its own (not shared)', () => {
    const { cluster } = fourNodes();
    const ix = SpreadIndex.of(cluster);
    const selectors = new DefaultSelectorBuilder(cluster);
    const shared = [spread(1, 'zone', 'DoNotSchedule', foo, { matchLabelKeys: ['rev'] })];
    const pod = (name: string, rev: string) => {
      const p = makePod(name).labels({ foo: '', rev }).obj();
      p.spec!.topologySpreadConstraints = shared;
      return podInfo(p);
    };
    const a = podConstraints(ix, pod('p1', 'r1'), 'DoNotSchedule', [], selectors);
    const b = podConstraints(ix, pod('p2', 'r2'), 'DoNotSchedule', [], selectors);
    assert.notEqual(a[0]!.counter, b[0]!.counter);
    assert.equal(a[0]!.selector.matches({ foo: '', rev: 'r1' }), true);
    assert.equal(a[0]!.selector.matches({ foo: '', rev: 'r2' }), false);
  });
});
