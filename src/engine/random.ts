import seedrandom from 'seedrandom';
import { checkSeed } from '../api/seed.js';

/** A deterministic stream of pseudo-random numbers. */
export interface RandomStream {
  readonly name: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive); maxExclusive must be a positive integer. */
  int(maxExclusive: number): number;
}

const TWO_POW_32 = 0x1_0000_0000;

class AleaStream implements RandomStream {
  readonly name: string;
  private readonly prng: seedrandom.PRNG;

  constructor(name: string, seedString: string) {
    this.name = name;
    this.prng = seedrandom.alea(seedString);
  }

  next(): number {
    return this.prng();
  }

  int(maxExclusive: number): number {
    if (!(Number.isSafeInteger(maxExclusive) && maxExclusive > 0)) {
      throw new Error(`RandomStream(${this.name}).int: maxExclusive must be a positive integer, got ${String(maxExclusive)}`);
    }
    // alea's basic output has 32 bits of resolution; use the 53-bit variant
    // when the range is wider than that so every integer stays reachable.
    const u = maxExclusive <= TWO_POW_32 ? this.prng() : this.prng.double();
    return Math.floor(u * maxExclusive);
  }
}

/**
 * Named random streams derived from one run seed. Each stream is seeded
 * independently from `ksim:${seed}:${name}` (alea PRNG), so the numbers a
 * stream produces depend only on the seed, its name and how many numbers it
 * has already produced — never on which other streams exist or how they are
 * used.
 */
export class RandomStreams {
  readonly seed: number;
  private readonly streams = new Map<string, RandomStream>();

  /** `seed`: an integer 0 … 4294967295, as a scenario's (an InputError otherwise). */
  constructor(seed: number) {
    this.seed = checkSeed(seed, 'RandomStreams', 'seed');
  }

  /** The stream with this name; the same object every time for a given name. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new AleaStream(name, `ksim:${this.seed}:${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}
