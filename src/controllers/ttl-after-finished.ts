// TTL-after-finished controller (upstream pkg/controller/ttlafterfinished/
// ttlafterfinished_controller.go): a Job with spec.ttlSecondsAfterFinished is deleted that many
// seconds after it finished (its Complete or Failed condition's lastTransitionTime, whole
// seconds as written), with its pods (upstream deletes with Foreground propagation; ksim's
// garbage collector deletes the pods once the Job is gone). A Job that finishes already expired
// (TTL 0, or set later) goes at once; a TTL changed before expiry is taken as of the update.
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { objectKey } from '../cluster/workload-object.js';
import { US_PER_S } from '../engine/time.js';
import { DEFAULT_WALL_CLOCK, type WallClock } from './cron.js';
import { jobFinished } from './job.js';

export class TtlAfterFinishedController {
  /** Pending deletions by Job object key. */
  private readonly timers = new Map<string, SimEvent>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    objects: ObjectApi,
    /** Simulated time on the wall clock the Jobs' finish times are written in. */
    private readonly clock: WallClock = DEFAULT_WALL_CLOCK,
  ) {
    api.watch({ objectAdded: (o) => this.consider(o) });
    objects.watch({
      objectUpdated: (o) => this.consider(o),
      objectDeleted: (o) => {
        if (o.kind !== 'Job') return;
        const key = objectKey('Job', o.metadata.namespace, o.metadata.name);
        const t = this.timers.get(key);
        if (t !== undefined) this.sim.cancel(t);
        this.timers.delete(key);
      },
    });
  }

  /** Upstream addJob / updateJob → needsCleanup → processTTL. */
  private consider(o: WorkloadObject): void {
    if (o.kind !== 'Job') return;
    const ttl = (o.spec as { ttlSecondsAfterFinished?: number } | undefined)?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null) return;
    const finishUs = jobFinishUs(o, this.clock);
    if (finishUs === null) return;
    const key = objectKey('Job', o.metadata.namespace, o.metadata.name);
    const old = this.timers.get(key);
    if (old !== undefined) this.sim.cancel(old);
    const at = Math.max(finishUs + ttl * US_PER_S, this.sim.now);
    this.timers.set(key, this.sim.scheduleAt(at, 'ttlafterfinished.expire', key, () => {
      this.timers.delete(key);
      // Upstream re-reads the Job before deleting it: still there and still finished.
      const fresh = this.api.cluster.objects.get(key);
      if (fresh === undefined || jobFinished(fresh) === null) return;
      this.api.deleteObject('Job', o.metadata.namespace, o.metadata.name);
    }));
  }
}

/** Upstream jobFinishTime: the finished condition's lastTransitionTime, in simulated µs (null
 * when the Job has not finished or the time does not parse). */
export function jobFinishUs(o: WorkloadObject, clock: WallClock = DEFAULT_WALL_CLOCK): number | null {
  const conds = (o['status'] as { conditions?: { type?: string; status?: string; lastTransitionTime?: string }[] } | undefined)?.conditions ?? [];
  for (const c of conds) {
    if ((c.type !== 'Complete' && c.type !== 'Failed') || c.status !== 'True') continue;
    return clock.runUs(c.lastTransitionTime ?? '');
  }
  return null;
}
