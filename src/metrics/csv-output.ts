// Writes output tables as CSV. All files of a run are first written into a temporary folder
// inside the output folder and then renamed into place one by one, so a reader never sees a
// half-written file.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Row } from './collector.js';

export interface Table {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export function toCsv(t: Table): string {
  return stringify(t.rows as Row[], { header: true, columns: [...t.columns], eof: true });
}

export interface OutputFile {
  readonly file: string;
  readonly content: string;
}

/** Writes every file, then renames them into `dir`; returns the paths written. */
export function writeOutputsAtomically(dir: string, files: readonly OutputFile[], tag: string): string[] {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.ksim-tmp-${tag}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const f of files) writeFileSync(join(tmp, f.file), f.content);
    const written: string[] = [];
    for (const f of files) {
      renameSync(join(tmp, f.file), join(dir, f.file));
      written.push(join(dir, f.file));
    }
    return written;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
