// Brute-force feasibility: can a pending pod go on some node of the cluster as it is now? Every
// node is tried with the placement checks' own rules (taints, node affinity, inter-pod affinity
// and anti-affinity, DoNotSchedule topology spread: placement-checks.ts) plus resource fit, the
// pod count and cordoning. Used by the invariant checker's pending-feasible invariant and by the
// property tests' completeness direction (test/property/completeness.ts).
//
// It must never call a node feasible that the scheduler may rightly refuse (a false violation is
// as bad as a missed bug), so what it cannot judge is left out by `completenessApplies`.
import { tolerationsTolerateTaint } from '../api/taints.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { checkPlacement, hasRequiredAntiAffinity, type PlacementView } from './placement-checks.js';

/** The in-tree Filter plugins whose every rejection the brute force reproduces (NodePorts and
 * NodeName through completenessApplies leaving their pods out). A profile with any other Filter
 * (a custom plugin) can refuse what the brute force accepts. */
export const JUDGED_FILTERS: ReadonlySet<string> = new Set(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);

/** Requests fit the node's free allocatable, and one more pod fits its pod count
 * (upstream noderesources/fit.go fitsRequest; zero requests always fit). */
export function fitsResources(p: PodInfo, n: NodeInfo): boolean {
  if (n.pods.length + 1 > n.allocatable.allowedPodNumber) return false;
  const r = p.requests;
  const free = (name: string) => n.allocatable.get(name) - n.requested.get(name);
  if (r.milliCpu > 0 && r.milliCpu > free('cpu')) return false;
  if (r.memory > 0 && r.memory > free('memory')) return false;
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > free('ephemeral-storage')) return false;
  for (const name of r.scalarNames()) if (r.getScalar(name) > 0 && r.getScalar(name) > free(name)) return false;
  return true;
}

/** Pods the brute force can judge: not behind scheduling gates, not nominated by a preemption
 * (they wait for their victims), no host ports and no spec.nodeName (NodePorts / NodeName are
 * not re-checked), and no spread constraint without a labelSelector (placement-checks.ts skips
 * that corner). */
export function completenessApplies(p: PodInfo): boolean {
  const spec = p.pod.spec;
  if ((spec?.schedulingGates?.length ?? 0) > 0) return false;
  if (p.nominatedNodeName !== null || (p.pod.status?.nominatedNodeName ?? '') !== '') return false;
  if (p.hostPorts.length > 0 || (spec?.nodeName ?? '') !== '') return false;
  return (spec?.topologySpreadConstraints ?? []).every((c) => c.labelSelector != null);
}

/**
 * A node that could take `p` now, or null. `filters`: the Filter plugins of the pod's profile
 * (null: all). Nodes a nominated pod may be holding room on are left out (upstream filters with
 * the nominated pods of equal or higher priority added, and a victim may stay Terminating for
 * long on an unreachable node), so only `skip` them: pass the nodes with nominated pods.
 */
export function feasibleNode(cluster: ClusterState, p: PodInfo, filters: ReadonlySet<string> | null = null, skip: ReadonlySet<string> = new Set()): NodeInfo | null {
  let anti: Array<readonly [PodInfo, NodeInfo]> | null = null;
  const view: PlacementView = {
    nodes: cluster.nodes,
    podsOn: (n) => n.pods,
    antiAffinityPods: () => (anti ??= cluster.nodes.flatMap((n) => n.pods.filter(hasRequiredAntiAffinity).map((q) => [q, n] as const))),
    staleNodes: new Set(),
    namespacesChanged: false,
  };
  const cordonChecked = filters === null || filters.has('NodeUnschedulable');
  for (const n of cluster.nodes) {
    if (skip.has(n.name)) continue;
    if (cordonChecked && n.unschedulable && !tolerationsTolerateTaint(p.pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) continue;
    if (!fitsResources(p, n)) continue;
    if (checkPlacement(cluster, p, n, view, filters) === null) return n;
  }
  return null;
}

/** The node-level Filters of an empty node: taints and node affinity (placement-checks.ts). */
const NODE_LEVEL: ReadonlySet<string> = new Set(['TaintToleration', 'NodeAffinity']);
const EMPTY_VIEW: PlacementView = { nodes: [], podsOn: () => [], antiAffinityPods: () => [], staleNodes: new Set(), namespacesChanged: false };

/** Whether an empty node like `n` could ever hold `p`: its taints tolerated, its labels matching
 * the pod's nodeSelector and required node affinity, and its allocatable covering the pod's
 * requests (upstream's NodeResourcesFit on a node with no pods). What the node's current pods
 * take, and inter-pod constraints, are left out: the question is whether more nodes of its pool
 * could place the pod, not whether this one can now. */
export function nodeCouldHold(cluster: ClusterState, p: PodInfo, n: NodeInfo): boolean {
  const a = n.allocatable;
  const r = p.requests;
  if (a.allowedPodNumber < 1) return false;
  if (r.milliCpu > a.get('cpu') || r.memory > a.get('memory') || r.ephemeralStorage > a.get('ephemeral-storage')) return false;
  for (const name of r.scalarNames()) if (r.getScalar(name) > a.get(name)) return false;
  return checkPlacement(cluster, p, n, EMPTY_VIEW, NODE_LEVEL) === null;
}
