// `ksim import`: turns what `kubectl get ... -A -o json` prints (files or directories) into a
// scenario whose start state is a cleaned snapshot file: only the kinds ksim simulates, without
// status and the server's bookkeeping (but a pod's times: creationTimestamp, startTime, its Ready
// condition and restart counts), sorted by kind, namespace and name (diff-friendly), read
// back by `cluster.file` exactly as the original would be (src/workload/start-snapshot.ts).
import { InputError } from '../api/input-error.js';
import { readYamlFile, type Path, type YamlDoc } from '../api/yaml-source.js';
import { controllerRef, type WorkloadObject } from '../cluster/workload-object.js';
import { commitOrder } from '../controlplane/start-state.js';
import { dropPodsOnMissingNodes, NO_NODE_EXPECTED, noNodeFound, orphanedPodsWarning, readSnapshotDocs, type SnapshotStart } from './start-snapshot.js';
import { objectFilesOf } from './object-files.js';
import { withHistory } from './snapshot-times.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';

export interface ImportOptions {
  /** Keep only objects of these namespaces (cluster-scoped ones are kept). Empty: all. */
  readonly namespaces?: readonly string[];
  /** Drop objects of these namespaces. */
  readonly excludeNamespaces?: readonly string[];
  /** Pending pods no snapshot owner keeps become a workload entry arriving at 0s instead of
   * part of the snapshot. */
  readonly pendingAsWorkload?: boolean;
}

export interface ImportResult {
  /** The cleaned snapshot's objects, in the order the snapshot file holds them (written one at
   * a time by src/cli/import-command.ts: the whole file as one string would not fit). */
  readonly snapshot: readonly object[];
  /** The pending pods of --pending-as-workload, or null. */
  readonly pending: readonly object[] | null;
  /** What was imported, one line per kind ("3 Node", "12 Pod (10 bound, 2 pending)"). */
  readonly imported: readonly string[];
  /** What was left out and why (the reader's warnings, then the namespace filter's). */
  /** What the import left out and why (kinds not simulated, a StatefulSet's finished pods, pods on nodes the
   * input lacks, namespaces filtered out) and what the run will do differently from the cluster
   * (a node not Ready is simulated as down, volume claims are not simulated). */
  readonly notes: readonly string[];
}

/** Reads the inputs (files or directories) and builds the snapshot. */
export function importSnapshot(inputs: readonly string[], opts: ImportOptions = {}): ImportResult {
  if (inputs.length === 0) throw new InputError('ksim import', 0, 0, '', 'at least one file or directory');
  const snap: SnapshotStart = { nodes: [], objects: [], pods: [], finished: [], podHistories: new Map() };
  const notes: string[] = [];
  const nodeNames = new Map<string, { d: YamlDoc; path: Path }>();
  for (const input of inputs) {
    const files = objectFilesOf(input, input).map((f) => f.path);
    for (const f of files) {
      const docs = readYamlFile(f, f);
      readSnapshotDocs(docs, f, snap, notes, (n, d, path) => {
        const name = n.metadata?.name ?? '';
        const first = nodeNames.get(name);
        if (first !== undefined) throw d.error([...path, 'metadata', 'name'], `a node name not used before (${name} is also ${first.d.place(first.path, d)})`, JSON.stringify(name));
        nodeNames.set(name, { d, path });
      });
    }
  }
  // No Node, no cluster to run (every bound pod would be dropped): refused, as `ksim run`
  // refuses the scenario it would make.
  if (snap.nodes.length === 0) throw new InputError(inputs.join(', '), 0, 0, '', NO_NODE_EXPECTED, noNodeFound(inputs, snap));
  dropPodsOnMissingNodes(snap, notes);
  // Warnings from the reader say "cluster.file"; here the inputs are the command's arguments.
  for (let i = 0; i < notes.length; i++) notes[i] = (notes[i] as string).replace(/^cluster\.file: /, '');

  const include = (ns: string | undefined): boolean => {
    if (ns === undefined || ns === '') return true; // cluster-scoped
    if ((opts.namespaces ?? []).length > 0 && !(opts.namespaces ?? []).includes(ns)) return false;
    return !(opts.excludeNamespaces ?? []).includes(ns);
  };
  const filteredOut = new Map<string, number>();
  const keep = <T extends { kind?: string; metadata?: { namespace?: string; name?: string } }>(o: T): boolean => {
    const ns = o.kind === 'Namespace' ? o.metadata?.name : o.metadata?.namespace;
    if (include(ns)) return true;
    filteredOut.set(o.kind ?? '', (filteredOut.get(o.kind ?? '') ?? 0) + 1);
    return false;
  };
  const objects = snap.objects.filter(keep);
  let pods = snap.pods.filter(keep);
  const finished = snap.finished.filter(keep);
  // A pod on no node and being deleted is gone upstream (the API server deletes an unscheduled
  // pod at once): left out with a note, as a run of the snapshot would leave it out.
  const deletedPending = pods.filter((p) => (p.spec?.nodeName ?? '') === '' && p.metadata?.deletionTimestamp !== undefined && p.metadata?.deletionTimestamp !== null);
  if (deletedPending.length > 0) {
    pods = pods.filter((p) => !deletedPending.includes(p));
    const first = `${deletedPending[0]?.metadata?.namespace ?? 'default'}/${deletedPending[0]?.metadata?.name ?? ''}`;
    notes.push(`${deletedPending.length === 1 ? `pod ${first}` : `${deletedPending.length} pods (first ${first})`} not on a node and being deleted (deletionTimestamp): left out, as the API server deletes an unscheduled pod at once and the scheduler never places one being deleted`);
  }
  if (filteredOut.size > 0) notes.push(`left out by namespace: ${[...filteredOut].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  notes.push(...orphanedPodsWarning(pods, objects, ''));
  notes.push(...missingPriorityClassNotes(pods, objects));

  let pending: Pod[] = [];
  if (opts.pendingAsWorkload === true) {
    const owners = new Set(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
    const kept = (p: Pod) => {
      const ref = controllerRef(p);
      return ref !== null && owners.has(`${ref.kind}/${p.metadata?.namespace ?? 'default'}/${ref.name}`);
    };
    pending = pods.filter((p) => p.spec?.nodeName === undefined && !kept(p));
    pods = pods.filter((p) => !pending.includes(p));
  }

  const bound = pods.filter((p) => p.spec?.nodeName !== undefined).length;
  const counts = new Map<string, number>([['Node', snap.nodes.length]]);
  for (const o of sortedObjects(objects)) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const imported = [...counts].filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  imported.push(`${pods.length + finished.length} Pod (${bound} bound, ${pods.length - bound} pending${finished.length > 0 ? `, ${finished.length} finished` : ''})`);
  if (pending.length > 0) imported.push(`${pending.length} pending Pod as a workload entry`);

  // Pods keep their times (creation, start, Ready, restart counts): the run orders them by those.
  // Finished pods keep their phase (and reason) besides their times: the run stores them for the
  // quota's count/pods and the pod garbage collector (src/workload/start-snapshot.ts).
  const withPast = sortedPods([...pods, ...finished]).map((p) => {
    const h = withHistory(p, snap.podHistories.get(p));
    return p.status === undefined ? h : { ...h, status: { ...p.status, ...h.status } };
  });
  const items = [...sortedNodes(snap.nodes), ...sortedObjects(objects), ...withPast].map(minimal);
  return {
    snapshot: items,
    pending: pending.length > 0 ? sortedPods(pending).map(minimal) : null,
    imported,
    notes,
  };
}

/** The scenario `ksim import` writes, referring to the snapshot's files (and the pending pods')
 * by path: several when one file would pass the reader's limit (src/cli/import-command.ts). */
export function importedScenarioYaml(name: string, snapshotRels: readonly string[], pendingRels: readonly string[]): string {
  const lines = [
    `# Written by ksim import: the cluster of ${snapshotRels.join(', ')} is the start state (README, Cluster snapshots).`,
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    'duration: 1h',
    'cluster:',
    ...(snapshotRels.length === 1 ? [`  file: ${JSON.stringify(snapshotRels[0])}`] : ['  file:', ...snapshotRels.map((f) => `    - ${JSON.stringify(f)}`)]),
  ];
  if (pendingRels.length > 0) lines.push('workload:');
  // One entry per file: a workload entry's `file` names one file or folder.
  pendingRels.forEach((f, i) => lines.push(`  - name: ${i === 0 ? 'pending' : `pending-${i + 1}`}`, '    at: 0s', `    file: ${JSON.stringify(f)}`));
  return `${lines.join('\n')}\n`;
}

const key = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const byKey = <T extends { metadata?: { namespace?: string; name?: string } }>(a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

function sortedNodes(nodes: readonly Node[]): Node[] {
  return [...nodes].sort(byKey);
}

function sortedPods(pods: readonly Pod[]): Pod[] {
  return [...pods].sort(byKey);
}

/** Objects by commit order of their kind (owners first), then namespace and name. */
function sortedObjects(objects: readonly WorkloadObject[]): WorkloadObject[] {
  const kinds = [...new Set(commitOrder(objects).map((o) => o.kind))];
  return [...objects].sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || byKey(a, b));
}

/** The object as the snapshot file holds it: cluster-scoped objects without the empty
 * namespace the reader gives them. */
function minimal(o: object): object {
  const md = (o as { metadata?: Record<string, unknown> }).metadata;
  if (md === undefined || md['namespace'] !== '') return o;
  const { namespace: _ns, ...rest } = md;
  return { ...o, metadata: rest };
}

/** One note per PriorityClass the pods name that the input lacks (not a system-* class): the
 * pods keep their spec.priority in a run, but new pods naming it are refused. */
function missingPriorityClassNotes(pods: readonly Pod[], objects: readonly { kind: string; metadata: { name: string } }[]): string[] {
  const classes = new Set(objects.filter((o) => o.kind === 'PriorityClass').map((o) => o.metadata.name));
  const missing = new Map<string, number>();
  for (const p of pods) {
    const name = p.spec?.priorityClassName ?? '';
    if (name === '' || name.startsWith('system-') || classes.has(name)) continue;
    missing.set(name, (missing.get(name) ?? 0) + 1);
  }
  return [...missing].map(([name, n]) => `${n} pod${n === 1 ? ' names' : 's name'} PriorityClass ${name}, which the input lacks: ${n === 1 ? 'it keeps its' : 'they keep their'} spec.priority, but new pods naming it (replacements too) will be refused; add priorityclasses to the dump`);
}
