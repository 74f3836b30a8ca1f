// End to end: `ksim run --report` and `ksim report` on the zone-outage scenario (zone-a, 4 of 12
// nodes, dark from 120 s to 1020 s; README "Faults"), byte-identical reports, and exit code 2 on
// a folder that is not an output folder. The page in a browser: test/report-browser.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FaultsChart, HeatmapChart, LinesChart } from '../src/report/charts.js';
import { runReport } from '../src/report/run-report.js';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { KSIM_VERSION } from '../src/version.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const runs = tempDir('ksim-report-e2e-');
const A = join(runs, 'a');
const B = join(runs, 'b');

test('ksim run --report writes report.html with the CSVs; ksim report of the folder gives the same bytes; a second run too', () => {
  const r = ksim('run', 'scenarios/zone-outage.yaml', '-o', A, '--report', '-q');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Wrote summary\.csv, .*, run\.json, report\.html to /);
  const first = readFileSync(join(A, 'report.html'), 'utf8');
  const again = ksim('report', A, '-o', join(runs, 'again.html'));
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^Wrote .*again\.html \(run report, \d+ KiB\)\n$/);
  assert.equal(readFileSync(join(runs, 'again.html'), 'utf8'), first);
  assert.equal(ksim('run', 'scenarios/zone-outage.yaml', '-o', B, '--report', '-q').status, 0);
  assert.equal(readFileSync(join(B, 'report.html'), 'utf8'), first);
  // No date, no path: nothing that differs between two identical runs.
  assert.ok(!first.includes(runs));
  assert.ok(!first.includes(new Date().toISOString().slice(0, 10)));
});

test('a run\'s report says what was run: the scenario file, name and digest, the seed, each --set and the ksim version of run.json', () => {
  const dir = join(runs, 'set9');
  const r = ksim('run', 'scenarios/zone-outage.yaml', '--set', 'cluster.nodePools[0].count=9', '--seed', '3', '-o', dir, '--report', '-q');
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { ksim_version: string; scenario: { sha256: string } };
  assert.deepEqual(runReport(dir).about, [
    ['scenario', `zone-outage.yaml (zone-outage, sha256 ${json.scenario.sha256.slice(0, 12)}…)`],
    ['seed', '3'],
    ['--set', 'cluster.nodePools[0].count=9'],
    ['ksim', KSIM_VERSION],
  ]);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.ok(html.includes('<div><dt>--set</dt><dd>cluster.nodePools[0].count=9</dd></div>'));
  assert.ok(html.includes(`<div><dt>ksim</dt><dd>${KSIM_VERSION}</dd></div>`));
  assert.ok(!html.includes(REPO_ROOT), 'no path of the machine');
});

test('the zone outage on the report: fault window 120-1020 s, NotReady at 170 s, evictions from 485 s, whole again at 515.7 s', () => {
  const page = runReport(A);
  const faults = page.sections.find((s) => s.id === 'faults')?.figures?.[0]?.chart as FaultsChart;
  const f = 'f1 zoneOutage zone=zone-a';
  assert.deepEqual(faults.segments, [
    { fault: f, phase: 'fault active', x1: 120, x2: 1020 },
    { fault: f, phase: 'until NotReady', x1: 120, x2: 170 },
    { fault: f, phase: 'until first eviction', x1: 170, x2: 485.003741 },
    // From the first NotReady (the pods count unavailable then, not at the fault's start) to
    // start + time_to_full_availability_s.
    { fault: f, phase: 'below full availability', x1: 170, x2: 120 + 395.716961 },
  ]);
  assert.deepEqual(faults.moments.map((m) => m.label), ['NotReady 170 s', 'first eviction 485 s', 'whole again 516 s (+396 s from the start)']);
  const alloc = page.sections.find((s) => s.id === 'over-time')?.figures?.[0]?.chart as LinesChart;
  assert.deepEqual(alloc.series.map((s) => s.name), ['cpu', 'memory']);
  assert.deepEqual(alloc.bands, [{ x1: 120, x2: 1020, label: f }]);
  // Before the outage 18 pods request 12 of 96 CPUs (0.125); after the replacements, the same on
  // the 64 CPUs of the 8 Ready nodes (0.1875).
  assert.equal(alloc.series[0]?.values[alloc.x.indexOf(60)], 0.125);
  assert.equal(alloc.series[0]?.values[alloc.x.indexOf(600)], 0.1875);
});

test('the allocation chart marks the peaks summary.csv reports between the samples: rolling-update\'s cpu 62.5 % at 303.5 s, where the samples top at 43.75 %', () => {
  const dir = join(runs, 'rolling');
  const r = ksim('run', 'scenarios/rolling-update.yaml', '-o', dir, '-q');
  assert.equal(r.status, 0, r.stderr);
  const alloc = runReport(dir).sections.find((s) => s.id === 'over-time')?.figures?.[0];
  const chart = alloc?.chart as LinesChart;
  assert.equal(Math.max(...(chart.series[0]?.values.filter((v): v is number => v !== null) ?? [])), 0.4375);
  // requested_peak_s is when the larger ratio (cpu) peaked; memory's peak has no time of its own.
  assert.deepEqual(chart.peaks, [{ name: 'cpu', value: 0.625, x: 303.470896 }, { name: 'memory', value: 0.3125, x: null }]);
  assert.match(alloc?.note ?? '', /Marked: each resource's highest ratio at any instant of the run \(summary\.csv's cpu_requested_peak_ratio, memory_requested_peak_ratio, a dot at requested_peak_s\), which the samples may miss\./);
});

test('the heat map: zone-a rows first, outlined over the outage; its last bin equals nodes.csv at the end', () => {
  const page = runReport(A);
  const cpu = page.sections.find((s) => s.id === 'nodes')?.figures?.[0]?.chart as HeatmapChart;
  assert.deepEqual(cpu.rows.slice(0, 4), ['general-0', 'general-3', 'general-6', 'general-9']);
  assert.deepEqual(cpu.faults, ['general-0', 'general-3', 'general-6', 'general-9'].map((row) => ({ row, x1: 120, x2: 1020 })));
  const bins = cpu.edges.length - 1;
  assert.equal(bins, 30); // 31 samples a minute apart
  const nodes = parse(readFileSync(join(A, 'nodes.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  for (const n of nodes) {
    const row = cpu.rows.indexOf(n['node'] as string);
    const want = Math.round((Number(n['cpu_requested_milli']) / Number(n['cpu_allocatable_milli'])) * 1e4) / 1e4;
    assert.equal(cpu.values[row * bins + bins - 1], want, n['node']);
  }
  // zone-a's evicted pods keep their place until their nodes return (1020 s) and confirm the
  // deletion: general-0's api pod (500m of 8000m) shows until then, not after.
  const g0 = cpu.rows.indexOf('general-0') * bins;
  assert.ok((cpu.values[g0 + 10] as number) > 0);
  assert.equal(cpu.values[g0 + 18], 0);
});

test('a pods.csv without the request columns (an older ksim\'s) gets a note instead of the heat map', () => {
  const dir = tempDir('ksim-report-old-');
  cpSync(A, dir, { recursive: true });
  const pods = readFileSync(join(dir, 'pods.csv'), 'utf8').split('\n').map((l) => l.split(',').slice(0, -2).join(','));
  writeFileSync(join(dir, 'pods.csv'), pods.join('\n'));
  const nodes = runReport(dir).sections.find((s) => s.id === 'nodes');
  assert.equal(nodes?.figures, undefined);
  assert.equal(nodes?.intro, 'pods.csv has no cpu_requested_milli column (it was written by an older ksim): run the scenario again for the heat map.');
});

test('ksim report on a folder that is not an output folder: one line, exit 2, nothing written', () => {
  const r = ksim('report', join(runs, 'missing'));
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `ksim: ${join(runs, 'missing')}: expected an output folder of ksim run, sweep or capacity, got no such folder\n`);
  assert.equal(r.stdout, '');
});

test("a snapshot's pending pod bound during the run: the headline gives the pods bound, not \"1 of 0\"", () => {
  const dir = tempDir('ksim-report-snapshot-');
  writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata: { name: n1, labels: { kubernetes.io/hostname: n1 } }
    status: { allocatable: { cpu: "4", memory: 16Gi, pods: "110" }, conditions: [{ type: Ready, status: "True" }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: waiting, namespace: default }
    spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 500m } } }] }
    status: { phase: Pending }
`);
  writeFileSync(join(dir, 'snap.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: snap }
duration: 1m
cluster: { file: cluster.yaml }
`);
  const r = ksim('run', join(dir, 'snap.yaml'), '-o', join(dir, 'out'), '-q');
  assert.equal(r.status, 0, r.stderr);
  const summary = parse(readFileSync(join(dir, 'out', 'summary.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual([summary[0]?.['pods_bound'], summary[0]?.['pods_submitted']], ['1', '0']);
  const head = runReport(join(dir, 'out')).sections.find((s) => s.id === 'summary')?.headlines?.[0];
  assert.deepEqual(head, { label: 'Pods bound', value: '1', hint: "bound during the run, a snapshot's pending pods included (0 created during it)" });
});
