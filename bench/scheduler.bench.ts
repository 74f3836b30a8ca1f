// One scheduling cycle (PreFilter → Filter over the sampled nodes → Score → select) on clusters of
// scheduler_perf's node template: 4 CPU / 32Gi / 110 pods; the pod requests 100m / 500Mi.
import { Bench } from 'tinybench';
import { RandomStreams } from '../src/engine/random.js';
import { ClusterState } from '../src/cluster/cluster-state.js';
import { PodInfo } from '../src/cluster/pod-info.js';
import { defaultProfileConfig } from '../src/scheduler/config/kube-scheduler-configuration.js';
import { Framework } from '../src/scheduler/framework/framework.js';
import { inTreeRegistry } from '../src/scheduler/plugins/registry.js';
import { ScheduleAlgorithm } from '../src/scheduler/schedule-one.js';
import type { BenchRow } from './bench-row.js';

export function perfCluster(nodes: number): ClusterState {
  const c = new ClusterState();
  for (let i = 0; i < nodes; i++) {
    c.addNode(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
        status: { allocatable: { cpu: '4', memory: '32Gi', pods: '110' } },
      },
      'perf',
    );
  }
  return c;
}

export function perfPod(name: string): PodInfo {
  return new PodInfo(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
    },
    0,
  );
}

export async function schedulerBenchmarks(timeMs = 1000): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [100, 1000, 5000]) {
    const cluster = perfCluster(n);
    const fwk = new Framework(defaultProfileConfig(), inTreeRegistry(), { cluster, bindPod: () => {}, deletePod: () => {} });
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('scheduler'));
    const pod = perfPod('p');
    let sink = 0;
    const bench = new Bench({ name: `cycle-${n}`, time: timeMs, warmupIterations: 50, throws: true });
    const name = `scheduling cycle, ${n} nodes`;
    bench.add(name, () => {
      const r = algo.schedule(fwk, fwk.newCycleState(), pod);
      sink += r.nodesEvaluated;
    });
    await bench.run();
    if (sink === 0) throw new Error('no nodes evaluated');
    const mean = bench.getTask(name)?.result;
    if (mean === undefined || !('latency' in mean)) throw new Error(`${name} did not complete`);
    rows.push({ name, metric: 'cycles_per_s', value: Math.round(1000 / mean.latency.mean), unit: 'cycles/s' });
    rows.push({ name, metric: 'cycle_mean', value: Number((mean.latency.mean * 1000).toFixed(2)), unit: 'us' });
  }
  return rows;
}
