// Streaming trace benchmark: a generated ksim-csv trace of pods with finite run times (500 a
// second, 10 s on average: about 5,000 live at a time) on 2,000 nodes, run through the CLI
// (`ksim run`, placements.csv streamed to disk) in a child process whose peak RSS is measured.
// Targets (issue 9): 2,000,000 rows in under 90 s with peak RSS under 600 MB, and peak RSS not
// growing with the row count (the 200,000-row run within 10 %). Each size runs three times,
// alternating; every run is printed, and the targets are judged on the least wall time, the
// largest peak and the ratio of the median peaks.
// Part of `npm run bench` (after the micro-benchmarks); `npm run bench:trace` (= `npm run bench --
// --filter trace`) runs it alone, `node dist/bench/trace.bench.js 200000` one size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './bench-row.js';
import { median } from '../src/metrics/stats.js';
import { runCli } from './churn.bench.js';
import { generateKsimCsv } from './ksim-csv-gen.js';

const PER_SECOND = 500;
const MEAN_DURATION_S = 10;
const NODES = 2000;

export function traceScenarioText(csvPath: string, rows: number): string {
  const durationS = Math.ceil(rows / PER_SECOND) + 120;
  return `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: trace-bench }
seed: 1
duration: ${durationS}s
cluster:
  nodePools:
    - { name: general, count: ${NODES}, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }
controlPlane:
  clients:
    scheduler: { qps: 1000000, burst: 1000000 }
    controllerManager: { qps: 1000000, burst: 1000000 }
    kubelet: { qps: 1000000, burst: 1000000 }
metrics: { sampleInterval: 10m }
workload:
  - name: trace
    trace: { format: ksim-csv, file: ${JSON.stringify(csvPath)} }
`;
}

/** One run of the CLI on a generated trace of `rows` rows at `csv`, as benchmark rows. */
function traceRun(csv: string, rows: number): BenchRow[] {
  const r = runCli(traceScenarioText(csv, rows));
  const name = `ksim-csv ${rows} rows, ~${PER_SECOND * MEAN_DURATION_S} live, ${NODES} nodes`;
  return [
    { name, metric: 'wall_s', value: Number(r.wallS.toFixed(1)), unit: 's (target < 90 for 2,000,000 rows)' },
    { name, metric: 'cpu_s', value: Number(r.cpuS.toFixed(1)), unit: 's of CPU (user + system)' },
    { name, metric: 'peak_rss_mb', value: Math.round(r.peakRssBytes / 1e6), unit: 'MB (target < 600)' },
    { name, metric: 'pods_submitted', value: Number(r.summary['pods_submitted']), unit: 'pods' },
    { name, metric: 'pods_per_cpu_s', value: Math.round(Number(r.summary['pods_submitted']) / r.cpuS), unit: 'pods per CPU second' },
    { name, metric: 'events', value: Number(r.summary['events']), unit: 'events' },
  ];
}

/** Generates a trace of `rows` rows in a temporary folder, gives its path to `use`, then removes it. */
function withTrace<T>(rows: number, use: (csv: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-trace-bench-'));
  try {
    const csv = join(dir, 'trace.csv');
    generateKsimCsv(csv, { rows, perSecond: PER_SECOND, meanDurationS: MEAN_DURATION_S });
    return use(csv);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run of one size, without targets (`node dist/bench/trace.bench.js N`). */
export function traceBenchmark(rows: number): BenchRow[] {
  return withTrace(rows, (csv) => traceRun(csv, rows));
}

const SMALL = 200_000;
const LARGE = 2_000_000;
/** Runs of each size. A run's peak RSS depends on where V8's full collections fall against the
 * sawtooth of finished pods awaiting the pod garbage collector: single runs of the same trace
 * differ by up to 5 %, so the ratio of one run of each size is half noise. */
const REPEATS = 3;

function value(rows: readonly BenchRow[], metric: string): number {
  return rows.find((row) => row.metric === metric)!.value;
}

/** REPEATS runs of each size, alternating (each run's rows printed as it ends); the summary rows
 * carry the targets: the 2,000,000-row runs' least wall time (as the workload benchmarks keep
 * their least time) and largest peak RSS, and the ratio of the two sizes' median peaks. */
export function traceBenchmarks(): BenchRow[] {
  return withTrace(SMALL, (smallCsv) =>
    withTrace(LARGE, (largeCsv) => {
      const runs = new Map<number, BenchRow[][]>([
        [SMALL, []],
        [LARGE, []],
      ]);
      for (let i = 0; i < REPEATS; i++) {
        for (const [n, csv] of [
          [SMALL, smallCsv],
          [LARGE, largeCsv],
        ] as const) {
          const r = traceRun(csv, n);
          for (const row of r) row.name += ` (run ${i + 1} of ${REPEATS})`;
          printRows(r);
          runs.get(n)!.push(r);
        }
      }
      const rows: BenchRow[] = [];
      const medians: number[] = [];
      for (const [n, list] of runs) {
        const name = `ksim-csv ${n} rows, ~${PER_SECOND * MEAN_DURATION_S} live, ${NODES} nodes, ${REPEATS} runs`;
        const peaks = list.map((r) => value(r, 'peak_rss_mb'));
        const large = n === LARGE;
        rows.push(
          { name, metric: 'wall_s_least', value: Math.min(...list.map((r) => value(r, 'wall_s'))), unit: 's', ...(large ? { target: { op: '<=' as const, value: 90 } } : {}) },
          { name, metric: 'cpu_s_least', value: Math.min(...list.map((r) => value(r, 'cpu_s'))), unit: 's of CPU (user + system)' },
          { name, metric: 'peak_rss_mb_largest', value: Math.max(...peaks), unit: `MB (runs: ${peaks.join(', ')})`, ...(large ? { target: { op: '<=' as const, value: 600 } } : {}) },
          { name, metric: 'peak_rss_mb_median', value: median(peaks), unit: 'MB' },
          { name, metric: 'pods_submitted', value: value(list[0]!, 'pods_submitted'), unit: 'pods' },
          { name, metric: 'events', value: value(list[0]!, 'events'), unit: 'events' },
        );
        medians.push(median(peaks));
        // The same trace and seed: every run must have done the same work.
        for (const r of list) {
          if (value(r, 'events') !== value(list[0]!, 'events')) throw new Error(`trace benchmark: runs of ${n} rows processed different event counts (${list.map((x) => value(x, 'events')).join(', ')}): the run is not deterministic`);
        }
      }
      rows.push({
        name: `ksim-csv ${LARGE} rows / ${SMALL} rows`,
        metric: 'peak_rss_ratio_pct',
        value: Number(((medians[1]! / medians[0]!) * 100).toFixed(1)),
        unit: '% (median peaks: peak RSS does not grow with the row count)',
        target: { op: '<=', value: 110 },
      });
      return rows;
    }),
  );
}

function printRows(rows: readonly BenchRow[]): void {
  for (const r of rows) console.log(`${r.name}\t${r.metric}\t${r.value}\t${r.unit}`);
}

// `node dist/bench/trace.bench.js N ...`: the given sizes, without targets (`npm run bench:trace`
// runs both sizes with their targets, through main.ts).
if (process.argv[1]?.endsWith('trace.bench.js')) {
  for (const n of process.argv.slice(2).map(Number)) printRows(traceBenchmark(n));
}
