// Reads the CSV files of an output folder for the report: a header, then records streamed one at
// a time (pods.csv may have millions of rows: only the current chunk is in memory), every field
// looked up by column name and checked, so a wrong file is one clear error naming file, line and
// column (InputError, exit 2).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { openChunks } from '../workload/traces/chunk-source.js';
import { CsvRecords } from '../workload/traces/csv-records.js';
import { rowInputError, TraceRowError } from '../workload/traces/trace-types.js';

/** One data row of a CSV file, read by column name. */
export class CsvRow {
  constructor(
    readonly header: CsvHeader,
    readonly fields: readonly string[],
    /** 1-based line of the record in the file. */
    readonly line: number,
  ) {}

  /** The text of `column` ("" when the row is short). */
  text(column: string): string {
    return this.fields[this.header.index(column)] ?? '';
  }

  /** The number in `column`; null when the field is empty. */
  numberOrNull(column: string): number | null {
    const t = this.text(column);
    if (t === '') return null;
    const v = Number(t);
    if (!Number.isFinite(v)) throw this.error(column, 'a number', JSON.stringify(t));
    return v;
  }

  /** The number in `column`, which must not be empty. */
  number(column: string): number {
    const v = this.numberOrNull(column);
    if (v === null) throw this.error(column, 'a number', 'an empty field');
    return v;
  }

  error(column: string, expected: string, got: string): InputError {
    return new InputError(this.header.display, this.line, this.header.index(column) + 1, column, expected, got);
  }
}

export class CsvHeader {
  private readonly at = new Map<string, number>();
  constructor(
    /** The file as errors name it. */
    readonly display: string,
    readonly columns: readonly string[],
  ) {
    // The first of repeated names wins (a sweep.csv repeats seed from summary.csv).
    columns.forEach((c, i) => {
      if (!this.at.has(c)) this.at.set(c, i);
    });
  }

  has(column: string): boolean {
    return this.at.has(column);
  }

  index(column: string): number {
    return this.at.get(column) ?? -1;
  }
}

/** Calls `onRow` for each data row of `dir/file`, after checking the header holds `required`;
 * returns the header. Missing file: InputError naming what was expected. */
export function readCsv(dir: string, file: string, required: readonly string[], onRow: (row: CsvRow) => void): CsvHeader {
  const path = join(dir, file);
  const display = path;
  if (!existsSync(path)) throw new InputError(display, 0, 0, '', `the ${file} of a ksim output folder`, 'no such file');
  const records = new CsvRecords(openChunks(path, display));
  try {
    const first = records.next();
    if (first === null) throw new InputError(display, 0, 0, '', 'a header row', 'an empty file');
    const header = new CsvHeader(display, first.fields);
    const missing = required.filter((c) => !header.has(c));
    if (missing.length > 0) throw new InputError(display, first.line, 1, '', `the columns ${required.join(', ')}`, `a header without ${missing.join(', ')}`);
    for (let r = records.next(); r !== null; r = records.next()) onRow(new CsvRow(header, r.fields, r.line));
    return header;
  } catch (e) {
    if (e instanceof TraceRowError) throw rowInputError(display, e);
    throw e;
  } finally {
    records.close();
  }
}

/** Every row of a small file (summary, timeseries, nodes, recovery, sweep, capacity). */
export function readAll(dir: string, file: string, required: readonly string[]): { header: CsvHeader; rows: CsvRow[] } {
  const rows: CsvRow[] = [];
  const header = readCsv(dir, file, required, (r) => rows.push(r));
  return { header, rows };
}
