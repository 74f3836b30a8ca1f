// A property of runs with node faults: once a NoExecute taint is on a node (the node lifecycle
// controller's not-ready / unreachable taints, or the scenario's own), every pod bound there that
// does not tolerate it is Terminating or gone by the taint's eviction deadline: at once without
// a matching toleration, after the tolerationSeconds of its matching tolerations (the longest
// of them, to stay on the safe side of upstream's choice), never with one that has none
// (upstream pkg/controller/tainteviction/taint_eviction.go getMinTolerationTime /
// processPodOnNode). Whether the node gets its taint in time (zone disruption modes, rate
// limits) is the node lifecycle controller's business, left to its own tests.
import assert from 'node:assert/strict';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../src/api/taints.js';
import type { ClusterState } from '../../src/cluster/cluster-state.js';
import type { NodeInfo } from '../../src/cluster/node-info.js';
import type { PodInfo } from '../../src/cluster/pod-info.js';

function taintKey(node: string, taint: Taint): string {
  return `${node}\u0000${taint.key}\u0000${taint.value ?? ''}`;
}

const S = 1_000_000;
/** Slack past a deadline: the check period (a taint is first seen up to one period late, which
 * only moves the deadline later) plus the eviction's API round trip and client rate limits. */
export const EVICTION_SLACK_US = 15 * S;

/** µs after the taint a pod may stay, or null when it may stay for ever. */
function allowedUs(p: PodInfo, taint: Taint): number | null {
  const matching = (p.pod.spec?.tolerations ?? []).filter((t) => toleratesTaint(t, taint));
  if (matching.length === 0) return 0;
  let longest = 0;
  for (const t of matching) {
    if (t.tolerationSeconds == null) return null;
    longest = Math.max(longest, Math.max(0, t.tolerationSeconds) * S);
  }
  return longest;
}

/** Call `check(cluster, nowUs)` at every check period of a run; `watch` first, so that a taint
 * removed and put back between two checks (a zone leaving full disruption for a few seconds)
 * restarts its deadline, as upstream's taint manager cancels and re-arms the eviction. */
export class EvictionDeadlineTracker {
  /** When each (node, NoExecute taint) was put on the node (or, unwatched, first seen). */
  private readonly since = new Map<string, number>();
  /** Pods checked against a passed deadline (a diagnostic). */
  podsPastDeadline = 0;

  /** Follows every node change of the run as it happens (a ClusterState index). */
  readonly watch = (cluster: ClusterState, now: () => number): void => {
    const changed = (n: NodeInfo) => {
      const present = new Set<string>();
      for (const t of n.taints) if (t.effect === 'NoExecute') present.add(taintKey(n.name, t));
      const prefix = `${n.name}\u0000`;
      for (const k of [...this.since.keys()]) if (k.startsWith(prefix) && !present.has(k)) this.since.delete(k);
      for (const k of present) if (!this.since.has(k)) this.since.set(k, now());
    };
    cluster.addIndex({ nodeAdded: changed, nodeUpdated: changed });
  };

  readonly check = (cluster: ClusterState, nowUs: number): void => {
    const seen = new Set<string>();
    for (const n of cluster.nodes) {
      for (const taint of n.taints) {
        if (taint.effect !== 'NoExecute') continue;
        const key = taintKey(n.name, taint);
        seen.add(key);
        const since = this.since.get(key) ?? nowUs;
        this.since.set(key, since);
        for (const p of n.pods) {
          if (!p.bound || p.terminal || p.terminating || p.deleted) continue;
          const allowed = allowedUs(p, taint);
          if (allowed === null || nowUs - since <= allowed + EVICTION_SLACK_US) continue;
          this.podsPastDeadline++;
          assert.fail(`eviction deadline: pod ${p.key} still runs on node ${n.name} at ${nowUs / S} s, ${(nowUs - since) / S} s after its NoExecute taint ${taint.key}=${taint.value ?? ''} (first seen at ${since / S} s), past its ${allowed / S} s of tolerations + ${EVICTION_SLACK_US / S} s`);
        }
      }
    }
    for (const k of [...this.since.keys()]) if (!seen.has(k)) this.since.delete(k);
  };
}
