// `npm run bench`: every benchmark suite; prints a table and writes bench/results.csv
// (name, metric, value, unit, target, met); each figure with a target says whether it is met. Figures depend on the machine: compare runs on the same one.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { apiBenchmarks } from './api.bench.js';
import { shown, targetsLine, type BenchRow } from './bench-row.js';
import { engineBenchmarks } from './engine.bench.js';
import { failuresBenchmarks } from './failures.bench.js';
import { loadingBenchmarks } from './loading.bench.js';
import { schedulerBenchmarks } from './scheduler.bench.js';
import { workloadBenchmarks } from './workloads.bench.js';

const OUT = fileURLToPath(new URL('../../bench/results.csv', import.meta.url));

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  for (const suite of [engineBenchmarks, apiBenchmarks, schedulerBenchmarks, workloadBenchmarks, failuresBenchmarks, loadingBenchmarks]) {
    const r = await suite();
    rows.push(...r);
    console.table(r.map(shown));
  }
  writeFileSync(OUT, stringify(rows.map(shown), { header: true, columns: ['name', 'metric', 'value', 'unit', 'target', 'met'] }));
  console.log(`Wrote ${rows.length} rows to bench/results.csv`);
  // The verdict last, where it is seen: a missed target is not lost in the tables.
  console.log(targetsLine(rows));
}

await main();
