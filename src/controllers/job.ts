// Job controller (upstream pkg/controller/job/job_controller.go), acting through API writes:
//  - parallelism (default 1) pods run at a time; each pod that Succeeds counts a completion;
//  - completions set: the Job is Complete when `completions` pods have succeeded, and at most
//    completions − succeeded pods are active;
//  - completions unset (upstream's "work queue" Job; the API server defaults completions to 1
//    only when parallelism is unset too): parallelism pods run; once one has succeeded no new pod
//    is created and the Job is Complete when no pod is active any more;
//  - a pod that ends Failed, or is deleted before it ended, counts a failure — at once when it
//    turns Terminating (upstream isPodFailed), unless podReplacementPolicy is Failed; the Job Fails
//    (reason BackoffLimitExceeded) when failures exceed backoffLimit (default 6);
//  - after failures, new pods wait a backoff from the last failure: 10 s doubled per failure
//    since the last success, capped at 10 min (upstream DefaultJobPodFailureBackOff and
//    MaxJobPodFailureBackOff; the docs say six minutes, the code says ten); the record is made at
//    each sync from the pods finished since the last, their finish times in whole seconds
//    (upstream newBackoffRecord, getFinishedTime: applyBackoffRecord);
//  - when the Job finishes its active pods are deleted and status (succeeded, failed,
//    conditions Complete/Failed, startTime, completionTime) is written with updateObject;
//  - completionMode Indexed (upstream indexed_job_utils.go): each index 0..completions−1 must
//    succeed once (succeeded counts indexes; completedIndexes is written at the finish); pods
//    <job>-<index>-<suffix> carry the index as annotation and label, hostname <job>-<index>; the
//    lowest indexes neither succeeded nor held by an active pod are created first
//    (firstPendingIndexes); pods of a duplicate or out-of-range index are deleted
//    (appendDuplicatedIndexPodsForRemoval); failures count against backoffLimit as for NonIndexed.
//    backoffLimitPerIndex and maxFailedIndexes are not modelled (loading warns; backoffLimit
//    defaults to MaxInt32 with them, as the API server's SetDefaults_Job).
// With restartPolicy OnFailure the kubelet restarts failing containers in place; the restart
// counts its status writes show, summed over the Job's Pending and Running pods, fail the Job
// (BackoffLimitExceeded) once they reach backoffLimit (upstream pastBackoffLimitOnFailure,
// job_controller.go: ≥ backoffLimit, or > 0 for backoffLimit 0). A sync with a refused pod create failed and the Job is retried
// through its work queue's rate limiter (upstream NewController: an
// ItemExponentialFailureRateLimiter of DefaultJobApiBackOff 1 s to MaxJobApiBackOff 1 min;
// processNextWorkItem: AddRateLimited, Forget on success). Creates go out in slow-start batches
// of 1, 2, 4, ... pods, each sent when every create of the previous one has been answered, at
// most MaxPodCreateDeletePerSync (500) creates or deletes per sync; a batch with a refused create
// ends the sync's creates (the skipped pods are not expected; manageJob: SlowStartInitialBatchSize,
// wait.Wait, skippedPods, break).
// suspend (upstream manageJob, syncJob): a suspended Job creates no pod and deletes its active
// ones, whose ends are not failures (deleteJobPods removes their tracking finalizer before the
// delete; so for pods deleted as too many); the JobSuspended condition is written True, and on
// resume False (reason JobResumed) with status.startTime reset to the resume. A Job updated
// (scenario entry, ksim-events apply) is synced again with its new spec.
// activeDeadlineSeconds (upstream pastActiveDeadline): once the Job has been active that long
// since status.startTime (not while suspended), it fails with reason DeadlineExceeded and its
// active pods are deleted; a sync is due exactly then (upstream queue.AddAfter).
// podFailurePolicy (upstream pod_failure_policy.go, see matchPodFailurePolicy): rules on the
// DisruptionTarget condition (pods evicted by the taint manager or preempted) act — Ignore,
// FailJob (reason PodFailurePolicy), Count; onExitCodes rules never match (no exit codes).
// Syncs (upstream enqueueSyncJob*): a Job's create or spec change at once; an event of one of
// its pods (create, bind, phase, Terminating, delete) or another update of the Job 1 s after
// the first of them (syncJobBatchPeriod), so pods failing together count together; a backoff's
// at its end but not less than 1 s on. Not modelled: backoffLimitPerIndex, status writes other
// than the suspend condition before the Job finishes. ttlSecondsAfterFinished is the TTL-after-finished
// controller's (ttl-after-finished.ts).
import { merged } from '../api/values.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { RandomStream } from '../engine/random.js';
import type { SimEvent } from '../engine/event-queue.js';
import { creationTimeUs, hasDisruptionTarget, withSharedContainers, type PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { objectKey, type ObjectOf, type WorkloadObject } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { addTimeUs, US_PER_S } from '../engine/time.js';
import { MAX_GENERATED_NAME_LENGTH, PodNames } from './names.js';
import { DEFAULT_WALL_CLOCK, type WallClock } from './cron.js';
import { ownedPodMetadata } from './pod-metadata.js';
import { ControllerRateLimiter, namespacedKey, queueSync, createPodsSlowStart } from './work-queue.js';
import { KindInformer } from './informer.js';

export const DEFAULT_BACKOFF_LIMIT = 6;
export const JOB_POD_FAILURE_BACKOFF_US = 10 * US_PER_S;
export const MAX_JOB_POD_FAILURE_BACKOFF_US = 600 * US_PER_S;
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Upstream batch/v1 JobCompletionIndexAnnotation (and, since PodIndexLabel, the label of the
 * same key): an Indexed Job's pod's index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** The backoffLimit the API server defaults to when backoffLimitPerIndex is set (SetDefaults_Job:
 * math.MaxInt32). */
const MAX_INT32 = 2_147_483_647;

/** Upstream pkg/controller/job/job_controller.go syncJobBatchPeriod: pod events queue the Job's
 * sync this long after them. */
export const SYNC_JOB_BATCH_PERIOD_US = 1_000_000;
/** Upstream job_controller.go MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

/** Upstream onlyReplaceFailedPods: podReplacementPolicy Failed, or a podFailurePolicy (which
 * implies it): a terminating pod is neither a failure nor replaced until it has ended. */
function onlyReplaceFailedPods(job: ObjectOf<'Job'>): boolean {
  const spec = job.spec as { podReplacementPolicy?: string; podFailurePolicy?: unknown } | undefined;
  return spec?.podReplacementPolicy === 'Failed' || spec?.podFailurePolicy !== undefined;
}

/** Upstream backoff before the next pod after `failures` failures since the last success. */
export function jobBackoffUs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(JOB_POD_FAILURE_BACKOFF_US * 2 ** Math.min(failures - 1, 30), MAX_JOB_POD_FAILURE_BACKOFF_US);
}

interface JobState {
  obj: ObjectOf<'Job'>;
  /** Its pods from creation until they are heard to end (and counted) or to be deleted: the
   * live set, so neither a sync nor the bookkeeping grows with the pods the Job ever had. */
  readonly pods: Set<PodInfo>;
  succeeded: number;
  failed: number;
  /** Upstream backoffRecord (pkg/controller/job/backoff_utils.go): failures after the last
   * success, and the last failure's finish time in whole seconds (metav1.Time's precision), as
   * the syncs so far have recorded them (applyBackoffRecord). */
  failuresSinceSuccess: number;
  lastFailureUs: number;
  /** Finish times (µs) of the pods that succeeded / failed since the last sync: upstream
   * getNewFinishedPods, which the next sync's newBackoffRecord reads. */
  readonly newSucceededUs: number[];
  readonly newFailedUs: number[];
  inflight: number;
  readonly deleting: Set<PodInfo>;
  syncQueued: boolean;
  /** Failed syncs since the last successful one (work-queue.ts). */
  failures: number;
  /** The Job's one waiting entry in the delaying queue (upstream queue.AddAfter): the sync that
   * pod events, the failure backoff, activeDeadlineSeconds or a failed sync's retry asked for,
   * the earliest of them (addAfter). */
  retry: SimEvent | null;
  /** A sync was asked for while this one's creates were in flight. */
  dirty: boolean;
  finished: boolean;
  deleted: boolean;
  /** status.startTime: the first sync not suspended, reset at each resume; null before. */
  startUs: number | null;
  /** Pods this controller deleted while they ran (suspend, too many): their ends do not count. */
  readonly uncounted: Set<PodInfo>;
  /** The JobSuspended condition's status as last written (or in the snapshot); null: none. */
  suspendedCond: boolean | null;
  /** The message of a podFailurePolicy FailJob match: the Job fails at its next sync. */
  failJob: string | null;
  /** Its pods' restartCount as their latest status writes show it (restarted pods only). */
  readonly restarts: Map<PodInfo, number>;
  /** completionMode Indexed (upstream isIndexedJob). */
  readonly indexed: boolean;
  /** Indexed: the indexes a pod has succeeded for (upstream status.completedIndexes);
   * `succeeded` is their number. */
  readonly succeededIndexes: Set<number>;
  /** Indexed: the indexes the creates under way take, lowest first (firstPendingIndexes). */
  pendingIndexes: number[];
  /** Its pods' metadata.generateName, `<job>-` (one string per Job; pod-metadata.ts). */
  readonly generateName: string;
}

export type JobCondition = 'Complete' | 'Failed';

export class JobController {
  private readonly jobs: KindInformer<'Job', JobState>;

  private readonly podNames: PodNames;
  /** Nodes not Ready, since when (their pods' Ready condition turned False then). */
  private readonly notReadySinceUs = new Map<string, number>();
  /** Upstream job_controller.go: DefaultJobApiBackOff 1 s, MaxJobApiBackOff 1 min, no bucket. */
  private readonly limiter = new ControllerRateLimiter(US_PER_S, 60 * US_PER_S, null);

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    names: RandomStream,
    objects?: ObjectApi,
    /** Simulated time on the wall clock its status times are written in. */
    private readonly clock: WallClock = DEFAULT_WALL_CLOCK,
  ) {
    this.podNames = new PodNames(api.cluster, names);
    this.jobs = new KindInformer<'Job', JobState>('Job', api, objects, {
      add: (o) => {
        // A Job that comes with a status (a cluster snapshot's) goes on from it: its counts, and
        // nothing more to do once it has a finish condition (upstream IsJobFinished).
        const status = o['status'] as { succeeded?: number; failed?: number; startTime?: string; conditions?: JobStatusCondition[]; completedIndexes?: string } | undefined;
        const indexed = isIndexed(o);
        const succeededIndexes = indexed ? parseIndexes(status?.completedIndexes ?? '', o.spec?.completions ?? 0) : new Set<number>();
        const startUs = status?.startTime === undefined ? null : this.clock.runUs(status.startTime);
        const suspendCond = status?.conditions?.find((c) => c.type === 'JobSuspended');
        const st: JobState = {
          obj: o, pods: new Set(), succeeded: indexed && status?.completedIndexes !== undefined ? succeededIndexes.size : status?.succeeded ?? 0,
          indexed, succeededIndexes, pendingIndexes: [], failed: status?.failed ?? 0, failuresSinceSuccess: 0, lastFailureUs: 0, newSucceededUs: [], newFailedUs: [],
          inflight: 0, deleting: new Set(), syncQueued: false, failures: 0, retry: null, dirty: false,
          finished: jobFinished(o) !== null, deleted: false, startUs: startUs ?? (isSuspended(o) ? null : this.sim.now),
          uncounted: new Set(), failJob: null, restarts: new Map(), suspendedCond: suspendCond === undefined ? null : suspendCond.status === 'True',
          generateName: `${o.metadata.name}-`,
        };
        if (!st.finished) this.enqueue(st);
        return st;
      },
      update: (st, o) => {
        // Its own status writes keep the spec; an update of the spec (suspend, parallelism, ...)
        // is synced again at once, any other 1 s later (upstream updateJob: a new generation
        // enqueueSyncJobImmediately, else enqueueSyncJobBatched). An applied Job brings a new
        // spec object, taken as changed even when equal (upstream: the same generation).
        const specChanged = o.spec !== st.obj.spec;
        st.obj = o;
        if (st.finished) return;
        if (specChanged) this.enqueue(st);
        else this.enqueueBatched(st);
      },
      remove: (st) => {
        st.deleted = true; // its pods are the garbage collector's
        if (st.retry !== null) this.sim.cancel(st.retry);
        st.retry = null;
      },
    });
    api.watch({
      nodeUpdated: (n, before, after) => {
        if (before.ready && !after.ready) this.notReadySinceUs.set(n.name, this.sim.now);
        else if (after.ready) this.notReadySinceUs.delete(n.name);
      },
      // Every event of one of its pods queues a sync SYNC_JOB_BATCH_PERIOD_US later (upstream
      // addPod, updatePod, deletePod: enqueueSyncJobBatched), its own creates' included.
      podAdded: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        st.pods.add(p);
        // A cluster snapshot's pod shows the restarts it had before the run.
        if (p.past !== null && p.past.restarts > 0) st.restarts.set(p, p.past.restarts);
        this.enqueueBatched(st);
      },
      podBound: (p) => {
        const st = this.owner(p);
        if (st !== undefined) this.enqueueBatched(st);
      },
      // A status write with a new restartCount is a pod update (upstream updatePod).
      podRestarted: (p, restartCount) => {
        const st = this.owner(p);
        if (st === undefined || !st.pods.has(p)) return;
        st.restarts.set(p, restartCount);
        this.enqueueBatched(st);
      },
      podPhaseChanged: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        this.enqueueBatched(st);
        // Counted once: when it leaves the live set.
        if (!p.terminal || !st.pods.delete(p)) return;
        st.restarts.delete(p);
        if (st.uncounted.delete(p)) {
          // deleted by this controller: not counted
        } else if (p.phase === 'Succeeded') this.count(st, true, this.sim.now, p);
        else this.countFailed(st, p);
      },
      // podReplacementPolicy TerminatingOrFailed (the default without podFailurePolicy): a
      // terminating pod that has not succeeded counts as failed at once and is replaced at once
      // (upstream isPodFailed: "Count deleted Pods as failures to account for orphan Pods that
      // never have a chance to reach the Failed phase" — one evicted from a lost node stays
      // Terminating until the node returns). With podReplacementPolicy Failed, or a
      // podFailurePolicy, only a Failed phase counts, and the pod is replaced once it is gone.
      podTerminating: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        st.deleting.delete(p);
        this.enqueueBatched(st);
        if (onlyReplaceFailedPods(st.obj)) return;
        const wasLive = st.pods.delete(p);
        const spared = st.uncounted.delete(p);
        if (wasLive && !st.finished && !spared) this.count(st, false, this.failedAtUs(p));
      },
      podDeleted: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        const wasLive = st.pods.delete(p);
        st.restarts.delete(p);
        const wasDeleting = st.deleting.delete(p);
        const spared = st.uncounted.delete(p);
        // Deleted before it ended: a failure (upstream counts pods that disappear unfinished as
        // failed). A finished pod deleted later (pod garbage collector) was counted already.
        if (wasLive && !st.finished && !wasDeleting && !spared) {
          if (p.phase === 'Succeeded') this.count(st, true, this.sim.now, p);
          // Deleted with no terminal phase written (a crashed node's kubelet back: its
          // containers gone): upstream getFinishedTime finds no container finishedAt and reads
          // the Ready=False condition's time, when its node went NotReady (failedAtUs).
          else this.countFailed(st, p, this.failedAtUs(p));
        }
        if (wasLive || wasDeleting) this.enqueueBatched(st);
      },
    });
  }

  /** succeeded / failed counts and the finished condition of a Job (tests, metrics). */
  status(namespace: string, name: string): { succeeded: number; failed: number; active: number } | undefined {
    const st = this.jobs.get(namespace, name);
    if (st === undefined) return undefined;
    let active = 0;
    for (const p of st.pods) if (!p.terminal && !p.deleted && !p.terminating) active++;
    return { succeeded: st.succeeded, failed: st.failed, active };
  }

  /** `atUs`: when the pod finished (upstream getFinishedTime), which the next sync's backoff
   * record reads (applyBackoffRecord). */
  private count(st: JobState, succeeded: boolean, atUs = this.sim.now, p?: PodInfo): void {
    if (succeeded) {
      st.newSucceededUs.push(atUs);
      if (!st.indexed) st.succeeded++;
      else {
        // Upstream trackJobStatusAndRemoveFinalizers: an Indexed Job's succeeded is the number
        // of its succeeded indexes; a second pod of an index, or one without a valid index,
        // adds none.
        const ix = p === undefined ? -1 : completionIndex(p);
        if (ix >= 0 && ix < (st.obj.spec?.completions ?? 0)) st.succeededIndexes.add(ix);
        st.succeeded = st.succeededIndexes.size;
      }
    } else {
      st.failed++;
      st.newFailedUs.push(atUs);
    }
  }

  /** Upstream newBackoffRecord (backoff_utils.go), at the start of a sync, from the pods that
   * finished since the last one. Finish times are compared, and the last failure's kept, in
   * whole seconds: metav1.Time (a container's finishedAt, a condition's lastTransitionTime) is
   * stored without its fraction (apimachinery meta/v1 time_proto.go), so upstream's
   * getFinishedTime reads seconds. Only failures: added, the last failure the latest of them.
   * Successes too: the count starts again, with only the failures strictly after the latest
   * success (failedTime.After(lastSuccessTime)) — a success and failures of the same second
   * leave none, and the next pod is not held back. */
  private applyBackoffRecord(st: JobState): void {
    const succ = st.newSucceededUs;
    const fail = st.newFailedUs;
    if (succ.length === 0 && fail.length === 0) return;
    const clock = this.clock;
    if (succ.length === 0) {
      st.failuresSinceSuccess += fail.length;
      let last = fail[0] as number;
      for (const t of fail) if (t > last) last = t;
      st.lastFailureUs = clock.wholeSecond(last);
    } else {
      let lastSuccess = succ[0] as number;
      for (const t of succ) if (t > lastSuccess) lastSuccess = t;
      const successSec = clock.wholeSecond(lastSuccess);
      st.failuresSinceSuccess = 0;
      st.lastFailureUs = 0;
      let lastFailure = -Infinity;
      for (const t of fail) {
        if (clock.wholeSecond(t) <= successSec) continue;
        st.failuresSinceSuccess++;
        if (t > lastFailure) lastFailure = t;
      }
      if (st.failuresSinceSuccess > 0) st.lastFailureUs = clock.wholeSecond(lastFailure);
    }
    succ.length = 0;
    fail.length = 0;
  }

  /** A failed pod, through the Job's podFailurePolicy (upstream matchPodFailurePolicy, pkg/
   * controller/job/pod_failure_policy.go): rules in order, the first match decides. Ignore: not
   * in status.failed (upstream nonIgnoredFailedPodsCount), though the backoff still counts it
   * (syncJob passes every new failed pod of getNewFinishedPods to newBackoffRecord, since
   * kubernetes PR #119434; kubernetes/kubernetes#130881 asks otherwise, open); FailJob:
   * counted, and the Job fails with reason PodFailurePolicy; Count or no match: counted. */
  private countFailed(st: JobState, p: PodInfo, atUs = this.sim.now): void {
    const m = matchPodFailurePolicy(st.obj, p);
    if (m?.action === 'Ignore') {
      st.newFailedUs.push(atUs);
      return;
    }
    this.count(st, false, atUs);
    if (m?.action === 'FailJob') st.failJob ??= m.message;
  }

  /** When a terminating or deleted pod failed, as upstream's backoff reads it (pkg/controller/
   * job/backoff_utils.go getFinishedTime): with no container finishedAt (its containers still
   * running as last reported, or vanished with the node), its Ready condition's turn to False —
   * for a pod on a node gone NotReady, when the node lifecycle controller marked it so
   * (MarkPodsNotReady) — else its deletion, now (a kubelet that kills its containers writes
   * their finishedAt then). */
  private failedAtUs(p: PodInfo): number {
    return this.notReadySinceUs.get(p.nodeName ?? '') ?? this.sim.now;
  }

  private owner(p: PodInfo): JobState | undefined {
    return this.jobs.ownerOfPod(p);
  }

  private enqueue(st: JobState): void {
    queueSync(this.sim, 'job.sync', st, (s) => this.sync(s));
  }

  /** Upstream queue.AddAfter(key, delay) (client-go delayingQueue): a sync `delayUs` from now
   * through the Job's one waiting entry, which keeps the earliest ready time asked for (a later
   * one is dropped: the sync then asks again for what it still needs); when ready the key is
   * added as queue.Add does. No delay: queue.Add at once, the waiting entry left as it is. */
  private addAfter(st: JobState, delayUs: number, kind: string): void {
    if (delayUs <= 0) return this.enqueue(st);
    const readyAt = addTimeUs(this.sim.now, delayUs);
    if (st.retry !== null && !st.retry.cancelled && st.retry.time <= readyAt) return;
    if (st.retry !== null) this.sim.cancel(st.retry);
    st.retry = this.sim.scheduleAt(readyAt, kind, namespacedKey(st.obj.metadata.namespace, st.obj.metadata.name), () => {
      st.retry = null;
      this.enqueue(st);
    });
  }

  /** A sync for a pod event: upstream enqueueSyncJobBatched, AddAfter(key, syncJobBatchPeriod);
   * the waiting entry keeping the earliest time, the events of the second after the first of
   * them are seen by one sync (two pods failing at once count together against backoffLimit
   * before a replacement is made). */
  private enqueueBatched(st: JobState): void {
    if (st.finished || st.deleted) return; // upstream syncJob returns at once for these
    this.addAfter(st, SYNC_JOB_BATCH_PERIOD_US, 'job.batch');
  }

  private sync(st: JobState): void {
    if (st.deleted || st.finished) return;
    if (st.inflight > 0) {
      st.dirty = true; // this sync's creates are still in flight
      return;
    }
    this.manage(st);
    if (st.inflight === 0) this.limiter.forget(st); // created nothing: a successful sync
  }

  private manage(st: JobState): void {
    // Upstream syncJob computes the backoff record from the new finished pods at every sync,
    // its expectations met or not.
    this.applyBackoffRecord(st);
    // A deletion counts as done when the watch says so (podTerminating, podDeleted), not when
    // it has committed: a sync in between would see the pod neither deleted nor deleting.
    if (st.deleting.size > 0) return; // expectations not yet met
    const spec = st.obj.spec ?? {};
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? (spec.parallelism === undefined ? 1 : null);
    // Upstream SetDefaults_Job: MaxInt32 when backoffLimitPerIndex is set, else 6.
    const backoffLimit = spec.backoffLimit ?? ((spec as { backoffLimitPerIndex?: number }).backoffLimitPerIndex !== undefined ? MAX_INT32 : DEFAULT_BACKOFF_LIMIT);
    // Active as this controller has heard: a pod stays in st.pods until its end is heard and
    // counted, so one that has finished in the store but not yet in the watch is still active
    // here (reading p.terminal would drop it from active before it joins succeeded, and a sync
    // in between created a pod past completions; upstream counts such pods as uncounted
    // terminated pods, pkg/controller/job/job_controller.go).
    const onlyFailed = onlyReplaceFailedPods(st.obj);
    const active = [...st.pods].filter((p) => !p.deleted && (onlyFailed || !p.terminating));
    // Upstream syncJob: a FailJob rule's match first, then backoffLimit.
    if (st.failJob !== null) return this.finish(st, 'Failed', 'PodFailurePolicy', active, st.failJob);
    if (st.failed > backoffLimit || this.pastBackoffLimitOnFailure(st, backoffLimit)) return this.finish(st, 'Failed', 'BackoffLimitExceeded', active, 'Job has reached the specified backoff limit');
    const suspended = isSuspended(st.obj);
    if (!suspended && st.suspendedCond === true) {
      // Upstream syncJob: "Resumed jobs will always reset StartTime to current time", so the
      // deadline counts from the resume.
      st.startUs = this.sim.now;
      this.writeSuspended(st, false);
    }
    if (!suspended) st.startUs ??= this.sim.now;
    if (this.pastActiveDeadline(st)) return this.finish(st, 'Failed', 'DeadlineExceeded', active);
    if (completions !== null ? st.succeeded >= completions : st.succeeded > 0 && active.length === 0) return this.finish(st, 'Complete', 'CompletionsReached', active);
    if (suspended) return this.suspend(st, active);
    // Upstream manageJob: in a work queue, once a pod has succeeded the running ones finish and no
    // pod is added.
    const want = completions !== null ? Math.min(parallelism, completions - st.succeeded) : st.succeeded > 0 ? Math.min(active.length, parallelism) : parallelism;
    // Upstream activePodsForRemoval: an Indexed Job's pods of an index out of range (or none) and
    // all but one of each index first (appendDuplicatedIndexPodsForRemoval), then, as for
    // NonIndexed, newest first (upstream's ActivePods ordering) until `want` are left.
    const rm = st.indexed ? duplicatedIndexPods(active.filter((x) => !x.terminating), completions ?? 0) : [];
    if (active.length - rm.length > want) {
      const rest = active.filter((p) => !p.terminating && !rm.includes(p)).sort((a, b) => creationTimeUs(b) - creationTimeUs(a) || (a.key < b.key ? -1 : 1));
      rm.push(...rest.slice(0, active.length - rm.length - want));
    }
    if (active.length > want || rm.length > 0) {
      for (const p of rm.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC)) {
        st.deleting.add(p);
        st.uncounted.add(p);
        this.api.deletePod(p, 'job has too many active pods');
      }
      return;
    }
    let diff = want - active.length;
    if (st.indexed) {
      // Upstream firstPendingIndexes: the lowest indexes neither succeeded nor held by an
      // active pod.
      const held = new Set(active.map(completionIndex));
      st.pendingIndexes = [];
      for (let i = 0; i < (completions ?? 0) && st.pendingIndexes.length < diff; i++) if (!held.has(i) && !st.succeededIndexes.has(i)) st.pendingIndexes.push(i);
      diff = st.pendingIndexes.length;
    }
    if (diff <= 0) return;
    const readyAt = st.lastFailureUs + jobBackoffUs(st.failuresSinceSuccess);
    if (st.failuresSinceSuccess > 0 && readyAt > this.sim.now) {
      // Upstream enqueueSyncJobWithDelay: the remaining backoff, but not less than
      // syncJobBatchPeriod.
      this.addAfter(st, Math.max(readyAt - this.sim.now, SYNC_JOB_BATCH_PERIOD_US), 'job.backoff');
      return;
    }
    this.createPods(st, Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC));
  }

  /** Creates `count` pods in slow-start batches (upstream manageJob's batch loop; work-queue.ts
   * createPodsSlowStart); a refused create ends the sync, which failed and is retried through the
   * rate limiter (AddRateLimited). A sync asked for meanwhile runs at once (the queue's dirty
   * set); the created pods' own sync is their podAdded's, batched (upstream addPod), not an
   * immediate one as endSync gives the other controllers. */
  private createPods(st: JobState, count: number): void {
    createPodsSlowStart(this.api, this.podNames, st, count, (s) => this.newPod(s), (_created, refused) => {
      const dirty = st.dirty;
      st.dirty = false;
      if (refused) this.addAfter(st, this.limiter.when(st, this.sim.now), 'job.sync-retry'); // AddRateLimited
      else this.limiter.forget(st);
      if (dirty) this.enqueue(st);
    });
  }

  /** Upstream pastBackoffLimitOnFailure (job_controller.go): restartPolicy OnFailure, and the
   * restartCounts of its Pending and Running pods sum to backoffLimit or more (more than 0 for a
   * backoffLimit of 0). ksim's pods have one container, the one the kubelet restarts. */
  private pastBackoffLimitOnFailure(st: JobState, backoffLimit: number): boolean {
    if (st.restarts.size === 0 || st.obj.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
    let sum = 0;
    for (const [p, n] of st.restarts) if (!p.deleted && (p.phase === 'Running' || p.phase === 'Pending')) sum += n;
    return backoffLimit === 0 ? sum > 0 : sum >= backoffLimit;
  }

  /** Upstream pastActiveDeadline: not suspended, and spec.activeDeadlineSeconds have passed
   * since status.startTime; until then a sync is due at the deadline (upstream syncJob:
   * queue.AddAfter(key, activeDeadlineSeconds − since startTime)). */
  private pastActiveDeadline(st: JobState): boolean {
    const ads = (st.obj.spec as { activeDeadlineSeconds?: number } | undefined)?.activeDeadlineSeconds;
    if (typeof ads !== 'number' || st.startUs === null || isSuspended(st.obj)) return false;
    const atUs = addTimeUs(st.startUs, ads * US_PER_S); // saturates at the clock's end
    if (this.sim.now >= atUs) return true;
    this.addAfter(st, atUs - this.sim.now, 'job.deadline');
    return false;
  }

  /** Upstream manageJob for a suspended Job: its active pods are deleted (not counted as
   * failures) and the JobSuspended condition is written once. */
  private suspend(st: JobState, active: PodInfo[]): void {
    for (const p of active.filter((x) => !x.terminating).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC)) {
      st.deleting.add(p);
      st.uncounted.add(p);
      this.api.deletePod(p, 'job suspended');
    }
    if (st.suspendedCond !== true) this.writeSuspended(st, true);
  }

  /** Writes the JobSuspended condition (upstream ensureJobConditionStatus: True/JobSuspended,
   * or False/JobResumed with the reset startTime) onto the stored status as it is at commit. */
  private writeSuspended(st: JobState, suspended: boolean): void {
    st.suspendedCond = suspended;
    const now = this.clock.text(this.sim.now);
    const cond: JobStatusCondition = suspended
      ? { type: 'JobSuspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastTransitionTime: now }
      : { type: 'JobSuspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', lastTransitionTime: now };
    const startTime = st.startUs === null ? undefined : this.clock.text(st.startUs);
    this.api.patchObject(objectKey('Job', st.obj.metadata.namespace, st.obj.metadata.name), (stored) => {
      const old = (stored['status'] ?? {}) as { conditions?: JobStatusCondition[] };
      const conditions = [...(old.conditions ?? []).filter((c) => c.type !== 'JobSuspended'), cond];
      return { ...stored, metadata: { ...stored.metadata }, status: { ...old, ...(startTime === undefined ? {} : { startTime }), conditions } };
    });
  }

  private finish(st: JobState, type: JobCondition, reason: string, active: PodInfo[], message?: string): void {
    st.finished = true;
    if (st.retry !== null) this.sim.cancel(st.retry);
    st.retry = null;
    for (const p of active) {
      // Upstream trackJobStatusAndRemoveFinalizers: "When the job is considered finished, every
      // non-terminated pod is considered failed" (a podFailurePolicy Ignore match aside).
      if (type === 'Failed' && matchPodFailurePolicy(st.obj, p)?.action !== 'Ignore') st.failed++;
      st.deleting.add(p);
      this.api.deletePod(p, `job ${type === 'Complete' ? 'complete' : 'failed'}`);
    }
    const stored = this.api.cluster.objects.get(objectKey('Job', st.obj.metadata.namespace, st.obj.metadata.name));
    if (stored === undefined) return;
    const now = this.clock.text(this.sim.now);
    // A JobSuspended condition stays (upstream appends the finish condition).
    const kept = (((stored['status'] ?? {}) as { conditions?: JobStatusCondition[] }).conditions ?? []).filter((c) => c.type === 'JobSuspended');
    const status = {
      ...(st.startUs === null ? {} : { startTime: this.clock.text(st.startUs) }),
      ...(type === 'Complete' ? { completionTime: now } : {}),
      active: 0,
      succeeded: st.succeeded,
      ...(st.indexed ? { completedIndexes: formatIndexes(st.succeededIndexes) } : {}),
      failed: st.failed,
      conditions: [...kept, { type, status: 'True', reason, ...(message === undefined ? {} : { message }), lastTransitionTime: now }],
    };
    this.api.updateObject({ ...stored, metadata: { ...stored.metadata }, status });
  }


  private newPod(st: JobState): Pod {
    const t = (st.obj.spec ?? {}).template ?? {};
    const md = st.obj.metadata;
    const tmd = t.metadata ?? {};
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true };
    // A fresh spec per pod over the template's parts (the run writes into no nested part).
    const spec = merged<NonNullable<Pod['spec']>>(withSharedContainers(t.spec ?? { containers: [] }));
    const labels = { ...(tmd.labels ?? {}), [JOB_NAME_LABEL]: md.name, 'job-name': md.name };
    const ix = st.indexed ? st.pendingIndexes.shift() : undefined;
    if (ix === undefined) {
      return { apiVersion: 'v1', kind: 'Pod', metadata: ownedPodMetadata(tmd, this.podNames.reserve(md.namespace, md.name), md.namespace, labels, owner, st.generateName), spec };
    }
    // Upstream manageJob for an Indexed Job: the index as annotation and label, hostname
    // <job>-<index>, generateName <job>-<index>- (podGenerateNameWithIndex; the JOB_COMPLETION_INDEX
    // variable is not modelled: ksim runs no container).
    const prefix = indexedPodPrefix(md.name, ix);
    const metadata = ownedPodMetadata({ ...tmd, annotations: { ...(tmd.annotations ?? {}), [JOB_COMPLETION_INDEX]: String(ix) } }, this.podNames.reserve(md.namespace, prefix), md.namespace, { ...labels, [JOB_COMPLETION_INDEX]: String(ix) }, owner, `${prefix}-`);
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...spec, hostname: `${md.name}-${ix}` } };
  }
}

interface JobStatusCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

interface PodFailurePolicyRule {
  action?: string;
  onExitCodes?: unknown;
  onPodConditions?: { type?: string; status?: string }[];
}

/** Upstream matchPodFailurePolicy for pod `p`: the first rule that matches, with the FailJob
 * message upstream writes. onExitCodes rules never match (ksim has no exit codes; loading
 * warns); onPodConditions match the one condition ksim gives, DisruptionTarget True. */
export function matchPodFailurePolicy(job: WorkloadObject, p: PodInfo): { action: string; message: string } | null {
  const rules = ((job.spec as { podFailurePolicy?: { rules?: PodFailurePolicyRule[] } } | undefined)?.podFailurePolicy?.rules) ?? [];
  if (rules.length === 0 || !hasDisruptionTarget(p)) return null;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as PodFailurePolicyRule;
    if (r.onExitCodes !== undefined || r.onPodConditions === undefined) continue;
    if (!r.onPodConditions.some((c) => c.type === 'DisruptionTarget' && (c.status ?? 'True') === 'True')) continue;
    const action = r.action ?? 'Count';
    return { action, message: `Pod ${p.namespace}/${p.name} has condition DisruptionTarget matching ${action} rule at index ${i}` };
  }
  return null;
}

/** completionMode Indexed (upstream isIndexedJob). */
export function isIndexed(o: WorkloadObject): boolean {
  return (o.spec as { completionMode?: string } | undefined)?.completionMode === 'Indexed';
}

/** An Indexed Job's pod's index (its label batch.kubernetes.io/job-completion-index; upstream
 * getCompletionIndex reads the annotation of that key, which the controller writes with the
 * label), or -1 when it has none or not a number. */
export function completionIndex(p: PodInfo): number {
  const v = p.labels[JOB_COMPLETION_INDEX];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : -1;
}

/** Upstream podGenerateNameWithIndex without its trailing "-" (PodNames adds it): the Job name
 * cut so that "<job>-<index>-" fits names.MaxGeneratedNameLength. */
export function indexedPodPrefix(job: string, ix: number): string {
  const append = `-${ix}-`;
  const prefix = job.length + append.length > MAX_GENERATED_NAME_LENGTH ? job.slice(0, MAX_GENERATED_NAME_LENGTH - append.length) : job;
  return `${prefix}-${ix}`;
}

/** Upstream appendDuplicatedIndexPodsForRemoval (indexed_job_utils.go): pods whose index is
 * missing or not below `completions`, and of each index all pods but the most active one
 * (controller.ActivePods: bound before unbound, Running before not, older before newer). */
function duplicatedIndexPods(pods: readonly PodInfo[], completions: number): PodInfo[] {
  const rm: PodInfo[] = [];
  const byIndex = new Map<number, PodInfo[]>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix < 0 || ix >= completions) rm.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  const activeness = (p: PodInfo) => [p.nodeName !== null && p.nodeName !== undefined ? 1 : 0, p.phase === 'Running' ? 1 : 0, -creationTimeUs(p)];
  for (const [, group] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    if (group.length < 2) continue;
    group.sort((a, b) => {
      const x = activeness(a);
      const y = activeness(b);
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || (a.key < b.key ? -1 : 1);
    });
    rm.push(...group.slice(0, -1));
  }
  return rm;
}

/** Upstream parseIndexesFromString: "1,3-5" as indexes below `completions`. */
export function parseIndexes(text: string, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let i = lo; i <= Math.min(hi, completions - 1); i++) out.add(i);
  }
  return out;
}

/** Upstream orderedIntervals.String: ascending indexes as "0-2,5". */
export function formatIndexes(ixs: ReadonlySet<number>): string {
  const sorted = [...ixs].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** spec.suspend (upstream jobSuspended). */
export function isSuspended(o: WorkloadObject): boolean {
  return (o.spec as { suspend?: boolean } | undefined)?.suspend === true;
}

/** The finished condition of a stored Job (from its status), or null while it runs. */
export function jobFinished(o: WorkloadObject): JobCondition | null {
  const conds = ((o['status'] as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions) ?? [];
  for (const c of conds) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return null;
}

