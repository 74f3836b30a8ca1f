// `ksim explain` of a DaemonSet: not one pod placed by a scored choice, but the pods the DaemonSet
// controller creates, one per eligible node, each pinned to its node with the daemon tolerations
// (the controller's own code: controllers/daemonset.ts), each explained on that node alone.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import { daemonPodSpec, daemonTemplatePod, nodeShouldRunDaemonPod } from '../controllers/daemonset.js';
import { daemonSetExplanation, type ExplainResult } from '../scheduler/explain.js';

/** `explainOn(pod, node)` explains `pod` with `node` the only candidate. `nodes` (--nodes): only
 * these nodes are looked at. */
export function explainDaemonSet(
  ds: ObjectOf<'DaemonSet'>,
  templatePod: Pod,
  profile: string,
  cluster: ClusterState,
  nodes: readonly string[] | undefined,
  explainOn: (pod: Pod, node: string) => ExplainResult,
): ExplainResult {
  const eligibility = daemonTemplatePod(ds);
  const perNode = new Map<string, ExplainResult>();
  const notCreated: Record<string, string> = {};
  for (const n of cluster.schedulingNodes()) {
    if (nodes !== undefined && !nodes.includes(n.name)) continue;
    const { shouldRun, reason } = nodeShouldRunDaemonPod(eligibility, n);
    if (!shouldRun) notCreated[n.name] = reason ?? '';
    else perNode.set(n.name, explainOn({ ...templatePod, spec: daemonPodSpec(ds, n.name) }, n.name));
  }
  return daemonSetExplanation(`${ds.metadata.namespace}/${ds.metadata.name}`, profile, perNode, notCreated);
}
