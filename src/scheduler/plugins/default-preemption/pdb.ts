// PodDisruptionBudgets as preemption sees them.
//
// Upstream's scheduler reads PDB status.disruptionsAllowed, which the disruption controller
// keeps up to date (pkg/controller/disruption/disruption.go: getExpectedPodCount,
// getExpectedScale, countHealthyPods, updatePdbStatus). ksim has no disruption controller yet,
// so the value is computed here from the pods as they are when preemption runs, with the
// controller's rules: healthy = Running and not being deleted; minAvailable N → desired N over
// all matching pods; minAvailable "P%" / maxUnavailable → scaled (rounded up) over the summed
// replicas of the pods' controllers; allowed = max(0, healthy − desired), 0 when nothing is
// expected or a controller cannot be found.
//
// filterPodsWithPDBViolation follows pkg/scheduler/framework/plugins/defaultpreemption/
// default_preemption.go.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { compileLabelSelector, type LabelMatcher } from '../../../api/labels.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { ObjectOf } from '../../../cluster/workload-object.js';
import { computePdbStatus } from '../../../cluster/disruption-budget.js';
export { scaledValue } from '../../../cluster/disruption-budget.js';

export const PDB_KIND = 'PodDisruptionBudget' as const;

/** One PDB, with its budget computed on first use. */
export interface PdbInfo {
  readonly namespace: string;
  readonly name: string;
  /** The compiled spec.selector; null when it does not compile (it then matches nothing). */
  readonly selector: LabelMatcher | null;
  /** status.disruptedPods: pod names whose eviction the API server already processed. */
  readonly disruptedPods: ReadonlySet<string>;
  /** status.disruptionsAllowed. */
  disruptionsAllowed(): number;
}

/** A PDB with a fixed budget (tests, and callers that know the status). */
export function fixedPdb(
  namespace: string,
  name: string,
  selector: LabelSelector | null | undefined,
  disruptionsAllowed: number,
  disruptedPods: readonly string[] = [],
): PdbInfo {
  const sel = compileOrNull(selector);
  return { namespace, name, selector: sel, disruptedPods: new Set(disruptedPods), disruptionsAllowed: () => disruptionsAllowed };
}

/** Every PodDisruptionBudget in the cluster, in key order. `terminating` tells the pods whose
 * deletion is in flight (not healthy, like pods with a deletionTimestamp upstream). */
export function listPdbs(cluster: ClusterState, terminating: (p: PodInfo) => boolean): PdbInfo[] {
  const out: PdbInfo[] = [];
  for (const o of cluster.objectsOfKind(PDB_KIND)) {
    const spec = o.spec ?? {};
    const status = (o['status'] ?? {}) as { disruptedPods?: Record<string, unknown> };
    let allowed: number | null = null;
    out.push({
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      selector: compileOrNull(spec.selector),
      disruptedPods: new Set(Object.keys(status.disruptedPods ?? {})),
      disruptionsAllowed: () => (allowed ??= computeDisruptionsAllowed(cluster, o, terminating)),
    });
  }
  return out;
}

function compileOrNull(sel: LabelSelector | null | undefined): LabelMatcher | null {
  try {
    return compileLabelSelector(sel);
  } catch {
    return null;
  }
}

/** status.disruptionsAllowed as the disruption controller would compute it now. */
export function computeDisruptionsAllowed(cluster: ClusterState, pdb: ObjectOf<'PodDisruptionBudget'>, terminating: (p: PodInfo) => boolean): number {
  return computePdbStatus(cluster, pdb, terminating).disruptionsAllowed;
}

/**
 * Splits `pods` (kept in their order) into those whose eviction would violate a PDB and the rest
 * (upstream filterPodsWithPDBViolation): each matching PDB's budget is decremented per pod not in
 * its disruptedPods, and a pod is violating when a budget goes below zero. A PDB with an empty
 * or missing selector matches nothing here; pods without labels match no PDB.
 */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly PdbInfo[]): [violating: PodInfo[], nonViolating: PodInfo[]] {
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  // Budgets are read lazily: only PDBs that match a pod cost their computation.
  const allowed: Array<number | undefined> = new Array<number | undefined>(pdbs.length);
  for (const p of pods) {
    let violated = false;
    if (hasLabels(p)) {
      for (let i = 0; i < pdbs.length; i++) {
        const pdb = pdbs[i] as PdbInfo;
        if (pdb.namespace !== p.namespace) continue;
        const sel = pdb.selector;
        if (sel === null || sel.matchesEverything || sel.matchesNothing || !sel.matches(p.labels)) continue;
        if (pdb.disruptedPods.has(p.name)) continue;
        const left = (allowed[i] ?? pdb.disruptionsAllowed()) - 1;
        allowed[i] = left;
        if (left < 0) violated = true;
      }
    }
    (violated ? violating : nonViolating).push(p);
  }
  return [violating, nonViolating];
}

function hasLabels(p: PodInfo): boolean {
  for (const k in p.labels) if (Object.hasOwn(p.labels, k)) return true;
  return false;
}
