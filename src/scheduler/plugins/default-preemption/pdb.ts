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
import { objectKey, type WorkloadObject } from '../../../cluster/workload-object.js';

export const PDB_KIND = 'PodDisruptionBudget';

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

interface PdbSpec {
  selector?: LabelSelector | null;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

/** Every PodDisruptionBudget in the cluster, in key order. `terminating` tells the pods whose
 * deletion is in flight (not healthy, like pods with a deletionTimestamp upstream). */
export function listPdbs(cluster: ClusterState, terminating: (p: PodInfo) => boolean): PdbInfo[] {
  const out: PdbInfo[] = [];
  for (const o of cluster.objectsOfKind(PDB_KIND)) {
    const spec = (o.spec ?? {}) as PdbSpec;
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
export function computeDisruptionsAllowed(cluster: ClusterState, pdb: WorkloadObject, terminating: (p: PodInfo) => boolean): number {
  const spec = (pdb.spec ?? {}) as PdbSpec;
  // The controller lists pods with metav1.LabelSelectorAsSelector: in policy/v1 an empty
  // selector matches every pod of the namespace, a missing one none.
  const sel = compileOrNull(spec.selector);
  if (sel === null) return 0;
  const ns = pdb.metadata.namespace;
  const pods: PodInfo[] = [];
  for (const p of cluster.pods.values()) if (p.namespace === ns && sel.matches(p.labels)) pods.push(p);

  let expected: number;
  let desired: number;
  if (spec.maxUnavailable !== undefined) {
    const scale = expectedScale(cluster, pods);
    if (scale === null) return 0;
    expected = scale;
    desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected));
  } else if (spec.minAvailable !== undefined) {
    if (typeof spec.minAvailable === 'number') {
      desired = spec.minAvailable;
      expected = pods.length;
    } else {
      const scale = expectedScale(cluster, pods);
      if (scale === null) return 0;
      expected = scale;
      desired = scaledValue(spec.minAvailable, expected);
    }
  } else {
    return 0;
  }
  let healthy = 0;
  for (const p of pods) if (p.phase === 'Running' && !terminating(p)) healthy++;
  const allowed = healthy - desired;
  return expected <= 0 || allowed <= 0 ? 0 : allowed;
}

/** intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true). */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m === null) return 0;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** Sum of the replicas of the controllers of `pods` (getExpectedScale): a ReplicaSet's own
 * replicas, or its owning Deployment's. Pods without a controller are not counted; null when a
 * controller is not found (upstream then fails safe to 0 allowed disruptions). */
function expectedScale(cluster: ClusterState, pods: readonly PodInfo[]): number | null {
  const scales = new Map<string, number>();
  for (const p of pods) {
    if (p.ownerKind === '') continue;
    const key = objectKey(p.ownerKind, p.namespace, p.ownerName);
    if (scales.has(key)) continue;
    const ctrl = cluster.objects.get(key);
    if (ctrl === undefined) return null;
    let scaleObj: WorkloadObject = ctrl;
    if (ctrl.kind === 'ReplicaSet') {
      const owner = (ctrl.metadata.ownerReferences as Array<{ kind?: string; name?: string; controller?: boolean }> | undefined)?.find((r) => r.controller === true);
      if (owner?.kind === 'Deployment' && owner.name !== undefined) {
        const d = cluster.objects.get(objectKey('Deployment', p.namespace, owner.name));
        if (d !== undefined) scaleObj = d;
      }
    }
    const replicas = (scaleObj.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    scales.set(key, replicas);
  }
  let sum = 0;
  for (const v of scales.values()) sum += v;
  return sum;
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
