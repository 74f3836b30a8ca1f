// The GPU sections of the report on small hand-written CSVs: the curves a run's chart is drawn
// from, binned as the FGD paper's analysis bins them, and a sweep's mean ± sd per matrix value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import type { LinesChart, MeanSdChart } from './charts.js';
import { readAll } from './csv-table.js';
import { readGpuCurve } from './gpu-curve.js';
import { gpuRunSection, gpuSweepSection, type GpuSweepRun } from './gpu-report.js';
import { isGpuResource, sharedGpuResource } from './gpu-resources.js';
import { sweepReport } from './sweep-report.js';

const HEADER = 'time_s,pod,namespace,result,node,gpu_index,pod_gpu_milli,arrived_gpu_milli,allocated_gpu_milli,idle_gpu_milli,fragmented_gpu_milli,capacity_gpu_milli,arrived_pct,arrived_pct_bin,allocated_pct,fragmented_pct';

/** A 2-GPU cluster (2000 milli). Columns that matter: result, fragmented_gpu_milli,
 * capacity_gpu_milli, arrived_pct_bin, allocated_pct, fragmented_pct. */
const ROWS = [
  '0.1,p-0,default,bound,n-0,0,960,960,1000,1000,400,2000,48,48,50,40',
  '0.2,p-1,default,unschedulable,,,40,1000,1000,1000,200,2000,50,50,50,20',
  '0.3,p-2,default,bound,n-0,1,500,1000,1500,500,500,2000,50,50,75,100',
  '0.4,p-3,default,bound,n-1,1,1000,2000,1800,200,100,2000,100,100,90,50',
  '0.5,p-4,default,unschedulable,,,40,2040,1900,100,0,2000,102,102,95,0',
  '0.6,p-5,default,bound,n-1,0,560,2600,2000,0,0,2000,130,130,100,',
];

function gpuRun(rows: readonly string[] = ROWS): string {
  const dir = tempDir('ksim-gpu-report-');
  writeFileSync(join(dir, 'gpu_allocation.csv'), `${HEADER}\n${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'summary.csv'), 'scenario,seed,gpu_unallocated_at_100_pct,gpu_unallocated_at_130_pct,gpu_fragmentation_at_100_pct\ngpu,1,10,0,50\n');
  return dir;
}

const round = (v: number | null | undefined) => (v === null || v === undefined ? v : Number(v.toFixed(3)));

test('curve: each 1 % bin of arrived GPU is the mean of its rows, or of the bins ±1 together when it has none', () => {
  const c = readGpuCurve(gpuRun());
  assert.equal(c.arrivedPct.length, 131); // 0 … 130, the last bin with rows
  const at = (b: number) => [round(c.unallocatedPct[b]), round(c.fragmentedPct[b]), round(c.fragRatioPct[b])];
  // Unallocated = 100 − mean allocated_pct; fragmented = mean fragmented_gpu_milli / 2000 × 100;
  // ratio = mean fragmented_pct.
  assert.deepEqual(at(48), [50, 20, 40]);
  // 49 has no row: bins 48 and 50 together (rows p-0, p-1, p-2): allocated (50 + 50 + 75) / 3,
  // fragmented (20 + 10 + 25) / 3, ratio (40 + 20 + 100) / 3.
  assert.deepEqual(at(49), [41.667, 18.333, 53.333]);
  assert.deepEqual(at(50), [37.5, 17.5, 60]);
  assert.deepEqual(at(51), [37.5, 17.5, 60]); // only 50 of 50 and 52 has rows
  assert.deepEqual(at(52), [null, null, null]); // neither 51 nor 53
  assert.deepEqual(at(0), [null, null, null]);
  assert.deepEqual(at(100), [10, 5, 50]);
  assert.deepEqual(at(101), [7.5, 2.5, 25]); // 100 and 102
  // Nothing idle: fragmented_pct is empty and counts 0, as in summary.csv's column.
  assert.deepEqual(at(130), [0, 0, 0]);
  assert.equal(c.pods, 6);
  assert.equal(c.bound, 4);
  assert.equal(c.capacityGpus, 2);
});

test('run section: the paper\'s figure (unallocated, fragmented and ideal by arrived %), the fragmentation ratio, and summary.csv\'s values at 100 % and 130 %', () => {
  const dir = gpuRun();
  const s = readAll(dir, 'summary.csv', []).rows[0]!;
  const section = gpuRunSection(dir, s)!;
  assert.deepEqual(section.headlines?.map((h) => [h.label, h.value]), [
    ['Unallocated GPU at 100 % arrived', '10 %'],
    ['Unallocated GPU at 130 % arrived', '0 %'],
    ['Fragmentation at 100 % arrived', '50 %'],
    ['GPU capacity', '2 GPUs'],
    ['Placed at the first attempt', '4 of 6 pods'],
  ]);
  assert.equal(section.headlines?.[3]?.hint, 'on alibaba.com/gpu-milli'); // no nodes.csv here
  const [alloc, zoom, ratio] = section.figures!;
  const chart = alloc!.chart as LinesChart;
  assert.equal(chart.xLabel, 'arrived GPU request (% of cluster GPU capacity)');
  assert.deepEqual(chart.series.map((x) => x.name), ['unallocated', 'fragmented', 'ideal']);
  assert.equal(chart.x[100], 100);
  assert.deepEqual(chart.series.map((x) => round(x.values[100])), [10, 5, 0]);
  assert.deepEqual(chart.series.map((x) => round(x.values[48])), [50, 20, 52]);
  assert.deepEqual(chart.reference, ['ideal']); // drawn grey and dashed
  // From 75 %, the paper's window: bin 100 is the 26th point.
  const z = zoom!.chart as LinesChart;
  assert.deepEqual([z.x[0], z.x.at(-1), z.x.length], [75, 130, 56]);
  assert.deepEqual(z.series.map((x) => round(x.values[25])), [10, 5, 0]);
  assert.deepEqual((ratio!.chart as LinesChart).series.map((x) => round(x.values[50])), [60]);
  assert.deepEqual(section.tables?.[0]?.rows, [
    ['50', '37.5', '17.5', '60'], ['80', '–', '–', '–'], ['90', '–', '–', '–'], ['100', '10', '5', '50'],
    ['110', '–', '–', '–'], ['120', '–', '–', '–'], ['130', '0', '0', '0'],
  ]);
});

test('run section of a run whose GPU request stops short of the paper\'s levels: the table gives the last level reached and says why the others are missing; the headlines say they were not reached', () => {
  // Only bin 48 has rows (the run's arrived GPU request reached 48 % of capacity): the paper's
  // levels (50 … 130) are all beyond it. The table printed its header and no row.
  const dir = gpuRun([ROWS[0]!]);
  writeFileSync(join(dir, 'summary.csv'), 'scenario,seed,gpu_unallocated_at_100_pct,gpu_unallocated_at_130_pct,gpu_fragmentation_at_100_pct\ngpu,1,,,\n');
  const section = gpuRunSection(dir, readAll(dir, 'summary.csv', []).rows[0]!)!;
  const table = section.tables?.[0];
  assert.deepEqual(table?.rows, [['48 (the last level reached)', '50', '20', '40']]);
  assert.equal(table?.caption, 'The curves at the last arrived level the run reached (%): its arrived GPU request stopped at 48 % of the cluster GPU capacity, below the paper\'s levels (50, 80, 90, 100, 110, 120, 130 %), which have no value');
  assert.deepEqual(section.headlines?.slice(0, 3).map((h) => [h.value, h.hint]), [
    ['–', 'not reached: the arrived GPU request stopped at 48 % of the cluster GPU capacity'],
    ['–', 'not reached: the arrived GPU request stopped at 48 % of the cluster GPU capacity'],
    ['–', 'not reached: the arrived GPU request stopped at 48 % of the cluster GPU capacity'],
  ]);
  // Part of the way: the levels reached, then the last one.
  const part = gpuRunSection(gpuRun(ROWS.slice(0, 4)), readAll(dir, 'summary.csv', []).rows[0]!)!;
  assert.deepEqual(part.tables?.[0]?.rows.map((r) => r[0]), ['50', '80', '90', '100']);
  assert.equal(part.tables?.[0]?.caption, 'The curves at the paper\'s arrived levels the run reached (%): its arrived GPU request stopped at 100 % of the cluster GPU capacity; 110, 120, 130 % have no value');
});

test('run section of a cluster with shared and whole GPUs: the capacity says the curves cover the shared GPUs only and names the others, pool by pool', () => {
  // mixed-share.yaml in small: pool l4 shares 2 GPUs (alibaba.com/gpu-milli 1000 on each of 2
  // nodes, gpu_allocation.csv's 2000), pool a100 has 16 whole nvidia.com/gpu (a third a100 node
  // was deleted: not counted), pool general none. The headline read "GPU capacity 2 GPUs".
  const dir = gpuRun();
  writeFileSync(join(dir, 'nodes.csv'), [
    'node,pool,zone,ready,deleted_s,pods,cpu_requested_milli,cpu_allocatable_milli,memory_requested_bytes,memory_allocatable_bytes,alibaba.com/gpu-milli_requested,alibaba.com/gpu-milli_allocatable,nvidia.com/gpu_requested,nvidia.com/gpu_allocatable',
    'g-0,general,z,true,,0,0,1000,0,1000,0,0,0,0',
    'a-0,a100,z,true,,0,0,1000,0,1000,0,0,8,8',
    'a-1,a100,z,true,,0,0,1000,0,1000,0,0,0,8',
    'a-2,a100,z,true,30,0,0,1000,0,1000,0,0,0,8',
    'n-0,l4,z,true,,0,0,1000,0,1000,1000,1000,0,0',
    'n-1,l4,z,true,,0,0,1000,0,1000,500,1000,0,0',
  ].join('\n') + '\n');
  const s = readAll(dir, 'summary.csv', []).rows[0]!;
  const section = gpuRunSection(dir, s)!;
  const cap = section.headlines?.find((h) => h.label === 'GPU capacity');
  assert.equal(cap?.value, '2 shared GPUs');
  assert.equal(cap?.hint, 'on pool l4 (alibaba.com/gpu-milli); not shared, outside these figures: 16 nvidia.com/gpu on pool a100');
  assert.match(section.intro!, / The curves cover the shared GPUs only: 2 GPUs \(alibaba\.com\/gpu-milli\) on pool l4\. The cluster's other GPUs, 16 nvidia\.com\/gpu on pool a100, are resources Open-Gpu-Share does not share by device: they are outside these curves, and their allocation is in the per-node heat map below and in timeseries\.csv's nvidia\.com\/gpu_requested_ratio\. Fragmented, as the FGD paper measures it/);
  assert.equal(section.headlines?.[0]?.hint, 'of the shared GPU capacity');
  assert.equal((section.figures![0]!.chart as LinesChart).xLabel, 'arrived GPU request (% of shared GPU capacity)');
  // The run's own GPU-share resource, from run.json, whatever its name; GPUs by name otherwise.
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ gpu_sharing: { resource: 'acme.io/accel-milli' } }));
  assert.equal(sharedGpuResource(dir), 'acme.io/accel-milli');
  assert.deepEqual(['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', 'nvidia.com/mig-1g.10gb', 'alibaba.com/gpu-milli', 'acme.io/accel-milli', 'hugepages-2Mi', 'example.com/fpga'].map((r) => isGpuResource(r, 'acme.io/accel-milli')), [true, true, true, true, true, true, false, false]);
});

test('run section with the GPU pods\' fragmentation: the paper\'s measure says its CPU-only share, the GPU pods\' measure is drawn beside it, and the typical pods and their weights are listed', () => {
  // mixed-share.yaml's last row in small: 72 % of the idle GPU "fragmented", 3/4 of the typical
  // weight being CPU-only shapes (a DaemonSet, web pods), while the GPU pods fit (0 %).
  const dir = tempDir('ksim-gpu-report-gpupods-');
  writeFileSync(join(dir, 'gpu_allocation.csv'), `${HEADER},gpu_pods_fragmented_gpu_milli,gpu_pods_fragmented_pct\n0.1,serve-0,default,bound,n-0,0,500,500,500,1500,1080,2000,25,25,25,72,150,10\n0.2,serve-1,default,bound,n-0,0,500,1000,1000,1000,720,2000,50,50,50,72,0,0\n`);
  writeFileSync(join(dir, 'summary.csv'), 'scenario,seed,gpu_unallocated_at_100_pct,gpu_unallocated_at_130_pct,gpu_fragmentation_at_100_pct\ngpu,1,,,\n');
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ gpu_sharing: {
    resource: 'alibaba.com/gpu-milli',
    typical_pods: [
      { cpu_milli: 1000, gpu_milli: 0, gpu_count: 0, models: [], weight: 0.5 },
      { cpu_milli: 3000, gpu_milli: 0, gpu_count: 0, models: [], weight: 0.25 },
      { cpu_milli: 4000, gpu_milli: 500, gpu_count: 1, models: [], weight: 0.25 },
    ],
    typical_gpu_pods: [
      { cpu_milli: 4000, gpu_milli: 500, gpu_count: 1, models: [], weight: 0.8 },
      { cpu_milli: 16000, gpu_milli: 1000, gpu_count: 2, models: ['A100'], weight: 0.2 },
    ],
  } }));
  const section = gpuRunSection(dir, readAll(dir, 'summary.csv', []).rows[0]!)!;
  assert.deepEqual(section.headlines?.slice(2, 4).map((h) => [h.label, h.value, h.hint]), [
    ['Fragmentation at 100 % arrived', '–', 'not reached: the arrived GPU request stopped at 50 % of the cluster GPU capacity'],
    ['Fragmentation for GPU pods at 50 % arrived', '0 %', 'of the idle GPU, over the GPU-requesting typical pods only (the last level reached, of the cluster GPU capacity)'],
  ]);
  assert.match(section.intro!, /a typical pod that asks no GPU cannot use any, so every idle GPU counts as fragmented for it/);
  const [alloc, ratio] = [section.figures![0]!.chart as LinesChart, section.figures!.at(-1)!.chart as LinesChart];
  assert.deepEqual(alloc.series.map((x) => x.name), ['unallocated', 'fragmented', 'fragmented for GPU pods', 'ideal']);
  assert.deepEqual(ratio.series.map((x) => [x.name, x.values[25], x.values[50]]), [['fragmentation ratio', 72, 72], ['fragmented for GPU pods', 10, 0]]);
  assert.deepEqual(section.tables?.[0]?.rows, [['50', '50', '36', '72', '0']]);
  const shapes = section.tables?.[1];
  assert.deepEqual(shapes?.columns, ['pod shape (CPU request, GPU)', 'weight, all typical pods', 'weight, GPU pods only']);
  assert.deepEqual(shapes?.rows, [
    ['1 CPU, no shared GPU', '50 %', '– (asks no shared GPU)'],
    ['3 CPU, no shared GPU', '25 %', '– (asks no shared GPU)'],
    ['4 CPU, 500 milli-GPU of one GPU', '25 %', '80 %'],
    ['16 CPU, 2 whole GPUs (A100)', '–', '20 %'],
  ]);
  // With a summary value, its hint gives the CPU-only weight.
  writeFileSync(join(dir, 'summary.csv'), 'scenario,seed,gpu_unallocated_at_100_pct,gpu_unallocated_at_130_pct,gpu_fragmentation_at_100_pct\ngpu,1,,,72\n');
  assert.equal(gpuRunSection(dir, readAll(dir, 'summary.csv', []).rows[0]!)!.headlines?.[2]?.hint, 'of the idle GPU, over all typical pods: the CPU-only shapes (75 % of their weight) count every idle GPU as fragmented');
});

test('curve: a result other than bound, unschedulable or error is bad input at its row and column', () => {
  const dir = gpuRun([ROWS[0]!, ROWS[1]!.replace('unschedulable', 'boud')]);
  assert.throws(() => readGpuCurve(dir), { name: 'InputError', message: `${join(dir, 'gpu_allocation.csv')}:3:4: result: expected one of bound, unschedulable, error, got "boud"` });
});

test('run section: none without gpu_allocation.csv', () => {
  const dir = tempDir('ksim-gpu-report-none-');
  writeFileSync(join(dir, 'summary.csv'), 'scenario,seed\nx,1\n');
  assert.equal(gpuRunSection(dir, readAll(dir, 'summary.csv', []).rows[0]!), null);
});

const SWEEP_HEADER = 'run_id,seed,score,status,scenario,gpu_unallocated_at_100_pct,gpu_unallocated_at_130_pct,gpu_fragmentation_at_100_pct';
const SWEEP_ROWS = [
  'r1,1,BestFitScore,ok,gpu,7,6.5,99',
  'r2,2,BestFitScore,ok,gpu,6,6,98',
  'r3,3,BestFitScore,ok,gpu,8,7,97',
  'r4,1,FGDScore,ok,gpu,5,4.5,99',
  'r5,2,FGDScore,ok,gpu,5,4.5,99',
  'r6,3,FGDScore,error,gpu,,,',
];

test('sweep section: per matrix value the mean ± sample sd of the gpu_* columns over its ok runs, a dot per seed', () => {
  const dir = tempDir('ksim-gpu-sweep-');
  writeFileSync(join(dir, 'sweep.csv'), `${SWEEP_HEADER}\n${SWEEP_ROWS.join('\n')}\n`);
  const page = sweepReport(dir);
  const gpu = page.sections.find((s) => s.id === 'gpu')!;
  assert.deepEqual(gpu.figures?.map((f) => f.id), ['gpu-gpu_unallocated_at_100_pct', 'gpu-gpu_unallocated_at_130_pct', 'gpu-gpu_fragmentation_at_100_pct']);
  const c = gpu.figures?.[0]?.chart as MeanSdChart;
  assert.deepEqual(c.groups, ['BestFitScore', 'FGDScore']);
  // BestFit 7, 6, 8: mean 7, sd √((0 + 1 + 1) / 2) = 1; FGD 5, 5 (r6 failed): sd 0.
  assert.deepEqual(c.stats, [{ g: 'BestFitScore', mean: 7, sd: 1, n: 3 }, { g: 'FGDScore', mean: 5, sd: 0, n: 2 }]);
  assert.deepEqual(c.points.map((p) => [p.g, p.seed, p.v]), [
    ['BestFitScore', '1', 7], ['BestFitScore', '2', 6], ['BestFitScore', '3', 8], ['FGDScore', '1', 5], ['FGDScore', '2', 5],
  ]);
  // 130 %: BestFit 6.5, 6, 7 → 6.5 ± 0.5.
  assert.deepEqual(gpu.tables?.[0]?.rows, [['BestFitScore', '3', '7.00 ± 1.00', '6.50 ± 0.50', '98.00 ± 1.00'], ['FGDScore', '2', '5.00 ± 0.00', '4.50 ± 0.00', '99.00 ± 0.00']]);
  // Run folders without gpu_allocation.csv: no curves.
  assert.ok(!gpu.figures?.some((f) => f.id === 'gpu-curves'));
});

test('sweep section: with every run folder holding gpu_allocation.csv, the median curve per matrix value', () => {
  const dir = tempDir('ksim-gpu-sweep-curves-');
  writeFileSync(join(dir, 'sweep.csv'), `${SWEEP_HEADER}\n${SWEEP_ROWS.slice(0, 5).join('\n')}\n`);
  // Unallocated at bin 100: BestFit runs 10, 20, 40 → median 20; FGD runs 4, 6 → median 5.
  const unallocatedAt100 = { r1: 10, r2: 20, r3: 40, r4: 4, r5: 6 };
  for (const [id, u] of Object.entries(unallocatedAt100)) {
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, 'gpu_allocation.csv'), `${HEADER}\n0.1,p,default,bound,n,0,1000,2000,${2000 - u * 20},${u * 20},0,2000,100,100,${100 - u},0\n`);
  }
  const gpu = sweepReport(dir).sections.find((s) => s.id === 'gpu')!;
  const curves = gpu.figures?.find((f) => f.id === 'gpu-curves')?.chart as LinesChart;
  // From 75 % arrived, as the paper's figure (bins 75 … 100).
  assert.deepEqual([curves.x[0], curves.x.at(-1)], [75, 100]);
  const at = (b: number) => curves.series.map((s) => [s.name, s.values[curves.x.indexOf(b)]]);
  assert.deepEqual(at(100), [['BestFitScore', 20], ['FGDScore', 5], ['ideal', 0]]);
  assert.deepEqual(at(99), [['BestFitScore', 20], ['FGDScore', 5], ['ideal', 1]]);
  assert.deepEqual(at(97), [['BestFitScore', null], ['FGDScore', null], ['ideal', 3]]);
});

test('sweep section: none when sweep.csv has no gpu_* column, or none with a value', () => {
  const runs: GpuSweepRun[] = [];
  const dir = tempDir('ksim-gpu-sweep-none-');
  writeFileSync(join(dir, 'sweep.csv'), 'run_id,seed,status,scenario,pods_bound\nr1,1,ok,x,3\n');
  assert.equal(sweepReport(dir).sections.some((s) => s.id === 'gpu'), false);
  writeFileSync(join(dir, 'sweep.csv'), 'run_id,seed,status,scenario,gpu_unallocated_at_100_pct\nr1,1,ok,x,\n');
  const { header } = readAll(dir, 'sweep.csv', []);
  assert.equal(gpuSweepSection(dir, header, [], runs, ['']), null);
  assert.equal(sweepReport(dir).sections.some((s) => s.id === 'gpu'), false);
});

test('sweep section: with several matrix paths, each named by its last field', () => {
  const dir = tempDir('ksim-gpu-sweep-two-');
  writeFileSync(join(dir, 'sweep.csv'), 'run_id,seed,a.score,b.pools[0].count,status,gpu_unallocated_at_100_pct\nr1,1,X,3,ok,4\nr2,1,Y,3,ok,5\n');
  const c = sweepReport(dir).sections.find((s) => s.id === 'gpu')?.figures?.[0]?.chart as MeanSdChart;
  assert.deepEqual(c.groups, ['score=X, count=3', 'score=Y, count=3']);
  assert.deepEqual(c.stats, [{ g: 'score=X, count=3', mean: 4, sd: null, n: 1 }, { g: 'score=Y, count=3', mean: 5, sd: null, n: 1 }]);
});
