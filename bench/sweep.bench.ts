// `npm run bench:sweep`: a 100-run sweep of scenarios/quickstart.yaml (seeds 1-100, every run
// writing its folder) with 1 worker and with 2, through the library's runSweep. Prints runs/s
// per worker count, the speed-up, the process CPU time (all threads) and the load average
// before and after each sweep (the machine may be shared: a loaded machine cannot show the
// speed-up). Issue 10's target: 2 workers at least 1.6× faster than 1.
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../src/sweep/sweep.js';
import { parseSeeds } from '../src/sweep/plan.js';

const SCENARIO = fileURLToPath(new URL('../../scenarios/quickstart.yaml', import.meta.url));
const SEEDS = process.env['KSIM_SWEEP_SEEDS'] ?? '1-100';

async function sweep(workers: number): Promise<{ runsPerS: number; wallS: number; cpuS: number; load: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-bench-sweep-'));
  const before = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const r = await runSweep({ scenario: SCENARIO, seeds: parseSeeds(SEEDS), output: join(dir, 'out'), workers, options: { checkInvariants: false } });
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (r.statuses.some((s) => s !== 'ok')) throw new Error('a run failed');
    return { runsPerS: r.runs.length / wallS, wallS, cpuS: (cpu.user + cpu.system) / 1e6, load: `${before.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const one = await sweep(1);
const two = await sweep(2);
const rows = [['workers', 'runs/s', 'wall s', 'CPU s', 'load avg (1 min)'], ...[[1, one], [2, two]].map(([w, r]) => {
  const x = r as typeof one;
  return [String(w), x.runsPerS.toFixed(2), x.wallS.toFixed(1), x.cpuS.toFixed(1), x.load];
})];
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(8) : c.padStart(16))).join(''));
const speedup = two.runsPerS / one.runsPerS;
console.log(`speed-up 2 vs 1 worker: ${speedup.toFixed(2)}× (target ≥ 1.6×: ${speedup >= 1.6 ? 'met' : 'missed'})`);
