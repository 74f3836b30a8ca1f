// A growing list of numbers kept compactly (8 bytes each, in fixed-size chunks: no copy of the
// whole list as it grows), for the per-pod latencies of runs that create millions of pods.
// Quantiles are exact: the values are copied once into one typed array and sorted.

const CHUNK = 65_536;

export class SampleBuffer {
  private readonly chunks: Float64Array[] = [];
  private last: Float64Array | null = null;
  private used = CHUNK;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(v: number): void {
    if (this.used === CHUNK) {
      this.last = new Float64Array(CHUNK);
      this.chunks.push(this.last);
      this.used = 0;
    }
    (this.last as Float64Array)[this.used++] = v;
    this.count++;
  }

  /** The values in the order they were pushed. */
  toArray(): number[] {
    return Array.from(this.flat());
  }

  /** The p-quantiles (0 < p ≤ 1), nearest-rank as stats.quantile: NaN when empty. */
  quantiles(ps: readonly number[]): number[] {
    if (this.count === 0) return ps.map(() => Number.NaN);
    const all = this.flat().sort();
    return ps.map((p) => all[Math.max(1, Math.ceil(p * all.length)) - 1] as number);
  }

  private flat(): Float64Array {
    const out = new Float64Array(this.count);
    let at = 0;
    for (const c of this.chunks) {
      const n = Math.min(CHUNK, this.count - at);
      out.set(n === CHUNK ? c : c.subarray(0, n), at);
      at += n;
    }
    return out;
  }
}
