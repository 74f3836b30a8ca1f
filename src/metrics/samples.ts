// A growing multiset of durations in whole microseconds (simulated time is integral µs), kept
// compactly for the per-pod latencies of runs that create millions of pods. Values arrive in an
// open chunk of 4 bytes a value; a full chunk (65,536 values) is sorted and sealed as the
// differences between consecutive values, 7 bits a byte (LEB128): sorted latencies lie close
// together, so most differences take one or two bytes. Values of 2^32 µs (71.6 minutes) and more
// are kept aside as numbers. Quantiles are exact (nearest rank): the ranked value is found by
// bisecting over values and counting the values at most each, a sealed chunk's count starting
// from the nearest of the values it marks every 256 instead of decoding it all.

const CHUNK = 65_536;
/** The open chunk's first size: it doubles up to CHUNK, so a short run (a sweep's quickstart runs
 * record ~100 values) does not zero 256 KB per list. */
const FIRST_CHUNK = 1_024;
const SMALL_LIMIT = 2 ** 32;
/** A sealed chunk marks every MARK_EVERY-th value and where the next one's bytes start. */
const MARK_EVERY = 256;

/** Encoding scratch of every list, as large as a chunk can need (5 bytes a value), made at the
 * first seal: a sealed chunk is a copy of its used part. */
let sealScratch: Uint8Array | null = null;

/** A sorted chunk of values below 2^32, delta-encoded. */
interface SealedChunk {
  readonly count: number;
  readonly bytes: Uint8Array;
  /** marks[k]: the value at index k × MARK_EVERY; offsets[k]: where the next value's bytes start. */
  readonly marks: Uint32Array;
  readonly offsets: Uint32Array;
}

export class MicrosSamples {
  private readonly sealed: SealedChunk[] = [];
  /** Values below 2^32 not yet sealed, the first `used` of `open`. */
  private open = new Uint32Array(0);
  private used = 0;
  /** Values of 2^32 µs and more. */
  private large: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Bytes the values take: the sealed chunks with their marks, the open chunk, the large ones. */
  get storedBytes(): number {
    let n = this.open.byteLength + 8 * this.large.length;
    for (const c of this.sealed) n += c.bytes.byteLength + c.marks.byteLength + c.offsets.byteLength;
    return n;
  }

  /** Adds a duration: a non-negative whole number of µs. */
  push(us: number): void {
    if (!Number.isSafeInteger(us) || us < 0) throw new RangeError(`MicrosSamples.push: expected a non-negative whole number of µs, got ${us}`);
    this.count++;
    if (us >= SMALL_LIMIT) {
      this.large.push(us);
      return;
    }
    if (this.used === this.open.length) {
      if (this.open.length < CHUNK) {
        const grown = new Uint32Array(this.open.length === 0 ? FIRST_CHUNK : this.open.length * 2);
        grown.set(this.open);
        this.open = grown;
      } else {
        this.seal();
      }
    }
    this.open[this.used++] = us;
  }

  /** The p-quantiles (0 < p ≤ 1) in µs, nearest-rank as stats.quantile: NaN when empty. */
  quantiles(ps: readonly number[]): number[] {
    if (this.count === 0) return ps.map(() => Number.NaN);
    // Sorting the open values in place keeps them; later pushes append and the next query sorts again.
    this.open.subarray(0, this.used).sort();
    this.large.sort((a, b) => a - b);
    return ps.map((p) => this.ranked(Math.max(1, Math.ceil(p * this.count))));
  }

  /** Sorts the full open chunk and stores it delta-encoded; the open chunk starts again empty. */
  private seal(): void {
    const values = this.open.sort();
    const n = this.used;
    const out = (sealScratch ??= new Uint8Array(CHUNK * 5));
    const marks = new Uint32Array(Math.ceil(n / MARK_EVERY));
    const offsets = new Uint32Array(marks.length);
    let at = 0;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      let d = v - prev;
      prev = v;
      while (d >= 0x80) {
        out[at++] = (d & 0x7f) | 0x80;
        d = Math.floor(d / 128);
      }
      out[at++] = d;
      if (i % MARK_EVERY === 0) {
        marks[i / MARK_EVERY] = v;
        offsets[i / MARK_EVERY] = at;
      }
    }
    this.sealed.push({ count: n, bytes: out.slice(0, at), marks, offsets });
    this.used = 0;
  }

  /** The r-th smallest value (1-based): the least v with at least r values ≤ v, found by
   * bisecting over values (at most 32 counts). */
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
    for (const c of this.sealed) n += sealedCountAtMost(c, v);
    // The open values, sorted by quantiles().
    const open = this.open;
    let lo = 0;
    let hi = this.used;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((open[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    return n + lo;
  }
}

/** How many of a sealed chunk's values are ≤ v: from the last mark ≤ v, decoding at most
 * MARK_EVERY - 1 values. */
function sealedCountAtMost(c: SealedChunk, v: number): number {
  const marks = c.marks;
  if ((marks[0] as number) > v) return 0;
  let lo = 0;
  let hi = marks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((marks[mid] as number) <= v) lo = mid;
    else hi = mid - 1;
  }
  let i = lo * MARK_EVERY;
  let value = marks[lo] as number;
  let at = c.offsets[lo] as number;
  const bytes = c.bytes;
  const end = Math.min(c.count, i + MARK_EVERY);
  for (i++; i < end; i++) {
    let d = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++] as number;
      d += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    value += d;
    if (value > v) return i;
  }
  return end;
}
