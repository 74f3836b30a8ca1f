// `ksim import FILE|DIR... -o SCENARIO.yaml`: a scenario from `kubectl get ... -A -o json`
// output (src/workload/import-snapshot.ts). Writes SCENARIO.yaml and, beside it,
// SCENARIO.snapshot.yaml (and SCENARIO.pending.yaml with --pending-as-workload).
import { existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../api/input-error.js';
import { makeFolder, writingTo } from '../api/output-path.js';
import { importedScenarioYaml, importSnapshot } from '../workload/import-snapshot.js';

export interface ImportArgs {
  readonly inputs: readonly string[];
  readonly output: string;
  readonly namespace?: readonly string[] | undefined;
  readonly excludeNamespace?: readonly string[] | undefined;
  readonly pendingAsWorkload?: boolean | undefined;
}

export function importCommand(a: ImportArgs, out: (s: string) => void): void {
  const r = importSnapshot(a.inputs, {
    namespaces: a.namespace ?? [],
    excludeNamespaces: a.excludeNamespace ?? [],
    pendingAsWorkload: a.pendingAsWorkload === true,
  });
  const dir = dirname(a.output);
  const base = basename(a.output, extname(a.output));
  const snapshotRel = `${base}.snapshot.yaml`;
  const pendingRel = r.pendingYaml === null ? null : `${base}.pending.yaml`;
  // Written under a temporary name and renamed: no half-written file is left behind. The folder
  // is made as `ksim run -o` makes its own.
  const scenarioYaml = importedScenarioYaml(base, snapshotRel, pendingRel);
  const files: [path: string, text: string][] = [
    [join(dir, snapshotRel), `${GENERATED}\n${r.snapshotYaml}`],
    ...(pendingRel !== null ? [[join(dir, pendingRel), `${GENERATED}\n${r.pendingYaml as string}`] as [string, string]] : []),
    [a.output, scenarioYaml],
  ];
  // Nothing is written until every file is known safe to write: an input, a file in an input
  // folder, or a file import did not write (an edited scenario) is never replaced.
  // (A snapshot an older ksim import wrote, without the first line, is known by its scenario.)
  const earlier = existsSync(a.output) && readFileSync(a.output, 'utf8') === scenarioYaml;
  for (const [path, text] of files) checkReplaceable(path, path === a.output ? text : GENERATED, a.inputs, earlier);
  makeFolder(dir, a.output);
  const write = (path: string, text: string) =>
    writingTo(path, () => {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    });
  for (const [path, text] of files) write(path, text);
  out(`Imported: ${r.imported.join(', ')}\n`);
  for (const s of r.notes) out(`Note: ${s}\n`);
  out(`Wrote ${[a.output, join(dir, snapshotRel), ...(pendingRel !== null ? [join(dir, pendingRel)] : [])].join(', ')}\n`);
}

/** The first line of the snapshot and pending files: import rewrites them, edits go to the
 * scenario. */
const GENERATED = '# Written by ksim import; each import rewrites this file (edit the scenario instead).';

/** Refuses (exit 2) to write `path` over an input (or into an input folder), or over an existing
 * file that is not import's: a snapshot or pending file without `mark` as its first line (unless
 * beside the scenario an earlier import wrote), a scenario other than `mark` (the one this import
 * writes: an edited scenario is the user's). */
function checkReplaceable(path: string, mark: string, inputs: readonly string[], besideEarlier: boolean): void {
  const target = resolve(path);
  for (const input of inputs) {
    let real: string;
    try {
      real = realpathSync(input);
    } catch {
      continue;
    }
    const isDir = statSync(real).isDirectory();
    const inside = isDir ? target.startsWith(`${real}${sep}`) : existsSync(target) && realpathSync(target) === real;
    if (inside) throw new InputError('-o', 0, 0, '', isDir ? `a path outside the input folder ${input} (its next import would read the scenario as an object)` : `a path other than an input (it would be replaced by the scenario)`, JSON.stringify(path));
  }
  if (!existsSync(target)) return;
  const text = readFileSync(target, 'utf8');
  const ours = mark === GENERATED ? besideEarlier || text.startsWith(`${GENERATED}\n`) : text === mark;
  if (!ours) {
    throw new InputError(path, 0, 0, '', mark === GENERATED ? 'a file an earlier ksim import wrote (it is rewritten), or no file' : 'no file, or the scenario an earlier ksim import wrote, unchanged (this one was edited: move it, or give another -o)', 'a file ksim import would replace');
  }
}

/** Registers `ksim import` on the command line (src/cli/main.ts). */
export function registerImportCommand<T>(y: Argv<T>, out: (s: string) => void): Argv<T> {
  return y.command(
    'import <inputs..>',
    'Turn kubectl get -A -o json output (files or directories) into a scenario whose start state is that cluster',
    (c) =>
      c
        .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'Files or directories of kubectl get -o json/yaml output' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'The scenario to write (the snapshot goes beside it: NAME.snapshot.yaml)' })
        .option('namespace', { type: 'string', array: true, describe: 'Keep only these namespaces (repeatable)' })
        .option('exclude-namespace', { type: 'string', array: true, describe: 'Leave out these namespaces, e.g. kube-system (repeatable)' })
        .option('pending-as-workload', { type: 'boolean', default: false, describe: 'Pending pods no imported owner keeps become a workload entry at 0s' })
        .example('kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pdb,priorityclasses,namespaces,resourcequotas,limitranges,runtimeclasses,hpa,services -A -o json > cluster.json', '')
        .example('$0 import cluster.json --exclude-namespace kube-system -o prod.yaml', 'A scenario starting from that cluster'),
    (a) =>
      importCommand(
        { inputs: (a.inputs ?? []) as string[], output: a.output, namespace: a.namespace, excludeNamespace: a['exclude-namespace'], pendingAsWorkload: a['pending-as-workload'] },
        out,
      ),
  );
}
