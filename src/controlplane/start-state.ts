// The cluster as it is when a run starts (t = 0): nodes, objects (Namespaces, PriorityClasses,
// owners, ...) and pods already bound to their nodes. It is committed through the API server
// (ApiServer.commitStartState) once every component watches, so initial nodes, cluster
// snapshots and imports reach every controller, kubelet, tracker and checker the same way.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { PodPast } from '../cluster/pod-info.js';

export interface StartNode {
  readonly node: Node;
  /** Pool name, or "" for explicit and snapshot nodes. */
  readonly pool: string;
}

export interface StartState {
  readonly nodes: readonly StartNode[];
  readonly objects: readonly WorkloadObject[];
  /** Pods bound to a node of `nodes` (spec.nodeName set): Running there at t = 0. */
  readonly pods: readonly Pod[];
  /** What a snapshot said of its pods' past (PodInfo.past), by pod. */
  readonly podPasts?: ReadonlyMap<Pod, PodPast>;
  /** A snapshot's finished pods (status.phase Succeeded or Failed): stored objects that only the
   * ResourceQuota's count/pods and the terminated-pod garbage collector see
   * (ClusterState.finishedAtStart). */
  readonly finishedPods?: readonly Pod[];
}

export const EMPTY_START_STATE: StartState = { nodes: [], objects: [], pods: [] };

/** The order objects are committed in, as upstream controllers see a synced cache: what
 * admission and selectors read first, then owners before what they own (a Deployment before its
 * ReplicaSets, a CronJob before its Jobs, every pod owner before the pods). Kinds not listed
 * come after Services, in the order given. */
const OBJECT_ORDER = ['Namespace', 'PriorityClass', 'ResourceQuota', 'LimitRange', 'RuntimeClass', 'PodDisruptionBudget', 'Service', 'Deployment', 'CronJob', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'HorizontalPodAutoscaler'];

/** `objects` in commit order (stable within a kind). */
export function commitOrder(objects: readonly WorkloadObject[]): WorkloadObject[] {
  const rank = (o: WorkloadObject) => {
    const i = OBJECT_ORDER.indexOf(o.kind);
    return i < 0 ? OBJECT_ORDER.indexOf('Service') + 0.5 : i;
  };
  return objects.map((o, i) => ({ o, i, r: rank(o) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.o);
}
