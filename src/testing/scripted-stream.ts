import type { RandomStream } from '../engine/random.js';

/** A RandomStream returning scripted integers (upstream's seeded getOffsetRand), then 0. */
export class ScriptedStream implements RandomStream {
  readonly name = 'scripted';
  calls = 0;
  constructor(private readonly draws: readonly number[] = []) {}
  next(): number {
    return 0;
  }
  int(maxExclusive: number): number {
    const d = this.draws[this.calls++] ?? 0;
    return Math.min(d, maxExclusive - 1);
  }
}
