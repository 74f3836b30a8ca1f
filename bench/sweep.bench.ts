// `npm run bench:sweep`: a 100-run sweep of scenarios/quickstart.yaml (seeds 1-100, every run
// writing its folder) with 1 worker and with 2, through the library's runSweep. Prints runs/s
// per worker count, the speed-up, the process CPU time (all threads) and the load average
// before and after each sweep (the machine may be shared: a loaded machine cannot show the
// speed-up). Issue 10's target: 2 workers at least 1.6× faster than 1. Then the same for a
// sweep of longer runs (bench/capacity-1000.yaml, seeds 1-6, ~4 s of CPU a run), where each
// worker's fixed start-up cost (module loading, JIT warm-up) weighs less.
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../src/sweep/sweep.js';
import { parseSeeds } from '../src/sweep/plan.js';

const SCENARIO = fileURLToPath(new URL('../../scenarios/quickstart.yaml', import.meta.url));
const SEEDS = process.env['KSIM_SWEEP_SEEDS'] ?? '1-100';
const LONG_SCENARIO = fileURLToPath(new URL('../../bench/capacity-1000.yaml', import.meta.url));
const LONG_SEEDS = '1-6';

async function sweep(workers: number, scenario = SCENARIO, seeds = SEEDS): Promise<{ runsPerS: number; wallS: number; cpuS: number; load: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-bench-sweep-'));
  const before = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const r = await runSweep({ scenario, seeds: parseSeeds(seeds), output: join(dir, 'out'), workers, options: { checkInvariants: false } });
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (r.statuses.some((s) => s !== 'ok')) throw new Error('a run failed');
    return { runsPerS: r.runs.length / wallS, wallS, cpuS: (cpu.user + cpu.system) / 1e6, load: `${before.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compare(title: string, scenario: string, seeds: string, target: number | null): Promise<void> {
  const one = await sweep(1, scenario, seeds);
  const two = await sweep(2, scenario, seeds);
  console.log(title);
  const rows = [['workers', 'runs/s', 'wall s', 'CPU s', 'load avg (1 min)'], ...[[1, one], [2, two]].map(([w, r]) => {
    const x = r as typeof one;
    return [String(w), x.runsPerS.toFixed(2), x.wallS.toFixed(1), x.cpuS.toFixed(1), x.load];
  })];
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(8) : c.padStart(17))).join(''));
  const speedup = two.runsPerS / one.runsPerS;
  const verdict = target === null ? '(no target)' : `(target ≥ ${target}×: ${speedup >= target ? 'met' : 'missed'})`;
  console.log(`speed-up 2 vs 1 worker: ${speedup.toFixed(2)}× ${verdict}`);
}

await compare(`quickstart, seeds ${SEEDS}`, SCENARIO, SEEDS, 1.6);
if (process.env['KSIM_SWEEP_SEEDS'] === undefined) await compare(`bench/capacity-1000.yaml (longer runs), seeds ${LONG_SEEDS}`, LONG_SCENARIO, LONG_SEEDS, null);
