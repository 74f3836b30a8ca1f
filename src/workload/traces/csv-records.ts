// CSV records of a chunk source, parsed by csv-parse's stream parser driven synchronously: each
// chunk is written and the records it completes are read back in the same tick (the parser's
// transform runs inside write(); ksim-csv.test.ts reads a trace of several chunks), so only the current chunk
// and its records are in memory.
import { CsvError, Parser, type Options } from 'csv-parse';
import type { ChunkSource } from './chunk-source.js';
import { TraceRowError } from './trace-types.js';

export interface CsvRecord {
  readonly fields: readonly string[];
  /** 1-based line where the record starts (a quoted field may carry it over several lines). */
  readonly line: number;
}

/** csv-parse's stream parser, each record tagged with the line it ends on (CsvRecords numbers
 * it by the line it starts on), counted from the file
 * offset where the parser is (`info.bytes`) by our own LineCounter: csv-parse's `info.lines`
 * counts a CR inside a line as a line end, so one line edited to end in "\r,extra\n" moved every
 * later row's number (and its `info: true` option builds an info object per record by object
 * spreads: 3 % of a trace replay's CPU in a profile of the 50,000-row trace bench). */
class LineTaggedParser extends Parser {
  readonly lines: number[] = [];

  constructor(options: Options, private readonly counter: LineCounter) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    // info.bytes is just past the record's line end (or at the end of the file).
    if (chunk !== null) this.lines.push(this.counter.lineAt(this.info.bytes - 1));
    return super.push(chunk, encoding);
  }
}

/** Line numbers of file offsets: 1 + the line ends before the offset. Offsets asked for only
 * grow, so each byte is scanned once; the chunks not yet scanned are kept (one, mostly). */
class LineCounter {
  private readonly chunks: Buffer[] = [];
  /** File offset of chunks[0], how far it is scanned, and the line ends before that. */
  private start = 0;
  private at = 0;
  private ends = 0;

  constructor(private readonly endByte: number) {}

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  lineAt(offset: number): number {
    while (this.at < offset && this.chunks.length > 0) {
      const c = this.chunks[0] as Buffer;
      const stop = Math.min(offset - this.start, c.length);
      for (let i = c.indexOf(this.endByte, this.at - this.start); i !== -1 && i < stop; i = c.indexOf(this.endByte, i + 1)) this.ends++;
      this.at = this.start + stop;
      if (stop === c.length) {
        this.start += c.length;
        this.chunks.shift();
      }
    }
    return this.ends + 1;
  }
}

/** How a file's lines end, from its first line: LF or CRLF, both accepted after it (an editor or
 * `sed` leaves a CRLF file with some LF lines: with csv-parse's own discovery of "\r\n", such a
 * line joined the next row), or CR alone (classic Mac OS), as csv-parse discovers it. A line
 * ending in several CRs and an LF ("\r\r\n": a file converted to CRLF twice) ends in an LF: the
 * extra CRs are stray ones, which start no line (read as CR lines, each CR counted as a line
 * end and the line numbers doubled), and trimming takes them off the last field. */
function lineEnds(first: Buffer | null): { readonly delimiters: string[]; readonly byte: number } {
  const cr = first === null ? -1 : first.indexOf(13);
  const lf = first === null ? -1 : first.indexOf(10);
  const crOnly = cr >= 0 && (lf < 0 || (cr < lf && !onlyCrs(first as Buffer, cr, lf)));
  return crOnly ? { delimiters: ['\r'], byte: 13 } : { delimiters: ['\r\n', '\n'], byte: 10 };
}

/** Whether b[from, to) is all CRs. */
function onlyCrs(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 13) return false;
  return true;
}

export class CsvRecords {
  /** Made when the first chunk shows how lines end. */
  private parser: LineTaggedParser | null = null;
  private counter: LineCounter | null = null;
  /** The line end inside quoted fields ("\n", or "\r" in a CR file), and the line the last
   * record ended on. */
  private lineEnd = '\n';
  private lastEnd = 0;
  private readonly queue: CsvRecord[] = [];
  private head = 0;
  private ended = false;

  constructor(private readonly src: ChunkSource) {}

  next(): CsvRecord | null {
    while (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (this.ended) return null;
      const chunk = this.src.read();
      const parser = this.parser ?? this.open(chunk);
      try {
        if (chunk === null) {
          this.ended = true;
          parser.end();
        } else {
          this.counter!.add(chunk);
          parser.write(chunk);
        }
        this.drain(parser);
      } catch (e) {
        if (e instanceof CsvError) throw csvError(e);
        throw e;
      }
    }
    return this.queue[this.head++] as CsvRecord;
  }

  /** Records parsed and not yet handed out (the read-ahead: one chunk's rows at most). */
  get buffered(): number {
    return this.queue.length - this.head;
  }

  private open(first: Buffer | null): LineTaggedParser {
    const ends = lineEnds(first);
    this.counter = new LineCounter(ends.byte);
    this.lineEnd = String.fromCharCode(ends.byte);
    // relax_column_count: the formats check the field count themselves (to name the row);
    // trim: the published Alibaba 2017 header has spaces after its commas.
    this.parser = new LineTaggedParser({ relax_column_count: true, trim: true, skip_empty_lines: true, bom: true, record_delimiter: ends.delimiters }, this.counter);
    this.parser.on('error', () => {}); // errors are taken from write() via the drain below
    return this.parser;
  }

  private drain(parser: LineTaggedParser): void {
    // A malformed quote is reported by the transform through the stream's error state.
    const err = (parser as unknown as { errored?: unknown }).errored;
    if (err instanceof CsvError) throw csvError(err);
    const lines = parser.lines;
    let i = 0;
    for (let r = parser.read() as string[] | null; r !== null; r = parser.read() as typeof r) {
      const end = lines[i++] as number;
      // A record ending more than a line after the last one spans lines (or follows blank
      // lines): it starts as many lines before its end as its quoted fields hold line ends.
      this.queue.push({ fields: r, line: end > this.lastEnd + 1 ? end - lineEndsIn(r, this.lineEnd) : end });
      this.lastEnd = end;
    }
    lines.splice(0, i);
  }

  close(): void {
    this.src.close();
    this.ended = true;
    this.queue.length = 0;
    this.parser?.destroy();
  }
}

function lineEndsIn(fields: readonly string[], end: string): number {
  let n = 0;
  for (const f of fields) for (let i = f.indexOf(end); i !== -1; i = f.indexOf(end, i + 1)) n++;
  return n;
}

function csvError(e: CsvError): TraceRowError {
  const line = (e as unknown as { lines?: number }).lines ?? 0;
  return new TraceRowError(line, 0, '', 'well-formed CSV', e.message.replace(/^Invalid [^:]*: (got )?/, ''), true);
}
