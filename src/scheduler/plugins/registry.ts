// Plugin name → factory. Built-in and user plugins register here the same way
// (upstream pkg/scheduler/framework/plugins/registry.go).
import type { PluginFactory } from '../framework/interfaces.js';
import { newDefaultBinder } from './default-binder.js';
import * as names from './names.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { newPrioritySort } from './priority-sort.js';

export type Registry = Map<string, PluginFactory>;

export function inTreeRegistry(): Registry {
  return new Map<string, PluginFactory>([
    [names.PrioritySort, newPrioritySort],
    [names.NodeUnschedulable, newNodeUnschedulable],
    [names.NodeResourcesFit, newNodeResourcesFit],
    [names.DefaultBinder, newDefaultBinder],
  ]);
}
