// The report of one run folder (ksim run's outputs): headline figures from summary.csv, the
// cluster's allocation and pods over time from timeseries.csv, a per-node heat map from pods.csv
// and nodes.csv, with GPU sharing the FGD paper's curves from gpu_allocation.csv
// (gpu-report.ts), and, with faults, their timeline and recovery from recovery.csv.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../api/input-error.js';
import type { Band, Figure, LinesChart } from './charts.js';
import { readAll, readCsv, type CsvRow } from './csv-table.js';
import { gpuRunSection } from './gpu-report.js';
import { gpuPools, sharedGpuResource } from './gpu-resources.js';
import { MAX_BINS, NodeHeatmapBuilder, type Heatmap, type HeatmapFault, type HeatmapNode } from './node-heatmap.js';
import type { Headline, ReportPage, Section } from './page.js';
import { runAbout } from './provenance.js';

/** More samples than this are thinned (every k-th row) in the time-series charts. */
const MAX_POINTS = 2000;
/** The heat map's fewest cells over the run. */
const MIN_BINS = 30;

interface Fault {
  readonly id: string;
  readonly kind: string;
  readonly target: string;
  readonly startS: number;
  /** The fault's end, or the run's end for a fault that never ends. */
  readonly endS: number;
  readonly detectedS: number | null;
  readonly firstEvictionS: number | null;
  readonly fullAvailabilityS: number | null;
  readonly minAvailableRatio: number | null;
}

export function runReport(dir: string): ReportPage {
  const summary = readAll(dir, 'summary.csv', ['scenario', 'seed', 'sim_duration_s']);
  const s = summary.rows[0];
  if (s === undefined) throw summaryMissing(dir);
  const durationS = s.number('sim_duration_s');
  const faults = existsSync(join(dir, 'recovery.csv')) ? readFaults(dir, durationS) : null;
  const bands: Band[] = (faults ?? []).map((f) => ({ x1: f.startS, x2: f.endS, label: `${f.id} ${f.kind} ${f.target}` }));
  const ts = timeSeries(dir, bands, s);
  const gpu = gpuRunSection(dir, s);
  const sections: Section[] = [
    { id: 'summary', title: 'Headline figures', intro: 'From summary.csv. Latencies are nearest-rank percentiles over the pods of the run.', headlines: headlines(s), pairs: { caption: 'summary.csv', items: summary.header.columns.map((c) => [c, s.text(c)] as const) } },
    ts.samples < 3
      // The start's sample and the end's (a run no longer than one metrics.sampleInterval) draw
      // a straight line between the empty start and the end: said instead.
      ? { id: 'over-time', title: 'Over time', intro: `Too short for a time series: timeseries.csv has ${ts.samples === 0 ? 'no sample' : ts.samples === 1 ? `1 sample (at ${seconds(ts.firstS)})` : `2 samples, at ${seconds(ts.firstS)} and at the end of the run`}, the run lasted ${seconds(durationS)}, no longer than one metrics.sampleInterval (set a shorter one in the scenario for these charts). The state at the end: summary.csv above, nodes.csv and the heat map below.` }
      : { id: 'over-time', title: 'Over time', intro: `From timeseries.csv, one sample every ${ts.intervalS} s${ts.lastS !== null ? `, the last at the end of the run (${seconds(ts.lastS)})` : ''}.${bands.length > 0 ? ' Shaded: fault windows (recovery.csv).' : ''}`, figures: ts.figures },
    ...(gpu === null ? [] : [gpu]),
    heatmapSection(dir, durationS, ts.samples, faults ?? []),
    faultsSection(dir, faults, durationS),
  ];
  return { kind: 'ksim run', title: `${s.text('scenario')} (seed ${s.text('seed')})`, about: runAbout(dir, s.text('scenario'), s.text('seed')), sections };
}

function summaryMissing(dir: string): InputError {
  return new InputError(join(dir, 'summary.csv'), 0, 0, '', 'one data row after the header', 'none');
}

function headlines(s: CsvRow): Headline[] {
  const n = (c: string) => s.numberOrNull(c);
  // A cluster snapshot's pending pods are bound during the run but were not created in it: then
  // "bound of created" would read "1 of 0".
  const bound = n('pods_bound') ?? 0;
  const submitted = n('pods_submitted') ?? 0;
  const out: Headline[] = [
    bound <= submitted
      ? { label: 'Pods bound', value: `${s.text('pods_bound')} of ${s.text('pods_submitted')}`, hint: 'bound / created during the run' }
      : { label: 'Pods bound', value: s.text('pods_bound'), hint: `bound during the run, a snapshot's pending pods included (${s.text('pods_submitted')} created during it)` },
    { label: 'Unbound at the end', value: s.text('pods_unbound_end') },
  ];
  if (n('replicas_desired_end') !== null) out.push({ label: 'Replicas ready at the end', value: `${s.text('replicas_ready_end')} of ${s.text('replicas_desired_end')}` });
  out.push(
    { label: 'Scheduling latency', value: `${ms(n('sched_latency_p50_ms'))} / ${ms(n('sched_latency_p99_ms'))}`, hint: 'p50 / p99, creation → bound' },
    { label: 'Startup latency', value: `${ms(n('startup_latency_p50_ms'))} / ${ms(n('startup_latency_p99_ms'))}`, hint: 'p50 / p99, creation → Running' },
    { label: 'CPU / memory requested', value: `${pct(n('cpu_requested_mean_ratio'))} / ${pct(n('memory_requested_mean_ratio'))}`, hint: 'time-weighted mean over Ready nodes' },
    { label: 'Simulated time', value: seconds(n('sim_duration_s')), hint: `${s.text('events')} events` },
  );
  if ((n('node_failures') ?? 0) > 0) {
    out.push(
      { label: 'Node failures / pods evicted', value: `${s.text('node_failures')} / ${s.text('pods_evicted')}` },
      { label: 'Reschedule time', value: `${seconds(n('reschedule_p50_s'))} / ${seconds(n('reschedule_p99_s'))}`, hint: 'p50 / p99, eviction → replacement bound' },
    );
  }
  return out;
}

/** summary.csv's peaks of the requested ratios, which fall between the samples (rolling-update:
 * cpu 0.625 at 303.5 s, where the samples a minute apart top at 0.4375): each resource's peak,
 * the time given to the one whose peak is the highest (requested_peak_s is when the larger of the
 * two ratios reached its highest; the other's peak may be at another time). */
function peaksOf(summary: CsvRow, names: readonly string[]): NonNullable<LinesChart['peaks']> {
  const found = names.flatMap((name) => {
    const v = summary.header.has(`${name}_requested_peak_ratio`) ? summary.numberOrNull(`${name}_requested_peak_ratio`) : null;
    return v === null ? [] : [{ name, value: v }];
  });
  const atS = summary.header.has('requested_peak_s') ? summary.numberOrNull('requested_peak_s') : null;
  const top = Math.max(...found.map((p) => p.value));
  const first = found.find((p) => p.value === top);
  return found.map((p) => ({ ...p, x: p === first ? atS : null }));
}

function timeSeries(dir: string, bands: readonly Band[], summary: CsvRow): { figures: Figure[]; samples: number; intervalS: number; firstS: number; lastS: number | null } {
  const { header, rows } = readAll(dir, 'timeseries.csv', ['time_s', 'pods_pending', 'pods_running', 'cpu_requested_ratio', 'memory_requested_ratio']);
  const stride = Math.max(1, Math.ceil(rows.length / MAX_POINTS));
  const kept = rows.filter((_, i) => i % stride === 0 || i === rows.length - 1);
  const x = kept.map((r) => r.number('time_s'));
  const column = (c: string) => kept.map((r) => r.numberOrNull(c));
  // Cluster-wide ratios only: "<group>:" columns (metrics.groupBy) hold a ':'.
  const ratios = header.columns.filter((c) => c.endsWith('_requested_ratio') && !c.includes(':'));
  const pods = ['pods_pending', 'pods_running', 'pods_available'].filter((c) => header.has(c));
  const intervalS = rows.length >= 2 ? (rows[1] as CsvRow).number('time_s') - (rows[0] as CsvRow).number('time_s') : 0;
  // The last row is the end of the run's (timeseries.csv), off the interval's grid when the
  // interval does not divide the duration: said, not passed off as one more interval.
  const spanS = rows.length >= 3 ? (rows[rows.length - 1] as CsvRow).number('time_s') - (rows[rows.length - 2] as CsvRow).number('time_s') : intervalS;
  const lastS = Math.abs(spanS - intervalS) > 1e-6 ? (rows[rows.length - 1] as CsvRow).number('time_s') : null;
  const thinned = stride > 1 ? ` Every ${stride}th sample is drawn (${rows.length} in the file).` : '';
  const names = ratios.map((c) => c.replace(/_requested_ratio$/, ''));
  const peaks = peaksOf(summary, names);
  const peaksNote = peaks.length === 0 ? '' : ` Marked: each resource's highest ratio at any instant of the run (summary.csv's ${peaks.map((p) => `${p.name}_requested_peak_ratio`).join(', ')}${peaks.some((p) => p.x !== null) ? ', a dot at requested_peak_s' : ''}), which the samples may miss.`;
  return {
    samples: rows.length,
    intervalS,
    lastS,
    firstS: rows[0]?.number('time_s') ?? 0,
    figures: [
      {
        id: 'allocation',
        title: 'Allocation per resource',
        note: `Σ requests of the pods on Ready nodes / Σ allocatable of the Ready nodes (timeseries.csv ${ratios.join(', ')}).${bands.length > 0 ? ' An outage shows as a rise once the evicted pods are replaced on fewer nodes.' : ''}${peaksNote}${thinned}`,
        chart: { type: 'lines', x, xLabel: 'time (s)', yLabel: 'requested / allocatable (%)', percent: true, series: ratios.map((c, i) => ({ name: names[i] as string, values: column(c) })), bands, ...(peaks.length > 0 ? { peaks } : {}) },
      },
      {
        id: 'pods',
        title: 'Pods pending and running',
        note: `Pods by phase at each sample; available = Running on a Ready node, not Terminating, and Ready for its owner's minReadySeconds (pods on a NotReady node are Running but not available).${thinned}`,
        chart: { type: 'lines', x, xLabel: 'time (s)', yLabel: 'pods', percent: false, series: pods.map((c) => ({ name: c.replace(/^pods_/, ''), values: column(c) })), bands },
      },
    ],
  };
}

function readFaults(dir: string, durationS: number): Fault[] {
  const { rows } = readAll(dir, 'recovery.csv', ['fault_id', 'kind', 'target', 'start_s', 'end_s']);
  return rows.map((r) => ({
    id: r.text('fault_id'),
    kind: r.text('kind'),
    target: r.text('target'),
    startS: r.number('start_s'),
    endS: r.numberOrNull('end_s') ?? durationS,
    detectedS: r.numberOrNull('detected_s'),
    firstEvictionS: r.numberOrNull('first_eviction_s'),
    fullAvailabilityS: r.numberOrNull('time_to_full_availability_s'),
    minAvailableRatio: r.numberOrNull('min_available_ratio'),
  }));
}

function heatmapSection(dir: string, durationS: number, samples: number, faults: readonly Fault[]): Section {
  const nodes: HeatmapNode[] = [];
  // The GPUs (nvidia.com/gpu, the GPU-share resource, ...) the nodes offer: a heat map each, of
  // the nodes that offer it, so a node whose GPUs are full does not pass for a node 68 % used
  // by its CPU and memory.
  const shared = sharedGpuResource(dir);
  const gpus = [...new Set(gpuPools(dir, shared).map((p) => p.resource))].sort();
  const gpuNodes: HeatmapNode[][] = gpus.map(() => []);
  // The nodes at the end: a node deleted during the run (deleted_s) has no row of cells.
  readCsv(dir, 'nodes.csv', ['node', 'cpu_allocatable_milli', 'memory_allocatable_bytes'], (r) => {
    if (r.header.has('deleted_s') && r.text('deleted_s') !== '') return;
    const n: HeatmapNode = { name: r.text('node'), pool: r.text('pool'), zone: r.text('zone'), cpuAllocatableMilli: r.number('cpu_allocatable_milli'), memoryAllocatableBytes: r.number('memory_allocatable_bytes') };
    nodes.push(n);
    gpus.forEach((g, i) => {
      const a = r.numberOrNull(`${g}_allocatable`) ?? 0;
      if (a > 0) gpuNodes[i]!.push({ ...n, extendedAllocatable: [a] });
    });
  });
  // A cell per sample interval, but at least MIN_BINS: pods.csv gives every instant, and a run no
  // longer than metrics.sampleInterval (one sample) made a heat map of one cell.
  const bins = Math.min(MAX_BINS, Math.max(MIN_BINS, samples - 1));
  const builder = new NodeHeatmapBuilder(nodes, durationS, bins);
  const gpuBuilders = gpus.map((g, i) => new NodeHeatmapBuilder(gpuNodes[i]!, durationS, bins, [g]));
  const one = [0];
  const header = readCsv(dir, 'pods.csv', ['node', 'bound_s', 'finished_s', 'deleted_s'], (r) => {
    if (r.text('node') === '' || !r.header.has('cpu_requested_milli')) return;
    const from = r.numberOrNull('bound_s');
    if (from === null) return;
    const to = Math.min(r.numberOrNull('finished_s') ?? Infinity, r.numberOrNull('deleted_s') ?? Infinity);
    const cpu = r.number('cpu_requested_milli');
    const mem = r.number('memory_requested_bytes');
    builder.addPod(r.text('node'), from, to, cpu, mem);
    gpus.forEach((g, i) => {
      const column = `${g}_requested`;
      one[0] = r.header.has(column) ? r.numberOrNull(column) ?? 0 : 0;
      if (one[0] > 0) gpuBuilders[i]!.addPod(r.text('node'), from, to, cpu, mem, one);
    });
  });
  const intro = `Each cell: Σ requests of the pods on the node (from bound_s until finished_s or deleted_s in pods.csv; a Terminating pod still holds its place) / its allocatable (nodes.csv), time-weighted over the cell. Rows by zone, then name. Outlined: the fault windows on the nodes they hit.${gpus.length === 0 ? '' : ` The GPUs too, a map per GPU resource over the nodes that offer it (${gpus.join(', ')}; a GPU-share resource's milli-GPUs as requested, the devices' fragments not shown).`}`;
  if (!header.has('cpu_requested_milli')) {
    return { id: 'nodes', title: 'Per-node utilisation', intro: 'pods.csv has no cpu_requested_milli column (it was written by an older ksim): run the scenario again for the heat map.' };
  }
  const hmFaults = faults.map((f): HeatmapFault => ({ target: f.target, startS: f.startS, endS: f.endS }));
  const hm = builder.build(hmFaults);
  const figure = (id: string, what: string, values: readonly (number | null)[], h: Heatmap, count: number): Figure => {
    const grouped = h.rowsAre === 'node' ? '' : h.rowsAre === 'pool' ? ` ${count} nodes: one row per pool (Σ requests / Σ allocatable of its nodes).` : ` ${count} nodes: one row per run of consecutive nodes (Σ requests / Σ allocatable).`;
    return {
      id,
      title: `${what} requested per node`,
      note: `${h.edges.length - 1} bins of ${seconds(h.edges[1] ?? 0)}.${grouped}`,
      chart: { type: 'heatmap', rows: h.rows, edges: h.edges, values, label: `${what} requested / allocatable (%)`, faults: h.faults },
    };
  };
  const gpuFigures = gpus.map((g, i) => {
    const h = gpuBuilders[i]!.build(hmFaults);
    const f = figure(`heatmap-gpu-${i}`, g, h.extended[0]!, h, gpuNodes[i]!.length);
    return { ...f, note: `${f.note} The ${gpuNodes[i]!.length} nodes that offer ${g}.` };
  });
  return { id: 'nodes', title: 'Per-node utilisation', intro, figures: [figure('heatmap-cpu', 'CPU', hm.cpu, hm, nodes.length), figure('heatmap-memory', 'Memory', hm.memory, hm, nodes.length), ...gpuFigures] };
}

const PHASES = ['fault active', 'until NotReady', 'until first eviction', 'below full availability'] as const;

function faultsSection(dir: string, faults: readonly Fault[] | null, durationS: number): Section {
  if (faults === null || faults.length === 0) {
    return { id: 'faults', title: 'Faults and recovery', intro: faults === null ? 'The scenario injects no faults (no recovery.csv).' : 'No fault started during the run (recovery.csv has no rows).' };
  }
  const segments: { fault: string; phase: string; x1: number; x2: number }[] = [];
  const moments: { fault: string; phase: string; x: number; label: string }[] = [];
  for (const f of faults) {
    const fault = `${f.id} ${f.kind} ${f.target}`;
    segments.push({ fault, phase: PHASES[0], x1: f.startS, x2: f.endS });
    if (f.detectedS !== null) {
      segments.push({ fault, phase: PHASES[1], x1: f.startS, x2: f.detectedS });
      moments.push({ fault, phase: PHASES[1], x: f.detectedS, label: `NotReady ${seconds(f.detectedS)}` });
    }
    if (f.detectedS !== null && f.firstEvictionS !== null) {
      segments.push({ fault, phase: PHASES[2], x1: f.detectedS, x2: f.firstEvictionS });
      moments.push({ fault, phase: PHASES[2], x: f.firstEvictionS, label: `first eviction ${seconds(f.firstEvictionS)}` });
    }
    // Below full availability from the first NotReady: a pod counts unavailable once its node is
    // NotReady, not at the fault's start (zone-outage: 170 s, not 120 s), until whole again —
    // start_s + time_to_full_availability_s, which recovery.csv counts from the fault's start
    // (src/faults/recovery.ts). Without a detection, from the start.
    const dropFrom = (until: number) => (f.detectedS !== null && f.detectedS < until ? f.detectedS : f.startS);
    if (f.fullAvailabilityS !== null && f.fullAvailabilityS > 0) {
      const whole = f.startS + f.fullAvailabilityS;
      segments.push({ fault, phase: PHASES[3], x1: dropFrom(whole), x2: whole });
      moments.push({ fault, phase: PHASES[3], x: whole, label: `whole again ${seconds(whole)} (+${seconds(f.fullAvailabilityS)} from the start)` });
    } else if (f.fullAvailabilityS === null && f.minAvailableRatio !== null) {
      segments.push({ fault, phase: PHASES[3], x1: dropFrom(durationS), x2: durationS });
      moments.push({ fault, phase: PHASES[3], x: durationS, label: 'not whole by the end' });
    }
  }
  const table = readAll(dir, 'recovery.csv', []);
  return {
    id: 'faults',
    title: 'Faults and recovery',
    intro: 'From recovery.csv: each fault\'s window, when its nodes were marked NotReady, the first eviction, and how long its workloads ran below their target until whole again (min_available_ratio is the lowest share available).',
    figures: [{ id: 'fault-timeline', title: 'Fault timeline and recovery', note: 'Bars: the phases of each fault on the run\'s clock; dots: the moments that end them. Below full availability: from the first NotReady (detected_s; a pod counts unavailable once its node is NotReady, so no drop starts before) until whole again at start_s + time_to_full_availability_s, a time recovery.csv counts from the fault\'s start.', chart: { type: 'faults', durationS, phases: PHASES, segments, moments } }],
    tables: [{ caption: 'recovery.csv', columns: table.header.columns, rows: table.rows.map((r) => r.fields) }],
  };
}

function ms(v: number | null): string {
  if (v === null) return '–';
  return v >= 1000 ? `${trim(v / 1000)} s` : `${trim(v)} ms`;
}

function seconds(v: number | null): string {
  if (v === null) return '–';
  if (v >= 7200) return `${trim(v / 3600)} h`;
  if (v >= 600) return `${trim(v / 60)} min`;
  return `${trim(v)} s`;
}

function pct(v: number | null): string {
  return v === null ? '–' : `${trim(v * 100)} %`;
}

/** At most 3 significant decimals, trailing zeros dropped. */
function trim(v: number): string {
  const d = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return String(Number(v.toFixed(d)));
}
