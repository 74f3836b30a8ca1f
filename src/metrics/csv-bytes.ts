// CSV fields written straight into a byte buffer, for the files written row by row (placements.csv
// and pods.csv get a row per pod: millions in a long run). Building each field as a string, then
// the line, then its UTF-8 bytes made three copies and a string per number; here digits and ASCII
// text go to the buffer as bytes. The text is byte for byte what formatCell, then csvLine's
// quoting, then UTF-8 give (src/metrics/csv-bytes.test.ts checks them against each other).
import type { Cell, Column, ColumnType, TypedRow } from './schema.js';
import { fmt, SCALES, scaledExactly } from './stats.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV field as csv-stringify's defaults quote it (toCsv): in double quotes, its quotes doubled,
 * when it holds a comma, a double quote, CR or LF; else as it is. */
export function quotedField(t: string): string {
  return NEEDS_QUOTES.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
}

/** 10^k, k = 0..15: a safe integer's digit count without a division per digit. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const COMMA = 44;
const NEWLINE = 10;
const ZERO = 48;
const MINUS = 45;
const DOT = 46;

export class CsvByteWriter {
  private buf: Buffer;
  private at = 0;

  /** `out` receives the bytes written so far when the buffer is full and at flush(); it must
   * copy or write them before returning (the buffer is reused). */
  constructor(
    private readonly out: (bytes: Uint8Array) => void,
    size = 1 << 16,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes: flushes first when they do not fit, and grows the buffer when
   * it is smaller than `n`. */
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  flush(): void {
    if (this.at === 0) return;
    this.out(this.buf.subarray(0, this.at));
    this.at = 0;
  }

  comma(): void {
    this.room(1);
    this.buf[this.at++] = COMMA;
  }

  newline(): void {
    this.room(1);
    this.buf[this.at++] = NEWLINE;
  }

  /** A text field: quoted when it holds a comma, a double quote, CR or LF (its quotes doubled),
   * as csv-stringify quotes; UTF-8. */
  text(s: string): void {
    const n = s.length;
    // At most 3 bytes per UTF-16 unit (a doubled quote is 2), and the 2 quotes.
    this.room(3 * n + 2);
    const buf = this.buf;
    const at = this.at;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 || c === 34 || c === COMMA || c === 13 || c === NEWLINE) break;
      buf[at + i] = c;
    }
    if (i === n) {
      this.at = at + n;
      return;
    }
    this.at = at + buf.write(quotedField(s), at, 'utf8');
  }

  /** What String(v) gives: digits for a safe integer, else String's own text. */
  number(v: number): void {
    if (!Number.isSafeInteger(v)) {
      this.ascii(String(v));
      return;
    }
    this.room(17);
    if (v < 0) {
      this.buf[this.at++] = MINUS;
      v = -v;
    }
    this.digits(v);
  }

  /** What fmt(v, digits) gives: at most `digits` fractional digits, no trailing zeros, "" for NaN. */
  decimal(v: number, digits: number): void {
    // fmt's path for a value that is exactly an integer over 10^digits, written as digits.
    const n = scaledExactly(v, digits);
    if (n >= 0) {
      const whole = Math.floor(v);
      let frac = n - whole * (SCALES[digits] as number);
      this.room(17);
      this.digits(whole);
      if (frac === 0) return;
      let width = digits;
      while (frac % 10 === 0) {
        frac /= 10;
        width--;
      }
      const buf = this.buf;
      buf[this.at++] = DOT;
      // `width` digits, leading zeros included.
      let p = this.at + width;
      this.at = p;
      for (let k = 0; k < width; k++) {
        const q = Math.floor(frac / 10);
        buf[--p] = ZERO + (frac - q * 10);
        frac = q;
      }
      return;
    }
    this.ascii(fmt(v, digits));
  }

  /** A cell as formatCell formats it for a column of `type` (`digits` for decimals), quoted. */
  cell(v: Cell | undefined, type: ColumnType, digits: number): void {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') this.text(v);
    else if (typeof v === 'boolean') this.ascii(v ? 'true' : 'false');
    else if (type === 'decimal') this.decimal(v, digits);
    else this.number(v);
  }

  /** Text known to need no quoting and to be ASCII (numbers as String writes them, true/false). */
  private ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    const at = this.at;
    for (let i = 0; i < n; i++) buf[at + i] = s.charCodeAt(i);
    this.at = at + n;
  }

  /** A non-negative safe integer's digits (room for 16 made by the caller). */
  private digits(v: number): void {
    let len = 1;
    while (len < 16 && v >= (POW10[len] as number)) len++;
    const buf = this.buf;
    let p = this.at + len;
    this.at = p;
    do {
      const q = Math.floor(v / 10);
      buf[--p] = ZERO + (v - q * 10);
      v = q;
    } while (v > 0);
  }
}

/**
 * A function writing a row as one CSV line (with its newline), each field as `cell` writes it for
 * its column. Generated per column list, so that each value is read by a constant key: read as
 * row[name] with the name varying by column, every read is a megamorphic lookup, while a file's
 * rows, made by one object literal each, all have one shape for a constant key. Names are
 * embedded as JSON string literals, so any name is safe.
 */
export function rowWriter(columns: readonly Column[]): (w: CsvByteWriter, row: TypedRow) => void {
  const body = columns
    .map((c, i) => `${i > 0 ? 'w.comma();\n' : ''}w.cell(row[${JSON.stringify(c.name)}], ${JSON.stringify(c.type)}, ${c.digits ?? 6});`)
    .join('\n');
  return new Function('w', 'row', `${body}\nw.newline();`) as (w: CsvByteWriter, row: TypedRow) => void;
}
