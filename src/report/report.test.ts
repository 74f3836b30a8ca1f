// The sweep and capacity reports on the fixtures of test/fixtures/report (see its README), and
// the messages a wrong folder gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-paths.js';
import { tempDir } from '../testing/temp-dir.js';
import { answerByRule, capacityReport } from './capacity-report.js';
import type { BoxChart, HistogramChart, ProbeChart } from './charts.js';
import { renderReport } from './report.js';
import { shortPaths } from './matrix-labels.js';
import { sweepReport } from './sweep-report.js';

const SWEEP = repoPath('test/fixtures/report/sweep');
const CAPACITY = repoPath('test/fixtures/report/capacity');

test('sweep report: runs by status, the failed run listed, medians per matrix value', () => {
  const page = sweepReport(SWEEP);
  assert.equal(page.title, 'zone-outage: 12 runs');
  const [runs, dists, matrix] = page.sections;
  assert.deepEqual(runs?.headlines?.slice(0, 3), [
    { label: 'Runs', value: '12', hint: 'error 1, ok 11' },
    { label: 'Seeds', value: '6', hint: '1 … 6' },
    { label: 'Matrix combinations', value: '2', hint: 'cluster.nodePools[0].count' },
  ]);
  assert.deepEqual(runs?.tables?.[0]?.rows, [['r012', '6', 'error']]);
  // With a matrix the headline metrics are per combination (below: 10.01 and 11.57), not pooled (10.7).
  assert.deepEqual(runs?.headlines?.[3], { label: 'sched_latency_p99_ms (median per combination)', value: '10.01 / 11.57', hint: 'cluster.nodePools[0].count=9: 10.01; cluster.nodePools[0].count=12: 11.57' });
  assert.match(dists?.intro ?? '', /^Each key metric over the 11 runs with status ok, the 2 matrix combinations pooled \(each apart: By matrix value\):/);
  assert.deepEqual(dists?.figures?.map((f) => f.id), [
    'dist-sched_latency_p99_ms', 'dist-startup_latency_p99_ms', 'dist-pods_unbound_end',
    'dist-cpu_requested_mean_ratio', 'dist-memory_requested_mean_ratio', 'dist-reschedule_p99_s',
  ]);
  // 11 ok runs; sched_latency_p99_ms sorted: 6.832 6.986 9.101 9.327 9.765 10.698 11.574 11.871 15.001 15.287 37.16
  const h = dists?.figures?.[0]?.chart as HistogramChart;
  assert.equal(h.median, 10.698);
  assert.equal(h.bins.reduce((s, b) => s + b.count, 0), 11);
  const box = matrix?.figures?.[0]?.chart as BoxChart;
  // One matrix path: the charts show its values (the path is in the title).
  assert.deepEqual(box.groups, ['9', '12']);
  assert.equal(matrix?.figures?.[0]?.title, 'sched_latency_p99_ms by cluster.nodePools[0].count');
  assert.equal(box.points.length, 11);
  // count=9: (9.327 + 10.698) / 2 = 10.0125; count=12: 6.986 9.765 11.574 15.001 37.16 → 11.574
  const medians = matrix?.tables?.[0];
  assert.deepEqual(medians?.columns.slice(0, 3), ['matrix values', 'runs', 'sched_latency_p99_ms']);
  assert.deepEqual(medians?.rows.map((r) => r.slice(0, 3)), [['9', '6', '10.01'], ['12', '5', '11.57']]);
});

test('sweep report headlines: per matrix combination (pods_unbound_end 0 / 3, where pooled it read 1.5), pooled only without a matrix', () => {
  const dir = tempDir('ksim-report-sweep-cells-');
  const head = 'run_id,seed,cluster.nodePools[0].count,status,scenario,pods_unbound_end';
  const rows = [[1, 6, 0], [2, 6, 0], [3, 6, 0], [1, 3, 3], [2, 3, 3], [3, 3, 3]].map(([seed, count, unbound], i) => `r0${i + 1},${seed},${count},ok,shop,${unbound}`);
  writeFileSync(join(dir, 'sweep.csv'), [head, ...rows].join('\n') + '\n');
  const page = sweepReport(dir);
  assert.deepEqual(page.sections[0]?.headlines?.[3], { label: 'pods_unbound_end (median per combination)', value: '3 / 0', hint: 'cluster.nodePools[0].count=3: 3; cluster.nodePools[0].count=6: 0' });
  assert.equal(page.sections[1]?.figures?.[0]?.note, '6 runs, combinations pooled; min 0, median 1.5, max 3.');
  // Five combinations or more: the range of their medians, each in the hint.
  const many = [1, 2, 3, 4, 5].map((c) => `r${c},1,${c},ok,shop,${c * 2}`);
  writeFileSync(join(dir, 'sweep.csv'), [head, ...many].join('\n') + '\n');
  assert.deepEqual(sweepReport(dir).sections[0]?.headlines?.[3], { label: 'pods_unbound_end (median per combination)', value: '2 … 10', hint: ['1: 2', '2: 4', '3: 6', '4: 8', '5: 10'].map((x) => `cluster.nodePools[0].count=${x}`).join('; ') });
  writeFileSync(join(dir, 'sweep.csv'), ['run_id,seed,status,scenario,pods_unbound_end', 'r1,1,ok,shop,0', 'r2,2,ok,shop,3'].join('\n') + '\n');
  assert.deepEqual(sweepReport(dir).sections[0]?.headlines?.[2], { label: 'pods_unbound_end (median)', value: '1.5' });
});

test('capacity report: the probe curve by count with each probe\'s round, the target line, and the answer, the fewest nodes above every count that failed', () => {
  const page = capacityReport(CAPACITY);
  const pool = page.sections[0];
  assert.equal(pool?.title, 'Pool general');
  assert.deepEqual(pool?.headlines, [
    { label: 'Answer', value: '10 nodes', hint: 'fewest nodes meeting pods_unbound_end=0, above every count that failed it' },
    { label: 'Probes', value: '8', hint: 'counts 1 … 16' },
    // The fixture has no run.json: which failure the search tolerated is not known.
    { label: 'Failure tolerated', value: 'unknown', hint: 'no run.json beside capacity.csv says which --tolerate the search had' },
    { label: 'pods_unbound_end at the answer', value: '0' },
    { label: 'cpu_headroom_ratio at the answer', value: '25.0 %', hint: "1 − the pool's peak cpu requested ratio in the runs without a --tolerate failure, if the search had one" },
    { label: 'memory_headroom_ratio at the answer', value: '93.8 %', hint: "1 − the pool's peak memory requested ratio in the runs without a --tolerate failure, if the search had one" },
    { label: 'Cost at the answer', value: '2 per hour' },
  ]);
  const probe = pool?.figures?.[0];
  const chart = probe?.chart as ProbeChart;
  assert.equal(chart.answer, 10);
  assert.equal(chart.target, 0);
  assert.equal(chart.yLabel, 'pods_unbound_end');
  assert.deepEqual(chart.probes.map((p) => [p.label, p.count, p.value, p.met]), [
    ['round 1', 1, 9, false], ['round 1', 2, 8, false], ['round 2', 4, 6, false], ['round 2', 8, 2, false],
    ['round 4', 9, 1, false], ['round 3', 10, 0, true], ['round 3', 12, 0, true], ['round 2', 16, 0, true],
  ]);
  assert.match(probe?.note ?? '', /Answer: 10 nodes; 9 did not meet it \(round 4\)\./);
  assert.equal(pool?.figures?.[1]?.id, 'headroom-general');
});

test('capacity report: the failure tolerated, from run.json beside capacity.csv, and the cost rounded as ksim capacity prints it', () => {
  const dir = tempDir('ksim-report-cap-');
  const head = 'pool,count,met,round,target,target_value,runs,runs_met,worst_run,cpu_headroom_ratio,memory_headroom_ratio,cost_per_hour';
  writeFileSync(join(dir, 'capacity.csv'), [head, 'general,5,false,1,missing=0,1,4,3,seed 1,0.2,0.9,2.4038', 'general,6,true,1,missing=0,0,4,4,seed 1,0.3,0.9,3.0048'].join('\n') + '\n');
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ command: 'capacity --nodes-for', options: { pool: 'general', target: 'missing=0', tolerate: 'zone-outage' } }));
  const headlines = capacityReport(dir).sections[0]?.headlines ?? [];
  assert.deepEqual(headlines[0], { label: 'Answer', value: '6 nodes', hint: 'fewest nodes meeting missing=0, tolerating zone-outage at peak load, above every count that failed it' });
  assert.deepEqual(headlines[2], { label: 'Failure tolerated', value: 'zone-outage', hint: 'at peak load, in every met probe' });
  assert.deepEqual(headlines.at(-1), { label: 'Cost at the answer', value: '3.00 per hour' });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ options: { tolerate: 'none' } }));
  assert.deepEqual(capacityReport(dir).sections[0]?.headlines?.[2], { label: 'Failure tolerated', value: 'none', hint: 'fault-free runs only (no --tolerate)' });
  // A count below the tolerance's floor (not run) is not a probe; with none met, the failure
  // tolerated is not "in every met probe".
  writeFileSync(join(dir, 'capacity.csv'), [head, "general,1,false,1,missing=0,,0,0,--tolerate '2 nodes' takes down 2 nodes of pool general: not run,,,", 'general,5,false,1,missing=0,1,4,3,seed 1,0.2,0.9,2.4038'].join('\n') + '\n');
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ options: { tolerate: '2 nodes' } }));
  const none = capacityReport(dir).sections[0]?.headlines ?? [];
  assert.deepEqual(none[1], { label: 'Probes', value: '1', hint: 'counts 5 … 5 (+1 below a floor, not run)' });
  assert.deepEqual(none[2], { label: 'Failure tolerated', value: '2 nodes', hint: 'at peak load (no probe met the target)' });
});

test('capacity report of a noisy search (20 failed where 16 met): the answer is ksim capacity\'s, 24 from run.json (it said 16), with the noise note, and the headroom and cost are 24\'s', () => {
  // The probes of ksim capacity shop-nf.yaml --nodes-for general --tolerate '2 nodes' --seeds 1-3,
  // reduced: it printed 24 nodes, 10.63 per hour, cpu headroom 89.4 %.
  const dir = tempDir('ksim-report-cap-noisy-');
  const head = 'pool,count,met,round,target,target_value,runs,runs_met,worst_run,cpu_headroom_ratio,memory_headroom_ratio,cost_per_hour';
  const row = (count: number, met: boolean, round: number, missing: number, cpu: number, cost: number) => `general,${count},${met},${round},missing=0,${missing},6,${met ? 6 : 5},seed 2,${cpu},0.9,${cost}`;
  writeFileSync(join(dir, 'capacity.csv'), [head, row(12, false, 2, 2, 0.8, 6.02), row(16, true, 4, 0, 0.846875, 7.556), row(20, false, 4, 1, 0.875, 9.092), row(23, false, 6, 1, 0.889674, 10.244), row(24, true, 3, 0, 0.89375, 10.628), row(48, true, 3, 0, 0.940625, 19.844)].join('\n') + '\n');
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ command: 'capacity --nodes-for', options: { pool: 'general', target: 'missing=0', tolerate: '2 nodes' }, count: 24, plateau: null, inversions: [{ failed: 20, met: 16 }] }));
  const noise = 'The target is noisy at this margin (20 failed it while 16 met it): 24 is the fewest nodes above every count that failed; more --seeds make the answer steadier.';
  const pool = capacityReport(dir).sections[0];
  assert.deepEqual(pool?.headlines?.slice(0, 2), [
    { label: 'Answer', value: '24 nodes', hint: 'fewest nodes meeting missing=0, tolerating 2 nodes at peak load, above every count that failed it' },
    { label: 'Noisy target', value: '1 inversion', hint: noise },
  ]);
  assert.deepEqual(pool?.headlines?.slice(-3), [
    { label: 'cpu_headroom_ratio at the answer', value: '89.4 %', hint: "1 − the pool's peak cpu requested ratio in the runs without the --tolerate failure (2 nodes)" },
    { label: 'memory_headroom_ratio at the answer', value: '90.0 %', hint: "1 − the pool's peak memory requested ratio in the runs without the --tolerate failure (2 nodes)" },
    { label: 'Cost at the answer', value: '10.63 per hour' },
  ]);
  assert.equal((pool?.figures?.[0]?.chart as ProbeChart).answer, 24);
  assert.equal(pool?.figures?.[0]?.note.endsWith(`Answer: 24 nodes; 23 did not meet it (round 6). ${noise}`), true, pool?.figures?.[0]?.note);
  assert.match(renderReport(dir).html, /The target is noisy at this margin \(20 failed it while 16 met it\): 24 is the fewest nodes above every count that failed/);
  assert.equal(pool?.intro, undefined);
  // ksim capacity's warnings about its answer head the pool's section.
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ options: { pool: 'general', target: 'missing=0' }, count: 24, inversions: [], warnings: ['the answer, 24 nodes of pool general, leaves 2 pods unplaced'] }));
  assert.equal(capacityReport(dir).sections[0]?.intro, 'Warning: the answer, 24 nodes of pool general, leaves 2 pods unplaced.');
  // Without run.json, ksim capacity's rule over the rows gives the same answer and pair.
  rmSync(join(dir, 'run.json'));
  const rows = capacityReport(dir).sections[0]?.headlines ?? [];
  assert.deepEqual([rows[0]?.value, rows[1]?.hint], ['24 nodes', noise]);
  assert.equal(answerByRule([{ count: 8, met: true }, { count: 9, met: false }, { count: 10, met: true }, { count: 11, met: false }, { count: 12, met: true }]), 12);
  assert.equal(answerByRule([{ count: 9, met: false }, { count: 10, met: true }, { count: 12, met: true }]), 10);
  assert.equal(answerByRule([{ count: 9, met: false }]), null);
  // A run.json whose answer capacity.csv does not have as met is refused.
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ options: { pool: 'general' }, count: 23, inversions: [] }));
  assert.throws(() => capacityReport(dir), { message: `${join(dir, 'run.json')}: count: expected a count capacity.csv has as met (16, 24, 48), got 23` });
});

test('capacity report with no count met: the Answer says whether more nodes stopped helping (ksim capacity\'s rule: 4× the nodes, no better)', () => {
  const dir = tempDir('ksim-report-cap-');
  const head = 'pool,count,met,round,target,target_value,runs,runs_met,worst_run,cpu_headroom_ratio,memory_headroom_ratio,cost_per_hour';
  const row = (count: number, value: number, round: number) => `general,${count},false,${round},missing=0,${value},1,0,seed 1,1,1,`;
  writeFileSync(join(dir, 'capacity.csv'), [head, row(12, 10, 1), row(24, 10, 2), row(48, 10, 2)].join('\n') + '\n');
  assert.deepEqual(capacityReport(dir).sections[0]?.headlines?.[0], { label: 'Answer', value: 'none met', hint: 'more nodes did not help: missing 10 at 12 nodes, 10 at 48' });
  // Fewer missing at 48: still progress, no plateau.
  writeFileSync(join(dir, 'capacity.csv'), [head, row(12, 10, 1), row(24, 10, 2), row(48, 9, 2)].join('\n') + '\n');
  assert.deepEqual(capacityReport(dir).sections[0]?.headlines?.[0], { label: 'Answer', value: 'none met', hint: 'no probed count met missing=0' });
});

test('the same folder gives the same bytes, and nothing of the folder\'s path', () => {
  const dir = tempDir('ksim-report-');
  cpSync(SWEEP, dir, { recursive: true });
  const a = renderReport(dir).html;
  assert.equal(renderReport(SWEEP).html, a);
  assert.ok(!a.includes(dir));
  assert.ok(!a.includes(SWEEP));
});

test('a wrong folder is one clear error naming the file, row, column and what was expected', () => {
  const dir = tempDir('ksim-report-bad-');
  const err = (d: string) => {
    try {
      renderReport(d);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.equal(err(join(dir, 'none')), `${join(dir, 'none')}: expected an output folder of ksim run, sweep or capacity, got no such folder`);
  assert.equal(err(dir), `${dir}: expected an output folder of ksim run, sweep or capacity (holding summary.csv, sweep.csv or capacity.csv), got none of them`);
  writeFileSync(join(dir, 'capacity.csv'), 'pool,count,met\ngeneral,3,yes\n');
  assert.equal(err(dir), `${join(dir, 'capacity.csv')}:2:3: met: expected true or false, got "yes"`);
  writeFileSync(join(dir, 'capacity.csv'), 'pool,count,met\ngeneral,three,true\n');
  assert.equal(err(dir), `${join(dir, 'capacity.csv')}:2:2: count: expected a number, got "three"`);
  writeFileSync(join(dir, 'sweep.csv'), 'run_id,seed,scenario\n0001,1,x\n');
  assert.equal(err(dir), `${join(dir, 'sweep.csv')}:1:1: expected the columns seed, status, got a header without status`);
  const run = tempDir('ksim-report-run-');
  writeFileSync(join(run, 'summary.csv'), 'scenario,seed,sim_duration_s\nx,1,60\n');
  assert.equal(err(run), `${join(run, 'timeseries.csv')}: expected the timeseries.csv of a ksim output folder, got no such file`);
});

test('what was run heads each report: scenario, seeds, --matrix and --set, ksim version, and for a capacity search its pool, targets and tolerated failure', () => {
  // A sweep folder with the sweep.json ksim sweep writes (two --matrix axes, seeds 1-3).
  const sw = tempDir('ksim-report-about-sweep-');
  cpSync(SWEEP, sw, { recursive: true });
  writeFileSync(join(sw, 'sweep.json'), JSON.stringify({
    ksim_version: '0.1.0',
    scenario: { path: '/somewhere/scenarios/zone-outage.yaml', name: 'zone-outage', sha256: 'd2354ccdac8fde7f61bfc8a0064cae3d15f48bc0e080ffae2ee1759320f4fa78' },
    seeds: [1, 2, 3, 7],
    matrix: [{ path: 'cluster.nodePools[0].count', values: ['3', '6'] }, { path: 'workload[1].manifest.spec.replicas', values: ['6', '30'] }],
    set: ['duration=20m'],
    shard: null,
  }));
  assert.deepEqual(sweepReport(sw).about, [
    ['scenario', 'zone-outage.yaml (zone-outage, sha256 d2354ccdac8f…)'],
    ['seeds', '1–3, 7 (4 seeds)'],
    ['--matrix', 'cluster.nodePools[0].count=3,6'],
    ['--matrix', 'workload[1].manifest.spec.replicas=6,30'],
    ['--set', 'duration=20m'],
    ['ksim', '0.1.0'],
  ]);
  const html = renderReport(sw).html;
  assert.match(html, /<dl class="about" aria-label="what was run">\n<div><dt>scenario<\/dt><dd>zone-outage\.yaml \(zone-outage, sha256 d2354ccdac8f…\)<\/dd><\/div>/);
  assert.ok(!html.includes('/somewhere/'), 'no path of the machine');
  // The fixture alone (no sweep.json): what sweep.csv says, and that the version is not known.
  assert.deepEqual(sweepReport(SWEEP).about, [['scenario', 'zone-outage'], ['seeds', '1–6 (6 seeds)'], ['--matrix', 'cluster.nodePools[0].count'], ['ksim', 'not known (no sweep.json in the folder)']]);

  // A capacity search's run.json, as ksim capacity --nodes-for general --tolerate zone-outage
  // --target missing=0 --target 'pool_cpu_requested_peak_ratio<=0.7' writes it.
  const cap = tempDir('ksim-report-about-cap-');
  const head = 'pool,count,met,round,target,target_value,runs,runs_met,worst_run,cpu_headroom_ratio,memory_headroom_ratio,cost_per_hour,missing_target_value,pool_cpu_requested_peak_ratio_target_value';
  writeFileSync(join(cap, 'capacity.csv'), [head, 'general,16,false,1,pool_cpu_requested_peak_ratio<=0.7,0.75,4,3,seed 1,0.53125,0.960938,3.2,0,0.75', 'general,17,true,1,missing=0,0,4,4,seed 1,0.558824,0.963235,3.4,0,0.681818'].join('\n') + '\n');
  writeFileSync(join(cap, 'run.json'), JSON.stringify({ ksim_version: '0.1.0', command: 'capacity --nodes-for', scenario: '/somewhere/scenarios/capacity.yaml', options: { pool: 'general', target: 'missing=0, pool_cpu_requested_peak_ratio<=0.7', targets: ['missing=0', 'pool_cpu_requested_peak_ratio<=0.7'], tolerate: 'zone-outage', seeds: [1], set: [], max_count: 100000 }, count: 17, inversions: [], warnings: [] }));
  const page = capacityReport(cap);
  assert.equal(page.title, 'capacity.yaml — general: 2 probes');
  assert.deepEqual(page.about, [
    ['scenario', 'capacity.yaml'],
    ['--nodes-for', 'general'],
    ['--target', 'missing=0 and pool_cpu_requested_peak_ratio<=0.7'],
    ['--tolerate', 'zone-outage'],
    ['seeds', '1'],
    ['--set', 'none'],
    ['ksim', '0.1.0'],
  ]);
  assert.deepEqual(capacityReport(CAPACITY).about, [['ksim', 'not known (no run.json in the folder)']]);
  // The headroom is of the fault-free runs, the pool_cpu_requested_peak_ratio target the worst of
  // every run: side by side (55.9 % and 0.6818) they need saying so.
  const headlines = page.sections[0]?.headlines ?? [];
  assert.deepEqual(headlines.find((h) => h.label === 'pool_cpu_requested_peak_ratio at the answer'), { label: 'pool_cpu_requested_peak_ratio at the answer', value: '0.6818' });
  assert.deepEqual(headlines.find((h) => h.label === 'cpu_headroom_ratio at the answer'), { label: 'cpu_headroom_ratio at the answer', value: '55.9 %', hint: "1 − the pool's peak cpu requested ratio in the runs without the --tolerate failure (zone-outage); pool_cpu_requested_peak_ratio above is the worst over every run, the failure runs included" });
});

test('matrix labels with several --matrix paths: each path by the fewest last fields that tell it from the others, not cut at the start', () => {
  assert.deepEqual(shortPaths(['cluster.nodePools[0].count', 'workload[1].manifest.spec.replicas']), ['count', 'replicas']);
  assert.deepEqual(shortPaths(['cluster.nodePools[0].count', 'cluster.nodePools[1].count']), ['nodePools[0].count', 'nodePools[1].count']);
  assert.deepEqual(shortPaths(['a.score', 'b.pools[0].count', 'c.pools[0]']), ['score', 'count', 'pools']);
  const dir = tempDir('ksim-report-sweep-two-');
  const head = 'run_id,seed,cluster.nodePools[0].count,workload[1].manifest.spec.replicas,status,scenario,pods_unbound_end';
  const rows = [[3, 6, 0], [3, 30, 12], [6, 6, 0], [6, 30, 0]].map(([count, replicas, unbound], i) => `r0${i + 1},1,${count},${replicas},ok,zone-outage,${unbound}`);
  writeFileSync(join(dir, 'sweep.csv'), [head, ...rows].join('\n') + '\n');
  const matrix = sweepReport(dir).sections.find((s) => s.id === 'matrix');
  const box = matrix?.figures?.[0]?.chart as BoxChart;
  assert.deepEqual(box.groups, ['count=3, replicas=6', 'count=3, replicas=30', 'count=6, replicas=6', 'count=6, replicas=30']);
  assert.deepEqual(box.points.map((p) => p.g), box.groups);
  assert.match(matrix?.intro ?? '', /Labels name each path by its last field: count = cluster\.nodePools\[0\]\.count; replicas = workload\[1\]\.manifest\.spec\.replicas\.$/);
  assert.deepEqual(matrix?.tables?.[0]?.rows.map((r) => r[0]), box.groups);
});

test('a metric with one value over every run is said in words, not drawn on an axis around nothing (pods_unbound_end 0 in all 11 runs of the fixture)', () => {
  const page = sweepReport(SWEEP);
  const dist = page.sections.find((s) => s.id === 'distributions')?.figures?.find((f) => f.id === 'dist-pods_unbound_end');
  // Before: a histogram with one bin from -0.5 to 0.5 pods.
  assert.deepEqual(dist?.chart, { type: 'constant', text: 'all 11 runs: 0' });
  assert.equal(dist?.note, 'The same in every run of every combination: no distribution to draw.');
  const box = page.sections.find((s) => s.id === 'matrix')?.figures?.find((f) => f.id === 'matrix-pods_unbound_end');
  assert.deepEqual(box?.chart, { type: 'constant', text: 'all 11 runs: 0, in each of the 2 combinations' });
  // A metric that varies keeps its chart.
  assert.equal(page.sections.find((s) => s.id === 'distributions')?.figures?.[0]?.chart.type, 'histogram');
});
