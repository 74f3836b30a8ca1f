// The FGD paper's curves from a run's gpu_allocation.csv: per arrived % of cluster GPU capacity
// (0, 1, ... the last bin reached, 130 with the paper's top-up), the GPU left unallocated, the
// fragmented GPU (both in % of capacity) and the fragmentation ratio (in % of the idle GPU).
// Binned as the paper's analysis bins them, and as summary.csv's GPU columns are
// (src/metrics/gpu-allocation.ts): the mean of the rows whose arrived_pct_bin is the bin, or of
// the bins ±1 when it has none (hkust-adsl/kubernetes-scheduler-simulator
// experiments/analysis/merge_alloc_discrete_0920.py, merge_frag_discrete_0928.py: frag amount =
// fragmented milli / capacity; merge_frag_ratio_discrete_0928.py). So the curve at 100 is
// summary.csv's gpu_unallocated_at_100_pct.
import type { CsvRow } from './csv-table.js';
import { readCsv } from './csv-table.js';

export const GPU_ALLOCATION_FILE = 'gpu_allocation.csv';

export interface GpuCurve {
  /** Arrived GPU request, % of cluster GPU capacity: 0, 1, ... the last bin with rows. */
  readonly arrivedPct: readonly number[];
  /** 100 − mean allocated_pct: GPU not allocated, % of capacity. */
  readonly unallocatedPct: readonly (number | null)[];
  /** Mean fragmented_gpu_milli / capacity_gpu_milli × 100: fragmented GPU, % of capacity. */
  readonly fragmentedPct: readonly (number | null)[];
  /** Mean fragmented_pct: fragmented GPU, % of the idle GPU. */
  readonly fragRatioPct: readonly (number | null)[];
  /** The same two over the GPU-requesting typical pods (gpu_pods_fragmented_*); null when the
   * file has no such columns (written by an older ksim). */
  readonly gpuFragmentedPct: readonly (number | null)[] | null;
  readonly gpuFragRatioPct: readonly (number | null)[] | null;
  /** Rows (pods) of the file, and how many of them were bound. */
  readonly pods: number;
  readonly bound: number;
  /** capacity_gpu_milli of the last row, in GPUs (0 for an empty file). */
  readonly capacityGpus: number;
}

/** Per-bin sums: [rows, Σ allocated %, Σ fragmented % of capacity, Σ fragmented % of idle, the
 * same two for the GPU pods]. */
type Sums = [number, number, number, number, number, number];

/** Builds a curve from gpu_allocation.csv rows, one at a time (a file may have ~10^4 rows). */
export class GpuCurveBuilder {
  private readonly bins = new Map<number, Sums>();
  private maxBin = -1;
  private pods = 0;
  private bound = 0;
  private capacityMilli = 0;
  private gpuPods = false;

  add(r: CsvRow): void {
    this.pods++;
    // The scheduling outcomes placements.csv and gpu_allocation.csv record (AttemptResult): any
    // other text is a damaged or hand-edited file, whose pods would silently count as unbound.
    const result = r.text('result');
    if (result === 'bound') this.bound++;
    else if (result !== 'unschedulable' && result !== 'error') throw r.error('result', 'one of bound, unschedulable, error', JSON.stringify(result));
    const capacity = r.number('capacity_gpu_milli');
    this.capacityMilli = capacity;
    const bin = r.numberOrNull('arrived_pct_bin');
    const allocated = r.numberOrNull('allocated_pct');
    // No GPU capacity: no percentages (the collector leaves them empty).
    if (bin === null || allocated === null || capacity <= 0) return;
    const s = this.bins.get(bin) ?? [0, 0, 0, 0, 0, 0];
    s[0]++;
    s[1] += allocated;
    s[2] += (100 * r.number('fragmented_gpu_milli')) / capacity;
    // Empty when nothing is idle: counted as 0, as the summary's column counts it.
    s[3] += r.numberOrNull('fragmented_pct') ?? 0;
    if (r.header.has('gpu_pods_fragmented_gpu_milli')) {
      this.gpuPods = true;
      s[4] += (100 * (r.numberOrNull('gpu_pods_fragmented_gpu_milli') ?? 0)) / capacity;
      s[5] += r.numberOrNull('gpu_pods_fragmented_pct') ?? 0;
    }
    this.bins.set(bin, s);
    this.maxBin = Math.max(this.maxBin, bin);
  }

  build(): GpuCurve {
    const arrivedPct: number[] = [];
    const unallocatedPct: (number | null)[] = [];
    const fragmentedPct: (number | null)[] = [];
    const fragRatioPct: (number | null)[] = [];
    const gpuFragmentedPct: (number | null)[] = [];
    const gpuFragRatioPct: (number | null)[] = [];
    for (let b = 0; b <= this.maxBin; b++) {
      const s = this.at(b);
      arrivedPct.push(b);
      unallocatedPct.push(s === null ? null : 100 - s[1] / s[0]);
      fragmentedPct.push(s === null ? null : s[2] / s[0]);
      fragRatioPct.push(s === null ? null : s[3] / s[0]);
      gpuFragmentedPct.push(s === null ? null : s[4] / s[0]);
      gpuFragRatioPct.push(s === null ? null : s[5] / s[0]);
    }
    const gpu = this.gpuPods ? { gpuFragmentedPct, gpuFragRatioPct } : { gpuFragmentedPct: null, gpuFragRatioPct: null };
    return { arrivedPct, unallocatedPct, fragmentedPct, fragRatioPct, ...gpu, pods: this.pods, bound: this.bound, capacityGpus: this.capacityMilli / 1000 };
  }

  /** The sums of bin `b`, or of bins b ± 1 together when it has no rows; null when none do. */
  private at(b: number): Sums | null {
    const own = this.bins.get(b);
    if (own !== undefined) return own;
    const out: Sums = [0, 0, 0, 0, 0, 0];
    for (const q of [b - 1, b + 1]) {
      const s = this.bins.get(q);
      if (s === undefined) continue;
      for (let k = 0; k < 6; k++) out[k]! += s[k]!;
    }
    return out[0] === 0 ? null : out;
  }
}

const COLUMNS = ['result', 'capacity_gpu_milli', 'fragmented_gpu_milli', 'arrived_pct_bin', 'allocated_pct', 'fragmented_pct'];

/** The curve of the run folder `dir` (which holds gpu_allocation.csv). */
export function readGpuCurve(dir: string): GpuCurve {
  const b = new GpuCurveBuilder();
  readCsv(dir, GPU_ALLOCATION_FILE, COLUMNS, (r) => b.add(r));
  return b.build();
}

/** The paper's "ideal" line: with no fragmentation every arrived GPU is allocated until the
 * cluster is full (plot_paib_alloc.py draws it from (0, 100) to (100, 0)). */
export function idealUnallocatedPct(arrivedPct: number): number {
  return Math.max(0, 100 - arrivedPct);
}
