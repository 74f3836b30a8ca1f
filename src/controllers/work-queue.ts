// The part every workload controller shares with upstream's workqueue: objects are keyed by
// namespace/name, and any number of events for one object within an instant cause a single
// sync (the queue dedupes keys; see k8s.io/client-go/util/workqueue). A sync that fails (a pod
// create the API server refused) is retried through the queue's rate limiter, as upstream
// controllers do with queue.AddRateLimited(key); a sync that succeeds calls queue.Forget(key).
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
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
  when(st: Retryable, nowUs: number): number {
    const exp = st.failures++;
    const backoff = this.baseDelayUs * 2 ** exp;
    const item = backoff > this.maxDelayUs ? this.maxDelayUs : backoff;
    const overall = this.bucket === null ? 0 : this.bucket.reserve(nowUs);
    return Math.max(item, overall);
  }

  /** Upstream Forget: the object synced successfully; its next failure starts at the base delay. */
  forget(st: Retryable): void {
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
