// The default profile (upstream pkg/scheduler/apis/config/v1/default_plugins.go), restricted
// to the plugins ksim implements so far, with upstream's weights.
import type { ProfileConfig } from './framework/framework.js';
import * as names from './plugins/names.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export function defaultProfile(): ProfileConfig {
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    plugins: [
      { name: names.PrioritySort, weight: 0 },
      { name: names.NodeUnschedulable, weight: 0 },
      { name: names.NodeResourcesFit, weight: 1 },
      { name: names.DefaultBinder, weight: 0 },
    ],
    pluginArgs: new Map(),
    percentageOfNodesToScore: 0,
  };
}
