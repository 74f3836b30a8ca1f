// NodeResourcesBalancedAllocation: favours nodes whose resource usage becomes more balanced
// (the requested/allocatable fractions of the configured resources closer to each other) if the
// pod is placed there. Upstream pkg/scheduler/framework/plugins/noderesources/
// balanced_allocation.go as of kubernetes/kubernetes PR #135573 (v1.36): the score compares the
// balance with and without the pod. Args defaults from apis/config/v1/defaults.go
// (SetDefaults_NodeResourcesBalancedAllocationArgs), validation from
// apis/config/validation/validation_pluginargs.go (ValidateNodeResourcesBalancedAllocationArgs).
import { FieldError, rejectUnknownFields } from '../../api/field-error.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, type Plugin, type PreScorePlugin, type ScorePlugin } from '../framework/interfaces.js';
import { Status, type Verdict } from '../framework/status.js';
import { defaultResourceSpecs, parseResourceSpecs, ResourceAllocation, type ResourceSpec } from './resource-allocation.js';
import { NodeScoreCache } from '../framework/node-score-cache.js';

/** Upstream names.NodeResourcesBalancedAllocation. */
export const NodeResourcesBalancedAllocation = 'NodeResourcesBalancedAllocation';

export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

export function defaultNodeResourcesBalancedAllocationArgs(): NodeResourcesBalancedAllocationArgs {
  return { resources: defaultResourceSpecs() };
}

/**
 * Defaults and validates: no (or an empty) resource list means cpu and memory; an absent or 0
 * weight means 1 (v1 defaulting); any other weight is rejected (only 1 is allowed); a name
 * listed twice is rejected at its second occurrence.
 */
export function parseNodeResourcesBalancedAllocationArgs(raw: unknown): NodeResourcesBalancedAllocationArgs {
  const args = defaultNodeResourcesBalancedAllocationArgs();
  if (raw === undefined || raw === null) return args;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FieldError('', 'an object');
  rejectUnknownFields(raw as Record<string, unknown>, ['resources'], '', true);
  const resources = (raw as Record<string, unknown>)['resources'];
  if (resources === undefined || resources === null || (Array.isArray(resources) && resources.length === 0)) return args;
  const seen = new Set<string>();
  args.resources = parseResourceSpecs(resources, 'resources', (w, entryPath, name) => {
    // Upstream checks the duplicate name before the weight of the same entry.
    if (seen.has(name)) throw new FieldError(`${entryPath}.name`, 'a resource not listed before', JSON.stringify(name));
    seen.add(name);
    if (w === undefined || w === 0) return 1;
    if (w !== 1) throw new FieldError(`${entryPath}.weight`, '1 (the only weight BalancedAllocation allows)', JSON.stringify(w));
    return 1;
  });
  return args;
}

/**
 * Upstream balancedResourceScore: int((1 − std) × MaxNodeScore) over the first `n` fractions
 * (used / allocatable of the resources the node has, each capped at 1, in resource order).
 * With two fractions std = |f1 − f2| / 2; with more, the population standard deviation; with
 * fewer, 0. The float operations are upstream's, in the same order.
 */
export function balancedResourceScore(fractions: Float64Array, n: number): number {
  let std = 0;
  if (n === 2) {
    std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  } else if (n > 2) {
    let total = 0;
    for (let i = 0; i < n; i++) total += fractions[i] as number;
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = (fractions[i] as number) - mean;
      sum = sum + d * d;
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * Upstream balancedResourceScorer (PR #135573): both balances lie in [50, 100], so their
 * difference in [−50, 50]; the score is 50 + (50 + withPod − withoutPod) / 2 (Go integer
 * division): 75 when the pod leaves the balance unchanged, towards 100 when it improves it,
 * towards 50 when it worsens it.
 */
export function balancedAllocationScore(withPod: number, withoutPod: number): number {
  const half = MAX_NODE_SCORE / 2;
  return half + Math.trunc((half + withPod - withoutPod) / 2);
}

export class BalancedAllocationPlugin implements PreScorePlugin, ScorePlugin {
  readonly name = NodeResourcesBalancedAllocation;
  private readonly alloc: ResourceAllocation;
  /** Scores by node for scoreNodes: a node's score for a request vector only changes with its books. */
  private readonly cache = new NodeScoreCache();
  /** Scratch for one node's fractions with and without the pod (upstream's
   * resourceToFractions slices), rewritten by every Score. */
  private readonly withPod: Float64Array;
  private readonly withoutPod: Float64Array;

  constructor(args: NodeResourcesBalancedAllocationArgs) {
    // Actual requests, not the non-zero defaults (useRequested).
    this.alloc = new ResourceAllocation(args.resources, true);
    this.withPod = new Float64Array(args.resources.length);
    this.withoutPod = new Float64Array(args.resources.length);
  }

  /** A pod requesting none of the resources (best-effort) is skipped, so that such pods do not
   * pile onto one node (kubernetes/kubernetes#129138). Upstream also stores the pod's request
   * vector in CycleState here; ksim memoises it per pod in ResourceAllocation. */
  /** PreScorePlugin.scoredNodesIgnored: PreScore reads the pod only. */
  scoredNodesIgnored(_state: CycleState, _pod: PodInfo): boolean {
    return true;
  }

  preScore(_state: CycleState, pod: PodInfo): Verdict {
    return this.alloc.isBestEffort(pod) ? Status.skip() : null;
  }

  /** The node's books and the pod's request vector alone (a best-effort pod, which PreScore
   * skips, scores 0 everywhere: left to the usual path). */
  nodeLocalClass(pod: PodInfo): number {
    return this.alloc.isBestEffort(pod) ? -1 : this.alloc.classOf(pod);
  }

  /** score for every node (ScorePlugin.scoreNodes). */
  scoreNodes(_state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const n = nodes.length;
    if (this.alloc.isBestEffort(pod)) {
      out.fill(0, 0, n);
      return;
    }
    const podRequests = this.alloc.requestsOf(pod);
    const cls = this.alloc.classOf(pod);
    const cache = this.cache;
    for (let i = 0; i < n; i++) {
      const node = nodes[i] as NodeInfo;
      let s = cache.get(node, cls);
      if (s < 0) cache.set(node, cls, (s = this.nodeScore(node, podRequests)));
      out[i] = s;
    }
  }

  /** Without PreScore (upstream's fallback) a best-effort pod scores 0. */
  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const a = this.alloc;
    if (a.isBestEffort(pod)) return 0;
    return this.nodeScore(node, a.requestsOf(pod));
  }

  private nodeScore(node: NodeInfo, podRequests: Float64Array): number {
    const a = this.alloc;
    if (a.cpuThenMemory) {
      // The default resources, without the per-resource dispatch below: the same operations
      // in the same order (fractions capped at 1, std = |f_cpu − f_mem| / 2).
      const capCpu = node.allocMilliCpu;
      const capMem = node.allocMemory;
      if (capCpu !== 0 && capMem !== 0) {
        const usedCpu = node.reqMilliCpu;
        const usedMem = node.reqMemory;
        const withCpu = Math.min((usedCpu + (podRequests[0] as number)) / capCpu, 1);
        const withMem = Math.min((usedMem + (podRequests[1] as number)) / capMem, 1);
        const withoutCpu = Math.min(usedCpu / capCpu, 1);
        const withoutMem = Math.min(usedMem / capMem, 1);
        const sWith = Math.trunc((1 - Math.abs((withCpu - withMem) / 2)) * MAX_NODE_SCORE);
        const sWithout = Math.trunc((1 - Math.abs((withoutCpu - withoutMem) / 2)) * MAX_NODE_SCORE);
        return balancedAllocationScore(sWith, sWithout);
      }
    }
    const withPod = this.withPod;
    const withoutPod = this.withoutPod;
    let n = 0;
    for (let i = 0; i < a.size; i++) {
      const podReq = podRequests[i] as number;
      const cap = a.capacity(i, node, podReq);
      if (cap === 0) continue;
      const used = a.used(i, node);
      withPod[n] = Math.min((used + podReq) / cap, 1);
      withoutPod[n] = Math.min(used / cap, 1);
      n++;
    }
    return balancedAllocationScore(balancedResourceScore(withPod, n), balancedResourceScore(withoutPod, n));
  }
}

export function newNodeResourcesBalancedAllocation(args: unknown): Plugin {
  return new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(args));
}
