// `ksim compare` of two sweeps that ran the same seeds pairs the runs by seed (issue 10): on
// hand-written sweep.csv files, a small consistent worsening that the unpaired test cannot tell
// from the spread between seeds is flagged by the paired one (exit 3 with --fail-on), identical
// sweeps still pass, and sweeps whose seeds differ fall back to the unpaired test, saying so.
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

const dir = tempDir('ksim-compare-paired-');

/** A sweep folder whose sweep.csv has one run per [seed, value] (and status ok unless given). */
function sweep(name: string, runs: readonly (readonly [seed: number, p99: number | '', status?: string])[]): string {
  const out = join(dir, name);
  mkdirSync(out);
  const rows = runs.map(([seed, v, status], i) => `r${i + 1},${seed},${status ?? 'ok'},s,${v}`);
  writeFileSync(join(out, 'sweep.csv'), `run_id,seed,status,scenario,sched_latency_p99_ms\n${rows.join('\n')}\n`);
  return out;
}

// Seeds 1-6: 10 … 30 ms between seeds (each seed is another workload), and the candidate 0.3 to
// 0.7 ms slower on every one of them: per-seed differences 0.5 0.6 0.4 0.5 0.7 0.3, their mean
// +0.5 ms, +2.5 % of the base mean (20 ms); the candidate's mean is 20.5.
// (These tests used to expect medians and a bootstrap interval of the median difference; compare
// now reports means and Student t / Welch intervals, intervals.ts says why. The values below are
// recomputed by hand and with SciPy 1.17: stats.t.ppf, ttest_ind(equal_var=False).)
const BASE = [10, 14, 18, 22, 26, 30];
const SLOWER = [10.5, 14.6, 18.4, 22.5, 26.7, 30.3];
const base = sweep('base', BASE.map((v, i) => [i + 1, v] as const));
const slower = sweep('slower', SLOWER.map((v, i) => [i + 1, v] as const));
const otherSeeds = sweep('other-seeds', SLOWER.map((v, i) => [i + 7, v] as const));

interface Json {
  test: string;
  unpaired_because?: string;
  metrics: { metric: string; base: number; candidate: number; difference: number; change_ratio: number; n_base: number; ci_low: number; ci_high: number; significant: boolean }[];
  regression: boolean;
}

test('the same seeds: runs paired by seed; the +0.5 ms on every seed is significant (sign-flip interval [0.3, 0.7]) and crosses +2%', () => {
  const r = ksim('compare', base, slower, '--fail-on', 'sched_latency_p99_ms:+2%', '-o', 'json');
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stderr, 'ksim: regression: sched_latency_p99_ms +2.5% crosses sched_latency_p99_ms:+2% (significant)\n');
  const j = JSON.parse(r.stdout) as Json;
  assert.equal(j.test, 'paired');
  const m = j.metrics[0]!;
  assert.deepEqual([m.base, m.n_base], [20, 6]);
  assert.ok(Math.abs(m.candidate - 20.5) < 1e-12 && Math.abs(m.difference - 0.5) < 1e-12 && Math.abs(m.change_ratio - 0.025) < 1e-12, JSON.stringify(m));
  // 6 pairs: the sign-flip interval is [smallest, largest] difference (⌊0.025 × 64⌋ = 1); the
  // t interval was 0.5 ± 2.5706 × 0.1414 / √6 = [0.352, 0.648].
  assert.ok(Math.abs(m.ci_low - 0.3) < 1e-9 && Math.abs(m.ci_high - 0.7) < 1e-9, JSON.stringify(m));
  assert.equal(m.significant, true);
});

test('other seeds: the unpaired test (means 20 and 20.5, Welch interval [-9.107, +10.107]) cannot tell the change from the spread between seeds; exit 0', () => {
  const r = ksim('compare', base, otherSeeds, '--fail-on', 'sched_latency_p99_ms:+2%', '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Json;
  assert.equal(j.test, 'unpaired');
  assert.equal(j.unpaired_because, 'the seeds differ');
  const m = j.metrics[0]!;
  assert.equal(m.base, 20);
  assert.ok(Math.abs(m.candidate - 20.5) < 1e-12, String(m.candidate));
  assert.ok(Math.abs(m.ci_low + 9.10689286657406) < 1e-9 && Math.abs(m.ci_high - 10.10689286657406) < 1e-9, JSON.stringify(m));
  assert.equal(m.significant, false);
  // The table says which test it used.
  assert.match(ksim('compare', base, otherSeeds).stdout, /^ksim compare \(sweeps\): .* → .*\n {2}unpaired \(the seeds differ\): means over the ok runs \(n = base\/candidate\); change = the difference of the means, with its 95% Welch t interval;/);
});

test('identical sweeps: every per-seed difference is 0, the interval is the point 0, exit 0', () => {
  const again = sweep('again', BASE.map((v, i) => [i + 1, v] as const));
  const r = ksim('compare', base, again, '--fail-on', 'sched_latency_p99_ms:+0%', '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const m = (JSON.parse(r.stdout) as Json).metrics[0]!;
  assert.deepEqual([m.difference, m.ci_low, m.ci_high, m.significant], [0, 0, 0, false]);
});

test('a run failed on one side drops its seed from the pairs, and every format says so; the table and markdown name the paired test', () => {
  const failed = sweep('failed', SLOWER.map((v, i) => (i === 5 ? [6, '', 'error'] as const : [i + 1, v] as const)));
  const j = JSON.parse(ksim('compare', base, failed, '-o', 'json').stdout) as Json;
  assert.equal(j.test, 'paired');
  const m = j.metrics[0]!;
  // Seeds 1-5: base mean 18, candidate mean 18.54; differences 0.5 0.6 0.4 0.5 0.7 → mean 0.54,
  // +3.0 %; sd 0.1140, t(0.975, 4) = 2.7764: 0.54 ± 0.1416 → [0.398429, 0.681571].
  assert.equal(m.n_base, 5);
  assert.equal(m.base, 18);
  assert.ok(Math.abs(m.candidate - 18.54) < 1e-12 && Math.abs(m.difference - 0.54) < 1e-12, JSON.stringify(m));
  const table = ksim('compare', base, failed).stdout;
  assert.match(table, /\n {2}paired by seed: means over the seeds ok in both sweeps \(pairs\); change = the mean per-seed difference, with the 95% interval of the exact sign-flip test \(Student t below 6 pairs\); significant when it excludes 0\n {2}Failed runs, left out of the comparison: 1 of 6 candidate runs failed \(1 error; seed 6\)\n/);
  assert.match(table, /\n {2}metric +pairs +base mean +candidate mean +change +change % +95% CI of change +significant\n {2}sched_latency_p99_ms +5 +18 +18\.54 +\+0\.54 +\+3\.0% +\[\+0\.398429, \+0\.681571\] +yes\n/);
  const md = ksim('compare', base, failed, '-o', 'markdown').stdout;
  assert.match(md, /\nPaired by seed: means over the seeds ok in both sweeps/);
  assert.match(md, /\n\*\*Failed runs, left out of the comparison: 1 of 6 candidate runs failed \(1 error; seed 6\)\.\*\*\n/);
  const csv = ksim('compare', base, failed, '-o', 'csv').stdout;
  assert.equal(csv, 'metric,base,candidate,difference,change_ratio,n_base,n_candidate,ci_low,ci_high,significant,test,interval,failed_base,failed_candidate\nsched_latency_p99_ms,18,18.54,0.54,0.03,5,5,0.398429,0.681571,true,paired,student-t,0,1\n');
  const j2 = JSON.parse(ksim('compare', base, failed, '-o', 'json').stdout) as { dropped_runs: unknown[]; gate: unknown };
  assert.deepEqual(j2.dropped_runs, [{ side: 'candidate', runs: 6, by_status: { error: 1 }, seeds: ['6'] }]);
  assert.equal(j2.gate, null);
});

test('every candidate run failed: failed candidate runs and no pairs to judge fail the gate (exit 3); a warning names the failed runs', () => {
  const crashed = sweep('crashed', BASE.map((_, i) => [i + 1, '', i < 4 ? 'error' : 'crashed'] as const));
  const r = ksim('compare', base, crashed, '--fail-on', 'sched_latency_p99_ms:+5%');
  assert.equal(r.status, 3, r.stderr);
  const seeds = 'seeds 1, 2, 3, 4, 5, 6';
  assert.equal(r.stderr, `ksim: warning: 6 of 6 candidate runs failed (4 error, 2 crashed; ${seeds}) and are left out of the comparison: see the status column of ${crashed}/sweep.csv\n`
    + `ksim: gate failed: 6 of 6 candidate runs failed (4 error, 2 crashed; ${seeds}): a candidate that fails runs cannot pass; --fail-on sched_latency_p99_ms:+5% cannot pass: no pairs could be compared: 6 of 6 candidate runs dropped (4 error, 2 crashed; ${seeds})\n`);
  assert.ok(r.stdout.endsWith(`\n--fail-on sched_latency_p99_ms:+5%: FAILED: no pairs could be compared: 6 of 6 candidate runs dropped (4 error, 2 crashed; ${seeds})\ncandidate runs: FAILED: 6 of 6 candidate runs failed (4 error, 2 crashed; ${seeds})\n`), r.stdout);
  const j = JSON.parse(ksim('compare', base, crashed, '--fail-on', 'sched_latency_p99_ms:+5%', '-o', 'json').stdout) as { fail_on: unknown[]; gate: string };
  assert.deepEqual(j.fail_on, [{ bound: 'sched_latency_p99_ms:+5%', crossed: false, no_pairs: true }]);
  assert.equal(j.gate, 'failed');
  // Without --fail-on: the comparison (pairs 0) and the warning, exit 0.
  const plain = ksim('compare', base, crashed);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stderr, /^ksim: warning: 6 of 6 candidate runs failed \(4 error, 2 crashed; seeds 1, 2, 3, 4, 5, 6\) and are left out of the comparison: /);
});

test('sweeps made with different --set values (their sweep.json) are compared, with a warning naming the values that differ', () => {
  const manifest = (set: string[]) => `${JSON.stringify({ ksim_version: '0.1.0', seeds: [1, 2, 3, 4, 5, 6], matrix: [], set })}\n`;
  const a = sweep('set-a', BASE.map((v, i) => [i + 1, v] as const));
  const b = sweep('set-b', BASE.map((v, i) => [i + 1, v] as const));
  writeFileSync(join(a, 'sweep.json'), manifest(['duration=10m', 'cluster.nodePools[0].count=4']));
  writeFileSync(join(b, 'sweep.json'), manifest(['duration=20m', 'cluster.nodePools[0].count=4']));
  const r = ksim('compare', a, b);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `ksim: warning: the sweeps were made with different --set values (their sweep.json): base ${a} --set duration=10m, candidate ${b} --set duration=20m; their runs are compared all the same\n`);
  // One side without --sets at all, and the same sets in another order: none / no warning.
  writeFileSync(join(b, 'sweep.json'), manifest([]));
  assert.equal(ksim('compare', a, b).stderr, `ksim: warning: the sweeps were made with different --set values (their sweep.json): base ${a} --set duration=10m --set cluster.nodePools[0].count=4, candidate ${b} has none of the other's; their runs are compared all the same\n`);
  writeFileSync(join(b, 'sweep.json'), manifest(['cluster.nodePools[0].count=4', 'duration=10m']));
  assert.equal(ksim('compare', a, b).stderr, '');
  // The same values spelled differently: as YAML (04, "4"), a duration (600s), a quantity.
  writeFileSync(join(a, 'sweep.json'), manifest(['duration=10m', 'cluster.nodePools[0].count=4', 'cluster.nodePools[0].allocatable.cpu=2']));
  writeFileSync(join(b, 'sweep.json'), manifest(['duration="600s"', 'cluster.nodePools[0].count=04', 'cluster.nodePools[0].allocatable.cpu=2000m']));
  assert.equal(ksim('compare', a, b).stderr, '');
  writeFileSync(join(b, 'sweep.json'), manifest(['duration=601s', 'cluster.nodePools[0].count=4', 'cluster.nodePools[0].allocatable.cpu=2']));
  assert.equal(ksim('compare', a, b).stderr, `ksim: warning: the sweeps were made with different --set values (their sweep.json): base ${a} --set duration=10m, candidate ${b} --set duration=601s; their runs are compared all the same\n`);
  // No sweep.json (hand-made or an older ksim's): nothing to say.
  assert.equal(ksim('compare', a, base).stderr, '');
});

test('a side that is one shard of its sweep (sweep.json shard 1/2, not merged) is compared with a warning to merge first', () => {
  const a = sweep('shard-a', BASE.map((v, i) => [i + 1, v] as const));
  const b = sweep('shard-b', BASE.slice(0, 3).map((v, i) => [i + 1, v] as const));
  writeFileSync(join(b, 'sweep.json'), `${JSON.stringify({ ksim_version: '0.1.0', seeds: [1, 2, 3, 4, 5, 6], matrix: [], set: [], shard: { index: 1, count: 2 } })}\n`);
  const r = ksim('compare', a, b);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `ksim: warning: candidate ${b} is shard 1/2 of its sweep (its sweep.json): the other shards' runs are missing; merge them first (ksim merge SHARD... -o DIR) and compare the merged sweep\n`);
  // A whole sweep (shard null) says nothing.
  writeFileSync(join(b, 'sweep.json'), `${JSON.stringify({ ksim_version: '0.1.0', seeds: [1, 2, 3], matrix: [], set: [], shard: null })}\n`);
  assert.equal(ksim('compare', a, b).stderr, '');
});

test('a change from a base of 0: change_ratio is null in -o json (a number everywhere else; base 0 and the difference say which way), inf in -o csv', () => {
  const zero = sweep('zero', [1, 2, 3].map((s) => [s, 0] as const));
  const one = sweep('one', [1, 2, 3].map((s) => [s, 1] as const));
  const j = JSON.parse(ksim('compare', zero, one, '-o', 'json').stdout) as Json;
  assert.deepEqual([j.metrics[0]!.base, j.metrics[0]!.candidate, j.metrics[0]!.difference, j.metrics[0]!.change_ratio], [0, 1, 1, null]);
  const down = JSON.parse(ksim('compare', one, zero, '-o', 'json').stdout) as Json;
  assert.equal(down.metrics[0]!.change_ratio, -1);
  const csv = ksim('compare', zero, one, '-o', 'csv').stdout.split('\n');
  assert.match(csv[1]!, /^sched_latency_p99_ms,0,1,1,inf,/);
  // No change from 0 is a ratio of 0.
  assert.equal((JSON.parse(ksim('compare', zero, zero, '-o', 'json').stdout) as Json).metrics[0]!.change_ratio, 0);
});

test('matrix cells are paired each on its own: a cell whose runs pair (the same seeds on both sides) is paired though another cell is not, and every format says which test each cell used', () => {
  // Base count=3 and count=6, candidate count=3 and count=4, seeds 1-6 each: count=3 pairs
  // fully (the +0.5 ms a seed above: sign-flip interval [0.3, 0.7], significant); count=6 and
  // count=4 have one side only. Compared unpaired, count=3 was not significant ([-9.1, +10.1]).
  const matrixSweep = (name: string, cells: readonly (readonly [count: number, values: readonly number[]])[]) => {
    const out = join(dir, name);
    mkdirSync(out);
    const rows = cells.flatMap(([count, values], k) => values.map((v, i) => `r${k * 6 + i + 1},${i + 1},${count},ok,s,${v}`));
    writeFileSync(join(out, 'sweep.csv'), `run_id,seed,cluster.nodePools[1].count,status,scenario,sched_latency_p99_ms\n${rows.join('\n')}\n`);
    return out;
  };
  const b = matrixSweep('m36', [[3, BASE], [6, BASE]]);
  const c = matrixSweep('m34', [[3, SLOWER], [4, SLOWER]]);
  const r = ksim('compare', b, c, '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Omit<Json, 'metrics'> & { interval: string; cell_tests: unknown[]; metrics: (Json['metrics'][number] & { group: string; test: string; interval: string | null })[] };
  assert.deepEqual([j.test, j.interval, j.unpaired_because], ['mixed', 'mixed', undefined]);
  assert.deepEqual(j.cell_tests, [
    { group: 'cluster.nodePools[1].count=3', test: 'paired' },
    { group: 'cluster.nodePools[1].count=6', test: 'unpaired', unpaired_because: 'the candidate has no runs in this matrix cell' },
    { group: 'cluster.nodePools[1].count=4', test: 'unpaired', unpaired_because: 'the base has no runs in this matrix cell' },
  ]);
  const m = j.metrics.map((x) => [x.group, x.test, x.interval, x.n_base, x.significant]);
  assert.deepEqual(m, [
    ['cluster.nodePools[1].count=3', 'paired', 'sign-flip', 6, true],
    ['cluster.nodePools[1].count=6', 'unpaired', null, 6, false],
    ['cluster.nodePools[1].count=4', 'unpaired', null, 0, false],
  ]);
  const three = j.metrics[0]!;
  assert.ok(Math.abs(three.ci_low - 0.3) < 1e-9 && Math.abs(three.ci_high - 0.7) < 1e-9, JSON.stringify(three));
  // The table: the test line, then each cell titled with its test and its own columns.
  const t = ksim('compare', b, c).stdout;
  assert.match(t, /\n {2}paired by seed in the matrix cells whose runs pair \(the same seeds on both sides\), unpaired in the others; each cell says which\. /);
  assert.match(t, /\ncluster\.nodePools\[1\]\.count=3: paired by seed\n {2}metric +pairs +base mean/);
  assert.match(t, /\ncluster\.nodePools\[1\]\.count=6: unpaired \(the candidate has no runs in this matrix cell\)\n {2}metric +n +base mean/);
  assert.match(t, /\ncluster\.nodePools\[1\]\.count=4: unpaired \(the base has no runs in this matrix cell\)\n {2}metric +n +base mean/);
  // CSV: the test per row.
  const csv = ksim('compare', b, c, '-o', 'csv').stdout.trim().split('\n');
  assert.deepEqual(csv.map((l) => l.split(',')[11]), ['test', 'paired', 'unpaired', 'unpaired']);
  // The gate judges count=3 paired: +2.5% crosses +2% (significant).
  const gate = ksim('compare', b, c, '--fail-on', 'sched_latency_p99_ms:+2%');
  assert.equal(gate.status, 3);
  assert.match(gate.stderr, /^ksim: regression: cluster\.nodePools\[1\]\.count=3: sched_latency_p99_ms \+2\.5% crosses sched_latency_p99_ms:\+2% \(significant\)/);
});
