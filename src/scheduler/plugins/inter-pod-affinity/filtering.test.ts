import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import { HOSTNAME_LABEL } from '../../../cluster/node-info.js';
import {
  existsTerm,
  inTerm,
  labelledNode,
  notInTerm,
  requiredAffinity,
  requiredAntiAffinity,
  selectorTerm,
} from '../../../testing/affinity-builders.js';
import { buildCluster, makeFramework, makeNode, makePod, podInfo } from '../../../testing/builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Code, CODE_NAMES, type Verdict } from '../../framework/status.js';
import { ScheduleAlgorithm } from '../../schedule-one.js';
import { RandomStreams } from '../../../engine/random.js';
import { PodInfo } from '../../../cluster/pod-info.js';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  PRE_FILTER_STATE_KEY,
  type PreFilterState,
} from './filtering.js';
import { interPodAffinityIndex, WATCH_CAPACITY } from './index.js';
import { InterPodAffinityPlugin, parseInterPodAffinityArgs } from './plugin.js';

type Want = null | { code: Code; reasons: string[] };

const affinityRules: Want = { code: Code.UnschedulableAndUnresolvable, reasons: [ERR_REASON_AFFINITY_RULES_NOT_MATCH] };
const antiAffinityRules: Want = { code: Code.Unschedulable, reasons: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH] };
const existingAntiAffinity: Want = { code: Code.Unschedulable, reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH] };
const skip: Want = { code: Code.Skip, reasons: [] };

function show(v: Verdict): string {
  return v === null ? 'Success' : `${v.codeName} ${JSON.stringify(v.reasons)}`;
}

function assertVerdict(got: Verdict, want: Want, what: string): void {
  if (want === null) {
    assert.equal(got, null, `${what}: want Success, got ${show(got)}`);
    return;
  }
  assert.notEqual(got, null, `${what}: want ${CODE_NAMES[want.code]}, got Success`);
  if (got === null) return;
  assert.equal(CODE_NAMES[got.code], CODE_NAMES[want.code], `${what}: ${show(got)}`);
  assert.deepEqual(got.reasons, want.reasons, what);
  assert.equal(got.plugin, 'InterPodAffinity');
}

/** Upstream filtering_test.go's namespaces (plus NS1 of TestRequiredAffinityMultipleNodes). */
function declareNamespaces(cluster: ClusterState): void {
  cluster.setNamespace('subteam1.team1', { team: 'team1' });
  cluster.setNamespace('subteam2.team1', { team: 'team1' });
  cluster.setNamespace('subteam1.team2', { team: 'team2' });
  cluster.setNamespace('subteam2.team2', { team: 'team2' });
  cluster.setNamespace('NS1', {});
}

function plugin(cluster: ClusterState, args?: unknown): InterPodAffinityPlugin {
  return new InterPodAffinityPlugin(parseInterPodAffinityArgs(args), cluster);
}

interface FilterCase {
  name: string;
  pod: Pod;
  /** Existing pods (spec.nodeName set). */
  pods?: Pod[];
  nodes: Node[];
  /** Nodes that only host existing pods and are not filtered (upstream snapshots hold pods on
   * nodes missing from the node list). */
  extraNodes?: Node[];
  wantPreFilter?: Want;
  /** Parallel to nodes. */
  wantFilter?: Want[];
}

/** Runs PreFilter, then (unless it did not succeed) Filter on every node. */
function runFilterCase(c: FilterCase): void {
  const cluster = buildCluster([...c.nodes, ...(c.extraNodes ?? [])], c.pods ?? []);
  declareNamespaces(cluster);
  const pl = plugin(cluster);
  const state = new CycleState();
  const pi = podInfo(c.pod);
  const { status } = pl.preFilter(state, pi, cluster.nodes);
  assertVerdict(status, c.wantPreFilter ?? null, 'PreFilter');
  if (status !== null) return;
  c.nodes.forEach((n, i) => {
    const name = n.metadata?.name ?? '';
    assertVerdict(pl.filter(state, pi, cluster.mustNode(name)), (c.wantFilter ?? [])[i] ?? null, `Filter ${name}`);
  });
}

/** Upstream st.MakePod().Namespace(ns).Labels(labels).Node(node) plus affinity edits. */
function pod(labels: Record<string, string>, opts: { ns?: string; node?: string; name?: string } = {}): ReturnType<typeof makePod> {
  const w = makePod(opts.name).labels(labels);
  if (opts.ns !== undefined) w.namespace(opts.ns);
  if (opts.node !== undefined) w.node(opts.node);
  return w;
}

function exprTerm(topologyKey: string, ...exprs: { key: string; operator: string; values?: string[] }[]): PodAffinityTerm {
  return selectorTerm({ matchExpressions: exprs }, topologyKey);
}

describe('InterPodAffinity Filter: TestRequiredAffinitySingleNode', () => {
  // Upstream pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go
  // (TestRequiredAffinitySingleNode). Upstream's default namespace "" is ksim's "default".
  const podLabel = { service: 'securityscan' };
  const podLabel2 = { security: 'S1' };
  const node1 = labelledNode('node1', { region: 'r1', zone: 'z11' });
  const existing = (): Pod => pod(podLabel, { node: 'node1' }).obj();
  const teamSelector = { matchExpressions: [{ key: 'team', operator: 'In', values: ['team1'] }] };
  const serviceIn = { matchExpressions: [{ key: 'service', operator: 'In', values: ['securityscan', 'value2'] }] };
  const cases: FilterCase[] = [
    {
      name: 'A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods',
      pod: makePod().obj(),
      nodes: [node1],
      wantPreFilter: skip,
    },
    {
      name: 'satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod',
      pod: pod(podLabel2).with(requiredAffinity(inTerm('service', 'region', ['securityscan', 'value2']))).obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [null],
    },
    {
      name: 'satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod',
      pod: pod(podLabel2).with(requiredAffinity(notInTerm('service', 'region', ['securityscan3', 'value3']))).obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [null],
    },
    {
      name: 'Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
      pod: pod(podLabel2).with(requiredAffinity(selectorTerm(serviceIn, '', { namespaces: ['DiffNameSpace'] }))).obj(),
      pods: [pod({ service: 'securityscan' }, { ns: 'ns', node: 'node1' }).obj()],
      nodes: [node1],
      wantFilter: [affinityRules],
    },
    {
      name: "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
      pod: pod(podLabel).with(requiredAffinity(inTerm('service', '', ['antivirusscan', 'value2']))).obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [affinityRules],
    },
    {
      name: 'satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ',
      pod: pod(podLabel2)
        .with(
          requiredAffinity(
            exprTerm('region', { key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }),
            exprTerm('region', { key: 'service', operator: 'In', values: ['securityscan'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }),
          ),
        )
        .obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [null],
    },
    {
      name: "The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
      pod: pod(podLabel2)
        .with(
          requiredAffinity(
            exprTerm('region', { key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }),
            exprTerm('region', { key: 'service', operator: 'In', values: ['securityscan2'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }),
          ),
        )
        .obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [affinityRules],
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity with the existing pod',
      pod: pod(podLabel2)
        .with(requiredAffinity(inTerm('service', 'region', ['securityscan', 'value2'])))
        .with(requiredAntiAffinity(inTerm('service', 'node', ['antivirusscan', 'value2'])))
        .obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [null],
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod',
      pod: pod(podLabel2)
        .with(requiredAffinity(inTerm('service', 'region', ['securityscan', 'value2'])))
        .with(requiredAntiAffinity(inTerm('service', 'node', ['antivirusscan', 'value2'])))
        .obj(),
      pods: [pod(podLabel, { node: 'node1' }).with(requiredAntiAffinity(inTerm('service', 'node', ['antivirusscan', 'value2']))).obj()],
      nodes: [node1],
      wantFilter: [null],
    },
    {
      name: "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
      pod: pod(podLabel2)
        .with(requiredAffinity(inTerm('service', 'region', ['securityscan', 'value2'])))
        .with(requiredAntiAffinity(inTerm('service', 'zone', ['securityscan', 'value2'])))
        .obj(),
      pods: [existing()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod: pod(podLabel)
        .with(requiredAffinity(inTerm('service', 'region', ['securityscan', 'value2'])))
        .with(requiredAntiAffinity(inTerm('service', 'node', ['antivirusscan', 'value2'])))
        .obj(),
      pods: [pod(podLabel, { node: 'node1' }).with(requiredAntiAffinity(inTerm('service', 'zone', ['securityscan', 'value2']))).obj()],
      nodes: [node1],
      wantFilter: [existingAntiAffinity],
    },
    {
      name: 'pod matches its own Label in PodAffinity and that matches the existing pod Labels',
      pod: pod(podLabel).with(requiredAffinity(notInTerm('service', 'region', ['securityscan', 'value2']))).obj(),
      pods: [pod({ service: 'securityscan' }, { node: 'node2' }).obj()],
      nodes: [node1],
      extraNodes: [labelledNode('node2', {})],
      wantFilter: [affinityRules],
    },
    {
      name: "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod: pod(podLabel).obj(),
      pods: [pod(podLabel, { node: 'node1' }).with(requiredAntiAffinity(inTerm('service', 'zone', ['securityscan', 'value2']))).obj()],
      nodes: [node1],
      wantFilter: [existingAntiAffinity],
    },
    {
      name: 'verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod',
      pod: pod(podLabel).obj(),
      pods: [pod(podLabel, { node: 'node1' }).with(requiredAntiAffinity(notInTerm('service', 'zone', ['securityscan', 'value2']))).obj()],
      nodes: [node1],
      wantPreFilter: skip,
    },
    {
      name: "satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
      pod: pod(podLabel).with(requiredAntiAffinity(existsTerm('service', 'region'), existsTerm('security', 'region'))).obj(),
      pods: [pod(podLabel2, { node: 'node1' }).with(requiredAntiAffinity(existsTerm('security', 'zone'))).obj()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: 'PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: pod(podLabel).with(requiredAntiAffinity(existsTerm('service', 'zone'), existsTerm('security', 'zone'))).obj(),
      pods: [pod(podLabel2, { node: 'node1' }).with(requiredAntiAffinity(existsTerm('security', 'zone'))).obj()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: 'PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: pod(podLabel2).with(requiredAntiAffinity(existsTerm('security', 'zone'))).obj(),
      pods: [pod(podLabel, { node: 'node1' }).with(requiredAntiAffinity(existsTerm('service', 'zone'), existsTerm('security', 'zone'))).obj()],
      nodes: [node1],
      wantFilter: [existingAntiAffinity],
    },
    {
      name: 'PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: pod({ abc: '', xyz: '' }).with(requiredAntiAffinity(existsTerm('abc', 'zone'), existsTerm('def', 'zone'))).obj(),
      pods: [pod({ def: '', xyz: '' }, { node: 'node1' }).with(requiredAntiAffinity(existsTerm('abc', 'zone'), existsTerm('def', 'zone'))).obj()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: 'PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: pod({ def: '', xyz: '' }).with(requiredAntiAffinity(existsTerm('abc', 'zone'), existsTerm('def', 'zone'))).obj(),
      pods: [pod({ abc: '', xyz: '' }, { node: 'node1' }).with(requiredAntiAffinity(existsTerm('abc', 'zone'), existsTerm('def', 'zone'))).obj()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: 'affinity with NamespaceSelector',
      pod: pod(podLabel2).with(requiredAffinity(selectorTerm(serviceIn, 'region', { namespaceSelector: teamSelector }))).obj(),
      pods: [pod(podLabel, { ns: 'subteam1.team1', node: 'node1' }).obj()],
      nodes: [node1],
      wantFilter: [null],
    },
    {
      name: 'affinity with non-matching NamespaceSelector',
      pod: pod(podLabel2).with(requiredAffinity(selectorTerm(serviceIn, 'region', { namespaceSelector: teamSelector }))).obj(),
      pods: [pod(podLabel, { ns: 'subteam1.team2', node: 'node1' }).obj()],
      nodes: [node1],
      wantFilter: [affinityRules],
    },
    {
      name: 'anti-affinity with matching NamespaceSelector',
      pod: pod(podLabel2, { ns: 'subteam1.team1' }).with(requiredAntiAffinity(selectorTerm(serviceIn, 'zone', { namespaceSelector: teamSelector }))).obj(),
      pods: [pod(podLabel, { ns: 'subteam2.team1', node: 'node1' }).obj()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: 'anti-affinity with matching all NamespaceSelector',
      pod: pod(podLabel2, { ns: 'subteam1.team1' }).with(requiredAntiAffinity(selectorTerm(serviceIn, 'zone', { namespaceSelector: {} }))).obj(),
      pods: [pod(podLabel, { ns: 'subteam2.team1', node: 'node1' }).obj()],
      nodes: [node1],
      wantFilter: [antiAffinityRules],
    },
    {
      name: 'anti-affinity with non-matching NamespaceSelector',
      pod: pod(podLabel2, { ns: 'subteam1.team1' }).with(requiredAntiAffinity(selectorTerm(serviceIn, 'zone', { namespaceSelector: teamSelector }))).obj(),
      pods: [pod(podLabel, { ns: 'subteam1.team2', node: 'node1' }).obj()],
      nodes: [node1],
      wantFilter: [null],
    },
  ];
  for (const c of cases) it(c.name, () => runFilterCase(c));

  // Upstream's two "fails PreFilter with an invalid ... label syntax" cases: the code is
  // upstream's; the message after "parsing pod: requiredAffinityTerms: " is ksim's label
  // validation text, not apimachinery's.
  const invalid = [
    {
      name: 'PodAffinity fails PreFilter with an invalid affinity label syntax',
      pod: pod(podLabel)
        .with(requiredAffinity(inTerm('service', 'region', ['{{.bad-value.}}']), inTerm('service', 'node', ['antivirusscan', 'value2'])))
        .obj(),
      path: '[0].labelSelector.matchExpressions[0].values[0]',
    },
    {
      name: 'PodAntiAffinity fails PreFilter with an invalid antiaffinity label syntax',
      pod: pod(podLabel).with(requiredAffinity(inTerm('service', 'region', ['foo']), inTerm('service', 'node', ['{{.bad-value.}}']))).obj(),
      path: '[1].labelSelector.matchExpressions[0].values[0]',
    },
  ];
  for (const c of invalid) {
    it(c.name, () => {
      const cluster = buildCluster([node1]);
      const { status } = plugin(cluster).preFilter(new CycleState(), podInfo(c.pod), cluster.nodes);
      assert.notEqual(status, null);
      assert.equal(status?.codeName, 'UnschedulableAndUnresolvable');
      const msg = status?.reasons[0] ?? '';
      assert.ok(msg.startsWith(`parsing pod: requiredAffinityTerms: ${c.path}: expected a label value`), msg);
      assert.ok(msg.endsWith('got "{{.bad-value.}}"'), msg);
    });
  }
});

describe('InterPodAffinity Filter: TestRequiredAffinityMultipleNodes', () => {
  // Upstream filtering_test.go (TestRequiredAffinityMultipleNodes).
  const labelRgChina = { region: 'China' };
  const labelRgChinaAzAz1 = { region: 'China', az: 'az1' };
  const labelRgIndia = { region: 'India' };
  const regionZone = (zone: string, host: string) => ({ region: 'r1', zone, hostname: host });
  const ab = (za: string, zb: string): Node[] => [labelledNode('nodeA', regionZone(za, 'nodeA')), labelledNode('nodeB', regionZone(zb, 'nodeB'))];
  const threeRegions = (a: string, b: string, c: string): Node[] => [
    labelledNode(a, labelRgChina),
    labelledNode(b, labelRgChinaAzAz1),
    labelledNode(c, labelRgIndia),
  ];
  const cases: FilterCase[] = [
    {
      name: 'A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules',
      pod: makePod().with(requiredAffinity(inTerm('foo', 'region', ['bar']))).obj(),
      pods: [pod({ foo: 'bar' }, { name: 'p1', node: 'node1' }).obj()],
      nodes: threeRegions('node1', 'node2', 'node3'),
      wantFilter: [null, null, affinityRules],
    },
    {
      name:
        'The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection ' +
        "should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
      pod: pod({ foo: 'bar', service: 'securityscan' })
        .with(requiredAffinity(inTerm('foo', 'zone', ['bar']), inTerm('service', 'zone', ['securityscan'])))
        .obj(),
      pods: [pod({ foo: 'bar' }, { name: 'p1', node: 'nodeA' }).obj()],
      nodes: [labelledNode('nodeA', { zone: 'az1', hostname: 'h1' }), labelledNode('nodeB', { zone: 'az2', hostname: 'h2' })],
      wantFilter: [null, null],
    },
    {
      name: 'The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys',
      pod: pod({ foo: 'bar', service: 'securityscan' })
        .with(requiredAffinity(inTerm('foo', 'zone', ['bar']), inTerm('service', 'zone', ['securityscan'])))
        .obj(),
      pods: [pod({ foo: 'bar' }, { name: 'p1', node: 'nodeA' }).obj()],
      nodes: [labelledNode('nodeA', { zoneLabel: 'az1', hostname: 'h1' }), labelledNode('nodeB', { zoneLabel: 'az2', hostname: 'h2' })],
      wantFilter: [affinityRules, affinityRules],
    },
    {
      name: 'NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.',
      pod: makePod().with(requiredAntiAffinity(inTerm('foo', 'region', ['abc']))).obj(),
      pods: [pod({ foo: 'abc' }, { node: 'nodeA' }).obj()],
      nodes: [labelledNode('nodeA', { region: 'r1', hostname: 'nodeA' }), labelledNode('nodeB', { region: 'r1', hostname: 'nodeB' })],
      wantFilter: [antiAffinityRules, antiAffinityRules],
    },
    {
      name: 'This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.',
      pod: makePod().with(requiredAntiAffinity(inTerm('foo', 'region', ['abc']), inTerm('service', 'zone', ['securityscan']))).obj(),
      pods: [pod({ foo: 'abc', service: 'securityscan' }, { node: 'nodeA' }).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [antiAffinityRules, antiAffinityRules],
    },
    {
      name: 'NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC',
      pod: makePod().with(requiredAntiAffinity(inTerm('foo', 'region', ['abc']))).obj(),
      pods: [pod({ foo: 'abc' }, { node: 'nodeA' }).obj()],
      nodes: threeRegions('nodeA', 'nodeB', 'nodeC'),
      wantFilter: [antiAffinityRules, antiAffinityRules, null],
    },
    {
      name: 'NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)',
      pod: pod({ foo: '123' }, { ns: 'NS1' }).with(requiredAntiAffinity(inTerm('foo', 'region', ['bar']))).obj(),
      pods: [
        pod({ foo: 'bar' }, { ns: 'NS1', node: 'nodeA' }).obj(),
        pod({}, { ns: 'NS2', node: 'nodeC' }).with(requiredAntiAffinity(inTerm('foo', 'region', ['123']))).obj(),
      ],
      nodes: threeRegions('nodeA', 'nodeB', 'nodeC'),
      wantFilter: [antiAffinityRules, antiAffinityRules, null],
    },
    {
      name: "Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked",
      pod: pod({ foo: '' }).obj(),
      pods: [pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('foo', 'invalid-node-label'))).obj()],
      nodes: ab('z1', 'z1'),
      wantPreFilter: skip,
    },
    {
      name: "Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
      pod: pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('foo', 'invalid-node-label'))).obj(),
      pods: [pod({ foo: '' }, { node: 'nodeA' }).obj()],
      nodes: ab('z1', 'z1'),
      wantFilter: [null, null],
    },
    {
      name: "Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes",
      pod: pod({ foo: '', bar: '' }).obj(),
      pods: [
        pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('foo', 'zone'))).obj(),
        pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('bar', 'region'))).obj(),
      ],
      nodes: ab('z1', 'z2'),
      wantFilter: [existingAntiAffinity, existingAntiAffinity],
    },
    {
      name: "Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod",
      pod: makePod().with(requiredAntiAffinity(existsTerm('foo', 'zone'), existsTerm('bar', 'region'))).obj(),
      pods: [pod({ foo: '' }, { node: 'nodeA' }).obj(), pod({ bar: '' }, { node: 'nodeB' }).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [antiAffinityRules, antiAffinityRules],
    },
    {
      name: "Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
      pod: pod({ foo: '', bar: '' }).obj(),
      pods: [pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('foo', 'invalid-node-label'), existsTerm('bar', 'zone'))).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [existingAntiAffinity, null],
    },
    {
      name: "Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
      pod: makePod().with(requiredAntiAffinity(existsTerm('foo', 'invalid-node-label'), existsTerm('bar', 'zone'))).obj(),
      pods: [pod({ foo: '', bar: '' }, { name: 'podA', node: 'nodeA' }).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [antiAffinityRules, null],
    },
    {
      name: "Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
      pod: pod({ foo: '', bar: '' }).obj(),
      pods: [pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('foo', 'region'), existsTerm('bar', 'zone'))).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [existingAntiAffinity, existingAntiAffinity],
    },
    {
      name: "Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
      pod: makePod().with(requiredAntiAffinity(existsTerm('foo', 'region'), existsTerm('bar', 'zone'))).obj(),
      pods: [pod({ foo: '', bar: '' }, { node: 'nodeA' }).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [antiAffinityRules, antiAffinityRules],
    },
    {
      name: "Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC",
      pod: pod({ foo: '', bar: '' }).obj(),
      pods: [
        pod({}, { node: 'nodeA' }).with(requiredAntiAffinity(existsTerm('foo', 'zone'), existsTerm('labelA', 'zone'))).obj(),
        pod({}, { node: 'nodeB' }).with(requiredAntiAffinity(existsTerm('bar', 'zone'), existsTerm('labelB', 'zone'))).obj(),
      ],
      nodes: [...ab('z1', 'z2'), labelledNode('nodeC', regionZone('z3', 'nodeC'))],
      wantFilter: [existingAntiAffinity, existingAntiAffinity, null],
    },
    {
      name: "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match",
      pod: makePod().with(requiredAffinity(existsTerm('foo', 'region'), existsTerm('bar', 'zone'))).obj(),
      pods: [pod({ foo: '', bar: '' }, { name: 'pod1', node: 'nodeA' }).obj()],
      nodes: ab('z1', 'z1'),
      wantFilter: [null, null],
    },
    {
      name: "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod",
      pod: makePod().with(requiredAffinity(existsTerm('foo', 'region'), existsTerm('bar', 'zone'))).obj(),
      pods: [pod({ foo: '' }, { name: 'pod1', node: 'nodeA' }).obj(), pod({ bar: '' }, { name: 'pod2', node: 'nodeB' }).obj()],
      nodes: ab('z1', 'z2'),
      wantFilter: [affinityRules, affinityRules],
    },
  ];
  for (const c of cases) it(c.name, () => runFilterCase(c));
});

describe('InterPodAffinity Filter: TestPreFilterDisabled', () => {
  // Upstream filtering_test.go (TestPreFilterDisabled): Filter without PreFilter state is an Error.
  it('Filter without PreFilter state returns an Error', () => {
    const cluster = buildCluster([makeNode('n').obj()]);
    const got = plugin(cluster).filter(new CycleState(), podInfo(makePod().obj()), cluster.mustNode('n'));
    assert.equal(got?.codeName, 'Error');
    assert.deepEqual(got?.reasons, ['error reading "PreFilterInterPodAffinity" from cycleState: not found']);
  });
});

/** The state's three counts as "key=value" → count records. */
function counts(state: CycleState): { existing: Record<string, number>; affinity: Record<string, number>; anti: Record<string, number> } {
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  assert.ok(s !== undefined, 'PreFilter wrote no state');
  return { existing: s.existingAntiAffinityCounts.toRecord(), affinity: s.affinityCounts.toRecord(), anti: s.antiAffinityCounts.toRecord() };
}

describe('InterPodAffinity PreFilterExtensions: TestPreFilterStateAddRemovePod', () => {
  // Upstream filtering_test.go (TestPreFilterStateAddRemovePod): AddPod of a pod gives the state
  // PreFilter computes with that pod placed; RemovePod restores the original state.
  const label1 = { region: 'r1', zone: 'z11' };
  const label2 = { region: 'r1', zone: 'z12' };
  const label3 = { region: 'r2', zone: 'z21' };
  const selector1 = { foo: 'bar' };
  const antiFooBar = requiredAntiAffinity(inTerm('foo', 'region', ['bar']));
  const complexTerms = [inTerm('foo', 'region', ['bar', 'buzz']), notInTerm('service', 'zone', ['bar', 'security', 'test'])];
  const antiComplex = requiredAntiAffinity(...complexTerms);
  const affinityComplex = requiredAffinity(...complexTerms);
  const nodes = (): Node[] => [labelledNode('nodeA', label1), labelledNode('nodeB', label2), labelledNode('nodeC', label3)];
  const cases = [
    {
      name: 'preFilterState anti-affinity terms are updated correctly after adding and removing a pod',
      pending: makePod('pending').labels(selector1).with(antiFooBar).obj(),
      existing: [makePod('p1').labels(selector1).node('nodeA').obj(), makePod('p2').node('nodeC').with(antiFooBar).obj()],
      added: makePod('addedPod').labels(selector1).node('nodeB').with(antiFooBar).obj(),
      wantAnti: { 'region=r1': 2 },
      wantAffinity: {},
    },
    {
      name: 'preFilterState anti-affinity terms are updated correctly after adding and removing a pod (complex terms)',
      pending: makePod('pending').labels(selector1).with(antiComplex).obj(),
      existing: [makePod('p1').labels(selector1).node('nodeA').obj(), makePod('p2').node('nodeC').with(antiFooBar).obj()],
      added: makePod('addedPod').labels(selector1).node('nodeA').with(antiComplex).obj(),
      wantAnti: { 'region=r1': 2, 'zone=z11': 2, 'zone=z21': 1 },
      wantAffinity: {},
    },
    {
      name: 'preFilterState matching pod affinity and anti-affinity are updated correctly after adding and removing a pod',
      pending: makePod('pending').labels(selector1).with(affinityComplex).obj(),
      existing: [makePod('p1').labels(selector1).node('nodeA').obj(), makePod('p2').node('nodeC').with(antiFooBar).with(affinityComplex).obj()],
      added: makePod('addedPod').labels(selector1).node('nodeA').with(antiComplex).obj(),
      wantAnti: {},
      wantAffinity: { 'region=r1': 2, 'zone=z11': 2 },
    },
    {
      // ksim case: a pod matching none of the pending pod's affinity terms leaves its counts alone.
      name: 'adding and removing a pod that does not match the affinity terms changes no affinity count',
      pending: makePod('pending').labels(selector1).with(affinityComplex).obj(),
      existing: [makePod('p1').labels(selector1).node('nodeA').obj()],
      added: makePod('addedPod').labels({ foo: 'other' }).node('nodeB').obj(),
      wantAnti: {},
      wantAffinity: { 'region=r1': 1, 'zone=z11': 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const prefilter = (pods: Pod[]): { cluster: ClusterState; pl: InterPodAffinityPlugin; state: CycleState } => {
        const cluster = buildCluster(nodes(), pods);
        const pl = plugin(cluster);
        const state = new CycleState();
        const { status } = pl.preFilter(state, podInfo(c.pending), cluster.nodes);
        assert.equal(status, null);
        return { cluster, pl, state };
      };
      const all = counts(prefilter([...c.existing, c.added]).state);
      const { cluster, pl, state } = prefilter(c.existing);
      const original = counts(state);
      const pending = podInfo(c.pending);
      const added = podInfo(c.added);
      const node = cluster.mustNode(c.added.spec?.nodeName ?? '');
      assert.equal(pl.addPod(state, pending, added, node), null);
      const afterAdd = counts(state);
      assert.deepEqual(afterAdd.anti, c.wantAnti);
      assert.deepEqual(afterAdd.affinity, c.wantAffinity);
      assert.deepEqual(afterAdd, all);
      assert.equal(pl.removePod(state, pending, added, node), null);
      assert.deepEqual(counts(state), original);
    });
  }

  it('TestPreFilterStateClone: a clone starts equal and AddPod on it leaves the original alone', () => {
    const cluster = buildCluster(nodes(), [makePod('p1').labels(selector1).node('nodeA').obj(), makePod('p2').node('nodeC').with(antiFooBar).obj()]);
    const pl = plugin(cluster);
    const state = new CycleState();
    const pending = podInfo(makePod('pending').labels(selector1).with(antiFooBar).obj());
    assert.equal(pl.preFilter(state, pending, cluster.nodes).status, null);
    const original = state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState;
    const copy = original.clone();
    assert.notEqual(copy, original);
    const before = counts(state);
    assert.deepEqual(before, { existing: { 'region=r2': 1 }, affinity: {}, anti: { 'region=r1': 1 } });
    const cloned = new CycleState();
    cloned.write(PRE_FILTER_STATE_KEY, copy);
    assert.deepEqual(counts(cloned), before);
    pl.addPod(cloned, pending, podInfo(makePod('x').labels(selector1).with(antiFooBar).obj()), cluster.mustNode('nodeC'));
    assert.deepEqual(counts(cloned), { existing: { 'region=r2': 2 }, affinity: {}, anti: { 'region=r1': 1, 'region=r2': 1 } });
    assert.deepEqual(counts(state), before);
  });

  it('AddPod changes what Filter decides; RemovePod of an existing pod frees its domain', () => {
    const cluster = buildCluster(nodes(), [makePod('p1').labels(selector1).node('nodeA').obj()]);
    const pl = plugin(cluster);
    const state = new CycleState();
    const pending = podInfo(makePod('pending').with(antiFooBar).obj());
    assert.equal(pl.preFilter(state, pending, cluster.nodes).status, null);
    const [a, b, c] = [cluster.mustNode('nodeA'), cluster.mustNode('nodeB'), cluster.mustNode('nodeC')];
    assertVerdict(pl.filter(state, pending, b), antiAffinityRules, 'nodeB before');
    assertVerdict(pl.filter(state, pending, c), null, 'nodeC before');
    const p1 = a.pods[0] as PodInfo;
    pl.removePod(state, pending, p1, a);
    assertVerdict(pl.filter(state, pending, b), null, 'nodeB after removing p1');
    pl.addPod(state, pending, podInfo(makePod('x').labels(selector1).obj()), c);
    assertVerdict(pl.filter(state, pending, c), antiAffinityRules, 'nodeC after adding x');
    // The cluster's own counts are untouched by the what-ifs.
    const fresh = new CycleState();
    pl.preFilter(fresh, pending, cluster.nodes);
    assert.deepEqual(counts(fresh).anti, { 'region=r1': 1 });
  });
});

describe('InterPodAffinity PreFilter: TestGetTPMapMatchingIncomingAffinityAntiAffinity', () => {
  // Upstream filtering_test.go (TestGetTPMapMatchingIncomingAffinityAntiAffinity), observed
  // through the PreFilter state's affinity and anti-affinity counts.
  const newPod = (...labels: string[]): Pod => {
    const w = makePod('normal').node('nodeA');
    for (const l of labels) w.label(l, '');
    return w.obj();
  };
  const nodeA = labelledNode('nodeA', { hostname: 'nodeA' });
  const aff = (...keys: string[]) => requiredAffinity(...keys.map((k) => existsTerm(k, 'hostname')));
  const anti = (...keys: string[]) => requiredAntiAffinity(...keys.map((k) => existsTerm(k, 'hostname')));
  const cases = [
    { name: 'nil test', existing: [], pod: makePod('aaa-normal').obj(), skip: true },
    { name: 'incoming pod without affinity/anti-affinity causes a no-op', existing: [newPod('aaa')], pod: makePod('aaa-normal').obj(), skip: true },
    {
      name: "no pod has label that violates incoming pod's affinity and anti-affinity",
      existing: [newPod('bbb')],
      pod: makePod('aaa-anti').with(aff('aaa')).with(anti('aaa')).obj(),
      wantAffinity: {},
      wantAnti: {},
    },
    {
      name: "existing pod matches incoming pod's affinity and anti-affinity - single term case",
      existing: [newPod('aaa')],
      pod: makePod('affi-antiaffi').with(aff('aaa')).with(anti('aaa')).obj(),
      wantAffinity: { 'hostname=nodeA': 1 },
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "existing pod matches incoming pod's affinity and anti-affinity - multiple terms case",
      existing: [newPod('aaa', 'bbb')],
      pod: makePod('affi-antiaffi').with(aff('aaa', 'bbb')).with(anti('aaa')).obj(),
      wantAffinity: { 'hostname=nodeA': 2 }, // one for each term
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "existing pod not match incoming pod's affinity but matches anti-affinity",
      existing: [newPod('aaa')],
      pod: makePod('affi-antiaffi').with(aff('aaa', 'bbb')).with(anti('aaa', 'bbb')).obj(),
      wantAffinity: {},
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 1",
      existing: [newPod('aaa', 'bbb')],
      pod: makePod('anaffi-antiaffiti').with(aff('aaa', 'ccc')).with(anti('aaa', 'ccc')).obj(),
      wantAffinity: {},
      wantAnti: { 'hostname=nodeA': 1 },
    },
    {
      name: "incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 2",
      existing: [newPod('bbb')],
      pod: makePod('affi-antiaffi').with(aff('aaa', 'bbb')).with(anti('aaa', 'bbb')).obj(),
      wantAffinity: {},
      wantAnti: { 'hostname=nodeA': 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cluster = buildCluster([nodeA], c.existing);
      const state = new CycleState();
      const { status } = plugin(cluster).preFilter(state, podInfo(c.pod), cluster.nodes);
      if (c.skip === true) {
        assert.equal(status?.codeName, 'Skip');
        return;
      }
      assert.equal(status, null);
      const got = counts(state);
      assert.deepEqual(got.affinity, c.wantAffinity);
      assert.deepEqual(got.anti, c.wantAnti);
    });
  }
});

describe('InterPodAffinity: matchLabelKeys / mismatchLabelKeys (merged from the pod labels)', () => {
  const nodes = [labelledNode('n1', { zone: 'a' }), labelledNode('n2', { zone: 'b' })];
  const existing = [
    pod({ app: 'web', hash: 'v1' }, { node: 'n1' }).obj(),
    pod({ app: 'web', hash: 'v2' }, { node: 'n2' }).obj(),
  ];
  it('anti-affinity with matchLabelKeys only counts pods with the same value of the key', () => {
    runFilterCase({
      name: 'matchLabelKeys',
      pod: pod({ app: 'web', hash: 'v2' }).with(requiredAntiAffinity(existsTerm('app', 'zone', { matchLabelKeys: ['hash'] }))).obj(),
      pods: existing,
      nodes,
      wantFilter: [null, antiAffinityRules],
    });
  });
  it('anti-affinity with mismatchLabelKeys only counts pods with another value of the key', () => {
    runFilterCase({
      name: 'mismatchLabelKeys',
      pod: pod({ app: 'web', hash: 'v2' }).with(requiredAntiAffinity(existsTerm('app', 'zone', { mismatchLabelKeys: ['hash'] }))).obj(),
      pods: existing,
      nodes,
      wantFilter: [antiAffinityRules, null],
    });
  });
  it("a key the pod lacks is ignored, and existing pods' terms are merged with their own labels", () => {
    runFilterCase({
      name: 'existing pod matchLabelKeys',
      pod: pod({ app: 'web', hash: 'v1' }).obj(),
      pods: [
        pod({ app: 'web', hash: 'v2' }, { node: 'n1' }).with(requiredAntiAffinity(existsTerm('app', 'zone', { matchLabelKeys: ['hash'] }))).obj(),
        pod({ app: 'web' }, { node: 'n2' }).with(requiredAntiAffinity(existsTerm('app', 'zone', { matchLabelKeys: ['hash'] }))).obj(),
      ],
      nodes,
      wantFilter: [null, existingAntiAffinity],
    });
  });
});

describe('InterPodAffinity: the cluster index follows placements', () => {
  it('counts placed and removed pods after the first PreFilter built them', () => {
    const cluster = buildCluster([labelledNode('n1', { [HOSTNAME_LABEL]: 'n1' }), labelledNode('n2', { [HOSTNAME_LABEL]: 'n2' })]);
    const pl = plugin(cluster);
    const incoming = podInfo(pod({ app: 'db' }).with(requiredAntiAffinity(inTerm('app', HOSTNAME_LABEL, ['db']))).obj());
    const filterAll = (): string[] => {
      const state = new CycleState();
      const { status } = pl.preFilter(state, incoming, cluster.nodes);
      assert.equal(status, null);
      return cluster.nodes.map((n) => show(pl.filter(state, incoming, n)));
    };
    assert.deepEqual(filterAll(), ['Success', 'Success']);
    const placed = podInfo(pod({ app: 'db' }).obj());
    cluster.addPod(placed);
    cluster.assume(placed, cluster.mustNode('n2'));
    assert.deepEqual(filterAll(), ['Success', `Unschedulable ["${ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH}"]`]);
    cluster.deletePod(placed);
    assert.deepEqual(filterAll(), ['Success', 'Success']);
  });

  it('existing pods with anti-affinity placed later reject the incoming pod (symmetry)', () => {
    const cluster = buildCluster([labelledNode('n1', { zone: 'a' }), labelledNode('n2', { zone: 'b' })]);
    const pl = plugin(cluster);
    const incoming = podInfo(pod({ app: 'web' }).obj());
    const state0 = new CycleState();
    assert.equal(pl.preFilter(state0, incoming, cluster.nodes).status?.codeName, 'Skip');
    const guard = podInfo(pod({}).with(requiredAntiAffinity(inTerm('app', 'zone', ['web']))).obj());
    cluster.addPod(guard);
    cluster.assume(guard, cluster.mustNode('n1'));
    const state = new CycleState();
    assert.equal(pl.preFilter(state, incoming, cluster.nodes).status, null);
    assertVerdict(pl.filter(state, incoming, cluster.mustNode('n1')), existingAntiAffinity, 'n1');
    assertVerdict(pl.filter(state, incoming, cluster.mustNode('n2')), null, 'n2');
    cluster.deletePod(guard);
    assert.equal(pl.preFilter(new CycleState(), incoming, cluster.nodes).status?.codeName, 'Skip');
  });

  it('keeps at most WATCH_CAPACITY watches and rebuilds an evicted one correctly', () => {
    const cluster = buildCluster([labelledNode('n1', { zone: 'a' }), labelledNode('n2', { zone: 'b' })], [pod({ k0: 'x' }, { node: 'n1' }).obj()]);
    const pl = plugin(cluster);
    const ix = interPodAffinityIndex(cluster);
    const incomingFor = (i: number) => podInfo(pod({}).with(requiredAntiAffinity(existsTerm(`k${i}`, 'zone'))).obj());
    for (let i = 0; i <= WATCH_CAPACITY; i++) pl.preFilter(new CycleState(), incomingFor(i), cluster.nodes);
    assert.equal(ix.watchCount, WATCH_CAPACITY);
    // k0's watch was evicted; a pod placed meanwhile must still be counted when it is rebuilt.
    const later = podInfo(pod({ k0: 'y' }).obj());
    cluster.addPod(later);
    cluster.assume(later, cluster.mustNode('n2'));
    const state = new CycleState();
    pl.preFilter(state, incomingFor(0), cluster.nodes);
    assert.deepEqual(counts(state).anti, { 'zone=a': 1, 'zone=b': 1 });
  });

  it('one index per cluster, shared by plugin instances', () => {
    const cluster = buildCluster([makeNode('n').obj()]);
    assert.equal(plugin(cluster).index, plugin(cluster, { hardPodAffinityWeight: 5 }).index);
  });
});

describe('InterPodAffinity in a scheduling cycle', () => {
  it('spreads pods with hostname anti-affinity against their own group one per node, then reports them unschedulable', () => {
    const nodes = Array.from({ length: 5 }, (_, i) => makeNode(`n${i}`).capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj());
    const cluster = buildCluster(nodes);
    const fwk = makeFramework(cluster, [plugin(cluster)]);
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(7).stream('scheduler'));
    const used = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const p = podInfo(
        makePod(`db-${i}`).label('color', 'green').with(requiredAntiAffinity(inTerm('color', HOSTNAME_LABEL, ['green']))).obj(),
      );
      cluster.addPod(p);
      const r = algo.schedule(fwk, fwk.newCycleState(), p);
      if (i < 5) {
        assert.notEqual(r.nodeName, null, r.reason);
        assert.ok(!used.has(r.nodeName as string), `node ${r.nodeName} used twice`);
        used.add(r.nodeName as string);
        cluster.assume(p, cluster.mustNode(r.nodeName as string));
      } else {
        assert.equal(r.nodeName, null);
        assert.equal(r.reason, `0/5 nodes are available: 5 ${ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH}.`);
        assert.deepEqual([...r.unschedulablePlugins], ['InterPodAffinity']);
      }
    }
  });
});
