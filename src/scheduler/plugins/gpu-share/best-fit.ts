// BestFitScore (upstream pkg/simulator/plugin/best_fit_score.go, getBestFitScore): the node whose
// CPU and GPU left after the pod are smallest, each normalised by the biggest node's
// (128 cores, 8 GPUs) and weighted ½: raw = trunc((1 − Σ ½ (free − request) / maxSpec) × 100),
// then min-max normalised over the scored nodes (upstream NormalizeScore in plugin_utils.go).
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { GpuDevices } from '../../../cluster/gpu-devices.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Plugin, ScorePlugin } from '../../framework/interfaces.js';
import type { Verdict } from '../../framework/status.js';
import { devicesFor, MAX_SPEC_CPU_MILLI, MAX_SPEC_GPU_MILLI, parseGpuArgs, requestOf } from './common.js';
import { BestFitScore } from './names.js';
import { minMaxNormalize } from './normalize.js';

export class BestFitScorePlugin implements ScorePlugin {
  readonly name = BestFitScore;
  constructor(private readonly resource: string, private readonly devices: GpuDevices) {}

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const req = requestOf(state, pod, this.resource);
    const cpuFree = node.allocatable.milliCpu - node.requested.milliCpu;
    const gpuFree = this.devices.node(node)?.totalFree ?? 0;
    const s = ((cpuFree - pod.nonZeroMilliCpu) / MAX_SPEC_CPU_MILLI) * 0.5 + ((gpuFree - req.count * req.milli) / MAX_SPEC_GPU_MILLI) * 0.5;
    return Math.trunc((1 - s) * 100);
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: Float64Array): Verdict {
    minMaxNormalize(scores);
    return null;
  }
}

export function newBestFitScore(args: unknown, handle: FrameworkHandle): Plugin {
  const a = parseGpuArgs(args);
  return new BestFitScorePlugin(a.resource, devicesFor(handle, a));
}
