// jobs.csv: one row per Job the run had, written at the end (Jobs are few), by creation time,
// namespace and name. Times are when the writes committed (exact µs), not the status's
// whole-second timestamps.
import type { PodInfo } from '../cluster/pod-info.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import { jobFinished } from '../controllers/job.js';
import type { Simulation } from '../engine/simulation.js';
import { toSeconds } from '../engine/time.js';
import type { RowSink } from './csv-output.js';

interface JobRecord {
  readonly namespace: string;
  readonly name: string;
  readonly workload: string;
  readonly createdUs: number;
  startedUs: number;
  finishedUs: number;
  succeeded: number | null;
  failed: number | null;
  condition: string;
  reason: string;
  /** Its JobSuspended condition is True (the Job controller suspended it). */
  suspended: boolean;
}

/** A Job's live counts (the Job controller's), for Jobs still running at the end. */
export type JobCounts = (namespace: string, name: string) => { readonly succeeded: number; readonly failed: number } | undefined;

export class JobsCollector {
  /** Every Job in creation order. */
  private readonly records: JobRecord[] = [];
  /** The Jobs in the store, by namespace/name. */
  private readonly current = new Map<string, JobRecord>();

  constructor(private readonly sim: Simulation) {}

  readonly watcher: ClusterWatcher = {
    objectAdded: (o) => {
      if (o.kind !== 'Job') return;
      const tmpl = (o.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template;
      const rec: JobRecord = {
        namespace: o.metadata.namespace,
        name: o.metadata.name,
        workload: tmpl?.metadata?.annotations?.[WORKLOAD_ANNOTATION] ?? o.metadata.annotations?.[WORKLOAD_ANNOTATION] ?? '',
        createdUs: this.sim.now,
        startedUs: -1, finishedUs: -1, succeeded: null, failed: null, condition: 'Running', reason: '', suspended: false,
      };
      this.records.push(rec);
      this.current.set(`${rec.namespace}/${rec.name}`, rec);
      this.finishedBy(rec, o);
    },
    objectUpdated: (o) => {
      if (o.kind !== 'Job') return;
      const rec = this.current.get(`${o.metadata.namespace}/${o.metadata.name}`);
      if (rec === undefined) return;
      const conds = ((o['status'] ?? {}) as { conditions?: { type?: string; status?: string }[] }).conditions;
      rec.suspended = conds?.some((c) => c.type === 'JobSuspended' && c.status === 'True') === true;
      this.finishedBy(rec, o);
    },
    objectDeleted: (o) => {
      if (o.kind !== 'Job') return;
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const rec = this.current.get(key);
      if (rec === undefined) return;
      this.current.delete(key);
      if (rec.finishedUs < 0) rec.condition = 'Deleted';
    },
    podAdded: (p: PodInfo) => {
      if (p.ownerKind !== 'Job') return;
      const rec = this.current.get(p.ownerKey);
      if (rec !== undefined && rec.startedUs < 0) rec.startedUs = this.sim.now;
    },
  };

  /** Takes the finished condition and counts from a Job's status once it has one. */
  private finishedBy(rec: JobRecord, o: WorkloadObject): void {
    if (rec.finishedUs >= 0) return;
    const type = jobFinished(o);
    if (type === null) return;
    const st = (o['status'] ?? {}) as { succeeded?: number; failed?: number; conditions?: { type?: string; reason?: string }[] };
    rec.finishedUs = this.sim.now;
    rec.succeeded = st.succeeded ?? 0;
    rec.failed = st.failed ?? 0;
    rec.condition = type;
    rec.reason = st.conditions?.find((c) => c.type === type)?.reason ?? '';
  }

  /** Writes every Job's row: by creation time, namespace and name. `counts` gives the live
   * counts of Jobs still running. */
  finish(sink: RowSink, counts: JobCounts): void {
    const sorted = [...this.records].sort((a, b) => a.createdUs - b.createdUs || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const r of sorted) {
      const live = r.condition === 'Running' ? counts(r.namespace, r.name) : undefined;
      sink.add({
        namespace: r.namespace,
        name: r.name,
        workload: r.workload,
        created_s: toSeconds(r.createdUs),
        started_s: r.startedUs < 0 ? null : toSeconds(r.startedUs),
        finished_s: r.finishedUs < 0 ? null : toSeconds(r.finishedUs),
        succeeded: r.succeeded ?? live?.succeeded ?? null,
        failed: r.failed ?? live?.failed ?? null,
        condition: r.condition === 'Running' && r.suspended ? 'Suspended' : r.condition,
        reason: r.reason,
      });
    }
  }
}
