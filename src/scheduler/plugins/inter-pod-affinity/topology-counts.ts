// Per-cycle view of "count per (topologyKey, value)" (upstream topologyToMatchedTermCount): the
// sum of shared read-only layers (domain-count maps kept by the ClusterIndex) plus a private
// overlay that AddPod/RemovePod change. Layers are grouped by topology key so a Filter looks a
// node's label up once per key and does a few Map.get's, allocating nothing.
import type { Labels } from '../../../api/labels.js';
import { addCount, type DomainCounts } from './index.js';

export class TopologyCounts {
  /** Distinct topology keys; indices are stable (keys are only appended). */
  readonly keys: string[] = [];
  /** Layers per key, parallel to `keys`. */
  readonly layers: (readonly DomainCounts[])[] = [];
  /** AddPod/RemovePod adjustments: key → value → delta (null until the first one). */
  private overlay: Map<string, DomainCounts> | null = null;

  /** Index of `key` in `keys`, appending it if new. */
  keyIndex(key: string): number {
    let i = this.keys.indexOf(key);
    if (i < 0) {
      i = this.keys.length;
      this.keys.push(key);
      this.layers.push([]);
    }
    return i;
  }

  addLayer(key: string, counts: DomainCounts): void {
    (this.layers[this.keyIndex(key)] as DomainCounts[]).push(counts);
  }

  /** Total for (keys[i], value). */
  getAt(i: number, value: string): number {
    const ls = this.layers[i] as readonly DomainCounts[];
    let n = 0;
    for (let j = 0; j < ls.length; j++) n += (ls[j] as DomainCounts).get(value) ?? 0;
    if (this.overlay !== null) n += this.overlay.get(this.keys[i] as string)?.get(value) ?? 0;
    return n;
  }

  get(key: string, value: string): number {
    const i = this.keys.indexOf(key);
    return i < 0 ? 0 : this.getAt(i, value);
  }

  /** Adds `delta` to (key, value) in this cycle's view only. */
  update(key: string, value: string, delta: number): void {
    this.keyIndex(key);
    const o = (this.overlay ??= new Map());
    let m = o.get(key);
    if (m === undefined) o.set(key, (m = new Map()));
    addCount(m, value, delta);
  }

  /** Some (key, value) of the node's labels has a positive total (satisfyExistingPodsAntiAffinity). */
  anyPositive(labels: Labels): boolean {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const v = labels[keys[i] as string];
      if (typeof v === 'string' && this.getAt(i, v) > 0) return true;
    }
    return false;
  }

  /** No (key, value) has a non-zero total (upstream: the map has no entries). */
  isEmpty(): boolean {
    for (let i = 0; i < this.keys.length; i++) {
      const ls = this.layers[i] as readonly DomainCounts[];
      for (const m of ls) {
        if (m.size === 0) continue;
        if (this.overlay === null) return false;
        for (const v of m.keys()) if (this.getAt(i, v) !== 0) return false;
      }
    }
    if (this.overlay !== null) {
      for (const [key, m] of this.overlay) for (const v of m.keys()) if (this.get(key, v) !== 0) return false;
    }
    return true;
  }

  /** Every non-zero total as "key=value" → count, sorted by key (for tests and explanations). */
  toRecord(): Record<string, number> {
    const out = new Map<string, number>();
    const visit = (key: string, v: string): void => {
      const n = this.get(key, v);
      if (n !== 0) out.set(`${key}=${v}`, n);
    };
    this.keys.forEach((key, i) => {
      for (const m of this.layers[i] as readonly DomainCounts[]) for (const v of m.keys()) visit(key, v);
    });
    if (this.overlay !== null) for (const [key, m] of this.overlay) for (const v of m.keys()) visit(key, v);
    return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** A copy sharing the layers, with its own overlay (upstream preFilterState.Clone). */
  clone(): TopologyCounts {
    const c = new TopologyCounts();
    c.keys.push(...this.keys);
    for (const ls of this.layers) c.layers.push([...ls]);
    if (this.overlay !== null) {
      c.overlay = new Map();
      for (const [k, m] of this.overlay) c.overlay.set(k, new Map(m));
    }
    return c;
  }
}
