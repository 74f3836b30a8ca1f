// Per-plugin costs of the default profile on 5,000 nodes of scheduler_perf's template (4 CPU /
// 32Gi / 110 pods, 3 zones) holding 1,000 placed pods: each plugin's PreFilter (µs per pod: the
// per-pod work, e.g. topology-domain counting), Filter and Score (ns per node), for four pods that
// wake different plugins, plus the resource accounting of placing a pod on a node and taking it
// off. Filter and Score are timed on every node after the profile's PreFilter / PreScore ran
// for the pod, as a scheduling cycle calls them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { PodInfo } from '../src/cluster/pod-info.js';
import type { NodeInfo } from '../src/cluster/node-info.js';
import { defaultProfileConfig } from '../src/scheduler/config/kube-scheduler-configuration.js';
import { Framework } from '../src/scheduler/framework/framework.js';
import { Code } from '../src/scheduler/framework/status.js';
import { inTreeRegistry } from '../src/scheduler/plugins/registry.js';
import { perfCluster } from './scheduler.bench.js';
import type { BenchRow } from './bench-row.js';

const NODES = 5000;
const PLACED = 1000;

function pod(name: string, labels: Record<string, string>, extra: Partial<NonNullable<Pod['spec']>> = {}): PodInfo {
  return new PodInfo(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }], ...extra },
    },
    0,
  );
}

/** The pods timed: scheduler_perf's default pod and the variants its affinity and spreading
 * workloads use (templates/pod-with-node-affinity.yaml, pod-with-pod-anti-affinity.yaml,
 * pod-with-topology-spreading.yaml). */
const PODS: readonly [string, PodInfo][] = [
  ['default pod', pod('d', {})],
  ['node affinity', pod('na', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-0', 'zone-1'] }] }] } } } })],
  ['pod anti-affinity', pod('aa', { color: 'green' }, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname' }] } } })],
  ['topology spread', pod('ts', { app: 'spread' }, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] })],
];

/** Mean time of `f` over enough repetitions to last about `ms` milliseconds (after 3 warm-ups). */
function timeIt(f: () => void, ms: number): number {
  for (let i = 0; i < 3; i++) f();
  let reps = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    f();
    reps++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < ms);
  return (elapsed * 1e6) / reps; // ns per call
}

export async function pluginBenchmarks(ms = 300): Promise<BenchRow[]> {
  const cluster = perfCluster(NODES);
  const nodes = cluster.nodes as readonly NodeInfo[];
  // Placed pods: a third each labelled like the anti-affinity and spreading pods, so that their
  // plugins have domains to count.
  for (let i = 0; i < PLACED; i++) {
    const labels = i % 3 === 0 ? { color: 'green' } : i % 3 === 1 ? { app: 'spread' } : { app: 'other' };
    const p = pod(`placed-${i}`, labels);
    cluster.addPod(p);
    cluster.assume(p, nodes[(i * 7) % NODES] as NodeInfo);
  }
  const fwk = new Framework(defaultProfileConfig(), inTreeRegistry(), { cluster, bindPod: () => {}, deletePod: () => {} });
  const rows: BenchRow[] = [];
  let sink = 0;
  for (const [what, p] of PODS) {
    const state = fwk.newCycleState();
    const skipFilter = new Set<string>();
    for (const pl of fwk.preFilter) {
      const ns = timeIt(() => {
        const s = fwk.newCycleState();
        pl.preFilter(s, p, nodes);
      }, ms);
      const { status } = pl.preFilter(state, p, nodes);
      if (status !== null && status.code === Code.Skip) skipFilter.add(pl.name);
      else rows.push({ name: `${pl.name} PreFilter (${what})`, metric: 'per_pod', value: Number((ns / 1000).toFixed(2)), unit: 'us' });
    }
    for (const pl of fwk.filter) {
      if (skipFilter.has(pl.name)) continue;
      const ns = timeIt(() => {
        for (let i = 0; i < nodes.length; i++) if (pl.filter(state, p, nodes[i] as NodeInfo) === null) sink++;
      }, ms);
      rows.push({ name: `${pl.name} Filter (${what})`, metric: 'per_node', value: Number((ns / nodes.length).toFixed(1)), unit: 'ns' });
    }
    const skipScore = new Set<string>();
    for (const pl of fwk.preScore) {
      const v = pl.preScore(state, p, nodes);
      if (v !== null && v.code === Code.Skip) skipScore.add(pl.name);
    }
    for (const pl of fwk.score) {
      if (skipScore.has(pl.name)) continue;
      const ns = timeIt(() => {
        for (let i = 0; i < nodes.length; i++) sink += pl.score(state, p, nodes[i] as NodeInfo);
      }, ms);
      rows.push({ name: `${pl.name} Score (${what})`, metric: 'per_node', value: Number((ns / nodes.length).toFixed(1)), unit: 'ns' });
    }
  }
  // Resource accounting: a pod assumed on a node and forgotten again (NodeInfo requested,
  // non-zero requested, pod count, the cluster's indexes).
  const extra = pod('acct', { app: 'spread' });
  cluster.addPod(extra);
  const target = nodes[1] as NodeInfo;
  const ns = timeIt(() => {
    cluster.assume(extra, target);
    cluster.forget(extra);
  }, ms);
  rows.push({ name: 'assume + forget a pod (resource accounting)', metric: 'per_pair', value: Number((ns / 1000).toFixed(2)), unit: 'us' });
  if (sink === 0) throw new Error('no plugin did anything');
  return rows;
}

// `node dist/bench/plugins.bench.js` runs this suite alone.
if (process.argv[1]?.endsWith('plugins.bench.js')) console.table(await pluginBenchmarks());
