// Every in-tree Score plugin returns what upstream's int64 would hold: integer raw scores, and
// integer final scores in [0, 100], on clusters with awkward numbers (odd millicores and bytes,
// unequal weights, partial images, PreferNoSchedule taints, preferred (anti-)affinity, soft
// spread). Per-plugin expectations ported from upstream sit in each plugin's own test; this one
// sweeps random cases through the framework with an audit, as the invariant checker does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { RandomStreams, type RandomStream } from '../../engine/random.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../../testing/builders.js';
import { defaultProfileConfig } from '../config/kube-scheduler-configuration.js';
import { Framework } from '../framework/framework.js';
import type { SchedulingAudit } from '../framework/interfaces.js';
import { prioritize } from '../schedule-one.js';
import { Status } from '../framework/status.js';
import { inTreeRegistry } from './registry.js';

const ZONE = 'topology.kubernetes.io/zone';

/** NodeResourcesFit args per scoring strategy (the default profile's other plugins as they are). */
const FIT_ARGS: ReadonlyArray<[name: string, args: unknown]> = [
  ['LeastAllocated (default)', undefined],
  ['MostAllocated, cpu 3 / memory 1', { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }] } }],
  [
    'RequestedToCapacityRatio, a three-point shape, cpu 2 / memory 5',
    {
      scoringStrategy: {
        type: 'RequestedToCapacityRatio',
        resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 5 }],
        requestedToCapacityRatio: { shape: [{ utilization: 0, score: 3 }, { utilization: 37, score: 7 }, { utilization: 100, score: 1 }] },
      },
    },
  ],
];

function pick<T>(rng: RandomStream, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}

function randomNode(rng: RandomStream, i: number): Node {
  const w = makeNode(`n${i}`)
    .capacity({ cpu: `${1000 + rng.int(15000)}m`, memory: String(1_000_000_007 + rng.int(30_000_000_000)), pods: 110 })
    .zone(pick(rng, ['z1', 'z2', 'z3']))
    .label('disk', pick(rng, ['ssd', 'hdd']));
  if (rng.int(3) === 0) w.taint('dedicated', 'x', 'PreferNoSchedule');
  if (rng.int(2) === 0) {
    w.with((n) => {
      (n.status as { images?: unknown[] }).images = [{ names: ['app:1'], sizeBytes: 7_000_000 + rng.int(900_000_000) }];
    });
  }
  return w.obj();
}

function randomPod(rng: RandomStream, name: string, nodeName: string | null): Pod {
  const w = makePod(name).labels({ app: pick(rng, ['web', 'api']) }).req({ cpu: `${1 + rng.int(1999)}m`, memory: String(1 + rng.int(3_000_000_000)) });
  w.with((p) => {
    const spec = (p.spec ??= { containers: [] });
    for (const c of spec.containers) c.image = pick(rng, ['app:1', 'other:2']);
  });
  if (nodeName !== null) w.node(nodeName);
  return w.obj();
}

/** The incoming pod: soft everything, with odd weights. */
function incoming(rng: RandomStream): Pod {
  const p = randomPod(rng, 'incoming', null);
  const spec = p.spec as NonNullable<Pod['spec']>;
  spec.tolerations = rng.int(2) === 0 ? [{ key: 'dedicated', operator: 'Exists', effect: 'PreferNoSchedule' }] : [];
  spec.affinity = {
    nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + rng.int(100), preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] },
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + rng.int(100), podAffinityTerm: { topologyKey: ZONE, labelSelector: { matchLabels: { app: 'api' } } } }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + rng.int(100), podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] },
  };
  spec.topologySpreadConstraints = [
    { maxSkew: 1 + rng.int(3), topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
    { maxSkew: 1 + rng.int(3), topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
  ];
  return p;
}

/** Records every bad score (a raw one not a safe integer, a final one not in [0, 100]); fails on
 * a plugin Error. */
class Collect implements SchedulingAudit {
  readonly bad: string[] = [];
  count = 0;
  scores(plugin: string, _pod: PodInfo, nodes: readonly NodeInfo[], scores: ArrayLike<number>, raw: boolean): void {
    for (let i = 0; i < scores.length; i++) {
      if (!raw) this.count++;
      const s = scores[i] as number;
      if (raw ? !Number.isSafeInteger(s) : !Number.isInteger(s) || s < 0 || s > 100) this.bad.push(`${plugin} ${raw ? 'raw ' : ''}${(nodes[i] as NodeInfo).name}=${s}`);
    }
  }
  notANumber(plugin: string, _pod: PodInfo, node: NodeInfo, message: string): void {
    this.bad.push(`${plugin} ${node.name}: ${message}`);
  }
  pluginError(plugin: string, _pod: PodInfo, message: string): void {
    this.bad.push(`${plugin}: ${message}`);
  }
  badVerdict(plugin: string, _pod: PodInfo | null, _node: string | null, message: string): void {
    this.bad.push(`${plugin}: ${message}`);
  }
}

describe('in-tree Score plugins give integers', () => {
  for (const [strategy, fitArgs] of FIT_ARGS) {
    it(`default profile with NodeResourcesFit ${strategy}: raw scores are safe integers, final ones integers in [0, 100] (40 random clusters)`, () => {
      const rng = new RandomStreams(16).stream(`integer-scores/${strategy}`);
      let scored = 0;
      const withScoreNodes = new Set<string>();
      for (let round = 0; round < 40; round++) {
        const nodes = Array.from({ length: 3 + rng.int(8) }, (_, i) => randomNode(rng, i));
        const pods = Array.from({ length: rng.int(12) }, (_, i) => randomPod(rng, `e${i}`, `n${rng.int(nodes.length)}`));
        const cluster = buildCluster(nodes, pods);
        const base = defaultProfileConfig();
        const args = new Map(base.pluginArgs);
        if (fitArgs !== undefined) args.set('NodeResourcesFit', fitArgs);
        const fwk = new Framework({ ...base, pluginArgs: args, plugins: base.plugins.filter((p) => p.name !== 'DefaultPreemption') }, inTreeRegistry(), fakeHandle(cluster));
        const audit = new Collect();
        fwk.audit = audit;
        const pod = podInfo(incoming(rng));
        const totals = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes);
        assert.ok(!(totals instanceof Status), totals instanceof Status ? totals.message : '');
        assert.deepEqual(audit.bad, []);
        // Raw outputs too (the framework refuses fractions, so this checks the plugins directly).
        const state = fwk.newCycleState();
        for (const p of fwk.preScore) p.preScore(state, pod, cluster.nodes);
        for (const p of fwk.score) {
          const one: number[] = [];
          for (const n of cluster.nodes) {
            const s = p.score(state, pod, n);
            assert.ok(Number.isSafeInteger(s), `${p.name} raw score ${s} on ${n.name}`);
            one.push(s);
          }
          // scoreNodes, where a plugin has it, gives exactly the per-node scores.
          if (p.scoreNodes !== undefined) {
            const all = new Float64Array(cluster.nodes.length + 2).fill(-7);
            p.scoreNodes(state, pod, cluster.nodes, all);
            assert.deepEqual([...all], [...one, -7, -7], `${p.name} scoreNodes`);
            withScoreNodes.add(p.name);
          }
        }
        scored += audit.count;
      }
      // Every round scores every node with all 6 default Score plugins (none skips: the pod
      // requests resources and has soft terms of every kind).
      assert.ok(scored > 40 * 3 * 6, `only ${scored} scores seen`);
      assert.deepEqual([...withScoreNodes].sort(), ['ImageLocality', 'NodeResourcesBalancedAllocation', 'NodeResourcesFit', 'PodTopologySpread', 'TaintToleration']);
    });
  }
});
