// CSV records of a chunk source, parsed by csv-parse's stream parser driven synchronously: each
// chunk is written and the records it completes are read back in the same tick (the parser's
// transform runs inside write(); ksim-csv.test.ts reads a trace of several chunks), so only the current chunk
// and its records are in memory.
import { CsvError, Parser } from 'csv-parse';
import type { ChunkSource } from './chunk-source.js';
import { TraceRowError } from './trace-types.js';

export interface CsvRecord {
  readonly fields: readonly string[];
  /** 1-based line where the record ends. */
  readonly line: number;
}

/** csv-parse's stream parser, each record tagged with the line it ends on: the parser's running
 * line count (`info.lines`) as it pushes the record, the figure its `info: true` option would give.
 * That option builds an info object per record by object spreads: 3 % of a trace replay's CPU in
 * a profile of the 50,000-row trace bench, for one number. */
class LineTaggedParser extends Parser {
  readonly lines: number[] = [];

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null) this.lines.push(this.info.lines);
    return super.push(chunk, encoding);
  }
}

export class CsvRecords {
  private readonly parser: LineTaggedParser;
  private readonly queue: CsvRecord[] = [];
  private head = 0;
  private ended = false;

  constructor(private readonly src: ChunkSource) {
    // relax_column_count: the formats check the field count themselves (to name the row);
    // trim: the published Alibaba 2017 header has spaces after its commas.
    this.parser = new LineTaggedParser({ relax_column_count: true, trim: true, skip_empty_lines: true, bom: true });
    this.parser.on('error', () => {}); // errors are taken from write() via the drain below
  }

  next(): CsvRecord | null {
    while (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (this.ended) return null;
      const chunk = this.src.read();
      try {
        if (chunk === null) {
          this.ended = true;
          this.parser.end();
        } else {
          this.parser.write(chunk);
        }
        this.drain();
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

  private drain(): void {
    // A malformed quote is reported by the transform through the stream's error state.
    const err = (this.parser as unknown as { errored?: unknown }).errored;
    if (err instanceof CsvError) throw csvError(err);
    const lines = this.parser.lines;
    let i = 0;
    for (let r = this.parser.read() as string[] | null; r !== null; r = this.parser.read() as typeof r) {
      this.queue.push({ fields: r, line: lines[i++] as number });
    }
    lines.splice(0, i);
  }

  close(): void {
    this.src.close();
    this.ended = true;
    this.queue.length = 0;
    this.parser.destroy();
  }
}

function csvError(e: CsvError): TraceRowError {
  const line = (e as unknown as { lines?: number }).lines ?? 0;
  return new TraceRowError(line, 0, '', 'well-formed CSV', e.message.replace(/^Invalid [^:]*: (got )?/, ''), true);
}
