// Streaming trace benchmark: a generated ksim-csv trace of pods with finite run times (500 a
// second, 10 s on average: about 5,000 live at a time) on 2,000 nodes, run through the CLI
// (`ksim run`, placements.csv streamed to disk) in a child process whose peak RSS is measured.
// Targets (issue 9): 2,000,000 rows in under 90 s with peak RSS under 600 MB, and peak RSS not
// growing with the row count (the 200,000-row run within 10 %).
// Not part of `npm test` nor `npm run bench`: `npm run bench:trace` (both sizes), or
// `node dist/bench/trace.bench.js 200000` for one size.
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

if (process.argv[1]?.endsWith('trace.bench.js')) {
  const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [200_000, 2_000_000];
  const results = sizes.map((n) => {
    const rows = traceBenchmark(n);
    for (const r of rows) console.log(`${r.name}\t${r.metric}\t${r.value}\t${r.unit}`); // as each size ends
    return rows;
  });
  if (results.length === 2) {
    const rss = results.map((rows) => rows.find((r) => r.metric === 'peak_rss_mb')!.value);
    console.log(`peak RSS ${sizes[1]} rows / ${sizes[0]} rows: ${((rss[1]! / rss[0]!) * 100).toFixed(1)} % (target within 10 %)`);
  }
}
