// Per-node utilisation over time, for the report's heat map, derived from pods.csv: a pod holds
// its requests (cpu_requested_milli, memory_requested_bytes) on its node from bound_s until it
// finishes (finished_s) or leaves the store (deleted_s), as the cluster state counts them (a
// Terminating pod still holds its place). Each cell is the time-weighted mean of Σ requests /
// allocatable (nodes.csv) over its time bin — the figure nodes.csv gives at the end, over time.
// Many nodes do not fit a page: beyond MAX_ROWS rows the nodes are grouped (per pool, or in runs
// of consecutive nodes), a group's cell being Σ requests / Σ allocatable of its nodes. Extended
// resources (the GPUs: run-report.ts draws one map per GPU resource over the nodes offering it)
// are counted the same way, from pods.csv's <resource>_requested and nodes.csv's allocatable.

export const MAX_ROWS = 60;
export const MAX_BINS = 120;

export interface HeatmapNode {
  readonly name: string;
  readonly pool: string;
  readonly zone: string;
  readonly cpuAllocatableMilli: number;
  readonly memoryAllocatableBytes: number;
  /** Allocatable of the builder's extended resources, in their order (0 when absent). */
  readonly extendedAllocatable?: readonly number[];
}

/** A fault's window and what it hit (recovery.csv's target). */
export interface HeatmapFault {
  readonly target: string;
  readonly startS: number;
  readonly endS: number;
}

export interface Heatmap {
  /** What a row is: one node, one pool, or a run of consecutive nodes. */
  readonly rowsAre: 'node' | 'pool' | 'nodes';
  /** Row labels, top to bottom. */
  readonly rows: readonly string[];
  /** Bin edges in seconds: bins + 1 values from 0 to the run's duration. */
  readonly edges: readonly number[];
  /** rows × bins, row-major: requested / allocatable (4 decimals); null where nothing is allocatable. */
  readonly cpu: readonly (number | null)[];
  readonly memory: readonly (number | null)[];
  /** The same per extended resource of the builder, in its order. */
  readonly extended: readonly (readonly (number | null)[])[];
  /** The faults' windows on the rows they hit. */
  readonly faults: readonly { readonly row: string; readonly x1: number; readonly x2: number }[];
}

/** Name order for people: "node-2" before "node-10". */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

export class NodeHeatmapBuilder {
  private readonly nodes: HeatmapNode[];
  private readonly index = new Map<string, number>();
  private readonly width: number;
  /** Per node × bin: request × seconds. */
  private readonly cpuArea: Float64Array;
  private readonly memArea: Float64Array;
  private readonly extArea: Float64Array[];

  constructor(
    nodes: readonly HeatmapNode[],
    private readonly durationS: number,
    private readonly bins: number,
    /** Extended resources drawn too (the GPUs): HeatmapNode.extendedAllocatable and addPod's
     * `extended` give theirs in this order. */
    private readonly extendedResources: readonly string[] = [],
  ) {
    // Zone first: a zone outage is one block of rows.
    this.nodes = [...nodes].sort((a, b) => naturalCompare(a.zone, b.zone) || naturalCompare(a.pool, b.pool) || naturalCompare(a.name, b.name));
    this.nodes.forEach((n, i) => this.index.set(n.name, i));
    this.width = durationS / bins;
    this.cpuArea = new Float64Array(this.nodes.length * bins);
    this.memArea = new Float64Array(this.nodes.length * bins);
    this.extArea = extendedResources.map(() => new Float64Array(this.nodes.length * bins));
  }

  /** A pod held `cpuMilli` and `memoryBytes` on `node` over [fromS, toS). Nodes not in
   * nodes.csv (gone before the end) are left out. */
  addPod(node: string, fromS: number, toS: number, cpuMilli: number, memoryBytes: number, extended?: ArrayLike<number>): void {
    const n = this.index.get(node);
    if (n === undefined || this.width <= 0) return;
    const a = Math.max(0, fromS);
    const b = Math.min(this.durationS, toS);
    if (!(b > a)) return;
    const first = Math.min(this.bins - 1, Math.floor(a / this.width));
    const last = Math.min(this.bins - 1, Math.floor(b / this.width));
    for (let k = first; k <= last; k++) {
      const overlap = Math.min(b, (k + 1) * this.width) - Math.max(a, k * this.width);
      if (overlap <= 0) continue;
      this.cpuArea[n * this.bins + k]! += cpuMilli * overlap;
      this.memArea[n * this.bins + k]! += memoryBytes * overlap;
      for (let e = 0; e < this.extArea.length; e++) this.extArea[e]![n * this.bins + k]! += ((extended?.[e] as number | undefined) ?? 0) * overlap;
    }
  }

  build(faults: readonly HeatmapFault[]): Heatmap {
    const groups = this.groups();
    const edges = Array.from({ length: this.bins + 1 }, (_, k) => round(k === this.bins ? this.durationS : k * this.width, 6));
    const cpu: (number | null)[] = [];
    const memory: (number | null)[] = [];
    const extended: (number | null)[][] = this.extendedResources.map(() => []);
    for (const g of groups.list) {
      for (let e = 0; e < this.extArea.length; e++) {
        const area = this.extArea[e]!;
        const alloc = g.members.reduce((s, i) => s + ((this.nodes[i] as HeatmapNode).extendedAllocatable?.[e] ?? 0), 0);
        for (let k = 0; k < this.bins; k++) {
          let v = 0;
          for (const i of g.members) v += area[i * this.bins + k] as number;
          extended[e]!.push(alloc > 0 ? round(v / (alloc * this.width), 4) : null);
        }
      }
      const cpuAlloc = g.members.reduce((s, i) => s + (this.nodes[i] as HeatmapNode).cpuAllocatableMilli, 0);
      const memAlloc = g.members.reduce((s, i) => s + (this.nodes[i] as HeatmapNode).memoryAllocatableBytes, 0);
      for (let k = 0; k < this.bins; k++) {
        let c = 0;
        let m = 0;
        for (const i of g.members) {
          c += this.cpuArea[i * this.bins + k] as number;
          m += this.memArea[i * this.bins + k] as number;
        }
        cpu.push(cpuAlloc > 0 ? round(c / (cpuAlloc * this.width), 4) : null);
        memory.push(memAlloc > 0 ? round(m / (memAlloc * this.width), 4) : null);
      }
    }
    const hit: { row: string; x1: number; x2: number }[] = [];
    for (const f of faults) {
      const nodes = new Set(this.nodesHit(f.target));
      for (const g of groups.list) {
        if (g.members.some((i) => nodes.has(i))) hit.push({ row: g.label, x1: f.startS, x2: Math.min(f.endS, this.durationS) });
      }
    }
    return { rowsAre: groups.rowsAre, rows: groups.list.map((g) => g.label), edges, cpu, memory, extended, faults: hit };
  }

  private groups(): { rowsAre: Heatmap['rowsAre']; list: { label: string; members: number[] }[] } {
    const all = this.nodes.map((_, i) => i);
    if (this.nodes.length <= MAX_ROWS) return { rowsAre: 'node', list: all.map((i) => ({ label: (this.nodes[i] as HeatmapNode).name, members: [i] })) };
    const pools = [...new Set(this.nodes.map((n) => n.pool))].sort(naturalCompare);
    if (pools.length >= 2 && pools.length <= MAX_ROWS) {
      return { rowsAre: 'pool', list: pools.map((p) => ({ label: p === '' ? '(no pool)' : p, members: all.filter((i) => (this.nodes[i] as HeatmapNode).pool === p) })) };
    }
    const size = Math.ceil(this.nodes.length / MAX_ROWS);
    const list: { label: string; members: number[] }[] = [];
    for (let s = 0; s < all.length; s += size) {
      const members = all.slice(s, s + size);
      const first = (this.nodes[members[0] as number] as HeatmapNode).name;
      const last = (this.nodes[members[members.length - 1] as number] as HeatmapNode).name;
      list.push({ label: members.length === 1 ? first : `${first} … ${last}`, members });
    }
    return { rowsAre: 'nodes', list };
  }

  /** The node indexes a recovery.csv target names: zone=Z, pool=P, etcd (none) or node;node. */
  private nodesHit(target: string): number[] {
    const all = this.nodes.map((_, i) => i);
    if (target.startsWith('zone=')) return all.filter((i) => (this.nodes[i] as HeatmapNode).zone === target.slice(5));
    if (target.startsWith('pool=')) return all.filter((i) => (this.nodes[i] as HeatmapNode).pool === target.slice(5));
    if (target === 'etcd' || target === '') return [];
    return target.split(';').flatMap((n) => {
      const i = this.index.get(n);
      return i === undefined ? [] : [i];
    });
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
