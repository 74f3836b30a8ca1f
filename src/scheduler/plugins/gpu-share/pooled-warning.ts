// The one warning that GPU shares are counted pooled: a profile that schedules pods asking
// alibaba.com/gpu-milli without Open-Gpu-Share at filter lets NodeResourcesFit count a node's
// milli-GPUs as one pool, as upstream's NodeResourcesFit counts any extended resource
// (pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest: one ScalarResources sum per
// node), so two 600-milli shares "fit" one GPU. `ksim capacity --pod`, `ksim capacity
// --nodes-for` and `ksim run` all say it with this text.
import { GPU_MILLI_RESOURCE } from '../../../cluster/gpu-devices.js';
import { OpenGpuShare } from './names.js';

/** Where the user enables the plugin: a scenario's scheduler.config, or `--config` with
 * `ksim capacity --cluster`. */
export type PooledGpuRemedy = 'scenario' | 'config';

/** Whether a profile with these Filter plugins counts GPU shares device by device. */
export function sharesGpuByDevice(filters: Iterable<string>): boolean {
  for (const f of filters) if (f === OpenGpuShare) return true;
  return false;
}

/** "profile P does not enable Open-Gpu-Share: alibaba.com/gpu-milli is counted as one pool per
 * node ...", for a profile (schedulerName) whose pods ask milli-GPUs. */
export function pooledGpuWarning(profile: string, remedy: PooledGpuRemedy): string {
  const fix = remedy === 'scenario' ? 'a scenario whose scheduler.config enables it (at filter and reserve)' : '--config with a KubeSchedulerConfiguration whose profile enables it (at filter and reserve)';
  return `profile ${profile} does not enable ${OpenGpuShare}: ${GPU_MILLI_RESOURCE} is counted as one pool per node (NodeResourcesFit), not device by device, so a share may be placed where no single GPU has the room; ${fix} counts per device`;
}
