// Reads the summary rows a sweep wrote (OUT/<policy>/<seed>.json, `ksim run --json`) and prints,
// per policy, the mean ± sample sd over the seeds (markdown table): the GPU columns, or with
// `churn` as second argument the pods never placed (submitted − bound), the p99 wait and the
// evicted pods.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'results/fgd-openb';
const churn = process.argv[3] === 'churn';
const cols = churn ? ['pods_never_placed', 'sched_latency_p99_ms', 'pods_evicted'] : ['gpu_unallocated_at_100_pct', 'gpu_unallocated_at_130_pct', 'gpu_fragmentation_at_100_pct'];
const fmt = (xs) => {
  const m = xs.reduce((a, x) => a + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) : 0;
  return `${m.toFixed(2)} ± ${sd.toFixed(2)}`;
};
console.log(`| policy | runs | ${cols.join(' | ')} |`);
console.log(`|---|---|${cols.map(() => '---').join('|')}|`);
for (const policy of ['random', 'dotprod', 'gpuclustering', 'gpupacking', 'bestfit', 'fgd']) {
  let files;
  try {
    files = readdirSync(join(out, policy)).filter((f) => f.endsWith('.json'));
  } catch {
    continue;
  }
  // A run still going (or failed) has an empty file: left out.
  const texts = files.map((f) => readFileSync(join(out, policy, f), 'utf8')).filter((t) => t.trim() !== '');
  const rows = texts.map((t) => JSON.parse(t)).map((r) => ({ ...r, pods_never_placed: r.pods_submitted - r.pods_bound }));
  console.log(`| ${policy} | ${rows.length} | ${cols.map((c) => fmt(rows.map((r) => r[c]).filter((x) => typeof x === 'number'))).join(' | ')} |`);
}
