// A cluster as `kubectl get nodes,pods,namespaces -A -o json` prints it (a List, YAML or JSON,
// or several documents): Nodes, bound Pods, Namespaces, the owners PodTopologySpread reads
// selectors from, the objects admission reads, the PodDisruptionBudgets preemption reads, and
// the pending pods (some nominated by a preemption). Used by `ksim explain --cluster` and built
// into a ClusterState. Pods keep what the dump says of their past (status.startTime, ...) as a run's
// cluster.file does (src/workload/snapshot-times.ts), so preemption picks the same victims.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { InputError } from '../api/input-error.js';
import { readObjectPaths, type ObjectItem } from './object-files.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { PodInfo } from '../cluster/pod-info.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { computePdbStatus } from '../cluster/disruption-budget.js';
import { readManifest, readNode, SYSTEM_PRIORITY_CLASS_PREFIX } from './manifests.js';
import { checkObjectFields, typeOfKind } from './object-fields.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import { readyInStatus } from '../cluster/node-info.js';
import { isStatefulSetPod, missingNotReadyTaint } from './start-snapshot.js';
import { readPdbStatus, readPodHistory, snapshotTime, type PodHistory } from './snapshot-times.js';
import type { PodPast } from '../cluster/pod-info.js';

export interface ClusterSnapshot {
  readonly nodes: readonly Node[];
  /** Pods bound to nodes (spec.nodeName set) and not terminated. */
  readonly pods: readonly Pod[];
  readonly objects: readonly WorkloadObject[];
  /** Pending pods (no node), some waiting on a preemption (status.nominatedNodeName set). */
  readonly pending: readonly Pod[];
  /** Finished pods (status.phase Succeeded or Failed, kept in their status): they hold nothing,
   * but a ResourceQuota's count/pods counts them (ClusterState.finishedAtStart). */
  readonly finished: readonly Pod[];
  /** What the dump says of its pods' past, on the clock of a run from it (t = 0: the dump's
   * time; src/workload/snapshot-times.ts snapshotTime), by pod. */
  readonly pasts: ReadonlyMap<Pod, PodPast>;
}

/** Kinds read into cluster.objects as they are (selectors of owners and services). */
const OWNER_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController', 'Service', 'Deployment', 'DaemonSet', 'Job']);

/** Kinds the API server's admission reads (the pod explained is admitted as a run admits it:
 * Priority, RuntimeClass, LimitRanger, ResourceQuota), read and checked as a scenario's. */
const ADMISSION_KINDS = new Set(['PriorityClass', 'RuntimeClass', 'LimitRange', 'ResourceQuota', 'PodDisruptionBudget']);
const CLUSTER_SCOPED = new Set(['PriorityClass', 'RuntimeClass']);

type Item = ObjectItem;

/** Every object of a file or directory: multi-document YAML/JSON, Lists expanded (object-files.ts).
 * Unknown fields of a List go to `warnings` (when given). */
export function readObjects(file: string | readonly string[], warnings?: string[]): Item[] {
  const files = typeof file === 'string' ? [file] : file;
  return files.flatMap((f) => readObjectPaths(f, f, warnings !== undefined ? { warnings } : {}));
}

/** Reads a cluster file; unknown fields of its objects are warned about in `warnings` (when given). */
export function readClusterSnapshot(file: string | readonly string[], warnings?: string[]): ClusterSnapshot {
  const nodes: Node[] = [];
  const pods: Pod[] = [];
  const objects: WorkloadObject[] = [];
  const nodeNames = new Map<string, Item>();
  const pending: { item: Item; pod: Pod }[] = [];
  const unboundPods: Pod[] = [];
  const finished: { item: Item; pod: Pod }[] = [];
  const histories = new Map<Pod, PodHistory>();
  const objectKeys = new Map<string, Item>();
  const podKeys = new Map<string, Item>();
  const also = (name: string, first: Item | undefined, it: Item) => (first === undefined ? '' : ` (${name} is also ${first.doc.place(first.path, it.doc)})`);
  /** Kinds not read, counted per file. */
  const skipped = new Map<string, Map<string, number>>();
  for (const it of readObjects(file, warnings)) {
    const kind = it.value['kind'];
    if (kind === 'Node') {
      let n = readNode(it.doc, it.path, it.value, warnings);
      const name = n.metadata?.name as string;
      if (readyInStatus(n) === false) {
        // As a scenario's cluster.file and ksim import read it: the NoSchedule taint the node
        // lifecycle controller puts on a node not Ready at once, when the dump lacks it, so the
        // scheduler's answer here is a run's.
        const status = n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
        const key = missingNotReadyTaint(n, status);
        if (key !== null) {
          n = { ...n, spec: { ...n.spec, taints: [...(n.spec?.taints ?? []), { key, effect: 'NoSchedule' }] } };
          warnings?.push(`${it.doc.file}: node ${name} is not Ready (Ready ${status === '' ? 'missing' : status}): given the taint ${key}:NoSchedule the node lifecycle controller puts on it at once, which the dump lacks`);
        }
      }
      if (nodeNames.has(name)) throw it.doc.error([...it.path, 'metadata', 'name'], `a node name not used before${also(name, nodeNames.get(name), it)}`, JSON.stringify(name));
      nodeNames.set(name, it);
      nodes.push(n);
    } else if (kind === 'Pod') {
      const phase = isObj(it.value['status']) ? it.value['status']['phase'] : undefined;
      const spec = it.value['spec'];
      if (phase === 'Succeeded' || phase === 'Failed') {
        // Terminated pods hold nothing but are stored: count/pods counts them (upstream
        // PodUsageFunc), as a run from this dump does (src/workload/start-snapshot.ts; a
        // StatefulSet's, which its controller deletes at once, aside).
        if (isStatefulSetPod(it.value)) continue;
        const value = isObj(spec) && spec['nodeName'] === '' ? { ...it.value, spec: withoutNodeName(spec) } : it.value;
        const pod = readManifest(it.doc, it.path, withoutStatus(value), { allowNodeName: true, ...(warnings !== undefined ? { warnings } : {}) }) as Pod;
        finished.push({ item: it, pod: { ...pod, status: { phase } } });
        continue;
      }
      const history = readPodHistory(it.doc, it.path, it.value);
      // Pending pods (no node, or nodeName "") occupy nothing, but one a preemption nominated
      // counts in the filters of pods of lower or equal priority, as a run's does, and every
      // one counts in its PodDisruptionBudgets' expected pods (upstream getPodsForPdb lists
      // them all) and its namespace's quota. One being deleted is gone (the API server deletes
      // an unscheduled pod at once).
      const unbound = !isObj(spec) || spec['nodeName'] === undefined || spec['nodeName'] === '';
      const md = it.value['metadata'];
      if (unbound && isObj(md) && md['deletionTimestamp'] !== undefined && md['deletionTimestamp'] !== null) continue;
      const value = unbound && isObj(spec) && spec['nodeName'] === '' ? { ...it.value, spec: withoutNodeName(spec) } : it.value;
      // Validated here, so that warnings come in the file's order; bound to a node at the end.
      const pod = readManifest(it.doc, it.path, value, { allowNodeName: true, ...(warnings !== undefined ? { warnings } : {}) }) as Pod;
      if (history !== null) histories.set(pod, history);
      if (unbound) unboundPods.push(pod);
      else pending.push({ item: it, pod });
    } else if (typeof kind === 'string' && ADMISSION_KINDS.has(kind)) {
      const md = it.value['metadata'];
      // The built-in classes (system-node-critical, ...) admission knows already; read for the
      // checks only (another system- name, or a built-in one with another value, is refused).
      if (kind === 'PriorityClass' && isObj(md) && typeof md['name'] === 'string' && md['name'].startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
        readManifest(it.doc, it.path, it.value, warnings !== undefined ? { warnings } : {});
        continue;
      }
      // A PDB keeps the status the disruption controller last wrote: preemption reads its
      // disruptionsAllowed and disruptedPods (one without is given the controller's status by
      // clusterFromSnapshot).
      const pdb = kind === 'PodDisruptionBudget';
      const value = pdb ? withoutStatus(it.value) : it.value;
      const read = readManifest(it.doc, it.path, value, warnings !== undefined ? { warnings } : {}) as unknown as WorkloadObject;
      const status = pdb ? readPdbStatus(it.doc, it.path, it.value['status']) : null;
      const m = status === null ? read : { ...read, status };
      const ns = CLUSTER_SCOPED.has(kind) ? '' : (m.metadata.namespace ?? 'default');
      const key = `${kind}/${ns}/${m.metadata.name}`;
      if (objectKeys.has(key)) throw it.doc.error([...it.path, 'metadata', 'name'], `a ${kind} name not used before${ns === '' ? '' : ` in namespace ${ns}`}${also(m.metadata.name, objectKeys.get(key), it)}`, JSON.stringify(m.metadata.name));
      objectKeys.set(key, it);
      objects.push({ ...m, metadata: { ...m.metadata, namespace: ns } });
    } else if (kind === 'Namespace' || (typeof kind === 'string' && OWNER_KINDS.has(kind))) {
      const md = it.value['metadata'];
      if (!isObj(md)) throw it.doc.error([...it.path, 'metadata'], 'metadata with a name', describe(md));
      if (typeof md['name'] !== 'string' || md['name'] === '') throw it.doc.error([...it.path, 'metadata', 'name'], 'a name', describe(md['name']));
      // Their selectors and labels are read by the scheduler: wrong types must stop here.
      checkObjectFields(it.doc, it.path, it.value, typeOfKind(kind as string) as string, warnings);
      const ns = kind === 'Namespace' ? '' : String(md['namespace'] ?? 'default');
      const key = `${kind}/${ns}/${md['name']}`;
      if (objectKeys.has(key)) throw it.doc.error([...it.path, 'metadata', 'name'], `a ${kind} name not used before${ns === '' ? '' : ` in namespace ${ns}`}${also(String(md['name']), objectKeys.get(key), it)}`, JSON.stringify(md['name']));
      objectKeys.set(key, it);
      objects.push({ ...(it.value as object), kind, metadata: { ...md, name: md['name'], namespace: ns } } as WorkloadObject);
    } else if (typeof kind === 'string') {
      // Anything else a dump holds (CronJobs, ConfigMaps, HorizontalPodAutoscalers, custom
      // resources ...) places nothing: skipped, one warning per file naming the kinds, as
      // cluster.file does, so that the same `kubectl get all -A -o json` serves both.
      let byKind = skipped.get(it.doc.file);
      if (byKind === undefined) skipped.set(it.doc.file, (byKind = new Map()));
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    } else {
      throw it.doc.error([...it.path, 'kind'], 'the kind of the object (e.g. Node, Pod)', describe(kind));
    }
  }
  for (const [f, byKind] of skipped) warnings?.push(`${f}: skipped ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}: not read by ksim explain (it reads Nodes, Pods, Namespaces, the owners and Services whose selectors spreading uses, the PriorityClasses, RuntimeClasses, LimitRanges and ResourceQuotas admission uses, and the PodDisruptionBudgets preemption uses)`);
  for (const { item: it, pod } of pending) {
    const nodeName = pod.spec?.nodeName;
    if (typeof nodeName !== 'string' || !nodeNames.has(nodeName)) {
      // A dump taken while a node was going away: the pod is left out, as its node is.
      warnings?.push(it.doc.warning([...it.path, 'spec', 'nodeName'], `pod ${pod.metadata?.namespace}/${pod.metadata?.name} is bound to node ${JSON.stringify(nodeName)}, which is not in the cluster: left out`));
      continue;
    }
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (podKeys.has(key)) throw it.doc.error([...it.path, 'metadata', 'name'], `a Pod name not used before in namespace ${pod.metadata?.namespace}${also(String(pod.metadata?.name), podKeys.get(key), it)}`, JSON.stringify(pod.metadata?.name));
    podKeys.set(key, it);
    pods.push(pod);
  }
  const finishedPods: Pod[] = [];
  for (const { item: it, pod } of finished) {
    const nodeName = pod.spec?.nodeName;
    // On a node the dump lacks: the pod garbage collector deletes it (gcOrphaned), as a run does.
    if (typeof nodeName === 'string' && !nodeNames.has(nodeName)) continue;
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (podKeys.has(key)) throw it.doc.error([...it.path, 'metadata', 'name'], `a Pod name not used before in namespace ${pod.metadata?.namespace}${also(String(pod.metadata?.name), podKeys.get(key), it)}`, JSON.stringify(pod.metadata?.name));
    podKeys.set(key, it);
    finishedPods.push(pod);
  }
  if (nodes.length === 0) throw new InputError(typeof file === 'string' ? file : file.join(', '), 0, 0, '', 'at least one Node');
  // The same clock as a run from this dump (scenario.ts): pods' start times as preemption's
  // tie-break reads them (latest start among the highest-priority victims).
  const { pasts } = snapshotTime([...pods, ...unboundPods], histories, nodes, objects);
  return { nodes, pods, objects, pending: unboundPods, finished: finishedPods, pasts };
}

function withoutStatus(o: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = o;
  return rest;
}

function withoutNodeName(spec: Record<string, unknown>): Record<string, unknown> {
  const { nodeName: _unbound, ...rest } = spec;
  return rest;
}

/** A ClusterState holding a snapshot: nodes, bound pods placed on them, objects and namespaces. */
export function clusterFromSnapshot(s: ClusterSnapshot): ClusterState {
  const c = new ClusterState();
  for (const n of s.nodes) c.addNode(n, '');
  for (const o of s.objects) {
    c.objects.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o);
    if (o.kind === 'Namespace') c.setNamespace(o.metadata.name, o.metadata.labels ?? {});
  }
  // As a run starts a snapshot (src/controlplane/api-server.ts): bound pods Running since t = 0
  // unless the dump says when they started; pending ones stay pending.
  for (const pod of s.pods) {
    const p = new PodInfo(pod, 0);
    p.past = s.pasts.get(pod) ?? null;
    c.addPod(p);
    p.bound = true;
    p.boundUs = 0;
    c.assume(p, c.mustNode(pod.spec?.nodeName as string));
    p.acceptedUs = 0; // status.startTime when the dump lacks it (startTimeUs reads past.startUs first)
    p.startedUs = 0;
    c.setPhase(p, 'Running');
  }
  for (const pod of s.pending) {
    const p = new PodInfo(pod, 0);
    p.past = s.pasts.get(pod) ?? null;
    c.addPod(p);
  }
  for (const pod of s.finished) {
    const p = new PodInfo(pod, 0);
    p.phase = pod.status?.phase === 'Failed' ? 'Failed' : 'Succeeded';
    p.finishedAtStart = true;
    c.finishedAtStart.set(p.key, p);
  }
  // A PDB without a status (a hand-written file: a dump's always has one) gets the one the
  // disruption controller would write for these pods, as if it had synced.
  for (const pdb of c.objectsOfKind('PodDisruptionBudget')) {
    if (pdb['status'] !== undefined) continue;
    const status = computePdbStatus(c, pdb, (p) => p.terminating || p.past?.preemptedByScheduler === true);
    c.objects.set(objectKey(pdb.kind, pdb.metadata.namespace, pdb.metadata.name), { ...pdb, status });
  }
  return c;
}
