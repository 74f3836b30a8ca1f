// PodTopologySpread (upstream pkg/scheduler/framework/plugins/podtopologyspread).
export {
  newPodTopologySpread,
  parsePodTopologySpreadArgs,
  validatePodTopologySpreadArgs,
  PodTopologySpreadPlugin,
  POD_TOPOLOGY_SPREAD,
  type PodTopologySpreadArgs,
} from './plugin.js';
