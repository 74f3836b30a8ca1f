// `ksim merge DIR... -o DIR`: joins the shard folders of one sweep (src/sweep/merge.ts).
import type { Argv } from 'yargs';
import { mergeSweeps } from '../sweep/merge.js';
import { SWEEP_CSV } from '../sweep/sweep.js';

export function mergeCommand(inputs: readonly string[], output: string, out: (s: string) => void): void {
  const r = mergeSweeps(inputs, output);
  out(`Merged ${r.inputs} shard folder${r.inputs === 1 ? '' : 's'} of the sweep of ${r.manifest.scenario.name} (${r.runs} runs): wrote ${SWEEP_CSV} and the run folders to ${output}/\n`);
}

/** Registers `ksim merge` (src/cli/main.ts). */
export function registerMergeCommand<T>(y: Argv<T>, out: (s: string) => void): Argv<T> {
  return y.command(
    'merge <inputs..>',
    `Join the shard folders of one sweep (ksim sweep --shard I/N) into the folder and ${SWEEP_CSV} the unsharded sweep writes`,
    (c) =>
      c
        .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'Shard folders' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'The merged sweep folder' })
        .example('$0 merge results/shard-1 results/shard-2 results/shard-3 -o results/sweep', 'Three shards into one sweep'),
    (a) => mergeCommand((a.inputs ?? []) as string[], a.output, out),
  );
}
