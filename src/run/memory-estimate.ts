// A rough upper estimate of the memory a run needs, so that a scenario far too big for the
// process fails at once with advice rather than crashing out of memory hours later.
import type { Scenario } from '../workload/scenario.js';

/** Bytes per node (Node object, NodeInfo, indexes) and per pod ever created (Pod object,
 * PodInfo, queue entry, placements row, events), measured on the bundled scenarios with
 * generous margin. */
export const BYTES_PER_NODE = 8 * 1024;
export const BYTES_PER_POD = 4 * 1024;

export interface MemoryEstimate {
  readonly nodes: number;
  /** Pods the workload creates over the run (including replacements of completed pods). */
  readonly pods: number;
  readonly bytes: number;
}

export function estimateMemory(s: Scenario): MemoryEstimate {
  let pods = 0;
  for (const e of s.workload) {
    const arrivals = e.arrival.kind === 'at'
      ? (e.arrival.atUs <= s.durationUs ? 1 : 0)
      : Math.min(e.arrival.count ?? Number.POSITIVE_INFINITY, Math.ceil((e.arrival.perMinute * Math.max(0, s.durationUs - e.arrival.startUs)) / 60e6) + 1);
    let barePods = 0;
    let replicas = 0;
    for (const m of e.manifests) {
      if (m.kind === 'Pod') barePods += 1;
      else if (m.kind === 'Deployment') replicas += Number((m.spec as { replicas?: number } | undefined)?.replicas ?? 1);
    }
    // Pods that complete are replaced by their ReplicaSet: at most one generation per run duration.
    const rd = e.runDuration;
    const meanRunUs = rd === null ? Number.POSITIVE_INFINITY : rd.kind === 'constant' ? rd.value : rd.kind === 'uniform' ? (rd.min + rd.max) / 2 : rd.kind === 'exponential' ? rd.mean : rd.kind === 'normal' ? rd.mean : rd.p50;
    const generations = Number.isFinite(meanRunUs) && meanRunUs > 0 ? 1 + s.durationUs / meanRunUs : 1;
    pods += arrivals * (barePods + replicas * Math.min(generations, 1e6));
  }
  const nodes = s.nodes.length;
  return { nodes, pods: Math.round(pods), bytes: nodes * BYTES_PER_NODE + pods * BYTES_PER_POD };
}
