// `ksim report DIR [-o FILE]`: the HTML report of a run, sweep or capacity folder
// (src/report/report.ts).
import type { Argv } from 'yargs';
import { REPORT_FILE, writeReport } from '../report/report.js';

/** Registers `ksim report` on the command line (src/cli/main.ts). */
export function registerReportCommand<T>(y: Argv<T>, out: (s: string) => void): Argv<T> {
  return y.command(
    'report <dir>',
    `Write a self-contained HTML report (charts, no network needed) of a run, sweep or capacity output folder (default DIR/${REPORT_FILE})`,
    (c) =>
      c
        .positional('dir', { type: 'string', demandOption: true, describe: 'An output folder of ksim run (summary.csv), ksim sweep (sweep.csv) or ksim capacity (capacity.csv)' })
        .option('output', { alias: 'o', type: 'string', describe: `The HTML file to write (default DIR/${REPORT_FILE})` })
        .example('$0 report results/zone-outage', `Writes results/zone-outage/${REPORT_FILE}`)
        .example('$0 report results/sweep -o sweep.html', 'The report of a sweep'),
    (a) => {
      const r = writeReport(a.dir as string, a.output);
      out(`Wrote ${r.file} (${r.kind} report, ${Math.round(r.bytes / 1024)} KiB)\n`);
    },
  );
}
