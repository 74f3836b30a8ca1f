// Streaming trace benchmark: a generated ksim-csv trace of pods with finite run times (500 a
// second, 10 s on average: about 5,000 live at a time) on 2,000 nodes, run through the CLI
// (`ksim run`, placements.csv streamed to disk) in a child process whose peak RSS is measured.
// Targets (issue 9): 2,000,000 rows in under 90 s with peak RSS under 600 MB, and peak RSS not
// growing with the row count (the 200,000-row run within 10 %).
// Part of `npm run bench` (after the micro-benchmarks); `npm run bench:trace` (= `npm run bench --
// --filter trace`) runs it alone, `node dist/bench/trace.bench.js 200000` one size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './bench-row.js';
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

export function traceBenchmark(rows: number): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-trace-bench-'));
  try {
    const csv = join(dir, 'trace.csv');
    generateKsimCsv(csv, { rows, perSecond: PER_SECOND, meanDurationS: MEAN_DURATION_S });
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SMALL = 200_000;
const LARGE = 2_000_000;

/** Both sizes, each size's rows printed as it ends, with the targets on the 2,000,000-row run's
 * wall time and peak RSS and on the ratio of the two peaks. */
export function traceBenchmarks(): BenchRow[] {
  const rows: BenchRow[] = [];
  const peaks: number[] = [];
  for (const n of [SMALL, LARGE]) {
    const r = traceBenchmark(n);
    printRows(r);
    if (n === LARGE) {
      for (const row of r) {
        if (row.metric === 'wall_s') row.target = { op: '<=', value: 90 };
        if (row.metric === 'peak_rss_mb') row.target = { op: '<=', value: 600 };
      }
    }
    peaks.push(r.find((row) => row.metric === 'peak_rss_mb')!.value);
    rows.push(...r);
  }
  rows.push({
    name: `ksim-csv ${LARGE} rows / ${SMALL} rows`,
    metric: 'peak_rss_ratio_pct',
    value: Number(((peaks[1]! / peaks[0]!) * 100).toFixed(1)),
    unit: '% (peak RSS does not grow with the row count)',
    target: { op: '<=', value: 110 },
  });
  return rows;
}

function printRows(rows: readonly BenchRow[]): void {
  for (const r of rows) console.log(`${r.name}\t${r.metric}\t${r.value}\t${r.unit}`);
}

// `node dist/bench/trace.bench.js N ...`: the given sizes, without targets (`npm run bench:trace`
// runs both sizes with their targets, through main.ts).
if (process.argv[1]?.endsWith('trace.bench.js')) {
  for (const n of process.argv.slice(2).map(Number)) printRows(traceBenchmark(n));
}
