// `ksim import FILE|DIR... -o SCENARIO.yaml`: a scenario from `kubectl get ... -A -o json`
// output (src/workload/import-snapshot.ts). Writes SCENARIO.yaml and, beside it,
// SCENARIO.snapshot.yaml (and SCENARIO.pending.yaml with --pending-as-workload).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../api/input-error.js';
import { makeFolder, writingTo } from '../api/output-path.js';
import { yamlListItem } from '../api/yaml-emit.js';
import { MAX_FILE_BYTES } from '../api/yaml-source.js';
import { importedScenarioYaml, importSnapshot } from '../workload/import-snapshot.js';

export interface ImportArgs {
  readonly inputs: readonly string[];
  readonly output: string;
  readonly namespace?: readonly string[] | undefined;
  readonly excludeNamespace?: readonly string[] | undefined;
  readonly pendingAsWorkload?: boolean | undefined;
  /** The most bytes one written file may hold (tests make it small): the reader's limit. */
  readonly maxFileBytes?: number | undefined;
}

export function importCommand(a: ImportArgs, out: (s: string) => void): void {
  const r = importSnapshot(a.inputs, {
    namespaces: a.namespace ?? [],
    excludeNamespaces: a.excludeNamespace ?? [],
    pendingAsWorkload: a.pendingAsWorkload === true,
  });
  const limit = a.maxFileBytes ?? MAX_FILE_BYTES;
  const dir = dirname(a.output);
  const base = basename(a.output, extname(a.output));
  // A snapshot over the reader's limit goes to several files: NAME.snapshot.yaml, then
  // NAME.snapshot-2.yaml, ... (the first name is the same either way).
  const partName = (kind: 'snapshot' | 'pending', i: number) => `${base}.${kind}${i === 0 ? '' : `-${i + 1}`}.yaml`;
  // Nothing is written until every file is known safe to write: an input, a file in an input
  // folder, or a file import did not write (an edited scenario) is never replaced. The names of
  // further parts are checked as they are reached; a refusal then removes what was written.
  // (A snapshot an older ksim import wrote, without the first line, is known by its scenario.)
  const earlier = existsSync(a.output) && isImportedScenario(readFileSync(a.output, 'utf8'), base);
  checkReplaceable(join(dir, partName('snapshot', 0)), 'generated', a.inputs, earlier);
  if (r.pending !== null) checkReplaceable(join(dir, partName('pending', 0)), 'generated', a.inputs, earlier);
  checkReplaceable(a.output, 'scenario', a.inputs, earlier);
  makeFolder(dir, a.output);
  // Written under temporary names and renamed at the end: no half-written file is left behind.
  const tmps: [tmp: string, path: string][] = [];
  try {
    // Further parts are new with this ksim: only its own (with the first line) are replaced.
    const check = (p: string) => checkReplaceable(p, 'generated', a.inputs, false);
    const snapshotRels = writeParts(r.snapshot, (i) => partName('snapshot', i), dir, limit, tmps, check);
    const pendingRels = r.pending === null ? [] : writeParts(r.pending, (i) => partName('pending', i), dir, limit, tmps, check);
    const scenarioYaml = importedScenarioYaml(base, snapshotRels, pendingRels);
    writingTo(a.output, () => writeFileSync(`${a.output}.tmp`, scenarioYaml));
    tmps.push([`${a.output}.tmp`, a.output]);
    for (const [tmp, path] of tmps) writingTo(path, () => renameSync(tmp, path));
    const written = new Set([...snapshotRels, ...pendingRels]);
    removeStaleParts(dir, base, written, a.inputs);
    out(`Imported: ${r.imported.join(', ')}\n`);
    for (const s of r.notes) out(`Note: ${s}\n`);
    if (snapshotRels.length > 1) out(`Note: the snapshot is split into ${snapshotRels.length} files of at most ${limit % 1048576 === 0 ? `${limit / 1048576} MiB` : `${limit} bytes`} each, the most ksim reads from one file\n`);
    out(`Wrote ${[a.output, ...[...snapshotRels, ...pendingRels].map((f) => join(dir, f))].join(', ')}\n`);
  } catch (e) {
    for (const [tmp] of tmps) {
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or never made
      }
    }
    throw e;
  }
}

/** The first line of the snapshot and pending files: import rewrites them, edits go to the
 * scenario. */
const GENERATED = '# Written by ksim import; each import rewrites this file (edit the scenario instead).';
/** What a part holds before its items. */
const LIST_HEAD = `${GENERATED}\napiVersion: v1\nkind: List\n`;
/** Strings gathered before one write: few system calls, little held at once. */
const CHUNK_BYTES = 1 << 20;

/**
 * Writes `items` as YAML Lists, one item at a time (the whole snapshot as one string would not
 * fit a JS string past ~500 MiB, and building it doubled the import's memory), each file at most
 * `limit` bytes, to temporary files recorded in `tmps`. Returns the files' names in `dir`.
 */
function writeParts(items: readonly object[], nameOf: (i: number) => string, dir: string, limit: number, tmps: [string, string][], check: (path: string) => void): string[] {
  const names: string[] = [];
  let fd = -1;
  let path = '';
  let bytes = 0;
  let count = 0;
  let chunk: string[] = [];
  let chunkBytes = 0;
  const flush = () => {
    if (chunk.length > 0) writingTo(path, () => writeSync(fd, chunk.join('')));
    chunk = [];
    chunkBytes = 0;
  };
  const put = (s: string, n: number) => {
    chunk.push(s);
    chunkBytes += n;
    bytes += n;
    if (chunkBytes >= CHUNK_BYTES) flush();
  };
  const close = () => {
    if (count === 0) put('items: []\n', 10);
    flush();
    closeSync(fd);
    fd = -1;
  };
  const open = () => {
    const name = nameOf(names.length);
    path = join(dir, name);
    if (names.length > 0) check(path);
    const tmp = `${path}.tmp`;
    fd = writingTo(path, () => openSync(tmp, 'w'));
    tmps.push([tmp, path]);
    names.push(name);
    bytes = 0;
    count = 0;
    put(LIST_HEAD, Buffer.byteLength(LIST_HEAD));
  };
  try {
    open();
    for (const item of items) {
      const text = yamlListItem(item);
      const n = Buffer.byteLength(text);
      const head = count === 0 ? 7 : 0; // "items:\n"
      if (bytes + head + n > limit && count > 0) {
        close();
        open();
      }
      if (count === 0) {
        if (LIST_HEAD.length + 7 + n > limit) throw tooLargeItem(item, n, limit);
        put('items:\n', 7);
      }
      put(text, n);
      count++;
    }
    close();
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return names;
}

/** One object larger than a file may be: no split helps. */
function tooLargeItem(item: object, bytes: number, limit: number): InputError {
  const o = item as { kind?: string; metadata?: { namespace?: string; name?: string } };
  const name = `${o.kind ?? 'object'} ${o.metadata?.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata?.name ?? ''}`;
  return new InputError('ksim import', 0, 0, '', `objects of at most ${limit} bytes as YAML (the most ksim reads from one file)`, `${name} of ${bytes} bytes`);
}

/** Whether `text` is a scenario some ksim import wrote for `base` (its snapshot in as many files
 * as it names, with or without pending pods), unchanged. */
function isImportedScenario(text: string, base: string): boolean {
  const count = (kind: string) => new Set(text.match(new RegExp(`"${escapeRe(base)}\\.${kind}(?:-\\d+)?\\.yaml"`, 'g')) ?? []).size;
  const names = (kind: 'snapshot' | 'pending', n: number) => Array.from({ length: n }, (_, i) => `${base}.${kind}${i === 0 ? '' : `-${i + 1}`}.yaml`);
  return text === importedScenarioYaml(base, names('snapshot', Math.max(1, count('snapshot'))), names('pending', count('pending')));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes the snapshot and pending files an earlier import wrote beside this scenario that
 * this one did not (a dump that shrank needs fewer parts): a run would not read them, and they
 * can be hundreds of MB. Only files starting with import's own first line, never an input. */
function removeStaleParts(dir: string, base: string, written: ReadonlySet<string>, inputs: readonly string[]): void {
  const re = new RegExp(`^${escapeRe(base)}\\.(?:snapshot|pending)(?:-\\d+)?\\.yaml$`);
  for (const f of readdirSync(dir === '' ? '.' : dir)) {
    if (!re.test(f) || written.has(f)) continue;
    const path = join(dir, f);
    if (inputOrInside(path, inputs) === null && startsWithGenerated(path)) unlinkSync(path);
  }
}

/** The input `path` is, or the input folder it is inside, or null. */
function inputOrInside(path: string, inputs: readonly string[]): { input: string; isDir: boolean } | null {
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
    if (inside) return { input, isDir };
  }
  return null;
}

/** Refuses (exit 2) to write `path` over an input (or into an input folder), or over an existing
 * file that is not import's: a snapshot or pending file without GENERATED as its first line
 * (unless beside the scenario an earlier import wrote), a scenario other than one an import
 * wrote (an edited scenario is the user's). */
function checkReplaceable(path: string, kind: 'scenario' | 'generated', inputs: readonly string[], besideEarlier: boolean): void {
  const hit = inputOrInside(path, inputs);
  if (hit !== null) throw new InputError('-o', 0, 0, '', hit.isDir ? `a path outside the input folder ${hit.input} (its next import would read the scenario as an object)` : `a path other than an input (it would be replaced by the scenario)`, JSON.stringify(path));
  const target = resolve(path);
  if (!existsSync(target)) return;
  const ours = kind === 'generated' ? besideEarlier || startsWithGenerated(target) : besideEarlier;
  if (!ours) {
    throw new InputError(path, 0, 0, '', kind === 'generated' ? 'a file an earlier ksim import wrote (it is rewritten), or no file' : 'no file, or the scenario an earlier ksim import wrote, unchanged (this one was edited: move it, or give another -o)', 'a file ksim import would replace');
  }
}

/** Whether the file at `path` starts with GENERATED (read no further: a part can be 256 MiB). */
function startsWithGenerated(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(GENERATED.length + 1);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString('utf8') === `${GENERATED}\n`;
  } finally {
    closeSync(fd);
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
