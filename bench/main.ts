// `npm run bench [-- --filter NAME]`: the scheduler_perf-equivalent workloads (bench/workloads.bench.ts)
// and the physical floor, as a table written to bench/results.csv; then, without --filter (or
// with --filter micro), the micro-benchmarks (engine, quantities, one scheduling cycle, failures,
// loading), written to bench/micro-results.csv (name, metric, value, unit, target, met); then,
// without --filter (or with --filter trace), the streaming trace benchmark (trace.bench.ts),
// written to bench/trace-results.csv in the same columns.
// Figures depend on the machine and its load: compare runs by the `_per_ref` columns.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mergeResults } from './results-file.js';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { apiBenchmarks } from './api.bench.js';
import { shown, targetsLine, type BenchRow } from './bench-row.js';
import { engineBenchmarks } from './engine.bench.js';
import { failuresBenchmarks } from './failures.bench.js';
import { floorBest } from './floor.bench.js';
import { loadingBenchmarks } from './loading.bench.js';
import { pluginBenchmarks } from './plugins.bench.js';
import { schedulerBenchmarks } from './scheduler.bench.js';
import { traceBenchmarks } from './trace.bench.js';
import { referenceLoopsPerS, runPerfWorkload, selectWorkloads, type WorkloadRow } from './workloads.bench.js';

const OUT = fileURLToPath(new URL('../../bench/results.csv', import.meta.url));
const MICRO_OUT = fileURLToPath(new URL('../../bench/micro-results.csv', import.meta.url));
const TRACE_OUT = fileURLToPath(new URL('../../bench/trace-results.csv', import.meta.url));
const FLOOR_SHARE_TARGET = 0.3;

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined) {
    console.error(`bench: ${flag} needs a value (a workload name or part of one, or "micro")`);
    process.exit(2);
  }
  return v;
}

async function workloads(filter: string | undefined): Promise<void> {
  const selected = filter === 'micro' || filter === 'trace' ? [] : selectWorkloads(filter);
  if (filter !== undefined && filter !== 'micro' && filter !== 'trace' && selected.length === 0) {
    console.error(`bench: no workload matches --filter ${filter}`);
    process.exit(2);
  }
  const rows: WorkloadRow[] = [];
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the start`);
  for (const w of selected) {
    let r: WorkloadRow;
    try {
      r = runPerfWorkload(w);
    } catch (e) {
      // One workload failing does not lose the others' figures.
      console.error(`bench: ${w.name} failed: ${(e as Error).message}`);
      process.exitCode = 1;
      continue;
    }
    console.log(`${r.workload}: ${r.e2e_pods_per_s} pods/s end to end (${r.e2e_pods_per_cpu_s} per CPU s), ${r.sched_pods_per_s} scheduling only (${r.sched_pods_per_cpu_s} per CPU s), peak RSS ${r.peak_rss_mb} MB`);
    rows.push(r);
  }
  if (filter === undefined || /basic|floor/i.test(filter)) {
    const ref = referenceLoopsPerS();
    const floor = floorBest();
    const basic = rows.find((r) => r.workload.startsWith('SchedulingBasic/'));
    const share = basic === undefined ? null : basic.sched_pods_per_cpu_s / floor;
    rows.push({
      workload: 'physical floor (NodeResourcesFit + LeastAllocated loop)', nodes: 5000, init_pods: 1000, measured_pods: 10_000, measured_bound: 10_000,
      e2e_pods_per_s: 0, sched_pods_per_s: Math.round(floor), e2e_pods_per_cpu_s: 0, sched_pods_per_cpu_s: Math.round(floor), upstream_threshold: '', e2e_vs_upstream: '',
      target: '', met: share === null ? '' : share >= FLOOR_SHARE_TARGET ? 'yes' : 'NO', peak_rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20),
      e2e_per_ref: 0, sched_per_ref: Number((floor / ref).toFixed(1)), ref_loops_per_s: Number(ref.toFixed(1)),
      note: share === null ? '' : `SchedulingBasic scheduling-only is ${(share * 100).toFixed(1)} % of it (target ≥ ${FLOOR_SHARE_TARGET * 100} %)`,
    });
  }
  if (rows.length === 0) return;
  console.table(rows.map(({ note: _n, ref_loops_per_s: _r, ...rest }) => rest));
  for (const r of rows) if (r.note !== '') console.log(`${r.workload}: ${r.note}`);
  // A filtered run keeps the other workloads' rows of the last run (bench/results-file.ts).
  const previous = filter !== undefined && existsSync(OUT) ? readFileSync(OUT, 'utf8') : null;
  writeFileSync(OUT, mergeResults(previous, rows as unknown as Record<string, unknown>[], Object.keys(rows[0]!)));
  const withTarget = rows.filter((r) => r.met !== '');
  const missed = withTarget.filter((r) => r.met === 'NO');
  console.log(`Wrote ${rows.length} rows to bench/results.csv${previous !== null ? ' (other workloads\' rows kept from the last run)' : ''}; ${withTarget.length - missed.length} of ${withTarget.length} targets met${missed.length > 0 ? `; missed: ${missed.map((r) => r.workload).join(', ')}` : ''}`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`);
}

async function micro(): Promise<void> {
  const rows: BenchRow[] = [];
  for (const suite of [engineBenchmarks, apiBenchmarks, schedulerBenchmarks, pluginBenchmarks, failuresBenchmarks, loadingBenchmarks]) {
    const r = await suite();
    rows.push(...r);
    console.table(r.map(shown));
  }
  writeFileSync(MICRO_OUT, stringify(rows.map(shown), { header: true, columns: ['name', 'metric', 'value', 'unit', 'target', 'met'] }));
  console.log(`Wrote ${rows.length} rows to bench/micro-results.csv`);
  console.log(targetsLine(rows));
}

function trace(): void {
  console.log('Streaming trace benchmark: 200,000 then 2,000,000 generated ksim-csv rows through ksim run, three runs of each (about four minutes)');
  const rows = traceBenchmarks();
  console.table(rows.map(shown));
  writeFileSync(TRACE_OUT, stringify(rows.map(shown), { header: true, columns: ['name', 'metric', 'value', 'unit', 'target', 'met'] }));
  console.log(`Wrote ${rows.length} rows to bench/trace-results.csv`);
  console.log(targetsLine(rows));
}

const filter = argValue('--filter');
await workloads(filter);
if (filter === undefined || filter === 'micro') await micro();
if (filter === undefined || filter === 'trace') trace();
