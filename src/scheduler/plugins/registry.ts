// Plugin name → factory. Built-in and user plugins register here the same way
// (upstream pkg/scheduler/framework/plugins/registry.go).
import type { PluginFactory } from '../framework/interfaces.js';
import { newDefaultBinder } from './default-binder.js';
import { newDefaultPreemption } from './default-preemption/plugin.js';
import { newNodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { newImageLocality } from './image-locality.js';
import { newInterPodAffinity } from './inter-pod-affinity/plugin.js';
import * as names from './names.js';
import { newNodeAffinity } from './node-affinity.js';
import { newNodeName } from './node-name.js';
import { newNodePorts } from './node-ports.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { newPodTopologySpread } from './pod-topology-spread/plugin.js';
import { newPrioritySort } from './priority-sort.js';
import { newSchedulingGates } from './scheduling-gates.js';
import { newTaintToleration } from './taint-toleration.js';
import { GPU_SHARE_PLUGINS } from './gpu-share/index.js';
import { newMaxInstancesPerNode } from './max-instances-per-node.js';

export type Registry = Map<string, PluginFactory>;

export function inTreeRegistry(): Registry {
  return new Map<string, PluginFactory>([
    [names.SchedulingGates, newSchedulingGates],
    [names.PrioritySort, newPrioritySort],
    [names.NodeUnschedulable, newNodeUnschedulable],
    [names.NodeName, newNodeName],
    [names.TaintToleration, newTaintToleration],
    [names.NodeAffinity, newNodeAffinity],
    [names.NodePorts, newNodePorts],
    [names.NodeResourcesFit, newNodeResourcesFit],
    [names.PodTopologySpread, newPodTopologySpread],
    [names.InterPodAffinity, newInterPodAffinity],
    [names.DefaultPreemption, newDefaultPreemption],
    [names.NodeResourcesBalancedAllocation, newNodeResourcesBalancedAllocation],
    [names.ImageLocality, newImageLocality],
    [names.DefaultBinder, newDefaultBinder],
    // GPU sharing (the FGD paper's policies): off unless a profile names them.
    ...GPU_SHARE_PLUGINS,
    // Alibaba's per-node cap of an application's instances: off unless a profile names it.
    [names.MaxInstancesPerNode, newMaxInstancesPerNode],
  ]);
}
