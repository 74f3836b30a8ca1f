// Long-run churn benchmarks, run through the CLI (`ksim run`, placements.csv streamed to disk)
// in a child process so that its peak RSS is measured (`/usr/bin/time -v` when present, else the
// child's own process.memoryUsage().rss sampled every 50 ms by --measure-rss below):
//  (a) steady churn: a Deployment of 10,000 replicas whose pods run 1 min on average (exponential)
//      for 24 h on 200 nodes, client QPS lifted: 10,000 live pods, ~14.4 M created. Targets:
//      under 5 minutes of wall time, peak RSS under 1 GB.
//  (b) scheduling attempts: 300 nodes, 10,000 bare pods a minute (Poisson) running 1 min each,
//      client QPS lifted, 1 h: sched_attempts / pods_submitted (target ≤ 1.2).
// Not part of `npm test` nor `npm run bench`: `npm run bench:churn` and `npm run bench:attempts`
// (KSIM_BENCH_DURATION=2h shortens or lengthens a run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shown, targetsLine, type BenchRow } from './bench-row.js';

const KSIM_BIN = fileURLToPath(new URL('../../bin/ksim.js', import.meta.url));

const LIFTED_CLIENTS = `  clients:
    scheduler: { qps: 1000000, burst: 1000000 }
    controllerManager: { qps: 1000000, burst: 1000000 }
    kubelet: { qps: 1000000, burst: 1000000 }`;

/** Scenario head shared by both benchmarks: one pool of 16-CPU nodes, client rate limits lifted. */
function scenarioHead(name: string, duration: string, nodes: number, sampleInterval: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: ${name} }
seed: 1
duration: ${duration}
cluster:
  nodePools:
    - { name: general, count: ${nodes}, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }
controlPlane:
${LIFTED_CLIENTS}
metrics: { sampleInterval: ${sampleInterval} }
`;
}

export function churnScenarioText(duration = '24h', replicas = 10_000, nodes = 200): string {
  return `${scenarioHead('churn-bench', duration, nodes, '10m')}workload:
  - name: churn
    runDuration: { exponential: { mean: 1m } }
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: churn }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: churn } }
        template:
          metadata: { labels: { app: churn } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m, memory: 256Mi } } }] }
`;
}

export function attemptsScenarioText(duration = '1h', perMinute = 10_000, nodes = 300): string {
  return `${scenarioHead('attempts-bench', duration, nodes, '5m')}workload:
  - name: burst
    rate: { perMinute: ${perMinute} }
    runDuration: 1m
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: 100m, memory: 256Mi } } }] }
`;
}

export interface CliRun {
  readonly wallS: number;
  /** User + system CPU seconds of the run (NaN without /usr/bin/time): on a shared machine
   * the figure that wall time would be on an idle core. */
  readonly cpuS: number;
  readonly peakRssBytes: number;
  readonly summary: Record<string, string>;
  readonly placementsBytes: number;
}

/** Runs `ksim run` on the scenario text in a child process and measures it. */
export function runCli(text: string): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-churn-'));
  try {
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, text);
    const out = join(dir, 'out');
    const timeV = existsSync('/usr/bin/time');
    const argv = [KSIM_BIN, 'run', file, '-o', out];
    const t0 = performance.now();
    const r = timeV
      ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 })
      : spawnSync(process.execPath, ['--import', fileURLToPath(new URL('./rss-probe.js', import.meta.url)), ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wallS = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`ksim run failed (${String(r.status)}): ${r.stderr}`);
    const m = timeV ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr) : /ksim-peak-rss-bytes (\d+)/.exec(r.stderr);
    const peakRssBytes = m === null ? Number.NaN : Number(m[1]) * (timeV ? 1024 : 1);
    const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const cpuS = user === null || sys === null ? Number.NaN : Number(user[1]) + Number(sys[1]);
    const [header, values] = readFileSync(join(out, 'summary.csv'), 'utf8').trimEnd().split('\n') as [string, string];
    const cols = header.split(',');
    const vals = values.split(',');
    const summary = Object.fromEntries(cols.map((c, i) => [c, vals[i] ?? '']));
    const placementsBytes = readFileSync(join(out, 'placements.csv')).length;
    return { wallS, cpuS, peakRssBytes, summary, placementsBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MB = 1e6;

export function churnBenchmark(duration = process.env['KSIM_BENCH_DURATION'] ?? '24h'): BenchRow[] {
  const r = runCli(churnScenarioText(duration));
  const name = `steady churn, 10000 live pods, ${duration}`;
  return [
    { name, metric: 'wall_s', value: Number(r.wallS.toFixed(1)), unit: 's', ...(duration === '24h' ? { target: { op: '<=' as const, value: 300 } } : {}) },
    { name, metric: 'cpu_s', value: Number(r.cpuS.toFixed(1)), unit: 's of CPU (user + system)' },
    { name, metric: 'pods_per_cpu_s', value: Math.round(Number(r.summary['pods_submitted']) / r.cpuS), unit: 'pods created per CPU second' },
    { name, metric: 'peak_rss_mb', value: Math.round(r.peakRssBytes / MB), unit: 'MB', target: { op: '<=', value: 1000 } },
    { name, metric: 'pods_submitted', value: Number(r.summary['pods_submitted']), unit: 'pods' },
    { name, metric: 'pods_per_s', value: Math.round(Number(r.summary['pods_submitted']) / r.wallS), unit: 'pods created per wall second' },
    { name, metric: 'events', value: Number(r.summary['events']), unit: 'events' },
    { name, metric: 'placements_csv_mb', value: Math.round(r.placementsBytes / MB), unit: 'MB' },
  ];
}

export function attemptsBenchmark(duration = process.env['KSIM_BENCH_DURATION'] ?? '1h'): BenchRow[] {
  const r = runCli(attemptsScenarioText(duration));
  const name = `300 nodes, 10000 pods/min of 1 min pods, ${duration}`;
  const submitted = Number(r.summary['pods_submitted']);
  const attempts = Number(r.summary['sched_attempts']);
  return [
    { name, metric: 'attempts_per_pod', value: Number((attempts / submitted).toFixed(3)), unit: 'attempts/pod', target: { op: '<=', value: 1.2 } },
    { name, metric: 'sched_attempts', value: attempts, unit: 'attempts' },
    { name, metric: 'pods_submitted', value: submitted, unit: 'pods' },
    { name, metric: 'pods_bound', value: Number(r.summary['pods_bound']), unit: 'pods' },
    { name, metric: 'wall_s', value: Number(r.wallS.toFixed(1)), unit: 's' },
    { name, metric: 'cpu_s', value: Number(r.cpuS.toFixed(1)), unit: 's of CPU (user + system)' },
    { name, metric: 'peak_rss_mb', value: Math.round(r.peakRssBytes / MB), unit: 'MB' },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const which = process.argv[2] ?? 'churn';
  const rows = which === 'attempts' ? attemptsBenchmark() : churnBenchmark();
  console.table(rows.map(shown));
  console.log(targetsLine(rows));
}
