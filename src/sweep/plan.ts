// A sweep's run list: the cross product of matrix values and seeds, each run with a stable id,
// and the deterministic slice of it a shard runs. Pure: the same arguments give the same list
// on every machine, which is what lets shards and resumed sweeps agree on what run r042 is.
import { parse as parseYaml } from 'yaml';
import { InputError } from '../api/input-error.js';
import { checkSeeds, MAX_SEED } from '../api/seed.js';

/** One `--matrix PATH=V1,V2` axis. */
export interface MatrixAxis {
  readonly path: string;
  readonly values: readonly string[];
}

export interface PlannedRun {
  /** `r` + the run's 1-based number, zero-padded to the width of the total: r001 ... r100. */
  readonly id: string;
  /** 0-based position in the full (unsharded) list. */
  readonly index: number;
  readonly seed: number;
  /** One value per matrix axis, in axis order. */
  readonly matrix: readonly string[];
  /** The --set overrides of this run: the sweep's own, then one PATH=VALUE per axis. */
  readonly set: readonly string[];
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

const MAX_RUNS = 1_000_000;

/** `--seeds 1-100`, `--seeds 1,5,9`, `--seeds 1-10,20-29`: the seeds in the order given, no repeats. */
export function parseSeeds(spec: string): number[] {
  const bad = (got: string) => new InputError('--seeds', 0, 0, '', 'seeds as N, A-B or a comma-separated list of them (integers 0 to 4294967295, A <= B), e.g. 1-100', JSON.stringify(got));
  const seeds: number[] = [];
  const seen = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (m === null) throw bad(spec);
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (a > MAX_SEED || b > MAX_SEED || b < a) throw bad(part.trim());
    if (b - a + seeds.length >= MAX_RUNS) throw new InputError('--seeds', 0, 0, '', `at most ${MAX_RUNS.toLocaleString('en-US')} seeds`, JSON.stringify(spec));
    for (let s = a; s <= b; s++) {
      if (seen.has(s)) throw new InputError('--seeds', 0, 0, '', 'each seed once', `${s} twice in ${JSON.stringify(spec)}`);
      seen.add(s);
      seeds.push(s);
    }
  }
  return seeds;
}

/** `PATH=V1,V2,...`: values split at commas outside brackets, braces and quotes (so a YAML
 * list or map can be one value: `a.b=[1,2],[3]`). */
export function parseMatrix(arg: string): MatrixAxis {
  const eq = arg.indexOf('=');
  const bad = (expected: string) => new InputError(`--matrix ${arg}`, 0, 0, '', expected);
  if (eq <= 0) throw bad('PATH=V1,V2,..., e.g. cluster.nodePools[0].count=4,6,8');
  const values: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const ch of arg.slice(eq + 1)) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      values.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  values.push(cur);
  if (values.some((v) => v.trim() === '')) throw bad('non-empty values separated by commas');
  if (new Set(values).size !== values.length) throw bad('each value once');
  // Values spelled differently that --set reads alike (4, 04, 0x4, +4) would give the same runs
  // twice under two names.
  const byValue = new Map<string, string>();
  for (const v of values) {
    const key = readValueKey(v);
    const first = byValue.get(key);
    if (first !== undefined) throw bad(`each value once (${first} and ${v} are the same value)`);
    byValue.set(key, v);
  }
  return { path: arg.slice(0, eq), values };
}

/** What --set makes of a value, as a comparable key (the text itself when it is not YAML). */
function readValueKey(v: string): string {
  try {
    const x: unknown = parseYaml(v);
    if (x !== undefined) return `y${JSON.stringify(x)}`;
  } catch {
    // not YAML: --set refuses it; compare as written
  }
  return `t${v}`;
}

/** Every run: matrix combinations in order (the first axis varies slowest), seeds innermost. */
export function planRuns(seeds: readonly number[], axes: readonly MatrixAxis[], set: readonly string[] = []): PlannedRun[] {
  checkSeeds(seeds, 'planRuns', 'seeds', true);
  const paths = axes.map((a) => a.path);
  if (new Set(paths).size !== paths.length) throw new InputError('--matrix', 0, 0, '', 'each PATH once', paths.join(', '));
  let combos: string[][] = [[]];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => [...c, v]));
  const total = combos.length * seeds.length;
  if (total > MAX_RUNS) throw new InputError('--matrix', 0, 0, '', `at most ${MAX_RUNS.toLocaleString('en-US')} runs (seeds × matrix values)`, String(total));
  const width = String(total).length;
  const runs: PlannedRun[] = [];
  for (const combo of combos) {
    for (const seed of seeds) {
      const index = runs.length;
      runs.push({ id: `r${String(index + 1).padStart(width, '0')}`, index, seed, matrix: combo, set: [...set, ...combo.map((v, i) => `${paths[i]}=${v}`)] });
    }
  }
  return runs;
}

/** `--shard I/N`: 1 <= I <= N. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m !== null ? Number(m[1]) : NaN;
  const count = m !== null ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count && count <= MAX_RUNS)) {
    throw new InputError('--shard', 0, 0, '', 'I/N with 1 <= I <= N, e.g. 2/4 (the second of four shards)', JSON.stringify(spec));
  }
  return { index, count };
}

/** The runs of shard I of N: every N-th run starting at the I-th, so each shard gets a share
 * of every matrix value (runs of one value tend to cost alike). */
export function shardRuns<T extends { readonly index: number }>(runs: readonly T[], shard: Shard | null): T[] {
  if (shard === null) return [...runs];
  return runs.filter((r) => r.index % shard.count === shard.index - 1);
}

/** sweep.csv's cell for each value of an axis: a YAML scalar as it reads (`"2"` is 2, `'a b'` is
 * a b), anything else (a list, a map, text that is not YAML) as written. The written text when
 * two values would read alike (`2` and `"2"`), so that every matrix cell keeps its own rows. */
export function matrixCells(axis: MatrixAxis): Map<string, string> {
  const shown = new Map<string, string>();
  for (const v of axis.values) {
    let cell = v;
    try {
      const x: unknown = parseYaml(v);
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') cell = String(x);
    } catch {
      // not YAML: as written
    }
    shown.set(v, cell);
  }
  if (new Set(shown.values()).size < shown.size) for (const v of axis.values) shown.set(v, v);
  return shown;
}
