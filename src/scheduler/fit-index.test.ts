// The FitIndex (framework/fit-index.ts) against the search it replaces: on one cluster that
// changes between cycles (placements, removals, taints, cordons, zone changes, nodes joining and
// leaving), a ScheduleAlgorithm using the index and one filtering node by node must give the same
// result for every pod, leave the same start index and draw the same random numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { RandomStreams, type RandomStream } from '../engine/random.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../testing/builders.js';
import { defaultProfileConfig } from './config/kube-scheduler-configuration.js';
import { Framework } from './framework/framework.js';
import { inTreeRegistry } from './plugins/registry.js';
import { ScheduleAlgorithm, type ScheduleResult } from './schedule-one.js';
import { DEFAULT_FIT_INDEX_POLICY, type FitIndexPolicy } from './framework/fit-index.js';

/** Every class indexed at once and followed however far behind: the most cycles compared. */
const EAGER: FitIndexPolicy = { followShare: Number.POSITIVE_INFINITY, buildShare: Number.POSITIVE_INFINITY, buildStreak: 0 };

const ZONE = 'topology.kubernetes.io/zone';

function pick<T>(rng: RandomStream, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}

function randomNode(rng: RandomStream, name: string): Node {
  return makeNode(name)
    .capacity({ cpu: pick(rng, ['2', '4', '8']), memory: pick(rng, ['4Gi', '8Gi', '16Gi']), pods: pick(rng, [4, 8, 20]) })
    .label('disk', pick(rng, ['ssd', 'hdd']))
    .zone(pick(rng, ['z1', 'z2', 'z3']))
    .obj();
}

/** Pods of a few shapes (`cpus` x `memories`), so that classes come back (the index keeps an
 * entry only for a class that does, soon); some with what the index cannot take. */
function randomPod(rng: RandomStream, i: number, cpus: readonly string[], memories: readonly string[]): Pod {
  const w = makePod(`p${i}`).labels({ app: pick(rng, ['web', 'api']) }).req({ cpu: pick(rng, cpus), memory: pick(rng, memories) });
  const kind = rng.int(12);
  if (kind === 0) w.toleration({ key: 'dedicated', operator: 'Equal', value: 'a', effect: 'NoSchedule' });
  if (kind === 1) w.toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  if (kind === 2) w.nodeSelector({ disk: 'ssd' });
  if (kind === 3) w.hostPort(80);
  if (kind === 4) w.with((p) => void ((p.spec as NonNullable<Pod['spec']>).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }]));
  if (kind === 5) w.req({ cpu: '500m', memory: '1Gi', 'example.com/gpu': '1' });
  return w.obj();
}

function summary(r: ScheduleResult, algo: ScheduleAlgorithm): string {
  return JSON.stringify({ node: r.nodeName, code: r.code, reason: r.reason, evaluated: r.nodesEvaluated, feasible: r.nodesFeasible, scored: r.nodesScored, plugins: [...r.unschedulablePlugins].sort(), nominated: r.nominatedNodeName, next: algo.startNodeIndex });
}

function framework(cluster: ClusterState, percentage: number): Framework {
  const base = defaultProfileConfig();
  return new Framework({ ...base, percentageOfNodesToScore: percentage, plugins: base.plugins.filter((p) => p.name !== 'DefaultPreemption') }, inTreeRegistry(), fakeHandle(cluster));
}

function churn(seed: number, nodes: number, percentage: number, cycles: number, cpus: readonly string[] = ['250m', '500m', '1', '3'], memories: readonly string[] = ['256Mi', '1Gi', '3Gi'], policy: FitIndexPolicy = EAGER): { indexed: ScheduleAlgorithm; placed: number; failed: number } {
  const rng = new RandomStreams(seed).stream('fit-index-test');
  const cluster = buildCluster(Array.from({ length: nodes }, (_, i) => randomNode(rng, `n${i}`)));
  const fwk = framework(cluster, percentage);
  const indexed = new ScheduleAlgorithm(cluster, new RandomStreams(seed).stream('scheduler'));
  indexed.setFitIndexPolicy(policy);
  const plain = new ScheduleAlgorithm(cluster, new RandomStreams(seed).stream('scheduler'));
  plain.useFitIndex = false;
  const placed: PodInfo[] = [];
  let made = nodes;
  let bound = 0;
  let failed = 0;
  for (let c = 0; c < cycles; c++) {
    const pod = podInfo(randomPod(rng, c, cpus, memories));
    const a = indexed.schedule(fwk, fwk.newCycleState(), pod);
    const b = plain.schedule(fwk, fwk.newCycleState(), pod);
    assert.equal(summary(a, indexed), summary(b, plain), `seed ${seed}, cycle ${c}`);
    if (a.nodeName === null) failed++;
    const node = a.nodeName === null ? undefined : cluster.nodeByName.get(a.nodeName);
    if (node !== undefined && rng.int(5) !== 0) {
      cluster.assume(pod, node);
      placed.push(pod);
      bound++;
    }
    const change = rng.int(30);
    const list = cluster.nodes;
    const some = list[rng.int(list.length)] as NodeInfo;
    if (placed.length > 0 && rng.int(3) === 0) cluster.forget(placed.splice(rng.int(placed.length), 1)[0] as PodInfo);
    // Taints and cordons come and go on a few nodes (a soft taint makes TaintToleration's score
    // vary by node, a hard one or a cordon gives the filters a class per toleration).
    const few = list[rng.int(Math.min(4, list.length))] as NodeInfo;
    if (change === 0) {
      const taint: Taint = { key: 'dedicated', value: 'a', effect: pick(rng, ['NoSchedule', 'NoExecute', 'PreferNoSchedule']) };
      cluster.updateNode(few.name, { taints: few.taints.length > 0 ? [] : [taint] });
    } else if (change === 1) {
      cluster.updateNode(few.name, { unschedulable: !few.unschedulable });
    } else if (change === 2) {
      cluster.updateNode(some.name, { labels: { ...some.labels, [ZONE]: pick(rng, ['z1', 'z2', 'z3', 'z4']), disk: pick(rng, ['ssd', 'hdd']) } });
    } else if (change === 3) {
      cluster.addNode(randomNode(rng, `n${made++}`), 'p');
    } else if (change === 4) {
      const empty = list.find((n) => n.pods.length === 0 && n !== some);
      if (empty !== undefined && list.length > 5) cluster.removeNode(empty.name);
    }
  }
  return { indexed, placed: bound, failed };
}

describe('FitIndex', () => {
  it('gives every cycle the result node-by-node filtering gives, as the cluster changes (4 seeds x 600 cycles, 150-260 nodes)', () => {
    for (const [seed, nodes, pct] of [
      [1, 150, 0],
      [2, 260, 0],
      [3, 180, 30],
      [4, 220, 100],
    ] as const) {
      const { indexed, placed } = churn(seed, nodes, pct, 600);
      // The comparison covered cycles the index searched and selected in, and filled nodes up.
      assert.ok(indexed.fitIndexUse.searches > 250, `seed ${seed}: ${indexed.fitIndexUse.searches} searches`);
      assert.ok(indexed.fitIndexUse.selections > 100, `seed ${seed}: ${indexed.fitIndexUse.selections} selections`);
      assert.ok(placed > 300, `seed ${seed}: ${placed} placements`);
    }
  });

  it('on a small cluster (every node searched) and a full one (few or no nodes pass)', () => {
    for (const seed of [5, 6]) {
      const { indexed, failed } = churn(seed, 12, 0, 400);
      assert.ok(indexed.fitIndexUse.searches > 100 && indexed.fitIndexUse.selections > 25, `seed ${seed}: ${JSON.stringify(indexed.fitIndexUse)}`);
      assert.ok(failed > 20, `seed ${seed}: ${failed} pods fit nowhere`);
    }
  });

  it('with the default policy: an entry for a class of most cycles, none for one of 40 shapes drawn at random, the same results either way', () => {
    const one = churn(8, 600, 0, 400, ['500m'], ['1Gi'], DEFAULT_FIT_INDEX_POLICY).indexed.fitIndexUse;
    // One shape, and the pods the index cannot take or gives other classes (a toleration, a
    // selector, a port, a constraint, an extended resource) in half the cycles.
    assert.ok(one.searches > 120, `one shape: ${JSON.stringify(one)}`);
    const many = churn(7, 600, 0, 400, ['100m', '200m', '300m', '400m', '500m', '750m', '1', '2'], ['128Mi', '256Mi', '512Mi', '1Gi', '2Gi'], DEFAULT_FIT_INDEX_POLICY).indexed.fitIndexUse;
    assert.ok(many.searches < 20, `40 shapes: ${JSON.stringify(many)}`);
  });

});
