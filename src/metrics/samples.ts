// A growing multiset of durations in whole microseconds (simulated time is integral µs), kept
// compactly for the per-pod latencies of runs that create millions of pods: 4 bytes a value in
// fixed-size chunks (no copy of the whole list as it grows), 8 for the rare value of 2^32 µs
// (71.6 minutes) or more. Quantiles are exact (nearest rank) and need no copy of the values:
// the chunks are sorted in place and the ranked value found by counting.

const CHUNK = 65_536;
/** The first chunk's size: chunks double up to CHUNK, so a short run (a sweep's quickstart runs
 * record ~100 values) does not zero 256 KB per list. */
const FIRST_CHUNK = 1_024;
const SMALL_LIMIT = 2 ** 32;

export class MicrosSamples {
  /** Values below 2^32 µs; every chunk but the last is full. */
  private readonly chunks: Uint32Array[] = [];
  private used = 0;
  /** Length of the last chunk (0 before the first). */
  private capacity = 0;
  /** Values of 2^32 µs and more. */
  private large: number[] = [];
  private count = 0;
  /** True while every chunk (and `large`) is sorted: pushes after a quantile query unset it. */
  private sorted = true;

  get length(): number {
    return this.count;
  }

  /** Adds a duration: a non-negative whole number of µs. */
  push(us: number): void {
    if (!Number.isSafeInteger(us) || us < 0) throw new RangeError(`MicrosSamples.push: expected a non-negative whole number of µs, got ${us}`);
    this.count++;
    this.sorted = false;
    if (us >= SMALL_LIMIT) {
      this.large.push(us);
      return;
    }
    if (this.used === this.capacity) {
      this.capacity = this.capacity === 0 ? FIRST_CHUNK : Math.min(CHUNK, this.capacity * 2);
      this.chunks.push(new Uint32Array(this.capacity));
      this.used = 0;
    }
    (this.chunks[this.chunks.length - 1] as Uint32Array)[this.used++] = us;
  }

  /** The p-quantiles (0 < p ≤ 1) in µs, nearest-rank as stats.quantile: NaN when empty. */
  quantiles(ps: readonly number[]): number[] {
    if (this.count === 0) return ps.map(() => Number.NaN);
    this.sortChunks();
    return ps.map((p) => this.ranked(Math.max(1, Math.ceil(p * this.count))));
  }

  private sortChunks(): void {
    if (this.sorted) return;
    const last = this.chunks.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = this.chunks[i] as Uint32Array;
      (i === last ? c.subarray(0, this.used) : c).sort();
    }
    this.large.sort((a, b) => a - b);
    this.sorted = true;
  }

  /** The r-th smallest value (1-based): the least v with at least r values ≤ v, found by
   * bisecting over values (at most 53 counts of log-time searches in the sorted chunks). */
  private ranked(r: number): number {
    const smallCount = this.count - this.large.length;
    if (r > smallCount) return this.large[r - smallCount - 1] as number;
    let lo = 0;
    let hi = SMALL_LIMIT - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.countAtMost(mid) >= r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** How many of the values below 2^32 are ≤ v. */
  private countAtMost(v: number): number {
    let n = 0;
    const last = this.chunks.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = this.chunks[i] as Uint32Array;
      let lo = 0;
      let hi = i === last ? this.used : c.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((c[mid] as number) <= v) lo = mid + 1;
        else hi = mid;
      }
      n += lo;
    }
    return n;
  }
}
