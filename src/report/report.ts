// `ksim report DIR`: one self-contained HTML file for an output folder — a sweep (sweep.csv), a
// capacity search (capacity.csv) or a run (summary.csv), recognised in that order. The same
// folder always gives the same bytes: no time, path or host goes into the page.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { makeFolder, writingTo } from '../api/output-path.js';
import { capacityReport } from './capacity-report.js';
import { renderPage, type ReportPage } from './page.js';
import { runReport } from './run-report.js';
import { sweepReport } from './sweep-report.js';

/** The file `ksim run --report` writes beside the CSVs, and `ksim report`'s default output. */
export const REPORT_FILE = 'report.html';

export type ReportKind = 'sweep' | 'capacity' | 'run';

const KINDS: readonly { kind: ReportKind; file: string; build: (dir: string) => ReportPage }[] = [
  { kind: 'sweep', file: 'sweep.csv', build: sweepReport },
  { kind: 'capacity', file: 'capacity.csv', build: capacityReport },
  { kind: 'run', file: 'summary.csv', build: runReport },
];

/** The report of the output folder `dir`, as HTML text. Bad or missing files: InputError. */
export function renderReport(dir: string): { kind: ReportKind; html: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(dir, 0, 0, '', 'an output folder of ksim run, sweep or capacity', 'no such folder');
  const k = KINDS.find((x) => existsSync(join(dir, x.file)));
  if (k === undefined) throw new InputError(dir, 0, 0, '', 'an output folder of ksim run, sweep or capacity (holding summary.csv, sweep.csv or capacity.csv)', 'none of them');
  return { kind: k.kind, html: renderPage(k.build(dir)) };
}

/** Writes the report of `dir` to `output` (default DIR/report.html) under a temporary name,
 * renamed when complete; returns what it wrote. */
export function writeReport(dir: string, output?: string): { kind: ReportKind; file: string; bytes: number } {
  const file = output ?? join(dir, REPORT_FILE);
  const { kind, html } = renderReport(dir);
  const tmp = `${file}.ksim-tmp-${process.pid}`;
  // Its folder is made as `ksim run -o` makes its own.
  makeFolder(dirname(file), file);
  writingTo(file, () => {
    try {
      writeFileSync(tmp, html);
      renameSync(tmp, file);
    } catch (e) {
      if (existsSync(tmp)) rmSync(tmp, { force: true });
      throw e;
    }
  });
  return { kind, file, bytes: Buffer.byteLength(html) };
}
