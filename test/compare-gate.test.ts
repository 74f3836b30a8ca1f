// `ksim compare --fail-on` as a CI gate, on sweep.csv files written here (as a tester's
// generator wrote them): a regression that hits a minority of seeds fails it (the mean per-seed
// change; the median was blind to it), a no-op change passes, a change beyond the bound that too
// few pairs cannot judge fails closed, and runs that failed are named in every output format: a
// failed candidate run fails the gate, a failed base run does not but is never passed over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(...args: string[]) {
  // A wide table (one line per metric), whatever the terminal: the layout at 80 columns is
  // src/cli/compare-command.test.ts's.
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: '400' } });
}

const dir = tempDir('ksim-compare-gate-');

/** A sweep folder: one run per value of pods_unbound_end (seeds 1, 2, ... unless given), every
 * run's sched_latency_p99_ms 120 ms; a run listed in `failed` has status error and no values. */
function sweep(name: string, unbound: readonly number[], opts: { failed?: readonly number[]; firstSeed?: number } = {}): string {
  const out = join(dir, name);
  mkdirSync(out);
  const rows = unbound.map((v, i) => {
    const seed = (opts.firstSeed ?? 1) + i;
    return opts.failed?.includes(seed) === true ? `r${i + 1},${seed},error,s,,` : `r${i + 1},${seed},ok,s,${v},120`;
  });
  writeFileSync(join(out, 'sweep.csv'), `run_id,seed,status,scenario,pods_unbound_end,sched_latency_p99_ms\n${rows.join('\n')}\n`);
  return out;
}

const zeros = (n: number) => new Array<number>(n).fill(0);
// 40 seeds: the base leaves no pod unbound; the candidate leaves 5 on 19 of them (the others
// unchanged, none better). The median per-seed change is 0; the mean is 19 × 5 / 40 = +2.375.
const base40 = sweep('base40', zeros(40));
const minority = sweep('minority', [...zeros(21), ...new Array<number>(19).fill(5)]);

interface Json {
  test: string;
  interval: string;
  metrics: { metric: string; base: number; candidate: number; difference: number; n_base: number; n_candidate: number; ci_low: number | null; ci_high: number | null; significant: boolean; interval: string | null }[];
  dropped_runs: { side: string; runs: number; by_status: Record<string, number>; seeds: string[] }[];
  fail_on: Record<string, unknown>[];
  regression: boolean;
  gate: string | null;
}

test('19 of 40 seeds 5 pods worse: the mean change +2.375, sign-flip interval [+1.563, +3.182], fails --fail-on pods_unbound_end:+1 (exit 3)', () => {
  const r = ksim('compare', base40, minority, '--fail-on', 'pods_unbound_end:+1');
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stderr, 'ksim: regression: pods_unbound_end +2.375 crosses pods_unbound_end:+1 (significant)\n');
  // 40 pairs: the interval from 65,535 drawn subsets (intervals.test.ts), 1.5625 to 35/11; the
  // t interval was [+1.566, +3.184].
  assert.match(r.stdout, /\n {2}metric +pairs +base mean +candidate mean +change +change % +95% CI of change +significant\n {2}pods_unbound_end +40 +0 +2\.375 +\+2\.375 +\+inf% +\[\+1\.563, \+3\.182\] +yes\n {2}sched_latency_p99_ms +40 +120 +120 +0 +0\.0% +\[0, 0\] +no\n/);
  assert.match(r.stdout, /\n--fail-on pods_unbound_end:\+1: FAILED: pods_unbound_end \+2\.375 crosses pods_unbound_end:\+1 \(significant\)\n$/);
  const j = JSON.parse(ksim('compare', base40, minority, '--fail-on', 'pods_unbound_end:+1', '-o', 'json').stdout) as Json;
  assert.deepEqual([j.test, j.interval, j.regression, j.gate], ['paired', 'sign-flip', true, 'failed']);
  const m = j.metrics[0]!;
  assert.deepEqual([m.base, m.candidate, m.difference, m.n_base, m.ci_low, m.ci_high, m.interval], [0, 2.375, 2.375, 40, 1.5625, 35 / 11, 'sign-flip']);
  // A bound above the change passes: +2.375 does not cross +3.
  assert.equal(ksim('compare', base40, minority, '--fail-on', 'pods_unbound_end:+3').status, 0);
});

test('a skewed count, worse on 6 of 10 seeds and better on none (0, 1, 0, 0, 5, 5, 19, 3, 3, 0 more unbound): the gate fails (t\'s interval [-0.53, +7.73] let it through)', () => {
  const base10 = sweep('base10', [3, 7, 1, 0, 2, 4, 0, 6, 5, 2]);
  const worse = sweep('worse10', [3, 8, 1, 0, 7, 9, 19, 9, 8, 2]);
  const r = ksim('compare', base10, worse, '--fail-on', 'pods_unbound_end:+1', '-o', 'json');
  assert.equal(r.status, 3, r.stderr);
  const m = (JSON.parse(r.stdout) as Json).metrics[0]!;
  // p = 2 × 16/1024: only flipping zeros reaches the sum 36; the interval runs from the 25th
  // smallest subset mean, 1/3, to the 25th largest, 8.
  assert.deepEqual([m.difference, m.ci_low, m.ci_high, m.significant, m.interval], [3.6, 1 / 3, 8, true, 'sign-flip']);
  // The same seeds with one better by 3 instead of worse by 3: p = 0.125, the gate passes.
  const mixed = sweep('mixed10', [3, 8, 1, 0, 7, 9, 19, 9, 2, 2]);
  assert.equal(ksim('compare', base10, mixed, '--fail-on', 'pods_unbound_end:+1').status, 0);
});

test('unpaired (other seeds), the same minority: means 0 and 2.375, Welch interval [+1.566, +3.184], the gate fails too', () => {
  const other = sweep('minority-other-seeds', [...zeros(21), ...new Array<number>(19).fill(5)], { firstSeed: 41 });
  const r = ksim('compare', base40, other, '--fail-on', 'pods_unbound_end:+1', '-o', 'json');
  assert.equal(r.status, 3, r.stderr);
  const j = JSON.parse(r.stdout) as Json;
  assert.deepEqual([j.test, j.interval], ['unpaired', 'welch-t']);
  // The base has no spread: Welch's degrees of freedom are the candidate's 39, its interval the paired one's.
  const m = j.metrics[0]!;
  assert.deepEqual([m.base, m.candidate, m.difference, m.n_base, m.n_candidate], [0, 2.375, 2.375, 40, 40]);
  assert.ok(Math.abs(m.ci_low! - 1.5662883820382523) < 1e-9 && Math.abs(m.ci_high! - 3.1837116179617477) < 1e-9, JSON.stringify(m));
});

test('a no-op change (the same values on every seed) passes: every change 0, interval [0, 0], "No regression."', () => {
  const same = sweep('same', [...zeros(21), ...new Array<number>(19).fill(5)]);
  const r = ksim('compare', minority, same, '--fail-on', 'pods_unbound_end:+1', '--fail-on', 'sched_latency_p99_ms:+0%', '-o', 'markdown');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^### ksim compare: `.*minority` → `.*same`\n\n\*\*No regression\.\*\*\n\n- --fail-on pods_unbound_end:\+1: passed\n- --fail-on sched_latency_p99_ms:\+0%: passed\n\n/);
  assert.match(r.stdout, /\n\| pods_unbound_end \| 40 \| 2\.375 \| 2\.375 \| 0 \| 0\.0% \| \[0, 0\] \| no \|\n/);
});

test('the same change on every one of 4 pairs, beyond the bound: no interval, so the gate cannot pass (exit 3); on 6 pairs it is significant', () => {
  const r = ksim('compare', sweep('base4', zeros(4)), sweep('plus5x4', [5, 5, 5, 5]), '--fail-on', 'pods_unbound_end:+1');
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stderr, 'ksim: --fail-on pods_unbound_end:+1 cannot pass: pods_unbound_end +5 (4 pairs, no interval: the same change on every pair is significant from 6 pairs): too few to tell from noise, add seeds\n');
  assert.match(r.stdout, /\n {2}pods_unbound_end +4 +0 +5 +\+5 +\+inf% +- +no\n/);
  // Within the bound it passes: nothing beyond it to judge.
  assert.equal(ksim('compare', join(dir, 'base4'), join(dir, 'plus5x4'), '--fail-on', 'pods_unbound_end:+5').status, 0);
  const six = ksim('compare', sweep('base6', zeros(6)), sweep('plus5x6', new Array<number>(6).fill(5)), '--fail-on', 'pods_unbound_end:+1');
  assert.equal(six.status, 3);
  assert.equal(six.stderr, 'ksim: regression: pods_unbound_end +5 crosses pods_unbound_end:+1 (significant)\n');
  assert.match(six.stdout, /\n {2}pods_unbound_end +6 +0 +5 +\+5 +\+inf% +\[\+5, \+5\] +yes\n/);
});

test('a change beyond the bound that its interval cannot tell from noise passes, and the gate line says so', () => {
  // Differences 0, 4, -1, 3: mean +1.5, sd 2.38, t(0.975, 3) = 3.18: [-2.29, +5.29].
  const r = ksim('compare', sweep('base-noisy', zeros(4)), sweep('noisy', [0, 4, -1, 3]), '--fail-on', 'pods_unbound_end:+1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\n--fail-on pods_unbound_end:\+1: passed, beyond the bound but not significant: pods_unbound_end \+1\.5 \(4 pairs, 95% CI \[-2\.288, \+5\.288\]\)\n$/);
});

test('a candidate that failed 2 of 8 runs fails the gate (exit 3), and every format names the failed runs', () => {
  const base8 = sweep('base8', zeros(8));
  const crashing = sweep('crashing', zeros(8), { failed: [3, 7] });
  const failed = '2 of 8 candidate runs failed (2 error; seeds 3, 7)';
  const md = ksim('compare', base8, crashing, '--fail-on', 'pods_unbound_end:+1', '-o', 'markdown');
  assert.equal(md.status, 3, md.stderr);
  assert.equal(md.stderr, `ksim: warning: ${failed} and are left out of the comparison: see the status column of ${crashing}/sweep.csv\nksim: gate failed: ${failed}: a candidate that fails runs cannot pass\n`);
  assert.match(md.stdout, new RegExp(`^### ksim compare: \`.*base8\` → \`.*crashing\`\\n\\n\\*\\*Gate failed: ${esc(failed)}\\.\\*\\*\\n\\n- --fail-on pods_unbound_end:\\+1: passed\\n- candidate runs: FAILED: ${esc(failed)}\\n\\n`));
  assert.match(md.stdout, new RegExp(`\\n\\*\\*Failed runs, left out of the comparison: ${esc(failed)}\\.\\*\\*\\n`));
  assert.match(md.stdout, /\n\| pods_unbound_end \| 6 \| 0 \| 0 \| 0 \| 0\.0% \| \[0, 0\] \| no \|\n/);
  const table = ksim('compare', base8, crashing, '--fail-on', 'pods_unbound_end:+1');
  assert.equal(table.status, 3);
  assert.match(table.stdout, new RegExp(`\\n {2}Failed runs, left out of the comparison: ${esc(failed)}\\n`));
  assert.match(table.stdout, new RegExp(`\\ncandidate runs: FAILED: ${esc(failed)}\\n$`));
  const csv = ksim('compare', base8, crashing, '--fail-on', 'pods_unbound_end:+1', '-o', 'csv');
  assert.equal(csv.status, 3);
  assert.match(csv.stdout, /^metric,.*,test,interval,failed_base,failed_candidate\npods_unbound_end,0,0,0,0,6,6,0,0,false,paired,sign-flip,0,2\n/);
  const j = JSON.parse(ksim('compare', base8, crashing, '--fail-on', 'pods_unbound_end:+1', '-o', 'json').stdout) as Json;
  assert.deepEqual(j.dropped_runs, [{ side: 'candidate', runs: 8, by_status: { error: 2 }, seeds: ['3', '7'] }]);
  assert.deepEqual([j.regression, j.gate], [false, 'failed']);
  // Without --fail-on there is no gate: exit 0, the failed runs still named.
  const plain = ksim('compare', base8, crashing, '-o', 'markdown');
  assert.equal(plain.status, 0);
  assert.match(plain.stdout, new RegExp(`\\n\\*\\*Failed runs, left out of the comparison: ${esc(failed)}\\.\\*\\*\\n`));
});

test('a base that failed 2 of 8 runs: the gate passes on the seeds compared and says which were left out', () => {
  const r = ksim('compare', sweep('base-crashing', zeros(8), { failed: [2, 5] }), sweep('cand8', zeros(8)), '--fail-on', 'pods_unbound_end:+1', '-o', 'markdown');
  assert.equal(r.status, 0, r.stderr);
  const failed = '2 of 8 base runs failed (2 error; seeds 2, 5)';
  assert.match(r.stdout, new RegExp(`^### ksim compare: .*\\n\\n\\*\\*No regression in the seeds compared\\*\\*; ${esc(failed)} and were left out\\.\\n\\n- --fail-on pods_unbound_end:\\+1: passed\\n- base runs: ${esc(failed)}: their seeds are left out, not held against the candidate\\n\\n`));
});

test('--resamples and --seed are accepted for old scripts, with a warning that they do nothing', () => {
  const r = ksim('compare', base40, minority, '--resamples', '500', '--seed', '3', '-o', 'csv');
  assert.equal(r.status, 0);
  assert.equal(r.stderr, "ksim: warning: --resamples has no effect: compare no longer resamples: its intervals are exact, not a bootstrap (README, ksim compare)\n"
    + "ksim: warning: --seed has no effect: compare no longer resamples: its intervals are exact, not a bootstrap (README, ksim compare)\n");
  assert.equal(r.stdout, ksim('compare', base40, minority, '-o', 'csv').stdout);
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('a matrix cell only one sweep ran is shown (its other side empty) and named as the reason the gate cannot pass', () => {
  const matrixSweep = (name: string, counts: readonly number[]) => {
    const out = join(dir, name);
    mkdirSync(out);
    const rows = counts.flatMap((c, k) => [1, 2].map((seed, i) => `r${2 * k + i + 1},${seed},${c},ok,s,0,120`));
    writeFileSync(join(out, 'sweep.csv'), `run_id,seed,cluster.nodePools[0].count,status,scenario,pods_unbound_end,sched_latency_p99_ms\n${rows.join('\n')}\n`);
    return out;
  };
  const r = ksim('compare', matrixSweep('m23', [2, 3]), matrixSweep('m34', [3, 4]), '--fail-on', 'pods_unbound_end:+1', '-o', 'json');
  assert.equal(r.status, 3);
  const j = JSON.parse(r.stdout) as { metrics: { group: string; n_base: number; n_candidate: number }[] };
  // Unpaired (the cells differ), every cell of either side: count=4 is the candidate's alone.
  assert.deepEqual([...new Set(j.metrics.map((m) => `${m.group} ${m.n_base}/${m.n_candidate}`))], ['cluster.nodePools[0].count=2 2/0', 'cluster.nodePools[0].count=3 2/2', 'cluster.nodePools[0].count=4 0/2']);
  assert.equal(r.stderr, 'ksim: --fail-on pods_unbound_end:+1 cannot pass: cluster.nodePools[0].count=2: no runs could be compared: the candidate sweep has no runs in this matrix cell; cluster.nodePools[0].count=4: no runs could be compared: the base sweep has no runs in this matrix cell\n');
});

test('a crossing is written with enough decimals to read beyond its bound: +5.40541% crosses +5.4054% (it read +5.4%), +0.05 crosses +0.0499', () => {
  const latency = (name: string, v: number) => {
    const out = join(dir, name);
    mkdirSync(out);
    const rows = [1, 2, 3, 4, 5, 6].map((seed) => `r${seed},${seed},ok,s,0,${v}`);
    writeFileSync(join(out, 'sweep.csv'), `run_id,seed,status,scenario,pods_unbound_end,sched_latency_p99_ms\n${rows.join('\n')}\n`);
    return out;
  };
  // 111 → 117 ms on every seed: +5.405405...%.
  const base = latency('lat-base', 111);
  const cand = latency('lat-cand', 117);
  const r = ksim('compare', base, cand, '--fail-on', 'sched_latency_p99_ms:+5.4054%', '--fail-on', 'sched_latency_p99_ms:+5%', '--fail-on', 'sched_latency_p99_ms:+5.99');
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stderr, 'ksim: regression: sched_latency_p99_ms +5.40541% crosses sched_latency_p99_ms:+5.4054% (significant); sched_latency_p99_ms +5.4% crosses sched_latency_p99_ms:+5% (significant); sched_latency_p99_ms +6 crosses sched_latency_p99_ms:+5.99 (significant)\n');
});

test('a --fail-on metric no run of either side has a value of is a usage mistake (exit 2, naming the metric and how to get it), not a regression; the candidate alone lacking values still fails the gate (exit 3)', () => {
  const costSweep = (name: string, cost: string) => {
    const out = join(dir, name);
    mkdirSync(out);
    const rows = [1, 2, 3, 4].map((seed) => `r${seed},${seed},ok,s,0,${cost}`);
    writeFileSync(join(out, 'sweep.csv'), `run_id,seed,status,scenario,pods_unbound_end,cost_per_hour\n${rows.join('\n')}\n`);
    return out;
  };
  const noCostBase = costSweep('nocost-base', '');
  const noCostCand = costSweep('nocost-cand', '');
  const r = ksim('compare', noCostBase, noCostCand, '--fail-on', 'cost_per_hour:+5%', '--fail-on', 'pods_unbound_end:+1');
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'ksim: --fail-on cost_per_hour:+5%: expected a metric the compared runs have values of, got no cost_per_hour value in any of the 4 base and 4 candidate runs (nothing to gate on): cost_per_hour is written only when node pools have a costPerHour (cluster.nodePools[].costPerHour, one node\'s price per hour; README, summary.csv)\n');
  // Two runs, the same.
  const runDir = (name: string) => {
    const out = join(dir, name);
    mkdirSync(out);
    writeFileSync(join(out, 'summary.csv'), 'scenario,seed,pods_unbound_end,cost_per_hour\ns,1,0,\n');
    return out;
  };
  const runs = ksim('compare', runDir('nocost-run-a'), runDir('nocost-run-b'), '--fail-on', 'cost_per_hour:+5%');
  assert.equal(runs.status, 2, runs.stderr);
  assert.match(runs.stderr, /^ksim: --fail-on cost_per_hour:\+5%: expected a metric the compared runs have values of, got no cost_per_hour value in the base run or the candidate run \(nothing to gate on\): cost_per_hour is written only when /);
  // A column neither side wrote (GPU sharing's) is the same mistake.
  const gpu = ksim('compare', noCostBase, noCostCand, '--fail-on', 'gpu_unallocated_at_100_pct:+1');
  assert.equal(gpu.status, 2, gpu.stderr);
  assert.match(gpu.stderr, /got no gpu_unallocated_at_100_pct value in any of the 4 base and 4 candidate runs \(nothing to gate on\): gpu_unallocated_at_100_pct is written only in runs where a profile enables Open-Gpu-Share/);
  // The base priced, the candidate not: the candidate's empty values cannot be judged (exit 3).
  const cand = ksim('compare', costSweep('cost-base', '1.52'), noCostCand, '--fail-on', 'cost_per_hour:+5%');
  assert.equal(cand.status, 3, cand.stderr);
  assert.match(cand.stderr, /cannot pass: 4 of 4 candidate runs have no cost_per_hour value \(seeds 1, 2, 3, 4\): an empty value cannot be judged/);
});
