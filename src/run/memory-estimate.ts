// A rough upper estimate of the memory a run needs, so that a scenario far too big for the
// process fails at once with advice rather than crashing out of memory hours later.
//
// Memory follows the live set: a pod's objects (Pod, PodInfo, queue entry, index entries) are
// held while it exists in the store, which is until it is deleted — by its controller, or, once
// finished, by the pod garbage collector, which keeps at most controlPlane.
// terminatedPodGCThreshold finished pods. What stays per pod ever created is its two latency
// samples (src/metrics/samples.ts); placements.csv rows are streamed to the file by the CLI.
import type { Scenario } from '../workload/scenario.js';
import { DEFAULT_TERMINATED_POD_GC_THRESHOLD } from '../controllers/podgc.js';

/** Bytes per node (Node object, NodeInfo, indexes, lease), per pod in the store (Pod object,
 * PodInfo, queue entry, controller and index entries, with generous margin) and per pod ever
 * created (scheduling and startup latency samples: at most 4 bytes each, sorted and
 * delta-encoded in chunks, typically 1–2). */
export const BYTES_PER_NODE = 8 * 1024;
export const BYTES_PER_POD = 4 * 1024;
export const BYTES_PER_POD_CREATED = 8;

export interface MemoryEstimate {
  readonly nodes: number;
  /** Most pods in the store at once: live pods plus the finished ones the pod garbage collector
   * keeps. */
  readonly pods: number;
  /** Pods the workload creates over the run (including replacements of completed pods). */
  readonly podsCreated: number;
  readonly bytes: number;
}

export function estimateMemory(s: Scenario): MemoryEstimate {
  let live = 0;
  let created = 0;
  for (const e of s.workload) {
    const arrivals = e.arrival.kind === 'at'
      ? (e.arrival.atUs <= s.durationUs ? 1 : 0)
      : Math.min(e.arrival.count ?? Number.POSITIVE_INFINITY, Math.ceil((e.arrival.perMinute * Math.max(0, s.durationUs - e.arrival.startUs)) / 60e6) + 1);
    let barePods = 0;
    let replicas = 0;
    for (const m of e.manifests) {
      if (m.kind === 'Pod') barePods += 1;
      else if (m.kind === 'Deployment' || m.kind === 'StatefulSet') replicas += Number((m.spec as { replicas?: number } | undefined)?.replicas ?? 1);
      else if (m.kind === 'Job') replicas += Number((m.spec as { parallelism?: number } | undefined)?.parallelism ?? 1);
    }
    const rd = e.runDuration;
    const meanRunUs = rd === null ? Number.POSITIVE_INFINITY : rd.kind === 'constant' ? rd.value : rd.kind === 'uniform' ? (rd.min + rd.max) / 2 : rd.kind === 'exponential' ? rd.mean : rd.kind === 'normal' ? rd.mean : rd.p50;
    // Pods that complete are replaced by their controller: one generation per run duration.
    const generations = Number.isFinite(meanRunUs) && meanRunUs > 0 ? 1 + s.durationUs / meanRunUs : 1;
    created += arrivals * (barePods + replicas * Math.min(generations, 1e6));
    // Bare pods of a rate that finish: about rate × run duration alive at once (Little's law).
    const concurrent = e.arrival.kind === 'rate' && Number.isFinite(meanRunUs)
      ? Math.min(arrivals, Math.ceil((e.arrival.perMinute * meanRunUs) / 60e6) + 1)
      : arrivals;
    live += concurrent * barePods + arrivals * replicas;
  }
  const threshold = s.terminatedPodGCThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
  const finishedKept = Math.max(0, created - live);
  const stored = live + (threshold > 0 ? Math.min(threshold, finishedKept) : finishedKept);
  const nodes = s.nodes.length;
  return {
    nodes,
    pods: Math.round(stored),
    podsCreated: Math.round(created),
    bytes: nodes * BYTES_PER_NODE + stored * BYTES_PER_POD + created * BYTES_PER_POD_CREATED,
  };
}
