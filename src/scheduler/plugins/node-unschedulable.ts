// Filter: nodes with spec.unschedulable reject pods that do not tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint
// (upstream pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go).
import type { Taint } from 'kubernetes-types/core/v1.js';
import { tolerationsTolerateTaint } from '../../api/taints.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, FilterRejections, FrameworkHandle, Plugin } from '../framework/interfaces.js';
import { NodeTaintCounts } from './helper/node-taint-counts.js';
import { Status, type Verdict } from '../framework/status.js';
import { ActionType, asNode, type ClusterEventWithHint, type EnqueueExtensions, type QueueingHint } from '../framework/events.js';
import { NodeUnschedulable } from './names.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
const REJECT = Status.unresolvable(ERR_REASON_UNSCHEDULABLE).withPlugin(NodeUnschedulable);

export class NodeUnschedulablePlugin implements FilterPlugin, EnqueueExtensions {
  readonly name = NodeUnschedulable;

  /** Upstream EventsToRegister: Node/Add|UpdateNodeTaint (spec.unschedulable turning false is
   * classified as UpdateNodeTaint). Pod toleration updates do not happen in ksim. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }, hint: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, o, n) }];
  }

  /** Queue when a schedulable node is added, or a node turns schedulable (upstream
   * isSchedulableAfterNodeChange). */
  private isSchedulableAfterNodeChange(_pod: PodInfo, oldObj: unknown, newObj: unknown): QueueingHint {
    const before = asNode(oldObj as never);
    const after = asNode(newObj as never);
    if (after === undefined) return 'QueueSkip';
    if (before === undefined) return after.unschedulable ? 'QueueSkip' : 'Queue';
    return before.unschedulable && !after.unschedulable ? 'Queue' : 'QueueSkip';
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    if (!node.unschedulable) return null;
    if (tolerationsTolerateTaint(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return null;
    return REJECT;
  }

  /** FilterPlugin.nodeLocalFilterClass: the verdict reads the node's cordon and whether the pod
   * tolerates the unschedulable taint (class 1) or not (2); class 0 while no node of the cluster
   * is cordoned (every node passes). */
  nodeLocalFilterClass(pod: PodInfo): number {
    if (this.counts !== null && this.counts.cordoned === 0) return 0;
    return tolerationsTolerateTaint(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? 1 : 2;
  }

  /** `counts`: the cluster's (the plugin made by its factory); without them every node is looked at. */
  constructor(private readonly counts: NodeTaintCounts | null = null) {}

  filterNodes(_state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    // No node of the cluster is cordoned: every one passes.
    if (this.counts !== null && this.counts.cordoned === 0 && to > from && this.counts.covers(nodes[from] as NodeInfo)) return 0;
    let r = 0;
    // Whether the pod tolerates the unschedulable taint, found out at the first cordoned node.
    let tolerates: boolean | null = null;
    for (let i = from; i < to; i++) {
      if (!(nodes[i] as NodeInfo).unschedulable || (tolerates ??= tolerationsTolerateTaint(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT))) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = REJECT;
    }
    return r;
  }
}

/** NodeUnschedulable takes no args (upstream New ignores them); it counts the cluster's cordoned
 * nodes. */
export function newNodeUnschedulable(_args?: unknown, handle?: FrameworkHandle): Plugin {
  return new NodeUnschedulablePlugin(handle === undefined ? null : NodeTaintCounts.of(handle.cluster));
}
