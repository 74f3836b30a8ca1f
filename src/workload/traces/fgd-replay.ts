// The FGD paper's replay of an openb pod list (alibaba-gpu-2023 with map.replay: fgd), as the
// FGD simulator runs it (hkust-adsl/kubernetes-scheduler-simulator pkg/simulator/core.go
// Simulate; simulator.go SortClusterPods, TunePodsByNodeTotalResource, tuneUpPods,
// tuneDownPods): pods sorted by name and shuffled with the seed; then, while their summed GPU
// request is below `topUp` × the cluster's GPU capacity, pods drawn with replacement from the
// list (named <name>-tuned-<i>) are appended (above it, random pods are dropped); then created
// one every `interval`, never deleted, each deleted if not placed when the next one arrives
// (the scheduler's queue may try it again meanwhile; nothing has freed room, so a retry cannot
// place it). The list's typical pod shapes are published for FGDScore.
import type { TracePod, TraceItem, ReplayContext, ReplayCounts } from './trace-types.js';
import { existingGpuDevices, gpuDevicesOf } from '../../cluster/gpu-devices.js';
import { TypicalPods, type PodShape } from '../../cluster/gpu-fragmentation.js';

/** A row's GPU request in milli-GPU (the resource's quantity, a plain integer here). */
function gpuMilliOf(p: TracePod, resource: string): number {
  const v = p.requests[resource];
  return v === undefined ? 0 : Number(v);
}

/** The shape FGD's measure sees of a row (gpu-fragmentation.ts PodShape). */
export function rowShape(p: TracePod, resource: string): PodShape {
  const cpu = p.requests['cpu'] ?? '0m';
  const total = gpuMilliOf(p, resource);
  const models = p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values ?? [];
  const [gpuCount, gpuMilli] = total <= 0 ? [0, 0] : total < 1000 ? [1, total] : [Math.floor(total / 1000), 1000];
  return { cpuMilli: parseInt(cpu, 10), gpuMilli, gpuCount, models: [...models].sort() };
}

/** Publishes the list's typical pods where the GPU-sharing plugins read them, if a profile uses
 * them (their index exists). */
export function publishTypicalPods(items: readonly TraceItem[], ctx: ReplayContext, resource: string, modelLabel: string): void {
  if (!existingGpuDevices(ctx.cluster).some((d) => d.resource === resource)) return;
  const shapes: PodShape[] = [];
  for (const it of items) if (it.kind === 'pod') shapes.push(rowShape(it.pod, resource));
  gpuDevicesOf(ctx.cluster, resource, modelLabel).typicalPods = TypicalPods.fromPods(shapes);
}

/** The rows in the paper's order, topped up (or cut) to `topUp` × GPU capacity, timed one per
 * `intervalS` from 0 s, and what that did to the rows (run.json's trace counts and the warning
 * of a tune-down). */
export function fgdOrder(items: readonly TraceItem[], ctx: ReplayContext, resource: string, topUp: number, intervalS: number): { readonly items: TraceItem[]; readonly counts: ReplayCounts } {
  const pods = items.filter((i): i is TraceItem & { kind: 'pod' } => i.kind === 'pod');
  const byName = [...pods].sort((a, b) => (a.pod.name < b.pod.name ? -1 : a.pod.name > b.pod.name ? 1 : 0));
  // Go's rand.Shuffle: Fisher–Yates from the end.
  const order = [...byName];
  for (let i = order.length - 1; i > 0; i--) {
    const j = ctx.rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const capacity = ctx.cluster.totalAllocatable.getScalar(resource);
  const target = topUp * capacity;
  let total = 0;
  for (const p of order) total += gpuMilliOf(p.pod, resource);
  const rowsGpuMilli = total;
  let toppedUp = 0;
  let tunedDown = 0;
  if (capacity > 0 && total < target) {
    // tuneUpPods: draws from the name-sorted list; it tests the per-GPU share (MilliGpu), not
    // the pod's total, against the target, as upstream does.
    for (let i = 0; ; i++) {
      const src = byName[ctx.rng.int(byName.length)]!;
      const m = gpuMilliOf(src.pod, resource);
      const perGpu = m >= 1000 ? 1000 : m;
      if (total + perGpu > target) break;
      total += m;
      toppedUp++;
      order.push({ ...src, pod: { ...src.pod, name: `${src.pod.name}-tuned-${i}` } });
    }
  } else if (capacity > 0) {
    // tuneDownPods: random pods dropped until the sum is at most the target (a pod asking more
    // than the target alone is always dropped in the end).
    while (total > target && order.length > 0) {
      const [gone] = order.splice(ctx.rng.int(order.length), 1);
      total -= gpuMilliOf(gone!.pod, resource);
      tunedDown++;
    }
  }
  return {
    items: order.map((it, k) => ({ ...it, timeS: k * intervalS, pod: { ...it.pod, deleteAtS: null, durationS: null, giveUpAtS: (k + 1) * intervalS } })),
    counts: { rows: pods.length, tunedDown, toppedUp, rowsGpuMilli, capacityGpuMilli: capacity, targetGpuMilli: target, topUp },
  };
}
