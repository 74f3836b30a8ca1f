// An out-of-tree Score plugin for ksim: pack GPU pods onto the nodes whose GPUs are already the
// most used, leaving whole nodes free for large jobs (the opposite of the default
// LeastAllocated spreading).
//
// A plugin module exports `plugins`: plugin name → factory(args, handle). The factory receives
// the plugin's `args` from the KubeSchedulerConfiguration's pluginConfig (undefined when none)
// and a handle to the cluster; it returns an object with a `name` and the methods of the
// extension points it implements (here: score). Enable it in a profile like a built-in:
//
//   scheduler:
//     pluginModules: [../examples/plugins/gpu-binpack.js]
//     config:
//       apiVersion: kubescheduler.config.k8s.io/v1
//       kind: KubeSchedulerConfiguration
//       profiles:
//         - plugins: { multiPoint: { enabled: [{ name: GpuBinPack, weight: 5 }] } }
//           pluginConfig: [{ name: GpuBinPack, args: { resource: nvidia.com/gpu } }]
//
// Types: the factory is a ksim `PluginFactory`; `pod` is a `PodInfo`, `node` a `NodeInfo`.
import { FieldError, MAX_NODE_SCORE } from 'ksim';

const NAME = 'GpuBinPack';

/** @param {unknown} raw */
function parseArgs(raw) {
  const args = { resource: 'nvidia.com/gpu' };
  if (raw === undefined || raw === null) return args;
  const r = /** @type {Record<string, unknown>} */ (raw);
  for (const k of Object.keys(r)) if (k !== 'resource') throw new FieldError(k, 'only the field resource');
  if (r.resource !== undefined) {
    if (typeof r.resource !== 'string' || !r.resource.includes('/')) {
      throw new FieldError('resource', 'an extended resource name such as nvidia.com/gpu', JSON.stringify(r.resource));
    }
    args.resource = r.resource;
  }
  return args;
}

export const plugins = {
  /** @type {import('ksim').PluginFactory} */
  [NAME]: (rawArgs) => {
    const { resource } = parseArgs(rawArgs);
    return {
      name: NAME,
      // Score: the node's GPU utilisation after placing the pod, 0–100. Pods without GPUs get 0
      // everywhere, so the plugin does not disturb them.
      /** @type {import('ksim').ScorePlugin['score']} */
      score(_state, pod, node) {
        const want = pod.requests.getScalar(resource);
        const capacity = node.allocatable.getScalar(resource);
        if (want === 0 || capacity === 0) return 0;
        const used = node.requested.getScalar(resource) + want;
        return used > capacity ? 0 : Math.trunc((used * MAX_NODE_SCORE) / capacity);
      },
    };
  },
};
