// The part every workload controller shares with upstream's workqueue: objects are keyed by
// namespace/name, and any number of events for one object within an instant cause a single
// sync (the queue dedupes keys; see k8s.io/client-go/util/workqueue). A sync that fails (a pod
// create the API server refused) is retried through the queue's rate limiter, as upstream
// controllers do with queue.AddRateLimited(key); a sync that succeeds calls queue.Forget(key).
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { PodBooks } from '../cluster/pod-list.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { PodNames } from './names.js';
import { TokenBucket } from '../controlplane/token-bucket.js';
import { addTimeUs, US_PER_MS, US_PER_S } from '../engine/time.js';

export function namespacedKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Per-object controller state with a coalesced sync. */
export interface Syncable {
  obj: WorkloadObject;
  syncQueued: boolean;
}

/** Syncs an object again at `atUs` (one of its pods becomes available then: minReadySeconds),
 * unless a wake as early is pending in `holder.wakeUs`; a later one still pending finds nothing
 * to do when it comes (upstream requeues the object after the remaining minReadySeconds:
 * AddAfter in the Deployment, StatefulSet and DaemonSet controllers). */
export function wakeAt(sim: Simulation, holder: { wakeUs: number }, atUs: number, kind: string, subject: string, enqueue: () => void): void {
  if (atUs >= holder.wakeUs) return;
  holder.wakeUs = atUs;
  sim.scheduleAt(atUs, kind, subject, () => {
    if (holder.wakeUs === atUs) holder.wakeUs = Infinity;
    enqueue();
  });
}

/** Queues one sync of `st` at the current instant unless one is already queued (upstream
 * queue.Add: informer events, never delayed by the object's failures). */
export function queueSync<S extends Syncable>(sim: Simulation, eventKind: string, st: S, sync: (st: S) => void): void {
  if (st.syncQueued) return;
  st.syncQueued = true;
  sim.schedule(0, eventKind, namespacedKey(st.obj.metadata.namespace, st.obj.metadata.name), () => {
    st.syncQueued = false;
    sync(st);
  });
}

/** State of an object whose failed syncs are retried with a growing delay. */
export interface Retryable extends Syncable {
  /** Failed syncs since the last successful one (upstream ItemExponentialFailureRateLimiter's
   * per-item count, cleared by Forget). */
  failures: number;
  /** The pending delayed add (upstream delayingQueue's waiting entry), if any. */
  retry: SimEvent | null;
}

/** The rate limiter of a controller's work queue. Upstream client-go
 * util/workqueue/default_rate_limiters.go: DefaultTypedControllerRateLimiter is the max of
 * ItemExponentialFailureRateLimiter(5 ms, 1000 s) — base · 2^failures, capped — and one
 * BucketRateLimiter (rate.NewLimiter(10, 100)) shared by every key of the queue, which only
 * AddRateLimited draws from. The Job controller uses the exponential part alone (1 s, 1 min). */
export class ControllerRateLimiter {
  private readonly bucket: TokenBucket | null;

  constructor(
    readonly baseDelayUs: number = 5 * US_PER_MS,
    readonly maxDelayUs: number = 1000 * US_PER_S,
    bucket: { readonly qps: number; readonly burst: number } | null = { qps: 10, burst: 100 },
  ) {
    this.bucket = bucket === null ? null : new TokenBucket(bucket.qps, bucket.burst);
  }

  /** Upstream MaxOfRateLimiter.When: counts one more failure of `st` and returns how long its
   * retry waits (µs). */
  when<S extends { failures: number }>(st: S, nowUs: number): number {
    const exp = st.failures++;
    const backoff = this.baseDelayUs * 2 ** exp;
    const item = backoff > this.maxDelayUs ? this.maxDelayUs : backoff;
    const overall = this.bucket === null ? 0 : this.bucket.reserve(nowUs);
    return Math.max(item, overall);
  }

  /** Upstream Forget: the object synced successfully; its next failure starts at the base delay. */
  forget<S extends { failures: number }>(st: S): void {
    st.failures = 0;
  }
}

/** Upstream queue.AddRateLimited(key): a sync of `st` after the limiter's delay. Like the
 * delaying queue's AddAfter, one waiting entry per key, and an earlier ready time wins; when it is
 * ready the key is added as queue.Add does (merged with a sync already queued). */
export function queueSyncRateLimited<S extends Retryable>(sim: Simulation, eventKind: string, st: S, limiter: ControllerRateLimiter, sync: (st: S) => void): void {
  const readyAt = addTimeUs(sim.now, limiter.when(st, sim.now));
  if (st.retry !== null && !st.retry.cancelled && st.retry.time <= readyAt) return;
  if (st.retry !== null) sim.cancel(st.retry);
  st.retry = sim.scheduleAt(readyAt, `${eventKind}-retry`, namespacedKey(st.obj.metadata.namespace, st.obj.metadata.name), () => {
    st.retry = null;
    queueSync(sim, eventKind, st, sync);
  });
}

/** A retryable object whose sync may be asked for again while its creates are in flight. */
export interface BatchedSync extends Retryable {
  /** A sync was asked for while this one's creates were in flight (the queue's dirty set). */
  dirty: boolean;
}

/** Upstream pkg/controller/controller_utils.go SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * Upstream slowStartBatch (pkg/controller/replicaset/replica_set.go; the same loop in the
 * DaemonSet controller's syncNodes and the Job controller's manageJob, and StatefulSet's
 * runForAll) on the event clock: items 0 .. count−1 in batches of 1, 2, 4, ... (at most
 * `maxBatch`). `start(i, done)` sends item i's create and returns true, or returns false when the
 * item needs none; the next batch starts once every create of the previous one has called
 * done(ok) (at once when it sent none). A batch with a refused create ends the run.
 * `finished(created, refused)`: pods created, and whether it stopped at a refusal.
 */
export function slowStartBatch(
  count: number,
  maxBatch: number,
  start: (i: number, done: (ok: boolean) => void) => boolean,
  finished: (created: number, refused: boolean) => void,
): void {
  let created = 0;
  const from = (pos: number, batch: number): void => {
    while (pos < count) {
      const size = Math.min(batch, count - pos, maxBatch);
      const next = pos + size;
      let pending = 1; // the sending loop below holds one until it is done
      let refused = false;
      const settle = (): void => {
        if (--pending > 0) return;
        if (refused) finished(created, true);
        else from(next, 2 * size);
      };
      const done = (ok: boolean): void => {
        if (ok) created++;
        else refused = true;
        settle();
      };
      let sent = 0;
      for (let i = pos; i < next; i++) {
        pending++;
        if (start(i, done)) sent++;
        else pending--;
      }
      if (sent > 0) return settle();
      pos = next;
      batch = 2 * size;
    }
    finished(created, false);
  };
  from(0, SLOW_START_INITIAL_BATCH_SIZE);
}

/** A controller's books of the pods it creates. */
/** Records a pod a controller heard of (podAdded) in `pods`; true when the controller did not
 * create it (its own pods are in `pods` from their create's commit on) and the start state is
 * committed: such a pod (a user's, with the controller's object as controller) can be a surplus,
 * and upstream's addPod queues a sync for every pod, so the caller syncs now. */
export function heardForeignPod(pods: PodBooks, p: PodInfo, startingUp: boolean): boolean {
  const ours = pods.has(p);
  pods.add(p);
  return !ours && !startingUp;
}

export interface CreatedPods {
  /** Creates sent and not yet answered. */
  inflight: number;
  readonly pods: PodBooks;
}

/** The ReplicaSet's and the Job's create loop: `count` pods made by `newPod` in slow-start batches
 * (no cap); each is in flight until answered, its reserved name then released, and kept in
 * `st.pods` if created. */
export function createPodsSlowStart<S extends CreatedPods>(
  api: ApiServer,
  names: PodNames,
  st: S,
  count: number,
  newPod: (st: S) => Pod,
  finished: (created: number, refused: boolean) => void,
): void {
  slowStartBatch(
    count,
    Infinity,
    (_i, done) => {
      const pod = newPod(st);
      const key = names.keyFor(pod);
      st.inflight++;
      api.createPod(
        pod,
        (p) => {
          names.release(key);
          st.inflight--;
          if (p !== null) st.pods.add(p);
          done(p !== null);
        },
        key,
      );
      return true;
    },
    finished,
  );
}

/** A sync's creates are over (upstream processNextWorkItem after the sync handler returned):
 * refused, the sync failed and the object is retried through the limiter (AddRateLimited);
 * otherwise Forget. It is queued again at once after a success, and after a failure when the
 * sync created pods (the informer's addPod → queue.Add) or an event came during it (dirty). */
export function endSync<S extends BatchedSync>(sim: Simulation, eventKind: string, st: S, limiter: ControllerRateLimiter, sync: (st: S) => void, created: number, refused: boolean): void {
  const again = !refused || st.dirty || created > 0;
  st.dirty = false;
  if (refused) queueSyncRateLimited(sim, eventKind, st, limiter, sync);
  else limiter.forget(st);
  if (again) queueSync(sim, eventKind, st, sync);
}
