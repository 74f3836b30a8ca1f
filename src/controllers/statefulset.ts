// StatefulSet controller (upstream pkg/controller/statefulset/stateful_set_control.go,
// updateStatefulSet / processReplica / processCondemned, simplified), acting through API writes:
//  - pods are named <set>-<start> … <set>-(start+replicas−1), start being spec.ordinals.start
//    (default 0; upstream getStartOrdinal / getEndOrdinal, stateful_set_utils.go, KEP-3335), and
//    labelled statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index (the ordinal;
//    upstream newStatefulSetPod, with spec.hostname = the pod name and spec.subdomain =
//    serviceName). A pod whose ordinal is outside that range is condemned (upstream
//    podInOrdinalRange), so a changed start replaces the pods below it too;
//  - a missing ordinal is created; a pod that ended (Succeeded or Failed: ksim's kubelet ends a
//    pod when its run duration is over) is deleted, and created again with the same name at the
//    first sync after its deletion was observed (upstream "Delete and recreate pods which
//    finished running", which ends an OrderedReady sync; Parallel goes on with the others);
//  - podManagementPolicy OrderedReady (the default, "monotonic"): ordinal i is created only
//    once 0..i−1 are Running on Ready nodes (ksim has no readiness probes: Ready means Running,
//    as for Deployments, and a pod on a node gone NotReady is not Ready) and, with
//    minReadySeconds, available: Ready that long (upstream isRunningAndAvailable, since it
//    started Running or its node turned Ready again; the controller syncs again when it is, as
//    upstream requeues the set); each sync creates at most one pod and stops at the first pod not yet
//    Running (or not yet available). A scale-down likewise waits for a kept pod to be available,
//    and a condemned pod Ready but not yet available blocks unless it is the first unhealthy one
//    (upstream processCondemned). Scale down removes the highest ordinal first, one at a time, and only while
//    every pod it keeps is Running and Ready; a condemned pod that is not Ready is deleted only
//    when it is the lowest-ordinal unhealthy pod (upstream processCondemned and
//    firstUnhealthyPod), so with two condemned pods not Ready the scale-down waits;
//  - Parallel: every missing ordinal is created and every surplus pod deleted in one sync. The
//    ordinals start .. start+replicas−1 are processed in slow-start batches of 1, 2, 4, ... (at most
//    MaxBatchSize 500), a batch's creates sent when every create of the previous batch has been
//    answered; an ordinal whose pod exists costs no request, so a batch without a missing
//    ordinal passes at once; a batch with a refused create ends the sync (upstream runForAll →
//    slowStartBatch when not monotonic, stateful_set_control.go).
// Like the ReplicaSet controller it waits for its own writes to be observed (expectations)
// before the next sync, and a sync with a refused create failed: the set is retried through the
// work queue's rate limiter (upstream StatefulSetController: DefaultTypedControllerRateLimiter,
// processNextWorkItem → AddRateLimited, Forget on success; work-queue.ts).
// Revisions (upstream ControllerRevisions, getStatefulSetRevisions): a changed template makes a
// new update revision and the set's current revision stays the template its pods were made from
// until every pod is of the update revision and Ready (upstream completeRollingUpdate, with
// updateStrategy RollingUpdate); a template an earlier revision had is that revision again (a
// rollback). A pod created while the two differ is made from the current revision's template
// when its ordinal is below start + rollingUpdate.partition (or, with type RollingUpdate set and
// no rollingUpdate, below start + the current replicas of the last sync), else from the update
// revision (upstream newVersionedStatefulSetPod, stateful_set_utils.go); OnDelete always makes
// the update revision. Pods of the start state are taken as of the set's template then, unless
// the set's status (a snapshot's) names a current revision other than its update revision: a
// rollout the snapshot caught, which goes on (upstream getStatefulSetRevisions and
// getPodRevision): a pod whose controller-revision-hash label is status.updateRevision is of
// spec.template, the others of the current revision, whose template (a ControllerRevision the
// dump lacks) is read from the first of them (snapshot-revisions.ts templateOfStatefulSetPod).
// The rolling update (updateStrategy RollingUpdate, upstream updateStatefulSet after
// processCondemned, with the MaxUnavailableStatefulSet feature gate off, v1.36's default): once
// processReplica and processCondemned did not end the sync, the pods of an old revision at
// ordinals ≥ start + partition are deleted highest first, one a sync, each only once every pod
// above it is of the update revision and Running, Ready and available (minReadySeconds,
// whatever the podManagementPolicy: upstream isUnavailable since kubernetes PR #130909); a pod of an old revision is deleted whatever its health
// (Parallel reaches an unhealthy one; OrderedReady waits for every pod to be Ready before it
// gets there). The deleted pod terminates (terminationGracePeriodSeconds) and the set makes it
// again under the same name once it is gone, from the update revision (rollingUpdate).
// rollingUpdate.maxUnavailable is not used (the gate is off: upstream's API server drops it).
// Every pod is labelled controller-revision-hash = the name of the revision it was made from,
// `<set>-<hash>` (upstream setPodRevision, ControllerRevisionName; names.ts templateRevisionHash:
// ksim's hash, not upstream's; a snapshot's set keeps its status revision names). A set whose
// name is over 52 characters gets its pod creates refused when that label is over 63
// characters (invalidPodLabels: a 53-character name with a 10-character hash).
// Not modelled: ControllerRevision objects and the status revisions the controller would write,
// volumeClaimTemplates,
// slow-start batches of Parallel deletes (upstream processCondemned goes through runForAll too;
// ksim sends them at once), and in Parallel the creates are answered after processCondemned and
// the rolling update have run (upstream waits for them: a refused create ends its sync there).
import { merged } from '../api/values.js';
import { templateKey } from '../api/template-defaults.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import { availableFromUs, isPodReady, minReadyUsOf, withSharedContainers, type PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { ownedPodMetadata } from './pod-metadata.js';
import { ControllerRateLimiter, endSync, queueSync, slowStartBatch, wakeAt } from './work-queue.js';
import { KindInformer } from './informer.js';
import { ofUpdateRevision, statefulSetSnapshotRevisions, templateOfStatefulSetPod } from './snapshot-revisions.js';
import { CONTROLLER_REVISION_HASH, controllerRevisionName, templateRevisionHash } from './names.js';

export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Upstream stateful_set_control.go MaxBatchSize: the largest slow-start batch. */
export const MAX_BATCH_SIZE = 500;
/** validation.LabelValueMaxLength, and a DNS label's longest (spec.hostname). */
const LABEL_VALUE_MAX_LENGTH = 63;

interface SetState {
  obj: ObjectOf<'StatefulSet'>;
  /** Live pods by ordinal. */
  readonly pods: Map<number, PodInfo>;
  /** Ordinals whose create is in flight. */
  readonly creating: Set<number>;
  /** Pods whose deletion was issued and not yet observed. */
  readonly deleting: Set<PodInfo>;
  syncQueued: boolean;
  deleted: boolean;
  /** Failed syncs since the last successful one, and the pending retry (work-queue.ts). */
  failures: number;
  retry: SimEvent | null;
  /** A sync was asked for while this one's creates were in flight. */
  dirty: boolean;
  /** When a minReadySeconds wake will sync it (Infinity: none pending). */
  wakeUs: number;
  /** The update revision: the number of spec.template's revision (0: the template at add). */
  updateRev: number;
  /** The current revision while it differs from the update revision (upstream
   * status.currentRevision and its ControllerRevision's template), else null. */
  current: { readonly rev: number; readonly template: PodTemplate } | null;
  /** Revision numbers by template key (templateKey), computed once the template first changes. */
  history: Map<string, number> | null;
  /** The ControllerRevision name of each revision number (revisionNames), which the pods made
   * from it carry as their controller-revision-hash label. */
  readonly revNames: string[];
  /** The revision each live pod was made from (while `current` is not null, or once it was). */
  readonly revs: Map<PodInfo, number>;
  /** status.currentReplicas as the last sync wrote it (upstream: pods of the current revision). */
  currentReplicas: number;
  /** A snapshot's set caught mid-rollout (statefulSetSnapshotRevisions): the ControllerRevision
   * name of its update revision, which its pods of that revision carry as their
   * controller-revision-hash label, and whether the current revision's template has been read
   * from one of its pods yet; null otherwise. */
  snapshot: { readonly update: string; templateRead: boolean } | null;
}

type PodTemplate = NonNullable<NonNullable<ObjectOf<'StatefulSet'>['spec']>['template']>;

export class StatefulSetController {
  private readonly sets: KindInformer<'StatefulSet', SetState>;
  private readonly limiter = new ControllerRateLimiter();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    objects?: ObjectApi,
  ) {
    this.sets = new KindInformer<'StatefulSet', SetState>('StatefulSet', api, objects, {
      add: (o) => {
        const revisions = statefulSetSnapshotRevisions(o);
        const st: SetState = { obj: o, pods: new Map(), creating: new Set(), deleting: new Set(), syncQueued: false, deleted: false, failures: 0, retry: null, dirty: false, wakeUs: Infinity, updateRev: 0, current: null, history: null, revNames: revisionNames(o, revisions), revs: new Map(), currentReplicas: 0, snapshot: null };
        // A snapshot's set caught mid-rollout: its status names two revisions (upstream
        // getStatefulSetRevisions: status.currentRevision's ControllerRevision and the one of
        // spec.template). The update revision is spec.template's (0); the current one (1) has its
        // template in a ControllerRevision the dump lacks, read from one of its pods when they
        // are added (templateOfStatefulSetPod; spec.template until then).
        if (revisions !== null) {
          st.history = new Map([[templateKey(o.spec?.template ?? {}, { annotations: [WORKLOAD_ANNOTATION] }), 0], [`snapshot revision ${revisions.current}`, 1]]);
          st.current = { rev: 1, template: o.spec?.template ?? {} };
          st.currentReplicas = revisions.currentReplicas;
          st.snapshot = { update: revisions.update, templateRead: false };
        }
        this.enqueue(st);
        return st;
      },
      update: (st, o) => {
        const before = st.obj.spec?.template;
        st.obj = o;
        if (o.spec?.template !== before) newRevision(st, before);
        this.enqueue(st);
      },
      remove: (st) => {
        st.deleted = true; // its pods are the garbage collector's
      },
    });
    api.watch({
      // A node turning NotReady marks its pods not Ready (upstream node lifecycle
      // MarkPodsNotReady) and its return Ready again (the kubelet's status): both are pod
      // updates their StatefulSets sync on.
      nodeUpdated: (n, before, after) => {
        if (before.ready === after.ready) return;
        for (const p of n.pods) {
          const st = this.owner(p);
          if (st !== undefined) this.enqueue(st);
        }
      },
      podAdded: (p) => {
        const st = this.owner(p);
        const ord = st === undefined ? -1 : ordinalOf(st, p);
        if (st !== undefined && ord >= 0) {
          st.pods.set(ord, p);
          if (st.snapshot !== null && this.api.startingUp) {
            // A pod of a snapshot's set caught mid-rollout: of the update revision when its
            // controller-revision-hash label is status.updateRevision (upstream getPodRevision),
            // else of the current one, whose template the first such pod shows.
            if (ofUpdateRevision(p.pod, st.snapshot.update)) st.revs.set(p, st.updateRev);
            else if (st.current !== null) {
              st.revs.set(p, st.current.rev);
              if (!st.snapshot.templateRead) {
                st.snapshot.templateRead = true;
                st.current = { rev: st.current.rev, template: templateOfStatefulSetPod(p.pod, [STATEFULSET_POD_NAME_LABEL, POD_INDEX_LABEL]) };
              }
            }
          }
          // Not made by this controller (the start state's): of the update revision. Its own
          // creates set the revision they made (createPods).
          if (st.history !== null && !st.revs.has(p)) st.revs.set(p, st.updateRev);
        }
      },
      podPhaseChanged: (p) => {
        const st = this.owner(p);
        if (st !== undefined) this.enqueue(st);
      },
      // A Terminating pod keeps its ordinal until it is gone (at most one pod per identity).
      podTerminating: (p) => {
        const st = this.owner(p);
        if (st !== undefined) this.enqueue(st);
      },
      podDeleted: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        const ord = ordinalOf(st, p);
        if (st.pods.get(ord) === p) st.pods.delete(ord);
        st.deleting.delete(p);
        st.revs.delete(p);
        this.enqueue(st);
      },
    });
  }

  /** Live pod names of a StatefulSet by ordinal, and their phases (tests). */
  podsOf(namespace: string, name: string): string[] {
    const st = this.sets.get(namespace, name);
    if (st === undefined) return [];
    return [...st.pods.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => `${p.name}:${p.phase}`);
  }

  private owner(p: PodInfo): SetState | undefined {
    return this.sets.ownerOfPod(p);
  }

  private enqueue(st: SetState): void {
    if (st.deleted) return;
    queueSync(this.sim, 'statefulset.sync', st, (s) => this.sync(s));
  }

  private sync(st: SetState): void {
    if (st.deleted) return;
    if (st.creating.size > 0) {
      st.dirty = true; // this sync's creates are still in flight
      return;
    }
    // Upstream updateStatefulSet: processReplica, processCondemned, then (unless one of them
    // ended the sync) the rolling update; the revisions only exist once the template changed.
    const updating = !this.manage(st) && st.history !== null && this.rollingUpdate(st);
    if (st.current !== null) this.completeRollingUpdate(st, updating);
    if (st.creating.size === 0) this.limiter.forget(st); // created nothing: a successful sync
  }

  /** The rolling update (upstream updateStatefulSet after processCondemned, with the
   * MaxUnavailableStatefulSet feature gate off, its default in v1.36: kube_features.go, demoted
   * by kubernetes#137904, so rollingUpdate.maxUnavailable is not used and the API server drops
   * it). Nothing with updateStrategy OnDelete. Else from the highest ordinal down to start +
   * partition (0 with type RollingUpdate and no rollingUpdate): the first pod not of the update
   * revision and not terminating is deleted, and the sync ends; the first pod of the update
   * revision that is unavailable (upstream isUnavailable: not Running and Ready, terminating, or
   * not Ready for minReadySeconds, whatever the podManagementPolicy, since kubernetes PR #130909
   * in v1.34) ends it too, so one pod is replaced at a time, each once the one above is
   * available again. The replacement is made
   * by processReplica at a sync after the deleted pod is gone (its ordinal is then missing; a
   * Terminating pod keeps it), from the update revision at and above start + partition
   * (newVersionedStatefulSetPod). An ordinal without a pod (its create in flight) is not
   * available. Whether it deleted a pod (upstream status.CurrentReplicas--). Reads only what
   * the set has: no allocation. */
  private rollingUpdate(st: SetState): boolean {
    const spec = st.obj.spec ?? {};
    const us = (spec as { updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } | null } }).updateStrategy;
    if (us?.type === 'OnDelete') return false;
    // SetDefaults_StatefulSet: no updateStrategy is RollingUpdate with partition 0.
    const partition = us?.rollingUpdate?.partition ?? 0;
    const start = startOrdinal(st);
    const minReadyUs = minReadyUsOf(spec);
    for (let target = start + (spec.replicas ?? 1) - 1; target >= start + partition; target--) {
      const p = st.pods.get(target);
      if (p === undefined) return false;
      if (st.revs.get(p) !== st.updateRev && !p.terminating) {
        // A deletion sent and not yet observed is not sent again (upstream would send it again).
        this.deleteOnce(st, p, 'statefulset rolling update');
        return true;
      }
      // Upstream isUnavailable(pod, minReadySeconds), whatever the podManagementPolicy (since
      // kubernetes PR #130909, v1.34: "StatefulSet now respects minReadySeconds").
      if (!this.runningAndReady(p) || p.terminating || this.notYetAvailable(st, p, minReadyUs)) return false;
    }
    return false;
  }

  /** The end of a sync while the current revision differs from the update revision (upstream
   * updateStatefulSetStatus → completeRollingUpdate): with updateStrategy RollingUpdate, once
   * every pod (status.replicas: all the set's pods, the ones whose create this sync sent too) is
   * of the update revision and not terminating, and Running and Ready, the update revision
   * becomes the current one; status.currentReplicas counts the pods of the current revision,
   * less the one the rolling update deleted in this sync (`updating`: upstream
   * status.CurrentReplicas--). */
  private completeRollingUpdate(st: SetState, updating: boolean): void {
    const current = st.current as NonNullable<SetState['current']>;
    let replicas = st.creating.size;
    let ready = 0;
    let updated = 0;
    let atCurrent = 0;
    for (const ord of st.creating) {
      if (this.usesCurrent(st, ord)) atCurrent++;
      else updated++;
    }
    for (const p of st.pods.values()) {
      replicas++;
      if (this.runningAndReady(p)) ready++;
      if (p.terminating) continue;
      const rev = st.revs.get(p);
      if (rev === st.updateRev) updated++;
      else if (rev === current.rev) atCurrent++;
    }
    if (updateStrategyOf(st).type === 'RollingUpdate' && updated === replicas && ready === replicas) {
      st.current = null;
      st.currentReplicas = updated;
    } else {
      st.currentReplicas = atCurrent - (updating ? 1 : 0);
    }
  }

  /** Whether a pod created now at `ordinal` is of the current revision (upstream
   * newVersionedStatefulSetPod: RollingUpdate with rollingUpdate, below start + partition;
   * RollingUpdate without it, below start + status.currentReplicas; OnDelete, never). */
  private usesCurrent(st: SetState, ordinal: number): boolean {
    if (st.current === null) return false;
    const us = updateStrategyOf(st);
    if (us.type !== 'RollingUpdate') return false;
    const ru = us.rollingUpdate;
    return ordinal < startOrdinal(st) + (ru !== undefined && ru !== null ? (ru.partition ?? 0) : st.currentReplicas);
  }

  /** processReplica and processCondemned (upstream updateStatefulSet); whether the sync ended
   * there (upstream runForAll's shouldExit: OrderedReady waiting, creating or deleting). */
  private manage(st: SetState): boolean {
    for (const p of st.deleting) if (p.deleted) st.deleting.delete(p);
    const spec = st.obj.spec ?? {};
    const replicas = spec.replicas ?? 1;
    const start = startOrdinal(st);
    const end = start + replicas; // exclusive
    const monotonic = (spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const minReadyUs = monotonic ? minReadyUsOf(spec) : 0;
    // processReplica for ordinals start .. end−1, in order; Parallel collects the missing ones
    // for the slow-start batches. There are no pod expectations (upstream's StatefulSet
    // controller has none): a deletion already sent is not sent again, and only what waits on it
    // waits.
    const missing = new Set<number>();
    for (let i = start; i < end; i++) {
      const p = st.pods.get(i);
      if (p !== undefined && p.terminal) {
        this.deleteOnce(st, p, 'statefulset pod finished');
        // Upstream: the new pod is made on a sync after the deletion is observed. OrderedReady
        // ends the sync here; Parallel goes on with the other ordinals (runForAll ignores
        // processReplica's "exit" outside monotonic mode).
        if (!monotonic) continue;
        return true;
      }
      if (p === undefined) {
        if (!monotonic) {
          missing.add(i);
          continue;
        }
        this.createPods(st, new Set([i]), i, i + 1);
        return true;
      }
      // Wait for it to be running and ready, and not terminating (upstream isHealthy), then
      // available (isRunningAndAvailable).
      if (monotonic && (!this.runningAndReady(p) || p.terminating || this.notYetAvailable(st, p, minReadyUs))) return true;
    }
    if (missing.size > 0) this.createPods(st, missing, start, end);
    // processCondemned: ordinals outside start .. end−1, highest first (upstream
    // descendingOrdinal). A condemned pod already Terminating
    // (or whose deletion is in flight) is not deleted again; OrderedReady waits for it to be
    // gone before the next one (upstream: "if the condemned Pod is terminating, wait").
    const condemned = [...st.pods.keys()].filter((i) => i < start || i >= end).sort((a, b) => b - a);
    // OrderedReady reaches here only with every kept pod available, so upstream's
    // firstUnavailablePod is the lowest-ordinal condemned pod that is unavailable (isUnavailable:
    // not Running and Ready, terminating, or not yet Ready for minReadySeconds — since
    // kubernetes PR #130909, v1.34).
    let firstUnhealthy: PodInfo | undefined;
    for (const i of condemned) {
      const p = st.pods.get(i) as PodInfo;
      if (!this.runningAndReady(p) || p.terminating || st.deleting.has(p) || this.notYetAvailable(st, p, minReadyUs)) firstUnhealthy = p;
    }
    for (const i of condemned) {
      const p = st.pods.get(i) as PodInfo;
      if (p.terminating || st.deleting.has(p)) {
        if (monotonic) return true;
        continue;
      }
      // Upstream processCondemned: "if we are in monotonic mode and the condemned target is not
      // the first unhealthy Pod, block": a pod not Running and Ready is deleted only when it is
      // the lowest unhealthy one; otherwise the scale-down waits for the pods to become Ready.
      if (monotonic && !this.runningAndReady(p) && p !== firstUnhealthy) return true;
      if (monotonic && p !== firstUnhealthy && this.notYetAvailable(st, p, minReadyUs)) return true;
      this.deleteOnce(st, p, 'statefulset scaled down');
      if (monotonic) return true;
    }
    return false;
  }

  /** Running and Ready (upstream isRunningAndReady; ksim has no readiness probes: Ready means
   * Running): a pod on a NotReady node is not Ready (the node lifecycle controller marks it); a
   * deleted node's pods keep the readiness they had (ClusterState.lastKnownNodes). */
  private runningAndReady(p: PodInfo): boolean {
    return isPodReady(p) && this.api.cluster.lastKnownNodes.get(p.nodeName ?? '')?.ready !== false;
  }

  /** Whether Ready pod `p` has not been Ready for minReadySeconds (`minReadyUs`) yet; if so the
   * set syncs again when it has (upstream requeues it: stateful_set.go enqueueSSAfter). */
  private notYetAvailable(st: SetState, p: PodInfo, minReadyUs: number): boolean {
    if (minReadyUs === 0) return false;
    const at = availableFromUs(p, this.api.cluster.lastKnownNodes, minReadyUs);
    if (at <= this.sim.now) return false;
    if (at < st.wakeUs) wakeAt(this.sim, st, at, 'statefulset.min-ready', `${st.obj.metadata.namespace}/${st.obj.metadata.name}`, () => this.enqueue(st));
    return true;
  }

  /** Deletes `p` unless its deletion was sent already and not yet observed. */
  private deleteOnce(st: SetState, p: PodInfo, reason: string): void {
    if (st.deleting.has(p)) return;
    st.deleting.add(p);
    this.api.deletePod(p, reason);
  }

  /** Slow start (upstream slowStartBatch(1, replicas, processReplica); work-queue.ts
   * slowStartBatch) over the ordinals from .. end−1, at most MAX_BATCH_SIZE a batch: the
   * `missing` ones are created, and a batch without any passes at once. A refused create ends the
   * sync, which failed. OrderedReady passes one ordinal. */
  private createPods(st: SetState, missing: ReadonlySet<number>, from: number, end: number): void {
    slowStartBatch(
      end - from,
      MAX_BATCH_SIZE,
      (i, done) => {
        const ordinal = from + i;
        if (!missing.has(ordinal)) return false;
        st.creating.add(ordinal);
        const useCurrent = this.usesCurrent(st, ordinal);
        const rev = useCurrent ? (st.current as NonNullable<SetState['current']>).rev : st.updateRev;
        const revName = st.revNames[rev] as string;
        const pod = this.newPod(st, ordinal, useCurrent, revName);
        const answered = (p: PodInfo | null) => {
          st.creating.delete(ordinal);
          if (p !== null) {
            st.pods.set(ordinal, p);
            if (st.history !== null) st.revs.set(p, rev);
          }
          done(p !== null);
        };
        const invalid = invalidPodLabels(pod.metadata?.name ?? '', revName);
        if (invalid === null) this.api.createPod(pod, answered);
        else this.api.refusePodCreate(pod, invalid, answered);
        return true;
      },
      (created, refused) => endSync(this.sim, 'statefulset.sync', st, this.limiter, (s) => this.sync(s), created, refused),
    );
  }

  /** The pod of `ordinal`, from the current revision's template when `useCurrent`, else from
   * spec.template (upstream newStatefulSetPod of currentSet or updateSet: only the template
   * differs between them, ApplyRevision), labelled controller-revision-hash = `revName`, that
   * revision's name (upstream newVersionedStatefulSetPod → setPodRevision). */
  private newPod(st: SetState, ordinal: number, useCurrent: boolean, revName: string): Pod {
    const spec = st.obj.spec ?? {};
    const t = (useCurrent ? st.current?.template : spec.template) ?? {};
    const md = st.obj.metadata;
    const tmd = t.metadata ?? {};
    const name = `${md.name}-${ordinal}`;
    // A fresh spec per pod over the template's parts (the run writes into no nested part).
    const podSpec = merged<NonNullable<Pod['spec']>>(withSharedContainers(t.spec ?? { containers: [] }));
    podSpec.hostname = name;
    if (spec.serviceName !== undefined && spec.serviceName !== '') podSpec.subdomain = spec.serviceName;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: ownedPodMetadata(tmd, name, md.namespace, { ...(tmd.labels ?? {}), [STATEFULSET_POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH]: revName }, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true }),
      spec: podSpec,
    };
  }
}

/** Why the API server refuses pod `name` labelled controller-revision-hash = `revName`, or
 * null (the usual case; nothing is made then). Upstream newVersionedStatefulSetPod
 * (stateful_set_utils.go) labels the pod with the revision's name, history.ControllerRevisionName:
 * `<set>-<hash>`, the set's name cut only past 223 characters; its label
 * statefulset.kubernetes.io/pod-name and spec.hostname are the pod's name. Pod validation
 * (ValidateObjectMeta → ValidateLabels, ValidatePodSpec → ValidateDNS1123Label) refuses a label
 * value or a hostname over 63 characters, so the creates of a set whose name is over 52
 * characters are refused when its hash is too long for the name (kubernetes/kubernetes#64023):
 * the hash is 1 to 10 characters (a uint32 in decimal, safe-encoded), so a 53-character name is
 * accepted with a hash of at most 9 (about 23 % of templates), a 60-character one only with a
 * hash of at most 2. The hash is ksim's (templateRevisionHash), not upstream's. */
export function invalidPodLabels(name: string, revName: string): string | null {
  if (revName.length <= LABEL_VALUE_MAX_LENGTH && name.length <= LABEL_VALUE_MAX_LENGTH) return null;
  const tooLong = (field: string, v: string) => `${field}: Invalid value: "${v}": must be no more than ${LABEL_VALUE_MAX_LENGTH} characters`;
  const errors: string[] = [];
  if (revName.length > LABEL_VALUE_MAX_LENGTH) errors.push(tooLong('metadata.labels', revName));
  if (name.length > LABEL_VALUE_MAX_LENGTH) errors.push(tooLong('metadata.labels', name), tooLong('spec.hostname', name));
  // utilerrors.NewAggregate: one error bare, more in brackets.
  return `Pod "${name}" is invalid: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
}

/** The longest revision hash (a uint32 in decimal, safe-encoded: 10 characters). */
const MAX_REVISION_HASH_LENGTH = 10;
/** The longest set name whose `<set>-<hash>` label is valid whatever the hash: 52. */
export const MAX_SAFE_STATEFULSET_NAME_LENGTH = LABEL_VALUE_MAX_LENGTH - 1 - MAX_REVISION_HASH_LENGTH;

/** What the run warning of refused creates adds after invalidPodLabels' message: that the cause is
 * the set's name length plus the revision hash, and the longest name that is always safe; ''
 * for any other refusal. */
export function longSetNameHint(reason: string): string {
  const m = /^Pod "[^"]*" is invalid: \[?metadata\.labels: Invalid value: "([^"]*)": must be no more than 63 characters/.exec(reason);
  if (m === null) return '';
  const revName = m[1] as string;
  const dash = revName.lastIndexOf('-');
  const set = revName.slice(0, dash);
  const hash = revName.slice(dash + 1);
  return ` (the StatefulSet ${set}'s pods carry the label controller-revision-hash: <set>-<revision hash>, here ${set.length} + 1 + ${hash.length} = ${revName.length} characters, over a label value's ${LABEL_VALUE_MAX_LENGTH}: the set's name is too long for its template's hash; name it with at most ${MAX_SAFE_STATEFULSET_NAME_LENGTH} characters, which leaves room for the longest hash, ${MAX_REVISION_HASH_LENGTH})`;
}

/** The ControllerRevision names of a set's revisions when it is added: revision 0, spec.template's
 * (the update revision), is status.updateRevision when the set has one of its own (a snapshot's:
 * its pods carry it), else `<set>-<hash>` (upstream ControllerRevisionName of
 * HashControllerRevision; names.ts templateRevisionHash); revision 1 is a snapshot's
 * status.currentRevision when it caught a rollout (`revisions`). */
function revisionNames(o: ObjectOf<'StatefulSet'>, revisions: ReturnType<typeof statefulSetSnapshotRevisions>): string[] {
  const update = (o as { status?: { updateRevision?: unknown } }).status?.updateRevision;
  const prefix = controllerRevisionName(o.metadata.name, '');
  const own = typeof update === 'string' && update.length > prefix.length && update.startsWith(prefix);
  const names = [own ? update : controllerRevisionName(o.metadata.name, templateRevisionHash(o.spec?.template))];
  if (revisions !== null) names.push(revisions.current);
  return names;
}

/** A new spec.template (the one before was `before`): the update revision is the revision of a
 * template seen before (upstream getStatefulSetRevisions finds an equal ControllerRevision: a
 * rollback), else a new one; the current revision is kept, and is no longer pending once the
 * update revision is it again. Template keys leave out ksim.io/workload, as the other template
 * comparisons (a later entry that only scales the set names itself there). */
function newRevision(st: SetState, before: PodTemplate | undefined): void {
  const key = (t: unknown) => templateKey(t ?? {}, { annotations: [WORKLOAD_ANNOTATION] });
  if (st.history === null) {
    st.history = new Map([[key(before), st.updateRev]]);
    // The pods there are now are of the revision before.
    for (const p of st.pods.values()) st.revs.set(p, st.updateRev);
  }
  const k = key(st.obj.spec?.template);
  const prev = st.updateRev;
  let rev = st.history.get(k);
  if (rev === undefined) {
    st.history.set(k, (rev = st.history.size));
    // A new revision (upstream getStatefulSetRevisions → NewControllerRevision): named by the
    // hash of its template; a template seen before keeps its revision's name (a rollback).
    st.revNames[rev] = controllerRevisionName(st.obj.metadata.name, templateRevisionHash(st.obj.spec?.template));
  }
  if (rev === prev) return; // the same template as the API server stores it
  if (st.current === null) {
    st.current = { rev: prev, template: before ?? {} };
    // status.currentReplicas while the revisions were one: every pod not terminating.
    let n = 0;
    for (const p of st.pods.values()) if (!p.terminating) n++;
    st.currentReplicas = n;
  }
  st.updateRev = rev;
  if (st.current.rev === rev) st.current = null;
}

function updateStrategyOf(st: SetState): { type: string; rollingUpdate?: { partition?: number } | null } {
  const us = (st.obj.spec as { updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } | null } } | undefined)?.updateStrategy;
  // Upstream SetDefaults_StatefulSet: an unset type is RollingUpdate with rollingUpdate
  // {partition: 0}; a type RollingUpdate set without rollingUpdate keeps it nil.
  if (us?.type === undefined) return { type: 'RollingUpdate', rollingUpdate: us?.rollingUpdate ?? {} };
  return { type: us.type, ...(us.rollingUpdate !== undefined ? { rollingUpdate: us.rollingUpdate } : {}) };
}

/** spec.ordinals.start, 0 when unset (upstream getStartOrdinal). */
function startOrdinal(st: SetState): number {
  return (st.obj.spec as { ordinals?: { start?: number } } | undefined)?.ordinals?.start ?? 0;
}

/** The ordinal of a pod named <set>-<n>, or −1 (upstream getOrdinal). */
function ordinalOf(st: SetState, p: PodInfo): number {
  const prefix = `${st.obj.metadata.name}-`;
  if (!p.name.startsWith(prefix)) return -1;
  const s = p.name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(s) ? Number(s) : -1;
}

