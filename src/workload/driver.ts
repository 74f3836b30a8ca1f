// Submits a scenario's workload to the API server at the entries' arrival times.
import { merged } from '../api/values.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import { sample } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import { US_PER_S } from '../engine/time.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { keyOf, type WorkloadObject } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { leavesReplicasOut, SETUP_KINDS, type WorkloadManifest } from './manifests.js';
import type { WorkloadEntry } from './scenario.js';
import { TraceReplay, type TraceStats } from './traces/trace-replay.js';

export class WorkloadDriver {
  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly streams: RandomStreams,
    private readonly endUs: number,
    /** For objects that arrive again or are in the start state (updates); without it they are
     * created again (and refused). */
    private readonly objects?: ObjectApi,
    /** Unknown fields in a trace's objects stop the run (--strict). */
    private readonly strict = false,
  ) {}

  /** The manifest each object created or updated by `at` entries was last applied with, by
   * key: a later arrival of the same one updates it. */
  private readonly applied = new Map<string, WorkloadManifest>();
  /** Trace entries being replayed, in workload order. */
  private readonly traces: TraceReplay[] = [];

  /** What each trace entry read, filtered, skipped and submitted (run.json). */
  traceStats(): TraceStats[] {
    return this.traces.map((t) => t.statsAtEnd());
  }

  /** What the trace entries warn about their files (a file without rows, ...). */
  traceWarnings(): string[] {
    return this.traces.flatMap((t) => t.warnings());
  }

  start(entries: readonly WorkloadEntry[]): void {
    // Namespaces, PriorityClasses and PDBs that arrive at 0s exist before anything else happens.
    for (const e of entries) {
      if (e.arrival.kind !== 'at' || e.arrival.atUs !== 0) continue;
      for (const m of e.manifests) if (SETUP_KINDS.has(m.kind ?? '')) this.api.seedObject(structuredClone(m) as WorkloadObject);
    }
    for (const e of entries) {
      if (e.trace !== undefined) {
        // Each trace reads ahead on its own events; the event queue merges them in time order.
        const t = new TraceReplay(this.sim, this.api, e.name, e.trace, this.streams.stream(`trace/${e.name}`), this.endUs, this.objects, this.strict);
        this.traces.push(t);
        t.start();
        continue;
      }
      const a = e.arrival;
      if (a.kind === 'at') {
        if (a.atUs <= this.endUs) this.sim.scheduleAt(a.atUs, 'workload.arrive', e.name, () => this.submit(e, null));
        continue;
      }
      // Each entry has its own stream, so adding an entry leaves the others' arrivals unchanged.
      const rng = this.streams.stream(`arrivals/${e.name}`);
      const meanGapUs = (60 * US_PER_S) / a.perMinute;
      const gap = () => (a.process === 'fixed' ? meanGapUs : sample({ kind: 'exponential', mean: meanGapUs }, rng));
      let t = a.process === 'fixed' ? a.startUs : a.startUs + gap();
      let n = 0;
      const next = () => {
        const at = Math.round(t);
        if (at > this.endUs || (a.count !== null && n >= a.count)) return;
        n++;
        const index = n;
        this.sim.scheduleAt(at, 'workload.arrive', e.name, () => {
          this.submit(e, index);
          t += gap();
          next();
        });
      };
      next();
    }
  }

  /** Creates the entry's objects; arrivals of a rate get a -<n> suffix on their names. */
  private submit(e: WorkloadEntry, index: number | null): void {
    for (const m of e.manifests) {
      if (index === null && this.sim.now === 0 && SETUP_KINDS.has(m.kind ?? '')) continue; // seeded in start()
      // A fresh top level, metadata and spec per submission: the run writes spec.nodeName,
      // spec.priority and names into these, never into nested parts (containers, affinity).
      const obj = merged<WorkloadManifest>(m, { metadata: merged(m.metadata), ...('spec' in m && m.spec !== undefined ? { spec: merged(m.spec) } : {}) });
      if (index !== null) obj.metadata!.name = `${obj.metadata!.name}-${index}`;
      if (obj.kind === 'Pod') {
        this.api.createPod(obj as Pod);
        continue;
      }
      const o = obj as unknown as WorkloadObject;
      if (index === null && this.objects !== undefined) {
        // Applied again, or already in the start state (a cluster snapshot): an update, as
        // kubectl apply makes it (a Deployment or StatefulSet scaled, a CronJob's template).
        const key = keyOf(o);
        const before = this.applied.get(key);
        this.applied.set(key, m);
        // kubectl apply's three-way merge: replicas left out now and before stay as they are.
        this.objects.apply(o, before !== undefined, before !== undefined && leavesReplicasOut(m) && leavesReplicasOut(before));
        continue;
      }
      this.api.createObject(o);
    }
  }
}
