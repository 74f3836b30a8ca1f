// A growing multiset of durations in whole microseconds (simulated time is integral µs), kept
// compactly for the per-pod latencies of runs that create millions of pods (it is what a run
// keeps per pod ever created). Values arrive in an open chunk of 4 bytes a value; a full chunk
// (65,536 values) is sorted and sealed as a run of the differences between consecutive values,
// Rice-coded: with a parameter k chosen per run, a difference d is d >> k in unary (that many
// one bits, then a zero) followed by its k low bits, so a run's typical difference takes about
// log2 of it plus two bits (a quotient of 32 or more is 32 ones and d in 32 bits). Four runs of
// one size are merged into one (so at most three of each size 4^j chunks), in one pass, and a
// merged run's values lie closer together (see samples.test.ts for the bytes a value).
// Values of 2^32 µs (71.6 minutes) and more are kept aside as numbers.
// Quantiles are exact (nearest rank): the ranked value is found by bisecting over values and
// counting the values at most each, a run's count starting from the nearest of the values it
// marks every 256 instead of decoding it all.

const CHUNK = 65_536;
/** The open chunk's first size: it doubles up to CHUNK, so a short run (a sweep's quickstart runs
 * record ~100 values) does not zero 256 KB per list. */
const FIRST_CHUNK = 1_024;
const SMALL_LIMIT = 2 ** 32;
/** A run marks every MARK_EVERY-th value and where the next one's code starts. */
const MARK_EVERY = 256;
/** A quotient this large or larger is written as ESCAPE one bits and the difference in 32 bits. */
const ESCAPE = 32;
/** Runs of one size merged at once. */
const FAN_IN = 4;
/** The Rice parameter is chosen from every SAMPLE_EVERY-th difference. */
const SAMPLE_EVERY = 8;

/** radixSort's second buffer and counts, made at the first seal. */
let sortScratch: Uint32Array | null = null;
const byteCounts = new Uint32Array(256);

/** Sorts the first n values in place, least significant byte first (a pass is skipped when
 * every value has the same byte there, as the high bytes of latencies mostly are): the typed
 * array's own sort took about 3 ms a chunk, most of a seal. */
function radixSort(values: Uint32Array, n: number): void {
  const scratch = (sortScratch ??= new Uint32Array(CHUNK));
  let from = values;
  let to = scratch;
  for (let shift = 0; shift < 32; shift += 8) {
    byteCounts.fill(0);
    for (let i = 0; i < n; i++) {
      const b = ((from[i] as number) >>> shift) & 0xff;
      byteCounts[b] = (byteCounts[b] as number) + 1;
    }
    if (byteCounts[((from[0] as number) >>> shift) & 0xff] === n) continue;
    let at = 0;
    for (let b = 0; b < 256; b++) {
      const c = byteCounts[b] as number;
      byteCounts[b] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const v = from[i] as number;
      const b = (v >>> shift) & 0xff;
      const at = byteCounts[b] as number;
      to[at] = v;
      byteCounts[b] = at + 1;
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from !== values) values.set(from.subarray(0, n));
}

const POW2: readonly number[] = Array.from({ length: 33 }, (_, i) => 2 ** i);

/** A sorted run of values below 2^32, Rice-coded with parameter k, bits from the low bit of
 * words[0] up (the last word is spare, so that 32 bits can be read from any position). */
interface Run {
  readonly count: number;
  readonly k: number;
  readonly words: Uint32Array;
  /** marks[j]: the value at index j × MARK_EVERY; offsets[j]: the bit where the next value's
   * code starts. */
  readonly marks: Uint32Array;
  readonly offsets: Float64Array;
  /** hist[b]: about how many of its differences have b bits (riceParameter; from a sample). */
  readonly hist: Float64Array;
}

export class MicrosSamples {
  private runs: Run[] = [];
  /** Values below 2^32 not yet sealed, the first `used` of `open`. */
  private open = new Uint32Array(0);
  private used = 0;
  /** Values of 2^32 µs and more. */
  private large: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Bytes the values take: the runs with their marks, the open chunk, the large ones. */
  get storedBytes(): number {
    let n = this.open.byteLength + 8 * this.large.length;
    for (const r of this.runs) n += r.words.byteLength + r.marks.byteLength + r.offsets.byteLength;
    return n;
  }

  /** How many sorted runs hold the sealed values (tests). */
  get runCount(): number {
    return this.runs.length;
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

  /** Sorts the full open chunk into a run, then merges the last FAN_IN runs while they are of
   * one size; the open chunk starts again empty. */
  private seal(): void {
    const n = this.used;
    const values = this.open;
    radixSort(values, n);
    // The parameter from every SAMPLE_EVERY-th difference.
    const hist = new Float64Array(33);
    for (let i = 0; i < n; i += SAMPLE_EVERY) {
      const b = bitLength((values[i] as number) - (i === 0 ? 0 : (values[i - 1] as number)));
      hist[b] = (hist[b] as number) + SAMPLE_EVERY;
    }
    const w = new RunWriter(n, hist);
    for (let i = 0; i < n; i++) w.add(values[i] as number);
    this.runs.push(w.done());
    this.used = 0;
    const runs = this.runs;
    while (runs.length >= FAN_IN && (runs[runs.length - FAN_IN] as Run).count === (runs[runs.length - 1] as Run).count) {
      runs.push(merge(runs.splice(runs.length - FAN_IN, FAN_IN)));
    }
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
    for (const r of this.runs) n += runCountAtMost(r, v);
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

/** Bits of d (0 for 0): d < 2^32. */
function bitLength(d: number): number {
  return 32 - Math.clz32(d);
}

/** The Rice parameter with the fewest bits for differences of these bit lengths (hist[b]: how
 * many have b bits), taking a difference of b bits as 1.5 × 2^(b−1), the middle of its range. */
function riceParameter(hist: Float64Array): { k: number; bits: number } {
  let best = 0;
  let bestBits = Infinity;
  for (let k = 0; k < 32; k++) {
    let bits = 0;
    for (let b = 0; b <= 32; b++) {
      const n = hist[b] as number;
      if (n === 0) continue;
      const q = b <= k ? 0 : 0.75 * POW2[b - k]!;
      bits += n * (q < ESCAPE ? q + 1 + k : ESCAPE + 32);
    }
    if (bits < bestBits) {
      bestBits = bits;
      best = k;
    }
  }
  return { k: best, bits: bestBits };
}

/** Encodes ascending values into a Run. Bits are added to `acc`, the word being filled (its
 * first `bit` bits used), and stored in `words[word]` once it is full. */
class RunWriter {
  private words: Uint32Array;
  private word = 0;
  private bit = 0;
  private acc = 0;
  private n = 0;
  private prev = 0;
  private readonly k: number;
  private readonly lowMask: number;
  private readonly marks: Uint32Array;
  private readonly offsets: Float64Array;
  private readonly written = new Float64Array(33);

  /** `hist`: the bit lengths of the differences to come, or an estimate (see riceParameter). */
  constructor(
    private readonly count: number,
    hist: Float64Array,
  ) {
    const { k, bits } = riceParameter(hist);
    this.k = k;
    this.lowMask = (POW2[k] as number) - 1;
    this.words = new Uint32Array(Math.ceil((bits * 1.05) / 32) + 2);
    this.marks = new Uint32Array(Math.ceil(count / MARK_EVERY));
    this.offsets = new Float64Array(this.marks.length);
  }

  add(v: number): void {
    const d = v - this.prev; // < 2^32
    this.prev = v;
    if (this.n % SAMPLE_EVERY === 0) {
      const b = bitLength(d);
      this.written[b] = (this.written[b] as number) + SAMPLE_EVERY;
    }
    const q = d >>> this.k;
    if (q < ESCAPE) {
      this.put((POW2[q] as number) - 1, q + 1); // q ones, then a zero
      if (this.k > 0) this.put(d & this.lowMask, this.k);
    } else {
      this.put(0xffffffff, ESCAPE);
      this.put(d, 32);
    }
    if (this.n % MARK_EVERY === 0) {
      this.marks[this.n / MARK_EVERY] = v;
      this.offsets[this.n / MARK_EVERY] = this.word * 32 + this.bit;
    }
    this.n++;
  }

  /** Appends the `nbits` (1 to 32) low bits of `value` (< 2^nbits). */
  private put(value: number, nbits: number): void {
    const bit = this.bit;
    this.acc |= value << bit;
    if (bit + nbits < 32) {
      this.bit = bit + nbits;
      return;
    }
    if (this.word + 2 > this.words.length) {
      const grown = new Uint32Array(Math.ceil((this.word + 2) * 1.5));
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.word++] = this.acc;
    // The bits of value that did not fit (none when it ended the word exactly).
    this.acc = bit === 0 ? 0 : value >>> (32 - bit);
    this.bit = bit + nbits - 32;
  }

  done(): Run {
    if (this.n !== this.count) throw new Error(`RunWriter: ${this.n} values written of ${this.count}`);
    // The word being filled, and one spare word (a reader takes 32 bits from any position).
    const used = this.word + 2;
    if (used > this.words.length) {
      const grown = new Uint32Array(used);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.word] = this.acc;
    return { count: this.n, k: this.k, words: used < this.words.length ? this.words.slice(0, used) : this.words, marks: this.marks, offsets: this.offsets, hist: this.written };
  }
}

/** Decodes a run's values in order, from its mark `j` on. */
class RunReader {
  value: number;
  /** Index of `value` in the run. */
  index: number;
  private word: number;
  private bit: number;
  private readonly words: Uint32Array;
  private readonly k: number;
  private readonly lowMask: number;

  constructor(
    private readonly run: Run,
    j = 0,
  ) {
    this.index = j * MARK_EVERY;
    this.value = run.marks[j] as number;
    const at = run.offsets[j] as number;
    this.word = Math.floor(at / 32);
    this.bit = at - this.word * 32;
    this.words = run.words;
    this.k = run.k;
    this.lowMask = (POW2[run.k] as number) - 1;
  }

  /** The next 32 bits, as an unsigned number. */
  private peek(): number {
    const bit = this.bit;
    const lo = (this.words[this.word] as number) >>> bit;
    return bit === 0 ? lo : (lo | ((this.words[this.word + 1] as number) << (32 - bit))) >>> 0;
  }

  private skip(nbits: number): void {
    const bit = this.bit + nbits;
    this.word += bit >>> 5;
    this.bit = bit & 31;
  }

  /** Moves to the next value; false past the last. */
  next(): boolean {
    if (++this.index >= this.run.count) return false;
    const x = this.peek();
    // Trailing one bits: the quotient in unary.
    const q = x === 0xffffffff ? 32 : 31 - Math.clz32(~x & (x + 1));
    let d: number;
    if (q >= ESCAPE) {
      this.skip(ESCAPE);
      d = this.peek();
      this.skip(32);
    } else {
      this.skip(q + 1);
      const k = this.k;
      d = q * (POW2[k] as number);
      if (k > 0) {
        d += this.peek() & this.lowMask;
        this.skip(k);
      }
    }
    this.value += d;
    return true;
  }
}

/** Runs of one size as one, in one pass. Merging FAN_IN runs of like values divides their
 * differences by about FAN_IN: the parameter is chosen for the runs' differences shifted down
 * by log2(FAN_IN) bits. */
function merge(parts: readonly Run[]): Run {
  const shift = Math.log2(FAN_IN);
  const hist = new Float64Array(33);
  let count = 0;
  for (const r of parts) {
    count += r.count;
    for (let b = 0; b <= 32; b++) {
      const to = Math.max(0, b - shift);
      hist[to] = (hist[to] as number) + (r.hist[b] as number);
    }
  }
  const w = new RunWriter(count, hist);
  const readers = parts.map((r) => new RunReader(r));
  let live = readers.length;
  while (live > 0) {
    // The least head among the readers still reading (at most FAN_IN compares).
    let m = 0;
    for (let i = 1; i < live; i++) if ((readers[i] as RunReader).value < (readers[m] as RunReader).value) m = i;
    const r = readers[m] as RunReader;
    w.add(r.value);
    if (!r.next()) readers[m] = readers[--live] as RunReader;
  }
  return w.done();
}

/** How many of a run's values are ≤ v: from the last mark ≤ v, decoding at most
 * MARK_EVERY - 1 values. */
function runCountAtMost(r: Run, v: number): number {
  const marks = r.marks;
  if ((marks[0] as number) > v) return 0;
  let lo = 0;
  let hi = marks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((marks[mid] as number) <= v) lo = mid;
    else hi = mid - 1;
  }
  const reader = new RunReader(r, lo);
  const end = Math.min(r.count, (lo + 1) * MARK_EVERY);
  while (reader.index + 1 < end) {
    reader.next();
    if (reader.value > v) return reader.index;
  }
  return end;
}
