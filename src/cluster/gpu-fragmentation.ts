// GPU fragmentation as the FGD paper measures it (Weng et al., ATC '23, §3): a node's idle
// milli-GPUs are "fragmented" for a pod shape when that shape cannot use them; the node's
// fragmentation is the expectation over the workload's typical pod shapes.
// Follows hkust-adsl/kubernetes-scheduler-simulator pkg/utils/frag.go:
// NodeGpuShareFragAmount / FragAmountSumExceptQ3 (the measure), GetNodePodFrag (which case a
// shape falls in), GetGpuFragMilliByNodeResAndPodRes (the idle milli a fitting shape cannot use),
// GetTypicalPods (popular shapes up to 95 % of pods, renormalised).

/** A pod shape as the measure sees it (upstream simontype.PodResource). */
export interface PodShape {
  /** Non-zero CPU request (100m when the pod asks none, upstream GetNonzeroRequests). */
  readonly cpuMilli: number;
  /** Per device: 0 (no GPU), a share < 1000, or 1000. */
  readonly gpuMilli: number;
  readonly gpuCount: number;
  /** GPU models the pod accepts; empty: any. */
  readonly models: readonly string[];
}

export interface WeightedShape extends PodShape {
  /** Share of the typical pods, Σ = 1. */
  readonly freq: number;
}

/** Upstream defaults of the experiment (scripts/generate_config_and_run.py: --pod-popularity-
 * threshold 95, --pod-increase-step 1, CPU-only pods included). */
export const TYPICAL_POPULARITY_PCT = 95;

function shapeKey(s: PodShape): string {
  return `${s.cpuMilli}/${s.gpuMilli}/${s.gpuCount}/${s.models.join('|')}`;
}

/** Upstream TargetPodList.Less reversed: larger count first; ties by cpu, gpu milli, gpu count,
 * model (descending, as sort.Reverse orders them). */
function byPopularity(a: { s: PodShape; n: number }, b: { s: PodShape; n: number }): number {
  if (a.n !== b.n) return b.n - a.n;
  if (a.s.cpuMilli !== b.s.cpuMilli) return b.s.cpuMilli - a.s.cpuMilli;
  if (a.s.gpuMilli !== b.s.gpuMilli) return b.s.gpuMilli - a.s.gpuMilli;
  if (a.s.gpuCount !== b.s.gpuCount) return b.s.gpuCount - a.s.gpuCount;
  const ta = a.s.models.join('|');
  const tb = b.s.models.join('|');
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

/** The typical pods of a workload and the fragmentation measure over them. */
export class TypicalPods {
  readonly shapes: readonly WeightedShape[];
  // The GPU shapes unpacked for the hot loop.
  private readonly cpu: Float64Array;
  private readonly milli: Int32Array;
  private readonly count: Int32Array;
  private readonly freq: Float64Array;
  private readonly models: (readonly string[])[];
  /** Σ freq of the CPU-only shapes: they leave all idle GPU fragmented. */
  private readonly cpuOnlyFreq: number;

  constructor(shapes: readonly WeightedShape[]) {
    this.shapes = shapes;
    const gpu = shapes.filter((s) => s.gpuMilli > 0);
    this.cpu = Float64Array.from(gpu, (s) => s.cpuMilli);
    this.milli = Int32Array.from(gpu, (s) => s.gpuMilli);
    this.count = Int32Array.from(gpu, (s) => s.gpuCount);
    this.freq = Float64Array.from(gpu, (s) => s.freq);
    this.models = gpu.map((s) => s.models);
    this.cpuOnlyFreq = shapes.filter((s) => s.gpuMilli === 0).reduce((a, s) => a + s.freq, 0);
  }

  /** The GPU-requesting shapes alone, frequencies renormalised to Σ = 1 (none: empty). */
  gpuOnly(): TypicalPods {
    const gpu = this.shapes.filter((s) => s.gpuMilli > 0);
    const sum = gpu.reduce((a, s) => a + s.freq, 0);
    return new TypicalPods(sum > 0 ? gpu.map((s) => ({ ...s, freq: s.freq / sum })) : []);
  }

  /** Σ freq of the CPU-only shapes (0 to 1). */
  get cpuOnlyWeight(): number {
    return this.cpuOnlyFreq;
  }

  /** Upstream GetTypicalPods: shapes by popularity, taken one at a time until they cover
   * `thresholdPct` % of the pods, frequencies renormalised over those taken. */
  static fromPods(pods: Iterable<PodShape>, thresholdPct = TYPICAL_POPULARITY_PCT): TypicalPods {
    const counts = new Map<string, { s: PodShape; n: number }>();
    let total = 0;
    for (const s of pods) {
      const k = shapeKey(s);
      const c = counts.get(k);
      if (c === undefined) counts.set(k, { s, n: 1 });
      else c.n++;
      total++;
    }
    const sorted = [...counts.values()].sort(byPopularity);
    const want = (thresholdPct * total) / 100;
    let cum = 0;
    let i = 0;
    while (cum < want && i < sorted.length) cum += (sorted[i++] as { n: number }).n;
    return new TypicalPods(sorted.slice(0, i).map(({ s, n }) => ({ ...s, freq: n / cum })));
  }

  /**
   * Expected fragmented milli-GPU of a node (upstream NodeGpuShareFragAmountScore): for each
   * typical shape, with its frequency as weight —
   * - CPU-only shape, or a model the shape does not accept: every idle milli-GPU;
   * - the shape fits (enough devices with room and enough CPU): the idle milli-GPU of the
   *   devices with less room than the shape's per-device share;
   * - it does not fit (lacks GPU or CPU): every idle milli-GPU.
   */
  frag(cpuLeft: number, free: ArrayLike<number>, model: string): number {
    let total = 0;
    for (let d = 0; d < free.length; d++) total += free[d] as number;
    if (total === 0) return 0;
    let f = this.cpuOnlyFreq * total;
    const n = this.milli.length;
    for (let i = 0; i < n; i++) {
      const w = this.freq[i] as number;
      const models = this.models[i] as readonly string[];
      if (models.length > 0 && !models.includes(model)) {
        f += w * total;
        continue;
      }
      const m = this.milli[i] as number;
      let fitting = 0;
      let low = 0;
      for (let d = 0; d < free.length; d++) {
        const x = free[d] as number;
        if (x >= m) fitting++;
        else low += x;
      }
      f += fitting >= (this.count[i] as number) && cpuLeft >= (this.cpu[i] as number) ? w * low : w * total;
    }
    return f;
  }
}

/** FGD's score of a fragmentation change (upstream fgd_score.go): sigmoid((before − after) /
 * 1000) × 100, truncated as Go's int64() does. */
export function fgdScore(before: number, after: number): number {
  return Math.trunc((1 / (1 + Math.exp(-(before - after) / 1000))) * 100);
}

/** Upstream NodeResource.Sub for the device part: a pod takes, for each of its devices, the
 * device with the least room that fits (ascending by room, stable by index). Writes the chosen
 * indexes into `ids` and returns how many it found (< count: it does not fit). */
export function packDevices(free: ArrayLike<number>, milli: number, count: number, ids: number[]): number {
  ids.length = 0;
  const order: number[] = [];
  for (let d = 0; d < free.length; d++) order.push(d);
  order.sort((a, b) => (free[a] as number) - (free[b] as number) || a - b);
  for (const d of order) {
    if (ids.length === count) break;
    if ((free[d] as number) >= milli) ids.push(d);
  }
  return ids.length;
}

