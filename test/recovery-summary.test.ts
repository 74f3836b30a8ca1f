// summary.csv's recovery figures over the run's faults (src/faults/recovery.ts summaryValues):
// time_to_full_availability_max_s (the longest recovery, empty when nothing was affected or one
// fault's workloads were not whole by the end) and available_min_ratio (the lowest ratio), so
// that `ksim sweep` tabulates them and `ksim compare --fail-on` gates them; and the gate on a
// candidate whose values are empty (never recovered) fails as not judged, not as passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../src/index.js';
import type { HistogramChart } from '../src/report/charts.js';
import { sweepReport } from '../src/report/sweep-report.js';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const dir = tempDir('ksim-recovery-summary-');

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

/** Six nodes n-0 … n-5 in zones a, b, c (n-1 and n-4 in b), one web pod on each; the pods
 * tolerate unreachable:NoExecute for `tolerationSeconds`. */
function scenario(faults: string, duration: string, tolerationSeconds = 30): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: rec }
duration: ${duration}
cluster:
  nodePools: [{ name: n, count: 6, zones: [a, b, c], allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 6
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: ${tolerationSeconds} }]
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: web } } }]
            containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }]
faults: ${faults}
`;
}

const FIGURES = ['time_to_full_availability_max_s', 'available_min_ratio'] as const;

function run(text: string) {
  const r = runScenario(parseScenario(text, 'rec.yaml'), {});
  const recovery = r.tables.find((t) => t.file === 'recovery.csv')?.rows ?? [];
  const rows = recovery.map((x) => [x['fault_id'], x['min_available_ratio'], x['time_to_full_availability_s']]);
  const summary = r.tables.find((t) => t.file === 'summary.csv')?.rows[0] ?? {};
  return { rows, values: FIGURES.map((c) => r.summary[c]), written: FIGURES.map((c) => summary[c]) };
}

test('two faults: the longest time to full availability (the nodeDown\'s, 90.475723 s) and the lowest ratio (both faults\' joint dip, 3/6)', () => {
  // f1 crashes n-0 at 30 s for good: NotReady at 85 s, its pod evicted at 120.004 s (NoExecute
  // taint at 90 s + 30 s), the replacement Running 0.47 s later (120.476 s).
  // f2 takes zone b (n-1, n-4: 2 pods) down from 60 s to 120 s, until both nodes are Ready
  // again at 125.003 s, before their pods' 30 s are up. From zone b's NotReady to 120.476 s the
  // three pods are down at once, during both faults' drops: 3/6 in both rows (each counted only
  // its own pods before: 5/6 and 4/6).
  const r = run(scenario('[{ nodeDown: { nodes: [n-0], at: 30s } }, { zoneOutage: { zone: b, at: 60s, for: 1m } }]', '10m'));
  assert.deepEqual(r.rows, [['f1', '0.5', '90.475723'], ['f2', '0.5', '65.002512']]);
  assert.deepEqual(r.values, [90.475723, 0.5]);
  assert.deepEqual(r.written, ['90.475723', '0.5']);
});

test('a fault that loses nothing (a 1 s etcd leader loss: no node NotReady) does not empty or lower the figures, nor takes the blame for the node another fault holds down', () => {
  // (The leader loss shifts the nodeDown's timings a little: 90.47225 s, not 90.475723 s.) It hits
  // the 5 nodes f1 does not hold: n-0's NotReady at 85 s, its lease unrenewed since 30 s, is f1's.
  const r = run(scenario('[{ nodeDown: { nodes: [n-0], at: 30s } }, { etcdLeaderLoss: { at: 40s } }]', '10m'));
  assert.deepEqual(r.rows, [['f1', '0.833333', '90.47225'], ['f2', '1', '0']]);
  assert.deepEqual(r.values, [90.47225, 0.833333]);
});

test('a fault whose workloads are not whole at the end empties time_to_full_availability_max_s, though the other fault recovered', () => {
  // tolerationSeconds 300: f1's pod (n-0 down from 30 s) is not evicted before the end (3 m).
  const r = run(scenario('[{ nodeDown: { nodes: [n-0], at: 30s } }, { zoneOutage: { zone: b, at: 60s, for: 1m } }]', '3m', 300));
  // n-0's pod and zone b's two are down at once (3/6) during both drops.
  assert.deepEqual(r.rows, [['f1', '0.5', ''], ['f2', '0.5', '65.002809']]);
  assert.deepEqual(r.values, [null, 0.5]);
  assert.deepEqual(r.written, ['', '0.5']);
});

test('a run without faults: both figures empty', () => {
  const r = run(scenario('[]', '2m'));
  assert.deepEqual(r.rows, []);
  assert.deepEqual(r.values, [null, null]);
  assert.deepEqual(r.written, ['', '']);
});

// Sweeps of the nodeDown above over seeds 1-6 (the seed moves the lease renewals, so each run's
// figure differs a little): tolerationSeconds 30 (base), 60 (30 s more per run), 600 (never
// evicted within the 10 m: never recovered).
const file = join(dir, 'rec.yaml');
writeFileSync(file, scenario('[{ nodeDown: { nodes: [n-0], at: 30s } }]', '10m'));
function sweep(name: string, tolerationSeconds: number): string {
  const out = join(dir, name);
  const r = ksim('sweep', file, '--seeds', '1-6', '--workers', '1', '-q', '-o', out, '--set', `workload[0].manifest.spec.template.spec.tolerations[0].tolerationSeconds=${tolerationSeconds}`);
  assert.equal(r.status, 0, r.stderr);
  return out;
}
const column = (out: string, name: string) => {
  const [header = '', ...rows] = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
  const i = header.split(',').indexOf(name);
  return rows.map((r) => r.split(',')[i]);
};

test('ksim sweep tabulates the figures, and compare --fail-on time_to_full_availability_max_s:+10% fails on 30 s more tolerationSeconds (+33.4%), passes the reverse', () => {
  const base = sweep('tol30', 30);
  const slow = sweep('tol60', 60);
  // sweep.csv: the columns right after reschedule_p99_s.
  const header = readFileSync(join(base, 'sweep.csv'), 'utf8').split('\n')[0]?.split(',') ?? [];
  assert.deepEqual(header.slice(header.indexOf('reschedule_p99_s'), header.indexOf('reschedule_p99_s') + 4), ['reschedule_p99_s', 'time_to_full_availability_max_s', 'available_min_ratio', 'container_restarts']);
  assert.deepEqual(column(base, 'time_to_full_availability_max_s'), ['90.47225', '91.292927', '90.598246', '90.491384', '85.889654', '90.655792']);
  assert.deepEqual(column(slow, 'time_to_full_availability_max_s'), ['120.47035', '121.294634', '120.591162', '120.487385', '115.887146', '120.653237']);
  assert.deepEqual(column(slow, 'available_min_ratio'), new Array<string>(6).fill('0.833333'));
  // The sweep report shows both among its key metrics: median of the six, (90.491384 + 90.598246) / 2.
  const dists = sweepReport(base).sections[1]?.figures ?? [];
  assert.deepEqual(dists.map((f) => f.id).slice(-2), ['dist-time_to_full_availability_max_s', 'dist-available_min_ratio']);
  assert.equal((dists.at(-2)?.chart as HistogramChart).median.toFixed(6), '90.544815');
  const r = ksim('compare', base, slow, '--fail-on', 'time_to_full_availability_max_s:+10%', '-o', 'json');
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /ksim: regression: time_to_full_availability_max_s \+33\.4% crosses time_to_full_availability_max_s:\+10% \(significant\)/);
  const json = JSON.parse(r.stdout) as { metrics: { metric: string; base: number; candidate: number; n_base: number; significant: boolean }[]; fail_on: unknown[]; gate: string };
  const m = json.metrics.find((x) => x.metric === 'time_to_full_availability_max_s');
  // Means over the six seeds: 539.400253 / 6 and 719.383914 / 6.
  assert.deepEqual([m?.n_base, m?.base.toFixed(6), m?.candidate.toFixed(6), m?.significant], [6, '89.900042', '119.897319', true]);
  assert.deepEqual(json.fail_on, [{ bound: 'time_to_full_availability_max_s:+10%', crossed: true }]);
  assert.equal(ksim('compare', slow, base, '--fail-on', 'time_to_full_availability_max_s:+10%').status, 0);
});

test('compare --fail-on time_to_full_availability_max_s: a candidate that never recovers (empty values) cannot be judged and fails, whatever the other figures', () => {
  const base = join(dir, 'tol30');
  const never = sweep('tol600', 600);
  assert.deepEqual(column(never, 'time_to_full_availability_max_s'), new Array<string>(6).fill(''));
  const r = ksim('compare', base, never, '--fail-on', 'time_to_full_availability_max_s:+10%', '--fail-on', 'available_min_ratio:-5%', '-o', 'json');
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /--fail-on time_to_full_availability_max_s:\+10% cannot pass: 6 of 6 candidate runs have no time_to_full_availability_max_s value \(seeds 1, 2, 3, 4, 5, 6\): an empty value cannot be judged \(not recovered within the run, or nothing to recover\)/);
  const json = JSON.parse(r.stdout) as { fail_on: unknown[]; gate: string };
  assert.deepEqual(json.fail_on, [
    { bound: 'time_to_full_availability_max_s:+10%', crossed: false, empty_candidate: true },
    { bound: 'available_min_ratio:-5%', crossed: false },
  ]);
  assert.equal(json.gate, 'failed');
});

/** A hand-written sweep folder: seeds 1, 2, … with these time_to_full_availability_max_s cells. */
function handSweep(name: string, cells: readonly string[]): string {
  const out = join(dir, name);
  mkdirSync(out);
  writeFileSync(join(out, 'sweep.csv'), `run_id,seed,status,scenario,time_to_full_availability_max_s\n${cells.map((v, i) => `r${i + 1},${i + 1},ok,s,${v}`).join('\n')}\n`);
  return out;
}

test('compare: one candidate run of eight with an empty value fails the gate (its seed left out, the other seven would pass); none empty passes', () => {
  const base = handSweep('hand-base', ['90', '91', '92', '93', '94', '95', '96', '97']);
  const some = handSweep('hand-some', ['90', '91', '92', '', '94', '95', '96', '97']);
  const r = ksim('compare', base, some, '--fail-on', 'time_to_full_availability_max_s:+10%', '-o', 'markdown');
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /\*\*Gate failed: candidate runs with an empty value cannot be judged\.\*\*/);
  assert.match(r.stdout, /- --fail-on time_to_full_availability_max_s:\+10%: FAILED: 1 of 8 candidate runs have no time_to_full_availability_max_s value \(seed 4\)/);
  // The seven pairs with values (655 / 7 = 93.571 each side): no change.
  assert.match(r.stdout, /\| time_to_full_availability_max_s \| 7 \| 93\.571 \| 93\.571 \| 0 \| 0\.0% \| \[0, 0\] \| no \|/);
  assert.equal(ksim('compare', base, base, '--fail-on', 'time_to_full_availability_max_s:+10%').status, 0);
});

test('compare of two runs: an empty candidate value fails the gate (it passed before: no change to judge)', () => {
  const runDir = (name: string, value: string) => {
    const out = join(dir, name);
    mkdirSync(out);
    writeFileSync(join(out, 'summary.csv'), `scenario,seed,time_to_full_availability_max_s\ns,1,${value}\n`);
    return out;
  };
  const base = runDir('run-base', '90.5');
  const r = ksim('compare', base, runDir('run-never', ''), '--fail-on', 'time_to_full_availability_max_s:+10%');
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /cannot pass: the candidate run has no time_to_full_availability_max_s value: an empty value cannot be judged/);
  assert.equal(ksim('compare', base, runDir('run-same', '90.5'), '--fail-on', 'time_to_full_availability_max_s:+10%').status, 0);
});
