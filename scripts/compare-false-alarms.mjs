#!/usr/bin/env node
// How often `ksim compare` calls a change significant when there is none: the candidate sweep is
// the base plus noise (paired: the same seeds, seed i at its own level 100 + 20·i, and the
// candidate that plus noise; unpaired: other seeds, both sides drawn from one population: a
// random level plus noise), written as sweep.csv files and compared by compare(),
// as the tester measured the old median bootstrap (52 % at 2 pairs, 25 % at 3, 14 % at 4, 6 % at
// 6, 3 % at 10). Prints one row per noise shape: the share significant at 2, 3, 4, 6, 10, 20 and
// 40 pairs (runs a side), nominal 5 %. Seeded: the same numbers every time.
// `power [TRIALS=1000]` instead: how often a real change, a shift of one standard deviation of
// normal noise, is called significant by compare's paired test and by Student t, at 6–20 pairs.
// Usage: npm run build && node scripts/compare-false-alarms.mjs [TRIALS=2000] [NOISE ...]
//        node scripts/compare-false-alarms.mjs power [TRIALS=1000]
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare } from '../dist/src/index.js';
import { RandomStreams } from '../dist/src/engine/random.js';

if (process.argv[2] === 'power') {
  const { pairedMeanChange, studentTQuantile } = await import('../dist/src/sweep/intervals.js');
  const n = Number(process.argv[3] ?? 1000);
  const rng = new RandomStreams(1).stream('power');
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  console.log(`share of ${n} comparisons of a one-sd shift (normal noise) called significant`);
  for (const pairs of [6, 7, 8, 10, 20]) {
    let compared = 0;
    let t = 0;
    for (let k = 0; k < n; k++) {
      const d = Array.from({ length: pairs }, () => 1 + gauss());
      if (pairedMeanChange(new Array(pairs).fill(0), d).significant) compared++;
      const m = d.reduce((a, b) => a + b) / pairs;
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (pairs - 1));
      if (Math.abs(m) > (studentTQuantile(0.975, pairs - 1) * sd) / Math.sqrt(pairs)) t++;
    }
    console.log(`${String(pairs).padStart(3)} pairs: compare (sign-flip) ${(compared / n * 100).toFixed(1)} %, Student t ${(t / n * 100).toFixed(1)} %`);
  }
  process.exit(0);
}
const trials = Number(process.argv[2] ?? 2000);
const SIZES = [2, 3, 4, 6, 10, 20, 40];
/** Noise shapes, each with mean 0 and symmetric but the last. */
const NOISES = {
  normal: (r) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next()),
  uniform: (r) => 2 * r.next() - 1,
  laplace: (r) => {
    const u = r.next() - 0.5;
    return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  },
  // A count that moves by one either way or not at all, and one that always moves by 5.
  'integer -1/0/+1': (r) => r.int(3) - 1,
  'two-point ±5': (r) => (r.next() < 0.5 ? -5 : 5),
  // Skewed runs, the same on both sides: a seed's two runs are exchangeable, as with no change,
  // so their difference is symmetric (the sign-flip test's null).
  'exponential − exponential': (r) => Math.log(1 - r.next()) - Math.log(1 - r.next()),
  // Skewed differences of mean 0: not what two exchangeable runs give, a change of shape.
  'skewed (exponential − 1)': (r) => -Math.log(1 - r.next()) - 1,
};
const chosen = process.argv.slice(3);

// Many small files: in memory where the machine has a tmpfs.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ksim-false-alarms-'));
function write(name, seeds, values) {
  mkdirSync(join(dir, name), { recursive: true });
  const rows = values.map((v, i) => `r${i + 1},${seeds[i]},ok,s,${+v.toFixed(6)}`);
  writeFileSync(join(dir, name, 'sweep.csv'), `run_id,seed,status,scenario,sched_latency_p99_ms\n${rows.join('\n')}\n`);
  return join(dir, name);
}

console.log(`share of ${trials} comparisons of pure noise called significant (nominal 0.05)`);
console.log(`${'noise'.padEnd(26)}${'test'.padEnd(10)}${SIZES.map((n) => `n=${n}`.padStart(8)).join('')}`);
for (const [name, noise] of Object.entries(NOISES)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  for (const paired of [true, false]) {
    const rng = new RandomStreams(1).stream(`${name}:${paired}`);
    const rates = SIZES.map((n) => {
      let significant = 0;
      const seeds = Array.from({ length: n }, (_, i) => i + 1);
      for (let t = 0; t < trials; t++) {
        const level = (i) => 100 + 20 * (paired ? i : rng.int(n));
        const base = seeds.map((_, i) => level(i) + 5 * noise(rng));
        const cand = paired ? base.map((b) => b + noise(rng)) : seeds.map((_, i) => level(i) + 5 * noise(rng));
        const r = compare(write('b', seeds, base), write('c', paired ? seeds : seeds.map((s) => s + 1000), cand));
        if (r.metrics[0].significant) significant++;
      }
      return significant / trials;
    });
    console.log(`${name.padEnd(26)}${(paired ? 'paired' : 'unpaired').padEnd(10)}${rates.map((x) => x.toFixed(3).padStart(8)).join('')}`);
  }
}
rmSync(dir, { recursive: true, force: true });
