// GpuPackingScore (upstream pkg/simulator/plugin/gpu_packing_score.go, getPackingScore), from
// high to low: (1) the pod fits on partly used devices: 100 − Σ (room of those devices in %) /
// 10, at least 50; (2) it needs fully free devices of a partly used node: 50 − their number, at
// least 33; (3) the node is untouched: 33 − its free devices, at least that number (upstream's
// cap, kept). Devices are taken least room first, as upstream. CPU-only pods score 0.
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { MILLI_PER_GPU, type GpuDevices } from '../../../cluster/gpu-devices.js';
import { packDevices } from '../../../cluster/gpu-fragmentation.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Plugin, ScorePlugin } from '../../framework/interfaces.js';
import { devicesFor, parseGpuArgs, requestOf } from './common.js';
import { GpuPackingScore } from './names.js';

export class GpuPackingScorePlugin implements ScorePlugin {
  readonly name = GpuPackingScore;
  private readonly ids: number[] = [];
  constructor(private readonly resource: string, private readonly devices: GpuDevices) {}

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const req = requestOf(state, pod, this.resource);
    if (req.count === 0) return 0;
    const g = this.devices.node(node);
    if (g === undefined) return 0;
    const fullyFree = g.fullyFree();
    if (fullyFree === g.devices) return Math.max(Math.trunc(100 / 3) - fullyFree, fullyFree);
    if (packDevices(g.free, req.milli, req.count, this.ids) < req.count) return 0;
    let freshUsed = 0;
    let roomPct = 0;
    for (const i of this.ids) {
      const f = g.free[i] as number;
      if (f === MILLI_PER_GPU) freshUsed++;
      roomPct += Math.trunc((f * 100) / MILLI_PER_GPU);
    }
    if (freshUsed > 0) return Math.max(50 - freshUsed, Math.trunc(100 / 3));
    return Math.max(100 - Math.trunc(roomPct / 10), 50);
  }
}

export function newGpuPackingScore(args: unknown, handle: FrameworkHandle): Plugin {
  const a = parseGpuArgs(args);
  return new GpuPackingScorePlugin(a.resource, devicesFor(handle, a));
}
