// What the report's page script draws (client-script.ts): one plain-data spec per chart, written
// into the page as JSON. The specs carry only numbers and labels, so the same run gives the same
// bytes; Observable Plot turns them into SVG when the page opens.
import { median } from '../metrics/stats.js';

export { median };

export interface Band {
  readonly x1: number;
  readonly x2: number;
  readonly label: string;
}

/** Lines over a shared x: the time series, headroom over node counts. */
export interface LinesChart {
  readonly type: 'lines';
  readonly x: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Values are ratios, shown as %. */
  readonly percent: boolean;
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
  /** Shaded windows (faults) behind the lines. */
  readonly bands: readonly Band[];
  /** Draw each line through its null values instead of breaking it (sparse bins, not missing
   * samples). */
  readonly joinGaps?: true;
  /** Names of reference series (e.g. an ideal), drawn grey and dashed beneath the others. */
  readonly reference?: readonly string[];
  /** x holds counts (of nodes): ticks only at whole numbers. */
  readonly integerX?: true;
  /** Highest values known apart from the samples (summary.csv's *_requested_peak_ratio), by
   * series name: a dot where the time is known (x), else a dashed level across the chart. */
  readonly peaks?: readonly { readonly name: string; readonly value: number; readonly x: number | null }[];
}

/** Rows × time bins of a ratio (heat map), with outlined fault windows. */
export interface HeatmapChart {
  readonly type: 'heatmap';
  readonly rows: readonly string[];
  readonly edges: readonly number[];
  readonly values: readonly (number | null)[];
  readonly label: string;
  readonly faults: readonly { readonly row: string; readonly x1: number; readonly x2: number }[];
}

/** One facet per fault: its phases as bars on the run's time axis, its moments as dots. */
export interface FaultsChart {
  readonly type: 'faults';
  readonly durationS: number;
  readonly phases: readonly string[];
  readonly segments: readonly { readonly fault: string; readonly phase: string; readonly x1: number; readonly x2: number }[];
  readonly moments: readonly { readonly fault: string; readonly phase: string; readonly x: number; readonly label: string }[];
}

/** A metric's distribution over runs: precomputed bins and the median. */
export interface HistogramChart {
  readonly type: 'histogram';
  readonly label: string;
  readonly bins: readonly { readonly x1: number; readonly x2: number; readonly count: number }[];
  readonly median: number;
}

/** A metric per group of runs (matrix values): box plots. */
export interface BoxChart {
  readonly type: 'box';
  readonly label: string;
  readonly groups: readonly string[];
  readonly points: readonly { readonly g: string; readonly v: number }[];
}

/** A metric per group of runs (matrix values): a dot per run, the mean marked with ± 1 sample
 * standard deviation (sd null: one run). */
export interface MeanSdChart {
  readonly type: 'meanSd';
  readonly label: string;
  readonly groups: readonly string[];
  readonly points: readonly { readonly g: string; readonly v: number; readonly seed: string }[];
  readonly stats: readonly { readonly g: string; readonly mean: number; readonly sd: number | null; readonly n: number }[];
}

/** A capacity search's probes: the target metric per node count, met or not, the target's
 * threshold and the answer. */
export interface ProbeChart {
  readonly type: 'probe';
  readonly xLabel: string;
  readonly yLabel: string;
  /** value null: undefined for that probe (e.g. a latency with no pod bound). */
  readonly probes: readonly { readonly label: string; readonly count: number; readonly value: number | null; readonly met: boolean }[];
  readonly target: number | null;
  readonly answer: number | null;
}

/** A metric with one value over every run: said in words (a chart of it had an axis around
 * nothing: a histogram from −0.4 to 0.4 pods, a box with the single tick 0.000000). */
export interface ConstantChart {
  readonly type: 'constant';
  readonly text: string;
}

export type Chart = ConstantChart | LinesChart | HeatmapChart | FaultsChart | HistogramChart | BoxChart | MeanSdChart | ProbeChart;

/** A chart with its title and a sentence saying how to read it. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly chart: Chart;
}

/** Equal-width bins over the values' range (Sturges' count, 5 to 30 bins); one narrow bin
 * around a constant. */
export function histogram(values: readonly number[]): HistogramChart['bins'] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (min === max) {
    const d = min === 0 ? 0.5 : Math.abs(min) * 0.05;
    return [{ x1: min - d, x2: max + d, count: values.length }];
  }
  const k = Math.min(30, Math.max(5, Math.ceil(Math.log2(values.length)) + 1));
  const w = (max - min) / k;
  const counts = new Array<number>(k).fill(0);
  for (const v of values) counts[Math.min(k - 1, Math.floor((v - min) / w))]!++;
  return counts.map((count, i) => ({ x1: min + i * w, x2: i === k - 1 ? max : min + (i + 1) * w, count }));
}


/** Mean and sample standard deviation (n − 1); sd null for fewer than two values. */
export function meanSd(values: readonly number[]): { mean: number; sd: number | null } {
  if (values.length === 0) return { mean: Number.NaN, sd: null };
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  if (values.length < 2) return { mean, sd: null };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

/** The one value of `values`, or null when they differ or there are none. */
export function constantOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const v = values[0] as number;
  return values.every((x) => x === v) ? v : null;
}
