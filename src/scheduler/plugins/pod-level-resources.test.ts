// Pod-level resources (spec.resources) through the resource plugins, driven as the framework
// drives them: NodeResourcesFit's Filter reads the pod-level request (fit.go
// computePodResourceRequest → PodRequests), its LeastAllocated score the scoring figures
// (resource_allocation.go calculatePodResourceRequest: pod-level value, else per-container
// defaults) against the node's non-zero books (types.go calculateResource), and
// NodeResourcesBalancedAllocation the actual requests (useRequested).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { buildCluster, makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { CODE_NAMES } from '../framework/status.js';
import { BalancedAllocationPlugin, parseNodeResourcesBalancedAllocationArgs } from './balanced-allocation.js';
import { NodeResourcesFitPlugin, parseNodeResourcesFitArgs } from './node-resources-fit.js';

const node = (cpu: string, memory: string | number): Node => makeNode('n').capacity({ cpu, memory, pods: 110 }).obj();

describe('NodeResourcesFit Filter with pod-level requests', () => {
  const cases: Array<{ name: string; node: Node; existing: Pod[]; pod: Pod; want: string }> = [
    {
      name: '8 CPU at pod level on a 4-CPU node: unresolvable',
      node: node('4', '16Gi'),
      existing: [],
      pod: makePod().podRes({ cpu: '8' }).container().obj(),
      want: 'UnschedulableAndUnresolvable: Insufficient cpu',
    },
    {
      name: 'an existing pod\'s pod-level request counts on the node: 8 + 9 > 16',
      node: node('16', '16Gi'),
      existing: [makePod('old').podRes({ cpu: '8' }).container().obj()],
      pod: makePod().podRes({ cpu: '9' }).container().obj(),
      want: 'Unschedulable: Insufficient cpu',
    },
    {
      name: 'an exact fit passes: 8 + 8 = 16',
      node: node('16', '16Gi'),
      existing: [makePod('old').podRes({ cpu: '8' }).container().obj()],
      pod: makePod().podRes({ cpu: '8', memory: '16Gi' }).container().obj(),
      want: 'Success',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = new NodeResourcesFitPlugin(parseNodeResourcesFitArgs(undefined)).filter(new CycleState(), podInfo(c.pod), nodeInfoWith(c.node, ...c.existing));
      assert.equal(v === null ? 'Success' : `${CODE_NAMES[v.code]}: ${v.reasons.join(', ')}`, c.want);
    });
  }
});

/** The plugin's score of node n with `existing` bound there (their spec.nodeName). */
function scoreOn(plugin: NodeResourcesFitPlugin | BalancedAllocationPlugin, n: Node, existing: Pod[], pod: Pod): number | 'Skip' {
  const cluster = buildCluster([n], existing.map((p) => ({ ...p, spec: { ...p.spec!, nodeName: 'n' } })));
  const pi = podInfo(pod);
  const state = new CycleState();
  if (plugin instanceof BalancedAllocationPlugin && plugin.preScore(state, pi) !== null) return 'Skip';
  return plugin.score(state, pi, cluster.mustNode('n'));
}

describe('NodeResourcesFit LeastAllocated and BalancedAllocation scores with pod-level requests', () => {
  const Mi = 1024 * 1024;
  const cases: Array<{ name: string; plugin: () => NodeResourcesFitPlugin | BalancedAllocationPlugin; node: Node; existing: Pod[]; pod: Pod; want: number | 'Skip' }> = [
    {
      // Scoring figures: cpu 2000m, memory 1000Mi (pod level); no defaults.
      // cpu (4000 − 2000)·100/4000 = 50; memory (2000Mi − 1000Mi)·100/2000Mi = 50 → 50.
      name: 'LeastAllocated: the pod-level values replace the per-container defaults',
      plugin: () => new NodeResourcesFitPlugin(parseNodeResourcesFitArgs(undefined)),
      node: node('4', 2000 * Mi),
      existing: [],
      pod: makePod().podRes({ cpu: '2', memory: '1000Mi' }).container().container().obj(),
      want: 50,
    },
    {
      // Node books: the existing pod counts 1000m (pod level) and 200Mi (memory named nowhere:
      // one container default). Incoming: 2000m, 500Mi.
      // cpu (4000 − 3000)·100/4000 = 25; memory (1000Mi − 700Mi)·100/1000Mi = 30 → (25 + 30)/2 = 27.
      name: 'LeastAllocated: an existing pod counts its pod-level cpu and a default for memory nobody names',
      plugin: () => new NodeResourcesFitPlugin(parseNodeResourcesFitArgs(undefined)),
      node: node('4', 1000 * Mi),
      existing: [makePod('old').podRes({ cpu: '1' }).container().obj()],
      pod: makePod().podRes({ cpu: '2', memory: '500Mi' }).container().obj(),
      want: 27,
    },
    {
      // Actual requests 2000m / 5000 on 4000m / 10000: with (.5, .5) → 100, without → 100;
      // 50 + (50 + 100 − 100)/2 = 75 (the containers' 1000m / 1000 would give 71).
      name: 'BalancedAllocation: the pod-level request, not the containers\', is balanced',
      plugin: () => new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(undefined)),
      node: node('4', 10000),
      existing: [],
      pod: makePod().podRes({ cpu: '2', memory: '5000' }).req({ cpu: '1', memory: '1000' }).obj(),
      want: 75,
    },
    {
      // Existing: 1000m, 0 (pod level cpu only). With the pod (1000m, 5000): (.5, .5) → 100;
      // without: (.25, 0) → std .125 → 87; 50 + (50 + 100 − 87)/2 = 50 + 31 = 81.
      name: 'BalancedAllocation: an existing pod counts its pod-level request',
      plugin: () => new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(undefined)),
      node: node('4', 10000),
      existing: [makePod('old').podRes({ cpu: '1' }).container().obj()],
      pod: makePod().podRes({ cpu: '1', memory: '5000' }).container().obj(),
      want: 81,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(scoreOn(c.plugin(), c.node, c.existing, c.pod), c.want);
    });
  }
});
