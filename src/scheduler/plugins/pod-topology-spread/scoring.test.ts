import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { WorkloadObject } from '../../../cluster/workload-object.js';
import { RandomStreams } from '../../../engine/random.js';
import { makeFramework, makePod, nodeInfoWith, podInfo } from '../../../testing/builders.js';
import {
  controller,
  exists,
  incoming,
  matchLabels,
  node,
  nodeAffinityIn,
  placed,
  service,
  setup,
  spread,
  spreadPod,
  terminating,
  UNSCHEDULABLE_TAINT,
  zoneNode,
} from '../../../testing/spread-builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import { CODE_NAMES } from '../../framework/status.js';
import { ScheduleAlgorithm } from '../../schedule-one.js';
import { PRE_SCORE_STATE_KEY, PreScoreState, topologyNormalizingWeight } from './scoring.js';

const SA = 'ScheduleAnyway';
const DNS = 'DoNotSchedule';
const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const foo = exists('foo');
const bar = exists('bar');
const taints = [UNSCHEDULABLE_TAINT];

/** node with zone=<zone> (if given) and kubernetes.io/hostname=<name>, plus extra labels. */
function hostNode(name: string, zone: string | null, extra: Record<string, string> = {}, t: typeof taints = []): Node {
  return node(name, { ...(zone === null ? {} : { zone }), [HOST]: name, ...extra }, t);
}

describe('PodTopologySpread PreScore: TestPreScoreSkip', () => {
  // Upstream pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go (TestPreScoreSkip).
  it("the pod doesn't have soft topology spread Constraints", () => {
    const { cluster, plugin } = setup([hostNode('node-a', null), hostNode('node-b', null)]);
    const v = plugin.preScore(new CycleState(), podInfo(makePod('p').obj()), cluster.nodes);
    assert.equal(v === null ? 'Success' : CODE_NAMES[v.code], 'Skip');
  });

  it("default constraints and a replicaset that doesn't match", () => {
    const { cluster, plugin } = setup(
      [node('node-a', { planet: 'mars' })],
      [],
      { defaultingType: 'List', defaultConstraints: [{ maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: SA }] },
      [controller('ReplicaSet', 'rs1', exists('tar'))],
    );
    const pod = incoming({ foo: 'bar', baz: 'sup' }).owner('ReplicaSet', 'rs2').obj();
    const v = plugin.preScore(new CycleState(), podInfo(pod), cluster.nodes);
    assert.equal(v === null ? 'Success' : CODE_NAMES[v.code], 'Skip');
  });

  it('no nodes in the cluster', () => {
    const { plugin } = setup([]);
    const pod = spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, foo)).obj();
    const v = plugin.preScore(new CycleState(), podInfo(pod), []);
    assert.equal(v === null ? 'Success' : CODE_NAMES[v.code], 'Skip');
  });
});

/** Upstream preScoreState, restricted to what it records. */
interface ScoreStateView {
  constraints: { key: string; maxSkew: number; nodeAffinityPolicy: string; nodeTaintsPolicy: string }[];
  ignored: string[];
  /** TopologyValueToPodCounts (domains of the non-ignored candidate nodes, hostname excluded). */
  counts: Record<string, number>[];
  weights: number[];
}

function view(s: PreScoreState, filtered: readonly NodeInfo[]): ScoreStateView {
  const ignored = filtered.filter((n) => s.ignores(n)).map((n) => n.name);
  const counts = s.constraints.map((c, i) => {
    const out: Record<string, number> = {};
    if (c.topologyKey === HOST) return out;
    for (const n of filtered) {
      if (s.ignores(n)) continue;
      const lv = n.labels[c.topologyKey];
      const v = typeof lv === 'string' ? lv : '';
      out[v] = (s.counts[i] as ReadonlyMap<string, number>).get(v) ?? 0;
    }
    return out;
  });
  return {
    constraints: s.constraints.map((c) => ({
      key: c.topologyKey,
      maxSkew: c.maxSkew,
      nodeAffinityPolicy: c.honorNodeAffinity ? 'Honor' : 'Ignore',
      nodeTaintsPolicy: c.honorNodeTaints ? 'Honor' : 'Ignore',
    })),
    ignored,
    counts,
    weights: [...s.weights],
  };
}

const con = (key: string, maxSkew = 1, nodeAffinityPolicy = 'Honor', nodeTaintsPolicy = 'Ignore') => ({ key, maxSkew, nodeAffinityPolicy, nodeTaintsPolicy });
const w = topologyNormalizingWeight;

interface PreScoreCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  objects?: WorkloadObject[];
  args: unknown;
  want: ScoreStateView;
}

describe('PodTopologySpread PreScore: TestPreScoreStateEmptyNodes', () => {
  // Upstream scoring_test.go (TestPreScoreStateEmptyNodes); NodeInclusionPolicy enabled (GA in v1.33).
  const list = { defaultingType: 'List' };
  const threeNodes = [hostNode('node-a', 'zone1'), hostNode('node-b', 'zone1'), hostNode('node-x', 'zone2')];
  const fooNodes = [hostNode('node-a', 'zone1', { foo: '' }), hostNode('node-b', 'zone1', { foo: '' }), hostNode('node-x', 'zone2')];
  const taintNodes = [hostNode('node-a', 'zone1', { foo: '' }), hostNode('node-b', 'zone1', { foo: '' }), hostNode('node-x', 'zone2', {}, taints)];
  const zone12 = { zone1: 0, zone2: 0 };
  const cases: PreScoreCase[] = [
    {
      name: 'normal case',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, foo), spread(1, HOST, SA, foo)).obj(),
      nodes: threeNodes,
      args: list,
      want: { constraints: [con('zone'), con(HOST)], ignored: [], counts: [zone12, {}], weights: [w(2), w(3)] },
    },
    {
      name: 'null selector',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, null)).obj(),
      nodes: threeNodes,
      args: list,
      want: { constraints: [con('zone')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
    {
      name: "node-x doesn't have label zone",
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, foo), spread(1, HOST, SA, bar)).obj(),
      nodes: [hostNode('node-a', 'zone1'), hostNode('node-b', 'zone1'), hostNode('node-x', null)],
      args: list,
      want: { constraints: [con('zone'), con(HOST)], ignored: ['node-x'], counts: [{ zone1: 0 }, {}], weights: [w(1), w(2)] },
    },
    {
      name: 'system default constraints and a replicaset',
      pod: incoming({ foo: 'tar', baz: 'sup' }).owner('ReplicaSet', 'rs1').obj(),
      // Nodes with no zone are not excluded. They are considered a separate zone.
      nodes: [
        node('node-a', { [HOST]: 'node-a', [ZONE]: 'mars' }),
        node('node-b', { [HOST]: 'node-b', [ZONE]: 'mars' }),
        node('node-c', { [HOST]: 'node-c' }),
        node('node-d', { [HOST]: 'node-d' }),
      ],
      objects: [controller('ReplicaSet', 'rs1', foo)],
      args: { defaultingType: 'System' },
      want: { constraints: [con(HOST, 3), con(ZONE, 5)], ignored: [], counts: [{}, { mars: 0, '': 0 }], weights: [w(4), w(2)] },
    },
    {
      name: 'default constraints and a replicaset',
      pod: incoming({ foo: 'tar', baz: 'sup' }).owner('ReplicaSet', 'rs1').obj(),
      nodes: [node('node-a', { rack: 'rack1', [HOST]: 'node-a', planet: 'mars' })],
      objects: [controller('ReplicaSet', 'rs1', foo)],
      args: {
        defaultingType: 'List',
        defaultConstraints: [
          { maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: SA },
          { maxSkew: 2, topologyKey: 'rack', whenUnsatisfiable: DNS },
          { maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: SA },
        ],
      },
      want: { constraints: [con(HOST, 1), con('planet', 2)], ignored: [], counts: [{}, { mars: 0 }], weights: [w(1), w(1)] },
    },
    {
      name: 'default constraints and a replicaset, but pod has constraints',
      pod: spreadPod(
        incoming({ foo: 'bar', baz: 'sup' }).owner('ReplicaSet', 'rs1'),
        spread(1, 'zone', DNS, bar),
        spread(2, 'planet', SA, matchLabels({ baz: 'sup' })),
      ).obj(),
      nodes: [node('node-a', { planet: 'mars', galaxy: 'andromeda' })],
      objects: [controller('ReplicaSet', 'rs1', foo)],
      args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 2, topologyKey: 'galaxy', whenUnsatisfiable: SA }] },
      want: { constraints: [con('planet', 2)], ignored: [], counts: [{ mars: 0 }], weights: [w(1)] },
    },
    {
      name: 'NodeAffinityPolicy honored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'zone', SA, bar)).obj(),
      nodes: fooNodes,
      args: list,
      want: { constraints: [con('zone')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
    {
      name: 'NodeAffinityPolicy ignored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'zone', SA, bar, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: fooNodes,
      args: list,
      want: { constraints: [con('zone', 1, 'Ignore')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
    {
      name: 'NodeAffinityPolicy honored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'zone', SA, bar)).obj(),
      nodes: fooNodes,
      args: list,
      want: { constraints: [con('zone')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
    {
      name: 'NodeAffinityPolicy ignored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'zone', SA, bar, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: fooNodes,
      args: list,
      want: { constraints: [con('zone', 1, 'Ignore')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
    {
      name: 'NodeTaintsPolicy honored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, bar, { nodeTaintsPolicy: 'Honor' })).obj(),
      nodes: taintNodes,
      args: list,
      want: { constraints: [con('zone', 1, 'Honor', 'Honor')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
    {
      name: 'NodeTaintsPolicy ignored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, bar)).obj(),
      nodes: taintNodes,
      args: list,
      want: { constraints: [con('zone')], ignored: [], counts: [zone12], weights: [w(2)] },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { cluster, plugin } = setup(tc.nodes, [], tc.args, tc.objects ?? []);
      const state = new CycleState();
      assert.equal(plugin.preScore(state, podInfo(tc.pod), cluster.nodes), null);
      const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
      assert.ok(s instanceof PreScoreState);
      assert.deepEqual(view(s, cluster.nodes), tc.want);
    });
  }
});

interface ScoreCase {
  name: string;
  pod: Pod;
  existing?: Pod[];
  /** Candidate nodes (they passed the filters). */
  nodes: Node[];
  /** Nodes that failed the filters (nodes + failedNodes = all nodes). */
  failed?: Node[];
  objects?: WorkloadObject[];
  want: Record<string, number>;
}

describe('PodTopologySpread Score: TestPodTopologySpreadScore', () => {
  // Upstream scoring_test.go (TestPodTopologySpreadScore): plugin built with System defaulting;
  // PreScore over the candidate nodes, Score each, NormalizeScore. NodeInclusionPolicy and
  // MatchLabelKeys enabled as in v1.36 (the gate-disabled case does not apply).
  // Legend: X/Y matching pods on node1/node2; ~Y~ not a candidate; ?Y? candidate lacking a key.
  const hosts = (...names: string[]): Node[] => names.map((n) => node(n, { [HOST]: n }));
  const p = (name: string, nodeName: string, labels: Record<string, string> = { foo: '' }, ns?: string): Pod => placed(name, nodeName, labels, ns);
  const s2103 = [p('p-a1', 'node-a'), p('p-a2', 'node-a'), p('p-b1', 'node-b'), p('p-d1', 'node-d'), p('p-d2', 'node-d'), p('p-d3', 'node-d')];
  const s4321 = [
    p('p-a1', 'node-a'),
    p('p-a2', 'node-a'),
    p('p-a3', 'node-a'),
    p('p-a4', 'node-a'),
    p('p-b1', 'node-b'),
    p('p-b2', 'node-b'),
    p('p-b3', 'node-b'),
    p('p-c1', 'node-c'),
    p('p-c2', 'node-c'),
    p('p-d1', 'node-d'),
  ];
  const s4213 = [
    p('p-a1', 'node-a'),
    p('p-a2', 'node-a'),
    p('p-a3', 'node-a'),
    p('p-a4', 'node-a'),
    p('p-b1', 'node-b'),
    p('p-b2', 'node-b'),
    p('p-x1', 'node-x'),
    p('p-y1', 'node-y'),
    p('p-y2', 'node-y'),
    p('p-y3', 'node-y'),
  ];
  const hostFoo = (maxSkew = 1) => spreadPod(incoming({ foo: '' }), spread(maxSkew, HOST, SA, foo)).obj();
  const zoneHostDiff = () => spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', SA, foo), spread(1, HOST, SA, bar)).obj();
  const abxy = () => [hostNode('node-a', 'zone1'), hostNode('node-b', 'zone1'), hostNode('node-x', 'zone2'), hostNode('node-y', 'zone2')];
  const policyNodes = () => [node('node-a', { node: 'node-a', foo: '' }), node('node-b', { node: 'node-b', foo: '' }), node('node-c', { node: 'node-c' })];
  const taintNodes = () => [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c' }, taints)];
  const policyPods = [p('p-a1', 'node-a'), p('p-a2', 'node-a'), p('p-b1', 'node-b'), p('p-c1', 'node-c')];
  const abcd = () => [hostNode('node-a', 'zone1'), hostNode('node-b', 'zone1'), hostNode('node-c', 'zone2'), hostNode('node-d', 'zone2')];
  const cases: ScoreCase[] = [
    { name: 'one constraint on node, no existing pods', pod: hostFoo(), nodes: hosts('node-a', 'node-b'), want: { 'node-a': 100, 'node-b': 100 } },
    {
      // if there is only one candidate node, it should be scored to 100
      name: 'one constraint on node, only one node is candidate',
      pod: hostFoo(),
      existing: [p('p-a1', 'node-a'), p('p-a2', 'node-a'), p('p-b1', 'node-b')],
      nodes: hosts('node-a'),
      failed: hosts('node-b'),
      want: { 'node-a': 100 },
    },
    {
      name: 'one constraint on node, all nodes have the same number of matching pods',
      pod: hostFoo(),
      existing: [p('p-a1', 'node-a'), p('p-b1', 'node-b')],
      nodes: hosts('node-a', 'node-b'),
      want: { 'node-a': 100, 'node-b': 100 },
    },
    {
      // matching pods spread as 2/1/0/3.
      name: 'one constraint on node, all 4 nodes are candidates',
      pod: hostFoo(),
      existing: s2103,
      nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
      want: { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 },
    },
    {
      name: 'one constraint on node, null selector',
      pod: spreadPod(incoming({ foo: '' }), spread(1, HOST, SA, null)).obj(),
      existing: s2103,
      nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
      want: { 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 },
    },
    {
      name: 'one constraint on node, all 4 nodes are candidates, maxSkew=2',
      pod: hostFoo(2),
      existing: s2103,
      nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
      want: { 'node-a': 33, 'node-b': 66, 'node-c': 100, 'node-d': 16 },
    },
    {
      // matching pods spread as 4/3/2/1.
      name: 'one constraint on node, all 4 nodes are candidates, maxSkew=3',
      pod: hostFoo(3),
      existing: s4321,
      nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
      want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 },
    },
    {
      name: "system defaulting, nodes don't have zone, pods match service",
      pod: incoming({ foo: '' }).obj(),
      existing: s4321,
      nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
      objects: [service('svc', { foo: '' })],
      // Same scores as if we were using one spreading constraint.
      want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 },
    },
    {
      // matching pods spread as 4/2/1/~3~ (node4 is not a candidate)
      name: 'one constraint on node, 3 out of 4 nodes are candidates',
      pod: hostFoo(),
      existing: s4213,
      nodes: hosts('node-a', 'node-b', 'node-x'),
      failed: hosts('node-y'),
      want: { 'node-a': 33, 'node-b': 83, 'node-x': 100 },
    },
    {
      // matching pods spread as 4/?2?/1/~3~, total = 4+?+1 = 5 (as node2 is problematic)
      name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
      pod: hostFoo(),
      existing: s4213,
      nodes: [node('node-a', { [HOST]: 'node-a' }), node('node-b', { n: 'node-b' }), node('node-x', { [HOST]: 'node-x' })],
      failed: hosts('node-y'),
      want: { 'node-a': 16, 'node-b': 0, 'node-x': 100 },
    },
    {
      // matching pods spread as 4/2/1/~3~
      name: 'one constraint on zone, 3 out of 4 nodes are candidates',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, foo)).obj(),
      existing: s4213,
      nodes: [hostNode('node-a', 'zone1'), hostNode('node-b', 'zone1'), hostNode('node-x', 'zone2')],
      failed: [hostNode('node-y', 'zone2')],
      want: { 'node-a': 75, 'node-b': 75, 'node-x': 100 },
    },
    {
      // matching pods spread as 2/~1~/2/~4~.
      name: 'two Constraints on zone and node, 2 out of 4 nodes are candidates',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', SA, foo), spread(1, HOST, SA, foo)).obj(),
      existing: [
        p('p-a1', 'node-a'),
        p('p-a2', 'node-a'),
        p('p-b1', 'node-b'),
        p('p-x1', 'node-x'),
        p('p-x2', 'node-x'),
        p('p-y1', 'node-y'),
        p('p-y2', 'node-y'),
        p('p-y3', 'node-y'),
        p('p-y4', 'node-y'),
      ],
      nodes: [hostNode('node-a', 'zone1'), hostNode('node-x', 'zone2')],
      failed: [hostNode('node-b', 'zone1'), hostNode('node-y', 'zone2')],
      want: { 'node-a': 100, 'node-x': 63 },
    },
    {
      // zone: 2/2/1/1 (foo); node: 0/1/0/1 (bar)
      name: 'two Constraints on zone and node, with different labelSelectors',
      pod: zoneHostDiff(),
      existing: [p('p-a1', 'node-a'), p('p-b1', 'node-b', { foo: '', bar: '' }), p('p-y1', 'node-y'), p('p-y2', 'node-y', { bar: '' })],
      nodes: abxy(),
      want: { 'node-a': 60, 'node-b': 20, 'node-x': 100, 'node-y': 60 },
    },
    {
      // zone: 0/0/2/2 (foo); node: 0/1/0/1 (bar)
      name: 'two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods',
      pod: zoneHostDiff(),
      existing: [p('p-b1', 'node-b', { bar: '' }), p('p-x1', 'node-x'), p('p-y1', 'node-y', { foo: '', bar: '' })],
      nodes: abxy(),
      want: { 'node-a': 100, 'node-b': 60, 'node-x': 40, 'node-y': 0 },
    },
    {
      // zone: 2/2/1/~1~ (foo); node: 0/1/0/~1~ (bar)
      name: 'two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates',
      pod: zoneHostDiff(),
      existing: [p('p-a1', 'node-a'), p('p-b1', 'node-b', { foo: '', bar: '' }), p('p-y1', 'node-y'), p('p-y2', 'node-y', { bar: '' })],
      nodes: [hostNode('node-a', 'zone1'), hostNode('node-b', 'zone1'), hostNode('node-x', 'zone2')],
      failed: [hostNode('node-y', 'zone2')],
      want: { 'node-a': 50, 'node-b': 25, 'node-x': 100 },
    },
    {
      name: 'existing pods in a different namespace do not count',
      pod: hostFoo(),
      existing: [p('p-a1', 'node-a', { foo: '' }, 'ns1'), p('p-a2', 'node-a'), p('p-b1', 'node-b'), p('p-b2', 'node-b')],
      nodes: hosts('node-a', 'node-b'),
      want: { 'node-a': 100, 'node-b': 33 },
    },
    {
      name: 'terminating Pods should be excluded',
      pod: hostFoo(),
      existing: [terminating(makePod('p-a').node('node-a').label('foo', '')).obj(), p('p-b', 'node-b')],
      nodes: hosts('node-a', 'node-b'),
      want: { 'node-a': 100, 'node-b': 0 },
    },
    {
      // Artificial: the API server rejects minDomains with ScheduleAnyway.
      name: 'minDomains has no effect when ScheduleAnyway',
      pod: spreadPod(incoming({ foo: '' }), spread(2, 'node', SA, foo, { minDomains: 10 })).obj(),
      existing: [p('p-a1', 'node-a'), p('p-a2', 'node-a'), p('p-b1', 'node-b'), p('p-b2', 'node-b'), p('p-c1', 'node-c')],
      nodes: [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c' })],
      want: { 'node-a': 75, 'node-b': 75, 'node-c': 100 },
    },
    {
      name: 'NodeAffinityPolicy honoed with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'node', SA, foo)).obj(),
      existing: policyPods,
      nodes: policyNodes(),
      want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
    },
    {
      name: 'NodeAffinityPolicy ignored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'node', SA, foo, { nodeAffinityPolicy: 'Ignore' })).obj(),
      existing: policyPods,
      nodes: policyNodes(),
      want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 },
    },
    {
      name: 'NodeAffinityPolicy honoed with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'node', SA, foo)).obj(),
      existing: policyPods,
      nodes: policyNodes(),
      want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
    },
    {
      name: 'NodeAffinityPolicy ignored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'node', SA, foo, { nodeAffinityPolicy: 'Ignore' })).obj(),
      existing: policyPods,
      nodes: policyNodes(),
      want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 },
    },
    {
      name: 'NodeTaintsPolicy honored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', SA, foo, { nodeTaintsPolicy: 'Honor' })).obj(),
      existing: policyPods,
      nodes: taintNodes(),
      want: { 'node-a': 0, 'node-b': 33, 'node-c': 100 },
    },
    {
      name: 'NodeTaintsPolicy ignored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', SA, foo)).obj(),
      existing: policyPods,
      nodes: taintNodes(),
      want: { 'node-a': 66, 'node-b': 100, 'node-c': 100 },
    },
    {
      name: 'matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
      pod: spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', SA, {}, { matchLabelKeys: ['foo'] }), spread(1, HOST, SA, {}, { matchLabelKeys: ['bar'] })).obj(),
      existing: [p('p-a1', 'node-a'), p('p-b1', 'node-b', { foo: '', bar: '' }), p('p-y1', 'node-c'), p('p-y2', 'node-c', { bar: '' })],
      nodes: abcd(),
      want: { 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 },
    },
    {
      name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
      pod: spreadPod(incoming({ foo: '', bar: '', baz: '' }), spread(1, 'zone', SA, foo), spread(1, HOST, SA, bar, { matchLabelKeys: ['baz'] })).obj(),
      existing: [
        p('p-a1', 'node-a'),
        p('p-b1', 'node-b', { foo: '', bar: '', baz: '' }),
        p('p-c1', 'node-c'),
        p('p-c2', 'node-c', { bar: '' }),
        p('p-d3', 'node-c', { bar: '', baz: '' }),
      ],
      nodes: abcd(),
      want: { 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 },
    },
    // v1.36's countPodsMatchSelector counts no pod for an empty selector (fixed after 1.36, #141340).
    {
      name: 'an empty labelSelector counts no existing pod (v1.36)',
      pod: spreadPod(incoming({ foo: '' }), spread(1, HOST, SA, {})).obj(),
      existing: s2103,
      nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
      want: { 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { cluster, plugin } = setup([...tc.nodes, ...(tc.failed ?? [])], tc.existing ?? [], { defaultingType: 'System' }, tc.objects ?? []);
      const candidates = tc.nodes.map((n) => cluster.mustNode(n.metadata?.name ?? ''));
      const pod = podInfo(tc.pod);
      const state = new CycleState();
      assert.equal(plugin.preScore(state, pod, candidates), null);
      const scores = new Float64Array(candidates.map((n) => plugin.score(state, pod, n)));
      // The batch path (scoreNodes: the framework's) gives the raw scores node by node gives.
      const batch = new Float64Array(candidates.length);
      plugin.scoreNodes(state, pod, candidates, batch);
      assert.deepEqual([...batch], [...scores]);
      assert.equal(plugin.normalizeScore(state, pod, candidates, scores), null);
      assert.deepEqual(Object.fromEntries(candidates.map((n, i) => [n.name, scores[i]])), tc.want);
    });
  }
});

describe('PodTopologySpread raw scores', () => {
  it('score is round(Σ count × log(#domains + 2) + maxSkew − 1)', () => {
    // zone: 3 domains among the candidates, counts 2/1/0; hostname: 4 candidates.
    const { cluster, plugin } = setup(
      [hostNode('a', 'z1'), hostNode('b', 'z2'), hostNode('c', 'z3'), hostNode('d', 'z1')],
      [placed('p1', 'a', { app: 'x' }), placed('p2', 'd', { app: 'x' }), placed('p3', 'b', { app: 'x' })],
    );
    const pod = podInfo(spreadPod(incoming({ app: 'x' }), spread(2, 'zone', SA, exists('app')), spread(1, HOST, SA, exists('app'))).obj());
    const state = new CycleState();
    assert.equal(plugin.preScore(state, pod, cluster.nodes), null);
    const raw = cluster.nodes.map((n) => plugin.score(state, pod, n));
    const wz = Math.log(5);
    const wh = Math.log(6);
    assert.deepEqual(raw, [Math.round(2 * wz + 1 + wh), Math.round(wz + 1 + wh), Math.round(1), Math.round(2 * wz + 1 + wh)]);
    assert.deepEqual(raw, [6, 4, 1, 6]);
  });

  it('a candidate lacking one of two own constraints\' keys is ignored: raw score 0, and not counted in the hostname weight', () => {
    // zone: 2 domains among the candidates (c has no zone label, so it is ignored); hostname: the
    // 2 candidates that are not ignored.
    const { cluster, plugin } = setup(
      [hostNode('a', 'z1'), hostNode('b', 'z2'), hostNode('c', null)],
      [placed('p1', 'a', { app: 'x' }), placed('p2', 'a', { app: 'x' }), placed('p3', 'a', { app: 'x' }), placed('p4', 'c', { app: 'x' })],
    );
    const pod = podInfo(spreadPod(incoming({ app: 'x' }), spread(1, 'zone', SA, exists('app')), spread(1, HOST, SA, exists('app'))).obj());
    const state = new CycleState();
    assert.equal(plugin.preScore(state, pod, cluster.nodes), null);
    const raw = cluster.nodes.map((n) => plugin.score(state, pod, n));
    // a: 3 × log(2 + 2) + 3 × log(2 + 2) = 8.32 → 8 (a hostname weight counting c too would give
    // 3 × log(4) + 3 × log(5) = 8.99 → 9); b: 0; c: ignored.
    assert.deepEqual(raw, [8, 0, 0]);
  });

  it('pods sharing a constraint list share a PreScore state while its aggregates and weights hold, and get a new one when the candidates change them', () => {
    const { cluster, plugin } = setup(
      [hostNode('a', 'z1'), hostNode('b', 'z2'), hostNode('c', 'z3'), hostNode('d', 'z1')],
      [placed('p1', 'a', { app: 'x' }), placed('p2', 'd', { app: 'x' }), placed('p3', 'b', { app: 'x' })],
    );
    // One Pod object: its constraint list is the one the cycles share.
    const pod = podInfo(spreadPod(incoming({ app: 'x' }), spread(2, 'zone', SA, exists('app')), spread(1, HOST, SA, exists('app'))).obj());
    const stateOf = (candidates: readonly NodeInfo[]): PreScoreState => {
      const st = new CycleState();
      assert.equal(plugin.preScore(st, pod, candidates), null);
      return st.read<PreScoreState>(PRE_SCORE_STATE_KEY) as PreScoreState;
    };
    const [a, b, c, d] = cluster.nodes as [NodeInfo, NodeInfo, NodeInfo, NodeInfo];
    const all = stateOf(cluster.nodes);
    assert.deepEqual([...all.weights], [Math.log(5), Math.log(6)]);
    assert.equal(stateOf(cluster.nodes), all);
    // Candidates a and d: one zone and two hosts among them, so other weights and another state.
    const z1 = stateOf([a, d]);
    assert.notEqual(z1, all);
    assert.deepEqual([...z1.weights], [Math.log(3), Math.log(4)]);
    const st = new CycleState();
    assert.equal(plugin.preScore(st, pod, [a, d]), null);
    // a: 2 pods in z1 × log 3 + (2 − 1) + 1 pod on a × log 4 = 4.58 → 5.
    assert.deepEqual([a, d].map((n) => plugin.score(st, pod, n)), [5, 5]);
    // Back to every node: the weights of the first state again, in a state built anew.
    const again = stateOf(cluster.nodes);
    assert.notEqual(again, z1);
    assert.deepEqual([...again.weights], [Math.log(5), Math.log(6)]);
    // A shared state reads the counts as they are: a pod placed on c since counts there.
    const p4 = podInfo(placed('p4', 'c', { app: 'x' }));
    cluster.addPod(p4);
    cluster.assume(p4, c);
    const st2 = new CycleState();
    assert.equal(plugin.preScore(st2, pod, cluster.nodes), null);
    assert.equal(st2.read<PreScoreState>(PRE_SCORE_STATE_KEY), again);
    // c: 1 pod in z3 × log 5 + 1 + 1 pod on c × log 6 = 4.40 → 4 (1 before p4); b is unchanged.
    assert.deepEqual([b, c].map((n) => plugin.score(st2, pod, n)), [Math.round(Math.log(5) + 1 + Math.log(6)), 4]);
  });

  it('the batch path scores as node by node: a key missing first or second, own constraints (node ignored) or the system defaults (its term left out), and a node that is not the cluster\'s', () => {
    const nodes = [hostNode('a', 'z1'), hostNode('b', 'z2'), hostNode('c', null), hostNode('d', 'z1')];
    const existing = [placed('p1', 'a', { app: 'x' }), placed('p2', 'a', { app: 'x' }), placed('p3', 'b', { app: 'x' }), placed('p4', 'c', { app: 'x' })];
    const check = (plugin: ReturnType<typeof setup>['plugin'], candidates: readonly NodeInfo[], pod: ReturnType<typeof podInfo>, want: number[]) => {
      const st = new CycleState();
      assert.equal(plugin.preScore(st, pod, candidates), null);
      const batch = new Float64Array(candidates.length);
      plugin.scoreNodes(st, pod, candidates, batch);
      assert.deepEqual([...batch], candidates.map((n) => plugin.score(st, pod, n)));
      assert.deepEqual([...batch], want);
    };
    // Own constraints, hostname first: c lacks the zone (the second key) and is ignored.
    const own = setup(nodes, existing);
    const hostFirst = podInfo(spreadPod(incoming({ app: 'x' }), spread(1, HOST, SA, exists('app')), spread(1, 'zone', SA, exists('app'))).obj());
    // Weights: hostname log(3 + 2) (c ignored), zone log(2 + 2). a: 2 × 1.61 + 2 × 1.39 = 6.0; b: 1.61 + 1.39 = 3.0; d: 2 × 1.39 = 2.77.
    check(own.plugin, own.cluster.nodes, hostFirst, [6, 3, 0, 3]);
    // A copy of node b (as preemption makes): scored from its labels, the same.
    const copy = nodeInfoWith(hostNode('b', 'z2'), placed('p3', 'b', { app: 'x' }));
    check(own.plugin, [own.cluster.mustNode('a'), copy], hostFirst, [6, 3]);
    // The system defaults (zone maxSkew 3, hostname maxSkew 5) for a ReplicaSet's pods: c keeps its hostname term.
    const zoned = [hostNode('a', null, { [ZONE]: 'z1' }), hostNode('b', null, { [ZONE]: 'z2' }), hostNode('c', null), hostNode('d', null, { [ZONE]: 'z1' })];
    const sys = setup(zoned, existing, { defaultingType: 'System' }, [controller('ReplicaSet', 'rs', { matchLabels: { app: 'x' } })]);
    const owned = podInfo(incoming({ app: 'x' }).owner('ReplicaSet', 'rs').obj());
    // Zone weight log(3 + 2) (z1, z2 and c's domain ""), skew 4; hostname weight log(4 + 2), skew 2.
    // a: 2 × 1.609 + 4 + 2 × 1.792 + 2 = 12.80; b: 1.609 + 4 + 1.792 + 2 = 9.40; c, no zone term:
    // 1.792 + 2 = 3.79; d: 2 × 1.609 + 4 + 0 + 2 = 9.22.
    check(sys.plugin, sys.cluster.nodes, owned, [13, 9, 4, 9]);
    // Normalized: 100 × (13 + 4 − s) / 13, truncated.
    const st = new CycleState();
    assert.equal(sys.plugin.preScore(st, owned, sys.cluster.nodes), null);
    const scores = new Float64Array(4);
    sys.plugin.scoreNodes(st, owned, sys.cluster.nodes, scores);
    assert.equal(sys.plugin.normalizeScore(st, owned, sys.cluster.nodes, scores), null);
    assert.deepEqual([...scores], [30, 61, 100, 61]);
    // Nodes with neither key: every raw score 0, so every node gets 100.
    const bare = setup([node('e', {}), node('f', {})], [], { defaultingType: 'System' }, [controller('ReplicaSet', 'rs', { matchLabels: { app: 'x' } })]);
    const st2 = new CycleState();
    assert.equal(bare.plugin.preScore(st2, owned, bare.cluster.nodes), null);
    const zeros = new Float64Array(2);
    bare.plugin.scoreNodes(st2, owned, bare.cluster.nodes, zeros);
    assert.deepEqual([...zeros], [0, 0]);
    assert.equal(bare.plugin.normalizeScore(st2, owned, bare.cluster.nodes, zeros), null);
    assert.deepEqual([...zeros], [100, 100]);
  });

  it('NormalizeScore without PreScore state is an error', () => {
    const { cluster, plugin } = setup([hostNode('a', 'z1')]);
    const v = plugin.normalizeScore(new CycleState(), podInfo(makePod('p').obj()), cluster.nodes, new Float64Array(1));
    assert.equal(v === null ? 'Success' : CODE_NAMES[v.code], 'Error');
    assert.deepEqual(v?.reasons, ['error reading "PreScorePodTopologySpread" from cycleState: not found']);
  });
});

describe('PodTopologySpread in a scheduling cycle', () => {
  it('the framework runs it at PreFilter, Filter, PreScore and Score, and placements feed the next cycle', () => {
    const nodes = [zoneNode('n1', 'z1'), zoneNode('n2', 'z1'), zoneNode('n3', 'z2'), zoneNode('n4', 'z3')];
    const { cluster, plugin } = setup(nodes, [placed('e1', 'n1', { app: 'web' }), placed('e2', 'n3', { app: 'web' })]);
    const fwk = makeFramework(cluster, [[plugin, 2]]);
    assert.deepEqual(
      [fwk.preFilter.includes(plugin), fwk.filter.includes(plugin), fwk.preScore.includes(plugin), fwk.score.includes(plugin)],
      [true, true, true, true],
    );
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('scheduler'));
    const placedOn: string[] = [];
    for (let i = 0; i < 3; i++) {
      const pi = podInfo(spreadPod(incoming({ app: 'web' }, `w${i}`), spread(1, 'zone', DNS, matchLabels({ app: 'web' }))).obj());
      cluster.addPod(pi);
      const r = algo.schedule(fwk, fwk.newCycleState(), pi);
      assert.notEqual(r.nodeName, null, r.reason);
      placedOn.push(cluster.mustNode(r.nodeName as string).labels['zone'] as string);
      cluster.assume(pi, cluster.mustNode(r.nodeName as string));
    }
    // z3 is empty: first pod must go there; then every zone holds 1, so any zone, then the rest.
    assert.equal(placedOn[0], 'z3');
    const counts: Record<string, number> = { z1: 1, z2: 1, z3: 0 };
    for (const z of placedOn) counts[z] = (counts[z] ?? 0) + 1;
    assert.ok(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts)) <= 1, JSON.stringify(counts));
    const rackless = podInfo(spreadPod(incoming({ app: 'web' }, 'rackless'), spread(1, 'rack', DNS, matchLabels({ app: 'web' }))).obj());
    cluster.addPod(rackless);
    const r = algo.schedule(fwk, fwk.newCycleState(), rackless);
    assert.equal(r.nodeName, null);
    assert.equal(r.reason, "0/4 nodes are available: 4 node(s) didn't match pod topology spread constraints (missing required label).");
    assert.deepEqual([...r.unschedulablePlugins], ['PodTopologySpread']);
  });
});
