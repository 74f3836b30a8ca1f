// Numbers for classes of pods named by text (FilterPlugin.nodeLocalFilterClass).

/** Text → a class number; equal texts get equal numbers, a number is never given to another
 * text (the table starts over with new numbers once it holds `limit` texts: a trace of ever new
 * pod shapes). Numbers start at `first`. */
export class ClassNumbers {
  private readonly byText = new Map<string, number>();
  private next: number;

  constructor(first = 0, private readonly limit = 4096) {
    this.next = first;
  }

  of(text: string): number {
    let c = this.byText.get(text);
    if (c === undefined) {
      if (this.byText.size >= this.limit) this.byText.clear();
      this.byText.set(text, (c = this.next++));
    }
    return c;
  }
}

/** Numbers for tuples of integers (a framework's id and its plugins' classes): equal tuples get
 * equal numbers, a number is never given to another tuple. The last tuple is remembered, so
 * that a run of cycles of one class builds no text. Fill with begin / add, then end. */
export class TupleNumbers {
  private readonly numbers = new ClassNumbers();
  /** The tuple being filled (its first `n` entries; not emptied by length = 0, which makes V8
   * drop the backing store), and the last one ended. */
  private cur: number[] = [];
  private n = 0;
  private last: number[] = [];
  private lastNumber = -1;

  begin(): void {
    this.n = 0;
  }

  add(x: number): void {
    if (this.n < this.cur.length) this.cur[this.n] = x;
    else this.cur.push(x);
    this.n++;
  }

  end(): number {
    const cur = this.cur;
    const last = this.last;
    const n = this.n;
    if (this.lastNumber >= 0 && n === last.length) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cur[i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastNumber;
    }
    this.last = cur.slice(0, n);
    this.lastNumber = this.numbers.of(this.last.join(','));
    return this.lastNumber;
  }
}
