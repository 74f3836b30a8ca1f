import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { WorkloadObject } from '../../../cluster/workload-object.js';
import { buildCluster, makePod, podInfo } from '../../../testing/builders.js';
import {
  controller,
  exists,
  incoming,
  matchLabels,
  node,
  nodeAffinityIn,
  nodeAffinityNotIn,
  placed,
  service,
  setup,
  spread,
  spreadPod,
  terminating,
  TOLERATE_UNSCHEDULABLE,
  UNSCHEDULABLE_TAINT,
  zoneNode,
} from '../../../testing/spread-builders.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Code, CODE_NAMES, type Verdict } from '../../framework/status.js';
import { PRE_FILTER_STATE_KEY, PreFilterState } from './filtering.js';
import { parsePodTopologySpreadArgs, PodTopologySpreadPlugin } from './plugin.js';
import { MAX_INT32 } from './spread-index.js';

const DNS = 'DoNotSchedule';
const SA = 'ScheduleAnyway';
const foo = exists('foo');
const bar = exists('bar');
const taints = [UNSCHEDULABLE_TAINT];

/** What upstream's preFilterState says about one constraint. */
interface ConstraintState {
  key: string;
  maxSkew: number;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
  /** TpValueToMatchNum[i] */
  counts: Record<string, number>;
  /** CriticalPaths[i][0].MatchNum (MaxInt32 with no domain) */
  min: number;
}

function cs(key: string, counts: Record<string, number>, min: number, more: Partial<ConstraintState> = {}): ConstraintState {
  return { key, maxSkew: 1, minDomains: 1, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', counts, min, ...more };
}

function summarize(s: PreFilterState): ConstraintState[] {
  return s.constraints.map((c, i) => ({
    key: c.topologyKey,
    maxSkew: c.maxSkew,
    minDomains: c.minDomains,
    nodeAffinityPolicy: c.honorNodeAffinity ? 'Honor' : 'Ignore',
    nodeTaintsPolicy: c.honorNodeTaints ? 'Honor' : 'Ignore',
    counts: Object.fromEntries([...(s.counts[i] as Map<string, number>)].sort(([a], [b]) => (a < b ? -1 : 1))),
    min: s.minMatch[i] as number,
  }));
}

function runPreFilter(plugin: PodTopologySpreadPlugin, nodes: Parameters<PodTopologySpreadPlugin['preFilter']>[2], pod: Pod): { state: CycleState; status: Verdict } {
  const state = new CycleState();
  const { status } = plugin.preFilter(state, podInfo(pod), nodes);
  return { state, status };
}

interface PreFilterCase {
  name: string;
  pod: Pod;
  nodes?: Node[];
  existing?: Pod[];
  objects?: WorkloadObject[];
  defaultConstraints?: unknown[];
  /** null: PreFilter returns Skip. */
  want: ConstraintState[] | null;
}

describe('PodTopologySpread PreFilter: TestPreFilterState', () => {
  // Upstream pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go (TestPreFilterState),
  // with v1.36's features on (NodeInclusionPolicyInPodTopologySpread, MatchLabelKeysInPodTopologySpread,
  // MinDomainsInPodTopologySpread); the feature-gate-disabled cases do not apply.
  const fourNodes = [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2'), zoneNode('node-y', 'zone2')];
  const spread32 = [
    placed('p-a1', 'node-a', { foo: '' }),
    placed('p-a2', 'node-a', { foo: '' }),
    placed('p-b1', 'node-b', { foo: '' }),
    placed('p-y1', 'node-y', { foo: '' }),
    placed('p-y2', 'node-y', { foo: '' }),
  ];
  const spread34 = [...spread32, placed('p-y3', 'node-y', { foo: '' }), placed('p-y4', 'node-y', { foo: '' })];
  const policyNodes = [node('node-a', { node: 'node-a', foo: '' }), node('node-b', { node: 'node-b', foo: '' }), node('node-c', { node: 'node-c', bar: '' })];
  const taintNodes = [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c', bar: '' }, taints)];
  const policyPods = [
    placed('p-a', 'node-a', { bar: '' }),
    placed('p-b', 'node-b', { bar: '' }),
    placed('p-c', 'node-b', { bar: '' }),
    placed('p-d', 'node-c', {}),
  ];
  const fooA = [
    placed('p-a1', 'node-a', { foo: 'a' }),
    placed('p-a2', 'node-a', { foo: 'a' }),
    placed('p-b1', 'node-b', { foo: 'a' }),
    placed('p-y1', 'node-y', { foo: 'a' }),
    placed('p-y2', 'node-y', { foo: 'a' }),
  ];
  const cases: PreFilterCase[] = [
    {
      name: 'clean cluster with one spreadConstraint',
      pod: spreadPod(incoming({ foo: '' }), spread(5, 'zone', DNS, matchLabels({ foo: 'bar' }))).obj(),
      nodes: fourNodes,
      want: [cs('zone', { zone1: 0, zone2: 0 }, 0, { maxSkew: 5 })],
    },
    {
      name: 'normal case with one spreadConstraint',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: fourNodes,
      existing: spread32,
      want: [cs('zone', { zone1: 3, zone2: 2 }, 2)],
    },
    {
      name: 'normal case with null label selector',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, null)).obj(),
      nodes: fourNodes,
      existing: spread32,
      want: [cs('zone', { zone1: 0, zone2: 0 }, 0)],
    },
    {
      name: 'normal case with one spreadConstraint, on a 3-zone cluster',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: [...fourNodes, zoneNode('node-o', 'zone3'), zoneNode('node-p', 'zone3')],
      existing: spread32,
      want: [cs('zone', { zone1: 3, zone2: 2, zone3: 0 }, 0)],
    },
    {
      name: "namespace mismatch doesn't count",
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: fourNodes,
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '' }, 'ns1'),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }, 'ns2'),
        placed('p-y2', 'node-y', { foo: '' }),
      ],
      want: [cs('zone', { zone1: 2, zone2: 1 }, 1)],
    },
    {
      name: 'normal case with two spreadConstraints',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo)).obj(),
      nodes: fourNodes,
      existing: spread34,
      want: [cs('zone', { zone1: 3, zone2: 4 }, 3), cs('node', { 'node-a': 2, 'node-b': 1, 'node-x': 0, 'node-y': 4 }, 0)],
    },
    {
      name: 'soft spreadConstraints should be bypassed',
      pod: spreadPod(
        incoming({ foo: '' }),
        spread(1, 'zone', SA, foo),
        spread(1, 'zone', DNS, foo),
        spread(1, 'node', SA, foo),
        spread(1, 'node', DNS, foo),
      ).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-y', 'zone2')],
      existing: spread34,
      want: [cs('zone', { zone1: 3, zone2: 4 }, 3), cs('node', { 'node-a': 2, 'node-b': 1, 'node-y': 4 }, 1)],
    },
    {
      name: 'different labelSelectors - simple version',
      pod: spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, bar)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-y', 'zone2')],
      existing: [placed('p-a', 'node-a', { foo: '' }), placed('p-b', 'node-b', { bar: '' })],
      want: [cs('zone', { zone1: 1, zone2: 0 }, 0), cs('node', { 'node-a': 0, 'node-b': 1, 'node-y': 0 }, 0)],
    },
    {
      name: 'different labelSelectors - complex pods',
      pod: spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, bar)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-y', 'zone2')],
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '', bar: '' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
        placed('p-y2', 'node-y', { foo: '', bar: '' }),
        placed('p-y3', 'node-y', { foo: '' }),
        placed('p-y4', 'node-y', { foo: '', bar: '' }),
      ],
      want: [cs('zone', { zone1: 3, zone2: 4 }, 3), cs('node', { 'node-a': 1, 'node-b': 0, 'node-y': 2 }, 0)],
    },
    {
      name: 'two spreadConstraints, and with podAffinity',
      pod: spreadPod(nodeAffinityNotIn(incoming({ foo: '' }), 'node', ['node-x']), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo)).obj(),
      nodes: fourNodes,
      existing: spread34,
      want: [cs('zone', { zone1: 3, zone2: 4 }, 3), cs('node', { 'node-a': 2, 'node-b': 1, 'node-y': 4 }, 1)],
    },
    {
      name: 'default constraints and a service',
      pod: incoming({ foo: 'bar', baz: 'kar' }).obj(),
      defaultConstraints: [
        { maxSkew: 3, topologyKey: 'node', whenUnsatisfiable: DNS },
        { maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: SA },
        { maxSkew: 5, topologyKey: 'rack', whenUnsatisfiable: DNS },
      ],
      objects: [service('svc', { foo: 'bar' })],
      want: [cs('node', {}, MAX_INT32, { maxSkew: 3 }), cs('rack', {}, MAX_INT32, { maxSkew: 5 })],
    },
    {
      name: "default constraints and a service that doesn't match",
      pod: incoming({ foo: 'bar' }).obj(),
      defaultConstraints: [{ maxSkew: 3, topologyKey: 'node', whenUnsatisfiable: DNS }],
      objects: [service('svc', { baz: 'kep' })],
      want: null,
    },
    {
      name: 'default constraints and a service, but pod has constraints',
      pod: spreadPod(
        incoming({ foo: 'bar', baz: 'tar' }),
        spread(1, 'zone', DNS, matchLabels({ baz: 'tar' })),
        spread(2, 'planet', SA, matchLabels({ fot: 'rok' })),
      ).obj(),
      defaultConstraints: [{ maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: DNS }],
      objects: [service('svc', { foo: 'bar' })],
      want: [cs('zone', {}, MAX_INT32)],
    },
    {
      name: 'default soft constraints and a service',
      pod: incoming({ foo: 'bar' }).obj(),
      defaultConstraints: [{ maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: SA }],
      objects: [service('svc', { foo: 'bar' })],
      want: null,
    },
    {
      name: 'NodeAffinityPolicy honored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'node', DNS, bar)).obj(),
      nodes: policyNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2 }, 1)],
    },
    {
      name: 'NodeAffinityPolicy ignored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'node', DNS, bar, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: policyNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2, 'node-c': 0 }, 0, { nodeAffinityPolicy: 'Ignore' })],
    },
    {
      name: 'NodeAffinityPolicy honored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'node', DNS, bar)).obj(),
      nodes: policyNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2 }, 1)],
    },
    {
      name: 'NodeAffinityPolicy ignored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'node', DNS, bar, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: policyNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2, 'node-c': 0 }, 0, { nodeAffinityPolicy: 'Ignore' })],
    },
    {
      name: 'NodeTaintsPolicy ignored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, bar)).obj(),
      nodes: taintNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2, 'node-c': 0 }, 0)],
    },
    {
      name: 'NodeTaintsPolicy honored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, bar, { nodeTaintsPolicy: 'Honor' })).obj(),
      nodes: taintNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2 }, 1, { nodeTaintsPolicy: 'Honor' })],
    },
    {
      name: 'NodeTaintsPolicy honored with tolerated taints',
      pod: spreadPod(incoming({ foo: '' }).toleration(TOLERATE_UNSCHEDULABLE), spread(1, 'node', DNS, bar, { nodeTaintsPolicy: 'Honor' })).obj(),
      nodes: taintNodes,
      existing: policyPods,
      want: [cs('node', { 'node-a': 1, 'node-b': 2, 'node-c': 0 }, 0, { nodeTaintsPolicy: 'Honor' })],
    },
    {
      name: 'two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore',
      pod: spreadPod(
        incoming({ foo: '' }).nodeSelector({ foo: '' }),
        spread(1, 'zone', DNS, foo),
        spread(1, 'node', DNS, foo, { nodeAffinityPolicy: 'Ignore' }),
      ).obj(),
      nodes: [zoneNode('node-a', 'zone1', { foo: '' }), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2', { foo: '' })],
      existing: [placed('p-b1', 'node-b', { foo: '' }), placed('p-b2', 'node-b', { foo: '' }), placed('p-x1', 'node-x', { foo: '' })],
      want: [cs('zone', { zone1: 0, zone2: 1 }, 0), cs('node', { 'node-a': 0, 'node-b': 2, 'node-x': 1 }, 0, { nodeAffinityPolicy: 'Ignore' })],
    },
    {
      name: 'two node inclusion Constraints, zone: honor/honor, node: honor/ignore',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo, { nodeTaintsPolicy: 'Honor' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: [zoneNode('node-a', 'zone1', { foo: '' }), zoneNode('node-b', 'zone1', {}, taints), zoneNode('node-x', 'zone2', { foo: '' })],
      existing: [placed('p-b1', 'node-b', { foo: '' }), placed('p-b2', 'node-b', { foo: '' }), placed('p-x1', 'node-x', { foo: '' })],
      want: [cs('zone', { zone1: 0, zone2: 1 }, 0, { nodeTaintsPolicy: 'Honor' }), cs('node', { 'node-a': 0, 'node-b': 2, 'node-x': 1 }, 0)],
    },
    {
      name: 'two node inclusion Constraints, zone: honor/ignore, node: honor/ignore',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo)).obj(),
      nodes: [
        zoneNode('node-a', 'zone1'),
        zoneNode('node-b', 'zone1', { foo: '' }, taints),
        zoneNode('node-x', 'zone2', { foo: '' }),
        zoneNode('node-y', 'zone2'),
      ],
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      want: [cs('zone', { zone1: 0, zone2: 1 }, 0), cs('node', { 'node-b': 0, 'node-x': 1 }, 0)],
    },
    {
      name: 'two node inclusion Constraints, zone: ignore/ignore, node: honor/honor',
      pod: spreadPod(
        incoming({ foo: '' }).nodeSelector({ foo: '' }),
        spread(1, 'zone', DNS, foo, { nodeAffinityPolicy: 'Ignore' }),
        spread(1, 'node', DNS, foo, { nodeTaintsPolicy: 'Honor' }),
      ).obj(),
      nodes: [
        zoneNode('node-a', 'zone1'),
        zoneNode('node-b', 'zone1', { foo: '' }, taints),
        zoneNode('node-x', 'zone2', { foo: '' }),
        zoneNode('node-y', 'zone2', { foo: '' }),
      ],
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-x2', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      want: [
        cs('zone', { zone1: 2, zone2: 3 }, 2, { nodeAffinityPolicy: 'Ignore' }),
        cs('node', { 'node-x': 2, 'node-y': 1 }, 1, { nodeTaintsPolicy: 'Honor' }),
      ],
    },
    {
      name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
      pod: spreadPod(incoming({ foo: '', bar: 'a' }), spread(1, 'zone', DNS, foo, { matchLabelKeys: ['bar'] })).obj(),
      nodes: fourNodes,
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '', bar: 'a' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '', bar: 'a' }),
        placed('p-y2', 'node-y', { bar: '' }),
      ],
      want: [cs('zone', { zone1: 1, zone2: 1 }, 1)],
    },
    {
      name: 'matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
      pod: spreadPod(incoming({ foo: 'a' }), spread(1, 'zone', DNS, {}, { matchLabelKeys: ['foo'] })).obj(),
      nodes: fourNodes,
      existing: fooA,
      want: [cs('zone', { zone1: 3, zone2: 2 }, 2)],
    },
    {
      name: 'key in matchLabelKeys is ignored when LabelSelector is nil when feature gate enabled',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, null, { matchLabelKeys: ['bar'] })).obj(),
      nodes: fourNodes,
      existing: fooA,
      want: [cs('zone', { zone1: 0, zone2: 0 }, 0)],
    },
    {
      name: "key in matchLabelKeys is ignored when it isn't exist in pod.labels",
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo, { matchLabelKeys: ['bar'] })).obj(),
      nodes: fourNodes,
      existing: fooA,
      want: [cs('zone', { zone1: 3, zone2: 2 }, 2)],
    },
    {
      name: 'skip if not specified',
      pod: incoming({ foo: '' }).obj(),
      nodes: [zoneNode('node-a', 'zone1')],
      want: null,
    },
    // Not in upstream's table: since v1.33 (#129119) each constraint keeps its own counts even
    // when two share a topology key.
    {
      name: 'two constraints on the same topology key are counted separately',
      pod: spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'zone', DNS, bar)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-x', 'zone2')],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-a2', 'node-a', { foo: '' }), placed('p-x1', 'node-x', { bar: '' })],
      want: [cs('zone', { zone1: 2, zone2: 0 }, 0), cs('zone', { zone1: 0, zone2: 1 }, 0)],
    },
    // v1.36's countPodsMatchSelector returns 0 for an empty selector (fixed after v1.36 by #141340).
    {
      name: 'an empty labelSelector counts no existing pod (v1.36)',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, {})).obj(),
      nodes: fourNodes,
      existing: spread32,
      want: [cs('zone', { zone1: 0, zone2: 0 }, 0)],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const args = { defaultingType: 'List', defaultConstraints: tc.defaultConstraints ?? [] };
      const { cluster, plugin } = setup(tc.nodes ?? [], tc.existing ?? [], args, tc.objects ?? []);
      const { state, status } = runPreFilter(plugin, cluster.nodes, tc.pod);
      if (tc.want === null) {
        assert.notEqual(status, null);
        assert.equal(status === null ? '' : CODE_NAMES[status.code], 'Skip');
        assert.equal(state.read(PRE_FILTER_STATE_KEY), undefined);
        return;
      }
      assert.equal(status, null, `PreFilter: ${status?.message ?? ''}`);
      const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
      assert.ok(s instanceof PreFilterState);
      assert.deepEqual(summarize(s), tc.want);
    });
  }
});

interface ExtensionCase {
  name: string;
  preemptor: Pod;
  nodes: Node[];
  existing: Pod[];
  /** The pod added/removed and the node it is on. */
  pod: Pod;
  nodeIdx: number;
  want: ConstraintState[];
}

function runExtension(tc: ExtensionCase, delta: 1 | -1): ConstraintState[] {
  const { cluster, plugin } = setup(tc.nodes, tc.existing);
  const preemptor = podInfo(tc.preemptor);
  const state = new CycleState();
  const { status } = plugin.preFilter(state, preemptor, cluster.nodes);
  assert.equal(status, null);
  const target = cluster.nodes[tc.nodeIdx];
  assert.ok(target !== undefined);
  const other = podInfo(tc.pod);
  const v = delta === 1 ? plugin.addPod(state, preemptor, other, target) : plugin.removePod(state, preemptor, other, target);
  assert.equal(v, null);
  return summarize(state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState);
}

describe('PodTopologySpread PreFilterExtensions: TestPreFilterStateAddPod', () => {
  // Upstream filtering_test.go (TestPreFilterStateAddPod); NodeInclusionPolicy enabled (GA).
  const ab = [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1')];
  const ax = [zoneNode('node-a', 'zone1'), zoneNode('node-x', 'zone2')];
  const abx = [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2')];
  const nodePod = spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, foo)).obj();
  const zoneNodePod = spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo)).obj();
  const fooBarPod = spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, bar)).obj();
  const zonePod = spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj();
  const affinityNodes = [zoneNode('node-a', 'zone1', { foo: 'bar' }), zoneNode('node-b', 'zone2', { foo: '' })];
  const cases: ExtensionCase[] = [
    {
      name: 'node a and b both impact current min match',
      preemptor: nodePod,
      pod: placed('p-a1', 'node-a', { foo: '' }),
      existing: [],
      nodeIdx: 0,
      nodes: ab,
      want: [cs('node', { 'node-a': 1, 'node-b': 0 }, 0)],
    },
    {
      name: 'only node a impacts current min match',
      preemptor: nodePod,
      pod: placed('p-a1', 'node-a', { foo: '' }),
      existing: [placed('p-b1', 'node-b', { foo: '' })],
      nodeIdx: 0,
      nodes: ab,
      want: [cs('node', { 'node-a': 1, 'node-b': 1 }, 1)],
    },
    {
      name: "add a pod in a different namespace doesn't change topologyKeyToMinPodsMap",
      preemptor: nodePod,
      pod: placed('p-a1', 'node-a', { foo: '' }, 'ns1'),
      existing: [placed('p-b1', 'node-b', { foo: '' })],
      nodeIdx: 0,
      nodes: ab,
      want: [cs('node', { 'node-a': 0, 'node-b': 1 }, 0)],
    },
    {
      name: "add pod on non-critical node won't trigger re-calculation",
      preemptor: nodePod,
      pod: placed('p-b2', 'node-b', { foo: '' }),
      existing: [placed('p-b1', 'node-b', { foo: '' })],
      nodeIdx: 1,
      nodes: ab,
      want: [cs('node', { 'node-a': 0, 'node-b': 2 }, 0)],
    },
    {
      name: 'node a and x both impact topologyKeyToMinPodsMap on zone and node',
      preemptor: zoneNodePod,
      pod: placed('p-a1', 'node-a', { foo: '' }),
      existing: [],
      nodeIdx: 0,
      nodes: ax,
      want: [cs('zone', { zone1: 1, zone2: 0 }, 0), cs('node', { 'node-a': 1, 'node-x': 0 }, 0)],
    },
    {
      name: 'only node a impacts topologyKeyToMinPodsMap on zone and node',
      preemptor: zoneNodePod,
      pod: placed('p-a1', 'node-a', { foo: '' }),
      existing: [placed('p-x1', 'node-x', { foo: '' })],
      nodeIdx: 0,
      nodes: ax,
      want: [cs('zone', { zone1: 1, zone2: 1 }, 1), cs('node', { 'node-a': 1, 'node-x': 1 }, 1)],
    },
    {
      name: 'node a impacts topologyKeyToMinPodsMap on node, node x impacts topologyKeyToMinPodsMap on zone',
      preemptor: zoneNodePod,
      pod: placed('p-a1', 'node-a', { foo: '' }),
      existing: [placed('p-b1', 'node-b', { foo: '' }), placed('p-b2', 'node-b', { foo: '' }), placed('p-x1', 'node-x', { foo: '' })],
      nodeIdx: 0,
      nodes: abx,
      want: [cs('zone', { zone1: 3, zone2: 1 }, 1), cs('node', { 'node-a': 1, 'node-b': 2, 'node-x': 1 }, 1)],
    },
    {
      name: 'Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on zone',
      preemptor: fooBarPod,
      pod: placed('p-a1', 'node-a', { foo: '' }),
      existing: [placed('p-b1', 'node-b', { foo: '', bar: '' }), placed('p-x1', 'node-x', { foo: '', bar: '' }), placed('p-x2', 'node-x', { bar: '' })],
      nodeIdx: 0,
      nodes: abx,
      want: [cs('zone', { zone1: 2, zone2: 1 }, 1), cs('node', { 'node-a': 0, 'node-b': 1, 'node-x': 2 }, 0)],
    },
    {
      name: 'Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on both zone and node',
      preemptor: fooBarPod,
      pod: placed('p-a1', 'node-a', { foo: '', bar: '' }),
      existing: [placed('p-b1', 'node-b', { bar: '' }), placed('p-x1', 'node-x', { foo: '', bar: '' }), placed('p-x2', 'node-x', { bar: '' })],
      nodeIdx: 0,
      nodes: abx,
      want: [cs('zone', { zone1: 1, zone2: 1 }, 1), cs('node', { 'node-a': 1, 'node-b': 1, 'node-x': 2 }, 1)],
    },
    {
      name: 'add a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled',
      preemptor: spreadPod(nodeAffinityNotIn(incoming({ foo: '' }), 'foo', ['bar']), spread(1, 'zone', DNS, foo)).obj(),
      pod: placed('p-a1', 'node-a', { foo: '', zone: 'zone1' }),
      existing: [placed('p-a2', 'node-a', { foo: '', zone: 'zone1' }), placed('p-b1', 'node-b', { foo: '', zone: 'zone2' })],
      nodeIdx: 0,
      nodes: affinityNodes,
      want: [cs('zone', { zone2: 1 }, 1)],
    },
    {
      name: 'add a pod when scheduling node affinity matched pod with NodeInclusionPolicy enabled',
      preemptor: zonePod,
      pod: placed('p-b1', 'node-b', { foo: '', zone: 'zone2' }),
      existing: [placed('p-a1', 'node-a', { foo: '', zone: 'zone1' }), placed('p-b2', 'node-b', { foo: '', zone: 'zone2' })],
      nodeIdx: 1,
      nodes: affinityNodes,
      want: [cs('zone', { zone1: 1, zone2: 2 }, 1)],
    },
    {
      name: 'add a label selector not matched pod when with NodeInclusionPolicy enabled',
      preemptor: zonePod,
      pod: placed('p-b1', 'node-b', { zone: 'zone2' }),
      existing: [placed('p-a1', 'node-a', { foo: '', zone: 'zone1' }), placed('p-b2', 'node-b', { foo: '', zone: 'zone2' })],
      nodeIdx: 1,
      nodes: affinityNodes,
      want: [cs('zone', { zone1: 1, zone2: 1 }, 1)],
    },
    {
      name: 'add a pod when scheduling taint tolerated pod with NodeInclusionPolicy enabled',
      preemptor: spreadPod(incoming({ foo: '' }).toleration(TOLERATE_UNSCHEDULABLE), spread(1, 'zone', DNS, foo)).obj(),
      pod: placed('p-b1', 'node-b', { foo: '', zone: 'zone2' }),
      existing: [placed('p-a1', 'node-a', { foo: '', zone: 'zone1' }), placed('p-b2', 'node-b', { foo: '', zone: 'zone2' })],
      nodeIdx: 1,
      nodes: [zoneNode('node-a', 'zone1', {}, taints), zoneNode('node-b', 'zone2')],
      want: [cs('zone', { zone1: 1, zone2: 2 }, 1)],
    },
  ];
  for (const tc of cases) it(tc.name, () => assert.deepEqual(runExtension(tc, 1), tc.want));
});

describe('PodTopologySpread PreFilterExtensions: TestPreFilterStateRemovePod', () => {
  // Upstream filtering_test.go (TestPreFilterStateRemovePod); NodeInclusionPolicy enabled (GA).
  const zonePod = spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj();
  const fourNodes = [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2'), zoneNode('node-y', 'zone2')];
  const affinityNodes = [zoneNode('node-a', 'zone1', { foo: 'bar' }), zoneNode('node-b', 'zone2', { foo: '' })];
  const cases: ExtensionCase[] = [
    {
      name: 'one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged',
      preemptor: zonePod,
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2')],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-b1', 'node-b', { foo: '' }), placed('p-x1', 'node-x', { foo: '' })],
      pod: placed('p-a1', 'node-a', { foo: '' }),
      nodeIdx: 0,
      want: [cs('zone', { zone1: 1, zone2: 1 }, 1)],
    },
    {
      name: 'one spreadConstraint on node, topologyKeyToMinPodsMap changed',
      preemptor: zonePod,
      nodes: fourNodes,
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      pod: placed('p-a1', 'node-a', { foo: '' }),
      nodeIdx: 0,
      want: [cs('zone', { zone1: 1, zone2: 2 }, 1)],
    },
    {
      name: "delete an irrelevant pod won't help",
      preemptor: zonePod,
      nodes: fourNodes,
      existing: [
        placed('p-a0', 'node-a', { bar: '' }),
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      pod: placed('p-a0', 'node-a', { bar: '' }),
      nodeIdx: 0,
      want: [cs('zone', { zone1: 2, zone2: 2 }, 2)],
    },
    {
      name: "delete a non-existing pod won't help",
      preemptor: zonePod,
      nodes: fourNodes,
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      pod: placed('p-a0', 'node-a', { bar: '' }),
      nodeIdx: 0,
      want: [cs('zone', { zone1: 2, zone2: 2 }, 2)],
    },
    {
      name: 'two spreadConstraints',
      preemptor: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2')],
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-x2', 'node-x', { foo: '' }),
      ],
      pod: placed('p-x1', 'node-x', { foo: '' }),
      nodeIdx: 2,
      want: [cs('zone', { zone1: 3, zone2: 1 }, 1), cs('node', { 'node-a': 2, 'node-b': 1, 'node-x': 1 }, 1)],
    },
    {
      name: 'remove a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled',
      preemptor: spreadPod(nodeAffinityNotIn(incoming({ foo: '' }), 'foo', ['bar']), spread(1, 'zone', DNS, foo)).obj(),
      nodes: affinityNodes,
      existing: [placed('p-a2', 'node-a', { foo: '', zone: 'zone1' }), placed('p-b1', 'node-b', { foo: '', zone: 'zone2' })],
      pod: placed('p-a1', 'node-a', { foo: '', zone: 'zone1' }),
      nodeIdx: 0,
      want: [cs('zone', { zone2: 1 }, 1)],
    },
    {
      name: 'remove a pod when scheduling node affinity matched pod with NodeInclusionPolicy enabled',
      preemptor: zonePod,
      nodes: affinityNodes,
      existing: [placed('p-a1', 'node-a', { foo: '', zone: 'zone1' }), placed('p-b2', 'node-b', { foo: '', zone: 'zone2' })],
      pod: placed('p-b1', 'node-b', { foo: '', zone: 'zone2' }),
      nodeIdx: 1,
      want: [cs('zone', { zone1: 1, zone2: 0 }, 0)],
    },
  ];
  for (const tc of cases) it(tc.name, () => assert.deepEqual(runExtension(tc, -1), tc.want));

  it('what-if updates leave the cluster index and later cycles untouched', () => {
    const tc = cases[1] as ExtensionCase;
    const { cluster, plugin } = setup(tc.nodes, tc.existing);
    const state = new CycleState();
    plugin.preFilter(state, podInfo(tc.preemptor), cluster.nodes);
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState;
    const copy = s.clone();
    plugin.removePod(state, podInfo(tc.preemptor), podInfo(tc.pod), cluster.nodes[0] as never);
    assert.deepEqual(summarize(s), [cs('zone', { zone1: 1, zone2: 2 }, 1)]);
    assert.deepEqual(summarize(copy), [cs('zone', { zone1: 2, zone2: 2 }, 2)]);
    // Clones of an updated state stay independent both ways.
    const second = s.clone();
    const again2 = new CycleState();
    again2.write(PRE_FILTER_STATE_KEY, second);
    plugin.addPod(again2, podInfo(tc.preemptor), podInfo(tc.pod), cluster.nodes[0] as never);
    assert.deepEqual(summarize(second), [cs('zone', { zone1: 2, zone2: 2 }, 2)]);
    assert.deepEqual(summarize(s), [cs('zone', { zone1: 1, zone2: 2 }, 1)]);
    plugin.removePod(state, podInfo(tc.preemptor), podInfo(tc.pod), cluster.nodes[1] as never);
    assert.deepEqual(summarize(s), [cs('zone', { zone1: 0, zone2: 2 }, 0)]);
    assert.deepEqual(summarize(second), [cs('zone', { zone1: 2, zone2: 2 }, 2)]);
    const again = new CycleState();
    plugin.preFilter(again, podInfo(tc.preemptor), cluster.nodes);
    assert.deepEqual(summarize(again.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState), [cs('zone', { zone1: 2, zone2: 2 }, 2)]);
  });

  it('an updated state cloned and then updated first leaves its clone alone', () => {
    const tc = cases[1] as ExtensionCase;
    const { cluster, plugin } = setup(tc.nodes, tc.existing);
    const state = new CycleState();
    plugin.preFilter(state, podInfo(tc.preemptor), cluster.nodes);
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState;
    plugin.removePod(state, podInfo(tc.preemptor), podInfo(tc.pod), cluster.nodes[0] as never); // s now owns its counts
    const clone = s.clone();
    plugin.removePod(state, podInfo(tc.preemptor), podInfo(tc.pod), cluster.nodes[1] as never);
    assert.deepEqual(summarize(s), [cs('zone', { zone1: 0, zone2: 2 }, 0)]);
    assert.deepEqual(summarize(clone), [cs('zone', { zone1: 1, zone2: 2 }, 1)]);
  });
});

type WantCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

interface FilterCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  want: Record<string, WantCode>;
}

function runFilterCases(cases: FilterCase[]): void {
  for (const tc of cases) {
    it(tc.name, () => {
      const { cluster, plugin } = setup(tc.nodes, tc.existing ?? []);
      const pod = podInfo(tc.pod);
      const state = new CycleState();
      assert.equal(plugin.preFilter(state, pod, cluster.nodes).status, null);
      const got: Record<string, WantCode> = {};
      for (const n of cluster.nodes) {
        const v = plugin.filter(state, pod, n);
        got[n.name] = v === null ? 'Success' : (CODE_NAMES[v.code] as WantCode);
        if (v !== null) {
          assert.equal(v.plugin, 'PodTopologySpread');
          assert.deepEqual(v.reasons, [
            v.code === Code.Unschedulable ? "node(s) didn't match pod topology spread constraints" : "node(s) didn't match pod topology spread constraints (missing required label)",
          ]);
        }
      }
      assert.deepEqual(got, tc.want);
    });
  }
}

const fourZoneNodes = (): Node[] => [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), zoneNode('node-x', 'zone2'), zoneNode('node-y', 'zone2')];
const spread2103 = (): Pod[] => [
  placed('p-a1', 'node-a', { foo: '' }),
  placed('p-a2', 'node-a', { foo: '' }),
  placed('p-b1', 'node-b', { foo: '' }),
  placed('p-y1', 'node-y', { foo: '' }),
  placed('p-y2', 'node-y', { foo: '' }),
  placed('p-y3', 'node-y', { foo: '' }),
];

describe('PodTopologySpread Filter: TestSingleConstraint', () => {
  // Upstream filtering_test.go (TestSingleConstraint). As upstream notes, NodeAffinity and
  // TaintToleration do not run here, so excluded nodes may still pass this filter.
  const policyNodes = (y?: Node): Node[] => [
    node('node-a', { node: 'node-a', foo: '' }),
    node('node-b', { node: 'node-b', foo: '' }),
    node('node-x', { node: 'node-x', foo: '' }),
    y ?? node('node-y', { node: 'node-y' }),
  ];
  const policyPods = [placed('p-b1', 'node-a', { foo: '' }), placed('p-b2', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })];
  const threeNodes = [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }), node('node-c', { node: 'node-c' })];
  const spread221 = [
    placed('p-a1', 'node-a', { foo: '' }),
    placed('p-a2', 'node-a', { foo: '' }),
    placed('p-b1', 'node-b', { foo: '' }),
    placed('p-b2', 'node-b', { foo: '' }),
    placed('p-c1', 'node-c', { foo: '' }),
  ];
  const zone21 = [placed('p-b1', 'node-a', { foo: '' }), placed('p-b2', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })];
  const allOk = { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' } as const;
  runFilterCases([
    {
      name: 'no existing pods',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      want: { ...allOk },
    },
    {
      name: "no existing pods, incoming pod doesn't match itself",
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, bar)).obj(),
      nodes: fourZoneNodes(),
      want: { ...allOk },
    },
    {
      name: 'existing pods in a different namespace do not count',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: [
        placed('p-a1', 'node-a', { foo: '' }, 'ns1'),
        placed('p-b1', 'node-a', { foo: '' }, 'ns2'),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'existing pods do not match null selector',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, null)).obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-x1', 'node-x', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { ...allOk },
    },
    {
      name: 'pods spread across zones as 3/3, all nodes fit',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { ...allOk },
    },
    {
      name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), node('node-b', { zon: 'zone1', node: 'node-b' }), zoneNode('node-x', 'zone2'), zoneNode('node-y', 'zone2')],
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-b1', 'node-b', { foo: '' }),
        placed('p-x1', 'node-x', { foo: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
      ],
      want: { 'node-a': 'Success', 'node-b': 'UnschedulableAndUnresolvable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: "pod cannot be scheduled as all nodes don't have label 'rack'",
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'rack', DNS, foo)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-x', 'zone2')],
      want: { 'node-a': 'UnschedulableAndUnresolvable', 'node-x': 'UnschedulableAndUnresolvable' },
    },
    {
      name: 'pods spread across nodes as 2/1/0/3, only node-x fits',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit',
      pod: spreadPod(incoming({ foo: '' }), spread(2, 'node', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
      pod: spreadPod(incoming({ bar: '' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'node', ['node-a', 'node-y']), spread(1, 'node', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'terminating Pods should be excluded',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' })],
      existing: [terminating(makePod('p-a').node('node-a').label('foo', '')).obj(), placed('p-b', 'node-b', { foo: '' })],
      want: { 'node-a': 'Success', 'node-b': 'Unschedulable' },
    },
    {
      name: 'incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits',
      pod: spreadPod(nodeAffinityNotIn(incoming({ foo: '' }), 'node', ['node-b']), spread(1, 'zone', DNS, foo)).obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-b1', 'node-b', { foo: '' }), placed('p-b2', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits',
      pod: spreadPod(incoming({ foo: '' }), spread(2, 'node', DNS, foo, { minDomains: 4 })).obj(),
      nodes: threeNodes,
      existing: spread221,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-c': 'Success' },
    },
    {
      name: 'pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit',
      pod: spreadPod(incoming({ foo: '' }), spread(2, 'node', DNS, foo, { minDomains: 2 })).obj(),
      nodes: threeNodes,
      existing: spread221,
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-c': 'Success' },
    },
    {
      name: 'pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit',
      pod: spreadPod(incoming({ foo: '' }), spread(2, 'zone', DNS, foo, { minDomains: 3 })).obj(),
      nodes: fourZoneNodes(),
      existing: zone21,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit',
      pod: spreadPod(incoming({ foo: '' }), spread(2, 'zone', DNS, foo, { minDomains: 1 })).obj(),
      nodes: fourZoneNodes(),
      existing: zone21,
      want: { ...allOk },
    },
    {
      // ksim case at the boundary (upstream minMatchNum: "domainsNum < minDomains"): with exactly
      // minDomains domains the real global minimum (1) counts, so both zones fit.
      name: 'pods spread across zone as 1/1, maxSkew is 1 and the number of domains = minDomains, then the all nodes fit',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo, { minDomains: 2 })).obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { ...allOk },
    },
    {
      // ksim case: one domain fewer than minDomains makes the global minimum 0.
      name: 'pods spread across zone as 1/1, maxSkew is 1 and the number of domains < minDomains, then no node fits',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo, { minDomains: 3 })).obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'NodeAffinityPolicy honored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: policyNodes(),
      existing: policyPods,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'NodeAffinityPolicy ignored with labelSelectors',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'node', DNS, foo, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: policyNodes(),
      existing: policyPods,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'NodeAffinityPolicy honored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'node', DNS, foo)).obj(),
      nodes: policyNodes(),
      existing: policyPods,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'NodeAffinityPolicy ignored with nodeAffinity',
      pod: spreadPod(nodeAffinityIn(incoming({ foo: '' }), 'foo', ['']), spread(1, 'node', DNS, foo, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: policyNodes(),
      existing: policyPods,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'NodeTaintsPolicy honored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, foo, { nodeTaintsPolicy: 'Honor' })).obj(),
      nodes: policyNodes(node('node-y', { node: 'node-y' }, taints)),
      existing: policyPods,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'NodeTaintsPolicy ignored',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: policyNodes(node('node-y', { node: 'node-y' }, taints)),
      existing: policyPods,
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
  ]);
});

describe('PodTopologySpread Filter: TestMultipleConstraints', () => {
  // Upstream filtering_test.go (TestMultipleConstraints).
  const zoneAndNode = (labels: Record<string, string>) => spreadPod(incoming(labels), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo));
  const fooAndBar = () => spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, bar));
  runFilterCases([
    {
      name: 'two Constraints on zone and node, spreads = [3/3, 2/1/0/3]',
      pod: zoneAndNode({ foo: '' }).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'two Constraints on zone and node, spreads = [3/4, 2/1/0/4]',
      pod: zoneAndNode({ foo: '' }).obj(),
      nodes: fourZoneNodes(),
      existing: [...spread2103(), placed('p-y4', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]',
      pod: fooAndBar().obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-y1', 'node-y', { bar: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]',
      pod: fooAndBar().obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-x1', 'node-x', { bar: '' }), placed('p-y1', 'node-y', { bar: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]',
      pod: fooAndBar().obj(),
      nodes: fourZoneNodes(),
      existing: [
        placed('p-a1', 'node-a', { foo: '' }),
        placed('p-a2', 'node-a', { foo: '', bar: '' }),
        placed('p-y1', 'node-y', { foo: '' }),
        placed('p-y2', 'node-y', { foo: '', bar: '' }),
        placed('p-y3', 'node-y', { foo: '' }),
      ],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
      pod: spreadPod(incoming({ bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, bar)).obj(),
      nodes: fourZoneNodes(),
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-x1', 'node-x', { bar: '' }), placed('p-y1', 'node-y', { bar: '' })],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
      pod: zoneAndNode({ foo: '' }).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-b', 'zone1'), node('node-x', { zone: 'zone2' }), zoneNode('node-y', 'zone2')],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-y3', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'UnschedulableAndUnresolvable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo, { nodeAffinityPolicy: 'Ignore' })).obj(),
      nodes: [zoneNode('node-a', 'zone1', { foo: '' }), zoneNode('node-b', 'zone1', { foo: '' }), zoneNode('node-x', 'zone2', { foo: '' }), zoneNode('node-y', 'zone2')],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-b1', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'two node inclusion Constraints, zone: honor/honor, node: honor/ignore',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, foo, { nodeTaintsPolicy: 'Honor' }), spread(1, 'node', DNS, foo)).obj(),
      nodes: [
        zoneNode('node-a', 'zone1', { foo: '' }),
        zoneNode('node-b', 'zone1', { foo: '' }),
        zoneNode('node-x', 'zone2', { foo: '' }),
        zoneNode('node-y', 'zone2', {}, taints),
      ],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-b1', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'two node inclusion Constraints, zone: honor/ignore, node: honor/ignore',
      pod: spreadPod(incoming({ foo: '' }).nodeSelector({ foo: '' }), spread(1, 'zone', DNS, foo), spread(1, 'node', DNS, foo)).obj(),
      nodes: [
        zoneNode('node-a', 'zone1', { foo: '' }),
        zoneNode('node-b', 'zone1'),
        zoneNode('node-x', 'zone2', { foo: '' }),
        zoneNode('node-y', 'zone2', { foo: '' }, taints),
      ],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-b1', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    {
      name: 'two node inclusion Constraints, zone: honor/honor, node: ignore/ignore',
      pod: spreadPod(
        incoming({ foo: '' }).nodeSelector({ foo: '' }),
        spread(1, 'zone', DNS, foo, { nodeTaintsPolicy: 'Honor' }),
        spread(1, 'node', DNS, foo, { nodeAffinityPolicy: 'Ignore' }),
      ).obj(),
      nodes: [
        zoneNode('node-a', 'zone1', { foo: '' }),
        zoneNode('node-b', 'zone1'),
        zoneNode('node-x', 'zone2', { foo: '' }),
        zoneNode('node-y', 'zone2', { foo: '' }, taints),
      ],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-b1', 'node-b', { foo: '' }), placed('p-y1', 'node-y', { foo: '' })],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Unschedulable' },
    },
    // Not in upstream's table (v1.33+, #129119): with per-key counts (zone1 2+0, zone2 0+1) node-x
    // would pass; counted per constraint, bar's zone2 is already 1 above its minimum.
    {
      name: 'two constraints on the same topology key are judged separately',
      pod: spreadPod(incoming({ foo: '', bar: '' }), spread(1, 'zone', DNS, foo), spread(1, 'zone', DNS, bar)).obj(),
      nodes: [zoneNode('node-a', 'zone1'), zoneNode('node-x', 'zone2')],
      existing: [placed('p-a1', 'node-a', { foo: '' }), placed('p-a2', 'node-a', { foo: '' }), placed('p-x1', 'node-x', { bar: '' })],
      want: { 'node-a': 'Unschedulable', 'node-x': 'Unschedulable' },
    },
    {
      name: 'an empty labelSelector counts only the incoming pod (v1.36 countPodsMatchSelector)',
      pod: spreadPod(incoming({ foo: '' }), spread(1, 'zone', DNS, {})).obj(),
      nodes: fourZoneNodes(),
      existing: spread2103(),
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
  ]);
});

describe('PodTopologySpread Filter: TestPreFilterDisabled', () => {
  // Upstream filtering_test.go (TestPreFilterDisabled).
  it('Filter without PreFilter state is an error', () => {
    const { plugin } = setup([]);
    const v = plugin.filter(new CycleState(), podInfo(makePod('p').obj()), buildCluster([node('n', {})]).mustNode('n'));
    assert.notEqual(v, null);
    assert.equal(v === null ? '' : CODE_NAMES[v.code], 'Error');
    assert.deepEqual(v?.reasons, ['reading "PreFilterPodTopologySpread" from cycleState: not found']);
  });
});

describe('PodTopologySpread PreFilter: default constraints and errors', () => {
  it('default constraints take the selector of the ReplicaSet owning the pod', () => {
    const pod = incoming({ foo: 'tar', baz: 'sup' }).owner('ReplicaSet', 'rs1').obj();
    const { cluster, plugin } = setup(
      [zoneNode('node-a', 'zone1'), zoneNode('node-x', 'zone2')],
      [placed('p-a1', 'node-a', { foo: 'tar' }), placed('p-a2', 'node-a', { foo: 'x' }), placed('p-x1', 'node-x', { baz: 'sup' })],
      { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: DNS }] },
      [controller('ReplicaSet', 'rs1', matchLabels({ foo: 'tar' }))],
    );
    const { state, status } = runPreFilter(plugin, cluster.nodes, pod);
    assert.equal(status, null);
    assert.deepEqual(summarize(state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState), [cs('zone', { zone1: 1, zone2: 0 }, 0)]);
  });

  it('an owner of an unsupported kind gives no default selector, hence Skip', () => {
    const pod = incoming({ foo: 'tar' }).owner('Job', 'j1').obj();
    const { cluster, plugin } = setup([zoneNode('node-a', 'zone1')], [], {
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: DNS }],
    });
    const { status } = runPreFilter(plugin, cluster.nodes, pod);
    assert.equal(status === null ? 'Success' : CODE_NAMES[status.code], 'Skip');
  });

  it('an invalid label selector is an Error status', () => {
    const pod = spreadPod(incoming({}), spread(1, 'zone', DNS, { matchExpressions: [{ key: 'foo', operator: 'Bogus' }] })).obj();
    const { cluster, plugin } = setup([zoneNode('node-a', 'zone1')]);
    const { status } = runPreFilter(plugin, cluster.nodes, pod);
    assert.equal(status === null ? 'Success' : CODE_NAMES[status.code], 'Error');
    assert.match(status?.message ?? '', /^get constraints from pod: obtaining pod's hard topology spread constraints: labelSelector\.matchExpressions\[0\]\.operator/);
  });
});

describe('PodTopologySpread cluster index', () => {
  // The counts PreFilter reads from the index must equal upstream's scan of every node's pods,
  // whatever happened since the index was built.
  function reference(cluster: ReturnType<typeof buildCluster>, keys: string[], key: string, ns: string, labelKey: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of cluster.nodes) {
      if (!keys.every((k) => typeof n.labels[k] === 'string')) continue;
      const v = n.labels[key] as string;
      let c = 0;
      for (const p of n.pods) if (p.namespace === ns && typeof p.labels[labelKey] === 'string') c++;
      out[v] = (out[v] ?? 0) + c;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  it('a domain that disappears with its last node no longer holds the global minimum', () => {
    const { cluster, plugin } = setup(
      [zoneNode('a1', 'z1'), zoneNode('b1', 'z2'), zoneNode('c1', 'z3')],
      [placed('p1', 'a1', { app: 'x' }), placed('p2', 'a1', { app: 'x' }), placed('p3', 'b1', { app: 'x' })],
    );
    const pod = podInfo(spreadPod(incoming({ app: 'x' }), spread(1, 'zone', DNS, exists('app'))).obj());
    const verdicts = (): Record<string, string> => {
      const state = new CycleState();
      assert.equal(plugin.preFilter(state, pod, cluster.nodes).status, null);
      return Object.fromEntries(cluster.nodes.map((n) => [n.name, plugin.filter(state, pod, n) === null ? 'Success' : 'Unschedulable']));
    };
    assert.deepEqual(verdicts(), { a1: 'Unschedulable', b1: 'Unschedulable', c1: 'Success' });
    cluster.removeNode('c1');
    assert.deepEqual(verdicts(), { a1: 'Unschedulable', b1: 'Success' });
  });

  it('per-node counts follow the nodes when an earlier node leaves', () => {
    const names = ['h0', 'h1', 'h2', 'h3', 'h4'];
    const { cluster, plugin } = setup(
      names.map((n) => node(n, { 'kubernetes.io/hostname': n })),
      [placed('p1', 'h2', { app: 'x' }), placed('p2', 'h3', { app: 'x' }), placed('p3', 'h3', { app: 'x' }), placed('p4', 'h4', { app: 'x' })],
    );
    const pod = podInfo(spreadPod(incoming({ app: 'x' }), spread(1, 'kubernetes.io/hostname', 'ScheduleAnyway', exists('app'))).obj());
    const raw = (): Record<string, number> => {
      const state = new CycleState();
      assert.equal(plugin.preScore(state, pod, cluster.nodes), null);
      return Object.fromEntries(cluster.nodes.map((n) => [n.name, plugin.score(state, pod, n)]));
    };
    // weight log(5 + 2): 0, 0, 1.95, 3.89, 1.95
    assert.deepEqual(raw(), { h0: 0, h1: 0, h2: 2, h3: 4, h4: 2 });
    cluster.removeNode('h1');
    // weight log(4 + 2): 0, 1.79, 3.58, 1.79
    assert.deepEqual(raw(), { h0: 0, h2: 2, h3: 4, h4: 2 });
    cluster.removeNode('h0');
    const p5 = podInfo(placed('p5', 'h4', { app: 'x' }));
    cluster.addPod(p5);
    cluster.assume(p5, cluster.mustNode('h4'));
    // weight log(3 + 2): 1.61, 3.22, 3.22
    assert.deepEqual(raw(), { h2: 2, h3: 3, h4: 3 });
  });

  it('stays equal to a full scan through placements, removals and node changes', () => {
    const nodes: Node[] = [];
    for (let i = 0; i < 12; i++) nodes.push(node(`n${i}`, i % 5 === 4 ? { node: `n${i}` } : { zone: `z${i % 3}`, node: `n${i}` }));
    const cluster = buildCluster(nodes);
    const plugin = new PodTopologySpreadPlugin(parsePodTopologySpreadArgs({ defaultingType: 'List' }), { cluster });
    const pod = podInfo(spreadPod(incoming({ app: 'x' }), spread(1, 'zone', DNS, exists('app')), spread(1, 'node', DNS, exists('app'))).obj());
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const live: ReturnType<typeof podInfo>[] = [];
    for (let step = 0; step < 400; step++) {
      const op = rnd(10);
      if (op < 6 || live.length === 0) {
        const labels: Record<string, string> = rnd(3) === 0 ? { other: '1' } : { app: 'x' };
        const p = podInfo(makePod(`q${step}`).namespace(rnd(4) === 0 ? 'elsewhere' : 'default').labels(labels).obj());
        cluster.addPod(p);
        cluster.assume(p, cluster.nodes[rnd(cluster.nodes.length)] as never);
        live.push(p);
      } else if (op < 9) {
        const p = live.splice(rnd(live.length), 1)[0] as ReturnType<typeof podInfo>;
        cluster.deletePod(p);
      } else if (step % 20 === 9) {
        const name = `extra${step}`;
        cluster.addNode(node(name, { zone: `z${rnd(4)}`, node: name }), 'default');
      } else {
        // A node that joins and leaves empty (its domain appears and disappears), or an empty
        // node anywhere in the list leaving (later nodes shift down one index).
        const name = `transient${step}`;
        cluster.addNode(node(name, { zone: `zt${step}`, node: name }), 'default');
        if (step % 2 === 0) cluster.removeNode(name);
        const empty = cluster.nodes.filter((n) => n.pods.length === 0 && !n.name.startsWith('n'));
        if (empty.length > 1) cluster.removeNode((empty[rnd(empty.length)] as NodeInfo).name);
      }
      if (step % 10 === 0) {
        const state = new CycleState();
        assert.equal(plugin.preFilter(state, pod, cluster.nodes).status, null);
        const s = summarize(state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState);
        const zone = reference(cluster, ['node', 'zone'], 'zone', 'default', 'app');
        const perNode = reference(cluster, ['node', 'zone'], 'node', 'default', 'app');
        assert.deepEqual(s[0]?.counts, zone, `zone counts at step ${step}`);
        assert.deepEqual(s[1]?.counts, perNode, `node counts at step ${step}`);
        assert.equal(s[0]?.min, Math.min(...Object.values(zone)));
        assert.equal(s[1]?.min, Math.min(...Object.values(perNode)));
        const counter = (state.read<PreFilterState>(PRE_FILTER_STATE_KEY) as PreFilterState).constraints[0]?.counter;
        for (const n of cluster.nodes) {
          const want = n.pods.filter((q) => q.namespace === 'default' && q.labels['app'] !== undefined).length;
          assert.equal(counter?.countOn(n), want, `pods on ${n.name} at step ${step}`);
        }
      }
    }
  });
});
