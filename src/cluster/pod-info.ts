// A pod as the simulator tracks it: the v1 Pod object plus what is derived from it once
// (requests, ports, owner) and its lifecycle.
import type { Container, ContainerPort, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { deepFreeze } from '../api/values.js';
import type { Labels } from '../api/labels.js';
import type { SimEvent } from '../engine/event-queue.js';
import { computePodRequests, type PodResourceRequests, type PodSpecWithResources, type Resource } from './resources.js';
import { objectKey } from './workload-object.js';

export const WORKLOAD_ANNOTATION = 'ksim.io/workload';

/** Upstream DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_S = 30;

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  readonly port: number;
}

/** PodInfo.flags: its object had a deletionTimestamp when it was stored (a snapshot of a
 * Terminating pod; the run never sets the field on a stored object, it keeps deletionUs). */
const STORED_TERMINATING = 1;
const BOUND = 2;
const DELETED = 4;
const ON_BOOKS = 8;
const GC_TRACKED = 16;
const DEPENDENT = 32;
const EVICTED = 64;
const PREEMPTED = 128;
/** Its spec has inter-pod affinity or anti-affinity (a spec does not change once stored). */
const POD_AFFINITY_TERMS = 256;
/** A snapshot's finished pod, stored apart (ClusterState.finishedAtStart). */
const FINISHED_AT_START = 512;
/** Failed with status.reason Evicted (upstream eviction.PodIsEvicted: the kubelet's node-pressure
 * eviction), as only a snapshot's pod can be: ksim's kubelet evicts none. */
const KUBELET_EVICTED = 1024;

/** A pod's key in the store: `namespace/name` (namespace "default" when it has none). */
export function podStoreKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

/** `us − sinceUs` (≥ 0) as a value V8 stores in a field without a box: a difference of two boxed
 * numbers is a boxed number, even when small, and one stored into a field makes V8 box that
 * field for every object of the class from then on; `| 0` makes it a small integer when it
 * fits in 31 bits (a pod that lived longer keeps the boxed number). */
export function microsSince(us: number, sinceUs: number): number {
  const d = us - sinceUs;
  return d <= 0x7fffffff ? d | 0 : d;
}

export class PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** Changed only by ClusterState.setPodMetadata (a pod update's labels). */
  labels: Labels;
  /** Its requests and the figures derived from them (the getters below), shared by the pods
   * whose containers are one frozen list (requestsOf). A pod's fields are most of the memory of
   * the pods a run holds (live ones and the finished ones awaiting the pod garbage collector),
   * so figures shared by many pods are reached through one field. */
  private readonly resources: PodResourceRequests;
  readonly hostPorts: readonly HostPort[];
  readonly priority: number;
  readonly schedulerName: string;
  /** Its owner's kind, name and keys, shared by the pods of one owner (ownerKeys). */
  private readonly owner: OwnerKeys;
  /** Which scenario workload entry produced this pod (annotation ksim.io/workload; it flows from
   * a Deployment's template to its pods). Drives the run duration. */
  readonly workload: string;
  /** The yes/no marks below (bound, deleted, onBooks, gcTracked, evicted, preempted, dependent,
   * hasPodAffinityTerms, finishedAtStart, evictedByKubelet, and STORED_TERMINATING), one bit each, in one field. */
  private flags = 0;

  phase: PodPhase = 'Pending';
  /** Node the pod is assumed or bound to; null while unscheduled. */
  nodeName: string | null = null;
  /** Node that preemption cleared for this pod (status.nominatedNodeName); null when none. */
  nominatedNodeName: string | null = null;
  /** Why it is being deleted (for the row written when it is gone). */
  deletionReason = '';

  /** When it entered the run (µs). */
  readonly createdUs: number;
  // Its other times are kept as µs after createdUs (microsSince), −1 while not yet (the
  // accessors below): a time past 2^31 µs (35.8 simulated minutes) is no small integer to V8, so
  // each time field of a pod held a boxed number of its own (16 bytes) for the rest of a long
  // replay; a pod's times mostly lie within minutes of its creation.
  private boundAfterUs = -1;
  private acceptedAfterUs = -1;
  private startedAfterUs = -1;
  private finishedAfterUs = -1;
  private deletionAfterUs = -1;
  /** Container restarts during the run (the kubelet's count; status.containerStatuses[].restartCount upstream). */
  restarts = 0;
  /** What a cluster snapshot's object said of the pod's past; null for pods the run created. */
  past: PodPast | null = null;
  /** Its kubelet's pending start, completion, restart or termination (src/kubelet/kubelet.ts
   * keeps it here: a map keyed by pod cost a hash-table insert and delete per timer, the
   * kubelet model's most expensive lines in a trace replay). */
  kubeletTimer: SimEvent | null = null;
  // What pods.csv reports of its scheduling (src/metrics/pods.ts keeps it here, with the
  // evicted and preempted marks; an object of its own per pod was one more for the
  // young-generation collector to promote).
  /** Scheduling attempts. */
  attempts = 0;
  /** When its first scheduling attempt ended, in µs after createdUs (a small integer to V8, as
   * the times above); -1 before. */
  firstAttemptAfterUs = -1;
  /** Its node's zone when its binding was heard; '' before. */
  boundZone = '';
  /** The workload it counts as available for (src/faults/availability.ts keeps the mark here,
   * opaque to the cluster, rather than in a map keyed by pod); null while not available. */
  availableIn: object | null = null;
  /** Its index in the ReplicaSet controller's and the Deployment controller's list of its set's
   * live pods (src/cluster/pod-list.ts; −1 or stale when in none). */
  rsSlot = -1;
  deploymentSlot = -1;

  /** `key`: podStoreKey(pod) when the caller has made it already (the API server's create). */
  /** `pod`: the stored object; replaced (never changed in place) by ClusterState.setPodMetadata. */
  constructor(public pod: Pod, createdUs: number, key?: string) {
    const md = pod.metadata ?? {};
    this.namespace = md.namespace ?? 'default';
    this.name = md.name ?? '';
    this.key = key ?? `${this.namespace}/${this.name}`;
    this.labels = (md.labels ?? NO_LABELS) as Labels;
    this.resources = requestsOf(pod);
    this.hostPorts = collectHostPorts(pod);
    this.priority = pod.spec?.priority ?? 0;
    this.schedulerName = pod.spec?.schedulerName ?? 'default-scheduler';
    const owner = md.ownerReferences?.find((o) => o.controller === true) ?? md.ownerReferences?.[0];
    this.owner = owner === undefined ? unownedKeys(this.namespace) : ownerKeys(owner.kind ?? '', this.namespace, owner.name ?? '');
    this.createdUs = createdUs;
    this.workload = md.annotations?.[WORKLOAD_ANNOTATION] ?? '';
    if (md.deletionTimestamp !== undefined && md.deletionTimestamp !== null) this.flags = STORED_TERMINATING;
    const affinity = pod.spec?.affinity;
    if (affinity != null && (affinity.podAffinity != null || affinity.podAntiAffinity != null)) this.flags |= POD_AFFINITY_TERMS;
  }

  get requests(): Resource {
    return this.resources.requests;
  }
  get nonZeroMilliCpu(): number {
    return this.resources.nonZeroMilliCpu;
  }
  get nonZeroMemory(): number {
    return this.resources.nonZeroMemory;
  }
  /** CPU and memory this pod adds when it is the one being scored (see PodResourceRequests). */
  get scoringMilliCpu(): number {
    return this.resources.scoringMilliCpu;
  }
  get scoringMemory(): number {
    return this.resources.scoringMemory;
  }

  get ownerKind(): string {
    return this.owner.kind;
  }
  get ownerName(): string {
    return this.owner.name;
  }
  /** "namespace/ownerName": how controllers key the objects they own pods by. */
  get ownerKey(): string {
    return this.owner.ownerKey;
  }
  /** The owner's object key, "Kind/namespace/ownerName" (objectKey): the garbage collector,
   * availability and disruption budgets look owners up by it for every pod. */
  get ownerObjectKey(): string {
    return this.owner.ownerObjectKey;
  }

  /** True once the binding write has committed (spec.nodeName is set in the API). */
  get bound(): boolean {
    return (this.flags & BOUND) !== 0;
  }
  set bound(yes: boolean) {
    this.setFlag(BOUND, yes);
  }
  get deleted(): boolean {
    return (this.flags & DELETED) !== 0;
  }
  set deleted(yes: boolean) {
    this.setFlag(DELETED, yes);
  }
  /** On its node's books (in NodeInfo.pods): placed there, not yet taken off. */
  get onBooks(): boolean {
    return (this.flags & ON_BOOKS) !== 0;
  }
  set onBooks(yes: boolean) {
    this.setFlag(ON_BOOKS, yes);
  }
  /** Terminated and counted by the pod garbage collector (src/controllers/podgc.ts), which
   * keeps the mark here rather than in a set of pods. */
  get gcTracked(): boolean {
    return (this.flags & GC_TRACKED) !== 0;
  }
  set gcTracked(yes: boolean) {
    this.setFlag(GC_TRACKED, yes);
  }
  /** Whether its spec has inter-pod affinity or anti-affinity, known without reading the spec:
   * InterPodAffinity's index asks for every pod placed or removed, and a finished pod's spec
   * had mostly left the cache (1.6 % of a churn, nearly all of it that read). */
  get hasPodAffinityTerms(): boolean {
    return (this.flags & POD_AFFINITY_TERMS) !== 0;
  }
  /** Evicted from its node (src/metrics/pods.ts keeps the mark for pods.csv). */
  get evicted(): boolean {
    return (this.flags & EVICTED) !== 0;
  }
  set evicted(yes: boolean) {
    this.setFlag(EVICTED, yes);
  }
  /** Deleted as a preemption victim (as `evicted`). */
  get preempted(): boolean {
    return (this.flags & PREEMPTED) !== 0;
  }
  set preempted(yes: boolean) {
    this.setFlag(PREEMPTED, yes);
  }
  /** A cluster snapshot's finished pod, stored apart (ClusterState.finishedAtStart): only the
   * quota and the garbage collectors see it. */
  get finishedAtStart(): boolean {
    return (this.flags & FINISHED_AT_START) !== 0;
  }
  set finishedAtStart(yes: boolean) {
    this.setFlag(FINISHED_AT_START, yes);
  }
  /** Failed as evicted by its kubelet (status.reason Evicted; only a snapshot's pod). */
  get evictedByKubelet(): boolean {
    return (this.flags & KUBELET_EVICTED) !== 0;
  }
  set evictedByKubelet(yes: boolean) {
    this.setFlag(KUBELET_EVICTED, yes);
  }
  /** Listed by the garbage collector among its owner's dependents (src/controllers/
   * garbage-collector.ts keeps the mark here). */
  get dependent(): boolean {
    return (this.flags & DEPENDENT) !== 0;
  }
  set dependent(yes: boolean) {
    this.setFlag(DEPENDENT, yes);
  }

  /** When its binding committed (µs); -1 before. */
  get boundUs(): number {
    return this.timeAfterCreation(this.boundAfterUs);
  }
  set boundUs(us: number) {
    this.boundAfterUs = this.sinceCreation(us);
  }
  /** When its kubelet first handled it (µs; -1 before): upstream's status manager sets
   * status.startTime then, at the pod's first status update, before its images are pulled and
   * its containers started (pkg/kubelet/status/status_manager.go updateStatusInternal: "if the
   * status has no start time, we need to set an initial time"); in ksim when its kubelet hears
   * the binding (src/kubelet/kubelet.ts startPod), and kept when that kubelet starts it again
   * after a crash. startTimeUs() reads it. */
  get acceptedUs(): number {
    return this.timeAfterCreation(this.acceptedAfterUs);
  }
  set acceptedUs(us: number) {
    this.acceptedAfterUs = this.sinceCreation(us);
  }
  /** When it started Running (µs); -1 before. */
  get startedUs(): number {
    return this.timeAfterCreation(this.startedAfterUs);
  }
  set startedUs(us: number) {
    this.startedAfterUs = this.sinceCreation(us);
  }
  /** When it Succeeded or Failed (µs); -1 before. */
  get finishedUs(): number {
    return this.timeAfterCreation(this.finishedAfterUs);
  }
  set finishedUs(us: number) {
    this.finishedAfterUs = this.sinceCreation(us);
  }
  /** When its graceful deletion was requested (metadata.deletionTimestamp, µs); -1 while not
   * being deleted. A Terminating pod keeps its place on its node until its kubelet confirms
   * (or its deletion is forced). */
  get deletionUs(): number {
    return this.timeAfterCreation(this.deletionAfterUs);
  }
  set deletionUs(us: number) {
    this.deletionAfterUs = this.sinceCreation(us);
  }

  private setFlag(bit: number, yes: boolean): void {
    this.flags = yes ? this.flags | bit : this.flags & ~bit;
  }

  /** The time `afterUs` µs after its creation; -1 for -1 (not yet). */
  timeAfterCreation(afterUs: number): number {
    return afterUs < 0 ? -1 : this.createdUs + afterUs;
  }

  /** Time `us` as µs after its creation, as its times are kept (microsSince); -1 for -1. */
  sinceCreation(us: number): number {
    if (us < 0) return -1;
    if (us < this.createdUs) throw new RangeError(`pod ${this.key}: a time (${us} µs) before its creation (${this.createdUs} µs)`);
    return microsSince(us, this.createdUs);
  }

  get terminal(): boolean {
    return this.phase === 'Succeeded' || this.phase === 'Failed';
  }

  /** Has a deletionTimestamp (set by a graceful deletion, or present in a snapshot's object);
   * stays true once the pod is gone, so a controller that has not heard of the deletion yet
   * still sees it as being deleted. */
  get terminating(): boolean {
    return this.deletionUs >= 0 || (this.flags & STORED_TERMINATING) !== 0;
  }

  /** The grace period of the pod's deletion in µs: metadata.deletionGracePeriodSeconds when a
   * snapshot's pod carries it (the kubelet prefers it: pkg/kubelet/kuberuntime/
   * kuberuntime_container.go killContainer), else spec.terminationGracePeriodSeconds (upstream
   * default 30 s, pkg/apis/core/v1/defaults.go DefaultTerminationGracePeriodSeconds). */
  get terminationGracePeriodUs(): number {
    const d = this.pod.metadata?.deletionGracePeriodSeconds;
    const s = d !== undefined && d !== null ? d : this.pod.spec?.terminationGracePeriodSeconds;
    return (s === undefined || s === null || s < 0 ? DEFAULT_TERMINATION_GRACE_PERIOD_S : s) * 1_000_000;
  }
}

/** The requests of the pods whose requests come from a shared, frozen container list alone (no
 * init containers, overhead or pod-level resources): a ReplicaSet's pods share their template's
 * containers, a trace's pods the list of their amounts (TraceContainers), pods read from files
 * their equal parts (SharedSpecParts); each pod parsed the same quantities into a Resource of
 * its own. The Resource is shared: nothing changes a pod's requests in place. */
const REQUESTS_BY_CONTAINERS = new WeakMap<readonly Container[], PodResourceRequests>();

/** `spec` (a workload's pod template's) with its containers frozen (deepFreeze), returned for
 * the pods made from it: controllers give each pod its own top level of the spec and share the
 * rest, and a frozen container list is what lets those pods share their requests (requestsOf);
 * a Deployment's churn computed them afresh for every pod. */
export function withSharedContainers(spec: PodSpec): PodSpec {
  if (spec.containers !== undefined) deepFreeze(spec.containers);
  return spec;
}

function requestsOf(pod: Pod): PodResourceRequests {
  const spec = pod.spec as PodSpecWithResources | undefined;
  if (spec === undefined) return computePodRequests(pod);
  const containers = spec.containers;
  if (containers === undefined || !Object.isFrozen(containers) || spec.initContainers !== undefined || spec.overhead !== undefined || spec.resources !== undefined) return computePodRequests(pod);
  let r = REQUESTS_BY_CONTAINERS.get(containers);
  if (r === undefined) REQUESTS_BY_CONTAINERS.set(containers, (r = computePodRequests(pod)));
  return r;
}

/** A copy of the pod as it is now, to hand the scheduling queue as a cluster event's object
 * (upstream's queueing hints read the event's own Pod object). The queue reads an event's
 * objects when it moves pods and again when a pod that was in flight meanwhile fails, so an
 * object the run changes afterwards (a forgotten assumed pod loses its nodeName) must be copied. */
export function snapshotPod(p: PodInfo): PodInfo {
  return Object.assign(Object.create(PodInfo.prototype) as PodInfo, p);
}

/** The owner keys of a namespace's pods without an owner, made once per namespace: a bare pod
 * made its own copies of the same two strings (a pile of a million pending pods, 50 MB). */
const UNOWNED_KEYS = new Map<string, OwnerKeys>();

function unownedKeys(namespace: string): OwnerKeys {
  let k = UNOWNED_KEYS.get(namespace);
  if (k === undefined) UNOWNED_KEYS.set(namespace, (k = { kind: '', name: '', ownerKey: `${namespace}/`, ownerObjectKey: objectKey('', namespace, '') }));
  return k;
}

interface OwnerKeys {
  readonly kind: string;
  readonly name: string;
  readonly ownerKey: string;
  readonly ownerObjectKey: string;
}

/** The owner keys of owned pods, by owner kind, namespace and name: the pods of one controller
 * share one copy of each string. A copy of its own per pod was hashed again (and flattened) by
 * every map a pod event looks it up in (the Deployment, ReplicaSet and garbage collectors'
 * owner maps, the availability tracker), and compared character by character with the map's
 * key; a shared one keeps its hash and compares by reference. A controller's pods read the
 * namespace and name from its own object, so the lookups here are by shared strings too.
 * Bounded: owners that come and go (a Job per trace row) do not pile up. */
const OWNER_KEYS = new Map<string, Map<string, Map<string, OwnerKeys>>>();
let ownerKeysHeld = 0;
const MAX_OWNER_KEYS = 8192;

function ownerKeys(kind: string, namespace: string, name: string): OwnerKeys {
  let byNs = OWNER_KEYS.get(kind);
  if (byNs === undefined) OWNER_KEYS.set(kind, (byNs = new Map()));
  let byName = byNs.get(namespace);
  if (byName === undefined) byNs.set(namespace, (byName = new Map()));
  let k = byName.get(name);
  if (k === undefined) {
    if (ownerKeysHeld >= MAX_OWNER_KEYS) {
      OWNER_KEYS.clear();
      ownerKeysHeld = 0;
      return ownerKeys(kind, namespace, name);
    }
    k = { kind, name, ownerKey: `${namespace}/${name}`, ownerObjectKey: objectKey(kind, namespace, name) };
    byName.set(name, k);
    ownerKeysHeld++;
  }
  return k;
}

/** Shared by the pods without labels (frozen: nothing writes a pod's labels). */
const NO_LABELS: Labels = Object.freeze({});

/** Shared by the pods that hold no host port (nearly all). */
const NO_HOST_PORTS: readonly HostPort[] = Object.freeze([]);

/** Host ports a pod occupies: app containers and restartable (sidecar) init containers; plain
 * init containers do not hold their ports (upstream nodeports/node_ports.go, since v1.33).
 * A hostNetwork pod's port without a hostPort holds its containerPort: the API server stores
 * the pod so (pkg/apis/core/v1/defaults.go SetDefaults_Pod → defaultHostNetworkPorts, for
 * containers and init containers). Read here, where every pod — created by a controller from its
 * template, a bare one, a snapshot's, `explain --pod`'s — is read once, as SetDefaults_Pod's
 * requests-from-limits is read in resources.ts; never on a template (since v1.28 upstream
 * defaults Pods only, DefaultHostNetworkHostPortsInPodTemplates off), so template comparison
 * (template-defaults.ts) does not apply it. */
function collectHostPorts(pod: Pod): readonly HostPort[] {
  let out: HostPort[] | null = null;
  const hostNetwork = pod.spec?.hostNetwork === true;
  const add = (ports: ContainerPort[] | undefined) => {
    for (const p of ports ?? []) {
      const hp = p.hostPort ?? 0;
      const port = hp !== 0 ? hp : hostNetwork ? p.containerPort : 0;
      if (!(port > 0)) continue;
      // Upstream HostPortInfo sanitises an empty IP to 0.0.0.0 and an empty protocol to TCP.
      (out ??= []).push({ hostIP: p.hostIP === undefined || p.hostIP === '' ? '0.0.0.0' : p.hostIP, protocol: p.protocol === undefined || p.protocol === '' ? 'TCP' : p.protocol, port });
    }
  };
  for (const c of pod.spec?.containers ?? []) add(c.ports);
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') add(c.ports);
  return out ?? NO_HOST_PORTS;
}

/** A snapshot pod's past on the run's clock (µs; negative: before t = 0, the snapshot's own
 * time). A field the snapshot lacks is absent, and the run's own time stands in for it. */
export interface PodPast {
  /** metadata.creationTimestamp. */
  readonly creationUs?: number;
  /** status.startTime. */
  readonly startUs?: number;
  /** lastTransitionTime of the Ready condition (status True). */
  readonly readySinceUs?: number;
  /** Most restarts of one of its containers (upstream maxContainerRestarts). */
  readonly restarts: number;
  /** status.nominatedNodeName of a pending pod: the scheduler's nominator holds it there from
   * the start, as upstream's does for a pod it queues (scheduling_queue.go moveToActiveQ →
   * nominator.addNominatedPod, which reads the status when given no nominating info). */
  readonly nominatedNodeName?: string;
  /** Being deleted as a preemption victim (deletionTimestamp and a DisruptionTarget condition
   * with reason PreemptionByScheduler): the pod its preemptor waits for. */
  readonly preemptedByScheduler?: true;
  /** Running but not Ready in the snapshot (a failing readiness probe, a crash loop). */
  readonly notReady?: true;
  /** Being deleted in the snapshot: when its grace period ends on the run's clock (its
   * metadata.deletionTimestamp; negative when already past at t = 0). */
  readonly graceEndsUs?: number;
}

/** Ready as ksim models it: Running (ksim simulates no readiness probes, so its pods are Ready
 * while Running), unless the snapshot showed the pod Running but not Ready: with no probe to
 * pass, it stays not ready. Whether its node is Ready is the caller's to check. */
export function isPodReady(p: PodInfo): boolean {
  return p.phase === 'Running' && p.past?.notReady !== true;
}

/** Nodes by name, as far as a pod's readiness needs them. */
interface ReadyLookup<T> {
  get(name: string): T | undefined;
}

/** Available as the workload controllers and ksim's availability metrics count it, before the
 * owner's minReadySeconds (isPodAvailableAt, availableFromUs; the metrics' AvailabilityTracker
 * in src/faults/availability.ts): Ready (isPodReady), not being deleted, and on a node that is
 * Ready — the node lifecycle controller marks the pods of a NotReady node not Ready (upstream
 * MarkPodsNotReady). `nodes`: the controllers pass ClusterState.lastKnownNodes (a deleted node's
 * pods keep the readiness they had), the metrics ClusterState.nodeByName (they run nowhere). */
export function isPodAvailable(p: PodInfo, nodes: ReadyLookup<{ readonly ready: boolean }>): boolean {
  return isPodReady(p) && !p.deleted && !p.terminating && p.nodeName !== null && nodes.get(p.nodeName)?.ready === true;
}

/** When pod `p` is (or was) available counting minReadySeconds (`minReadyUs`): upstream
 * podutil.IsPodAvailable (pkg/api/v1/pod/util.go) counts a Ready pod available once its Ready
 * condition has been True for minReadySeconds. The Ready condition turned True when the pod
 * started Running (readyTimeUs: a snapshot's from its condition) or, later, when its node turned
 * Ready again (the node lifecycle controller had marked it not Ready). Only meaningful for a pod
 * isPodAvailable counts; with minReadyUs 0 it is the time it became Ready. */
export function availableFromUs(p: PodInfo, nodes: ReadyLookup<{ readonly readySinceUs: number }>, minReadyUs: number): number {
  const node = p.nodeName === null ? undefined : nodes.get(p.nodeName);
  return Math.max(readyTimeUs(p), node?.readySinceUs ?? Number.NEGATIVE_INFINITY) + minReadyUs;
}

/** Upstream IsPodAvailable(pod, minReadySeconds, now): isPodAvailable and Ready for `minReadyUs`
 * by `nowUs` (with 0, isPodAvailable alone: the hot path reads no times). */
export function isPodAvailableAt(p: PodInfo, nodes: ReadyLookup<{ readonly ready: boolean; readonly readySinceUs: number }>, minReadyUs: number, nowUs: number): boolean {
  return isPodAvailable(p, nodes) && (minReadyUs <= 0 || availableFromUs(p, nodes, minReadyUs) <= nowUs);
}

/** Upstream DeploymentSpec / StatefulSetSpec / ReplicaSetSpec / DaemonSetSpec minReadySeconds in
 * µs (0 when unset or not a whole number ≥ 0). */
export function minReadyUsOf(spec: unknown): number {
  const v = (spec as { minReadySeconds?: unknown } | undefined)?.minReadySeconds;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v * 1_000_000 : 0;
}

/** How the taint-eviction controller's and the scheduler's preemption's deletion reasons begin:
 * the deletions that give a pod upstream's DisruptionTarget condition (DeletionByTaintManager,
 * PreemptionByScheduler), which a Job's podFailurePolicy rules match. */
export const TAINT_EVICTION_REASON = 'evicted: ';
export const PREEMPTION_REASON = 'preempted by ';

/** Whether pod `p`'s deletion gave it the DisruptionTarget condition (see above), or a status
 * write did (the pod garbage collector's DeletionByPodGC, before it deletes an orphaned pod:
 * upstream podgc gcOrphaned, markFailedAndDeletePodWithCondition). */
export function hasDisruptionTarget(p: PodInfo): boolean {
  if (p.deletionReason.startsWith(TAINT_EVICTION_REASON) || p.deletionReason.startsWith(PREEMPTION_REASON)) return true;
  const conds = p.pod.status?.conditions;
  if (conds === undefined) return false;
  for (const c of conds) if (c.type === 'DisruptionTarget' && c.status === 'True') return true;
  return false;
}

/** metadata.creationTimestamp on the run's clock: from the snapshot, else when the run created it. */
export function creationTimeUs(p: PodInfo): number {
  return p.past?.creationUs ?? p.createdUs;
}

/** When the pod became Ready (upstream podReadyTime; ksim's pods are Ready while Running): from
 * the snapshot, else when it started Running in the run (-1: not yet). */
export function readyTimeUs(p: PodInfo): number {
  return p.past?.readySinceUs ?? p.startedUs;
}

/** status.startTime: from the snapshot, else when its kubelet first handled it in the run
 * (acceptedUs: before the startup latency and image pulls, not when it started Running); null
 * before (upstream GetPodStartTime then answers "now": pkg/scheduler/util/utils.go). */
export function startTimeUs(p: PodInfo): number | null {
  const t = p.past?.startUs;
  if (t !== undefined) return t;
  return p.acceptedUs >= 0 ? p.acceptedUs : null;
}

/** Most restarts of one of its containers: the snapshot's count plus the run's (ksim runs a
 * pod as one container). */
export function maxContainerRestarts(p: PodInfo): number {
  return (p.past?.restarts ?? 0) + p.restarts;
}
