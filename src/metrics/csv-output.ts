// Writes a run's output folder as a whole: every file goes into a temporary sibling folder,
// which then replaces the output folder by two renames. A run killed at any moment (SIGKILL,
// out of memory) leaves the previous complete output, the new complete output, or (between the
// two renames) none — never a mix or a half-written file.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../api/input-error.js';
import { makeFolder, writingTo } from '../api/output-path.js';
import type { Row } from './collector.js';
import type { Cell, Column, TypedRow } from './schema.js';
import { fmt } from './stats.js';
import { CsvByteWriter, quotedField, rowWriter } from './csv-bytes.js';

export interface Table {
  readonly file: string;
  readonly columns: readonly string[];
  /** The rows as written: formatted by formatRow. */
  readonly rows: readonly Row[];
}

export function toCsv(t: Table): string {
  return stringify(t.rows as Row[], { header: true, columns: [...t.columns], eof: true });
}

/** One field as the file has it: integers stay numbers (written by String), decimals become
 * text with at most `digits` fractional digits, booleans true/false, null (and NaN) empty.
 * The only place output values are formatted. */
export function formatCell(c: Column, v: Cell | undefined): string | number {
  if (v === null || v === undefined) return '';
  switch (c.type) {
    case 'decimal':
      return typeof v === 'number' ? fmt(v, c.digits ?? 6) : String(v);
    case 'boolean':
      return v === true ? 'true' : v === false ? 'false' : String(v);
    case 'integer':
      return typeof v === 'number' ? v : String(v);
    default:
      return typeof v === 'boolean' ? String(v) : v;
  }
}

/** A typed row formatted by its columns (columns missing from the row are left out). */
export function formatRow(row: TypedRow, columns: readonly Column[]): Row {
  const out: Row = {};
  for (const c of columns) if (row[c.name] !== undefined) out[c.name] = formatCell(c, row[c.name]);
  return out;
}

/** A formatted row's values for a program (the library's `result.summary`, `--json`): numbers
 * as numbers (decimals rounded as the file has them), empty cells as null, text as text. */
export function rowValues(row: Row, columns: readonly Column[]): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of columns) {
    const v = row[c.name];
    if (v === undefined) continue;
    if (v === '') out[c.name] = null;
    else if (typeof v === 'string' && (c.type === 'decimal' || c.type === 'integer') && Number.isFinite(Number(v))) out[c.name] = Number(v);
    else out[c.name] = v;
  }
  return out;
}

/** Receives a table's typed rows as the collectors make them. */
export interface RowSink {
  add(row: TypedRow): void;
}

/** Keeps the rows in memory, formatted as the file would have them (library results, tests). */
export class MemorySink implements RowSink {
  /** `rows`: the array to fill (a new one by default). */
  constructor(readonly columns: readonly Column[], readonly rows: Row[] = []) {}
  add(row: TypedRow): void {
    this.rows.push(formatRow(row, this.columns));
  }
}

/** Drops every row (sweeps and capacity probes need only the summary, which does not come from
 * rows). */
export const NULL_SINK: RowSink = { add: () => {} };

/** One CSV record with its newline, quoted as toCsv (csv-stringify's defaults) quotes: a field
 * holding a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvLine(row: Row, columns: readonly string[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    const v = row[columns[i] as string];
    if (v === undefined) continue;
    line += quotedField(typeof v === 'number' ? String(v) : v);
  }
  return `${line}\n`;
}

/** A CSV file written row by row, in chunks: what toCsv would give for the same rows. */
export class CsvFileSink implements RowSink {
  private fd: number;
  private readonly out: CsvByteWriter;
  /** Writes a row's line (rowWriter). */
  private readonly line: (w: CsvByteWriter, row: TypedRow) => void;
  rows = 0;

  constructor(path: string, columns: readonly Column[]) {
    const fd = (this.fd = openSync(path, 'w'));
    this.out = new CsvByteWriter((bytes) => {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    });
    this.line = rowWriter(columns);
    columns.forEach((c, i) => {
      if (i > 0) this.out.comma();
      this.out.text(c.name);
    });
    this.out.newline();
  }

  add(row: TypedRow): void {
    this.line(this.out, row);
    this.rows++;
  }

  close(): void {
    if (this.fd < 0) return;
    this.out.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

export interface OutputFile {
  readonly file: string;
  readonly content: string;
}

/** The file every ksim output folder holds; its presence marks a folder ksim may replace. */
export const MARKER_FILE = 'run.json';
const TMP_TAG = '.ksim-tmp-';
const OLD_TAG = '.ksim-old-';

/**
 * Checks, before a run, that `dir` can receive outputs: absent, empty, or a previous ksim output
 * folder (holding run.json). Anything else is refused rather than replaced.
 */
export function checkOutputFolder(dir: string): void {
  // '' resolves to the working directory, which existsSync('') does not see: the swap replaced
  // it (and everything in it) with the outputs.
  if (dir === '') throw new InputError('--output', 0, 0, '', 'a folder name (-o DIR)', '""');
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new InputError(dir, 0, 0, '', 'an output folder', 'an existing file');
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MARKER_FILE)) {
    throw new InputError(dir, 0, 0, '', `an empty or previous ksim output folder (with ${MARKER_FILE}); ksim replaces the whole folder`, `a folder with ${entries.length} other entries`);
  }
}

/** Writes `files` as the complete content of `dir` (see the module comment); returns the paths. */
export function writeOutputsAtomically(dir: string, files: readonly OutputFile[], tag: string): string[] {
  return new OutputFolder(dir, tag).commit(files);
}

/**
 * An output folder being written: its files go into the temporary sibling folder, some streamed
 * while the run goes (`stream`), the rest at the end (`commit`), which swaps the folder in by two
 * renames; `abort` removes the temporary folder (an interrupted run writes nothing).
 */
export class OutputFolder {
  private readonly abs: string;
  private readonly tmp: string;
  private readonly old: string;
  private readonly sinks: { file: string; sink: CsvFileSink }[] = [];
  private done = false;

  constructor(private readonly dir: string, tag: string) {
    checkOutputFolder(dir);
    this.abs = resolve(dir);
    const parent = dirname(this.abs);
    makeFolder(parent, dir);
    removeLeftovers(parent, basename(this.abs));
    this.tmp = join(parent, `${basename(this.abs)}${TMP_TAG}${tag}`);
    this.old = join(parent, `${basename(this.abs)}${OLD_TAG}${tag}`);
    writingTo(dir, () => mkdirSync(this.tmp));
  }

  /** A CSV file of the folder written row by row (closed by commit). */
  stream(file: string, columns: readonly Column[]): CsvFileSink {
    const sink = new CsvFileSink(join(this.tmp, file), columns);
    this.sinks.push({ file, sink });
    return sink;
  }

  /** The temporary folder the files go to before the swap (to read them back, e.g. for a report
   * made from the complete outputs before they are swapped in). */
  get workingDir(): string {
    return this.tmp;
  }

  /** Closes the streamed files and writes `files` beside them, without swapping the folder in. */
  write(files: readonly OutputFile[]): void {
    for (const s of this.sinks) s.sink.close();
    for (const f of files) writeFileSync(join(this.tmp, f.file), f.content);
  }

  /** Writes `files` beside the streamed ones and swaps the folder in; returns every path. */
  commit(files: readonly OutputFile[]): string[] {
    try {
      this.write(files);
      if (existsSync(this.abs)) renameSync(this.abs, this.old);
      renameSync(this.tmp, this.abs);
    } finally {
      this.abort();
      rmSync(this.old, { recursive: true, force: true });
    }
    return [...this.sinks.map((s) => s.file), ...files.map((f) => f.file)].map((f) => join(this.dir, f));
  }

  /** Removes the temporary folder (nothing of this run is left). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    for (const s of this.sinks) s.sink.close();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Temporary and replaced folders that a killed run left next to the output folder. */
function removeLeftovers(parent: string, name: string): void {
  for (const e of readdirSync(parent)) {
    if (e.startsWith(`${name}${TMP_TAG}`) || e.startsWith(`${name}${OLD_TAG}`)) rmSync(join(parent, e), { recursive: true, force: true });
  }
}
