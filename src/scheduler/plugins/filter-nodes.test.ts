// Every in-tree Filter plugin's batch form (FilterPlugin.filterNodes) against its node-by-node
// form, on random clusters and pods that many nodes reject, for each plugin's own reasons.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { RandomStreams, type RandomStream } from '../../engine/random.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../../testing/builders.js';
import { defaultProfileConfig } from '../config/kube-scheduler-configuration.js';
import { Framework } from '../framework/framework.js';
import { Code, type Verdict } from '../framework/status.js';
import { inTreeRegistry } from './registry.js';

const ZONE = 'topology.kubernetes.io/zone';

function pick<T>(rng: RandomStream, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}

function randomNode(rng: RandomStream, i: number): Node {
  const w = makeNode(`n${i}`)
    .capacity({ cpu: `${500 + rng.int(4000)}m`, memory: `${1 + rng.int(8)}Gi`, pods: 2 + rng.int(6) })
    .label('disk', pick(rng, ['ssd', 'hdd']));
  // Some nodes have no zone: a zone spreading constraint rejects them for the missing label.
  if (rng.int(8) !== 0) w.zone(pick(rng, ['z1', 'z2', 'z3']));
  if (rng.int(4) === 0) w.taint('dedicated', pick(rng, ['a', 'b']), pick(rng, ['NoSchedule', 'NoExecute', 'PreferNoSchedule']));
  if (rng.int(6) === 0) w.unschedulable();
  return w.obj();
}

function placedPod(rng: RandomStream, name: string, nodeName: string): Pod {
  const w = makePod(name).labels({ app: pick(rng, ['web', 'api']) }).req({ cpu: `${100 + rng.int(900)}m`, memory: `${64 + rng.int(900)}Mi` }).node(nodeName);
  if (rng.int(4) === 0) w.hostPort(pick(rng, [80, 443]));
  return w.obj();
}

/** The incoming pod: hard constraints of every kind, each present half the time. */
function incoming(rng: RandomStream): Pod {
  const w = makePod('incoming').labels({ app: 'web' }).req({ cpu: `${100 + rng.int(1500)}m`, memory: `${64 + rng.int(2000)}Mi` });
  if (rng.int(2) === 0) w.toleration({ key: 'dedicated', operator: 'Equal', value: 'a', effect: 'NoSchedule' });
  if (rng.int(3) === 0) w.toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  if (rng.int(2) === 0) w.hostPort(80);
  if (rng.int(2) === 0) w.nodeSelector({ disk: 'ssd' });
  if (rng.int(8) === 0) w.node(`n${rng.int(30)}`);
  w.with((p) => {
    const spec = p.spec as NonNullable<Pod['spec']>;
    if (rng.int(2) === 0) spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } };
    if (rng.int(3) === 0) {
      spec.affinity = { ...spec.affinity, podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: ZONE, labelSelector: { matchLabels: { app: 'api' } } }] } };
    }
    if (rng.int(2) === 0) spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
  });
  return w.obj();
}

function describeVerdict(v: Verdict): string {
  return v === null ? 'pass' : `${v.plugin}:${v.code}:${v.reasons.join('|')}`;
}

describe('FilterPlugin.filterNodes of the in-tree plugins', () => {
  it('gives, node for node, what filter gives (60 random clusters, every default Filter plugin)', () => {
    const rng = new RandomStreams(21).stream('filter-nodes');
    const rejectionsBy = new Map<string, number>();
    for (let round = 0; round < 60; round++) {
      const nodes = Array.from({ length: 5 + rng.int(30) }, (_, i) => randomNode(rng, i));
      const pods = Array.from({ length: rng.int(40) }, (_, i) => placedPod(rng, `e${i}`, `n${rng.int(nodes.length)}`));
      const cluster = buildCluster(nodes, pods);
      const base = defaultProfileConfig();
      const fwk = new Framework({ ...base, plugins: base.plugins.filter((p) => p.name !== 'DefaultPreemption') }, inTreeRegistry(), fakeHandle(cluster));
      const pod = podInfo(incoming(rng));
      const state = fwk.newCycleState();
      for (const p of fwk.preFilter) p.preFilter(state, pod, cluster.nodes);
      // The batch is the middle of the list, with holes on either side: a plugin that reads
      // outside [from, to) fails.
      const from = 1;
      const to = cluster.nodes.length;
      const list: NodeInfo[] = [undefined as unknown as NodeInfo, ...cluster.nodes, undefined as unknown as NodeInfo];
      for (const p of fwk.filter) {
        assert.equal(typeof p.filterNodes, 'function', `${p.name} has filterNodes`);
        const one: string[] = [];
        for (let i = from; i < to; i++) {
          const v = p.filter(state, pod, list[i] as NodeInfo);
          if (v !== null && v.code !== Code.Success) one.push(`${i} ${describeVerdict(v)}`);
        }
        const rejected = { at: new Int32Array(to - from), verdicts: [] as Verdict[] };
        const r = (p.filterNodes as NonNullable<typeof p.filterNodes>)(state, pod, list, from, to, rejected);
        const batch: string[] = [];
        for (let k = 0; k < r; k++) {
          const v = rejected.verdicts[k] as Verdict;
          if (v !== null && v.code !== Code.Success) batch.push(`${rejected.at[k]} ${describeVerdict(v)}`);
        }
        assert.deepEqual(batch, one, `${p.name} round ${round}`);
        if (one.length > 0) rejectionsBy.set(p.name, (rejectionsBy.get(p.name) ?? 0) + one.length);
      }
    }
    // Every plugin rejected nodes in some round, so each comparison above compared rejections.
    assert.deepEqual([...rejectionsBy.keys()].sort(), ['InterPodAffinity', 'NodeAffinity', 'NodeName', 'NodePorts', 'NodeResourcesFit', 'NodeUnschedulable', 'PodTopologySpread', 'TaintToleration']);
  });
});
