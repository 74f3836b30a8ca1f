// What a seed is, checked in one place: a scenario's `seed` (schema/scenario.schema.json: an
// integer, minimum 0, maximum 4294967295) and every seed a library caller passes (loadScenario's
// opts.seed, runSweep's and nodesFor's seeds, runPool's tasks, RandomStreams, ...). Bad ones are
// InputErrors worded as the scenario file's check words its own: `seed: expected an integer >= 0
// and <= 4294967295, got 1.5` (src/workload/schema.ts). The CLI's --seed and --seeds parse text
// into these (src/cli/main.ts seedOption, src/sweep/plan.ts parseSeeds).
import { InputError } from './input-error.js';
import { describeValue } from './values.js';

/** The largest seed, 2^32 − 1: the scenario schema's `seed.maximum`. */
export const MAX_SEED = 4294967295;

/** What a seed must be, as errors say it. */
export const SEED_EXPECTED = `an integer >= 0 and <= ${MAX_SEED}`;

export function isSeed(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SEED;
}

/** `v` when it is a seed; otherwise an InputError naming `where` (the function, e.g.
 * "loadScenario") and `path` (the argument, e.g. "opts.seed"). */
export function checkSeed(v: unknown, where: string, path: string): number {
  if (isSeed(v)) return v;
  throw new InputError(where, 0, 0, path, SEED_EXPECTED, describeValue(v));
}

/** `v` when it is a list of seeds (non-empty unless `allowEmpty`); otherwise an InputError naming
 * the list or its first bad item (`opts.seeds[2]`). */
export function checkSeeds(v: unknown, where: string, path: string, allowEmpty = false): readonly number[] {
  if (!Array.isArray(v) || (v.length === 0 && !allowEmpty)) {
    throw new InputError(where, 0, 0, path, `a non-empty list of seeds (each ${SEED_EXPECTED})`, Array.isArray(v) ? 'an empty list' : describeValue(v));
  }
  v.forEach((s, i) => checkSeed(s, where, `${path}[${i}]`));
  return v as number[];
}
