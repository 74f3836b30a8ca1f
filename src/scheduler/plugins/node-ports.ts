// NodePorts: Filter rejects nodes where a host port the pod asks for is already taken.
// Upstream pkg/scheduler/framework/plugins/nodeports/node_ports.go, with the conflict rules of
// the scheduler framework's HostPortInfo.CheckConflict (k8s.io/kube-scheduler/framework types.go):
//  - an empty hostIP means 0.0.0.0 and an empty protocol means TCP;
//  - 0.0.0.0 conflicts with every IP holding the same protocol/port;
//  - a specific IP conflicts with the same IP and with 0.0.0.0 for the same protocol/port.
// The pod's host ports (app containers and restartable init containers, upstream
// util.GetHostPorts) come from PodInfo.hostPorts.
import type { NodeInfo } from '../../cluster/node-info.js';
import type { HostPort, PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, FilterRejections, FrameworkHandle, Plugin, PreFilterPlugin, PreFilterResult } from '../framework/interfaces.js';
import { Status, type Verdict } from '../framework/status.js';
import { NodePorts } from './names.js';
import { ActionType, asPod, type ClusterEventWithHint, type EnqueueExtensions } from '../framework/events.js';

const PRE_FILTER_KEY = `PreFilter${NodePorts}`;

/** Upstream ErrReason (node_ports.go). */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
const REJECT = Status.unschedulable(ERR_REASON_NODE_PORTS).withPlugin(NodePorts);
/** What upstream's Filter returns when PreFilter did not run (fwk.AsStatus of a wrapped ErrNotFound). */
const NO_STATE = Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`).withPlugin(NodePorts);

/** Upstream DefaultBindAllHostIP. */
const BIND_ALL = '0.0.0.0';

/** One wanted host port, with the lookup keys built once per pod. */
interface WantedPort {
  readonly wildcard: boolean;
  /** "protocol/port": any IP holding it conflicts with a wildcard want. */
  readonly anyIpKey: string;
  /** "protocol/0.0.0.0/port". */
  readonly bindAllKey: string;
  /** "protocol/ip/port". */
  readonly exactKey: string;
}

interface PreFilterState {
  readonly wanted: readonly WantedPort[];
}

/** The node's used ports in the shape CheckConflict needs, derived from NodeInfo.usedPorts
 * ("protocol/ip/port" → count) and rebuilt when the node's generation changes. */
interface PortView {
  generation: number;
  /** Sanitized "protocol/ip/port". */
  readonly exact: Set<string>;
  /** Sanitized "protocol/port". */
  readonly anyIp: Set<string>;
}

function sanitizeIp(ip: string): string {
  return ip === '' ? BIND_ALL : ip;
}

function sanitizeProtocol(protocol: string): string {
  return protocol === '' ? 'TCP' : protocol;
}

function wantedPort(hp: HostPort): WantedPort {
  const ip = sanitizeIp(hp.hostIP);
  const protocol = sanitizeProtocol(hp.protocol);
  return {
    wildcard: ip === BIND_ALL,
    anyIpKey: `${protocol}/${hp.port}`,
    bindAllKey: `${protocol}/${BIND_ALL}/${hp.port}`,
    exactKey: `${protocol}/${ip}/${hp.port}`,
  };
}

export class NodePortsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NodePorts;

  /** Upstream EventsToRegister: an assigned pod's deletion (queued when it held a port the pod
   * wants), and Node/Add|Update without a hint (always Queue). */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: (pod, o) => (isSchedulableAfterPodDeleted(pod, asPod(o)) ? 'Queue' : 'QueueSkip') },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.Update } },
    ];
  }
  /** Derived per-node data (not per-cycle): keyed by the NodeInfo object, so preemption's
   * scratch clones get their own entries. */
  private readonly views = new WeakMap<NodeInfo, PortView>();

  /** Skips pods without host ports (upstream PreFilter). */
  preFilter(state: CycleState, pod: PodInfo): { status: Verdict; result?: PreFilterResult } {
    const ports = pod.hostPorts;
    if (ports.length === 0) return { status: Status.skip() };
    const s: PreFilterState = { wanted: ports.map(wantedPort) };
    state.write(PRE_FILTER_KEY, s);
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
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s === undefined) return NO_STATE;
    if (node.usedPorts.size === 0) return null;
    const view = this.view(node);
    const wanted = s.wanted;
    for (let i = 0; i < wanted.length; i++) {
      const w = wanted[i] as WantedPort;
      const conflict = w.wildcard ? view.anyIp.has(w.anyIpKey) : view.exact.has(w.bindAllKey) || view.exact.has(w.exactKey);
      if (conflict) return REJECT;
    }
    return null;
  }

  private view(node: NodeInfo): PortView {
    let v = this.views.get(node);
    if (v !== undefined && v.generation === node.generation) return v;
    if (v === undefined) {
      v = { generation: node.generation, exact: new Set(), anyIp: new Set() };
      this.views.set(node, v);
    } else {
      v.generation = node.generation;
      v.exact.clear();
      v.anyIp.clear();
    }
    for (const key of node.usedPorts.keys()) {
      // portKey: `${protocol}/${hostIP}/${port}`; protocols and ports have no "/", IPs neither.
      const a = key.indexOf('/');
      const b = key.lastIndexOf('/');
      const protocol = sanitizeProtocol(key.slice(0, a));
      const ip = sanitizeIp(key.slice(a + 1, b));
      const port = key.slice(b + 1);
      v.exact.add(`${protocol}/${ip}/${port}`);
      v.anyIp.add(`${protocol}/${port}`);
    }
    return v;
  }
}

/** The deleted pod was assigned and held a host port that conflicts with one `pod` wants
 * (upstream isSchedulableAfterPodDeleted, using fitsPorts). */
function isSchedulableAfterPodDeleted(pod: PodInfo, deleted: PodInfo | undefined): boolean {
  if (deleted === undefined || deleted.nodeName === null || pod.hostPorts.length === 0) return false;
  for (const want of pod.hostPorts.map(wantedPort)) {
    for (const held of deleted.hostPorts) {
      const h = wantedPort(held);
      const conflict = want.wildcard || h.wildcard ? want.anyIpKey === h.anyIpKey : want.exactKey === h.exactKey;
      if (conflict) return true;
    }
  }
  return false;
}

/** NodePorts takes no args (upstream New ignores them). */
export function newNodePorts(_args?: unknown, _handle?: FrameworkHandle): Plugin {
  return new NodePortsPlugin();
}
