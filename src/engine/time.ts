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

/**
 * The latest time the simulated clock can hold: 2^53 − 1 µs (about 285 years), the largest
 * integer a JavaScript number holds exactly. The engine refuses events beyond it; arithmetic on
 * times that can run past it (rate-limit waits, etcd queues, sampled latencies) saturates at it,
 * and a run's duration is bounded well below it (MAX_RUN_DURATION_US), so an event at
 * MAX_SIM_TIME_US means "never" within a run.
 */
export const MAX_SIM_TIME_US: Micros = Number.MAX_SAFE_INTEGER;

/** The longest run a scenario may ask for: 100 years (876000h). */
export const MAX_RUN_DURATION_US: Micros = 100 * 365 * 24 * 3600 * US_PER_S;

/** `a + b` for non-negative times and durations, saturating at MAX_SIM_TIME_US (NaN, too, gives
 * MAX_SIM_TIME_US: an undefined delay is treated as "never"). */
export function addTimeUs(a: Micros, b: Micros): Micros {
  const t = a + b;
  return t < MAX_SIM_TIME_US ? t : MAX_SIM_TIME_US;
}
