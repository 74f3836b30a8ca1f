// DotProductScore, Tetris's packing heuristic as the FGD paper configures it (upstream
// pkg/simulator/plugin/dot_product_score.go with dimExtMethod "merge", normMethod "max";
// pkg/utils/utils.go GenerateSchedulingMatchGroups): node vector (CPU left, GPU left) and pod
// vector (CPU, GPU request), each divided by the biggest node's (128 cores, 8 GPUs); score =
// trunc((1 − dot / 2) × 100), 0 when the node lacks the CPU.
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { GpuDevices } from '../../../cluster/gpu-devices.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Plugin, ScorePlugin } from '../../framework/interfaces.js';
import { devicesFor, MAX_SPEC_CPU_MILLI, MAX_SPEC_GPU_MILLI, parseGpuArgs, requestOf } from './common.js';
import { DotProductScore } from './names.js';

export class DotProductScorePlugin implements ScorePlugin {
  readonly name = DotProductScore;
  constructor(private readonly resource: string, private readonly devices: GpuDevices) {}

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const req = requestOf(state, pod, this.resource);
    const cpuFree = node.allocatable.milliCpu - node.requested.milliCpu;
    if (cpuFree < pod.nonZeroMilliCpu) return 0;
    const gpuFree = this.devices.node(node)?.totalFree ?? 0;
    const dot = (cpuFree / MAX_SPEC_CPU_MILLI) * (pod.nonZeroMilliCpu / MAX_SPEC_CPU_MILLI) + (gpuFree / MAX_SPEC_GPU_MILLI) * ((req.count * req.milli) / MAX_SPEC_GPU_MILLI);
    return Math.max(0, Math.trunc((1 - dot / 2) * 100));
  }
}

export function newDotProductScore(args: unknown, handle: FrameworkHandle): Plugin {
  const a = parseGpuArgs(args);
  return new DotProductScorePlugin(a.resource, devicesFor(handle, a));
}
