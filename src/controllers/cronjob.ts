// CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go, simplified):
// for each time of its schedule (src/controllers/cron.ts; simulated t = 0 is
// 2026-01-01T00:00:00Z, or a cluster snapshot's own time, UTC) it creates a Job
// `<cronjob>-<minutes since the Unix epoch>` from spec.jobTemplate, owned by the CronJob
// (controller: true), as upstream names them. Concurrency: Allow creates regardless; Forbid
// skips the time while a Job of this CronJob is active (not Complete or Failed); Replace deletes
// the active Jobs (the garbage collector deletes their pods) and creates the new one. suspend:
// true skips every time.
// Schedules: cron fields or `@every <duration>` (cron.ts), whose times count from
// status.lastScheduleTime, or creationTimestamp before the first Job, each a delay after the
// one before (upstream issue #104012, PR #109250: mostRecentScheduleTime steps from there).
// Timing, as upstream's sync (cronjob_controllerv2.go syncCronJob, utils.go): each sync looks
// up the most recent unmet time (mostRecentScheduleTime: the latest schedule time after
// status.lastScheduleTime, or creationTimestamp before the first Job, and after now −
// startingDeadlineSeconds, at or before now), and ends by requeuing the CronJob at the schedule's
// next time after that one plus nextScheduleDelta, 100 ms (nextScheduleTimeDuration): so a Job
// is created 100 ms after its scheduled time (plus the API server's latency), not at it. A sync
// also runs when one of its Jobs finishes or is deleted, or the CronJob is updated (a changed
// schedule only requeues it); the requeue keeps the earliest time asked for, as the delaying
// queue does. startingDeadlineSeconds: a time more than that many seconds before the sync is
// missed (tooLate); since the sync is 100 ms late, a deadline of 0 never starts a Job, as
// upstream.
// Missed times: a time skipped (Forbid, suspend) is not recorded as status.lastScheduleTime, so
// the next sync starts a Job late for the most recent unmet time (one Job, however many were
// missed) unless its deadline has passed.
// History limits: once a Job of the CronJob
// is heard to finish, the finished Jobs past successfulJobsHistoryLimit (default 3) Complete or
// failedJobsHistoryLimit (default 1) Failed ones are deleted, oldest status.startTime first, ties
// by name (upstream cleanupFinishedJobs / removeOldestJobs / byJobStartTime, run by every sync,
// which a Job update triggers; defaults from pkg/apis/batch/v1/defaults.go SetDefaults_CronJob);
// the garbage collector deletes their pods. Not modelled: timeZone (schedules run in UTC; loading
// warns of any other zone).
import { copyPlain } from '../api/values.js';
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { controllerRef, type ObjectOf, type WorkloadObject } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { DEFAULT_WALL_CLOCK, parseSchedule, type Schedule, type WallClock } from './cron.js';
import { US_PER_S } from '../engine/time.js';
import { jobFinished, type JobCondition } from './job.js';
import { namespacedKey } from './work-queue.js';
import { KindInformer } from './informer.js';

interface CjState {
  obj: ObjectOf<'CronJob'>;
  schedule: Schedule;
  timer: SimEvent | null;
  /** Names of its Jobs that exist and have not finished. */
  readonly active: Set<string>;
  /** Its finished Jobs that still exist, by name. */
  readonly finished: Map<string, FinishedJob>;
  /** When it was created, in whole seconds (upstream creationTimestamp): missed times count
   * from here until the first Job. */
  readonly createdUs: number;
  /** The scheduled time of the last Job it started (upstream status.lastScheduleTime; a
   * snapshot's CronJob brings its own, before t = 0), null before the first. */
  lastScheduledUs: number | null;
}

interface FinishedJob {
  readonly name: string;
  /** status.startTime as written (whole seconds, RFC 3339), '' when unset. */
  readonly startTime: string;
  readonly complete: boolean;
  /** Its deletion was sent (it stays here until the deletion is heard). */
  deleteSent: boolean;
}

/** Upstream defaults for spec.successfulJobsHistoryLimit and spec.failedJobsHistoryLimit. */
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

/** Upstream cronjob_controllerv2.go nextScheduleDelta: a sync is requeued this long after the
 * schedule time it waits for. */
export const NEXT_SCHEDULE_DELTA_US = 100_000;

/** Upstream getJobName: the scheduled time in minutes since the Unix epoch. */
export function cronJobName(cronJob: string, scheduledUs: number, clock: WallClock = DEFAULT_WALL_CLOCK): string {
  return `${cronJob}-${clock.unixMinutes(scheduledUs)}`;
}

export class CronJobController {
  private readonly cronJobs: KindInformer<'CronJob', CjState>;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    objects?: ObjectApi,
    /** Simulated time on the wall clock the schedules read. */
    private readonly clock: WallClock = DEFAULT_WALL_CLOCK,
  ) {
    this.cronJobs = new KindInformer<'CronJob', CjState>('CronJob', api, objects, {
      add: (o) => {
        // metadata.creationTimestamp (a snapshot's CronJob keeps it), else now, in whole
        // seconds: where an @every schedule counts from before its first Job.
        const created = (o.metadata as { creationTimestamp?: unknown }).creationTimestamp;
        const createdUs = this.clock.wholeSecond((typeof created === 'string' ? this.clock.runUs(created) : null) ?? this.sim.now);
        const last = (o['status'] as { lastScheduleTime?: string } | undefined)?.lastScheduleTime;
        const lastScheduledUs = last === undefined ? null : this.clock.runUs(last);
        const st: CjState = { obj: o, schedule: parseSchedule(o.spec!.schedule), timer: null, active: new Set(), finished: new Map(), createdUs, lastScheduledUs };
        // Upstream enqueues it: its first sync finds no time yet and requeues it for the first.
        this.requeue(st);
        return st;
      },
      update: (st, o) => {
        const scheduleChanged = o.spec!.schedule !== st.obj.spec!.schedule;
        st.obj = o;
        st.schedule = parseSchedule(o.spec!.schedule);
        // Upstream updateCronJob: a changed schedule requeues it for the new schedule's next
        // time; any other change syncs now (e.g. resumed: a missed time starts now).
        if (scheduleChanged) this.requeue(st);
        else this.sync(st);
        this.cleanupFinishedJobs(st); // the limits may have been lowered
      },
      remove: (st) => {
        if (st.timer !== null) this.sim.cancel(st.timer);
      },
    });
    // Its Jobs: active until they finish or are deleted.
    objects?.watch({
      objectUpdated: (o) => {
        if (o.kind !== 'Job') return;
        const type = jobFinished(o);
        if (type === null) return;
        const st = this.cronJobs.ownerOfObject(o);
        if (st === undefined) return;
        st.active.delete(o.metadata.name);
        if (st.finished.has(o.metadata.name)) return;
        st.finished.set(o.metadata.name, finishedJob(o, type));
        this.sync(st); // a time Forbid skipped while this Job ran starts now
        this.cleanupFinishedJobs(st);
      },
      objectDeleted: (o) => {
        if (o.kind !== 'Job') return;
        const st = this.cronJobs.ownerOfObject(o);
        if (st === undefined) return;
        const wasActive = st.active.delete(o.metadata.name);
        st.finished.delete(o.metadata.name);
        if (wasActive) this.sync(st);
      },
    });
    api.watch({
      objectAdded: (o) => {
        if (o.kind !== 'Job') return;
        const st = this.cronJobs.ownerOfObject(o);
        if (st === undefined) return;
        const type = jobFinished(o);
        if (type === null) st.active.add(o.metadata.name);
        // A cluster snapshot's finished Job is history: kept within the limits from the start.
        else st.finished.set(o.metadata.name, finishedJob(o, type));
      },
      // Upstream's first syncCronJob, once the informers have listed the snapshot: a time
      // missed since the snapshot's status.lastScheduleTime (Forbid skipped it while a Job ran)
      // starts now, within startingDeadlineSeconds; finished Jobs past the limits go.
      startStateCommitted: () => {
        for (const st of this.cronJobs.values()) {
          this.sync(st);
          this.cleanupFinishedJobs(st);
        }
      },
    });
  }

  /** Names of the active Jobs of a CronJob (tests). */
  activeJobs(namespace: string, name: string): string[] {
    return [...(this.cronJobs.get(namespace, name)?.active ?? [])].sort();
  }

  /** Upstream cleanupFinishedJobs: the oldest finished Jobs past each history limit are deleted
   * (they stay in `finished` until the deletion is heard, so a second sync does not repeat it). */
  private cleanupFinishedJobs(st: CjState): void {
    const spec = st.obj.spec!;
    const complete: FinishedJob[] = [];
    const failed: FinishedJob[] = [];
    for (const j of st.finished.values()) (j.complete ? complete : failed).push(j);
    this.removeOldestJobs(st, complete, spec.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT);
    this.removeOldestJobs(st, failed, spec.failedJobsHistoryLimit ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT);
  }

  private removeOldestJobs(st: CjState, jobs: FinishedJob[], limit: number): void {
    const numToDelete = jobs.length - limit;
    if (numToDelete <= 0) return;
    jobs.sort(byJobStartTime);
    const ns = st.obj.metadata.namespace;
    for (let i = 0; i < numToDelete; i++) {
      const j = jobs[i] as FinishedJob;
      if (j.deleteSent) continue;
      j.deleteSent = true;
      this.api.deleteObject('Job', ns, j.name);
    }
  }

  /** Upstream mostRecentScheduleTime (pkg/controller/cronjob/utils.go): from `earliest` —
   * status.lastScheduleTime, else creationTimestamp, and with `includeDeadline` no earlier than
   * now − startingDeadlineSeconds — the first two schedule times t1 and t2 after it; none due
   * before t1, t1 before t2; past t2 the number of missed times is estimated from their gap and
   * the most recent found by stepping from shortly before. `error`: the gap is under 1 s (a
   * schedule with no time, e.g. February 30th). */
  private mostRecentScheduleTime(st: CjState, includeDeadline: boolean): MostRecent {
    const now = this.sim.now;
    let earliestUs = st.lastScheduledUs ?? st.createdUs;
    const deadline = st.obj.spec!.startingDeadlineSeconds;
    if (includeDeadline && typeof deadline === 'number') earliestUs = Math.max(earliestUs, now - deadline * US_PER_S);
    const next = (us: number) => this.clock.next(st.schedule, us);
    const t1 = next(earliestUs);
    if (t1 === null) return { earliestUs, mostRecentUs: null, missed: false, error: true };
    if (now < t1) return { earliestUs, mostRecentUs: null, missed: false, error: false };
    const t2 = next(t1);
    if (t2 !== null && now < t2) return { earliestUs, mostRecentUs: t1, missed: false, error: false };
    // Go: int64(t2.Sub(t1).Round(time.Second).Seconds()) (a t2 of none is Go's zero time: < 1).
    const gapS = t2 === null ? 0 : Math.round((t2 - t1) / US_PER_S);
    if (gapS < 1) return { earliestUs, mostRecentUs: null, missed: false, error: true };
    const elapsedS = Math.trunc((now - t1) / US_PER_S);
    const missedCount = Math.floor(elapsedS / gapS) + 1;
    const potentialEarliest = t1 + (missedCount - 2) * gapS * US_PER_S;
    let mostRecentUs: number | null = null;
    for (let t = next(potentialEarliest); t !== null && t <= now; t = next(t)) mostRecentUs = t;
    return { earliestUs, mostRecentUs, missed: missedCount > 0, error: false };
  }

  /** Upstream nextScheduleTimeDuration, and the queue's AddAfter: the CronJob is synced again at
   * the schedule's next time after the most recent one (without the deadline; none yet: after
   * `earliest`, or after now when times were missed), plus nextScheduleDelta. The waiting sync
   * keeps the earliest time asked for (client-go delayingQueue). */
  private requeue(st: CjState): void {
    const r = this.mostRecentScheduleTime(st, false);
    const base = r.error ? this.sim.now : r.mostRecentUs ?? (r.missed ? this.sim.now : r.earliestUs);
    const next = this.clock.next(st.schedule, base);
    if (next === null) return;
    const at = Math.max(next + NEXT_SCHEDULE_DELTA_US, this.sim.now);
    if (st.timer !== null && !st.timer.cancelled && st.timer.time <= at) return;
    if (st.timer !== null) this.sim.cancel(st.timer);
    st.timer = this.sim.scheduleAt(at, 'cronjob.schedule', namespacedKey(st.obj.metadata.namespace, st.obj.metadata.name), () => {
      st.timer = null;
      this.sync(st);
    });
  }

  /** Upstream syncCronJob: unless suspended (then not requeued) or the schedule has no time
   * (neither), starts a Job for the most recent unmet time — unless there is none, it is past
   * startingDeadlineSeconds, it was started already (its Job active, or it is
   * lastScheduleTime), or Forbid has a Job active — and requeues the CronJob. */
  private sync(st: CjState): void {
    const spec = st.obj.spec!;
    if (spec.suspend === true) return;
    const now = this.sim.now;
    const r = this.mostRecentScheduleTime(st, true);
    if (r.error) return; // upstream: InvalidSchedule, not requeued
    const scheduledUs = r.mostRecentUs;
    const deadline = spec.startingDeadlineSeconds;
    const tooLate = scheduledUs !== null && typeof deadline === 'number' && scheduledUs + deadline * US_PER_S < now;
    if (scheduledUs !== null && !tooLate) this.startIfDue(st, scheduledUs);
    this.requeue(st);
  }

  /** The part of upstream syncCronJob from its already-processed check to the create. */
  private startIfDue(st: CjState, scheduledUs: number): void {
    const spec = st.obj.spec!;
    const name = cronJobName(st.obj.metadata.name, scheduledUs, this.clock);
    if (st.active.has(name) || st.lastScheduledUs === scheduledUs) return; // already started
    const ns = st.obj.metadata.namespace;
    // Re-read the store: a Job may have finished or gone since the watch said so.
    for (const active of [...st.active]) {
      const j = this.api.cluster.objects.get(`Job/${ns}/${active}`);
      if (j === undefined || jobFinished(j) !== null) st.active.delete(active);
    }
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && st.active.size > 0) return; // not recorded: a later sync may start it
    if (policy === 'Replace') {
      for (const active of st.active) this.api.deleteObject('Job', ns, active);
      st.active.clear();
    }
    const existing = this.api.cluster.objects.get(`Job/${ns}/${name}`);
    const ref = existing === undefined ? null : controllerRef(existing);
    if (existing !== undefined && ref?.kind === 'CronJob' && ref.name === st.obj.metadata.name) {
      // Upstream: the create answers AlreadyExists, the Job is its own (an @every schedule's
      // second time in one minute, when the first Job has finished): taken as this time's Job.
      if (jobFinished(existing) === null) st.active.add(name);
      st.lastScheduledUs = scheduledUs;
      return;
    }
    this.startJob(st, scheduledUs, name);
  }

  /** Creates the Job for scheduled time `scheduledUs` and records that time as started (a
   * refused create takes the record back, so a later sync tries the time again). */
  private startJob(st: CjState, scheduledUs: number, name: string): void {
    const spec = st.obj.spec!;
    const ns = st.obj.metadata.namespace;
    const jt = spec.jobTemplate ?? {};
    const md = st.obj.metadata;
    const job: WorkloadObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: ns,
        labels: { ...(jt.metadata?.labels ?? {}) },
        annotations: { ...(jt.metadata?.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': this.clock.text(scheduledUs) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true }],
      },
      spec: copyPlain(jt.spec ?? {}),
    };
    st.active.add(name); // before the create commits, so a next time cannot miss it
    const before = st.lastScheduledUs;
    st.lastScheduledUs = scheduledUs;
    this.api.createObject(job, (ok) => {
      if (ok) return;
      st.active.delete(name);
      if (st.lastScheduledUs === scheduledUs) st.lastScheduledUs = before;
    });
  }
}

interface MostRecent {
  readonly earliestUs: number;
  readonly mostRecentUs: number | null;
  /** Times were missed since `earliest` (upstream missedSchedules other than noneMissed). */
  readonly missed: boolean;
  readonly error: boolean;
}

/** A finished Job as the history limits count it. */
function finishedJob(o: WorkloadObject, type: JobCondition): FinishedJob {
  const startTime = (o['status'] as { startTime?: string } | undefined)?.startTime ?? '';
  return { name: o.metadata.name, startTime, complete: type === 'Complete', deleteSent: false };
}

/** Upstream byJobStartTime: Jobs with a startTime first, earliest first; equal times (or both
 * unset) by name. RFC 3339 UTC strings of whole seconds sort as their times do. */
function byJobStartTime(a: FinishedJob, b: FinishedJob): number {
  if (a.startTime === '' && b.startTime !== '') return 1;
  if (a.startTime !== '' && b.startTime === '') return -1;
  if (a.startTime !== b.startTime) return a.startTime < b.startTime ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
