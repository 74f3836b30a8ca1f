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
