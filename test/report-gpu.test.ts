// End to end: the GPU sections of `ksim report` on a real GPU-sharing run and sweep of
// test/fixtures/report/gpu (12 openb-shaped nodes, 42 GPUs, the FGD paper's replay), and no GPU
// section for a run without GPU sharing. The sections on hand-made CSVs:
// src/report/gpu-report.test.ts; in a browser: test/report-browser.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HeatmapChart, LinesChart, MeanSdChart } from '../src/report/charts.js';
import { runReport } from '../src/report/run-report.js';
import { sweepReport } from '../src/report/sweep-report.js';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const SCENARIO = 'test/fixtures/report/gpu/scenario.yaml';
const SCORE = 'scheduler.config.profiles[0].plugins.score.enabled[0].name';
const out = tempDir('ksim-report-gpu-');

/** summary.csv's one data row as column → text. */
function summary(dir: string): Record<string, string> {
  const [head, row] = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  const values = row!.split(',');
  return Object.fromEntries(head!.split(',').map((c, i) => [c, values[i] ?? '']));
}

test('a GPU-sharing run\'s report: the unallocated / fragmented / ideal curves by arrived %, equal at 100 % to summary.csv\'s column', () => {
  const dir = join(out, 'run');
  const r = ksim('run', SCENARIO, '-o', dir, '--report', '-q');
  assert.equal(r.status, 0, r.stderr);
  const page = runReport(dir);
  assert.deepEqual(page.sections.map((s) => s.id), ['summary', 'over-time', 'gpu', 'nodes', 'faults']);
  // A 30 s run sampled every minute has two rows (at 0 s, nothing placed yet, and at the end):
  // said, not drawn as a straight line between them.
  const overTime = page.sections.find((s) => s.id === 'over-time');
  assert.equal(overTime?.intro, 'Too short for a time series: timeseries.csv has 2 samples, at 0 s and at the end of the run, the run lasted 30 s, no longer than one metrics.sampleInterval (set a shorter one in the scenario for these charts). The state at the end: summary.csv above, nodes.csv and the heat map below.');
  assert.equal(overTime?.figures, undefined);
  // The heat map, from pods.csv, has 30 cells of 1 s (one cell before).
  const heat = page.sections.find((s) => s.id === 'nodes')?.figures?.[0]?.chart as HeatmapChart;
  assert.deepEqual([heat.edges.length - 1, heat.edges[1]], [30, 1]);
  assert.ok(heat.values.some((v) => v !== null && v > 0), 'the pods placed show');
  const gpu = page.sections.find((s) => s.id === 'gpu')!;
  const chart = gpu.figures?.[0]?.chart as LinesChart;
  // With the fragmentation over the GPU-requesting typical pods beside the paper's measure.
  assert.deepEqual(chart.series.map((s) => s.name), ['unallocated', 'fragmented', 'fragmented for GPU pods', 'ideal']);
  const s = summary(dir);
  const at100 = chart.series[0]!.values[chart.x.indexOf(100)]!;
  // The summary rounds to 3 decimals; the curve averages the rounded allocated_pct of the rows.
  assert.ok(Math.abs(at100 - Number(s['gpu_unallocated_at_100_pct'])) < 0.001, `${at100} vs ${s['gpu_unallocated_at_100_pct']}`);
  assert.equal(gpu.headlines?.[0]?.value, `${Number(Number(s['gpu_unallocated_at_100_pct']).toFixed(2))} %`);
  assert.equal(gpu.headlines?.find((h) => h.label === 'GPU capacity')?.value, '42 GPUs');
  // Fragmented GPU is part of the unallocated GPU wherever both are defined.
  chart.series[1]!.values.forEach((f, i) => {
    const u = chart.series[0]!.values[i];
    if (f !== null && u !== null && u !== undefined) assert.ok(f <= u + 1e-9, `bin ${i}: fragmented ${f} > unallocated ${u}`);
  });
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /GPU allocation and fragmentation/);
});

test('a run without GPU sharing has no GPU section', () => {
  const dir = join(out, 'quickstart');
  assert.equal(ksim('run', 'scenarios/quickstart.yaml', '-o', dir, '-q').status, 0);
  const page = runReport(dir);
  assert.equal(page.sections.some((s) => s.id === 'gpu'), false);
});

test('a GPU-sharing sweep\'s report: gpu_unallocated_at_100_pct per score plugin (mean ± sd over 3 seeds) and the median curves', () => {
  const dir = join(out, 'sweep');
  const r = ksim('sweep', SCENARIO, '--seeds', '1-3', '--matrix', `${SCORE}=BestFitScore,GpuClusteringScore`, '--workers', '1', '-o', dir, '-q');
  assert.equal(r.status, 0, r.stderr);
  const gpu = sweepReport(dir).sections.find((s) => s.id === 'gpu')!;
  const c = gpu.figures?.[0]?.chart as MeanSdChart;
  assert.deepEqual(c.groups, ['BestFitScore', 'GpuClusteringScore']);
  // The points are sweep.csv's values, seed by seed; an empty one (a run whose arrivals jumped
  // over 99-101 %) is no point.
  const rows = readFileSync(join(dir, 'sweep.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const col = rows[0]!.indexOf('gpu_unallocated_at_100_pct');
  const values = rows.slice(1).filter((x) => x[col] !== '');
  assert.ok(values.length >= 4, `${values.length} runs with a value`);
  assert.deepEqual(c.points.map((p) => [p.seed, p.v]), values.map((x) => [x[1], Number(x[col])]));
  assert.equal(c.stats.reduce((n, x) => n + x.n, 0), values.length);
  const curves = gpu.figures?.find((f) => f.id === 'gpu-curves')?.chart as LinesChart;
  assert.deepEqual(curves.series.map((s) => s.name), ['BestFitScore', 'GpuClusteringScore', 'ideal']);
  assert.equal(ksim('report', dir).status, 0);
});

/** A cluster with whole GPUs on one pool and shared GPUs on another, one pod on each. */
const MIXED = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: mini-mixed }
seed: 1
duration: 10m
cluster:
  nodePools:
    - name: general
      count: 2
      allocatable: { cpu: "16", memory: 64Gi, pods: 110 }
    - name: a100
      count: 2
      allocatable: { cpu: "96", memory: 1152Gi, pods: 110, nvidia.com/gpu: 8 }
    - name: l4
      count: 1
      allocatable: { cpu: "48", memory: 192Gi, pods: 110, alibaba.com/gpu-milli: 4000 }
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - schedulerName: default-scheduler
        plugins:
          filter: { enabled: [{ name: Open-Gpu-Share }] }
          reserve: { enabled: [{ name: Open-Gpu-Share }] }
workload:
  - name: train
    at: 0s
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: train }
      spec:
        nodeSelector: { kubernetes.io/hostname: a100-0 }
        containers:
          - name: t
            image: pytorch
            resources: { requests: { cpu: "8", memory: 64Gi, nvidia.com/gpu: 8 }, limits: { nvidia.com/gpu: 8 } }
  - name: serve
    at: 0s
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: serve }
      spec:
        containers:
          - name: s
            image: vllm
            resources: { requests: { cpu: "4", memory: 16Gi, alibaba.com/gpu-milli: 500 }, limits: { alibaba.com/gpu-milli: 500 } }
`;

test('a cluster with GPUs: the heat map draws them per GPU resource, over the nodes that offer it, so a node whose GPUs are full shows full', () => {
  // a100-0's 8 nvidia.com/gpu are all held by "train", while its CPU is 8 of 96 requested: the
  // heat map showed CPU and memory only (a100 nodes ~68 % used in mixed-share.yaml while their
  // GPUs were full). l4-0 shares 4 GPUs, "serve" holds 500 milli-GPU of its 4000.
  const dir = join(out, 'mixed');
  writeFileSync(join(out, 'mixed.yaml'), MIXED);
  const r = ksim('run', join(out, 'mixed.yaml'), '-o', dir, '-q');
  assert.equal(r.status, 0, r.stderr);
  const nodes = runReport(dir).sections.find((s) => s.id === 'nodes')!;
  assert.deepEqual(nodes.figures?.map((f) => f.title), ['CPU requested per node', 'Memory requested per node', 'alibaba.com/gpu-milli requested per node', 'nvidia.com/gpu requested per node']);
  const [cpu, , shared, whole] = nodes.figures!.map((f) => f.chart as HeatmapChart);
  assert.deepEqual(cpu!.rows, ['a100-0', 'a100-1', 'general-0', 'general-1', 'l4-0']);
  assert.deepEqual(whole!.rows, ['a100-0', 'a100-1']);
  assert.deepEqual(shared!.rows, ['l4-0']);
  // 30 cells of 20 s; both pods bound at once, within the first cell.
  const last = (c: HeatmapChart, row: number) => c.values[(row + 1) * (c.edges.length - 1) - 1];
  assert.deepEqual([last(whole!, 0), last(whole!, 1), last(shared!, 0), last(cpu!, 0)], [1, 0, 0.125, 0.0833]);
  assert.match(nodes.intro!, /The GPUs too, a map per GPU resource over the nodes that offer it \(alibaba\.com\/gpu-milli, nvidia\.com\/gpu;/);
  assert.equal(nodes.figures?.[3]?.note, '30 bins of 20 s. The 2 nodes that offer nvidia.com/gpu.');
});
