import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Node,
  NodeAffinity,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../api/field-error.js';
import { NodeInfo } from '../../cluster/node-info.js';
import { RandomStreams } from '../../engine/random.js';
import { buildCluster, makeFramework, makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../framework/interfaces.js';
import { Code, CODE_NAMES, type Verdict } from '../framework/status.js';
import { ScheduleAlgorithm } from '../schedule-one.js';
import {
  ERR_REASON_CONFLICT,
  ERR_REASON_ENFORCED,
  ERR_REASON_POD,
  newNodeAffinity,
  NodeAffinityPlugin,
  parseNodeAffinityArgs,
} from './node-affinity.js';

// ---------------------------------------------------------------------------
// Builders in the shape of upstream's v1 literals.

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...spec } };
}

function node(name: string, labels?: Record<string, string>): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: labels === undefined ? { name } : { name, labels } };
}

const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };
const nameIn = (value: string): NodeSelectorRequirement => ({ key: 'metadata.name', operator: 'In', values: [value] });

function required(...terms: NodeSelectorTerm[]): Pod {
  return pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
}

function withSelector(p: Pod, sel: Record<string, string>): Pod {
  (p.spec as NonNullable<Pod['spec']>).nodeSelector = sel;
  return p;
}

type Want = null | { code: Code; reasons: string[] };
const unresolvable = (reason: string): Want => ({ code: Code.UnschedulableAndUnresolvable, reasons: [reason] });
const SKIP: Want = { code: Code.Skip, reasons: [] };

function assertVerdict(got: Verdict, want: Want, what: string): void {
  if (want === null) {
    assert.equal(got, null, `${what}: want Success, got ${got === null ? '' : `${got.codeName} ${got.message}`}`);
    return;
  }
  assert.notEqual(got, null, `${what}: want ${CODE_NAMES[want.code]}, got Success`);
  assert.equal(CODE_NAMES[got?.code ?? Code.Success], CODE_NAMES[want.code], what);
  assert.deepEqual(got?.reasons, want.reasons, what);
}

// ---------------------------------------------------------------------------

describe('NodeAffinity PreFilter and Filter', () => {
  // Upstream pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go (TestNodeAffinity).
  // Like upstream, Filter runs after PreFilter whatever PreFilter returned (and without it when
  // runPreFilter is false).
  interface Case {
    name: string;
    pod: Pod;
    nodeName?: string;
    labels?: Record<string, string>;
    args?: unknown;
    runPreFilter?: boolean;
    wantPreFilter?: Want;
    wantPreFilterNodes?: string[];
    wantFilter: Want;
  }
  const cases: Case[] = [
    { name: 'missing labels', pod: withSelector(pod(), { foo: 'bar' }), wantFilter: unresolvable(ERR_REASON_POD) },
    { name: 'same labels', pod: withSelector(pod(), { foo: 'bar' }), labels: { foo: 'bar' }, wantFilter: null },
    {
      name: 'node labels are superset',
      pod: withSelector(pod(), { foo: 'bar' }),
      labels: { foo: 'bar', baz: 'blah' },
      wantFilter: null,
    },
    {
      name: 'node labels are subset',
      pod: withSelector(pod(), { foo: 'bar', baz: 'blah' }),
      labels: { foo: 'bar' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'Pod with matchExpressions using In operator that matches the existing node',
      pod: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }),
      labels: { foo: 'bar' },
      wantFilter: null,
    },
    {
      name: 'Pod with matchExpressions using Gt operator that matches the existing node',
      pod: required({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }),
      labels: { 'kernel-version': '0206' },
      wantFilter: null,
    },
    {
      name: 'Pod with matchExpressions using NotIn operator that matches the existing node',
      pod: required({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }),
      labels: { 'mem-type': 'DDR3' },
      wantFilter: null,
    },
    {
      name: 'Pod with matchExpressions using Exists operator that matches the existing node',
      pod: required({ matchExpressions: [expr('GPU', 'Exists')] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      wantFilter: null,
    },
    {
      name: "Pod with affinity that don't match node's labels won't schedule onto the node",
      pod: required({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }),
      labels: { foo: 'bar' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
      pod: required({ matchExpressions: [] }),
      labels: { foo: 'bar' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    { name: 'Pod with no Affinity will schedule onto a node', pod: pod(), labels: { foo: 'bar' }, wantPreFilter: SKIP, wantFilter: null },
    {
      name: 'Pod with Affinity but nil NodeSelector will schedule onto a node',
      pod: pod({ affinity: { nodeAffinity: {} } }),
      labels: { foo: 'bar' },
      wantPreFilter: SKIP,
      wantFilter: null,
    },
    {
      name: 'Pod with multiple matchExpressions ANDed that matches the existing node',
      pod: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      wantFilter: null,
    },
    {
      name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
      pod: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      pod: required(
        { matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] },
        { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] },
      ),
      labels: { foo: 'bar' },
      wantFilter: null,
    },
    {
      name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
      pod: withSelector(required({ matchExpressions: [expr('foo', 'Exists')] }), { foo: 'bar' }),
      labels: { foo: 'bar' },
      wantFilter: null,
    },
    {
      name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
      pod: withSelector(required({ matchExpressions: [expr('foo', 'Exists')] }), { foo: 'bar' }),
      labels: { foo: 'barrrrrr' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
      pod: required({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }),
      labels: { foo: 'bar' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'Pod with matchFields using In operator that matches the existing node',
      pod: required({ matchFields: [nameIn('node1')] }),
      nodeName: 'node1',
      wantPreFilterNodes: ['node1'],
      wantFilter: null,
    },
    {
      name: 'Pod with matchFields using In operator that does not match the existing node',
      pod: required({ matchFields: [nameIn('node1')] }),
      nodeName: 'node2',
      wantPreFilterNodes: ['node1'],
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
      pod: required({ matchFields: [nameIn('node1'), nameIn('node2')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantFilter: null,
    },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      pod: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantPreFilterNodes: ['node1'],
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'Pod with one term: both matchFields and matchExpressions match',
      pod: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node1',
      labels: { foo: 'bar' },
      wantPreFilterNodes: ['node1'],
      wantFilter: null,
    },
    {
      name: 'Pod with two terms: both matchFields and matchExpressions do not match',
      pod: required({ matchFields: [nameIn('node1')] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'Pod with two terms of node.Name affinity',
      pod: required({ matchFields: [nameIn('node1')] }, { matchFields: [nameIn('node2')] }),
      nodeName: 'node2',
      wantPreFilterNodes: ['node1', 'node2'],
      wantFilter: null,
    },
    {
      name: 'Pod with two conflicting mach field requirements',
      pod: required({ matchFields: [nameIn('node1'), nameIn('node2')] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantPreFilter: unresolvable(ERR_REASON_CONFLICT),
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: "Matches added affinity and Pod's node affinity",
      pod: required({ matchExpressions: [expr('zone', 'In', ['foo'])] }),
      nodeName: 'node2',
      labels: { zone: 'foo' },
      args: {
        addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn('node2')] }] } },
      },
      wantFilter: null,
    },
    {
      name: "Matches added affinity but not Pod's node affinity",
      pod: required({ matchExpressions: [expr('zone', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { zone: 'foo' },
      args: {
        addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn('node2')] }] } },
      },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: "Doesn't match added affinity",
      pod: pod(),
      nodeName: 'node2',
      labels: { zone: 'foo' },
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['bar'])] }] },
        },
      },
      wantFilter: unresolvable(ERR_REASON_ENFORCED),
    },
    {
      name: 'Matches node selector correctly even if PreFilter is not called',
      pod: withSelector(pod(), { foo: 'bar' }),
      labels: { foo: 'bar', baz: 'blah' },
      runPreFilter: false,
      wantFilter: null,
    },
    {
      name: 'Matches node affinity correctly even if PreFilter is not called',
      pod: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      runPreFilter: false,
      wantFilter: null,
    },
    // ksim cases pinning the rest of upstream's PreFilter and LazyErrorNodeSelector.
    {
      name: 'ksim case: an invalid term is skipped, a valid term ORed with it still matches',
      pod: required({ matchExpressions: [expr('foo', 'In', ['bad value!'])] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }),
      labels: { foo: 'bar' },
      wantFilter: null,
    },
    {
      name: 'ksim case: an empty nodeSelectorTerms list matches no node and narrows nothing',
      pod: pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }),
      labels: { foo: 'bar' },
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'ksim case: an empty nodeSelector map arrives as nil (omitempty), so PreFilter skips',
      pod: withSelector(pod(), {}),
      labels: { foo: 'bar' },
      wantPreFilter: SKIP,
      wantFilter: null,
    },
    {
      name: 'ksim case: matchFields with NotIn does not narrow the node set',
      pod: required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node1'] }] }),
      nodeName: 'node1',
      wantFilter: unresolvable(ERR_REASON_POD),
    },
    {
      name: 'ksim case: added affinity is checked before the pod and wins the reason',
      pod: withSelector(pod(), { foo: 'other' }),
      nodeName: 'node1',
      labels: { foo: 'bar' },
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'Exists')] }] },
        },
      },
      wantFilter: unresolvable(ERR_REASON_ENFORCED),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = new NodeAffinityPlugin(parseNodeAffinityArgs(c.args));
      const ni = nodeInfoWith(node(c.nodeName ?? '', c.labels));
      const pi = podInfo(c.pod);
      const state = new CycleState();
      if (c.runPreFilter !== false) {
        const { status, result } = p.preFilter(state, pi);
        assertVerdict(status, c.wantPreFilter ?? null, 'PreFilter status');
        if (c.wantPreFilterNodes === undefined) assert.equal(result?.nodeNames ?? null, null, 'PreFilter result');
        else assert.deepEqual([...(result?.nodeNames ?? [])].sort(), c.wantPreFilterNodes, 'PreFilter result');
      }
      const got = p.filter(state, pi, ni);
      assertVerdict(got, c.wantFilter, 'Filter status');
      if (got !== null) assert.equal(got.plugin, 'NodeAffinity');
    });
  }

  it('ksim case: the scheduler evaluates only the PreFilter node names', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => makeNode(n).capacity({ cpu: 4, pods: 10 }).obj());
    const cluster = buildCluster(nodes);
    const fwk = makeFramework(cluster, [newNodeAffinity(undefined)]);
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(7).stream('scheduler'));
    const p = makePod('p')
      .with((x) => {
        (x.spec as NonNullable<Pod['spec']>).affinity = {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn('n3')] }] } },
        };
      })
      .obj();
    const r = algo.schedule(fwk, fwk.newCycleState(), podInfo(p));
    assert.equal(r.nodeName, 'n3');
    const q = makePod('q').nodeSelector({ disk: 'ssd' }).obj();
    const r2 = algo.schedule(fwk, fwk.newCycleState(), podInfo(q));
    assert.equal(r2.nodeName, null);
    assert.equal(r2.reason, "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
  });

  it('ksim case: answers kept for pods of one template follow a node\'s label change', () => {
    // Filter keeps each node's answer for pods with the same selector; a label change must be
    // seen by the next pod as matching would see it.
    const cluster = buildCluster([
      makeNode('a').capacity({ cpu: 4, pods: 10 }).labels({ zone: 'z1' }).obj(),
      makeNode('b').capacity({ cpu: 4, pods: 10 }).labels({ zone: 'z2' }).obj(),
    ]);
    const p = new NodeAffinityPlugin();
    const sel = (name: string) => podInfo(withSelector({ ...pod(), metadata: { name, namespace: 'default' } }, { zone: 'z1' }));
    const verdicts = (pi: ReturnType<typeof podInfo>) => {
      const state = new CycleState();
      p.preFilter(state, pi);
      return cluster.nodes.map((n) => (p.filter(state, pi, n) === null ? 'fits' : 'rejected'));
    };
    assert.deepEqual(verdicts(sel('p1')), ['fits', 'rejected']);
    cluster.updateNode('a', { labels: { zone: 'z2' } });
    cluster.updateNode('b', { labels: { zone: 'z1' } });
    assert.deepEqual(verdicts(sel('p2')), ['rejected', 'fits']);
    // A term on the node's name is not answered from what another node at that index gave.
    const byName = podInfo(required({ matchExpressions: [expr('zone', 'In', ['z1', 'z2'])], matchFields: [nameIn('b')] }));
    assert.deepEqual(verdicts(byName), ['rejected', 'fits']);
    const b = cluster.nodes[1]!;
    const c = new NodeInfo(node('c'), 'default', b.index);
    c.labels = b.labels;
    const state = new CycleState();
    p.preFilter(state, byName);
    assertVerdict(p.filter(state, byName, c), unresolvable(ERR_REASON_POD), 'node c, with b\'s index and labels');
  });
});

// ---------------------------------------------------------------------------

const label1 = { foo: 'bar' };
const label2 = { key: 'value' };
const label3 = { az: 'az1' };
const label4 = { abc: 'az11', def: 'az22' };
const label5 = { foo: 'bar', key: 'value', az: 'az1' };

const affinity1: NodeAffinity = {
  preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }],
};

const affinity2: NodeAffinity = {
  preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
    { weight: 4, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
    {
      weight: 5,
      preference: { matchExpressions: [expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1'])] },
    },
  ],
};

const preferred = (na: NodeAffinity): Pod => pod({ affinity: { nodeAffinity: na } });

describe('NodeAffinity PreScore, Score and NormalizeScore', () => {
  // Upstream node_affinity_test.go (TestNodeAffinityPriority).
  interface Case {
    name: string;
    pod: Pod;
    nodes: Node[];
    args?: unknown;
    runPreScore?: boolean;
    wantPreScore?: Want;
    /** Error message of PreScore (then no scores). */
    wantPreScoreError?: string;
    want?: Record<string, number>;
  }
  const cases: Case[] = [
    {
      name: 'all nodes are same priority as NodeAffinity is nil',
      pod: pod(),
      nodes: [node('node1', label1), node('node2', label2), node('node3', label3)],
      runPreScore: false,
      want: { node1: 0, node2: 0, node3: 0 },
    },
    {
      name: 'Skip is returned in PreScore when NodeAffinity is nil',
      pod: pod(),
      nodes: [node('node1', label1)],
      wantPreScore: SKIP,
    },
    {
      name: 'PreScore returns error when an incoming Pod has a broken affinity',
      pod: preferred({
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 2, preference: { matchExpressions: [expr('invalid key', 'In', ['bar'])] } },
        ],
      }),
      nodes: [node('node1', label1)],
      // Upstream: `[0].matchExpressions[0].key: Invalid value: "invalid key": name part must
      // consist of alphanumeric characters...`; same path, ksim's wording of the expectation.
      wantPreScoreError: '[0].matchExpressions[0].key: expected a label key',
    },
    {
      name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
      pod: preferred(affinity1),
      nodes: [node('node1', label4), node('node2', label2), node('node3', label3)],
      want: { node1: 0, node2: 0, node3: 0 },
    },
    {
      name: 'only node1 matches the preferred scheduling requirements of pod',
      pod: preferred(affinity1),
      nodes: [node('node1', label1), node('node2', label2), node('node3', label3)],
      want: { node1: MAX_NODE_SCORE, node2: 0, node3: 0 },
    },
    {
      name: 'all nodes matches the preferred scheduling requirements of pod but with different priorities ',
      pod: preferred(affinity2),
      nodes: [node('node1', label1), node('node5', label5), node('node2', label2)],
      want: { node1: 18, node5: MAX_NODE_SCORE, node2: 36 },
    },
    {
      name: 'added affinity',
      pod: pod(),
      nodes: [node('node1', label1), node('node2', label2)],
      args: { addedAffinity: affinity1 },
      want: { node1: MAX_NODE_SCORE, node2: 0 },
    },
    {
      name: 'added affinity and pod has default affinity',
      pod: preferred(affinity1),
      nodes: [node('node1', label1), node('node2', label2), node('node3', label5)],
      args: {
        addedAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [expr('key', 'In', ['value'])] } }],
        },
      },
      want: { node1: 40, node2: 60, node3: MAX_NODE_SCORE },
    },
    {
      name: 'calculate the priorities correctly even if PreScore is not called',
      pod: preferred(affinity2),
      nodes: [node('node1', label1), node('node5', label5), node('node2', label2)],
      runPreScore: false,
      want: { node1: 18, node5: MAX_NODE_SCORE, node2: 36 },
    },
    // ksim cases: upstream's NewPreferredSchedulingTerms drops weight-0 and empty terms, and a
    // term may select on metadata.name through matchFields.
    {
      name: 'ksim case: a weight-0 term and an empty preference count for nothing',
      pod: preferred({
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 0, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
          { weight: 7, preference: {} },
          { weight: 1, preference: { matchExpressions: [expr('key', 'Exists')] } },
        ],
      }),
      nodes: [node('node1', label1), node('node2', label2)],
      want: { node1: 0, node2: MAX_NODE_SCORE },
    },
    {
      name: 'ksim case: a preferred matchFields term selects by node name',
      pod: preferred({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchFields: [nameIn('node2')] } }] }),
      nodes: [node('node1', label1), node('node2', label1), node('node3', label1)],
      want: { node1: 0, node2: MAX_NODE_SCORE, node3: 0 },
    },
    {
      name: 'ksim case: an empty preferred list arrives as nil (omitempty), so PreScore skips',
      pod: preferred({ preferredDuringSchedulingIgnoredDuringExecution: [] }),
      nodes: [node('node1', label1), node('node2', label2)],
      wantPreScore: SKIP,
    },
    {
      name: 'ksim case: an empty preferred list is not skipped when addedAffinity prefers',
      pod: preferred({ preferredDuringSchedulingIgnoredDuringExecution: [] }),
      nodes: [node('node1', label1), node('node2', label2)],
      args: { addedAffinity: affinity1 },
      wantPreScore: null,
      want: { node1: MAX_NODE_SCORE, node2: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = new NodeAffinityPlugin(parseNodeAffinityArgs(c.args));
      const state = new CycleState();
      const pi = podInfo(c.pod);
      const infos = c.nodes.map((n) => nodeInfoWith(n));
      if (c.runPreScore !== false) {
        const v = p.preScore(state, pi);
        if (c.wantPreScoreError !== undefined) {
          assert.notEqual(v, null);
          assert.equal(CODE_NAMES[v?.code ?? Code.Success], 'Error');
          assert.ok(v?.message.startsWith(c.wantPreScoreError), v?.message);
          return;
        }
        assertVerdict(v, c.wantPreScore ?? null, 'PreScore status');
        if (v !== null) return;
      }
      const scores = new Float64Array(infos.map((n) => p.score(state, pi, n)));
      assert.equal(p.normalizeScore(state, pi, infos, scores), null);
      assert.deepEqual(Object.fromEntries(infos.map((n, i) => [n.name, scores[i] as number])), c.want);
    });
  }
});

describe('NodeAffinity args', () => {
  // Upstream pkg/scheduler/apis/config/validation/validation_pluginargs.go
  // (ValidateNodeAffinityArgs: addedAffinity parsed with nodeaffinity.NewNodeSelector and
  // NewPreferredSchedulingTerms under the path addedAffinity.<field>); cases after
  // validation_pluginargs_test.go (TestValidateNodeAffinityArgs).
  const ok = (name: string, args: unknown): void => {
    it(name, () => {
      assert.doesNotThrow(() => newNodeAffinity(args));
    });
  };
  const bad = (name: string, args: unknown, path: string): void => {
    it(name, () => {
      assert.throws(
        () => newNodeAffinity(args),
        (e: unknown) => e instanceof FieldError && e.path === path,
      );
    });
  };
  ok('empty', undefined);
  ok('valid added affinity', {
    addedAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [expr('label-1', 'In', ['label-1-val'])] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 1, preference: { matchFields: [nameIn('node-1')] } },
      ] satisfies PreferredSchedulingTerm[],
    },
  });
  bad(
    'invalid added affinity: bad required label key',
    {
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('invalid/label/key', 'In')] }] },
      },
    },
    'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key',
  );
  bad(
    'invalid added affinity: bad preferred field key',
    {
      addedAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1', 'node-2'] }] } },
        ],
      },
    },
    'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].matchFields[0].values',
  );
  bad('ksim case: an unknown field is rejected', { addedAffinty: {} }, 'addedAffinty');
  bad('ksim case: args must be an object', 'x', '');

  it('ksim case: added required affinity with no terms rejects every node as scheduler-enforced', () => {
    const p = new NodeAffinityPlugin(
      parseNodeAffinityArgs({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
    );
    const state = new CycleState();
    const pi = podInfo(pod());
    assert.equal(p.preFilter(state, pi).status, null);
    assertVerdict(p.filter(state, pi, nodeInfoWith(node('n1', label1))), unresolvable(ERR_REASON_ENFORCED), 'Filter');
  });
});
