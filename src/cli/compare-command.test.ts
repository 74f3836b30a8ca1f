// ksim compare's table fits the terminal: on 80 columns the metric table is stacked in sections
// (each repeating the metric name) and its prose word-wrapped, every figure still written; wide
// terminals keep one line per metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare } from '../sweep/compare.js';
import { KSIM_BIN } from '../testing/repo-paths.js';
import { tempDir } from '../testing/temp-dir.js';
import { compareTable } from './compare-command.js';

const dir = tempDir('ksim-compare-table-');

/** A sweep folder (sweep.csv) with seeds 1-6 and the given values per metric. */
function sweep(name: string, values: Record<string, readonly number[]>): string {
  const out = join(dir, name);
  mkdirSync(out);
  const metrics = Object.keys(values);
  const rows = [1, 2, 3, 4, 5, 6].map((seed, i) => `r${seed},${seed},ok,s,${metrics.map((m) => values[m]![i]).join(',')}`);
  writeFileSync(join(out, 'sweep.csv'), `run_id,seed,status,scenario,${metrics.join(',')}\n${rows.join('\n')}\n`);
  return out;
}

// A plugin that slows scheduling on a busy cluster: p99 latency up by 2-4 s on every seed,
// slowest recovery 40-95 s later.
const base = sweep('base', {
  pods_unbound_end: [0, 0, 0, 0, 0, 0],
  sched_latency_p99_ms: [10.502, 12.25, 9.75, 11.5, 10.125, 13.375],
  time_to_full_availability_max_s: [120.5, 98.25, 143.75, 110, 131.5, 101.25],
  cpu_requested_mean_ratio: [0.477852, 0.481203, 0.469914, 0.479355, 0.48212, 0.475],
});
const candidate = sweep('candidate', {
  pods_unbound_end: [0, 1, 0, 0, 2, 0],
  sched_latency_p99_ms: [2410.25, 3105.5, 2250.125, 4012.75, 2987.5, 3500.25],
  time_to_full_availability_max_s: [215.75, 140.5, 199.25, 185, 226.5, 141.25],
  cpu_requested_mean_ratio: [0.661825, 0.659, 0.67125, 0.6625, 0.66, 0.668125],
});

// Means: sched_latency_p99_ms 67.502 / 6 = 11.25 ms → 18,266.375 / 6 = 3,044.396 ms, +3,033.146
// (+26,960.5 %); the others as compare's own tests check them.
const AT_80 = `ksim compare (sweeps): base → candidate
  paired by seed: means over the seeds ok in both sweeps (pairs); change = the
    mean per-seed difference, with the 95% interval of the exact sign-flip test
    (Student t below 6 pairs); significant when it excludes 0

                                              base  candidate
  metric                           pairs      mean       mean     change
  pods_unbound_end                     6         0        0.5       +0.5
  sched_latency_p99_ms                 6     11.25   3044.396  +3033.146
  cpu_requested_mean_ratio             6  0.477574   0.663783  +0.186209
  time_to_full_availability_max_s      6   117.542    184.708    +67.167

                                      change                  95% CI
  metric                                   %               of change  sig.
  pods_unbound_end                     +inf%                 [0, +2]    no
  sched_latency_p99_ms             +26960.5%   [+2240.375, +4001.25]   yes
  cpu_requested_mean_ratio            +39.0%  [+0.177797, +0.201336]   yes
  time_to_full_availability_max_s     +57.1%           [+40, +95.25]   yes
`;

// The same on a terminal 140 wide: one line per metric (126 columns).
const AT_140 = `ksim compare (sweeps): base → candidate
  paired by seed: means over the seeds ok in both sweeps (pairs); change = the mean per-seed difference, with the 95% interval of the exact
    sign-flip test (Student t below 6 pairs); significant when it excludes 0

  metric                           pairs  base mean  candidate mean     change   change %        95% CI of change  significant
  pods_unbound_end                     6          0             0.5       +0.5      +inf%                 [0, +2]           no
  sched_latency_p99_ms                 6      11.25        3044.396  +3033.146  +26960.5%   [+2240.375, +4001.25]          yes
  cpu_requested_mean_ratio             6   0.477574        0.663783  +0.186209     +39.0%  [+0.177797, +0.201336]          yes
  time_to_full_availability_max_s      6    117.542         184.708    +67.167     +57.1%           [+40, +95.25]          yes
`;

const widest = (s: string) => Math.max(...s.split('\n').map((l) => l.length));

test('at 80 columns: the test line wrapped, the metrics in two stacked sections, every figure of the wide table in them', () => {
  const r = { ...compare(base, candidate), base: 'base', candidate: 'candidate' };
  assert.equal(compareTable(r, 80), AT_80);
  assert.equal(widest(AT_80), 79);
  assert.equal(compareTable(r, 140), AT_140);
  assert.equal(widest(AT_140), 139);
  assert.equal(AT_140.split('\n')[4]!.length, 126);
});

test('ksim compare writes the 80-column table when stdout is not a terminal, and $COLUMNS widens it', () => {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env['COLUMNS'];
  const ksim = (e: Record<string, string | undefined>) => spawnSync(process.execPath, [KSIM_BIN, 'compare', 'base', 'candidate'], { cwd: dir, encoding: 'utf8', env: e });
  const r = ksim(env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, AT_80);
  assert.equal(ksim({ ...env, COLUMNS: '140' }).stdout, AT_140);
});
