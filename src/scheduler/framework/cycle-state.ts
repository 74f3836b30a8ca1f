// Per-cycle scratchpad: plugins keep what PreFilter/PreScore computed under keys named after
// themselves (upstream framework.CycleState), never in module variables.
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins whose PreFilter returned Skip in this cycle. */
  skipFilterPlugins: ReadonlySet<string> = EMPTY;
  /** Writes so far: a plugin that keeps what it read for the rest of a cycle (a Filter called
   * once per node) checks that this has not moved. */
  version = 0;

  write(key: string, value: unknown): void {
    this.data.set(key, value);
    this.version++;
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** A copy for what-if evaluation (preemption, nominated pods), as upstream CycleState.Clone:
   * values with a clone() method are cloned (state that PreFilter extensions change), the
   * others are shared. */
  clone(): CycleState {
    const out = new CycleState();
    out.skipFilterPlugins = this.skipFilterPlugins;
    for (const [k, v] of this.data) {
      const c = typeof v === 'object' && v !== null ? (v as { clone?: unknown }).clone : undefined;
      out.data.set(k, typeof c === 'function' ? (c as () => unknown).call(v) : v);
    }
    return out;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
