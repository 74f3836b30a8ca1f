// The `ksim` command line: parse, call the library, print, map errors to exit codes
// (0 ok, 1 internal error, 2 bad input, 3 regression found by compare, 130/143 interrupted).
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../api/input-error.js';
import { InvariantViolation } from '../invariants/violation.js';
import { KSIM_VERSION } from '../version.js';
import { Interrupted, runCommand } from './run-command.js';
import { explainCommand, listOption } from './explain-command.js';
import { registerImportCommand } from './import-command.js';
import { registerReportCommand } from './report-command.js';
import { registerSweepCommand } from './sweep-command.js';
import { registerMergeCommand } from './merge-command.js';
import { registerCompareCommand } from './compare-command.js';
import { CommandExit, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, exitNow } from './exit.js';
import { commandStartMs, NeedsMoreHeap, relaunchWithHeap } from './heap.js';
import { registerCapacityCommand } from './capacity-command.js';
import { progressMode } from './progress.js';
import { closest } from '../api/suggest.js';
import { PluginFailure } from '../scheduler/plugin-modules.js';
import { isSeed, MAX_SEED } from '../api/seed.js';

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  try {
    const args = bareCheckInvariantsLast(helpAsFlag(argv));
    const y = yargs(args)
      .scriptName('ksim')
      .version(KSIM_VERSION)
      .usage('$0 <command> [options]\n\nDeterministic discrete-event simulator of a Kubernetes cluster.')
      .command(
        'run <scenario>',
        'Run one simulation; write summary.csv, placements.csv, pods.csv, jobs.csv, timeseries.csv, nodes.csv, workloads.csv, recovery.csv (with faults), gpu_allocation.csv (with Open-Gpu-Share), events.csv (with --events), run.json and report.html (with --report)',
        (y) =>
          y
            .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
            .option('output', { alias: 'o', type: 'string', describe: 'Output folder (default results/<scenario name>/)' })
            // A string, parsed here: yargs turns "abc" into NaN and "1e3" into 1000.
            .option('seed', { type: 'string', describe: 'Seed replacing the scenario\'s seed (an integer, 0 to 4294967295)' })
            .option('set', { type: 'string', array: true, describe: 'Override a scenario field: PATH=VALUE, e.g. cluster.nodePools[0].count=10 (repeatable)' })
            .option('events', { type: 'boolean', default: false, describe: 'Also write events.csv, one row per simulation event' })
            // Untyped on purpose: a bare flag is true, --check-invariants=N a number.
            .option('check-invariants', { describe: 'Check the simulation\'s invariants after every event (=N: every N events); a broken one is a ksim bug (exit 1)' })
            .option('progress', { type: 'boolean', describe: 'Show the live progress line on stderr even when it is not a terminal (default: live on a terminal, a plain line every 10 s otherwise)' })
            .option('json', { type: 'boolean', default: false, describe: 'Print the summary as one JSON object on stdout (numbers as numbers) instead of the table' })
            .option('clobber', { type: 'boolean', default: true, describe: 'Replace an output folder holding an earlier run (--no-clobber refuses, exit 2)' })
            .option('verbose', { type: 'boolean', default: false, describe: 'Print every warning (many unknown fields are otherwise grouped, the first 5 shown)' })
            .option('strict', { type: 'boolean', default: false, describe: 'Unknown fields in the scenario\'s objects are errors (exit 2), not warnings' })
            .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress and no notes on stderr (warnings and errors still show)' })
            .option('report', { type: 'boolean', default: false, describe: 'Also write report.html, the HTML report of the run (as ksim report DIR)' })
            .example('$0 run scenarios/quickstart.yaml', 'Run the bundled quickstart')
            .example('$0 run scenarios/quickstart.yaml --seed 7 --set cluster.nodePools[0].count=4 -o /tmp/q', 'Another seed, fewer nodes')
            .example('$0 run scenarios/quickstart.yaml --check-invariants=100', 'Check invariants every 100 events')
            .check((a) => {
              seedOption(a.seed);
              checkInvariantsOption(a['check-invariants']);
              return true;
            }),
        async (a) =>
          runCommand(
            {
              scenario: a.scenario,
              output: a.output,
              seed: seedOption(a.seed),
              set: a.set,
              events: a.events,
              checkInvariants: checkInvariantsOption(a['check-invariants']),
              progress: progressMode({ quiet: a.quiet, progress: a.progress, isTTY: process.stderr.isTTY === true }),
              columns: process.stderr.columns,
              noClobber: !a.clobber,
              json: a.json,
              quiet: a.quiet,
              verbose: a.verbose,
              strict: a.strict,
              report: a.report,
              // performance.now() counts from the process's start: Node.js's own start and
              // ksim's modules are part of the loading the run's last line reports; in a child
              // relaunched with more heap, from the parent's start (the user's whole command).
              startedMs: commandStartMs(),
            },
            out,
            (t) => process.stderr.write(t),
          ),
      )
      .command(
        'explain',
        'Explain one scheduling decision: every filter verdict and score of every node',
        (y) =>
          y
            .option('cluster', { type: 'string', array: true, demandOption: true, describe: 'Nodes, bound Pods and Namespaces: files or directories as kubectl get -o json/yaml prints them (repeatable)' })
            .option('pod', { type: 'string', array: true, demandOption: true, describe: 'The Pod to schedule, or a Deployment, ReplicaSet, StatefulSet, Job or CronJob (its pod template), or a DaemonSet (its pod for each node, as its controller makes them)' })
            .option('config', { type: 'string', array: true, describe: 'A KubeSchedulerConfiguration (or a ConfigMap holding one); the profile the pod\'s schedulerName selects is used' })
            .option('config-document', { type: 'number', describe: 'Which document of a multi-document --config file holds the configuration (0 is the first)' })
            .option('config-key', { type: 'string', describe: 'The data key of a ConfigMap --config that holds the configuration' })
            .option('plugins', { type: 'string', array: true, describe: 'Only these plugins (comma-separated): A,B' })
            .option('nodes', { type: 'string', array: true, describe: 'Only these candidate nodes (comma-separated); the others stay in the cluster' })
            .option('score-all-nodes', { type: 'boolean', default: false, describe: 'Also score the candidates that fail a filter, apart from the decision (normalised among themselves; the selected node is as without it)' })
            .option('plugin-module', { type: 'string', array: true, describe: 'A JS module exporting out-of-tree plugins (repeatable)' })
            .option('output', { alias: 'o', choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Output format' })
            .example('$0 explain --cluster examples/explain/cluster.yaml --pod examples/explain/pod.yaml', 'Why does this pod go where it goes?')
            .example('$0 explain --cluster c.json --pod p.yaml --plugins NodeResourcesFit,TaintToleration --score-all-nodes -o json', 'Two plugins, every node scored, JSON'),
        async (a) =>
          explainCommand(
            {
              cluster: a.cluster,
              pod: a.pod,
              config: a.config,
              configDocument: a['config-document'],
              configKey: a['config-key'],
              plugins: listOption(a.plugins),
              nodes: listOption(a.nodes),
              scoreAllNodes: a['score-all-nodes'],
              pluginModule: a['plugin-module'],
              output: a.output,
            },
            out,
            (t) => process.stderr.write(t),
          ),
      );
    const withSweeps = registerCompareCommand(registerMergeCommand(registerSweepCommand(y, out, checkInvariantsOption), out), out);
    await registerCapacityCommand(registerReportCommand(registerImportCommand(withSweeps, out), out), out, (t) => process.stderr.write(t), seedOption)
      .command('help [command]', 'Show the help of a command: ksim help run')
      .completion('completion', 'Print a shell completion script (bash, zsh): ksim completion >> ~/.bashrc', (_current: string, _argv: unknown, defaults: (onCompleted: (err: Error | null, words: string[] | undefined) => void) => unknown, done: (words: string[]) => unknown) => {
        defaults((_err, words) => done(longOptionsOnly(words ?? [])));
      })
      // An option given twice that takes one value (`-o a -o b`, a command re-run from history
      // with one more): yargs makes it a list, which the commands do not expect.
      // An option or argument given empty (`-o ''`, a shell variable that was not set) or an
      // option with no value at the end (`--workers`): yargs passes '' or undefined on, which
      // made `-o ''` the current folder and others internal errors or silent defaults.
      .middleware(((a: Record<string, unknown>, inst: { getOptions(): { array: string[]; alias: Record<string, string[]> } }) => {
        const o = inst.getOptions();
        const lists = new Set(o.array);
        for (const [k, v] of Object.entries(a)) {
          // (Each option is also under its one-letter alias and its camel-case spelling.)
          if (k.length < 2 || k === '$0' || /[A-Z]/.test(k)) continue;
          if (v === '' || v === undefined) {
            const names = [k, ...(o.alias[k] ?? [])];
            const at = args.findIndex((x) => names.some((n) => x === (n.length === 1 ? `-${n}` : `--${n}`)));
            const flag = at >= 0 || args.some((x) => names.some((n) => x.startsWith(`--${n}=`)));
            // A bare string option (`--target -o out`) reads as '' too: "none" unless '' was given.
            const given = at >= 0 ? args[at + 1] === '' : v === '';
            throw new InputError(flag ? `--${k}` : `<${k}>`, 0, 0, '', flag ? 'a value after it' : 'a value', given ? 'an empty string' : 'none');
          }
          if (!Array.isArray(v) || lists.has(k)) continue;
          throw new InputError(`--${k}`, 0, 0, '', 'one value (the option is given once)', `${v.length} values: ${v.map((x) => JSON.stringify(x)).join(', ')}`);
        }
      }) as unknown as Parameters<Argv['middleware']>[0], true)
      .demandCommand(1, 'Name a command: ksim run SCENARIO or ksim explain ... (see ksim --help)')
      .recommendCommands()
      .strict()
      .help()
      .alias('help', 'h')
      .alias('version', 'v')
      // yargs lays out the help text after every command it runs (to have it ready); wrapping it
      // to the terminal was about half of the ~110 ms that took in each run (a CPU profile of
      // the quickstart run), so help is wrapped only when it is asked for.
      .wrap(args.includes('--help') || args.includes('-h') ? Math.min(110, process.stdout.columns || 110) : null)
      .fail((msg, err, command) => {
        // yargs' own parse errors are usage errors, not bugs: an option with nargs and no value.
        const missing = err?.name === 'YError' ? /^Not enough arguments following: (.+)$/.exec(err.message) : null;
        if (missing !== null) throw new UsageError(`--${missing[1]}: expected a value after it, got none`);
        if (err) throw err;
        throw new UsageError(withSuggestions(msg, optionsInHelp(command), args));
      })
      .parseAsync();
    return EXIT_OK;
  } catch (e) {
    if (e instanceof InvariantViolation) {
      process.stderr.write(
        'ksim: internal error: a simulation invariant broke (this is a bug in ksim; please report it with the command and scenario):\n' +
          `  invariant: ${e.invariant}\n  time:      ${(e.timeUs / 1e6).toFixed(6)} s\n  event:     ${e.event === '' ? '(end of run)' : e.event}\n  detail:    ${e.detail}\n`,
      );
      return EXIT_INTERNAL;
    }
    if (e instanceof InputError) {
      process.stderr.write(`ksim: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof NeedsMoreHeap) {
      if (!e.quiet) process.stderr.write(`ksim: ${e.message}\n`);
      return relaunchWithHeap(e.mib, argv);
    }
    // A custom plugin threw: its author's bug, not ksim's (the message names the plugin).
    if (e instanceof PluginFailure) {
      process.stderr.write(`ksim: ${e.message}\n`);
      return EXIT_INTERNAL;
    }
    if (e instanceof Interrupted) {
      process.stderr.write(`ksim: ${e.message}\n`);
      return e.signal === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT;
    }
    if (e instanceof CommandExit) {
      process.stderr.write(`ksim: ${e.message}\n`);
      return e.code;
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

/** The long options of the command yargs was parsing when it failed (the top level's without
 * one), read from that command's help text: yargs has no public list, and a list of its own
 * would drift from the commands' builders. With wrap(null) (not --help), an option is one line,
 * `  -o, --output  ...` or `      --seed  ...`. */
export function optionsInHelp(command: { showHelp(print: (help: string) => void): unknown }): string[] {
  let help = '';
  command.showHelp((h) => {
    help = h;
  });
  return [...help.matchAll(/^ {2}(?:-\w, | {4})--([a-z][a-z0-9-]*)/gm)].map((m) => m[1] as string);
}

/** A bare `--check-invariants` followed by a word that is not a count (`ksim run
 * --check-invariants scenario.yaml`) is moved to the end, so the word stays the scenario (or
 * whatever it is) instead of being read as the option's value; `--check-invariants 100` and
 * `--check-invariants=100` are counts as before. */
export function bareCheckInvariantsLast(argv: readonly string[]): string[] {
  const i = argv.indexOf('--check-invariants');
  const next = argv[i + 1];
  if (i < 0 || next === undefined || next.startsWith('-') || /^\d+$/.test(next)) return [...argv];
  return [...argv.slice(0, i), ...argv.slice(i + 1), '--check-invariants'];
}

/** yargs' completions without a one-letter option written with two dashes (`--o`, `--q`): after a
 * typed `--`, yargs offers every option with two dashes, its one-letter aliases too, which are
 * spelt `-o` everywhere else (help, README). The long form (`--output`) is offered beside them;
 * after `-` or nothing, yargs offers `-o` itself. zsh's words carry a description (`--o:Output
 * folder`). */
export function longOptionsOnly(words: readonly string[]): string[] {
  return words.filter((w) => !/^--(no-)?[^-:\s](:|$)/.test(w));
}

/** `ksim help run` is `ksim run --help`; `ksim help` is `ksim --help`. */
export function helpAsFlag(argv: readonly string[]): string[] {
  if (argv[0] !== 'help') return [...argv];
  return [...argv.slice(1, 2), '--help'];
}

/** Adds "did you mean --x?" to yargs' "Unknown argument(s): a, b" message, the options offered
 * being `options` (the failing command's), never the one typed. yargs also lists a dashed
 * unknown's camel-case spelling (`fail-of, failOf`): the user typed one, so one is named. */
export function withSuggestions(msg: string, options: readonly string[], argv: readonly string[] = []): string {
  const required = /^Missing required arguments?: (.*)$/.exec(msg);
  // yargs reports a missing required option before an unknown one: `sweep --seed 4` (for
  // --seeds) would say only that seeds is missing, not why.
  if (required !== null) {
    const missing = (required[1] as string).split(', ');
    const typed = argv.filter((a) => /^--[^-=]/.test(a)).map((a) => a.slice(2).split('=')[0] as string).filter((a) => a.length > 1 && !options.includes(a));
    const hints = typed.flatMap((arg) => {
      const near = closest(arg, missing);
      return near === null ? [] : [`--${arg}: did you mean --${near}?`];
    });
    return hints.length === 0 ? msg : `${msg} (${hints.join('; ')})`;
  }
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (m === null) return msg;
  const typed = (m[1] as string).split(', ');
  const camel = new Set(typed.filter((a) => a.includes('-')).map((a) => a.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())));
  const args = typed.filter((a) => !camel.has(a));
  const names = options.filter((o) => o.length > 1 && o !== '$0' && o !== '_');
  const hints = args.flatMap((arg) => {
    // Any long name is a couple of edits from a one-letter option (-q): no guess for those.
    if (arg.length < 2) return [];
    const near = closest(arg, names.filter((o) => o !== arg));
    return near === null ? [] : [`--${arg}: did you mean --${near}?`];
  });
  const unknown = `Unknown argument${args.length === 1 ? '' : 's'}: ${args.join(', ')}`;
  return hints.length === 0 ? unknown : `${unknown} (${hints.join('; ')})`;
}

/** --seed: a decimal integer in [0, 2^32 - 1] (the seed's range), as a number. */
export function seedOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (/^\d+$/.test(s) && isSeed(Number(s))) return Number(s);
  throw new UsageError(`--seed: expected an integer in [0, ${MAX_SEED}], got ${JSON.stringify(s)}`);
}

/** --check-invariants: absent → undefined (the library's default), bare → true, =N → N ≥ 1. */
function checkInvariantsOption(v: unknown): boolean | number | undefined {
  if (v === undefined || v === true || v === false) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return v;
  throw new UsageError(`--check-invariants: expected no value (every event) or =N, a positive integer (every N events), got ${JSON.stringify(v)}`);
}

export function runMain(): void {
  // `ksim run ... | head`: a closed stdout is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exitNow(Number(process.exitCode ?? 0));
  });
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
