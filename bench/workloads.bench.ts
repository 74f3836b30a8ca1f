// Upstream-equivalent scheduler benchmarks: kube-scheduler's scheduler_perf workloads
// (kubernetes test/integration/scheduler_perf/{misc,affinity,topology_spreading}/
// performance-config.yaml, pod and node templates under test/integration/scheduler_perf/templates/)
// rebuilt as ksim scenarios whose nodes and pods come from files, as a user runs them.
//
// Each workload is measured two ways, as measured pods bound per second of wall time (upstream's
// SchedulingThroughput counts the same pods):
// - end to end: `ksim run` of the scenario in a child process (files loaded, outputs written),
//   minus the same scenario without the measured pods' entry; each of the two is run
//   E2E_REPEATS times, alternating, and its least wall and CPU time kept (one reading of each
//   moved by a second of CPU under load, enough to turn the difference into nonsense);
// - scheduling only: in this process, the wall time from the measured pods' arrival until the
//   last of them is bound (simulation marks).
// Each figure is also divided by a reference loop timed just before it in this process, so runs on
// a busy or different machine compare (the `_per_ref` columns).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { runScenario } from '../src/run/run-scenario.js';
import { loadScenario } from '../src/workload/scenario.js';

const S = 1_000_000;
/** The measured pods arrive once the init pods are placed. */
const MEASURE_AT_S = 20;
/** Wall-clock marks this often (simulated) from the measured pods' arrival. */
const MARK_EVERY = S / 10;
/** Runs of each end-to-end scenario (with and without the measured pods), alternating. */
const E2E_REPEATS = 3;
const KSIM = fileURLToPath(new URL('../../bin/ksim.js', import.meta.url));
const RSS_PROBE = fileURLToPath(new URL('./rss-probe.js', import.meta.url));

type Edit = (p: Pod) => void;

/** One workload: its upstream name and figures (threshold: the `threshold` of the workload in
 * performance-config.yaml, pods/s) and ksim's target (issue 13), with how to build it. */
export interface PerfWorkload {
  readonly name: string;
  readonly nodes: number;
  /** topology.kubernetes.io/zone values, round-robin (upstream's labelNodePrepareStrategy). */
  readonly zones: readonly string[];
  readonly init: number;
  readonly measured: number;
  readonly threshold: number;
  readonly target: number | null;
  /** Pod templates: init pods and measured pods (default: pod-default.yaml). */
  readonly initPod?: Edit;
  readonly measuredPod?: Edit;
  /** Namespaces of init and measured pods (upstream: sched-0 / sched-1 where the config says). */
  readonly namespaces?: readonly [string, string];
  /** More nodes first (SchedulingDaemonset's scheduler-perf-node). */
  readonly extraNodes?: readonly Node[];
  /** More scenario workload entries, as YAML flow mappings (churn, services). */
  readonly extraEntries?: readonly string[];
  /** Simulated seconds after the measured pods' arrival the run lasts. */
  readonly windowS?: number;
  /** What differs from upstream, said in the table. */
  readonly note?: string;
  /** Run only when --filter names it (the scale runs take minutes). */
  readonly optIn?: boolean;
  /** A scale run (issue 13): the scenario with its measured pods is run once, whole, as a user
   * runs it, and judged by its time (CPU seconds, user + system, as the other targets; null: it
   * only has to bind every pod) and its peak RSS. */
  readonly scale?: { readonly timeTargetS: number | null; readonly rssTargetMb: number | null };
}

const REQUESTS = { cpu: '100m', memory: '500Mi' };

/** templates/pod-default.yaml: one pause container, 100m / 500Mi requested and limited, port 80. */
function defaultPod(name: string, namespace: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10.1', ports: [{ containerPort: 80 }], resources: { requests: { ...REQUESTS }, limits: { ...REQUESTS } } }] },
  };
}

const labelled = (labels: Record<string, string>): Edit => (p) => {
  p.metadata!.labels = labels;
};
/** templates/pod-with-pod-anti-affinity.yaml */
const antiAffinity: Edit = (p) => {
  labelled({ color: 'green' })(p);
  p.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-1', 'sched-0'] }] } };
};
/** templates/pod-with-pod-affinity.yaml */
const podAffinity: Edit = (p) => {
  labelled({ color: 'blue' })(p);
  p.spec!.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'blue' } }, topologyKey: 'topology.kubernetes.io/zone', namespaces: ['sched-1', 'sched-0'] }] } };
};
/** templates/pod-with-preferred-pod-affinity.yaml */
const preferredAffinity: Edit = (p) => {
  labelled({ color: 'red' })(p);
  p.spec!.affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: { matchLabels: { color: 'red' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-1', 'sched-0'] } }] } };
};
/** templates/pod-with-preferred-pod-anti-affinity.yaml */
const preferredAntiAffinity: Edit = (p) => {
  labelled({ color: 'yellow' })(p);
  p.spec!.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: { matchLabels: { color: 'yellow' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-1', 'sched-0'] } }] } };
};
/** templates/pod-with-node-affinity.yaml */
const nodeAffinity: Edit = (p) => {
  p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone1', 'zone2'] }] }] } } };
};
/** templates/pod-with-topology-spreading.yaml and pod-with-preferred-topology-spreading.yaml */
const spread = (when: 'DoNotSchedule' | 'ScheduleAnyway'): Edit => (p) => {
  labelled({ color: 'blue' })(p);
  p.spec!.topologySpreadConstraints = [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: when, labelSelector: { matchLabels: { color: 'blue' } } }];
};
/** templates/pod-with-label.yaml: no requests, selected by templates/service.yaml. */
const serviceSelected: Edit = (p) => {
  labelled({ app: 'scheduler-perf' })(p);
  delete p.spec!.containers[0]!.resources;
};
/** The priority 10 of upstream's high-priority templates, as a PriorityClass: upstream's test API
 * server runs without Priority admission, ksim's refuses a spec.priority without a class. */
const PRIORITY_10 = 'priority-10';
const PRIORITY_10_CLASS = `{ name: ${PRIORITY_10}, at: 0s, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: ${PRIORITY_10} }, value: 10 } }`;
/** templates/pod-low-priority.yaml (900m, terminationGracePeriodSeconds 0) and
 * pod-high-priority.yaml (3000m, priority 10: PRIORITY_10). */
const sized = (cpu: string, high = false): Edit => (p) => {
  p.spec!.containers[0]!.resources = { requests: { cpu, memory: '500Mi' }, limits: { cpu, memory: '500Mi' } };
  if (high) p.spec!.priorityClassName = PRIORITY_10;
  else p.spec!.terminationGracePeriodSeconds = 0;
};
/** templates/daemonset-pod.yaml: pinned to scheduler-perf-node by a matchFields node affinity. */
const daemonsetPod: Edit = (p) => {
  delete p.spec!.containers[0]!.resources;
  p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['scheduler-perf-node'] }] }] } } };
};
/** templates/pod-high-priority-large-cpu.yaml (9 CPU: fits no node), as a churn entry. */
const unschedulableChurn = (name: string, perMinute: number) =>
  `{ name: ${name}, rate: { perMinute: ${perMinute}, start: ${MEASURE_AT_S}s, process: fixed }, manifest: { apiVersion: v1, kind: Pod, metadata: { name: ${name}, namespace: default }, spec: { priorityClassName: ${PRIORITY_10}, containers: [{ name: pause, image: registry.k8s.io/pause:3.10.1, resources: { requests: { cpu: "9", memory: 500Mi } } }] } } }`;

const HIGH_CPU_NOTE = 'churn: a 9-CPU priority-10 pod';

export const WORKLOADS: readonly PerfWorkload[] = [
  { name: 'SchedulingBasic/5000Nodes_10000Pods', nodes: 5000, zones: [], init: 1000, measured: 10_000, threshold: 680, target: 15_000 },
  { name: 'SchedulingNodeAffinity/5000Nodes_10000Pods', nodes: 5000, zones: ['zone1'], init: 5000, measured: 10_000, threshold: 220, target: 10_000, initPod: nodeAffinity, measuredPod: nodeAffinity },
  { name: 'SchedulingPodAntiAffinity/5000Nodes_2000Pods', nodes: 5000, zones: [], init: 1000, measured: 2000, threshold: 60, target: 2000, initPod: antiAffinity, measuredPod: antiAffinity, namespaces: ['sched-0', 'sched-1'] },
  { name: 'SchedulingPodAffinity/5000Nodes_5000Pods', nodes: 5000, zones: ['zone1'], init: 5000, measured: 5000, threshold: 35, target: 1000, initPod: podAffinity, measuredPod: podAffinity, namespaces: ['sched-0', 'sched-1'] },
  { name: 'SchedulingPreferredPodAffinity/5000Nodes_5000Pods', nodes: 5000, zones: [], init: 5000, measured: 5000, threshold: 90, target: 2000, initPod: preferredAffinity, measuredPod: preferredAffinity, namespaces: ['sched-0', 'sched-1'] },
  { name: 'SchedulingPreferredPodAntiAffinity/5000Nodes_5000Pods', nodes: 5000, zones: [], init: 5000, measured: 5000, threshold: 90, target: null, initPod: preferredAntiAffinity, measuredPod: preferredAntiAffinity, namespaces: ['sched-0', 'sched-1'] },
  { name: 'TopologySpreading/5000Nodes_5000Pods', nodes: 5000, zones: ['moon-1', 'moon-2', 'moon-3'], init: 5000, measured: 5000, threshold: 460, target: 5000, measuredPod: spread('DoNotSchedule') },
  { name: 'PreferredTopologySpreading/5000Nodes_5000Pods', nodes: 5000, zones: ['moon-1', 'moon-2', 'moon-3'], init: 5000, measured: 5000, threshold: 340, target: 4000, measuredPod: spread('ScheduleAnyway') },
  {
    name: 'DefaultTopologySpreading/5000Nodes_10000Pods', nodes: 5000, zones: ['moon-1', 'moon-2', 'moon-3'], init: 5000, measured: 10_000, threshold: 160, target: null, measuredPod: serviceSelected, namespaces: ['default', 'service-ns'],
    extraEntries: ['{ name: service, manifest: { apiVersion: v1, kind: Service, metadata: { name: service-0, namespace: service-ns }, spec: { selector: { app: scheduler-perf }, ports: [{ protocol: TCP, port: 80, targetPort: 8000 }] } } }'],
    note: 'upstream threshold is for its 50000-pod variant',
  },
  { name: 'PreemptionBasic/1000Nodes', nodes: 1000, zones: [], init: 4000, measured: 1000, threshold: 0, target: null, initPod: sized('900m'), measuredPod: sized('3000m', true), extraEntries: [PRIORITY_10_CLASS], note: 'no threshold upstream' },
  {
    name: 'Unschedulable/5kNodes/100Init/10kPods', nodes: 5000, zones: [], init: 100, measured: 10_000, threshold: 590, target: 8000,
    extraEntries: [PRIORITY_10_CLASS, unschedulableChurn('pod-h', 300)], note: `${HIGH_CPU_NOTE} every 200 ms`,
  },
  {
    name: 'SchedulingWithMixedChurn/5000Nodes_10000Pods', nodes: 5000, zones: [], init: 0, measured: 10_000, threshold: 710, target: null,
    extraEntries: [PRIORITY_10_CLASS, unschedulableChurn('pod-h', 60)], note: `${HIGH_CPU_NOTE} a second; upstream also recreates a node and a Service each second`,
  },
  {
    name: 'SchedulingDaemonset/15000Nodes', nodes: 15_000, zones: [], init: 0, measured: 30_000, threshold: 1100, target: 15_000, measuredPod: daemonsetPod, windowS: 120,
    extraNodes: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'scheduler-perf-node', labels: { 'kubernetes.io/hostname': 'scheduler-perf-node' } }, status: { allocatable: { cpu: '4', memory: '32Gi', pods: '90000' } } }],
  },
  // Scale (issue 13): SchedulingBasic's templates on larger clusters; `--filter scale`.
  { name: 'Scale/SchedulingBasic_15000Nodes_150000Pods', nodes: 15_000, zones: [], init: 0, measured: 150_000, threshold: 0, target: null, windowS: 600, optIn: true, scale: { timeTargetS: null, rssTargetMb: null } },
  // The largest managed clusters: under 10 minutes, peak RSS under 4 GB.
  { name: 'Scale/65000Nodes_1000000Pods', nodes: 65_000, zones: [], init: 0, measured: 1_000_000, threshold: 0, target: null, windowS: 7300, optIn: true, scale: { timeTargetS: 600, rssTargetMb: 4_000_000_000 / 2 ** 20 } },
];

/** Pods per measured-pods file: a directory of files past this (ksim reads files up to 256 MB). */
const PODS_PER_FILE = 100_000;

/** templates/node-default.yaml: 4 CPU, 32Gi, 110 pods, Ready. */
function nodeList(w: PerfWorkload): unknown {
  const items: Node[] = [...(w.extraNodes ?? [])];
  for (let i = 0; i < w.nodes; i++) {
    const name = `scheduler-perf-${i}`;
    const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
    if (w.zones.length > 0) labels['topology.kubernetes.io/zone'] = w.zones[i % w.zones.length]!;
    items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { allocatable: { cpu: '4', memory: '32Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  return { apiVersion: 'v1', kind: 'NodeList', items };
}

function podList(prefix: string, n: number, namespace: string, edit: Edit | undefined): unknown {
  const items: Pod[] = [];
  for (let i = 0; i < n; i++) {
    const p = defaultPod(`${prefix}-${i}`, namespace);
    edit?.(p);
    items.push(p);
  }
  return { apiVersion: 'v1', kind: 'PodList', items };
}

/** Writes the workload's files into `dir`; returns the scenario with and without the measured pods. */
export function writeWorkload(w: PerfWorkload, dir: string): { withMeasured: string; without: string } {
  const [initNs, measuredNs] = w.namespaces ?? ['default', 'default'];
  writeFileSync(join(dir, 'nodes.json'), JSON.stringify(nodeList(w)));
  if (w.init > 0) writeFileSync(join(dir, 'init.json'), JSON.stringify(podList('init', w.init, initNs, w.initPod)));
  let measuredFile = 'measured.json';
  if (w.measured <= PODS_PER_FILE) writeFileSync(join(dir, measuredFile), JSON.stringify(podList('measured', w.measured, measuredNs, w.measuredPod)));
  else {
    measuredFile = 'measured';
    mkdirSync(join(dir, measuredFile));
    for (let from = 0, part = 0; from < w.measured; from += PODS_PER_FILE, part++) {
      const list = podList('measured', Math.min(PODS_PER_FILE, w.measured - from), measuredNs, w.measuredPod) as { items: Pod[] };
      list.items.forEach((p, i) => (p.metadata!.name = `measured-${from + i}`));
      writeFileSync(join(dir, measuredFile, `part-${String(part).padStart(3, '0')}.json`), JSON.stringify(list));
    }
  }
  const lifted = '{ qps: 1000000000, burst: 1000000000 }';
  const head = (name: string) => [
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    `metadata: { name: ${name} }`,
    'seed: 1',
    `duration: ${MEASURE_AT_S + (w.windowS ?? 60)}s`,
    'cluster: { file: nodes.json }',
    // scheduler_perf's clients are not rate limited.
    `controlPlane: { clients: { scheduler: ${lifted}, controllerManager: ${lifted}, kubelet: ${lifted} } }`,
    'kubelet: { startupLatency: 1s }',
    'metrics: { sampleInterval: 10m }',
    'workload:',
    ...(w.init > 0 ? ['  - { name: init, at: 0s, file: init.json }'] : []),
    ...(w.extraEntries ?? []).map((e) => `  - ${e}`),
  ];
  const withMeasured = join(dir, 'with.yaml');
  const without = join(dir, 'without.yaml');
  writeFileSync(withMeasured, [...head('perf-with'), `  - { name: measured, at: ${MEASURE_AT_S}s, file: ${measuredFile} }`, ''].join('\n'));
  const bare = head('perf-without');
  // Nothing but nodes (SchedulingDaemonset): an empty workload list.
  if (bare[bare.length - 1] === 'workload:') bare[bare.length - 1] = 'workload: []';
  writeFileSync(without, [...bare, ''].join('\n'));
  return { withMeasured, without };
}

/** A fixed piece of integer and array work; returns how many it does per second (best of 5),
 * the yardstick the `_per_ref` figures divide by. */
export function referenceLoopsPerS(): number {
  let best = Infinity;
  const a = new Int32Array(1 << 16);
  let x = 1;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 5_000_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      a[x & 0xffff] = (a[x & 0xffff]! + x) | 0;
    }
    best = Math.min(best, performance.now() - t0);
  }
  if (a[0] === 42.5) throw new Error('unreachable'); // keeps the loop's result alive
  return 1000 / best;
}

/** Runs `ksim run` on `scenario` in a child process (with `nodeArgs`): wall and CPU seconds,
 * peak RSS, pods bound. */
function runCli(scenario: string, out: string, nodeArgs: readonly string[] = []): { wallS: number; cpuS: number; peakRssMb: number; bound: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', RSS_PROBE, KSIM, 'run', scenario, '-o', out, '--json', '-q'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ksim run ${scenario} failed (${r.status}): ${r.stderr}`);
  const rss = /ksim-peak-rss-bytes (\d+)/.exec(r.stderr);
  const cpu = /ksim-cpu-us (\d+)/.exec(r.stderr);
  const summary = JSON.parse(r.stdout) as Record<string, number>;
  return { wallS, cpuS: cpu ? Number(cpu[1]) / 1e6 : NaN, peakRssMb: rss ? Math.round(Number(rss[1]) / 2 ** 20) : NaN, bound: Number(summary['pods_bound']) };
}

type CliRun = ReturnType<typeof runCli>;

/** The least wall and CPU time (each on its own) and the largest peak RSS of runs of one scenario. */
function leastOf(runs: readonly CliRun[]): CliRun {
  return {
    wallS: Math.min(...runs.map((r) => r.wallS)),
    cpuS: Math.min(...runs.map((r) => r.cpuS)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    bound: runs[0]!.bound,
  };
}

/** In this process: wall and CPU seconds from the measured pods' arrival until the last of
 * them is bound, and how many were bound. */
function schedulingOnly(scenarioFile: string): { wallS: number; cpuS: number; bound: number } {
  const sc = loadScenario(scenarioFile);
  const wallAt = new Map<number, number>();
  const cpuAt = new Map<number, number>();
  const marks = [];
  for (let t = MEASURE_AT_S * S; t <= sc.durationUs; t += MARK_EVERY) {
    marks.push({
      timeUs: t,
      fn: () => {
        const c = process.cpuUsage();
        cpuAt.set(t, c.user + c.system);
        wallAt.set(t, performance.now());
      },
    });
  }
  const result = runScenario(sc, { marks });
  let lastUs = MEASURE_AT_S * S;
  let bound = 0;
  for (const r of result.tables.find((t) => t.file === 'placements.csv')?.rows ?? []) {
    if (r['result'] !== 'bound' || !String(r['pod']).startsWith('measured-')) continue;
    bound++;
    lastUs = Math.max(lastUs, Math.round(Number(r['time_s']) * S));
  }
  const endMark = Math.min(Math.floor(sc.durationUs / MARK_EVERY) * MARK_EVERY, Math.ceil(lastUs / MARK_EVERY) * MARK_EVERY);
  const start = MEASURE_AT_S * S;
  return { wallS: ((wallAt.get(endMark) ?? NaN) - (wallAt.get(start) ?? NaN)) / 1000, cpuS: ((cpuAt.get(endMark) ?? NaN) - (cpuAt.get(start) ?? NaN)) / 1e6, bound };
}

/** One row of the table (and of bench/results.csv). */
export interface WorkloadRow {
  workload: string;
  nodes: number;
  init_pods: number;
  measured_pods: number;
  measured_bound: number;
  /** '' when the run with the measured pods took no longer than the one without (load noise). */
  e2e_pods_per_s: number | '';
  sched_pods_per_s: number;
  /** The same per CPU second (user + system) of the process: steadier on a shared machine. */
  e2e_pods_per_cpu_s: number;
  sched_pods_per_cpu_s: number;
  upstream_threshold: number | '';
  e2e_vs_upstream: number | '';
  target: number | '';
  met: 'yes' | 'NO' | '';
  peak_rss_mb: number;
  e2e_per_ref: number | '';
  sched_per_ref: number;
  ref_loops_per_s: number;
  note: string;
}

export function runPerfWorkload(w: PerfWorkload): WorkloadRow {
  if (w.scale !== undefined) return runScaleWorkload(w, w.scale);
  const dir = mkdtempSync(join(tmpdir(), 'ksim-perf-'));
  try {
    const files = writeWorkload(w, dir);
    const ref = referenceLoopsPerS();
    const withoutRuns: CliRun[] = [];
    const withRuns: CliRun[] = [];
    for (let i = 0; i < E2E_REPEATS; i++) {
      withoutRuns.push(runCli(files.without, join(dir, 'out-without')));
      withRuns.push(runCli(files.withMeasured, join(dir, 'out-with')));
    }
    const without = leastOf(withoutRuns);
    const withM = leastOf(withRuns);
    const sched = schedulingOnly(files.withMeasured);
    const e2eWallS = withM.wallS - without.wallS;
    const e2e = e2eWallS > 0 ? w.measured / e2eWallS : null;
    const e2eCpu = w.measured / Math.max(1e-3, withM.cpuS - without.cpuS);
    const schedRate = w.measured / sched.wallS;
    const schedCpu = w.measured / sched.cpuS;
    const bound = withM.bound - without.bound;
    return {
      workload: w.name,
      nodes: w.nodes + (w.extraNodes?.length ?? 0),
      init_pods: w.init,
      measured_pods: w.measured,
      measured_bound: bound,
      e2e_pods_per_s: e2e === null ? '' : Math.round(e2e),
      sched_pods_per_s: Math.round(schedRate),
      e2e_pods_per_cpu_s: Math.round(e2eCpu),
      sched_pods_per_cpu_s: Math.round(schedCpu),
      upstream_threshold: w.threshold > 0 ? w.threshold : '',
      e2e_vs_upstream: w.threshold > 0 ? Number((e2eCpu / w.threshold).toFixed(1)) : '',
      target: w.target ?? '',
      // End to end, by CPU time (wall time on an idle machine; the machine is shared), every
      // measured pod bound, peak RSS under 1.5 GB.
      met: w.target === null ? '' : e2eCpu >= w.target && bound === w.measured && withM.peakRssMb < 1536 ? 'yes' : 'NO',
      peak_rss_mb: withM.peakRssMb,
      e2e_per_ref: e2e === null ? '' : Number((e2e / ref).toFixed(1)),
      sched_per_ref: Number((schedRate / ref).toFixed(1)),
      ref_loops_per_s: Number(ref.toFixed(1)),
      note: w.note ?? '',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A scale run: the scenario with its measured pods, once, whole (loading included), in a child
 * process with a 6 GiB heap (a million pending pods need more than Node's default); pods/s are
 * the measured pods over the whole run. */
function runScaleWorkload(w: PerfWorkload, scale: NonNullable<PerfWorkload['scale']>): WorkloadRow {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-scale-'));
  try {
    const files = writeWorkload(w, dir);
    const ref = referenceLoopsPerS();
    const run = runCli(files.withMeasured, join(dir, 'out'), ['--max-old-space-size=6144']);
    const timeOk = scale.timeTargetS === null || run.cpuS <= scale.timeTargetS;
    const rssOk = scale.rssTargetMb === null || run.peakRssMb < scale.rssTargetMb;
    const targets = [
      scale.timeTargetS === null ? '' : `target ${scale.timeTargetS} CPU s`,
      scale.rssTargetMb === null ? '' : `peak RSS target ${Math.round(scale.rssTargetMb)} MB`,
    ].filter((t) => t !== '');
    return {
      workload: w.name,
      nodes: w.nodes,
      init_pods: w.init,
      measured_pods: w.measured,
      measured_bound: run.bound,
      e2e_pods_per_s: Math.round(w.measured / run.wallS),
      sched_pods_per_s: 0,
      e2e_pods_per_cpu_s: Math.round(w.measured / run.cpuS),
      sched_pods_per_cpu_s: 0,
      upstream_threshold: '',
      e2e_vs_upstream: '',
      target: '',
      met: run.bound === w.measured && timeOk && rssOk ? 'yes' : 'NO',
      peak_rss_mb: run.peakRssMb,
      e2e_per_ref: Number((w.measured / run.wallS / ref).toFixed(1)),
      sched_per_ref: 0,
      ref_loops_per_s: Number(ref.toFixed(1)),
      note: `scale run, whole: ${run.wallS.toFixed(1)} s wall, ${run.cpuS.toFixed(1)} CPU s${targets.length > 0 ? ` (${targets.join(', ')})` : ''}, every pod bound: ${run.bound === w.measured ? 'yes' : 'NO'}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function selectWorkloads(filter: string | undefined): readonly PerfWorkload[] {
  if (filter === undefined) return WORKLOADS.filter((w) => w.optIn !== true);
  const f = filter.toLowerCase();
  return WORKLOADS.filter((w) => w.name.toLowerCase().includes(f) && (w.optIn !== true || f.includes('scale')));
}
