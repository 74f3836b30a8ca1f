// Whole-simulation throughput on upstream scheduler_perf's workloads
// (test/integration/scheduler_perf/*/performance-config.yaml; node template 4 CPU / 32Gi /
// 110 pods, pod template 100m / 500Mi): measured pods bound per second of wall time, from the
// arrival of the measured pods until the run ends (every measured pod bound and started).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { runScenario } from '../src/run/run-scenario.js';
import { fixedLatencyApiConfig } from '../src/controlplane/api-server.js';
import { defaultSchedulerConfig } from '../src/scheduler/config/kube-scheduler-configuration.js';
import { parseScenario, type Scenario, type WorkloadEntry } from '../src/workload/scenario.js';
import type { BenchRow } from './bench-row.js';

const S = 1_000_000;

/** ksim's default control plane (etcd model, watch delay), with client rate limits lifted as
 * scheduler_perf lifts them. */
const DEFAULT_CONTROL_PLANE = {
  ...parseScenario('apiVersion: ksim/v1alpha1\nkind: Scenario\ncluster: { nodePools: [{ name: x, count: 1, allocatable: { cpu: "1", memory: 1Gi } }] }\n', '<bench>').controlPlane,
  clients: new Map(),
};
/** The measured pods arrive once the init pods are placed; the window ends when the last
 * measured pod is bound (nodes also renew leases meanwhile, as real kubelets do). */
const MEASURE_AT = 60 * S;
const WINDOW = 300 * S;
const MARK_EVERY = S / 2;

function nodes(n: number, zones: number): Scenario['nodes'] {
  return Array.from({ length: n }, (_, i) => ({
    pool: 'perf',
    node: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `node-${i}`,
        labels: { 'kubernetes.io/hostname': `node-${i}`, ...(zones > 0 ? { 'topology.kubernetes.io/zone': `zone-${i % zones}` } : {}) },
      },
      status: { allocatable: { cpu: '4', memory: '32Gi', pods: '110' } },
    },
  }));
}

function pods(prefix: string, n: number, namespace: string, edit: (p: Pod) => void = () => {}): Pod[] {
  return Array.from({ length: n }, (_, i) => {
    const p: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${prefix}-${i}`, namespace, labels: {} },
      spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
    };
    edit(p);
    return p;
  });
}

/** The scheduler's own throughput: every write takes 1 ms, watchers hear at once. */
const FIXED_CONTROL_PLANE = fixedLatencyApiConfig(1000);

let CONTROL_PLANE: Scenario['controlPlane'] = FIXED_CONTROL_PLANE;

function scenario(name: string, nodeCount: number, zones: number, init: Pod[], measured: Pod[]): Scenario {
  const entry = (n: string, ms: Pod[], atUs: number): WorkloadEntry => ({ name: n, manifests: ms, arrival: { kind: 'at', atUs }, runDuration: null });
  return {
    name,
    file: `<bench ${name}>`,
    sha256: '',
    seed: 1,
    durationUs: MEASURE_AT + WINDOW,
    nodes: nodes(nodeCount, zones),
    controlPlane: CONTROL_PLANE,
    startupLatency: { kind: 'constant', value: 1 * S },
    sampleIntervalUs: 600 * S,
    workload: [...(init.length > 0 ? [entry('init', init, 0)] : []), entry('measured', measured, MEASURE_AT)],
    scheduler: defaultSchedulerConfig(),
    pluginModules: [],
    warnings: [],
  };
}

function antiAffinity(p: Pod): void {
  p.metadata!.labels = { color: 'green' };
  p.spec!.affinity = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname' }],
    },
  };
}

function spread(p: Pod): void {
  p.metadata!.labels = { color: 'blue' };
  p.spec!.topologySpreadConstraints = [
    { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } },
  ];
}

export const WORKLOADS: { name: string; build: () => Scenario; measured: number; target: number }[] = [
  { name: 'SchedulingBasic 5000 nodes, 1000 init + 10000 pods', measured: 10_000, target: 15_000, build: () => scenario('basic', 5000, 0, pods('init', 1000, 'sched-0'), pods('p', 10_000, 'sched-1')) },
  { name: 'SchedulingPodAntiAffinity 5000 nodes, 2000 pods', measured: 2000, target: 2000, build: () => scenario('anti-affinity', 5000, 0, [], pods('p', 2000, 'sched-1', antiAffinity)) },
  { name: 'TopologySpreading 5000 nodes, 5000 init + 5000 pods', measured: 5000, target: 5000, build: () => scenario('spread', 5000, 3, pods('init', 5000, 'sched-0'), pods('p', 5000, 'sched-1', spread)) },
];

export function runWorkload(w: (typeof WORKLOADS)[number]): { podsPerS: number; bound: number; wallS: number } {
  const sc = w.build();
  // Wall-clock marks every half simulated second of the window; the measurement ends at the
  // first mark after the last measured pod was bound.
  const wallAt = new Map<number, number>();
  const marks = [];
  for (let t = MEASURE_AT; t <= sc.durationUs; t += MARK_EVERY) marks.push({ timeUs: t, fn: () => wallAt.set(t, performance.now()) });
  const result = runScenario(sc, { marks });
  const bound = Number(result.summary['pods_bound']);
  const placements = result.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  let lastBoundUs = MEASURE_AT;
  for (const r of placements) if (r['result'] === 'bound') lastBoundUs = Math.max(lastBoundUs, Math.round(Number(r['time_s']) * S));
  const endMark = Math.min(sc.durationUs, Math.ceil(lastBoundUs / MARK_EVERY) * MARK_EVERY);
  const wallS = ((wallAt.get(endMark) ?? 0) - (wallAt.get(MEASURE_AT) ?? 0)) / 1000;
  return { podsPerS: Math.round(w.measured / wallS), bound, wallS };
}

export async function workloadBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [label, cp] of [['fixed 1 ms API', FIXED_CONTROL_PLANE], ['default control plane', DEFAULT_CONTROL_PLANE]] as const) {
    CONTROL_PLANE = cp;
    for (const w of WORKLOADS) {
      const r = runWorkload(w);
      rows.push({ name: `${w.name} (${label})`, metric: 'measured_pods_bound_per_s', value: r.podsPerS, unit: 'pods/s', target: { op: '>=', value: w.target } });
      rows.push({ name: `${w.name} (${label})`, metric: 'pods_bound', value: r.bound, unit: 'pods' });
    }
  }
  CONTROL_PLANE = FIXED_CONTROL_PLANE;
  return rows;
}
