// Upstream's default plugins (pkg/scheduler/apis/config/v1/default_plugins.go, v1.36), all
// enabled through multiPoint, with their score weights. The volume plugins (VolumeRestrictions,
// NodeVolumeLimits, VolumeBinding, VolumeZone) and DynamicResources are out of ksim's scope.
import type { PluginRef } from '../framework/framework.js';
import * as names from '../plugins/names.js';

export const DEFAULT_MULTIPOINT: readonly PluginRef[] = [
  { name: names.SchedulingGates, weight: 0 },
  { name: names.PrioritySort, weight: 0 },
  { name: names.NodeUnschedulable, weight: 0 },
  { name: names.NodeName, weight: 0 },
  { name: names.TaintToleration, weight: 3 },
  { name: names.NodeAffinity, weight: 2 },
  { name: names.NodePorts, weight: 0 },
  { name: names.NodeResourcesFit, weight: 1 },
  { name: names.PodTopologySpread, weight: 2 },
  { name: names.InterPodAffinity, weight: 2 },
  { name: names.DefaultPreemption, weight: 0 },
  { name: names.NodeResourcesBalancedAllocation, weight: 1 },
  { name: names.ImageLocality, weight: 1 },
  { name: names.DefaultBinder, weight: 0 },
];

/** Upstream plugins of the default profile (or of older defaults) that ksim does not model:
 * volumes and dynamic resources. Configs that enable them load, with one warning, and the
 * plugins are left out (a pod then schedules as if every volume and device were reachable). */
export const NO_OP_PLUGINS: ReadonlySet<string> = new Set([
  'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'DynamicResources', 'NodeDeclaredFeatures',
]);

/** Plugins kube-scheduler no longer has, with the release that removed them and what replaces
 * them: v1.36 refuses a configuration enabling them (its registry has no such plugin), so ksim
 * does too. The non-CSI volume limits went in v1.32 (kubernetes/kubernetes#124003, CHANGELOG-1.32:
 * "Kube-scheduler removed the following plugins: AzureDiskLimits, CinderLimits, EBSLimits,
 * GCEPDLimits"; deprecated in v1.31 by #124500). */
export const REMOVED_PLUGINS: ReadonlyMap<string, string> = new Map(
  ['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits'].map((n) => [n, 'removed in Kubernetes v1.32, kubernetes/kubernetes#124003; NodeVolumeLimits replaces it']),
);

/** Upstream plugins ksim cannot stand in for: a config that enables them is refused. */
export const OUT_OF_SCOPE_PLUGINS: ReadonlySet<string> = new Set([...NO_OP_PLUGINS, 'GangScheduling']);
