// A cluster snapshot as the start state of a run (scenario `cluster.file`): what
// `kubectl get nodes,pods,deployments,replicasets,... -A -o json` prints, in one or more files
// or directories. Nodes join at t = 0; pods bound to them are Running there; pods without a node
// are pending and get scheduled; their owners are live controllers that keep them (a
// Deployment's existing ReplicaSet and pods are adopted through their ownerReferences, not
// recreated). What the simulation does not need is dropped: `status` (but a Node's, a Job's,
// a CronJob's, a PodDisruptionBudget's, a StatefulSet's revisions and a Terminating Namespace's phase), `metadata.managedFields` and the server's other
// bookkeeping. A pod's history (creation, start, Ready, restart counts, a
// preemption it waits on or is the victim of) is kept aside first, a Job keeps its counts and
// finish condition, a CronJob its last scheduled time, a PDB its budget, a StatefulSet its
// current and update revisions (src/workload/snapshot-times.ts). Finished pods (phase Succeeded or Failed) are kept apart with
// their phase (and status.reason): stored objects that a ResourceQuota's count/pods counts, the
// terminated-pod garbage collector deletes and a DaemonSet's controller deletes at its first sync
// (its own), and that nothing else acts on (ClusterState.finishedAtStart); a StatefulSet's are left out, as its controller deletes them
// and recreates the pods at its first sync.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { InputError } from '../api/input-error.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import type { PodPast } from '../cluster/pod-info.js';
import { controllerRef, type WorkloadObject } from '../cluster/workload-object.js';
import { readyInStatus } from '../cluster/node-info.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from '../controlplane/admission.js';
import { CLAIM_NOT_SIMULATED, firstClaimOf, readManifest, readNode, SYSTEM_PRIORITY_CLASS_PREFIX, unsupportedKind, type WorkloadManifest } from './manifests.js';
import { isSkippedKind, skippedMessage } from './skipped-kinds.js';
import { SharedSpecParts } from './shared-parts.js';
import { checkObjectFields, typeOfKind } from './object-fields.js';
import { expandDocument, type ObjectItem } from './object-files.js';
import { readCronJobStatus, readJobStatus, readPdbStatus, readPodHistory, readStatefulSetStatus, stampAt, type PodHistory } from './snapshot-times.js';

type Obj = Record<string, unknown>;

export interface SnapshotStart {
  readonly nodes: Node[];
  /** Namespaces, PriorityClasses, quotas, LimitRanges, RuntimeClasses, PDBs, Services, pod
   * owners and HorizontalPodAutoscalers, in file order. */
  readonly objects: WorkloadObject[];
  /** Pods bound to a node of the snapshot (Running at t = 0) and pods with no node (pending). */
  readonly pods: Pod[];
  /** Finished pods (status.phase Succeeded or Failed, kept in their status with status.reason):
   * StartState.finishedPods. */
  readonly finished: Pod[];
  /** What each pod's object said of its history (creation, start, Ready, restarts, preemption),
   * read before its status is dropped (src/workload/snapshot-times.ts). */
  readonly podHistories: Map<Pod, PodHistory>;
}

/** The snapshots whose volume claims were warned about (once per snapshot, not per file). */
const claimWarned = new WeakSet<SnapshotStart>();

/** The objects of each snapshot read so far (kind/namespace/name → where), across its files. */
const seenObjects = new WeakMap<SnapshotStart, Map<string, { doc: YamlDoc; path: Path }>>();

/** Kinds read through the workload manifest reader (validated and defaulted like workload entries). */
const MANIFEST_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'PodDisruptionBudget', 'PriorityClass', 'Namespace', 'ResourceQuota', 'LimitRange', 'RuntimeClass', 'HorizontalPodAutoscaler']);
/** Kinds kept as they are, their fields checked against their type. */
const CHECKED_KINDS = new Set(['ReplicaSet', 'Service']);

/** Reads the objects of a snapshot's documents into `into`; what is skipped goes to `warnings`
 * (one summary line per file for kinds ksim does not simulate). */
export function readSnapshotDocs(docs: readonly YamlDoc[], display: string, into: SnapshotStart, warnings: string[], onNode?: (n: Node, doc: YamlDoc, path: Path) => void): void {
  const skipped = new Map<string, number>();
  /** Finished pods of StatefulSets, left out. */
  let finishedOfSets = 0;
  /** The first manifest of the snapshot (of all its files) whose pods mount a
   * PersistentVolumeClaim is warned about. */
  const checkClaim = (doc: YamlDoc, path: Path, m: WorkloadManifest) => {
    if (claimWarned.has(into)) return;
    const claim = firstClaimOf(m);
    if (claim === null) return;
    claimWarned.add(into);
    warnings.push(doc.warning([...path, ...claim], CLAIM_NOT_SIMULATED));
  };
  const unbound: { doc: YamlDoc; path: Path; pod: Pod }[] = [];
  /** Equal spec parts of the pods, held once (the pods of one ReplicaSet repeat them). */
  const shared = new SharedSpecParts();
  const items: ObjectItem[] = [];
  let empty = 0;
  // Lists and kindless items of typed lists (kubectl's NodeList, PodList) as every object file
  // is read (src/workload/object-files.ts); empty documents are skipped, as kubectl does.
  for (const d of docs) {
    const v = d.toJS();
    if (v !== null) expandDocument(d, v, { warnings }, items);
    else empty++;
  }
  if (empty === docs.length) throw new InputError(display, 0, 0, '', 'at least one Kubernetes object', 'an empty file');
  for (const it of items) readOne(it.doc, it.path, it.value);
  /** An object of a kind, namespace and name read before (in this file or an earlier one of
   * the same snapshot) is an error, as a repeated node is: which copy the cluster holds is not
   * for ksim to guess (two dumps taken at different times differ). */
  function checkFirst(doc: YamlDoc, path: Path, kind: string, namespace: string, name: string): void {
    let seen = seenObjects.get(into);
    if (seen === undefined) seenObjects.set(into, (seen = new Map()));
    const key = `${kind}/${namespace}/${name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const at = first.doc.place(first.path);
      throw doc.error([...path, 'metadata', 'name'], `a ${kind} not in the snapshot before (${namespace === '' ? '' : `${namespace}/`}${name} is also ${at})`, JSON.stringify(name));
    }
    seen.set(key, { doc, path });
  }
  function readOne(doc: YamlDoc, path: Path, raw: Obj): void {
    const kind = raw['kind'];
    if (typeof kind !== 'string') throw doc.error([...path, 'kind'], 'the kind of the object (e.g. Node, Pod)', describe(kind));
    const value = clean(raw);
    if (kind === 'Node') {
      let n = readNode(doc, path, value, warnings);
      if (readyInStatus(n) === false) {
        const status = n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
        const key = missingNotReadyTaint(n, status);
        if (key !== null) n = { ...n, spec: { ...n.spec, taints: [...(n.spec?.taints ?? []), { key, effect: 'NoSchedule' }] } };
        const added = key === null ? '' : ` (given the taint ${key}:NoSchedule the node lifecycle controller puts on it at once, which the snapshot lacks)`;
        warnings.push(`${display}: node ${n.metadata?.name ?? ''} is not Ready in the snapshot (Ready ${status}): simulated as down for the whole run (its kubelet renews no lease), NotReady from t = 0${added}; its pods are evicted once they stop tolerating its taints`);
      }
      onNode?.(n, doc, path);
      into.nodes.push(n);
      return;
    }
    if (kind === 'Pod') {
      const status = isObj(raw['status']) ? raw['status'] : undefined;
      const phase = status?.['phase'];
      const finished = phase === 'Succeeded' || phase === 'Failed';
      if (finished && isStatefulSetPod(raw)) {
        // Upstream's StatefulSet controller deletes a Failed or Succeeded pod of its set and
        // creates it again (pkg/controller/statefulset/stateful_set_control.go
        // processReplica: isFailed || isSucceeded → DeleteStatefulPod); ksim's creates it at once.
        finishedOfSets++;
        return;
      }
      const spec = value['spec'];
      // `nodeName: ""` is not bound (the API server's meaning of an empty string).
      if (isObj(spec) && spec['nodeName'] === '') {
        const { nodeName: _unbound, ...rest } = spec;
        value['spec'] = rest;
      }
      const history = readPodHistory(doc, path, raw);
      const pod = readManifest(doc, path, value, { allowNodeName: true, warnings, shared }) as Pod;
      checkFirst(doc, path, kind, pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '');
      if (finished) {
        // Kept with its phase (and the kubelet's reason: an Evicted pod goes first in the pod
        // garbage collector's order).
        const reason = status?.['reason'];
        const kept = { ...pod, status: { phase, ...(typeof reason === 'string' && reason !== '' ? { reason } : {}) } } as Pod;
        if (history !== null) into.podHistories.set(kept, history);
        into.finished.push(kept);
        return;
      }
      if (history !== null) into.podHistories.set(pod, history);
      checkClaim(doc, path, pod);
      unbound.push({ doc, path, pod });
      return;
    }
    if (kind === 'PriorityClass' && isObj(raw['metadata']) && typeof raw['metadata']['name'] === 'string' && raw['metadata']['name'].startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
      // Built in (system-cluster-critical, system-node-critical): admission knows them. Read for
      // its checks only: another system- name, or a built-in one with another value, is refused.
      readManifest(doc, path, value, { warnings });
      return;
    }
    if (MANIFEST_KINDS.has(kind)) {
      const m = readManifest(doc, path, value, { warnings, stored: true });
      checkFirst(doc, path, kind, m.metadata?.namespace ?? '', m.metadata?.name ?? '');
      checkClaim(doc, path, m);
      // A Job keeps its status: its counts and finish condition; a CronJob its last scheduled
      // time; a PodDisruptionBudget the budget preemption reads until the disruption controller
      // writes its own (src/workload/snapshot-times.ts).
      const status = kind === 'Job' ? readJobStatus(doc, path, raw['status'])
        : kind === 'CronJob' ? readCronJobStatus(doc, path, raw['status'])
        : kind === 'PodDisruptionBudget' ? readPdbStatus(doc, path, raw['status'])
        : kind === 'StatefulSet' ? readStatefulSetStatus(doc, path, raw['status'])
        : kind === 'Namespace' ? terminatingNamespace(raw['status'])
        : null;
      if (status !== null && kind === 'Namespace') {
        warnings.push(`${display}: namespace ${m.metadata?.name ?? ''} is being deleted in the snapshot (status.phase Terminating): creates in it are refused, as NamespaceLifecycle admission refuses them (\`unable to create new content in namespace ${m.metadata?.name ?? ''} because it is being terminated\`), so its workloads replace no pod; its objects and pods stay, as ksim does not model the namespace controller that deletes them`);
      }
      into.objects.push((status === null ? m : { ...m, status }) as unknown as WorkloadObject);
      return;
    }
    if (CHECKED_KINDS.has(kind)) {
      const md = value['metadata'];
      if (!isObj(md)) throw doc.error([...path, 'metadata'], 'metadata with a name', describe(md));
      if (typeof md['name'] !== 'string' || md['name'] === '') throw doc.error([...path, 'metadata', 'name'], 'a name', describe(md['name']));
      stampAt(doc, [...path, 'metadata', 'creationTimestamp'], md['creationTimestamp']);
      checkObjectFields(doc, path, value, typeOfKind(kind) as string, warnings);
      checkFirst(doc, path, kind, typeof md['namespace'] === 'string' ? md['namespace'] : 'default', md['name']);
      into.objects.push({ ...value, kind, metadata: { ...md, name: md['name'], namespace: typeof md['namespace'] === 'string' ? md['namespace'] : 'default' } } as WorkloadObject);
      return;
    }
    // A kind of a built-in group that is not one of its kinds is a typo, refused as the workload
    // reader refuses it; a real kind ksim does not simulate, or a custom resource, is skipped.
    // A ReplicationController's pods are in the snapshot and run (noted: not recreated).
    const rc = kind === 'ReplicationController' && raw['apiVersion'] === 'v1';
    if (!rc && !isSkippedKind(raw['apiVersion'], kind)) throw unsupportedKind(doc, path, kind, 'Node (v1), ');
    skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
  }
  for (const u of unbound) into.pods.push(u.pod);
  const skippedNote = skippedMessage(skipped);
  if (skippedNote !== null) warnings.push(`${display}: ${skippedNote}`);
  if (finishedOfSets > 0) warnings.push(`${display}: left out ${finishedOfSets} finished pod(s) of StatefulSets (phase Succeeded or Failed): the StatefulSet controller deletes them and creates them again`);
}

/** A Namespace's status when it is being deleted (status.phase Terminating: what
 * NamespaceLifecycle admission reads), else null (Active: nothing to keep). */
function terminatingNamespace(status: unknown): { phase: 'Terminating' } | null {
  return isObj(status) && status['phase'] === 'Terminating' ? { phase: 'Terminating' } : null;
}

/** Whether the pod object's controller is a StatefulSet. */
export function isStatefulSetPod(raw: Obj): boolean {
  const md = raw['metadata'];
  const refs = isObj(md) ? md['ownerReferences'] : undefined;
  return Array.isArray(refs) && refs.some((r: unknown) => isObj(r) && r['controller'] === true && r['kind'] === 'StatefulSet');
}

/** The run's warning about the snapshot's pods Running but not Ready (none: no warning). */
export function notReadyPodsWarning(pods: readonly Pod[], pasts: ReadonlyMap<Pod, PodPast>): string[] {
  const notReady = pods.filter((p) => pasts.get(p)?.notReady === true);
  const first = notReady[0];
  if (first === undefined) return [];
  const key = `${first.metadata?.namespace ?? 'default'}/${first.metadata?.name ?? ''}`;
  return [`cluster.file: ${notReady.length} pod(s) Running but not Ready (first: ${key}): ksim keeps them not ready (it simulates no readiness probes)`];
}

/** Controllers ksim simulates, which recreate their pods. */
const RECREATING_OWNERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

/** The warning about pods whose controller (a ReplicaSet, StatefulSet, DaemonSet or Job) the
 * snapshot does not hold — a `kubectl get nodes,pods -A -o json` dump: nothing recreates them
 * when they are evicted or deleted, so an outage's losses would go unreplaced, unlike in the
 * cluster (none: no warning). */
export function orphanedPodsWarning(pods: readonly Pod[], objects: readonly { kind: string; metadata: { namespace?: string; name: string } }[], prefix = 'cluster.file: '): string[] {
  const held = new Set(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const owners = new Set<string>();
  let count = 0;
  for (const p of pods) {
    const ref = controllerRef(p);
    if (ref === null || !RECREATING_OWNERS.has(ref.kind)) continue;
    const ns = p.metadata?.namespace ?? 'default';
    if (held.has(`${ref.kind}/${ns}/${ref.name}`)) continue;
    count++;
    owners.add(`${ref.kind} ${ns}/${ref.name}`);
  }
  if (count === 0) return [];
  const first = [...owners][0] as string;
  return [`${prefix}${count} pod(s) belong to ${owners.size} controller(s) the snapshot does not hold (first: ${first}): nothing recreates these pods when they are evicted or deleted; add the owners to the dump (kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,jobs -A -o json)`];
}

/** What a cluster dump without a Node object lacks (`kubectl get pods -A -o json` alone). */
export const NO_NODE_EXPECTED = 'a cluster dump with at least one Node object (kubectl get nodes,pods,... -A -o json)';

/** The `got` of NO_NODE_EXPECTED: the inputs and what they hold instead. */
export function noNodeFound(inputs: readonly string[], s: SnapshotStart): string {
  const objects = s.pods.length + s.finished.length + s.objects.length;
  return `no Node in ${inputs.join(', ')} (${objects === 0 ? 'no objects' : `${objects} other object${objects === 1 ? '' : 's'}`})`;
}

/** Pods whose node is not in the snapshot are left out (with one warning for them all, naming
 * the first): they hold nothing. */
export function dropPodsOnMissingNodes(s: SnapshotStart, warnings: string[]): void {
  const names = new Set(s.nodes.map((n) => n.metadata?.name ?? ''));
  const dropped: Pod[] = [];
  const missing = new Set<string>();
  const kept = s.pods.filter((p) => {
    const node = p.spec?.nodeName;
    if (node === undefined || names.has(node)) return true;
    dropped.push(p);
    missing.add(node);
    return false;
  });
  s.pods.splice(0, s.pods.length, ...kept);
  // A finished pod of a node the snapshot lacks: upstream's pod garbage collector deletes it
  // 40 to 60 s on (gcOrphaned; see src/controllers/podgc.ts), as it deletes a running one.
  const keptFinished = s.finished.filter((p) => {
    const node = p.spec?.nodeName;
    if (node === undefined || names.has(node)) return true;
    dropped.push(p);
    missing.add(node);
    return false;
  });
  s.finished.splice(0, s.finished.length, ...keptFinished);
  const first = dropped[0];
  if (first === undefined) return;
  const pod = `pod ${first.metadata?.namespace ?? 'default'}/${first.metadata?.name ?? ''}`;
  const node = JSON.stringify(first.spec?.nodeName ?? '');
  if (dropped.length === 1) warnings.push(`cluster.file: ${pod} is bound to node ${node}, which is not in the snapshot: skipped`);
  else warnings.push(`cluster.file: ${dropped.length} pods are bound to ${missing.size === 1 ? 'a node' : `${missing.size} nodes`} not in the snapshot (first: ${pod} on node ${node}): skipped`);
}

/** A shallow copy without what the simulation never reads: status (but a Node's) and the
 * server's bookkeeping in metadata. Shares the rest with `raw` (the readers below copy what
 * they keep). */
function clean(raw: Obj): Obj {
  const out: Obj = { ...raw };
  if (raw['kind'] !== 'Node') delete out['status']; // a Node's is read (its capacity) and checked
  if (isObj(raw['metadata'])) {
    const md: Obj = { ...raw['metadata'] };
    for (const k of ['managedFields', 'resourceVersion', 'selfLink', 'generation']) delete md[k];
    // A ReplicaSet keeps its creationTimestamp: a Deployment scales its old ones down oldest
    // first; a CronJob too: an @every schedule counts from it before the first Job (upstream
    // mostRecentScheduleTime). A pod's is read apart (src/workload/snapshot-times.ts).
    if (raw['kind'] !== 'ReplicaSet' && raw['kind'] !== 'CronJob') delete md['creationTimestamp'];
    out['metadata'] = md;
  }
  return out;
}

/**
 * The NoSchedule taint upstream's node lifecycle controller puts on a node whose Ready condition
 * is False or Unknown as soon as it sees it (doNoScheduleTaintingPass: Ready False →
 * node.kubernetes.io/not-ready, Unknown or missing → node.kubernetes.io/unreachable;
 * pkg/controller/nodelifecycle/node_lifecycle_controller.go nodeConditionToTaintKeyStatusMap),
 * when the snapshot has neither; null when it has one. Without it nothing but the first monitor
 * pass (5 s) would stop the scheduler, and DaemonSet pods, which tolerate only the NoExecute
 * taints, would bind to the node.
 */
export function missingNotReadyTaint(n: Node, readyStatus: string): string | null {
  const taints = n.spec?.taints ?? [];
  if (taints.some((t) => (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE) && t.effect === 'NoSchedule')) return null;
  return readyStatus === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE;
}
