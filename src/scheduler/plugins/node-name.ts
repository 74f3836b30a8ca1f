// NodeName: Filter rejects every node but the one pod.spec.nodeName names, if it names one.
// Upstream pkg/scheduler/framework/plugins/nodename/node_name.go (v1.36: Filter only; the
// PreFilter that narrows to the named node came after v1.36, for deferred in-place resizes).
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, FilterRejections, FrameworkHandle, Plugin } from '../framework/interfaces.js';
import { ClassNumbers } from '../framework/class-numbers.js';
import { Status, type Verdict } from '../framework/status.js';
import { ActionType, asNode, type ClusterEventWithHint, type EnqueueExtensions } from '../framework/events.js';
import { NodeName } from './names.js';

/** Upstream ErrReason (node_name.go). */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";
const REJECT = Status.unresolvable(ERR_REASON_NODE_NAME).withPlugin(NodeName);

export class NodeNamePlugin implements FilterPlugin, EnqueueExtensions {
  readonly name = NodeName;

  /** Upstream EventsToRegister: Node/Add, queued only when the new node is the one the pod names. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add },
        hint: (pod, _o, n) => (asNode(n)?.name === pod.pod.spec?.nodeName ? 'Queue' : 'QueueSkip'),
      },
    ];
  }

  private readonly nameClasses = new ClassNumbers(1);

  /** FilterPlugin.nodeLocalFilterClass: no nodeName (class 0), else one class per name. */
  nodeLocalFilterClass(pod: PodInfo): number {
    const wanted = pod.pod.spec?.nodeName;
    return wanted === undefined || wanted === '' ? 0 : this.nameClasses.of(wanted);
  }

  /** Upstream Fits: no nodeName requested, or it equals the node's name. */
  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    const wanted = pod.pod.spec?.nodeName;
    if (wanted === undefined || wanted === '' || wanted === node.name) return null;
    return REJECT;
  }

  filterNodes(_state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    const wanted = pod.pod.spec?.nodeName;
    if (wanted === undefined || wanted === '') return 0;
    let r = 0;
    for (let i = from; i < to; i++) {
      if ((nodes[i] as NodeInfo).name === wanted) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = REJECT;
    }
    return r;
  }
}

/** NodeName takes no args (upstream New ignores them). */
export function newNodeName(_args?: unknown, _handle?: FrameworkHandle): Plugin {
  return new NodeNamePlugin();
}
