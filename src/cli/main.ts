// The `ksim` command line: parse, call the library, print, map errors to exit codes
// (0 ok, 1 internal error, 2 bad input, 3 regression found).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../api/input-error.js';
import { KSIM_VERSION } from '../version.js';
import { runCommand } from './run-command.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  try {
    await yargs(argv)
      .scriptName('ksim')
      .version(KSIM_VERSION)
      .usage('$0 <command> [options]\n\nDeterministic discrete-event simulator of a Kubernetes cluster.')
      .command(
        'run <scenario>',
        'Run one simulation; write summary.csv, placements.csv, timeseries.csv, nodes.csv and run.json',
        (y) =>
          y
            .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
            .option('output', { alias: 'o', type: 'string', describe: 'Output folder (default results/<scenario name>/)' })
            .option('seed', { type: 'number', describe: 'Seed replacing the scenario\'s seed' })
            .option('set', { type: 'string', array: true, describe: 'Override a scenario field: PATH=VALUE, e.g. cluster.nodePools[0].count=10 (repeatable)' })
            .option('events', { type: 'boolean', default: false, describe: 'Also write events.csv, one row per simulation event' })
            .example('$0 run scenarios/quickstart.yaml', 'Run the bundled quickstart')
            .example('$0 run scenarios/quickstart.yaml --seed 7 --set cluster.nodePools[0].count=4 -o /tmp/q', 'Another seed, fewer nodes')
            .check((a) => {
              if (a.seed !== undefined && (!Number.isInteger(a.seed) || a.seed < 0 || a.seed > 4294967295)) {
                throw new UsageError(`--seed: expected an integer in [0, 4294967295], got ${String(a.seed)}`);
              }
              return true;
            }),
        (a) => runCommand({ scenario: a.scenario, output: a.output, seed: a.seed, set: a.set, events: a.events }, out),
      )
      .demandCommand(1, 'Name a command: ksim run SCENARIO (see ksim --help)')
      .strict()
      .help()
      .alias('help', 'h')
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(msg);
      })
      .parseAsync();
    return EXIT_OK;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`ksim: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ksim: ${e.message}\nRun 'ksim --help' for usage.\n`);
      return EXIT_BAD_INPUT;
    }
    const err = e as Error;
    process.stderr.write(`ksim: internal error (this is a bug; please report it with the command and scenario):\n${err.stack ?? String(err)}\n`);
    return EXIT_INTERNAL;
  }
}

export function runMain(): void {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`ksim: internal error: ${String(e)}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
