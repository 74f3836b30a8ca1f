// GpuClusteringScore (upstream pkg/simulator/plugin/gpu_clustering_score.go): GPU pods of one
// kind ("share-gpu", "1-gpu", "2-gpu", ...) gather on the same nodes. Bands: (75, 100] a node
// holding only pods of the pod's kind, (50, 75] one holding that kind among others, (25, 50] a
// node without GPU pods, [0, 25] a node holding other kinds only; within a band, the more of
// the node's GPU is used the higher: 25 × (8000 − GPU left) / 8000 (Go integer division).
// CPU-only pods score 0. Clamped at 0 for nodes with more than 8 GPUs (upstream goes negative).
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { affinityTag, type GpuDevices } from '../../../cluster/gpu-devices.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Plugin, ScorePlugin } from '../../framework/interfaces.js';
import { devicesFor, MAX_SPEC_GPU_MILLI, parseGpuArgs, requestOf } from './common.js';
import { GpuClusteringScore } from './names.js';

export class GpuClusteringScorePlugin implements ScorePlugin {
  readonly name = GpuClusteringScore;
  constructor(private readonly resource: string, private readonly devices: GpuDevices) {}

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const req = requestOf(state, pod, this.resource);
    if (req.count === 0) return 0;
    const g = this.devices.node(node);
    const left = g?.totalFree ?? 0;
    const used = Math.max(0, Math.trunc((25 * (MAX_SPEC_GPU_MILLI - left)) / MAX_SPEC_GPU_MILLI));
    const kinds = g?.affinity ?? new Map<string, number>();
    if ((kinds.get(affinityTag(req)) ?? 0) > 0) return used + (kinds.size === 1 ? 75 : 50);
    return used + (kinds.size === 0 ? 25 : 0);
  }
}

export function newGpuClusteringScore(args: unknown, handle: FrameworkHandle): Plugin {
  const a = parseGpuArgs(args);
  return new GpuClusteringScorePlugin(a.resource, devicesFor(handle, a));
}
