// Requested-ratio peaks: the cluster's (RequestedPeaks, summary.csv's cpu_requested_peak_ratio /
// memory_requested_peak_ratio) and each node pool's (PoolPeaks), worked out the same way (Σ requests of
// the pods bound on the pool's Ready nodes / Σ allocatable of those nodes, at every change, not
// only at samples). `ksim capacity --nodes-for POOL` reports the sized pool's headroom from it:
// the cluster-wide peak counts the other pools' idle capacity, which the pool's pods may not be
// able to use (a nodeSelector). Kept as sums per pool (integers: exact in any order), so each
// change costs one pool's update. Extended resources (nvidia.com/gpu, alibaba.com/gpu-milli, ...)
// are summed the same way: a GPU pool's headroom is its GPUs', whatever its CPU.
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { hasResourceColumns, type Resource } from '../cluster/resources.js';

/** a / b, or NaN when b is 0 (no capacity: the ratio is undefined, written empty). */
export function ratioOf(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

/** The highest cpu and memory requested ratios of a run, and the peak of the load: the first
 * instant at which max(cpu ratio, memory ratio) reached its highest value (ksim capacity
 * injects the failure it tolerates then). Updated at every change of the totals. */
export class RequestedPeaks {
  cpu = Number.NaN;
  memory = Number.NaN;
  private load = -1;
  atUs = 0;

  update(nowUs: number, cpu: number, memory: number): void {
    // NaN (no Ready node offers the resource) never counts; the first number does.
    if (!Number.isNaN(cpu) && !(cpu <= this.cpu)) this.cpu = cpu;
    if (!Number.isNaN(memory) && !(memory <= this.memory)) this.memory = memory;
    const load = Math.max(Number.isNaN(cpu) ? 0 : cpu, Number.isNaN(memory) ? 0 : memory);
    if (load > this.load) {
      this.load = load;
      this.atUs = nowUs;
    }
  }
}

interface PoolSums {
  cpuRequested: number;
  memoryRequested: number;
  cpuAllocatable: number;
  memoryAllocatable: number;
  readonly peaks: RequestedPeaks;
  /** Per extended resource of the pool's Ready nodes or of their bound pods (peak NaN: the pool
   * never had Ready allocatable of it). */
  readonly scalars: Map<string, { requested: number; allocatable: number; peak: number }>;
}

/** Each pool's peak requested ratio per resource: cpu, memory, then its extended resources by
 * name (null: the pool never had Ready capacity for the resource). */
export type PoolPeakValues = Record<string, { cpu: number | null; memory: number | null } & Record<string, number | null>>;

export class PoolPeaks {
  private readonly pools = new Map<string, PoolSums>();
  /** The Ready nodes counted, with the allocatable counted for each (a node update may change it). */
  private readonly counted = new Map<NodeInfo, { cpu: number; memory: number; scalar: readonly (readonly [string, number])[] }>();

  /** A node joined (its pods come after, as podPlaced). */
  nodeAdded(n: NodeInfo): void {
    if (n.ready) this.countNode(n);
  }

  nodeRemoved(n: NodeInfo): void {
    this.uncountNode(n);
  }

  /** Readiness or allocatable may have changed: the node's share is taken out and put back. */
  nodeUpdated(n: NodeInfo): void {
    this.uncountNode(n);
    if (n.ready) this.countNode(n);
  }

  /** A pod put on a node's books: counted now only if already bound (a snapshot's pods). */
  podPlaced(p: PodInfo, n: NodeInfo): void {
    if (p.bound && this.counted.has(n)) this.countPod(n.pool, p, 1);
  }

  podRemoved(p: PodInfo, n: NodeInfo): void {
    if (p.bound && this.counted.has(n)) this.countPod(n.pool, p, -1);
  }

  /** An assumed pod's binding committed on node `n`. */
  podBound(p: PodInfo, n: NodeInfo): void {
    if (this.counted.has(n)) this.countPod(n.pool, p, 1);
  }

  /** Each pool's peaks (null: the pool never had Ready capacity for the resource). */
  values(): PoolPeakValues {
    const out: PoolPeakValues = {};
    const value = (v: number) => (Number.isNaN(v) ? null : v);
    for (const [pool, s] of [...this.pools].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const peaks: PoolPeakValues[string] = { cpu: value(s.peaks.cpu), memory: value(s.peaks.memory) };
      // Hugepages none of the pool's nodes has are left out, as timeseries.csv leaves them out.
      for (const name of [...s.scalars.keys()].sort()) {
        const peak = (s.scalars.get(name) as { peak: number }).peak;
        if (hasResourceColumns(name, Number.isNaN(peak) ? 0 : 1)) peaks[name] = value(peak);
      }
      out[pool] = peaks;
    }
    return out;
  }

  private sums(pool: string): PoolSums {
    let s = this.pools.get(pool);
    if (s === undefined) this.pools.set(pool, (s = { cpuRequested: 0, memoryRequested: 0, cpuAllocatable: 0, memoryAllocatable: 0, peaks: new RequestedPeaks(), scalars: new Map() }));
    return s;
  }

  private countNode(n: NodeInfo): void {
    const s = this.sums(n.pool);
    const alloc = { cpu: n.allocatable.milliCpu, memory: n.allocatable.memory, scalar: n.allocatable.scalarNames().map((k) => [k, n.allocatable.getScalar(k)] as const) };
    this.counted.set(n, alloc);
    s.cpuAllocatable += alloc.cpu;
    s.memoryAllocatable += alloc.memory;
    for (const [k, v] of alloc.scalar) scalarOf(s, k).allocatable += v;
    for (const p of n.pods) {
      if (!p.bound) continue;
      s.cpuRequested += p.requests.milliCpu;
      s.memoryRequested += p.requests.memory;
      addScalars(s, p.requests, 1);
    }
    this.update(s);
  }

  private uncountNode(n: NodeInfo): void {
    const alloc = this.counted.get(n);
    if (alloc === undefined) return;
    this.counted.delete(n);
    const s = this.sums(n.pool);
    s.cpuAllocatable -= alloc.cpu;
    s.memoryAllocatable -= alloc.memory;
    for (const [k, v] of alloc.scalar) scalarOf(s, k).allocatable -= v;
    for (const p of n.pods) {
      if (!p.bound) continue;
      s.cpuRequested -= p.requests.milliCpu;
      s.memoryRequested -= p.requests.memory;
      addScalars(s, p.requests, -1);
    }
    this.update(s);
  }

  private countPod(pool: string, p: PodInfo, sign: 1 | -1): void {
    const s = this.sums(pool);
    s.cpuRequested += sign * p.requests.milliCpu;
    s.memoryRequested += sign * p.requests.memory;
    addScalars(s, p.requests, sign);
    if (sign > 0) this.update(s);
  }

  private update(s: PoolSums): void {
    // The time of the peak is the cluster's business (RequestedPeaks.atUs), not read here.
    s.peaks.update(0, ratioOf(s.cpuRequested, s.cpuAllocatable), ratioOf(s.memoryRequested, s.memoryAllocatable));
    for (const e of s.scalars.values()) {
      const r = ratioOf(e.requested, e.allocatable);
      if (!Number.isNaN(r) && !(r <= e.peak)) e.peak = r;
    }
  }
}

function scalarOf(s: PoolSums, name: string): { requested: number; allocatable: number; peak: number } {
  let e = s.scalars.get(name);
  if (e === undefined) s.scalars.set(name, (e = { requested: 0, allocatable: 0, peak: Number.NaN }));
  return e;
}

/** A pod's extended-resource requests into the pool's sums (a request of 0 names no resource). */
function addScalars(s: PoolSums, requests: Resource, sign: 1 | -1): void {
  for (const k of requests.scalarNames()) {
    const v = requests.getScalar(k);
    if (v !== 0) scalarOf(s, k).requested += sign * v;
  }
}
