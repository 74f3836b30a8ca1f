import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Affinity, Node, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../../api/field-error.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import { affinity, clusterHandle, labelledNode, selectorTerm, weighted } from '../../../testing/affinity-builders.js';
import { buildCluster, makePod, podInfo } from '../../../testing/builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import { InterPodAffinityPlugin, newInterPodAffinity, parseInterPodAffinityArgs } from './plugin.js';

const MAX = MAX_NODE_SCORE;

/** Upstream scoring_test.go's namespaces. */
function declareNamespaces(cluster: ClusterState): void {
  cluster.setNamespace('subteam1.team1', { team: 'team1' });
  cluster.setNamespace('subteam2.team1', { team: 'team1' });
  cluster.setNamespace('subteam1.team2', { team: 'team2' });
  cluster.setNamespace('subteam2.team2', { team: 'team2' });
}

interface ScoreCase {
  name: string;
  pod: Pod;
  pods?: Pod[];
  nodes: Node[];
  args?: unknown;
  /** Normalized scores parallel to nodes. */
  want?: number[];
  /** PreScore's expected non-success code (and a substring of its message). */
  wantStatus?: { code: 'Skip' | 'Error'; message?: string };
}

function runScoreCase(c: ScoreCase): void {
  const cluster = buildCluster(c.nodes, c.pods ?? []);
  declareNamespaces(cluster);
  const pl = new InterPodAffinityPlugin(parseInterPodAffinityArgs(c.args), cluster);
  const state = new CycleState();
  const pi = podInfo(c.pod);
  const status = pl.preScore(state, pi, cluster.nodes);
  if (c.wantStatus !== undefined) {
    assert.equal(status?.codeName, c.wantStatus.code, `PreScore: ${status === null ? 'Success' : status.message}`);
    if (c.wantStatus.message !== undefined) assert.ok(status?.message.includes(c.wantStatus.message), status?.message);
    return;
  }
  assert.equal(status, null, `PreScore: ${status?.codeName} ${status?.message}`);
  const scores = Float64Array.from(cluster.nodes.map((n) => pl.score(state, pi, n)));
  assert.equal(pl.normalizeScore(state, pi, cluster.nodes, scores), null);
  assert.deepEqual([...scores], c.want);
}

let seq = 0;
/** An upstream `&v1.Pod{Spec: {NodeName, Affinity}, ObjectMeta: {Namespace, Labels}}` literal. */
function pod(labels: Record<string, string>, node?: string, aff?: Affinity, ns?: string): Pod {
  const w = makePod(`p${++seq}`).labels(labels);
  if (node !== undefined) w.node(node);
  if (aff !== undefined) w.with(affinity(aff));
  if (ns !== undefined) w.namespace(ns);
  return w.obj();
}

const security = (op: 'In' | 'NotIn', values: string[]) => ({ key: 'security', operator: op, values });
const term = (topologyKey: string, ...exprs: { key: string; operator: string; values?: string[] }[]): PodAffinityTerm =>
  selectorTerm({ matchExpressions: exprs }, topologyKey);
const teamSelector = { matchExpressions: [{ key: 'team', operator: 'In', values: ['team1'] }] };

describe('InterPodAffinity Score: TestPreferredAffinity', () => {
  // Upstream pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go
  // (TestPreferredAffinity), args {hardPodAffinityWeight: 1}. Upstream's default namespace ""
  // is ksim's "default".
  const labelRgChina = { region: 'China' };
  const labelRgIndia = { region: 'India' };
  const labelAzAz1 = { az: 'az1' };
  const labelAzAz2 = { az: 'az2' };
  const labelRgChinaAzAz1 = { region: 'China', az: 'az1' };
  const S1 = { security: 'S1' };
  const S2 = { security: 'S2' };
  const stayWithS1InRegion: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('region', security('In', ['S1'])))] } };
  const stayWithS2InRegion: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(6, term('region', security('In', ['S2'])))] } };
  const affinity3: Affinity = {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        weighted(8, term('region', security('NotIn', ['S1']), security('In', ['S2']))),
        weighted(2, term('region', { key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' })),
      ],
    },
  };
  const hardAffinity: Affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        term('region', security('In', ['S1', 'value2'])),
        term('region', { key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }),
      ],
    },
  };
  const awayFromS1InAz: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', security('In', ['S1'])))] } };
  const awayFromS2InAz: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', security('In', ['S2'])))] } };
  const stayWithS1InRegionAwayFromS2InAz: Affinity = {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, term('region', security('In', ['S1'])))] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', security('In', ['S2'])))] },
  };
  const nsTerm = (): PodAffinityTerm => ({
    ...term('region', security('In', ['S1'])),
    namespaces: ['subteam2.team2'],
    namespaceSelector: teamSelector,
  });
  const affinityNamespaceSelector: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, nsTerm())] } };
  const antiAffinityNamespaceSelector: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, nsTerm())] } };
  const invalidAffinityLabels: Affinity = {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, term('region', security('In', ['{{.bad-value.}}'])))] },
  };
  const invalidAntiAffinityLabels: Affinity = {
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', security('In', ['{{.bad-value.}}'])))] },
  };
  const n = (name: string, labels: Record<string, string>): Node => labelledNode(name, labels);

  const cases: ScoreCase[] = [
    {
      name: 'all nodes are same priority as Affinity is nil',
      pod: pod(S1),
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      wantStatus: { code: 'Skip' },
    },
    {
      name:
        'Affinity: pod that matches topology key & pods in nodes will get high score comparing to others' +
        "which doesn't match either pods in nodes or in topology key",
      pod: pod(S1, undefined, stayWithS1InRegion),
      pods: [pod(S1, 'node1'), pod(S2, 'node2'), pod(S1, 'node3')],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      want: [MAX, 0, 0],
    },
    {
      name: 'All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score',
      pod: pod({}, undefined, stayWithS1InRegion),
      pods: [pod(S1, 'node1')],
      nodes: [n('node1', labelRgChina), n('node2', labelRgChinaAzAz1), n('node3', labelRgIndia)],
      want: [MAX, MAX, 0],
    },
    {
      name: 'Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score',
      pod: pod(S1, undefined, stayWithS2InRegion),
      pods: [pod(S2, 'node1'), pod(S2, 'node1'), pod(S2, 'node2'), pod(S2, 'node3'), pod(S2, 'node4'), pod(S2, 'node5')],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelRgChina), n('node4', labelRgChina), n('node5', labelRgIndia)],
      want: [MAX, 0, MAX, MAX, 0],
    },
    {
      name: 'Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ',
      pod: pod(S1, undefined, affinity3),
      pods: [pod(S1, 'node1'), pod(S2, 'node2'), pod(S1, 'node3')],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      want: [20, MAX, 0],
    },
    {
      name: 'Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pod(S2),
      pods: [pod(S1, 'node1', stayWithS1InRegion), pod(S2, 'node2', stayWithS2InRegion)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      want: [0, MAX, 0],
    },
    {
      name: 'Affinity symmetry with namespace selector',
      pod: pod(S1, undefined, undefined, 'subteam1.team1'),
      pods: [pod(S1, 'node1', affinityNamespaceSelector), pod(S2, 'node2', stayWithS2InRegion)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      want: [MAX, 0, 0],
    },
    {
      name: 'AntiAffinity symmetry with namespace selector',
      pod: pod(S1, undefined, undefined, 'subteam1.team1'),
      pods: [pod(S1, 'node1', antiAffinityNamespaceSelector), pod(S2, 'node2', stayWithS2InRegion)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      want: [0, MAX, MAX],
    },
    {
      name: 'Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pod(S1),
      pods: [pod(S1, 'node1', hardAffinity), pod(S2, 'node2', hardAffinity)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)],
      want: [MAX, MAX, 0],
    },
    {
      name: 'Anti Affinity: pod that does not match existing pods in node will get high score ',
      pod: pod(S1, undefined, awayFromS1InAz),
      pods: [pod(S1, 'node1'), pod(S2, 'node2')],
      nodes: [n('node1', labelAzAz1), n('node2', labelRgChina)],
      want: [0, MAX],
    },
    {
      name: 'Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ',
      pod: pod(S1, undefined, awayFromS1InAz),
      pods: [pod(S1, 'node1'), pod(S1, 'node2')],
      nodes: [n('node1', labelAzAz1), n('node2', labelRgChina)],
      want: [0, MAX],
    },
    {
      name: 'Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score',
      pod: pod(S1, undefined, awayFromS1InAz),
      pods: [pod(S1, 'node1'), pod(S1, 'node1'), pod(S2, 'node2')],
      nodes: [n('node1', labelAzAz1), n('node2', labelRgIndia)],
      want: [0, MAX],
    },
    {
      name: 'Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
      pod: pod(S2),
      pods: [pod(S1, 'node1', awayFromS2InAz), pod(S2, 'node2', awayFromS1InAz)],
      nodes: [n('node1', labelAzAz1), n('node2', labelAzAz2)],
      want: [0, MAX],
    },
    {
      name: 'Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity',
      pod: pod(S1, undefined, stayWithS1InRegionAwayFromS2InAz),
      pods: [pod(S1, 'node1'), pod(S1, 'node2')],
      nodes: [n('node1', labelRgChina), n('node2', labelAzAz1)],
      want: [MAX, 0],
    },
    {
      name: 'Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
      pod: pod(S1, undefined, stayWithS1InRegionAwayFromS2InAz),
      pods: [pod(S1, 'node1'), pod(S1, 'node1'), pod(S1, 'node2'), pod(S1, 'node3'), pod(S1, 'node3'), pod(S1, 'node4'), pod(S1, 'node5')],
      nodes: [n('node1', labelRgChinaAzAz1), n('node2', labelRgIndia), n('node3', labelRgChina), n('node4', labelRgChina), n('node5', labelRgIndia)],
      want: [MAX, 0, MAX, MAX, 0],
    },
    {
      // Affinity 8, 0, 0, 0; anti-affinity 0, −5, 0, 0; affinity symmetry 0, 0, 8, 0;
      // anti-affinity symmetry 0, 0, 0, −5.
      name: 'Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry',
      pod: pod(S1, undefined, stayWithS1InRegionAwayFromS2InAz),
      pods: [pod(S1, 'node1'), pod(S2, 'node2'), pod({}, 'node3', stayWithS1InRegionAwayFromS2InAz), pod({}, 'node4', awayFromS1InAz)],
      nodes: [n('node1', labelRgChina), n('node2', labelAzAz1), n('node3', labelRgIndia), n('node4', labelAzAz2)],
      want: [MAX, 0, MAX, 0],
    },
    {
      // kubernetes/kubernetes#82796: some nodes of a topology have no pods with affinity, and
      // the incoming pod has none.
      name: "Avoid panic when partial nodes in a topology don't have pods with affinity",
      pod: pod(S1),
      pods: [pod(S1, 'node1'), pod({}, 'node2', stayWithS1InRegionAwayFromS2InAz)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgChina)],
      want: [0, 0],
    },
    {
      name: 'invalid Affinity fails PreScore',
      pod: pod({}, undefined, invalidAffinityLabels),
      nodes: [n('node1', labelRgChina), n('node2', labelRgChina)],
      wantStatus: { code: 'Error', message: 'failed to parse pod: preferredAffinityTerms: [0].podAffinityTerm.labelSelector.matchExpressions[0].values[0]' },
    },
    {
      name: 'invalid AntiAffinity fails PreScore',
      pod: pod({}, undefined, invalidAntiAffinityLabels),
      nodes: [n('node1', labelRgChina), n('node2', labelRgChina)],
      wantStatus: { code: 'Error', message: 'got "{{.bad-value.}}"' },
    },
    {
      name: 'Affinity with pods matching NamespaceSelector',
      pod: pod(S1, undefined, affinityNamespaceSelector, 'subteam1.team1'),
      pods: [
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam1.team2'),
        pod(S1, 'node2', undefined, 'subteam2.team1'),
      ],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
      want: [MAX, 0],
    },
    {
      name: 'Affinity with pods matching both NamespaceSelector and Namespaces fields',
      pod: pod(S1, undefined, affinityNamespaceSelector, 'subteam1.team1'),
      pods: [
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam2.team2'),
        pod(S1, 'node2', undefined, 'subteam2.team1'),
      ],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
      want: [MAX, 0],
    },
    {
      name: 'Anti-affinity with pods matching NamespaceSelector',
      pod: pod(S1, undefined, antiAffinityNamespaceSelector, 'subteam1.team1'),
      pods: [
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam1.team2'),
        pod(S1, 'node2', undefined, 'subteam2.team1'),
      ],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
      want: [0, MAX],
    },
    {
      name: 'Anti-affinity with pods matching both NamespaceSelector and Namespaces fields',
      pod: pod(S1, undefined, antiAffinityNamespaceSelector, 'subteam1.team1'),
      pods: [
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam1.team1'),
        pod(S1, 'node1', undefined, 'subteam2.team2'),
        pod(S1, 'node2', undefined, 'subteam2.team1'),
      ],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
      want: [0, MAX],
    },
    {
      name: 'Ignore preferred terms of existing pods',
      pod: pod(S2),
      pods: [pod(S1, 'node1', stayWithS1InRegionAwayFromS2InAz), pod(S2, 'node2', stayWithS2InRegion)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
      args: { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: true },
      wantStatus: { code: 'Skip' },
    },
    {
      name: 'Do not ignore preferred terms of existing pods',
      pod: pod(S2),
      pods: [pod(S1, 'node1', stayWithS1InRegionAwayFromS2InAz), pod(S2, 'node2', stayWithS2InRegion)],
      nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
      args: { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false },
      want: [0, MAX],
    },
    {
      name: 'No nodes to score',
      pod: pod(S2),
      nodes: [],
      wantStatus: { code: 'Skip' },
    },
  ];
  for (const c of cases) it(c.name, () => runScoreCase(c));
});

describe('InterPodAffinity Score: TestPreferredAffinityWithHardPodAffinitySymmetricWeight', () => {
  // Upstream scoring_test.go (TestPreferredAffinityWithHardPodAffinitySymmetricWeight). The
  // term's namespaces ["", "subteam2.team2"] name upstream's default namespace "", which is
  // "default" in ksim.
  const hardPodAffinity: Affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          ...term('region', { key: 'service', operator: 'In', values: ['S1'] }),
          namespaces: ['default', 'subteam2.team2'],
          namespaceSelector: teamSelector,
        },
      ],
    },
  };
  const nodes = (): Node[] => [labelledNode('node1', { region: 'China' }), labelledNode('node2', { region: 'India' }), labelledNode('node3', { az: 'az1' })];
  const existing = (): Pod[] => [pod({}, 'node1', hardPodAffinity), pod({}, 'node2', hardPodAffinity)];
  const S1 = { service: 'S1' };
  const cases: ScoreCase[] = [
    { name: 'with default weight', pod: pod(S1), pods: existing(), nodes: nodes(), args: { hardPodAffinityWeight: 1 }, want: [MAX, MAX, 0] },
    { name: 'with zero weight', pod: pod(S1), pods: existing(), nodes: nodes(), args: { hardPodAffinityWeight: 0 }, wantStatus: { code: 'Skip' } },
    {
      name: 'with no matching namespace',
      pod: pod(S1, undefined, undefined, 'subteam1.team2'),
      pods: existing(),
      nodes: nodes(),
      args: { hardPodAffinityWeight: 1 },
      wantStatus: { code: 'Skip' },
    },
    {
      name: 'with matching NamespaceSelector',
      pod: pod(S1, undefined, undefined, 'subteam1.team1'),
      pods: existing(),
      nodes: nodes(),
      args: { hardPodAffinityWeight: 1 },
      want: [MAX, MAX, 0],
    },
    {
      name: 'with matching Namespaces',
      pod: pod(S1, undefined, undefined, 'subteam2.team2'),
      pods: existing(),
      nodes: nodes(),
      args: { hardPodAffinityWeight: 1 },
      want: [MAX, MAX, 0],
    },
  ];
  for (const c of cases) it(c.name, () => runScoreCase(c));
});

describe('InterPodAffinity Score: weights, symmetry and normalization', () => {
  const nodes = (): Node[] => [labelledNode('n1', { zone: 'a' }), labelledNode('n2', { zone: 'b' }), labelledNode('n3', { zone: 'c' })];
  const web = { app: 'web' };
  const requiredWithWeb: Affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('zone', { key: 'app', operator: 'In', values: ['web'] })] } };
  const preferWeb5: Affinity = {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('zone', { key: 'app', operator: 'In', values: ['web'] }))] },
  };
  const existing = (): Pod[] => [pod({}, 'n1', requiredWithWeb), pod({}, 'n2', preferWeb5)];
  const cases: ScoreCase[] = [
    {
      name: 'the default hardPodAffinityWeight 1 weighs an existing required term less than a preferred weight of 5 (raw 1, 5, 0)',
      pod: pod(web),
      pods: existing(),
      nodes: nodes(),
      want: [20, MAX, 0],
    },
    {
      name: 'hardPodAffinityWeight 10 weighs it more (raw 10, 5, 0)',
      pod: pod(web),
      pods: existing(),
      nodes: nodes(),
      args: { hardPodAffinityWeight: 10 },
      want: [MAX, 50, 0],
    },
    {
      name: 'ignorePreferredTermsOfExistingPods still counts existing terms when the incoming pod has preferred terms of its own (raw 1+3, 5+3, 0)',
      pod: pod(web, undefined, {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(3, term('zone', { key: 'app', operator: 'In', values: ['nobody'] }))] },
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(3, term('zone', { key: 'role', operator: 'Exists' }))] },
      }),
      pods: [...existing(), pod({ role: 'x' }, 'n1'), pod({ role: 'y' }, 'n2')],
      nodes: nodes(),
      args: { ignorePreferredTermsOfExistingPods: true },
      want: [50, MAX, 0],
    },
    {
      name: 'raw scores that are all equal and non-zero normalize to 0',
      pod: pod(web),
      pods: [pod({}, 'n1', preferWeb5), pod({}, 'n2', preferWeb5), pod({}, 'n3', preferWeb5)],
      nodes: nodes(),
      want: [0, 0, 0],
    },
    {
      name: 'negative raw scores map the minimum to 0 and truncate (raw −3, −1, 0 → 0, 66, 100)',
      pod: pod(web, undefined, {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            weighted(1, term('zone', { key: 'tier', operator: 'Exists' })),
            weighted(2, term('zone', { key: 'tier', operator: 'In', values: ['db'] })),
          ],
        },
      }),
      pods: [pod({ tier: 'db' }, 'n1'), pod({ tier: 'cache' }, 'n2')],
      nodes: nodes(),
      want: [0, 66, MAX],
    },
  ];
  for (const c of cases) it(c.name, () => runScoreCase(c));

  it('scores follow placements made after the first PreScore', () => {
    const cluster = buildCluster(nodes(), [pod(web, 'n1')]);
    const pl = new InterPodAffinityPlugin(parseInterPodAffinityArgs(undefined), cluster);
    const incoming = podInfo(pod({}, undefined, preferWeb5));
    const raw = (): number[] => {
      const state = new CycleState();
      assert.equal(pl.preScore(state, incoming, cluster.nodes), null);
      return cluster.nodes.map((nd) => pl.score(state, incoming, nd));
    };
    assert.deepEqual(raw(), [5, 0, 0]);
    const p = podInfo(pod(web));
    cluster.addPod(p);
    cluster.assume(p, cluster.mustNode('n2'));
    assert.deepEqual(raw(), [5, 5, 0]);
    cluster.deletePod(p);
    assert.deepEqual(raw(), [5, 0, 0]);
  });
});

describe('InterPodAffinity args', () => {
  it('defaults hardPodAffinityWeight to 1 and ignorePreferredTermsOfExistingPods to false', () => {
    assert.deepEqual(parseInterPodAffinityArgs(undefined), { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
    assert.deepEqual(parseInterPodAffinityArgs({}), { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
  });
  it('accepts the bounds 0 and 100', () => {
    assert.equal(parseInterPodAffinityArgs({ hardPodAffinityWeight: 0 }).hardPodAffinityWeight, 0);
    assert.equal(parseInterPodAffinityArgs({ hardPodAffinityWeight: 100, ignorePreferredTermsOfExistingPods: true }).hardPodAffinityWeight, 100);
  });
  for (const bad of [-1, 101, 1.5, '5']) {
    it(`rejects hardPodAffinityWeight ${JSON.stringify(bad)} (upstream: not in valid range [0-100])`, () => {
      assert.throws(
        () => parseInterPodAffinityArgs({ hardPodAffinityWeight: bad }),
        (e: unknown) => e instanceof FieldError && e.path === 'hardPodAffinityWeight' && e.expected.includes('[0-100]'),
      );
    });
  }
  it('rejects a non-boolean ignorePreferredTermsOfExistingPods and unknown fields', () => {
    assert.throws(() => parseInterPodAffinityArgs({ ignorePreferredTermsOfExistingPods: 'yes' }), (e: unknown) => e instanceof FieldError && e.path === 'ignorePreferredTermsOfExistingPods');
    assert.throws(() => parseInterPodAffinityArgs({ hardPodAffinityWieght: 3 }), (e: unknown) => e instanceof FieldError && e.path === 'hardPodAffinityWieght');
  });
  it('the factory validates its args and names the plugin InterPodAffinity', () => {
    const cluster = buildCluster([]);
    assert.throws(() => newInterPodAffinity({ hardPodAffinityWeight: 200 }, clusterHandle(cluster)), FieldError);
    assert.equal(newInterPodAffinity(undefined, clusterHandle(cluster)).name, 'InterPodAffinity');
  });
});
