// How many more copies of one pod fit in a cluster, per node and in total, and what stops each
// node taking another: cluster-capacity's question (kubernetes-sigs/cluster-capacity,
// pkg/framework/simulator.go: schedule a copy with the real scheduler, bind it, repeat until
// one fails), answered with ksim's own filter plugins.
//
// Two ways to the same answer:
// - When a copy on one node cannot change whether a copy fits on another (the pod has no
//   required pod (anti-)affinity and no DoNotSchedule spread constraint, and every Filter plugin
//   of the profile judges a node by that node alone), repeated scheduling ends with every node
//   full, whatever the order. So each node is filled on its own: copies are added while the
//   filters pass. Cost: one filter run per copy placed plus one per node.
// - Otherwise each copy goes through a whole scheduling cycle (PreFilter, Filter, Score, select:
//   ScheduleAlgorithm, without PostFilter: a copy never preempts), as cluster-capacity does.
// Either way, a final filter pass over every node gives each node's limit: the first Filter
// (or PreFilter) plugin that rejects one more copy, with its reason.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { PodInfo } from '../cluster/pod-info.js';
import type { RandomStream } from '../engine/random.js';
import { Framework, type ProfileConfig } from '../scheduler/framework/framework.js';
import type { PluginFactory, SchedulingAudit } from '../scheduler/framework/interfaces.js';
import { PluginFailure } from '../scheduler/plugin-modules.js';
import { Code, Status, type Verdict } from '../scheduler/framework/status.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import { fitErrorMessage, ScheduleAlgorithm } from '../scheduler/schedule-one.js';
import * as names from '../scheduler/plugins/names.js';

export interface NodeFit {
  readonly node: string;
  readonly pool: string;
  readonly zone: string;
  /** Copies placed on this node. */
  readonly fits: number;
  /** The plugin that rejects one more copy here ("" when none does: the copy limit was hit). */
  readonly plugin: string;
  /** Its reason, upstream's words ("Insufficient cpu", "Too many pods", ...). */
  readonly reason: string;
}

export interface FitResult {
  /** Copies placed in all. */
  readonly total: number;
  /** Every node, in the cluster's order. */
  readonly nodes: readonly NodeFit[];
  /** 'per-node' (independent nodes) or 'scheduling' (one scheduling cycle per copy). */
  readonly method: 'per-node' | 'scheduling';
  /** kube-scheduler's message for the copy that no longer fits ("0/3 nodes are available: ..."). */
  readonly reason: string;
}

export interface FitOptions {
  /** Tie-break between equally scored nodes (scheduling method only). */
  readonly rng: RandomStream;
  /** Most copies placed before stopping (a guard; default 1,000,000). */
  readonly maxCopies?: number;
}

/** Filter plugins that judge a node by its own books only (a copy elsewhere changes nothing). */
const PER_NODE_FILTERS = new Set<string>([
  names.NodeUnschedulable, names.NodeName, names.TaintToleration, names.NodeAffinity, names.NodePorts, names.NodeResourcesFit,
]);

/**
 * Places copies of `pod` into `cluster` (which it changes: the copies stay placed) under
 * `profile`, until one no longer fits. Copies are named `<name>-capacity-<i>`.
 */
export function fitCopies(cluster: ClusterState, profile: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, pod: Pod, opts: FitOptions): FitResult {
  // A copy never preempts: the profile without PostFilter plugins.
  const noPostFilter: ProfileConfig = { ...profile, points: { ...profile.points, postFilter: { enabled: [], disabled: ['*'] } } };
  const fwk = new Framework(noPostFilter, registry, { cluster, bindPod: () => {}, deletePod: () => {} });
  fwk.audit = STOP_AT_BAD_VERDICT;
  const max = opts.maxCopies ?? 1_000_000;
  const copies = new CopyMaker(pod);
  const placed = new Map<NodeInfo, number>();
  let total = 0;
  const independent = perNodeIndependent(fwk, cluster, copies.peek());
  let reason = '';
  if (independent) {
    const state = fwk.newCycleState();
    const pre = runPreFilter(fwk, state, copies.peek(), cluster.nodes);
    if (pre.failed === null) {
      for (const n of cluster.nodes) {
        if (pre.allowed !== null && !pre.allowed.has(n.name)) continue;
        let k = 0;
        while (total < max && fwk.runFilters(state, copies.peek(), n, pre.skip) === null) {
          place(cluster, copies.next(), n);
          k++;
          total++;
        }
        if (k > 0) placed.set(n, k);
      }
    }
  } else {
    const algo = new ScheduleAlgorithm(cluster, opts.rng);
    for (let i = 0; i < max; i++) {
      const copy = copies.peek();
      const r = algo.schedule(fwk, fwk.newCycleState(), copy);
      if (r.nodeName === null) {
        reason = r.reason;
        break;
      }
      const n = cluster.mustNode(r.nodeName);
      place(cluster, copies.next(), n);
      placed.set(n, (placed.get(n) ?? 0) + 1);
      total++;
    }
  }
  // Each node's limit: what rejects the next copy there.
  const limits = nodeLimits(fwk, cluster, copies.peek());
  if (reason === '') reason = limits.message;
  const nodes = cluster.nodes.map((n) => {
    const v = limits.byNode.get(n) ?? null;
    return { node: n.name, pool: n.pool, zone: n.zone, fits: placed.get(n) ?? 0, plugin: v?.plugin ?? '', reason: v?.message ?? '' };
  });
  return { total, nodes, method: independent ? 'per-node' : 'scheduling', reason };
}

/**
 * A plugin module's plugin returning what is no verdict (`true`, undefined, a status-shaped
 * object) where one belongs: `ksim run` turns it into an Error status (and stops at it with
 * --check-invariants, as the plugin's error). A count of copies would read those Errors as
 * nodes that take none ("0 fit", exit 0): the count stops there instead, as the plugin's error
 * (PluginFailure: exit 1), naming the plugin, what it returned, the copy and the node.
 */
const STOP_AT_BAD_VERDICT: SchedulingAudit = {
  scores: () => {},
  notANumber: () => {},
  pluginError: () => {},
  badVerdict: (_plugin, pod, node, message) => {
    const where = [pod === null ? '' : `pod ${pod.key}`, node === null ? '' : `node ${node}`].filter((w) => w !== '').join(', ');
    throw new PluginFailure(`${message}${where === '' ? '' : ` (${where})`}`);
  },
};

function place(cluster: ClusterState, p: PodInfo, n: NodeInfo): void {
  cluster.addPod(p);
  p.bound = true;
  cluster.assume(p, n);
}

/** Copies of one pod, each with its own name (the next one can be looked at before it is made). */
class CopyMaker {
  private i = 0;
  private current: PodInfo;

  constructor(private readonly pod: Pod) {
    this.current = this.make();
  }

  private make(): PodInfo {
    const md = this.pod.metadata ?? {};
    const name = `${md.name ?? 'pod'}-capacity-${this.i}`;
    const { nodeName: _unbound, ...spec } = this.pod.spec ?? { containers: [] };
    return new PodInfo({ ...this.pod, metadata: { ...md, name }, spec: spec as NonNullable<Pod['spec']> }, 0);
  }

  peek(): PodInfo {
    return this.current;
  }

  next(): PodInfo {
    const p = this.current;
    this.i++;
    this.current = this.make();
    return p;
  }
}

/** Whether copies on different nodes cannot affect each other (see the file comment). */
function perNodeIndependent(fwk: Framework, cluster: ClusterState, pod: PodInfo): boolean {
  for (const f of fwk.filter) {
    if (PER_NODE_FILTERS.has(f.name)) continue;
    if (f.name === names.InterPodAffinity) {
      const a = pod.pod.spec?.affinity;
      if ((a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0) return false;
      if ((a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0) return false;
      continue;
    }
    if (f.name === names.PodTopologySpread) {
      // Its PreFilter skips when no DoNotSchedule constraint applies (the pod's own or the
      // profile's defaults).
      const p = fwk.preFilter.find((x) => x.name === names.PodTopologySpread);
      const v = p?.preFilter(fwk.newCycleState(), pod, cluster.nodes).status ?? null;
      if (v === null || v.code !== Code.Skip) return false;
      continue;
    }
    return false; // an out-of-tree filter may look beyond the node
  }
  return true;
}

interface PreFilterOutcome {
  readonly skip: ReadonlySet<string>;
  /** Nodes a PreFilter result allows (null: all). */
  readonly allowed: ReadonlySet<string> | null;
  readonly subsetPlugins: readonly string[];
  readonly failed: Status | null;
}

function runPreFilter(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PreFilterOutcome {
  const skip = new Set<string>();
  let allowed = null as Set<string> | null;
  const subsetPlugins: string[] = [];
  for (const p of fwk.preFilter) {
    const { status, result } = p.preFilter(state, pod, nodes);
    if (status !== null && status.code === Code.Skip) skip.add(p.name);
    else if (status !== null && status.code !== Code.Success) return { skip, allowed, subsetPlugins, failed: status.withPlugin(p.name) };
    else if (result?.nodeNames != null) {
      const subset: ReadonlySet<string> = result.nodeNames;
      const before: Set<string> | null = allowed;
      allowed = before === null ? new Set(subset) : new Set([...before].filter((n) => subset.has(n)));
      subsetPlugins.push(p.name);
    }
  }
  return { skip, allowed, subsetPlugins, failed: null };
}

/** What rejects one more copy on each node (null: nothing), and kube-scheduler's message when
 * no node takes it. */
function nodeLimits(fwk: Framework, cluster: ClusterState, pod: PodInfo): { byNode: Map<NodeInfo, Verdict>; message: string } {
  const state = fwk.newCycleState();
  const pre = runPreFilter(fwk, state, pod, cluster.nodes);
  const byNode = new Map<NodeInfo, Verdict>();
  const failures = new Map<string, Status>();
  let fitting = 0;
  for (const n of cluster.nodes) {
    let v: Verdict;
    if (pre.failed !== null) v = pre.failed;
    else if (pre.allowed !== null && !pre.allowed.has(n.name)) v = new Status(Code.UnschedulableAndUnresolvable, [`node(s) didn't satisfy plugin(s) [${[...pre.subsetPlugins].sort().join(' ')}]`], pre.subsetPlugins[0] ?? '');
    else v = fwk.runFilters(state, pod, n, pre.skip);
    byNode.set(n, v);
    if (v === null) fitting++;
    else failures.set(n.name, v);
  }
  if (fitting > 0) return { byNode, message: '' };
  const message = pre.failed !== null ? `0/${cluster.nodes.length} nodes are available: ${pre.failed.message}.` : fitErrorMessage(cluster.nodes.length, failures);
  return { byNode, message };
}
