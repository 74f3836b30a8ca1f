// `ksim import FILE|DIR... -o SCENARIO.yaml`: a scenario from `kubectl get ... -A -o json`
// output (src/workload/import-snapshot.ts). Writes SCENARIO.yaml and, beside it,
// SCENARIO.snapshot.yaml (and SCENARIO.pending.yaml with --pending-as-workload).
import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Argv } from 'yargs';
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
  makeFolder(dir, a.output);
  const write = (path: string, text: string) =>
    writingTo(path, () => {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    });
  write(join(dir, snapshotRel), r.snapshotYaml);
  if (pendingRel !== null) write(join(dir, pendingRel), r.pendingYaml as string);
  write(a.output, importedScenarioYaml(base, snapshotRel, pendingRel));
  out(`Imported: ${r.imported.join(', ')}\n`);
  for (const s of r.notes) out(`Note: ${s}\n`);
  out(`Wrote ${[a.output, join(dir, snapshotRel), ...(pendingRel !== null ? [join(dir, pendingRel)] : [])].join(', ')}\n`);
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
