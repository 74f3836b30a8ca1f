import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { RandomStreams } from '../../engine/random.js';
import { buildCluster, makeFramework, makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { NodeTaintCounts } from './helper/node-taint-counts.js';
import { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../framework/interfaces.js';
import { Code, CODE_NAMES } from '../framework/status.js';
import { prioritize, ScheduleAlgorithm, ScoreBuffers } from '../schedule-one.js';
import { ERR_REASON_UNTOLERATED, newTaintToleration, TaintTolerationPlugin, tolerationsPreferNoSchedule } from './taint-toleration.js';

/** Upstream's nodeWithTaints: a node with only a name and taints (no labels). */
function nodeWithTaints(name: string, taints: Taint[]): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } };
}

/** Upstream's podWithTolerations. */
function podWithTolerations(name: string, tolerations: Toleration[]): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [], tolerations } };
}

describe('TaintToleration Filter', () => {
  // Upstream pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
  // (TestTaintTolerationFilter), v1.35+ reason "node(s) had untolerated taint(s)" (earlier
  // releases named the taint: "node(s) had untolerated taint {dedicated: user1}").
  const cases: Array<{ name: string; pod: Pod; node: Node; rejected: boolean }> = [
    {
      name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
      pod: podWithTolerations('pod1', []),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      rejected: true,
    },
    {
      name: 'A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      pod: podWithTolerations('pod1', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      rejected: false,
    },
    {
      name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
      rejected: true,
    },
    {
      name: 'A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
      rejected: false,
    },
    {
      name: 'A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', [
        { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      ]),
      node: nodeWithTaints('nodeA', [
        { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      ]),
      rejected: false,
    },
    {
      name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
      rejected: true,
    },
    {
      name: 'The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar' }]),
      node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
      rejected: false,
    },
    {
      name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }]),
      rejected: false,
    },
    {
      name: 'The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node',
      pod: podWithTolerations('pod1', []),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }]),
      rejected: false,
    },
    // ksim cases pinning v1helper.FindMatchingUntoleratedTaint and Toleration.ToleratesTaint.
    {
      name: 'ksim case: an untolerated NoExecute taint rejects the node like NoSchedule',
      pod: podWithTolerations('pod1', []),
      node: nodeWithTaints('nodeA', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]),
      rejected: true,
    },
    {
      name: 'ksim case: an Exists toleration without key and effect tolerates every taint',
      pod: podWithTolerations('pod1', [{ operator: 'Exists' }]),
      node: nodeWithTaints('nodeA', [
        { key: 'a', value: 'x', effect: 'NoSchedule' },
        { key: 'b', effect: 'NoExecute' },
      ]),
      rejected: false,
    },
    {
      name: 'ksim case: the second of two NoSchedule taints is untolerated',
      pod: podWithTolerations('pod1', [{ key: 'a', operator: 'Exists' }]),
      node: nodeWithTaints('nodeA', [
        { key: 'a', value: 'x', effect: 'NoSchedule' },
        { key: 'b', value: 'y', effect: 'NoSchedule' },
      ]),
      rejected: true,
    },
    {
      name: 'ksim case: a Gt toleration tolerates nothing while TaintTolerationComparisonOperators is off (alpha, v1.35+)',
      pod: podWithTolerations('pod1', [{ key: 'gpu-gen', operator: 'Gt', value: '3', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'gpu-gen', value: '5', effect: 'NoSchedule' }]),
      rejected: true,
    },
    {
      name: 'ksim case: an Equal toleration without value matches a taint without value',
      pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', effect: 'NoSchedule' }]),
      node: nodeWithTaints('nodeA', [{ key: 'dedicated', effect: 'NoSchedule' }]),
      rejected: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = new TaintTolerationPlugin().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(c.node));
      if (!c.rejected) {
        assert.equal(got, null);
        return;
      }
      assert.notEqual(got, null);
      assert.equal(CODE_NAMES[got?.code ?? Code.Success], 'UnschedulableAndUnresolvable');
      assert.deepEqual(got?.reasons, [ERR_REASON_UNTOLERATED]);
      assert.equal(ERR_REASON_UNTOLERATED, 'node(s) had untolerated taint(s)');
      assert.equal(got?.plugin, 'TaintToleration');
    });
  }
});

/** PreScore, Score on every node, NormalizeScore: upstream's test loop. */
function scoreAll(pod: Pod, nodes: Node[]): Record<string, number> {
  const p = new TaintTolerationPlugin();
  const state = new CycleState();
  const pi = podInfo(pod);
  const infos = nodes.map((n) => nodeInfoWith(n));
  assert.equal(p.preScore(state, pi), null);
  const scores = new Float64Array(infos.map((n) => p.score(state, pi, n)));
  assert.equal(p.normalizeScore(state, pi, infos, scores), null);
  return Object.fromEntries(infos.map((n, i) => [n.name, scores[i] as number]));
}

describe('TaintToleration Score', () => {
  // Upstream taint_toleration_test.go (TestTaintTolerationScore).
  const cases: Array<{ name: string; pod: Pod; nodes: Node[]; want: Record<string, number> }> = [
    {
      name: 'node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      nodes: [
        nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeB', [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }]),
      ],
      want: { nodeA: MAX_NODE_SCORE, nodeB: 0 },
    },
    {
      name: 'the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      pod: podWithTolerations('pod1', [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeC', [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: { nodeA: MAX_NODE_SCORE, nodeB: MAX_NODE_SCORE, nodeC: MAX_NODE_SCORE },
    },
    {
      name: 'the more intolerable taints a node has, the lower score it gets.',
      pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeC', [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: { nodeA: MAX_NODE_SCORE, nodeB: 50, nodeC: 0 },
    },
    {
      name: 'only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
      pod: podWithTolerations('pod1', [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ]),
      nodes: [
        nodeWithTaints('nodeA', []),
        nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }]),
        nodeWithTaints('nodeC', [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ]),
      ],
      want: { nodeA: MAX_NODE_SCORE, nodeB: MAX_NODE_SCORE, nodeC: 0 },
    },
    {
      name: 'Default behaviour No taints and tolerations, lands on node with no taints',
      pod: podWithTolerations('pod1', []),
      nodes: [nodeWithTaints('nodeA', []), nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }])],
      want: { nodeA: MAX_NODE_SCORE, nodeB: 0 },
    },
    // ksim cases: getAllTolerationPreferNoSchedule keeps tolerations with an empty effect, and
    // the reverse normalisation truncates (100 × 1 / 3 = 33, so 67).
    {
      name: 'ksim case: a toleration with empty effect counts for PreferNoSchedule taints',
      pod: podWithTolerations('pod1', [{ key: 'cpu-type', operator: 'Exists' }]),
      nodes: [
        nodeWithTaints('nodeA', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeB', [{ key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }]),
      ],
      want: { nodeA: MAX_NODE_SCORE, nodeB: 0 },
    },
    {
      name: 'ksim case: reverse normalisation truncates like integer division',
      pod: podWithTolerations('pod1', []),
      nodes: [
        nodeWithTaints('nodeA', [{ key: 'a', effect: 'PreferNoSchedule' }]),
        nodeWithTaints('nodeB', [
          { key: 'a', effect: 'PreferNoSchedule' },
          { key: 'b', effect: 'PreferNoSchedule' },
          { key: 'c', effect: 'PreferNoSchedule' },
        ]),
        nodeWithTaints('nodeC', []),
      ],
      want: { nodeA: 67, nodeB: 0, nodeC: MAX_NODE_SCORE },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(scoreAll(c.pod, c.nodes), c.want);
    });
  }

  it('ksim case: in a profile, scores are weighted (weight 3) after normalisation', () => {
    const nodes = [
      makeNode('n1').capacity({ cpu: 4, memory: '8Gi', pods: 10 }).taint('a', '', 'PreferNoSchedule').obj(),
      makeNode('n2').capacity({ cpu: 4, memory: '8Gi', pods: 10 }).obj(),
    ];
    const cluster = buildCluster(nodes);
    const fwk = makeFramework(cluster, [[newTaintToleration(undefined), 3]]);
    const totals = prioritize(fwk, fwk.newCycleState(), podInfo(makePod('p').obj()), cluster.nodes);
    assert.ok(totals instanceof Float64Array);
    assert.deepEqual([...totals], [0, 300]);
  });

  it('ksim case: the scheduler places a pod only on the node whose NoSchedule taint it tolerates', () => {
    const nodes = [
      makeNode('n1').capacity({ cpu: 4, pods: 10 }).taint('dedicated', 'gpu', 'NoSchedule').obj(),
      makeNode('n2').capacity({ cpu: 4, pods: 10 }).taint('dedicated', 'db', 'NoSchedule').obj(),
    ];
    const cluster = buildCluster(nodes);
    const fwk = makeFramework(cluster, [newTaintToleration(undefined)]);
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('scheduler'));
    const pod = makePod('p').toleration({ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }).obj();
    const ok = algo.schedule(fwk, fwk.newCycleState(), podInfo(pod));
    assert.equal(ok.nodeName, 'n2');
    const none = algo.schedule(fwk, fwk.newCycleState(), podInfo(makePod('q').obj()));
    assert.equal(none.nodeName, null);
    assert.equal(none.reason, '0/2 nodes are available: 2 node(s) had untolerated taint(s).');
    assert.deepEqual([...none.unschedulablePlugins], ['TaintToleration']);
  });
});

describe('TaintToleration: the tolerations that count for PreferNoSchedule (upstream getAllTolerationPreferNoSchedule)', () => {
  it('no effect, an empty effect and PreferNoSchedule count; NoSchedule and NoExecute do not', () => {
    const ts = [
      { key: 'a', operator: 'Exists' },
      { key: 'b', operator: 'Exists', effect: '' },
      { key: 'c', operator: 'Exists', effect: 'PreferNoSchedule' },
      { key: 'd', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'e', operator: 'Exists', effect: 'NoExecute' },
    ];
    assert.deepEqual(tolerationsPreferNoSchedule(ts).map((t) => t.key), ['a', 'b', 'c']);
    assert.deepEqual(tolerationsPreferNoSchedule(undefined), []);
  });
});

describe('TaintToleration constantScore', () => {
  it('100 for every node while no node has a PreferNoSchedule taint, -1 once one has; the totals are those scoring gives', () => {
    const node = (name: string, soft: boolean) => {
      const w = makeNode(name).capacity({ cpu: 4, memory: '8Gi', pods: 10 });
      return (soft ? w.taint('a', '', 'PreferNoSchedule') : w.taint('b', '', 'NoExecute')).obj();
    };
    for (const [soft, constant, want] of [[false, MAX_NODE_SCORE, [300, 300]], [true, -1, [0, 300]]] as const) {
      const cluster = buildCluster([node('n1', soft), node('n2', false)]);
      const tt = new TaintTolerationPlugin(NodeTaintCounts.of(cluster));
      const fwk = makeFramework(cluster, [[tt, 3]]);
      const pod = podInfo(makePod('p').toleration({ key: 'b', operator: 'Exists' }).obj());
      const state = fwk.newCycleState();
      tt.preScore(state, pod);
      assert.equal(tt.constantScore(state, pod, cluster.nodes), constant);
      const memo = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes, new ScoreBuffers());
      const plain = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes);
      assert.ok(memo instanceof Float64Array && plain instanceof Float64Array);
      assert.deepEqual([...memo], want);
      assert.deepEqual([...plain], want);
    }
  });
});
