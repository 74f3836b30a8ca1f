// Per-cycle scratchpad: plugins keep what PreFilter/PreScore computed under keys named after
// themselves (upstream framework.CycleState), never in module variables.
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Set by `ksim explain --score-all-nodes`-like callers; plugins may ignore it. */
  skipFilterPlugins: ReadonlySet<string> = EMPTY;
  skipScorePlugins: ReadonlySet<string> = EMPTY;

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
