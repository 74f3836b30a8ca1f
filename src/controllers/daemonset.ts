// DaemonSet controller (upstream pkg/controller/daemon/daemon_controller.go, simplified): one
// active pod per eligible node. A node is eligible when the pod template's nodeSelector and
// required node affinity match it and every NoSchedule/NoExecute taint is tolerated by the
// template's tolerations plus the ones the controller adds to every daemon pod
// (pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations: not-ready and
// unreachable NoExecute without tolerationSeconds; disk-, memory-, pid-pressure and
// unschedulable NoSchedule; network-unavailable NoSchedule when hostNetwork). Each pod is pinned
// with a required node affinity `matchFields metadata.name In [node]` and goes through the
// scheduler, unless the template names its node (spec.nodeName): then that node alone runs it and
// the pod, created with that nodeName, is stored bound (ApiServer.createPod), as upstream's
// GetPodFromTemplate keeps the template's nodeName; its kubelet refuses it when it does not fit
// (Failed, OutOfcpu: src/kubelet/kubelet.ts). A pod keeps running on a node that gets a NoSchedule taint (upstream
// NodeShouldRunDaemonPod: shouldContinueRunning) but is deleted when the node stops matching
// the selectors or gets an untolerated NoExecute taint. Terminal pods (Failed or Succeeded:
// ksim's kubelet completes a pod when its run duration ends, or refuses it) on a node that keeps
// its daemon are deleted (upstream podsShouldBeOnNode) — a Failed one when the node's failed-pod
// backoff lets it (failedPod: 1 s doubling to 15 min) — and replaced once the deletion is
// observed; a cluster snapshot's finished pods (ClusterState.finishedAtStart) are among the
// set's pods from the start. Not modelled: ControllerRevision objects and the status writes
// (numberAvailable, updatedNumberScheduled).
// Rolling updates (upstream syncDaemonSet → updateDaemonSet: manage, then, once its writes are
// observed, update.go rollingUpdate): a pod is made with the label controller-revision-hash =
// the revision hash of the template (daemonSetRevisionHash, once per template change; upstream
// CreatePodTemplate) and is of the update revision when that label is the template's. The pods
// the first sync finds (a cluster snapshot's: ksim has made none yet) are sorted by their label
// (snapshot-revisions.ts daemonSetOldRevisions: upstream IsPodUpdated's template generation,
// else the pods' specs against the template): the labels of an old revision are replaced by the
// rolling update below, so a rollout the snapshot caught goes on; the others, and a pod ksim did
// not make that arrives later, are taken as of the template the set had when added. updateStrategy RollingUpdate
// (the default) with maxUnavailable (default 1) or maxSurge (default 0), both rounded up from a
// percentage of the desired number of nodes. Without a surge, old pods are deleted (not
// available ones at once, then available ones, in node order, while at most maxUnavailable
// nodes are unavailable: no pod, one being deleted, or a new one not yet available for
// minReadySeconds) and the new pod is made once the old one is gone (graceful termination);
// with maxSurge (maxUnavailable 0), the new pod is made beside the old one on up to maxSurge
// nodes, and the old one is deleted once the new one is available. OnDelete replaces nothing: a
// pod made after the change (a deleted pod's replacement, a new node's) has the new template.
// During a rollout the set syncs on its pods' phase changes and when a new pod's minReadySeconds
// pass (upstream syncs on every pod update).
// Like the ReplicaSet controller, it waits for its own writes to be observed (expectations)
// before syncing a DaemonSet again, and a sync with a refused create failed: the set is retried
// through the work queue's rate limiter (upstream syncNodes returns the errors and
// processNextWorkItem calls queue.AddRateLimited; work-queue.ts). Pods are grouped by their target
// node as upstream util.GetTargetNodeName finds it (spec.nodeName, else the node-name affinity); a
// pod with neither is skipped, and of the pods whose node does not exist only the unscheduled
// ones are deleted (upstream getUnscheduledPodsWithoutNode): a bound pod of a deleted node is the
// pod garbage collector's (upstream podgc gcOrphaned, podgc.ts: a ksim-events delete of a Node
// leaves such pods). Upstream's controller has no node-delete handler: it finds an unscheduled pod
// of a deleted node when it syncs on the pod's update that the scheduler's next failed attempt
// makes (handleSchedulingFailure → updatePod in pkg/scheduler/schedule_one.go writes the
// PodScheduled condition when it is new or its message changed — always so once the node is
// gone: the node count in the message changes). ksim models no condition write: the run tells
// the controller of each failed attempt (schedulingFailed), which queues the set when the pod's
// target node is missing, so the pod is deleted at that attempt (the write's latency aside). Creates go out in slow-start batches of 1, 2, 4, ... pods, each batch sent
// when every create of the previous one has been answered, at most BurstReplicas (250) creates
// and 250 deletes per sync; a batch with a refused create ends the creates of the sync (the
// skipped pods are not expected) and the sync fails (upstream syncNodes: batchSize from
// controller.SlowStartInitialBatchSize, createWait, skippedPods → LowerExpectations, break).
import { merged } from '../api/values.js';
import type { Affinity, NodeSelectorTerm, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import { addTimeUs } from '../engine/time.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { RandomStream } from '../engine/random.js';
import { availableFromUs, isPodAvailable, isPodReady, minReadyUsOf, withSharedContainers, type PodInfo } from '../cluster/pod-info.js';
import { CONTROLLER_REVISION_HASH, templateRevisionHash } from './names.js';
import { scaledValue } from './deployment.js';
import { compareForPodGC } from './podgc.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { compileNodeSelector, matchesNodeSelectorMap } from '../api/labels.js';
import { matchToleration, sameToleration, tolerationsTolerateTaint } from '../api/taints.js';
import { PodNames } from './names.js';
import { ownedPodMetadata } from './pod-metadata.js';
import { ControllerRateLimiter, endSync, heardForeignPod, queueSync, slowStartBatch, wakeAt } from './work-queue.js';
import { KindInformer } from './informer.js';
import { daemonSetOldRevisions } from './snapshot-revisions.js';

/** Upstream daemon_controller.go BurstReplicas: creates (and deletes) per sync. */
export const BURST_REPLICAS = 250;

export { CONTROLLER_REVISION_HASH };

/** The DaemonSet controller's failed-pod backoff (upstream cmd/kube-controller-manager/app/apps.go
 * newDaemonSetController: flowcontrol.NewBackOff(1*time.Second, 15*time.Minute)): the delay
 * before it deletes a node's next failed daemon pod, doubled at each deletion, capped. */
export const FAILED_POD_BACKOFF_INITIAL_US = 1_000_000;
export const FAILED_POD_BACKOFF_MAX_US = 900_000_000;

/** The revision hash of a DaemonSet's template (upstream constructHistory: the current
 * ControllerRevision's hash), the label value of its pods: names.ts templateRevisionHash. */
export function daemonSetRevisionHash(ds: ObjectOf<'DaemonSet'>): string {
  return templateRevisionHash((ds.spec ?? {}).template);
}

/** A DaemonSet's update strategy after upstream's defaulting (SetDefaults_DaemonSet: type
 * RollingUpdate, maxUnavailable 1, maxSurge 0), with its counts for `desired` nodes (the desired
 * number scheduled): both rounded up from a percentage (util.UnavailableCount, util.SurgeCount:
 * GetScaledValueFromIntOrPercent(…, true)); both 0 (only possible with no desired node) makes
 * maxUnavailable 1 (update.go updatedDesiredNodeCounts). null: OnDelete. */
export function rollingUpdateCounts(ds: ObjectOf<'DaemonSet'>, desired: number): { maxSurge: number; maxUnavailable: number } | null {
  const us = ds.spec?.updateStrategy;
  if (us?.type === 'OnDelete') return null;
  const ru = us?.rollingUpdate ?? undefined;
  const maxSurge = scaledValue(ru?.maxSurge ?? 0, desired, true);
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? 1, desired, true);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Upstream util.AllowsSurge: a RollingUpdate whose maxSurge is above 0 (SurgeCount of 1 node). */
export function allowsSurge(ds: ObjectOf<'DaemonSet'>): boolean {
  return (rollingUpdateCounts(ds, 1)?.maxSurge ?? 0) > 0;
}

/** Tolerations every daemon pod gets (upstream daemonset_util.go AddOrUpdateDaemonPodTolerations). */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** The template's tolerations with each daemon toleration added or updated, in order, as upstream
 * AddOrUpdateDaemonPodTolerations does through AddOrUpdateTolerationInPodSpec
 * (pkg/apis/core/v1/helper/helpers.go): a template toleration that matches one (same key,
 * operator, value and effect: Toleration.MatchToleration) is replaced by it, so a template's
 * `not-ready` NoExecute toleration with tolerationSeconds becomes one without a limit; one equal
 * in every field is left as it is; otherwise the daemon toleration is appended. */
function withDaemonTolerations(tolerations: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  let out: Toleration[] = [...(tolerations ?? [])];
  for (const d of daemonPodTolerations(hostNetwork)) out = addOrUpdateToleration(out, d);
  return out;
}

function addOrUpdateToleration(tolerations: Toleration[], t: Toleration): Toleration[] {
  const out: Toleration[] = [];
  let updated = false;
  for (const x of tolerations) {
    if (matchToleration(t, x)) {
      if (sameToleration(t, x)) return tolerations;
      out.push(t);
      updated = true;
      continue;
    }
    out.push(x);
  }
  if (!updated) out.push(t);
  return out;
}

/** Upstream NodeShouldRunDaemonPod (pkg/controller/daemon/daemon_controller.go): whether a new
 * daemon pod should go to `node`, and whether an existing one may stay; `reason` says why not
 * when shouldRun is false (for `ksim explain`): the template's nodeName, nodeSelector or
 * required node affinity, else the first untolerated NoSchedule/NoExecute taint. */
export function nodeShouldRunDaemonPod(pod: Pod, node: NodeInfo): { shouldRun: boolean; shouldContinueRunning: boolean; reason?: string } {
  const spec = pod.spec ?? { containers: [] };
  const no = (reason: string) => ({ shouldRun: false, shouldContinueRunning: false, reason });
  if (spec.nodeName !== undefined && spec.nodeName !== '' && spec.nodeName !== node.name) return no(`the template's nodeName is ${spec.nodeName}`);
  if (!matchesNodeSelectorMap(spec.nodeSelector, node.labels)) return no("the node doesn't match the template's nodeSelector");
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req != null && !compileNodeSelector(req, undefined, { invalidTerms: 'matchNothing' }).matches(node)) return no("the node doesn't match the template's required node affinity");
  let untolerated: Taint | null = null;
  const taints: Taint[] = [...node.taints];
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerationsTolerateTaint(spec.tolerations, taint)) continue;
    if (taint.effect === 'NoExecute') return no(`untolerated taint ${taintString(taint)}`);
    untolerated ??= taint;
  }
  if (untolerated !== null) return { shouldRun: false, shouldContinueRunning: true, reason: `untolerated taint ${taintString(untolerated)}` };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** Upstream Taint.ToString: "key=value:Effect", "key:Effect" without a value. */
function taintString(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** The pod a DaemonSet's template makes before it is pinned to a node, with the daemon
 * tolerations (upstream util.NewPod without the node name): what nodeShouldRunDaemonPod checks. */
export function daemonTemplatePod(ds: ObjectOf<'DaemonSet'>): Pod {
  const t = (ds.spec ?? {}).template ?? {};
  const spec = t.spec ?? { containers: [] };
  return { apiVersion: 'v1', kind: 'Pod', metadata: t.metadata ?? {}, spec: { ...spec, tolerations: withDaemonTolerations(spec.tolerations, spec.hostNetwork === true) } };
}

/** The spec of the pod the controller creates for `node` (upstream syncNodes: the template with
 * the daemon tolerations, util.CreatePodTemplate, and the node-name affinity,
 * ReplaceDaemonSetPodNodeNameNodeAffinity). A fresh spec per pod over the template's parts: the
 * run replaces whole fields of a pod's spec (nodeName, priority, the tolerations and affinity
 * here) and writes into no nested part. */
export function daemonPodSpec(ds: ObjectOf<'DaemonSet'>, node: string): NonNullable<Pod['spec']> {
  const t = (ds.spec ?? {}).template ?? {};
  const spec = merged<NonNullable<Pod['spec']>>(withSharedContainers(t.spec ?? { containers: [] }));
  spec.tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
  spec.affinity = withNodeNameAffinity(spec.affinity, node);
  return spec;
}

interface DsState {
  obj: ObjectOf<'DaemonSet'>;
  readonly pods: Set<PodInfo>;
  /** Nodes with a pod create in flight. */
  readonly creating: Set<string>;
  /** Pods whose deletion was issued and not yet observed. */
  readonly deleting: Set<PodInfo>;
  syncQueued: boolean;
  deleted: boolean;
  /** Failed syncs since the last successful one, and the pending retry (work-queue.ts). */
  failures: number;
  retry: SimEvent | null;
  /** A sync was asked for while this one's creates were in flight (see replicaset.ts). */
  dirty: boolean;
  /** Deletes the current sync may still send (upstream deleteDiff capped at burstReplicas). */
  deleteBudget: number;
  /** The revision hash of spec.template (daemonSetRevisionHash): the update revision. */
  hash: string;
  /** The revision of the template when the set was added: the one pods ksim did not make
   * (the start state's, a user's) are taken as, as their real hash label is upstream's. */
  readonly firstHash: string;
  /** Every revision hash ksim computed for the set, once its template first changed or its
   * snapshot pods were found of several revisions (null before: every pod is of the update
   * revision, and nothing per pod is read). */
  hashes: Set<string> | null;
  /** The controller-revision-hash values ('' for none) of the pods the set had at its first
   * sync (a cluster snapshot's) that are of an old revision (snapshot-revisions.ts
   * daemonSetOldRevisions), or null: none. Read once, at that sync. */
  oldLabels: Set<string> | null;
  /** Whether the first sync has looked at the pods it found (oldLabels). */
  classified: boolean;
  /** The last sync found a pod of an old revision not yet Terminating: a rollout is in
   * progress, so its pods' phase changes sync the set (upstream updatePod queues it on every
   * pod update; outside a rollout they have nothing to act on). */
  rolling: boolean;
  /** When a minReadySeconds wake will sync it (Infinity: none pending). */
  wakeUs: number;
  /** Its pods' metadata.generateName, `<set>-` (one string per set; pod-metadata.ts). */
  readonly generateName: string;
  /** The failed-pod backoff per node (upstream failedPodsBackoff, keyed by failedPodsBackoffKey:
   * the set's UID, status.observedGeneration and the node): flowcontrol.Backoff's entry, the
   * current delay and when it was last moved on (Next). null: none yet. */
  backoffs: Map<string, { backoffUs: number; lastUpdateUs: number }> | null;
  /** Its spec changed since the last sync (a new generation): the backoff entries, keyed by the
   * observedGeneration the sync then writes, start afresh after it. */
  newGeneration: boolean;
}

/** Which of a node's surplus daemon pods stays (the first): upstream podByCreationTimestampAndPhase
 * (pkg/controller/daemon/daemon_controller.go): a scheduled pod (spec.nodeName set) before an
 * unscheduled one, then the older creationTimestamp, which has whole seconds (as the pod garbage
 * collector compares it: compareForPodGC), then the name. */
export function compareDaemonPods(a: PodInfo, b: PodInfo): number {
  if (a.bound !== b.bound) return a.bound ? -1 : 1;
  return compareForPodGC(a, b);
}

export class DaemonSetController {
  private readonly sets: KindInformer<'DaemonSet', DsState>;

  private readonly podNames: PodNames;
  private readonly limiter = new ControllerRateLimiter();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    names: RandomStream,
    objects?: ObjectApi,
  ) {
    this.podNames = new PodNames(api.cluster, names);
    this.sets = new KindInformer<'DaemonSet', DsState>('DaemonSet', api, objects, {
      add: (o) => {
        const hash = daemonSetRevisionHash(o);
        const st: DsState = { obj: o, pods: new Set(), creating: new Set(), deleting: new Set(), syncQueued: false, deleted: false, failures: 0, retry: null, dirty: false, deleteBudget: 0, hash, firstHash: hash, hashes: null, oldLabels: null, classified: false, rolling: false, wakeUs: Infinity, generateName: `${o.metadata.name}-`, backoffs: null, newGeneration: false };
        this.enqueue(st);
        return st;
      },
      update: (st, o) => {
        const before = st.obj.spec?.template;
        // metadata.generation moves on with any change of the spec (upstream: the registry's
        // PrepareForUpdate); DaemonSet updates are rare, so comparing the specs costs nothing.
        if (st.backoffs !== null && JSON.stringify(o.spec) !== JSON.stringify(st.obj.spec)) st.newGeneration = true;
        st.obj = o;
        // A new template is a new revision (upstream constructHistory); one seen before is that
        // revision again (a rollback: its pods are up to date again).
        if (o.spec?.template !== before) {
          const hash = daemonSetRevisionHash(o);
          if (hash !== st.hash) (st.hashes ??= new Set([st.firstHash])).add(hash);
          st.hash = hash;
        }
        this.enqueue(st);
      },
      remove: (st) => {
        st.deleted = true; // its pods are the garbage collector's
      },
    });
    api.watch({
      nodeAdded: () => this.enqueueAll(),
      nodeUpdated: () => this.enqueueAll(),
      podAdded: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        if (heardForeignPod(st.pods, p, this.api.startingUp)) this.enqueue(st);
        else this.enqueueIfFailing(st);
      },
      podBound: (p) => {
        const st = this.owner(p);
        if (st !== undefined) this.enqueueIfFailing(st);
      },
      podPhaseChanged: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        if (p.terminal || st.rolling) this.enqueue(st);
        else this.enqueueIfFailing(st);
      },
      // Upstream updatePod: a pod that got a deletionTimestamp counts as deleted for the
      // expectations, so creates elsewhere need not wait for its termination.
      podTerminating: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        st.deleting.delete(p);
        this.enqueue(st);
      },
      podDeleted: (p) => this.podGone(p),
      // A cluster snapshot's finished pods (ClusterState.finishedAtStart: told to no watcher) are
      // the set's pods as upstream's pod informer lists them: its first sync deletes them
      // (podsShouldBeOnNode) and, once they are gone, fills their nodes.
      startStateCommitted: () => {
        for (const p of this.api.cluster.finishedAtStart.values()) {
          const st = p.ownerKind === 'DaemonSet' ? this.owner(p) : undefined;
          if (st === undefined) continue;
          st.pods.add(p);
          this.enqueue(st);
        }
      },
      finishedAtStartDeleted: (p) => this.podGone(p),
    });
  }

  private podGone(p: PodInfo): void {
    const st = this.owner(p);
    if (st === undefined) return;
    st.pods.delete(p);
    st.deleting.delete(p);
    this.enqueue(st);
  }

  /** The scheduler's failed attempt of pod `p` (see the module comment: upstream's PodScheduled
   * condition write and updatePod). A sync has work to do only when `p` is a daemon pod whose
   * target node is missing (getUnscheduledPodsWithoutNode), so only then is its set queued. */
  schedulingFailed(p: PodInfo): void {
    if (p.ownerKind !== 'DaemonSet' || p.bound || p.deleted) return;
    const node = targetNodeName(p);
    if (node === null || this.api.cluster.nodeByName.has(node)) return;
    const st = this.owner(p);
    if (st !== undefined) this.enqueue(st);
  }

  private owner(p: PodInfo): DsState | undefined {
    return this.sets.ownerOfPod(p);
  }

  private enqueueAll(): void {
    for (const st of this.sets.values()) this.enqueue(st);
  }

  private enqueue(st: DsState): void {
    queueSync(this.sim, 'daemonset.sync', st, (s) => this.sync(s));
  }

  /** Upstream addPod and updatePod queue the set on every event of its pods; for the pods this
   * controller made, such a sync only has work to do after a failed one, so ksim queues it only
   * then (see replicaset.ts). */
  private enqueueIfFailing(st: DsState): void {
    if (st.failures > 0) this.enqueue(st);
  }

  private sync(st: DsState): void {
    if (st.deleted) return;
    if (!st.classified) this.classify(st);
    if (st.creating.size > 0) {
      st.dirty = true; // this sync's creates are still in flight
      return;
    }
    // A deletion counts as done when the watch says so (podTerminating, podDeleted), not when
    // it has committed: a sync in between would see the pod neither deleted nor deleting.
    if (st.deleting.size > 0) return this.limiter.forget(st); // expectations not yet met: a successful sync
    st.deleteBudget = BURST_REPLICAS;
    const template = daemonTemplatePod(st.obj);
    const surge = allowsSurge(st.obj);
    // Pods by their target node (upstream getNodesToDaemonPods).
    const byNode = new Map<string, PodInfo[]>();
    const toCreate: string[] = [];
    let old = 0;
    for (const p of st.pods) {
      if (p.deleted) continue;
      const node = targetNodeName(p);
      if (node === null) continue; // upstream: logged and skipped
      let l = byNode.get(node);
      if (l === undefined) byNode.set(node, (l = []));
      l.push(p);
      if (st.hashes !== null && !p.terminating && !p.terminal && !this.updated(st, p)) old++;
    }
    // upstream manage → podsShouldBeOnNode, per node.
    let desired = 0;
    for (const n of this.api.cluster.nodes) {
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(template, n);
      if (shouldRun) desired++;
      const pods = byNode.get(n.name);
      if (pods === undefined) {
        if (shouldRun && st.deleting.size === 0) toCreate.push(n.name);
      } else if (!shouldContinueRunning) {
        for (const p of pods) if (!p.terminating) this.remove(st, p, 'node no longer eligible for the daemon pod');
      } else {
        // A Terminating pod is on its way out already. Without a surge it still holds the node
        // (no new pod while it is there); with one, a node left with no other pod gets its new
        // one at once ("we need to have at least one non-deleted pod on the node"). A finished
        // pod is deleted — a Failed one subject to the node's backoff (failedPod) — and holds the
        // node until it is gone, as a Terminating one does.
        const running: PodInfo[] = [];
        for (const p of pods) {
          if (p.terminating) continue;
          if (p.phase === 'Failed') this.failedPod(st, p, n.name);
          else if (p.phase === 'Succeeded') this.remove(st, p, 'succeeded daemon pod');
          else running.push(p);
        }
        if (running.length === 0) {
          if (surge && shouldRun && st.deleting.size === 0) toCreate.push(n.name);
        } else if (running.length > 1) {
          running.sort(compareDaemonPods);
          if (surge) this.pruneSurge(st, running);
          else for (const p of running.slice(1)) this.remove(st, p, 'surplus daemon pod');
        }
      }
    }
    // Pods whose target node does not exist: only the unscheduled ones (upstream
    // getUnscheduledPodsWithoutNode); a bound one is left to the pod garbage collector.
    byNode.forEach((pods, node) => {
      if (!this.api.cluster.nodeByName.has(node)) for (const p of pods) if (!p.bound) this.remove(st, p, 'unscheduled daemon pod of a node that does not exist');
    });
    // The sync's status write records the new generation (observedGeneration): later syncs key
    // the backoff afresh.
    if (st.newGeneration) {
      st.newGeneration = false;
      st.backoffs = null;
    }
    st.rolling = old > 0 && st.obj.spec?.updateStrategy?.type !== 'OnDelete';
    if (toCreate.length > 0) return this.createPods(st, toCreate.slice(0, BURST_REPLICAS));
    // upstream updateDaemonSet: the rolling update only once manage's writes are observed
    // (SatisfiedExpectations), so not in a sync that deleted or created anything.
    if (old > 0 && st.deleting.size === 0) {
      const counts = rollingUpdateCounts(st.obj, desired);
      if (counts !== null) {
        // Finished pods left (a Failed one in its backoff) are not counted by ksim's rollout.
        const live = new Map<string, PodInfo[]>();
        byNode.forEach((pods, node) => {
          const l = pods.filter((p) => !p.terminal);
          if (l.length > 0) live.set(node, l);
        });
        const more = counts.maxSurge === 0 ? this.rollingUpdate(st, template, live, counts.maxUnavailable) : this.surgingUpdate(st, template, live, counts.maxSurge, desired);
        if (more.length > 0) return this.createPods(st, more.slice(0, BURST_REPLICAS));
      }
    }
    this.limiter.forget(st);
  }

  /**
   * A Failed daemon pod on a node that should keep one (upstream podsShouldBeOnNode: "Found
   * failed daemon pod ... will try to kill it"): deleted unless the node's backoff holds it
   * (flowcontrol.Backoff IsInBackOffSinceUpdate: less than the current delay since the last
   * deletion), then the set syncs again that delay later (enqueueDaemonSetAfter with Get: the
   * whole delay, from now); a deletion moves the backoff on (Next: 1 s, doubled from the last
   * delay, 15 min at most, back to 1 s after 30 min without one). The replacement is made once
   * the deletion is observed. A kubelet that refuses every pod (OutOfcpu) so gets a new one
   * 1, 2, 4, ... s after each refusal.
   */
  private failedPod(st: DsState, p: PodInfo, node: string): void {
    const now = this.sim.now;
    const e = st.backoffs?.get(node);
    const expired = e === undefined || now - e.lastUpdateUs > 2 * FAILED_POD_BACKOFF_MAX_US;
    if (e !== undefined && !expired && now - e.lastUpdateUs < e.backoffUs) {
      wakeAt(this.sim, st, addTimeUs(now, e.backoffUs), 'daemonset.failed-pod-backoff', `${st.obj.metadata.namespace}/${st.obj.metadata.name}`, () => this.enqueue(st));
      return;
    }
    const backoffUs = expired ? FAILED_POD_BACKOFF_INITIAL_US : Math.min(e.backoffUs * 2, FAILED_POD_BACKOFF_MAX_US);
    (st.backoffs ??= new Map()).set(node, { backoffUs, lastUpdateUs: now });
    this.remove(st, p, `failed daemon pod on node ${node}`);
  }

  /** The first sync: the pods the set has then are a cluster snapshot's (ksim has made none
   * yet), caught perhaps in the middle of a rollout. Those of an old revision
   * (daemonSetOldRevisions: their pod-template-generation against the set's template
   * generation, else their specs against its template) are replaced as upstream's rolling
   * update replaces them (update.go rollingUpdate), from this sync on. */
  private classify(st: DsState): void {
    st.classified = true;
    if (st.pods.size === 0) return;
    const pods: Pod[] = [];
    for (const p of st.pods) if (!p.deleted && !p.terminal) pods.push(p.pod);
    st.oldLabels = daemonSetOldRevisions(st.obj, pods);
    if (st.oldLabels !== null) st.hashes ??= new Set([st.firstHash]);
  }

  /** Whether `p` is of the update revision: its controller-revision-hash label (upstream
   * util.IsPodUpdated); a pod whose label is none ksim made (the start state's, a user's) is of
   * an old revision when the first sync found its label one (oldLabels), else taken as of the
   * revision the set had when added. Only called once the template changed or the snapshot
   * showed several revisions. */
  private updated(st: DsState, p: PodInfo): boolean {
    const h = p.pod.metadata?.labels?.[CONTROLLER_REVISION_HASH];
    if (h !== undefined && (st.hashes as Set<string>).has(h)) return h === st.hash;
    if (st.oldLabels !== null && st.oldLabels.has(h ?? '')) return false;
    return st.firstHash === st.hash;
  }

  /** Ready (upstream podutil.IsPodReady): Running, and not on a NotReady node (the node
   * lifecycle controller marks its pods not Ready; ksim has no readiness probes); a deleted
   * node's pods keep the readiness they had (ClusterState.lastKnownNodes). */
  private ready(p: PodInfo): boolean {
    return isPodReady(p) && this.api.cluster.lastKnownNodes.get(p.nodeName ?? '')?.ready !== false;
  }

  /** Upstream podutil.IsPodAvailable with the set's minReadySeconds; a pod Ready but not yet
   * available syncs the set again when it is (upstream updateDaemonSetStatus requeues the set
   * minReadySeconds after a sync that found numberReady ≠ numberAvailable, which the sync its
   * turning Ready queued did). */
  private available(st: DsState, p: PodInfo): boolean {
    const nodes = this.api.cluster.lastKnownNodes;
    if (!isPodAvailable(p, nodes)) return false;
    const minReadyUs = minReadyUsOf(st.obj.spec);
    if (minReadyUs === 0) return true;
    const at = availableFromUs(p, nodes, minReadyUs);
    if (at <= this.sim.now) return true;
    if (at < st.wakeUs) wakeAt(this.sim, st, at, 'daemonset.min-ready', `${st.obj.metadata.namespace}/${st.obj.metadata.name}`, () => this.enqueue(st));
    return false;
  }

  /** Upstream podsShouldBeOnNode with a surge: of a node's running pods (oldest first) the oldest
   * of the update revision and the oldest of an old one stay, the others go; the old one goes
   * too once it is not Ready, or once the new one is available. */
  private pruneSurge(st: DsState, running: readonly PodInfo[]): void {
    let oldestNew: PodInfo | undefined;
    let oldestOld: PodInfo | undefined;
    for (const p of running) {
      if (st.hashes === null || this.updated(st, p)) {
        if (oldestNew === undefined) {
          oldestNew = p;
          continue;
        }
      } else if (oldestOld === undefined) {
        oldestOld = p;
        continue;
      }
      this.remove(st, p, 'surplus daemon pod');
    }
    if (oldestNew !== undefined && oldestOld !== undefined && (!this.ready(oldestOld) || this.available(st, oldestNew))) this.remove(st, oldestOld, 'daemon pod of an old revision replaced (rolling update)');
  }

  /** A node's pods not Terminating as upstream findUpdatedPodsOnNode sorts them: the one of the
   * update revision and the old one, or null when there are several of either. */
  private podsOnNode(st: DsState, pods: readonly PodInfo[] | undefined): { newPod: PodInfo | undefined; oldPod: PodInfo | undefined } | null {
    let newPod: PodInfo | undefined;
    let oldPod: PodInfo | undefined;
    for (const p of pods ?? []) {
      if (p.terminating) continue;
      if (this.updated(st, p)) {
        if (newPod !== undefined) return null;
        newPod = p;
      } else {
        if (oldPod !== undefined) return null;
        oldPod = p;
      }
    }
    return { newPod, oldPod };
  }

  /**
   * Upstream rollingUpdate (pkg/controller/daemon/update.go) without a surge: old pods are
   * deleted, and manage makes the new one on the node once the old one is gone, keeping at most
   * maxUnavailable of the desired nodes unavailable. A node counts as unavailable when it has no
   * pod, a pod being deleted only, two of a revision, or a new pod not yet available
   * (minReadySeconds); an old pod not available is deleted at once (and counts), then available
   * old pods are deleted while the count stays within maxUnavailable. Upstream walks the nodes
   * in Go map order (unspecified); ksim in the cluster's node order, so the candidates are the
   * first old pods by node. Nodes the pods are on but should not run one (a new NoSchedule
   * taint) take part as upstream's do. Returns no node to create on (manage creates).
   */
  private rollingUpdate(st: DsState, template: Pod, byNode: ReadonlyMap<string, PodInfo[]>, maxUnavailable: number): string[] {
    let numUnavailable = 0;
    const replace: PodInfo[] = [];
    const candidates: PodInfo[] = [];
    for (const n of this.api.cluster.nodes) {
      const pods = byNode.get(n.name);
      if (pods === undefined && !nodeShouldRunDaemonPod(template, n).shouldRun) continue;
      const found = this.podsOnNode(st, pods);
      if (found === null) {
        numUnavailable++; // the manage loop prunes the node first
        continue;
      }
      const { newPod, oldPod } = found;
      if (oldPod === undefined || newPod !== undefined) {
        if (oldPod !== undefined || newPod === undefined || !this.available(st, newPod)) numUnavailable++;
      } else if (!this.available(st, oldPod)) {
        replace.push(oldPod);
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) {
        candidates.push(oldPod);
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    for (const p of replace) this.remove(st, p, 'daemon pod of an old revision, not available (rolling update)');
    for (let i = 0; i < remaining; i++) this.remove(st, candidates[i] as PodInfo, 'daemon pod of an old revision (rolling update)');
    return [];
  }

  /**
   * Upstream rollingUpdate with a surge (maxUnavailable 0): a new pod is made beside an old one
   * on up to maxSurge nodes at a time (at once beside an old pod not available), and the old pod
   * is deleted once the new one is available. A node counts against the surge while its new pod
   * is not yet available or it has several pods of a revision. Old pods on nodes that should no
   * longer run one go only while more pods are available than nodes want one. Returns the
   * nodes to create new pods on. Nodes in the cluster's order (upstream: Go map order).
   */
  private surgingUpdate(st: DsState, template: Pod, byNode: ReadonlyMap<string, PodInfo[]>, maxSurge: number, desired: number): string[] {
    let numSurge = 0;
    let numAvailable = 0;
    const allowed: string[] = [];
    const candidates: string[] = [];
    const shouldNotRun: PodInfo[] = [];
    const toDelete: PodInfo[] = [];
    for (const n of this.api.cluster.nodes) {
      const pods = byNode.get(n.name);
      const shouldRun = nodeShouldRunDaemonPod(template, n).shouldRun;
      if (pods === undefined && !shouldRun) continue;
      const found = this.podsOnNode(st, pods);
      if (found === null) {
        numSurge++;
        continue;
      }
      const { newPod, oldPod } = found;
      if (oldPod !== undefined ? this.available(st, oldPod) : newPod !== undefined && this.available(st, newPod)) numAvailable++;
      if (oldPod === undefined) continue;
      if (newPod === undefined) {
        if (!this.available(st, oldPod)) {
          if (!shouldRun) toDelete.push(oldPod);
          else allowed.push(n.name);
        } else if (!shouldRun) shouldNotRun.push(oldPod);
        else if (numSurge < maxSurge) candidates.push(n.name);
      } else if (!this.available(st, newPod)) numSurge++;
      else toDelete.push(oldPod);
    }
    // "With maxSurge, the application owner expects 100% availability": an old pod on a node
    // that should not run one goes only while more pods are available than nodes want one.
    const deletable = Math.min(numAvailable - desired, shouldNotRun.length);
    for (let i = 0; i < deletable; i++) toDelete.push(shouldNotRun[i] as PodInfo);
    for (const p of toDelete) this.remove(st, p, 'daemon pod of an old revision replaced (rolling update)');
    const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidates.length);
    return [...allowed, ...candidates.slice(0, remaining)];
  }

  /** Creates a pod on each of `nodes` in slow-start batches (upstream syncNodes' batch loop;
   * work-queue.ts slowStartBatch); a refused create ends the sync, which failed. */
  private createPods(st: DsState, nodes: readonly string[]): void {
    slowStartBatch(
      nodes.length,
      Infinity,
      (i, done) => {
        this.create(st, nodes[i] as string, done);
        return true;
      },
      (created, refused) => endSync(this.sim, 'daemonset.sync', st, this.limiter, (s) => this.sync(s), created, refused),
    );
  }

  private remove(st: DsState, p: PodInfo, reason: string): void {
    if (st.deleting.has(p) || st.deleteBudget <= 0) return; // the rest: a later sync
    st.deleteBudget--;
    st.deleting.add(p);
    this.api.deletePod(p, reason);
  }

  private create(st: DsState, node: string, done: (ok: boolean) => void): void {
    const pod = this.newPod(st, node);
    const key = this.podNames.keyFor(pod);
    st.creating.add(node);
    this.api.createPod(
      pod,
      (p) => {
        this.podNames.release(key);
        st.creating.delete(node);
        if (p !== null) st.pods.add(p);
        done(p !== null);
      },
      key,
    );
  }

  private newPod(st: DsState, node: string): Pod {
    const t = (st.obj.spec ?? {}).template ?? {};
    const md = st.obj.metadata;
    const tmd = t.metadata ?? {};
    const spec = daemonPodSpec(st.obj, node);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: ownedPodMetadata(tmd, this.podNames.reserve(md.namespace, md.name), md.namespace, { ...(tmd.labels ?? {}), [CONTROLLER_REVISION_HASH]: st.hash }, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true }, st.generateName),
      spec,
    };
  }
}

/** Upstream util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity is
 * replaced by one term `matchFields metadata.name In [node]` (the controller has already checked
 * the original affinity against the node); preferred terms are kept. */
export function withNodeNameAffinity(affinity: Affinity | undefined, node: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  return { ...(affinity ?? {}), nodeAffinity: { ...(affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}

/** Upstream util.GetTargetNodeName (pkg/controller/daemon/util/daemonset_util.go): the node a
 * pod is bound to (spec.nodeName), else the one its node-name affinity pins it to, else none. */
function targetNodeName(p: PodInfo): string | null {
  // A snapshot's finished pod is bound (spec.nodeName) but placed nowhere (nodeName null).
  if (p.bound) {
    const name = p.nodeName ?? p.pod.spec?.nodeName;
    if (name !== undefined && name !== '') return name;
  }
  return pinnedNode(p);
}

/** The node a daemon pod's `matchFields metadata.name In [node]` pins it to (the affinity part
 * of upstream GetTargetNodeName). */
function pinnedNode(p: PodInfo): string | null {
  const terms = p.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  // The first `metadata.name In` requirement decides; more than one value is no target.
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.length === 1 ? (f.values[0] ?? null) : null;
  return null;
}

