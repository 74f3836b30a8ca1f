// PodDisruptionBudgets as preemption sees them.
//
// Upstream's scheduler reads status.disruptionsAllowed and status.disruptedPods as the
// disruption controller last wrote them (filterPodsWithPDBViolation,
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go): so does ksim. In a
// run the disruption controller (src/controllers/disruption.ts) writes them, through the API
// server, a write's latency after the pods change; a cluster snapshot's PDBs keep the dump's
// status until then. A PDB whose status was never written allows no disruption (its zero value).
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { compileLabelSelector, type LabelMatcher } from '../../../api/labels.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { PodInfo } from '../../../cluster/pod-info.js';

export const PDB_KIND = 'PodDisruptionBudget' as const;

/** One PDB as preemption reads it. */
export interface PdbInfo {
  readonly namespace: string;
  readonly name: string;
  /** The compiled spec.selector; null when it does not compile (it then matches nothing). */
  readonly selector: LabelMatcher | null;
  /** status.disruptedPods: pod names whose eviction the API server already processed. */
  readonly disruptedPods: ReadonlySet<string>;
  /** status.disruptionsAllowed. */
  readonly disruptionsAllowed: number;
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
  return { namespace, name, selector: sel, disruptedPods: new Set(disruptedPods), disruptionsAllowed };
}

/** Every PodDisruptionBudget in the cluster, in key order, with its stored status. */
export function listPdbs(cluster: ClusterState): PdbInfo[] {
  const out: PdbInfo[] = [];
  for (const o of cluster.objectsOfKind(PDB_KIND)) {
    const status = (o['status'] ?? {}) as { disruptionsAllowed?: unknown; disruptedPods?: Record<string, unknown> };
    out.push({
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      selector: compileOrNull(o.spec?.selector),
      disruptedPods: new Set(Object.keys(status.disruptedPods ?? {})),
      disruptionsAllowed: typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0,
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

/**
 * Splits `pods` (kept in their order) into those whose eviction would violate a PDB and the rest
 * (upstream filterPodsWithPDBViolation): each matching PDB's budget is decremented per pod not in
 * its disruptedPods, and a pod is violating when a budget goes below zero. A PDB with an empty
 * or missing selector matches nothing here; pods without labels match no PDB.
 */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly PdbInfo[]): [violating: PodInfo[], nonViolating: PodInfo[]] {
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
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
        const left = (allowed[i] ?? pdb.disruptionsAllowed) - 1;
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
