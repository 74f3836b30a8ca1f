// MaxInstancesPerNode (ksim's, not upstream; off unless a profile enables it): Filter rejects a
// node already running as many pods of the pod's application as the pod's cap allows. The cap
// is Alibaba's `max_instance_per_node` (cluster-trace-gpu-v2025: "max instances of the same
// app_name on one node"), which Kubernetes has no constraint for: the alibaba-gpu-2025 trace
// reader puts it in the label alibaba.com/max-instance-per-node and the application in
// alibaba.com/app (args capLabel, appLabel). A pod without both labels (or with a cap that is not
// a positive integer) is not constrained. Every pod on the node counts, Terminating ones too (they
// run until their kubelet stops them), if it is in the pod's namespace and has the same app.
import { FieldError } from '../../api/field-error.js';
import { isValidLabelKey } from '../../api/labels.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { ActionType, asPod, type ClusterEventWithHint, type EnqueueExtensions } from '../framework/events.js';
import type { FilterPlugin, FilterRejections, Plugin, PreFilterPlugin, PreFilterResult } from '../framework/interfaces.js';
import { Code, Status, type Verdict } from '../framework/status.js';
import { MaxInstancesPerNode } from './names.js';

const PRE_FILTER_KEY = `PreFilter${MaxInstancesPerNode}`;
export const DEFAULT_CAP_LABEL = 'alibaba.com/max-instance-per-node';
export const DEFAULT_APP_LABEL = 'alibaba.com/app';
export const ERR_REASON_MAX_INSTANCES = "node(s) already ran the pod's application's maximum instances per node";
const REJECT = new Status(Code.Unschedulable, [ERR_REASON_MAX_INSTANCES], MaxInstancesPerNode);
const NO_STATE = Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`).withPlugin(MaxInstancesPerNode);

interface Cap {
  readonly namespace: string;
  readonly app: string;
  readonly max: number;
}

export class MaxInstancesPerNodePlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = MaxInstancesPerNode;

  constructor(
    private readonly capLabel: string,
    private readonly appLabel: string,
  ) {}

  /** The pod's cap, or null when it has none. */
  capOf(pod: PodInfo): Cap | null {
    const max = pod.labels[this.capLabel];
    const app = pod.labels[this.appLabel];
    if (typeof max !== 'string' || typeof app !== 'string' || !/^[1-9]\d{0,8}$/.test(max)) return null;
    return { namespace: pod.namespace, app, max: Number(max) };
  }

  /** Pods on `node` that count against `cap`. */
  countOn(node: NodeInfo, cap: Cap): number {
    let n = 0;
    for (const p of node.pods) if (p.namespace === cap.namespace && p.labels[this.appLabel] === cap.app) n++;
    return n;
  }

  /** A pod of the same application leaving a node can make room; a node joining can too. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete },
        hint: (pod, o) => {
          const gone = asPod(o);
          const cap = this.capOf(pod);
          return gone !== undefined && gone.nodeName !== null && cap !== null && gone.namespace === cap.namespace && gone.labels[this.appLabel] === cap.app ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'Node', actionType: ActionType.Add } },
    ];
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Verdict; result?: PreFilterResult } {
    const cap = this.capOf(pod);
    if (cap === null) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, cap);
    return { status: null };
  }

  /** Filter over a batch of nodes (FilterPlugin.filterNodes). */
  filterNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    let r = 0;
    for (let i = from; i < to; i++) {
      const v = this.filter(state, pod, nodes[i] as NodeInfo);
      if (v === null) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = v;
    }
    return r;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Verdict {
    const cap = state.read<Cap>(PRE_FILTER_KEY);
    if (cap === undefined) return NO_STATE;
    return this.countOn(node, cap) >= cap.max ? REJECT : null;
  }
}

/** Args: `capLabel` and `appLabel` (label keys; defaults: the alibaba-gpu-2025 reader's). */
export function newMaxInstancesPerNode(args?: unknown): Plugin {
  const a = (args ?? {}) as Record<string, unknown>;
  if (typeof a !== 'object' || Array.isArray(a)) throw new FieldError('', 'a mapping with capLabel and appLabel', JSON.stringify(args));
  for (const k of Object.keys(a)) {
    if (k !== 'capLabel' && k !== 'appLabel') throw new FieldError(k, 'capLabel or appLabel (the args MaxInstancesPerNode takes)', JSON.stringify(k));
  }
  const label = (k: 'capLabel' | 'appLabel', dflt: string): string => {
    const v = a[k] ?? dflt;
    if (typeof v !== 'string' || !isValidLabelKey(v)) throw new FieldError(k, 'a label key such as example.com/app', JSON.stringify(v));
    return v;
  };
  return new MaxInstancesPerNodePlugin(label('capLabel', DEFAULT_CAP_LABEL), label('appLabel', DEFAULT_APP_LABEL));
}
