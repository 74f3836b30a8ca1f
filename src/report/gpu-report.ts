// The GPU sections of the report, for runs whose profile enables Open-Gpu-Share (they write
// gpu_allocation.csv and summary.csv's gpu_* columns): a run's unallocated and fragmented GPU
// against the arrived GPU request, the FGD paper's figures (Weng et al., ATC '23, Fig. 7 and 9a);
// a sweep's gpu_* columns per matrix value (mean ± sd over the seeds, the paper's comparison)
// and, when its run folders hold gpu_allocation.csv, the same curves per matrix value.
// Without GPU data there is no section.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { constantOf, median, meanSd, type Figure, type LinesChart } from './charts.js';
import type { CsvHeader, CsvRow } from './csv-table.js';
import { GPU_ALLOCATION_FILE, idealUnallocatedPct, readGpuCurve, type GpuCurve } from './gpu-curve.js';
import { isObject } from '../api/values.js';
import { gpuPools, poolsText, sharedGpuResource, type GpuPool } from './gpu-resources.js';
import { readJsonObject } from './provenance.js';
import { groupLabeller, labelsSentence } from './matrix-labels.js';
import type { Headline, Section, Table } from './page.js';

/** summary.csv's GPU columns, in the order shown. */
export const GPU_METRICS = ['gpu_unallocated_at_100_pct', 'gpu_unallocated_at_130_pct', 'gpu_fragmentation_at_100_pct'] as const;

const X_LABEL = 'arrived GPU request (% of cluster GPU capacity)';
/** Where the zoomed curves start: the paper's figure of unallocated GPU starts at 75 %
 * (plot_paib_alloc.py); below it every policy allocates about all that arrives. */
const ZOOM_FROM_PCT = 75;
const IDEAL = 'ideal';

/** The run folder's GPU section, or null when it has no gpu_allocation.csv. */
export function gpuRunSection(dir: string, summary: CsvRow): Section | null {
  if (!existsSync(join(dir, GPU_ALLOCATION_FILE))) return null;
  const c = readGpuCurve(dir);
  const cover = coverage(dir, c.capacityGpus);
  const typ = typicalShapes(dir);
  const basis = cover.basis;
  // summary.csv's values are empty when the run's GPU request never came near the level (the
  // bin and both its neighbours without rows): said, rather than a bare dash.
  const last = c.arrivedPct.length - 1;
  const at = (column: string, hint: string): Pick<Headline, 'value' | 'hint'> => {
    const v = summary.numberOrNull(column);
    if (v !== null) return { value: pct(v), hint };
    return { value: '–', hint: last < 0 ? 'no row of gpu_allocation.csv has an arrived level' : `not reached: the arrived GPU request stopped at ${last} % of the ${basis}` };
  };
  const headlines: Headline[] = [
    { label: 'Unallocated GPU at 100 % arrived', ...at('gpu_unallocated_at_100_pct', `of the ${basis}`) },
    { label: 'Unallocated GPU at 130 % arrived', ...at('gpu_unallocated_at_130_pct', `of the ${basis}`) },
    { label: 'Fragmentation at 100 % arrived', ...at('gpu_fragmentation_at_100_pct', typ === null || typ.cpuOnly === 0 ? 'of the idle GPU' : `of the idle GPU, over all typical pods: the CPU-only shapes (${trim(100 * typ.cpuOnly)} % of their weight) count every idle GPU as fragmented`) },
    ...gpuPodsHeadline(c, basis),
    { label: 'GPU capacity', value: cover.value, hint: cover.hint },
    { label: 'Placed at the first attempt', value: `${c.bound} of ${c.pods} pods`, hint: `pods bound at their first scheduling attempt (${GPU_ALLOCATION_FILE})` },
  ];
  return {
    id: 'gpu',
    title: 'GPU allocation and fragmentation',
    intro: `From ${GPU_ALLOCATION_FILE}, one row per pod after its first scheduling attempt, binned by the GPU request arrived so far in % of the ${basis} (the mean of the rows in each 1 % bin, or of the bins next to it when it has none), as the FGD paper's analysis bins them; summary.csv's gpu_* columns are the values at 100 % and 130 %.${cover.sentence}${FRAG_SENTENCE}${typ === null ? '' : ' The typical pods of the last row are listed below (run.json\'s gpu_sharing).'}`,
    headlines,
    figures: [
      {
        id: 'gpu-unallocated',
        title: 'Unallocated and fragmented GPU by arrived GPU request',
        note: `Unallocated: GPU not held by any pod; fragmented: the part of it the workload\'s typical pods cannot use (FGD measure); both in % of the ${basis}. Ideal: every arrived GPU allocated until the cluster is full.`,
        chart: curveChart(`% of the ${basis}`, [
          { name: 'unallocated', values: c.unallocatedPct },
          { name: 'fragmented', values: c.fragmentedPct },
          ...(c.gpuFragmentedPct === null ? [] : [{ name: GPU_PODS, values: c.gpuFragmentedPct }]),
          { name: IDEAL, values: c.arrivedPct.map(idealUnallocatedPct) },
        ], c.arrivedPct, xLabelOf(basis)),
      },
      ...zoomed(c, basis),
      {
        id: 'gpu-frag-ratio',
        title: 'Fragmentation ratio by arrived GPU request',
        note: `Fragmented GPU in % of the idle GPU (fragmented_pct): how much of what is left the typical pods cannot use${c.gpuFragRatioPct === null ? '' : `; ${GPU_PODS} (gpu_pods_fragmented_pct): the same over the GPU-requesting typical pods only`}.`,
        chart: curveChart('% of idle GPU', [{ name: 'fragmentation ratio', values: c.fragRatioPct }, ...(c.gpuFragRatioPct === null ? [] : [{ name: GPU_PODS, values: c.gpuFragRatioPct }])], c.arrivedPct, xLabelOf(basis)),
      },
    ],
    tables: [curveTable(c, basis), ...(typ === null ? [] : [typ.table])],
  };
}

const GPU_PODS = 'fragmented for GPU pods';

const FRAG_SENTENCE = ' Fragmented, as the FGD paper measures it (its simulator\'s pkg/utils/frag.go, with CPU-only pods among the typical pods, as its experiments run): the idle GPU the typical pods cannot use, weighted by their frequency; a typical pod that asks no GPU cannot use any, so every idle GPU counts as fragmented for it, and a workload of mostly CPU-only pods reads as highly fragmented however well the GPU pods fit. "Fragmented for GPU pods" leaves them out (the simulator\'s isInvolvedCpuPods: false): the idle GPU the GPU-requesting pods cannot use.';

/** The fragmentation over the GPU pods at 100 % arrived, or at the last level the run reached. */
function gpuPodsHeadline(c: GpuCurve, basis: string): Headline[] {
  const ratio = c.gpuFragRatioPct;
  if (ratio === null || ratio.length === 0) return [];
  const last = ratio.length - 1;
  const b = last >= 100 ? 100 : last;
  const v = ratio[b] ?? null;
  return [{ label: `Fragmentation for GPU pods at ${b} % arrived`, value: pct(v), hint: `of the idle GPU, over the GPU-requesting typical pods only${b < 100 ? ` (the last level reached, of the ${basis})` : ''}` }];
}

interface ShapeFacts {
  readonly cpu: number;
  readonly milli: number;
  readonly count: number;
  readonly models: readonly string[];
  readonly weight: number;
}

/** run.json's typical pods (gpu_sharing.typical_pods, typical_gpu_pods) as a table, with the
 * CPU-only shapes' weight; null without them. */
function typicalShapes(dir: string): { table: Table; cpuOnly: number } | null {
  const g = readJsonObject(dir, 'run.json', 'the JSON object ksim run writes')?.['gpu_sharing'];
  if (!isObject(g)) return null;
  const list = (v: unknown): ShapeFacts[] | null => {
    if (!Array.isArray(v)) return null;
    const out: ShapeFacts[] = [];
    for (const x of v) {
      if (!isObject(x)) return null;
      const [cpu, milli, count, weight] = [x['cpu_milli'], x['gpu_milli'], x['gpu_count'], x['weight']];
      if (typeof cpu !== 'number' || typeof milli !== 'number' || typeof count !== 'number' || typeof weight !== 'number') return null;
      const models = Array.isArray(x['models']) ? x['models'].filter((m): m is string => typeof m === 'string') : [];
      out.push({ cpu, milli, count, models, weight });
    }
    return out;
  };
  const all = list(g['typical_pods']);
  const gpu = list(g['typical_gpu_pods']) ?? [];
  if (all === null || all.length === 0) return null;
  const key = (s: ShapeFacts) => `${s.cpu}/${s.milli}/${s.count}/${s.models.join('|')}`;
  const gpuWeight = new Map(gpu.map((s) => [key(s), s.weight]));
  const shape = (s: ShapeFacts) => s.milli === 0 ? `${trim(s.cpu / 1000)} CPU, no shared GPU` : `${trim(s.cpu / 1000)} CPU, ${s.count === 1 && s.milli < 1000 ? `${s.milli} milli-GPU of one GPU` : `${s.count} whole GPU${s.count === 1 ? '' : 's'}`}${s.models.length > 0 ? ` (${s.models.join(', ')})` : ''}`;
  const w = (v: number | undefined) => (v === undefined ? '–' : `${trim(100 * v)} %`);
  const rows = all.map((s) => [shape(s), w(s.weight), s.milli === 0 ? '– (asks no shared GPU)' : w(gpuWeight.get(key(s)))]);
  // GPU shapes among the GPU pods' own most common ones that the 95 % cut over all pods left out.
  for (const s of gpu) if (!all.some((a) => key(a) === key(s))) rows.push([shape(s), '–', w(s.weight)]);
  return {
    cpuOnly: all.filter((s) => s.milli === 0).reduce((a, s) => a + s.weight, 0),
    table: {
      caption: 'The typical pods of the last row of gpu_allocation.csv (the most common pod shapes, taken until they cover 95 % of the pods in the store, by frequency): their weight in fragmented_* and in gpu_pods_fragmented_*',
      columns: ['pod shape (CPU request, GPU)', 'weight, all typical pods', 'weight, GPU pods only'],
      rows,
    },
  };
}

const xLabelOf = (basis: string) => `arrived GPU request (% of ${basis})`;

/**
 * Which GPUs the curves cover: the devices of the GPU-share resource (gpu_allocation.csv's
 * capacity). A cluster with other GPUs too — whole nvidia.com/gpu on another pool, which no pod
 * shares — gets them named, with the curves' basis called the shared GPU capacity: its 36
 * shared GPUs are not the cluster's 84.
 */
function coverage(dir: string, capacityGpus: number): { basis: string; value: string; hint: string; sentence: string } {
  const shared = sharedGpuResource(dir);
  const pools = gpuPools(dir, shared);
  const mine = pools.filter((p) => p.resource === shared);
  const others = pools.filter((p) => p.resource !== shared);
  const where = mine.length === 0 ? shared : `${poolsText(mine)} (${shared})`;
  if (others.length === 0) return { basis: 'cluster GPU capacity', value: `${trim(capacityGpus)} GPUs`, hint: `on ${where}`, sentence: '' };
  const byResource = new Map<string, GpuPool[]>();
  for (const p of others) byResource.set(p.resource, [...(byResource.get(p.resource) ?? []), p]);
  const rest = [...byResource].map(([r, ps]) => `${trim(ps.reduce((a, p) => a + p.gpus, 0))} ${r} on ${poolsText(ps)}`);
  const ratios = [...byResource.keys()].map((r) => `${r}_requested_ratio`).join(', ');
  return {
    basis: 'shared GPU capacity',
    value: `${trim(capacityGpus)} shared GPUs`,
    hint: `on ${where}; not shared, outside these figures: ${rest.join('; ')}`,
    sentence: ` The curves cover the shared GPUs only: ${trim(capacityGpus)} GPUs (${shared}) on ${mine.length === 0 ? 'the GPU-share nodes' : poolsText(mine)}. The cluster's other GPUs, ${rest.join('; ')}, are resources Open-Gpu-Share does not share by device: they are outside these curves, and their allocation is in the per-node heat map below and in timeseries.csv's ${ratios}.`,
  };
}

/** One sweep run, as the GPU section reads it. */
export interface GpuSweepRun {
  readonly id: string;
  readonly seed: string;
  /** Matrix values joined as "PATH=V, PATH=V" ("" without a matrix). */
  readonly group: string;
  readonly row: CsvRow;
}

/** A sweep's GPU section, or null when sweep.csv has no gpu_* column with a value. `matrix`:
 * the --matrix paths; `runs`: the ok runs; `groups`: the matrix combinations in order; run
 * folders are `dir/<run id>`. */
export function gpuSweepSection(dir: string, header: CsvHeader, matrix: readonly string[], runs: readonly GpuSweepRun[], groups: readonly string[]): Section | null {
  const metrics = GPU_METRICS.filter((m) => header.has(m) && runs.some((r) => r.row.numberOrNull(m) !== null));
  if (metrics.length === 0) return null;
  const label = groupLabeller(matrix);
  const shown = groups.filter((g) => runs.some((r) => r.group === g));
  const values = (g: string, m: string) => runs.flatMap((r) => {
    const v = r.group === g ? r.row.numberOrNull(m) : null;
    return v === null ? [] : [{ v, seed: r.seed }];
  });
  const figures: Figure[] = metrics.map((m): Figure => {
    const all = shown.flatMap((g) => values(g, m).map((p) => p.v));
    const only = constantOf(all);
    if (only !== null) return { id: `gpu-${m}`, title: m, note: 'The same in every run: nothing to compare.', chart: { type: 'constant', text: `all ${all.length} runs: ${trim(only)}` } };
    return {
      id: `gpu-${m}`,
      title: m,
      note: 'Dots: runs (seeds); red tick: the mean; bar: ± 1 sample standard deviation.',
      chart: {
        type: 'meanSd',
        label: m,
        groups: shown.map(label),
        points: shown.flatMap((g) => values(g, m).map((p) => ({ g: label(g), v: p.v, seed: p.seed }))),
        stats: shown.map((g) => {
          const vs = values(g, m).map((p) => p.v);
          return { g: label(g), ...meanSd(vs), n: vs.length };
        }),
      },
    };
  });
  const curves = groupCurves(dir, runs, shown, label);
  if (curves !== null) figures.push(curves);
  const table: Table = {
    caption: 'Mean ± sample sd over the runs of each matrix value',
    columns: ['matrix values', 'runs', ...metrics],
    rows: shown.map((g) => [label(g), String(runs.filter((r) => r.group === g).length), ...metrics.map((m) => meanSdText(values(g, m).map((p) => p.v)))]),
  };
  return {
    id: 'gpu',
    title: 'GPU allocation by matrix value',
    intro: `summary.csv's GPU columns (runs whose profile enables Open-Gpu-Share): GPU left unallocated when the arrived GPU request is 100 % and 130 % of the cluster's capacity, and the fragmented share of the idle GPU at 100 %, per matrix value over the seeds: the FGD paper's comparison of policies (lower is better).${labelsSentence(matrix)}`,
    compact: true,
    figures,
    tables: [table],
  };
}

/** Per matrix value, the median over its runs of the unallocated-GPU curve (the paper's
 * estimator), when every run folder holds gpu_allocation.csv; null otherwise. */
function groupCurves(dir: string, runs: readonly GpuSweepRun[], groups: readonly string[], label: (g: string) => string): Figure | null {
  if (runs.length === 0 || !runs.every((r) => existsSync(join(dir, r.id, GPU_ALLOCATION_FILE)))) return null;
  const byGroup = new Map<string, GpuCurve[]>();
  for (const r of runs) {
    const list = byGroup.get(r.group) ?? [];
    list.push(readGpuCurve(join(dir, r.id)));
    byGroup.set(r.group, list);
  }
  const bins = Math.max(...[...byGroup.values()].flat().map((c) => c.arrivedPct.length));
  const from = Math.min(ZOOM_FROM_PCT, Math.max(0, bins - 1));
  const x = Array.from({ length: bins - from }, (_, i) => from + i);
  const series = groups.map((g) => ({
    name: label(g),
    values: x.map((b) => {
      const vs = (byGroup.get(g) ?? []).flatMap((c) => {
        const v = c.unallocatedPct[b];
        return v === undefined || v === null ? [] : [v];
      });
      return vs.length === 0 ? null : median(vs);
    }),
  }));
  series.push({ name: IDEAL, values: x.map(idealUnallocatedPct) });
  return {
    id: 'gpu-curves',
    title: 'Unallocated GPU by arrived GPU request, per matrix value',
    note: `From ${from} % arrived, as the paper's figure: the median over the runs of each matrix value of each run's curve (${GPU_ALLOCATION_FILE}, as in a run's report). Ideal: every arrived GPU allocated until the cluster is full.`,
    chart: curveChart('unallocated GPU (% of capacity)', series, x),
  };
}

/** The unallocated curve from 75 % arrived, where the policies differ (the paper's window);
 * none when the run never got there. */
function zoomed(c: GpuCurve, basis: string): Figure[] {
  const from = ZOOM_FROM_PCT;
  if (c.arrivedPct.length <= from + 1) return [];
  const x = c.arrivedPct.slice(from);
  return [{
    id: 'gpu-unallocated-zoom',
    title: `Unallocated GPU from ${from} % arrived`,
    note: 'The same curves where the cluster fills up, as the paper\'s figure shows them. Above the ideal line: GPU requested that found no room (below 100 %), GPU left idle while more is asked than the cluster has (above).',
    chart: curveChart(`% of the ${basis}`, [
      { name: 'unallocated', values: c.unallocatedPct.slice(from) },
      { name: 'fragmented', values: c.fragmentedPct.slice(from) },
      { name: IDEAL, values: x.map(idealUnallocatedPct) },
    ], x, xLabelOf(basis)),
  }];
}

function curveChart(yLabel: string, series: LinesChart['series'], x: readonly number[], xLabel = X_LABEL): LinesChart {
  // A small run leaves 1 % bins without a pod: the line goes on to the next bin that has one.
  const ideal = series.some((s) => s.name === IDEAL) ? { reference: [IDEAL] } : {};
  return { type: 'lines', x, xLabel, yLabel, percent: false, series, bands: [], joinGaps: true, ...ideal };
}

/** The arrived levels the paper discusses (its figures' and summary.csv's). */
const LEVELS = [50, 80, 90, 100, 110, 120, 130];

/** The curves at the paper's arrived levels the run reached, for readers of the printed page;
 * when the run stopped short of the last of them, also the last level it reached, and the caption
 * says which levels have no value. */
function curveTable(c: GpuCurve, basis: string): Table {
  const last = c.arrivedPct.length - 1;
  const at = LEVELS.filter((b) => b <= last);
  const missing = LEVELS.filter((b) => b > last);
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '–' : trim(v));
  const row = (b: number, label: string) => [label, cell(c.unallocatedPct[b]), cell(c.fragmentedPct[b]), cell(c.fragRatioPct[b]), ...(c.gpuFragRatioPct === null ? [] : [cell(c.gpuFragRatioPct[b])])];
  const rows = at.map((b) => row(b, String(b)));
  if (missing.length > 0 && last >= 0 && !at.includes(last)) rows.push(row(last, `${last} (the last level reached)`));
  const stopped = `its arrived GPU request stopped at ${last} % of the ${basis}`;
  const caption = missing.length === 0
    ? 'The curves at some arrived levels (%)'
    : at.length === 0
      ? `The curves at the last arrived level the run reached (%): ${stopped}, below the paper's levels (${LEVELS.join(', ')} %), which have no value`
      : `The curves at the paper's arrived levels the run reached (%): ${stopped}; ${missing.join(', ')} % have no value`;
  return {
    caption,
    columns: ['arrived % of capacity', 'unallocated % of capacity', 'fragmented % of capacity', 'fragmented % of idle', ...(c.gpuFragRatioPct === null ? [] : ['fragmented for GPU pods % of idle'])],
    rows,
  };
}

function meanSdText(vs: readonly number[]): string {
  if (vs.length === 0) return '–';
  const { mean, sd } = meanSd(vs);
  return sd === null ? mean.toFixed(2) : `${mean.toFixed(2)} ± ${sd.toFixed(2)}`;
}

function pct(v: number | null): string {
  return v === null ? '–' : `${trim(v)} %`;
}

/** At most 2 decimals, trailing zeros dropped. */
function trim(v: number): string {
  return String(Number(v.toFixed(2)));
}
