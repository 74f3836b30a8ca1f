// Preemption candidates: the dry run over potential nodes and the choice among candidates
// (upstream pkg/scheduler/framework/preemption/preemption.go: DryRunPreemption,
// pickOneNodeForPreemption, FitError; calculateNumCandidates from
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go).
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { ClusterIndex } from '../../../cluster/cluster-state.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { Code, Status } from '../../framework/status.js';
import type { PdbInfo } from './pdb.js';
import { NodeToStatus, reasonCounts } from '../../framework/node-to-status.js';
import { NO_VICTIMS, podStartUs, selectVictimsOnNode, type VictimEnv } from './victims.js';

/** A node the preemptor fits on once `victims` are gone. */
export interface Candidate {
  readonly nodeName: string;
  /** Most important first. */
  readonly victims: readonly PodInfo[];
  readonly numPDBViolations: number;
}

export interface DryRunResult {
  /** Candidates that violate no PDB first, then the others, each in dry-run order. */
  readonly candidates: Candidate[];
  /** Why each node that was tried and is not a candidate failed, in dry-run order. */
  readonly statuses: ReadonlyMap<string, Status>;
  /** Messages of the Error statuses among them. */
  readonly errors: string[];
}

/** How many candidates the dry run looks for: max(n × percentage / 100, absolute), at most n
 * (integer arithmetic as upstream's int32). */
export function calculateNumCandidates(numNodes: number, minCandidateNodesPercentage: number, minCandidateNodesAbsolute: number): number {
  let n = Math.trunc((numNodes * minCandidateNodesPercentage) / 100);
  if (n < minCandidateNodesAbsolute) n = minCandidateNodesAbsolute;
  if (n > numNodes) n = numNodes;
  return n;
}

/**
 * Simulates preemption on `potentialNodes`, starting at `offset` and wrapping around, on a
 * NodeInfo clone and a cloned CycleState per node. Each of the two candidate lists (PDB
 * violating or not) holds at most `numCandidates`; the run stops once a non-violating
 * candidate exists and the lists hold `numCandidates` together. Upstream checks nodes in
 * parallel (16 workers); ksim checks them one at a time, as upstream's tests do with
 * parallelism 1, so the result is deterministic.
 */
export function dryRunPreemption(
  env: VictimEnv,
  state: CycleState,
  pod: PodInfo,
  potentialNodes: readonly NodeInfo[],
  pdbs: readonly PdbInfo[],
  offset: number,
  numCandidates: number,
  cache?: LowestPriorityCache,
): DryRunResult {
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  // The failed nodes and their statuses as two lists (a NodeToStatus): a pod that can preempt
  // nothing fails every node, and a Map entry per node was most of the dry run's cost.
  const failedNodes: NodeInfo[] = [];
  const failedStatuses: Status[] = [];
  const errors: string[] = [];
  const n = potentialNodes.length;
  let noVictims: Status | null = null;
  for (let i = 0; i < n; i++) {
    const node = potentialNodes[(offset + i) % n] as NodeInfo;
    // A node without lower-priority pods gives selectVictimsOnNode's "no victims" status whatever
    // the state (isPreemptionAllowed is priority < preemptor's): skip the clones, the common case
    // of a pod that cannot preempt anything.
    if (lowestPriority(node, cache) >= pod.priority) {
      failedNodes.push(node);
      failedStatuses.push((noVictims ??= new Status(Code.UnschedulableAndUnresolvable, [NO_VICTIMS])));
      continue;
    }
    const sel = selectVictimsOnNode(env, state.clone(), pod, node.clone(), pdbs);
    let status = sel.status;
    if (status === null || status.code === Code.Success) {
      if (sel.victims.length !== 0) {
        const c: Candidate = { nodeName: node.name, victims: sel.victims, numPDBViolations: sel.numPDBViolations };
        const list = sel.numPDBViolations === 0 ? nonViolating : violating;
        if (list.length < numCandidates) list.push(c);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
        continue;
      }
      status = Status.error(`expected at least one victim pod on node "${node.name}"`);
    }
    if (status.code === Code.Error) errors.push(status.message);
    failedNodes.push(node);
    failedStatuses.push(status);
  }
  return { candidates: [...nonViolating, ...violating], statuses: new NodeToStatus(failedNodes, failedStatuses), errors };
}

/** The lowest priority of the pods on each node, recomputed when the node's generation changes
 * (a plugin keeps one across cycles; dry runs then skip nodes without victims in O(1)). Kept by
 * node index: generations are unique across all NodeInfos, clones included (node-info.ts), so
 * an entry is never taken for another node's or another state's. */
export class LowestPriorityCache {
  private generations = new Float64Array(0);
  private lowest = new Float64Array(0);

  get(node: NodeInfo): number {
    const i = node.index;
    if (i < this.generations.length && this.generations[i] === node.generation) return this.lowest[i] as number;
    let lowest = Number.POSITIVE_INFINITY;
    const pods = node.pods;
    for (let k = 0; k < pods.length; k++) {
      const p = (pods[k] as PodInfo).priority;
      if (p < lowest) lowest = p;
    }
    if (i >= this.generations.length) this.grow(i + 1);
    this.generations[i] = node.generation;
    this.lowest[i] = lowest;
    return lowest;
  }

  private grow(size: number): void {
    const n = Math.max(size, this.generations.length * 2, 64);
    const g = new Float64Array(n);
    g.set(this.generations);
    const l = new Float64Array(n);
    l.set(this.lowest);
    this.generations = g; // 0 is no generation: nextGeneration starts at 1
    this.lowest = l;
  }
}

/**
 * How many pods of each priority are placed on the cluster's nodes (a ClusterIndex), for the
 * lowest of them: when no placed pod has a lower priority than the preemptor, every node's dry
 * run ends with selectVictimsOnNode's "no victims" status, which `noVictimsAnywhere` gives without
 * visiting the nodes (a pod that fits nowhere after a zone outage was retried with a 5,000-node
 * dry run each time: a fifth of such a run).
 */
export class PlacedPriorities implements ClusterIndex {
  private readonly counts = new Map<number, number>();
  /** The lowest priority with a count, or +∞; NaN when it must be found again. */
  private low = Number.POSITIVE_INFINITY;

  podPlaced(p: PodInfo): void {
    const c = this.counts.get(p.priority) ?? 0;
    this.counts.set(p.priority, c + 1);
    if (p.priority < this.low) this.low = p.priority;
  }

  podRemoved(p: PodInfo): void {
    const c = (this.counts.get(p.priority) ?? 0) - 1;
    if (c > 0) {
      this.counts.set(p.priority, c);
      return;
    }
    this.counts.delete(p.priority);
    if (p.priority === this.low) this.low = Number.NaN;
  }

  /** A node's change moves none of its pods. */
  nodeUpdated(): void {}

  /** The lowest priority of a placed pod (+∞ without any). */
  lowest(): number {
    if (Number.isNaN(this.low)) {
      let low = Number.POSITIVE_INFINITY;
      for (const k of this.counts.keys()) if (k < low) low = k;
      this.low = low;
    }
    return this.low;
  }
}

/** dryRunPreemption's result when no node has a pod of lower priority than the preemptor: every
 * potential node fails with the "no victims" status, in dry-run order (from `offset`). */
export function noVictimsAnywhere(potentialNodes: readonly NodeInfo[], offset: number): DryRunResult {
  const order = offset === 0 ? potentialNodes.slice() : potentialNodes.slice(offset).concat(potentialNodes.slice(0, offset));
  return { candidates: [], statuses: NodeToStatus.every(order, new Status(Code.UnschedulableAndUnresolvable, [NO_VICTIMS])), errors: [] };
}

function lowestPriority(node: NodeInfo, cache: LowestPriorityCache | undefined): number {
  if (cache !== undefined) return cache.get(node);
  let lowest = Number.POSITIVE_INFINITY;
  for (const p of node.pods) if (p.priority < lowest) lowest = p.priority;
  return lowest;
}

/** int64 range guard for the sum of priorities: each priority is shifted by MaxInt32 + 1. */
const PRIORITY_SHIFT = 2 ** 31;

/**
 * Chooses the node to preempt on (upstream pickOneNodeForPreemption): fewest PDB violations,
 * then the lowest highest-victim priority, the smallest sum of (shifted) victim priorities, the
 * fewest victims, the latest earliest-start-time among the highest-priority victims; remaining
 * ties go to the first candidate. Upstream's "first" is in Go map order (random); ksim's is the
 * dry-run order (non-violating candidates first), which is one of upstream's possible outcomes.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | null {
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0] as Candidate;
  const scoreFuncs: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => -(c.victims[0] as PodInfo).priority,
    (c) => {
      let sum = 0;
      for (const v of c.victims) sum += v.priority + PRIORITY_SHIFT;
      return -sum;
    },
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims),
  ];
  let all: readonly Candidate[] = candidates;
  for (const f of scoreFuncs) {
    let best = Number.NEGATIVE_INFINITY;
    let selected: Candidate[] = [];
    for (const c of all) {
      const s = f(c);
      if (s > best) {
        best = s;
        selected = [c];
      } else if (s === best) {
        selected.push(c);
      }
    }
    if (selected.length === 1) return selected[0] as Candidate;
    all = selected;
  }
  return all[0] as Candidate;
}

/** util.GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
function earliestStartOfHighestPriority(victims: readonly PodInfo[]): number {
  if (victims.length === 0) return Number.NEGATIVE_INFINITY;
  let maxPriority = (victims[0] as PodInfo).priority;
  let earliest = podStartUs(victims[0] as PodInfo);
  for (const v of victims) {
    if (v.priority === maxPriority) {
      const s = podStartUs(v);
      if (s < earliest) earliest = s;
    } else if (v.priority > maxPriority) {
      maxPriority = v.priority;
      earliest = podStartUs(v);
    }
  }
  return earliest;
}

/**
 * The FitError text of a preemption that found no candidate (upstream FitError.Error with the
 * dry run's statuses and every other node absent): "0/N nodes are available: <count reason,
 * sorted>." where the absent nodes count with `absentReason`.
 */
export function preemptionFitError(numAllNodes: number, statuses: ReadonlyMap<string, Status>, absentReason: string): string {
  const histogram = reasonCounts(statuses);
  const absent = numAllNodes - statuses.size;
  if (absent > 0) histogram.set(absentReason, (histogram.get(absentReason) ?? 0) + absent);
  const parts = [...histogram].map(([r, k]) => `${k} ${r}`).sort();
  return `0/${numAllNodes} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}.` : '.'}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several de-duplicated in brackets. */
export function aggregateErrors(messages: readonly string[]): string {
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  if (seen.length === 1) return seen[0] as string;
  return `[${seen.join(', ')}]`;
}
