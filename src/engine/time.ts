/**
 * Simulated time. The whole simulator measures time in integer microseconds
 * since the start of the run; floating-point seconds only appear at the edges
 * (scenario input, reports).
 */
export type Micros = number;

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

/** Seconds (possibly fractional) to integer microseconds, rounded to nearest. */
export function fromSeconds(s: number): Micros {
  return Math.round(s * US_PER_S);
}

/** Milliseconds (possibly fractional) to integer microseconds, rounded to nearest. */
export function fromMillis(ms: number): Micros {
  return Math.round(ms * US_PER_MS);
}

export function toSeconds(us: Micros): number {
  return us / US_PER_S;
}

export function toMillis(us: Micros): number {
  return us / US_PER_MS;
}
