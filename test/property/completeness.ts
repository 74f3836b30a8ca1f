// The completeness direction of the scenario property: a pod must not stay pending for long
// while some node could take it. The invariant checker (src/invariants/) only judges placements
// that were made; here every pending pod is tried, by brute force, against every node with the
// checker's own placement rules (taints, node affinity, inter-pod affinity and anti-affinity,
// topology spread: src/invariants/placement-checks.ts) plus resource fit, the pod count and
// cordoning, on the cluster as it is at each check.
//
// The bound: a pod the scheduler found unschedulable waits in the unschedulable pods pool until a
// cluster event moves it (queueing hints) or, at the latest, until the periodic flush
// (flushUnschedulablePodsLeftover, every 30 s) finds it older than
// podMaxInUnschedulablePodsDuration (5 min); it then waits out its backoff (at most
// podMaxBackoffSeconds, 10 s) before it is tried again (upstream
// pkg/scheduler/backend/queue/scheduling_queue.go defaults). So a pod that stays feasible for
// longer than 5 min + 30 s + 10 s (+ 10 s of slack for the checks' period and scheduling cycles)
// and is still pending is a failure. Explained, and left out: pods behind scheduling gates, pods
// whose scheduler name no profile has, pods nominated by a preemption (they wait for their
// victims), and pods with host ports (not checked here). A node a pod of equal or higher
// priority is nominated to is not offered to a pod: upstream filters every pod with those
// nominees added to the node (RunFilterPluginsWithNominatedPods: a nominee holds its room), and a
// nominee that does not fit there may legitimately wait for the flush (InterPodAffinity's hint,
// for one, needs a deleted pod to match all its anti-affinity terms), holding that room as long.
import assert from 'node:assert/strict';
import type { ClusterState } from '../../src/cluster/cluster-state.js';
import type { PodInfo } from '../../src/cluster/pod-info.js';
import { feasibleNode } from '../../src/invariants/feasibility.js';

const S = 1_000_000;
/** Upstream DefaultPodMaxInUnschedulablePodsDuration. */
export const MAX_UNSCHEDULABLE_US = 300 * S;
/** Upstream's period of flushUnschedulablePodsLeftover. */
export const FLUSH_PERIOD_US = 30 * S;
/** Upstream DefaultPodMaxBackoffDuration. */
export const MAX_BACKOFF_US = 10 * S;
/** How often the property looks (simulated time). */
export const CHECK_PERIOD_US = 10 * S;
/** Longest a pod may stay pending while a node could take it. */
export const PENDING_BOUND_US = MAX_UNSCHEDULABLE_US + FLUSH_PERIOD_US + MAX_BACKOFF_US + CHECK_PERIOD_US;

/** The nodes a preemption nominated `p` to: the scheduler's nominator's, and the one a
 * snapshot's status gave it (either may hold room). */
function nominatedNodes(p: PodInfo): string[] {
  const out: string[] = [];
  if (p.nominatedNodeName !== null) out.push(p.nominatedNodeName);
  const fromStatus = p.pod.status?.nominatedNodeName ?? '';
  if (fromStatus !== '') out.push(fromStatus);
  return out;
}

/** Watches the pending pods of a run; `check(nowUs)` after each period. */
export class CompletenessTracker {
  /** Since when each pending pod has been found feasible at every check. */
  private readonly feasibleSince = new Map<PodInfo, { sinceUs: number; node: string; attempts: number }>();
  /** The longest any pod has stayed pending while feasible (a diagnostic). */
  longestFeasiblePendingUs = 0;

  constructor(private readonly cluster: ClusterState, private readonly schedulerNames: ReadonlySet<string>) {}

  check(nowUs: number): void {
    const seen = new Set<PodInfo>();
    const nominees: Array<{ readonly pod: PodInfo; readonly nodes: string[] }> = [];
    for (const p of this.cluster.pods.values()) {
      if (p.bound || p.deleted || p.terminal || p.nodeName !== null) continue;
      const nodes = nominatedNodes(p);
      if (nodes.length > 0) nominees.push({ pod: p, nodes });
    }
    for (const p of this.cluster.pods.values()) {
      if (p.bound || p.deleted || p.terminal || p.nodeName !== null) continue;
      const spec = p.pod.spec;
      if ((spec?.schedulingGates?.length ?? 0) > 0 || !this.schedulerNames.has(p.schedulerName)) continue;
      if ((p.pod.status?.nominatedNodeName ?? '') !== '' || p.hostPorts.length > 0) continue;
      const held = new Set<string>();
      for (const q of nominees) if (q.pod !== p && q.pod.priority >= p.priority) for (const n of q.nodes) held.add(n);
      const n = feasibleNode(this.cluster, p, null, held);
      if (n === null) continue;
      seen.add(p);
      // A pod tried since the last check and still pending found no room then (a node free at
      // the checks may have been taken between them, e.g. by a pod assumed onto it in the same
      // flush): the bound counts from this check again, as the queue's own clock restarts at
      // the attempt (a matching pod that then leaves may be skipped by the queueing hints, as
      // upstream's InterPodAffinity skips the delete of a pod matching only some anti-affinity
      // terms, podMatchesAllAffinityTerms in interpodaffinity/plugin.go, so the next retry is
      // the unschedulable flush's).
      let f = this.feasibleSince.get(p);
      if (f === undefined || f.attempts !== p.attempts) f = { sinceUs: nowUs, node: n.name, attempts: p.attempts };
      this.feasibleSince.set(p, f);
      const waited = nowUs - f.sinceUs;
      this.longestFeasiblePendingUs = Math.max(this.longestFeasiblePendingUs, waited);
      assert.ok(
        waited <= PENDING_BOUND_US,
        `completeness: pod ${p.key} pending at ${nowUs / S} s although node ${n.name} could take it at every check since ${f.sinceUs / S} s (first: ${f.node}); bound ${PENDING_BOUND_US / S} s = max unschedulable ${MAX_UNSCHEDULABLE_US / S} s + flush ${FLUSH_PERIOD_US / S} s + max backoff ${MAX_BACKOFF_US / S} s + check period ${CHECK_PERIOD_US / S} s`,
      );
    }
    for (const p of [...this.feasibleSince.keys()]) if (!seen.has(p)) this.feasibleSince.delete(p);
  }
}
