// PodDisruptionBudget status as the disruption controller computes it (upstream
// pkg/controller/disruption/disruption.go: getExpectedPodCount, getExpectedScale,
// countHealthyPods, updatePdbStatus): healthy = Ready (podutil.IsPodReady) and not being deleted
// — Ready as ksim's controllers judge it (isPodAvailable over ClusterState.lastKnownNodes): Running
// and on a Ready node, since upstream's node lifecycle controller marks a NotReady node's pods not
// Ready (MarkPodsNotReady); minAvailable N →
// desired N over all matching pods; minAvailable "P%" / maxUnavailable → scaled (rounded up)
// over the summed replicas of the pods' controllers; allowed = max(0, healthy − desired), 0 when
// nothing is expected or a controller cannot be found. Used by preemption and by the disruption
// controller that writes PDB status.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { compileLabelSelector, type LabelMatcher } from '../api/labels.js';
import type { ClusterState } from './cluster-state.js';
import { isPodAvailable, type PodInfo } from './pod-info.js';
import { objectKey, type ObjectOf, type WorkloadObject } from './workload-object.js';

function compileOrNull(sel: LabelSelector | null | undefined): LabelMatcher | null {
  try {
    return compileLabelSelector(sel);
  } catch {
    return null;
  }
}

/** A PodDisruptionBudget's status as the disruption controller computes it now. */
export interface PdbStatus {
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly disruptionsAllowed: number;
  readonly expectedPods: number;
}

const NONE: PdbStatus = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };

export function computePdbStatus(cluster: ClusterState, pdb: ObjectOf<'PodDisruptionBudget'>, terminating: (p: PodInfo) => boolean): PdbStatus {
  return computePdbSync(cluster, pdb, terminating, null).status;
}

/** upstream DeletionTimeout (pkg/controller/disruption/disruption.go): how long after its
 * eviction a pod in status.disruptedPods is expected to be gone; until then it does not count
 * as healthy, after it the controller drops it from the map. */
export const DISRUPTION_DELETION_TIMEOUT_US = 2 * 60 * 1_000_000;

/** status.disruptedPods as the controller reads it: pod name → its eviction time (µs on the run's
 * clock), at `nowUs`. */
export interface DisruptedPods {
  readonly nowUs: number;
  readonly evictedUs: ReadonlyMap<string, number>;
}

/** What one sync of the disruption controller computes for a PDB: its status counts, the
 * entries of status.disruptedPods it keeps (names; null when it leaves the map as it is), and
 * when it must look again (the earliest expected deletion of those kept; null: never). */
export interface PdbSync {
  readonly status: PdbStatus;
  readonly keptDisrupted: readonly string[] | null;
  readonly recheckUs: number | null;
}

/**
 * One trySync of upstream's disruption controller: buildDisruptedPodMap keeps the entries of
 * status.disruptedPods that name a pod the PDB selects, not being deleted, whose expected
 * deletion (eviction + DeletionTimeout) is not before now, and asks for a recheck at the earliest
 * of those; countHealthyPods does not count a pod whose expected deletion is after now. When
 * the expected pods cannot be counted (no selector, no controller scale) upstream fails safe
 * without touching the map.
 */
export function computePdbSync(cluster: ClusterState, pdb: ObjectOf<'PodDisruptionBudget'>, terminating: (p: PodInfo) => boolean, disrupted: DisruptedPods | null): PdbSync {
  const spec = pdb.spec ?? {};
  const failSafe: PdbSync = { status: NONE, keptDisrupted: null, recheckUs: null };
  // The controller lists pods with metav1.LabelSelectorAsSelector: in policy/v1 an empty
  // selector matches every pod of the namespace, a missing one none.
  const sel = compileOrNull(spec.selector);
  if (sel === null) return failSafe;
  const ns = pdb.metadata.namespace;
  const pods: PodInfo[] = [];
  for (const p of cluster.pods.values()) if (p.namespace === ns && sel.matches(p.labels)) pods.push(p);

  let expected: number;
  let desired: number;
  if (spec.maxUnavailable !== undefined) {
    const scale = expectedScale(cluster, pods);
    if (scale === null) return failSafe;
    expected = scale;
    desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected));
  } else if (spec.minAvailable !== undefined) {
    if (typeof spec.minAvailable === 'number') {
      desired = spec.minAvailable;
      expected = pods.length;
    } else {
      const scale = expectedScale(cluster, pods);
      if (scale === null) return failSafe;
      expected = scale;
      desired = scaledValue(spec.minAvailable, expected);
    }
  } else {
    return failSafe;
  }
  // buildDisruptedPodMap, then countHealthyPods over the map it built.
  let kept: string[] | null = null;
  let recheckUs: number | null = null;
  let healthy = 0;
  for (const p of pods) {
    if (terminating(p)) continue;
    const evictedUs = disrupted?.evictedUs.get(p.name);
    if (evictedUs !== undefined) {
      const expectedDeletionUs = evictedUs + DISRUPTION_DELETION_TIMEOUT_US;
      const nowUs = (disrupted as DisruptedPods).nowUs;
      if (expectedDeletionUs >= nowUs) {
        (kept ??= []).push(p.name);
        if (recheckUs === null || expectedDeletionUs < recheckUs) recheckUs = expectedDeletionUs;
      }
      if (expectedDeletionUs > nowUs) continue; // expected to be deleted soon: not healthy
    }
    // upstream countHealthyPods: podutil.IsPodReady. A pod of a NotReady node had its Ready
    // condition set False (pkg/controller/util/node MarkPodsNotReady, from the node lifecycle
    // controller's monitorNodeHealth); a deleted node's pods keep the one they had
    // (lastKnownNodes). Being deleted was excluded above.
    if (isPodAvailable(p, cluster.lastKnownNodes)) healthy++;
  }
  const allowed = healthy - desired;
  const status = { currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: expected <= 0 || allowed <= 0 ? 0 : allowed, expectedPods: expected };
  return { status, keptDisrupted: disrupted === null ? null : (kept ?? []).sort(), recheckUs };
}

/** intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true). */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m === null) return 0;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** Sum of the replicas of the controllers of `pods` (upstream getExpectedScale and its finders):
 * a ReplicaSet's own replicas, or, for a ReplicaSet a Deployment controls, the Deployment's
 * (counted once for all its ReplicaSets: upstream keys the scales by the controller found, the
 * Deployment, so a rollout's two ReplicaSets do not count it twice); a StatefulSet's. Pods
 * without a controller are not counted. null when a controller is not found or has no scale
 * (a Job, a DaemonSet: upstream's getScaleController fails on them), and upstream then fails
 * safe to 0 allowed disruptions. */
function expectedScale(cluster: ClusterState, pods: readonly PodInfo[]): number | null {
  const scales = new Map<string, number>();
  const seen = new Set<string>();
  for (const p of pods) {
    if (p.ownerKind === '') continue;
    const key = p.ownerObjectKey;
    if (seen.has(key)) continue;
    seen.add(key);
    if (p.ownerKind !== 'ReplicaSet' && p.ownerKind !== 'StatefulSet') return null;
    const ctrl = cluster.objects.get(key);
    if (ctrl === undefined) return null;
    let scaleKey = key;
    let scaleObj: WorkloadObject = ctrl;
    if (ctrl.kind === 'ReplicaSet') {
      const owner = (ctrl.metadata.ownerReferences as Array<{ kind?: string; name?: string; controller?: boolean }> | undefined)?.find((r) => r.controller === true);
      // A Deployment not found: the ReplicaSet's own scale (upstream's getScaleController).
      const d = owner?.kind === 'Deployment' && owner.name !== undefined ? cluster.objects.get(objectKey('Deployment', p.namespace, owner.name)) : undefined;
      if (d !== undefined) {
        scaleKey = objectKey('Deployment', p.namespace, d.metadata.name);
        scaleObj = d;
      }
    }
    scales.set(scaleKey, (scaleObj.spec as { replicas?: number } | undefined)?.replicas ?? 1);
  }
  let sum = 0;
  for (const v of scales.values()) sum += v;
  return sum;
}
