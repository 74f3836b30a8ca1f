// Victim selection on one node (upstream DefaultPreemption.SelectVictimsOnNode,
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go, and
// util.MoreImportantPod, pkg/scheduler/util/utils.go).
import type { NodeInfo } from '../../../cluster/node-info.js';
import { startTimeUs, type PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { Framework } from '../../framework/framework.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import { runPreFilterExtension, type FilterRunner } from '../../schedule-one.js';
import { filterPodsWithPDBViolation, type PdbInfo } from './pdb.js';

/** What victim selection runs against: the profile (PreFilter extensions, filters) and the
 * filter runner that honours nominated pods. */
export interface VictimEnv {
  readonly fwk: Framework;
  readonly filters: FilterRunner;
}

export interface VictimSelection {
  /** Most important first. */
  readonly victims: PodInfo[];
  readonly numPDBViolations: number;
  /** null on success. */
  readonly status: Verdict;
}

export const NO_VICTIMS = 'No preemption victims found for incoming pod';

/** The pod's status.startTime (upstream GetPodStartTime: status.startTime, else "now"): when its
 * kubelet first handled it, before image pulls and container starts (startTimeUs; a snapshot's
 * pod keeps its startTime from before t = 0); pods without one count as starting after every
 * pod that has one. */
export function podStartUs(p: PodInfo): number {
  return startTimeUs(p) ?? Number.POSITIVE_INFINITY;
}

/** util.MoreImportantPod: higher priority first, then the earlier start time. */
export function moreImportantPod(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return podStartUs(a) < podStartUs(b);
}

/** Stable sort, most important first (ties keep their order on the node). */
function sortByImportance(pods: PodInfo[]): void {
  pods.sort((a, b) => (moreImportantPod(a, b) ? -1 : moreImportantPod(b, a) ? 1 : 0));
}

/** The victim must have a lower priority than the preemptor (isPreemptionAllowed with the
 * default IsEligiblePod). */
export function isPreemptionAllowed(victim: PodInfo, preemptor: PodInfo): boolean {
  return victim.priority < preemptor.priority;
}

/**
 * Finds the minimal set of pods to remove from `node` for `pod` to fit. `node` and `state` must
 * be scratch copies (NodeInfo.clone(), CycleState.clone): they are changed. All lower-priority
 * pods are removed; if the pod then fits, they are reprieved most important first, the
 * PDB-violating ones before the others, as long as the pod still fits.
 */
export function selectVictimsOnNode(env: VictimEnv, state: CycleState, pod: PodInfo, node: NodeInfo, pdbs: readonly PdbInfo[]): VictimSelection {
  const { fwk, filters } = env;
  const skip = state.skipFilterPlugins;
  const removePod = (p: PodInfo): Verdict => {
    node.removePodScratch(p);
    return runPreFilterExtension(fwk, 'RemovePod', state, pod, p, node);
  };
  const addPod = (p: PodInfo): Verdict => {
    node.addPodScratch(p);
    return runPreFilterExtension(fwk, 'AddPod', state, pod, p, node);
  };

  const potential: PodInfo[] = [];
  for (const p of node.pods) if (isPreemptionAllowed(p, pod)) potential.push(p);
  for (const p of potential) {
    const v = removePod(p);
    if (v !== null) return { victims: [], numPDBViolations: 0, status: v };
  }
  if (potential.length === 0) {
    return { victims: [], numPDBViolations: 0, status: new Status(Code.UnschedulableAndUnresolvable, [NO_VICTIMS]) };
  }
  // If the pod does not fit even without them, this node cannot help (affinity to a victim is
  // not considered, as upstream).
  const fit = filters.run(fwk, state, pod, node, skip);
  if (fit !== null && fit.code !== Code.Success) return { victims: [], numPDBViolations: 0, status: fit };

  sortByImportance(potential);
  const [violating, nonViolating] = filterPodsWithPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numViolating = 0;
  let error: Verdict = null;
  const reprieve = (p: PodInfo): boolean | null => {
    const a = addPod(p);
    if (a !== null) {
      error = a;
      return null;
    }
    const v = filters.run(fwk, state, pod, node, skip);
    const fits = v === null || v.code === Code.Success;
    if (!fits) {
      const r = removePod(p);
      if (r !== null) {
        error = r;
        return null;
      }
      victims.push(p);
    }
    return fits;
  };
  for (const p of violating) {
    const fits = reprieve(p);
    if (fits === null) return { victims: [], numPDBViolations: 0, status: error };
    if (!fits) numViolating++;
  }
  for (const p of nonViolating) {
    if (reprieve(p) === null) return { victims: [], numPDBViolations: 0, status: error };
  }
  // Keep the victims most important first when both groups contributed.
  if (violating.length !== 0 && nonViolating.length !== 0) sortByImportance(victims);
  return { victims, numPDBViolations: numViolating, status: null };
}
